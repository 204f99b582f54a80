#include "sim/io/scenario/trace.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/rfc3339.h"
#include "sim/io/schema.h"

#define TRACE_MAX_FIELD 256

/* n decimal digits at *p (advancing it), or -1. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

static int parse_datetime(const char *s, double *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    int y = digits(&p, 4);
    if (y < 0 || *p++ != '-')
        return -1;
    int mo = digits(&p, 2);
    if (mo < 1 || mo > 12 || *p++ != '-')
        return -1;
    int d = digits(&p, 2);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || (*p != ' ' && *p != 'T'))
        return -1;
    p++;
    int h = digits(&p, 2);
    if (h < 0 || h > 23 || *p++ != ':')
        return -1;
    int mi = digits(&p, 2);
    if (mi < 0 || mi > 59 || *p++ != ':')
        return -1;
    int sec = digits(&p, 2);
    if (sec < 0 || sec > 59)
        return -1;
    /* The fraction is kept to the microsecond, as simtime keeps it; finer digits are dropped. */
    int64_t us = 0;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        int taken = 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (taken < 6) {
                us = us * 10 + (*p - '0');
                taken++;
            }
        for (; taken < 6; taken++)
            us *= 10;
    }
    if (*p == 'Z')
        p++;
    if (*p)
        return -1;
    int64_t days = rfc3339_days_from_civil(y, mo, d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec;
    *out = (double)secs + (double)us / 1e6;
    return 0;
}

int trace_parse_instant(const char *s, double *out, int *date)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s && !*end && errno == 0 && isfinite(v) && strpbrk(s, "xXnN") == NULL) {
        *out = v;
        *date = 0;
        return 0;
    }
    if (parse_datetime(s, out) == 0) {
        *date = 1;
        return 0;
    }
    return -1;
}

/* One field of a CSV line: its text (unquoted, trimmed) and its 1-based column. */
struct field {
    char text[TRACE_MAX_FIELD];
    int col;
};

/* A cursor over the file's bytes. */
struct csv {
    const char *buf, *p, *end;
    int line; /* of the line p is on */
};

/*
 * Splits the line at c->p into fields (at most max; extra fields are counted
 * but not kept) and moves to the next line. Returns the field count, 0 for a
 * blank line, -1 at the end of the file, -2 for an unterminated quote.
 */
static int next_line(struct csv *c, struct field *f, int max, int *nfields)
{
    if (c->p >= c->end)
        return -1;
    const char *start = c->p;
    int n = 0;
    int blank = 1;
    for (;;) {
        const char *fs = c->p;
        size_t len = 0;
        char tmp[TRACE_MAX_FIELD];
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
            c->p++;
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            for (;;) {
                if (c->p >= c->end)
                    return -2;
                if (*c->p == '"' && c->p + 1 < c->end && c->p[1] == '"') {
                    c->p++;
                } else if (*c->p == '"') {
                    c->p++;
                    break;
                } else if (*c->p == '\n') {
                    c->line++;
                }
                if (len + 1 < sizeof tmp)
                    tmp[len++] = *c->p;
                c->p++;
            }
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
                c->p++;
            blank = 0;
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                if (len + 1 < sizeof tmp)
                    tmp[len++] = *c->p;
                c->p++;
            }
            while (len > 0 && (tmp[len - 1] == ' ' || tmp[len - 1] == '\t'))
                len--;
            if (len > 0)
                blank = 0;
        }
        tmp[len] = '\0';
        if (n < max) {
            memcpy(f[n].text, tmp, len + 1);
            f[n].col = (int)(fs - start) + 1;
        }
        n++;
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            blank = 0;
            continue;
        }
        break;
    }
    if (c->p < c->end && *c->p == '\r')
        c->p++;
    if (c->p < c->end && *c->p == '\n')
        c->p++;
    *nfields = n;
    return blank ? 0 : n;
}

#define TRACE_MAX_COLUMNS 256

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            xgrow((void **)&buf, &cap, cap + 1, 1);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* Resolves a column against the header (names) or checks an index against it. */
static int resolve(const char *key, struct load_column *col, const struct field *hdr, int nhdr,
                   const char *display, const struct ynode *node, struct diag *d)
{
    if (!col->name) {
        if (hdr && col->index >= nhdr)
            return schema_fail(d, node, "%s: column %ld does not exist: %s has %d columns", key,
                               col->index, display, nhdr);
        if (col->index >= TRACE_MAX_COLUMNS)
            return schema_fail(d, node, "%s: column %ld is beyond the %d columns ksim reads", key,
                               col->index, TRACE_MAX_COLUMNS);
        return 0;
    }
    if (!hdr)
        return schema_fail(d, node, "%s: a column name needs a header line (header: true)", key);
    const char *names[TRACE_MAX_COLUMNS + 1];
    for (int i = 0; i < nhdr && i < TRACE_MAX_COLUMNS; i++) {
        if (strcmp(hdr[i].text, col->name) == 0) {
            col->index = i;
            return 0;
        }
        names[i] = hdr[i].text;
    }
    names[nhdr < TRACE_MAX_COLUMNS ? nhdr : TRACE_MAX_COLUMNS] = NULL;
    const char *hint = diag_suggest(col->name, names);
    if (hint)
        return schema_fail(d, node, "%s: no column '%s' in %s (did you mean '%s'?)", key, col->name,
                           display, hint);
    return schema_fail(d, node, "%s: no column '%s' in %s", key, col->name, display);
}

