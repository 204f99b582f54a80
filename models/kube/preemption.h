#ifndef KSIM_KUBE_PREEMPTION_H
#define KSIM_KUBE_PREEMPTION_H
/*
 * DefaultPreemption, the kube profile's PostFilter: what kube-scheduler does
 * after a pod fits nowhere. Follows (v1.35)
 * pkg/scheduler/framework/preemption/preemption.go (Evaluator.Preempt,
 * findCandidates, DryRunPreemption, SelectCandidate, pickOneNodeForPreemption)
 * and pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
 * (PodEligibleToPreemptOthers, calculateNumCandidates, SelectVictimsOnNode).
 *
 *   eligible? ── no: "preemption: not eligible due to ..."
 *      │ potential nodes: status Unschedulable in the failed cycle's diagnosis
 *      ▼
 *   dry run from a random offset, node by node (SelectVictimsOnNode:
 *   remove every lower-priority pod, filters must pass, reprieve in
 *   importance order), until numCandidates nodes can host the pod
 *      │ none: "preemption: 0/N nodes are available: ..."
 *      ▼
 *   pickOneNodeForPreemption ─► node + victims (the caller deletes them,
 *   clears lower-priority nominations there and nominates the pod)
 *
 * Differences from upstream, all unobservable in ksim or said here:
 * - ksim has no PodDisruptionBudgets: every candidate has 0 violations and
 *   the first criterion never decides.
 * - The dry run is sequential (upstream checks nodes in parallel, so which
 *   nodes beyond numCandidates were looked at can vary there).
 * - The last tie-break ("the first node in the list") takes candidates in
 *   dry-run order (upstream takes them from a Go map, i.e. at random).
 * - The dry run detaches victims from the node in struct cluster and
 *   attaches them back (restoring the node's pod list exactly); every change
 *   bumps the node's version, so the framework's per-node cache stays valid.
 *   PodTopologySpread and InterPodAffinity see the change through their
 *   PreFilter run again (upstream: PreFilterExtensions RemovePod / AddPod).
 * - Start times (MoreImportantPod, the last criterion) are the bind time in
 *   whole seconds, as metav1.Time stores them.
 *
 * Approximations in the simulation around it (sim/control/scheduler.c,
 * sim/cluster/cluster.c), observable in rare cases:
 * - A nominated pod reserves its requests on its node for pods of lower or
 *   equal priority, but not its labels or host ports (upstream adds the whole
 *   pod: spread, pod affinity and NodePorts also see it).
 * - A terminating victim keeps its node's resources for its grace period but
 *   leaves the topology index at once, so PodTopologySpread counts it as
 *   gone (as upstream does for terminating pods) and so does InterPodAffinity
 *   (upstream still counts it there until it is deleted).
 * - Equally important victims keep the node's pod-list order (upstream's
 *   sort is not stable); a pod that loses its nomination is not requeued
 *   (a status-only update, which upstream's queue does not act on).
 */
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

struct cluster;
struct framework;
struct kube_explain;
struct kube_preemption_args;

enum preemption_outcome {
    PREEMPTION_NOT_ELIGIBLE, /* nominatedNodeName is kept */
    PREEMPTION_NO_CANDIDATE, /* nominatedNodeName is cleared */
    PREEMPTION_NOMINATED,    /* node chosen: victims to delete */
};

struct preemption_result {
    enum preemption_outcome outcome;
    int32_t node; /* PREEMPTION_NOMINATED: the node, else -1 */
    /* The victims on node, most important first (valid until the next call).
     * Some may already be terminating: those are not deleted again. */
    const int32_t *victims;
    size_t nvictims;
    /* The PostFilter status message ("preemption: ..."), "" when nominated. */
    char message[1024];
};

struct preemption;

/* rng draws the dry run's start offset (rand.Int31n upstream); NULL means offset 0. */
struct preemption *preemption_new(gsl_rng *rng);
void preemption_free(struct preemption *pe);

/* calculateNumCandidates: max(n·percentage/100, absolute), at most n. */
int32_t preemption_num_candidates(const struct kube_preemption_args *a, int32_t n);

/*
 * Whether Preempt could delete anything for pod: the profile runs
 * DefaultPreemption, the pod may preempt (not preemptionPolicy Never) and some
 * bound pod has a lower priority. O(1). When 0, preemption_run does no dry
 * run and changes nothing, so callers may cache its message per pod template.
 */
int preemption_may_help(const struct framework *fw, const struct cluster *c, int32_t pod);

/*
 * Evaluator.Preempt for pod after a failed cycle whose diagnosis is diag
 * (framework_diagnose, run with the cluster exactly as now). Leaves the
 * cluster as it found it; the caller carries the outcome out.
 */
void preemption_run(struct preemption *pe, struct framework *fw, struct cluster *c, int32_t pod,
                    const struct kube_explain *diag, struct preemption_result *out);

/*
 * pickOneNodeForPreemption over n candidates: node[i] with victims
 * victims[off[i] .. off[i]+count[i]), each list most important first.
 * Returns the index of the chosen candidate (n > 0).
 */
size_t preemption_pick(const struct cluster *c, size_t n, const int32_t *victims, const size_t *off,
                       const size_t *count);

#endif
