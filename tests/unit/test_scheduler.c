/*
 * The scheduling queue (sim/control/scheduler.h) by worked examples, each
 * time computed by hand from pkg/scheduler/backend/queue/backoff_queue.go and
 * scheduling_queue.go (v1.35): backoff 1, 2, 4, 8, 10, 10 s between attempts
 * when a cluster event keeps arriving, PopFromBackoffQ retrying at once, the
 * 5-minute unschedulable flush on the 30 s tick, scheduling gates, and the
 * `decreasing` order.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/control/scheduler.h"
#include "sim/control/simulation.h"

/* A test-only engine kind: a cluster event that could help, every 100 ms. */
#define KIND_POKE 40

static simtime on_poke(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    (void)ev;
    scheduler_capacity_changed(ctx);
    return 100 * SIMTIME_MS;
}

struct names {
    struct simulation *sim;
    char text[512];
};

/* Records "pod@t" for every binding, in order. */
static void on_event(void *ctx, const struct simevent *ev)
{
    struct names *nm = ctx;
    if (ev->type != SIMEV_SCHEDULED)
        return;
    char pod[64];
    cluster_pod_name(nm->sim->cluster, ev->pod, pod, sizeof pod);
    size_t len = strlen(nm->text);
    snprintf(nm->text + len, sizeof nm->text - len, "%s%s@%g", len ? " " : "", pod,
             simtime_seconds(ev->time));
}

static struct simulation *one_node(struct names *nm, int64_t node_milli,
                                   const struct scheduler_config *cfg)
{
    memset(nm, 0, sizeof *nm);
    struct sim_observer obs = {on_event, NULL, nm};
    struct simulation *sim = simulation_new(7, placement_find("first-fit"), 0, &obs);
    nm->sim = sim;
    if (cfg)
        scheduler_configure(sim->sched, cfg);
    struct labelset none;
    labelset_init(&none);
    struct resources alloc;
    res_zero(&alloc);
    alloc.v[RES_CPU] = node_milli;
    alloc.v[RES_MEMORY] = 1LL << 30;
    alloc.v[RES_PODS] = 110;
    simulation_add_node(sim, "n0", &alloc, &none, NULL, 0, 0);
    return sim;
}

static int32_t deployment(struct simulation *sim, const char *name, int64_t milli, int64_t replicas,
                          int gated)
{
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = milli;
    ps.gated = gated;
    return simulation_add_deployment(sim, name, &ps, replicas);
}

/* Runs until `until`, writing the instant (in seconds) of every scheduling attempt to times. */
static int attempt_times(struct simulation *sim, simtime until, double *times, int max)
{
    int n = 0;
    uint64_t seen = 0;
    while (engine_step(sim->engine, until)) {
        uint64_t a = scheduler_attempts(sim->sched);
        for (; seen < a; seen++)
            if (n < max)
                times[n++] = simtime_seconds(engine_now(sim->engine));
    }
    return n;
}

static void expect_times(const double *got, int n, const double *want, int nwant)
{
    for (int i = 0; i < n || i < nwant; i++) {
        if (i >= n || i >= nwant || got[i] != want[i]) {
            for (int k = 0; k < n; k++)
                print_message("  attempt %d at %g s\n", k, got[k]);
            fail_msg("attempt %d: want %g s, got %g s", i, i < nwant ? want[i] : -1.0,
                     i < n ? got[i] : -1.0);
        }
    }
}

/*
 * A pod that never fits, with a cluster event every 100 ms and
 * PopFromBackoffQ off: each event moves it from unschedulablePods to backoffQ
 * (it is still backing off), and the 1 s flush moves it to activeQ once
 * expiry = last failure + backoff has passed. Failures 1..6 give backoffs
 * 1, 2, 4, 8, 10, 10 s: attempts at 0, 1, 3, 7, 15, 25, 35 s.
 */
static void test_backoff_doubles_to_max(void **state)
{
    (void)state;
    struct scheduler_config cfg;
    scheduler_config_default(&cfg);
    cfg.pop_from_backoffq = 0;
    struct names nm;
    struct simulation *sim = one_node(&nm, 1000, &cfg);
    deployment(sim, "big", 2000, 1, 0);
    engine_on(sim->engine, KIND_POKE, on_poke, sim->sched);
    engine_at(sim->engine, 100 * SIMTIME_MS, SIM_PHASE_CONTROL, KIND_POKE, 0);
    simulation_start(sim);
    double t[16];
    int n = attempt_times(sim, 36 * SIMTIME_S, t, 16);
    static const double want[] = {0, 1, 3, 7, 15, 25, 35};
    expect_times(t, n, want, 7);
    assert_int_equal(scheduler_failed_attempts(sim->sched), 7);
    assert_int_equal(scheduler_pending(sim->sched), 1);
    simulation_free(sim);
}

/*
 * The same with the configured bounds 2 s and 5 s
 * (podInitialBackoffSeconds, podMaxBackoffSeconds): backoffs 2, 4, 5, 5.
 */
