/*
 * Tests for sim/cluster/labels: taint toleration as
 * k8s.io/api/core/v1/toleration.go (ToleratesTaint) and its unit tests
 * (toleration_test.go, TestTolerationToleratesTaint) define it.
 */
#include "testutil.h"

#include "sim/cluster/labels.h"

static struct taint T(const char *k, const char *v, enum taint_effect e) {
    return (struct taint){(char *)k, (char *)v, e};
}

/* A toleration as a compound literal, so tests can take its address inline. */
#define TOL(k, op, v, effect) ((struct toleration){(char *)(k), (char *)(v), (op), (effect)})

static void
test_tolerates(void **state)
{
    (void)state;
    struct taint gpu = T("nvidia.com/gpu", "present", TAINT_NO_SCHEDULE);
    /* Equal with matching key, value and effect. */
    assert_true(toleration_tolerates(&TOL("nvidia.com/gpu", TOL_EQUAL, "present", 0), &gpu));
    /* Value mismatch. */
    assert_false(toleration_tolerates(&TOL("nvidia.com/gpu", TOL_EQUAL, "absent", 0), &gpu));
    /* Empty effect tolerates every effect. */
    assert_true(toleration_tolerates(&TOL("nvidia.com/gpu", TOL_EQUAL, "present", -1), &gpu));
    /* Effect mismatch. */
    assert_false(
        toleration_tolerates(&TOL("nvidia.com/gpu", TOL_EQUAL, "present", TAINT_NO_EXECUTE), &gpu));
    /* Exists ignores the value. */
    assert_true(toleration_tolerates(&TOL("nvidia.com/gpu", TOL_EXISTS, "", -1), &gpu));
    /* Empty key with Exists tolerates everything. */
    assert_true(toleration_tolerates(&TOL("", TOL_EXISTS, "", -1), &gpu));
    /* Key mismatch. */
    assert_false(toleration_tolerates(&TOL("dedicated", TOL_EXISTS, "", -1), &gpu));
}

static void test_first_untolerated(void **state)
{
    (void)state;
    struct taint taints[] = {T("soft", "", TAINT_PREFER_NO_SCHEDULE),
                             T("a", "1", TAINT_NO_SCHEDULE), T("b", "2", TAINT_NO_EXECUTE)};
    struct toleration tols[] = {TOL("a", TOL_EQUAL, "1", -1)};
    /* PreferNoSchedule never blocks; 'a' is tolerated; 'b' is the first that blocks. */
    assert_int_equal(taints_first_untolerated(taints, 3, tols, 1), 2);
    struct toleration all[] = {TOL("", TOL_EXISTS, "", -1)};
    assert_int_equal(taints_first_untolerated(taints, 3, all, 1), -1);
    assert_int_equal(taints_first_untolerated(taints, 1, NULL, 0), -1);
    assert_int_equal(taints_first_untolerated(taints, 2, NULL, 0), 1);
}

static void test_labelset(void **state)
{
    (void)state;
    struct labelset node, sel;
    labelset_init(&node);
    labelset_init(&sel);
    labelset_set(&node, "zone", "a");
    labelset_set(&node, "disk", "ssd");
    labelset_set(&node, "zone", "b");
    assert_int_equal(node.n, 2);
    assert_string_equal(labelset_get(&node, "zone"), "b");
    assert_null(labelset_get(&node, "gpu"));
    assert_true(labelset_matches(&node, &sel)); /* the empty selector matches all */
    labelset_set(&sel, "zone", "b");
    assert_true(labelset_matches(&node, &sel));
    labelset_set(&sel, "disk", "hdd");
    assert_false(labelset_matches(&node, &sel));
    struct labelset copy;
    labelset_copy(&copy, &node);
    assert_string_equal(labelset_get(&copy, "disk"), "ssd");
    labelset_release(&copy);
    labelset_release(&node);
    labelset_release(&sel);
    assert_int_equal(taint_effect_parse("NoExecute"), TAINT_NO_EXECUTE);
    assert_int_equal(taint_effect_parse("noexecute"), -1);
    assert_string_equal(taint_effect_name(TAINT_PREFER_NO_SCHEDULE), "PreferNoSchedule");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tolerates),
        cmocka_unit_test(test_first_untolerated),
        cmocka_unit_test(test_labelset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
