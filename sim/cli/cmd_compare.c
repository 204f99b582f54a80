/*
 * ksim compare: one scenario under several policies and seeds, in parallel
 * runs, summarised with confidence intervals (sim/io/experiment/comparison.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/expopt.h"
#include "sim/io/experiment/comparison.h"
#include "sim/io/progress.h"
#include "sim/io/resultsdir.h"
#include "sim/io/experiment/runpool.h"
#include "sim/io/scenario/scenario.h"

static const char usage[] =
    "usage: ksim compare SCENARIO --policies A,B,... [--seeds N | --seed-list S1,S2,...]\n"
    "                    [-j JOBS] [--set PATH=VALUE]... [-o DIR] [--no-plots]\n"
    "\n"
    "Runs the scenario once per policy and seed, in parallel processes, into\n"
    "DIR/runs/<policy>/seed-<n>/ (ordinary results folders), then writes\n"
    "DIR/comparison.csv and DIR/comparison.json: for every numeric summary.json\n"
    "metric and policy, the mean, standard deviation and 95% confidence interval\n"
    "of the mean (Student's t with n-1 degrees of freedom; with one seed the\n"
    "interval is just the mean). The same inputs give the same bytes whatever -j.\n"
    "\n"
    "A policy is a placement policy (`ksim list`; sets spec.scheduler.policy),\n"
    "a variant named in the scenario's spec.variants (a set of overrides), or the\n"
    "schedulerName of a profile of the scenario's KubeSchedulerConfiguration\n"
    "(sets spec.scheduler.policy=kube and spec.scheduler.profile).\n"
    "\n"
    "options:\n"
    "  --policies A,B,...  policies or variants, in the order reported\n"
    "  --seeds N           N seeds from spec.seed upwards (default 5)\n"
    "  --seed-list S,...   exactly these seeds\n"
    "  -j, --jobs N        parallel runs (default: the number of processors)\n"
    "  --set PATH=VALUE    override a scenario value in every run (repeatable)\n"
    "  -o, --output DIR    default results/compare/<scenario name>\n"
    "  --no-plots          do not draw the comparison charts\n";

/* Splits "a,b,c" into heap strings; empty names are a usage error. */
static int split_list(const char *v, char ***out, size_t *n)
{
    size_t cap = 0;
    *n = 0;
    for (const char *p = v;;) {
        size_t len = strcspn(p, ",");
        if (len == 0)
            return -1;
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = xstrndup(p, len);
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

struct compare {
    struct expopt o;
    const char *scenario;
    char **policies;
    size_t npolicies;
    struct exp_sets *sets; /* per policy: the user's --set, then the policy's */
    char **rundirs;        /* policy-major */
    struct runjob *jobs;
    char *outdir;         /* the folder asked for */
    struct resultsdir rd; /* everything is written in rd.tmp, then renamed to outdir */
};

static void compare_release(struct compare *c)
{
    size_t nruns = c->npolicies * c->o.nseed_list;
    for (size_t k = 0; c->rundirs && k < nruns; k++)
        free(c->rundirs[k]);
    for (size_t p = 0; p < c->npolicies; p++) {
        free(c->policies[p]);
        if (c->sets)
            exp_sets_release(&c->sets[p]);
    }
    free(c->rundirs);
    free(c->policies);
    free(c->sets);
    free(c->jobs);
    free(c->outdir);
    resultsdir_release(&c->rd);
    expopt_release(&c->o);
}

/* Loads the scenario under every policy's overrides, so bad input stops us before any run. */
static int prepare(struct compare *c, struct diag *d)
{
    struct scenario *base = scenario_load(c->scenario, c->o.sets.v, c->o.sets.n, -1, d);
    if (!base)
        return -1;
    expopt_seeds(&c->o, base->seed, 5);
    c->outdir = c->o.outdir ? xstrdup(c->o.outdir) : xasprintf("results/compare/%s", base->name);
    c->sets = xcalloc(c->npolicies, sizeof *c->sets);
    int rc = 0;
    for (size_t p = 0; p < c->npolicies && !rc; p++) {
        for (size_t q = 0; q < p; q++) {
            if (strcmp(c->policies[p], c->policies[q]) == 0) {
                diag_set(d, NULL, 0, 0, "--policies: '%s' is listed twice", c->policies[p]);
                rc = -1;
            }
        }
        exp_sets_extend(&c->sets[p], &c->o.sets);
        if (rc || experiment_policy_sets(&base->exp, base->kube.config, c->policies[p],
                                         "--policies", &c->sets[p], d)) {
            rc = -1;
            break;
        }
        struct scenario *s = scenario_load(c->scenario, c->sets[p].v, c->sets[p].n, -1, d);
        rc = s ? 0 : -1;
        scenario_free(s);
    }
    scenario_free(base);
    return rc;
}

static void make_jobs(struct compare *c)
{
    size_t nseeds = c->o.nseed_list, nruns = c->npolicies * nseeds;
    c->rundirs = xcalloc(nruns, sizeof *c->rundirs);
    c->jobs = xcalloc(nruns, sizeof *c->jobs);
    for (size_t p = 0; p < c->npolicies; p++) {
        for (size_t r = 0; r < nseeds; r++) {
            size_t k = p * nseeds + r;
            c->rundirs[k] = xasprintf("%s/runs/%s/seed-%llu", c->rd.tmp, c->policies[p],
                                      (unsigned long long)c->o.seeds[r]);
            struct run_options *opt = &c->jobs[k].opt;
            opt->scenario = c->scenario;
            opt->outdir = c->rundirs[k];
            opt->seed = (int64_t)c->o.seeds[r];
            opt->overrides = c->sets[p].v;
            opt->noverrides = c->sets[p].n;
        }
    }
}

static int cmd_compare(int argc, char **argv)
{
    struct compare c;
    memset(&c, 0, sizeof c);
    expopt_init(&c.o);
    int rc = CLI_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = expopt_parse(&c.o, "compare", EXPOPT_SEEDS, argc, argv, &i);
        if (got < 0)
            goto out;
        if (got)
            continue;
        if (cli_option_is(a, "--policies", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || c.npolicies || split_list(v, &c.policies, &c.npolicies)) {
                cli_usage_error("compare", "--policies needs one list of names, e.g. "
                                           "first-fit,best-fit");
                goto out;
            }
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("compare", "unknown option '%s'", a);
            goto out;
        } else if (c.scenario) {
            cli_usage_error("compare", "one scenario at a time (got '%s' and '%s')", c.scenario, a);
            goto out;
        } else {
            c.scenario = a;
        }
    }
    if (!c.scenario || !c.npolicies) {
        cli_usage_error("compare", c.scenario ? "missing --policies" : "missing SCENARIO");
        goto out;
    }
    rc = CLI_FAIL;
    struct diag d;
    diag_clear(&d);
    if (prepare(&c, &d) || resultsdir_begin(&c.rd, c.outdir, &d)) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    make_jobs(&c);
    size_t nruns = c.npolicies * c.o.nseed_list;
    volatile sig_atomic_t *interrupted = expopt_catch_interrupts();
    double t0 = progress_now();
    if (runpool_run(c.jobs, nruns, c.o.parallel, interrupted, &d)) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    double sum = 0;
    for (size_t k = 0; k < nruns; k++)
        sum += c.jobs[k].seconds;
    struct comparison cmp;
    if (comparison_build(&cmp, (const char *const *)c.policies, c.npolicies,
                         (const char *const *)c.rundirs, c.o.nseed_list, &d) ||
        comparison_write(&cmp, c.rd.tmp, c.scenario, c.o.seeds, c.o.nseed_list, &d)) {
        fprintf(stderr, "%s\n", d.text);
        comparison_release(&cmp);
        goto out;
    }
    /* Measured before plotting: gnuplot is a child too and would count as a run. */
    double wall = progress_now() - t0, self_cpu, runs_cpu;
    runpool_cpu_seconds(&self_cpu, &runs_cpu);
    if (expopt_finish(&c.o, "compare", &c.rd, interrupted, &d)) {
        fprintf(stderr, "%s\n", d.text);
        comparison_release(&cmp);
        goto out;
    }
    comparison_print(&cmp, stdout);
    comparison_release(&cmp);
    printf("compared %zu policies x %zu seeds: %zu runs in %.2f s wall with -j %d (the runs "
           "themselves: %.2f s wall, %.2f s CPU; compare itself: %.3f s CPU)\nresults: %s/\n",
           c.npolicies, c.o.nseed_list, nruns, wall, c.o.parallel, sum, runs_cpu, self_cpu,
           c.outdir);
    rc = CLI_OK;
out:
    compare_release(&c);
    return rc;
}

const struct cli_command cli_compare_cmd = {
    "compare", "run a scenario under several policies and seeds; confidence intervals", usage,
    cmd_compare};
