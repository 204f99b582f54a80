#include "sim/io/kube/hpaobj.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/schema.h"

#define HPA_API_VERSION "autoscaling/v2"

/* The JSON field names of the autoscaling/v2 types (k8s.io/api/autoscaling/v2/types.go). */
static const char *const hpa_keys[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
/* clang-format off */
static const char *const spec_keys[] = {
    "scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior", NULL,
};
static const char *const status_keys[] = {
    "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas", "currentMetrics",
    "conditions", NULL,
};
static const char *const metric_keys[] = {
    "type", "resource", "containerResource", "pods", "object", "external", NULL,
};
static const char *const target_keys[] = {
    "type", "value", "averageValue", "averageUtilization", NULL,
};
static const char *const rules_keys[] = {
    "stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance", NULL,
};
/* clang-format on */
static const char *const ref_keys[] = {"apiVersion", "kind", "name", NULL};
static const char *const identifier_keys[] = {"name", "selector", NULL};
static const char *const behavior_keys[] = {"scaleUp", "scaleDown", NULL};
static const char *const policy_keys[] = {"type", "value", "periodSeconds", NULL};

/* In enum hpa_metric_type order; per type, MetricSpec's source field and its keys. */
static const char *const metric_types[] = {"Resource", "ContainerResource", "Pods",
                                           "Object",   "External",          NULL};
static const char *const source_field[] = {"resource", "containerResource", "pods", "object",
                                           "external"};
static const char *const source_keys[][5] = {
    {"name", "target", NULL},   {"name", "container", "target", NULL},
    {"metric", "target", NULL}, {"describedObject", "metric", "target", NULL},
    {"metric", "target", NULL},
};

/* MetricTargetType, in types.go order; the field each names. */
enum { TARGET_UTILIZATION, TARGET_VALUE, TARGET_AVERAGE_VALUE };
static const char *const target_types[] = {"Utilization", "Value", "AverageValue", NULL};
static const char *const target_field[] = {"averageUtilization", "value", "averageValue"};

static const char *const policy_types[] = {"Pods", "Percent", NULL};
static const char *const select_policies[] = {"Max", "Min", "Disabled", NULL};

static int is_resource(enum hpa_metric_type t)
{
    return t == HPA_METRIC_RESOURCE || t == HPA_METRIC_CONTAINER_RESOURCE;
}

/*
 * Strict mode: the target type must fit the metric and the field it names be
 * set. validation.go asks Resource metrics for averageUtilization or
 * averageValue and Pods metrics for averageValue; ksim also asks the field
 * target.type names, so that the type a scenario writes is the one used.
 */
static int check_target_type(const struct ynode *t, const struct ynode *tn, int type,
                             enum hpa_metric_type mt, struct diag *d)
{
    if (type == TARGET_UTILIZATION && !is_resource(mt))
        return schema_fail(
            d, tn,
            "target.type: Utilization is only valid for Resource and ContainerResource metrics");
    if (type == TARGET_VALUE && (is_resource(mt) || mt == HPA_METRIC_PODS))
        return schema_fail(d, tn, "target.type: Value is not valid for %s metrics (use %s)",
                           metric_types[mt],
                           mt == HPA_METRIC_PODS ? "AverageValue" : "Utilization or AverageValue");
    return schema_require(t, "target", target_field[type], d) ? 0 : -1;
}

/* A target quantity; strict mode wants it positive (validateMetricTarget). */
static int target_quantity(const struct hpaobj *h, const struct ynode *n, const char *what,
                           int64_t *out, struct diag *d)
{
    if (schema_quantity(n, what, 1, out, d))
        return -1;
    if (h->strict && *out <= 0)
        return schema_fail(d, n, "%s: must be positive", what);
    return 0;
}

/*
 * MetricTarget: which field the controller will use. Follows
 * pkg/controller/podautoscaler/horizontal.go (v1.35): Resource metrics take
 * averageValue when set, else averageUtilization (target.type is not looked
 * at); Pods metrics take averageValue; Object and External take the field
 * target.type names. A target the controller cannot use is HPA_TARGET_NONE,
 * reported by the sync (strict mode refuses those up front).
 */
static int read_target(const struct hpaobj *h, const struct ynode *src, const char *where,
                       struct hpa_metric_spec *m, struct diag *d)
{
    m->target_type = HPA_TARGET_NONE;
    const struct ynode *t = ynode_get(src, "target");
    if (h->strict && !schema_require(src, where, "target", d))
        return -1;
    if (kobj_absent(t))
        return 0;
    if (schema_check_keys(t, "target", target_keys, d))
        return -1;
    int type = -1;
    const struct ynode *tn = ynode_get(t, "type");
    if (h->strict && !schema_require(t, "target", "type", d))
        return -1;
    if (!kobj_absent(tn) && schema_enum(tn, "target.type", target_types, &type, d))
        return -1;
    if (h->strict && check_target_type(t, tn, type, m->type, d))
        return -1;
    int64_t util;
    int has_util = kobj_opt_int(t, "averageUtilization", h->strict, INT32_MAX, &util, d);
    if (has_util < 0)
        return -1;
    int64_t value = 0, avg = 0;
    const struct ynode *v = ynode_get(t, "value"), *a = ynode_get(t, "averageValue");
    if (!kobj_absent(v) && target_quantity(h, v, "target.value", &value, d))
        return -1;
    if (!kobj_absent(a) && target_quantity(h, a, "target.averageValue", &avg, d))
        return -1;
    if (h->strict && is_resource(m->type) && has_util && !kobj_absent(a))
        return schema_fail(
            d, a,
            "target.averageValue: may not set both a target raw value and a target utilization");
    if (is_resource(m->type) || m->type == HPA_METRIC_PODS) {
        if (!kobj_absent(a)) {
            m->target_type = HPA_TARGET_AVERAGE_VALUE;
            m->target_milli = avg;
        } else if (has_util && m->type != HPA_METRIC_PODS) {
            m->target_type = HPA_TARGET_UTILIZATION;
            m->target_utilization = (int32_t)util;
        }
    } else if (type == TARGET_VALUE && !kobj_absent(v)) {
        m->target_type = HPA_TARGET_VALUE;
        m->target_milli = value;
    } else if (type == TARGET_AVERAGE_VALUE && !kobj_absent(a)) {
        m->target_type = HPA_TARGET_AVERAGE_VALUE;
        m->target_milli = avg;
    }
    return 0;
}

/* MetricIdentifier {name, selector}. */
static int read_identifier(struct hpaobj *h, const struct ynode *id, size_t i,
                           struct hpa_metric_spec *m, struct diag *d)
{
    if (schema_check_keys(id, "metric", identifier_keys, d))
        return -1;
    const struct ynode *n = schema_require(id, "metric", "name", d);
    if (!n || schema_string(n, "metric.name", &m->name, d))
        return -1;
    h->metric_at[i] = n;
    const struct ynode *sel = ynode_get(id, "selector");
    if (kobj_absent(sel))
        return 0;
    h->has_selector[i] = 1;
    labelselector_release(&h->selectors[i]);
    if (kobj_selector(sel, "metric.selector", &h->selectors[i], d))
        return -1;
    m->selector = kobj_keep(&h->pool, labelselector_go_string(&h->selectors[i]));
    return 0;
}

static int read_metric(struct hpaobj *h, const struct ynode *ms, size_t i, struct diag *d)
{
    struct hpa_metric_spec *m = &h->metrics[i];
    if (schema_check_keys(ms, "metrics[]", metric_keys, d))
        return -1;
    const struct ynode *tn = schema_require(ms, "metrics[]", "type", d);
    const char *type;
    if (!tn || schema_string(tn, "type", &type, d))
        return -1;
    m->type = HPA_METRIC_UNKNOWN;
    m->type_name = type;
    for (int t = 0; metric_types[t]; t++)
        if (strcmp(type, metric_types[t]) == 0)
            m->type = (enum hpa_metric_type)t;
    if (m->type == HPA_METRIC_UNKNOWN) {
        int ignored;
        /* Strict: the error, with a suggestion; else the sync reports InvalidMetricSourceType. */
        return h->strict ? schema_enum(tn, "type", metric_types, &ignored, d) : 0;
    }
    const char *key = source_field[m->type];
    const struct ynode *src = schema_require(ms, "metrics[]", key, d);
    if (!src || schema_check_keys(src, key, source_keys[m->type], d))
        return -1;
    const struct ynode *n;
    switch (m->type) {
    case HPA_METRIC_CONTAINER_RESOURCE:
        n = schema_require(src, key, "container", d);
        if (!n || schema_string(n, "container", &m->container, d))
            return -1;
        /* fall through */
    case HPA_METRIC_RESOURCE:
        n = schema_require(src, key, "name", d);
        if (!n || schema_string(n, "name", &m->name, d))
            return -1;
        h->metric_at[i] = n;
        break;
    case HPA_METRIC_OBJECT:
        n = schema_require(src, key, "describedObject", d);
        if (!n || schema_check_keys(n, "describedObject", ref_keys, d))
            return -1;
        if (!schema_require(n, "describedObject", "kind", d) ||
            schema_string(ynode_get(n, "kind"), "describedObject.kind", &m->object_kind, d) ||
            !schema_require(n, "describedObject", "name", d) ||
            schema_string(ynode_get(n, "name"), "describedObject.name", &m->object_name, d))
            return -1;
        /* fall through */
    default:
        n = schema_require(src, key, "metric", d);
        if (!n || read_identifier(h, n, i, m, d))
            return -1;
        break;
    }
    return read_target(h, src, key, m, d);
}

static int read_metrics(struct hpaobj *h, const struct ynode *spec, struct diag *d)
{
    const struct ynode *metrics = ynode_get(spec, "metrics");
    if (schema_expect_seq(metrics, "metrics", d))
        return -1;
    size_t n = kobj_absent(metrics) ? 0 : metrics->n;
    size_t nm = n ? n : 1;
    h->metrics = kobj_alloc(&h->pool, nm, sizeof *h->metrics);
    h->spec.metrics = h->metrics;
    h->spec.nmetrics = nm;
    h->metric_at = kobj_alloc(&h->pool, nm, sizeof *h->metric_at);
    h->selectors = kobj_alloc(&h->pool, nm, sizeof *h->selectors);
    h->has_selector = kobj_alloc(&h->pool, nm, sizeof *h->has_selector);
    for (size_t i = 0; i < nm; i++)
        labelselector_init(&h->selectors[i]);
    if (n == 0) {
        /* pkg/apis/autoscaling/v2/defaults.go: no metrics means cpu at 80% utilization. */
        h->metrics[0] = (struct hpa_metric_spec){.type = HPA_METRIC_RESOURCE,
                                                 .name = "cpu",
                                                 .target_type = HPA_TARGET_UTILIZATION,
                                                 .target_utilization = 80};
        h->metric_at[0] = spec;
    }
    for (size_t i = 0; i < n; i++)
        if (read_metric(h, metrics->items[i], i, d))
            return -1;
    return 0;
}

/*
 * A behavior tolerance is a Quantity read with AsApproximateFloat64:
 * mantissa x math.Pow(10, exponent). Quantities are exact to a milli-unit
 * here, so the mantissa is the milli value without its trailing zeros.
 */
static double approximate_float64(int64_t milli)
{
    int exp = -3;
    while (milli != 0 && milli % 10 == 0) {
        milli /= 10;
        exp++;
    }
    return exp == 0 ? (double)milli : (double)milli * pow(10, exp);
}

/* HPAScalingPolicy list (validateScalingRules: value > 0, period in (0, 1800]). */
static int read_policies(struct hpaobj *h, const struct ynode *n, struct hpa_scaling_rules *out,
                         struct diag *d)
{
    if (schema_expect_seq(n, "policies", d))
        return -1;
    if (h->strict && n->n == 0)
        return schema_fail(d, n, "policies: must not be empty when set");
    struct hpa_scaling_policy *pol = kobj_alloc(&h->pool, n->n, sizeof *pol);
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *e = n->items[i], *v;
        int type;
        int64_t value, period;
        if (schema_check_keys(e, "policies[]", policy_keys, d) ||
            !(v = schema_require(e, "policies[]", "type", d)) ||
            schema_enum(v, "type", policy_types, &type, d) ||
            !(v = schema_require(e, "policies[]", "value", d)) ||
            schema_int64(v, "value", 1, INT32_MAX, &value, d) ||
            !(v = schema_require(e, "policies[]", "periodSeconds", d)) ||
            schema_int64(v, "periodSeconds", 1, 1800, &period, d))
            return -1;
        pol[i] = (struct hpa_scaling_policy){(enum hpa_policy_type)type, (int32_t)value,
                                             (int32_t)period};
    }
    out->has_policies = 1;
    out->policies = pol;
    out->npolicies = n->n;
    return 0;
}

