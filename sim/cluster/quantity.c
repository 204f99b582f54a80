#include "sim/cluster/quantity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/diag.h"
#include "sim/base/xalloc.h"

/*
 * A quantity is parsed into three parts, then rounded once:
 *
 *   "-1.5Gi"  ->  negative, digits "15" with the decimal point after 1 digit,
 *                 binary exponent 30 (Gi), decimal exponent 0
 *
 * The value is digits * 10^(point - ndigits) * 2^bin, times the caller's
 * scale. Instead of a big-number library, the integer and fractional digits
 * are handled separately: the integer part must fit in int64 anyway, and the
 * fractional part times the multiplier is computed by schoolbook
 * multiplication from the last digit up, whose carry stays below the
 * multiplier (< 2^123), so unsigned __int128 holds every intermediate value
 * exactly and no input, however long, costs more than one pass.
 */

typedef unsigned __int128 u128;

#define QUANTITY_MAX ((u128)INT64_MAX)

/* Keeps decimal exponents far from int64 limits; any |exponent| beyond this is
 * either a zero, a value below one unit, or far beyond int64. */
#define QUANTITY_EXP_CLAMP 1000000000LL

struct qsuffix {
    const char *name;
    int bin; /* power of two */
    int dec; /* power of ten */
};

/* Follows the binarySI and decimalSI tables of
 * k8s.io/apimachinery/pkg/api/resource/suffix.go. */
