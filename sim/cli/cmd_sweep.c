/*
 * ksim sweep: every point of a sweep file's cartesian product, each in its
 * own results folder; resumable, and shardable across machines with no ksim
 * daemon (sim/io/experiment/sweep.h has the file format and the numbering).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/expopt.h"
#include "sim/io/progress.h"
#include "sim/io/experiment/runpool.h"
#include "sim/io/scenario/scenario.h"
#include "sim/io/experiment/sweep.h"
#include "sim/io/experiment/sweepmerge.h"
#include "sim/io/textfile.h"

static const char usage[] =
    "usage: ksim sweep SWEEP.yaml [--shard I/N | --shards N] [-j JOBS] [--set PATH=VALUE]...\n"
    "                  [-o DIR] [--no-plots]\n"
    "\n"
    "Runs every point of the sweep (a base scenario and axes of values for\n"
    "paths, policies and seeds; points numbered from 0, last axis fastest)\n"
    "into DIR/points/<nnnn>/, a results folder plus point.json (its\n"
    "coordinates). Points already complete are skipped, so an interrupted sweep\n"
    "resumes where it stopped. Once every point is complete, DIR/sweep.csv holds\n"
    "one row per point (see ksim merge).\n"
    "\n"
    "options:\n"
    "  --shard I/N         run only points p with p % N == I (0 <= I < N)\n"
    "  --shards N          the shard count when the index comes from the\n"
    "                      environment: SLURM_ARRAY_TASK_ID (minus\n"
    "                      SLURM_ARRAY_TASK_MIN) or JOB_COMPLETION_INDEX (Kubernetes\n"
    "                      Indexed Job); SLURM_ARRAY_TASK_COUNT also gives N\n"
    "  -j, --jobs N        parallel runs (default: the number of processors)\n"
    "  --set PATH=VALUE    override a scenario value in every point (repeatable)\n"
    "  -o, --output DIR    default results/sweeps/<sweep name>\n"
    "  --no-plots          do not draw the sweep charts\n";

static int parse_index(const char *s, long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (*end || errno || x > SWEEP_MAX_POINTS)
        return -1;
    *out = x;
    return 0;
}

/* Settles the shard from --shard, --shards and the environment. CLI_OK or a usage error. */
static int settle_shard(const char *shard, const char *shards, long *idx, long *count)
{
    *idx = 0;
    *count = 1;
    if (shard) {
        const char *slash = strchr(shard, '/');
        char *left = slash ? xstrndup(shard, (size_t)(slash - shard)) : NULL;
        int bad = !slash || parse_index(left, idx) || parse_index(slash + 1, count) || *count < 1 ||
                  *idx >= *count;
        free(left);
        if (bad)
            return cli_usage_error("sweep", "--shard needs I/N with 0 <= I < N, got '%s'", shard);
        return CLI_OK;
    }
    const char *slurm = getenv("SLURM_ARRAY_TASK_ID"), *k8s = getenv("JOB_COMPLETION_INDEX");
    const char *env = slurm ? "SLURM_ARRAY_TASK_ID" : k8s ? "JOB_COMPLETION_INDEX" : NULL;
    const char *nenv = slurm ? getenv("SLURM_ARRAY_TASK_COUNT") : NULL;
    if (shards && (parse_index(shards, count) || *count < 1))
        return cli_usage_error("sweep", "--shards needs a positive count, got '%s'", shards);
    if (!env)
        return shards ? cli_usage_error("sweep", "--shards needs a shard index: --shard I/N, "
                                                 "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
                      : CLI_OK;
    if (!shards && (!nenv || parse_index(nenv, count) || *count < 1))
        return cli_usage_error("sweep", "%s is set: give the shard count with --shards N", env);
    long min = 0;
    const char *menv = slurm ? getenv("SLURM_ARRAY_TASK_MIN") : NULL;
    if (parse_index(slurm ? slurm : k8s, idx) || (menv && parse_index(menv, &min)) ||
        *idx - min < 0 || *idx - min >= *count)
        return cli_usage_error("sweep", "%s=%s is not a shard index below %ld", env,
                               slurm ? slurm : k8s, *count);
    *idx -= min;
    return CLI_OK;
}

struct sweeprun {
    struct expopt o;
    struct sweep *sw;
    struct scenario *base;
    char *outdir;
    struct runjob *jobs;
    struct exp_sets *sets;
    char **dirs, **stamps;
    size_t njobs;
};

static void sweeprun_release(struct sweeprun *r)
{
    for (size_t k = 0; k < r->njobs; k++) {
        exp_sets_release(&r->sets[k]);
        free(r->dirs[k]);
        free(r->stamps[k]);
    }
    free(r->sets);
    free(r->dirs);
    free(r->stamps);
    free(r->jobs);
    free(r->outdir);
    scenario_free(r->base);
    sweep_free(r->sw);
    expopt_release(&r->o);
}

static char *point_dir(const char *outdir, size_t p)
{
    return xasprintf("%s/points/%04zu", outdir, p);
}

/* 1 when point p is complete in outdir, 0 when not, -1 (d set) when it is another sweep's. */
static int point_done(const struct sweeprun *r, size_t p, const char *stamp, struct diag *d)
{
    char *dir = point_dir(r->outdir, p);
    char *path = xasprintf("%s/point.json", dir);
    struct diag absent; /* no point.json: the point is still to run */
    diag_clear(&absent);
    char *text = textfile_read(path, NULL, &absent);
    int rc = 0;
    if (text) {
        rc = strcmp(text, stamp) == 0 ? 1 : -1;
        if (rc < 0)
            diag_set(d, path, 0, 0,
                     "holds another point (was the sweep file changed? use a new -o folder)");
        free(text);
    }
    free(path);
    free(dir);
    return rc;
}

/* The overrides and seed of point p; validates them by loading the scenario. */
static int point_job(struct sweeprun *r, size_t p, struct diag *d)
{
    size_t k = r->njobs;
    struct exp_sets *sets = &r->sets[k];
    struct runjob *job = &r->jobs[k];
    job->opt.seed = -1;
    exp_sets_extend(sets, &r->sw->sets);
    exp_sets_extend(sets, &r->o.sets);
    size_t *idx = xcalloc(r->sw->naxes, sizeof *idx);
    sweep_point(r->sw, p, idx);
    int rc = 0;
    for (size_t i = 0; i < r->sw->naxes && !rc; i++) {
        const struct sweep_axis *a = &r->sw->axes[i];
        const char *v = a->values[idx[i]];
        if (a->kind == SWEEP_PATH)
            exp_sets_add(sets, a->name, v);
        else if (a->kind == SWEEP_SEED)
            job->opt.seed = strtoll(v, NULL, 10);
        else
            rc =
                experiment_policy_sets(&r->base->exp, r->base->kube.config, v, "policies", sets, d);
    }
    free(idx);
    if (rc)
        return -1;
    struct scenario *s = scenario_load(r->sw->scenario, sets->v, sets->n, job->opt.seed, d);
    if (!s)
        return -1;
    scenario_free(s);
    job->opt.scenario = r->sw->scenario;
    job->opt.outdir = r->dirs[k];
    job->opt.overrides = sets->v;
    job->opt.noverrides = sets->n;
    job->stamp_name = "point.json";
    job->stamp_text = r->stamps[k];
    r->njobs++;
    return 0;
}

/* Collects this shard's incomplete points as jobs. */
static int plan_points(struct sweeprun *r, long shard, long nshards, size_t *done, struct diag *d)
{
    size_t n = r->sw->npoints;
    r->jobs = xcalloc(n, sizeof *r->jobs);
    r->sets = xcalloc(n, sizeof *r->sets);
    r->dirs = xcalloc(n, sizeof *r->dirs);
    r->stamps = xcalloc(n, sizeof *r->stamps);
    *done = 0;
    for (size_t p = (size_t)shard; p < n; p += (size_t)nshards) {
        char *stamp = sweepmerge_point_json(r->sw, p);
        int st = point_done(r, p, stamp, d);
        if (st) {
            free(stamp);
            if (st < 0)
                return -1;
            ++*done;
            continue;
        }
        r->dirs[r->njobs] = point_dir(r->outdir, p);
        r->stamps[r->njobs] = stamp;
        if (point_job(r, p, d)) {
            /* point_job did not take the slot: release what we put in it. */
            exp_sets_release(&r->sets[r->njobs]);
            free(r->dirs[r->njobs]);
            free(r->stamps[r->njobs]);
            r->dirs[r->njobs] = r->stamps[r->njobs] = NULL;
            return -1;
        }
    }
    return 0;
}

/* Whether every point of the sweep is complete in outdir. */
static int all_done(const struct sweeprun *r)
{
    for (size_t p = 0; p < r->sw->npoints; p++) {
        char *dir = point_dir(r->outdir, p);
        char *path = xasprintf("%s/point.json", dir);
        int ok = access(path, F_OK) == 0;
        free(path);
        free(dir);
        if (!ok)
            return 0;
    }
    return 1;
}

static int cmd_sweep(int argc, char **argv)
{
    struct sweeprun r;
    memset(&r, 0, sizeof r);
    expopt_init(&r.o);
    const char *file = NULL, *shard = NULL, *shards = NULL;
    int rc = CLI_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = expopt_parse(&r.o, "sweep", 0, argc, argv, &i);
        if (got < 0)
            goto out;
        if (got)
            continue;
        if (cli_option_is(a, "--shard", NULL) || cli_option_is(a, "--shards", NULL)) {
            int many = cli_option_is(a, "--shards", NULL);
            const char *v = cli_option_value(argc, argv, &i);
            if (!v) {
                cli_usage_error("sweep", "%s needs a value", many ? "--shards" : "--shard");
                goto out;
            }
            *(many ? &shards : &shard) = v;
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("sweep", "unknown option '%s'", a);
            goto out;
        } else if (file) {
            cli_usage_error("sweep", "one sweep file at a time (got '%s' and '%s')", file, a);
            goto out;
        } else {
            file = a;
        }
    }
    if (!file) {
        cli_usage_error("sweep", "missing SWEEP.yaml");
        goto out;
    }
    long idx, count;
    if (settle_shard(shard, shards, &idx, &count) != CLI_OK)
        goto out;
    rc = CLI_FAIL;
    struct diag d;
    diag_clear(&d);
    size_t done = 0;
    if (!(r.sw = sweep_load(file, &d)))
        goto fail;
    struct exp_sets all = {NULL, 0, 0};
    exp_sets_extend(&all, &r.sw->sets);
    exp_sets_extend(&all, &r.o.sets);
    r.base = scenario_load(r.sw->scenario, all.v, all.n, -1, &d);
    exp_sets_release(&all);
    if (!r.base)
        goto fail;
    r.outdir = r.o.outdir ? xstrdup(r.o.outdir) : xasprintf("results/sweeps/%s", r.sw->name);
    if (plan_points(&r, idx, count, &done, &d))
        goto fail;
    volatile sig_atomic_t *interrupted = expopt_catch_interrupts();
    double t0 = progress_now();
    if (runpool_run(r.jobs, r.njobs, r.o.parallel, interrupted, &d))
        goto fail;
    printf("sweep %s: %zu points; shard %ld/%ld ran %zu in %.2f s (%zu already complete)\n",
           r.sw->name, r.sw->npoints, idx, count, r.njobs, progress_now() - t0, done);
    if (all_done(&r)) {
        char *csv = xasprintf("%s/sweep.csv", r.outdir);
        const char *dirs[1] = {r.outdir};
        size_t rows;
        int bad = sweepmerge_write(dirs, 1, csv, &rows, &d);
        free(csv);
        if (bad)
            goto fail;
        printf("table: %s/sweep.csv (%zu points)\n", r.outdir, rows);
        /* Draws sweep.csv's charts once sim/io/output/plot draws sweep folders (the plots branch).
         */
        expopt_plot(&r.o, "sweep", r.outdir);
    } else {
        printf("other points are still to run (other shards); then: ksim merge %s\n", r.outdir);
    }
    printf("results: %s/\n", r.outdir);
    rc = CLI_OK;
    goto out;
fail:
    fprintf(stderr, "%s\n", d.text);
out:
    sweeprun_release(&r);
    return rc;
}

const struct cli_command cli_sweep_cmd = {
    "sweep", "run every point of a sweep (resumable, shardable)", usage, cmd_sweep};
