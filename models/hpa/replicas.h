#ifndef KSIM_MODELS_HPA_REPLICAS_H
#define KSIM_MODELS_HPA_REPLICAS_H
/*
 * The HPA replica calculator: one metric's observations in, one replica
 * proposal out. Follows pkg/controller/podautoscaler/replica_calculator.go and
 * metrics/utilization.go (Kubernetes v1.33-v1.35), operation by operation:
 * integer milli-units where upstream has int64, float64 where upstream has
 * float64, math.Ceil in the same places, in the same order, so every result
 * matches upstream bit for bit.
 *
 * Everything here is pure: plain structs in, plain structs out, no cluster, no
 * engine. The caller owns every pointer it passes; nothing is kept.
 *
 *   pods (scale selector) --+
 *   per-pod samples --------+--> hpa_replicas_group_pods: ready / unready /
 *                                missing / ignored (CPU rules need `now`)
 *                                   |
 *   Resource/ContainerResource  Utilization: hpa_replicas_resource
 *                               AverageValue: hpa_replicas_raw_resource
 *   Pods                                      hpa_replicas_pods
 *   Object    Value / AverageValue:           hpa_replicas_object[_per_pod]
 *   External  Value / AverageValue:           hpa_replicas_external[_per_pod]
 *
 * Errors: every function returns 0, or -1 with the upstream error text in err
 * (e.g. "no metrics returned matched known pods", "missing request for cpu in
 * container c of Pod p"). A metrics fetch that failed upstream-side is passed
 * in as hpa_metric_input.fetch_error and comes back wrapped exactly as the
 * calculator wraps it ("unable to get metrics for resource cpu: ...").
 *
 * Float-to-int conversions: Go's int32(x)/int64(x) of a float64 that does not
 * fit is platform-dependent; kube-controller-manager on amd64 gets the
 * "integer indefinite" value (math.MinInt32 / math.MinInt64), which is what
 * these functions return too. Upstream caps the cases it knows can overflow
 * (object, external) at math.MaxInt32 and so does this code.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

/* Pod phase (v1.PodPhase). */
enum hpa_pod_phase {
    HPA_POD_PENDING,
    HPA_POD_RUNNING,
    HPA_POD_SUCCEEDED,
    HPA_POD_FAILED,
    HPA_POD_UNKNOWN,
};

/* The pod's Ready condition: absent, or its status. */
enum hpa_ready {
    HPA_READY_NONE, /* no Ready condition in status.conditions */
    HPA_READY_TRUE,
    HPA_READY_FALSE,
    HPA_READY_UNKNOWN,
};

/* Which list of the pod spec a container is in. */
enum hpa_container_kind {
    HPA_CONTAINER_REGULAR, /* spec.containers */
    HPA_CONTAINER_SIDECAR, /* spec.initContainers with restartPolicy: Always */
    HPA_CONTAINER_INIT,    /* any other init container: never counted */
};

/* One entry of a requests list: resource name and Quantity.MilliValue(). */
struct hpa_request {
    const char *resource;
    int64_t milli;
};

struct hpa_container {
    const char *name;
    enum hpa_container_kind kind;
    const struct hpa_request *requests;
    size_t nrequests;
};

/*
 * A pod returned by the scale's selector, with the fields the calculator
 * reads. Names must be unique: samples are matched to pods by name.
 */
struct hpa_pod {
    const char *name;
    enum hpa_pod_phase phase;
    int deleting;       /* metadata.deletionTimestamp is set */
    int has_start_time; /* status.startTime is set */
    simtime start_time;
    enum hpa_ready ready;
    simtime ready_transition; /* Ready condition's lastTransitionTime */
    const struct hpa_container *containers;
    size_t ncontainers;
    /* spec.resources.requests (pod-level resources); NULL/0 when unset. */
    const struct hpa_request *pod_requests;
    size_t npod_requests;
};

/*
 * One per-pod metric sample (PodMetric): the value in milli-units, when it
 * was taken and over which window. Samples naming no listed pod are kept
 * ("superfluous"), as upstream keeps them in its metrics map. When two
 * samples name the same pod the later one wins, as in a Go map filled in
 * order.
 */
