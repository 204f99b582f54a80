/* Tests for sim/cluster/resources: exact vector arithmetic and the fit rule. */
#include "testutil.h"

#include "sim/cluster/resources.h"

static void test_fits(void **state)
{
    (void)state;
    struct resources alloc, used, req;
    res_zero(&alloc);
    res_zero(&used);
    res_zero(&req);
    alloc.v[RES_CPU] = 4000;
    alloc.v[RES_MEMORY] = 1 << 30;
    alloc.v[RES_PODS] = 2;
    req.v[RES_CPU] = 4000;
    req.v[RES_PODS] = 1;
    /* Equality fits, as upstream's NodeResourcesFit. */
    assert_true(res_fits(&req, &used, &alloc));
    used.v[RES_CPU] = 1;
    assert_false(res_fits(&req, &used, &alloc));
    /* A zero request never fails, even on an over-committed dimension. */
    req.v[RES_CPU] = 0;
    used.v[RES_CPU] = 5000;
    assert_true(res_fits(&req, &used, &alloc));
    used.v[RES_PODS] = 2;
    assert_false(res_fits(&req, &used, &alloc)); /* too many pods */
    res_add(&used, &req);
    assert_int_equal(used.v[RES_PODS], 3);
    res_sub(&used, &req);
    assert_int_equal(used.v[RES_PODS], 2);
    assert_false(res_is_zero(&used));
    res_zero(&used);
    assert_true(res_is_zero(&used));
}

static void test_names(void **state)
{
    (void)state;
    struct resnames rn;
    resnames_init(&rn);
    assert_int_equal(resnames_find(&rn, "cpu"), RES_CPU);
    assert_int_equal(resnames_find(&rn, "ephemeral-storage"), RES_EPHEMERAL);
    assert_int_equal(resnames_find(&rn, "nvidia.com/gpu"), -1);
    assert_int_equal(resnames_intern(&rn, "nvidia.com/gpu"), RES_FIXED);
    assert_int_equal(resnames_intern(&rn, "nvidia.com/gpu"), RES_FIXED);
    assert_int_equal(resnames_intern(&rn, "a/b"), RES_FIXED + 1);
    assert_int_equal(resnames_intern(&rn, "c/d"), RES_FIXED + 2);
    assert_int_equal(resnames_intern(&rn, "e/f"), RES_FIXED + 3);
    assert_int_equal(resnames_intern(&rn, "g/h"), -1); /* full */
    assert_true(resnames_is_milli(RES_CPU));
    assert_false(resnames_is_milli(RES_MEMORY));
    resnames_release(&rn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fits),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
