#include "sim/io/kube/hpasnap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/labelselector.h"
#include "sim/io/kube/hpametrics.h"
#include "sim/io/kube/hpaobj.h"
#include "sim/io/kube/kobj.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/rfc3339.h"
#include "sim/io/schema.h"
#include "sim/io/ytree.h"

/* A pod of the snapshot (any namespace) and what the calculator reads of it. */
struct snap_pod {
    struct kobj_meta meta;
    struct hpa_pod pod;
};

struct snap_deployment {
    struct kobj_meta meta;
    int32_t replicas, status_replicas;
    struct labelselector selector;
};

struct hpasnap_priv {
    struct ytree **trees;
    size_t ntrees;
    struct kobj_pool pool;
    int has_hpa;
    struct hpaobj hpa;
    struct hpametrics *metrics;
    struct snap_pod *pods;
    size_t npods, cappods;
    struct snap_deployment *deployments;
    size_t ndeployments, capdeployments;
    const struct ynode *state;
    struct kobj_meta state_meta;
    const struct ynode *config;
    const struct labelselector *selector; /* the target's, once resolved */
};

/* ---- HorizontalPodAutoscaler and the metrics APIs (sim/io/kube/hpaobj.h, hpametrics.h) ---- */

static int read_hpa(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    struct hpasnap_priv *p = s->priv;
    if (p->has_hpa) {
        struct hpaobj second;
        int rc = hpaobj_read(obj, HPAOBJ_AS_IS, &second, &s->latest, d);
        if (rc == 0)
            diag_set(d, obj->file, obj->line, obj->col,
                     "a second HorizontalPodAutoscaler '%s/%s' (hpa-calc evaluates one; the first "
                     "is '%s/%s')",
                     second.meta.namespace_name, second.meta.name, s->namespace_name, s->name);
        hpaobj_release(&second);
        return -1;
    }
    p->has_hpa = 1;
    if (hpaobj_read(obj, HPAOBJ_AS_IS, &p->hpa, &s->latest, d))
        return -1;
    s->namespace_name = p->hpa.meta.namespace_name;
    s->name = p->hpa.meta.name;
    s->target_name = p->hpa.target_name;
    s->spec = p->hpa.spec;
    if (p->hpa.has_desired)
        s->status.desired_replicas = p->hpa.desired;
    s->status.has_last_scale_time = p->hpa.has_last_scale_time;
    s->status.last_scale_time = p->hpa.last_scale_time;
    return 0;
}

static int read_podmetrics(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    return hpametrics_read_podmetrics(s->priv->metrics, obj, &s->latest, d);
}

static int read_values(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    return hpametrics_read_values(s->priv->metrics, obj, &s->latest, d);
}

static int read_external(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    return hpametrics_read_external(s->priv->metrics, obj, &s->latest, d);
}

static const struct snap_pod *find_pod(const struct hpasnap_priv *p, const char *ns,
                                       const char *name)
{
    for (size_t i = 0; i < p->npods; i++)
        if (strcmp(p->pods[i].meta.name, name) == 0 &&
            strcmp(p->pods[i].meta.namespace_name, ns) == 0)
            return &p->pods[i];
    return NULL;
}

static const struct snap_deployment *find_deployment(const struct hpasnap_priv *p, const char *ns,
                                                     const char *name)
{
    for (size_t i = 0; i < p->ndeployments; i++)
        if (strcmp(p->deployments[i].meta.name, name) == 0 &&
            strcmp(p->deployments[i].meta.namespace_name, ns) == 0)
            return &p->deployments[i];
    return NULL;
}

/* Names are keys: an object seen twice is an error at the second. */
static int second(const struct ynode *obj, const char *kind, const struct kobj_meta *m,
                  struct diag *d)
{
    diag_set(d, obj->file, obj->line, obj->col, "a second %s '%s/%s'", kind, m->namespace_name,
             m->name);
    return -1;
}

/* ---- Deployment ---- */

