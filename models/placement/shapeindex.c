#include "models/placement/shapeindex.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/fracsum.h"
#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

const int64_t shapeindex_weight[RES_MAX] = {
    [RES_CPU] = 1,       [RES_MEMORY] = 1,    [RES_PODS] = 0,      [RES_EPHEMERAL] = 0,
    [RES_FIXED + 0] = 1, [RES_FIXED + 1] = 1, [RES_FIXED + 2] = 1, [RES_FIXED + 3] = 1,
};

#define BLOCK     SHAPEINDEX_BLOCK
#define BLOCK_LOW (BLOCK / 4)     /* a block this small merges with a neighbour ... */
#define MERGED    (BLOCK * 3 / 4) /* ... when the two then hold at most this many */
#define MEMO      64

#if SHAPEINDEX_BLOCK > 127
#error "struct block counts maxima in int8_t"
#endif

/*
 * An entry: a node, its key, then its free capacity in every dimension
 * (stride int64 values), esize bytes in all. One array of entries per block,
 * so that making room for an entry, or closing the gap it leaves, is one
 * memmove.
 */
struct entry {
    double key;
    int32_t id;
    int32_t unused;
};

/*
 * A run of one shape's entries in order. max[d] is the largest free
 * capacity in dimension d, held by nmax[d] entries; minid the smallest id
 * (-1 when that entry left: only branch and bound needs it, and finds it);
 * first and last the keys of the first and last entries. The entries sit
 * anywhere in the array, with free slots on either side: an entry comes or
 * goes by shifting the shorter side, so removing the first entry (what
 * worst-fit does all day) moves nothing. Counting the holders matters: in a
 * dimension no pod asks for (ephemeral storage, say) every entry holds the
 * maximum, and removing one must not cost a rescan.
 *
 * Blocks live in one pool, named by index (the pool moves when it grows).
 * What a query or a binary search reads of a block it does not enter --
 * maxima, first and last key -- is inline in the pool, one cache line for up
 * to four dimensions; the entries are a separate allocation.
 */
struct block {
    double first, last;
    int32_t n;
    int32_t minid;
    int32_t next_free; /* the pool's free list */
    int32_t off;       /* the entries are slots off .. off + n - 1 of ent */
    int32_t pos;       /* its index in its shape's blk[] */
    int64_t max[RES_MAX];
    int8_t nmax[RES_MAX];
    int16_t nsky;      /* dot-product: points in the skyline, after the entries */
    int16_t sky_stale; /* dot-product: the skyline is to be recomputed */
    char *ent;         /* SHAPEINDEX_BLOCK entries of esize bytes, then the skyline */
} __attribute__((aligned(64)));

struct shape {
    struct resources alloc; /* cpu, memory and extended resources; pods, ephemeral 0 */
    double inv[2];          /* w_d / alloc_d for cpu and memory, 0 where alloc_d is 0 */
    int32_t rep;            /* the first node of the shape: its taints are the shape's */
    int tainted;            /* it has NoSchedule/NoExecute taints */
    uint64_t hash;
    int32_t *blk; /* block indexes, in order */
    size_t nblk, blk_cap;
    /*
     * A copy of each block's maxima, stride values per block in blk[] order:
     * the walk past blocks that cannot hold the pod, which is most of the
     * work of a best-fit query on a busy cluster, reads this one array. A
     * sentinel row of INT64_MAX follows the last block, so the walk needs no
     * bounds test.
     */
    int64_t *bmax;

    size_t count; /* entries */
};

/* A block dot-product may open, and a bound on the scores in it. */
struct candidate {
    double bound;
    int32_t shape;
    int32_t block;
};

struct shapeindex {
    enum shapeindex_mode mode;
    int desc; /* keys descending (worst-fit, dot-product) */
    int dims;
    size_t stride;          /* free capacity values per entry: dims rounded up to 4 or 8 */
    size_t esize;           /* bytes per entry */
    struct resources floor; /* below this in any dimension a node takes no pod */
    struct shape *shapes;
    size_t nshapes, shapes_cap;
    int32_t *plain;   /* the shapes without NoSchedule/NoExecute taints ... */
    int32_t *tainted; /* ... and with: pods without tolerations search only the first */
    size_t nplain, ntainted;
    /* Scratch for one query, per shape: the pod's sum w_d req_d / alloc_d, the
     * shape's first entry's score; and the shapes to search. */
    double *pen;
    double *bound;
    int32_t *open;
    size_t scratch_cap;
    /*
     * The shape that held the answer for an owner's last pod, by owner id mod
     * MEMO (a guess, never trusted: it only decides which shape to search
     * first, so that the best node so far is good early and the other shapes
     * stop at their first block with room).
     */
    int32_t memo_owner[MEMO], memo_shape[MEMO];
    struct candidate *cand; /* dot-product: scratch for one query, a row per block */
    size_t cand_cap;
    int32_t *slot; /* open-addressing table of shapes by hash, -1 empty */
    size_t nslots;
    struct block *blocks;
    size_t nblocks, blocks_cap;
    int32_t free_blocks;
    int32_t *shape_of; /* per node: its shape, -1 before it is first usable */
    int32_t *blk_of;   /* per node: its block, -1 when out of the index */
    size_t nknown, known_cap;
};

/* ------------------------------------------------------------ scores */

static int is_scored(int d)
{
    return d != RES_PODS && d != RES_EPHEMERAL;
}

/*
 * The terms of node's score for req (see shapeindex.h), with free the node's
 * free capacity and alloc its allocatable; returns their number (<= 6).
 */
static int score_terms(enum shapeindex_mode mode, int dims, const int64_t *free,
                       const struct resources *alloc, const struct resources *req,
                       struct fracterm *t)
{
    int n = 0;
    for (int d = 0; d < dims; d++) {
        if (!is_scored(d) || alloc->v[d] <= 0 || (d >= RES_FIXED && req->v[d] <= 0))
            continue;
        if (mode == SHAPEINDEX_DOT_PRODUCT) {
            if (req->v[d] > 0)
                t[n++] = (struct fracterm){req->v[d], free[d], alloc->v[d], alloc->v[d]};
        } else {
            t[n++] = (struct fracterm){free[d] - req->v[d], shapeindex_weight[d], alloc->v[d], 1};
        }
    }
    return n;
}

/* The terms of key(n): w_d · free_d / alloc_d over cpu and memory. */
static int key_terms(const int64_t *free, const struct resources *alloc, struct fracterm *t)
{
    int n = 0;
    for (int d = RES_CPU; d <= RES_MEMORY; d++)
        if (alloc->v[d] > 0)
            t[n++] = (struct fracterm){free[d], shapeindex_weight[d], alloc->v[d], 1};
    return n;
}

/*
 * key(n) in doubles, as free_d · (w_d / alloc_d) summed: each product is
 * within 5 · 2^-53 of its exact value relatively (three conversions, the
 * division, the product), the sum adds one more, so the key of an indexed
 * node (all terms >= 0) is within 6 · 2^-53 of key(n), relatively.
 */
static double key_approx(const struct shape *s, const int64_t *free)
{
    return (double)free[RES_CPU] * s->inv[0] + (double)free[RES_MEMORY] * s->inv[1];
}

/*
 * sign(key(a) - key(b)) for two nodes of shape s, exactly: a difference
 * beyond 2^-46 of the keys' sum (far above their error) decides; otherwise
 * equal capacities are equal keys, and the rest is an exact comparison. fa
 * and fb are read only then.
 *
 * The exact comparison: over a common denominator alloc_cpu · alloc_mem,
 * key(a) - key(b) has the sign of
 *
 *   w_cpu · (fa_cpu - fb_cpu) · alloc_mem + w_mem · (fa_mem - fb_mem) · alloc_cpu
 *
 * (a dimension whose alloc is 0 drops out, and the other's factor is 1). In
 * int64 when both products are below 2^61, checked in doubles with room to
 * spare, as they are for capacities in millicores and bytes: spreading pods
 * evenly (worst-fit) makes such near-ties common. fracsum otherwise.
 */
