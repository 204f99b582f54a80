#ifndef KSIM_IO_REPORT_H
#define KSIM_IO_REPORT_H
/*
 * RESULTS_DIR/report.html: one self-contained page that opens in a browser
 * with no server and no network. It holds the charts of RESULTS_DIR/plots/
 * (each SVG inline as a base64 data: URI), the summary as a table (every
 * summary.json leaf by its dotted path), comparison.csv as a table when there
 * is one, the scenario that ran (scenario.yaml) and the facts of run.json.
 * Whatever is missing from the folder is said so on the page, not an error;
 * a folder with none of these files is.
 */
#include "sim/base/diag.h"

/*
 * Writes dir/report.html (through a temporary file renamed into place).
 * Draws the charts first when dir/plots/ does not exist and gnuplot is
 * there (a missing gnuplot leaves the page without charts and *warned is
 * set to 1; may be NULL). 0, or -1 with d set.
 */
int report_write(const char *dir, int *warned, struct diag *d);

/* Standard base64 (RFC 4648, with padding) of n bytes into a heap string. */
char *report_base64(const unsigned char *data, size_t n);

#endif
