/* Tests for sim/io/experiment/stats: mean, sample sd and the Student-t 95% interval. */
#include "testutil.h"

#include "sim/io/experiment/stats.h"

static void test_known_numbers(void **state)
{
    (void)state;
    /* 1,2,3,4: mean 2.5, sd sqrt(5/3) = 1.290994, t(0.975, 3) = 3.182446,
     * half-width 3.182446 * 1.290994 / 2 = 2.054260. */
    const double x[] = {1, 2, 3, 4};
    struct stats st;
    stats_compute(x, 4, &st);
    assert_int_equal(st.n, 4);
    check_close(st.mean, 2.5, 1e-12);
    check_close(st.stddev, 1.290994, 1e-6);
    check_close(stats_halfwidth(&st), 2.054260, 1e-6);
    check_close(st.ci95_low, 2.5 - 2.054260, 1e-6);
    check_close(st.ci95_high, 2.5 + 2.054260, 1e-6);
}

static void test_two_values(void **state)
{
    (void)state;
    /* 10, 20: sd 7.071068, t(0.975, 1) = 12.706205, half-width 12.706205 * 5 = 63.531024. */
    const double x[] = {10, 20};
    struct stats st;
    stats_compute(x, 2, &st);
    check_close(st.mean, 15, 1e-12);
    check_close(st.stddev, 7.071068, 1e-6);
    check_close(stats_halfwidth(&st), 63.531024, 1e-5);
}

static void test_one_value_collapses(void **state)
{
    (void)state;
    const double x[] = {7.5};
    struct stats st;
    stats_compute(x, 1, &st);
    assert_int_equal(st.n, 1);
    check_close(st.mean, 7.5, 0);
    check_close(st.stddev, 0, 0);
    check_close(st.ci95_low, 7.5, 0);
    check_close(st.ci95_high, 7.5, 0);
}

static void test_identical_values_have_no_spread(void **state)
{
    (void)state;
    const double x[] = {3, 3, 3};
    struct stats st;
    stats_compute(x, 3, &st);
    check_close(st.stddev, 0, 0);
    check_close(st.ci95_low, 3, 0);
    check_close(st.ci95_high, 3, 0);
    stats_compute(x, 0, &st);
    assert_int_equal(st.n, 0);
    check_close(st.mean, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_numbers),
        cmocka_unit_test(test_two_values),
        cmocka_unit_test(test_one_value_collapses),
        cmocka_unit_test(test_identical_values_have_no_spread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
