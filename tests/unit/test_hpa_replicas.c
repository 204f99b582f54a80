/*
 * Edge cases of models/hpa/replicas.c that the data cases
 * (tests/cases/hpa) do not reach: Go's conversion and overflow semantics,
 * duplicate samples, container lookups and degenerate targets. Each names the
 * upstream function it follows.
 */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "models/hpa/replicas.h"

#define NOW ((simtime)1000 * SIMTIME_S)

static const struct hpa_calculator calc = {NOW, 2 * SIMTIME_MIN, 10 * SIMTIME_S, 1,
                                           "test-namespace"};
static const struct hpa_tolerances tol = {0.1, 0.1};

static const struct hpa_request cpu1000[] = {{"cpu", 1000}};
static const struct hpa_container one_container[] = {
    {"app", HPA_CONTAINER_REGULAR, cpu1000, 1},
};

static struct hpa_pod pod(const char *name)
{
    return (struct hpa_pod){.name = name,
                            .phase = HPA_POD_RUNNING,
                            .has_start_time = 1,
                            .start_time = 0,
                            .ready = HPA_READY_TRUE,
                            .ready_transition = 0,
                            .containers = one_container,
                            .ncontainers = 1};
}

static struct hpa_metric_spec cpu_util(int32_t target)
{
    return (struct hpa_metric_spec){.type = HPA_METRIC_RESOURCE,
                                    .name = "cpu",
                                    .target_type = HPA_TARGET_UTILIZATION,
                                    .target_utilization = target};
}

/* amd64 CVTTSD2SL / CVTTSD2SQ: what int32(x) / int64(x) give in Go there. */
static void test_go_conversions(void **state)
{
    (void)state;
    assert_int_equal(hpa_go_int32(2147483647.0), INT32_MAX);
    assert_int_equal(hpa_go_int32(2147483647.9), INT32_MAX);
    assert_int_equal(hpa_go_int32(2147483648.0), INT32_MIN);
    assert_int_equal(hpa_go_int32(-2147483648.9), INT32_MIN);
    assert_int_equal(hpa_go_int32(-2147483649.0), INT32_MIN);
    assert_int_equal(hpa_go_int32(-3.9), -3);
    assert_int_equal(hpa_go_int32(NAN), INT32_MIN);
    assert_int_equal(hpa_go_int32(INFINITY), INT32_MIN);
    assert_true(hpa_go_int64(9223372036854775808.0) == INT64_MIN);
    assert_true(hpa_go_int64(-9223372036854775808.0) == INT64_MIN);
    assert_true(hpa_go_int64(9223372036854774784.0) == 9223372036854774784LL);
    assert_true(hpa_go_int64(NAN) == INT64_MIN);
}

/* Tolerances.isWithin is inclusive and computes 1-down, 1+up in float64. */
static void test_tolerance_bounds(void **state)
{
    (void)state;
    struct hpa_tolerances t = {0.1, 0.1};
    assert_true(hpa_tolerances_within(t, 1.1));
    assert_true(hpa_tolerances_within(t, 0.9));
    assert_false(hpa_tolerances_within(t, nextafter(1.1, 2.0)));
    assert_false(hpa_tolerances_within(t, nextafter(0.9, 0.0)));
    struct hpa_tolerances zero = {0, 0};
    assert_true(hpa_tolerances_within(zero, 1.0));
    assert_false(hpa_tolerances_within(zero, nextafter(1.0, 2.0)));
    assert_false(hpa_tolerances_within(t, NAN));
}

/* Two samples for one pod: the later wins, as in a Go map filled in order. */
static void test_duplicate_samples_last_wins(void **state)
{
    (void)state;
    struct hpa_pod pods[] = {pod("a"), pod("b")};
    struct hpa_sample s[] = {{"a", 100, 0, 60 * SIMTIME_S},
                             {"b", 500, 0, 60 * SIMTIME_S},
                             {"a", 1500, 0, 60 * SIMTIME_S}};
    struct hpa_metric_input in = {.samples = s, .nsamples = 3};
    struct hpa_metric_spec m = cpu_util(100);
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_resource(&calc, pods, 2, 2, &m, tol, &in, &r, err, sizeof err),
                     0);
    /* (1500 + 500) * 100 / 2000 = 100: within tolerance. */
    assert_int_equal(r.utilization, 100);
    assert_int_equal(r.usage, 1000);
    assert_int_equal(r.replicas, 2);
}

