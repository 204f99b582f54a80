#include "sim/io/output/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"
#include "sim/control/scheduler.h"
#include "sim/control/simulation.h"
#include "sim/io/output/explain.h"
#include "sim/io/output/hpaout.h"
#include "sim/io/scenario/scenario.h"
#include "sim/io/output/whypending.h"

struct output {
    const struct scenario *s;
    struct simulation *sim;
    FILE *events, *ts;
    char *events_path, *ts_path;
    /* scheduling latency of every binding, seconds */
    double *latency;
    size_t nlatency, latency_cap;
    /* bindings since the last metrics sample, for the per-interval latency columns */
    uint64_t iv_bound;
    double iv_latency_sum, iv_latency_max;
    /* allocation ratios over the samples */
    double cpu_sum, cpu_peak, mem_sum, mem_peak;
    size_t nsamples;
    int64_t peak_pending;
    uint64_t unschedulable_events;
    uint64_t preemptions, preemption_victims;
    struct whypending *why; /* reasons of every failed attempt, for pending_reasons */
};

struct output *output_new(const char *events_path, const char *timeseries_path,
                          const struct scenario *s, struct diag *d)
{
    struct output *o = xcalloc(1, sizeof *o);
    o->s = s;
    o->events_path = xstrdup(events_path);
    o->ts_path = xstrdup(timeseries_path);
    o->why = whypending_new();
    o->events = fopen(events_path, "w");
    o->ts = o->events ? fopen(timeseries_path, "w") : NULL;
    if (!o->events || !o->ts) {
        diag_set(d, o->events ? timeseries_path : events_path, 0, 0, "cannot write: %s",
                 strerror(errno));
        output_free(o);
        return NULL;
    }
    return o;
}

static void write_header(struct output *o)
{
    fputs("time_s,nodes,pods_pending,pods_starting,pods_running,pods_succeeded_total,"
          "cpu_alloc_ratio,mem_alloc_ratio,cpu_requested_cores,mem_requested_gib,"
          "cpu_allocatable_cores,mem_allocatable_gib,pods_bound,sched_latency_mean_s,"
          "sched_latency_max_s",
          o->ts);
    for (size_t i = 0; i < o->s->ndeployments; i++) {
        const char *n = o->s->deployments[i].name;
        fprintf(o->ts, ",%s_desired,%s_replicas,%s_ready", n, n, n);
    }
    if (o->s->autoscaling)
        hpaout_header(o->ts, o->s);
    fputc('\n', o->ts);
}

void output_attach(struct output *o, struct simulation *sim)
{
    o->sim = sim;
    write_header(o);
}

static void add_time(cJSON *obj, simtime t)
{
    cJSON_AddNumberToObject(obj, "time_s", simtime_seconds(t));
}

static void add_pod(cJSON *obj, const struct cluster *c, int32_t pod)
{
    char name[320];
    cluster_pod_name(c, pod, name, sizeof name);
    cJSON_AddStringToObject(obj, "pod", name);
}

/* --explain: the decision's breakdown, in ksim score's JSON shape. */
static void add_explain(cJSON *obj, const struct cluster *c, const struct simevent *ev)
{
    if (!ev->explain)
        return;
    char name[320];
    cluster_pod_name(c, ev->pod, name, sizeof name);
    cJSON_AddItemToObject(obj, "explain", explain_json(ev->explain, c, name));
}

