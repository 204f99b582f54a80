/*
 * ksim hpa-calc: one HorizontalPodAutoscaler sync on a snapshot of real
 * objects, for people debugging a real HPA. The snapshot is read by
 * sim/io/kube/hpasnap.h, the sync is models/hpa/hpa.h's hpa_sync (the same
 * arithmetic the simulator runs), and the answer is printed as a table that
 * walks through the controller's steps or as JSON.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/hpa/hpa.h"
#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/io/kube/hpasnap.h"
#include "sim/io/rfc3339.h"

static const char usage[] =
    "usage: ksim hpa-calc [--now RFC3339] [-o table|json] FILE...\n"
    "\n"
    "Runs one HorizontalPodAutoscaler sync, as kube-controller-manager would, on\n"
    "objects dumped from a cluster (YAML or JSON, several documents per file, or\n"
    "kind: List): one autoscaling/v2 HorizontalPodAutoscaler, its apps/v1\n"
    "Deployment, the v1 Pods the Deployment selects, metrics.k8s.io PodMetrics,\n"
    "custom.metrics.k8s.io/v1beta2 MetricValueList, external.metrics.k8s.io\n"
    "ExternalMetricValueList, and optionally ksim.io/v1alpha1 HPAControllerState\n"
    "(the controller's memory) and HPAControllerConfiguration (its flags).\n"
    "\n"
    "  --now RFC3339   the evaluation instant (default: the latest timestamp in\n"
    "                  the input)\n"
    "  -o table|json   a step-by-step explanation (default) or one JSON object\n"
    "\n"
    "Exits 0 whenever the input reads, even when a metric fails; 1 on bad input.\n";

/* ---- the sync ---- */

struct calc {
    struct hpasnap snap;
    simtime now;
    struct hpa_metric_status *metrics;
    struct hpa_sync_out out;
    int sync_rc;
};

static const char *const type_names[] = {"Resource", "ContainerResource", "Pods", "Object",
                                         "External"};

static const char *metric_type(const struct hpa_metric_spec *m)
{
    return m->type == HPA_METRIC_UNKNOWN ? m->type_name : type_names[m->type];
}

/* Which value a metric reports: Utilization targets a percentage and a raw average. */
static int is_utilization(const struct hpa_metric_spec *m)
{
    return (m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE) &&
           m->target_type == HPA_TARGET_UTILIZATION;
}

/* The raw value a non-Utilization metric reports (current.value or averageValue). */
static int metric_usage(const struct hpa_metric_status *st, int64_t *v)
{
    if (st->has_value)
        *v = st->value;
    else if (st->has_average_value)
        *v = st->average_value;
    else
        return 0;
    return 1;
}

/* ---- JSON ---- */

static void add_int(cJSON *o, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    cJSON_AddRawToObject(o, key, buf);
}

