/*
 * sim/control/hpactl: what the metrics APIs report after a scrape is the
 * average of the simulated usage over the scrape window, as metrics-server
 * computes it (pkg/storage/types.go resourceUsage: the rate of the cumulative
 * counter between two points).
 *
 * The traffic is re-evaluated at every scrape and holds until the next one, so
 * the usage of every pod is constant over every scrape window, and the state
 * ksim publishes (the one set at the window's start) is that average. This
 * test pins it where it could break: the load changes inside a window, a pod
 * turns Ready inside a window, and the HPA reads a Pods metric (per-pod served
 * req/s, from the same scrape as CPU and memory). The expected samples come
 * from the run's other account of the same usage, the served-requests
 * integral of the traffic view over the window, split among the pods Ready
 * for it; reporting the state at the scrape instant instead would differ.
 */
#include "testutil.h"

#include <string.h>

#include "models/placement/placement.h"
#include "sim/control/hpactl.h"
#include "sim/control/simulation.h"

/* 100 req/s, 400 req/s from 37 s: a step inside the scrape window 30-45 s. */
static double rate(void *ctx, simtime t)
{
    (void)ctx;
    return t < 37 * SIMTIME_S ? 100 : 400;
}

static double served_at(const struct simulation *sim)
{
    struct hpactl_traffic_view v;
    hpactl_traffic_view(simulation_autoscaling(sim), 0, &v);
    return v.served_requests;
}

static int64_t pods_metric(const struct simulation *sim)
{
    struct hpactl_hpa_view v;
    hpactl_hpa_view(simulation_autoscaling(sim), 0, &v);
    assert_true(v.last->metrics[0].valid);
    assert_true(v.last->metrics[0].has_average_value);
    return v.last->metrics[0].average_value;
}

static void window_average(void **state)
{
    (void)state;
    struct sim_observer obs = {0};
    struct simulation *sim = simulation_new(1, placement_find("first-fit"), 7 * SIMTIME_S, &obs);
    struct labelset none;
    labelset_init(&none);
    struct resources alloc;
    res_zero(&alloc);
    alloc.v[RES_CPU] = 8000;
    alloc.v[RES_MEMORY] = 1LL << 34;
    alloc.v[RES_PODS] = 110;
    simulation_grow_pool(sim, simulation_add_pool(sim, "n", &alloc, &none, NULL, 0), 1);
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = 500;
    ps.req.v[RES_PODS] = 1;
    int32_t web = simulation_add_deployment(sim, "web", &ps, 2); /* bound at 0, Ready at 7 s */
    simulation_at_scale(sim, 33 * SIMTIME_S, web, 3);            /* bound at 33, Ready at 40 s */

    struct hpactl_traffic tr = {.owner = web, .rate = rate};
    usage_params_default(&tr.usage);
    tr.usage.concurrency = 100; /* capacity 1000 req/s per pod: nothing dropped */
    /* Target 50 req/s per pod; the tolerance below keeps every proposal at the current count,
     * so the syncs never change the pods. */
    struct hpa_metric_spec m = {.type = HPA_METRIC_PODS,
                                .name = "requests_per_second",
                                .target_type = HPA_TARGET_AVERAGE_VALUE,
                                .target_milli = 50000};
    static const enum hpactl_source src[] = {HPACTL_SRC_POD_RPS};
    struct hpactl_hpa h = {.name = "web", .owner = web, .sources = src};
    h.spec = (struct hpa_spec){
        .namespace_name = "default", .max_replicas = 3, .metrics = &m, .nmetrics = 1};
    struct hpactl_config cfg = {.sync_period = 15 * SIMTIME_S,
                                .metrics = {.resolution = 15 * SIMTIME_S},
                                .traffic = &tr,
                                .ntraffic = 1,
                                .hpas = &h,
                                .nhpas = 1};
    hpa_settings_default(&cfg.settings);
    cfg.settings.tolerance = 10;
    simulation_set_autoscaling(sim, hpactl_new(sim, &cfg));
    simulation_start(sim);

    /* The served-requests integral adds each tick's state for the 15 s that follow: after the
     * tick at T it covers [0, T + 15 s). */
    engine_run(sim->engine, 0);
    double served0 = served_at(sim);
    check_close(served0, 0, 0); /* the first tick precedes the first binding: no Ready pod */
    engine_run(sim->engine, 15 * SIMTIME_S);
    double served15 = served_at(sim);
    engine_run(sim->engine, 30 * SIMTIME_S);
    double served30 = served_at(sim);
    /* Window 15-30 s: both pods Ready (7 s) all of it, 1500 requests = 100 / 2 req/s each. */
    check_close(served15 - served0, 100 * 15, 1e-9);
    assert_int_equal(pods_metric(sim), 50000);

    engine_run(sim->engine, 45 * SIMTIME_S);
    double served45 = served_at(sim);
    /* Window 30-45 s: the load steps to 400 at 37 s and web-2 turns Ready at 40 s, but the
     * Service in the simulation spreads the load it saw at 30 s over the pods Ready then:
     * 1500 requests over 2 pods for 15 s = 50 req/s each; web-2, seen from 33 s (window
     * 12 s, freshContainerMinMetricsResolution 10 s), served none: (50 + 50 + 0) / 3. The
     * state at the scrape instant would be 400 / 3 req/s per pod. */
    check_close(served30 - served15, 1500, 1e-9);
    assert_int_equal(pods_metric(sim), (50000 + 50000 + 0) / 3);

    engine_run(sim->engine, 60 * SIMTIME_S);
    /* Window 45-60 s: 400 req/s over the 3 pods Ready at 45 s: 133.333 req/s each. */
    check_close(served45 - served30, 400 * 15, 1e-9);
    assert_int_equal(pods_metric(sim), 133333);

    simulation_free(sim);
    labelset_release(&none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(window_average),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
