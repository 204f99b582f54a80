#include "sim/io/hpaspec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/schema.h"

static const char *const hpa_keys[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
/* clang-format off */
static const char *const hpa_spec_keys[] = {
    "scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior", NULL,
};
/* clang-format on */
/* clang-format off */
static const char *const hpa_status_keys[] = {
    "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas", "currentMetrics",
    "conditions", NULL,
};
/* clang-format on */
static const char *const ref_keys[] = {"apiVersion", "kind", "name", NULL};
/* clang-format off */
static const char *const metric_keys[] = {
    "type", "resource", "containerResource", "pods", "object", "external", NULL,
};
/* clang-format on */
static const char *const metric_types[] = {"Resource", "ContainerResource", "Pods",
                                           "Object",   "External",          NULL};
/* clang-format off */
static const char *const target_keys[] = {
    "type", "value", "averageValue", "averageUtilization", NULL,
};
/* clang-format on */
static const char *const target_types[] = {"Utilization", "Value", "AverageValue", NULL};
static const char *const identifier_keys[] = {"name", "selector", NULL};
/* clang-format off */
static const char *const rules_keys[] = {
    "stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance", NULL,
};
/* clang-format on */
static const char *const policy_keys[] = {"type", "value", "periodSeconds", NULL};
static const char *const policy_types[] = {"Pods", "Percent", NULL};
static const char *const select_policies[] = {"Max", "Min", "Disabled", NULL};

/*
 * MetricTarget: which field the controller will use. Follows horizontal.go:
 * Resource metrics take averageValue when set, else averageUtilization
 * (target.type is not looked at); Pods metrics take averageValue; Object and
 * External take the field target.type names. A target the controller cannot
 * use is HPA_TARGET_NONE, reported by the sync (not an input error).
 */
static int read_target(const struct ynode *t, enum hpa_metric_type mt, struct hpa_metric_spec *m,
                       struct diag *d)
{
    m->target_type = HPA_TARGET_NONE;
    if (kobj_absent(t))
        return 0;
    if (schema_check_keys(t, "target", target_keys, d))
        return -1;
    int type = -1;
    const struct ynode *n = ynode_get(t, "type");
    if (!kobj_absent(n) && schema_enum(n, "target.type", target_types, &type, d))
        return -1;
    int64_t util;
    int has_util = kobj_opt_int(t, "averageUtilization", 0, INT32_MAX, &util, d);
    if (has_util < 0)
        return -1;
    int64_t value = 0, avg = 0;
    const struct ynode *v = ynode_get(t, "value"), *a = ynode_get(t, "averageValue");
    if (!kobj_absent(v) && schema_quantity(v, "target.value", 1, &value, d))
        return -1;
    if (!kobj_absent(a) && schema_quantity(a, "target.averageValue", 1, &avg, d))
        return -1;
    if (mt == HPA_METRIC_RESOURCE || mt == HPA_METRIC_CONTAINER_RESOURCE || mt == HPA_METRIC_PODS) {
        if (!kobj_absent(a)) {
            m->target_type = HPA_TARGET_AVERAGE_VALUE;
            m->target_milli = avg;
        } else if (has_util && mt != HPA_METRIC_PODS) {
            m->target_type = HPA_TARGET_UTILIZATION;
            m->target_utilization = (int32_t)util;
        }
    } else if (type == 1 && !kobj_absent(v)) {
        m->target_type = HPA_TARGET_VALUE;
        m->target_milli = value;
    } else if (type == 2 && !kobj_absent(a)) {
        m->target_type = HPA_TARGET_AVERAGE_VALUE;
        m->target_milli = avg;
    }
    return 0;
}

/* MetricIdentifier {name, selector}. */
static int read_identifier(struct hpaspec *h, const struct ynode *id, size_t i,
                           struct hpa_metric_spec *m, struct diag *d)
{
    if (schema_check_keys(id, "metric", identifier_keys, d))
        return -1;
    const struct ynode *n = schema_require(id, "metric", "name", d);
    if (!n || schema_string(n, "metric.name", &m->name, d))
        return -1;
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

static int read_metric(struct hpaspec *h, const struct ynode *ms, size_t i,
                       struct hpa_metric_spec *m, struct diag *d)
{
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
    if (m->type == HPA_METRIC_UNKNOWN)
        return 0; /* the sync reports InvalidMetricSourceType */
    static const char *const source_key[] = {"resource", "containerResource", "pods", "object",
                                             "external"};
    static const char *const source_keys[][5] = {
        {"name", "target", NULL},   {"name", "container", "target", NULL},
        {"metric", "target", NULL}, {"describedObject", "metric", "target", NULL},
        {"metric", "target", NULL},
    };
    const char *key = source_key[m->type];
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
    return read_target(ynode_get(src, "target"), m->type, m, d);
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

static int read_rules(struct hpaspec *h, const struct ynode *r, const char *where,
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
    if (kobj_absent(n))
        return 0;
    if (schema_expect_seq(n, "policies", d))
        return -1;
    struct hpa_scaling_policy *pol = kobj_alloc(&h->pool, n->n, sizeof *pol);
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *e = n->items[i];
        int type;
        int64_t value, period;
        if (schema_check_keys(e, "policies[]", policy_keys, d))
            return -1;
        const struct ynode *t = schema_require(e, "policies[]", "type", d);
        const struct ynode *vn = schema_require(e, "policies[]", "value", d);
        const struct ynode *pn = schema_require(e, "policies[]", "periodSeconds", d);
        if (!t || schema_enum(t, "type", policy_types, &type, d) || !vn ||
            schema_int64(vn, "value", 1, INT32_MAX, &value, d) || !pn ||
            schema_int64(pn, "periodSeconds", 1, 1800, &period, d))
            return -1;
        pol[i] = (struct hpa_scaling_policy){(enum hpa_policy_type)type, (int32_t)value,
                                             (int32_t)period};
    }
    out->has_policies = 1;
    out->policies = pol;
    out->npolicies = n->n;
    return 0;
}

static int read_behavior(struct hpaspec *h, const struct ynode *b, struct diag *d)
{
    static const char *const keys[] = {"scaleUp", "scaleDown", NULL};
    if (schema_check_keys(b, "behavior", keys, d))
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
    return 0;
}

static int read_status(struct hpaspec *h, const struct ynode *st, simtime *latest, struct diag *d)
{
    if (kobj_absent(st))
        return 0;
    if (schema_check_keys(st, "status", hpa_status_keys, d))
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

/* spec.scaleTargetRef: hpa-calc follows Deployments. */
static int read_target_ref(struct hpaspec *h, const struct ynode *spec, struct diag *d)
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
    if (strcmp(k, "Deployment") != 0) {
        diag_set(d, kind->file, kind->line, kind->col,
                 "scaleTargetRef.kind: hpa-calc reads Deployment targets, got '%s'", k);
        return -1;
    }
    h->target_ref = ref;
    return 0;
}

static int read_metrics(struct hpaspec *h, const struct ynode *metrics, struct diag *d)
{
    if (schema_expect_seq(metrics, "metrics", d))
        return -1;
    size_t n = kobj_absent(metrics) ? 0 : metrics->n;
    /* pkg/apis/autoscaling/v2/defaults.go: no metrics means cpu at 80% utilization. */
    size_t nm = n ? n : 1;
    struct hpa_metric_spec *ms = kobj_alloc(&h->pool, nm, sizeof *ms);
    h->selectors = kobj_alloc(&h->pool, nm, sizeof *h->selectors);
    h->has_selector = kobj_alloc(&h->pool, nm, sizeof *h->has_selector);
    for (size_t i = 0; i < nm; i++)
        labelselector_init(&h->selectors[i]);
    h->spec.metrics = ms;
    h->spec.nmetrics = nm;
    if (n == 0)
        ms[0] = (struct hpa_metric_spec){.type = HPA_METRIC_RESOURCE,
                                         .name = "cpu",
                                         .target_type = HPA_TARGET_UTILIZATION,
                                         .target_utilization = 80};
    for (size_t i = 0; i < n; i++)
        if (read_metric(h, metrics->items[i], i, &ms[i], d))
            return -1;
    return 0;
}

int hpaspec_read(const struct ynode *obj, struct hpaspec *h, simtime *latest, struct diag *d)
{
    memset(h, 0, sizeof *h);
    labelset_init(&h->meta.labels);
    h->node = obj;
    if (schema_check_keys(obj, "HorizontalPodAutoscaler", hpa_keys, d) ||
        kobj_meta(obj, 1, &h->meta, latest, d))
        return -1;
    h->spec.namespace_name = h->meta.namespace_name;
    const struct ynode *spec = schema_require(obj, "HorizontalPodAutoscaler", "spec", d);
    if (!spec || schema_check_keys(spec, "spec", hpa_spec_keys, d) || read_target_ref(h, spec, d))
        return -1;
    int64_t v;
    int rc = kobj_opt_int(spec, "minReplicas", 0, INT32_MAX, &v, d);
    if (rc < 0)
        return -1;
    h->spec.has_min_replicas = rc;
    h->spec.min_replicas = (int32_t)v;
    const struct ynode *max = schema_require(spec, "spec", "maxReplicas", d);
    if (!max || schema_int64(max, "maxReplicas", 1, INT32_MAX, &v, d))
        return -1;
    h->spec.max_replicas = (int32_t)v;
    if (read_metrics(h, ynode_get(spec, "metrics"), d))
        return -1;
    const struct ynode *b = ynode_get(spec, "behavior");
    if (!kobj_absent(b)) {
        if (read_behavior(h, b, d))
            return -1;
        h->spec.behavior = &h->behavior;
    }
    return read_status(h, ynode_get(obj, "status"), latest, d);
}

void hpaspec_release(struct hpaspec *h)
{
    kobj_meta_release(&h->meta);
    for (size_t i = 0; h->selectors && i < h->spec.nmetrics; i++)
        labelselector_release(&h->selectors[i]);
    kobj_pool_release(&h->pool);
    memset(h, 0, sizeof *h);
}