static const char *const deploy_keys[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
/* clang-format off */
static const char *const deploy_spec_keys[] = {
    "replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit",
    "paused", "progressDeadlineSeconds", NULL,
};
/* clang-format on */
/* clang-format off */
static const char *const deploy_status_keys[] = {
    "observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
    "unavailableReplicas", "terminatingReplicas", "conditions", "collisionCount", NULL,
};
/* clang-format on */

static int read_deployment(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    struct hpasnap_priv *p = s->priv;
    struct snap_deployment *dep = KOBJ_PUSH(p->deployments, p->ndeployments, p->capdeployments);
    labelselector_init(&dep->selector);
    if (schema_check_keys(obj, "Deployment", deploy_keys, d) ||
        kobj_meta(obj, 1, &dep->meta, &s->latest, d))
        return -1;
    if (find_deployment(p, dep->meta.namespace_name, dep->meta.name) != dep)
        return second(obj, "Deployment", &dep->meta, d);
    const struct ynode *spec = schema_require(obj, "Deployment", "spec", d);
    if (!spec || schema_check_keys(spec, "spec", deploy_spec_keys, d))
        return -1;
    int64_t v = 1; /* the API server's default */
    if (kobj_opt_int(spec, "replicas", 0, INT32_MAX, &v, d) < 0)
        return -1;
    dep->replicas = (int32_t)v;
    const struct ynode *sel = schema_require(spec, "spec", "selector", d);
    labelselector_release(&dep->selector);
    if (!sel || kobj_selector(sel, "spec.selector", &dep->selector, d))
        return -1;
    const struct ynode *st = ynode_get(obj, "status");
    if (kobj_absent(st))
        return 0;
    if (schema_check_keys(st, "status", deploy_status_keys, d))
        return -1;
    v = 0;
    if (kobj_opt_int(st, "replicas", 0, INT32_MAX, &v, d) < 0)
        return -1;
    dep->status_replicas = (int32_t)v;
    return 0;
}

/* ---- Pod ---- */

static const char *const pod_keys[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
/* k8s.io/api/core/v1 PodSpec (v1.35), every JSON field name. */
/* clang-format off */
static const char *const podspec_keys[] = {
    "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector",
    "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "nodeName",
    "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext",
    "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations",
    "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates",
    "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead",
    "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates",
    "resourceClaims", "resources", "hostnameOverride", NULL,
};
/* clang-format on */
/* k8s.io/api/core/v1 Container (v1.35). */
/* clang-format off */
static const char *const container_keys[] = {
    "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources",
    "resizePolicy", "restartPolicy", "restartPolicyRules", "volumeMounts", "volumeDevices",
    "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
    "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
    NULL,
};
/* clang-format on */
static const char *const resources_keys[] = {"limits", "requests", "claims", NULL};
/* k8s.io/api/core/v1 PodStatus (v1.35). */
/* clang-format off */
static const char *const podstatus_keys[] = {
    "observedGeneration", "phase", "conditions", "message", "reason", "nominatedNodeName", "hostIP",
    "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses", "containerStatuses",
    "qosClass", "ephemeralContainerStatuses", "resize", "resourceClaimStatuses",
    "extendedResourceClaimStatus", "allocatedResources", "resources", NULL,
};
/* clang-format on */
/* clang-format off */
static const char *const condition_keys[] = {
    "type", "observedGeneration", "status", "lastProbeTime", "lastTransitionTime", "reason",
    "message", NULL,
};
/* clang-format on */
static const char *const pod_phases[] = {"Pending", "Running", "Succeeded",
                                         "Failed",  "Unknown", NULL};
static const char *const condition_statuses[] = {"True", "False", "Unknown", NULL};

/* requests of a resources block (ResourceRequirements). */
static int read_resources(struct hpasnap_priv *p, const struct ynode *res, const char *where,
                          const struct hpa_request **out, size_t *n, struct diag *d)
{
    *out = NULL;
    *n = 0;
    if (kobj_absent(res))
        return 0;
    if (schema_check_keys(res, where, resources_keys, d))
        return -1;
    return kobj_requests(&p->pool, ynode_get(res, "requests"), "requests", out, n, d);
}

static int read_containers(struct hpasnap_priv *p, const struct ynode *list, int init,
                           struct hpa_container *out, size_t *n, struct diag *d)
{
    const char *where = init ? "initContainers[]" : "containers[]";
    if (schema_expect_seq(list, init ? "initContainers" : "containers", d))
        return -1;
    for (size_t i = 0; !kobj_absent(list) && i < list->n; i++) {
        const struct ynode *c = list->items[i];
        struct hpa_container *hc = &out[(*n)++];
        if (schema_check_keys(c, where, container_keys, d))
            return -1;
        const struct ynode *name = schema_require(c, where, "name", d);
        if (!name || schema_string(name, "name", &hc->name, d))
            return -1;
        hc->kind = HPA_CONTAINER_REGULAR;
        if (init) {
            const struct ynode *rp = ynode_get(c, "restartPolicy");
            const char *policy = "";
            if (!kobj_absent(rp) && schema_string(rp, "restartPolicy", &policy, d))
                return -1;
            hc->kind = strcmp(policy, "Always") == 0 ? HPA_CONTAINER_SIDECAR : HPA_CONTAINER_INIT;
        }
        if (read_resources(p, ynode_get(c, "resources"), "resources", &hc->requests, &hc->nrequests,
                           d))
            return -1;
    }
    return 0;
}

static int read_pod_status(struct hpasnap *s, const struct ynode *st, struct hpa_pod *pod,
                           struct diag *d)
{
    pod->phase = HPA_POD_UNKNOWN; /* an empty phase is neither Pending nor Failed nor Running */
    pod->ready = HPA_READY_NONE;
    if (kobj_absent(st))
        return 0;
    if (schema_check_keys(st, "status", podstatus_keys, d))
        return -1;
    const struct ynode *n = ynode_get(st, "phase");
    int v;
    if (!kobj_absent(n)) {
        if (schema_enum(n, "status.phase", pod_phases, &v, d))
            return -1;
        pod->phase = (enum hpa_pod_phase)v;
    }
    n = ynode_get(st, "startTime");
    if (!kobj_absent(n)) {
        if (kobj_time(n, "status.startTime", &pod->start_time, &s->latest, d))
            return -1;
        pod->has_start_time = 1;
    }
    const struct ynode *conds = ynode_get(st, "conditions");
    if (schema_expect_seq(conds, "status.conditions", d))
        return -1;
    for (size_t i = 0; !kobj_absent(conds) && i < conds->n; i++) {
        const struct ynode *c = conds->items[i];
        const char *type;
        if (schema_check_keys(c, "status.conditions[]", condition_keys, d))
            return -1;
        const struct ynode *t = schema_require(c, "status.conditions[]", "type", d);
        if (!t || schema_string(t, "type", &type, d))
            return -1;
        const struct ynode *lt = ynode_get(c, "lastTransitionTime");
        simtime when = RFC3339_ZERO_TIME; /* a nil metav1.Time reads as Go's zero time */
        if (!kobj_absent(lt) && kobj_time(lt, "lastTransitionTime", &when, &s->latest, d))
            return -1;
        if (strcmp(type, "Ready") != 0)
            continue;
        const struct ynode *sn = schema_require(c, "status.conditions[]", "status", d);
        if (!sn || schema_enum(sn, "status", condition_statuses, &v, d))
            return -1;
        /* podutil.GetPodCondition returns the first Ready condition. */
        if (pod->ready == HPA_READY_NONE) {
            pod->ready = v == 0 ? HPA_READY_TRUE : v == 1 ? HPA_READY_FALSE : HPA_READY_UNKNOWN;
            pod->ready_transition = when;
        }
    }
    return 0;
}

static int read_pod(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    struct hpasnap_priv *p = s->priv;
    struct snap_pod *sp = KOBJ_PUSH(p->pods, p->npods, p->cappods);
    struct hpa_pod *pod = &sp->pod;
    if (schema_check_keys(obj, "Pod", pod_keys, d) || kobj_meta(obj, 1, &sp->meta, &s->latest, d))
        return -1;
    if (find_pod(p, sp->meta.namespace_name, sp->meta.name) != sp)
        return second(obj, "Pod", &sp->meta, d);
    pod->name = sp->meta.name;
    pod->deleting = sp->meta.deleting;
    const struct ynode *spec = schema_require(obj, "Pod", "spec", d);
    if (!spec || schema_check_keys(spec, "spec", podspec_keys, d))
        return -1;
    const struct ynode *cs = ynode_get(spec, "containers"),
                       *ics = ynode_get(spec, "initContainers");
    size_t cap =
        (cs && cs->kind == YNODE_SEQ ? cs->n : 0) + (ics && ics->kind == YNODE_SEQ ? ics->n : 0);
    struct hpa_container *containers = kobj_alloc(&p->pool, cap, sizeof *containers);
    size_t n = 0;
    if (read_containers(p, cs, 0, containers, &n, d) ||
        read_containers(p, ics, 1, containers, &n, d))
        return -1;
    pod->containers = containers;
    pod->ncontainers = n;
    if (read_resources(p, ynode_get(spec, "resources"), "spec.resources", &pod->pod_requests,
                       &pod->npod_requests, d))
        return -1;
    return read_pod_status(s, ynode_get(obj, "status"), pod, d);
}

/* ---- ksim.io/v1alpha1 state and configuration ---- */

/* clang-format off */
static const char *const state_keys[] = {
    "apiVersion", "kind", "metadata", "recommendations", "scaleUpEvents", "scaleDownEvents", NULL,
};
/* clang-format on */
static const char *const recommendation_keys[] = {"timestamp", "replicas", NULL};
static const char *const event_keys[] = {"timestamp", "replicaChange", "outdated", NULL};
/* clang-format off */
static const char *const config_keys[] = {
    "apiVersion", "kind", "metadata", "tolerance", "cpuInitializationPeriod",
    "initialReadinessDelay", "downscaleStabilizationWindow", "scaleUpLimitFactor",
    "scaleUpLimitMinimum", "featureGates", NULL,
};
/* clang-format on */
static const char *const gate_keys[] = {"HPAConfigurableTolerance", "PodLevelResources", NULL};

static int read_events(struct hpasnap *s, const struct ynode *list, const char *what, int up,
                       struct diag *d)
{
    if (schema_expect_seq(list, what, d))
        return -1;
    for (size_t i = 0; !kobj_absent(list) && i < list->n; i++) {
        const struct ynode *e = list->items[i];
        simtime t;
        int64_t change;
        int outdated = 0;
        if (schema_check_keys(e, what, event_keys, d))
            return -1;
        const struct ynode *tn = schema_require(e, what, "timestamp", d);
        const struct ynode *cn = schema_require(e, what, "replicaChange", d);
        if (!tn || kobj_time(tn, "timestamp", &t, &s->latest, d) || !cn ||
            schema_int64(cn, "replicaChange", 0, INT32_MAX, &change, d))
            return -1;
        const struct ynode *on = ynode_get(e, "outdated");
        if (!kobj_absent(on) && schema_bool(on, "outdated", &outdated, d))
            return -1;
        hpa_history_add_event(&s->history, up, (int32_t)change, t, outdated);
    }
    return 0;
}

static int read_state(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    struct hpasnap_priv *p = s->priv;
    if (p->state) {
        diag_set(d, obj->file, obj->line, obj->col,
                 "a second HPAControllerState (hpa-calc evaluates one HPA)");
        return -1;
    }
    p->state = obj;
    if (schema_check_keys(obj, "HPAControllerState", state_keys, d) ||
        kobj_meta(obj, 0, &p->state_meta, &s->latest, d))
        return -1;
    s->has_state = 1;
    s->history.initialized = 1; /* the controller has seen this HPA before */
    const struct ynode *recs = ynode_get(obj, "recommendations");
    if (schema_expect_seq(recs, "recommendations", d))
        return -1;
    for (size_t i = 0; !kobj_absent(recs) && i < recs->n; i++) {
        const struct ynode *r = recs->items[i];
        simtime t;
        int64_t replicas;
        if (schema_check_keys(r, "recommendations[]", recommendation_keys, d))
            return -1;
        const struct ynode *tn = schema_require(r, "recommendations[]", "timestamp", d);
        const struct ynode *rn = schema_require(r, "recommendations[]", "replicas", d);
        if (!tn || kobj_time(tn, "timestamp", &t, &s->latest, d) || !rn ||
            schema_int64(rn, "replicas", 0, INT32_MAX, &replicas, d))
            return -1;
        hpa_history_add_recommendation(&s->history, (int32_t)replicas, t);
    }
    return read_events(s, ynode_get(obj, "scaleUpEvents"), "scaleUpEvents", 1, d) ||
                   read_events(s, ynode_get(obj, "scaleDownEvents"), "scaleDownEvents", 0, d)
               ? -1
               : 0;
}

static int read_config(struct hpasnap *s, const struct ynode *obj, struct diag *d)
{
    struct hpasnap_priv *p = s->priv;
    struct hpa_settings *st = &s->settings;
    if (p->config) {
        diag_set(d, obj->file, obj->line, obj->col, "a second HPAControllerConfiguration");
        return -1;
    }
    p->config = obj;
    struct kobj_meta m = {0};
    labelset_init(&m.labels);
    int rc = schema_check_keys(obj, "HPAControllerConfiguration", config_keys, d) ||
             kobj_meta(obj, 0, &m, NULL, d);
    kobj_meta_release(&m);
    if (rc)
        return -1;
    const struct ynode *n;
    if (!kobj_absent(n = ynode_get(obj, "tolerance")) &&
        schema_double(n, "tolerance", 0, 1e9, &st->tolerance, d))
        return -1;
    if (!kobj_absent(n = ynode_get(obj, "cpuInitializationPeriod")) &&
        kobj_duration(n, "cpuInitializationPeriod", &st->cpu_initialization_period, d))
        return -1;
    if (!kobj_absent(n = ynode_get(obj, "initialReadinessDelay")) &&
        kobj_duration(n, "initialReadinessDelay", &st->initial_readiness_delay, d))
        return -1;
    if (!kobj_absent(n = ynode_get(obj, "downscaleStabilizationWindow")) &&
        kobj_duration(n, "downscaleStabilizationWindow", &st->downscale_stabilization_window, d))
        return -1;
    if (!kobj_absent(n = ynode_get(obj, "scaleUpLimitFactor")) &&
        schema_double(n, "scaleUpLimitFactor", 0, 1e9, &st->scale_up_limit_factor, d))
        return -1;
    if (!kobj_absent(n = ynode_get(obj, "scaleUpLimitMinimum")) &&
        schema_double(n, "scaleUpLimitMinimum", 0, 1e9, &st->scale_up_limit_minimum, d))
        return -1;
    /* Both gates default to on, as in v1.35; v1.33-v1.34 clusters may have them off. */
    const struct ynode *g = ynode_get(obj, "featureGates");
    if (kobj_absent(g))
        return 0;
    if (schema_check_keys(g, "featureGates", gate_keys, d))
        return -1;
    if (!kobj_absent(n = ynode_get(g, "HPAConfigurableTolerance")) &&
        schema_bool(n, "HPAConfigurableTolerance", &st->configurable_tolerance, d))
        return -1;
    if (!kobj_absent(n = ynode_get(g, "PodLevelResources")) &&
        schema_bool(n, "PodLevelResources", &st->pod_level_resources, d))
        return -1;
    return 0;
}

/* ---- dispatch ---- */

struct snap_kind {
    const char *kind;
    const char *api_version;
    int (*read)(struct hpasnap *s, const struct ynode *obj, struct diag *d);
};

static const struct snap_kind kinds[] = {
    {"HorizontalPodAutoscaler", "autoscaling/v2", read_hpa},
    {"Deployment", "apps/v1", read_deployment},
    {"Pod", "v1", read_pod},
    {"PodMetrics", "metrics.k8s.io/v1beta1", read_podmetrics},
    {"MetricValueList", "custom.metrics.k8s.io/v1beta2", read_values},
    {"ExternalMetricValueList", "external.metrics.k8s.io/v1beta1", read_external},
    {"HPAControllerState", "ksim.io/v1alpha1", read_state},
    {"HPAControllerConfiguration", "ksim.io/v1alpha1", read_config},
};

static const char *scalar_or(const struct ynode *n, const char *dflt)
{
    return n && n->kind == YNODE_SCALAR && !ynode_is_null(n) ? n->str : dflt;
}

/*
 * One object. Items of a typed list (PodMetricsList from the raw API) may
 * leave out kind and apiVersion: they take the list's, minus "List".
 */
static int read_object(struct hpasnap *s, const struct ynode *obj, const char *dflt_kind,
                       const char *dflt_api, struct diag *d)
{
    if (schema_expect_map(obj, "object", d))
        return -1;
    const struct ynode *kn = ynode_get(obj, "kind"), *an = ynode_get(obj, "apiVersion");
    const char *kind = scalar_or(kn, dflt_kind), *api = scalar_or(an, dflt_api);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(kind, kinds[i].kind) != 0)
            continue;
        if (!api) {
            schema_require(obj, kind, "apiVersion", d);
            return -1;
        }
        if (strcmp(api, kinds[i].api_version) != 0) {
            const struct ynode *at = an ? an : obj;
            diag_set(d, at->file, at->line, at->col,
                     "unsupported apiVersion '%s' for %s (hpa-calc reads %s)", api, kind,
                     kinds[i].api_version);
            return -1;
        }
        return kinds[i].read(s, obj, d);
    }
    size_t klen = strlen(kind);
    const struct ynode *items = ynode_get(obj, "items");
    if (klen < 4 || strcmp(kind + klen - 4, "List") != 0 || kobj_absent(items)) {
        /* Other kinds are skipped, but a near miss of a known one is a typo. */
        static const char *const names[] = {"HorizontalPodAutoscaler",
                                            "Deployment",
                                            "Pod",
                                            "PodMetrics",
                                            "MetricValueList",
                                            "ExternalMetricValueList",
                                            "HPAControllerState",
                                            "HPAControllerConfiguration",
                                            NULL};
        const char *hint = kind[0] ? diag_suggest(kind, names) : NULL;
        if (hint && kn) {
            diag_set(d, kn->file, kn->line, kn->col, "unknown kind '%s' (did you mean '%s'?)", kind,
                     hint);
            return -1;
        }
        return 0;
    }
    if (schema_expect_seq(items, "items", d))
        return -1;
    char *item_kind = xstrndup(kind, klen - 4);
    int typed = strcmp(kind, "List") != 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < items->n; i++)
        rc = read_object(s, items->items[i], typed ? item_kind : "", typed ? api : NULL, d);
    free(item_kind);
    return rc;
}

