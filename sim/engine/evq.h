#ifndef KSIM_ENGINE_EVQ_H
#define KSIM_ENGINE_EVQ_H
/*
 * The event queue: an indexed min-heap of events ordered by
 * (time, phase, seq). seq is assigned at push (and at reschedule) from a
 * counter, so events at the same time and phase run in the order they were
 * scheduled: ties are stable and the order never depends on memory layout.
 *
 * Each event lives in a slot from a pool; the heap stores slot numbers and
 * each slot remembers its heap position, which makes cancel and reschedule
 * O(log n). A handle packs slot and generation, so a handle to an event that
 * already ran or was cancelled is detected (evq_cancel returns -1) instead of
 * touching a reused slot. Handle 0 is never issued.
 *
 *   operation      cost
 *   push           O(log n)
 *   pop / peek     O(log n) / O(1)
 *   cancel         O(log n)
 *   reschedule     O(log n)
 *   memory         ~40 bytes per pending event; slots are reused
 *
 * The heap is 4-ary rather than binary (half the depth, and a node's four
 * children share one aligned pair of cache lines); evq.c explains the layout.
 * Limits: phase < EVQ_PHASES (a BUG otherwise); 2^48 pushes and reschedules
 * per queue; a stale handle could alias a new event only after 2^31 reuses of
 * the same slot.
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

struct evq *evq_new(void);
void evq_free(struct evq *q);

evid evq_push(struct evq *q, simtime time, uint32_t phase, uint32_t kind, uint64_t arg);
/* Removes the earliest event into *out. Returns 0 when the queue is empty, 1 otherwise. */
int evq_pop(struct evq *q, struct event *out);
/* Copies the earliest event without removing it. 0 when empty. */
int evq_peek(const struct evq *q, struct event *out);
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
size_t evq_len(const struct evq *q);

#endif