static void add_int_or_null(cJSON *o, const char *key, int has, int64_t v)
{
    if (has)
        add_int(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
    if (s && s[0])
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_time(cJSON *o, const char *key, simtime t)
{
    char buf[48];
    rfc3339_format(t, buf, sizeof buf);
    cJSON_AddStringToObject(o, key, buf);
}

static cJSON *target_json(const struct hpa_metric_spec *m)
{
    cJSON *t = cJSON_CreateObject();
    switch (m->target_type) {
    case HPA_TARGET_UTILIZATION:
        cJSON_AddStringToObject(t, "type", "Utilization");
        add_int(t, "averageUtilization", m->target_utilization);
        break;
    case HPA_TARGET_AVERAGE_VALUE:
        cJSON_AddStringToObject(t, "type", "AverageValue");
        add_int(t, "averageValue", m->target_milli);
        break;
    case HPA_TARGET_VALUE:
        cJSON_AddStringToObject(t, "type", "Value");
        add_int(t, "value", m->target_milli);
        break;
    case HPA_TARGET_NONE:
        cJSON_Delete(t);
        return cJSON_CreateNull();
    }
    return t;
}

static cJSON *metric_json(const struct calc *c, size_t i)
{
    const struct hpa_metric_spec *m = &c->snap.spec.metrics[i];
    const struct hpa_metric_status *st = &c->metrics[i];
    int computed = c->out.metrics_computed;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "type", metric_type(m));
    add_str_or_null(j, "name", m->name);
    if (m->container)
        cJSON_AddStringToObject(j, "container", m->container);
    if (m->type == HPA_METRIC_OBJECT) {
        char ref[512];
        snprintf(ref, sizeof ref, "%s/%s", m->object_kind, m->object_name);
        cJSON_AddStringToObject(j, "describedObject", ref);
    }
    add_int_or_null(j, "replicas", computed && st->valid, st->proposal);
    if (is_utilization(m)) {
        add_int_or_null(j, "utilization", computed && st->has_utilization, st->utilization);
        add_int_or_null(j, "rawAverageValue", computed && st->has_average_value, st->average_value);
    } else {
        int64_t v = 0;
        int has = computed && metric_usage(st, &v);
        add_int_or_null(j, "usage", has, v);
    }
    cJSON_AddItemToObject(j, "target",
                          m->type == HPA_METRIC_UNKNOWN ? cJSON_CreateNull() : target_json(m));
    add_str_or_null(j, "error", computed && !st->valid ? st->error : NULL);
    if (computed && !st->valid)
        cJSON_AddStringToObject(j, "reason", st->reason);
    return j;
}

static cJSON *state_json(const struct hpa_history *h)
{
    cJSON *s = cJSON_CreateObject();
    cJSON *recs = cJSON_AddArrayToObject(s, "recommendations");
    for (size_t i = 0; i < h->nrecs; i++) {
        cJSON *r = cJSON_CreateObject();
        add_time(r, "timestamp", h->recs[i].time);
        add_int(r, "replicas", h->recs[i].replicas);
        cJSON_AddItemToArray(recs, r);
    }
    for (int up = 1; up >= 0; up--) {
        cJSON *evs = cJSON_AddArrayToObject(s, up ? "scaleUpEvents" : "scaleDownEvents");
        const struct hpa_scale_event *ev = up ? h->up : h->down;
        size_t n = up ? h->nup : h->ndown;
        for (size_t i = 0; i < n; i++) {
            cJSON *e = cJSON_CreateObject();
            add_time(e, "timestamp", ev[i].time);
            add_int(e, "replicaChange", ev[i].change);
            if (ev[i].outdated)
                cJSON_AddTrueToObject(e, "outdated");
            cJSON_AddItemToArray(evs, e);
        }
    }
    return s;
}

static void print_json(const struct calc *c)
{
    const struct hpasnap *s = &c->snap;
    const struct hpa_sync_out *o = &c->out;
    char name[600];
    snprintf(name, sizeof name, "%s/%s", s->namespace_name, s->name);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "hpa", name);
    cJSON_AddStringToObject(j, "scaleTarget", s->target_name);
    add_time(j, "now", c->now);
    add_int(j, "currentReplicas", s->scale.spec_replicas);
    add_int(j, "desiredReplicas", o->desired);
    cJSON_AddBoolToObject(j, "rescale", o->rescale);
    add_int_or_null(j, "metricReplicas", o->metrics_computed && o->metric_desired >= 0,
                    o->metric_desired);
    add_int_or_null(j, "stabilizedReplicas", o->metrics_computed && o->metric_desired >= 0,
                    o->stabilized);
    add_str_or_null(j, "reason", o->reason);
    add_str_or_null(j, "error", o->error);
    cJSON *ms = cJSON_AddArrayToObject(j, "metrics");
    for (size_t i = 0; i < s->spec.nmetrics; i++)
        cJSON_AddItemToArray(ms, metric_json(c, i));
    cJSON *conds = cJSON_AddArrayToObject(j, "conditions");
    for (size_t i = 0; i < s->status.conditions.n; i++) {
        const struct hpa_condition *hc = &s->status.conditions.items[i];
        cJSON *cj = cJSON_CreateObject();
        cJSON_AddStringToObject(cj, "type", hpa_condition_type_name(hc->type));
        cJSON_AddStringToObject(cj, "status", hpa_condition_status_name(hc->status));
        cJSON_AddStringToObject(cj, "reason", hc->reason);
        cJSON_AddStringToObject(cj, "message", hc->message);
        cJSON_AddItemToArray(conds, cj);
    }
    if (s->status.has_last_scale_time)
        add_time(j, "lastScaleTime", s->status.last_scale_time);
    else
        cJSON_AddNullToObject(j, "lastScaleTime");
    cJSON_AddItemToObject(j, "state", state_json(&s->history));
    char *text = cJSON_Print(j);
    printf("%s\n", text);
    free(text);
    cJSON_Delete(j);
}

