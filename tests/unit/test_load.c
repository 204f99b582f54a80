/*
 * Load models at chosen instants, each value worked out by hand from the
 * generator's formula (its file in models/load/), read through sim/io/loadspec as a
 * scenario would.
 */
#include "testutil.h"

#include <math.h>

#include <gsl/gsl_math.h>
#include <stdio.h>
#include <string.h>

#include "models/load/load.h"
#include "sim/engine/rng.h"
#include "sim/io/loadspec.h"

#define S   SIMTIME_S
#define MIN SIMTIME_MIN
#define H   SIMTIME_HOUR

static struct ytree *tree;
static struct rng *rng;
static struct diag d;

static struct load *try_load(const char *text, uint64_t seed)
{
    ytree_free(tree);
    rng_free(rng);
    diag_clear(&d);
    tree = ytree_load_string("l.yaml", text, strlen(text), &d);
    if (!tree)
        fail_msg("cannot load test input: %s", d.text);
    rng = rng_new(seed);
    struct loadspec_env env = {rng, "load", NULL, NULL};
    return loadspec_read(ynode_get(tree->docs[0], "load"), "load", &env, &d);
}

static struct load *load_of(const char *text)
{
    struct load *l = try_load(text, 42);
    if (!l)
        fail_msg("unexpected error: %s", d.text);
    return l;
}

static int teardown(void **state)
{
    (void)state;
    ytree_free(tree);
    rng_free(rng);
    tree = NULL;
    rng = NULL;
    return 0;
}

/* Checks rates at increasing instants, then frees l. */
static void check_rates(struct load *l, const simtime *at, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double got = load_rate(l, at[i]);
        if (!(fabs(got - want[i]) <= 1e-9 * fmax(1, fabs(want[i])))) {
            print_error("at %lld us: rate %.17g, want %.17g\n", (long long)at[i], got, want[i]);
            load_free(l);
            fail();
        }
    }
    load_free(l);
}

#define CHECK(l, ...)                                                                              \
    do {                                                                                           \
        static const struct {                                                                      \
            simtime at;                                                                            \
            double rate;                                                                           \
        } pts[] = {__VA_ARGS__};                                                                   \
        simtime at[sizeof pts / sizeof pts[0]];                                                    \
        double want[sizeof pts / sizeof pts[0]];                                                   \
        for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {                                  \
            at[i] = pts[i].at;                                                                     \
            want[i] = pts[i].rate;                                                                 \
        }                                                                                          \
        check_rates((l), at, want, sizeof pts / sizeof pts[0]);                                    \
    } while (0)

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_constant, teardown),
        cmocka_unit_test_teardown(test_step, teardown),
        cmocka_unit_test_teardown(test_ramp, teardown),
        cmocka_unit_test_teardown(test_diurnal, teardown),
        cmocka_unit_test_teardown(test_spike, teardown),
        cmocka_unit_test_teardown(test_sum_product, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
