#include "sim/engine/engine.h"

#include <stdlib.h>

#include "sim/base/xalloc.h"

struct handler {
    engine_fn fn;
    void *ctx;
};

struct engine {
    struct evq *q;
    simtime now;
    uint64_t events;
    int stopped;
    /*
     * The event whose handler is running (0 when none). It is out of the
     * queue but keeps its slot (evq_take), so that a periodic event can be
     * put back under the same handle; cancelling it meanwhile only records
     * that it must not be.
     */
    evid running;
    int running_cancelled;
    struct handler table[ENGINE_MAX_KINDS];
};

struct engine *engine_new(void)
{
    struct engine *e = xcalloc(1, sizeof *e);
    e->q = evq_new();
    return e;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    evq_free(e->q);
    free(e);
}

void engine_on(struct engine *e, uint32_t kind, engine_fn fn, void *ctx)
{
    if (kind >= ENGINE_MAX_KINDS)
        BUG("event kind out of range");
    e->table[kind].fn = fn;
    e->table[kind].ctx = ctx;
}

evid engine_at(struct engine *e, simtime t, uint32_t phase, uint32_t kind, uint64_t arg)
{
    if (t < e->now)
        BUG("event scheduled in the past");
    if (kind >= ENGINE_MAX_KINDS)
        BUG("event kind out of range");
    return evq_push(e->q, t, phase, kind, arg);
}

/* now + delay; a negative delay or one past the end of time is a caller bug. */
static simtime later(const struct engine *e, simtime delay)
{
    if (delay < 0)
        BUG("negative delay");
    if (delay > SIMTIME_NEVER - e->now)
        BUG("event time overflows");
    return e->now + delay;
}

evid engine_after(struct engine *e, simtime delay, uint32_t phase, uint32_t kind, uint64_t arg)
{
    return engine_at(e, later(e, delay), phase, kind, arg);
}

int engine_cancel(struct engine *e, evid id)
{
    /* Lets a periodic event be stopped from inside its own handler, or from one it calls. */
    if (id != 0 && id == e->running) {
        if (e->running_cancelled)
            return -1;
        e->running_cancelled = 1;
        return 0;
    }
    return evq_cancel(e->q, id);
}

int engine_reschedule(struct engine *e, evid id, simtime t)
{
    if (t < e->now)
        BUG("event rescheduled into the past");
    return evq_reschedule(e->q, id, t);
}

int engine_pending(const struct engine *e, evid id)
{
    return evq_pending(e->q, id);
}

simtime engine_now(const struct engine *e)
{
    return e->now;
}

uint64_t engine_events(const struct engine *e)
{
    return e->events;
}

size_t engine_queued(const struct engine *e)
{
    return evq_len(e->q);
}

int engine_step(struct engine *e, simtime until)
{
    struct event ev;

    if (e->running)
        BUG("engine_step called from an event handler");
    if (!evq_peek(e->q, &ev) || ev.time > until)
        return 0;
    evq_take(e->q, &ev);
    const struct handler *h = &e->table[ev.kind];
    if (!h->fn)
        BUG("no handler registered for event kind");
    e->now = ev.time;
    e->running = ev.id;
    e->running_cancelled = 0;
    simtime next = h->fn(e, &ev, h->ctx);
    e->running = 0;
    e->events++;
    if (next == ENGINE_DONE || e->running_cancelled)
        evq_release(e->q, ev.id);
    else
        evq_requeue(e->q, &ev, later(e, next));
    return 1;
}

uint64_t engine_run(struct engine *e, simtime until)
{
    uint64_t n = 0;

    e->stopped = 0;
    while (!e->stopped && engine_step(e, until))
        n++;
    /* The clock never goes back, even for a run to a time already passed. */
    if (!e->stopped && until > e->now)
        e->now = until;
    return n;
}

void engine_stop(struct engine *e)
{
    e->stopped = 1;
}
