#ifndef KSIM_MODELS_PLACEMENT_CAPINDEX_H
#define KSIM_MODELS_PLACEMENT_CAPINDEX_H
/*
 * The capacity index: a segment tree over node ids that answers "which is
 * the lowest-numbered node, at or after start, with at least this much free
 * capacity in every dimension the pod asks for?" without visiting every node.
 *
 * Each tree node holds, per resource dimension, the maximum free capacity
 * (allocatable - used) over the node ids below it. Nodes that cannot take a
 * pod at all (removed, spec.unschedulable, without a free pod slot, or with
 * less free capacity than the smallest request, see capindex_set_floor)
 * hold -1 in every dimension, so the pods dimension (always requested) rules
 * them out.
 *
 *              [max over 0..7]
 *          [0..3]           [4..7]          one row of int64 per tree node,
 *        [0..1] [2..3]    [4..5] [6..7]     flat array, root at 1, leaves at
 *        0  1   2  3      4  5   6  7       cap..2cap-1 (cap a power of two)
 *
 * An index made with CAPINDEX_UNTAINTED keeps a second view in the same
 * rows: the same maxima over the nodes without a NoSchedule/NoExecute taint
 * (tainted nodes hold -1 there). Pods without tolerations query that view
 * and never meet dedicated nodes; one update refreshes both views in the
 * same cache lines.
 *
 *   row: [ view 0: dims maxima | view 1: dims maxima | padding ]
 *        4, 8 or 16 int64 (32, 64 or 128 bytes, 64-byte aligned array)
 *
 * A query walks right from leaf start, climbing while the current subtree
 * cannot hold the request and descending into the leftmost subtree that
 * might. The per-dimension maxima may come from different nodes, so a
 * subtree that passes can still hold no fitting node; the walk then moves on,
 * which is why the worst case is linear. That happens where capacity is
 * fragmented (one node with CPU left but no memory, the next the reverse),
 * which is exactly what first-fit leaves behind at the front of a cluster.
 * Two things keep it rare: the floor (capindex_set_floor) stores nodes too
 * exhausted for the smallest request as unusable, and callers that query
 * repeatedly start from a known lower bound (first_fit.c keeps one per
 * request vector). On tests/bench/bench_first_fit.c (10,000 nodes held at
 * 90% of their CPU) a query visits 10 to 25 rows and an update pulls about 9.
 *
 *   operation          cost
 *   capindex_set       O(log n · dims), stops early once a row is unchanged
 *   capindex_update    same, reading the node from the cluster
 *   capindex_build     O(n · dims)
 *   capindex_first_fit O(log n · dims) typical; O(n · dims) worst case
 *   growth             amortised O(dims) per node added (capacity doubles)
 *   memory             2 · cap rows (10,000 nodes, 4 dims, 2 views:
 *                      16384 leaves, 32768 rows of 64 bytes, 2 MiB)
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
struct node;

/* Keep view 1: nodes without an effect NoSchedule or NoExecute taint. */
#define CAPINDEX_UNTAINTED 1u

enum { CAPINDEX_ALL = 0, CAPINDEX_PLAIN = 1 }; /* views */

struct capindex;

/*
 * A new, empty index over the first dims resource dimensions
 * (RES_FIXED <= dims <= RES_MAX; pass c->resnames.n). flags is 0 (one view,
 * CAPINDEX_ALL) or CAPINDEX_UNTAINTED (also CAPINDEX_PLAIN). Free with
 * capindex_free.
 */
struct capindex *capindex_new(int dims, unsigned flags);
void capindex_free(struct capindex *idx);

int capindex_dims(const struct capindex *idx);
unsigned capindex_flags(const struct capindex *idx);

/*
 * Declares that every later query asks for at least floor->v[d] in each
 * dimension d where floor->v[d] > INT64_MIN (so for a positive amount
 * there). A node with less free capacity than the floor in any dimension can
 * take no pod at all, and is stored as unusable: first-fit leaves the front
 * of the cluster full in one dimension with leftovers in another, and those
 * leftovers would otherwise lure every query into subtrees where nothing
 * fits. Applies to entries set afterwards; capindex_build applies it to all.
 * The default floor is one pod (every query asks for a pod slot) and nothing
 * else.
 */
void capindex_set_floor(struct capindex *idx, const struct resources *floor);

/*
 * Sets node's free capacity, dimension by dimension, from free (NULL: the
 * node is unusable, -1 everywhere). A node below the floor in some dimension
 * (see capindex_set_floor) is stored as unusable too. tainted leaves the node
 * out of the CAPINDEX_PLAIN view. Grows the index when node is beyond it; ids
 * between the old end and node are unusable until set. Returns 1 when some
 * stored value grew (the node may now fit requests it did not fit before),
 * 0 otherwise.
 */
int capindex_set(struct capindex *idx, int32_t node, const struct resources *free, int tainted);

/*
 * Whether node has a NoSchedule/NoExecute taint, which leaves it out of the
 * CAPINDEX_PLAIN view.
 */
int capindex_tainted(const struct node *n);

/*
 * Recomputes node's entry from the cluster: unusable when removed or
 * spec.unschedulable, tainted as capindex_tainted says.
 * Returns as capindex_set.
 */
int capindex_update(struct capindex *idx, const struct cluster *c, int32_t node);

/* Recomputes every entry from the cluster: O(nodes · dims). */
void capindex_build(struct capindex *idx, const struct cluster *c);

/*
 * The smallest node id >= start whose free capacity in view is >= req in
 * every indexed dimension where req is positive (the pods dimension always
 * counts, as at least 1), or -1 when there is none. req must respect the
 * floor (capindex_set_floor); a node stored as unusable is never returned. Dimensions at or beyond
 * capindex_dims are not checked. view is CAPINDEX_ALL, or CAPINDEX_PLAIN for
 * an index made with CAPINDEX_UNTAINTED.
 */
int32_t capindex_first_fit(const struct capindex *idx, const struct resources *req, int32_t start,
                           int view);

/* The stored free capacity of node in view and dimension dim (tests); -1 when unusable or unknown.
 */
int64_t capindex_get(const struct capindex *idx, int32_t node, int view, int dim);

#endif
