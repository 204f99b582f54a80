/*
 * The random placement policy (models/placement/random.c): only feasible
 * nodes are drawn, each equally often, the same ones for the same seed.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

struct harness {
    struct cluster *c;
    struct placement p;
    gsl_rng *r;
};

static void forward(void *ctx, int32_t node)
{
    struct harness *h = ctx;
    h->p.ops->node_changed(h->p.state, h->c, node);
}

/*
 * Ten nodes of which six can take a 1000m/4Gi pod without tolerations:
 *   n0 tainted, n1 cordoned, n2 too small, n3 pool=b (the pod selects pool=a),
 *   n4..n9 pool=a, 4000m/16Gi.
 */
static struct harness *start(unsigned long seed)
{
    struct harness *h = calloc(1, sizeof *h);
    h->c = cluster_new();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    for (int i = 0; i < 10; i++) {
        struct resources a;
        res_zero(&a);
        a.v[RES_CPU] = i == 2 ? 500 : 4000;
        a.v[RES_MEMORY] = 16 * GI;
        a.v[RES_PODS] = 110;
        struct labelset ls;
        labelset_init(&ls);
        labelset_set(&ls, "pool", i == 3 ? "b" : "a");
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        cluster_add_node(h->c, name, -1, &a, &ls, i == 0 ? &gpu : NULL, i == 0, i == 1);
        labelset_release(&ls);
    }
    h->r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(h->r, seed);
    struct placement_env env = {.rng = h->r};
    assert_int_equal(placement_init(&h->p, placement_find("random"), h->c, &env), 0);
    struct cluster_listener l = {forward, h};
    cluster_listen(h->c, &l);
    return h;
}

static void finish(struct harness *h)
{
    placement_release(&h->p);
    cluster_free(h->c);
    gsl_rng_free(h->r);
    free(h);
}

static int32_t owner(struct harness *h, int64_t cpu_m, const char *selector)
{
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = 4 * GI;
    if (selector)
        labelset_set(&ps.node_selector, "pool", selector);
    char name[16];
    snprintf(name, sizeof name, "o%zu", h->c->nowners);
    return cluster_add_owner(h->c, OWNER_DEPLOYMENT, name, &ps, 1);
}

/* The node chosen for a new pod of owner o, without binding it. */
static int32_t draw(struct harness *h, int32_t o)
{
    int32_t pod = cluster_new_pod(h->c, o, 0);
    int32_t n = h->p.ops->place(h->p.state, h->c, pod);
    if (n >= 0)
        assert_true(placement_feasible(h->c, &h->c->pods[pod], n));
    cluster_delete_pod(h->c, pod);
    return n;
}

/*
 * 60,000 draws over the six feasible nodes: about 10,000 each. Pearson's
 * chi-square with 5 degrees of freedom stays below 20.5 with probability
 * 0.999 for a uniform draw; the seed is fixed, so the outcome is too.
 */
static void test_uniform_over_feasible(void **state)
{
    (void)state;
    struct harness *h = start(1);
    int32_t o = owner(h, 1000, "a");
    long count[10] = {0};
    enum { DRAWS = 60000 };
    for (int i = 0; i < DRAWS; i++) {
        int32_t n = draw(h, o);
        assert_true(n >= 4 && n <= 9);
        count[n]++;
    }
    double chi2 = 0, expect = DRAWS / 6.0;
    for (int n = 4; n <= 9; n++)
        chi2 += (count[n] - expect) * (count[n] - expect) / expect;
    if (chi2 > 20.5)
        fail_msg("chi-square %.2f over 6 nodes: not uniform", chi2);
    finish(h);
}

/* The same seed, the same draws; another seed, others. */
static void test_deterministic(void **state)
{
    (void)state;
    int32_t seq[3][24];
    const unsigned long seeds[3] = {7, 7, 8};
    for (int k = 0; k < 3; k++) {
        struct harness *h = start(seeds[k]);
        int32_t o = owner(h, 1000, NULL);
        for (int i = 0; i < 24; i++) {
            int32_t pod = cluster_new_pod(h->c, o, 0);
            seq[k][i] = h->p.ops->place(h->p.state, h->c, pod);
            assert_true(seq[k][i] >= 0);
            cluster_bind(h->c, pod, seq[k][i], 0); /* 24 of the 28 slots of n3..n9 */
        }
        finish(h);
    }
    assert_memory_equal(seq[0], seq[1], sizeof seq[0]);
    assert_memory_not_equal(seq[0], seq[2], sizeof seq[0]);
}

/*
 * One feasible node among many: rejection sampling mostly misses and the
 * policy enumerates, still drawing that node every time; none feasible: -1.
 */
static void test_scarce_and_none(void **state)
{
    (void)state;
    struct harness *h = start(3);
    for (int i = 10; i < 300; i++) {
        struct resources a;
        res_zero(&a);
        a.v[RES_CPU] = i == 137 ? 8000 : 1000;
        a.v[RES_MEMORY] = 16 * GI;
        a.v[RES_PODS] = 110;
        char name[16];
        snprintf(name, sizeof name, "m%d", i);
        cluster_add_node(h->c, name, -1, &a, NULL, NULL, 0, 0);
    }
    int32_t big = owner(h, 6000, NULL);
    for (int i = 0; i < 200; i++)
        assert_int_equal(draw(h, big), 137);
    assert_int_equal(draw(h, owner(h, 9000, NULL)), -1);
    assert_int_equal(draw(h, owner(h, 1000, "c")), -1);
    /* Tolerating the unschedulable taint opens the cordoned n1 (4000m) to a 3000m pod. */
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = 3000;
    ps.tols = calloc(1, sizeof *ps.tols);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    toleration_copy(&ps.tols[0], &u);
    ps.ntols = 1;
    int32_t cordon_ok = cluster_add_owner(h->c, OWNER_DEPLOYMENT, "cordon-ok", &ps, 1);
    int seen1 = 0;
    for (int i = 0; i < 2000; i++) {
        int32_t n = draw(h, cordon_ok);
        assert_true(n == 1 || (n >= 3 && n <= 9) || n == 137);
        seen1 |= n == 1;
    }
    assert_true(seen1);
    finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform_over_feasible),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_scarce_and_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
