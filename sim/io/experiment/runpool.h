#ifndef KSIM_IO_RUNPOOL_H
#define KSIM_IO_RUNPOOL_H
/*
 * Many independent runs at once, for compare, sweep and plan. The runs go to
 * `parallel` forked worker processes (fork without exec: a worker already
 * holds the loaded program), each running one job after another as the
 * parent hands them out. Each run is deterministic on its own and writes its
 * own results folder whole or not at all, so the outputs do not depend on how
 * many run at once or in which order they finish.
 *
 * Callers validate their scenarios in the parent first, so a run fails only
 * on an I/O error or an interrupt; its one-line error travels back through a
 * pipe and becomes the pool's diagnostic.
 */
#include <signal.h>
#include <stddef.h>

#include "sim/base/diag.h"
#include "sim/io/scenario/run.h"

struct runjob {
    struct run_options opt; /* what to run; opt.progress is forced off */
    /* Optional: a file written (atomically) into opt.outdir once the run is
     * complete, so its presence marks a finished run (sweep's point.json). */
    const char *stamp_name, *stamp_text;
    double seconds; /* filled in: wall time from fork to exit */
    int failed;     /* filled in: 1 when the run failed or never started */
};

/*
 * Runs jobs[0..n), at most parallel (>= 1) at a time. Stops starting new runs
 * after the first failure or once *interrupted is set (may be NULL), and waits
 * for the ones running. 0 when every run succeeded, else -1 with d set to the
 * first failure's message.
 */
int runpool_run(struct runjob *jobs, size_t n, int parallel, volatile sig_atomic_t *interrupted,
                struct diag *d);

/*
 * CPU seconds (user + system) used so far by this process and by its reaped
 * children: a measure of the pool's own overhead that, unlike wall time, does
 * not depend on what else the machine is running.
 */
void runpool_cpu_seconds(double *self, double *children);

/* The default for -j: the number of online processors (at least 1). */
int runpool_default_parallel(void);

/* Parses a -j value (a positive integer up to 1024). 0, or -1 when invalid. */
int runpool_parse_parallel(const char *v, int *out);

#endif
