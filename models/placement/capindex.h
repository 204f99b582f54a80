#ifndef KSIM_MODELS_PLACEMENT_CAPINDEX_H
#define KSIM_MODELS_PLACEMENT_CAPINDEX_H
/*
 * The capacity index: a segment tree over node ids that answers "which is
 * the lowest-numbered node, at or after start, with at least this much free
 * capacity in every dimension the pod asks for?" without visiting every node.
 *
 * Each tree node holds, per resource dimension, the maximum free capacity
 * (allocatable - used) over the node ids below it. Nodes that cannot take a
 * pod at all (removed, spec.unschedulable, and, for an index made with
 * CAPINDEX_UNTAINTED, nodes with a NoSchedule/NoExecute taint) hold -1 in
 * every dimension, so the pods dimension (always requested) rules them out.
 *
 *              [max over 0..7]
 *          [0..3]           [4..7]          one row of dims int64 per tree node,
 *        [0..1] [2..3]    [4..5] [6..7]     flat array, root at 1, leaves at
 *        0  1   2  3      4  5   6  7       cap..2cap-1 (cap a power of two)
 *
 * A query walks right from leaf start, climbing while the current subtree
 * cannot hold the request and descending into the leftmost subtree that
 * might. The per-dimension maxima may come from different nodes, so a
 * subtree that passes can still hold no fitting node; the walk then moves on,
 * which is why the worst case is linear. With one binding dimension (or
 * nodes of a few shapes) it is logarithmic in practice.
 *
 *   operation          cost
 *   capindex_set       O(log n · dims), stops early once a maximum is unchanged
 *   capindex_update    same, reading the node from the cluster
 *   capindex_build     O(n · dims)
 *   capindex_first_fit O(log n · dims) typical; O(n · dims) worst case
 *   growth             amortised O(dims) per node added (capacity doubles)
 *   memory             2 · cap · stride · 8 bytes, stride = 4 or 8 int64
 *                      (10,000 nodes, 4 dims: 16384 leaves, 1 MiB)
 *
 * The index only knows numbers: taints tolerated by a toleration, node
 * selectors and the unschedulable taint are the caller's to check
 * (placement_feasible), continuing the query from candidate + 1 when the
 * candidate fails them.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/resources.h"

struct cluster;

/* Treat nodes with an effect NoSchedule or NoExecute taint as full. */
#define CAPINDEX_UNTAINTED 1u

struct capindex;

/*
 * A new, empty index over the first dims resource dimensions
 * (RES_FIXED <= dims <= RES_MAX; pass c->resnames.n). flags is 0 or
 * CAPINDEX_UNTAINTED. Free with capindex_free.
 */
struct capindex *capindex_new(int dims, unsigned flags);
void capindex_free(struct capindex *idx);

int capindex_dims(const struct capindex *idx);
unsigned capindex_flags(const struct capindex *idx);

/*
 * Sets node's free capacity, dimension by dimension, from free (NULL: the
 * node is unusable, -1 everywhere). Grows the index when node is beyond it;
 * ids between the old end and node are unusable until set.
 */
void capindex_set(struct capindex *idx, int32_t node, const struct resources *free);

/* Recomputes node's entry from the cluster (free capacity, liveness, flags). */
void capindex_update(struct capindex *idx, const struct cluster *c, int32_t node);

/* Recomputes every entry from the cluster: O(nodes · dims). */
void capindex_build(struct capindex *idx, const struct cluster *c);

/*
 * The smallest node id >= start whose free capacity is >= req in every
 * indexed dimension where req is positive (the pods dimension always is), or
 * -1 when there is none. Dimensions at or beyond capindex_dims are not
 * checked.
 */
int32_t capindex_first_fit(const struct capindex *idx, const struct resources *req, int32_t start);

/* The stored free capacity of node in dimension dim (tests). -1 when unusable or unknown. */
int64_t capindex_get(const struct capindex *idx, int32_t node, int dim);

#endif
