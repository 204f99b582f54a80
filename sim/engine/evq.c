#include "sim/engine/evq.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

/*
 * The tiers (evq.h has the picture). The near tier is an indexed 4-ary heap.
 * The far tier is "top", an unsorted append-only bucket for the events
 * beyond everything else, and a stack of rungs between the heap and top,
 * each splitting a stretch of time into buckets of one power-of-two width.
 * Deeper rungs cover earlier stretches:
 *
 *   time -->
 *   | heap         | rung[depth-1] | ... | rung[0]              | top
 *   | <= near_last | <= its last   |     | <= rung[0].last      | the rest
 *                                        |b0|b1|b2| ... |last b.|
 *
 * A push into the far tier finds its rung by comparing with the rungs' ends
 * (usually one) and its bucket with a subtraction and a shift, and appends.
 * When the heap runs empty, the deepest rung's earliest nonempty bucket
 * moves into it: one sequential read and an O(h) heapify. A bucket of more
 * than split_len events is first spread into a new, finer rung over its
 * stretch, with about bucket_len events a bucket; when no rung is left, so is
 * top. A rung's last bucket runs on to the rung's end, so a rung can be sized
 * to the bulk of its events and leave a few far-future ones to its last
 * bucket (see split). Top is spread only when it is needed, so its rung is
 * sized to what piled up there meanwhile. This is the ladder queue of Tang,
 * Goh and Thng (2005), with the heap as its bottom.
 *
 * Why not one flat far array, rescanned at each refill for the events below a
 * new horizon: with n events and a heap of h, each event is read n / h times
 * before it runs, and the moves out of the array are scattered. Measured at a
 * million events (h = 16k) that scan and its moves cost ~65 ns a pop and the
 * whole reached 6-7M events/s. Buckets move each event about twice, in
 * sequential runs.
 *
 * The split is on time alone, so all events at one time are in one tier and
 * every near event is before every far one: the heap's minimum is the
 * queue's minimum, and (time, phase, seq) order is exactly that of a single
 * heap. near_last is the last time that belongs to the heap: the horizon H of
 * evq.h minus one, so that NEAR_ALL can mean "no far tier". It moves forward
 * when a bucket is loaded (to the bucket's end) or skipped as empty, or to
 * just before the first event of a bucket being spread, and back when the
 * heap spills.
 *
 * A queue starts as a plain heap. When the heap reaches spill_at events
 * (spill_len at first) it spills: the bucket_len-th smallest time of a
 * sample of its keys becomes near_last, and the later events move to top if
 * there was no far tier, or else to a new rung over the stretch they leave.
 * A spill costs O(spill_at) and the next one waits until the heap doubles,
 * so spills are amortized O(1) a push. When no rung is left and top holds at
 * most split_len events, a refill moves all of top into the heap and the
 * queue is a plain heap again.
 *
 * Amortized cost per event, for times spread smoothly at the scale of a
 * bucket: one append, about one spread (a sequential copy; an uneven bucket
 * is spread once more per level), one move into the heap and O(log h) heap
 * work. A refill always ends by loading a nonempty bucket: each step skips a
 * bucket, pops a used-up rung, or spreads a bucket into narrower ones (a
 * rung has at least two, and at most MAX_DEPTH are stacked; a rung's last
 * bucket is replaced rather than stacked on, but its new rung starts later).
 * Events at one time cannot be split: their bucket is loaded whole and the
 * heap grows as a plain heap would.
 *
 * Far events live in a pool of CHUNK-entry chunks; a bucket is a list of
 * chunks, newest first, all full but the newest. A far event's slot holds its
 * pool index with FAR_BIT, and the chunk's owner names its bucket, so cancel
 * fills the hole with the bucket's last event, O(1); a chunk goes back to
 * the pool as soon as it empties.
 *
 * Layout of the heap, chosen for the cost of sifting:
 *
 *   heap[]   struct hent, 32 bytes: the whole event, keys first. A sift
 *            compares neighbouring entries without following a pointer, and
 *            a pop reads the event from heap[0] alone.
 *   slots[]  struct slot, 8 bytes: generation and position, indexed by the
 *            slot number in a handle; written once per move.
 *
 * The heap is 4-ary: half the depth of a binary heap, and the four children
 * of a node (4i+1 .. 4i+4, 128 bytes) are placed on one 128-byte aligned pair
 * of cache lines, so each level costs one miss instead of one per
 * comparison. Popping uses Floyd's bottom-up sift: the hole left at the root
 * walks down the smaller children to a leaf without comparing against the
 * element that will fill it (the last one, usually a late event that belongs
 * near the bottom anyway), which is then sifted up from there.
 *
 * (time, phase, seq) is compared as one 128-bit unsigned number: the time
 * with its sign bit flipped (so unsigned order is signed order), then phase
 * and seq packed into one word. That makes the comparison branch-free, which
 * matters because which child is smallest is a coin toss the branch
 * predictor cannot learn. The price is a range: phase below EVQ_PHASES and
 * 2^48 sequence numbers per queue (a year at ten million events a second).
 */
