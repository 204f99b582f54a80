#ifndef KSIM_ENGINE_EVQ_H
#define KSIM_ENGINE_EVQ_H
/*
 * The event queue: pending events ordered by (time, phase, seq). seq is
 * assigned at push (and at reschedule) from a counter, so events at the same
 * time and phase run in the order they were scheduled: ties are stable and
 * the order never depends on memory layout or on how the queue is split up
 * inside.
 *
 * Two tiers, split at a horizon H in time:
 *
 *      near: time < H                      far: time >= H
 *   +-------------------------+   +----------------------------------------+
 *   | indexed 4-ary min-heap  |<--| time buckets (a ladder queue's rungs)  |
 *   | of ~1k-16k events: it   |   | and "top", an unsorted append-only     |
 *   | stays in the caches     |   | array for the farthest events          |
 *   +-------------------------+   +----------------------------------------+
 *
 * Pop and peek take the heap's minimum. When the heap runs empty, the
 * earliest bucket of the far tier moves into it and H advances to the end of
 * that bucket; a heap that grows past its size spills its latest events back
 * and H moves back. A small queue is a plain heap with no H at all. evq.c
 * explains the policy; what matters outside is that every near event is
 * before every far one, so the order is exactly that of a single heap.
 *
 * Each event lives in a slot from a pool; a slot remembers where its event
 * is (heap index or far-tier entry), which makes cancel and reschedule cheap.
 * A handle packs slot and generation, so a handle to an event that already
 * ran or was cancelled is detected (evq_cancel returns -1) instead of
 * touching a reused slot. Handle 0 is never issued.
 *
 *   operation      cost (h = events in the heap, up to about the
 *                  evq_new_sized size; n = pending events)
 *   push           O(1) far (find the rung, usually the first of one or
 *                  two, and append to its bucket), O(log h) near
 *   pop / take     O(log h) + amortized O(1) moves between tiers
 *   peek           O(1), after moving events in if the heap is empty
 *   cancel         O(1) far (the bucket's last event fills the hole),
 *                  O(log h) near
 *   reschedule     cancel + push, keeping the handle (one sift if it stays
 *                  near)
 *   memory         ~40 bytes per pending event (a 32-byte entry in the heap
 *                  or a bucket, an 8-byte slot), plus under 4 KB per
 *                  nonempty bucket; the heap and the far tier's pool (in
 *                  256 KB slabs) keep their high-water size; slots are reused
 *
 * Amortized O(1) moves assumes times spread smoothly at the scale of a
 * bucket: an event is then moved about twice, in sequential runs, before it
 * reaches the heap; each level of unevenness moves it once more (at most
 * 16). Many events at one time cannot be split: they all sit in the heap, at
 * the O(log n) a plain heap costs.
 *
 * Limits: phase < EVQ_PHASES (a BUG otherwise); 2^48 pushes and reschedules
 * per queue; about 2^31 pending events; a stale handle could alias a new
 * event only after 2^31 reuses of the same slot.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

typedef uint64_t evid;

/* Phases are small constants naming what runs first at one instant. */
#define EVQ_PHASES 65536

struct event {
    simtime time;
    uint32_t phase; /* smaller runs first at equal time */
    uint32_t kind;  /* index into the engine's dispatch table */
    uint64_t seq;
    uint64_t arg; /* caller data, typically an entity handle */
    evid id;
};

struct evq;

/* Default size of the heap: with its slots, it fits in a 1 MB L2 cache. */
#define EVQ_NEAR_DEFAULT 16384

/* evq_new_sized(EVQ_NEAR_DEFAULT). */
struct evq *evq_new(void);
/*
 * A queue whose heap holds up to about near events (at least 16) before the
 * later ones move to the far tier, which then works in buckets of about
 * near / 16. Smaller keeps the heap in faster caches but moves events between
 * tiers more often. Only speed depends on it, never the order of events.
 */
struct evq *evq_new_sized(size_t near);
void evq_free(struct evq *q);

evid evq_push(struct evq *q, simtime time, uint32_t phase, uint32_t kind, uint64_t arg);
/* Removes the earliest event into *out. Returns 0 when the queue is empty, 1 otherwise. */
int evq_pop(struct evq *q, struct event *out);
/*
 * Copies the earliest event without removing it. 0 when empty. Not const: if
 * the heap is empty it first moves the earliest far events into it, which
 * changes nothing observable but is a write.
 */
int evq_peek(struct evq *q, struct event *out);
/* Removes a pending event. 0, or -1 when id is not pending (ran, cancelled, bogus). */
int evq_cancel(struct evq *q, evid id);
/* Moves a pending event to a new time with a fresh seq (runs after events already at that time and
 * phase). 0 or -1. */
int evq_reschedule(struct evq *q, evid id, simtime time);
/*
 * For the engine's periodic events, which keep their handle across runs:
 * evq_take removes the earliest event like evq_pop but keeps its slot, so its
 * id stays reserved (not pending: cancel and reschedule return -1) until
 * evq_requeue puts the taken event ev back at time under the same id, with its
 * phase, kind and arg and a fresh seq, or evq_release frees it (the id then
 * goes stale). Both return 0, or -1 when the id is not a taken event.
 */
int evq_take(struct evq *q, struct event *out);
int evq_requeue(struct evq *q, const struct event *ev, simtime time);
int evq_release(struct evq *q, evid id);
/* Whether id is pending. */
int evq_pending(const struct evq *q, evid id);
/* Pending events, in both tiers. */
size_t evq_len(const struct evq *q);

/* How the pending events are split between the tiers, for tests and diagnostics. */
struct evq_stats {
    size_t near;     /* in the heap */
    size_t far;      /* in the far tier */
    int has_horizon; /* 0 while the queue is a plain heap: everything is near */
    simtime horizon; /* H: near events are before it, far ones at or after it; else NEVER */
    unsigned rungs;  /* bucket levels between the heap and top */
};
void evq_stats(const struct evq *q, struct evq_stats *out);

#endif
