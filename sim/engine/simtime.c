#include "sim/engine/simtime.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct unit {
    const char *name;
    simtime us;
};

/*
 * Go also accepts "ns"; ksim time has no unit below a microsecond, so "ns" is
 * refused with its own message rather than as an unknown unit. Both spellings
 * of micro are accepted, as in Go: U+00B5 MICRO SIGN and U+03BC GREEK MU.
 */
static const struct unit units[] = {
    {"us", SIMTIME_US}, {"\xc2\xb5s", SIMTIME_US}, {"\xce\xbcs", SIMTIME_US}, {"ms", SIMTIME_MS},
    {"s", SIMTIME_S},   {"m", SIMTIME_MIN},        {"h", SIMTIME_HOUR},       {"d", SIMTIME_DAY},
};

static int fail(char *err, size_t errlen, const char *s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, const char *s, const char *fmt, ...)
{
    if (err && errlen) {
        int n = snprintf(err, errlen, "invalid duration '%s': ", s);
        if (n >= 0 && (size_t)n < errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static const struct unit *find_unit(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == len && memcmp(units[i].name, name, len) == 0)
            return &units[i];
    return NULL;
}

static simtime gcd(simtime a, simtime b)
{
    while (b) {
        simtime t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/*
 * The value of the fraction digits [p, end) of one unit, in microseconds, or
 * -1 when it is not a whole number of microseconds. Trailing zeros are dropped
 * first, so "1.50000000000000000000s" is fine however long it is. With k
 * significant digits left, frac / 10^k * unit is whole only if 10^k divides
 * frac * unit; the largest unit (a day, 2^13 * 3^3 * 5^8 us) absorbs at most
 * 10^8, so more than 13 digits can never be whole and need not be computed.
 */
static simtime fraction_us(const char *p, const char *end, simtime unit)
{
    while (end > p && end[-1] == '0')
        end--;
    size_t k = (size_t)(end - p);
    if (k == 0)
        return 0;
    if (k > 13)
        return -1;
    simtime frac = 0, scale = 1;
    for (; p < end; p++) {
        frac = frac * 10 + (*p - '0');
        scale *= 10;
    }
    /* frac / scale * unit, reduced first: the result is below unit, so no step overflows. */
    simtime g = gcd(unit, scale);
    simtime denom = scale / g;
    if (frac % denom)
        return -1;
    return frac / denom * (unit / g);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int simtime_parse(const char *s, simtime *out, char *err, size_t errlen)
{
    const char *p = s;
    simtime total = 0;

    if (*p == '-')
        return fail(err, errlen, s, "negative durations are not allowed");
    if (*p == '+')
        p++;
    if (*p == '\0')
        return fail(err, errlen, s, p == s ? "empty" : "expected a number after '+'");
    /* Go special-cases a bare "0": the one number that needs no unit. */
    if (strcmp(p, "0") == 0) {
        *out = 0;
        return 0;
    }
    while (*p) {
        const char *num = p;
        simtime whole = 0;
        int overflow = 0;
        for (; is_digit(*p); p++) {
            int d = *p - '0';
            if (whole > (INT64_MAX - d) / 10)
                overflow = 1;
            else
                whole = whole * 10 + d;
        }
        const char *dot = p;
        const char *frac_end = p;
        if (*p == '.') {
            for (p++; is_digit(*p); p++)
                ;
            frac_end = p;
        }
        /* A number needs a digit on at least one side of the dot: "5", "5.", ".5". */
        if (dot == num && frac_end - dot <= 1)
            return fail(err, errlen, s, "expected a number at '%s'", num);

        const char *uname = p;
        while (*p && *p != '.' && !is_digit(*p))
            p++;
        size_t ulen = (size_t)(p - uname);
        if (ulen == 0) {
            int numlen = (int)(p - num);
            if (num == s && *p == '\0')
                return fail(err, errlen, s, "missing unit (use e.g. %ss)", s);
            return fail(err, errlen, s, "missing unit after '%.*s'", numlen, num);
        }
        const struct unit *u = find_unit(uname, ulen);
        if (!u) {
            if (ulen == 2 && memcmp(uname, "ns", 2) == 0)
                return fail(err, errlen, s, "finer than a microsecond");
            return fail(err, errlen, s, "unknown unit '%.*s'", (int)ulen, uname);
        }

        simtime part = 0;
        if (dot < frac_end) {
            part = fraction_us(dot + 1, frac_end, u->us);
            if (part < 0)
                return fail(err, errlen, s, "finer than a microsecond");
        }
        if (overflow || whole > (INT64_MAX - part) / u->us)
            return fail(err, errlen, s, "too large");
        part += whole * u->us;
        if (total > INT64_MAX - part)
            return fail(err, errlen, s, "too large");
        total += part;
    }
    *out = total;
    return 0;
}

/* Appends "." and the fraction digits of frac (which has prec digits), trailing zeros dropped. */
static size_t format_frac(char *buf, uint64_t frac, int prec)
{
    char digits[8];
    int n = prec;
    while (n > 0 && frac % 10 == 0) {
        frac /= 10;
        n--;
    }
    if (n == 0)
        return 0;
    for (int i = n - 1; i >= 0; i--) {
        digits[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    buf[0] = '.';
    memcpy(buf + 1, digits, (size_t)n);
    return (size_t)n + 1;
}

/*
 * Follows Go's time.Duration.String (src/time/time.go): below a second the
 * largest of µs and ms that keeps the integer part non-zero, with a decimal
 * fraction; from a second on "XhYmZ.FFFs", leading zero fields left out.
 */
void simtime_format(simtime t, char *buf, size_t len)
{
    char tmp[64];
    size_t n = 0;
    /* Through uint64 so that INT64_MIN has a magnitude. */
    uint64_t u = t < 0 ? -(uint64_t)t : (uint64_t)t;

    if (t < 0)
        tmp[n++] = '-';
    if (u == 0) {
        n += (size_t)sprintf(tmp + n, "0s");
    } else if (u < 1000) {
        n += (size_t)sprintf(tmp + n, "%" PRIu64 "\xc2\xb5s", u);
    } else if (u < 1000000) {
        n += (size_t)sprintf(tmp + n, "%" PRIu64, u / 1000);
        n += format_frac(tmp + n, u % 1000, 3);
        n += (size_t)sprintf(tmp + n, "ms");
    } else {
        uint64_t secs = u / 1000000;
        uint64_t hours = secs / 3600, mins = secs / 60 % 60;
        if (hours)
            n += (size_t)sprintf(tmp + n, "%" PRIu64 "h", hours);
        if (secs >= 60)
            n += (size_t)sprintf(tmp + n, "%" PRIu64 "m", mins);
        n += (size_t)sprintf(tmp + n, "%" PRIu64, secs % 60);
        n += format_frac(tmp + n, u % 1000000, 6);
        n += (size_t)sprintf(tmp + n, "s");
    }
    if (len)
        snprintf(buf, len, "%s", tmp);
}

double simtime_seconds(simtime t)
{
    return (double)t / (double)SIMTIME_S;
}
