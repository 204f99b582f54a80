/*
 * Model test of the scheduler's same-cycle failure memo (scheduler.h): random
 * small clusters and workloads run twice, once answering an owner's later
 * attempts in a cycle from its earlier failure and once asking the policy for
 * every attempt (the reference). The event streams - every binding, first
 * failure, eviction, with its time - and the attempt counts must be
 * identical; the memo must save policy calls. Each seed also draws the queue
 * configuration: PopFromBackoffQ on or off, `decreasing`, and backoff
 * durations, so the backoff and flush paths are exercised both ways.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/placement/placement.h"
#include "sim/control/scheduler.h"
#include "sim/control/simulation.h"

/* first-fit, counting its calls. */
static uint64_t place_calls;
static struct placement_ops counting_ops;

static int32_t counting_place(void *state, const struct cluster *c, int32_t pod)
{
    place_calls++;
    return placement_find("first-fit")->place(state, c, pod);
}

struct log {
    struct simulation *sim;
    char *text;
    size_t len, cap;
    size_t events;
};

static void on_event(void *ctx, const struct simevent *ev)
{
    struct log *l = ctx;
    char line[256];
    char pod[64] = "-";
    if (ev->pod >= 0)
        cluster_pod_name(l->sim->cluster, ev->pod, pod, sizeof pod);
    /*
     * Retries are counted (the attempt totals must match) but not logged: a
     * cluster event fails the pods that fit nowhere at once, in queue order,
     * where the reference fails them during the cycle, in pop order. First
     * failures are never failed that way and must come in the same order.
     */
    if (ev->type == SIMEV_UNSCHEDULABLE && ev->attempt > 1)
        return;
    int n = snprintf(line, sizeof line, "%lld %d %s %d %lld %u %s\n", (long long)ev->time, ev->type,
                     pod, ev->node, (long long)ev->to, ev->attempt, ev->message ? ev->message : "");
    if (l->len + (size_t)n + 1 > l->cap) {
        l->cap = (l->len + (size_t)n + 1) * 2;
        l->text = realloc(l->text, l->cap);
    }
    memcpy(l->text + l->len, line, (size_t)n + 1);
    l->len += (size_t)n;
    l->events++;
}

static struct resources res(int64_t cpu, int64_t mem_gib, int64_t pods)
{
    struct resources r;
    res_zero(&r);
    r.v[RES_CPU] = cpu;
    r.v[RES_MEMORY] = mem_gib << 30;
    r.v[RES_PODS] = pods;
    return r;
}

