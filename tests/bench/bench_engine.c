/*
 * Event queue and engine throughput. Not a test: scripts/bench runs it.
 *
 * The queue is measured with the classic hold model (Vaucher & Duval 1975):
 * fill the queue, then repeatedly pop the earliest event and push one at now
 * plus a random delay, so the size stays constant while the clock advances,
 * as in a simulation in steady state. Delays are exponential with a mean of
 * one second, in microseconds, which puts many events at equal times and so
 * exercises the (phase, seq) tie-breaks too. The delays are drawn beforehand
 * so the figures are the queue's, not the random number generator's.
 *
 * Each figure is the best of REPEATS runs (other processes only ever make a
 * run slower). Output: one "name value" line per figure, then a human line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/engine/engine.h"
#include "sim/engine/evq.h"

#define NDELAYS 4096 /* a power of two, small enough to stay in L1 */
#define REPEATS 3

static simtime delays[NDELAYS];

static void make_delays(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    for (int i = 0; i < NDELAYS; i++)
        delays[i] = (simtime)gsl_ran_exponential(r, 1e6);
    gsl_rng_free(r);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t checksum; /* keeps the compiler from dropping the work */

/* Events per second of pop + push in a queue holding `pending` events. */
static double hold(size_t pending, uint64_t ops)
{
    struct evq *q = evq_new();
    size_t d = 0;
    for (size_t i = 0; i < pending; i++)
        evq_push(q, delays[d++ % NDELAYS], (uint32_t)(i % 4), 0, i);

    double t0 = now_s();
    struct event ev;
    for (uint64_t i = 0; i < ops; i++) {
        evq_pop(q, &ev);
        evq_push(q, ev.time + delays[d++ % NDELAYS], ev.phase, ev.kind, ev.arg);
    }
    double t = now_s() - t0;
    checksum += (uint64_t)ev.time;
    evq_free(q);
    return (double)ops / t;
}

struct budget {
    uint64_t left;
    size_t d;
};

/* A periodic event that does nothing but pick its next delay. */
static simtime tick(struct engine *e, const struct event *ev, void *ctx)
{
    struct budget *b = ctx;
    (void)ev;
    if (--b->left == 0)
        engine_stop(e);
    return delays[b->d++ % NDELAYS];
}

/* A one-shot event that schedules its successor. */
static simtime chain(struct engine *e, const struct event *ev, void *ctx)
{
    struct budget *b = ctx;
    if (--b->left == 0)
        engine_stop(e);
    engine_after(e, delays[b->d++ % NDELAYS], ev->phase, ev->kind, ev->arg);
    return ENGINE_DONE;
}

/* Events per second through engine_run, with `pending` events queued. */
static double dispatch(size_t pending, uint64_t ops, engine_fn fn)
{
    struct engine *e = engine_new();
    struct budget b = {.left = ops};
    engine_on(e, 0, fn, &b);
    for (size_t i = 0; i < pending; i++)
        engine_at(e, delays[b.d++ % NDELAYS], (uint32_t)(i % 4), 0, i);

    double t0 = now_s();
    uint64_t n = engine_run(e, SIMTIME_NEVER);
    double t = now_s() - t0;
    if (n != ops) {
        fprintf(stderr, "bench_engine: ran %llu events, expected %llu\n", (unsigned long long)n,
                (unsigned long long)ops);
        exit(1);
    }
    checksum += (uint64_t)engine_now(e);
    engine_free(e);
    return (double)ops / t;
}

static void report(const char *name, const char *what, double per_s)
{
    printf("%s %.3g\n", name, per_s);
    printf("# %s: %.1fM events/s, %.1f ns per event\n", what, per_s / 1e6, 1e9 / per_s);
    fflush(stdout);
}

static double best_hold(size_t pending, uint64_t ops)
{
    double best = 0;
    for (int i = 0; i < REPEATS; i++) {
        double x = hold(pending, ops);
        best = x > best ? x : best;
    }
    return best;
}

static double best_dispatch(size_t pending, uint64_t ops, engine_fn fn)
{
    double best = 0;
    for (int i = 0; i < REPEATS; i++) {
        double x = dispatch(pending, ops, fn);
        best = x > best ? x : best;
    }
    return best;
}

int main(void)
{
    make_delays();
    report("engine.hold_1M_events_per_s", "evq hold model, 1M pending, 10M pop+push",
           best_hold(1000000, 10000000));
    /* Smaller queues show where the heap drops out of the caches. */
    report("engine.hold_100k_events_per_s", "evq hold model, 100k pending, 10M pop+push",
           best_hold(100000, 10000000));
    report("engine.hold_10k_events_per_s", "evq hold model, 10k pending, 10M pop+push",
           best_hold(10000, 10000000));
    report("engine.hold_1k_events_per_s", "evq hold model, 1k pending, 10M pop+push",
           best_hold(1000, 10000000));
    report("engine.dispatch_1M_events_per_s",
           "engine_run, periodic no-op handler, 1M pending, 10M events",
           best_dispatch(1000000, 10000000, tick));
    report("engine.dispatch_1k_events_per_s",
           "engine_run, periodic no-op handler, 1k pending, 10M events",
           best_dispatch(1000, 10000000, tick));
    report("engine.dispatch_oneshot_1M_events_per_s",
           "engine_run, one-shot handler scheduling its successor, 1M pending, 10M events",
           best_dispatch(1000000, 10000000, chain));
    fprintf(stderr, "checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