static const struct qsuffix quantity_suffixes[] = {
    {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0}, {"Ei", 60, 0},
    {"n", 0, -9},  {"u", 0, -6},  {"m", 0, -3},  {"", 0, 0},    {"k", 0, 3},   {"M", 0, 6},
    {"G", 0, 9},   {"T", 0, 12},  {"P", 0, 15},  {"E", 0, 18},
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * A hint for the suffixes people commonly get wrong: binary suffixes in the
 * wrong case ("gi") and byte units from other tools ("GB", "K").
 */
static const char *suffix_hint(const char *suf)
{
    static const char *const binary[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    static const char *const hints[] = {
        " (did you mean 'Ki'?)", " (did you mean 'Mi'?)", " (did you mean 'Gi'?)",
        " (did you mean 'Ti'?)", " (did you mean 'Pi'?)", " (did you mean 'Ei'?)",
    };
    static const char *const bytes[] = {
        " (did you mean 'k' or 'Ki'?)", " (did you mean 'M' or 'Mi'?)",
        " (did you mean 'G' or 'Gi'?)", " (did you mean 'T' or 'Ti'?)",
        " (did you mean 'P' or 'Pi'?)", " (did you mean 'E' or 'Ei'?)",
    };
    static const char letters[] = "KMGTPE";
    size_t len = strlen(suf);
    for (int i = 0; i < 6; i++) {
        char up = suf[0] >= 'a' && suf[0] <= 'z' ? (char)(suf[0] - 'a' + 'A') : suf[0];
        if (up != letters[i])
            continue;
        if (len == 2 && (suf[1] == 'i' || suf[1] == 'I') && strcmp(suf, binary[i]) != 0)
            return hints[i];
        if (len == 1 || (len == 2 && (suf[1] == 'B' || suf[1] == 'b')) ||
            (len == 3 && (suf[1] == 'i' || suf[1] == 'I') && (suf[2] == 'B' || suf[2] == 'b')))
            return bytes[i];
    }
    return "";
}

/* Interprets the text after the number. Returns 0, or -1 with err filled. */
static int parse_suffix(const char *s, const char *suf, int *bin, long long *dec, char *err,
                        size_t errlen)
{
    for (size_t i = 0; i < sizeof quantity_suffixes / sizeof quantity_suffixes[0]; i++) {
        if (strcmp(suf, quantity_suffixes[i].name) == 0) {
            *bin = quantity_suffixes[i].bin;
            *dec = quantity_suffixes[i].dec;
            return 0;
        }
    }
    if (suf[0] == 'e' || suf[0] == 'E') {
        const char *p = suf + 1;
        int neg = 0;
        if (*p == '+' || *p == '-')
            neg = *p++ == '-';
        if (!*p)
            return diag_errf(err, errlen, "invalid quantity '%s': missing exponent after '%c'", s,
                             suf[0]);
        long long e = 0;
        const char *q = p;
        for (; is_digit(*q); q++)
            if (e < QUANTITY_EXP_CLAMP)
                e = e * 10 + (*q - '0');
        if (!*q) {
            *bin = 0;
            *dec = neg ? -e : e;
            return 0;
        }
    }
    return diag_errf(err, errlen, "invalid quantity '%s': unknown suffix '%s'%s", s, suf,
                     suffix_hint(suf));
}

/*
 * floor(|value| * mult) and whether it is inexact, for the significant digits
 * d[0..n) (d[0] != '0') with the decimal point after `point` of them.
 * Returns -1 when the floor exceeds INT64_MAX.
 */
static int magnitude(const char *d, size_t n, long long point, u128 mult, u128 *floor_out,
                     int *inexact)
{
    *inexact = 0;
    /* Integer part: the first `point` digits, zero-extended when point > n. */
    u128 ip = 0;
    if (point > 0) {
        if (point > 19) /* at least 10^19 > INT64_MAX */
            return -1;
        for (long long i = 0; i < point; i++)
            ip = ip * 10 + (u128)((size_t)i < n ? d[i] - '0' : 0);
        if (ip > QUANTITY_MAX)
            return -1;
    }
    /* mult < 2^123 and ip < 2^63: the product fits; compare before trusting it. */
    if (ip && mult > QUANTITY_MAX / ip)
        return -1;
    u128 total = ip * mult;

    /* Fractional part: -point leading zeros, then the remaining digits. */
    size_t fstart = point > 0 ? (size_t)point : 0;
    u128 carry = 0;
    for (size_t i = n; i > fstart; i--) {
        u128 t = mult * (u128)(d[i - 1] - '0') + carry;
        if (t % 10)
            *inexact = 1;
        carry = t / 10;
    }
    /* Each leading zero divides by ten again; once the carry is gone the
     * rest cannot change anything (and there may be a billion of them). */
    for (long long z = point < 0 ? -point : 0; z > 0 && carry; z--) {
        if (carry % 10)
            *inexact = 1;
        carry /= 10;
    }
    if (carry > QUANTITY_MAX - total)
        return -1;
    *floor_out = total + carry;
    return 0;
}

int quantity_parse(const char *s, int64_t scale, int64_t *out, char *err, size_t errlen)
{
    if (scale < 1)
        BUG("quantity_parse: scale must be positive");
    if (!s || !*s)
        return diag_errf(err, errlen, "invalid quantity '': empty");
    if (strpbrk(s, " \t\r\n"))
        return diag_errf(err, errlen, "invalid quantity '%s': unexpected space", s);

    const char *p = s;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    const char *ibeg = p;
    while (is_digit(*p))
        p++;
    size_t nint = (size_t)(p - ibeg);
    const char *fbeg = p, *fend = p;
    if (*p == '.') {
        fbeg = ++p;
        while (is_digit(*p))
            p++;
        fend = p;
    }
    size_t nfrac = (size_t)(fend - fbeg);
    if (nint + nfrac == 0)
        return diag_errf(err, errlen, "invalid quantity '%s': missing number", s);

    int bin = 0;
    long long dec = 0;
    if (parse_suffix(s, p, &bin, &dec, err, errlen))
        return -1;

    /* Gather the significant digits (integer then fraction) in one buffer. */
    char *digits = xmalloc(nint + nfrac + 1);
    memcpy(digits, ibeg, nint);
    memcpy(digits + nint, fbeg, nfrac);
    size_t n = nint + nfrac;
    long long point = (long long)nint + dec;
    size_t lead = 0;
    while (lead < n && digits[lead] == '0')
        lead++;
    while (n > lead && digits[n - 1] == '0')
        n--;
    if (lead == n) {
        free(digits);
        *out = 0;
        return 0;
    }
    point -= (long long)lead;

    u128 mult = ((u128)1 << bin) * (u128)scale;
    u128 fl;
    int inexact;
    int rc = magnitude(digits + lead, n - lead, point, mult, &fl, &inexact);
    free(digits);
    /* Rounding up (towards +inf): positive values gain one when inexact,
     * negative values just drop the fraction. */
    if (rc || (!neg && inexact && fl == QUANTITY_MAX))
        return diag_errf(err, errlen, "quantity '%s' is too large", s);
    if (neg)
        *out = -(int64_t)fl;
    else
        *out = (int64_t)fl + inexact;
    return 0;
}

void quantity_format_milli(int64_t milli, char *buf, size_t len)
{
    static const char *const units[] = {"m", "", "k", "M", "G", "T", "P", "E"};
    int u = 0;
    /* The largest decimal suffix that keeps the number whole, as
     * Quantity.String does for DecimalSI (1500m stays "1500m"). */
    while (milli != 0 && milli % 1000 == 0 && u < 7) {
        milli /= 1000;
        u++;
    }
    if (milli == 0)
        u = 1;
    snprintf(buf, len, "%lld%s", (long long)milli, units[u]);
}

void quantity_format_bytes(int64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int u = 0;
    while (bytes != 0 && bytes % 1024 == 0 && u < 6) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, len, "%lld%s", (long long)bytes, units[u]);
}
