#include "sim/io/experiment/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/jsonflat.h"

void metrics_init(struct metrics *m)
{
    memset(m, 0, sizeof *m);
}

void metrics_release(struct metrics *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->names[i]);
    free(m->names);
    free(m->values);
    metrics_init(m);
}

void metrics_add(struct metrics *m, const char *name, double value)
{
    size_t cap = m->cap;
    xgrow((void **)&m->names, &cap, m->n + 1, sizeof *m->names);
    xgrow((void **)&m->values, &m->cap, m->n + 1, sizeof *m->values);
    m->names[m->n] = xstrdup(name);
    m->values[m->n] = value;
    m->n++;
}

/* Top-level numbers that identify the run rather than measure it. */
static int is_identity(const char *path)
{
    return strcmp(path, "seed") == 0;
}

int metrics_read_summary(const char *dir, struct metrics *m, struct diag *d)
{
    /* One flattener for summary.json (sim/io/jsonflat), shared with ksim diff and report. */
    char *path = xasprintf("%s/summary.json", dir);
    struct jsonflat f = {NULL, 0, 0};
    int rc = jsonflat_load(&f, path, d);
    for (size_t i = 0; rc == 0 && i < f.n; i++)
        if (f.leaves[i].kind == JSONFLAT_NUMBER && !is_identity(f.leaves[i].path))
            metrics_add(m, f.leaves[i].path, f.leaves[i].num);
    jsonflat_release(&f);
    free(path);
    return rc;
}

long metrics_find(const struct metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0)
            return (long)i;
    return -1;
}

const char **metrics_names(const struct metrics *m)
{
    const char **v = xcalloc(m->n + 1, sizeof *v);
    for (size_t i = 0; i < m->n; i++)
        v[i] = m->names[i];
    return v;
}
