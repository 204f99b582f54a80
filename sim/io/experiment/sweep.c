#include "sim/io/experiment/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/schema.h"
#include "sim/io/ytree.h"

static const char *const top_keys[] = {"apiVersion", "kind", "metadata", "spec", NULL};
static const char *const metadata_keys[] = {"name", "labels", "annotations", NULL};
static const char *const spec_keys[] = {"scenario", "set", "axes", NULL};
static const char *const axis_keys[] = {"path", "values", "range", "policies", "seeds", NULL};
static const char *const range_keys[] = {"from", "to", "step", NULL};

static void add_value(struct sweep_axis *a, char *text, size_t *cap)
{
    xgrow((void **)&a->values, cap, a->nvalues + 1, sizeof *a->values);
    a->values[a->nvalues++] = text;
}

static int is_integer(double x)
{
    return x == floor(x) && fabs(x) < 9e15;
}

/* from/to/step as numbers; values from + k*step while they do not pass to. */
static int read_range(struct sweep_axis *a, const struct ynode *n, int seeds, struct diag *d)
{
    double from, to, step = 1;
    const struct ynode *v;
    if (schema_check_keys(n, "range", range_keys, d))
        return -1;
    if (!(v = schema_require(n, "range", "from", d)) ||
        schema_double(v, "from", seeds ? 0 : -1e15, 1e15, &from, d))
        return -1;
    if (!(v = schema_require(n, "range", "to", d)) || schema_double(v, "to", -1e15, 1e15, &to, d))
        return -1;
    if ((v = ynode_get(n, "step")) && schema_double(v, "step", -1e15, 1e15, &step, d))
        return -1;
    if (step == 0 || (to - from) / step < 0) {
        diag_set(d, n->file, n->line, n->col, "range: step %g never gets from %g to %g", step, from,
                 to);
        return -1;
    }
    if (seeds && (!is_integer(from) || !is_integer(step))) {
        diag_set(d, n->file, n->line, n->col, "range: seeds must be integers");
        return -1;
    }
    double count = floor((to - from) / step + 1e-9) + 1;
    if (count > SWEEP_MAX_POINTS) {
        diag_set(d, n->file, n->line, n->col, "range: %.0f values is more than %d", count,
                 SWEEP_MAX_POINTS);
        return -1;
    }
    size_t cap = 0;
    for (size_t k = 0; k < (size_t)count; k++) {
        double x = from + (double)k * step;
        add_value(
            a, is_integer(from) && is_integer(step) ? xasprintf("%.0f", x) : xasprintf("%.10g", x),
            &cap);
    }
    return 0;
}

static int read_list(struct sweep_axis *a, const struct ynode *n, const char *what, int seeds,
                     struct diag *d)
{
    if (schema_expect_seq(n, what, d))
        return -1;
    size_t cap = 0;
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *it = n->items[i];
        if (seeds) {
            int64_t seed;
            if (schema_int64(it, "seeds[]", 0, INT64_MAX, &seed, d))
                return -1;
            add_value(a, xasprintf("%lld", (long long)seed), &cap);
        } else if (a->kind == SWEEP_POLICY) {
            const char *name;
            if (schema_string(it, "policies[]", &name, d))
                return -1;
            add_value(a, xstrdup(name), &cap);
        } else {
            add_value(a, experiment_yaml_text(it), &cap);
        }
    }
    return 0;
}

static int read_axis(struct sweep_axis *a, const struct ynode *n, struct diag *d)
{
    if (schema_check_keys(n, "axes[]", axis_keys, d))
        return -1;
    const struct ynode *path = ynode_get(n, "path"), *pol = ynode_get(n, "policies"),
                       *seeds = ynode_get(n, "seeds");
    if (!!path + !!pol + !!seeds != 1) {
        diag_set(d, n->file, n->line, n->col,
                 "axes[]: give exactly one of 'path', 'policies' or 'seeds'");
        return -1;
    }
    if (pol) {
        a->kind = SWEEP_POLICY;
        a->name = xstrdup("policy");
        return read_list(a, pol, "policies", 0, d);
    }
    if (seeds) {
        a->kind = SWEEP_SEED;
        a->name = xstrdup("seed");
        return seeds->kind == YNODE_MAP ? read_range(a, seeds, 1, d)
                                        : read_list(a, seeds, "seeds", 1, d);
    }
    const char *p;
    if (schema_string(path, "path", &p, d))
        return -1;
    a->kind = SWEEP_PATH;
    a->name = xstrdup(p);
    const struct ynode *values = ynode_get(n, "values"), *range = ynode_get(n, "range");
    if (!values == !range) {
        diag_set(d, n->file, n->line, n->col,
                 "axes[]: a path axis needs exactly one of 'values' "
                 "or 'range'");
        return -1;
    }
    return values ? read_list(a, values, "values", 0, d) : read_range(a, range, 0, d);
}

