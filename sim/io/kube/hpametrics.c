#include "sim/io/kube/hpametrics.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/schema.h"

/* A container's usage in a PodMetrics. */
struct snap_usage {
    const char *container;
    const struct hpa_request *usage;
    size_t nusage;
};

struct snap_podmetrics {
    struct kobj_meta meta;
    simtime timestamp, window;
    const struct snap_usage *containers;
    size_t ncontainers;
};

/* One custom.metrics.k8s.io MetricValue. */
struct snap_value {
    const char *kind, *namespace_name, *name; /* describedObject */
    const char *metric;
    simtime timestamp, window;
    int64_t milli;
};

/* One external.metrics.k8s.io ExternalMetricValue. */
struct snap_external {
    const char *metric;
    struct labelset labels;
    int64_t milli;
};

/* A list annotated as a failed API call. */
struct snap_failure {
    int external; /* external.metrics.k8s.io, else custom.metrics.k8s.io */
    const char *namespace_name, *metric, *error;
};

struct hpametrics {
    struct kobj_pool pool;
    struct snap_podmetrics *podmetrics;
    size_t npodmetrics, cappodmetrics;
    struct snap_value *values;
    size_t nvalues, capvalues;
    struct snap_external *externals;
    size_t nexternals, capexternals;
    struct snap_failure *failures;
    size_t nfailures, capfailures;
};

struct hpametrics *hpametrics_new(void)
{
    return xcalloc(1, sizeof(struct hpametrics));
}

void hpametrics_free(struct hpametrics *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->npodmetrics; i++)
        kobj_meta_release(&p->podmetrics[i].meta);
    for (size_t i = 0; i < p->nexternals; i++)
        labelset_release(&p->externals[i].labels);
    free(p->podmetrics);
    free(p->values);
    free(p->externals);
    free(p->failures);
    kobj_pool_release(&p->pool);
    free(p);
}

/* clang-format off */
static const char *const podmetrics_keys[] = {
    "apiVersion", "kind", "metadata", "timestamp", "window", "containers", NULL,
};
/* clang-format on */
static const char *const containermetrics_keys[] = {"name", "usage", NULL};

int hpametrics_read_podmetrics(struct hpametrics *p, const struct ynode *obj, simtime *latest,
                               struct diag *d)
{
    struct snap_podmetrics *pm = KOBJ_PUSH(p->podmetrics, p->npodmetrics, p->cappodmetrics);
    memset(pm, 0, sizeof *pm);
    if (schema_check_keys(obj, "PodMetrics", podmetrics_keys, d) ||
        kobj_meta(obj, 1, &pm->meta, latest, d))
        return -1;
    const struct ynode *ts = schema_require(obj, "PodMetrics", "timestamp", d);
    if (!ts || kobj_time(ts, "timestamp", &pm->timestamp, latest, d))
        return -1;
    const struct ynode *w = schema_require(obj, "PodMetrics", "window", d);
    if (!w || kobj_duration(w, "window", &pm->window, d))
        return -1;
    const struct ynode *cs = ynode_get(obj, "containers");
    if (schema_expect_seq(cs, "containers", d))
        return -1;
    size_t n = kobj_absent(cs) ? 0 : cs->n;
    struct snap_usage *u = kobj_alloc(&p->pool, n, sizeof *u);
    for (size_t i = 0; i < n; i++) {
        const struct ynode *c = cs->items[i];
        if (schema_check_keys(c, "containers[]", containermetrics_keys, d))
            return -1;
        const struct ynode *name = schema_require(c, "containers[]", "name", d);
        if (!name || schema_string(name, "name", &u[i].container, d) ||
            kobj_requests(&p->pool, ynode_get(c, "usage"), "usage", &u[i].usage, &u[i].nusage, d))
            return -1;
    }
    pm->containers = u;
    pm->ncontainers = n;
    return 0;
}

static const char *const identifier_keys[] = {"name", "selector", NULL};
static const char *const list_keys[] = {"apiVersion", "kind", "metadata", "items", NULL};
/* clang-format off */
static const char *const value_keys[] = {
    "describedObject", "metric", "timestamp", "windowSeconds", "value", NULL,
};
/* clang-format on */
/* clang-format off */
static const char *const object_ref_keys[] = {
    "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath", NULL,
};
/* clang-format on */
/* clang-format off */
static const char *const external_keys[] = {
    "metricName", "metricLabels", "timestamp", "window", "value", NULL,
};
/* clang-format on */