/* HPAScalingRules (validateScalingRules: window <= 1h). */
static int read_rules(struct hpaobj *h, const struct ynode *r, const char *where,
                      struct hpa_scaling_rules *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    if (schema_check_keys(r, where, rules_keys, d))
        return -1;
    int64_t v;
    int rc = kobj_opt_int(r, "stabilizationWindowSeconds", 0, 3600, &v, d);
    if (rc < 0)
        return -1;
    out->has_stabilization_window = rc;
    out->stabilization_window_seconds = (int32_t)v;
    const struct ynode *n = ynode_get(r, "selectPolicy");
    int sp;
    if (!kobj_absent(n)) {
        if (schema_enum(n, "selectPolicy", select_policies, &sp, d))
            return -1;
        out->has_select_policy = 1;
        out->select_policy = (enum hpa_select_policy)sp;
    }
    n = ynode_get(r, "tolerance");
    if (!kobj_absent(n)) {
        int64_t milli;
        if (schema_quantity(n, "tolerance", 1, &milli, d))
            return -1;
        out->has_tolerance = 1;
        out->tolerance = approximate_float64(milli);
    }
    n = ynode_get(r, "policies");
    return kobj_absent(n) ? 0 : read_policies(h, n, out, d);
}

static int read_behavior(struct hpaobj *h, const struct ynode *b, struct diag *d)
{
    if (schema_check_keys(b, "behavior", behavior_keys, d))
        return -1;
    const struct ynode *up = ynode_get(b, "scaleUp"), *down = ynode_get(b, "scaleDown");
    if (!kobj_absent(up)) {
        if (read_rules(h, up, "scaleUp", &h->up, d))
            return -1;
        h->behavior.scale_up = &h->up;
    }
    if (!kobj_absent(down)) {
        if (read_rules(h, down, "scaleDown", &h->down, d))
            return -1;
        h->behavior.scale_down = &h->down;
    }
    h->spec.behavior = &h->behavior;
    return 0;
}

