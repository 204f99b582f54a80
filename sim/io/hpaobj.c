#include "sim/io/hpaobj.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/schema.h"

#define HPA_API_VERSION "autoscaling/v2"

static int fail(struct diag *d, const struct ynode *at, const char *msg, const char *arg)
{
    diag_set(d, at->file, at->line, at->col, msg, arg);
    return -1;
}

static const char *const target_keys[] = {"type", "averageUtilization", "averageValue", "value",
                                          NULL};

/* MetricTarget: the field its type names must be set (validateMetricTarget). */
static int read_target(const struct ynode *n, int allow_util, struct hpa_metric_spec *m,
                       struct diag *d)
{
    static const char *const types[] = {"Utilization", "AverageValue", "Value", NULL};
    const struct ynode *v;
    int type;
    if (schema_check_keys(n, "target", target_keys, d) ||
        !(v = schema_require(n, "target", "type", d)) ||
        schema_enum(v, "target.type", types, &type, d))
        return -1;
    if (type == 0 && !allow_util)
        return fail(d, v,
                    "target.type: %s is only valid for Resource and ContainerResource metrics",
                    "Utilization");
    static const char *const field[] = {"averageUtilization", "averageValue", "value"};
    if (!(v = schema_require(n, "target", field[type], d)))
        return -1;
    if (type == 0) {
        int64_t u;
        if (schema_int64(v, "averageUtilization", 1, INT32_MAX, &u, d))
            return -1;
        m->target_type = HPA_TARGET_UTILIZATION;
        m->target_utilization = (int32_t)u;
        return 0;
    }
    if (schema_quantity(v, field[type], 1, &m->target_milli, d))
        return -1;
    if (m->target_milli <= 0)
        return fail(d, v, "%s: must be positive", field[type]);
    m->target_type = type == 1 ? HPA_TARGET_AVERAGE_VALUE : HPA_TARGET_VALUE;
    return 0;
}

static const char *const resource_keys[] = {"name", "container", "target", NULL};
static const char *const ident_keys[] = {"name", "selector", NULL};
static const char *const pods_keys[] = {"metric", "target", NULL};
static const char *const object_keys[] = {"describedObject", "metric", "target", NULL};
static const char *const ref_keys[] = {"apiVersion", "kind", "name", NULL};
static const char *const metric_keys[] = {
    "type", "resource", "containerResource", "pods", "object", "external", NULL};

static int read_metric(const struct ynode *n, struct hpa_metric_spec *m, const struct ynode **at,
                       struct diag *d)
{
    static const char *const types[] = {"Resource", "ContainerResource", "Pods",
                                        "Object",   "External",          NULL};
    static const char *const field[] = {"resource", "containerResource", "pods", "object",
                                        "external"};
    const struct ynode *v;
    int type;
    memset(m, 0, sizeof *m);
    if (schema_check_keys(n, "metrics[]", metric_keys, d) ||
        !(v = schema_require(n, "metrics[]", "type", d)) || schema_enum(v, "type", types, &type, d))
        return -1;
    m->type = (enum hpa_metric_type)type;
    const struct ynode *src = schema_require(n, "metrics[]", field[type], d);
    if (!src)
        return -1;
    const struct ynode *name_node;
    if (type <= 1) {
        if (schema_check_keys(src, field[type], resource_keys, d))
            return -1;
        if (!(name_node = schema_require(src, field[type], "name", d)) ||
            schema_string(name_node, "name", &m->name, d))
            return -1;
        if (type == 1) {
            if (!(v = schema_require(src, field[type], "container", d)) ||
                schema_string(v, "container", &m->container, d))
                return -1;
        } else if ((v = ynode_get(src, "container"))) {
            return fail(d, v, "'%s' applies only to containerResource", "container");
        }
    } else {
        if (schema_check_keys(src, field[type], type == 3 ? object_keys : pods_keys, d))
            return -1;
        const struct ynode *ident = schema_require(src, field[type], "metric", d);
        if (!ident || schema_check_keys(ident, "metric", ident_keys, d))
            return -1;
        if (!(name_node = schema_require(ident, "metric", "name", d)) ||
            schema_string(name_node, "metric.name", &m->name, d))
            return -1;
        if (type == 3) {
            const struct ynode *ref = schema_require(src, "object", "describedObject", d);
            if (!ref || schema_check_keys(ref, "describedObject", ref_keys, d))
                return -1;
            if (!(v = schema_require(ref, "describedObject", "kind", d)) ||
                schema_string(v, "describedObject.kind", &m->object_kind, d))
                return -1;
            if (!(v = schema_require(ref, "describedObject", "name", d)) ||
                schema_string(v, "describedObject.name", &m->object_name, d))
                return -1;
        }
    }
    *at = name_node;
    const struct ynode *t = schema_require(src, field[type], "target", d);
    return t ? read_target(t, type <= 1, m, d) : -1;
}

