/*
 * ksim plan headroom: the largest multiplier of the load for which every seed
 * still meets every goal. The load is, as --scale says (default: both that
 * the scenario has):
 *   arrivals  the arrival rate of every batch stream
 *             (spec.workloads.batch[].arrivals.ratePerMinute), and
 *   traffic   the requests per second offered to every HPA-driven Deployment
 *             (spec.traffic[].loadScale, which multiplies its load model
 *             without touching its random streams: sim/io/scenario/autoscale.h).
 * The multiplier doubles from 1 until the goals fail, then bisects until the
 * bracket is narrower than --precision; the answer is the bracket's passing
 * end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/plan.h"
#include "sim/io/scenario/autoscale.h"
#include "sim/io/scenario/scenario.h"

enum { SCALE_ARRIVALS = 1, SCALE_TRAFFIC = 2, SCALE_ALL = 3 };

struct args {
    double max, precision;
    int scale; /* SCALE_* bits; 0: whatever the scenario has */
};

static const char *const scale_names[] = {"arrivals", "traffic", "all", NULL};

static int parse_pos(const char *v, double *out)
{
    char *end;
    if (!v || !*v)
        return -1;
    double x = strtod(v, &end);
    if (*end || !(x > 0) || x > 1e6)
        return -1;
    *out = x;
    return 0;
}

static int extra(void *ctx, int argc, char **argv, int *i)
{
    struct args *a = ctx;
    if (cli_option_is(argv[*i], "--scale", NULL)) {
        const char *v = cli_option_value(argc, argv, i);
        for (int k = 0; v && scale_names[k]; k++) {
            if (strcmp(v, scale_names[k]) == 0) {
                a->scale = k + 1; /* arrivals 1, traffic 2, all 3 */
                return 1;
            }
        }
        return -cli_usage_error("plan headroom", "--scale needs arrivals, traffic or all, got '%s'",
                                v ? v : "");
    }
    int is_max = cli_option_is(argv[*i], "--max", NULL);
    if (!is_max && !cli_option_is(argv[*i], "--precision", NULL))
        return 0;
    const char *v = cli_option_value(argc, argv, i);
    if (parse_pos(v, is_max ? &a->max : &a->precision))
        return -cli_usage_error("plan headroom", "%s needs a positive number, got '%s'",
                                is_max ? "--max" : "--precision", v ? v : "");
    return 1;
}

static size_t ntraffic(const struct scenario *s)
{
    return s->autoscaling ? s->autoscaling->ntraffic : 0;
}

static int probe(struct plan *p, int scale, double m, struct diag *d)
{
    struct exp_sets sets = {NULL, 0, 0};
    for (size_t i = 0; (scale & SCALE_ARRIVALS) && i < p->base->nbatches; i++) {
        char *path = xasprintf("spec.workloads.batch[%zu].arrivals.ratePerMinute", i);
        char *value = xasprintf("%.10g", p->base->batches[i].p.rate_per_min * m);
        exp_sets_add(&sets, path, value);
        free(path);
        free(value);
    }
    for (size_t i = 0; (scale & SCALE_TRAFFIC) && i < ntraffic(p->base); i++) {
        char *path = xasprintf("spec.traffic[%zu].loadScale", i);
        char *value = xasprintf("%.10g", p->base->autoscaling->load_scales[i] * m);
        exp_sets_add(&sets, path, value);
        free(path);
        free(value);
    }
    char *label = xasprintf("load-x%.4g", m);
    int met = 0;
    int rc = plan_probe(p, label, m, &sets, &met, d);
    exp_sets_release(&sets);
    free(label);
    return rc ? -1 : met;
}

static int search(struct plan *p, const struct args *a, double *answer, struct diag *d)
{
    int m = probe(p, a->scale, 1, d);
    if (m <= 0) {
        if (m == 0)
            diag_set(d, NULL, 0, 0, "the goals already fail at the scenario's own load (1x)");
        return -1;
    }
    double lo = 1, hi = 2;
    for (;; hi *= 2) {
        if (hi > a->max)
            hi = a->max;
        if ((m = probe(p, a->scale, hi, d)) < 0)
            return -1;
        if (!m)
            break;
        lo = hi;
        if (hi >= a->max) {
            *answer = hi;
            return 0;
        }
    }
    while ((hi - lo) / lo > a->precision) {
        double mid = (lo + hi) / 2;
        if ((m = probe(p, a->scale, mid, d)) < 0)
            return -1;
        *(m ? &lo : &hi) = mid;
    }
    *answer = lo;
    return 0;
}

static int run(int argc, char **argv)
{
    struct args a = {1024, 0.05, 0};
    struct plan p;
    int rc = plan_begin(&p, "headroom", "multiplier", argc, argv, extra, &a);
    struct diag d;
    diag_clear(&d);
    if (rc != CLI_OK)
        goto out;
    rc = CLI_FAIL;
    int have = (p.base->nbatches ? SCALE_ARRIVALS : 0) | (ntraffic(p.base) ? SCALE_TRAFFIC : 0);
    if (!a.scale || a.scale == SCALE_ALL)
        a.scale = have;
    if (!have || (a.scale & ~have)) {
        diag_set(&d, p.scenario, 0, 0, "%s",
                 !have ? "nothing to scale: no batch arrivals (spec.workloads.batch) and no "
                         "spec.traffic"
                 : a.scale == SCALE_ARRIVALS
                     ? "--scale arrivals: no batch workloads (spec.workloads.batch)"
                     : "--scale traffic: no spec.traffic");
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    double answer;
    if (search(&p, &a, &answer, &d) || plan_finish(&p, &d)) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    static const char *const what[] = {"", "the batch arrival rates", "the traffic",
                                       "the batch arrival rates and the traffic"};
    printf("headroom: %s can grow to %.3gx and still meet the goals under all "
           "%zu seed%s (%d probes%s)\nresults: %s/\n",
           what[a.scale], answer, p.o.nseed_list, p.o.nseed_list == 1 ? "" : "s", p.nprobes,
           answer >= a.max ? "; --max reached" : "", p.outdir);
    rc = CLI_OK;
out:
    plan_end(&p);
    return rc;
}

const struct plan_subcommand plan_headroom_cmd = {
    "headroom", "how far the load can grow before the goals fail", run};
