#ifndef KSIM_IO_HPAOBJ_H
#define KSIM_IO_HPAOBJ_H
/*
 * An autoscaling/v2 HorizontalPodAutoscaler object, as `kubectl get hpa -o
 * yaml` prints it, read into the models/hpa structs with the API server's
 * defaulting (pkg/apis/autoscaling/v2/defaults.go: minReplicas 1, no metrics
 * means cpu at 80% utilization; behavior is left unset when absent, so the
 * controller takes its legacy path) and the validation a scenario needs
 * (pkg/apis/autoscaling/validation/validation.go: maxReplicas >= 1 and >=
 * minReplicas, minReplicas 0 only with an Object or External metric, one
 * target field per target type, known metric types and policies).
 *
 * metadata other than name and namespace, and status, are ignored; spec is
 * read strictly (an unknown key is an error with a suggestion).
 *
 * This is the scenario's reader: what the simulation cannot run is an input
 * error here. `ksim hpa-calc` reads HPAs with sim/io/hpaspec, which keeps
 * what the controller would report at run time (unknown metric types...).
 */
#include <stddef.h>

#include "models/hpa/hpa.h"
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

struct hpaobj {
    const char *name;
    const char *namespace_name;
    const char *target_name;        /* spec.scaleTargetRef.name (a Deployment) */
    const struct ynode *target_at;  /* its node, for errors found later */
    const struct ynode **metric_at; /* each metric's name node, for errors found later */
    struct hpa_spec spec;           /* points into the arrays below */
    struct hpa_metric_spec *metrics;
    struct hpa_behavior behavior;
    struct hpa_scaling_rules up, down;
    struct hpa_scaling_policy *up_policies, *down_policies;
};

/*
 * Reads obj (any kind check is the caller's: kind must be
 * HorizontalPodAutoscaler). Returns a new hpaobj, or NULL with d set. Names
 * point into the tree, which must outlive the result.
 */
struct hpaobj *hpaobj_read(const struct ynode *obj, struct diag *d);
void hpaobj_free(struct hpaobj *h);

#endif