static inline int key_cmp(const struct shape *s, const int64_t *fa, double ka, const int64_t *fb,
                          double kb)
{
    double diff = ka - kb, tol = 0x1p-46 * (ka + kb);
    if (diff > tol)
        return 1;
    if (diff < -tol)
        return -1;
    if (fa[RES_CPU] == fb[RES_CPU] && fa[RES_MEMORY] == fb[RES_MEMORY])
        return 0;
    const int64_t ac = s->alloc.v[RES_CPU], am = s->alloc.v[RES_MEMORY];
    const int64_t dc = ac > 0 ? fa[RES_CPU] - fb[RES_CPU] : 0;
    const int64_t dm = am > 0 ? fa[RES_MEMORY] - fb[RES_MEMORY] : 0;
    const int64_t wc = shapeindex_weight[RES_CPU] * (am > 0 ? am : 1);
    const int64_t wm = shapeindex_weight[RES_MEMORY] * (ac > 0 ? ac : 1);
    if (fabs((double)dc) * (double)wc < 0x1p61 && fabs((double)dm) * (double)wm < 0x1p61) {
        int64_t v = dc * wc + dm * wm;
        return (v > 0) - (v < 0);
    }
    struct fracterm ta[2], tb[2];
    int na = key_terms(fa, &s->alloc, ta), nb = key_terms(fb, &s->alloc, tb);
    return fracsum_cmp(ta, na, tb, nb);
}

/* The order of entries within a shape: key (ascending or descending), then id. */
static int entry_cmp(const struct shapeindex *x, const struct shape *s, const int64_t *fa,
                     double ka, int32_t ia, const int64_t *fb, double kb, int32_t ib)
{
    int k = key_cmp(s, fa, ka, fb, kb);
    if (x->desc)
        k = -k;
    if (k)
        return k;
    return ia < ib ? -1 : ia > ib;
}

/* ------------------------------------------------------------ shapes */

static int hard(const struct taint *t)
{
    return t->effect != TAINT_PREFER_NO_SCHEDULE;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 1099511628211u;
    return h ^ (h >> 29);
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = mix(h, (uint8_t)*s);
    return mix(h, 0xff);
}

static void shape_alloc(const struct shapeindex *x, const struct node *n, struct resources *a)
{
    res_zero(a);
    for (int d = 0; d < x->dims; d++)
        if (is_scored(d))
            a->v[d] = n->alloc.v[d];
}

static uint64_t shape_hash(const struct resources *a, const struct node *n)
{
    uint64_t h = 1469598103934665603u;
    for (int d = 0; d < RES_MAX; d++)
        h = mix(h, (uint64_t)a->v[d]);
    for (size_t i = 0; i < n->ntaints; i++) {
        if (!hard(&n->taints[i]))
            continue;
        h = mix_str(h, n->taints[i].key);
        h = mix_str(h, n->taints[i].value);
        h = mix(h, (uint64_t)n->taints[i].effect);
    }
    return h;
}

/* Whether nodes a and b have the same NoSchedule/NoExecute taints, in order. */
static int same_taints(const struct node *a, const struct node *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a->ntaints && !hard(&a->taints[i]))
            i++;
        while (j < b->ntaints && !hard(&b->taints[j]))
            j++;
        if (i == a->ntaints || j == b->ntaints)
            return i == a->ntaints && j == b->ntaints;
        const struct taint *s = &a->taints[i++], *t = &b->taints[j++];
        if (s->effect != t->effect || strcmp(s->key, t->key) || strcmp(s->value, t->value))
            return 0;
    }
}

static void slots_insert(struct shapeindex *x, int32_t s)
{
    size_t mask = x->nslots - 1, i = (size_t)x->shapes[s].hash & mask;
    while (x->slot[i] >= 0)
        i = (i + 1) & mask;
    x->slot[i] = s;
}

/* node's shape, created when new. */
static int32_t shape_lookup(struct shapeindex *x, const struct cluster *c, int32_t node)
{
    const struct node *n = &c->nodes[node];
    struct resources a;
    shape_alloc(x, n, &a);
    uint64_t h = shape_hash(&a, n);
    size_t mask = x->nslots - 1;
    for (size_t i = (size_t)h & mask; x->slot[i] >= 0; i = (i + 1) & mask) {
        const struct shape *s = &x->shapes[x->slot[i]];
        if (s->hash == h && memcmp(&s->alloc, &a, sizeof a) == 0 &&
            same_taints(&c->nodes[s->rep], n))
            return x->slot[i];
    }
    xgrow((void **)&x->shapes, &x->shapes_cap, x->nshapes + 1, sizeof *x->shapes);
    if (x->scratch_cap < x->shapes_cap) {
        x->pen = xrealloc(x->pen, x->shapes_cap * sizeof *x->pen);
        x->bound = xrealloc(x->bound, x->shapes_cap * sizeof *x->bound);
        x->open = xrealloc(x->open, x->shapes_cap * sizeof *x->open);
        x->plain = xrealloc(x->plain, x->shapes_cap * sizeof *x->plain);
        x->tainted = xrealloc(x->tainted, x->shapes_cap * sizeof *x->tainted);
        x->scratch_cap = x->shapes_cap;
    }
    int32_t id = (int32_t)x->nshapes++;
    struct shape *s = &x->shapes[id];
    memset(s, 0, sizeof *s);
    s->alloc = a;
    for (int d = RES_CPU; d <= RES_MEMORY; d++)
        s->inv[d] = a.v[d] > 0 ? (double)shapeindex_weight[d] / (double)a.v[d] : 0;
    s->rep = node;
    s->hash = h;
    for (size_t i = 0; i < n->ntaints && !s->tainted; i++)
        s->tainted = hard(&n->taints[i]);
    if (s->tainted)
        x->tainted[x->ntainted++] = id;
    else
        x->plain[x->nplain++] = id;
    if (2 * x->nshapes > x->nslots) {
        free(x->slot);
        x->nslots *= 2;
        x->slot = xmalloc(x->nslots * sizeof *x->slot);
        for (size_t i = 0; i < x->nslots; i++)
            x->slot[i] = -1;
        for (size_t i = 0; i < x->nshapes; i++)
            slots_insert(x, (int32_t)i);
    } else {
        slots_insert(x, id);
    }
    return id;
}

/* A row of free capacity (stride values): constant sizes, so the compiler inlines the copy. */
static inline void row_copy(const struct shapeindex *x, int64_t *dst, const int64_t *src)
{
    if (x->stride == 4)
        memcpy(dst, src, 4 * sizeof *dst);
    else
        memcpy(dst, src, 8 * sizeof *dst);
}

/* Block B's maxima into its shape's copy; after every change to them. */
static void mirror(const struct shapeindex *x, struct shape *s, const struct block *B)
{
    row_copy(x, s->bmax + (size_t)B->pos * x->stride, B->max);
}

/* Blocks from pos on learn their new positions. */
static void renumber(struct shapeindex *x, struct shape *s, size_t pos)
{
    for (size_t i = pos; i < s->nblk; i++)
        x->blocks[s->blk[i]].pos = (int32_t)i;
}

/* The sentinel row after the last block's maxima: see struct shape. */
static void shape_sentinel(const struct shapeindex *x, struct shape *s)
{
    for (size_t d = 0; d < x->stride; d++)
        s->bmax[s->nblk * x->stride + d] = INT64_MAX;
}

static void shape_insert_block(struct shapeindex *x, struct shape *s, size_t pos, int32_t b)
{
    size_t cap = s->blk_cap, w = x->stride;
    xgrow((void **)&s->blk, &s->blk_cap, s->nblk + 1, sizeof *s->blk);
    if (s->blk_cap != cap)
        s->bmax = xrealloc(s->bmax, (s->blk_cap + 1) * w * sizeof *s->bmax);
    memmove(s->blk + pos + 1, s->blk + pos, (s->nblk - pos) * sizeof *s->blk);
    memmove(s->bmax + (pos + 1) * w, s->bmax + pos * w, (s->nblk - pos) * w * sizeof *s->bmax);
    s->blk[pos] = b;
    s->nblk++;
    memcpy(s->bmax + pos * w, x->blocks[b].max, w * sizeof *s->bmax);
    shape_sentinel(x, s);
    renumber(x, s, pos);
}

static void shape_remove_block(struct shapeindex *x, struct shape *s, size_t pos)
{
    size_t w = x->stride;
    memmove(s->blk + pos, s->blk + pos + 1, (s->nblk - pos - 1) * sizeof *s->blk);
    memmove(s->bmax + pos * w, s->bmax + (pos + 1) * w, (s->nblk - pos - 1) * w * sizeof *s->bmax);
    s->nblk--;
    shape_sentinel(x, s);
    renumber(x, s, pos);
}

