/*
 * ksim plan min-nodes: the smallest count of one node pool for which every
 * seed meets every goal, by bisection. Invariant: `lo` fails (or is below the
 * range), `hi` meets; the answer is hi once they are adjacent. It assumes
 * more nodes never break a goal, which holds for the goals ksim reports
 * (pending pods, waiting times) under every placement policy it has; a
 * non-monotone scenario can still fool it, and the printed probes show that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/plan.h"
#include "sim/io/scenario.h"

#define MIN_NODES_LIMIT 1000000 /* SCN_MAX_POOL_NODES */

struct args {
    const char *pool;
    long long min, max; /* -1: not given */
};

static int parse_count(const char *v, long long *out)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return -1;
    long long x = strtoll(v, &end, 10);
    if (*end || x > MIN_NODES_LIMIT)
        return -1;
    *out = x;
    return 0;
}

static int extra(void *ctx, int argc, char **argv, int *i)
{
    struct args *a = ctx;
    const char *arg = argv[*i];
    if (cli_option_is(arg, "--pool", NULL)) {
        if (!(a->pool = cli_option_value(argc, argv, i)))
            return -cli_usage_error("plan min-nodes", "--pool needs a node pool name");
        return 1;
    }
    int is_min = cli_option_is(arg, "--min", NULL);
    if (is_min || cli_option_is(arg, "--max", NULL)) {
        const char *v = cli_option_value(argc, argv, i);
        if (parse_count(v, is_min ? &a->min : &a->max))
            return -cli_usage_error("plan min-nodes",
                                    "%s needs a node count from 0 to %d, got '%s'",
                                    is_min ? "--min" : "--max", MIN_NODES_LIMIT, v ? v : "");
        return 1;
    }
    return 0;
}

/* One probe at count n: pass or fail. -1 on error. */
static int probe(struct plan *p, size_t pool, long long n, struct diag *d)
{
    struct exp_sets sets = {NULL, 0, 0};
    char *path = xasprintf("spec.cluster.nodePools[%zu].count", pool);
    char *value = xasprintf("%lld", n);
    char *label = xasprintf("nodes-%lld", n);
    exp_sets_add(&sets, path, value);
    int met = 0;
    int rc = plan_probe(p, label, (double)n, &sets, &met, d);
    exp_sets_release(&sets);
    free(path);
    free(value);
    free(label);
    return rc ? -1 : met;
}

static int find_pool(const struct scenario *s, const char *name, size_t *out, struct diag *d)
{
    const char **names = xcalloc(s->npools + 1, sizeof *names);
    for (size_t i = 0; i < s->npools; i++) {
        names[i] = s->pools[i].name;
        if (strcmp(names[i], name) == 0) {
            *out = i;
            free(names);
            return 0;
        }
    }
    const char *sug = diag_suggest(name, names);
    if (sug)
        diag_set(d, s->path, 0, 0, "no node pool '%s' (did you mean '%s'?)", name, sug);
    else
        diag_set(d, s->path, 0, 0, "no node pool '%s' in spec.cluster.nodePools", name);
    free(names);
    return -1;
}

static int search(struct plan *p, size_t pool, struct args *a, long long *answer, struct diag *d)
{
    long long lo = a->min, hi, start = p->base->pools[pool].count;
    int m, lo_fails = 0; /* whether lo is already known to fail */
    if (a->max >= 0) {
        hi = a->max;
        if ((m = probe(p, pool, hi, d)) <= 0) {
            if (m == 0)
                diag_set(d, NULL, 0, 0, "the goals are not met even with %lld nodes (--max)", hi);
            return -1;
        }
    } else {
        /* Double from the pool's own count until the goals hold. */
        for (hi = start > lo ? start : lo + 1;; hi *= 2) {
            if ((m = probe(p, pool, hi, d)) < 0)
                return -1;
            if (m)
                break;
            lo = hi;
            lo_fails = 1;
            if (hi * 2 > MIN_NODES_LIMIT) {
                diag_set(d, NULL, 0, 0, "the goals are not met even with %lld nodes", hi);
                return -1;
            }
        }
    }
    if (lo >= hi) {
        *answer = hi;
        return 0;
    }
    if (!lo_fails && (m = probe(p, pool, lo, d)) < 0)
        return -1;
    if (!lo_fails && m) {
        *answer = lo;
        return 0;
    }
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        if ((m = probe(p, pool, mid, d)) < 0)
            return -1;
        *(m ? &hi : &lo) = mid;
    }
    *answer = hi;
    return 0;
}

static int run(int argc, char **argv)
{
    struct args a = {NULL, 0, -1};
    struct plan p;
    int rc = plan_begin(&p, "min-nodes", "nodes", argc, argv, extra, &a);
    struct diag d;
    diag_clear(&d);
    if (rc != CLI_OK)
        goto out;
    rc = CLI_FAIL;
    size_t pool;
    long long answer;
    if (!a.pool) {
        rc = cli_usage_error("plan min-nodes", "missing --pool NAME");
        goto out;
    }
    if (a.max >= 0 && a.min > a.max) {
        rc = cli_usage_error("plan min-nodes", "--min %lld is above --max %lld", a.min, a.max);
        goto out;
    }
    if (find_pool(p.base, a.pool, &pool, &d) || search(&p, pool, &a, &answer, &d) ||
        plan_finish(&p, &d)) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    printf("min-nodes: %lld nodes in pool '%s' meet the goals under all %zu seed%s (%d probes)\n"
           "results: %s/\n",
           answer, a.pool, p.o.nseed_list, p.o.nseed_list == 1 ? "" : "s", p.nprobes, p.outdir);
    rc = CLI_OK;
out:
    plan_end(&p);
    return rc;
}

const struct plan_subcommand plan_min_nodes_cmd = {
    "min-nodes", "the smallest node pool that meets the goals", run};