/* ---- resolving the HPA's world ---- */

/* hpametrics_target.pod_selected */
static int pod_selected(const char *pod, void *ctx)
{
    const struct hpasnap *s = ctx;
    const struct snap_pod *sp = find_pod(s->priv, s->namespace_name, pod);
    return sp && labelselector_matches(s->priv->selector, &sp->meta.labels);
}

static int resolve(struct hpasnap *s, const char *first_file, struct diag *d)
{
    struct hpasnap_priv *p = s->priv;
    if (!p->has_hpa) {
        diag_set(d, first_file, 0, 0, "no autoscaling/v2 HorizontalPodAutoscaler in the input");
        return -1;
    }
    const struct snap_deployment *dep = find_deployment(p, s->namespace_name, s->target_name);
    if (!dep) {
        const struct ynode *at = p->hpa.target_ref;
        diag_set(d, at->file, at->line, at->col,
                 "scale target Deployment '%s' is not in the input (namespace '%s')",
                 s->target_name, s->namespace_name);
        return -1;
    }
    if (p->state && p->state_meta.name[0] &&
        (strcmp(p->state_meta.name, s->name) != 0 ||
         strcmp(p->state_meta.namespace_name, s->namespace_name) != 0)) {
        const struct ynode *at = p->state_meta.node;
        diag_set(d, at->file, at->line, at->col,
                 "HPAControllerState '%s/%s' does not name the HorizontalPodAutoscaler '%s/%s'",
                 p->state_meta.namespace_name, p->state_meta.name, s->namespace_name, s->name);
        return -1;
    }
    s->scale = (struct hpa_scale){dep->replicas, dep->status_replicas};
    if (!p->hpa.has_desired)
        s->status.desired_replicas = dep->replicas;
    s->status.current_replicas = dep->status_replicas;
    p->selector = &dep->selector;

    s->pods = kobj_alloc(&p->pool, p->npods, sizeof *s->pods);
    for (size_t i = 0; i < p->npods; i++) {
        const struct snap_pod *sp = &p->pods[i];
        if (strcmp(sp->meta.namespace_name, s->namespace_name) == 0 &&
            labelselector_matches(&dep->selector, &sp->meta.labels))
            s->pods[s->npods++] = sp->pod;
    }
    struct hpametrics_target t = {s->namespace_name, &dep->selector, pod_selected, s};
    s->inputs = kobj_alloc(&p->pool, s->spec.nmetrics, sizeof *s->inputs);
    for (size_t i = 0; i < s->spec.nmetrics; i++)
        hpametrics_input(p->metrics, &t, &s->spec.metrics[i],
                         p->hpa.has_selector[i] ? &p->hpa.selectors[i] : NULL, &s->inputs[i]);
    return 0;
}