#define ARITY     4
#define SEQ_BITS  48
#define SEQ_LIMIT ((uint64_t)1 << SEQ_BITS)
#define TIME_FLIP ((uint64_t)1 << 63)

/*
 * Heap entries before heap[0] in the allocation: with three, every group of
 * children starts 128-byte aligned (entry 4i+1 is at byte 128(i+1)).
 */
#define HEAP_SKEW  3
#define HEAP_ALIGN 128

/*
 * From this many events in the heap the lower levels no longer fit in the
 * caches: while the children of a node are compared, the grandchildren (one
 * group of which is needed next) are prefetched, so two levels' misses
 * overlap. Below it the prefetches would only evict useful lines. With the
 * far tier the heap gets this big only when many events share one time, or
 * when evq_new_sized asks for it.
 */
#define PREFETCH_LEN ((size_t)1 << 17)

/*
 * Rungs per queue and buckets per rung. Each spread into a new rung narrows
 * the buckets, usually by a factor of hundreds, so the depth is only reached
 * by times clustered at many scales; the bucket count bounds the rung table.
 */
#define MAX_DEPTH   16
#define MAX_BUCKETS ((size_t)1 << 16)
#define MIN_NEAR    16
#define SAMPLE      256
#define NEAR_ALL    UINT64_MAX

/*
 * slot.pos: a heap index, a pool index with FAR_BIT set, POS_NONE for a taken
 * event (evq_take), or the next free slot. Slot numbers and pool indices stay
 * below FAR_BIT - 1, so the encodings cannot collide.
 */
#define FAR_BIT    ((uint32_t)1 << 31)
#define POS_NONE   UINT32_MAX
#define MAX_EVENTS (FAR_BIT - 1)

/*
 * A chunk is 128 events, 4 KB: a page, long enough for the prefetcher to
 * stream. The pool grows by a slab of 64 chunks (256 KB) at a time, so it
 * never copies events and wastes at most one slab.
 */
#define CHUNK_BITS 7
#define CHUNK      ((uint32_t)1 << CHUNK_BITS)
#define SLAB_BITS  6
#define SLAB       ((uint32_t)1 << SLAB_BITS)
#define MAX_CHUNKS (FAR_BIT >> CHUNK_BITS) /* exclusive: pool indices stay below FAR_BIT - 1 */
#define NIL        UINT32_MAX

struct hent {
    uint64_t hi; /* time ^ TIME_FLIP */
    uint64_t lo; /* phase << SEQ_BITS | seq */
    uint64_t arg;
    uint32_t kind;
    uint32_t slot;
};

/*
 * The generation is odd while the slot is in use and even while it is free,
 * and every handle carries an odd one: a handle names a live event exactly
 * when its generation equals the slot's, and a forged handle to a free slot
 * cannot match. Handle 0 has generation 0 and so is never issued.
 */
struct slot {
    uint32_t gen;
    uint32_t pos;
};

struct bucket {
    uint32_t head; /* newest chunk, NIL when empty; the others are full */
    uint32_t n;
};

#define EMPTY_BUCKET ((struct bucket){.head = NIL, .n = 0})

/*
 * Bucket j of a rung holds times base + j * 2^shift .. base + (j + 1) *
 * 2^shift - 1, except the last one, which runs on to last. Buckets before
 * cur are spent: the heap (or a deeper rung) has their stretch.
 */
struct rung {
    uint64_t base, last; /* as hi keys */
    uint32_t first;      /* its buckets are bkt[first .. first + nb) */
    uint32_t nb, cur;
    unsigned shift;
};

struct evq {
    struct hent *heap; /* HEAP_SKEW entries into heap_mem, see above */
    void *heap_mem;
    size_t len, heap_cap;
    /*
     * Tier sizes, from evq_new_sized: a heap spills at spill_len events and
     * keeps ~bucket_len; buckets aim at bucket_len events and are spread
     * into a new rung above split_len.
     */
    size_t spill_len, bucket_len, split_len;
    size_t spill_at;    /* heap length that triggers a spill */
    uint64_t near_last; /* hi of the last time the heap covers; NEAR_ALL: no far tier */

    struct hent **slab; /* far events: chunk c is at slab[c / SLAB] + c % SLAB * CHUNK */
    void **slab_mem;
    size_t nslabs, slabs_cap;
    uint32_t *cnext, *cowner; /* per chunk: next in its bucket (or free list), owning bucket */
    size_t nchunks, chunks_cap;
    uint32_t cfree;     /* free chunk list */
    struct bucket *bkt; /* bkt[0] is top, then each rung's buckets in stack order */
    size_t bkt_cap;
    struct rung rung[MAX_DEPTH];
    unsigned depth;
    size_t nfar;
    uint64_t top_min, top_max; /* bounds on top's keys, loose after cancels */