/* A pod whose sample is missing counts in requests but not in the first pass. */
static void test_missing_pod_requests_not_in_first_pass(void **state)
{
    (void)state;
    struct hpa_pod pods[] = {pod("a"), pod("b")};
    struct hpa_sample s[] = {{"a", 2000, 0, 60 * SIMTIME_S}};
    struct hpa_metric_input in = {.samples = s, .nsamples = 1};
    struct hpa_metric_spec m = cpu_util(100);
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_resource(&calc, pods, 2, 2, &m, tol, &in, &r, err, sizeof err),
                     0);
    /* First pass over a alone: 200%. Scaling up, b counts at 0%:
     * 2000*100/2000 = 100%, within tolerance: keep 2. */
    assert_int_equal(r.utilization, 200);
    assert_int_equal(r.replicas, 2);
}

/*
 * A zero utilization target makes the ratio +Inf; upstream's int32(ceil(+Inf))
 * on amd64 is MinInt32. API validation forbids the target, but the arithmetic
 * must not be undefined.
 */
static void test_zero_target_is_defined(void **state)
{
    (void)state;
    struct hpa_pod pods[] = {pod("a")};
    struct hpa_sample s[] = {{"a", 500, 0, 60 * SIMTIME_S}};
    struct hpa_metric_input in = {.samples = s, .nsamples = 1};
    struct hpa_metric_spec m = cpu_util(0);
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_resource(&calc, pods, 1, 1, &m, tol, &in, &r, err, sizeof err),
                     0);
    assert_int_equal(r.replicas, INT32_MIN);
}

/* Sums wrap like Go's int64 instead of being undefined (UBSan checks this). */
static void test_huge_values_wrap(void **state)
{
    (void)state;
    struct hpa_pod pods[] = {pod("a"), pod("b")};
    struct hpa_sample s[] = {{"a", INT64_MAX, 0, 0}, {"b", INT64_MAX, 0, 0}};
    struct hpa_metric_input in = {.samples = s, .nsamples = 2};
    struct hpa_metric_spec m = {.type = HPA_METRIC_PODS,
                                .name = "qps",
                                .target_type = HPA_TARGET_AVERAGE_VALUE,
                                .target_milli = 1000};
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_pods(&calc, pods, 2, 2, &m, tol, &in, &r, err, sizeof err), 0);
    /* MaxInt64 + MaxInt64 wraps to -2; -2 / 2 = -1. */
    assert_int_equal(r.usage, -1);
    /* ratio -0.001: ceil(-0.002) is -0: 0 replicas. */
    assert_int_equal(r.replicas, 0);
}

/* A named container may be a sidecar; a plain init container is never found. */
static void test_container_lookup(void **state)
{
    (void)state;
    static const struct hpa_request cpu50[] = {{"cpu", 50}};
    static const struct hpa_request cpu20[] = {{"cpu", 20}};
    static const struct hpa_container cs[] = {
        {"app", HPA_CONTAINER_REGULAR, cpu1000, 1},
        {"setup", HPA_CONTAINER_INIT, cpu20, 1},
        {"proxy", HPA_CONTAINER_SIDECAR, cpu50, 1},
    };
    struct hpa_pod p = pod("p");
    p.containers = cs;
    p.ncontainers = 3;
    int64_t out;
    char err[256];
    assert_int_equal(hpa_replicas_requests(&calc, &p, 1, "proxy", "cpu", &out, err, sizeof err), 0);
    assert_int_equal(out, 50);
    assert_int_equal(hpa_replicas_requests(&calc, &p, 1, NULL, "cpu", &out, err, sizeof err), 0);
    assert_int_equal(out, 1050);
    assert_int_equal(hpa_replicas_requests(&calc, &p, 1, "setup", "cpu", &out, err, sizeof err),
                     -1);
    assert_string_equal(err, "container setup not found in Pod p");
    assert_int_equal(hpa_replicas_requests(&calc, &p, 1, NULL, "memory", &out, err, sizeof err),
                     -1);
    assert_string_equal(err, "missing request for memory in container app of Pod p");
}

/* With the PodLevelResources gate off, pod-level requests are not read. */
static void test_pod_level_gate_off(void **state)
{
    (void)state;
    static const struct hpa_request podreq[] = {{"cpu", 800}};
    struct hpa_pod p = pod("p");
    p.pod_requests = podreq;
    p.npod_requests = 1;
    struct hpa_calculator off = calc;
    off.pod_level_resources = 0;
    int64_t out;
    char err[256];
    assert_int_equal(hpa_replicas_requests(&off, &p, 1, NULL, "cpu", &out, err, sizeof err), 0);
    assert_int_equal(out, 1000);
    assert_int_equal(hpa_replicas_requests(&calc, &p, 1, NULL, "cpu", &out, err, sizeof err), 0);
    assert_int_equal(out, 800);
}