/* ------------------------------------------------------------ blocks */

/* Grows the pool, keeping it aligned to cache lines. */
static void pool_grow(struct shapeindex *x)
{
    size_t cap = x->blocks_cap ? 2 * x->blocks_cap : 16;
    struct block *p = aligned_alloc(64, cap * sizeof *p);
    if (!p)
        BUG("shapeindex: out of memory");
    if (x->nblocks)
        memcpy(p, x->blocks, x->nblocks * sizeof *p);
    free(x->blocks);
    x->blocks = p;
    x->blocks_cap = cap;
}

static int32_t block_new(struct shapeindex *x)
{
    int32_t b = x->free_blocks;
    if (b >= 0) {
        x->free_blocks = x->blocks[b].next_free;
    } else {
        if (x->nblocks == x->blocks_cap)
            pool_grow(x);
        b = (int32_t)x->nblocks++;
        x->blocks[b].ent = xmalloc(BLOCK * (x->esize + 2 * sizeof(int64_t)));
    }
    struct block *B = &x->blocks[b];
    B->n = 0;
    B->nsky = 0;
    B->sky_stale = 0;
    B->off = 0;
    B->minid = INT32_MAX;
    B->next_free = -1;
    B->first = B->last = 0;
    for (int d = 0; d < RES_MAX; d++) {
        B->max[d] = -1;
        B->nmax[d] = 0;
    }
    return b;
}

static void block_release(struct shapeindex *x, int32_t b)
{
    x->blocks[b].n = 0;
    x->blocks[b].next_free = x->free_blocks;
    x->free_blocks = b;
}

static inline struct entry *ent_at(const struct shapeindex *x, const struct block *B, int i)
{
    return (struct entry *)(B->ent + (size_t)(B->off + i) * x->esize);
}

static inline int64_t *row_of(const struct entry *e)
{
    return (int64_t *)(e + 1);
}

static inline int64_t *row_at(const struct shapeindex *x, const struct block *B, int i)
{
    return row_of(ent_at(x, B, i));
}

/* Entry row joins block B's maxima; returns whether one of them rose. */
static int block_max_add(const struct shapeindex *x, struct block *B, const int64_t *row)
{
    int rose = 0;
    for (int d = 0; d < x->dims; d++) {
        if (row[d] > B->max[d]) {
            B->max[d] = row[d];
            B->nmax[d] = 1;
            rose = 1;
        } else if (row[d] == B->max[d]) {
            B->nmax[d]++;
        }
    }
    return rose;
}

static void block_recompute_dim(const struct shapeindex *x, struct block *B, int d)
{
    B->max[d] = -1;
    B->nmax[d] = 0;
    for (int i = 0; i < B->n; i++) {
        int64_t v = row_at(x, B, i)[d];
        if (v > B->max[d]) {
            B->max[d] = v;
            B->nmax[d] = 1;
        } else if (v == B->max[d]) {
            B->nmax[d]++;
        }
    }
}

static void block_recompute_minid(const struct shapeindex *x, struct block *B)
{
    B->minid = INT32_MAX;
    for (int i = 0; i < B->n; i++)
        if (ent_at(x, B, i)->id < B->minid)
            B->minid = ent_at(x, B, i)->id;
}

/* B's lowest node id; -1 in minid means it is to be recomputed. */
static int32_t block_minid(const struct shapeindex *x, struct block *B)
{
    if (B->minid < 0)
        block_recompute_minid(x, B);
    return B->minid;
}

/* The first and last keys, after any change to B's entries. */
static void block_ends(const struct shapeindex *x, struct block *B)
{
    if (B->n) {
        B->first = ent_at(x, B, 0)->key;
        B->last = ent_at(x, B, B->n - 1)->key;
    }
}

/*
 * Dot-product's skyline of a block: the entries' (free cpu, free memory)
 * points that no other point dominates, by cpu descending (so memory
 * ascending). A score sum c_d · free_d with c_d >= 0 is largest, over the
 * block, at one of them; five or so of 64 points, typically. Kept exact for
 * inserts, and recomputed on demand after a skyline point leaves.
 */
static int64_t *block_sky(const struct shapeindex *x, const struct block *B)
{
    return (int64_t *)(B->ent + BLOCK * x->esize);
}

static void sky_add(const struct shapeindex *x, struct block *B, int64_t c, int64_t m)
{
    if (x->mode != SHAPEINDEX_DOT_PRODUCT || B->sky_stale)
        return;
    int64_t *sky = block_sky(x, B);
    int n = 0, at = -1;
    for (int i = 0; i < B->nsky; i++) {
        int64_t qc = sky[2 * i], qm = sky[2 * i + 1];
        if (qc >= c && qm >= m)
            return; /* dominated */
        if (c >= qc && m >= qm)
            continue; /* dominates q: q leaves */
        if (at < 0 && qc < c)
            at = n;
        sky[2 * n] = qc;
        sky[2 * n + 1] = qm;
        n++;
    }
    if (at < 0)
        at = n;
    memmove(sky + 2 * at + 2, sky + 2 * at, (size_t)(n - at) * 2 * sizeof *sky);
    sky[2 * at] = c;
    sky[2 * at + 1] = m;
    B->nsky = (int16_t)(n + 1);
}

static void sky_remove(const struct shapeindex *x, struct block *B, int64_t c, int64_t m)
{
    if (x->mode != SHAPEINDEX_DOT_PRODUCT || B->sky_stale)
        return;
    const int64_t *sky = block_sky(x, B);
    for (int i = 0; i < B->nsky; i++)
        if (sky[2 * i] == c && sky[2 * i + 1] == m)
            B->sky_stale = 1;
}

/* B's skyline, computed afresh into sky (2 * BLOCK values); returns its points. */
static int sky_compute(const struct shapeindex *x, const struct block *B, int64_t *sky)
{
    int64_t c[BLOCK], m[BLOCK];
    for (int i = 0; i < B->n; i++) {
        const int64_t *r = row_at(x, B, i);
        int j = i;
        for (; j > 0 &&
               (c[j - 1] < r[RES_CPU] || (c[j - 1] == r[RES_CPU] && m[j - 1] < r[RES_MEMORY]));
             j--) {
            c[j] = c[j - 1];
            m[j] = m[j - 1];
        }
        c[j] = r[RES_CPU];
        m[j] = r[RES_MEMORY];
    }
    int n = 0;
    for (int i = 0; i < B->n; i++) {
        if (n && m[i] <= sky[2 * n - 1])
            continue;
        sky[2 * n] = c[i];
        sky[2 * n + 1] = m[i];
        n++;
    }
    return n;
}

static void sky_rebuild(const struct shapeindex *x, struct block *B)
{
    B->nsky = (int16_t)sky_compute(x, B, block_sky(x, B));
    B->sky_stale = 0;
}

static void block_recompute(const struct shapeindex *x, struct block *B)
{
    B->sky_stale = 1;
    for (int d = 0; d < RES_MAX; d++) {
        B->max[d] = -1;
        B->nmax[d] = 0;
    }
    for (int i = 0; i < B->n; i++)
        block_max_add(x, B, row_at(x, B, i));
    block_recompute_minid(x, B);
    block_ends(x, B);
}

/* Moves entries [from, from + n) of block src to the end of block dst. */
static void block_move(struct shapeindex *x, int32_t dst, int32_t src, int from, int n)
{
    struct block *D = &x->blocks[dst], *S = &x->blocks[src];
    if (D->off + D->n + n > BLOCK) {
        memmove(D->ent, ent_at(x, D, 0), (size_t)D->n * x->esize);
        D->off = 0;
    }
    memcpy(ent_at(x, D, D->n), ent_at(x, S, from), (size_t)n * x->esize);
    for (int i = 0; i < n; i++)
        x->blk_of[ent_at(x, S, from + i)->id] = dst;
    D->n += n;
}

/* ------------------------------------------------------------ entries */

/*
 * node's free capacity into row (stride values, zero past dims); whether it
 * belongs in the index (see shapeindex.h). row is left undefined when not.
 */
