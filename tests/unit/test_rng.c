#include "testutil.h"

#include <string.h>

#include "sim/engine/rng.h"

/*
 * The literals below were computed once (and checked against an independent
 * Python implementation of splitmix64, FNV-1a and MT19937 init_genrand). If
 * they change, every scenario's random numbers change: that is a breaking
 * change to published results, not a test to update lightly.
 */
static void test_known_values(void **state)
{
    (void)state;
    assert_true(rng_stream_seed(42, "arrivals") == UINT64_C(0xb5682cff04b0950f));
    assert_true(rng_stream_seed(0, "") == UINT64_C(0x21fa69a58f3d62f5));

    struct rng *r = rng_new(42);
    gsl_rng *g = rng_stream(r, "arrivals");
    static const unsigned long want[] = {2531988798UL, 245694343UL, 2832904359UL, 2640672180UL,
                                         2635436590UL};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(gsl_rng_get(g), want[i]);
    check_close(gsl_rng_uniform(g), 0.40422168467193842, 0);
    rng_free(r);
}

static void test_same_seed_same_sequence(void **state)
{
    (void)state;
    struct rng *a = rng_new(7), *b = rng_new(7);
    gsl_rng *ga = rng_stream(a, "durations");
    gsl_rng *gb = rng_stream(b, "durations");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(gsl_rng_get(ga), gsl_rng_get(gb));
    rng_free(a);
    rng_free(b);
}

static void test_names_and_seeds_differ(void **state)
{
    (void)state;
    struct rng *a = rng_new(7), *b = rng_new(8);
    gsl_rng *g1 = rng_stream(a, "arrivals");
    gsl_rng *g2 = rng_stream(a, "durations");
    gsl_rng *g3 = rng_stream(b, "arrivals");
    int same12 = 0, same13 = 0;
    for (int i = 0; i < 100; i++) {
        unsigned long x1 = gsl_rng_get(g1), x2 = gsl_rng_get(g2), x3 = gsl_rng_get(g3);
        same12 += x1 == x2;
        same13 += x1 == x3;
    }
    assert_true(same12 < 3);
    assert_true(same13 < 3);
    assert_true(rng_stream_seed(7, "a") != rng_stream_seed(7, "b"));
    assert_true(rng_stream_seed(7, "a") != rng_stream_seed(8, "a"));
    rng_free(a);
    rng_free(b);
}

/* Asking for a stream again returns the same generator, advanced, not a fresh one. */
static void test_stream_is_found_by_name(void **state)
{
    (void)state;
    struct rng *r = rng_new(1);
    gsl_rng *g = rng_stream(r, "random-placement");
    unsigned long first = gsl_rng_get(g);
    char name[32];
    strcpy(name, "random-placement"); /* found by content, not by pointer */
    assert_ptr_equal(rng_stream(r, name), g);
    assert_ptr_not_equal(rng_stream(r, "other"), g);

    struct rng *fresh = rng_new(1);
    assert_int_equal(gsl_rng_get(rng_stream(fresh, "random-placement")), first);
    rng_free(fresh);
    rng_free(r);
}

/* A new consumer must not shift the numbers an existing consumer sees. */
static void test_streams_are_independent(void **state)
{
    (void)state;
    struct rng *a = rng_new(99), *b = rng_new(99);
    gsl_rng *ga = rng_stream(a, "arrivals");
    rng_stream(b, "something-new");
    gsl_rng *gb = rng_stream(b, "arrivals");
    for (int i = 0; i < 100; i++) {
        gsl_rng_get(rng_stream(b, "something-new"));
        assert_int_equal(gsl_rng_get(ga), gsl_rng_get(gb));
    }
    rng_free(a);
    rng_free(b);
}

static void test_free_null(void **state)
{
    (void)state;
    rng_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_same_seed_same_sequence),
        cmocka_unit_test(test_names_and_seeds_differ),
        cmocka_unit_test(test_stream_is_found_by_name),
        cmocka_unit_test(test_streams_are_independent),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
