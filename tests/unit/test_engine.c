#include "testutil.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/engine/engine.h"

/* What handlers saw, in order. */
struct log {
    int n;
    simtime at[64];
    uint32_t kind[64];
    uint32_t phase[64];
    uint64_t arg[64];
    evid id[64];
    size_t queued[64];
};

static void record(struct log *l, const struct engine *e, const struct event *ev)
{
    assert_true(l->n < 64);
    assert_int_equal(engine_now(e), ev->time);
    l->at[l->n] = ev->time;
    l->kind[l->n] = ev->kind;
    l->phase[l->n] = ev->phase;
    l->arg[l->n] = ev->arg;
    l->id[l->n] = ev->id;
    l->queued[l->n] = engine_queued(e);
    l->n++;
}

static simtime once(struct engine *e, const struct event *ev, void *ctx)
{
    record(ctx, e, ev);
    return ENGINE_DONE;
}

static simtime every_15s(struct engine *e, const struct event *ev, void *ctx)
{
    record(ctx, e, ev);
    return 15 * SIMTIME_S;
}

static void test_dispatch_by_kind(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log a = {0}, b = {0};
    engine_on(e, 0, once, &a);
    engine_on(e, 63, once, &b);
    engine_at(e, 30, 0, 63, 3);
    engine_at(e, 10, 0, 0, 1);
    engine_at(e, 20, 0, 63, 2);
    assert_int_equal(engine_queued(e), 3);
    assert_int_equal(engine_run(e, 100), 3);
    assert_int_equal(a.n, 1);
    assert_int_equal(a.at[0], 10);
    assert_int_equal(a.arg[0], 1);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.kind[0], 63);
    assert_int_equal(b.arg[0], 2);
    assert_int_equal(b.arg[1], 3);
    assert_int_equal(engine_events(e), 3);
    assert_int_equal(engine_queued(e), 0);
    engine_free(e);
}

/* Every 15s from t=0 through 60s is 0, 15, 30, 45 and 60: five runs, one handle. */
static void test_periodic(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 1, every_15s, &l);
    evid id = engine_at(e, 0, 0, 1, 7);
    assert_int_equal(engine_run(e, 60 * SIMTIME_S), 5);
    assert_int_equal(l.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(l.at[i], i * 15 * SIMTIME_S);
        assert_true(l.id[i] == id);
        assert_int_equal(l.arg[i], 7);
        assert_int_equal(l.queued[i], 0); /* a running event is not queued */
    }
    assert_int_equal(engine_now(e), 60 * SIMTIME_S);
    assert_int_equal(engine_pending(e, id), 1);
    assert_int_equal(engine_queued(e), 1);
    engine_free(e);
}

static void test_cancel_periodic(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 1, every_15s, &l);
    evid id = engine_at(e, 0, 0, 1, 0);
    assert_int_equal(engine_run(e, 30 * SIMTIME_S), 3);
    assert_int_equal(engine_cancel(e, id), 0);
    assert_int_equal(engine_pending(e, id), 0);
    assert_int_equal(engine_run(e, 120 * SIMTIME_S), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(engine_cancel(e, id), -1);
    engine_free(e);
}

struct selfstop {
    struct log log;
    evid id;
    int stop_after;
};

/* Cancels itself from inside its handler and still returns a delay: cancel wins. */
static simtime cancels_itself(struct engine *e, const struct event *ev, void *ctx)
{
    struct selfstop *s = ctx;
    record(&s->log, e, ev);
    assert_int_equal(engine_pending(e, ev->id), 0);
    assert_int_equal(engine_reschedule(e, ev->id, engine_now(e) + 1), -1);
    if (s->log.n == s->stop_after) {
        assert_int_equal(engine_cancel(e, s->id), 0);
        assert_int_equal(engine_cancel(e, s->id), -1);
    }
    return 10;
}

static void test_periodic_cancels_itself(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct selfstop s = {.stop_after = 4};
    engine_on(e, 2, cancels_itself, &s);
    s.id = engine_at(e, 5, 0, 2, 0);
    assert_int_equal(engine_run(e, 1000), 4);
    assert_int_equal(s.log.at[3], 35);
    assert_int_equal(engine_pending(e, s.id), 0);
    assert_int_equal(engine_queued(e), 0);
    engine_free(e);
}

static simtime three_times(struct engine *e, const struct event *ev, void *ctx)
{
    struct log *l = ctx;
    record(l, e, ev);
    return l->n < 3 ? 1 : ENGINE_DONE;
}

static void test_periodic_done(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 0, three_times, &l);
    evid id = engine_after(e, 100, 0, 0, 0);
    assert_int_equal(engine_run(e, SIMTIME_NEVER - 1), 3);
    assert_int_equal(l.at[2], 102);
    assert_int_equal(engine_pending(e, id), 0);
    assert_int_equal(engine_cancel(e, id), -1);
    engine_free(e);
}