static void test_backoff_configured(void **state)
{
    (void)state;
    struct scheduler_config cfg;
    scheduler_config_default(&cfg);
    cfg.pop_from_backoffq = 0;
    cfg.initial_backoff = 2 * SIMTIME_S;
    cfg.max_backoff = 5 * SIMTIME_S;
    struct names nm;
    struct simulation *sim = one_node(&nm, 1000, &cfg);
    deployment(sim, "big", 2000, 1, 0);
    engine_on(sim->engine, KIND_POKE, on_poke, sim->sched);
    engine_at(sim->engine, 100 * SIMTIME_MS, SIM_PHASE_CONTROL, KIND_POKE, 0);
    simulation_start(sim);
    double t[16];
    int n = attempt_times(sim, 17 * SIMTIME_S, t, 16);
    static const double want[] = {0, 2, 6, 11, 16};
    expect_times(t, n, want, 5);
    simulation_free(sim);
}

/*
 * PopFromBackoffQ (the default): the scheduler is idle as soon as activeQ is
 * empty, so every event's move to backoffQ is followed by an attempt at that
 * instant, backoff or not.
 */
static void test_pop_from_backoffq(void **state)
{
    (void)state;
    struct names nm;
    struct simulation *sim = one_node(&nm, 1000, NULL);
    deployment(sim, "big", 2000, 1, 0);
    engine_on(sim->engine, KIND_POKE, on_poke, sim->sched);
    engine_at(sim->engine, 100 * SIMTIME_MS, SIM_PHASE_CONTROL, KIND_POKE, 0);
    simulation_start(sim);
    double t[16];
    int n = attempt_times(sim, 450 * SIMTIME_MS, t, 16);
    static const double want[] = {0, 0.1, 0.2, 0.3, 0.4};
    expect_times(t, n, want, 5);
    simulation_free(sim);
}

/*
 * No cluster event at all: the pod leaves unschedulablePods only through
 * flushUnschedulablePodsLeftover, which runs every 30 s and takes pods that
 * failed more than 5 min ago. Failure at 0: 300 s is not more than 5 min,
 * so the 330 s tick; failure at 330: the 660 s tick.
 */
static void test_unschedulable_flush_after_5_minutes(void **state)
{
    (void)state;
    struct names nm;
    struct simulation *sim = one_node(&nm, 1000, NULL);
    deployment(sim, "big", 2000, 1, 0);
    simulation_start(sim);
    double t[16];
    int n = attempt_times(sim, 700 * SIMTIME_S, t, 16);
    static const double want[] = {0, 330, 660};
    expect_times(t, n, want, 3);
    simulation_free(sim);
}

/*
 * A gated deployment's pods wait outside the queues (no attempt, no
 * FitError) until its ungate event at 10 s; pods created while it is gated
 * wait too, and both bind at 10 s in arrival order.
 */
static void test_scheduling_gates(void **state)
{
    (void)state;
    struct names nm;
    struct simulation *sim = one_node(&nm, 4000, NULL);
    int32_t web = deployment(sim, "web", 1000, 1, 1);
    deployment(sim, "free", 1000, 1, 0);
    simulation_at_scale(sim, 5 * SIMTIME_S, web, 2);
    simulation_at_ungate(sim, 10 * SIMTIME_S, web);
    simulation_start(sim);
    engine_run(sim->engine, 9 * SIMTIME_S);
    assert_int_equal(scheduler_pending(sim->sched), 2);
    assert_int_equal(scheduler_attempts(sim->sched), 1);
    engine_run(sim->engine, 20 * SIMTIME_S);
    assert_string_equal(nm.text, "free-0@0 web-0@10 web-1@10");
    assert_int_equal(scheduler_pending(sim->sched), 0);
    simulation_free(sim);
}

/*
 * Three pods arriving at 0 on one 4-core node, in the order a (1 core),
 * b (3 cores), c (2 cores). In arrival order first-fit binds a and b and c
 * fails; `decreasing` tries b (3/4 of the cluster's cpu), then c (fails),
 * then a.
 */
static void run_three(int decreasing, char *out, size_t len)
{
    struct scheduler_config cfg;
    scheduler_config_default(&cfg);
    cfg.decreasing = decreasing;
    struct names nm;
    struct simulation *sim = one_node(&nm, 4000, &cfg);
    deployment(sim, "a", 1000, 1, 0);
    deployment(sim, "b", 3000, 1, 0);
    deployment(sim, "c", 2000, 1, 0);
    simulation_start(sim);
    engine_run(sim->engine, SIMTIME_S);
    snprintf(out, len, "%s", nm.text);
    simulation_free(sim);
}

static void test_decreasing(void **state)
{
    (void)state;
    char text[512];
    run_three(0, text, sizeof text);
    assert_string_equal(text, "a-0@0 b-0@0");
    run_three(1, text, sizeof text);
    assert_string_equal(text, "b-0@0 a-0@0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_doubles_to_max),
        cmocka_unit_test(test_backoff_configured),
        cmocka_unit_test(test_pop_from_backoffq),
        cmocka_unit_test(test_unschedulable_flush_after_5_minutes),
        cmocka_unit_test(test_scheduling_gates),
        cmocka_unit_test(test_decreasing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