/* The ksim.io/error annotation of a metrics list: a failed API call. */
static int read_failure(struct hpametrics *p, const struct ynode *obj, const struct kobj_meta *m,
                        int external, struct diag *d)
{
    const char *error = kobj_annotation(m, "ksim.io/error");
    if (!error)
        return 0;
    const char *metric = kobj_annotation(m, "ksim.io/metric-name");
    if (!metric) {
        const struct ynode *at = m->annotations ? m->annotations : obj;
        diag_set(d, at->file, at->line, at->col,
                 "ksim.io/error needs a ksim.io/metric-name annotation naming the metric");
        return -1;
    }
    struct snap_failure *f = KOBJ_PUSH(p->failures, p->nfailures, p->capfailures);
    *f = (struct snap_failure){external, m->namespace_name, metric, error};
    return 0;
}

/*
 * The list around the metric values: its keys, its metadata (a failed-call
 * annotation) and *items (NULL when there are none).
 */
static int read_list(struct hpametrics *p, const struct ynode *obj, const char *kind, int external,
                     const struct ynode **items, simtime *latest, struct diag *d)
{
    struct kobj_meta m = {0};
    labelset_init(&m.labels);
    int rc = schema_check_keys(obj, kind, list_keys, d) || kobj_meta(obj, 0, &m, latest, d) ||
             read_failure(p, obj, &m, external, d);
    kobj_meta_release(&m);
    *items = ynode_get(obj, "items");
    if (rc || schema_expect_seq(*items, "items", d))
        return -1;
    if (kobj_absent(*items))
        *items = NULL;
    return 0;
}

/* custom.metrics.k8s.io/v1beta2 MetricValueList. */
int hpametrics_read_values(struct hpametrics *p, const struct ynode *obj, simtime *latest,
                           struct diag *d)
{
    const struct ynode *items;
    if (read_list(p, obj, "MetricValueList", 0, &items, latest, d))
        return -1;
    for (size_t i = 0; items && i < items->n; i++) {
        const struct ynode *it = items->items[i];
        struct snap_value *v = KOBJ_PUSH(p->values, p->nvalues, p->capvalues);
        memset(v, 0, sizeof *v);
        v->namespace_name = "";
        if (schema_check_keys(it, "items[]", value_keys, d))
            return -1;
        const struct ynode *ref = schema_require(it, "items[]", "describedObject", d);
        if (!ref || schema_check_keys(ref, "describedObject", object_ref_keys, d) ||
            !schema_require(ref, "describedObject", "kind", d) ||
            schema_string(ynode_get(ref, "kind"), "describedObject.kind", &v->kind, d) ||
            !schema_require(ref, "describedObject", "name", d) ||
            schema_string(ynode_get(ref, "name"), "describedObject.name", &v->name, d))
            return -1;
        const struct ynode *ns = ynode_get(ref, "namespace");
        if (!kobj_absent(ns) &&
            schema_string(ns, "describedObject.namespace", &v->namespace_name, d))
            return -1;
        const struct ynode *id = schema_require(it, "items[]", "metric", d);
        if (!id || schema_check_keys(id, "metric", identifier_keys, d) ||
            !schema_require(id, "metric", "name", d) ||
            schema_string(ynode_get(id, "name"), "metric.name", &v->metric, d))
            return -1;
        const struct ynode *ts = schema_require(it, "items[]", "timestamp", d);
        if (!ts || kobj_time(ts, "timestamp", &v->timestamp, latest, d))
            return -1;
        int64_t w = 60; /* client.go metricServerDefaultMetricWindow */
        if (kobj_opt_int(it, "windowSeconds", 0, INT32_MAX, &w, d) < 0)
            return -1;
        v->window = w * SIMTIME_S;
        const struct ynode *val = schema_require(it, "items[]", "value", d);
        if (!val || schema_quantity(val, "value", 1, &v->milli, d))
            return -1;
    }
    return 0;
}

