/*
 * dot-product: Tetris's alignment score (Grandl et al., "Multi-Resource
 * Packing for Cluster Schedulers", SIGCOMM 2014): the feasible node whose
 * free capacity points most the way the pod's demand points.
 *
 *   score(n) = sum_{d in D} (req_d / alloc_d(n)) · ((alloc_d(n) - used_d(n)) / alloc_d(n))
 *   chosen   = argmax score(n) over the nodes that pass placement_feasible,
 *              ties to the lowest node id; -1 when none passes
 *
 * D is cpu and memory plus every extended resource the pod requests, without
 * the dimensions where alloc_d(n) is 0. Both vectors are normalized by the
 * node's allocatable, as in the paper. A CPU-heavy pod goes where CPU is
 * plentiful, leaving memory-rich room for memory-heavy pods. A pod asking
 * for no scored resource scores 0 everywhere and goes to the lowest feasible
 * id. Scores are rationals compared exactly (fracsum.h).
 *
 * Index, not scan: the score's order depends on the pod, so no single order
 * of the nodes serves every pod; bounds do. The shape index (shapeindex.h)
 * keeps, per block of 32 nodes of one shape, the maximum free capacity per
 * dimension and the skyline of (free cpu, free memory) points -- the nodes
 * no other node of the block beats in both -- where any such score is
 * largest. A query bounds every block with room from its maxima, opens the
 * most promising block first, then opens only the blocks whose bound
 * (maxima, then skyline) can still beat the best node so far or tie it with
 * a lower id. Typically a few blocks are opened, so a placement reads every
 * block's maxima once (contiguous per shape) and scores about a hundred
 * nodes; in the worst case, when bounds prune nothing, it scores all of them.
 * Pods that tolerate node.kubernetes.io/unschedulable get an exact scan.
 */
#include <stdint.h>

#include "models/placement/placement.h"
#include "models/placement/shapeindex.h"

struct dot_product {
    struct shapeindex *idx;
};

static int dp_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct dot_product *dp = state;
    (void)env;
    dp->idx = shapeindex_new(SHAPEINDEX_DOT_PRODUCT, c);
    return 0;
}

static void dp_release(void *state)
{
    struct dot_product *dp = state;
    shapeindex_free(dp->idx);
    dp->idx = NULL;
}

static void dp_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct dot_product *dp = state;
    shapeindex_node_changed(dp->idx, c, node);
}

static int32_t dp_place(void *state, const struct cluster *c, int32_t pod)
{
    struct dot_product *dp = state;
    return shapeindex_place(dp->idx, c, pod);
}

const struct placement_ops placement_dot_product_ops = {
    .name = "dot-product",
    .summary = "feasible node maximizing sum of req/alloc times free/alloc (Tetris), ties to "
               "lowest id (honours taints, nodeSelector, unschedulable, resources)",
    .state_size = sizeof(struct dot_product),
    .init = dp_init,
    .release = dp_release,
    .node_changed = dp_node_changed,
    .place = dp_place,
    .resource_fit = 1,
};
