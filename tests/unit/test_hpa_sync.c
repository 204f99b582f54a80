/*
 * models/hpa/hpa.c across syncs: what persists in the status and history
 * between calls, which branch evaluates metrics, and how failures combine
 * (horizontal.go reconcileAutoscaler and computeReplicasForMetrics).
 */
#include "testutil.h"

#include <string.h>

#include "models/hpa/hpa.h"

#define T0 ((simtime)100000 * SIMTIME_S)

/* An External AverageValue metric: proposal ceil(value/target) off tolerance. */
static const struct hpa_metric_spec queue = {.type = HPA_METRIC_EXTERNAL,
                                             .name = "queue",
                                             .target_type = HPA_TARGET_AVERAGE_VALUE,
                                             .target_milli = 1000};

static struct hpa_spec spec_of(const struct hpa_metric_spec *m, size_t n, int32_t min, int32_t max)
{
    return (struct hpa_spec){.namespace_name = "ns",
                             .has_min_replicas = 1,
                             .min_replicas = min,
                             .max_replicas = max,
                             .metrics = m,
                             .nmetrics = n};
}

struct world {
    struct hpa_settings s;
    struct hpa_history h;
    struct hpa_status st;
    struct hpa_metric_status ms[4];
    struct hpa_sync_out out;
};

static void world_init(struct world *w, int32_t replicas)
{
    memset(w, 0, sizeof *w);
    hpa_settings_default(&w->s);
    hpa_history_init(&w->h);
    w->st.current_replicas = w->st.desired_replicas = replicas;
    w->out.metrics = w->ms;
}

static int sync_values(struct world *w, const struct hpa_spec *spec, int32_t replicas,
                       const int64_t *values, size_t n, simtime now)
{
    struct hpa_scale sc = {replicas, replicas};
    struct hpa_metric_input in[4];
    memset(in, 0, sizeof in);
    for (size_t i = 0; i < spec->nmetrics; i++) {
        in[i].values = values;
        in[i].nvalues = n;
    }
    return hpa_sync(&w->s, spec, &sc, NULL, 0, in, now, &w->h, &w->st, &w->out);
}

/* The history is seeded once, before the min/max shortcuts, which add nothing. */
static void test_history_seeded_once(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, 1);
    struct hpa_spec spec = spec_of(&queue, 1, 2, 10);
    int64_t v = 5000;
    assert_int_equal(sync_values(&w, &spec, 1, &v, 1, T0), 0);
    assert_false(w.out.metrics_computed);
    assert_true(w.out.rescale);
    assert_int_equal(w.out.desired, 2);
    assert_int_equal(w.h.nrecs, 1);
    assert_int_equal(w.h.recs[0].replicas, 1);
    assert_true(w.st.has_last_scale_time && w.st.last_scale_time == T0);

    /* Next sync: metrics ask for 5; legacy stabilization keeps the max of the
     * window, here 5 itself (the seeded 1 is lower). */
    assert_int_equal(sync_values(&w, &spec, 2, &v, 1, T0 + 15 * SIMTIME_S), 0);
    assert_true(w.out.metrics_computed);
    assert_int_equal(w.out.metric_desired, 5);
    assert_int_equal(w.out.desired, 4); /* max(2*2, 4) = 4 */
    assert_int_equal(w.h.nrecs, 2);
    hpa_history_release(&w.h);
}

/* A blocked sync keeps status.desiredReplicas and lastScaleTime as they were. */
static void test_blocked_sync_keeps_status(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, 5);
    w.st.desired_replicas = 7;
    w.st.has_last_scale_time = 1;
    w.st.last_scale_time = 42;
    struct hpa_metric_spec bad = {.type = HPA_METRIC_UNKNOWN, .type_name = "Gouda"};
    struct hpa_spec spec = spec_of(&bad, 1, 1, 10);
    assert_int_equal(sync_values(&w, &spec, 5, NULL, 0, T0), -1);
    assert_false(w.out.rescale);
    assert_int_equal(w.out.metric_desired, -1);
    assert_int_equal(w.st.desired_replicas, 7);
    assert_int_equal(w.st.current_replicas, 5);
    assert_true(w.st.last_scale_time == 42);
    assert_string_equal(w.out.error,
                        "invalid metrics (1 invalid out of 1), first error is: unknown metric "
                        "source type \"Gouda\"");
    hpa_history_release(&w.h);
}

/* Conditions persist: a min/max shortcut leaves ScalingActive/Limited alone. */
static void test_conditions_persist(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, 3);
    struct hpa_spec spec = spec_of(&queue, 1, 1, 10);
    int64_t v = 3000;
    assert_int_equal(sync_values(&w, &spec, 3, &v, 1, T0), 0);
    assert_int_equal(w.st.conditions.n, 3);
    spec.min_replicas = 4;
    assert_int_equal(sync_values(&w, &spec, 3, &v, 1, T0 + SIMTIME_MIN), 0);
    assert_int_equal(w.out.desired, 4);
    assert_int_equal(w.st.conditions.n, 3);
    const struct hpa_condition *c = hpa_conditions_find(&w.st.conditions, HPA_ABLE_TO_SCALE);
    assert_string_equal(c->reason, "SucceededRescale");
    c = hpa_conditions_find(&w.st.conditions, HPA_SCALING_LIMITED);
    assert_string_equal(c->reason, "DesiredWithinRange");
    hpa_history_release(&w.h);
}

