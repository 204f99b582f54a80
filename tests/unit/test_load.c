/*
 * Load models at chosen instants, each value worked out by hand from the
 * generator's formula (its file in models/load/), read through sim/io/scenario/loadspec as a
 * scenario would.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>

#include "loadtest.h"

static void test_constant(void **state)
{
    (void)state;
    CHECK(load_of("load: 120\n"), {0, 120}, {7 * SIMTIME_DAY, 120});
    CHECK(load_of("load: {constant: 2.5}\n"), {0, 2.5}, {H, 2.5});
    CHECK(load_of("load: {constant: {value: 0}}\n"), {0, 0}, {H, 0});
}

static void test_step(void **state)
{
    (void)state;
    /* Boundaries are inclusive: at t == at the new value holds; before the first step, 0. */
    CHECK(load_of("load: {step: {steps: [{at: 10m, value: 10}, {at: 1h, value: 50},"
                  " {at: 2h, value: 5}]}}\n"),
          {0, 0}, {10 * MIN - 1, 0}, {10 * MIN, 10}, {H - 1, 10}, {H, 50}, {2 * H - 1, 50},
          {2 * H, 5}, {30 * H, 5});
}

static void test_ramp(void **state)
{
    (void)state;
    /* 100 → 300 over [1h, 3h): midpoint 2h is 200, a quarter in (1h30m) is 150. */
    CHECK(load_of("load: {ramp: {from: 100, to: 300, start: 1h, duration: 2h}}\n"), {0, 100},
          {H, 100}, {H + 30 * MIN, 150}, {2 * H, 200}, {3 * H - 36 * S, 299}, {3 * H, 300},
          {10 * H, 300});
    /* Downwards, and a zero duration is a jump at start. */
    CHECK(load_of("load: {ramp: {from: 50, to: 10, duration: 40s}}\n"), {0, 50}, {10 * S, 40},
          {20 * S, 30}, {40 * S, 10});
    CHECK(load_of("load: {ramp: {from: 1, to: 2, start: 5s, duration: 0s}}\n"), {5 * S - 1, 1},
          {5 * S, 2});
}

static void test_diurnal(void **state)
{
    (void)state;
    /* mean 200, amplitude 150, phase 6h: mean at 6h, peak 350 at noon, mean at 18h, trough 50
     * at midnight (0h and 24h); at 9h, sin(pi/4) = sqrt(2)/2. */
    CHECK(load_of("load: {diurnal: {mean: 200, amplitude: 150, period: 24h, phase: 6h}}\n"),
          {0, 50}, {6 * H, 200}, {9 * H, 200 + 150 * M_SQRT1_2}, {12 * H, 350}, {18 * H, 200},
          {24 * H, 50}, {36 * H, 350});
    /* Default period 24h and phase 0: the quarter points are 0h, 6h, 12h, 18h. */
    CHECK(load_of("load: {diurnal: {mean: 10, amplitude: 4}}\n"), {0, 10}, {6 * H, 14},
          {12 * H, 10}, {18 * H, 6});
    /* Weekly: the run starts on a Thursday, so days 2 and 3 (48h..96h) are the weekend. */
    CHECK(load_of("load: {diurnal: {mean: 100, amplitude: 0, weekly: {weekend: 0.25,"
                  " startDay: thursday}}}\n"),
          {0, 100}, {48 * H - 1, 100}, {48 * H, 25}, {95 * H, 25}, {96 * H, 100},
          {7 * 24 * H + 48 * H, 25});
    /* Monday start by default: Saturday is day 5. */
    CHECK(load_of("load: {diurnal: {mean: 8, amplitude: 0, weekly: {weekend: 0.5}}}\n"),
          {4 * 24 * H, 8}, {5 * 24 * H, 4}, {6 * 24 * H + H, 4}, {7 * 24 * H, 8});
}

