#include "sim/io/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cluster/quantity.h"

#define SCHEMA_NAME_MAX 253

/* The short name used throughout this file. */
#define fail_at schema_fail

/* Reports at n's position; an absent node (NULL) has none to give. */
int schema_fail(struct diag *d, const struct ynode *n, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n)
        diag_set(d, n->file, n->line, n->col, "%s", msg);
    else
        diag_set(d, NULL, 0, 0, "%s", msg);
    return -1;
}

/*
 * The text of a non-null scalar, or -1 with "what: expected <expected>, got
 * <kind>". Strings with a NUL inside (from a "\0" escape) are refused here, so
 * no reader silently sees a truncated value.
 */
static int scalar_text(const struct ynode *n, const char *what, const char *expected,
                       const char **out, struct diag *d)
{
    if (!n)
        return fail_at(d, n, "%s: missing value", what);
    if (n->kind != YNODE_SCALAR || ynode_is_null(n))
        return fail_at(d, n, "%s: expected %s, got %s", what, expected, ynode_kind_name(n));
    if (memchr(n->str, '\0', n->len))
        return fail_at(d, n, "%s: contains a NUL character", what);
    *out = n->str;
    return 0;
}

int schema_expect_map(const struct ynode *n, const char *what, struct diag *d)
{
    if (!n)
        return fail_at(d, n, "%s: missing value", what);
    if (n->kind != YNODE_MAP)
        return fail_at(d, n, "%s: expected a mapping, got %s", what, ynode_kind_name(n));
    return 0;
}

int schema_expect_seq(const struct ynode *n, const char *what, struct diag *d)
{
    if (ynode_is_null(n) || n->kind == YNODE_SEQ)
        return 0;
    return fail_at(d, n, "%s: expected a list, got %s", what, ynode_kind_name(n));
}

int schema_check_keys(const struct ynode *n, const char *where, const char *const *known,
                      struct diag *d)
{
    if (schema_expect_map(n, where, d))
        return -1;
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *k = n->pairs[i].key;
        int found = 0;
        for (const char *const *c = known; *c && !found; c++)
            found = strlen(*c) == k->len && memcmp(*c, k->str, k->len) == 0;
        if (found)
            continue;
        const char *hint = diag_suggest(k->str, known);
        if (hint)
            return fail_at(d, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, where,
                           hint);
        return fail_at(d, k, "unknown key '%s' in %s", k->str, where);
    }
    return 0;
}

const struct ynode *schema_require(const struct ynode *n, const char *where, const char *key,
                                   struct diag *d)
{
    if (schema_expect_map(n, where, d))
        return NULL;
    const struct ynode *v = ynode_get(n, key);
    if (!v) {
        fail_at(d, n, "missing required key '%s' in %s", key, where);
        return NULL;
    }
    if (ynode_is_null(v)) {
        fail_at(d, v, "missing value for required key '%s' in %s", key, where);
        return NULL;
    }
    return v;
}

int schema_string(const struct ynode *n, const char *what, const char **out, struct diag *d)
{
    return scalar_text(n, what, "a string", out, d);
}

static int is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Follows IsDNS1123Subdomain in k8s.io/apimachinery/pkg/util/validation/validation.go. */
int schema_name(const struct ynode *n, const char *what, const char **out, struct diag *d)
{
    const char *s;
    if (scalar_text(n, what, "a string", &s, d))
        return -1;
    size_t len = strlen(s);
    if (len == 0)
        return fail_at(d, n, "%s: invalid name '': must not be empty", what);
    if (len > SCHEMA_NAME_MAX)
        return fail_at(d, n, "%s: invalid name '%s': must be at most %d characters", what, s,
                       SCHEMA_NAME_MAX);
    for (size_t i = 0; i < len; i++)
        if (!is_lower_alnum(s[i]) && s[i] != '-' && s[i] != '.')
            return fail_at(d, n,
                           "%s: invalid name '%s': must be lowercase letters, digits, '-' or '.'",
                           what, s);
    if (!is_lower_alnum(s[0]) || !is_lower_alnum(s[len - 1]))
        return fail_at(d, n,
                       "%s: invalid name '%s': must start and end with a lowercase letter or "
                       "digit",
                       what, s);
    /* Each dot-separated label is itself a DNS-1123 label. */
    for (size_t i = 0; i < len; i++)
        if (s[i] == '.' && (!is_lower_alnum(s[i - 1]) || !is_lower_alnum(s[i + 1])))
            return fail_at(d, n,
                           "%s: invalid name '%s': '.' must have a lowercase letter or digit "
                           "on each side",
                           what, s);
    *out = s;
    return 0;
}

/* "must be at least", in the wording users expect for the common minimum of 0. */
static int below_min(struct diag *d, const struct ynode *n, const char *what, int min_is_zero,
                     const char *min, const char *got)
{
    if (min_is_zero)
        return fail_at(d, n, "%s: must not be negative, got %s", what, got);
    return fail_at(d, n, "%s: must be at least %s, got %s", what, min, got);
}