/* With two failures the first one's condition is reported. */
static void test_first_failure_wins(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, 3);
    struct hpa_metric_spec m[2] = {
        {.type = HPA_METRIC_PODS,
         .name = "rps",
         .target_type = HPA_TARGET_AVERAGE_VALUE,
         .target_milli = 1000},
        {.type = HPA_METRIC_UNKNOWN, .type_name = "Gouda"},
    };
    struct hpa_spec spec = spec_of(m, 2, 1, 10);
    assert_int_equal(sync_values(&w, &spec, 3, NULL, 0, T0), -1);
    const struct hpa_condition *c = hpa_conditions_find(&w.st.conditions, HPA_SCALING_ACTIVE);
    assert_string_equal(c->reason, "FailedGetPodsMetric");
    assert_string_equal(c->message, "the HPA was unable to compute the replica count: no pods "
                                    "returned by selector while calculating replica count");
    assert_string_equal(w.out.error,
                        "invalid metrics (2 invalid out of 2), first error is: failed to get pods "
                        "metric value: no pods returned by selector while calculating replica "
                        "count");
    hpa_history_release(&w.h);
}

/* A valid proposal of 0 below spec.replicas with a failing metric is blocked. */
static void test_zero_proposal_with_failure_blocked(void **state)
{
    (void)state;
    struct world w;
    world_init(&w, 5);
    struct hpa_metric_spec m[2] = {
        {.type = HPA_METRIC_EXTERNAL,
         .name = "q",
         .target_type = HPA_TARGET_VALUE,
         .target_milli = 1000},
        {.type = HPA_METRIC_UNKNOWN, .type_name = "Gouda"},
    };
    struct hpa_spec spec = spec_of(m, 2, 0, 10);
    int64_t zero = 0;
    struct hpa_pod pods[1] = {{.name = "p", .phase = HPA_POD_RUNNING, .ready = HPA_READY_TRUE}};
    struct hpa_scale sc = {5, 5};
    struct hpa_metric_input in[2] = {{.values = &zero, .nvalues = 1}, {0}};
    assert_int_equal(hpa_sync(&w.s, &spec, &sc, pods, 1, in, T0, &w.h, &w.st, &w.out), -1);
    assert_true(w.ms[0].valid);
    assert_int_equal(w.ms[0].proposal, 0);
    assert_int_equal(w.out.desired, 5);
    hpa_history_release(&w.h);
}

/* tolerancesForHpa reads each direction independently. */
static void test_tolerances_for(void **state)
{
    (void)state;
    struct hpa_settings s;
    hpa_settings_default(&s);
    struct hpa_scaling_rules up = {.has_tolerance = 1, .tolerance = 0.02};
    struct hpa_behavior b = {&up, NULL};
    struct hpa_spec spec = spec_of(&queue, 1, 1, 10);
    struct hpa_tolerances t = hpa_tolerances_for(&s, &spec);
    check_close(t.scale_up, 0.1, 0);
    spec.behavior = &b;
    t = hpa_tolerances_for(&s, &spec);
    check_close(t.scale_up, 0.02, 0);
    check_close(t.scale_down, 0.1, 0);
    s.configurable_tolerance = 0;
    t = hpa_tolerances_for(&s, &spec);
    check_close(t.scale_up, 0.1, 0);
}

/* A Pods metric must have an averageValue target (API validation); ksim reports it. */
static void test_pods_metric_needs_average_value(void **state)
{
    (void)state;
    struct hpa_settings s;
    hpa_settings_default(&s);
    struct hpa_metric_spec m = {.type = HPA_METRIC_PODS,
                                .name = "rps",
                                .target_type = HPA_TARGET_VALUE,
                                .target_milli = 1000};
    struct hpa_spec spec = spec_of(&m, 1, 1, 10);
    struct hpa_scale sc = {3, 3};
    struct hpa_metric_input in = {0};
    struct hpa_metric_status st;
    assert_int_equal(hpa_compute_metric(&s, &spec, 0, &sc, NULL, 0, &in, T0, &st), -1);
    assert_string_equal(st.reason, "FailedGetPodsMetric");
    assert_false(st.valid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_seeded_once),
        cmocka_unit_test(test_blocked_sync_keeps_status),
        cmocka_unit_test(test_conditions_persist),
        cmocka_unit_test(test_first_failure_wins),
        cmocka_unit_test(test_zero_proposal_with_failure_blocked),
        cmocka_unit_test(test_tolerances_for),
        cmocka_unit_test(test_pods_metric_needs_average_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