static int node_row(const struct shapeindex *x, const struct cluster *c, int32_t node, int64_t *row)
{
    const struct node *n = &c->nodes[node];
    if (!n->alive || n->unschedulable)
        return 0;
    int ok = 1, d = 0;
    for (; d < x->dims; d++) {
        int64_t v = n->alloc.v[d] - n->used.v[d];
        row[d] = v;
        ok &= (v >= 0) & (v >= x->floor.v[d]);
    }
    for (; d < (int)x->stride; d++)
        row[d] = 0;
    return ok & (row[RES_PODS] >= 1);
}

/*
 * Where the new entry (row, key, node) goes relative to entry i of block B,
 * whose key is bkey: < 0 before, > 0 after. The entry's capacity is read
 * only when the keys are too close for doubles to tell.
 */
static inline int cmp_entry_at(const struct shapeindex *x, const struct shape *s,
                               const int64_t *row, double key, int32_t node, const struct block *B,
                               int i, double bkey)
{
    int k = key_cmp(s, row, key, row_at(x, B, i), bkey);
    if (x->desc)
        k = -k;
    if (k)
        return k;
    return node < ent_at(x, B, i)->id ? -1 : 1;
}

static void entry_insert(struct shapeindex *x, int32_t node, const int64_t *row)
{
    struct shape *s = &x->shapes[x->shape_of[node]];
    double key = key_approx(s, row);
    if (s->nblk == 0)
        shape_insert_block(x, s, 0, block_new(x));
    /* The first block whose last entry comes after the new one, else the last block. */
    size_t lo = 0, hi = s->nblk - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct block *B = &x->blocks[s->blk[mid]];
        if (cmp_entry_at(x, s, row, key, node, B, B->n - 1, B->last) < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    size_t bi = lo;
    int32_t b = s->blk[bi];
    struct block *B = &x->blocks[b];
    int l = 0, h = B->n;
    while (l < h) {
        int mid = (l + h) / 2;
        if (cmp_entry_at(x, s, row, key, node, B, mid, ent_at(x, B, mid)->key) < 0)
            h = mid;
        else
            l = mid + 1;
    }
    int pos = l;
    if (B->n == BLOCK) {
        int32_t nb = block_new(x); /* may move the pool */
        block_move(x, nb, b, BLOCK / 2, BLOCK - BLOCK / 2);
        x->blocks[b].n = BLOCK / 2;
        block_recompute(x, &x->blocks[b]);
        block_recompute(x, &x->blocks[nb]);
        mirror(x, s, &x->blocks[b]);
        shape_insert_block(x, s, bi + 1, nb);
        if (pos > BLOCK / 2) {
            b = nb;
            pos -= BLOCK / 2;
        }
        B = &x->blocks[b];
    }
    /* Open slot pos by shifting the shorter side that has room. */
    if (B->off > 0 && (pos <= B->n - pos || B->off + B->n == BLOCK)) {
        B->off--;
        memmove(ent_at(x, B, 0), ent_at(x, B, 1), (size_t)pos * x->esize);
    } else {
        memmove(ent_at(x, B, pos + 1), ent_at(x, B, pos), (size_t)(B->n - pos) * x->esize);
    }
    struct entry *e = ent_at(x, B, pos);
    e->key = key;
    e->id = node;
    row_copy(x, row_of(e), row);
    B->n++;
    if (block_max_add(x, B, row))
        mirror(x, s, B);
    sky_add(x, B, row[RES_CPU], row[RES_MEMORY]);
    if (B->minid >= 0 && node < B->minid)
        B->minid = node;
    block_ends(x, B);
    x->blk_of[node] = b;
    s->count++;
}

/*
 * Where node's entry is in block B: a scan of the ids, which costs less than
 * a binary search on the keys with at most SHAPEINDEX_BLOCK entries, and
 * needs no stored key.
 */
static int entry_find(const struct shapeindex *x, const struct block *B, int32_t node)
{
    const char *p = (const char *)ent_at(x, B, 0);
    const size_t es = x->esize;
    const int n = B->n;
    for (int i = 0; i < n; i++, p += es)
        if (((const struct entry *)p)->id == node)
            return i;
    BUG("shapeindex: node not in its block");
}

static void entry_remove(struct shapeindex *x, int32_t node)
{
    int32_t b = x->blk_of[node];
    struct shape *s = &x->shapes[x->shape_of[node]];
    struct block *B = &x->blocks[b];
    int i = entry_find(x, B, node);
    /* The dimensions where this entry was the last to hold the maximum. */
    unsigned stale = 0;
    struct entry *e = ent_at(x, B, i);
    const int64_t *r = row_of(e);
    sky_remove(x, B, r[RES_CPU], r[RES_MEMORY]);
    for (int d = 0; d < x->dims; d++)
        if (r[d] == B->max[d] && --B->nmax[d] == 0)
            stale |= 1u << d;
    /* Close slot i by shifting the shorter side. */
    if (i < B->n - 1 - i) {
        memmove(ent_at(x, B, 1), ent_at(x, B, 0), (size_t)i * x->esize);
        B->off++;
    } else {
        memmove(e, (char *)e + x->esize, (size_t)(B->n - i - 1) * x->esize);
    }
    B->n--;
    x->blk_of[node] = -1;
    s->count--;
    if (B->n == 0) {
        shape_remove_block(x, s, (size_t)B->pos);
        block_release(x, b);
        return;
    }
    if (stale) {
        for (int d = 0; stale; d++, stale >>= 1)
            if (stale & 1)
                block_recompute_dim(x, B, d);
        mirror(x, s, B);
    }
    if (node == B->minid)
        B->minid = -1; /* recomputed when a query asks (block_minid) */
    block_ends(x, B);
    if (B->n >= BLOCK_LOW)
        return;
    /* Merge with a neighbour so that churn cannot leave a trail of tiny blocks. */
    size_t pos = (size_t)B->pos;
    if (pos + 1 < s->nblk && B->n + x->blocks[s->blk[pos + 1]].n <= MERGED) {
        int32_t next = s->blk[pos + 1];
        block_move(x, b, next, 0, x->blocks[next].n);
        block_recompute(x, &x->blocks[b]);
        mirror(x, s, &x->blocks[b]);
        shape_remove_block(x, s, pos + 1);
        block_release(x, next);
    } else if (pos > 0 && B->n + x->blocks[s->blk[pos - 1]].n <= MERGED) {
        int32_t prev = s->blk[pos - 1];
        block_move(x, prev, b, 0, B->n);
        block_recompute(x, &x->blocks[prev]);
        mirror(x, s, &x->blocks[prev]);
        shape_remove_block(x, s, pos);
        block_release(x, b);
    }
}

/* ------------------------------------------------------------ lifecycle */

static void grow_known(struct shapeindex *x, size_t n)
{
    if (n <= x->nknown)
        return;
    if (n > x->known_cap) {
        size_t cap = x->known_cap ? x->known_cap : 64;
        while (cap < n)
            cap *= 2;
        x->shape_of = xrealloc(x->shape_of, cap * sizeof *x->shape_of);
        x->blk_of = xrealloc(x->blk_of, cap * sizeof *x->blk_of);
        x->known_cap = cap;
    }
    for (size_t i = x->nknown; i < n; i++)
        x->shape_of[i] = x->blk_of[i] = -1;
    x->nknown = n;
}

static void clear(struct shapeindex *x)
{
    for (int i = 0; i < MEMO; i++)
        x->memo_owner[i] = -1;
    for (size_t i = 0; i < x->nshapes; i++) {
        free(x->shapes[i].blk);
        free(x->shapes[i].bmax);
    }
    free(x->shapes);
    free(x->pen);
    free(x->bound);
    free(x->open);
    free(x->plain);
    free(x->tainted);
    x->plain = x->tainted = NULL;
    x->nplain = x->ntainted = 0;
    x->pen = NULL;
    x->bound = NULL;
    x->open = NULL;
    x->scratch_cap = 0;
    for (size_t i = 0; i < x->nblocks; i++)
        free(x->blocks[i].ent);
    free(x->blocks);
    free(x->cand);
    x->cand = NULL;
    x->cand_cap = 0;
    free(x->slot);
    free(x->shape_of);
    free(x->blk_of);
    x->shapes = NULL;
    x->nshapes = x->shapes_cap = 0;
    x->blocks = NULL;
    x->nblocks = x->blocks_cap = 0;
    x->free_blocks = -1;
    x->slot = NULL;
    x->shape_of = x->blk_of = NULL;
    x->nknown = x->known_cap = 0;
}

static void update(struct shapeindex *x, const struct cluster *c, int32_t node)
{
    int64_t row[RES_MAX];
    if (x->blk_of[node] >= 0)
        entry_remove(x, node);
    if (!node_row(x, c, node, row))
        return;
    if (x->shape_of[node] < 0)
        x->shape_of[node] = shape_lookup(x, c, node);
    entry_insert(x, node, row);
}

static void rebuild(struct shapeindex *x, const struct cluster *c)
{
    clear(x);
    x->dims = c->resnames.n;
    x->stride = x->dims <= 4 ? 4 : 8;
    x->esize = sizeof(struct entry) + x->stride * sizeof(int64_t);
    x->nslots = 16;
    x->slot = xmalloc(x->nslots * sizeof *x->slot);
    for (size_t i = 0; i < x->nslots; i++)
        x->slot[i] = -1;
    grow_known(x, c->nnodes);
    for (size_t i = 0; i < c->nnodes; i++)
        update(x, c, (int32_t)i);
}

/*
 * Lowers the floor to req where req asks for less (INT64_MIN where it asks
 * for none of a dimension); returns whether it moved. As capview.c does.
 */
static int floor_lower(struct resources *floor, const struct resources *req)
{
    int lowered = 0;
    for (int d = 0; d < RES_MAX; d++) {
        int64_t want = req->v[d] > 0 ? req->v[d] : INT64_MIN;
        if (want < floor->v[d]) {
            floor->v[d] = want;
            lowered = 1;
        }
    }
    return lowered;
}

struct shapeindex *shapeindex_new(enum shapeindex_mode mode, const struct cluster *c)
{
    struct shapeindex *x = xcalloc(1, sizeof *x);
    x->mode = mode;
    x->desc = mode != SHAPEINDEX_LEAST_REMAINING;
    x->free_blocks = -1;
    for (int d = 0; d < RES_MAX; d++)
        x->floor.v[d] = INT64_MAX;
    for (size_t i = 0; i < c->nowners; i++)
        floor_lower(&x->floor, &c->owners[i].spec.req);
    rebuild(x, c);
    return x;
}

void shapeindex_free(struct shapeindex *x)
{
    if (!x)
        return;
    clear(x);
    free(x);
}

void shapeindex_node_changed(struct shapeindex *x, const struct cluster *c, int32_t node)
{
    if (c->resnames.n != x->dims) {
        rebuild(x, c);
        return;
    }
    grow_known(x, c->nnodes);
    update(x, c, node);
}

size_t shapeindex_shapes(const struct shapeindex *x)
{
    return x->nshapes;
}

/* ------------------------------------------------------------ queries */

struct query {
    enum shapeindex_mode mode;
    int dims;
    const struct cluster *c;
    const struct pod *pod;
    const struct podspec *spec;
    const struct resources *req;
    int wide;              /* entries have 8 values, not 4 */
    int64_t want[RES_MAX]; /* room needed per dimension; INT64_MIN where none */
    int ext;               /* the pod requests an extended resource */
    int faildim;           /* the dimension that last ruled a block out */
    /* The best node so far: its free capacity, allocatable, and score within bval ± berr. */
    int32_t best;
    int64_t brow[RES_MAX];
    const struct resources *balloc;
    double bval, berr;
};

static void query_init(struct query *q, enum shapeindex_mode mode, const struct cluster *c,
                       int32_t pod)
{
    q->mode = mode;
    q->dims = c->resnames.n;
    q->c = c;
    q->pod = &c->pods[pod];
    q->spec = &c->owners[q->pod->owner].spec;
    q->req = &q->spec->req;
    q->wide = q->dims > 4;
    q->ext = 0;
    for (int d = 0; d < RES_MAX; d++)
        q->want[d] = INT64_MIN;
    for (int d = 0; d < q->dims; d++) {
        int64_t r = q->req->v[d];
        if (r > 0) {
            q->want[d] = r;
            q->ext |= d >= RES_FIXED;
        }
    }
    q->want[RES_PODS] = 1;
    q->faildim = RES_CPU;
    q->best = -1;
    q->balloc = NULL;
}

/* Whether row (an entry's free capacity, or a block's maxima) has room for the pod. */
static inline int fits(const struct query *q, const int64_t *row)
{
    for (int d = 0; d < 4; d++)
        if (row[d] < q->want[d])
            return 0;
    if (q->wide)
        for (int d = 4; d < RES_MAX; d++)
            if (row[d] < q->want[d])
                return 0;
    return 1;
}

/*
 * The first entry of B at position i or later with room for the pod, or
 * B->n. The scan of a block for the first node with room is the inner loop
 * of best-fit and worst-fit: for the usual four dimensions the wanted
 * amounts sit in registers and each entry costs one branch.
 */
static inline int next_fit_at(const struct shapeindex *x, const struct query *q,
                              const struct block *B, int i)
{
    const char *p = (const char *)ent_at(x, B, i);
    const size_t es = x->esize;
    const int n = B->n;
    if (q->wide) {
        for (; i < n && !fits(q, row_of((const struct entry *)p)); i++)
            p += es;
        return i;
    }
    const int64_t w0 = q->want[0], w1 = q->want[1], w2 = q->want[2], w3 = q->want[3];
    for (; i < n; i++, p += es) {
        const int64_t *r = row_of((const struct entry *)p);
        if ((r[0] >= w0) & (r[1] >= w1) & (r[2] >= w2) & (r[3] >= w3))
            return i;
    }
    return n;
}

/* The first dimension in which row has no room for the pod, or -1. */
static int no_room(const struct query *q, const int64_t *row)
{
    int n = q->wide ? RES_MAX : 4;
    for (int d = 0; d < n; d++)
        if (row[d] < q->want[d])
            return d;
    return -1;
}

/*
 * The first block of s at or after position bi whose maxima fit the pod, or
 * s->nblk. The walk tests one dimension per block, the one that ruled out
 * the last block (on a cluster short of cpu, cpu), in a tight loop over the
 * shape's copy of the maxima, and the others only where that one passes.
 */
static size_t next_block(const struct shapeindex *x, const struct shape *s, struct query *q,
                         size_t bi)
{
    const size_t w = x->stride;
    const int64_t *m = s->bmax;
    for (;;) {
        const int d = q->faildim;
        const int64_t want = q->want[d];
        /* The sentinel row stops the walk at s->nblk. */
        const int64_t *p = m + bi * w + (size_t)d;
        while (*p < want)
            p += w;
        bi = (size_t)(p - m) / w;
        if (bi >= s->nblk)
            return s->nblk;
        int f = no_room(q, m + bi * w);
        if (f < 0)
            return bi;
        q->faildim = f;
        bi++;
    }
}

/* sign(score(t) - score(best)), turned so that > 0 means better. */
static int versus_best(const struct query *q, const struct fracterm *t, int n)
{
    struct fracterm b[RES_MAX];
    int m = score_terms(q->mode, q->dims, q->brow, q->balloc, q->req, b);
    int s = fracsum_cmp(t, n, b, m);
    return q->mode == SHAPEINDEX_LEAST_REMAINING ? -s : s;
}

/* Whether a score within v ± err is surely worse than the best's. */
static int surely_worse(const struct query *q, double v, double err)
{
    if (q->mode == SHAPEINDEX_LEAST_REMAINING)
        return v - err > q->bval + q->berr;
    return v + err < q->bval - q->berr;
}

static int surely_better(const struct query *q, double v, double err)
{
    if (q->mode == SHAPEINDEX_LEAST_REMAINING)
        return v + err < q->bval - q->berr;
    return v - err > q->bval + q->berr;
}

/*
 * Whether node, with free capacity row, allocatable alloc and a score within
 * v ± err, would replace the best: a better score, or the same and a lower
 * id. Exact (fracsum) only when doubles cannot tell.
 */
static int beats_best(const struct query *q, int32_t node, const int64_t *row,
                      const struct resources *alloc, double v, double err)
{
    if (q->best < 0 || surely_better(q, v, err))
        return 1;
    if (surely_worse(q, v, err))
        return 0;
    struct fracterm t[RES_MAX];
    int s = versus_best(q, t, score_terms(q->mode, q->dims, row, alloc, q->req, t));
    return s > 0 || (s == 0 && node < q->best);
}

static void take(struct query *q, int32_t node, const int64_t *row, const struct resources *alloc,
                 double v, double err)
{
    q->best = node;
    /* row holds at least 4 values, 8 when wide (entries' rows, or RES_MAX). */
    if (q->wide)
        memcpy(q->brow, row, 8 * sizeof *row);
    else
        memcpy(q->brow, row, 4 * sizeof *row);
    q->balloc = alloc;
    q->bval = v;
    q->berr = err;
}

/* Offers node as a candidate, scoring it in doubles from its terms. */
static void consider(struct query *q, int32_t node, const int64_t *row,
                     const struct resources *alloc, int feasible)
{
    struct fracterm t[RES_MAX];
    double err, v = fracsum_approx(t, score_terms(q->mode, q->dims, row, alloc, q->req, t), &err);
    if (beats_best(q, node, row, alloc, v, err) &&
        (feasible || placement_feasible(q->c, q->pod, node)))
        take(q, node, row, alloc, v, err);
}

/* Whether the pod tolerates every NoSchedule/NoExecute taint of shape s. */
static int shape_tolerated(const struct query *q, const struct shape *s)
{
    if (!s->tainted)
        return 1;
    if (!q->spec->ntols)
        return 0;
    const struct node *rep = &q->c->nodes[s->rep];
    return taints_first_untolerated(rep->taints, rep->ntaints, q->spec->tols, q->spec->ntols) < 0;
}

/*
 * remaining(n) = key(n) - pen in shape s, pen = sum w_d req_d / alloc_d over
 * cpu and memory: in doubles key - pen is within 2^-48 · (key + pen) of it
 * (key and pen within 6 · 2^-53 relatively, one more for the subtraction).
 */
static double shape_pen(const struct query *q, const struct shape *s)
{
    return (double)q->req->v[RES_CPU] * s->inv[0] + (double)q->req->v[RES_MEMORY] * s->inv[1];
}

#define KEY_ERR(k, pen) (0x1p-48 * ((k) + (pen)))

/*
 * A node with room for the pod has free_d >= req_d in every dimension, so
 * key(n) >= sum w_d req_d / alloc_d = pen: entries with a smaller key cannot
 * take the pod. In ascending order (best-fit) they are a prefix of the
 * shape, skipped by a binary search for the first block whose last key
 * reaches pen; in descending order they are a suffix, where the walk stops.
 * Both tests allow for rounding (keys and pen within KEY_ERR), so that no
 * entry with room is passed over. A gain of order log(blocks) against a
 * walk through every full block at the front of a busy cluster.
 */
static size_t room_from(const struct shapeindex *x, const struct shape *s, double pen)
{
    double floor = pen - KEY_ERR(pen, pen);
    if (x->desc || !s->nblk || x->blocks[s->blk[0]].last >= floor)
        return 0;
    size_t lo = 0, hi = s->nblk;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->blocks[s->blk[mid]].last < floor)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int room_ended(const struct shapeindex *x, const struct block *B, double pen)
{
    return x->desc && B->first < pen - KEY_ERR(pen, pen);
}

/*
 * One shape, for best-fit and worst-fit and a pod without extended
 * resources: entries come in score order, so the first with room that
 * passes the filters is the shape's best, and the walk stops at the first
 * block or entry that cannot beat the best so far -- every later one scores
 * no better, and ties it only with a higher id.
 */
static void search_shape_ordered(const struct shapeindex *x, struct query *q, struct shape *s,
                                 double pen, int verify)
{
    for (size_t bi = next_block(x, s, q, room_from(x, s, pen)); bi < s->nblk;
         bi = next_block(x, s, q, bi + 1)) {
        const struct block *B = &x->blocks[s->blk[bi]];
        if (room_ended(x, B, pen))
            return;
        if (q->best >= 0 && surely_worse(q, B->first - pen, KEY_ERR(B->first, pen)))
            return;
        for (int i = next_fit_at(x, q, B, 0); i < B->n; i = next_fit_at(x, q, B, i + 1)) {
            const struct entry *e = ent_at(x, B, i);
            const int64_t *row = row_of(e);
            double v = e->key - pen, err = KEY_ERR(e->key, pen);
            if (!beats_best(q, e->id, row, &s->alloc, v, err))
                return;
            if (!verify || placement_feasible(q->c, q->pod, e->id)) {
                take(q, e->id, row, &s->alloc, v, err);
                return;
            }
        }
    }
}

/*
 * Best-fit and worst-fit for a pod without extended resources: each shape
 * the pod tolerates in turn, starting with the most promising. For
 * worst-fit that is the one whose first entry -- its emptiest node, which
 * usually takes the pod -- scores best; that entry bounds its shape's
 * scores, so the other shapes are mostly dismissed without a look. For
 * best-fit a shape's first entry is its fullest node, a poor guess, and the
 * shape that held this owner's last answer is tried first instead.
 */
static void search_shapes(struct shapeindex *x, struct query *q, int verify)
{
    /* The shapes with nodes the pod tolerates: the untainted ones, and the tainted ones
     * only for pods with tolerations. */
    size_t nopen = 0, first = 0;
    double bound = 0;
    size_t nlists = q->spec->ntols ? 2 : 1;
    for (size_t l = 0; l < nlists; l++) {
        const int32_t *list = l ? x->tainted : x->plain;
        size_t n = l ? x->ntainted : x->nplain;
        for (size_t i = 0; i < n; i++) {
            int32_t si = list[i];
            const struct shape *s = &x->shapes[si];
            if (!s->count || (l && !shape_tolerated(q, s)))
                continue;
            x->pen[si] = shape_pen(q, s);
            double v = x->bound[si] = x->blocks[s->blk[0]].first - x->pen[si];
            if (!nopen || (x->desc ? v > bound : v < bound)) {
                first = nopen;
                bound = v;
            }
            x->open[nopen++] = si;
        }
    }
    int32_t owner = q->pod->owner, memo = x->memo_shape[owner % MEMO];
    if (!x->desc && x->memo_owner[owner % MEMO] == owner)
        for (size_t k = 0; k < nopen; k++)
            if (x->open[k] == memo)
                first = k;
    for (size_t k = 0; k < nopen; k++) {
        /* The most promising first, then the rest in order. */
        int32_t si = x->open[k == 0 ? first : k == first ? 0 : k];
        if (k > 0) {
            double key = x->blocks[x->shapes[si].blk[0]].first;
            if (q->best >= 0 && surely_worse(q, x->bound[si], KEY_ERR(key, x->pen[si])))
                continue;
        }
        search_shape_ordered(x, q, &x->shapes[si], x->pen[si], verify);
    }
}

/*
 * Best-fit and worst-fit for a pod without extended resources, in two
 * passes at most. The first takes each shape's first entry with room as its
 * candidate without asking the filters, and keeps the best: in the order
 * (score, id), which is each shape's order too, that is the first entry
 * with room of all. If it passes placement_feasible it is the answer, since
 * every node that passes has room and so comes no earlier. Only when it
 * fails (a nodeSelector, say) does the second pass search again, asking
 * the filters of every candidate. So a pod costs one placement_feasible,
 * not one per shape.
 */
static void search_ordered(struct shapeindex *x, struct query *q)
{
    search_shapes(x, q, 0);
    if (q->best >= 0 && !placement_feasible(q->c, q->pod, q->best)) {
        q->best = -1;
        search_shapes(x, q, 1);
    }
    if (q->best >= 0) {
        int32_t owner = q->pod->owner;
        x->memo_owner[owner % MEMO] = owner;
        x->memo_shape[owner % MEMO] = x->shape_of[q->best];
    }
}

/*
 * Bounds for the branch and bound of best-fit and worst-fit, from block B's
 * first entry (the extreme key of B and of every later block of the shape)
 * and its maxima. tail: a bound for every entry from B on, else one for B
 * alone. Writes the terms of a value no entry's score can beat (lower for
 * best-fit, upper for worst-fit); returns their number.
 */
static int bound_terms(const struct shapeindex *x, const struct query *q, const struct shape *s,
                       const struct block *B, int tail, struct fracterm *t)
{
    const int64_t *first = row_at(x, B, 0);
    const struct resources *req = q->req;
    int n = 0;
    /* The cpu and memory terms of the first entry ... */
    for (int d = RES_CPU; d <= RES_MEMORY; d++)
        if (s->alloc.v[d] > 0)
            t[n++] =
                (struct fracterm){first[d] - req->v[d], shapeindex_weight[d], s->alloc.v[d], 1};
    if (q->mode == SHAPEINDEX_LEAST_REMAINING)
        return n; /* ... and extended terms are >= 0 where the pod fits */
    /* ... plus the most extended capacity the block (or any node of the shape) has */
    for (int d = RES_FIXED; d < q->dims; d++)
        if (req->v[d] > 0 && s->alloc.v[d] > 0)
            t[n++] = (struct fracterm){(tail ? s->alloc.v[d] : B->max[d]) - req->v[d],
                                       shapeindex_weight[d], s->alloc.v[d], 1};
    return n;
}

/* Whether no entry of B (tail: of B or any later block) can beat the best, nor tie it and win. */
static int bound_prunes(struct shapeindex *x, const struct query *q, const struct shape *s,
                        struct block *B, int tail)
{
    struct fracterm t[RES_MAX];
    int n = bound_terms(x, q, s, B, tail, t);
    double err, v = fracsum_approx(t, n, &err);
    if (surely_worse(q, v, err))
        return 1;
    if (surely_better(q, v, err))
        return 0;
    int c = versus_best(q, t, n);
    /* Strictly worse, or no better and every id in B above the best's. */
    return c < 0 || (c == 0 && !tail && block_minid(x, B) > q->best);
}

/*
 * Best-fit and worst-fit for pods with extended resources, whose terms are
 * not in the key: a branch and bound over each shape's blocks in order.
 * Every block with room is bounded, and each shape stops at the first block
 * from which no later entry can win.
 */
static void search_bounded(struct shapeindex *x, struct query *q)
{
    for (size_t si = 0; si < x->nshapes; si++) {
        struct shape *s = &x->shapes[si];
        if (!s->count || !shape_tolerated(q, s))
            continue;
        int lacks = 0;
        for (int d = RES_FIXED; d < q->dims && !lacks; d++)
            lacks = q->req->v[d] > 0 && s->alloc.v[d] < q->req->v[d];
        if (lacks)
            continue;
        double pen = shape_pen(q, s);
        for (size_t bi = next_block(x, s, q, room_from(x, s, pen)); bi < s->nblk;
             bi = next_block(x, s, q, bi + 1)) {
            struct block *B = &x->blocks[s->blk[bi]];
            if (room_ended(x, B, pen))
                break;
            if (q->best >= 0 && bound_prunes(x, q, s, B, 1))
                break;
            if (q->best >= 0 && bound_prunes(x, q, s, B, 0))
                continue;
            for (int i = 0; i < B->n; i++) {
                const struct entry *e = ent_at(x, B, i);
                if (fits(q, row_of(e)))
                    consider(q, e->id, row_of(e), &s->alloc, 0);
            }
        }
    }
}

/*
 * Dot-product in shape s: score(n) = sum_d coef[d] · free_d(n) with
 * coef[d] = req_d / alloc_d^2 over the scored dimensions (0 elsewhere). In
 * doubles each coefficient is within 5 · 2^-53 of its value relatively
 * (conversions, two divisions) and each product within 7 · 2^-53; a sum of
 * non-negative terms adds at most 6 more: within 2^-48 of the score,
 * relatively (DOT_ERR).
 */
#define DOT_ERR(v) (0x1p-48 * (v))

static void dot_coef(const struct query *q, const struct shape *s, double *coef)
{
    for (int d = 0; d < RES_MAX; d++) {
        int64_t a = d < q->dims && is_scored(d) ? s->alloc.v[d] : 0, r = q->req->v[d];
        coef[d] = a > 0 && r > 0 ? (double)r / (double)a / (double)a : 0;
    }
}

static double dot_approx(const struct query *q, const double *coef, const int64_t *row)
{
    double v = coef[RES_CPU] * (double)row[RES_CPU] + coef[RES_MEMORY] * (double)row[RES_MEMORY];
    if (q->ext)
        for (int d = RES_FIXED; d < q->dims; d++)
            v += coef[d] * (double)row[d];
    return v;
}

/*
 * Upper bounds on the scores in block B: loose, from its maxima (each
 * dimension's maximum may come from a different node), and tight, from its
 * skyline points in cpu and memory plus each extended resource at its
 * maximum. No entry of B scores more than either.
 */
static double dot_bound_loose(const struct query *q, const double *coef, const int64_t *max)
{
    return dot_approx(q, coef, max);
}

static double dot_bound(struct shapeindex *x, const struct query *q, const double *coef,
                        struct block *B)
{
    if (B->sky_stale)
        sky_rebuild(x, B);
    const int64_t *sky = block_sky(x, B);
    double best = 0;
    for (int i = 0; i < B->nsky; i++) {
        double v = coef[RES_CPU] * (double)sky[2 * i] + coef[RES_MEMORY] * (double)sky[2 * i + 1];
        best = v > best ? v : best;
    }
    if (q->ext)
        for (int d = RES_FIXED; d < q->dims; d++)
            best += coef[d] * (double)B->max[d];
    return best;
}

/* Whether a bound surely lies below the best's score (so its block can be skipped). */
static int dot_surely_below(const struct query *q, double bound)
{
    return q->best >= 0 && bound + DOT_ERR(bound) < q->bval - q->berr;
}

/*
 * Whether block B cannot hold a node that beats the best so far, nor tie it
 * with a lower id, bound being its dot_bound. Doubles decide unless the
 * bound is within their error of the best's score; then every skyline
 * point's exact score is compared.
 */
static int dot_prunes(struct shapeindex *x, const struct query *q, const struct shape *s,
                      struct block *B, double bound)
{
    if (dot_surely_below(q, bound))
        return 1;
    if (bound - DOT_ERR(bound) > q->bval + q->berr)
        return 0;
    const int64_t *sky = block_sky(x, B);
    int64_t row[RES_MAX];
    memcpy(row, B->max, sizeof row);
    for (int i = 0; i < B->nsky; i++) {
        row[RES_CPU] = sky[2 * i];
        row[RES_MEMORY] = sky[2 * i + 1];
        struct fracterm t[RES_MAX];
        int c = versus_best(q, t, score_terms(q->mode, q->dims, row, &s->alloc, q->req, t));
        if (c > 0 || (c == 0 && block_minid(x, B) < q->best))
            return 0;
    }
    return 1;
}

static void open_block(const struct shapeindex *x, struct query *q, const struct shape *s,
                       const double *coef, const struct block *B)
{
    for (int i = 0; i < B->n; i++) {
        const struct entry *e = ent_at(x, B, i);
        const int64_t *row = row_of(e);
        if (!fits(q, row))
            continue;
        double v = dot_approx(q, coef, row), err = DOT_ERR(v);
        if (beats_best(q, e->id, row, &s->alloc, v, err) && placement_feasible(q->c, q->pod, e->id))
            take(q, e->id, row, &s->alloc, v, err);
    }
}

/*
 * Dot-product: every block with room is a candidate, with the loose bound
 * from its maxima. The candidate with the highest loose bound is opened
 * first, for a good best node early; then each other candidate is skipped
 * if its loose bound, or else its skyline bound, rules it out, and opened
 * otherwise. So a query reads every block's maxima (contiguous per shape),
 * a few skylines, and opens a few blocks.
 */
static void search_dot(struct shapeindex *x, struct query *q)
{
    if (x->cand_cap < x->nblocks) {
        x->cand_cap = x->nblocks;
        x->cand = xrealloc(x->cand, x->cand_cap * sizeof *x->cand);
    }
    size_t n = 0, top = 0;
    for (size_t si = 0; si < x->nshapes; si++) {
        struct shape *s = &x->shapes[si];
        if (!s->count || !shape_tolerated(q, s))
            continue;
        int lacks = 0;
        for (int d = RES_FIXED; d < q->dims && !lacks; d++)
            lacks = q->req->v[d] > 0 && s->alloc.v[d] < q->req->v[d];
        if (lacks)
            continue;
        double coef[RES_MAX];
        dot_coef(q, s, coef);
        for (size_t bi = next_block(x, s, q, 0); bi < s->nblk; bi = next_block(x, s, q, bi + 1)) {
            const int64_t *max = s->bmax + bi * x->stride;
            double bound = dot_bound_loose(q, coef, max);
            if (!n || bound > x->cand[top].bound)
                top = n;
            x->cand[n++] = (struct candidate){bound, (int32_t)si, s->blk[bi]};
        }
    }
    for (size_t k = 0; k < n; k++) {
        const struct candidate *cd = &x->cand[k == 0 ? top : k == top ? 0 : k];
        if (dot_surely_below(q, cd->bound + DOT_ERR(cd->bound)))
            continue;
        const struct shape *s = &x->shapes[cd->shape];
        struct block *B = &x->blocks[cd->block];
        double coef[RES_MAX];
        dot_coef(q, s, coef);
        if (q->best >= 0 && dot_prunes(x, q, s, B, dot_bound(x, q, coef, B)))
            continue;
        open_block(x, q, s, coef, B);
    }
}

int32_t shapeindex_place(struct shapeindex *x, const struct cluster *c, int32_t pod)
{
    const struct podspec *spec = &c->owners[c->pods[pod].owner].spec;
    if (placement_tolerates_unschedulable(spec))
        return shapeindex_scan(x->mode, c, pod);
    /*
     * A pod asking for less than the floor: the floor then takes in every
     * owner known now, so that owners added since the last rebuild cost one
     * rebuild between them, not one each. Or new extended resources.
     */
    if (floor_lower(&x->floor, &spec->req)) {
        for (size_t i = 0; i < c->nowners; i++)
            floor_lower(&x->floor, &c->owners[i].spec.req);
        rebuild(x, c);
    } else if (c->resnames.n != x->dims) {
        rebuild(x, c);
    }
    struct query q;
    query_init(&q, x->mode, c, pod);
    if (x->mode == SHAPEINDEX_DOT_PRODUCT)
        search_dot(x, &q);
    else if (q.ext)
        search_bounded(x, &q);
    else
        search_ordered(x, &q);
    return q.best;
}

int32_t shapeindex_scan(enum shapeindex_mode mode, const struct cluster *c, int32_t pod)
{
    struct query q;
    query_init(&q, mode, c, pod);
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct node *n = &c->nodes[i];
        if (!placement_feasible(c, q.pod, (int32_t)i))
            continue;
        int64_t row[RES_MAX];
        for (int d = 0; d < RES_MAX; d++)
            row[d] = n->alloc.v[d] - n->used.v[d];
        consider(&q, (int32_t)i, row, &n->alloc, 1);
    }
    return q.best;
}