int schema_int64(const struct ynode *n, const char *what, int64_t min, int64_t max, int64_t *out,
                 struct diag *d)
{
    const char *s;
    if (scalar_text(n, what, "an integer", &s, d))
        return -1;
    const char *p = s;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!*p)
        return fail_at(d, n, "%s: expected an integer, got '%s'", what, s);
    /* Accumulate the magnitude; 2^63 itself is reachable only as INT64_MIN. */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    int overflow = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return fail_at(d, n, "%s: expected an integer, got '%s'", what, s);
        unsigned digit = (unsigned)(*p - '0');
        if (v > (limit - digit) / 10)
            overflow = 1;
        else
            v = v * 10 + digit;
    }
    char bound[32];
    if (overflow && neg) {
        snprintf(bound, sizeof bound, "%lld", (long long)min);
        return below_min(d, n, what, min == 0, bound, s);
    }
    if (overflow) {
        snprintf(bound, sizeof bound, "%lld", (long long)max);
        return fail_at(d, n, "%s: must be at most %s, got %s", what, bound, s);
    }
    int64_t x = neg ? (int64_t)(0 - v) : (int64_t)v;
    if (x < min) {
        snprintf(bound, sizeof bound, "%lld", (long long)min);
        return below_min(d, n, what, min == 0, bound, s);
    }
    if (x > max) {
        snprintf(bound, sizeof bound, "%lld", (long long)max);
        return fail_at(d, n, "%s: must be at most %s, got %s", what, bound, s);
    }
    *out = x;
    return 0;
}

/* [+-] (digits [. digits] | . digits) [(e|E) [+-] digits]: no inf, nan, hex or '_'. */
static int is_decimal(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int schema_double(const struct ynode *n, const char *what, double min, double max, double *out,
                  struct diag *d)
{
    const char *s;
    if (scalar_text(n, what, "a number", &s, d))
        return -1;
    if (!is_decimal(s))
        return fail_at(d, n, "%s: expected a number, got '%s'", what, s);
    double x = strtod(s, NULL);
    if (!isfinite(x))
        return fail_at(d, n, "%s: number '%s' is too large", what, s);
    char bound[64];
    if (x < min) {
        snprintf(bound, sizeof bound, "%g", min);
        return below_min(d, n, what, min == 0, bound, s);
    }
    if (x > max) {
        snprintf(bound, sizeof bound, "%g", max);
        return fail_at(d, n, "%s: must be at most %s, got %s", what, bound, s);
    }
    *out = x;
    return 0;
}

int schema_bool(const struct ynode *n, const char *what, int *out, struct diag *d)
{
    static const char *const yes[] = {"true", "True", "TRUE"};
    static const char *const no[] = {"false", "False", "FALSE"};
    const char *s;
    if (scalar_text(n, what, "true or false", &s, d))
        return -1;
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return fail_at(d, n, "%s: expected true or false, got '%s'", what, s);
}

int schema_duration(const struct ynode *n, const char *what, simtime min, simtime max, simtime *out,
                    struct diag *d)
{
    const char *s;
    if (scalar_text(n, what, "a duration", &s, d))
        return -1;
    char err[512];
    simtime t;
    if (simtime_parse(s, &t, err, sizeof err))
        return fail_at(d, n, "%s: %s", what, err);
    char bound[64];
    if (t < min) {
        simtime_format(min, bound, sizeof bound);
        return fail_at(d, n, "%s: must be at least %s, got %s", what, bound, s);
    }
    if (t > max) {
        simtime_format(max, bound, sizeof bound);
        return fail_at(d, n, "%s: must be at most %s, got %s", what, bound, s);
    }
    *out = t;
    return 0;
}

int schema_quantity(const struct ynode *n, const char *what, int milli, int64_t *out,
                    struct diag *d)
{
    const char *s;
    if (scalar_text(n, what, "a quantity", &s, d))
        return -1;
    char err[512];
    int64_t v, mag;
    int64_t scale = milli ? 1000 : 1;
    if (quantity_parse(s, scale, &v, err, sizeof err))
        return fail_at(d, n, "%s: %s", what, err);
    /* Check the sign on the text: "-0.1" rounds up to 0 but is still negative. */
    if (s[0] == '-' && quantity_parse(s + 1, scale, &mag, NULL, 0) == 0 && mag > 0)
        return fail_at(d, n, "%s: must not be negative, got '%s'", what, s);
    *out = v;
    return 0;
}

int schema_enum(const struct ynode *n, const char *what, const char *const *choices, int *out,
                struct diag *d)
{
    const char *s;
    if (scalar_text(n, what, "a string", &s, d))
        return -1;
    for (int i = 0; choices[i]; i++) {
        if (strcmp(s, choices[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    const char *hint = diag_suggest(s, choices);
    if (hint)
        return fail_at(d, n, "%s: unknown value '%s' (did you mean '%s'?)", what, s, hint);
    char list[512];
    size_t off = 0;
    list[0] = '\0';
    for (int i = 0; choices[i] && off < sizeof list; i++) {
        int w = snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", choices[i]);
        if (w < 0)
            break;
        off += (size_t)w;
    }
    return fail_at(d, n, "%s: unknown value '%s' (expected one of: %s)", what, s, list);
}
