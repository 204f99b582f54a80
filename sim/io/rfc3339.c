#include "sim/io/rfc3339.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim/base/diag.h"

/*
 * days_from_civil and civil_from_days: Howard Hinnant's algorithms
 * (https://howardhinnant.github.io/date_algorithms.html), days since
 * 1970-01-01 in the proleptic Gregorian calendar, exact for every year here.
 */
int64_t rfc3339_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly n decimal digits at *p; -1 when one is not a digit. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    return v;
}

static int expect_char(const char **p, const char *set)
{
    if (**p == '\0' || !strchr(set, **p))
        return -1;
    (*p)++;
    return 0;
}

int rfc3339_parse(const char *s, simtime *out, char *err, size_t errlen)
{
    const char *p = s;
    int year, mon, day, hour, min, sec;
    if ((year = digits(&p, 4)) < 0 || expect_char(&p, "-") || (mon = digits(&p, 2)) < 0 ||
        expect_char(&p, "-") || (day = digits(&p, 2)) < 0 || expect_char(&p, "Tt") ||
        (hour = digits(&p, 2)) < 0 || expect_char(&p, ":") || (min = digits(&p, 2)) < 0 ||
        expect_char(&p, ":") || (sec = digits(&p, 2)) < 0)
        goto syntax;
    int64_t micros = 0;
    if (*p == '.' || *p == ',') {
        p++;
        int n = 0;
        while (p[n] >= '0' && p[n] <= '9')
            n++;
        if (n == 0 || n > 9)
            goto syntax;
        for (int i = 0; i < 6; i++)
            micros = micros * 10 + (i < n ? p[i] - '0' : 0);
        p += n;
    }
    int offset = 0; /* seconds east of UTC */
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        p++;
        int oh, om;
        if ((oh = digits(&p, 2)) < 0 || expect_char(&p, ":") || (om = digits(&p, 2)) < 0)
            goto syntax;
        if (oh > 23 || om > 59)
            return diag_errf(err, errlen, "invalid timestamp '%s': time zone offset out of range",
                             s);
        offset = sign * (oh * 3600 + om * 60);
    } else {
        goto syntax;
    }
    if (*p != '\0')
        goto syntax;
    if (mon < 1 || mon > 12)
        return diag_errf(err, errlen, "invalid timestamp '%s': month out of range", s);
    if (day < 1 || day > days_in_month(year, mon))
        return diag_errf(err, errlen, "invalid timestamp '%s': day out of range", s);
    if (hour > 23)
        return diag_errf(err, errlen, "invalid timestamp '%s': hour out of range", s);
    if (min > 59)
        return diag_errf(err, errlen, "invalid timestamp '%s': minute out of range", s);
    if (sec > 59)
        return diag_errf(err, errlen, "invalid timestamp '%s': second out of range", s);
    int64_t secs =
        rfc3339_days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
    *out = secs * SIMTIME_S + micros;
    return 0;
syntax:
    return diag_errf(err, errlen,
                     "invalid timestamp '%s': expected RFC 3339, e.g. 2024-05-01T12:00:00Z", s);
}

void rfc3339_format(simtime t, char *buf, size_t len)
{
    /* Floor division, so that instants before 1970 print their real date. */
    int64_t secs = t / SIMTIME_S, micros = t % SIMTIME_S;
    if (micros < 0) {
        micros += SIMTIME_S;
        secs--;
    }
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    char frac[16] = "";
    if (micros) {
        snprintf(frac, sizeof frac, ".%06lld", (long long)micros);
        size_t n = strlen(frac);
        while (frac[n - 1] == '0')
            frac[--n] = '\0';
    }
    snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ", (long long)y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), frac);
}