/* ------------------------------------------------------------ checks */

static int fail(char *err, size_t len, const char *fmt, long a, long b)
{
    snprintf(err, len, fmt, a, b);
    return -1;
}

static int check_block(const struct shapeindex *x, const struct shape *s, int32_t b, char *err,
                       size_t len)
{
    const struct block *B = &x->blocks[b];
    if (B->n <= 0 || B->n > BLOCK)
        return fail(err, len, "block %ld holds %ld entries", b, B->n);
    for (int d = 0; d < x->dims; d++) {
        int64_t m = -1;
        int32_t held = 0;
        for (int i = 0; i < B->n; i++)
            m = row_at(x, B, i)[d] > m ? row_at(x, B, i)[d] : m;
        for (int i = 0; i < B->n; i++)
            held += row_at(x, B, i)[d] == m;
        if (m != B->max[d] || held != B->nmax[d])
            return fail(err, len, "block %ld: wrong maximum in dimension %ld", b, d);
    }
    int32_t minid = INT32_MAX;
    for (int i = 0; i < B->n; i++) {
        int32_t id = ent_at(x, B, i)->id;
        minid = id < minid ? id : minid;
        if (x->blk_of[id] != b)
            return fail(err, len, "node %ld is in block %ld but not recorded there", id, b);
        if (ent_at(x, B, i)->key != key_approx(s, row_at(x, B, i)))
            return fail(err, len, "node %ld: stale key in block %ld", id, b);
    }
    if (B->minid >= 0 && minid != B->minid)
        return fail(err, len, "block %ld: lowest id %ld is wrong", b, B->minid);
    if (x->mode == SHAPEINDEX_DOT_PRODUCT && !B->sky_stale) {
        /* The incremental skyline must be the one computed afresh. */
        int64_t fresh[2 * BLOCK];
        int n = sky_compute(x, B, fresh);
        if (n != B->nsky || memcmp(fresh, block_sky(x, B), (size_t)n * 2 * sizeof *fresh) != 0)
            return fail(err, len, "block %ld: skyline of %ld points is stale", b, B->nsky);
    }
    if (B->first != ent_at(x, B, 0)->key || B->last != ent_at(x, B, B->n - 1)->key)
        return fail(err, len, "block %ld: first or last key is stale (%ld entries)", b, B->n);
    return 0;
}