static const char *const rules_keys[] = {"stabilizationWindowSeconds", "selectPolicy", "policies",
                                         "tolerance", NULL};
static const char *const policy_keys[] = {"type", "value", "periodSeconds", NULL};

/* HPAScalingRules (validateScalingRules: window <= 1h, value > 0, period in (0, 1800]). */
static int read_rules(const struct ynode *n, const char *where, struct hpa_scaling_rules *r,
                      struct hpa_scaling_policy **pols, struct diag *d)
{
    const struct ynode *v;
    memset(r, 0, sizeof *r);
    if (schema_check_keys(n, where, rules_keys, d))
        return -1;
    if ((v = ynode_get(n, "stabilizationWindowSeconds")) && !ynode_is_null(v)) {
        int64_t w;
        if (schema_int64(v, "stabilizationWindowSeconds", 0, 3600, &w, d))
            return -1;
        r->has_stabilization_window = 1;
        r->stabilization_window_seconds = (int32_t)w;
    }
    if ((v = ynode_get(n, "selectPolicy")) && !ynode_is_null(v)) {
        static const char *const sel[] = {"Max", "Min", "Disabled", NULL};
        int s;
        if (schema_enum(v, "selectPolicy", sel, &s, d))
            return -1;
        r->has_select_policy = 1;
        r->select_policy = (enum hpa_select_policy)s;
    }
    if ((v = ynode_get(n, "tolerance")) && !ynode_is_null(v)) {
        int64_t milli;
        if (schema_quantity(v, "tolerance", 1, &milli, d))
            return -1;
        r->has_tolerance = 1;
        r->tolerance = (double)milli / 1000.0;
    }
    const struct ynode *ps = ynode_get(n, "policies");
    if (ps && !ynode_is_null(ps)) {
        if (schema_expect_seq(ps, "policies", d))
            return -1;
        if (ps->n == 0)
            return fail(d, ps, "policies: %s", "must not be empty when set");
        *pols = xcalloc(ps->n, sizeof **pols);
        for (size_t i = 0; i < ps->n; i++) {
            const struct ynode *p = ps->items[i];
            static const char *const types[] = {"Pods", "Percent", NULL};
            int type;
            int64_t val, period;
            if (schema_check_keys(p, "policies[]", policy_keys, d) ||
                !(v = schema_require(p, "policies[]", "type", d)) ||
                schema_enum(v, "type", types, &type, d) ||
                !(v = schema_require(p, "policies[]", "value", d)) ||
                schema_int64(v, "value", 1, INT32_MAX, &val, d) ||
                !(v = schema_require(p, "policies[]", "periodSeconds", d)) ||
                schema_int64(v, "periodSeconds", 1, 1800, &period, d))
                return -1;
            (*pols)[i] = (struct hpa_scaling_policy){(enum hpa_policy_type)type, (int32_t)val,
                                                     (int32_t)period};
        }
        r->has_policies = 1;
        r->policies = *pols;
        r->npolicies = ps->n;
    }
    return 0;
}

static const char *const spec_keys[] = {"scaleTargetRef", "minReplicas", "maxReplicas",
                                        "metrics",        "behavior",    NULL};
static const char *const behavior_keys[] = {"scaleUp", "scaleDown", NULL};

