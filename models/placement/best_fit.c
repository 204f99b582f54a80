/*
 * best-fit: the feasible node with the least capacity left once the pod is
 * placed, measured as a weighted sum of normalized remainders:
 *
 *   score(n) = sum_{d in D} w_d · (alloc_d(n) - used_d(n) - req_d) / alloc_d(n)
 *   chosen   = argmin score(n) over the nodes that pass placement_feasible,
 *              ties to the lowest node id; -1 when none passes
 *
 * D is cpu and memory plus every extended resource the pod requests, without
 * the dimensions where alloc_d(n) is 0; w_d is shapeindex_weight (all 1 for
 * now). Best-fit packs pods into the fullest nodes that still hold them,
 * leaving whole nodes empty for large pods and for scale-down: the classic
 * bin-packing heuristic, scored the way NodeResourcesFit's
 * MostAllocated strategy scores (pkg/scheduler/framework/plugins/
 * noderesources/most_allocated.go), but exact and without its integer
 * rounding to 0..100.
 *
 * Scores are rationals compared exactly (fracsum.h), so ties are ties of the
 * numbers. The shape index (shapeindex.h) finds the node without scoring the
 * cluster: within one node shape the score is key(n) minus a constant, so
 * each shape keeps its nodes sorted by key and the answer is the first one
 * with room that passes the filters, compared across shapes. Nodes whose key
 * is below the pod's share cannot have room and are skipped by a binary
 * search. Pods requesting extended resources get a branch and bound over the
 * same blocks. Pods that tolerate node.kubernetes.io/unschedulable get an
 * exact scan.
 */
#include <stdint.h>

#include "models/placement/placement.h"
#include "models/placement/shapeindex.h"

struct best_fit {
    struct shapeindex *idx;
};

static int bf_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct best_fit *bf = state;
    (void)env;
    bf->idx = shapeindex_new(SHAPEINDEX_LEAST_REMAINING, c);
    return 0;
}

static void bf_release(void *state)
{
    struct best_fit *bf = state;
    shapeindex_free(bf->idx);
    bf->idx = NULL;
}

static void bf_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct best_fit *bf = state;
    shapeindex_node_changed(bf->idx, c, node);
}

static int32_t bf_place(void *state, const struct cluster *c, int32_t pod)
{
    struct best_fit *bf = state;
    return shapeindex_place(bf->idx, c, pod);
}

const struct placement_ops placement_best_fit_ops = {
    .name = "best-fit",
    .summary = "feasible node with the least normalized capacity left after placing, ties to "
               "lowest id (honours taints, nodeSelector, unschedulable, resources)",
    .state_size = sizeof(struct best_fit),
    .init = bf_init,
    .release = bf_release,
    .node_changed = bf_node_changed,
    .place = bf_place,
    .resource_fit = 1,
};
