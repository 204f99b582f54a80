/*
 * Model test: the capacity index against a plain array, under seeded random
 * operations (fixed seeds, GSL mt19937, so every run sees the same
 * sequence). The policies that use it (first-fit, next-fit, random) are
 * tested on a live cluster against brute-force scans in model_binpack.c.
 */
#include "testutil.h"

#include <gsl/gsl_rng.h>

#include "models/placement/capindex.h"

/* ---- the index alone, against a plain array ---- */

enum { MAXN = 700 };

/* The model: per node, per view, the free capacity the index should store. */
static int64_t avail[MAXN][2][RES_MAX];

static int32_t brute_first_fit(size_t n, int view, int dims, const struct resources *req,
                               int32_t start)
{
    for (size_t i = start < 0 ? 0 : (size_t)start; i < n; i++) {
        int ok = 1;
        for (int d = 0; d < dims && ok; d++) {
            int64_t want = d == RES_PODS && req->v[d] <= 0 ? 1 : req->v[d];
            ok = want <= 0 || avail[i][view][d] >= want;
        }
        if (ok)
            return (int32_t)i;
    }
    return -1;
}

/*
 * With floored set, the index is told that every query asks for at least 2
 * of dimension 0 and 1 of dimension 1, and queries do; nodes below that are
 * stored as unusable but answers must not change.
 */
static void index_run(unsigned long seed, int dims, unsigned flags, int floored)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    struct capindex *idx = capindex_new(dims, flags);
    struct resources floor;
    for (int d = 0; d < RES_MAX; d++)
        floor.v[d] = INT64_MIN;
    if (floored) {
        floor.v[0] = 2;
        floor.v[1] = 1;
        capindex_set_floor(idx, &floor);
    }
    floor.v[RES_PODS] = 1;
    int views = flags & CAPINDEX_UNTAINTED ? 2 : 1;
    size_t n = 0;
    static const int64_t small[] = {-1, 0, 1, 2, 3, 5, 8};
    for (int step = 0; step < 20000; step++) {
        unsigned op = (unsigned)gsl_rng_uniform_int(r, 10);
        if (op < 4 || n == 0) {
            /* Set a node; often a new one beyond the end (growth). */
            size_t id;
            if (n == 0 || (n < MAXN && gsl_rng_uniform_int(r, 4) == 0))
                id = n + gsl_rng_uniform_int(r, MAXN - n < 8 ? MAXN - n : 8);
            else
                id = gsl_rng_uniform_int(r, n);
            while (n <= id) {
                for (int d = 0; d < RES_MAX; d++)
                    avail[n][0][d] = avail[n][1][d] = -1;
                n++;
            }
            struct resources f;
            res_zero(&f);
            int dead = gsl_rng_uniform_int(r, 8) == 0;
            int tainted = gsl_rng_uniform_int(r, 4) == 0;
            for (int d = 0; d < dims; d++)
                f.v[d] = small[gsl_rng_uniform_int(r, sizeof small / sizeof *small)];
            int grew = capindex_set(idx, (int32_t)id, dead ? NULL : &f, tainted);
            /* Below the floor (one pod at least) a node takes nothing: stored as unusable. */
            for (int d = 0; d < dims; d++)
                dead |= f.v[d] < floor.v[d];
            int want_grew = 0;
            for (int d = 0; d < dims; d++) {
                int64_t v = dead ? -1 : f.v[d];
                int64_t u = dead || tainted ? -1 : f.v[d];
                want_grew |= v > avail[id][0][d] || (views == 2 && u > avail[id][1][d]);
                avail[id][0][d] = v;
                avail[id][1][d] = u;
            }
            if (grew != want_grew)
                fail_msg("seed %lu step %d: set reported growth %d, expected %d", seed, step, grew,
                         want_grew);
        } else {
            struct resources req;
            res_zero(&req);
            for (int d = 0; d < dims; d++)
                req.v[d] = gsl_rng_uniform_int(r, 3) ? 0 : (int64_t)gsl_rng_uniform_int(r, 7);
            req.v[RES_PODS] = gsl_rng_uniform_int(r, 2);
            for (int d = 0; d < 2; d++)
                if (req.v[d] < floor.v[d])
                    req.v[d] = floor.v[d] + (int64_t)gsl_rng_uniform_int(r, 5);
            int view = (int)gsl_rng_uniform_int(r, (unsigned long)views);
            int32_t start = (int32_t)gsl_rng_uniform_int(r, n + 2);
            int32_t want = brute_first_fit(n, view, dims, &req, start);
            int32_t got = capindex_first_fit(idx, &req, start, view);
            if (want != got)
                fail_msg("seed %lu step %d: view %d first fit from %d is %d, brute force %d", seed,
                         step, view, start, got, want);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (int v = 0; v < views; v++)
            for (int d = 0; d < dims; d++)
                assert_int_equal(capindex_get(idx, (int32_t)i, v, d), avail[i][v][d]);
    capindex_free(idx);
    gsl_rng_free(r);
}

static void test_index_vs_array(void **state)
{
    (void)state;
    index_run(1, 4, 0, 0);
    index_run(2, 5, 0, 0);
    index_run(3, 8, 0, 1);
    index_run(4, 4, CAPINDEX_UNTAINTED, 0);
    index_run(5, 6, CAPINDEX_UNTAINTED, 1);
    index_run(6, 8, CAPINDEX_UNTAINTED, 1);
    index_run(7, 4, 0, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_vs_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
