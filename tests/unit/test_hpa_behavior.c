/*
 * Edge cases of models/hpa/behavior.c and history.c: API defaulting of the
 * scaling rules, the flag-derived scale-down window, slot reuse in the
 * history, and the legacy limit's float arithmetic.
 */
#include "testutil.h"

#include <string.h>

#include "models/hpa/behavior.h"
#include "models/hpa/history.h"

#define NOW ((simtime)10000 * SIMTIME_S)

/* defaults.go GenerateHPAScaleUpRules with nothing set. */
static void test_scale_up_defaults(void **state)
{
    (void)state;
    struct hpa_scaling_rules r;
    hpa_behavior_scale_up_rules(NULL, &r);
    assert_true(r.has_stabilization_window && r.stabilization_window_seconds == 0);
    assert_true(r.has_select_policy && r.select_policy == HPA_SELECT_MAX);
    assert_int_equal(r.npolicies, 2);
    assert_int_equal(r.policies[0].type, HPA_POLICY_PODS);
    assert_int_equal(r.policies[0].value, 4);
    assert_int_equal(r.policies[0].period_seconds, 15);
    assert_int_equal(r.policies[1].type, HPA_POLICY_PERCENT);
    assert_int_equal(r.policies[1].value, 100);
    assert_int_equal(r.policies[1].period_seconds, 15);
    assert_false(r.has_tolerance);
}

/*
 * GenerateHPAScaleDownRules leaves the window unset; the controller's
 * maybeInitScaleDownStabilizationWindow sets int32(window.Seconds()).
 */
static void test_scale_down_window_from_flag(void **state)
{
    (void)state;
    struct hpa_scaling_rules r;
    hpa_behavior_scale_down_rules(NULL, 5 * SIMTIME_MIN, &r);
    assert_int_equal(r.stabilization_window_seconds, 300);
    assert_int_equal(r.npolicies, 1);
    assert_int_equal(r.policies[0].type, HPA_POLICY_PERCENT);
    hpa_behavior_scale_down_rules(NULL, 90 * SIMTIME_S + 999 * SIMTIME_MS, &r);
    assert_int_equal(r.stabilization_window_seconds, 90);
    /* A set window, even 0, wins over the flag. */
    struct hpa_scaling_rules in = {.has_stabilization_window = 1};
    hpa_behavior_scale_down_rules(&in, 5 * SIMTIME_MIN, &r);
    assert_int_equal(r.stabilization_window_seconds, 0);
}

/* copyHPAScalingRules: only set fields override; policies as a whole list. */
static void test_partial_rules(void **state)
{
    (void)state;
    static const struct hpa_scaling_policy one[] = {{HPA_POLICY_PODS, 1, 60}};
    struct hpa_scaling_rules in = {
        .has_policies = 1, .policies = one, .npolicies = 1, .has_tolerance = 1, .tolerance = 0.05};
    struct hpa_scaling_rules r;
    hpa_behavior_scale_up_rules(&in, &r);
    assert_int_equal(r.npolicies, 1);
    assert_int_equal(r.policies[0].value, 1);
    assert_int_equal(r.select_policy, HPA_SELECT_MAX);
    assert_int_equal(r.stabilization_window_seconds, 0);
    assert_true(r.has_tolerance);
    check_close(r.tolerance, 0.05, 0);
}

/* An empty policy list (not nil) leaves no policy: Max gives MinInt32, so the
 * rate limit holds the current count. */
static void test_empty_policy_list(void **state)
{
    (void)state;
    struct hpa_scaling_rules in = {.has_policies = 1, .npolicies = 0};
    struct hpa_scaling_rules up, down;
    hpa_behavior_scale_up_rules(&in, &up);
    hpa_behavior_scale_down_rules(NULL, 0, &down);
    struct hpa_history h;
    hpa_history_init(&h);
    assert_int_equal(hpa_behavior_scale_up_limit(5, &h, &up, NOW), INT32_MIN);
    struct hpa_normalization a = {1, 100, 5, 50, &up, &down};
    const char *reason, *message;
    assert_int_equal(hpa_behavior_rate_limit(&h, &a, NOW, &reason, &message), 5);
    assert_string_equal(reason, "ScaleUpLimit");
    hpa_history_release(&h);
}

