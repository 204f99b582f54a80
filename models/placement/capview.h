#ifndef KSIM_MODELS_PLACEMENT_CAPVIEW_H
#define KSIM_MODELS_PLACEMENT_CAPVIEW_H
/*
 * A capacity index (capindex.h) kept current for a policy that walks node
 * ids: first-fit, next-fit and random use it to find the next node, from any
 * start, with room for a pod, without visiting the nodes that have none.
 *
 * Around the index it keeps:
 *   - the floor, the smallest request any owner's pods make per dimension, so
 *     nodes too exhausted for every pod are stored as unusable (a pod asking
 *     for less than the floor lowers it and rebuilds: O(nodes), once per new
 *     minimum);
 *   - the untainted view, kept once some node has a NoSchedule/NoExecute
 *     taint, which pods without tolerations query;
 *   - a rebuild when an extended resource is named after the index was built.
 *
 * The index leaves cordoned nodes out: pods that tolerate the
 * node.kubernetes.io/unschedulable taint must be placed by a scan
 * (placement_tolerates_unschedulable). Candidates still have to pass
 * placement_feasible (tolerations, nodeSelector).
 *
 *   operation             cost
 *   capview_init          O(nodes · dims)
 *   capview_node_changed  O(log nodes · dims); a rebuild on the first tainted node
 *   capview_prepare       O(owners' dims); O(nodes · dims) when the floor drops
 *   capview_next          as capindex_first_fit: O(log nodes · dims) typical
 */
#include <stdint.h>

#include "models/placement/capindex.h"
#include "sim/cluster/resources.h"

struct cluster;
struct podspec;

struct capview {
    struct capindex *idx;
    struct resources floor;
    /* The index's capindex_dims and capindex_flags, read on every change and query. */
    int dims;
    unsigned flags;
    /* Counts rebuilds, so that a caller keeping state about the index (first-fit's
     * start hints) can tell when to drop it. */
    unsigned rebuilds;
};

/* Builds the index over the cluster's nodes, with the floor of its owners. */
void capview_init(struct capview *v, const struct cluster *c);
void capview_release(struct capview *v);

/*
 * Keeps node's entry current (a cluster listener's node_changed). Returns 1
 * when a stored value of node grew, so that it may now fit requests it did
 * not fit before (capindex_set), 0 otherwise or when the index was rebuilt.
 */
int capview_node_changed(struct capview *v, const struct cluster *c, int32_t node);

/*
 * Readies the index for a pod of spec (lowering the floor or adding
 * dimensions as needed) and returns the view it should query: CAPINDEX_PLAIN
 * for pods without tolerations once the untainted view exists, else
 * CAPINDEX_ALL. Call it before capview_next for each pod.
 */
int capview_prepare(struct capview *v, const struct cluster *c, const struct podspec *spec);

/* The first node id >= start in view with room for req, or -1 (capindex_first_fit). */
static inline int32_t capview_next(const struct capview *v, const struct resources *req,
                                   int32_t start, int view)
{
    return capindex_first_fit(v->idx, req, start, view);
}

#endif
