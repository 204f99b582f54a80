#ifndef KSIM_TESTS_LOADTEST_H
#define KSIM_TESTS_LOADTEST_H
/*
 * Helpers for the load model tests (test_load.c, test_loadspec.c,
 * test_load_data.c): read a `load:` spec from a YAML string and check its
 * rates at chosen instants. Static, so each test file gets its own copy
 * of the state below.
 */
#include <math.h>
#include <string.h>

#include "models/load/load.h"
#include "sim/engine/rng.h"
#include "sim/io/scenario/loadspec.h"
#include "testutil.h"

#define S   SIMTIME_S
#define MIN SIMTIME_MIN
#define H   SIMTIME_HOUR

static struct ytree *tree;
static struct rng *rng;
static struct diag d;

static const char *data_dir; /* loadspec_env.data_dir for the next load */

static struct load *try_load(const char *text, uint64_t seed)
{
    ytree_free(tree);
    rng_free(rng);
    diag_clear(&d);
    tree = ytree_load_string("l.yaml", text, strlen(text), &d);
    if (!tree)
        fail_msg("cannot load test input: %s", d.text);
    rng = rng_new(seed);
    struct loadspec_env env = {rng, "load", NULL, data_dir};
    return loadspec_read(ynode_get(tree->docs[0], "load"), "load", &env, &d);
}

static __attribute__((unused)) struct load *load_of(const char *text)
{
    struct load *l = try_load(text, 42);
    if (!l)
        fail_msg("unexpected error: %s", d.text);
    return l;
}

static __attribute__((unused)) int teardown(void **state)
{
    (void)state;
    ytree_free(tree);
    rng_free(rng);
    tree = NULL;
    rng = NULL;
    return 0;
}

/* Checks rates at increasing instants, then frees l. */
static __attribute__((unused)) void check_rates(struct load *l, const simtime *at,
                                                const double *want, size_t n)
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

/* The rates of text at 0, step, 2 step, ... (n of them) with the given seed. */
static __attribute__((unused)) void sample(const char *text, uint64_t seed, simtime step, size_t n,
                                           double *out)
{
    struct load *l = try_load(text, seed);
    if (!l)
        fail_msg("unexpected error: %s", d.text);
    for (size_t i = 0; i < n; i++)
        out[i] = load_rate(l, (simtime)i * step);
    load_free(l);
}

#endif