/* Every shape's blocks: sound, in order, counted. Returns the entries seen, or -1. */
static long check_shapes(const struct shapeindex *x, char *err, size_t len)
{
    long entries = 0;
    for (size_t si = 0; si < x->nshapes; si++) {
        const struct shape *s = &x->shapes[si];
        size_t count = 0;
        const int64_t *prev = NULL;
        double pkey = 0;
        int32_t pid = -1;
        for (size_t bi = 0; bi < s->nblk; bi++) {
            int32_t b = s->blk[bi];
            if (check_block(x, s, b, err, len))
                return -1;
            const struct block *B = &x->blocks[b];
            if (B->pos != (int32_t)bi ||
                memcmp(s->bmax + bi * x->stride, B->max, x->stride * sizeof *B->max) != 0)
                return fail(err, len, "block %ld: position or copied maxima stale (%ld)", b,
                            B->pos);
            for (int i = 0; i < B->n; i++) {
                const struct entry *e = ent_at(x, B, i);
                const int64_t *r = row_of(e);
                if (x->shape_of[e->id] != (int32_t)si)
                    return fail(err, len, "node %ld is in shape %ld's blocks", e->id, (long)si);
                if (prev && entry_cmp(x, s, prev, pkey, pid, r, e->key, e->id) >= 0)
                    return fail(err, len, "nodes %ld and %ld out of order", pid, e->id);
                prev = r;
                pkey = e->key;
                pid = e->id;
                count++;
            }
        }
        if (count != s->count)
            return fail(err, len, "shape %ld counts %ld entries", (long)si, (long)s->count);
        entries += (long)count;
    }
    return entries;
}

