#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/io/output/diff.h"

static const char usage[] =
    "usage: ksim diff A B [--tolerance METRIC=REL]... [--default-tolerance REL]\n"
    "\n"
    "Compares two results folders: every numeric summary.json value, by its dotted\n"
    "path (pods.pending_at_end, scheduling_latency_s.p95), and every timeseries.csv\n"
    "cell, by its column (cpu_alloc_ratio). Prints what moved (A -> B and the\n"
    "relative change) and exits 1 when anything differs beyond its tolerance,\n"
    "0 when nothing does. A value or column on one side only, or a different\n"
    "number of rows, is always a difference.\n"
    "\n"
    "options:\n"
    "  --tolerance METRIC=REL   accept |a - b| <= REL * max(|a|, |b|) for METRIC, a\n"
    "                           summary path or a column name; METRIC may be a glob\n"
    "                           ('scheduling_latency_s.*=0.05'); the last match\n"
    "                           applies (repeatable)\n"
    "  --default-tolerance REL  for everything else (default 0: exactly equal)\n"
    "\n"
    "exit codes: 0 equal within tolerances, 1 differences (or a bad folder),\n"
    "2 usage error\n";

/* A tolerance: a non-negative finite number. */
static int parse_rel(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (*end || !(v >= 0) || isinf(v))
        return -1;
    *out = v;
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    struct diff_options o = {NULL, 0, 0, 10};
    struct diff_tolerance *tols = NULL;
    size_t cap = 0;
    const char *dirs[2];
    int ndirs = 0, rc = CLI_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_option_is(a, "--tolerance", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            const char *eq = v ? strrchr(v, '=') : NULL;
            double rel;
            if (!eq || eq == v || parse_rel(eq + 1, &rel)) {
                cli_usage_error("diff", "--tolerance needs METRIC=REL with REL >= 0, got '%s'",
                                v ? v : "");
                goto out;
            }
            xgrow((void **)&tols, &cap, o.ntols + 1, sizeof *tols);
            tols[o.ntols].pattern = xstrndup(v, (size_t)(eq - v));
            tols[o.ntols++].rel = rel;
        } else if (cli_option_is(a, "--default-tolerance", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            if (parse_rel(v, &o.default_rel)) {
                cli_usage_error("diff", "--default-tolerance needs a number >= 0, got '%s'",
                                v ? v : "");
                goto out;
            }
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("diff", "unknown option '%s'", a);
            goto out;
        } else if (ndirs == 2) {
            cli_usage_error("diff", "two folders at a time (got a third, '%s')", a);
            goto out;
        } else {
            dirs[ndirs++] = a;
        }
    }
    if (ndirs < 2) {
        cli_usage_error("diff", "needs two results folders, A and B");
        goto out;
    }
    o.tols = tols;
    struct diag d;
    diag_clear(&d);
    long n = diff_folders(dirs[0], dirs[1], &o, stdout, &d);
    if (n < 0) {
        fprintf(stderr, "%s\n", d.text);
        rc = CLI_FAIL;
    } else if (n > 0) {
        printf("%ld difference%s beyond tolerance between %s and %s\n", n, n == 1 ? "" : "s",
               dirs[0], dirs[1]);
        rc = CLI_FAIL;
    } else {
        printf("no differences beyond tolerance between %s and %s\n", dirs[0], dirs[1]);
        rc = CLI_OK;
    }
out:
    for (size_t k = 0; k < o.ntols; k++)
        free((char *)tols[k].pattern);
    free(tols);
    return rc;
}

const struct cli_command cli_diff_cmd = {"diff", "compare two results folders within tolerances",
                                         usage, cmd_diff};