    struct slot *slots;
    size_t nslots, slots_cap;
    uint32_t free_head; /* POS_NONE when no slot is free */
    uint64_t next_seq;
    uint64_t rng; /* picks sample positions; never affects the order of events */
};

static int less(const struct hent *a, const struct hent *b)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 x = (unsigned __int128)a->hi << 64 | a->lo;
    unsigned __int128 y = (unsigned __int128)b->hi << 64 | b->lo;
    return x < y;
#else
    return (a->hi < b->hi) | ((a->hi == b->hi) & (a->lo < b->lo));
#endif
}

static void place(struct evq *q, size_t i, const struct hent *h)
{
    q->heap[i] = *h;
    q->slots[h->slot].pos = (uint32_t)i;
}

static void sift_up(struct evq *q, size_t i, const struct hent *h)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!less(h, &q->heap[parent]))
            break;
        place(q, i, &q->heap[parent]);
        i = parent;
    }
    place(q, i, h);
}

/* Index of the smallest child of i; i must have at least one child. */
static size_t min_child(const struct evq *q, size_t i)
{
    const struct hent *h = q->heap;
    size_t first = ARITY * i + 1;
    if (first + ARITY <= q->len) {
        /* A tournament of independent comparisons, compiled to conditional moves. */
        size_t a = first + (size_t)less(&h[first + 1], &h[first]);
        size_t b = first + 2 + (size_t)less(&h[first + 3], &h[first + 2]);
        return less(&h[b], &h[a]) ? b : a;
    }
    size_t best = first;
    for (size_t c = first + 1; c < q->len; c++)
        best = less(&h[c], &h[best]) ? c : best;
    return best;
}

static void sift_down(struct evq *q, size_t i, const struct hent *h)
{
    while (ARITY * i + 1 < q->len) {
        size_t c = min_child(q, i);
        if (!less(&q->heap[c], h))
            break;
        place(q, i, &q->heap[c]);
        i = c;
    }
    place(q, i, h);
}

/* Fills the hole at the root with h (Floyd): down to a leaf, then up. */
static void sift_down_from_root(struct evq *q, const struct hent *h)
{
    size_t i = 0;
#if defined(__GNUC__)
    int prefetch = q->len >= PREFETCH_LEN;
#endif
    while (ARITY * i + 1 < q->len) {
#if defined(__GNUC__)
        /*
         * Inline on purpose: GCC 12 judges a function that only prefetches
         * to be pure and deletes the calls to it.
         */
        if (prefetch) {
            const char *g = (const char *)&q->heap[ARITY * (ARITY * i + 1) + 1];
            for (size_t off = 0; off < ARITY * ARITY * sizeof(struct hent); off += 64)
                __builtin_prefetch(g + off);
        }
#endif
        size_t c = min_child(q, i);
        place(q, i, &q->heap[c]);
        i = c;
    }
    sift_up(q, i, h);
}

/* Puts h into the hole at i, left by an element that was removed or changed. */
static void fix(struct evq *q, size_t i, const struct hent *h)
{
    if (i > 0 && less(h, &q->heap[(i - 1) / ARITY]))
        sift_up(q, i, h);
    else
        sift_down(q, i, h);
}

/* Restores the heap order over heap[0 .. len) in O(len) (Floyd); positions must be set. */
static void heapify(struct evq *q)
{
    if (q->len < 2)
        return;
    for (size_t i = (q->len - 2) / ARITY + 1; i-- > 0;) {
        struct hent h = q->heap[i];
        sift_down(q, i, &h);
    }
}

/*
 * near / 16 per bucket: a loaded bucket plus the events pushed into its
 * stretch leave the heap far below near, so a spill is the exception. Buckets
 * up to four times that are loaded whole rather than spread once more.
 */
struct evq *evq_new_sized(size_t near)
{
    struct evq *q = xcalloc(1, sizeof *q);
    near = near < MIN_NEAR ? MIN_NEAR : near;
    q->spill_len = near;
    q->bucket_len = near / 16;
    q->split_len = near / 4;
    q->spill_at = near;
    q->near_last = NEAR_ALL;
    q->cfree = NIL;
    q->bkt_cap = 1;
    q->bkt = xmalloc(sizeof *q->bkt);
    q->bkt[0] = EMPTY_BUCKET;
    q->top_min = UINT64_MAX;
    q->free_head = POS_NONE;
    q->rng = 0x9e3779b97f4a7c15u;
    return q;
}

struct evq *evq_new(void)
{
    return evq_new_sized(EVQ_NEAR_DEFAULT);
}

