/*
 * ksim plan min-nodes: the smallest count of one node pool for which every
 * seed meets every goal, by bisection. Invariant: `lo` fails (or is below the
 * range), `hi` meets; the answer is hi once they are adjacent. It assumes
 * more nodes never break a goal, which holds for the goals ksim reports
 * (pending pods, waiting times) under every placement policy it has; a
 * non-monotone scenario can still fool it, and the printed probes show that.
 *
 * Giving up. Without --max the search doubles until the goals hold, which a
 * pool that cannot help (nodes too small for the pods that wait, a queue held
 * up by another pool's nodes) never does. It stops, as a failure with the
 * exit code of an unmet --max, when two doublings in a row improved nothing
 * that fails: the probes at n, 2n and 4n nodes all fail and, for every goal
 * the 4n probe fails, the worst value over the seeds at 2n is no better than
 * at n and at 4n no better than at 2n. Quadrupling the pool then changed
 * nothing the goals are missing by, so the pool is not what they are waiting
 * for; a goal that is still improving keeps the search going, however
 * slowly, and a stall followed by an improvement further up (which would need
 * a metric indifferent to a 4x larger pool but not to a 16x one) is what
 * --max is for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/plan.h"
#include "sim/io/scenario/scenario.h"

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

static int improved(const struct exp_goal *g, double from, double to)
{
    return g->bound == EXP_MAX ? to < from : to > from;
}

/* The stopping rule above, on the worst values of the probes at n, 2n and 4n nodes. */
static int stalled(const struct plan *p, const double *w1, const double *w2, const double *w4)
{
    int failing = 0;
    for (size_t k = 0; k < p->goals.ngoals; k++) {
        const struct exp_goal *g = &p->goals.goals[k];
        if (g->bound == EXP_MAX ? !(w4[k] > g->limit) : !(w4[k] < g->limit))
            continue;
        failing = 1;
        if (improved(g, w1[k], w2[k]) || improved(g, w2[k], w4[k]))
            return 0;
    }
    return failing;
}

/* "scheduling_latency_s.max 3613.04, 3613.04, 3613.04; pods.pending_at_end 7, 7, 7" */
static char *stall_text(const struct plan *p, const double *w1, const double *w2, const double *w4)
{
    char *s = xstrdup("");
    for (size_t k = 0; k < p->goals.ngoals; k++) {
        const struct exp_goal *g = &p->goals.goals[k];
        if (g->bound == EXP_MAX ? !(w4[k] > g->limit) : !(w4[k] < g->limit))
            continue;
        char *t = xasprintf("%s%s%s %g, %g, %g", s, *s ? "; " : "", g->metric, w1[k], w2[k], w4[k]);
        free(s);
        s = t;
    }
    return s;
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
        /* Double from the pool's own count until the goals hold, or stop helping. */
        size_t ng = p->goals.ngoals + 1;
        double *w = xcalloc(3 * ng, sizeof *w); /* worst values at hi / 4, hi / 2, hi */
        int nfailed = 0;
        for (hi = start > lo ? start : lo + 1;; hi *= 2) {
            if ((m = probe(p, pool, hi, d)) < 0)
                break;
            if (m)
                break;
            lo = hi;
            lo_fails = 1;
            memmove(w, w + ng, 2 * ng * sizeof *w);
            memcpy(w + 2 * ng, p->worst, ng * sizeof *w);
            if (++nfailed >= 3 && stalled(p, w, w + ng, w + 2 * ng)) {
                char *why = stall_text(p, w, w + ng, w + 2 * ng);
                diag_set(d, NULL, 0, 0,
                         "the goals are not met, and more nodes in pool '%s' do not help: "
                         "no failing goal improved from %lld to %lld to %lld nodes (worst: %s)",
                         a->pool, hi / 4, hi / 2, hi, why);
                free(why);
                m = -1;
                break;
            }
            if (hi * 2 > MIN_NODES_LIMIT) {
                diag_set(d, NULL, 0, 0, "the goals are not met even with %lld nodes", hi);
                m = -1;
                break;
            }
        }
        free(w);
        if (m < 0)
            return -1;
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