struct hpa_sample {
    const char *pod;
    int64_t value;
    simtime timestamp;
    simtime window;
};

/* Tolerances (replica_calculator.go): scale-down and scale-up. */
struct hpa_tolerances {
    double scale_down;
    double scale_up;
};

/* Tolerances.isWithin: (1 - down) <= ratio <= (1 + up), in float64. */
int hpa_tolerances_within(struct hpa_tolerances t, double ratio);

/*
 * What ReplicaCalculator holds (NewReplicaCalculator) plus the clock and the
 * namespace the error texts name.
 */
struct hpa_calculator {
    simtime now;
    simtime cpu_initialization_period; /* --horizontal-pod-autoscaler-cpu-initialization-period */
    simtime initial_readiness_delay;   /* --horizontal-pod-autoscaler-initial-readiness-delay */
    int pod_level_resources;           /* the PodLevelResources feature gate */
    const char *namespace_name;        /* the HPA's namespace, for error texts */
};

/* autoscaling/v2 MetricSourceType. */
enum hpa_metric_type {
    HPA_METRIC_RESOURCE,
    HPA_METRIC_CONTAINER_RESOURCE,
    HPA_METRIC_PODS,
    HPA_METRIC_OBJECT,
    HPA_METRIC_EXTERNAL,
    HPA_METRIC_UNKNOWN, /* a type the controller does not know (type_name says which) */
};

/* autoscaling/v2 MetricTargetType: which target field is set. */
enum hpa_target_type {
    HPA_TARGET_UTILIZATION,   /* averageUtilization (percent of request) */
    HPA_TARGET_AVERAGE_VALUE, /* averageValue (milli-units per pod) */
    HPA_TARGET_VALUE,         /* value (milli-units) */
    HPA_TARGET_NONE,          /* no target the metric type can use: the sync reports it */
};

/* One entry of spec.metrics. */
struct hpa_metric_spec {
    enum hpa_metric_type type;
    const char *type_name; /* HPA_METRIC_UNKNOWN only: the type as written */
    const char *name;      /* resource name ("cpu") or metric name ("qps") */
    const char *container; /* ContainerResource: the container */
    /* metric.selector as Go's %+v prints it (NULL prints "nil"); only named
     * in texts: "external metric qps(nil)". */
    const char *selector;
    const char *object_kind; /* Object: describedObject.kind */
    const char *object_name; /* Object: describedObject.name */
    enum hpa_target_type target_type;
    int32_t target_utilization; /* HPA_TARGET_UTILIZATION */
    int64_t target_milli;       /* HPA_TARGET_AVERAGE_VALUE / HPA_TARGET_VALUE */
};

/*
 * What the metrics pipeline observed for one metric spec this sync.
 * fetch_error non-NULL means the metrics client failed with that text (e.g.
 * "no metrics returned from resource metrics API" when the API returned no
 * items); the other fields are then ignored.
 */
struct hpa_metric_input {
    const char *fetch_error;
    const struct hpa_sample *samples; /* Resource, ContainerResource, Pods */
    size_t nsamples;
    int64_t value;         /* Object: the object's value */
    const int64_t *values; /* External: every returned series value */
    size_t nvalues;
};

/* A calculator's answer. */
struct hpa_replicas_result {
    int32_t replicas;    /* the proposal */
    int32_t utilization; /* Utilization targets: the integer percentage (first pass) */
    int64_t usage;       /* the reported raw value: average, value or per-pod value */
};

/* How groupPods classed a pod. */
enum hpa_pod_group {
    HPA_GROUP_READY,
    HPA_GROUP_UNREADY,
    HPA_GROUP_MISSING,
    HPA_GROUP_IGNORED,
};

