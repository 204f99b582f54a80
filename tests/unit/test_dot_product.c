/*
 * Worked examples for the dot-product placement policy
 * (models/placement/dot_product.c): score(n) = sum over cpu, memory (and
 * requested extended resources) of (request / allocatable) · (free /
 * allocatable), computed by hand below; the most wins, ties to the lowest id.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define POLICY "dot-product"

#define GI ((int64_t)1 << 30)

/* A cluster with the policy attached the way the scheduler attaches it. */
struct harness {
    struct cluster *c;
    struct placement p;
};

static void forward(void *ctx, int32_t node)
{
    struct harness *h = ctx;
    h->p.ops->node_changed(h->p.state, h->c, node);
}

static struct harness *start(void)
{
    struct harness *h = calloc(1, sizeof *h);
    h->c = cluster_new();
    return h;
}

static void attach(struct harness *h)
{
    struct placement_env env = {NULL};
    assert_int_equal(placement_init(&h->p, placement_find(POLICY), h->c, &env), 0);
    struct cluster_listener l = {forward, h};
    cluster_listen(h->c, &l);
}

static void finish(struct harness *h)
{
    char err[256];
    if (cluster_check(h->c, err, sizeof err) != 0)
        fail_msg("cluster_check: %s", err);
    placement_release(&h->p);
    cluster_free(h->c);
    free(h);
}

/* A node of cpu_m millicores and mem bytes (and gpus of dimension g when g > 0). */
static int32_t node_full(struct harness *h, int64_t cpu_m, int64_t mem, int g, int64_t gpus,
                         const char *label, const struct taint *taint, int unschedulable)
{
    char name[32];
    snprintf(name, sizeof name, "n%zu", h->c->nnodes);
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = cpu_m;
    a.v[RES_MEMORY] = mem;
    a.v[RES_PODS] = 110;
    if (g > 0)
        a.v[g] = gpus;
    struct labelset ls;
    labelset_init(&ls);
    if (label)
        labelset_set(&ls, "pool", label);
    int32_t id = cluster_add_node(h->c, name, -1, &a, &ls, taint, taint ? 1 : 0, unschedulable);
    labelset_release(&ls);
    return id;
}

static int32_t node(struct harness *h, int64_t cpu_m, int64_t mem)
{
    return node_full(h, cpu_m, mem, 0, 0, NULL, NULL, 0);
}

static int32_t owner_full(struct harness *h, int64_t cpu_m, int64_t mem, int g, int64_t gpus,
                          const char *selector, const struct toleration *t)
{
    char name[32];
    snprintf(name, sizeof name, "o%zu", h->c->nowners);
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = mem;
    if (g > 0)
        ps.req.v[g] = gpus;
    if (selector)
        labelset_set(&ps.node_selector, "pool", selector);
    if (t) {
        ps.tols = calloc(1, sizeof *ps.tols);
        toleration_copy(&ps.tols[0], t);
        ps.ntols = 1;
    }
    return cluster_add_owner(h->c, OWNER_DEPLOYMENT, name, &ps, 1);
}

static int32_t owner(struct harness *h, int64_t cpu_m, int64_t mem)
{
    return owner_full(h, cpu_m, mem, 0, 0, NULL, NULL);
}

/* Binds a pod asking for cpu_m and mem straight to node n, to set a node's usage by hand. */
static void fill(struct harness *h, int32_t n, int64_t cpu_m, int64_t mem)
{
    int32_t o = owner(h, cpu_m, mem);
    cluster_bind(h->c, cluster_new_pod(h->c, o, 0), n, 0);
}

/* Creates a pod of owner o, places it, binds it if placed; returns the node or -1. */
static int32_t place(struct harness *h, int32_t o)
{
    int32_t pod = cluster_new_pod(h->c, o, 0);
    int32_t n = h->p.ops->place(h->p.state, h->c, pod);
    if (n >= 0) {
        assert_true(placement_feasible(h->c, &h->c->pods[pod], n));
        cluster_bind(h->c, pod, n, 0);
    } else {
        cluster_delete_pod(h->c, pod);
    }
    return n;
}

/*
 * Alignment. n0 and n1 are 4000m/16Gi; n0 has 3000m in use (free 1000m/16Gi,
 * memory-rich), n1 12Gi (free 4000m/4Gi, cpu-rich). A cpu-heavy pod of
 * 1000m/1Gi scores
 *   n0: (1/4)(1/4) + (1/16)(16/16) = 0.125    n1: (1/4)(4/4) + (1/16)(4/16) = 0.265625
 * and goes to n1; a memory-heavy pod of 250m/4Gi then scores
 *   n0: (1/16)(1/4) + (4/16)(16/16) = 0.265625
 *   n1 (free 3000m/3Gi): (1/16)(3/4) + (4/16)(3/16) = 0.09375
 * and goes to n0.
 */
static void test_alignment(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 4000, 16 * GI); /* n0 */
    node(h, 4000, 16 * GI); /* n1 */
    fill(h, 0, 3000, 0);
    fill(h, 1, 0, 12 * GI);
    attach(h);
    assert_int_equal(place(h, owner(h, 1000, GI)), 1);
    assert_int_equal(place(h, owner(h, 250, 4 * GI)), 0);
    finish(h);
}