struct rows {
    double *time, *value;
    int *line;
    size_t n, cap;
};

static void push_row(struct rows *r, double t, double v, int line)
{
    if (r->n == r->cap) {
        size_t cap = r->cap;
        xgrow((void **)&r->time, &cap, r->n + 1, sizeof *r->time);
        cap = r->cap;
        xgrow((void **)&r->value, &cap, r->n + 1, sizeof *r->value);
        cap = r->cap;
        xgrow((void **)&r->line, &cap, r->n + 1, sizeof *r->line);
        r->cap = cap;
    }
    r->time[r->n] = t;
    r->value[r->n] = v;
    r->line[r->n++] = line;
}

/* Checks one data row and appends it. */
static int read_row(const struct field *f, int nf, int line, const struct load_series *s,
                    int want_values, int strict, struct rows *r, int *dates, const char *display,
                    struct diag *d)
{
    int need = (int)s->time_col.index + 1;
    if (want_values && s->value_col.index + 1 > need)
        need = (int)s->value_col.index + 1;
    if (nf < need) {
        diag_set(d, display, line, 1, "expected at least %d columns, got %d", need, nf);
        return -1;
    }
    const struct field *tf = &f[s->time_col.index];
    double t, v = 0;
    int date;
    if (trace_parse_instant(tf->text, &t, &date)) {
        diag_set(d, display, line, tf->col,
                 "time: expected a number or a date-time (YYYY-MM-DD HH:MM:SS), got '%s'",
                 tf->text);
        return -1;
    }
    if (r->n == 0)
        *dates = date;
    if (date != *dates) {
        diag_set(d, display, line, tf->col, "time: %s after %s in earlier rows",
                 date ? "a date-time" : "a number", date ? "numeric times" : "date-times");
        return -1;
    }
    if (r->n > 0 && (strict ? t <= r->time[r->n - 1] : t < r->time[r->n - 1])) {
        diag_set(d, display, line, tf->col, "time '%s' is %s the previous row's (line %d)",
                 tf->text, strict ? "not after" : "before", r->line[r->n - 1]);
        return -1;
    }
    if (want_values) {
        const struct field *vf = &f[s->value_col.index];
        char *end;
        errno = 0;
        v = strtod(vf->text, &end);
        if (end == vf->text || *end || errno || !isfinite(v)) {
            diag_set(d, display, line, vf->col, "value: expected a number, got '%s'", vf->text);
            return -1;
        }
        if (v < 0) {
            diag_set(d, display, line, vf->col, "value: must not be negative, got %s", vf->text);
            return -1;
        }
    }
    push_row(r, t, v, line);
    return 0;
}

int trace_read(const char *path, const char *display, struct load_series *s, int want_values,
               int strict, const struct trace_nodes *nodes, struct diag *d)
{
    size_t len;
    char *buf = read_all(path, &len);
    if (!buf)
        return schema_fail(d, nodes->file, "file: cannot open '%s': %s", display, strerror(errno));
    struct csv c = {buf, buf, buf + len, 1};
    struct field *f = xcalloc(TRACE_MAX_COLUMNS, sizeof *f);
    struct field *hdr = NULL;
    int nhdr = 0;
    struct rows r = {0};
    int dates = 0, rc = 0;
    for (;;) {
        int nf = 0, line = c.line;
        int got = next_line(&c, f, TRACE_MAX_COLUMNS, &nf);
        c.line++;
        if (got == -1)
            break;
        if (got == -2) {
            rc = -1;
            diag_set(d, display, line, 1, "unterminated quoted field");
            break;
        }
        if (got == 0)
            continue;
        if (s->header && !hdr) {
            hdr = xcalloc(TRACE_MAX_COLUMNS, sizeof *hdr);
            nhdr = nf < TRACE_MAX_COLUMNS ? nf : TRACE_MAX_COLUMNS;
            memcpy(hdr, f, (size_t)nhdr * sizeof *hdr);
            if (resolve("timeColumn", &s->time_col, hdr, nhdr, display, nodes->time_col, d) ||
                (want_values &&
                 resolve("valueColumn", &s->value_col, hdr, nhdr, display, nodes->value_col, d))) {
                rc = -1;
                break;
            }
            continue;
        }
        if (r.n == 0 && !s->header &&
            (resolve("timeColumn", &s->time_col, NULL, 0, display, nodes->time_col, d) ||
             (want_values &&
              resolve("valueColumn", &s->value_col, NULL, 0, display, nodes->value_col, d)))) {
            rc = -1;
            break;
        }
        if (read_row(f, nf, line, s, want_values, strict, &r, &dates, display, d)) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && r.n == 0) {
        diag_set(d, display, 0, 0, "no data rows");
        rc = -1;
    }
    free(f);
    free(hdr);
    free(buf);
    if (rc) {
        free(r.time);
        free(r.value);
        free(r.line);
        return -1;
    }
    s->time = r.time;
    s->line = r.line;
    if (want_values)
        s->value = r.value;
    else
        free(r.value);
    s->n = r.n;
    s->dates = dates;
    return 0;
}

void trace_release(struct load_series *s)
{
    free((void *)s->time);
    free((void *)s->value);
    free((void *)s->line);
    s->time = s->value = NULL;
    s->line = NULL;
    s->n = 0;
}
