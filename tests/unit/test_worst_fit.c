/*
 * Worked examples for the worst-fit placement policy (models/placement/worst_fit.c).
 * Scores are remaining(n) = sum over cpu, memory (and requested extended
 * resources) of (free - request) / allocatable, computed by hand below; the
 * most wins, ties to the lowest id.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define POLICY "worst-fit"

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
 * n0 4000m/16Gi, n1 8000m/32Gi, n2 2000m/8Gi; pods of 1000m/4Gi score
 *   n0: 3/4 + 12/16 = 1.5    n1: 7/8 + 28/32 = 1.75    n2: 1/2 + 4/8 = 1.0
 * 1st: n1. 2nd: n1 6/8 + 24/32 = 1.5 ties n0 1.5: n0. 3rd: n0 2/4 + 8/16 = 1.0,
 * n1 1.5: n1. 4th: n1 5/8 + 20/32 = 1.25: n1. 5th: n1 4/8 + 16/32 = 1.0, n0 1.0,
 * n2 1.0: n0.
 */
static void test_emptiest_first(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 4000, 16 * GI); /* n0 */
    node(h, 8000, 32 * GI); /* n1 */
    node(h, 2000, 8 * GI);  /* n2 */
    attach(h);
    int32_t o = owner(h, 1000, 4 * GI);
    const int32_t want[] = {1, 0, 1, 1, 0};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(place(h, o), want[i]);
    /* Fill everything: 14 pods in all fit, the 15th does not. */
    for (int i = 5; i < 14; i++)
        assert_true(place(h, o) >= 0);
    assert_int_equal(place(h, o), -1);
    finish(h);
}

/*
 * Ties go to the lowest id, also across shapes. A pod of 1000m/4Gi on
 *   big   8000m/32Gi with 3000m/20Gi in use: 4000/8000 + 8/32 = 0.75
 *   small 4000m/16Gi with 2000m/4Gi in use:  1000/4000 + 8/16 = 0.75
 * goes to n0 whichever of the two it is.
 */
static void test_ties_lowest_id(void **state)
{
    (void)state;
    for (int flip = 0; flip < 2; flip++) {
        struct harness *h = start();
        int32_t big = flip ? 1 : 0, small = flip ? 0 : 1;
        for (int i = 0; i < 2; i++)
            node(h, i == big ? 8000 : 4000, (i == big ? 32 : 16) * GI);
        fill(h, big, 3000, 20 * GI);
        fill(h, small, 2000, 4 * GI);
        attach(h);
        assert_int_equal(place(h, owner(h, 1000, 4 * GI)), 0);
        finish(h);
    }
}

/*
 * n0 8000m/32Gi tainted dedicated=gpu:NoSchedule and n1 8000m/32Gi cordoned
 * (1.75 each for a 1000m/4Gi pod), n2 pool=a 4000m/16Gi (1.5), n3 2000m/8Gi
 * (1.0), n4 pool=b 4000m/16Gi (1.5).
 */
static void test_hard_filters(void **state)
{
    (void)state;
    struct harness *h = start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    node_full(h, 8000, 32 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    node_full(h, 8000, 32 * GI, 0, 0, NULL, NULL, 1); /* n1 */
    node_full(h, 4000, 16 * GI, 0, 0, "a", NULL, 0);  /* n2 */
    node(h, 2000, 8 * GI);                            /* n3 */
    node_full(h, 4000, 16 * GI, 0, 0, "b", NULL, 0);  /* n4 */
    attach(h);
    int32_t plain = owner(h, 1000, 4 * GI);
    int32_t in_b = owner_full(h, 1000, 4 * GI, 0, 0, "b", NULL);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = owner_full(h, 1000, 4 * GI, 0, 0, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = owner_full(h, 1000, 4 * GI, 0, 0, NULL, &u);
    assert_int_equal(place(h, plain), 2);     /* n2 1.5 = n4 1.5 */
    assert_int_equal(place(h, in_b), 4);      /* only n4 */
    assert_int_equal(place(h, tolerant), 0);  /* n0 1.75 */
    assert_int_equal(place(h, plain), 2);     /* n2 1.0 = n3 1.0 = n4 1.0 */
    assert_int_equal(place(h, cordon_ok), 1); /* n1 1.75 */
    int32_t in_c = owner_full(h, 100, GI, 0, 0, "c", NULL);
    assert_int_equal(place(h, in_c), -1);
    assert_int_equal(place(h, owner(h, 8000, GI)), -1); /* only n0 and n1 are that big */
    finish(h);
}

/*
 * n0 and n1 8000m/32Gi with 4 and 2 GPUs, n2 8000m/32Gi and n3 4000m/16Gi
 * without. A pod of 1000m/4Gi and 1 GPU scores
 *   n0: 7/8 + 28/32 + 3/4 = 2.5      n1: 7/8 + 28/32 + 1/2 = 2.25
 * so n0; then n0 6/8 + 24/32 + 2/4 = 2.0 < n1 2.25: n1; then n0 2.0 > n1
 * 6/8 + 24/32 + 0 = 1.5: n0. Without GPU, cpu and memory only: n0
 * 5/8 + 20/32 = 1.25, n1 1.5, n2 1.75, n3 1.5: n2.
 */
static void test_extended_resources(void **state)
{
    (void)state;
    struct harness *h = start();
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    node_full(h, 8000, 32 * GI, g, 4, NULL, NULL, 0); /* n0 */
    node_full(h, 8000, 32 * GI, g, 2, NULL, NULL, 0); /* n1 */
    node(h, 8000, 32 * GI);                           /* n2 */
    node(h, 4000, 16 * GI);                           /* n3 */
    attach(h);
    int32_t gpu = owner_full(h, 1000, 4 * GI, g, 1, NULL, NULL);
    assert_int_equal(place(h, gpu), 0);
    assert_int_equal(place(h, gpu), 1);
    assert_int_equal(place(h, gpu), 0);
    assert_int_equal(place(h, owner(h, 1000, 4 * GI)), 2);
    finish(h);
}

/* n0 memory only (0 cpu, 16Gi): a 0m/4Gi pod scores it 12/16 = 0.75, n1 4000m/16Gi 1.75. */
static void test_missing_dimension(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 0, 16 * GI);    /* n0 */
    node(h, 4000, 16 * GI); /* n1 */
    attach(h);
    assert_int_equal(place(h, owner(h, 0, 4 * GI)), 1);
    assert_int_equal(place(h, owner(h, 0, 15 * GI)), 0); /* n1 has 12Gi left */
    finish(h);
}

/* Freeing capacity makes a node the emptiest again; a new empty node wins at once. */
static void test_churn(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 4000, 16 * GI); /* n0 */
    node(h, 4000, 16 * GI); /* n1 */
    attach(h);
    int32_t o = owner(h, 1000, 4 * GI);
    assert_int_equal(place(h, o), 0);
    assert_int_equal(place(h, o), 1);
    assert_int_equal(place(h, o), 0);
    /* n0 back to one pod: n0 and n1 both 2/4 + 8/16 = 1.0, a tie. */
    cluster_delete_pod(h->c, h->c->nodes[0].pods_head);
    assert_int_equal(place(h, o), 0);
    node(h, 8000, 32 * GI); /* n2: 7/8 + 28/32 = 1.75 */
    assert_int_equal(place(h, o), 2);
    finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emptiest_first),    cmocka_unit_test(test_ties_lowest_id),
        cmocka_unit_test(test_hard_filters),      cmocka_unit_test(test_extended_resources),
        cmocka_unit_test(test_missing_dimension), cmocka_unit_test(test_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