static int read_status(struct hpaobj *h, const struct ynode *st, simtime *latest, struct diag *d)
{
    if (kobj_absent(st))
        return 0;
    if (schema_check_keys(st, "status", status_keys, d))
        return -1;
    int64_t v;
    int rc = kobj_opt_int(st, "desiredReplicas", 0, INT32_MAX, &v, d);
    if (rc < 0)
        return -1;
    h->has_desired = rc;
    h->desired = (int32_t)v;
    const struct ynode *n = ynode_get(st, "lastScaleTime");
    if (!kobj_absent(n)) {
        if (kobj_time(n, "lastScaleTime", &h->last_scale_time, latest, d))
            return -1;
        h->has_last_scale_time = 1;
    }
    return 0;
}

/* spec.scaleTargetRef: both ksim and hpa-calc follow Deployments. */
static int read_target_ref(struct hpaobj *h, const struct ynode *spec, struct diag *d)
{
    const struct ynode *ref = schema_require(spec, "spec", "scaleTargetRef", d);
    if (!ref || schema_check_keys(ref, "scaleTargetRef", ref_keys, d))
        return -1;
    const struct ynode *kind = schema_require(ref, "scaleTargetRef", "kind", d);
    const struct ynode *name = schema_require(ref, "scaleTargetRef", "name", d);
    const char *k;
    if (!kind || schema_string(kind, "scaleTargetRef.kind", &k, d) || !name ||
        schema_string(name, "scaleTargetRef.name", &h->target_name, d))
        return -1;
    if (strcmp(k, "Deployment") != 0)
        return schema_fail(
            d, kind, "scaleTargetRef.kind: %s, got '%s'",
            h->strict ? "ksim scales Deployments" : "hpa-calc reads Deployment targets", k);
    h->target_ref = ref;
    h->target_at = name;
    return 0;
}