static void on_event(void *ctx, const struct simevent *ev)
{
    struct output *o = ctx;
    const struct cluster *c = o->sim->cluster;
    if (ev->type == SIMEV_UNSCHEDULABLE) {
        whypending_attempt(o->why, ev->pod, c->pods[ev->pod].gen, ev->message);
        if (ev->attempt > 1)
            return; /* retries are counted in the summary, not logged */
    }
    cJSON *j = cJSON_CreateObject();
    add_time(j, ev->time);
    switch (ev->type) {
    case SIMEV_SCHEDULED:
        cJSON_AddStringToObject(j, "type", "scheduled");
        add_pod(j, c, ev->pod);
        cJSON_AddStringToObject(j, "node", c->nodes[ev->node].name);
        cJSON_AddNumberToObject(j, "latency_s", simtime_seconds(ev->latency));
        add_explain(j, c, ev);
        xgrow((void **)&o->latency, &o->latency_cap, o->nlatency + 1, sizeof *o->latency);
        o->latency[o->nlatency++] = simtime_seconds(ev->latency);
        o->iv_bound++;
        o->iv_latency_sum += simtime_seconds(ev->latency);
        if (simtime_seconds(ev->latency) > o->iv_latency_max)
            o->iv_latency_max = simtime_seconds(ev->latency);
        break;
    case SIMEV_UNSCHEDULABLE:
        cJSON_AddStringToObject(j, "type", "unschedulable");
        add_pod(j, c, ev->pod);
        cJSON_AddStringToObject(j, "message", ev->message);
        add_explain(j, c, ev);
        o->unschedulable_events++;
        break;
    case SIMEV_SCALE:
        cJSON_AddStringToObject(j, "type", "scale");
        cJSON_AddStringToObject(j, "deployment", c->owners[ev->owner].name);
        cJSON_AddNumberToObject(j, "from", (double)ev->from);
        cJSON_AddNumberToObject(j, "to", (double)ev->to);
        break;
    case SIMEV_NODE_ADDED:
    case SIMEV_NODE_REMOVED: {
        const struct node *n = &c->nodes[ev->node];
        int added = ev->type == SIMEV_NODE_ADDED;
        cJSON_AddStringToObject(j, "type", added ? "node_added" : "node_removed");
        cJSON_AddStringToObject(j, "node", n->name);
        if (n->pool >= 0)
            cJSON_AddStringToObject(j, "pool", c->pool_names[n->pool]);
        if (!added)
            cJSON_AddNumberToObject(j, "evicted", (double)ev->value);
        break;
    }
    case SIMEV_POD_EVICTED:
        cJSON_AddStringToObject(j, "type", "pod_evicted");
        add_pod(j, c, ev->pod);
        cJSON_AddStringToObject(j, "node", c->nodes[ev->node].name);
        break;
    case SIMEV_HPA_SYNC:
        hpaout_event(j, o->sim, ev);
        break;
    case SIMEV_PREEMPTED: {
        cJSON_AddStringToObject(j, "type", "preempted");
        add_pod(j, c, ev->pod);
        cJSON_AddStringToObject(j, "node", c->nodes[ev->node].name);
        cJSON_AddNumberToObject(j, "priority", c->owners[ev->owner].spec.priority);
        cJSON *vs = cJSON_AddArrayToObject(j, "victims");
        for (size_t i = 0; i < ev->nvictims; i++) {
            cJSON *v = cJSON_CreateObject();
            add_pod(v, c, ev->victims[i]);
            cJSON_AddNumberToObject(v, "priority",
                                    c->owners[c->pods[ev->victims[i]].owner].spec.priority);
            cJSON_AddItemToArray(vs, v);
        }
        o->preemptions++;
        o->preemption_victims += ev->nvictims;
        break;
    }
    }
    char *line = cJSON_PrintUnformatted(j);
    fputs(line, o->events);
    fputc('\n', o->events);
    cJSON_free(line);
    cJSON_Delete(j);
}

static double ratio(int64_t used, int64_t total)
{
    return total > 0 ? (double)used / (double)total : 0.0;
}

