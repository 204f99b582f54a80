#include <stdio.h>

#include "sim/cli/cli.h"
#include "sim/io/output/plot.h"

static const char usage[] =
    "usage: ksim plot RESULTS_DIR...\n"
    "\n"
    "Draws the charts of results folders with gnuplot into RESULTS_DIR/plots/, each\n"
    "as PNG and SVG (the scripts are those of scripts/plot/, built into ksim):\n"
    "  run folders (timeseries.csv): replicas and load per Deployment, pending pods\n"
    "    and scheduling latency, CPU/memory allocation and utilization, nodes\n"
    "  comparison folders (comparison.csv, from ksim compare): one chart per metric,\n"
    "    a bar per policy with its 95% confidence interval\n"
    "  plan folders (plan.csv, from ksim plan): the runs of the search\n"
    "  sweep folders (sweep.csv, from ksim sweep/merge): one chart per metric over\n"
    "    the first swept scenario path, a line per policy, mean over seeds\n"
    "A chart whose columns are missing is left out. gnuplot is $KSIM_GNUPLOT, or\n"
    "gnuplot on PATH. The plots folder is replaced whole; nothing else is touched.\n";

static int plot_one(const char *dir)
{
    struct diag d;
    diag_clear(&d);
    if (plot_results(dir, &d)) {
        fprintf(stderr, "%s\n", d.text);
        return CLI_FAIL;
    }
    printf("plots: %s/plots/\n", dir);
    return CLI_OK;
}

static int cmd_plot(int argc, char **argv)
{
    return cli_each_folder(argc, argv, plot_one);
}

const struct cli_command cli_plot_cmd = {"plot", "draw the charts of results folders", usage,
                                         cmd_plot};