/* Builds and runs one random scenario drawn from seed; returns its event log. */
static struct log run(unsigned long seed, int reference, uint64_t *failed, uint64_t *attempts)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    struct log l = {0};
    struct sim_observer obs = {on_event, NULL, &l};
    counting_ops = *placement_find("first-fit");
    counting_ops.place = counting_place;
    struct simulation *sim =
        simulation_new(seed, &counting_ops, (simtime)gsl_rng_uniform_int(r, 3) * SIMTIME_S, &obs);
    l.sim = sim;
    scheduler_set_reference(sim->sched, reference);
    struct scheduler_config cfg;
    scheduler_config_default(&cfg);
    cfg.pop_from_backoffq = (int)gsl_rng_uniform_int(r, 2);
    cfg.decreasing = (int)gsl_rng_uniform_int(r, 2);
    cfg.initial_backoff = (simtime)(1 + gsl_rng_uniform_int(r, 3)) * SIMTIME_S;
    cfg.max_backoff = cfg.initial_backoff * (simtime)(1 + gsl_rng_uniform_int(r, 20));
    scheduler_configure(sim->sched, &cfg);
    struct labelset labels;
    labelset_init(&labels);
    int npools = 1 + (int)gsl_rng_uniform_int(r, 3);
    for (int p = 0; p < npools; p++) {
        struct resources a =
            res(1000 * (1 + (int64_t)gsl_rng_uniform_int(r, 8)),
                1 + (int64_t)gsl_rng_uniform_int(r, 16), 2 + (int64_t)gsl_rng_uniform_int(r, 10));
        char name[16];
        snprintf(name, sizeof name, "p%d", p);
        simulation_add_pool(sim, name, &a, &labels, NULL, 0);
        simulation_grow_pool(sim, p, 1 + (int64_t)gsl_rng_uniform_int(r, 4));
    }
    int nowners = 1 + (int)gsl_rng_uniform_int(r, 5);
    for (int o = 0; o < nowners; o++) {
        struct podspec ps;
        podspec_init(&ps);
        ps.req = res(250 * (1 + (int64_t)gsl_rng_uniform_int(r, 12)),
                     (int64_t)gsl_rng_uniform_int(r, 4), 1);
        ps.priority = (int32_t)gsl_rng_uniform_int(r, 3);
        char name[16];
        snprintf(name, sizeof name, "o%d", o);
        if (gsl_rng_uniform(r) < 0.5) {
            int32_t d =
                simulation_add_deployment(sim, name, &ps, (int64_t)gsl_rng_uniform_int(r, 12));
            for (int k = 0; k < 3; k++)
                simulation_at_scale(sim, (simtime)gsl_rng_uniform_int(r, 3600) * SIMTIME_S, d,
                                    (int64_t)gsl_rng_uniform_int(r, 20));
        } else {
            struct batch_params bp = {
                .process = gsl_rng_uniform(r) < 0.5 ? BATCH_POISSON : BATCH_UNIFORM,
                .rate_per_min = 0.5 + 4 * gsl_rng_uniform(r),
                .start = 0,
                .stop = SIMTIME_NEVER,
                .limit = -1,
                .dist = BATCH_DIST_EXPONENTIAL,
                .location = (simtime)(60 + gsl_rng_uniform_int(r, 600)) * SIMTIME_S};
            simulation_add_batch(sim, name, &ps, &bp);
        }
    }
    for (int k = 0; k < 4; k++) {
        int64_t delta = gsl_rng_uniform(r) < 0.5 ? -1 : 1 + (int64_t)gsl_rng_uniform_int(r, 2);
        simulation_at_nodes(sim, (simtime)gsl_rng_uniform_int(r, 3600) * SIMTIME_S,
                            (int32_t)gsl_rng_uniform_int(r, (unsigned long)npools), delta);
    }
    simulation_start(sim);
    engine_run(sim->engine, 2 * SIMTIME_HOUR);
    char err[256];
    if (cluster_check(sim->cluster, err, sizeof err))
        fail_msg("seed %lu: %s", seed, err);
    *failed = scheduler_failed_attempts(sim->sched);
    *attempts = scheduler_attempts(sim->sched);
    simulation_free(sim);
    labelset_release(&labels);
    gsl_rng_free(r);
    return l;
}

static void test_memo_equals_reference(void **state)
{
    (void)state;
    uint64_t fewer = 0, total_events = 0, total_failed = 0;
    for (unsigned long seed = 1; seed <= 300; seed++) {
        uint64_t failed_memo, failed_ref, att_memo, att_ref;
        place_calls = 0;
        struct log a = run(seed, 0, &failed_memo, &att_memo);
        uint64_t calls_memo = place_calls;
        place_calls = 0;
        struct log b = run(seed, 1, &failed_ref, &att_ref);
        uint64_t calls_ref = place_calls;
        if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0) {
            size_t i = 0;
            while (i < a.len && i < b.len && a.text[i] == b.text[i])
                i++;
            while (i > 0 && a.text[i - 1] != '\n')
                i--;
            fail_msg("seed %lu: event streams differ at:\n memo:      %.120s\n reference: %.120s",
                     seed, a.text + i, b.text + i);
        }
        assert_int_equal(failed_memo, failed_ref);
        assert_int_equal(att_memo, att_ref);
        assert_int_equal(calls_ref, att_ref);
        assert_true(calls_memo <= calls_ref);
        fewer += calls_ref - calls_memo;
        total_failed += failed_ref;
        total_events += a.events;
        free(a.text);
        free(b.text);
    }
    /* The test only means something if the random runs park and retry pods. */
    assert_true(fewer > 1000);
    assert_true(total_failed > 1000);
    assert_true(total_events > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_equals_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