static void on_sample(void *ctx, simtime now)
{
    struct output *o = ctx;
    const struct cluster *c = o->sim->cluster;
    int64_t live = 0, running = 0;
    for (size_t i = 0; i < c->nowners; i++) {
        live += c->owners[i].live;
        running += c->owners[i].running;
    }
    int64_t pending = (int64_t)scheduler_pending(o->sim->sched);
    double cpu = ratio(c->used_total.v[RES_CPU], c->alloc_total.v[RES_CPU]);
    double mem = ratio(c->used_total.v[RES_MEMORY], c->alloc_total.v[RES_MEMORY]);
    const double gib = 1024.0 * 1024.0 * 1024.0;
    fprintf(o->ts, "%.6f,%zu,%lld,%lld,%lld,%llu,%.6f,%.6f,%.3f,%.6f,%.3f,%.6f",
            simtime_seconds(now), c->nalive, (long long)pending,
            (long long)(live - running - pending), (long long)running,
            (unsigned long long)c->pods_completed, cpu, mem,
            (double)c->used_total.v[RES_CPU] / 1000.0, (double)c->used_total.v[RES_MEMORY] / gib,
            (double)c->alloc_total.v[RES_CPU] / 1000.0, (double)c->alloc_total.v[RES_MEMORY] / gib);
    /* Latency of the pods bound since the previous sample: 0 when none was bound. */
    fprintf(o->ts, ",%llu,%.6f,%.6f", (unsigned long long)o->iv_bound,
            o->iv_bound ? o->iv_latency_sum / (double)o->iv_bound : 0.0, o->iv_latency_max);
    o->iv_bound = 0;
    o->iv_latency_sum = o->iv_latency_max = 0;
    for (size_t i = 0; i < c->nowners; i++) {
        const struct owner *ow = &c->owners[i];
        if (ow->kind == OWNER_DEPLOYMENT)
            fprintf(o->ts, ",%d,%d,%d", ow->desired, ow->live, ow->running);
    }
    if (o->s->autoscaling)
        hpaout_row(o->ts, o->s, o->sim);
    fputc('\n', o->ts);
    o->cpu_sum += cpu;
    o->mem_sum += mem;
    if (cpu > o->cpu_peak)
        o->cpu_peak = cpu;
    if (mem > o->mem_peak)
        o->mem_peak = mem;
    if (pending > o->peak_pending)
        o->peak_pending = pending;
    o->nsamples++;
}

struct sim_observer output_observer(struct output *o)
{
    struct sim_observer obs = {on_event, on_sample, o};
    return obs;
}

/* Rounds for the summary so that figures read cleanly and compare exactly. */
static double round6(double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.6f", x);
    return strtod(buf, NULL);
}

static cJSON *latency_json(struct output *o)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "samples", (double)o->nlatency);
    if (o->nlatency == 0) {
        cJSON_AddNullToObject(j, "p50");
        cJSON_AddNullToObject(j, "p95");
        cJSON_AddNullToObject(j, "p99");
        cJSON_AddNullToObject(j, "mean");
        cJSON_AddNullToObject(j, "max");
        return j;
    }
    gsl_sort(o->latency, 1, o->nlatency);
    cJSON_AddNumberToObject(
        j, "p50", round6(gsl_stats_quantile_from_sorted_data(o->latency, 1, o->nlatency, 0.50)));
    cJSON_AddNumberToObject(
        j, "p95", round6(gsl_stats_quantile_from_sorted_data(o->latency, 1, o->nlatency, 0.95)));
    cJSON_AddNumberToObject(
        j, "p99", round6(gsl_stats_quantile_from_sorted_data(o->latency, 1, o->nlatency, 0.99)));
    cJSON_AddNumberToObject(j, "mean", round6(gsl_stats_mean(o->latency, 1, o->nlatency)));
    cJSON_AddNumberToObject(j, "max", round6(o->latency[o->nlatency - 1]));
    return j;
}

static cJSON *ratio_json(double sum, double peak, size_t n)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "mean", n ? round6(sum / (double)n) : 0);
    cJSON_AddNumberToObject(j, "peak", round6(peak));
    return j;
}

