#include "sim/engine/evq.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

/*
 * Layout, chosen for the cost of sifting through a large heap, where every
 * level below the cached top is a cache miss:
 *
 *   heap[]   struct hent, 32 bytes: the whole event, keys first. A sift
 *            compares neighbouring entries without following a pointer, and
 *            a pop reads the event from heap[0] alone.
 *   slots[]  struct slot, 8 bytes: generation and heap position, indexed by
 *            the slot number in a handle; written once per move.
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
 * From this many pending events the lower levels no longer fit in the
 * caches: while the children of a node are compared, the grandchildren (one
 * group of which is needed next) are prefetched, so two levels' misses
 * overlap. Below it the prefetches would only evict useful lines.
 */
#define PREFETCH_LEN ((size_t)1 << 17)

/* slot.pos of a taken event (evq_take) and the end of the free list. */
#define POS_NONE   UINT32_MAX
#define MAX_EVENTS (UINT32_MAX - 1)

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
    uint32_t pos; /* heap index; POS_NONE if taken; next free slot while free */
};

struct evq {
    struct hent *heap; /* HEAP_SKEW entries into heap_mem, see above */
    void *heap_mem;
    size_t len, heap_cap;
    struct slot *slots;
    size_t nslots, slots_cap;
    uint32_t free_head; /* POS_NONE when no slot is free */
    uint64_t next_seq;
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

struct evq *evq_new(void)
{
    struct evq *q = xcalloc(1, sizeof *q);
    q->free_head = POS_NONE;
    return q;
}

void evq_free(struct evq *q)
{
    if (!q)
        return;
    free(q->heap_mem);
    free(q->slots);
    free(q);
}

/* Doubles the heap; by hand rather than with realloc, to keep the alignment. */
static void grow_heap(struct evq *q)
{
    size_t cap = q->heap_cap ? 2 * q->heap_cap : 64;
    if (cap > MAX_EVENTS)
        cap = MAX_EVENTS;
    if (cap <= q->len)
        BUG("event queue full");
    void *mem = xmalloc((cap + HEAP_SKEW) * sizeof(struct hent) + HEAP_ALIGN);
    uintptr_t base = ((uintptr_t)mem + HEAP_ALIGN - 1) & ~(uintptr_t)(HEAP_ALIGN - 1);
    struct hent *heap = (struct hent *)base + HEAP_SKEW;
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

static void insert(struct evq *q, struct hent *h)
{
    if (q->len == q->heap_cap)
        grow_heap(q);
    q->len++;
    sift_up(q, q->len - 1, h);
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

int evq_peek(const struct evq *q, struct event *out)
{
    if (q->len == 0)
        return 0;
    fill(q, &q->heap[0], out);
    return 1;
}

int evq_take(struct evq *q, struct event *out)
{
    if (q->len == 0)
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

int evq_cancel(struct evq *q, evid id)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->slots[s].pos == POS_NONE)
        return -1;
    remove_at(q, q->slots[s].pos);
    free_slot(q, (uint32_t)s);
    return 0;
}

int evq_reschedule(struct evq *q, evid id, simtime time)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->slots[s].pos == POS_NONE)
        return -1;
    size_t i = q->slots[s].pos;
    struct hent h = q->heap[i];
    set_key(q, &h, time, (uint32_t)(h.lo >> SEQ_BITS));
    fix(q, i, &h);
    return 0;
}

/*
 * A taken event's kind and arg left the heap with it, so they come back from
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
    return q->len;
}
