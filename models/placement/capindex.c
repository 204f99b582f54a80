#include "models/placement/capindex.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/*
 * Tree node i (1 <= i < 2 * cap) keeps its row in max[i * stride ...]:
 * view v, dimension d at offset v * dims + d, width = views * dims values.
 * The stride is width rounded up to 4, 8 or 16 so that rows line up with
 * 64-byte cache lines (the array itself is 64-byte aligned). Row 0 is unused.
 */
struct capindex {
    int dims;
    int width; /* views * dims */
    size_t stride;
    unsigned flags;
    size_t cap; /* leaves; a power of two, >= 1 */
    int64_t *max;
    struct resources floor; /* less free than this in any dimension: unusable */
};

static int64_t *alloc_rows(size_t rows, size_t stride)
{
    size_t bytes = rows * stride * sizeof(int64_t);
    /* aligned_alloc wants a multiple of the alignment; rows * stride * 8 is
     * one whenever rows is even, which 2 * cap always is. */
    int64_t *p = aligned_alloc(64, bytes);
    if (!p)
        p = xmalloc(bytes);
    for (size_t i = 0; i < rows * stride; i++)
        p[i] = -1;
    return p;
}

struct capindex *capindex_new(int dims, unsigned flags)
{
    if (dims < RES_FIXED || dims > RES_MAX)
        BUG("capindex dims out of range");
    struct capindex *idx = xcalloc(1, sizeof *idx);
    idx->dims = dims;
    idx->width = (flags & CAPINDEX_UNTAINTED ? 2 : 1) * dims;
    idx->stride = idx->width <= 4 ? 4 : idx->width <= 8 ? 8 : 16;
    idx->flags = flags;
    idx->cap = 1;
    idx->max = alloc_rows(2, idx->stride);
    for (int d = 0; d < RES_MAX; d++)
        idx->floor.v[d] = d == RES_PODS ? 1 : INT64_MIN;
    return idx;
}

void capindex_set_floor(struct capindex *idx, const struct resources *floor)
{
    idx->floor = *floor;
    if (idx->floor.v[RES_PODS] < 1)
        idx->floor.v[RES_PODS] = 1;
}

void capindex_free(struct capindex *idx)
{
    if (!idx)
        return;
    free(idx->max);
    free(idx);
}

int capindex_dims(const struct capindex *idx)
{
    return idx->dims;
}

unsigned capindex_flags(const struct capindex *idx)
{
    return idx->flags;
}

/*
 * Row i := the element-wise max of rows 2i and 2i+1. Returns whether row i
 * changed. The whole stride is processed (padding holds -1 and stays so):
 * a constant trip count lets the compiler unroll the loop, which matters,
 * since every bind and every deletion pulls about half the tree's height.
 */
static inline int pull_n(int64_t *max, size_t i, size_t n)
{
    int64_t *row = max + i * n;
    const int64_t *l = max + 2 * i * n;
    const int64_t *r = l + n;
    int64_t diff = 0;
#pragma GCC unroll 16
    for (size_t k = 0; k < n; k++) {
        int64_t m = l[k] > r[k] ? l[k] : r[k];
        diff |= m ^ row[k];
        row[k] = m;
    }
    return diff != 0;
}

static int pull(struct capindex *idx, size_t i)
{
    switch (idx->stride) {
    case 4:
        return pull_n(idx->max, i, 4);
    case 8:
        return pull_n(idx->max, i, 8);
    default:
        return pull_n(idx->max, i, 16);
    }
}

static void grow(struct capindex *idx, size_t need)
{
    size_t cap = idx->cap;
    while (cap < need)
        cap *= 2;
    int64_t *max = alloc_rows(2 * cap, idx->stride);
    memcpy(max + cap * idx->stride, idx->max + idx->cap * idx->stride,
           idx->cap * idx->stride * sizeof(int64_t));
    free(idx->max);
    idx->max = max;
    idx->cap = cap;
    for (size_t i = cap - 1; i >= 1; i--)
        pull(idx, i);
}

/* Fills a leaf row; returns whether any value grew. */
static int fill_leaf(const struct capindex *idx, int64_t *leaf, const struct resources *free,
                     int tainted)
{
    /* Below the floor the node can take no pod: see capindex_set_floor. */
    for (int d = 0; free && d < idx->dims; d++)
        if (free->v[d] < idx->floor.v[d])
            free = NULL;
    int grew = 0;
    for (int d = 0; d < idx->dims; d++) {
        int64_t v = free ? free->v[d] : -1;
        grew |= v > leaf[d];
        leaf[d] = v;
        if (idx->width > idx->dims) {
            int64_t u = tainted ? -1 : v;
            grew |= u > leaf[idx->dims + d];
            leaf[idx->dims + d] = u;
        }
    }
    return grew;
}

