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
#include "models/kube/pluginargs.h"
#include "sim/base/diag.h"
#include "sim/cluster/cluster.h"
#include "sim/io/ytree.h"

int manifest_read_pod_affinity(const struct ynode *spec, struct podspec *ps, struct diag *d);

/* Reads a metav1.LabelSelector; a null or absent node leaves s Nothing. */
int manifest_read_label_selector(const struct ynode *n, const char *what, struct labelselector *s,
                                 struct diag *d);

/*
 * A v1 Pod's metadata.ownerReferences: the ReplicaSet that controls it, if
 * any, into ps->replicaset (the selector of the default spread constraints).
 */
int manifest_read_pod_owner(const struct ynode *metadata, struct podspec *ps, struct diag *d);

/*
 * pluginConfig args of PodTopologySpread and InterPodAffinity (called by
 * sim/io/kube/kubeconfig.c; out holds the defaults on entry):
 *   c.yaml:9:11: defaultConstraints: must be empty with defaultingType: System (set defaultingType:
 * List) c.yaml:12:15: labelSelector: default constraints must not define a selector (it is deduced
 * for each pod) c.yaml:8:34: hardPodAffinityWeight: must be at most 100, got 101
 */
int manifest_read_spread_args(const struct ynode *a, struct kube_spread_args *out, struct diag *d);
int manifest_read_interpod_args(const struct ynode *a, struct kube_interpod_args *out,
                                struct diag *d);

#endif
