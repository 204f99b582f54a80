#ifndef KSIM_IO_HPASNAP_H
#define KSIM_IO_HPASNAP_H
/*
 * A snapshot of one HorizontalPodAutoscaler's world, read from the objects
 * `kubectl get -o yaml|json` prints, and turned into the inputs of one
 * hpa_sync (models/hpa/hpa.h). Used by `ksim hpa-calc`.
 *
 * Files hold YAML or JSON documents, several per file, and lists (`kind:
 * List`, or a typed list such as PodMetricsList whose items may omit kind
 * and apiVersion). Kinds read, each with its one apiVersion:
 *   autoscaling/v2 HorizontalPodAutoscaler      exactly one
 *   apps/v1 Deployment                          the HPA's scale target
 *   v1 Pod                                      selected by the target's selector
 *   metrics.k8s.io/v1beta1 PodMetrics           Resource, ContainerResource metrics
 *   custom.metrics.k8s.io/v1beta2 MetricValueList    Pods and Object metrics
 *   external.metrics.k8s.io/v1beta1 ExternalMetricValueList   External metrics
 *   ksim.io/v1alpha1 HPAControllerState         the controller's memory (optional)
 *   ksim.io/v1alpha1 HPAControllerConfiguration kube-controller-manager flags (optional)
 * Any other kind (Services, ReplicaSets, Events from `kubectl get all`) is
 * skipped without a word; a known kind under another apiVersion is an
 * error. Inside the known kinds, keys follow sim/io/kube/kobj.h: unknown keys are
 * errors, every key of the upstream type is accepted.
 *
 * What the metrics APIs would have answered is derived as kube-controller-
 * manager's metrics client does (pkg/controller/podautoscaler/metrics/
 * client.go). Samples (PodMetrics, Pods-metric MetricValues) count for the
 * pods of the snapshot in the HPA's namespace that the target's selector
 * matches; samples of pods that no longer exist are ignored. An API with
 * nothing to return gives upstream's "no metrics returned from ... API"
 * (for PodMetrics: none in the namespace whose labels, as metrics-server
 * copies them from the pod, match the selector). Object metrics take the
 * MetricValue describing that object; External metrics every
 * ExternalMetricValue of that name whose metricLabels match the metric's
 * selector. A list annotated `ksim.io/metric-name: <metric>` and
 * `ksim.io/error: <text>` stands for a failing API call for that metric:
 * "unable to fetch metrics from {custom,external} metrics API: <text>".
 *
 * Without an HPAControllerState the controller has never seen the HPA (the
 * sync seeds its history); with one, its lists are the history as is.
 */
#include <stddef.h>
#include <stdint.h>

#include "models/hpa/hpa.h"
#include "sim/base/diag.h"
#include "sim/engine/simtime.h"

struct hpasnap_priv;

struct hpasnap {
    const char *namespace_name; /* the HPA's */
    const char *name;
    const char *target_name; /* the Deployment */
    struct hpa_spec spec;
    struct hpa_scale scale;
    struct hpa_pod *pods; /* selected pods, in input order */
    size_t npods;
    struct hpa_metric_input *inputs; /* one per spec.metrics entry */
    struct hpa_settings settings;
    struct hpa_history history;
    int has_state;
    struct hpa_status status; /* desiredReplicas and lastScaleTime from the HPA's status */
    int has_latest;
    simtime latest; /* the latest timestamp in the input */
    struct hpasnap_priv *priv;
};

/*
 * Reads files[0..nfiles) into *s and resolves the HPA's world. Returns 0, or
 * -1 with one "file:line:col: message" in d. Errors beyond a value's own
 * checks:
 *   a second HorizontalPodAutoscaler 'ns/b' (hpa-calc evaluates one; the first is 'ns/a')
 *   FILE: no autoscaling/v2 HorizontalPodAutoscaler in the input
 *   scale target Deployment 'web' is not in the input (namespace 'default')
 *   a second Deployment 'ns/web'           (also for states and configurations)
 *   HPAControllerState 'x' does not name the HorizontalPodAutoscaler 'ns/web'
 *   ksim.io/error needs a ksim.io/metric-name annotation
 * Release *s with hpasnap_release in every case.
 */
int hpasnap_load(struct hpasnap *s, char *const *files, size_t nfiles, struct diag *d);
void hpasnap_release(struct hpasnap *s);

#endif
