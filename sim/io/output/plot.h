#ifndef KSIM_IO_PLOT_H
#define KSIM_IO_PLOT_H
/*
 * Charts of a results folder, drawn by gnuplot (a run-time dependency, run
 * as a child process with no shell) from the scripts in scripts/plot/, which
 * are compiled in (sim/io/output/plotscripts.h). Each chart is written twice, as
 * RESULTS_DIR/plots/<chart>.png and .svg; the plots folder appears whole or
 * not at all (sim/io/resultsdir), replacing an earlier one. Nothing else in
 * the folder is touched, so summary.json, timeseries.csv and events.jsonl stay
 * byte-identical.
 *
 * What is drawn depends on the files and columns present; a chart whose
 * columns are missing is left out:
 *   timeseries.csv   deployment-<dep> (replicas; HPA desired and load when
 *                    those columns exist), pending (pending pods and
 *                    per-interval scheduling latency), allocation (requests,
 *                    and usage when cpu_usage_cores/mem_usage_gib exist), nodes
 *   comparison.csv   comparison-<metric>: a bar per policy with its 95% CI
 *   plan.csv         plan: the runs of a `ksim plan` search
 *   sweep.csv        sweep-<metric>: the metric over the first scenario-path
 *                    axis, a line per policy, mean over seeds and other axes
 *   fit-nodes.csv        plan: the copies per node of `ksim plan fit-count`
 *
 * The gnuplot program is $KSIM_GNUPLOT when set, else "gnuplot" on PATH.
 */
#include "sim/base/diag.h"

/* Returned by plot_results when gnuplot cannot be started. */
#define PLOT_NO_GNUPLOT 1

/*
 * Draws the charts of the results folder dir. Returns 0 on success;
 * PLOT_NO_GNUPLOT with d set to a one-line explanation when gnuplot is not
 * installed (callers that plot as an extra, like `ksim run`, print it as a
 * warning); -1 with d set when the folder has nothing to plot, a file in it is
 * malformed, or gnuplot fails. No plots folder is left behind on error.
 */
int plot_results(const char *dir, struct diag *d);

#endif
