#include <stdio.h>

#include "sim/cli/cli.h"
#include "sim/io/output/report.h"

static const char usage[] =
    "usage: ksim report RESULTS_DIR...\n"
    "\n"
    "Writes RESULTS_DIR/report.html, one self-contained page (no server, no network):\n"
    "the charts of RESULTS_DIR/plots/ (drawn first if there are none and gnuplot is\n"
    "installed), the summary as a table, comparison.csv when present, the scenario\n"
    "that ran (scenario.yaml, with its --set overrides applied) and run.json.\n";

static int report_one(const char *dir)
{
    struct diag d;
    diag_clear(&d);
    int warned = 0;
    if (report_write(dir, &warned, &d)) {
        fprintf(stderr, "%s\n", d.text);
        return CLI_FAIL;
    }
    if (warned)
        fprintf(stderr, "ksim report: warning: gnuplot is not installed; no charts\n");
    printf("report: %s/report.html\n", dir);
    return CLI_OK;
}

static int cmd_report(int argc, char **argv)
{
    return cli_each_folder(argc, argv, report_one);
}

const struct cli_command cli_report_cmd = {"report", "write a self-contained HTML report", usage,
                                           cmd_report};