/* ---- table ---- */

/* A milli-unit value the way Kubernetes prints a quantity: "350m", "2". */
static const char *milli(int64_t v, char *buf, size_t n)
{
    if (v % 1000 == 0)
        snprintf(buf, n, "%" PRId64, v / 1000);
    else
        snprintf(buf, n, "%" PRId64 "m", v);
    return buf;
}

static void print_target(const struct hpa_metric_spec *m)
{
    char b[32];
    switch (m->target_type) {
    case HPA_TARGET_UTILIZATION:
        printf("target %d%% of the pods' requests (averageUtilization)",
               (int)m->target_utilization);
        break;
    case HPA_TARGET_AVERAGE_VALUE:
        printf("target %s per pod (averageValue)", milli(m->target_milli, b, sizeof b));
        break;
    case HPA_TARGET_VALUE:
        printf("target %s in total (value)", milli(m->target_milli, b, sizeof b));
        break;
    case HPA_TARGET_NONE:
        printf("no usable target");
        break;
    }
}

/* Returns whether some pods were unready or missing (the calculator re-counts them). */
/* How groupPods classes the pods for this metric (Resource, ContainerResource, Pods). */
static int print_groups(const struct calc *c, const struct hpa_metric_spec *m,
                        const struct hpa_metric_input *in)
{
    const struct hpasnap *s = &c->snap;
    if (in->fetch_error ||
        !(m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE ||
          m->type == HPA_METRIC_PODS))
        return 0;
    struct hpa_calculator calc = {
        .now = c->now,
        .cpu_initialization_period = s->settings.cpu_initialization_period,
        .initial_readiness_delay = s->settings.initial_readiness_delay,
        .pod_level_resources = s->settings.pod_level_resources,
        .namespace_name = s->namespace_name,
    };
    enum hpa_pod_group *g = xcalloc(s->npods ? s->npods : 1, sizeof *g);
    hpa_replicas_group_pods(&calc, s->pods, s->npods, in->samples, in->nsamples,
                            m->type == HPA_METRIC_PODS ? NULL : m->name, g);
    static const char *const names[] = {"ready", "unready", "missing", "ignored"};
    static const char *const why[] = {
        "",
        " (Pending, not Ready, or CPU sampled before it was ready: left out when scaling down, "
        "at 0% when scaling up)",
        " (no sample: at 100% of target when scaling down, at 0% when scaling up)",
        " (deleting or Failed: left out)"};
    printf("  pods: %zu selected, %zu samples\n", s->npods, in->nsamples);
    int refilled = 0;
    for (int k = 0; k < 4; k++) {
        size_t n = 0;
        for (size_t i = 0; i < s->npods; i++)
            n += g[i] == (enum hpa_pod_group)k;
        if (n == 0)
            continue;
        refilled |= k == HPA_GROUP_UNREADY || k == HPA_GROUP_MISSING;
        printf("    %s %zu:", names[k], n);
        for (size_t i = 0; i < s->npods; i++)
            if (g[i] == (enum hpa_pod_group)k)
                printf(" %s", s->pods[i].name);
        printf("%s\n", why[k]);
    }
    free(g);
    return refilled;
}