static void test_run_until(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 0, once, &l);
    engine_at(e, 10, 0, 0, 0);
    engine_at(e, 20, 0, 0, 0);
    engine_at(e, 30, 0, 0, 0);
    assert_int_equal(engine_run(e, 20), 2); /* events at until run */
    assert_int_equal(engine_now(e), 20);
    assert_int_equal(engine_run(e, 25), 0);
    assert_int_equal(engine_now(e), 25); /* the clock moves to until even with nothing to do */
    assert_int_equal(engine_step(e, 29), 0);
    assert_int_equal(engine_now(e), 25); /* a step that runs nothing leaves it */
    assert_int_equal(engine_run(e, 5), 0);
    assert_int_equal(engine_now(e), 25); /* and it never goes back */
    assert_int_equal(engine_step(e, 30), 1);
    assert_int_equal(engine_now(e), 30);
    assert_int_equal(engine_step(e, 1000), 0);
    assert_int_equal(engine_run(e, 1000), 0);
    assert_int_equal(engine_now(e), 1000);
    assert_int_equal(engine_events(e), 3);

    /* engine_after counts from the advanced clock. */
    engine_after(e, 5, 0, 0, 0);
    assert_int_equal(engine_run(e, 2000), 1);
    assert_int_equal(l.at[3], 1005);
    engine_free(e);
}

static simtime stops_at_second(struct engine *e, const struct event *ev, void *ctx)
{
    struct log *l = ctx;
    record(l, e, ev);
    if (l->n == 2)
        engine_stop(e);
    return ENGINE_DONE;
}

static void test_stop(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 0, stops_at_second, &l);
    for (simtime t = 1; t <= 4; t++)
        engine_at(e, t * 10, 0, 0, 0);
    assert_int_equal(engine_run(e, 100), 2);
    assert_int_equal(engine_now(e), 20); /* a stopped run leaves the clock at the last event */
    assert_int_equal(engine_run(e, 100), 2);
    assert_int_equal(engine_now(e), 100);
    engine_free(e);
}

/* Schedules, from the phase-2 event, one at the same instant in phase 0 and one in phase 2. */
static simtime spawns(struct engine *e, const struct event *ev, void *ctx)
{
    record(ctx, e, ev);
    if (ev->arg == 20) {
        engine_after(e, 0, 0, 0, 21);
        engine_after(e, 0, 2, 0, 22);
    }
    return ENGINE_DONE;
}

static void test_same_instant_phases(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 0, spawns, &l);
    engine_at(e, 10, 2, 0, 20);
    engine_at(e, 10, 3, 0, 30);
    engine_at(e, 10, 1, 0, 10);
    engine_at(e, 10, 2, 0, 23);
    engine_at(e, 10, 0, 0, 0);
    assert_int_equal(engine_run(e, 10), 7);
    static const uint64_t want[] = {0, 10, 20, 21, 23, 22, 30};
    for (int i = 0; i < 7; i++)
        assert_int_equal(l.arg[i], want[i]);
    engine_free(e);
}

static simtime every_10(struct engine *e, const struct event *ev, void *ctx)
{
    record(ctx, e, ev);
    return 10;
}

/* Two periodic controllers due at the same instants keep their phase order every time. */
static void test_periodic_phases(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 0, every_10, &l);
    engine_at(e, 0, 5, 0, 5); /* scheduled first, but the later phase */
    engine_at(e, 0, 1, 0, 1);
    assert_int_equal(engine_run(e, 30), 8);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(l.at[i], i / 2 * 10);
        assert_int_equal(l.phase[i], i % 2 ? 5 : 1);
    }
    engine_free(e);
}

static void test_reschedule(void **state)
{
    (void)state;
    struct engine *e = engine_new();
    struct log l = {0};
    engine_on(e, 0, once, &l);
    evid a = engine_at(e, 10, 0, 0, 1);
    engine_at(e, 20, 0, 0, 2);
    assert_int_equal(engine_reschedule(e, a, 30), 0);
    assert_int_equal(engine_run(e, 100), 2);
    assert_int_equal(l.arg[0], 2);
    assert_int_equal(l.arg[1], 1);
    assert_int_equal(l.at[1], 30);
    assert_int_equal(engine_reschedule(e, a, 200), -1);
    engine_free(e);
}

/* Runs fn in a child and expects it to die of abort(): how BUG() ends. */
static void expect_bug(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr))
            _exit(3);
        fn();
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void schedule_in_past(void)
{
    struct engine *e = engine_new();
    engine_run(e, 100);
    engine_at(e, 99, 0, 0, 0);
}

static void negative_delay(void)
{
    struct engine *e = engine_new();
    engine_after(e, -1, 0, 0, 0);
}

static void kind_out_of_range(void)
{
    struct engine *e = engine_new();
    engine_at(e, 0, 0, ENGINE_MAX_KINDS, 0);
}

static void phase_out_of_range(void)
{
    struct engine *e = engine_new();
    engine_at(e, 0, EVQ_PHASES, 0, 0);
}

static void no_handler(void)
{
    struct engine *e = engine_new();
    engine_at(e, 0, 0, 3, 0);
    engine_run(e, 10);
}

static void test_bugs(void **state)
{
    (void)state;
    expect_bug(schedule_in_past);
    expect_bug(negative_delay);
    expect_bug(kind_out_of_range);
    expect_bug(phase_out_of_range);
    expect_bug(no_handler);
}

static void test_free_null_and_pending(void **state)
{
    (void)state;
    engine_free(NULL);
    struct engine *e = engine_new();
    engine_at(e, 5, 0, 0, 0);
    engine_free(e); /* pending events are dropped without leaks */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_by_kind),
        cmocka_unit_test(test_periodic),
        cmocka_unit_test(test_cancel_periodic),
        cmocka_unit_test(test_periodic_cancels_itself),
        cmocka_unit_test(test_periodic_done),
        cmocka_unit_test(test_run_until),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_same_instant_phases),
        cmocka_unit_test(test_periodic_phases),
        cmocka_unit_test(test_reschedule),
        cmocka_unit_test(test_bugs),
        cmocka_unit_test(test_free_null_and_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