int capindex_set(struct capindex *idx, int32_t node, const struct resources *free, int tainted)
{
    if (node < 0)
        BUG("negative node id");
    if ((size_t)node >= idx->cap)
        grow(idx, (size_t)node + 1);
    size_t i = idx->cap + (size_t)node;
    int grew = fill_leaf(idx, idx->max + i * idx->stride, free, tainted);
    /* An unchanged row leaves every ancestor unchanged too. */
    for (i >>= 1; i >= 1 && pull(idx, i); i >>= 1)
        ;
    return grew;
}

int capindex_tainted(const struct node *n)
{
    for (size_t i = 0; i < n->ntaints; i++)
        if (n->taints[i].effect != TAINT_PREFER_NO_SCHEDULE)
            return 1;
    return 0;
}

/* Node's free capacity into *free; 0 when the node is unusable. */
static int node_free(const struct node *n, struct resources *free)
{
    if (!n->alive || n->unschedulable)
        return 0;
    *free = n->alloc;
    res_sub(free, &n->used);
    return 1;
}

int capindex_update(struct capindex *idx, const struct cluster *c, int32_t node)
{
    const struct node *n = &c->nodes[node];
    struct resources free;
    int ok = node_free(n, &free);
    return capindex_set(idx, node, ok ? &free : NULL, capindex_tainted(n));
}

void capindex_build(struct capindex *idx, const struct cluster *c)
{
    if (c->nnodes > idx->cap)
        grow(idx, c->nnodes);
    for (size_t id = 0; id < idx->cap; id++) {
        int64_t *leaf = idx->max + (idx->cap + id) * idx->stride;
        for (int k = 0; k < idx->width; k++)
            leaf[k] = -1;
        struct resources free;
        if (id < c->nnodes && node_free(&c->nodes[id], &free))
            fill_leaf(idx, leaf, &free, capindex_tainted(&c->nodes[id]));
    }
    for (size_t i = idx->cap - 1; i >= 1; i--)
        pull(idx, i);
}

int32_t capindex_first_fit(const struct capindex *idx, const struct resources *req, int32_t start,
                           int view)
{
    if (view != CAPINDEX_ALL && !(view == CAPINDEX_PLAIN && idx->width > idx->dims))
        BUG("capindex view not kept by this index");
    /* Only the requested dimensions matter; gather them once. */
    int off[RES_MAX];
    int64_t want[RES_MAX];
    int k = 0;
    for (int d = 0; d < idx->dims; d++) {
        if (d != RES_PODS && req->v[d] < idx->floor.v[d])
            BUG("capindex query below the floor");
        if (req->v[d] > 0 || d == RES_PODS) {
            off[k] = view * idx->dims + d;
            want[k] = req->v[d] > 0 ? req->v[d] : 1;
            k++;
        }
    }
    if (start < 0)
        start = 0;
    if ((size_t)start >= idx->cap)
        return -1;
    const int64_t *max = idx->max;
    const size_t stride = idx->stride;
    const size_t cap = idx->cap;
    size_t p = cap + (size_t)start;
    for (;;) {
        const int64_t *row = max + p * stride;
        int fits = 1;
        for (int j = 0; j < k; j++) {
            if (row[off[j]] < want[j]) {
                fits = 0;
                break;
            }
        }
        if (fits) {
            if (p >= cap)
                return (int32_t)(p - cap);
            p = 2 * p; /* leftmost child first */
            continue;
        }
        /* Everything below p is ruled out: climb past right children, then
         * step to the right sibling. Climbing out of the root means done. */
        while (p & 1)
            p >>= 1;
        if (p == 0)
            return -1;
        p++;
    }
}

int64_t capindex_get(const struct capindex *idx, int32_t node, int view, int dim)
{
    if (node < 0 || (size_t)node >= idx->cap || dim < 0 || dim >= idx->dims || view < 0 ||
        (view + 1) * idx->dims > idx->width)
        return -1;
    return idx->max[(idx->cap + (size_t)node) * idx->stride + (size_t)(view * idx->dims + dim)];
}
