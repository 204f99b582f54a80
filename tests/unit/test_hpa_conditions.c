/*
 * models/hpa/conditions.c against horizontal.go setConditionInList: keyed by
 * type, first-set order, lastTransitionTime moves only with the status.
 */
#include "testutil.h"

#include <string.h>

#include "models/hpa/conditions.h"

static void test_append_and_overwrite(void **state)
{
    (void)state;
    struct hpa_conditions l = {0};
    hpa_conditions_set(&l, HPA_SCALING_ACTIVE, HPA_CONDITION_TRUE, "ValidMetricFound", 10,
                       "from %s", "cpu");
    hpa_conditions_set(&l, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "SucceededGetScale", 10, "a");
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].type, HPA_SCALING_ACTIVE);
    assert_string_equal(l.items[0].message, "from cpu");
    assert_true(l.items[0].last_transition == 10);

    /* Same status: reason and message change, the transition time does not. */
    hpa_conditions_set(&l, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "SucceededRescale", 20, "b");
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[1].reason, "SucceededRescale");
    assert_true(l.items[1].last_transition == 10);

    /* New status: the transition time moves. */
    hpa_conditions_set(&l, HPA_SCALING_ACTIVE, HPA_CONDITION_FALSE, "ScalingDisabled", 30, "c");
    assert_true(l.items[0].last_transition == 30);
    assert_int_equal(l.items[0].status, HPA_CONDITION_FALSE);

    const struct hpa_condition *c = hpa_conditions_find(&l, HPA_SCALING_LIMITED);
    assert_null(c);
    hpa_conditions_set(&l, HPA_SCALING_LIMITED, HPA_CONDITION_FALSE, "DesiredWithinRange", 40, "d");
    c = hpa_conditions_find(&l, HPA_SCALING_LIMITED);
    assert_non_null(c);
    assert_int_equal(l.n, 3);
    assert_string_equal(hpa_condition_type_name(c->type), "ScalingLimited");
    assert_string_equal(hpa_condition_status_name(c->status), "False");
}

/* A message longer than the buffer is cut, never overflowed. */
static void test_long_message(void **state)
{
    (void)state;
    char big[2 * HPA_MESSAGE_MAX];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct hpa_conditions l = {0};
    hpa_conditions_set(&l, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "R", 0, "%s", big);
    assert_int_equal(strlen(l.items[0].message), HPA_MESSAGE_MAX - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_overwrite),
        cmocka_unit_test(test_long_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
