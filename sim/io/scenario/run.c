#include "sim/io/scenario/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "models/placement/placement.h"
#include "sim/io/scenario/autoscale.h"
#include "sim/control/scheduler.h"
#include "sim/control/simulation.h"
#include "sim/io/output/output.h"
#include "sim/io/progress.h"
#include "sim/io/resultsdir.h"
#include "sim/io/yemit.h"

/* Moves a podspec out of the scenario, leaving an empty one behind. */
static struct podspec take_spec(struct podspec *ps)
{
    struct podspec out = *ps;
    podspec_init(ps);
    return out;
}

/* Populates an empty simulation from the scenario. */
static void build(struct simulation *sim, struct scenario *s)
{
    for (size_t i = 0; i < s->npools; i++) {
        const struct scn_pool *p = &s->pools[i];
        simulation_add_pool(sim, p->name, &p->alloc, &p->labels, p->taints, p->ntaints);
    }
    /* Pools first, then manifest nodes: node ids (and so first-fit's order) follow the file. */
    for (size_t i = 0; i < s->npools; i++)
        simulation_grow_pool(sim, (int32_t)i, s->pools[i].count);
    for (size_t i = 0; i < s->nnodes; i++) {
        const struct manifest_node *n = &s->nodes[i];
        int32_t id = simulation_add_node(sim, n->name, &n->alloc, &n->labels, n->taints, n->ntaints,
                                         n->unschedulable);
        cluster_set_node_images(sim->cluster, id, n->images, n->nimages);
    }
    for (size_t i = 0; i < s->ndeployments; i++) {
        struct podspec ps = take_spec(&s->deployments[i].spec);
        simulation_add_deployment(sim, s->deployments[i].name, &ps, s->deployments[i].replicas);
    }
    for (size_t i = 0; i < s->nbatches; i++) {
        struct podspec ps = take_spec(&s->batches[i].spec);
        simulation_add_batch(sim, s->batches[i].name, &ps, &s->batches[i].p);
    }
    for (size_t i = 0; i < s->nevents; i++) {
        const struct scn_event *ev = &s->events[i];
        if (ev->at > s->duration)
            continue;
        switch (ev->kind) {
        case SCN_EV_SCALE:
            simulation_at_scale(sim, ev->at, ev->target, ev->value);
            break;
        case SCN_EV_ADD_NODES:
            simulation_at_nodes(sim, ev->at, ev->target, ev->value);
            break;
        case SCN_EV_REMOVE_NODES:
            simulation_at_nodes(sim, ev->at, ev->target, -ev->value);
            break;
        case SCN_EV_UNGATE:
            simulation_at_ungate(sim, ev->at, ev->target);
            break;
        }
    }
    simulation_sample_every(sim, s->metrics_interval);
    autoscale_attach(s->autoscaling, sim, s->duration);
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return -1;
    return ru.ru_maxrss; /* KiB on Linux */
}

static int write_run_json(const char *path, const struct run_report *rep, const char *started)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "ksim_version", KSIM_VERSION);
    cJSON_AddStringToObject(j, "started_at", started);
    cJSON_AddNumberToObject(j, "wall_seconds", rep->wall_seconds);
    cJSON_AddNumberToObject(j, "events", (double)rep->events);
    cJSON_AddNumberToObject(j, "events_per_second",
                            rep->wall_seconds > 0 ? (double)rep->events / rep->wall_seconds : 0);
    cJSON_AddNumberToObject(j, "peak_rss_kib", (double)peak_rss_kib());
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    cJSON_AddStringToObject(j, "host", host);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    FILE *f = fopen(path, "w");
    int rc = f && fputs(text, f) >= 0 && fputc('\n', f) >= 0 ? 0 : -1;
    if (f && fclose(f))
        rc = -1;
    cJSON_free(text);
    return rc;
}

/*
 * Saves the scenario as it ran: the loaded document with the --set overrides
 * applied, re-emitted, under a header that says where it came from.
 */
static int write_scenario(const char *path, const struct scenario *s, const struct run_options *opt,
                          struct diag *d)
{
    char *header = NULL;
    size_t len = 0;
    FILE *h = open_memstream(&header, &len);
    fprintf(h, "# The scenario of this run: %s", opt->scenario);
    for (size_t i = 0; i < opt->noverrides; i++)
        fprintf(h, "%s--set %s=%s",
                i ? " " : "\n# with these overrides applied below: ", opt->overrides[i].path,
                opt->overrides[i].value);
    if (opt->seed >= 0)
        fprintf(h, "\n# run with --seed %lld, applied below as spec.seed", (long long)opt->seed);
    const char *slash = strrchr(opt->scenario, '/');
    fprintf(h, "\n# include paths are relative to %.*s/\n",
            slash ? (int)(slash - opt->scenario) : 1, slash ? opt->scenario : ".");
    fclose(h);
    int rc = yemit_file(scenario_document(s), header, path, d);
    free(header);
    return rc;
}