static void test_spike(void **state)
{
    (void)state;
    CHECK(load_of("load: {spike: {shape: square, start: 1h, duration: 10m, height: 500}}\n"),
          {0, 0}, {H - 1, 0}, {H, 500}, {H + 10 * MIN - 1, 500}, {H + 10 * MIN, 0});
    /* Triangle: 0 at start, height at the middle, half height at a quarter. */
    CHECK(load_of("load: {spike: {shape: triangle, start: 100s, duration: 40s, height: 80}}\n"),
          {100 * S, 0}, {110 * S, 40}, {120 * S, 80}, {130 * S, 40}, {140 * S, 0});
    /* Exponential decay with time constant 60s: e^-1 of the height after 60s. */
    CHECK(load_of("load: {spike: {shape: exponential-decay, start: 0s, duration: 60s,"
                  " height: 100}}\n"),
          {0, 100}, {60 * S, 100 * exp(-1)}, {120 * S, 100 * exp(-2)});
    /* Repeating every 1h. */
    CHECK(load_of("load: {spike: {start: 30m, duration: 5m, height: 7, every: 1h}}\n"), {0, 0},
          {30 * MIN, 7}, {35 * MIN, 0}, {90 * MIN, 7}, {95 * MIN, 0});
}

static void test_sum_product(void **state)
{
    (void)state;
    /* 100 + ramp 0 → 60 over 1m + step 5 from 30s. */
    CHECK(load_of("load: {sum: [100, {ramp: {from: 0, to: 60, duration: 1m}},"
                  " {step: {steps: [{at: 30s, value: 5}]}}]}\n"),
          {0, 100}, {30 * S, 135}, {60 * S, 165});
    /* A diurnal shape scaled by a weekend factor and a constant 2. */
    CHECK(load_of("load: {product: [2, {diurnal: {mean: 10, amplitude: 5}}]}\n"), {0, 20},
          {6 * H, 30});
    /* Nested: (1 + 2) * (4 + 0) */
    CHECK(load_of("load: {product: [{sum: [1, 2]}, {sum: [4, {constant: 0}]}]}\n"), {0, 12});
    /* A negative total is offered as 0: 10 + a walk stuck at -50. */
    struct load *l = load_of("load: {sum: [10, {randomWalk: {start: -50, sigma: 0, min: -50,"
                             " max: 0}}]}\n");
    assert_true(load_rate(l, 0) == 0);
    assert_true(load_value(l, 0) == -40);
    load_free(l);
}

#define NOISE "load: {poissonNoise: {interval: 1s, rate: 100}}\n"

static void test_poisson_determinism(void **state)
{
    (void)state;
    static double a[1000], b[1000], c[1000], coarse[100];
    sample(NOISE, 42, S, 1000, a);
    sample(NOISE, 42, S, 1000, b);
    sample(NOISE, 43, S, 1000, c);
    assert_memory_equal(a, b, sizeof a);
    size_t same = 0;
    for (size_t i = 0; i < 1000; i++)
        same += a[i] == c[i];
    /* Two independent Poisson(100) draws agree with probability about 4 %. */
    assert_in_range(same, 0, 100);
    /* Evaluating only every 10th interval sees the same values: draws do not depend on calls. */
    sample(NOISE, 42, 10 * S, 100, coarse);
    for (size_t i = 0; i < 100; i++)
        assert_true(coarse[i] == a[10 * i]);
    /* Within an interval the value holds; counts are whole numbers per interval. */
    struct load *l = try_load(NOISE, 42);
    assert_true(load_rate(l, 5 * S) == a[5]);
    assert_true(load_rate(l, 6 * S - 1) == a[5]);
    assert_true(a[5] == floor(a[5]));
    load_free(l);
}

/*
 * 10,000 one-second intervals of Poisson(100): the sample mean has standard
 * deviation sqrt(100 / 10000) = 0.1, and the sample variance about
 * sqrt((lambda + 2 lambda^2) / n) = 1.42 (the fourth central moment of a
 * Poisson is lambda + 3 lambda^2). Bounds of five standard deviations: a
 * correct generator fails them with probability below 1e-6 for a random
 * seed (and the seed is fixed).
 */