/*
 * groupPods: classes each pod, in this order (first match wins):
 *   deleting or Failed -> ignored; Pending -> unready; no sample -> missing;
 *   resource "cpu" only: no Ready condition or no start time -> unready;
 *     started less than cpu_initialization_period ago -> unready if Ready is
 *     False or the sample's window began before the last Ready transition;
 *     later -> unready if Ready is False and the pod went unready within
 *     initial_readiness_delay of starting ("never been ready");
 *   otherwise ready.
 * resource may be NULL or "" (Pods metrics): the CPU rules are skipped.
 * Writes npods classes to out and returns the number of ready pods.
 */
int hpa_replicas_group_pods(const struct hpa_calculator *c, const struct hpa_pod *pods,
                            size_t npods, const struct hpa_sample *samples, size_t nsamples,
                            const char *resource, enum hpa_pod_group *out);

/*
 * calculateRequests: each pod's request for resource in milli-units, written
 * to out[npods]. container non-empty: that container's request (searched in
 * regular containers, then sidecars). Otherwise, when the PodLevelResources
 * gate is on and the pod sets a pod-level request for cpu or memory:
 * PodRequests, i.e. the pod-level value, or for a resource not set there the
 * container aggregate (regular + sidecars, init containers as a running
 * maximum). Otherwise the sum over regular containers and sidecars, each of
 * which must request the resource. Errors: "missing request for cpu in
 * container c of Pod p", "container c not found in Pod p", "missing
 * pod-level request for cpu in Pod p". Pod overhead is not modelled.
 */
int hpa_replicas_requests(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          const char *container, const char *resource, int64_t *out, char *err,
                          size_t errlen);

/*
 * GetResourceReplicas: Resource or ContainerResource metric with a
 * Utilization target. current is scale.spec.replicas. Reports the first
 * pass's integer utilization and raw average (metrics/utilization.go
 * GetResourceUtilizationRatio).
 */
int hpa_replicas_resource(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                          const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                          char *err, size_t errlen);

/*
 * GetRawResourceReplicas: Resource or ContainerResource metric with an
 * AverageValue target (calcPlainMetricReplicas with the resource name, so the
 * CPU readiness rules apply to cpu).
 */
int hpa_replicas_raw_resource(const struct hpa_calculator *c, const struct hpa_pod *pods,
                              size_t npods, int32_t current, const struct hpa_metric_spec *m,
                              struct hpa_tolerances t, const struct hpa_metric_input *in,
                              struct hpa_replicas_result *out, char *err, size_t errlen);

/* GetMetricReplicas: Pods metric, AverageValue target (no CPU rules). */
int hpa_replicas_pods(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                      int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                      const struct hpa_metric_input *in, struct hpa_replicas_result *out, char *err,
                      size_t errlen);

/*
 * GetObjectMetricReplicas: Object metric, Value target. current is
 * scale.spec.replicas; when it is 0 the proposal is ceil(value/target) with no
 * tolerance (scale from zero), otherwise ratio x (Running and Ready pods).
 */
int hpa_replicas_object(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                        int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                        const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                        char *err, size_t errlen);

/*
 * GetObjectPerPodMetricReplicas: Object metric, AverageValue target.
 * status_replicas is scale.status.replicas; readiness is not looked at.
 */
int hpa_replicas_object_per_pod(const struct hpa_calculator *c, int32_t status_replicas,
                                const struct hpa_metric_spec *m, struct hpa_tolerances t,
                                const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                                char *err, size_t errlen);

/* GetExternalMetricReplicas: External metric, Value target; values summed. */
int hpa_replicas_external(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                          const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                          char *err, size_t errlen);

/* GetExternalPerPodMetricReplicas: External metric, AverageValue target. */
int hpa_replicas_external_per_pod(const struct hpa_calculator *c, int32_t status_replicas,
                                  const struct hpa_metric_spec *m, struct hpa_tolerances t,
                                  const struct hpa_metric_input *in,
                                  struct hpa_replicas_result *out, char *err, size_t errlen);

/* Go's int32(x) and int64(x) for a float64 on amd64 (see the top of this file). */
int32_t hpa_go_int32(double x);
int64_t hpa_go_int64(double x);

#endif
