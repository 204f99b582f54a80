#ifndef KSIM_IO_HPAMETRICS_H
#define KSIM_IO_HPAMETRICS_H
/*
 * The answers of the three metrics APIs, as dumped from a cluster, and what
 * kube-controller-manager's metrics client makes of them for one HPA metric
 * (pkg/controller/podautoscaler/metrics/client.go, v1.33-v1.35):
 *
 *   metrics.k8s.io/v1beta1 PodMetrics          Resource, ContainerResource
 *     a pod's sample is the sum of its containers' usage (a container
 *     without the resource drops the pod), or the named container's; a
 *     PodMetrics without that container fails the fetch ("failed to get
 *     container metrics: container c not present in metrics for pod ns/p")
 *   custom.metrics.k8s.io/v1beta2 MetricValueList   Pods and Object metrics
 *     Pods: the items describing pods, window windowSeconds or 1m;
 *     Object: the item describing that object
 *   external.metrics.k8s.io/v1beta1 ExternalMetricValueList   External
 *     every value of that metric name whose metricLabels match the
 *     metric's selector
 *
 * Per-pod samples count for the pods the target selects (the caller's
 * pod_selected) in the HPA's namespace; samples of pods that no longer exist
 * are dropped. An API with nothing to return gives upstream's text ("no
 * metrics returned from resource metrics API"; a PodMetrics counts as
 * returned when the labels metrics-server copies from its pod match the
 * target's selector). A list annotated `ksim.io/metric-name: <metric>` and
 * `ksim.io/error: <text>` is a failed call for that metric: "unable to
 * fetch metrics from {custom,external} metrics API: <text>". An Object
 * series that is not there reads "unable to fetch metrics from custom
 * metrics API: the server could not find the metric m for Kind name".
 *
 * Strings point into the loaded trees, which must outlive the struct.
 */
#include "models/hpa/replicas.h"
#include "sim/cluster/labelselector.h"
#include "sim/io/kube/kobj.h"

struct hpametrics;

struct hpametrics *hpametrics_new(void);
void hpametrics_free(struct hpametrics *m);

/* Readers of one object each; timestamps raise *latest (kobj_time). */
int hpametrics_read_podmetrics(struct hpametrics *m, const struct ynode *obj, simtime *latest,
                               struct diag *d);
int hpametrics_read_values(struct hpametrics *m, const struct ynode *obj, simtime *latest,
                           struct diag *d);
int hpametrics_read_external(struct hpametrics *m, const struct ynode *obj, simtime *latest,
                             struct diag *d);

/* The HPA's side of the calls. */
struct hpametrics_target {
    const char *namespace_name;           /* the HPA's */
    const struct labelselector *selector; /* the scale target's */
    /* Whether the named pod of that namespace exists and the selector matches it. */
    int (*pod_selected)(const char *pod, void *ctx);
    void *ctx;
};

/*
 * What the metrics client returns for metric spec (metric_selector: its
 * metric.selector, NULL when unset): samples, a value or values, or a
 * fetch_error. The arrays and texts live as long as m.
 */
void hpametrics_input(struct hpametrics *m, const struct hpametrics_target *t,
                      const struct hpa_metric_spec *spec,
                      const struct labelselector *metric_selector, struct hpa_metric_input *in);

#endif