static int read_spec(struct hpaobj *h, const struct ynode *spec, struct diag *d)
{
    const struct ynode *v;
    if (schema_check_keys(spec, "spec", spec_keys, d))
        return -1;
    const struct ynode *ref = schema_require(spec, "spec", "scaleTargetRef", d);
    if (!ref || schema_check_keys(ref, "scaleTargetRef", ref_keys, d))
        return -1;
    const char *kind;
    if (!(v = schema_require(ref, "scaleTargetRef", "kind", d)) ||
        schema_string(v, "scaleTargetRef.kind", &kind, d))
        return -1;
    if (strcmp(kind, "Deployment") != 0)
        return fail(d, v, "scaleTargetRef.kind: ksim scales Deployments, got '%s'", kind);
    if (!(v = schema_require(ref, "scaleTargetRef", "name", d)) ||
        schema_string(v, "scaleTargetRef.name", &h->target_name, d))
        return -1;
    h->target_at = v;
    int64_t min = 1, max;
    const struct ynode *minv = ynode_get(spec, "minReplicas");
    if (minv && !ynode_is_null(minv) && schema_int64(minv, "minReplicas", 0, INT32_MAX, &min, d))
        return -1;
    if (!(v = schema_require(spec, "spec", "maxReplicas", d)) ||
        schema_int64(v, "maxReplicas", 1, INT32_MAX, &max, d))
        return -1;
    if (max < min) {
        diag_set(d, v->file, v->line, v->col,
                 "maxReplicas: must be at least minReplicas (%lld), got %lld", (long long)min,
                 (long long)max);
        return -1;
    }
    h->spec.has_min_replicas = 1;
    h->spec.min_replicas = (int32_t)min;
    h->spec.max_replicas = (int32_t)max;

    const struct ynode *ms = ynode_get(spec, "metrics");
    if (schema_expect_seq(ms, "metrics", d))
        return -1;
    size_t n = ms && !ynode_is_null(ms) ? ms->n : 0;
    h->metrics = xcalloc(n ? n : 1, sizeof *h->metrics);
    h->metric_at = xcalloc(n ? n : 1, sizeof *h->metric_at);
    for (size_t i = 0; i < n; i++)
        if (read_metric(ms->items[i], &h->metrics[i], &h->metric_at[i], d))
            return -1;
    if (n == 0) {
        /* SetDefaults_HorizontalPodAutoscaler: cpu at 80% of the request. */
        h->metrics[0] = (struct hpa_metric_spec){.type = HPA_METRIC_RESOURCE,
                                                 .name = "cpu",
                                                 .target_type = HPA_TARGET_UTILIZATION,
                                                 .target_utilization = 80};
        h->metric_at[0] = spec;
        n = 1;
    }
    h->spec.metrics = h->metrics;
    h->spec.nmetrics = n;
    if (min == 0) {
        int ok = 0;
        for (size_t i = 0; i < n; i++)
            ok |= h->metrics[i].type == HPA_METRIC_OBJECT ||
                  h->metrics[i].type == HPA_METRIC_EXTERNAL;
        if (!ok)
            return fail(d, minv, "minReplicas: %s",
                        "0 needs at least one Object or External metric (HPAScaleToZero)");
    }

    const struct ynode *b = ynode_get(spec, "behavior");
    if (b && !ynode_is_null(b)) {
        if (schema_check_keys(b, "behavior", behavior_keys, d))
            return -1;
        if ((v = ynode_get(b, "scaleUp")) && !ynode_is_null(v)) {
            if (read_rules(v, "scaleUp", &h->up, &h->up_policies, d))
                return -1;
            h->behavior.scale_up = &h->up;
        }
        if ((v = ynode_get(b, "scaleDown")) && !ynode_is_null(v)) {
            if (read_rules(v, "scaleDown", &h->down, &h->down_policies, d))
                return -1;
            h->behavior.scale_down = &h->down;
        }
        h->spec.behavior = &h->behavior;
    }
    return 0;
}

struct hpaobj *hpaobj_read(const struct ynode *obj, struct diag *d)
{
    struct hpaobj *h = xcalloc(1, sizeof *h);
    const struct ynode *v;
    const char *api;
    if (!(v = schema_require(obj, "HorizontalPodAutoscaler", "apiVersion", d)) ||
        schema_string(v, "apiVersion", &api, d))
        goto fail;
    if (strcmp(api, HPA_API_VERSION) != 0) {
        diag_set(d, v->file, v->line, v->col,
                 "apiVersion: expected '%s' for a HorizontalPodAutoscaler, got '%s'",
                 HPA_API_VERSION, api);
        goto fail;
    }
    const struct ynode *md = schema_require(obj, "HorizontalPodAutoscaler", "metadata", d);
    if (!md || schema_expect_map(md, "metadata", d))
        goto fail;
    if (!(v = schema_require(md, "metadata", "name", d)) ||
        schema_name(v, "metadata.name", &h->name, d))
        goto fail;
    h->namespace_name = "default";
    if ((v = ynode_get(md, "namespace")) && !ynode_is_null(v) &&
        schema_name(v, "metadata.namespace", &h->namespace_name, d))
        goto fail;
    h->spec.namespace_name = h->namespace_name;
    const struct ynode *spec = schema_require(obj, "HorizontalPodAutoscaler", "spec", d);
    if (!spec || read_spec(h, spec, d))
        goto fail;
    return h;
fail:
    hpaobj_free(h);
    return NULL;
}

void hpaobj_free(struct hpaobj *h)
{
    if (!h)
        return;
    free(h->metrics);
    free(h->metric_at);
    free(h->up_policies);
    free(h->down_policies);
    free(h);
}