int run_scenario(const struct run_options *opt, struct run_report *rep, struct diag *d)
{
    memset(rep, 0, sizeof *rep);
    /* --seed is applied as one more override, so the saved scenario.yaml carries it. */
    struct scn_override *ovs = xcalloc(opt->noverrides + 1, sizeof *ovs);
    if (opt->noverrides)
        memcpy(ovs, opt->overrides, opt->noverrides * sizeof *ovs);
    char seed[32];
    snprintf(seed, sizeof seed, "%lld", (long long)opt->seed);
    ovs[opt->noverrides] = (struct scn_override){"spec.seed", seed};
    struct scenario *s =
        scenario_load(opt->scenario, ovs, opt->noverrides + (opt->seed >= 0), -1, d);
    free(ovs);
    if (!s)
        return -1;
    if (opt->explain && strcmp(s->policy->name, "kube") != 0) {
        diag_set(d, opt->scenario, 0, 0,
                 "--explain shows the kube policy's decisions, but spec.scheduler.policy is '%s' "
                 "(set it to kube)",
                 s->policy->name);
        scenario_free(s);
        return -1;
    }
    rep->outdir = opt->outdir
                      ? xstrdup(opt->outdir)
                      : xasprintf("results/runs/%s-%llu", s->name, (unsigned long long)s->seed);
    char started[64];
    time_t wall = time(NULL);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&wall));

    struct resultsdir rd;
    if (resultsdir_begin(&rd, rep->outdir, d)) {
        scenario_free(s);
        return -1;
    }
    char *events_path = resultsdir_path(&rd, "events.jsonl");
    char *ts_path = resultsdir_path(&rd, "timeseries.csv");
    char *summary_path = resultsdir_path(&rd, "summary.json");
    char *run_path = resultsdir_path(&rd, "run.json");
    char *scenario_path = resultsdir_path(&rd, "scenario.yaml");
    int rc = -1;
    struct simulation *sim = NULL;
    struct output *out = output_new(events_path, ts_path, s, d);
    if (!out)
        goto done;
    struct sim_observer obs = output_observer(out);
    double t0 = progress_now();
    struct placement_env kenv = {.kube = s->kube.config,
                                 .kube_profile = s->kube.profile,
                                 .kube_tie_first = s->kube.tie_first};
    sim = simulation_new_env(s->seed, s->policy, &kenv, s->startup_delay, &obs);
    scheduler_configure(sim->sched, &s->queue);
    output_attach(out, sim);
    scheduler_set_explain(sim->sched, opt->explain);
    build(sim, s);
    simulation_start(sim);

    struct progress bar;
    progress_init(&bar, opt->progress);
    uint64_t steps = 0;
    while (engine_step(sim->engine, s->duration)) {
        if ((++steps & 4095) == 0) {
            if (opt->interrupted && *opt->interrupted) {
                progress_done(&bar);
                diag_set(d, NULL, 0, 0, "interrupted; no results written");
                goto done;
            }
            progress_update(&bar, (double)engine_now(sim->engine) / (double)s->duration);
        }
    }
    progress_done(&bar);
    rep->wall_seconds = progress_now() - t0;
    rep->events = engine_events(sim->engine);
    rep->pods_created = sim->cluster->pods_created;
    rep->pods_scheduled = sim->cluster->pods_scheduled;
    rep->pods_pending = scheduler_pending(sim->sched);
    if (output_finish(out, summary_path, d))
        goto done;
    if (write_run_json(run_path, rep, started)) {
        diag_set(d, run_path, 0, 0, "cannot write");
        goto done;
    }
    if (write_scenario(scenario_path, s, opt, d))
        goto done;
    if (resultsdir_commit(&rd, d))
        goto done;
    rc = 0;
done:
    output_free(out);
    simulation_free(sim);
    resultsdir_release(&rd);
    free(events_path);
    free(ts_path);
    free(summary_path);
    free(run_path);
    free(scenario_path);
    scenario_free(s);
    return rc;
}

void run_report_release(struct run_report *rep)
{
    free(rep->outdir);
    rep->outdir = NULL;
}
