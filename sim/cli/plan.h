#ifndef KSIM_CLI_PLAN_H
#define KSIM_CLI_PLAN_H
/*
 * ksim plan: capacity answers by searching over runs. cmd_plan.c holds the
 * subcommand table and what every search shares (goals, seeds, the runs of
 * one probe, the table and plan.csv); each subcommand is one file,
 * plan_<name>.c.
 *
 * How to add a subcommand: write sim/cli/plan_<name>.c defining
 * `const struct plan_subcommand plan_<name>_cmd`, declare it here and list
 * it in cmd_plan.c's table. (fit-count, which reads Node/Pod manifests through
 * the kube framework's snapshot reader, slots in this way.)
 */
#include <signal.h>
#include <stddef.h>

#include "sim/cli/expopt.h"
#include "sim/io/experiment/experiment.h"
#include "sim/io/resultsdir.h"

struct scenario;

struct plan_subcommand {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
};

extern const struct plan_subcommand plan_min_nodes_cmd;
extern const struct plan_subcommand plan_headroom_cmd;
extern const struct plan_subcommand plan_fit_count_cmd;

/* One search: the scenario, its goals, and the probes made so far. */
struct plan {
    const char *cmd; /* "min-nodes", for messages */
    const char *scenario;
    const char *knob; /* the column name of the searched value */
    struct expopt o;
    struct scenario *base; /* loaded with the --set overrides */
    struct experiment goals;
    char *outdir;         /* the folder asked for */
    struct resultsdir rd; /* written in rd.tmp, renamed to outdir by plan_finish */
    char *csv;            /* plan.csv so far */
    size_t csv_len, csv_cap;
    int nprobes;
    double *worst; /* the last probe's worst value over its seeds, per goal (NULL before one) */
    volatile sig_atomic_t *interrupted;
};

/*
 * Parses the options every subcommand takes (shared ones, --goal and the
 * SCENARIO) and leaves the rest to extra(): it returns 1 when it consumed
 * argv[*i], 0 when the argument is unknown, CLI_USAGE negated on a usage
 * error it already printed. Then loads the scenario, settles seeds and goals.
 * Returns CLI_OK, or the exit code after printing the error.
 */
int plan_begin(struct plan *p, const char *cmd, const char *knob, int argc, char **argv,
               int (*extra)(void *ctx, int argc, char **argv, int *i), void *ctx);
void plan_end(struct plan *p);

/*
 * Runs the scenario with the extra overrides under every seed (in parallel)
 * into outdir/runs/<label>/seed-<n>/ (in the temporary folder), prints one table row and appends to
 * plan.csv. *met is 1 when every seed meets every goal; p->worst then holds
 * each goal's worst value over the seeds, as the row prints it. 0, or -1 with d set.
 */
int plan_probe(struct plan *p, const char *label, double value, const struct exp_sets *extra,
               int *met, struct diag *d);

/*
 * Writes plan.csv, draws the chart and moves the whole folder into place
 * (plan_end removes it when plan_finish was not reached or failed). 0, or -1
 * with d set.
 */
int plan_finish(struct plan *p, struct diag *d);

#endif