int shapeindex_check(const struct shapeindex *x, const struct cluster *c, char *err, size_t len)
{
    if (x->dims != c->resnames.n)
        return 0; /* rebuilt before the next query */
    long entries = check_shapes(x, err, len);
    if (entries < 0)
        return -1;
    long in = 0;
    for (size_t i = 0; i < c->nnodes; i++) {
        int64_t row[RES_MAX];
        int usable = node_row(x, c, (int32_t)i, row);
        int32_t b = i < x->nknown ? x->blk_of[i] : -1;
        if (usable && b < 0)
            return fail(err, len, "node %ld is missing from the index (%ld)", (long)i, b);
        if (!usable && b >= 0)
            return fail(err, len, "node %ld is in block %ld but should not be", (long)i, b);
        if (b < 0)
            continue;
        in++;
        const struct block *B = &x->blocks[b];
        int k = 0;
        while (k < B->n && ent_at(x, B, k)->id != (int32_t)i)
            k++;
        if (k == B->n || memcmp(row_at(x, B, k), row, (size_t)x->dims * sizeof *row) != 0)
            return fail(err, len, "node %ld: stored capacity differs (block %ld)", (long)i, b);
        const struct shape *s = &x->shapes[x->shape_of[i]];
        struct resources a;
        shape_alloc(x, &c->nodes[i], &a);
        if (memcmp(&a, &s->alloc, sizeof a) != 0 || !same_taints(&c->nodes[s->rep], &c->nodes[i]))
            return fail(err, len, "node %ld is in shape %ld, not its own", (long)i, x->shape_of[i]);
    }
    if (in != entries)
        return fail(err, len, "%ld nodes in the index, %ld entries", in, entries);
    return 0;
}
