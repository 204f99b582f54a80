#include "sim/cli/expopt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/io/scenario/override.h"
#include "sim/io/output/plot.h"
#include "sim/io/resultsdir.h"
#include "sim/io/experiment/runpool.h"
#include "sim/io/scenario/scenario.h"

/* Longest seed list: far beyond any confidence interval worth computing. */
#define EXPOPT_MAX_SEEDS 100000

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

volatile sig_atomic_t *expopt_catch_interrupts(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return &interrupted;
}

void expopt_init(struct expopt *o)
{
    memset(o, 0, sizeof *o);
    o->parallel = runpool_default_parallel();
    o->plots = 1;
}

void expopt_release(struct expopt *o)
{
    exp_sets_release(&o->sets);
    free(o->seeds);
    memset(o, 0, sizeof *o);
}

static int parse_u64(const char *s, const char *end, uint64_t *out)
{
    if (s == end || *s < '0' || *s > '9')
        return -1;
    char *stop;
    errno = 0;
    unsigned long long x = strtoull(s, &stop, 10);
    if (stop != end || errno || x > (unsigned long long)INT64_MAX)
        return -1;
    *out = x;
    return 0;
}

static int parse_seed_list(struct expopt *o, const char *v)
{
    size_t cap = 0;
    o->nseed_list = 0;
    for (const char *p = v;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        uint64_t x;
        if (parse_u64(p, end, &x) || o->nseed_list >= EXPOPT_MAX_SEEDS)
            return -1;
        xgrow((void **)&o->seeds, &cap, o->nseed_list + 1, sizeof *o->seeds);
        o->seeds[o->nseed_list++] = x;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int expopt_parse_output(struct expopt *o, const char *cmd, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (cli_option_is(a, "--output", "-o")) {
        if (!(o->outdir = cli_option_value(argc, argv, i))) {
            cli_usage_error(cmd, "%s needs a folder", a);
            return -1;
        }
    } else if (strcmp(a, "--no-plots") == 0) {
        o->plots = 0;
    } else {
        return 0;
    }
    return 1;
}

int expopt_parse(struct expopt *o, const char *cmd, unsigned accept, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v;
    int got;
    if (cli_option_is(a, "--set", NULL)) {
        v = cli_option_value(argc, argv, i);
        char *path, *value;
        struct diag d;
        diag_clear(&d);
        if (!v || override_split(v, &path, &value, &d)) {
            cli_usage_error(cmd, "--set needs PATH=VALUE, got '%s'", v ? v : "");
            return -1;
        }
        exp_sets_add(&o->sets, path, value);
        free(path);
        free(value);
    } else if (cli_option_is(a, "--jobs", "-j")) {
        v = cli_option_value(argc, argv, i);
        if (runpool_parse_parallel(v, &o->parallel)) {
            cli_usage_error(cmd, "-j needs a number of parallel runs from 1 to 1024, got '%s'",
                            v ? v : "");
            return -1;
        }
    } else if ((got = expopt_parse_output(o, cmd, argc, argv, i)) != 0) {
        return got;
    } else if ((accept & EXPOPT_SEEDS) && cli_option_is(a, "--seeds", NULL)) {
        v = cli_option_value(argc, argv, i);
        uint64_t n;
        if (!v || parse_u64(v, v + strlen(v), &n) || n < 1 || n > EXPOPT_MAX_SEEDS) {
            cli_usage_error(cmd, "--seeds needs a count from 1 to %d, got '%s'", EXPOPT_MAX_SEEDS,
                            v ? v : "");
            return -1;
        }
        o->nseeds = (int64_t)n;
    } else if ((accept & EXPOPT_SEEDS) && cli_option_is(a, "--seed-list", NULL)) {
        v = cli_option_value(argc, argv, i);
        if (!v || parse_seed_list(o, v)) {
            cli_usage_error(cmd,
                            "--seed-list needs comma-separated non-negative integers, got '%s'",
                            v ? v : "");
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

void expopt_seeds(struct expopt *o, uint64_t base, int64_t default_n)
{
    if (o->nseed_list)
        return;
    int64_t n = o->nseeds ? o->nseeds : default_n;
    o->seeds = xcalloc((size_t)n, sizeof *o->seeds);
    for (int64_t k = 0; k < n; k++)
        o->seeds[k] = base + (uint64_t)k;
    o->nseed_list = (size_t)n;
}

void expopt_plot(const struct expopt *o, const char *cmd, const char *dir)
{
    struct diag d;
    diag_clear(&d);
    if (o->plots && plot_results(dir, &d))
        fprintf(stderr, "ksim %s: warning: %s\n", cmd, d.text);
}

int expopt_finish(const struct expopt *o, const char *cmd, struct resultsdir *rd,
                  volatile sig_atomic_t *stop, struct diag *d)
{
    if (!(stop && *stop))
        expopt_plot(o, cmd, rd->tmp);
    /* gnuplot shares our process group, so Ctrl-C while it draws lands here too. */
    if (stop && *stop) {
        resultsdir_abort(rd);
        diag_set(d, NULL, 0, 0, "stop");
        return -1;
    }
    return resultsdir_commit(rd, d);
}
