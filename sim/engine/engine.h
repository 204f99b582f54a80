#ifndef KSIM_ENGINE_ENGINE_H
#define KSIM_ENGINE_ENGINE_H
/*
 * The discrete-event engine: a virtual clock, the event queue and a dispatch
 * table from event kind to handler. It knows nothing about Kubernetes.
 *
 * A handler returns the delay until it should run again (periodic work, as
 * in Redis' ae time events), or ENGINE_DONE for a one-shot event. A periodic
 * event keeps its handle across repetitions, so it can be cancelled.
 *
 * While its handler runs, an event is out of the queue: engine_pending is 0
 * and engine_reschedule returns -1 (the return value says when it runs next),
 * but engine_cancel on it returns 0 and keeps a periodic event from being
 * queued again, so a controller can be stopped from anywhere. Scheduling in
 * the past, a negative delay or an event kind without a handler is a BUG().
 */
#include <stdint.h>

#include "sim/engine/evq.h"
#include "sim/engine/simtime.h"

#define ENGINE_DONE      ((simtime)-1)
#define ENGINE_MAX_KINDS 64

struct engine;
typedef simtime (*engine_fn)(struct engine *e, const struct event *ev, void *ctx);

struct engine *engine_new(void);
void engine_free(struct engine *e);

/* Registers the handler of an event kind (< ENGINE_MAX_KINDS). */
void engine_on(struct engine *e, uint32_t kind, engine_fn fn, void *ctx);

/* Schedules an event at absolute time t (>= now). */
evid engine_at(struct engine *e, simtime t, uint32_t phase, uint32_t kind, uint64_t arg);
/* Schedules an event delay after now. */
evid engine_after(struct engine *e, simtime delay, uint32_t phase, uint32_t kind, uint64_t arg);
int engine_cancel(struct engine *e, evid id);
int engine_reschedule(struct engine *e, evid id, simtime t);
int engine_pending(const struct engine *e, evid id);

simtime engine_now(const struct engine *e);
/* Events dispatched so far. */
uint64_t engine_events(const struct engine *e);
/* Events waiting in the queue. */
size_t engine_queued(const struct engine *e);

/*
 * Runs one event if the next one is at or before until: advances the clock,
 * dispatches, re-queues periodic events. Returns 1 if an event ran, 0 if the
 * queue is empty or the next event is after until (the clock then stays put).
 */
int engine_step(struct engine *e, simtime until);
/* Runs events until none is left at or before until, or engine_stop. Then sets now = until if
 * the run was not stopped. Returns the number of events run. */
uint64_t engine_run(struct engine *e, simtime until);
/* Makes engine_run return after the current event. */
void engine_stop(struct engine *e);

#endif
