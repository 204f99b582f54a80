#ifndef KSIM_IO_MANIFEST_POD_AFFINITY_H
#define KSIM_IO_MANIFEST_POD_AFFINITY_H
/*
 * Reads the inter-pod parts of a v1 PodSpec: affinity.podAffinity,
 * affinity.podAntiAffinity and topologySpreadConstraints, in their API shape,
 * into ps->aff (left NULL when the pod has none). Values the API server would
 * reject are errors at their position:
 *   web.yaml:30:22: maxSkew: must be at least 1, got 0
 *   web.yaml:31:30: whenUnsatisfiable: unknown value 'DoNotSchedul' (did you mean 'DoNotSchedule'?)
 *   web.yaml:40:27: operator: unknown value 'in' (did you mean 'In'?)
 *   web.yaml:44:19: weight: must be at most 100, got 150
 *   web.yaml:38:13: missing required key 'topologyKey' in podAffinityTerm
 * A label selector value that is not a valid label value is not an error: the
 * selector then matches nothing (sim/cluster/labelselector.h).
 */
#include "sim/base/diag.h"
#include "sim/cluster/cluster.h"
#include "sim/io/ytree.h"

int manifest_read_pod_affinity(const struct ynode *spec, struct podspec *ps, struct diag *d);

/* Reads a metav1.LabelSelector; a null or absent node leaves s Nothing. */
int manifest_read_label_selector(const struct ynode *n, const char *what, struct labelselector *s,
                                 struct diag *d);

#endif