/*
 * minReplicas and maxReplicas, minReplicas defaulted to 1 (defaults.go);
 * strict mode checks maxReplicas >= minReplicas (validation.go).
 */
static int read_replicas(struct hpaobj *h, const struct ynode *spec, struct diag *d)
{
    int64_t min = 1, max;
    if (kobj_opt_int(spec, "minReplicas", 0, INT32_MAX, &min, d) < 0)
        return -1;
    const struct ynode *mx = schema_require(spec, "spec", "maxReplicas", d);
    if (!mx || schema_int64(mx, "maxReplicas", 1, INT32_MAX, &max, d))
        return -1;
    if (h->strict && max < min)
        return schema_fail(d, mx, "maxReplicas: must be at least minReplicas (%lld), got %lld",
                           (long long)min, (long long)max);
    h->spec.has_min_replicas = 1;
    h->spec.min_replicas = (int32_t)min;
    h->spec.max_replicas = (int32_t)max;
    return 0;
}

/* validation.go: minReplicas 0 needs an Object or External metric (HPAScaleToZero). */
static int check_scale_to_zero(const struct hpaobj *h, const struct ynode *spec, struct diag *d)
{
    if (!h->strict || h->spec.min_replicas != 0)
        return 0;
    for (size_t i = 0; i < h->spec.nmetrics; i++)
        if (h->spec.metrics[i].type == HPA_METRIC_OBJECT ||
            h->spec.metrics[i].type == HPA_METRIC_EXTERNAL)
            return 0;
    return schema_fail(d, ynode_get(spec, "minReplicas"),
                       "minReplicas: 0 needs at least one Object or External metric "
                       "(HPAScaleToZero)");
}

