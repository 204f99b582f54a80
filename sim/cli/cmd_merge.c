/* ksim merge: the points of one or more sweep folders as one table
 * (sim/io/experiment/sweepmerge.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/io/experiment/sweepmerge.h"

static const char usage[] =
    "usage: ksim merge DIR... [-o OUT]\n"
    "\n"
    "Combines the completed points of sweep folders (DIR/points/<nnnn>/, from\n"
    "`ksim sweep`, e.g. one folder per shard) into OUT/sweep.csv: one row per\n"
    "point, sorted by point number, with its coordinates and every numeric\n"
    "summary.json metric. The table is the same bytes however the points were\n"
    "split into shards.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT    folder for sweep.csv (default: the first DIR)\n";

static int cmd_merge(int argc, char **argv)
{
    const char **dirs = xcalloc((size_t)argc, sizeof *dirs);
    size_t ndirs = 0;
    const char *out = NULL;
    int rc = CLI_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_option_is(a, "--output", "-o")) {
            if (!(out = cli_option_value(argc, argv, &i))) {
                cli_usage_error("merge", "%s needs a folder", a);
                goto done;
            }
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("merge", "unknown option '%s'", a);
            goto done;
        } else {
            dirs[ndirs++] = a;
        }
    }
    if (!ndirs) {
        cli_usage_error("merge", "missing DIR");
        goto done;
    }
    char *csv = xasprintf("%s/sweep.csv", out ? out : dirs[0]);
    struct diag d;
    diag_clear(&d);
    size_t rows;
    if (sweepmerge_write(dirs, ndirs, csv, &rows, &d)) {
        fprintf(stderr, "%s\n", d.text);
        rc = CLI_FAIL;
    } else {
        printf("merged %zu points from %zu folder%s: %s\n", rows, ndirs, ndirs == 1 ? "" : "s",
               csv);
        rc = CLI_OK;
    }
    free(csv);
done:
    free(dirs);
    return rc;
}

const struct cli_command cli_merge_cmd = {
    "merge", "combine sweep folders into one table (sweep.csv)", usage, cmd_merge};
