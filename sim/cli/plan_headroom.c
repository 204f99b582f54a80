/*
 * ksim plan headroom: the largest multiplier of the load for which every seed
 * still meets every goal. The load is the arrival rate of every batch stream
 * (spec.workloads.batch[].arrivals.ratePerMinute). The multiplier doubles
 * from 1 until the goals fail, then bisects until the bracket is narrower
 * than --precision; the answer is the bracket's passing end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/plan.h"
#include "sim/io/scenario.h"

struct args {
    double max, precision;
};

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
    int is_max = cli_option_is(argv[*i], "--max", NULL);
    if (!is_max && !cli_option_is(argv[*i], "--precision", NULL))
        return 0;
    const char *v = cli_option_value(argc, argv, i);
    if (parse_pos(v, is_max ? &a->max : &a->precision))
        return -cli_usage_error("plan headroom", "%s needs a positive number, got '%s'",
                                is_max ? "--max" : "--precision", v ? v : "");
    return 1;
}

static int probe(struct plan *p, double m, struct diag *d)
{
    struct exp_sets sets = {NULL, 0, 0};
    for (size_t i = 0; i < p->base->nbatches; i++) {
        char *path = xasprintf("spec.workloads.batch[%zu].arrivals.ratePerMinute", i);
        char *value = xasprintf("%.10g", p->base->batches[i].p.rate_per_min * m);
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
    int m = probe(p, 1, d);
    if (m <= 0) {
        if (m == 0)
            diag_set(d, NULL, 0, 0, "the goals already fail at the scenario's own load (1x)");
        return -1;
    }
    double lo = 1, hi = 2;
    for (;; hi *= 2) {
        if (hi > a->max)
            hi = a->max;
        if ((m = probe(p, hi, d)) < 0)
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
        if ((m = probe(p, mid, d)) < 0)
            return -1;
        *(m ? &lo : &hi) = mid;
    }
    *answer = lo;
    return 0;
}

static int run(int argc, char **argv)
{
    struct args a = {1024, 0.05};
    struct plan p;
    int rc = plan_begin(&p, "headroom", "multiplier", argc, argv, extra, &a);
    struct diag d;
    diag_clear(&d);
    if (rc != CLI_OK)
        goto out;
    rc = CLI_FAIL;
    if (p.base->nbatches == 0) {
        diag_set(&d, p.scenario, 0, 0, "no batch workloads whose arrival rate could be scaled");
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    double answer;
    if (search(&p, &a, &answer, &d) || plan_finish(&p, &d)) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    printf("headroom: the batch arrival rates can grow to %.3gx and still meet the goals under all "
           "%zu seed%s (%d probes%s)\nresults: %s/\n",
           answer, p.o.nseed_list, p.o.nseed_list == 1 ? "" : "s", p.nprobes,
           answer >= a.max ? "; --max reached" : "", p.outdir);
    rc = CLI_OK;
out:
    plan_end(&p);
    return rc;
}

const struct plan_subcommand plan_headroom_cmd = {
    "headroom", "how far the load can grow before the goals fail", run};
