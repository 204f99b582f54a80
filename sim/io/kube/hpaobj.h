#ifndef KSIM_IO_HPAOBJ_H
#define KSIM_IO_HPAOBJ_H
/*
 * An autoscaling/v2 HorizontalPodAutoscaler as `kubectl get hpa -o yaml|json`
 * prints it, read into the struct hpa_spec that models/hpa/hpa.h evaluates.
 * This is the one place that knows the autoscaling/v2 shape; both readers of
 * HPAs use it:
 *
 *   HPAOBJ_AS_IS  (`ksim hpa-calc`, sim/io/kube/hpasnap): what the controller would
 *       do with the spec is kept, not judged. A metric type it does not know
 *       becomes HPA_METRIC_UNKNOWN and a target it cannot use
 *       HPA_TARGET_NONE, so that the sync reports them the way the controller
 *       does (ScalingActive False InvalidMetricSourceType / FailedGet*Metric).
 *   HPAOBJ_STRICT (scenarios, sim/io/scenario/autoscale): what the API server would
 *       refuse is an input error, with the validation a scenario needs
 *       (pkg/apis/autoscaling/validation/validation.go, v1.35): apiVersion
 *       autoscaling/v2, maxReplicas >= minReplicas, minReplicas 0 only with
 *       an Object or External metric, known metric types, a target type that
 *       fits the metric with the field it names set, positive targets, no
 *       resource target with both averageUtilization and averageValue,
 *       non-empty policies when set; names are DNS-1123 subdomains.
 *
 * Both modes: keys follow sim/io/kube/kobj.h (unknown keys are errors, every key
 * of the API type is accepted; status is accepted and its desiredReplicas
 * and lastScaleTime read). The API server's defaulting applies
 * (pkg/apis/autoscaling/v2/defaults.go: minReplicas 1, no metrics means cpu
 * at 80% utilization; behavior is left unset when absent, so the controller
 * takes its legacy path). Which target field is used follows horizontal.go:
 * Resource and ContainerResource metrics take averageValue when set, else
 * averageUtilization (target.type is not looked at); Pods metrics take
 * averageValue; Object and External metrics the field target.type names. A
 * behavior tolerance is a Quantity read as AsApproximateFloat64 does.
 */
#include <stddef.h>
#include <stdint.h>

#include "models/hpa/hpa.h"
#include "sim/base/diag.h"
#include "sim/cluster/labelselector.h"
#include "sim/io/kube/kobj.h"
#include "sim/io/ytree.h"

enum hpaobj_mode {
    HPAOBJ_AS_IS,  /* keep what the controller reports at run time (hpa-calc) */
    HPAOBJ_STRICT, /* refuse what the API server refuses (scenarios) */
};

struct hpaobj {
    struct kobj_meta meta;
    const struct ynode *node;        /* the object, for messages */
    const struct ynode *target_ref;  /* spec.scaleTargetRef */
    const struct ynode *target_at;   /* spec.scaleTargetRef.name, for errors found later */
    const char *target_name;         /* the Deployment */
    struct hpa_spec spec;            /* points into the pool and the fields below */
    struct hpa_metric_spec *metrics; /* spec.metrics, writable */
    const struct ynode **metric_at;  /* per metric: its name node (spec for the default) */
    struct labelselector *selectors; /* per metric: metric.selector (empty when unset) */
    int *has_selector;
    struct hpa_behavior behavior;
    struct hpa_scaling_rules up, down;
    int has_desired; /* status.desiredReplicas */
    int32_t desired;
    int has_last_scale_time; /* status.lastScaleTime */
    simtime last_scale_time;
    int strict;
    struct kobj_pool pool; /* owns every array above */
};

/*
 * Reads obj (any kind check is the caller's: kind must be
 * HorizontalPodAutoscaler) into *h, which it initializes: release it even on
 * error. Names point into the tree, which must outlive h. Timestamps raise
 * *latest (kobj_time; latest may be NULL). Beyond the value checks:
 *   apiVersion: expected 'autoscaling/v2' for a HorizontalPodAutoscaler, got 'x'  (strict)
 *   scaleTargetRef.kind: ksim scales Deployments, got 'StatefulSet'  (strict)
 *   scaleTargetRef.kind: hpa-calc reads Deployment targets, got 'StatefulSet'
 */
int hpaobj_read(const struct ynode *obj, enum hpaobj_mode mode, struct hpaobj *h, simtime *latest,
                struct diag *d);
void hpaobj_release(struct hpaobj *h);

#endif