static void test_poisson_moments(void **state)
{
    (void)state;
    enum { N = 10000 };
    static double x[N];
    sample(NOISE, 7, S, N, x);
    double mean = 0, var = 0;
    for (size_t i = 0; i < N; i++)
        mean += x[i] / N;
    for (size_t i = 0; i < N; i++)
        var += (x[i] - mean) * (x[i] - mean) / (N - 1);
    check_close(mean, 100, 0.5);
    check_close(var, 100, 5 * 1.4177);
    /* With a 15 s interval the rate is N/15: its variance is 100/15. */
    sample("load: {poissonNoise: {interval: 15s, rate: 100}}\n", 7, 15 * S, N, x);
    mean = var = 0;
    for (size_t i = 0; i < N; i++)
        mean += x[i] / N;
    for (size_t i = 0; i < N; i++)
        var += (x[i] - mean) * (x[i] - mean) / (N - 1);
    check_close(mean, 100, 5 * sqrt(100.0 / 15 / N));
    check_close(var, 100.0 / 15, 5 * sqrt((1500 + 2 * 1500.0 * 1500) / N) / 225);
}

static void test_poisson_in_sum(void **state)
{
    (void)state;
    /* As a part of a sum, the noise samples the other parts: at each interval start the
     * sum is exactly what a noise with that rate gives (same stream named by `stream`). */
    static double alone[200], in_sum[200];
    sample("load: {poissonNoise: {interval: 15s, rate: {diurnal: {mean: 50, amplitude: 40,"
           " period: 1h}}, stream: n}}\n",
           1, 15 * S, 200, alone);
    sample("load: {sum: [{diurnal: {mean: 50, amplitude: 40, period: 1h}},"
           " {poissonNoise: {interval: 15s, stream: n}}]}\n",
           1, 15 * S, 200, in_sum);
    for (size_t i = 0; i < 200; i++)
        check_close(in_sum[i], alone[i], 1e-9);
    /* The noise is listed first or last: evaluation order is the sum's business. */
    sample("load: {sum: [{poissonNoise: {interval: 15s, stream: n}},"
           " {diurnal: {mean: 50, amplitude: 40, period: 1h}}]}\n",
           1, 15 * S, 200, in_sum);
    for (size_t i = 0; i < 200; i++)
        check_close(in_sum[i], alone[i], 1e-9);
}

static void test_random_walk(void **state)
{
    (void)state;
    static double a[2000], b[2000], c[2000];
    const char *walk = "load: {randomWalk: {start: 5, sigma: 3, interval: 1m, min: 0,"
                       " max: 10}}\n";
    sample(walk, 42, 30 * S, 2000, a);
    sample(walk, 42, 30 * S, 2000, b);
    sample(walk, 9, 30 * S, 2000, c);
    assert_memory_equal(a, b, sizeof a);
    assert_true(a[0] == 5 && a[1] == 5); /* the first step is at 1m */
    size_t same = 0, moved = 0;
    for (size_t i = 0; i < 2000; i++) {
        assert_true(a[i] >= 0 && a[i] <= 10);
        same += a[i] == c[i];
        if (i % 2 == 1)
            assert_true(a[i] == a[i - 1]); /* constant within each minute */
        moved += i % 2 == 0 && i > 0 && a[i] != a[i - 1];
    }
    assert_in_range(same, 0, 20);
    assert_int_equal(moved, 999);
    /* The steps are gsl_ran_gaussian draws of the named stream, reflected at the bounds. */
    struct rng *r = rng_new(42);
    gsl_rng *g = rng_stream(r, "load/randomWalk");
    double x = 5;
    for (size_t k = 1; k < 1000; k++) {
        x += gsl_ran_gaussian(g, 3);
        x = x > 10 ? 20 - x : x;
        x = x < 0 ? -x : x;
        x = fmin(fmax(x, 0), 10);
        assert_true(a[2 * k] == x);
    }
    rng_free(r);
    /* sigma 0 never moves. */
    sample("load: {randomWalk: {start: 3, sigma: 0, min: 0, max: 4}}\n", 1, H, 10, c);
    for (size_t i = 0; i < 10; i++)
        assert_true(c[i] == 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_constant, teardown),
        cmocka_unit_test_teardown(test_step, teardown),
        cmocka_unit_test_teardown(test_ramp, teardown),
        cmocka_unit_test_teardown(test_diurnal, teardown),
        cmocka_unit_test_teardown(test_spike, teardown),
        cmocka_unit_test_teardown(test_sum_product, teardown),
        cmocka_unit_test_teardown(test_poisson_determinism, teardown),
        cmocka_unit_test_teardown(test_poisson_moments, teardown),
        cmocka_unit_test_teardown(test_poisson_in_sum, teardown),
        cmocka_unit_test_teardown(test_random_walk, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