void evq_free(struct evq *q)
{
    if (!q)
        return;
    free(q->heap_mem);
    for (size_t i = 0; i < q->nslabs; i++)
        free(q->slab_mem[i]);
    free(q->slab);
    free(q->slab_mem);
    free(q->cnext);
    free(q->cowner);
    free(q->bkt);
    free(q->slots);
    free(q);
}

/* Allocates cap entries aligned to HEAP_ALIGN, skew entries in; returns them, and the block. */
static struct hent *alloc_aligned(size_t cap, size_t skew, void **mem)
{
    *mem = xmalloc((cap + skew) * sizeof(struct hent) + HEAP_ALIGN);
    uintptr_t base = ((uintptr_t)*mem + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
    return (struct hent *)base + skew;
}

/* Doubles the heap; by hand rather than with realloc, to keep the alignment. */
static void grow_heap(struct evq *q)
{
    size_t cap = q->heap_cap ? 2 * q->heap_cap : 64;
    if (cap > MAX_EVENTS)
        cap = MAX_EVENTS;
    if (cap <= q->len)
        BUG("event queue full");
    void *mem;
    struct hent *heap = alloc_aligned(cap, HEAP_SKEW, &mem);
    if (q->len)
        memcpy(heap, q->heap, q->len * sizeof *heap);
    free(q->heap_mem);
    q->heap_mem = mem;
    q->heap = heap;
    q->heap_cap = cap;
}

static uint32_t alloc_slot(struct evq *q)
{
    uint32_t s;
    if (q->free_head != POS_NONE) {
        s = q->free_head;
        q->free_head = q->slots[s].pos;
    } else {
        if (q->nslots >= MAX_EVENTS)
            BUG("event queue full");
        xgrow((void **)&q->slots, &q->slots_cap, q->nslots + 1, sizeof *q->slots);
        s = (uint32_t)q->nslots++;
        q->slots[s].gen = 0;
    }
    q->slots[s].gen++; /* even to odd: in use */
    return s;
}

static void free_slot(struct evq *q, uint32_t s)
{
    q->slots[s].gen++; /* odd to even: every handle to it is now stale */
    q->slots[s].pos = q->free_head;
    q->free_head = s;
}

static evid make_id(const struct evq *q, uint32_t s)
{
    return (evid)q->slots[s].gen << 32 | s;
}

/* The slot of id if it names a live event (pending or taken), else -1. */
static int64_t lookup(const struct evq *q, evid id)
{
    uint32_t s = (uint32_t)id;
    uint32_t gen = (uint32_t)(id >> 32);
    if (s >= q->nslots || !(gen & 1) || q->slots[s].gen != gen)
        return -1;
    return s;
}

static uint64_t next_seq(struct evq *q)
{
    if (q->next_seq == SEQ_LIMIT)
        BUG("event sequence numbers exhausted");
    return q->next_seq++;
}

static void set_key(struct evq *q, struct hent *h, simtime time, uint32_t phase)
{
    if (phase >= EVQ_PHASES)
        BUG("event phase out of range");
    h->hi = (uint64_t)time ^ TIME_FLIP;
    h->lo = (uint64_t)phase << SEQ_BITS | next_seq(q);
}

static void fill(const struct evq *q, const struct hent *h, struct event *out)
{
    out->time = (simtime)(h->hi ^ TIME_FLIP);
    out->phase = (uint32_t)(h->lo >> SEQ_BITS);
    out->kind = h->kind;
    out->seq = h->lo & (SEQ_LIMIT - 1);
    out->arg = h->arg;
    out->id = make_id(q, h->slot);
}

/* The CHUNK events of chunk c. */
static inline struct hent *chunk_at(const struct evq *q, uint32_t c)
{
    return q->slab[c >> SLAB_BITS] + (size_t)(c & (SLAB - 1)) * CHUNK;
}

/* Pool entry e: event e % CHUNK of chunk e / CHUNK. */
static inline struct hent *entry(const struct evq *q, uint32_t e)
{
    return chunk_at(q, e / CHUNK) + e % CHUNK;
}

/* Adds a slab of free chunks to the pool. */
static void grow_pool(struct evq *q)
{
    if (q->nchunks + SLAB >= MAX_CHUNKS)
        BUG("event queue full");
    xgrow((void **)&q->slab, &q->slabs_cap, q->nslabs + 1, sizeof *q->slab);
    q->slab_mem = xrealloc(q->slab_mem, q->slabs_cap * sizeof *q->slab_mem);
    q->slab[q->nslabs] = alloc_aligned(SLAB * CHUNK, 0, &q->slab_mem[q->nslabs]);
    q->nslabs++;
    size_t n = q->nchunks + SLAB;
    if (n > q->chunks_cap) {
        q->chunks_cap = 2 * n;
        q->cnext = xrealloc(q->cnext, q->chunks_cap * sizeof *q->cnext);
        q->cowner = xrealloc(q->cowner, q->chunks_cap * sizeof *q->cowner);
    }
    for (size_t c = q->nchunks; c < n; c++)
        q->cnext[c] = c + 1 < n ? (uint32_t)(c + 1) : q->cfree;
    q->cfree = (uint32_t)q->nchunks;
    q->nchunks = n;
}

static void free_chunk(struct evq *q, uint32_t c)
{
    q->cnext[c] = q->cfree;
    q->cfree = c;
}

/* Gives bucket b a fresh newest chunk. */
static void bucket_grow(struct evq *q, uint32_t b)
{
    if (q->cfree == NIL)
        grow_pool(q);
    uint32_t c = q->cfree;
    q->cfree = q->cnext[c];
    q->cnext[c] = q->bkt[b].head;
    q->cowner[c] = b;
    q->bkt[b].head = c;
}

/*
 * Appends *h to bucket b. Small enough to inline into the push path, where
 * *h was just written field by field: passed by value, it would be copied
 * with 16-byte loads that the CPU cannot forward from those 8-byte stores, a
 * stall of tens of cycles a push.
 */
static inline void bucket_push(struct evq *q, uint32_t b, const struct hent *h)
{
    uint32_t off = q->bkt[b].n % CHUNK;
    if (off == 0)
        bucket_grow(q, b);
    uint32_t e = q->bkt[b].head * CHUNK + off;
    *entry(q, e) = *h;
    q->slots[h->slot].pos = e | FAR_BIT;
    q->bkt[b].n++;
    q->nfar++;
}

/* Removes pool entry e from its bucket by moving the bucket's last event into its place. */
static void bucket_remove(struct evq *q, uint32_t e)
{
    struct bucket *k = &q->bkt[q->cowner[e / CHUNK]];
    uint32_t last = k->head * CHUNK + (k->n - 1) % CHUNK;
    if (e != last) {
        *entry(q, e) = *entry(q, last);
        q->slots[entry(q, e)->slot].pos = e | FAR_BIT;
    }
    k->n--;
    q->nfar--;
    if (k->n % CHUNK == 0) {
        uint32_t c = k->head;
        k->head = q->cnext[c];
        free_chunk(q, c);
    }
}

/*
 * Empties bucket b and returns its chunk list; *n gets its event count. The
 * caller frees each chunk after reading it: the first holds (n - 1) % CHUNK
 * + 1 events, the others CHUNK.
 */
static uint32_t bucket_detach(struct evq *q, uint32_t b, uint32_t *n)
{
    uint32_t c = q->bkt[b].head;
    *n = q->bkt[b].n;
    q->bkt[b] = EMPTY_BUCKET;
    q->nfar -= *n;
    return c;
}

/* The bucket of rung r for key hi, which must be in the rung's unspent stretch. */
static inline uint32_t bucket_of(const struct rung *r, uint64_t hi)
{
    uint64_t j = (hi - r->base) >> r->shift;
    return r->first + (uint32_t)(j < r->nb ? j : r->nb - 1);
}

/* Queues *h, whose time is after near_last, in the deepest rung that reaches it, or in top. */
static inline void far_insert(struct evq *q, const struct hent *h)
{
    for (unsigned d = q->depth; d-- > 0;) {
        if (h->hi <= q->rung[d].last) {
            bucket_push(q, bucket_of(&q->rung[d], h->hi), h);
            return;
        }
    }
    q->top_min = h->hi < q->top_min ? h->hi : q->top_min;
    q->top_max = h->hi > q->top_max ? h->hi : q->top_max;
    bucket_push(q, 0, h);
}

/*
 * Pushes a rung over base .. last for about n events: ~n / bucket_len
 * buckets (at least two, if wide > base), of the smallest power-of-two width
 * that covers base .. wide with no more of them; the last runs on to last.
 */
static void push_rung(struct evq *q, uint64_t base, uint64_t wide, uint64_t last, size_t n)
{
    if (q->depth == MAX_DEPTH)
        BUG("event queue rung stack overflow");
    size_t want = n / q->bucket_len;
    want = want < 2 ? 2 : want > MAX_BUCKETS ? MAX_BUCKETS : want;
    uint64_t span = wide - base;
    unsigned shift = 0;
    while ((span >> shift) >= want)
        shift++;
    uint32_t nb = (uint32_t)(span >> shift) + 1;
    uint32_t first = 1;
    if (q->depth > 0)
        first = q->rung[q->depth - 1].first + q->rung[q->depth - 1].nb;
    xgrow((void **)&q->bkt, &q->bkt_cap, (size_t)first + nb, sizeof *q->bkt);
    for (uint32_t j = 0; j < nb; j++)
        q->bkt[first + j] = EMPTY_BUCKET;
    q->rung[q->depth++] = (struct rung){
        .base = base, .last = last, .first = first, .nb = nb, .cur = 0, .shift = shift};
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The smallest and largest keys of bucket b, exactly: one pass over it. */
static void bucket_bounds(const struct evq *q, uint32_t b, uint64_t *lo, uint64_t *hi)
{
    uint32_t left = q->bkt[b].n;
    *lo = UINT64_MAX;
    *hi = 0;
    for (uint32_t c = q->bkt[b].head; c != NIL; c = q->cnext[c]) {
        uint32_t cnt = (left - 1) % CHUNK + 1;
        const struct hent *e = chunk_at(q, c);
        for (uint32_t k = 0; k < cnt; k++) {
            *lo = e[k].hi < *lo ? e[k].hi : *lo;
            *hi = e[k].hi > *hi ? e[k].hi : *hi;
        }
        left -= cnt;
    }
}

/*
 * Where the bulk of bucket b's keys, lo to hi, ends: at hi, unless the 98th
 * percentile of an evenly strided sample of SAMPLE of them is eight times
 * closer to lo. Then the last 2% are stragglers, and a rung should not be
 * sized for them. A smooth spread like the exponential is not cut short: its
 * 98th percentile is at 4 of the 14 means the largest of a million reaches.
 * Reads SAMPLE events and the bucket's chunk list, not the whole bucket.
 */
#define TAIL (SAMPLE / 64 + 1) /* the 98th percentile of SAMPLE is the TAIL-th largest */

static uint64_t bulk_end(uint64_t p98, uint64_t lo, uint64_t hi)
{
    return p98 > lo && p98 - lo < (hi - lo) / 8 ? p98 : hi;
}

static uint64_t bucket_bulk_end(const struct evq *q, uint32_t b, uint64_t lo, uint64_t hi)
{
    uint32_t left = q->bkt[b].n, stride = left / SAMPLE, next = 0;
    uint64_t tail[TAIL] = {0}; /* the largest sampled keys, ascending */
    if (stride == 0)
        return hi;
    for (uint32_t c = q->bkt[b].head, ns = 0; c != NIL; c = q->cnext[c]) {
        uint32_t cnt = (left - 1) % CHUNK + 1;
        /* next: the sample's next event, counted from this chunk's first. */
        for (; next < cnt && ns < SAMPLE; next += stride, ns++) {
            uint64_t x = chunk_at(q, c)[next].hi;
            for (size_t i = 0; i < TAIL && x > tail[i]; i++) {
                if (i > 0)
                    tail[i - 1] = tail[i];
                tail[i] = x;
            }
        }
        if (ns == SAMPLE)
            break;
        next -= cnt;
        left -= cnt;
    }
    return bulk_end(tail[0], lo, hi);
}

/*
 * Spreading and loading write the slot of each event they move: a random
 * line in a large array. Touching it ahead keeps several misses in flight.
 */
#define SLOT_AHEAD 16
#if defined(__GNUC__)
#define prefetch_slot(q, h) __builtin_prefetch(&(q)->slots[(h)->slot], 1)
#else
#define prefetch_slot(q, h) ((void)0)
#endif

/* Moves the n events of the detached chunk list c into the deepest rung, which covers them. */
static void spread(struct evq *q, uint32_t c, uint32_t n)
{
    const struct rung *r = &q->rung[q->depth - 1];
    while (c != NIL) {
        uint32_t cnt = (n - 1) % CHUNK + 1;
        const struct hent *src = chunk_at(q, c);
        for (uint32_t k = 0; k < cnt; k++) {
            if (k + SLOT_AHEAD < cnt)
                prefetch_slot(q, &src[k + SLOT_AHEAD]);
            struct hent h = src[k];
            bucket_push(q, bucket_of(r, h.hi), &h);
        }
        n -= cnt;
        uint32_t next = q->cnext[c];
        free_chunk(q, c);
        c = next;
    }
}

/* Rebuilds the heap after its contents changed wholesale; sets when the next spill is due. */
static void rebuild(struct evq *q)
{
    heapify(q);
    q->spill_at = 2 * q->len > q->spill_len ? 2 * q->len : q->spill_len;
}

/* Moves bucket b into the empty heap. */
static void load(struct evq *q, uint32_t b)
{
    uint32_t n;
    uint32_t c = bucket_detach(q, b, &n);
    while (q->heap_cap < n)
        grow_heap(q);
    size_t len = 0;
    while (c != NIL) {
        uint32_t cnt = (n - 1) % CHUNK + 1;
        const struct hent *src = chunk_at(q, c);
        for (uint32_t k = 0; k < cnt; k++) {
            if (k + SLOT_AHEAD < cnt)
                prefetch_slot(q, &src[k + SLOT_AHEAD]);
            place(q, len++, &src[k]);
        }
        n -= cnt;
        uint32_t next = q->cnext[c];
        free_chunk(q, c);
        c = next;
    }
    q->len = len;
    rebuild(q);
}

/*
 * Spreads bucket b, the deepest rung's current one or top with no rung
 * left, into a new rung that ends at last. The new rung is sized to b's
 * events: from the first of them (the heap is empty and nothing is pending
 * before it, so the horizon may move up to it) to the last, or to where
 * their bulk ends if the last few are stragglers; the new rung's last bucket
 * takes those. Bucket keys are measured first, with one pass over the bucket
 * the spread is about to read anyway; top's bounds are kept as events arrive
 * instead, as top can be large. If b was its rung's last bucket, the new rung
 * replaces the spent one instead of going below it, so that what piles up
 * beyond a rung's bulk does not deepen the stack. Returns 0, doing nothing,
 * when all of b's events are at one time or the stack is full.
 */
static int split(struct evq *q, uint32_t b, uint64_t last)
{
    int spent = b > 0 && q->rung[q->depth - 1].cur == q->rung[q->depth - 1].nb;
    if (!spent && q->depth == MAX_DEPTH)
        return 0;
    uint64_t lo = q->top_min, hi = q->top_max;
    if (b > 0)
        bucket_bounds(q, b, &lo, &hi);
    if (lo == hi)
        return 0;
    uint64_t wide = bucket_bulk_end(q, b, lo, hi);
    uint32_t n;
    uint32_t c = bucket_detach(q, b, &n);
    q->depth -= spent;
    q->near_last = lo - 1;
    push_rung(q, lo, wide, b > 0 ? last : hi, n);
    spread(q, c, n);
    return 1;
}

/*
 * Called when the heap is empty and the far tier is not: moves the deepest
 * rung's earliest nonempty bucket into the heap, first spreading it into a
 * new rung if it is too big. Used-up rungs are popped on the way; with none
 * left, top is spread, or loaded whole if it is small.
 */
static void refill(struct evq *q)
{
    for (;;) {
        if (q->depth == 0) {
            int spread = q->bkt[0].n > q->split_len && split(q, 0, 0);
            q->top_min = UINT64_MAX;
            q->top_max = 0;
            if (spread)
                continue;
            load(q, 0);
            q->near_last = NEAR_ALL;
            return;
        }
        struct rung *r = &q->rung[q->depth - 1];
        if (r->cur == r->nb) {
            q->near_last = r->last;
            q->depth--;
            continue;
        }
        uint32_t b = r->first + r->cur;
        uint64_t start = r->base + ((uint64_t)r->cur << r->shift);
        uint64_t end = r->cur == r->nb - 1 ? r->last : start + (((uint64_t)1 << r->shift) - 1);
        r->cur++;
        uint32_t n = q->bkt[b].n;
        if (n == 0) {
            q->near_last = end;
            continue;
        }
        if (n > q->split_len && split(q, b, end))
            continue;
        load(q, b);
        q->near_last = end;
        while (q->depth > 0 && q->rung[q->depth - 1].cur == q->rung[q->depth - 1].nb)
            q->depth--;
        return;
    }
}

/* A position in [0, n) from a xorshift64 stream: cheap, and free of patterns a stride could hit. */
static size_t random_index(struct evq *q, size_t n)
{
    uint64_t x = q->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    q->rng = x;
    return (size_t)(x % n);
}

/*
 * Keeps about bucket_len of the earliest events in a heap that reached
 * spill_at and moves the others to top, if there was no far tier, or else
 * into a new rung over the stretch they leave, lowering the horizon to the
 * bucket_len / len quantile of a sample of the heap's keys. When that cannot
 * shrink the heap (most events share one time) or the rung stack is full,
 * the heap is left to double first.
 */
static void spill(struct evq *q)
{
    q->spill_at = 2 * q->len;
    if (q->near_last != NEAR_ALL && q->depth == MAX_DEPTH)
        return;
    uint64_t s[SAMPLE];
    for (size_t j = 0; j < SAMPLE; j++)
        s[j] = q->heap[random_index(q, q->len)].hi;
    qsort(s, SAMPLE, sizeof *s, cmp_u64);
    size_t k = q->bucket_len * SAMPLE / q->len;
    uint64_t last = s[k < SAMPLE ? k : SAMPLE - 1];
    if (last >= q->near_last)
        return;
    if (q->near_last != NEAR_ALL) {
        uint64_t wide = bulk_end(s[SAMPLE - TAIL], last + 1, q->near_last);
        push_rung(q, last + 1, wide, q->near_last, q->len);
    }
    q->near_last = last;
    size_t kept = 0;
    for (size_t i = 0; i < q->len; i++) {
        struct hent h = q->heap[i];
        if (h.hi > last)
            far_insert(q, &h);
        else
            place(q, kept++, &h);
    }
    q->len = kept;
    rebuild(q);
}

/* Makes heap[0] the earliest pending event; 0 when there is none. */
static int settle(struct evq *q)
{
    if (q->len > 0)
        return 1;
    if (q->nfar == 0) {
        /* Empty: whatever comes next starts a plain heap, as in a new queue. */
        q->near_last = NEAR_ALL;
        q->depth = 0;
        q->top_min = UINT64_MAX;
        q->top_max = 0;
        q->spill_at = q->spill_len;
        return 0;
    }
    refill(q);
    return 1;
}

/* Removes the element at heap index i. */
static void remove_at(struct evq *q, size_t i)
{
    q->len--;
    if (i == q->len)
        return;
    struct hent last = q->heap[q->len];
    if (i == 0)
        sift_down_from_root(q, &last);
    else
        fix(q, i, &last);
}

/* Queues h, whose slot is reserved and not pending, in the tier its time belongs to. */
static inline void insert(struct evq *q, const struct hent *h)
{
    if (h->hi > q->near_last) {
        far_insert(q, h);
        return;
    }
    if (q->len == q->heap_cap)
        grow_heap(q);
    q->len++;
    sift_up(q, q->len - 1, h);
    if (q->len >= q->spill_at)
        spill(q);
}

evid evq_push(struct evq *q, simtime time, uint32_t phase, uint32_t kind, uint64_t arg)
{
    struct hent h;
    set_key(q, &h, time, phase);
    h.arg = arg;
    h.kind = kind;
    h.slot = alloc_slot(q);
    insert(q, &h);
    return make_id(q, h.slot);
}

int evq_peek(struct evq *q, struct event *out)
{
    if (!settle(q))
        return 0;
    fill(q, &q->heap[0], out);
    return 1;
}

int evq_take(struct evq *q, struct event *out)
{
    if (!settle(q))
        return 0;
    fill(q, &q->heap[0], out);
    q->slots[q->heap[0].slot].pos = POS_NONE;
    remove_at(q, 0);
    return 1;
}

int evq_pop(struct evq *q, struct event *out)
{
    if (!evq_take(q, out))
        return 0;
    free_slot(q, (uint32_t)out->id);
    return 1;
}

/* Takes the pending event at slot position pos out of its tier. */
static void unlink_pos(struct evq *q, uint32_t pos)
{
    if (pos & FAR_BIT)
        bucket_remove(q, pos & ~FAR_BIT);
    else
        remove_at(q, pos);
}

int evq_cancel(struct evq *q, evid id)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->slots[s].pos == POS_NONE)
        return -1;
    unlink_pos(q, q->slots[s].pos);
    free_slot(q, (uint32_t)s);
    return 0;
}

