#ifndef KSIM_ENGINE_EVQ_H
#define KSIM_ENGINE_EVQ_H
/*
 * The event queue: an indexed binary min-heap of events ordered by
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
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

typedef uint64_t evid;

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
/* Moves a pending event to a new time with a fresh seq (runs after events already at that time and phase). 0 or -1. */
int evq_reschedule(struct evq *q, evid id, simtime time);
/* Whether id is pending. */
int evq_pending(const struct evq *q, evid id);
size_t evq_len(const struct evq *q);

#endif
