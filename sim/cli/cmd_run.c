#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/io/scenario/override.h"
#include "sim/io/output/plot.h"
#include "sim/io/scenario/run.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static const char usage[] =
    "usage: ksim run SCENARIO [-o DIR] [--seed N] [--set PATH=VALUE]... [--no-progress]\n"
    "                [--no-plots] [--explain]\n"
    "\n"
    "Runs a scenario and writes its results folder:\n"
    "  summary.json, timeseries.csv, events.jsonl (identical for the same scenario and seed)\n"
    "  run.json (wall-clock time, events per second, peak memory)\n"
    "\n"
    "options:\n"
    "  -o, --output DIR    results folder (default results/runs/<scenario>-<seed>)\n"
    "  --seed N            use seed N instead of spec.seed\n"
    "  --set PATH=VALUE    override a scenario value before validation, e.g.\n"
    "                      --set spec.cluster.nodePools[0].count=40 (repeatable)\n"
    "  --no-progress       never draw the progress bar (it is drawn only on a terminal\n"
    "                      and when CI is unset, for runs longer than a second)\n"
    "  --no-plots          do not draw plots/ (drawn with gnuplot when it is installed;\n"
    "                      without it, a warning; see ksim plot --help)\n"
    "  --explain           policy kube: every scheduled/unschedulable event in\n"
    "                      events.jsonl carries an \"explain\" object, the per-node\n"
    "                      Filter and Score breakdown `ksim score -o json` prints\n";

static int parse_seed(const char *v, int64_t *out)
{
    char *end;
    if (!v || !*v || *v == '-')
        return -1;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end || x > (unsigned long long)INT64_MAX)
        return -1;
    *out = (int64_t)x;
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    struct run_options opt = {0};
    opt.seed = -1;
    opt.progress = 1;
    opt.interrupted = &interrupted;
    struct scn_override *ovs = NULL;
    size_t novs = 0, cap = 0;
    int rc = CLI_USAGE, plots = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_option_is(a, "--output", "-o")) {
            if (!(opt.outdir = cli_option_value(argc, argv, &i))) {
                cli_usage_error("run", "%s needs a folder", a);
                goto out;
            }
        } else if (cli_option_is(a, "--seed", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            if (parse_seed(v, &opt.seed)) {
                cli_usage_error("run", "--seed needs a non-negative integer, got '%s'", v ? v : "");
                goto out;
            }
        } else if (cli_option_is(a, "--set", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            struct diag d;
            diag_clear(&d);
            char *path, *value;
            if (!v || override_split(v, &path, &value, &d)) {
                cli_usage_error("run", "--set needs PATH=VALUE, got '%s'", v ? v : "");
                goto out;
            }
            xgrow((void **)&ovs, &cap, novs + 1, sizeof *ovs);
            ovs[novs].path = path;
            ovs[novs].value = value;
            novs++;
        } else if (strcmp(a, "--no-progress") == 0) {
            opt.progress = 0;
        } else if (strcmp(a, "--no-plots") == 0) {
            plots = 0;
        } else if (strcmp(a, "--explain") == 0) {
            opt.explain = 1;
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("run", "unknown option '%s'", a);
            goto out;
        } else if (opt.scenario) {
            cli_usage_error("run", "one scenario at a time (got '%s' and '%s')", opt.scenario, a);
            goto out;
        } else {
            opt.scenario = a;
        }
    }
    if (!opt.scenario) {
        cli_usage_error("run", "missing SCENARIO");
        goto out;
    }
    opt.overrides = ovs;
    opt.noverrides = novs;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct diag d;
    diag_clear(&d);
    struct run_report rep;
    if (run_scenario(&opt, &rep, &d)) {
        fprintf(stderr, "%s\n", d.text);
        run_report_release(&rep);
        rc = CLI_FAIL;
        goto out;
    }
    printf("ran %s: %llu events in %.2f s; pods %llu created, %llu scheduled, %llu pending at "
           "end\nresults: %s/\n",
           opt.scenario, (unsigned long long)rep.events, rep.wall_seconds,
           (unsigned long long)rep.pods_created, (unsigned long long)rep.pods_scheduled,
           (unsigned long long)rep.pods_pending, rep.outdir);
    /* Plots are an extra: the run has succeeded whatever happens to them. */
    diag_clear(&d);
    if (plots && plot_results(rep.outdir, &d))
        fprintf(stderr, "ksim run: warning: %s\n", d.text);
    run_report_release(&rep);
    rc = CLI_OK;
out:
    for (size_t k = 0; k < novs; k++) {
        free((char *)ovs[k].path);
        free((char *)ovs[k].value);
    }
    free(ovs);
    return rc;
}

const struct cli_command cli_run_cmd = {"run", "run a scenario and write its results", usage,
                                        cmd_run};