static int read_spec(struct sweep *s, const struct ynode *spec, struct diag *d)
{
    const struct ynode *v;
    const char *scn;
    if (schema_check_keys(spec, "spec", spec_keys, d))
        return -1;
    if (!(v = schema_require(spec, "spec", "scenario", d)) || schema_string(v, "scenario", &scn, d))
        return -1;
    const char *slash = strrchr(s->path, '/');
    s->scenario = scn[0] == '/' || !slash
                      ? xstrdup(scn)
                      : xasprintf("%.*s/%s", (int)(slash - s->path), s->path, scn);
    if ((v = ynode_get(spec, "set"))) {
        if (schema_expect_map(v, "set", d))
            return -1;
        for (size_t i = 0; i < v->n; i++) {
            char *text = experiment_yaml_text(v->pairs[i].value);
            exp_sets_add(&s->sets, v->pairs[i].key->str, text);
            free(text);
        }
    }
    const struct ynode *axes = schema_require(spec, "spec", "axes", d);
    if (!axes || schema_expect_seq(axes, "axes", d))
        return -1;
    s->axes = xcalloc(axes->n + 1, sizeof *s->axes);
    s->npoints = 1;
    for (size_t i = 0; i < axes->n; i++) {
        struct sweep_axis *a = &s->axes[i];
        s->naxes = i + 1;
        if (read_axis(a, axes->items[i], d))
            return -1;
        const struct ynode *at = axes->items[i];
        if (a->nvalues == 0) {
            diag_set(d, at->file, at->line, at->col, "axes[]: '%s' has no values", a->name);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->axes[j].name, a->name) == 0) {
                diag_set(d, at->file, at->line, at->col, "axes[]: '%s' is swept twice", a->name);
                return -1;
            }
        }
        if (s->npoints * a->nvalues > SWEEP_MAX_POINTS) {
            diag_set(d, at->file, at->line, at->col, "axes: more than %d points", SWEEP_MAX_POINTS);
            return -1;
        }
        s->npoints *= a->nvalues;
    }
    if (!s->naxes) {
        diag_set(d, axes->file, axes->line, axes->col, "axes: expected at least one axis");
        return -1;
    }
    return 0;
}

static int read_document(struct sweep *s, const struct ynode *root, struct diag *d)
{
    const struct ynode *v;
    const char *api, *kind, *name;
    if (schema_check_keys(root, "sweep", top_keys, d))
        return -1;
    if (!(v = schema_require(root, "sweep", "apiVersion", d)) ||
        schema_string(v, "apiVersion", &api, d))
        return -1;
    if (strcmp(api, "ksim.io/v1alpha1") != 0) {
        diag_set(d, v->file, v->line, v->col, "apiVersion: expected 'ksim.io/v1alpha1', got '%s'",
                 api);
        return -1;
    }
    if (!(v = schema_require(root, "sweep", "kind", d)) || schema_string(v, "kind", &kind, d))
        return -1;
    if (strcmp(kind, "Sweep") != 0) {
        diag_set(d, v->file, v->line, v->col, "kind: expected 'Sweep', got '%s'", kind);
        return -1;
    }
    const struct ynode *md = schema_require(root, "sweep", "metadata", d);
    if (!md || schema_check_keys(md, "metadata", metadata_keys, d))
        return -1;
    if (!(v = schema_require(md, "metadata", "name", d)) ||
        schema_name(v, "metadata.name", &name, d))
        return -1;
    s->name = xstrdup(name);
    const struct ynode *spec = schema_require(root, "sweep", "spec", d);
    return spec ? read_spec(s, spec, d) : -1;
}

struct sweep *sweep_load(const char *path, struct diag *d)
{
    struct sweep *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    struct ytree *t = ytree_load_file(path, d);
    int rc = -1;
    if (!t)
        goto out;
    if (t->ndocs != 1 || !t->docs[0]) {
        diag_set(d, path, 1, 1, "expected one Sweep document");
        goto out;
    }
    if (schema_expect_map(t->docs[0], "sweep", d))
        goto out;
    rc = read_document(s, t->docs[0], d);
out:
    ytree_free(t);
    if (rc) {
        sweep_free(s);
        return NULL;
    }
    return s;
}

void sweep_free(struct sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->naxes; i++) {
        for (size_t j = 0; j < s->axes[i].nvalues; j++)
            free(s->axes[i].values[j]);
        free(s->axes[i].values);
        free(s->axes[i].name);
    }
    free(s->axes);
    exp_sets_release(&s->sets);
    free(s->scenario);
    free(s->name);
    free(s->path);
    free(s);
}

void sweep_point(const struct sweep *s, size_t p, size_t *idx)
{
    for (size_t i = s->naxes; i-- > 0;) {
        idx[i] = p % s->axes[i].nvalues;
        p /= s->axes[i].nvalues;
    }
}