static void print_metric(const struct calc *c, size_t i, struct hpa_tolerances tol)
{
    const struct hpasnap *s = &c->snap;
    const struct hpa_metric_spec *m = &s->spec.metrics[i];
    const struct hpa_metric_status *st = &c->metrics[i];
    char b[32];
    printf("metric %zu: %s %s", i + 1, metric_type(m), m->name ? m->name : "");
    if (m->container)
        printf(" (container %s)", m->container);
    if (m->type == HPA_METRIC_OBJECT)
        printf(" of %s/%s", m->object_kind, m->object_name);
    printf(", ");
    print_target(m);
    printf("\n");
    if (!c->out.metrics_computed) {
        printf("  not evaluated (see below)\n");
        return;
    }
    int refilled = print_groups(c, m, &s->inputs[i]);
    if (!st->valid) {
        printf("  error (%s): %s\n", st->reason, st->error);
        return;
    }
    double ratio;
    int64_t v = 0;
    if (st->has_utilization) {
        printf("  usage: %d%% of requests (average %s per pod)\n", (int)st->utilization,
               milli(st->average_value, b, sizeof b));
        ratio = (double)st->utilization / m->target_utilization;
    } else {
        metric_usage(st, &v);
        printf("  usage: %s%s\n", milli(v, b, sizeof b), st->has_value ? " in total" : " per pod");
        ratio = m->target_milli ? (double)v / (double)m->target_milli : 0;
    }
    int32_t cur = s->scale.spec_replicas;
    if (hpa_tolerances_within(tol, ratio) && st->proposal == cur)
        printf("  usage/target = %.3f, inside the tolerance band [%.3f, %.3f]: keep %d replicas\n",
               ratio, 1 - tol.scale_down, 1 + tol.scale_up, (int)cur);
    else
        printf("  usage/target = %.3f (tolerance band [%.3f, %.3f]): proposes %d replicas%s\n",
               ratio, 1 - tol.scale_down, 1 + tol.scale_up, (int)st->proposal,
               refilled ? " (then the unready and missing pods are counted as above, unless that "
                          "reverses the direction)"
                        : "");
}

static const struct hpa_condition *cond(const struct calc *c, enum hpa_condition_type t)
{
    return hpa_conditions_find(&c->snap.status.conditions, t);
}

static void print_condition_line(const char *step, const struct hpa_condition *hc)
{
    if (hc)
        printf("%s%s %s %s: %s\n", step, hpa_condition_type_name(hc->type),
               hpa_condition_status_name(hc->status), hc->reason, hc->message);
}

static void print_state(const struct hpa_history *h)
{
    char t[48];
    printf("controller memory after this sync (an HPAControllerState for the next run):\n");
    printf("  recommendations:");
    for (size_t i = 0; i < h->nrecs; i++) {
        rfc3339_format(h->recs[i].time, t, sizeof t);
        printf(" %d@%s", (int)h->recs[i].replicas, t);
    }
    printf("%s\n", h->nrecs ? "" : " none");
    for (int up = 1; up >= 0; up--) {
        const struct hpa_scale_event *ev = up ? h->up : h->down;
        size_t n = up ? h->nup : h->ndown;
        printf("  scale-%s events:", up ? "up" : "down");
        for (size_t i = 0; i < n; i++) {
            rfc3339_format(ev[i].time, t, sizeof t);
            printf(" %d@%s%s", (int)ev[i].change, t, ev[i].outdated ? " (outdated)" : "");
        }
        printf("%s\n", n ? "" : " none");
    }
}

