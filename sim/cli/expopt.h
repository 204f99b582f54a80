#ifndef KSIM_CLI_EXPOPT_H
#define KSIM_CLI_EXPOPT_H
/*
 * Options shared by the commands that make many runs (compare, sweep, plan),
 * parsed one way so they read and fail the same everywhere:
 *   --set PATH=VALUE   (repeatable)     -j, --jobs N      -o, --output DIR
 *   --seeds N | --seed-list A,B,C       --no-plots
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/io/experiment/experiment.h"

struct resultsdir;

#define EXPOPT_SEEDS 1u /* the command takes --seeds / --seed-list */

struct expopt {
    struct exp_sets sets; /* --set, in order */
    int parallel;         /* -j; default: online processors */
    const char *outdir;   /* -o; NULL when not given */
    int plots;            /* 0 after --no-plots */
    int64_t nseeds;       /* --seeds N; 0 when not given */
    uint64_t *seeds;      /* --seed-list, or filled by expopt_seeds */
    size_t nseed_list;
};

void expopt_init(struct expopt *o);
void expopt_release(struct expopt *o);

/*
 * If argv[*i] is a shared option (accept: EXPOPT_* flags), consumes it and
 * its value and returns 1; returns 0 when it is not one; on a bad value
 * prints the usage error for cmd and returns -1.
 */
int expopt_parse(struct expopt *o, const char *cmd, unsigned accept, int argc, char **argv, int *i);

/*
 * Only -o/--output DIR and --no-plots, for commands that write a results
 * folder but make no runs (plan fit-count). Same returns as expopt_parse.
 */
int expopt_parse_output(struct expopt *o, const char *cmd, int argc, char **argv, int *i);

/*
 * Settles the seeds: the --seed-list as given, else --seeds N (or
 * default_n) consecutive seeds from base (the scenario's spec.seed).
 */
void expopt_seeds(struct expopt *o, uint64_t base, int64_t default_n);

/*
 * Catches SIGINT and SIGTERM from now on and returns the flag they set, for
 * runpool_run: the runs in flight stop without leaving a folder, and no new
 * ones start.
 */
volatile sig_atomic_t *expopt_catch_interrupts(void);

/*
 * Draws the charts of dir (sim/io/output/plot.h) unless --no-plots was given. Plots
 * are an extra: a failure or a missing gnuplot is a warning on stderr,
 * "ksim <cmd>: warning: ...", and the command still succeeds.
 */
void expopt_plot(const struct expopt *o, const char *cmd, const char *dir);

/*
 * Completes a command's results folder, written whole into rd->tmp
 * (sim/io/resultsdir): draws its charts there (expopt_plot) and moves it into
 * place. When *stop (expopt_catch_interrupts' flag; may be NULL) is set by then, the folder is
 * removed instead and d says "interrupted", so Ctrl-C never leaves a folder
 * behind, even between the runs and the summary. 0, or -1 with d set.
 */
int expopt_finish(const struct expopt *o, const char *cmd, struct resultsdir *rd,
                  volatile sig_atomic_t *stop, struct diag *d);

#endif
