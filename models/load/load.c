#include "models/load/load.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

const struct load_ops *const load_registry[] = {
    &load_constant_ops,      &load_step_ops,
    &load_ramp_ops,          &load_diurnal_ops,
    &load_spike_ops,         &load_poisson_noise_ops,
    &load_random_walk_ops,   &load_trace_ops,
    &load_arrival_trace_ops, NULL,
};

enum load_kind { LOAD_LEAF, LOAD_SUM, LOAD_PRODUCT };

/*
 * A leaf carries its generator's state right after the header; a sum or
 * product its parts. A borrowed sum is a view over another sum's parts (what
 * a poisson-noise part sees as its siblings): freeing it frees only the view.
 */
struct load {
    enum load_kind kind;
    int borrowed;
    const struct load_ops *ops;
    struct load **parts; /* in evaluation order: parts that took their siblings first */
    size_t nparts;
    alignas(max_align_t) unsigned char state[];
};

const struct load_ops *load_find(const char *name)
{
    for (size_t i = 0; load_registry[i]; i++)
        if (strcmp(load_registry[i]->name, name) == 0)
            return load_registry[i];
    return NULL;
}

struct load *load_new(const struct load_ops *ops, const void *params, struct load_init *ctx)
{
    struct load *l = xcalloc(1, sizeof *l + ops->state_size);
    l->kind = LOAD_LEAF;
    l->ops = ops;
    ctx->err[0] = '\0';
    ctx->err_param = NULL;
    if (ops->init(l->state, params, ctx) < 0) {
        free(l);
        return NULL;
    }
    return l;
}

struct load *load_constant_new(double rate)
{
    struct load_constant_params p = {rate};
    struct load_init ctx = {0};
    struct load *l = load_new(&load_constant_ops, &p, &ctx);
    if (!l)
        BUG("constant load refused its value");
    return l;
}

static struct load *composite(enum load_kind kind, struct load **parts, size_t n)
{
    if (n == 0)
        BUG("a sum or product needs parts");
    struct load *l = xcalloc(1, sizeof *l);
    l->kind = kind;
    l->parts = xcalloc(n, sizeof *l->parts);
    memcpy(l->parts, parts, n * sizeof *parts);
    l->nparts = n;
    return l;
}

struct load *load_sum_new(struct load **parts, size_t n, char *err, size_t errlen)
{
    struct load *sum = composite(LOAD_SUM, parts, n);
    size_t taker = n;
    for (size_t i = 0; i < n; i++) {
        struct load *p = parts[i];
        if (p->kind != LOAD_LEAF || !(p->ops->flags & LOAD_SIBLINGS))
            continue;
        struct load *view = xcalloc(1, sizeof *view);
        view->kind = LOAD_SUM;
        view->borrowed = 1;
        view->parts = xcalloc(n, sizeof *view->parts);
        for (size_t j = 0; j < n; j++)
            if (j != i)
                view->parts[view->nparts++] = parts[j];
        if (!p->ops->bind_siblings(p->state, view)) {
            load_free(view);
            continue;
        }
        if (taker != n) {
            snprintf(err, errlen,
                     "parts %zu and %zu both sample their siblings: give one of them its own "
                     "'rate'",
                     taker, i);
            load_free(sum);
            return NULL;
        }
        taker = i;
    }
    if (taker != n && taker != 0) {
        /* Evaluate the part that samples its siblings first (see load.h). */
        struct load *t = sum->parts[taker];
        memmove(sum->parts + 1, sum->parts, taker * sizeof *sum->parts);
        sum->parts[0] = t;
    }
    return sum;
}

struct load *load_product_new(struct load **parts, size_t n)
{
    return composite(LOAD_PRODUCT, parts, n);
}

double load_value(struct load *l, simtime t)
{
    switch (l->kind) {
    case LOAD_LEAF:
        return l->ops->value(l->state, t);
    case LOAD_SUM: {
        double s = 0;
        for (size_t i = 0; i < l->nparts; i++)
            s += load_value(l->parts[i], t);
        return s;
    }
    case LOAD_PRODUCT: {
        double p = 1;
        for (size_t i = 0; i < l->nparts; i++)
            p *= load_value(l->parts[i], t);
        return p;
    }
    }
    BUG("unknown load kind");
}

double load_rate(struct load *l, simtime t)
{
    double v = load_value(l, t);
    return v > 0 ? v : 0;
}

void load_free(struct load *l)
{
    if (!l)
        return;
    if (l->kind == LOAD_LEAF && l->ops->release)
        l->ops->release(l->state);
    if (!l->borrowed)
        for (size_t i = 0; i < l->nparts; i++)
            load_free(l->parts[i]);
    free(l->parts);
    free(l);
}
