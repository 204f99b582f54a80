/* sim/control/metricsserver: which pods a scrape reports, with which window
 * (metrics-server pkg/storage/pod.go, resolution 15s). */
#include "testutil.h"

#include "sim/control/metricsserver.h"

static void windows(void **state)
{
    (void)state;
    struct metricsserver_params p = {15 * SIMTIME_S};
    simtime w = -1;
    /* Started 12s before the scrape: fresh container, its start is the older point. */
    assert_int_equal(metricsserver_window(&p, 15 * SIMTIME_S, 3 * SIMTIME_S, &w), 1);
    assert_int_equal(w, 12 * SIMTIME_S);
    /* Exactly 10s: still fresh (>= freshContainerMinMetricsResolution). */
    assert_int_equal(metricsserver_window(&p, 15 * SIMTIME_S, 5 * SIMTIME_S, &w), 1);
    assert_int_equal(w, 10 * SIMTIME_S);
    /* 7s: too fresh, no sample until the next scrape, which has a full window. */
    assert_int_equal(metricsserver_window(&p, 15 * SIMTIME_S, 8 * SIMTIME_S, &w), 0);
    assert_int_equal(metricsserver_window(&p, 30 * SIMTIME_S, 8 * SIMTIME_S, &w), 1);
    assert_int_equal(w, 15 * SIMTIME_S);
    /* Started exactly one resolution before: neither rule applies yet. */
    assert_int_equal(metricsserver_window(&p, 15 * SIMTIME_S, 0, &w), 0);
    assert_int_equal(metricsserver_window(&p, 30 * SIMTIME_S, 0, &w), 1);
    assert_int_equal(w, 15 * SIMTIME_S);
    /* Not started yet. */
    assert_int_equal(metricsserver_window(&p, 15 * SIMTIME_S, 20 * SIMTIME_S, &w), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(windows)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
