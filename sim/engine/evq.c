#include "sim/engine/evq.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

/*
 * Layout, chosen for the cost of sifting through a heap of a million events:
 *
 *   heap[]   struct hent {time, seq, phase, slot}   the keys inline, so a
 *            sift compares neighbouring entries without following a pointer
 *   slots[]  struct slot {arg, kind, gen}           read once per pop
 *   pos[]    uint32: heap index of each slot        written on every move,
 *            kept apart so these writes touch 4 bytes per event, not 16
 *
 * The heap is 4-ary rather than binary: half the depth, and the four children
 * of a node sit next to each other, so each level costs about one cache miss
 * instead of one per comparison. Popping uses Floyd's bottom-up sift: walk the
 * smaller children down to a leaf without comparing against the element being
 * re-inserted (the last one, which usually belongs near the bottom), then sift
 * it up from there, which saves a comparison per level.
 */
#define ARITY 4

/* pos[] values of slots that are not in the heap. */
#define POS_FREE  UINT32_MAX
#define POS_TAKEN (UINT32_MAX - 1)
#define MAX_SLOTS (UINT32_MAX - 2)
/* free_head when no slot is free. */
#define NO_FREE UINT64_MAX

struct hent {
    simtime time;
    uint64_t seq;
    uint32_t phase;
    uint32_t slot;
};

struct slot {
    uint64_t arg; /* caller data; the next free slot while the slot is free */
    uint32_t kind;
    uint32_t gen; /* never 0, so no handle is 0 */
};

struct evq {
    struct hent *heap;
    size_t len, heap_cap;
    struct slot *slots;
    uint32_t *pos;
    size_t nslots, slots_cap, pos_cap;
    uint64_t free_head; /* first free slot, or NO_FREE */
    uint64_t next_seq;
};

static evid make_id(uint32_t slot, uint32_t gen)
{
    return (evid)gen << 32 | slot;
}

static int less(const struct hent *a, const struct hent *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->phase != b->phase)
        return a->phase < b->phase;
    return a->seq < b->seq;
}

static void place(struct evq *q, size_t i, const struct hent *h)
{
    q->heap[i] = *h;
    q->pos[h->slot] = (uint32_t)i;
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
    size_t first = ARITY * i + 1;
    size_t end = first + ARITY < q->len ? first + ARITY : q->len;
    size_t best = first;
    for (size_t c = first + 1; c < end; c++)
        if (less(&q->heap[c], &q->heap[best]))
            best = c;
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
    while (ARITY * i + 1 < q->len) {
        size_t c = min_child(q, i);
        place(q, i, &q->heap[c]);
        i = c;
    }
    sift_up(q, i, h);
}

/* Puts h, currently at nothing, into the hole at i (an element was removed or changed there). */
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
    q->free_head = NO_FREE;
    return q;
}

void evq_free(struct evq *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->slots);
    free(q->pos);
    free(q);
}

static uint32_t alloc_slot(struct evq *q)
{
    if (q->free_head != NO_FREE) {
        uint32_t s = (uint32_t)q->free_head;
        q->free_head = q->slots[s].arg;
        return s;
    }
    if (q->nslots >= MAX_SLOTS)
        BUG("event queue full");
    xgrow((void **)&q->slots, &q->slots_cap, q->nslots + 1, sizeof *q->slots);
    xgrow((void **)&q->pos, &q->pos_cap, q->nslots + 1, sizeof *q->pos);
    uint32_t s = (uint32_t)q->nslots++;
    q->slots[s].gen = 1;
    return s;
}

/* Bumps the generation, so every handle issued for this use of the slot goes stale. */
static void free_slot(struct evq *q, uint32_t s)
{
    struct slot *sl = &q->slots[s];
    sl->gen = sl->gen == UINT32_MAX ? 1 : sl->gen + 1;
    sl->arg = q->free_head;
    q->pos[s] = POS_FREE;
    q->free_head = s;
}

/* The slot of id if id names a live slot (pending or taken), else -1. */
static int64_t lookup(const struct evq *q, evid id)
{
    uint32_t s = (uint32_t)id;
    uint32_t gen = (uint32_t)(id >> 32);
    if (s >= q->nslots || q->slots[s].gen != gen || q->pos[s] == POS_FREE)
        return -1;
    return s;
}

static void fill(const struct evq *q, const struct hent *h, struct event *out)
{
    const struct slot *sl = &q->slots[h->slot];
    out->time = h->time;
    out->phase = h->phase;
    out->kind = sl->kind;
    out->seq = h->seq;
    out->arg = sl->arg;
    out->id = make_id(h->slot, sl->gen);
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

static void insert(struct evq *q, uint32_t s, simtime time, uint32_t phase)
{
    if (q->len == q->heap_cap)
        xgrow((void **)&q->heap, &q->heap_cap, q->len + 1, sizeof *q->heap);
    struct hent h = {.time = time, .seq = q->next_seq++, .phase = phase, .slot = s};
    q->len++;
    sift_up(q, q->len - 1, &h);
}

evid evq_push(struct evq *q, simtime time, uint32_t phase, uint32_t kind, uint64_t arg)
{
    uint32_t s = alloc_slot(q);
    q->slots[s].arg = arg;
    q->slots[s].kind = kind;
    insert(q, s, time, phase);
    return make_id(s, q->slots[s].gen);
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
    q->pos[q->heap[0].slot] = POS_TAKEN;
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
    if (s < 0 || q->pos[s] == POS_TAKEN)
        return -1;
    remove_at(q, q->pos[s]);
    free_slot(q, (uint32_t)s);
    return 0;
}

int evq_reschedule(struct evq *q, evid id, simtime time)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->pos[s] == POS_TAKEN)
        return -1;
    size_t i = q->pos[s];
    struct hent h = q->heap[i];
    h.time = time;
    h.seq = q->next_seq++;
    fix(q, i, &h);
    return 0;
}

int evq_requeue(struct evq *q, evid id, simtime time, uint32_t phase)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->pos[s] != POS_TAKEN)
        return -1;
    insert(q, (uint32_t)s, time, phase);
    return 0;
}

int evq_release(struct evq *q, evid id)
{
    int64_t s = lookup(q, id);
    if (s < 0 || q->pos[s] != POS_TAKEN)
        return -1;
    free_slot(q, (uint32_t)s);
    return 0;
}

int evq_pending(const struct evq *q, evid id)
{
    int64_t s = lookup(q, id);
    return s >= 0 && q->pos[s] != POS_TAKEN;
}

size_t evq_len(const struct evq *q)
{
    return q->len;
}