/* A pod with no start time is unready for cpu, ready for other resources. */
static void test_no_start_time(void **state)
{
    (void)state;
    struct hpa_pod p = pod("p");
    p.has_start_time = 0;
    struct hpa_sample s[] = {{"p", 1, NOW, 60 * SIMTIME_S}};
    enum hpa_pod_group g;
    assert_int_equal(hpa_replicas_group_pods(&calc, &p, 1, s, 1, "cpu", &g), 0);
    assert_int_equal(g, HPA_GROUP_UNREADY);
    assert_int_equal(hpa_replicas_group_pods(&calc, &p, 1, s, 1, "memory", &g), 1);
    assert_int_equal(g, HPA_GROUP_READY);
}

/*
 * A Pending pod with a sample is unready; on a scale-down its sample is
 * dropped and it is not refilled (GetResourceReplicas only refills unready
 * pods when scaling up).
 */
static void test_pending_pod_dropped_on_scale_down(void **state)
{
    (void)state;
    struct hpa_pod pods[] = {pod("a"), pod("b")};
    pods[1].phase = HPA_POD_PENDING;
    struct hpa_sample s[] = {{"a", 200, 0, 60 * SIMTIME_S}, {"b", 900, 0, 60 * SIMTIME_S}};
    struct hpa_metric_input in = {.samples = s, .nsamples = 2};
    struct hpa_metric_spec m = cpu_util(100);
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_resource(&calc, pods, 2, 2, &m, tol, &in, &r, err, sizeof err),
                     0);
    assert_int_equal(r.utilization, 20);
    assert_int_equal(r.replicas, 1);
}

/*
 * GetObjectPerPodMetricReplicas from zero: the ratio divides by zero (+Inf,
 * outside tolerance) so the proposal is ceil(value/target); the reported
 * per-pod value is int64(+Inf), MinInt64 on amd64.
 */
static void test_object_per_pod_from_zero(void **state)
{
    (void)state;
    struct hpa_metric_spec m = {.type = HPA_METRIC_OBJECT,
                                .name = "qps",
                                .object_kind = "Deployment",
                                .object_name = "d",
                                .target_type = HPA_TARGET_AVERAGE_VALUE,
                                .target_milli = 1000};
    struct hpa_metric_input in = {.value = 2500};
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_object_per_pod(&calc, 0, &m, tol, &in, &r, err, sizeof err), 0);
    assert_int_equal(r.replicas, 3);
    assert_true(r.usage == INT64_MIN);
}

/* External per-pod sums wrap first and then read a negative total as overflow. */
static void test_external_per_pod_negative_sum(void **state)
{
    (void)state;
    struct hpa_metric_spec m = {.type = HPA_METRIC_EXTERNAL,
                                .name = "q",
                                .target_type = HPA_TARGET_AVERAGE_VALUE,
                                .target_milli = 1000};
    const int64_t vals[] = {-5000, 1000};
    struct hpa_metric_input in = {.values = vals, .nvalues = 2};
    struct hpa_replicas_result r;
    char err[256];
    assert_int_equal(hpa_replicas_external_per_pod(&calc, 2, &m, tol, &in, &r, err, sizeof err), 0);
    /* -5000 < 0 on the first value: saturated to MaxInt64 and stop. */
    assert_true(r.usage == INT64_MAX);
    assert_int_equal(r.replicas, INT32_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_conversions),
        cmocka_unit_test(test_tolerance_bounds),
        cmocka_unit_test(test_duplicate_samples_last_wins),
        cmocka_unit_test(test_missing_pod_requests_not_in_first_pass),
        cmocka_unit_test(test_zero_target_is_defined),
        cmocka_unit_test(test_huge_values_wrap),
        cmocka_unit_test(test_container_lookup),
        cmocka_unit_test(test_pod_level_gate_off),
        cmocka_unit_test(test_no_start_time),
        cmocka_unit_test(test_pending_pod_dropped_on_scale_down),
        cmocka_unit_test(test_object_per_pod_from_zero),
        cmocka_unit_test(test_external_per_pod_negative_sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