/*
 * Normalizing by the node: a 1000m/4Gi pod on empty nodes of 8000m/32Gi
 * scores (1/8)(1) + (1/8)(1) = 0.25, on a 4000m/16Gi node half used
 * (1/4)(1/2) + (1/4)(1/2) = 0.25 as well: a tie, to the lowest id whichever
 * is which. An empty 2000m/8Gi node added then scores (1/2) + (1/2) = 1.
 */
static void test_ties_lowest_id(void **state)
{
    (void)state;
    for (int flip = 0; flip < 2; flip++) {
        struct harness *h = start();
        int32_t big = flip ? 1 : 0, small = flip ? 0 : 1;
        for (int i = 0; i < 2; i++)
            node(h, i == big ? 8000 : 4000, (i == big ? 32 : 16) * GI);
        fill(h, small, 2000, 8 * GI);
        attach(h);
        int32_t o = owner(h, 1000, 4 * GI);
        assert_int_equal(place(h, o), 0);
        node(h, 2000, 8 * GI); /* n2 */
        assert_int_equal(place(h, o), 2);
        finish(h);
    }
}

/* A pod that asks for no cpu or memory scores 0 everywhere: the lowest feasible id. */
static void test_zero_request(void **state)
{
    (void)state;
    struct harness *h = start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    node_full(h, 4000, 16 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    node(h, 2000, 8 * GI);                            /* n1 */
    node(h, 8000, 32 * GI);                           /* n2 */
    attach(h);
    int32_t o = owner(h, 0, 0);
    assert_int_equal(place(h, o), 1);
    assert_int_equal(place(h, o), 1);
    finish(h);
}

/*
 * n0 8000m/32Gi with 4 GPUs, n1 the same with 2. A pod of 1000m/4Gi and 1 GPU:
 *   n0: (1/8)(1) + (1/8)(1) + (1/4)(1) = 0.5    n1: 1/8 + 1/8 + (1/2)(1) = 0.75
 * goes to n1; then n1 scores (1/8)(7/8) + (1/8)(7/8) + (1/2)(1/2) = 0.46875 < 0.5: n0.
 */
static void test_extended_resources(void **state)
{
    (void)state;
    struct harness *h = start();
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    node_full(h, 8000, 32 * GI, g, 4, NULL, NULL, 0); /* n0 */
    node_full(h, 8000, 32 * GI, g, 2, NULL, NULL, 0); /* n1 */
    node(h, 2000, 8 * GI);                            /* n2: no GPU */
    attach(h);
    int32_t gpu = owner_full(h, 1000, 4 * GI, g, 1, NULL, NULL);
    assert_int_equal(place(h, gpu), 1);
    assert_int_equal(place(h, gpu), 0);
    /* Without GPU: n2 (1/2)(1) + (1/2)(1) = 1 beats n0 (1/8)(7/8) · 2 = 0.21875. */
    assert_int_equal(place(h, owner(h, 1000, 4 * GI)), 2);
    finish(h);
}

/*
 * The filters: n0 (2000m/8Gi, the best score for a 1000m/4Gi pod: 1.0) is
 * tainted, n1 (the same) cordoned, n2 2000m/8Gi in pool b, n3 4000m/16Gi
 * (0.5) plain.
 */
static void test_hard_filters(void **state)
{
    (void)state;
    struct harness *h = start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_EXECUTE};
    node_full(h, 2000, 8 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    node_full(h, 2000, 8 * GI, 0, 0, NULL, NULL, 1); /* n1 */
    node_full(h, 2000, 8 * GI, 0, 0, "b", NULL, 0);  /* n2 */
    node(h, 4000, 16 * GI);                          /* n3 */
    attach(h);
    int32_t plain = owner(h, 1000, 4 * GI);
    struct toleration t = {"dedicated", "", TOL_EXISTS, -1};
    int32_t tolerant = owner_full(h, 1000, 4 * GI, 0, 0, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = owner_full(h, 1000, 4 * GI, 0, 0, NULL, &u);
    int32_t in_a = owner_full(h, 1000, 4 * GI, 0, 0, "a", NULL);
    assert_int_equal(place(h, plain), 2);     /* n2 1.0 (no selector needed) */
    assert_int_equal(place(h, plain), 2);     /* n2 now (1/2)(1/2) · 2 = 0.5 = n3 0.5: lower id */
    assert_int_equal(place(h, tolerant), 0);  /* n0 1.0 > n3 0.5; n2 is full */
    assert_int_equal(place(h, cordon_ok), 1); /* n1 1.0 */
    assert_int_equal(place(h, in_a), -1);
    assert_int_equal(place(h, owner(h, 5000, GI)), -1);
    finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),    cmocka_unit_test(test_ties_lowest_id),
        cmocka_unit_test(test_zero_request), cmocka_unit_test(test_extended_resources),
        cmocka_unit_test(test_hard_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
