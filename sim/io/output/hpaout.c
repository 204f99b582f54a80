#include "sim/io/output/hpaout.h"

#include <math.h>
#include <stdlib.h>

#include "sim/control/hpactl.h"
#include "sim/control/simevent.h"
#include "sim/control/simulation.h"
#include "sim/io/scenario/autoscale.h"
#include "sim/io/scenario/scenario.h"

static const double GIB = 1024.0 * 1024.0 * 1024.0;

void hpaout_header(FILE *f, const struct scenario *s)
{
    const struct scn_autoscaling *a = s->autoscaling;
    for (size_t i = 0; i < s->ndeployments; i++) {
        const char *n = s->deployments[i].name;
        if (a->hpa_of[i] >= 0)
            fprintf(f, ",%s_hpa_desired,%s_metric,%s_target", n, n, n);
        if (a->traffic_of[i] >= 0)
            fprintf(
                f,
                ",%s_offered_rps,%s_served_rps,%s_dropped_rps,%s_latency_p50_ms,%s_latency_p95_ms",
                n, n, n, n, n);
    }
    if (a->ntraffic)
        fputs(",cpu_usage_cores,mem_usage_gib", f);
}

/* The first metric's current value in its natural unit: percent for Utilization targets,
 * cores, bytes or req/s for the others. */
static void metric_value(FILE *f, const struct hpactl_hpa_view *v)
{
    const struct hpa_metric_status *m = &v->last->metrics[0];
    if (!v->synced || !m->valid)
        fputc(',', f);
    else if (m->has_utilization)
        fprintf(f, ",%d", (int)m->utilization);
    else if (m->has_average_value)
        fprintf(f, ",%.3f", (double)m->average_value / 1000.0);
    else
        fprintf(f, ",%.3f", (double)m->value / 1000.0);
}

static void metric_target(FILE *f, const struct hpa_metric_spec *m)
{
    if (m->target_type == HPA_TARGET_UTILIZATION)
        fprintf(f, ",%d", (int)m->target_utilization);
    else
        fprintf(f, ",%.3f", (double)m->target_milli / 1000.0);
}

/* Milliseconds, or an empty field when there is no estimate (saturated). */
static void latency_ms(FILE *f, double seconds)
{
    if (isinf(seconds) || isnan(seconds))
        fputc(',', f);
    else
        fprintf(f, ",%.3f", seconds * 1000.0);
}

void hpaout_row(FILE *f, const struct scenario *s, const struct simulation *sim)
{
    const struct scn_autoscaling *a = s->autoscaling;
    const struct hpactl *ctl = simulation_autoscaling(sim);
    double cpu = 0, mem = 0;
    for (size_t i = 0; i < s->ndeployments; i++) {
        if (a->hpa_of[i] >= 0) {
            struct hpactl_hpa_view v;
            hpactl_hpa_view(ctl, (size_t)a->hpa_of[i], &v);
            fprintf(f, ",%d",
                    (int)(v.synced ? v.status->desired_replicas : sim->cluster->owners[i].desired));
            metric_value(f, &v);
            metric_target(f, &v.hpa->spec.metrics[0]);
        }
        if (a->traffic_of[i] >= 0) {
            struct hpactl_traffic_view t;
            hpactl_traffic_view(ctl, (size_t)a->traffic_of[i], &t);
            fprintf(f, ",%.3f,%.3f,%.3f", t.state->offered, t.state->served, t.state->dropped);
            latency_ms(f, t.state->p50);
            latency_ms(f, t.state->p95);
            cpu += t.cpu_total;
            mem += t.mem_total;
        }
    }
    if (a->ntraffic)
        fprintf(f, ",%.3f,%.6f", cpu / 1000.0, mem / GIB);
}

static const char *const metric_type_names[] = {"Resource", "ContainerResource", "Pods",
                                                "Object",   "External",          "Unknown"};