int hpasnap_load(struct hpasnap *s, char *const *files, size_t nfiles, struct diag *d)
{
    memset(s, 0, sizeof *s);
    s->priv = xcalloc(1, sizeof *s->priv);
    struct hpasnap_priv *p = s->priv;
    p->metrics = hpametrics_new();
    hpa_settings_default(&s->settings);
    hpa_history_init(&s->history);
    s->latest = INT64_MIN;
    p->trees = xcalloc(nfiles ? nfiles : 1, sizeof *p->trees);
    for (size_t f = 0; f < nfiles; f++) {
        struct ytree *t = ytree_load_file(files[f], d);
        if (!t)
            return -1;
        p->trees[p->ntrees++] = t;
        for (size_t i = 0; i < t->ndocs; i++) {
            if (!t->docs[i] || ynode_is_null(t->docs[i]))
                continue;
            if (read_object(s, t->docs[i], "", NULL, d))
                return -1;
        }
    }
    if (resolve(s, nfiles ? files[0] : "-", d))
        return -1;
    s->has_latest = s->latest != INT64_MIN;
    return 0;
}

void hpasnap_release(struct hpasnap *s)
{
    struct hpasnap_priv *p = s->priv;
    if (p) {
        hpaobj_release(&p->hpa);
        hpametrics_free(p->metrics);
        kobj_meta_release(&p->state_meta);
        for (size_t i = 0; i < p->npods; i++)
            kobj_meta_release(&p->pods[i].meta);
        for (size_t i = 0; i < p->ndeployments; i++) {
            kobj_meta_release(&p->deployments[i].meta);
            labelselector_release(&p->deployments[i].selector);
        }
        free(p->pods);
        free(p->deployments);
        kobj_pool_release(&p->pool);
        for (size_t i = 0; i < p->ntrees; i++)
            ytree_free(p->trees[i]);
        free(p->trees);
        free(p);
    }
    hpa_history_release(&s->history);
    memset(s, 0, sizeof *s);
}
