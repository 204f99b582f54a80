#ifndef KSIM_KUBE_TOPOSPREAD_H
#define KSIM_KUBE_TOPOSPREAD_H
/*
 * PodTopologySpread's algorithms, following
 * pkg/scheduler/framework/plugins/podtopologyspread/{filtering,scoring,common,plugin}.go
 * (v1.34/v1.35: filtering.go 01c2588b, scoring.go 7d6a59c1, common.go 76b564f1;
 * NodeInclusionPolicy, MinDomains and MatchLabelKeys are GA there, so their
 * gates are on).
 *
 * One struct topospread per scheduler; each cycle calls
 *   prefilter -> filter(node)...            (whenUnsatisfiable: DoNotSchedule)
 *   prescore(feasible) -> score(node)... -> normalize   (ScheduleAnyway)
 * Work per cycle is O(nodes) for pods with hard constraints (upstream walks
 * every node too) and O(feasible nodes + domains) for the soft system-default
 * constraints of a Deployment's pods: matching pods are counted through the
 * per-owner index of sim/cluster/topoindex.h, never by scanning pods.
 *
 * Selectors: a pod's own constraints use their labelSelector (plus
 * matchLabelKeys). The default constraints use upstream's DefaultSelector,
 * the selector of the ReplicaSet that owns the pod; a ReplicaSet's selector
 * carries its pod-template-hash, so in ksim it selects exactly the pods of
 * the same owner, and pods without a Deployment (batch pods) get no default
 * constraints (upstream: no Service/RC/RS/StatefulSet selects them).
 */
#include <stddef.h>
#include <stdint.h>

#include "models/kube/framework.h"
#include "models/kube/pluginargs.h"
#include "sim/cluster/cluster.h"

#define TOPOSPREAD_REASON_SKEW "node(s) didn't match pod topology spread constraints"
#define TOPOSPREAD_REASON_LABEL                                                                    \
    "node(s) didn't match pod topology spread constraints (missing required label)"

struct topospread;

/* args (NULL: the defaults) are copied, their constraints borrowed. */
struct topospread *topospread_new(const struct kube_spread_args *args);
void topospread_free(struct topospread *ts);

/*
 * The incoming pod: its spec and owner (-1 when none) in cluster c, which
 * filter and score then read. Returns KUBE_SKIP when the pod has no hard
 * constraints, else KUBE_SUCCESS.
 */
enum kube_code topospread_prefilter(struct topospread *ts, const struct cluster *c,
                                    const struct podspec *ps, int32_t owner);
/* Filters one node after prefilter; *reason is one of the TOPOSPREAD_REASON_* strings. */
enum kube_code topospread_filter(struct topospread *ts, int32_t node, const char **reason);

/* KUBE_SKIP when the pod has no soft constraints (its own or default ones). */
enum kube_code topospread_prescore(struct topospread *ts, const struct cluster *c,
                                   const struct podspec *ps, int32_t owner, const int32_t *feasible,
                                   size_t nfeasible);
/* Raw scores of nodes[0..n) into out (the nodes PreScore saw, or some of them). */
void topospread_score(struct topospread *ts, const int32_t *nodes, size_t n, int64_t *out);
/* NormalizeScore over the scores of nodes[0..n), in place. */
void topospread_normalize(struct topospread *ts, const int32_t *nodes, int64_t *scores, size_t n);

#endif
