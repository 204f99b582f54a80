/*
 * worst-fit: the feasible node with the most capacity left once the pod is
 * placed, measured as a weighted sum of normalized remainders:
 *
 *   score(n) = sum_{d in D} w_d · (alloc_d(n) - used_d(n) - req_d) / alloc_d(n)
 *   chosen   = argmax score(n) over the nodes that pass placement_feasible,
 *              ties to the lowest node id; -1 when none passes
 *
 * D is cpu and memory plus every extended resource the pod requests, without
 * the dimensions where alloc_d(n) is 0; w_d is shapeindex_weight (all 1 for
 * now). Worst-fit spreads load, keeping headroom on every node for pods to
 * grow into: the bin-packing counterpart of NodeResourcesFit's
 * LeastAllocated strategy (pkg/scheduler/framework/plugins/noderesources/
 * least_allocated.go), exact and without its rounding to 0..100.
 *
 * Scores are rationals compared exactly (fracsum.h), so ties are ties of the
 * numbers. The shape index (shapeindex.h) keeps each node shape's nodes
 * sorted by key(n) descending, which within a shape is the score's order, so
 * the answer is the best across shapes of each shape's first node with room
 * that passes the filters. Pods requesting extended resources get a branch
 * and bound over the same blocks. Pods that tolerate
 * node.kubernetes.io/unschedulable get an exact scan.
 */
#include <stdint.h>

#include "models/placement/placement.h"
#include "models/placement/shapeindex.h"

struct worst_fit {
    struct shapeindex *idx;
};

static int wf_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct worst_fit *wf = state;
    (void)env;
    wf->idx = shapeindex_new(SHAPEINDEX_MOST_REMAINING, c);
    return 0;
}

static void wf_release(void *state)
{
    struct worst_fit *wf = state;
    shapeindex_free(wf->idx);
    wf->idx = NULL;
}

static void wf_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct worst_fit *wf = state;
    shapeindex_node_changed(wf->idx, c, node);
}

static int32_t wf_place(void *state, const struct cluster *c, int32_t pod)
{
    struct worst_fit *wf = state;
    return shapeindex_place(wf->idx, c, pod);
}

const struct placement_ops placement_worst_fit_ops = {
    .name = "worst-fit",
    .summary = "feasible node with the most normalized capacity left after placing, ties to "
               "lowest id (honours taints, nodeSelector, unschedulable, resources)",
    .state_size = sizeof(struct worst_fit),
    .init = wf_init,
    .release = wf_release,
    .node_changed = wf_node_changed,
    .place = wf_place,
    .resource_fit = 1,
};
