#ifndef KSIM_KUBE_INTERPOD_H
#define KSIM_KUBE_INTERPOD_H
/*
 * InterPodAffinity's algorithms, following
 * pkg/scheduler/framework/plugins/interpodaffinity/{filtering,scoring}.go
 * (v1.33-v1.35) and framework.AffinityTerm (pkg/scheduler/framework/types.go).
 *
 * Upstream precomputes, per cycle, maps from topology pairs (key, value) to
 * counts of matching existing pods. In ksim the pods of one owner share their
 * labels, namespace and terms, so every such count is a sum over owners of
 * "pods of owner o in the node's domain of key k", which the owner index
 * (sim/cluster/topoindex.h) answers in O(1). PreFilter/PreScore therefore
 * only decide which owners' pods count with which weight, O(owners x terms),
 * and Filter/Score of a node sum those few (owner, key, weight) triples:
 * no cycle walks the cluster's pods.
 */
#include <stddef.h>
#include <stdint.h>

#include "models/kube/framework.h"
#include "models/kube/pluginargs.h"
#include "sim/cluster/cluster.h"

#define INTERPOD_REASON_AFFINITY "node(s) didn't match pod affinity rules"
#define INTERPOD_REASON_ANTI     "node(s) didn't match pod anti-affinity rules"
#define INTERPOD_REASON_EXISTING "node(s) didn't satisfy existing pods anti-affinity rules"

struct interpod;

/* args NULL: the defaults. */
struct interpod *interpod_new(const struct kube_interpod_args *args);
void interpod_free(struct interpod *ip);

/*
 * KUBE_SKIP when neither the pod has required (anti-)affinity terms nor does any
 * existing pod's required anti-affinity term match it.
 */
enum kube_code interpod_prefilter(struct interpod *ip, const struct cluster *c,
                                  const struct podspec *ps, int32_t owner);
/*
 * Checks, in upstream's order: the pod's affinity (UnschedulableAndUnresolvable),
 * its anti-affinity, existing pods' anti-affinity (both Unschedulable).
 */
enum kube_code interpod_filter(struct interpod *ip, int32_t node, const char **reason);

/* KUBE_SKIP when no existing pod contributes to any topology score. */
enum kube_code interpod_prescore(struct interpod *ip, const struct cluster *c,
                                 const struct podspec *ps, int32_t owner);
int64_t interpod_score(struct interpod *ip, int32_t node);
/* Min-max normalization to 0..100 (scoring.go NormalizeScore). */
void interpod_normalize(struct interpod *ip, int64_t *scores, size_t n);

#endif