static void print_table(const struct calc *c)
{
    const struct hpasnap *s = &c->snap;
    const struct hpa_sync_out *o = &c->out;
    char t[48];
    rfc3339_format(c->now, t, sizeof t);
    int32_t cur = s->scale.spec_replicas;
    int32_t min = s->spec.has_min_replicas ? s->spec.min_replicas : 1;
    printf("HorizontalPodAutoscaler %s/%s -> Deployment %s, evaluated at %s\n", s->namespace_name,
           s->name, s->target_name, t);
    printf("current replicas %d (spec.replicas; status.replicas %d), minReplicas %d, maxReplicas "
           "%d, %s\n",
           (int)cur, (int)s->scale.status_replicas, (int)min, (int)s->spec.max_replicas,
           s->spec.behavior ? "behavior set" : "no behavior (legacy rules)");
    struct hpa_tolerances tol = hpa_tolerances_for(&s->settings, &s->spec);
    for (size_t i = 0; i < s->spec.nmetrics; i++)
        print_metric(c, i, tol);
    if (!o->metrics_computed) {
        if (cur == 0 && min != 0)
            printf("spec.replicas is 0 and minReplicas is not: autoscaling is disabled\n");
        else
            printf("%s: the controller goes to %d without reading metrics\n", o->reason,
                   (int)o->desired);
    } else if (o->metric_desired < 0) {
        printf("metrics: %s\n", o->error);
        print_condition_line("  so no scaling this sync: ", cond(c, HPA_SCALING_ACTIVE));
    } else {
        printf("metrics: the largest proposal is %d", (int)o->metric_desired);
        if (o->error[0])
            printf(" (a failed metric does not block scaling up: %s)", o->error);
        printf("\n");
        printf("stabilization (%s): %d\n",
               s->spec.behavior ? "min over the scale-up window, max over the scale-down window"
                                : "max over the downscale stabilization window",
               (int)o->stabilized);
        print_condition_line("  ", cond(c, HPA_ABLE_TO_SCALE));
        printf("rate limits and min/max clamp: %d\n", (int)o->desired);
        print_condition_line("  ", cond(c, HPA_SCALING_LIMITED));
    }
    if (o->rescale)
        printf("result: scale Deployment %s from %d to %d replicas (%s)\n", s->target_name,
               (int)cur, (int)o->desired, o->reason);
    else
        printf("result: no change, Deployment %s stays at %d replicas\n", s->target_name, (int)cur);
    printf("conditions:\n");
    for (size_t i = 0; i < s->status.conditions.n; i++)
        print_condition_line("  ", &s->status.conditions.items[i]);
    print_state(&s->history);
}

/* ---- the command ---- */

static int cmd_hpa_calc(int argc, char **argv)
{
    const char *now_arg = NULL, *format = "table";
    char **files = xcalloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    int rc = CLI_OK;
    for (int i = 1; i < argc; i++) {
        if (cli_option_is(argv[i], "--now", NULL)) {
            if (!(now_arg = cli_option_value(argc, argv, &i))) {
                free(files);
                return cli_usage_error("hpa-calc", "--now needs an RFC 3339 timestamp");
            }
        } else if (cli_option_is(argv[i], "--output", "-o")) {
            format = cli_option_value(argc, argv, &i);
            if (!format || (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)) {
                free(files);
                return cli_usage_error("hpa-calc", "-o needs 'table' or 'json'");
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(files);
            return cli_usage_error("hpa-calc", "unknown option '%s'", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        free(files);
        return cli_usage_error("hpa-calc", "missing FILE");
    }
    struct calc c;
    memset(&c, 0, sizeof c);
    char err[512];
    if (now_arg && rfc3339_parse(now_arg, &c.now, err, sizeof err)) {
        free(files);
        return cli_usage_error("hpa-calc", "--now: %s", err);
    }
    struct diag d;
    diag_clear(&d);
    if (hpasnap_load(&c.snap, files, nfiles, &d)) {
        fprintf(stderr, "%s\n", d.text);
        rc = CLI_FAIL;
        goto out;
    }
    if (!now_arg) {
        if (!c.snap.has_latest) {
            fprintf(stderr, "%s: no timestamp in the input to evaluate at; pass --now\n", files[0]);
            rc = CLI_FAIL;
            goto out;
        }
        c.now = c.snap.latest;
    }
    c.metrics = xcalloc(c.snap.spec.nmetrics, sizeof *c.metrics);
    c.out.metrics = c.metrics;
    c.sync_rc = hpa_sync(&c.snap.settings, &c.snap.spec, &c.snap.scale, c.snap.pods, c.snap.npods,
                         c.snap.inputs, c.now, &c.snap.history, &c.snap.status, &c.out);
    if (strcmp(format, "json") == 0)
        print_json(&c);
    else
        print_table(&c);
out:
    free(c.metrics);
    hpasnap_release(&c.snap);
    free(files);
    return rc;
}

const struct cli_command cli_hpa_calc_cmd = {
    "hpa-calc", "one HPA sync on a snapshot of real objects", usage, cmd_hpa_calc};