/* external.metrics.k8s.io/v1beta1 ExternalMetricValueList. */
int hpametrics_read_external(struct hpametrics *p, const struct ynode *obj, simtime *latest,
                             struct diag *d)
{
    const struct ynode *items;
    if (read_list(p, obj, "ExternalMetricValueList", 1, &items, latest, d))
        return -1;
    for (size_t i = 0; items && i < items->n; i++) {
        const struct ynode *it = items->items[i];
        struct snap_external *e = KOBJ_PUSH(p->externals, p->nexternals, p->capexternals);
        memset(e, 0, sizeof *e);
        labelset_init(&e->labels);
        simtime ts;
        int64_t w;
        if (schema_check_keys(it, "items[]", external_keys, d))
            return -1;
        const struct ynode *name = schema_require(it, "items[]", "metricName", d);
        if (!name || schema_string(name, "metricName", &e->metric, d))
            return -1;
        labelset_release(&e->labels);
        if (manifest_read_labels(ynode_get(it, "metricLabels"), "metricLabels", &e->labels, d))
            return -1;
        const struct ynode *tn = schema_require(it, "items[]", "timestamp", d);
        if (!tn || kobj_time(tn, "timestamp", &ts, latest, d) ||
            kobj_opt_int(it, "window", 0, INT64_MAX, &w, d) < 0)
            return -1;
        const struct ynode *val = schema_require(it, "items[]", "value", d);
        if (!val || schema_quantity(val, "value", 1, &e->milli, d))
            return -1;
    }
    return 0;
}

static const struct snap_failure *find_failure(const struct hpametrics *p,
                                               const struct hpametrics_target *t, int external,
                                               const char *metric)
{
    for (size_t i = 0; i < p->nfailures; i++) {
        const struct snap_failure *f = &p->failures[i];
        if (f->external == external && strcmp(f->metric, metric) == 0 &&
            strcmp(f->namespace_name, t->namespace_name) == 0)
            return f;
    }
    return NULL;
}

/*
 * Whether metrics-server would list this PodMetrics for the target's
 * selector: by the labels it copies from the pod (or, when it carries none,
 * the pod's own).
 */
static int podmetrics_listed(const struct hpametrics_target *t, const struct snap_podmetrics *pm)
{
    if (strcmp(pm->meta.namespace_name, t->namespace_name) != 0)
        return 0;
    if (pm->meta.has_labels)
        return labelselector_matches(t->selector, &pm->meta.labels);
    return t->pod_selected(pm->meta.name, t->ctx);
}

/* A list annotated as a failed call for this metric: the client's error. */
static int failed_call(struct hpametrics *p, const struct hpametrics_target *t, int external,
                       const char *metric, struct hpa_metric_input *in)
{
    const struct snap_failure *f = find_failure(p, t, external, metric);
    if (f)
        in->fetch_error =
            kobj_keep(&p->pool, xasprintf("unable to fetch metrics from %s metrics API: %s",
                                          external ? "external" : "custom", f->error));
    return f != NULL;
}

/* A sample counts when its pod is one the target selects (in the namespace). */
static int sample_kept(const struct hpametrics_target *t, const char *ns, const char *pod)
{
    return strcmp(ns, t->namespace_name) == 0 && t->pod_selected(pod, t->ctx);
}

/* Follows metrics/client.go GetResourceMetric, getPodMetrics and getContainerMetrics. */
static void resource_input(struct hpametrics *p, const struct hpametrics_target *t,
                           const struct hpa_metric_spec *m, struct hpa_metric_input *in)
{
    struct hpa_sample *samples = kobj_alloc(&p->pool, p->npodmetrics, sizeof *samples);
    size_t n = 0, listed = 0;
    for (size_t i = 0; i < p->npodmetrics; i++) {
        const struct snap_podmetrics *pm = &p->podmetrics[i];
        if (!podmetrics_listed(t, pm))
            continue;
        listed++;
        if (!sample_kept(t, pm->meta.namespace_name, pm->meta.name))
            continue;
        int64_t sum = 0;
        int missing = pm->ncontainers == 0, found = 0;
        for (size_t c = 0; c < pm->ncontainers && !found; c++) {
            const struct snap_usage *u = &pm->containers[c];
            if (m->container && strcmp(u->container, m->container) != 0)
                continue;
            found = m->container != NULL;
            int has = 0;
            for (size_t r = 0; r < u->nusage && !has; r++) {
                if (strcmp(u->usage[r].resource, m->name) == 0) {
                    sum += u->usage[r].milli;
                    has = 1;
                }
            }
            if (!has)
                missing = 1;
            if (!has && !m->container)
                break;
        }
        if (m->container && !found) {
            in->fetch_error = kobj_keep(
                &p->pool, xasprintf("failed to get container metrics: container %s not present in "
                                    "metrics for pod %s/%s",
                                    m->container, pm->meta.namespace_name, pm->meta.name));
            return;
        }
        if (m->container ? found && !missing : !missing)
            samples[n++] = (struct hpa_sample){pm->meta.name, sum, pm->timestamp, pm->window};
    }
    if (listed == 0)
        in->fetch_error = "no metrics returned from resource metrics API";
    in->samples = samples;
    in->nsamples = n;
}

