#ifndef KSIM_MODELS_PLACEMENT_SHAPEINDEX_H
#define KSIM_MODELS_PLACEMENT_SHAPEINDEX_H
/*
 * The shape index: nodes grouped by shape and kept sorted by how full they
 * are, for the policies that pick the feasible node with the best score
 * (best-fit, worst-fit, dot-product) without scoring every node.
 *
 * Scores. With free_d = alloc_d(n) - used_d(n), D(pod, n) the scored
 * dimensions (cpu and memory, plus every extended resource the pod requests,
 * leaving out those where alloc_d(n) is 0) and w_d the weights below:
 *
 *   remaining(n) = sum_{d in D} w_d · (free_d - req_d) / alloc_d(n)
 *       best-fit takes the least, worst-fit the most;
 *   dot(n)       = sum_{d in D} (req_d / alloc_d(n)) · (free_d / alloc_d(n))
 *       dot-product takes the most.
 *
 * Ties go to the lowest node id. Scores are compared exactly, as rationals
 * (fracsum.h): two nodes tie when their scores are equal numbers, never
 * because doubles rounded them together. Doubles with proven error bounds
 * decide whatever they can; only near-ties are multiplied out.
 *
 * Shapes. Nodes with the same allocatable cpu, memory and extended resources
 * and the same NoSchedule/NoExecute taints form a shape. Within a shape
 *
 *   remaining(n) = key(n) - pen,   key(n) = sum_{d in {cpu, mem}} w_d · free_d / alloc_d,
 *                                  pen    = sum_{d in {cpu, mem}} w_d · req_d / alloc_d
 *
 * for a pod without extended resources, and pen is the same for every node
 * of the shape: the order of key is the order of the score, whatever the
 * pod. So each shape keeps its nodes sorted by (key, id) -- key ascending
 * for best-fit, descending for worst-fit and dot-product, ids ascending
 * within equal keys -- and the best node of a shape is the first one, in
 * that order, with room for the pod that passes the hard filters. The
 * answer is the best of the shapes' answers.
 *
 * The sorted sequence is a list of blocks of at most SHAPEINDEX_BLOCK
 * entries (node id, key, free capacity in every dimension) with the block's
 * maximum free capacity per dimension; the shape keeps a copy of its blocks'
 * maxima in one array, so a query walks past the blocks that cannot hold the
 * pod reading contiguous memory, and scans the entries of the first block
 * that may:
 *
 *   shape (8 cores, 32Gi; no taints)        maxima [m0][m1][m2] ...   (one array)
 *   blocks [b0][b1][b2] ...                 b1: | n12 k.03 | n7 k.10 | n31 k.10 | ...
 *                                                 key ascending (best-fit), then id
 *
 * Removed and cordoned nodes, nodes with no free pod slot and nodes with
 * less free capacity than the smallest request any owner makes (the floor,
 * as in first_fit.c) are left out. A shape whose taints the pod does not
 * tolerate is skipped whole. A node with room has key >= pen, so best-fit
 * starts each shape at the first block reaching pen (binary search) and
 * worst-fit stops where keys fall below it.
 *
 * Best-fit and worst-fit search the shapes in a good order (worst-fit: the
 * one whose emptiest node scores best; best-fit: the one that held this
 * owner's last answer) and stop each shape at the first block or entry that
 * cannot beat the best so far. Candidates are compared before the hard
 * filters are asked, and only the winner is checked (placement_feasible);
 * should it fail, the search is repeated checking every candidate.
 *
 * A pod requesting extended resources (their terms are not in the key)
 * gets a branch and bound over the same blocks: a bound from the block's
 * first key and maxima skips blocks and ends shapes that cannot win.
 *
 * Dot-product's order depends on the pod, so it bounds blocks instead: each
 * block keeps the skyline of its (free cpu, free memory) points, where any
 * positive linear score is largest; a query bounds every block with room
 * from its maxima, opens the most promising, then opens only blocks whose
 * bound (maxima first, then skyline) can still beat or tie the best.
 *
 *   operation                 cost (b = SHAPEINDEX_BLOCK, s shapes, k blocks in a shape)
 *   shapeindex_node_changed   O(log k + log b + b) -- binary searches, and a shift of the
 *                             shorter side of one block (a block's maxima are recounted
 *                             only when the last entry holding one leaves)
 *   shapeindex_place          best-fit, worst-fit: O(s + k + b) typical, one block scanned
 *                             per shape; dot-product: O(blocks + a few b); O(nodes) worst
 *                             case (fragmented capacity, a nodeSelector few nodes match,
 *                             bounds that prune nothing)
 *   shapeindex_build          O(nodes · (log k + b))
 *   memory                    about (dims + 3) · 8 bytes per node, plus a row per block
 *
 * With many shapes (every node its own) a query visits each shape: no worse
 * than a scan by more than a constant. Pods that tolerate
 * node.kubernetes.io/unschedulable may land on cordoned nodes, which the
 * index leaves out: they are placed by shapeindex_scan.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/resources.h"

struct cluster;
struct shapeindex;

#define SHAPEINDEX_BLOCK 32

/*
 * w_d of remaining(n), by dimension. Positive integers, so that scores stay
 * exact sums of fractions; pods and ephemeral-storage are not scored (their
 * 0 is never read); an extended resource counts only when the pod requests
 * it. One table so that a later change can make them configurable.
 */
extern const int64_t shapeindex_weight[RES_MAX];

enum shapeindex_mode {
    SHAPEINDEX_LEAST_REMAINING, /* best-fit */
    SHAPEINDEX_MOST_REMAINING,  /* worst-fit */
    SHAPEINDEX_DOT_PRODUCT,     /* dot-product (Tetris alignment) */
};

/* A new index for mode over the cluster's nodes now. Free with shapeindex_free. */
struct shapeindex *shapeindex_new(enum shapeindex_mode mode, const struct cluster *c);
void shapeindex_free(struct shapeindex *x);

/* Keeps node's entry current (a cluster listener's node_changed). */
void shapeindex_node_changed(struct shapeindex *x, const struct cluster *c, int32_t node);

/* The node mode chooses for pod, or -1 when no node passes placement_feasible. */
int32_t shapeindex_place(struct shapeindex *x, const struct cluster *c, int32_t pod);

/*
 * The same choice by scoring every node that passes placement_feasible:
 * O(nodes). The reference the index is tested against, and the way pods that
 * tolerate the unschedulable taint are placed.
 */
int32_t shapeindex_scan(enum shapeindex_mode mode, const struct cluster *c, int32_t pod);

/* Number of shapes seen (tests, benchmarks). */
size_t shapeindex_shapes(const struct shapeindex *x);

/*
 * Checks every invariant against the cluster by brute force (tests): which
 * nodes are in, their stored capacity and shape, each shape's order, each
 * block's maxima and lowest id. 0 when consistent, else -1 and a message.
 */
int shapeindex_check(const struct shapeindex *x, const struct cluster *c, char *err, size_t len);

#endif