void hpaout_event(cJSON *j, const struct simulation *sim, const struct simevent *ev)
{
    const struct hpactl *ctl = simulation_autoscaling(sim);
    struct hpactl_hpa_view v;
    hpactl_hpa_view(ctl, (size_t)ev->value, &v);
    const struct hpa_sync_out *o = v.last;
    char key[600];
    snprintf(key, sizeof key, "%s/%s", v.hpa->spec.namespace_name, v.hpa->name);
    cJSON_AddStringToObject(j, "type", "hpa_sync");
    cJSON_AddStringToObject(j, "hpa", key);
    cJSON_AddStringToObject(j, "deployment", sim->cluster->owners[ev->owner].name);
    cJSON_AddNumberToObject(j, "currentReplicas", (double)ev->from);
    cJSON_AddNumberToObject(j, "desiredReplicas", (double)ev->to);
    if (o->metrics_computed) {
        cJSON *ms = cJSON_AddArrayToObject(j, "metrics");
        for (size_t i = 0; i < v.hpa->spec.nmetrics; i++) {
            const struct hpa_metric_spec *sp = &v.hpa->spec.metrics[i];
            const struct hpa_metric_status *st = &o->metrics[i];
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "type", metric_type_names[sp->type]);
            cJSON_AddStringToObject(m, "name", sp->name);
            if (st->valid)
                cJSON_AddNumberToObject(m, "replicas", st->proposal);
            else
                cJSON_AddNullToObject(m, "replicas");
            if (st->has_utilization)
                cJSON_AddNumberToObject(m, "utilization", st->utilization);
            if (st->has_average_value)
                cJSON_AddNumberToObject(m, "averageValue", (double)st->average_value);
            if (st->has_value)
                cJSON_AddNumberToObject(m, "value", (double)st->value);
            if (st->valid)
                cJSON_AddNullToObject(m, "error");
            else
                cJSON_AddStringToObject(m, "error", st->error);
            cJSON_AddItemToArray(ms, m);
        }
        if (o->metric_desired >= 0) {
            cJSON_AddNumberToObject(j, "metricReplicas", o->metric_desired);
            cJSON_AddNumberToObject(j, "stabilizedReplicas", o->stabilized);
        }
    }
    if (o->reason[0] && o->rescale)
        cJSON_AddStringToObject(j, "reason", o->reason);
    if (o->error[0])
        cJSON_AddStringToObject(j, "error", o->error);
    cJSON *cs = cJSON_AddArrayToObject(j, "conditions");
    for (size_t i = 0; i < v.status->conditions.n; i++) {
        const struct hpa_condition *c = &v.status->conditions.items[i];
        cJSON *cj = cJSON_CreateObject();
        cJSON_AddStringToObject(cj, "type", hpa_condition_type_name(c->type));
        cJSON_AddStringToObject(cj, "status", hpa_condition_status_name(c->status));
        cJSON_AddStringToObject(cj, "reason", c->reason);
        cJSON_AddItemToArray(cs, cj);
    }
    const struct hpa_condition *lim =
        hpa_conditions_find(&v.status->conditions, HPA_SCALING_LIMITED);
    if (lim && o->metrics_computed)
        cJSON_AddStringToObject(j, "scalingLimitedReason", lim->reason);
}

/* Rounds for the summary so that figures read cleanly and compare exactly. */
static double round3(double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.3f", x);
    return strtod(buf, NULL);
}

static void add_number_or_null(cJSON *j, const char *key, int ok, double x)
{
    if (ok)
        cJSON_AddNumberToObject(j, key, round3(x));
    else
        cJSON_AddNullToObject(j, key);
}

static void traffic_summary(cJSON *dj, const struct hpactl_traffic_view *t)
{
    cJSON_AddNumberToObject(dj, "offered_requests", round3(t->offered_requests));
    cJSON_AddNumberToObject(dj, "served_requests", round3(t->served_requests));
    cJSON_AddNumberToObject(dj, "dropped_requests", round3(t->dropped_requests));
    cJSON_AddNumberToObject(dj, "underprovisioned_seconds", round3(t->underprovisioned_seconds));
    cJSON_AddNumberToObject(dj, "saturated_seconds", round3(t->saturated_seconds));
    int lat = t->latency_weight > 0;
    add_number_or_null(dj, "latency_p50_ms", lat,
                       lat ? t->p50_weighted / t->latency_weight * 1e3 : 0);
    add_number_or_null(dj, "latency_p95_ms", lat,
                       lat ? t->p95_weighted / t->latency_weight * 1e3 : 0);
    add_number_or_null(dj, "latency_p95_max_ms", lat, t->p95_max * 1e3);
    if (t->traffic->usage.slo_p95 > 0)
        cJSON_AddNumberToObject(dj, "slo_violation_minutes",
                                round3(t->slo_violation_seconds / 60.0));
    else
        cJSON_AddNullToObject(dj, "slo_violation_minutes");
}

cJSON *hpaout_summary(const struct simulation *sim)
{
    const struct hpactl *ctl = simulation_autoscaling(sim);
    cJSON *j = cJSON_CreateObject();
    cJSON *hj = cJSON_AddObjectToObject(j, "hpas");
    for (size_t i = 0; i < hpactl_nhpas(ctl); i++) {
        struct hpactl_hpa_view v;
        hpactl_hpa_view(ctl, i, &v);
        cJSON *dj = cJSON_AddObjectToObject(hj, v.hpa->name);
        cJSON_AddStringToObject(dj, "deployment", sim->cluster->owners[v.hpa->owner].name);
        cJSON_AddNumberToObject(dj, "syncs", (double)v.syncs);
        cJSON_AddNumberToObject(dj, "scale_ups", (double)v.scale_ups);
        cJSON_AddNumberToObject(dj, "scale_downs", (double)v.scale_downs);
        cJSON_AddNumberToObject(dj, "desired_at_end", v.status->desired_replicas);
        if (v.traffic >= 0) {
            struct hpactl_traffic_view t;
            hpactl_traffic_view(ctl, (size_t)v.traffic, &t);
            cJSON_AddNumberToObject(dj, "replica_seconds", round3(t.replica_seconds));
            traffic_summary(dj, &t);
        }
    }
    cJSON *tj = cJSON_AddObjectToObject(j, "traffic");
    for (size_t i = 0; i < hpactl_ntraffic(ctl); i++) {
        struct hpactl_traffic_view t;
        hpactl_traffic_view(ctl, i, &t);
        if (t.hpa >= 0)
            continue; /* reported with its HPA */
        cJSON *dj = cJSON_AddObjectToObject(tj, sim->cluster->owners[t.traffic->owner].name);
        cJSON_AddNumberToObject(dj, "replica_seconds", round3(t.replica_seconds));
        traffic_summary(dj, &t);
    }
    return j;
}
