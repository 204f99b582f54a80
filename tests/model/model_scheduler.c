/*
 * Model test of the scheduler's head-first retry (scheduler.h): random small
 * clusters and workloads run twice, once retrying each owner's oldest parked
 * pod and once retrying every parked pod (the reference). The event streams -
 * every binding, first failure, eviction, with its time - must be identical.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/placement/placement.h"
#include "sim/control/scheduler.h"
#include "sim/control/simulation.h"

struct log {
    struct simulation *sim;
    char *text;
    size_t len, cap;
    size_t events;
};

static void on_event(void *ctx, const struct simevent *ev)
{
    struct log *l = ctx;
    /* Retries differ between the two modes by design; what is logged (first failures) must not. */
    if (ev->type == SIMEV_UNSCHEDULABLE && ev->attempt > 1)
        return;
    char line[256];
    char pod[64] = "-";
    if (ev->pod >= 0)
        cluster_pod_name(l->sim->cluster, ev->pod, pod, sizeof pod);
    int n = snprintf(line, sizeof line, "%lld %d %s %d %lld %s\n", (long long)ev->time, ev->type,
                     pod, ev->node, (long long)ev->to, ev->message ? ev->message : "");
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
static struct log run(unsigned long seed, int retry_all, uint64_t *failed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    struct log l = {0};
    struct sim_observer obs = {on_event, NULL, &l};
    struct simulation *sim = simulation_new(seed, placement_find("first-fit"),
                                            (simtime)gsl_rng_uniform_int(r, 3) * SIMTIME_S, &obs);
    l.sim = sim;
    scheduler_set_retry_all(sim->sched, retry_all);
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
    simulation_free(sim);
    labelset_release(&labels);
    gsl_rng_free(r);
    return l;
}

static void test_head_first_equals_retry_all(void **state)
{
    (void)state;
    uint64_t fewer = 0, total_events = 0;
    for (unsigned long seed = 1; seed <= 300; seed++) {
        uint64_t failed_head, failed_all;
        struct log a = run(seed, 0, &failed_head);
        struct log b = run(seed, 1, &failed_all);
        if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0) {
            size_t i = 0;
            while (i < a.len && i < b.len && a.text[i] == b.text[i])
                i++;
            while (i > 0 && a.text[i - 1] != '\n')
                i--;
            fail_msg("seed %lu: event streams differ at:\n head-first: %.120s\n retry-all:  %.120s",
                     seed, a.text + i, b.text + i);
        }
        assert_true(failed_head <= failed_all);
        fewer += failed_all - failed_head;
        total_events += a.events;
        free(a.text);
        free(b.text);
    }
    /* The test only means something if the random runs park and retry pods. */
    assert_true(fewer > 0);
    assert_true(total_events > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_first_equals_retry_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
