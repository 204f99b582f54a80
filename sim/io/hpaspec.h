#ifndef KSIM_IO_HPASPEC_H
#define KSIM_IO_HPASPEC_H
/*
 * An autoscaling/v2 HorizontalPodAutoscaler as `kubectl get -o yaml|json`
 * prints it, read into the struct hpa_spec that models/hpa/hpa.h evaluates.
 * Keys follow sim/io/kobj.h (unknown keys are errors; status is accepted and
 * its desiredReplicas and lastScaleTime read).
 *
 * What the controller would do with the spec is kept, not judged: a metric
 * type it does not know becomes HPA_METRIC_UNKNOWN, and a target it cannot
 * use HPA_TARGET_NONE, so that the sync reports them the way the controller
 * does (ScalingActive False InvalidMetricSourceType / FailedGet*Metric).
 * Which target field is used follows horizontal.go: Resource and
 * ContainerResource metrics take averageValue when set, else
 * averageUtilization (target.type is not looked at); Pods metrics take
 * averageValue; Object and External metrics the field target.type names.
 * No metrics at all is cpu at 80% utilization (autoscaling/v2 defaulting).
 * A behavior tolerance is a Quantity read as AsApproximateFloat64 does.
 */
#include <stddef.h>
#include <stdint.h>

#include "models/hpa/hpa.h"
#include "sim/cluster/labelselector.h"
#include "sim/io/kobj.h"

struct hpaspec {
    struct kobj_meta meta;
    const struct ynode *node;       /* the object, for messages */
    const struct ynode *target_ref; /* spec.scaleTargetRef */
    const char *target_name;        /* the Deployment */
    struct hpa_spec spec;
    struct labelselector *selectors; /* per metric: metric.selector (empty when unset) */
    int *has_selector;
    struct hpa_behavior behavior;
    struct hpa_scaling_rules up, down;
    int has_desired; /* status.desiredReplicas */
    int32_t desired;
    int has_last_scale_time; /* status.lastScaleTime */
    simtime last_scale_time;
    struct kobj_pool pool;
};

/*
 * Reads obj into *h (which it initializes; release it even on error).
 * Timestamps raise *latest (kobj_time). Beyond the value checks:
 *   scaleTargetRef.kind: hpa-calc reads Deployment targets, got 'StatefulSet'
 */
int hpaspec_read(const struct ynode *obj, struct hpaspec *h, simtime *latest, struct diag *d);
void hpaspec_release(struct hpaspec *h);

#endif