/* Each sync reuses at most one old slot: the last one older than both windows. */
static void test_history_reuses_last_old_slot(void **state)
{
    (void)state;
    struct hpa_history h;
    hpa_history_init(&h);
    assert_false(h.initialized);
    hpa_history_add_recommendation(&h, 7, NOW - 900 * SIMTIME_S);
    hpa_history_add_recommendation(&h, 8, NOW - 800 * SIMTIME_S);
    hpa_history_add_recommendation(&h, 9, NOW - 10 * SIMTIME_S);
    assert_true(h.initialized);
    struct hpa_scaling_rules up = {.has_stabilization_window = 1};
    struct hpa_scaling_rules down = {.has_stabilization_window = 1,
                                     .stabilization_window_seconds = 300};
    struct hpa_normalization a = {1, 100, 9, 3, &up, &down};
    const char *reason, *message;
    assert_int_equal(hpa_behavior_stabilize(&h, &a, NOW, &reason, &message), 9);
    assert_int_equal(h.nrecs, 3);
    assert_int_equal(h.recs[0].replicas, 7);
    assert_int_equal(h.recs[1].replicas, 3);
    assert_true(h.recs[1].time == NOW);
    /* The next sync reuses the remaining old slot, then appends. */
    assert_int_equal(hpa_behavior_stabilize(&h, &a, NOW, &reason, &message), 9);
    assert_int_equal(h.recs[0].replicas, 3);
    assert_int_equal(hpa_behavior_stabilize(&h, &a, NOW, &reason, &message), 9);
    assert_int_equal(h.nrecs, 4);
    hpa_history_release(&h);
    assert_null(h.recs);
}

/* storeScaleEvent without a behavior stores nothing. */
static void test_store_without_behavior(void **state)
{
    (void)state;
    struct hpa_history h;
    hpa_history_init(&h);
    hpa_behavior_store_event(&h, NULL, 3, 7, NOW);
    hpa_behavior_store_event(&h, NULL, 7, 3, NOW);
    assert_int_equal(h.nup, 0);
    assert_int_equal(h.ndown, 0);
    hpa_history_release(&h);
}

/* Scale-down events are stored as positive changes and count as added back. */
static void test_down_events_raise_period_start(void **state)
{
    (void)state;
    struct hpa_scaling_rules up, down;
    hpa_behavior_scale_up_rules(NULL, &up);
    hpa_behavior_scale_down_rules(NULL, 0, &down);
    struct hpa_behavior b = {&up, &down};
    struct hpa_history h;
    hpa_history_init(&h);
    hpa_behavior_store_event(&h, &b, 10, 4, NOW - 5 * SIMTIME_S);
    assert_int_equal(h.ndown, 1);
    assert_int_equal(h.down[0].change, 6);
    /* Period start 4 + 6 = 10: up limit max(10+4, ceil(10*2)) = 20. */
    assert_int_equal(hpa_behavior_scale_up_limit(4, &h, &up, NOW), 20);
    hpa_history_release(&h);
}

/* calculateScaleUpLimit's float product, truncated: int32(max(2*3, 4)) = 6. */
static void test_legacy_limit_float(void **state)
{
    (void)state;
    const char *reason, *message;
    assert_int_equal(hpa_behavior_convert_legacy(3, 100, 1, 100, 2.0, 4.0, &reason, &message), 6);
    assert_string_equal(reason, "ScaleUpLimit");
    /* A factor of 1.5 on 3 replicas: int32(4.5) = 4. */
    assert_int_equal(hpa_behavior_convert_legacy(3, 100, 1, 100, 1.5, 4.0, &reason, &message), 4);
    /* The limit equals max: TooManyReplicas wins the tie. */
    assert_int_equal(hpa_behavior_convert_legacy(3, 100, 1, 6, 2.0, 4.0, &reason, &message), 6);
    assert_string_equal(reason, "TooManyReplicas");
    assert_string_equal(message,
                        "the desired replica count is more than the maximum replica count");
}

/* A period of 0 counts no event, not even one stored now. */
static void test_zero_period(void **state)
{
    (void)state;
    struct hpa_scale_event ev[] = {{5, NOW, 0}};
    assert_int_equal(hpa_behavior_change_in_period(0, ev, 1, NOW), 0);
    assert_int_equal(hpa_behavior_change_in_period(1, ev, 1, NOW), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_up_defaults),
        cmocka_unit_test(test_scale_down_window_from_flag),
        cmocka_unit_test(test_partial_rules),
        cmocka_unit_test(test_empty_policy_list),
        cmocka_unit_test(test_history_reuses_last_old_slot),
        cmocka_unit_test(test_store_without_behavior),
        cmocka_unit_test(test_down_events_raise_period_start),
        cmocka_unit_test(test_legacy_limit_float),
        cmocka_unit_test(test_zero_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
