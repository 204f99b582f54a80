#include "models/placement/capindex.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/*
 * Tree node i (1 <= i < 2 * cap) keeps its maxima in
 * max[i * stride .. i * stride + dims). The stride is 4 or 8 so that a row
 * never straddles a 64-byte cache line (the array itself is 64-byte aligned).
 * Index 0 is unused.
 */
struct capindex {
    int dims;
    int stride;
    unsigned flags;
    size_t cap; /* leaves; a power of two, >= 1 */
    int64_t *max;
};

static int64_t *alloc_rows(size_t rows, int stride)
{
    size_t bytes = rows * (size_t)stride * sizeof(int64_t);
    /* aligned_alloc wants a multiple of the alignment; rows * stride * 8 is
     * one whenever rows is even, which 2 * cap always is. */
    int64_t *p = aligned_alloc(64, bytes);
    if (!p)
        p = xmalloc(bytes);
    for (size_t i = 0; i < rows * (size_t)stride; i++)
        p[i] = -1;
    return p;
}

struct capindex *capindex_new(int dims, unsigned flags)
{
    if (dims < RES_FIXED || dims > RES_MAX)
        BUG("capindex dims out of range");
    struct capindex *idx = xcalloc(1, sizeof *idx);
    idx->dims = dims;
    idx->stride = dims <= 4 ? 4 : 8;
    idx->flags = flags;
    idx->cap = 1;
    idx->max = alloc_rows(2, idx->stride);
    return idx;
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

/* Row i := per-dimension max of rows 2i and 2i+1. Returns whether row i changed. */
static int pull(struct capindex *idx, size_t i)
{
    int64_t *row = idx->max + i * (size_t)idx->stride;
    const int64_t *l = idx->max + 2 * i * (size_t)idx->stride;
    const int64_t *r = l + idx->stride;
    int changed = 0;
    for (int d = 0; d < idx->dims; d++) {
        int64_t m = l[d] > r[d] ? l[d] : r[d];
        changed |= m != row[d];
        row[d] = m;
    }
    return changed;
}

static void grow(struct capindex *idx, size_t need)
{
    size_t cap = idx->cap;
    while (cap < need)
        cap *= 2;
    int64_t *max = alloc_rows(2 * cap, idx->stride);
    size_t row = (size_t)idx->stride * sizeof(int64_t);
    memcpy(max + cap * (size_t)idx->stride, idx->max + idx->cap * (size_t)idx->stride,
           idx->cap * row);
    free(idx->max);
    idx->max = max;
    idx->cap = cap;
    for (size_t i = cap - 1; i >= 1; i--)
        pull(idx, i);
}

void capindex_set(struct capindex *idx, int32_t node, const struct resources *free)
{
    if (node < 0)
        BUG("negative node id");
    if ((size_t)node >= idx->cap)
        grow(idx, (size_t)node + 1);
    size_t i = idx->cap + (size_t)node;
    int64_t *leaf = idx->max + i * (size_t)idx->stride;
    for (int d = 0; d < idx->dims; d++)
        leaf[d] = free ? free->v[d] : -1;
    /* An unchanged maximum leaves every ancestor unchanged too. */
    for (i >>= 1; i >= 1 && pull(idx, i); i >>= 1)
        ;
}

static int usable(const struct capindex *idx, const struct node *n)
{
    if (!n->alive || n->unschedulable)
        return 0;
    if (idx->flags & CAPINDEX_UNTAINTED)
        for (size_t i = 0; i < n->ntaints; i++)
            if (n->taints[i].effect != TAINT_PREFER_NO_SCHEDULE)
                return 0;
    return 1;
}

void capindex_update(struct capindex *idx, const struct cluster *c, int32_t node)
{
    const struct node *n = &c->nodes[node];
    if (!usable(idx, n)) {
        capindex_set(idx, node, NULL);
        return;
    }
    struct resources free = n->alloc;
    res_sub(&free, &n->used);
    capindex_set(idx, node, &free);
}

void capindex_build(struct capindex *idx, const struct cluster *c)
{
    if (c->nnodes > idx->cap)
        grow(idx, c->nnodes);
    for (size_t id = 0; id < idx->cap; id++) {
        int64_t *leaf = idx->max + (idx->cap + id) * (size_t)idx->stride;
        const struct node *n = id < c->nnodes ? &c->nodes[id] : NULL;
        int ok = n && usable(idx, n);
        for (int d = 0; d < idx->dims; d++)
            leaf[d] = ok ? n->alloc.v[d] - n->used.v[d] : -1;
    }
    for (size_t i = idx->cap - 1; i >= 1; i--)
        pull(idx, i);
}

int32_t capindex_first_fit(const struct capindex *idx, const struct resources *req, int32_t start)
{
    /* Only the requested dimensions matter; gather them once. */
    int dim[RES_MAX];
    int64_t want[RES_MAX];
    int k = 0;
    for (int d = 0; d < idx->dims; d++) {
        if (req->v[d] > 0 || d == RES_PODS) {
            dim[k] = d;
            want[k] = req->v[d] > 0 ? req->v[d] : 1;
            k++;
        }
    }
    if (start < 0)
        start = 0;
    if ((size_t)start >= idx->cap)
        return -1;
    const int64_t *max = idx->max;
    const size_t stride = (size_t)idx->stride;
    const size_t cap = idx->cap;
    size_t p = cap + (size_t)start;
    for (;;) {
        const int64_t *row = max + p * stride;
        int fits = 1;
        for (int j = 0; j < k; j++) {
            if (row[dim[j]] < want[j]) {
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
         * step to the right sibling. Reaching the root's parent means done. */
        while (p & 1)
            p >>= 1;
        if (p == 0)
            return -1;
        p++;
    }
}

int64_t capindex_get(const struct capindex *idx, int32_t node, int dim)
{
    if (node < 0 || (size_t)node >= idx->cap || dim < 0 || dim >= idx->dims)
        return -1;
    return idx->max[(idx->cap + (size_t)node) * (size_t)idx->stride + (size_t)dim];
}