/* Follows metrics/client.go GetRawMetric (Pods metrics). */
static void pods_input(struct hpametrics *p, const struct hpametrics_target *t,
                       const struct hpa_metric_spec *m, struct hpa_metric_input *in)
{
    if (failed_call(p, t, 0, m->name, in))
        return;
    struct hpa_sample *samples = kobj_alloc(&p->pool, p->nvalues, sizeof *samples);
    size_t n = 0;
    for (size_t i = 0; i < p->nvalues; i++) {
        const struct snap_value *v = &p->values[i];
        const char *ns = v->namespace_name[0] ? v->namespace_name : t->namespace_name;
        if (strcmp(v->kind, "Pod") != 0 || strcmp(v->metric, m->name) != 0 ||
            !sample_kept(t, ns, v->name))
            continue;
        samples[n++] = (struct hpa_sample){v->name, v->milli, v->timestamp, v->window};
    }
    if (n == 0)
        in->fetch_error = "no metrics returned from custom metrics API";
    in->samples = samples;
    in->nsamples = n;
}

/* Follows metrics/client.go GetObjectMetric. */
static void object_input(struct hpametrics *p, const struct hpametrics_target *t,
                         const struct hpa_metric_spec *m, struct hpa_metric_input *in)
{
    if (failed_call(p, t, 0, m->name, in))
        return;
    for (size_t i = 0; i < p->nvalues; i++) {
        const struct snap_value *v = &p->values[i];
        const char *ns = v->namespace_name[0] ? v->namespace_name : t->namespace_name;
        if (strcmp(v->kind, m->object_kind) == 0 && strcmp(v->name, m->object_name) == 0 &&
            strcmp(v->metric, m->name) == 0 && strcmp(ns, t->namespace_name) == 0) {
            in->value = v->milli;
            return;
        }
    }
    /* What a custom metrics adapter answers for a series it does not have. */
    in->fetch_error = kobj_keep(
        &p->pool,
        xasprintf("unable to fetch metrics from custom metrics API: the server could not find "
                  "the metric %s for %s %s",
                  m->name, m->object_kind, m->object_name));
}

/* Follows metrics/client.go GetExternalMetric. */
static void external_input(struct hpametrics *p, const struct hpametrics_target *t,
                           const struct hpa_metric_spec *m,
                           const struct labelselector *metric_selector, struct hpa_metric_input *in)
{
    if (failed_call(p, t, 1, m->name, in))
        return;
    int64_t *values = kobj_alloc(&p->pool, p->nexternals, sizeof *values);
    size_t n = 0;
    for (size_t i = 0; i < p->nexternals; i++) {
        const struct snap_external *e = &p->externals[i];
        if (strcmp(e->metric, m->name) == 0 &&
            (!metric_selector || labelselector_matches(metric_selector, &e->labels)))
            values[n++] = e->milli;
    }
    if (n == 0)
        in->fetch_error = "no metrics returned from external metrics API";
    in->values = values;
    in->nvalues = n;
}

void hpametrics_input(struct hpametrics *p, const struct hpametrics_target *t,
                      const struct hpa_metric_spec *m, const struct labelselector *metric_selector,
                      struct hpa_metric_input *in)
{
    memset(in, 0, sizeof *in);
    switch (m->type) {
    case HPA_METRIC_RESOURCE:
    case HPA_METRIC_CONTAINER_RESOURCE:
        resource_input(p, t, m, in);
        break;
    case HPA_METRIC_PODS:
        pods_input(p, t, m, in);
        break;
    case HPA_METRIC_OBJECT:
        object_input(p, t, m, in);
        break;
    case HPA_METRIC_EXTERNAL:
        external_input(p, t, m, metric_selector, in);
        break;
    default:
        break; /* an unknown metric type: the sync reports it */
    }
}
