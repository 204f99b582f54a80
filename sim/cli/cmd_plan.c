/*
 * ksim plan: dispatches to one file per subcommand (sim/cli/plan.h) and
 * holds what the searches share.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/plan.h"
#include "sim/io/experiment/metrics.h"
#include "sim/io/resultsdir.h"
#include "sim/io/experiment/runpool.h"
#include "sim/io/scenario/scenario.h"

static const struct plan_subcommand *const subcommands[] = {
    &plan_min_nodes_cmd,
    &plan_headroom_cmd,
    &plan_fit_count_cmd,
    NULL,
};

static const char usage[] =
    "usage: ksim plan <min-nodes|headroom> SCENARIO [options]\n"
    "       ksim plan fit-count [--pod NAME] [--config FILE] [--seed N] [--max N]\n"
    "                           [--format table|json] [-o DIR] [--no-plots] FILE...\n"
    "\n"
    "Capacity answers, by bisection over runs. A probe runs the scenario under\n"
    "every seed and passes when every run meets every goal: the scenario's\n"
    "spec.goals plus --goal METRIC<=N / METRIC>=N, where METRIC is a numeric\n"
    "summary.json path (pods.pending_at_end, scheduling_latency_s.max, ...).\n"
    "The search assumes more capacity (or less load) never breaks a goal.\n"
    "\n"
    "  min-nodes   the smallest count of a node pool that meets the goals\n"
    "  headroom    how far the load can be multiplied (batch arrival rates and\n"
    "              the load models of HPA-driven Deployments)\n"
    "  fit-count   how many more copies of a pod fit on a snapshot of Nodes and\n"
    "              Pods (cluster-capacity style, through the kube framework);\n"
    "              no runs: copies are scheduled one by one until one fails\n"
    "\n"
    "Each prints the answer and the search, and writes the folder DIR whole or\n"
    "not at all (a failure or Ctrl-C leaves none): min-nodes and headroom write\n"
    "DIR/plan.csv (every run) and DIR/runs/; fit-count writes\n"
    "DIR/fit-placements.csv (where each copy went), DIR/fit-nodes.csv (copies per\n"
    "node, the plugin rejecting the next copy) and DIR/fit-count.json.\n"
    "\n"
    "min-nodes options:\n"
    "  --pool NAME         the node pool whose count is searched (required)\n"
    "  --min N, --max N    search range (default 0 and, when not given, doubling\n"
    "                      from the pool's count until the goals are met; it\n"
    "                      gives up, exit 1, when the probes at n, 2n and 4n\n"
    "                      fail and no failing goal improved at either doubling)\n"
    "headroom options:\n"
    "  --max M             largest multiplier tried (default 1024)\n"
    "  --precision R       stop when the bracket is narrower than R relative\n"
    "                      (default 0.05)\n"
    "  --scale WHAT        what is multiplied: arrivals (every batch stream's\n"
    "                      ratePerMinute), traffic (every spec.traffic[].loadScale,\n"
    "                      the requests/s of HPA-driven Deployments) or all\n"
    "                      (default: all that the scenario has)\n"
    "fit-count options (no runs: copies are bound one by one until one fails):\n"
    "  --pod NAME          the pod to copy: NAME or NAMESPACE/NAME (default: the\n"
    "                      only pod without spec.nodeName)\n"
    "  --config FILE       a KubeSchedulerConfiguration (as for ksim score)\n"
    "  --seed N            seed of the tie-break stream (default 0)\n"
    "  --max N             stop after N copies (default 100000)\n"
    "  --format F          what is printed: table (default) or json\n"
    "  -o, --output DIR    default results/plan/<pod name>-fit-count\n"
    "  --no-plots          do not draw DIR/plots/plan.png (copies per node)\n"
    "min-nodes and headroom options:\n"
    "  --goal M<=N         a goal (repeatable; adds to spec.goals)\n"
    "  --seeds N           seeds per probe, from spec.seed upwards (default 3)\n"
    "  --seed-list S,...   exactly these seeds\n"
    "  -j, --jobs N        parallel runs (default: the number of processors)\n"
    "  --set PATH=VALUE    override a scenario value (repeatable)\n"
    "  -o, --output DIR    default results/plan/<scenario name>-<subcommand>\n"
    "  --no-plots          do not draw DIR/plots/plan.png (the search)\n";

int plan_begin(struct plan *p, const char *cmd, const char *knob, int argc, char **argv,
               int (*extra)(void *ctx, int argc, char **argv, int *i), void *ctx)
{
    memset(p, 0, sizeof *p);
    expopt_init(&p->o);
    p->cmd = cmd;
    p->knob = knob;
    char *where = xasprintf("plan %s", cmd);
    int rc = CLI_USAGE;
    struct diag d;
    diag_clear(&d);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = expopt_parse(&p->o, where, EXPOPT_SEEDS, argc, argv, &i);
        if (got < 0)
            goto out;
        if (got)
            continue;
        if (cli_option_is(a, "--goal", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || experiment_parse_goal(&p->goals, v, &d)) {
                cli_usage_error(where, "--goal needs METRIC<=NUMBER or METRIC>=NUMBER, got '%s'",
                                v ? v : "");
                goto out;
            }
            continue;
        }
        got = extra(ctx, argc, argv, &i);
        if (got < 0)
            goto out;
        if (got)
            continue;
        if (a[0] == '-' && a[1]) {
            cli_usage_error(where, "unknown option '%s'", a);
            goto out;
        } else if (p->scenario) {
            cli_usage_error(where, "one scenario at a time (got '%s' and '%s')", p->scenario, a);
            goto out;
        }
        p->scenario = a;
    }
    if (!p->scenario) {
        cli_usage_error(where, "missing SCENARIO");
        goto out;
    }
    rc = CLI_FAIL;
    if (!(p->base = scenario_load(p->scenario, p->o.sets.v, p->o.sets.n, -1, &d))) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    const struct experiment *e = &p->base->exp;
    for (size_t k = 0; k < e->ngoals; k++) {
        struct diag dd;
        char *g = xasprintf("%s%s%.17g", e->goals[k].metric,
                            e->goals[k].bound == EXP_MAX ? "<=" : ">=", e->goals[k].limit);
        experiment_parse_goal(&p->goals, g, &dd);
        free(g);
    }
    if (!p->goals.ngoals) {
        rc = cli_usage_error(where, "no goals: give spec.goals in the scenario or --goal M<=N");
        goto out;
    }
    expopt_seeds(&p->o, p->base->seed, 3);
    p->outdir =
        p->o.outdir ? xstrdup(p->o.outdir) : xasprintf("results/plan/%s-%s", p->base->name, cmd);
    if (resultsdir_begin(&p->rd, p->outdir, &d)) {
        fprintf(stderr, "%s\n", d.text);
        goto out;
    }
    p->interrupted = expopt_catch_interrupts();
    printf("%-12s %-6s %s", knob, "met", "seeds");
    for (size_t k = 0; k < p->goals.ngoals; k++)
        printf("  %s %s %g (worst)", p->goals.goals[k].metric,
               p->goals.goals[k].bound == EXP_MAX ? "<=" : ">=", p->goals.goals[k].limit);
    printf("\n");
    rc = CLI_OK;
out:
    free(where);
    return rc;
}

void plan_end(struct plan *p)
{
    scenario_free(p->base);
    experiment_release(&p->goals);
    expopt_release(&p->o);
    free(p->outdir);
    resultsdir_release(&p->rd);
    free(p->csv);
    free(p->worst);
}

static void csv_put(struct plan *p, const char *s)
{
    size_t n = strlen(s);
    xgrow((void **)&p->csv, &p->csv_cap, p->csv_len + n + 1, 1);
    memcpy(p->csv + p->csv_len, s, n + 1);
    p->csv_len += n;
}

int plan_probe(struct plan *p, const char *label, double value, const struct exp_sets *extra,
               int *met, struct diag *d)
{
    size_t n = p->o.nseed_list;
    struct exp_sets sets = {NULL, 0, 0};
    exp_sets_extend(&sets, &p->o.sets);
    exp_sets_extend(&sets, extra);
    struct scenario *s = scenario_load(p->scenario, sets.v, sets.n, -1, d);
    scenario_free(s);
    struct runjob *jobs = xcalloc(n, sizeof *jobs);
    char **dirs = xcalloc(n, sizeof *dirs);
    for (size_t r = 0; r < n; r++) {
        dirs[r] =
            xasprintf("%s/runs/%s/seed-%llu", p->rd.tmp, label, (unsigned long long)p->o.seeds[r]);
        jobs[r].opt.scenario = p->scenario;
        jobs[r].opt.outdir = dirs[r];
        jobs[r].opt.seed = (int64_t)p->o.seeds[r];
        jobs[r].opt.overrides = sets.v;
        jobs[r].opt.noverrides = sets.n;
    }
    int rc = !s || runpool_run(jobs, n, p->o.parallel, p->interrupted, d) ? -1 : 0;
    if (p->nprobes++ == 0) {
        csv_put(p, p->knob);
        csv_put(p, ",seed,met");
        for (size_t k = 0; k < p->goals.ngoals; k++) {
            csv_put(p, ",");
            csv_put(p, p->goals.goals[k].metric);
        }
        csv_put(p, "\n");
    }
    size_t passed = 0;
    free(p->worst);
    double *worst = p->worst = xcalloc(p->goals.ngoals + 1, sizeof *worst);
    for (size_t r = 0; r < n && !rc; r++) {
        struct metrics m;
        metrics_init(&m);
        int ok = metrics_read_summary(dirs[r], &m, d) ? -1 : experiment_goals_met(&p->goals, &m, d);
        if (ok < 0) {
            rc = -1;
        } else {
            passed += (size_t)ok;
            char *row = xasprintf("%.10g,%llu,%d", value, (unsigned long long)p->o.seeds[r], ok);
            csv_put(p, row);
            free(row);
            for (size_t k = 0; k < p->goals.ngoals; k++) {
                const struct exp_goal *g = &p->goals.goals[k];
                double v = m.values[metrics_find(&m, g->metric)];
                if (r == 0 || (g->bound == EXP_MAX ? v > worst[k] : v < worst[k]))
                    worst[k] = v;
                row = xasprintf(",%.15g", v);
                csv_put(p, row);
                free(row);
            }
            csv_put(p, "\n");
        }
        metrics_release(&m);
    }
    if (!rc) {
        *met = passed == n;
        printf("%-12s %-6s %zu/%zu", label, *met ? "yes" : "no", passed, n);
        for (size_t k = 0; k < p->goals.ngoals; k++)
            printf("  %*g", (int)strlen(p->goals.goals[k].metric) + 14, worst[k]);
        printf("\n");
        fflush(stdout);
    }
    for (size_t r = 0; r < n; r++)
        free(dirs[r]);
    free(dirs);
    free(jobs);
    exp_sets_release(&sets);
    return rc;
}

int plan_finish(struct plan *p, struct diag *d)
{
    char *path = resultsdir_path(&p->rd, "plan.csv");
    int rc = resultsdir_write_file(path, p->csv ? p->csv : "", d);
    free(path);
    if (rc == 0) {
        char *where = xasprintf("plan %s", p->cmd);
        rc = expopt_finish(&p->o, where, &p->rd, p->interrupted, d);
        free(where);
    }
    return rc;
}

static int cmd_plan(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("plan", "missing subcommand (min-nodes, headroom or fit-count)");
    for (int i = 0; subcommands[i]; i++) {
        if (strcmp(subcommands[i]->name, argv[1]) == 0) {
            return subcommands[i]->run(argc - 1, argv + 1);
        }
    }
    const char *names[8];
    size_t n = 0;
    for (; subcommands[n]; n++)
        names[n] = subcommands[n]->name;
    names[n] = NULL;
    const char *sug = diag_suggest(argv[1], names);
    if (sug)
        return cli_usage_error("plan", "unknown subcommand '%s' (did you mean '%s'?)", argv[1],
                               sug);
    return cli_usage_error("plan", "unknown subcommand '%s' (min-nodes, headroom or fit-count)",
                           argv[1]);
}

const struct cli_command cli_plan_cmd = {"plan", "capacity answers: min-nodes, headroom, fit-count",
                                         usage, cmd_plan};
