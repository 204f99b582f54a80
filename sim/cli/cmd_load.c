#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load/load.h"
#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/engine/rng.h"
#include "sim/io/scenario/loadspec.h"
#include "sim/io/schema.h"

static const char usage[] =
    "usage: ksim load FILE [--from T] [--to T] [--step D] [--seed N]\n"
    "\n"
    "Evaluates the load model in FILE, a YAML file whose top level has a\n"
    "`load:` spec (as in a scenario; see scenarios/README.md, \"Load models\")\n"
    "and optionally `dataDir:` (relative to FILE's folder), and prints CSV:\n"
    "  time_s,rate        rate in requests per second\n"
    "\n"
    "options:\n"
    "  --from T    first instant (default 0s)\n"
    "  --to T      last instant, included when on the grid (default 24h)\n"
    "  --step D    spacing of the instants (default 1m)\n"
    "  --seed N    seed of the random parts (default 1)\n";

static const char *const top_keys[] = {"load", "dataDir", NULL};

static int parse_time(const char *opt, const char *v, simtime *out)
{
    char err[256];
    if (!v)
        return cli_usage_error("load", "%s needs a duration", opt);
    if (simtime_parse(v, out, err, sizeof err))
        return cli_usage_error("load", "%s: %s", opt, err);
    return 0;
}

/* Prints the CSV; 0 or CLI_FAIL (with the message printed). */
static int print_load(const char *file, simtime from, simtime to, simtime step, uint64_t seed)
{
    struct diag d;
    diag_clear(&d);
    struct ytree *t = ytree_load_file(file, &d);
    const struct ynode *doc = t && t->ndocs ? t->docs[0] : NULL;
    char *copy = xstrdup(file);
    char *dir = dirname(copy);
    char *data_dir = NULL;
    struct rng *rng = rng_new(seed);
    struct load *l = NULL;
    if (t && !doc)
        diag_set(&d, file, 0, 0, "empty file: expected a mapping with a 'load' key");
    if (doc && !schema_check_keys(doc, "the top level", top_keys, &d) &&
        schema_require(doc, "the top level", "load", &d)) {
        const struct ynode *dn = ynode_get(doc, "dataDir");
        const char *dd = NULL;
        if (!dn || !schema_string(dn, "dataDir", &dd, &d)) {
            if (dd)
                data_dir = dd[0] == '/' ? xstrdup(dd) : xasprintf("%s/%s", dir, dd);
            struct loadspec_env env = {rng, "load", dir, data_dir};
            l = loadspec_read(ynode_get(doc, "load"), "load", &env, &d);
        }
    }
    if (l) {
        printf("time_s,rate\n");
        for (simtime at = from; at <= to; at += step) {
            if (at % SIMTIME_S == 0)
                printf("%lld,%.9g\n", (long long)(at / SIMTIME_S), load_rate(l, at));
            else
                printf("%.6f,%.9g\n", simtime_seconds(at), load_rate(l, at));
        }
    } else {
        fprintf(stderr, "%s\n", d.text);
    }
    load_free(l);
    rng_free(rng);
    free(data_dir);
    free(copy);
    ytree_free(t);
    return l ? CLI_OK : CLI_FAIL;
}

static int cmd_load(int argc, char **argv)
{
    simtime from = 0, to = SIMTIME_DAY, step = SIMTIME_MIN;
    uint64_t seed = 1;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_option_is(a, "--from", NULL)) {
            if (parse_time(a, cli_option_value(argc, argv, &i), &from))
                return CLI_USAGE;
        } else if (cli_option_is(a, "--to", NULL)) {
            if (parse_time(a, cli_option_value(argc, argv, &i), &to))
                return CLI_USAGE;
        } else if (cli_option_is(a, "--step", NULL)) {
            if (parse_time(a, cli_option_value(argc, argv, &i), &step))
                return CLI_USAGE;
        } else if (cli_option_is(a, "--seed", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            char *end;
            if (!v || !*v || *v == '-' || (seed = strtoull(v, &end, 10), *end))
                return cli_usage_error("load", "--seed needs a non-negative integer, got '%s'",
                                       v ? v : "");
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("load", "unknown option '%s'", a);
        } else if (file) {
            return cli_usage_error("load", "unexpected argument '%s'", a);
        } else {
            file = a;
        }
    }
    if (!file)
        return cli_usage_error("load", "missing FILE");
    if (step <= 0)
        return cli_usage_error("load", "--step must be positive");
    if (to < from)
        return cli_usage_error("load", "--to must not be before --from");
    return print_load(file, from, to, step, seed);
}

const struct cli_command cli_load_cmd = {"load", "print a load model's rate over time as CSV",
                                         usage, cmd_load};