int evq_reschedule(struct evq *q, evid id, simtime time)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->slots[s].pos == POS_NONE)
        return -1;
    uint32_t pos = q->slots[s].pos;
    struct hent h = pos & FAR_BIT ? *entry(q, pos & ~FAR_BIT) : q->heap[pos];
    set_key(q, &h, time, (uint32_t)(h.lo >> SEQ_BITS));
    if (!(pos & FAR_BIT) && h.hi <= q->near_last) {
        fix(q, pos, &h); /* stays in the heap: one sift in place */
        return 0;
    }
    unlink_pos(q, pos);
    insert(q, &h);
    return 0;
}

/*
 * A taken event's kind and arg left the queue with it, so they come back from
 * the caller's copy; only the handle's slot stayed reserved.
 */
int evq_requeue(struct evq *q, const struct event *ev, simtime time)
{
    int64_t s = lookup(q, ev->id);
    if (s < 0 || q->slots[s].pos != POS_NONE)
        return -1;
    struct hent h;
    set_key(q, &h, time, ev->phase);
    h.arg = ev->arg;
    h.kind = ev->kind;
    h.slot = (uint32_t)s;
    insert(q, &h);
    return 0;
}

int evq_release(struct evq *q, evid id)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->slots[s].pos != POS_NONE)
        return -1;
    free_slot(q, (uint32_t)s);
    return 0;
}

int evq_pending(const struct evq *q, evid id)
{
    int64_t s = lookup(q, id);
    return s >= 0 && q->slots[s].pos != POS_NONE;
}

size_t evq_len(const struct evq *q)
{
    return q->len + q->nfar;
}

void evq_stats(const struct evq *q, struct evq_stats *out)
{
    out->near = q->len;
    out->far = q->nfar;
    out->has_horizon = q->near_last != NEAR_ALL;
    out->horizon = out->has_horizon ? (simtime)((q->near_last + 1) ^ TIME_FLIP) : SIMTIME_NEVER;
    out->rungs = q->depth;
}
