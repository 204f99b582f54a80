#include "sim/io/output/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/base/xalloc.h"
#include "sim/io/csv.h"
#include "sim/io/output/plotscripts.h"
#include "sim/io/resultsdir.h"
#include "sim/io/textfile.h"

extern char **environ;

static const char *const formats[] = {"png", "svg"};

/* The gnuplot program that one batch of charts is fed to. */
struct batch {
    FILE *script; /* open_memstream */
    char *text;
    size_t len;
    const char *dir;    /* the results folder */
    const char *outdir; /* the temporary plots folder */
    char **outs;        /* every file the script should produce */
    size_t nouts, outs_cap;
};

/* Writes s as a gnuplot single-quoted string, in which '' stands for '. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

/* "name = 'value'" (heap), a gnuplot string assignment. */
static char *quoted_var(const char *name, const char *value)
{
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "%s = ", name);
    put_quoted(f, value);
    fclose(f);
    return text;
}

static const char *script_text(const char *name)
{
    for (const struct plotscript *p = plotscripts; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p->text;
    BUG("no such plot script");
}

/* A file name made of the chart's name, with anything unusual replaced. */
static char *chart_file(const char *chart, const char *ext)
{
    char *s = xasprintf("%s.%s", chart, ext);
    for (char *p = s; *p; p++)
        if (!(*p == '-' || *p == '_' || *p == '.' || (*p >= '0' && *p <= '9') ||
              (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            *p = '_';
    return s;
}

/*
 * Adds one chart in both formats: script name with extra variable
 * assignments (gnuplot statements, may be ""). `reset session` between charts
 * clears the variables of the one before, so each script sees only its own
 * and its defaults apply as when it is run by hand.
 */
static void add_chart(struct batch *b, const char *chart, const char *script, const char *vars)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        char *file = chart_file(chart, formats[i]);
        char *out = xasprintf("%s/%s", b->outdir, file);
        free(file);
        fputs("reset session\ndir = ", b->script);
        put_quoted(b->script, b->dir);
        fprintf(b->script, "\nterm = '%s'\nout = ", formats[i]);
        put_quoted(b->script, out);
        fprintf(b->script, "\n%s\n%s\n", vars, script_text(script));
        xgrow((void **)&b->outs, &b->outs_cap, b->nouts + 1, sizeof *b->outs);
        b->outs[b->nouts++] = out;
    }
}

static int has(const struct csv *c, const char *col)
{
    return csv_column(c, col) >= 0;
}

static int has_dep(const struct csv *c, const char *dep, const char *suffix)
{
    char *col = xasprintf("%s%s", dep, suffix);
    int r = has(c, col);
    free(col);
    return r;
}

static void add_run_charts(struct batch *b, const struct csv *ts)
{
    if (!has(ts, "time_s") || ts->nrows == 0)
        return;
    /* A Deployment is a name with all three of _desired, _replicas, _ready:
     * "web_hpa_desired" alone does not make "web_hpa" one. */
    for (size_t i = 0; i < ts->ncols; i++) {
        const char *h = ts->head[i];
        size_t n = strlen(h), sfx = strlen("_desired");
        if (n <= sfx || strcmp(h + n - sfx, "_desired") != 0)
            continue;
        char *dep = xstrndup(h, n - sfx);
        if (has_dep(ts, dep, "_replicas") && has_dep(ts, dep, "_ready")) {
            char *chart = xasprintf("deployment-%s", dep);
            char *q = quoted_var("dep", dep);
            char *vars =
                xasprintf("%s\nhpa = %d\nload = %d", q, has_dep(ts, dep, "_hpa_desired"),
                          has_dep(ts, dep, "_offered_rps") && has_dep(ts, dep, "_served_rps"));
            add_chart(b, chart, "deployment", vars);
            free(vars);
            free(q);
            free(chart);
        }
        free(dep);
    }
    if (has(ts, "pods_pending") && has(ts, "pods_starting")) {
        int latency = has(ts, "pods_bound") && has(ts, "sched_latency_mean_s") &&
                      has(ts, "sched_latency_max_s");
        add_chart(b, "pending", "pending", latency ? "latency = 1" : "latency = 0");
    }
    if (has(ts, "cpu_alloc_ratio") && has(ts, "mem_alloc_ratio")) {
        int usage = has(ts, "cpu_usage_cores") && has(ts, "mem_usage_gib") &&
                    has(ts, "cpu_allocatable_cores") && has(ts, "mem_allocatable_gib");
        add_chart(b, "allocation", "allocation", usage ? "usage = 1" : "usage = 0");
    }
    if (has(ts, "nodes"))
        add_chart(b, "nodes", "nodes", "");
}

static int add_comparison_charts(struct batch *b, const struct csv *cmp, const char *path,
                                 struct diag *d)
{
    static const char *const want[] = {"policy", "metric",   "runs",     "mean",
                                       "stddev", "ci95_low", "ci95_high"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (i >= cmp->ncols || strcmp(cmp->head[i], want[i]) != 0) {
            diag_set(d, path, 1, 1,
                     "expected the header policy,metric,runs,mean,stddev,ci95_low,ci95_high");
            return -1;
        }
    }
    /* One chart per metric, in order of first appearance. */
    for (size_t r = 0; r < cmp->nrows; r++) {
        const char *metric = csv_cell(cmp, r, 1);
        size_t k = 0;
        while (k < r && strcmp(csv_cell(cmp, k, 1), metric) != 0)
            k++;
        if (k < r)
            continue;
        char *chart = xasprintf("comparison-%s", metric);
        char *vars = quoted_var("metric", metric);
        add_chart(b, chart, "comparison", vars);
        free(vars);
        free(chart);
    }
    return 0;
}

/* The search of `ksim plan` (plan.csv: <knob>,seed,met,<goal metric>,...). */
static void add_plan_chart(struct batch *b, const struct csv *plan)
{
    if (plan->ncols < 4 || plan->nrows == 0)
        return;
    char *knob = quoted_var("knob", plan->head[0]), *metric = quoted_var("metric", plan->head[3]);
    char *vars = xasprintf("%s\n%s", knob, metric);
    add_chart(b, "plan", "plan", vars);
    free(vars);
    free(knob);
    free(metric);
}

/* The search of `ksim plan fit-count` (fit-nodes.csv: node,copies,next_copy), as the chart "plan".
 */
static void add_fit_chart(struct batch *b, const struct csv *nodes)
{
    if (nodes->nrows && has(nodes, "node") && has(nodes, "copies") && has(nodes, "next_copy"))
        add_chart(b, "plan", "fitcount", "");
}

/* Whether a sweep.csv column is an axis: a scenario path, the policy or the seed. */
static int sweep_axis(const char *col)
{
    return strcmp(col, "policy") == 0 || strcmp(col, "seed") == 0 ||
           strncmp(col, "spec.", 5) == 0 || strncmp(col, "metadata.", 9) == 0;
}

/*
 * A sweep (sweep.csv: point, the axes, then the metrics): one chart per
 * metric over the first scenario-path axis, a line per policy, each point the
 * mean over seeds and the other axes. A sweep with no path axis has no x.
 */
static void add_sweep_charts(struct batch *b, const struct csv *sw)
{
    int xcol = -1, pcol = csv_column(sw, "policy");
    for (size_t c = 0; c < sw->ncols && xcol < 0; c++)
        if (sweep_axis(sw->head[c]) && strcmp(sw->head[c], "policy") != 0 &&
            strcmp(sw->head[c], "seed") != 0)
            xcol = (int)c;
    if (xcol < 0 || sw->nrows == 0)
        return;
    /* The policies, in order of first appearance, as gnuplot words. */
    char *policies = xstrdup("");
    for (size_t r = 0; pcol >= 0 && r < sw->nrows; r++) {
        const char *p = csv_cell(sw, r, (size_t)pcol);
        size_t k = 0;
        while (k < r && strcmp(csv_cell(sw, k, (size_t)pcol), p) != 0)
            k++;
        if (k < r)
            continue;
        char *more = xasprintf("%s%s%s", policies, *policies ? " " : "", p);
        free(policies);
        policies = more;
    }
    char *qx = quoted_var("xcol", sw->head[xcol]), *qp = quoted_var("policies", policies);
    for (size_t c = 0; c < sw->ncols; c++) {
        double v;
        if (strcmp(sw->head[c], "point") == 0 || sweep_axis(sw->head[c]) ||
            csv_number(csv_cell(sw, 0, c), &v))
            continue;
        char *qm = quoted_var("metric", sw->head[c]);
        char *vars = xasprintf("%s\n%s\n%s", qx, qp, qm);
        char *chart = xasprintf("sweep-%s", sw->head[c]);
        add_chart(b, chart, "sweep", vars);
        free(chart);
        free(vars);
        free(qm);
    }
    free(qx);
    free(qp);
    free(policies);
}

/* Runs gnuplot on the script file; 0, PLOT_NO_GNUPLOT or -1 with d set. */
static int run_gnuplot(const char *script_path, const char *err_path, struct diag *d)
{
    const char *prog = getenv("KSIM_GNUPLOT");
    if (!prog || !*prog)
        prog = "gnuplot";
    /* -d: no ~/.gnuplot or system init file, so every user gets the same charts. */
    char *argv[] = {(char *)prog, "-d", (char *)script_path, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int e = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e) {
        diag_set(d, NULL, 0, 0, "cannot run %s: %s; no plots drawn (install gnuplot-nox)", prog,
                 strerror(e));
        return e == ENOENT || e == EACCES ? PLOT_NO_GNUPLOT : -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            diag_set(d, NULL, 0, 0, "waiting for %s: %s", prog, strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    /* The first line gnuplot printed that says something is the error. */
    char *err = textfile_read(err_path, NULL, NULL);
    char *line = err ? err + strspn(err, " \n") : NULL;
    if (line)
        line[strcspn(line, "\n")] = '\0';
    diag_set(d, NULL, 0, 0, "%s failed (%s %d)%s%s", prog, WIFEXITED(status) ? "exit" : "signal",
             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), line && *line ? ": " : "",
             line ? line : "");
    free(err);
    return -1;
}

/* Loads dir/name if it exists: 1 loaded, 0 absent, -1 malformed (d set). */
static int load_optional(struct csv *c, const char *dir, const char *name, char **path,
                         struct diag *d)
{
    memset(c, 0, sizeof *c);
    *path = xasprintf("%s/%s", dir, name);
    if (access(*path, F_OK) != 0)
        return 0;
    return csv_load(c, *path, d) ? -1 : 1;
}

static int draw(struct batch *b, struct resultsdir *rd, struct diag *d)
{
    fclose(b->script);
    b->script = NULL;
    char *script_path = resultsdir_path(rd, ".plots.gp");
    char *err_path = resultsdir_path(rd, ".gnuplot-stderr");
    int rc = textfile_write(script_path, b->text, b->len, d)
                 ? -1
                 : run_gnuplot(script_path, err_path, d);
    for (size_t i = 0; rc == 0 && i < b->nouts; i++) {
        struct stat st;
        if (stat(b->outs[i], &st) || st.st_size == 0) {
            diag_set(d, b->outs[i], 0, 0, "gnuplot wrote nothing");
            rc = -1;
        }
    }
    unlink(script_path);
    unlink(err_path);
    free(script_path);
    free(err_path);
    if (rc == 0)
        rc = resultsdir_commit(rd, d);
    return rc;
}

int plot_results(const char *dir, struct diag *d)
{
    struct csv ts = {0}, cmp = {0}, plan = {0}, sw = {0}, fit = {0};
    char *ts_path = NULL, *cmp_path = NULL, *plan_path = NULL, *sw_path = NULL, *fit_path = NULL;
    char *plots = xasprintf("%s/plots", dir);
    int have_ts = load_optional(&ts, dir, "timeseries.csv", &ts_path, d);
    int have_cmp = have_ts < 0 ? 0 : load_optional(&cmp, dir, "comparison.csv", &cmp_path, d);
    int have_plan = have_cmp < 0 ? 0 : load_optional(&plan, dir, "plan.csv", &plan_path, d);
    int have_sw = have_plan < 0 ? 0 : load_optional(&sw, dir, "sweep.csv", &sw_path, d);
    int have_fit = have_sw < 0 ? 0 : load_optional(&fit, dir, "fit-nodes.csv", &fit_path, d);
    struct batch b = {0};
    struct resultsdir rd = {0};
    int rc = -1;
    if (have_ts < 0 || have_cmp < 0 || have_plan < 0 || have_sw < 0 || have_fit < 0)
        goto out;
    if (!have_ts && !have_cmp && !have_plan && !have_sw && !have_fit) {
        struct stat st;
        if (stat(dir, &st))
            diag_set(d, dir, 0, 0, "cannot open: %s", strerror(errno));
        else
            diag_set(d, dir, 0, 0,
                     "nothing to plot: no timeseries.csv, comparison.csv, plan.csv, sweep.csv "
                     "or fit-nodes.csv");
        goto out;
    }
    if (resultsdir_begin(&rd, plots, d))
        goto out;
    b.dir = dir;
    b.outdir = rd.tmp;
    b.script = open_memstream(&b.text, &b.len);
    if (have_ts)
        add_run_charts(&b, &ts);
    if (have_cmp && add_comparison_charts(&b, &cmp, cmp_path, d))
        goto out;
    if (have_plan)
        add_plan_chart(&b, &plan);
    if (have_sw)
        add_sweep_charts(&b, &sw);
    if (have_fit)
        add_fit_chart(&b, &fit);
    if (b.nouts == 0) {
        diag_set(d, dir, 0, 0, "nothing to plot: the files have no rows or none of the columns");
        goto out;
    }
    rc = draw(&b, &rd, d);
out:
    if (b.script)
        fclose(b.script);
    free(b.text);
    for (size_t i = 0; i < b.nouts; i++)
        free(b.outs[i]);
    free(b.outs);
    resultsdir_release(&rd);
    csv_release(&ts);
    csv_release(&cmp);
    csv_release(&plan);
    csv_release(&sw);
    csv_release(&fit);
    free(fit_path);
    free(ts_path);
    free(cmp_path);
    free(plan_path);
    free(sw_path);
    free(plots);
    return rc;
}