int output_finish(struct output *o, const char *summary_path, struct diag *d)
{
    const struct cluster *c = o->sim->cluster;
    const struct scenario *s = o->s;
    int64_t live = 0, running = 0;
    for (size_t i = 0; i < c->nowners; i++) {
        live += c->owners[i].live;
        running += c->owners[i].running;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "scenario", s->name);
    cJSON_AddNumberToObject(j, "seed", (double)s->seed);
    cJSON_AddStringToObject(j, "ksim_version", KSIM_VERSION);
    cJSON_AddStringToObject(j, "kubernetes_version", KSIM_KUBERNETES_VERSION);
    cJSON_AddStringToObject(j, "policy", s->policy->name);
    cJSON_AddNumberToObject(j, "simulated_seconds", simtime_seconds(s->duration));
    cJSON_AddNumberToObject(j, "events", (double)engine_events(o->sim->engine));
    cJSON *pods = cJSON_AddObjectToObject(j, "pods");
    int64_t pending = (int64_t)scheduler_pending(o->sim->sched);
    cJSON_AddNumberToObject(pods, "created", (double)c->pods_created);
    cJSON_AddNumberToObject(pods, "scheduled", (double)c->pods_scheduled);
    cJSON_AddNumberToObject(pods, "completed", (double)c->pods_completed);
    cJSON_AddNumberToObject(pods, "deleted", (double)c->pods_deleted);
    cJSON_AddNumberToObject(pods, "pending_at_end", (double)pending);
    cJSON_AddNumberToObject(pods, "starting_at_end", (double)(live - running - pending));
    cJSON_AddNumberToObject(pods, "running_at_end", (double)running);
    cJSON_AddNumberToObject(pods, "peak_pending", (double)o->peak_pending);
    cJSON_AddNumberToObject(pods, "failed_scheduling_attempts",
                            (double)scheduler_failed_attempts(o->sim->sched));
    cJSON_AddNumberToObject(pods, "preemptions", (double)o->preemptions);
    cJSON_AddNumberToObject(pods, "preemption_victims", (double)o->preemption_victims);
    cJSON_AddItemToObject(j, "pending_reasons", whypending_json(o->why, c));
    cJSON_AddItemToObject(j, "scheduling_latency_s", latency_json(o));
    cJSON_AddItemToObject(j, "cpu_alloc_ratio", ratio_json(o->cpu_sum, o->cpu_peak, o->nsamples));
    cJSON_AddItemToObject(j, "mem_alloc_ratio", ratio_json(o->mem_sum, o->mem_peak, o->nsamples));
    cJSON *nodes = cJSON_AddObjectToObject(j, "nodes");
    cJSON_AddNumberToObject(nodes, "at_end", (double)c->nalive);
    cJSON *deps = cJSON_AddObjectToObject(j, "deployments");
    for (size_t i = 0; i < c->nowners; i++) {
        const struct owner *ow = &c->owners[i];
        if (ow->kind != OWNER_DEPLOYMENT)
            continue;
        cJSON *dj = cJSON_AddObjectToObject(deps, ow->name);
        cJSON_AddNumberToObject(dj, "desired", ow->desired);
        cJSON_AddNumberToObject(dj, "replicas", ow->live);
        cJSON_AddNumberToObject(dj, "ready", ow->running);
    }
    if (s->autoscaling)
        cJSON_AddItemToObject(j, "autoscaling", hpaout_summary(o->sim));
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    int rc = 0;
    FILE *f = fopen(summary_path, "w");
    if (!f || fputs(text, f) < 0 || fputc('\n', f) < 0)
        rc = -1;
    if (f && fclose(f))
        rc = -1;
    cJSON_free(text);
    if (fclose(o->events))
        rc = -1;
    if (fclose(o->ts))
        rc = -1;
    o->events = o->ts = NULL;
    if (rc)
        diag_set(d, summary_path, 0, 0, "cannot write results: %s", strerror(errno));
    return rc;
}

void output_free(struct output *o)
{
    if (!o)
        return;
    if (o->events)
        fclose(o->events);
    if (o->ts)
        fclose(o->ts);
    free(o->events_path);
    free(o->ts_path);
    free(o->latency);
    whypending_free(o->why);
    free(o);
}
