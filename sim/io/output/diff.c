#include "sim/io/output/diff.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/base/xalloc.h"
#include "sim/io/csv.h"
#include "sim/io/jsonflat.h"

double diff_tolerance_for(const struct diff_options *o, const char *name)
{
    double rel = o->default_rel;
    for (size_t i = 0; i < o->ntols; i++)
        if (fnmatch(o->tols[i].pattern, name, 0) == 0)
            rel = o->tols[i].rel;
    return rel;
}

int diff_within(double a, double b, double rel)
{
    if (a == b)
        return 1;
    if (isnan(a) || isnan(b))
        return 0;
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

double diff_change(double a, double b)
{
    if (a == b)
        return 0;
    if (a == 0)
        return b > 0 ? INFINITY : -INFINITY;
    return (b - a) / fabs(a);
}

static void print_change(FILE *out, double a, double b)
{
    double c = diff_change(a, b);
    if (isinf(c))
        fprintf(out, " (%s from 0)", c > 0 ? "up" : "down");
    else
        fprintf(out, " (%+.3g%%)", c * 100);
}

static int numeric(const struct jsonflat_leaf *l)
{
    return l->kind == JSONFLAT_NUMBER || l->kind == JSONFLAT_NULL;
}

size_t diff_summaries(const struct jsonflat *a, const struct jsonflat *b,
                      const struct diff_options *o, FILE *out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct jsonflat_leaf *la = &a->leaves[i];
        const struct jsonflat_leaf *lb = jsonflat_find(b, la->path);
        if (!numeric(la) && (!lb || !numeric(lb)))
            continue;
        if (!lb) {
            fprintf(out, "summary.json %s: %s in A, missing in B\n", la->path, la->text);
            n++;
        } else if (la->kind != lb->kind) {
            fprintf(out, "summary.json %s: %s -> %s\n", la->path, la->text, lb->text);
            n++;
        } else if (la->kind == JSONFLAT_NUMBER &&
                   !diff_within(la->num, lb->num, diff_tolerance_for(o, la->path))) {
            fprintf(out, "summary.json %s: %s -> %s", la->path, la->text, lb->text);
            print_change(out, la->num, lb->num);
            fputc('\n', out);
            n++;
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        const struct jsonflat_leaf *lb = &b->leaves[i];
        if (numeric(lb) && !jsonflat_find(a, lb->path)) {
            fprintf(out, "summary.json %s: missing in A, %s in B\n", lb->path, lb->text);
            n++;
        }
    }
    return n;
}

/* Compares one column present in both; returns its differing cells. */
static size_t diff_column(const struct csv *a, const struct csv *b, size_t ca, size_t cb,
                          size_t rows, int time_col, const struct diff_options *o, FILE *out)
{
    const char *name = a->head[ca];
    double rel = diff_tolerance_for(o, name);
    size_t n = 0;
    double worst = 0;
    for (size_t r = 0; r < rows; r++) {
        const char *sa = csv_cell(a, r, ca), *sb = csv_cell(b, r, cb);
        double va, vb;
        int num = csv_number(sa, &va) == 0 && csv_number(sb, &vb) == 0;
        if (num ? diff_within(va, vb, rel) : strcmp(sa, sb) == 0)
            continue;
        if (num && fabs(diff_change(va, vb)) > fabs(worst))
            worst = diff_change(va, vb);
        if (n++ >= o->max_cells)
            continue;
        if (time_col >= 0)
            fprintf(out, "timeseries.csv %s at time_s=%s: %s -> %s", name,
                    csv_cell(a, r, (size_t)time_col), sa, sb);
        else
            fprintf(out, "timeseries.csv %s at row %zu: %s -> %s", name, r + 1, sa, sb);
        if (num)
            print_change(out, va, vb);
        fputc('\n', out);
    }
    if (n > o->max_cells) {
        fprintf(out, "timeseries.csv %s: %zu of %zu rows differ", name, n, rows);
        if (isinf(worst))
            fputs(", some from 0\n", out);
        else
            fprintf(out, ", the largest change %+.3g%%\n", worst * 100);
    }
    return n;
}

size_t diff_timeseries(const struct csv *a, const struct csv *b, const struct diff_options *o,
                       FILE *out)
{
    size_t n = 0;
    size_t rows = a->nrows < b->nrows ? a->nrows : b->nrows;
    if (a->nrows != b->nrows) {
        fprintf(out, "timeseries.csv rows: %zu in A, %zu in B\n", a->nrows, b->nrows);
        n++;
    }
    int time_col = csv_column(a, "time_s");
    for (size_t c = 0; c < a->ncols; c++) {
        int cb = csv_column(b, a->head[c]);
        if (cb < 0) {
            fprintf(out, "timeseries.csv column %s: in A, missing in B\n", a->head[c]);
            n++;
        } else {
            n += diff_column(a, b, c, (size_t)cb, rows, time_col, o, out);
        }
    }
    for (size_t c = 0; c < b->ncols; c++) {
        if (csv_column(a, b->head[c]) < 0) {
            fprintf(out, "timeseries.csv column %s: missing in A, in B\n", b->head[c]);
            n++;
        }
    }
    return n;
}

/* Loads one folder's two files. 0, or -1 with d set. */
static int load(const char *dir, struct jsonflat *sum, struct csv *ts, struct diag *d)
{
    struct stat st;
    if (stat(dir, &st)) {
        diag_set(d, dir, 0, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        diag_set(d, dir, 0, 0, "not a results folder");
        return -1;
    }
    char *p = xasprintf("%s/summary.json", dir);
    int rc = jsonflat_load(sum, p, d);
    free(p);
    if (rc)
        return -1;
    p = xasprintf("%s/timeseries.csv", dir);
    rc = csv_load(ts, p, d);
    free(p);
    return rc;
}

long diff_folders(const char *a, const char *b, const struct diff_options *o, FILE *out,
                  struct diag *d)
{
    struct jsonflat sa = {0}, sb = {0};
    struct csv ta = {0}, tb = {0};
    long n = -1;
    if (load(a, &sa, &ta, d) == 0 && load(b, &sb, &tb, d) == 0)
        n = (long)(diff_summaries(&sa, &sb, o, out) + diff_timeseries(&ta, &tb, o, out));
    jsonflat_release(&sa);
    jsonflat_release(&sb);
    csv_release(&ta);
    csv_release(&tb);
    return n;
}
