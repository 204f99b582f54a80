#ifndef KSIM_IO_RUN_H
#define KSIM_IO_RUN_H
/*
 * One complete run: load and validate the scenario, build the simulation,
 * run it to the scenario's duration, and write the results folder whole or
 * not at all. Bad input is reported before anything is written.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"
#include "sim/io/scenario/scenario.h"

struct run_options {
    const char *scenario; /* path */
    const char *outdir;   /* NULL: results/runs/<scenario>-<seed> */
    int64_t seed;         /* -1: the scenario's */
    const struct scn_override *overrides;
    size_t noverrides;
    int progress; /* allow a progress bar */
    int explain;  /* events.jsonl carries each kube decision's per-node breakdown (--explain) */
    volatile sig_atomic_t *interrupted; /* set asynchronously to abandon the run; may be NULL */
};

struct run_report {
    char *outdir; /* where the results went (heap) */
    double wall_seconds;
    uint64_t events;
    uint64_t pods_created, pods_scheduled, pods_pending;
};

/* 0 on success; -1 with d set on bad input or a failed run (no results folder is left). */
int run_scenario(const struct run_options *opt, struct run_report *rep, struct diag *d);
void run_report_release(struct run_report *rep);

#endif
