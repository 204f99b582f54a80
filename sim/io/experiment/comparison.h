#ifndef KSIM_IO_COMPARISON_H
#define KSIM_IO_COMPARISON_H
/*
 * The numbers of `ksim compare`: for each policy and each numeric
 * summary.json metric, the mean, standard deviation and 95% confidence
 * interval over the policy's runs (sim/io/experiment/stats.h). They depend only on the
 * runs' summary.json files, so they are the same bytes however many runs
 * went in parallel.
 *
 * comparison.csv (its format is fixed; `ksim plot` reads it):
 *   policy,metric,runs,mean,stddev,ci95_low,ci95_high
 *   first-fit,pods.created,10,756.000000,0.000000,756.000000,756.000000
 * one row per (policy, metric), policies in the order given, metrics in the
 * order they first appear in the runs' summary.json files; a metric a policy's
 * runs never report (a Deployment only one variant has) has no row for it.
 * comparison.json holds the same numbers, plus the seeds:
 *   {"scenario": ..., "seeds": [...], "policies": [{"name": ..., "runs": n,
 *    "metrics": {"pods.created": {"runs", "mean", "stddev", "ci95_low", "ci95_high"}}}]}
 */
#include <stdint.h>
#include <stdio.h>

#include "sim/base/diag.h"
#include "sim/io/experiment/stats.h"

struct comparison {
    char **policies;
    size_t npolicies;
    char **metrics; /* union of metric names, first-seen order */
    size_t nmetrics;
    struct stats *cells; /* npolicies x nmetrics; n == 0 where a policy lacks the metric */
};

/*
 * Reads rundirs[p * nruns + r] (policy p, run r) and computes every cell.
 * 0, or -1 with d set (a missing or unreadable summary.json).
 */
int comparison_build(struct comparison *c, const char *const *policies, size_t npolicies,
                     const char *const *rundirs, size_t nruns, struct diag *d);
void comparison_release(struct comparison *c);

/* The cell of policy p and metric m. */
const struct stats *comparison_cell(const struct comparison *c, size_t p, size_t m);

/* Writes dir/comparison.csv and dir/comparison.json (each atomically). 0, or -1 with d set. */
int comparison_write(const struct comparison *c, const char *dir, const char *scenario,
                     const uint64_t *seeds, size_t nseeds, struct diag *d);

/* Prints the key metrics as a table of "mean ± half-width" (95% CI). */
void comparison_print(const struct comparison *c, FILE *f);

#endif