static int read_spec(struct hpaobj *h, const struct ynode *obj, struct diag *d)
{
    const struct ynode *spec = schema_require(obj, "HorizontalPodAutoscaler", "spec", d);
    if (!spec || schema_check_keys(spec, "spec", spec_keys, d) || read_target_ref(h, spec, d) ||
        read_replicas(h, spec, d) || read_metrics(h, spec, d) || check_scale_to_zero(h, spec, d))
        return -1;
    const struct ynode *b = ynode_get(spec, "behavior");
    return kobj_absent(b) ? 0 : read_behavior(h, b, d);
}

/*
 * apiVersion and metadata. hpa-calc has checked apiVersion already (items of
 * a typed list may leave it out); strict mode checks it here and holds names
 * to IsDNS1123Subdomain.
 */
static int read_head(struct hpaobj *h, const struct ynode *obj, simtime *latest, struct diag *d)
{
    if (h->strict) {
        const struct ynode *v = schema_require(obj, "HorizontalPodAutoscaler", "apiVersion", d);
        const char *api;
        if (!v || schema_string(v, "apiVersion", &api, d))
            return -1;
        if (strcmp(api, HPA_API_VERSION) != 0)
            return schema_fail(d, v,
                               "apiVersion: expected '%s' for a HorizontalPodAutoscaler, got '%s'",
                               HPA_API_VERSION, api);
    }
    if (schema_check_keys(obj, "HorizontalPodAutoscaler", hpa_keys, d) ||
        !schema_require(obj, "HorizontalPodAutoscaler", "metadata", d) ||
        kobj_meta(obj, 1, &h->meta, latest, d))
        return -1;
    if (h->strict) {
        const struct ynode *ns = ynode_get(h->meta.node, "namespace");
        if (schema_name(ynode_get(h->meta.node, "name"), "metadata.name", &h->meta.name, d) ||
            (!kobj_absent(ns) && schema_name(ns, "metadata.namespace", &h->meta.namespace_name, d)))
            return -1;
    }
    h->spec.namespace_name = h->meta.namespace_name;
    return 0;
}

int hpaobj_read(const struct ynode *obj, enum hpaobj_mode mode, struct hpaobj *h, simtime *latest,
                struct diag *d)
{
    memset(h, 0, sizeof *h);
    labelset_init(&h->meta.labels);
    h->node = obj;
    h->strict = mode == HPAOBJ_STRICT;
    if (read_head(h, obj, latest, d) || read_spec(h, obj, d))
        return -1;
    return read_status(h, ynode_get(obj, "status"), latest, d);
}

void hpaobj_release(struct hpaobj *h)
{
    kobj_meta_release(&h->meta);
    for (size_t i = 0; h->selectors && i < h->spec.nmetrics; i++)
        labelselector_release(&h->selectors[i]);
    kobj_pool_release(&h->pool);
    memset(h, 0, sizeof *h);
}
