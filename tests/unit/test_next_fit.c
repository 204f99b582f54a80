/* Worked examples for the next-fit placement policy (models/placement/next_fit.c). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

/* A cluster with next-fit attached the way the scheduler attaches it. */
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
    struct placement_env env = {.rng = NULL};
    assert_int_equal(placement_init(&h->p, placement_find("next-fit"), h->c, &env), 0);
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

static int32_t node_full(struct harness *h, int64_t cpu_m, int64_t mem, const char *label,
                         const struct taint *taint, int unschedulable)
{
    char name[32];
    snprintf(name, sizeof name, "n%zu", h->c->nnodes);
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = cpu_m;
    a.v[RES_MEMORY] = mem;
    a.v[RES_PODS] = 110;
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
    return node_full(h, cpu_m, mem, NULL, NULL, 0);
}

static int32_t owner(struct harness *h, int64_t cpu_m, int64_t mem, const char *selector,
                     const struct toleration *t)
{
    char name[32];
    snprintf(name, sizeof name, "o%zu", h->c->nowners);
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = mem;
    if (selector)
        labelset_set(&ps.node_selector, "pool", selector);
    if (t) {
        ps.tols = calloc(1, sizeof *ps.tols);
        toleration_copy(&ps.tols[0], t);
        ps.ntols = 1;
    }
    return cluster_add_owner(h->c, OWNER_DEPLOYMENT, name, &ps, 1);
}

/* Creates a pod of owner o, places it, binds it if placed; returns the node or -1. */
static int32_t place(struct harness *h, int32_t o, int32_t *pod_out)
{
    int32_t pod = cluster_new_pod(h->c, o, 0);
    int32_t n = h->p.ops->place(h->p.state, h->c, pod);
    if (n >= 0) {
        assert_true(placement_feasible(h->c, &h->c->pods[pod], n));
        cluster_bind(h->c, pod, n, 0);
    } else {
        cluster_delete_pod(h->c, pod);
        pod = -1;
    }
    if (pod_out)
        *pod_out = pod;
    return n;
}

/* Four equal nodes: next-fit deals pods round them, where first-fit would fill n0 first. */
static void test_deals_round_the_cluster(void **state)
{
    (void)state;
    struct harness *h = start();
    for (int i = 0; i < 4; i++)
        node(h, 4000, 16 * GI);
    attach(h);
    int32_t o = owner(h, 1000, GI, NULL, NULL);
    const int32_t want[] = {0, 1, 2, 3, 0, 1, 2, 3, 0};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(place(h, o, NULL), want[i]);
    finish(h);
}

/*
 * n0 2000m, n1 1000m, n2 4000m; pods of 1500m:
 *   1st: from n0: n0 (500m left)
 *   2nd: from n1: n1 too small, n2 (2500m left)
 *   3rd: from n3 = past the end, so from n0: n0 500m, n1 1000m, n2 (1000m left) -- the node
 *        last chosen is looked at last
 *   4th: from n0 again: nothing has 1500m: -1, and the pointer stays on n2
 * then pods of 500m: from n0: n0 (0 left); from n1: n1 (500m left).
 */
static void test_wraps_once(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 2000, 8 * GI); /* n0 */
    node(h, 1000, 8 * GI); /* n1 */
    node(h, 4000, 8 * GI); /* n2 */
    attach(h);
    int32_t big = owner(h, 1500, GI, NULL, NULL), small = owner(h, 500, GI, NULL, NULL);
    assert_int_equal(place(h, big, NULL), 0);
    assert_int_equal(place(h, big, NULL), 2);
    assert_int_equal(place(h, big, NULL), 2);
    assert_int_equal(place(h, big, NULL), -1);
    assert_int_equal(place(h, small, NULL), 0);
    assert_int_equal(place(h, small, NULL), 1);
    /* From n2: 1000m left there. */
    assert_int_equal(place(h, small, NULL), 2);
    finish(h);
}

/*
 * n0 tainted dedicated=gpu:NoSchedule, n1 cordoned, n2 pool=a, n3 pool=b, n4 plain.
 * Each pod starts after the node chosen last and skips what it may not use.
 */
static void test_hard_filters(void **state)
{
    (void)state;
    struct harness *h = start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    node_full(h, 4000, 16 * GI, NULL, &gpu, 0); /* n0 */
    node_full(h, 4000, 16 * GI, NULL, NULL, 1); /* n1 */
    node_full(h, 4000, 16 * GI, "a", NULL, 0);  /* n2 */
    node_full(h, 4000, 16 * GI, "b", NULL, 0);  /* n3 */
    node(h, 4000, 16 * GI);                     /* n4 */
    attach(h);
    int32_t plain = owner(h, 1000, GI, NULL, NULL);
    int32_t in_b = owner(h, 1000, GI, "b", NULL);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = owner(h, 1000, GI, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = owner(h, 1000, GI, NULL, &u);
    assert_int_equal(place(h, plain, NULL), 2);     /* n0 tainted, n1 cordoned */
    assert_int_equal(place(h, in_b, NULL), 3);      /* from n3 */
    assert_int_equal(place(h, plain, NULL), 4);     /* from n4 */
    assert_int_equal(place(h, plain, NULL), 2);     /* wraps: n0, n1 again ruled out */
    assert_int_equal(place(h, tolerant, NULL), 3);  /* from n3: n3 first */
    assert_int_equal(place(h, tolerant, NULL), 4);  /* from n4 */
    assert_int_equal(place(h, tolerant, NULL), 0);  /* wraps to the tainted node it tolerates */
    assert_int_equal(place(h, cordon_ok, NULL), 1); /* from n1, cordoned but tolerated */
    assert_int_equal(place(h, in_b, NULL), 3);      /* from n2: n2 is pool a */
    int32_t in_c = owner(h, 100, GI, "c", NULL);
    assert_int_equal(place(h, in_c, NULL), -1);
    finish(h);
}

/* An extended resource only the last node has; a node added later is next in line. */
static void test_extended_and_new_nodes(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 4000, 16 * GI); /* n0 */
    node(h, 4000, 16 * GI); /* n1 */
    attach(h);
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = 8000;
    a.v[RES_MEMORY] = 32 * GI;
    a.v[RES_PODS] = 110;
    a.v[g] = 2;
    cluster_add_node(h->c, "gpu0", -1, &a, NULL, NULL, 0, 0); /* n2 */
    int32_t plain = owner(h, 1000, GI, NULL, NULL);
    int32_t wants = owner(h, 1000, GI, NULL, NULL);
    h->c->owners[wants].spec.req.v[g] = 1;
    assert_int_equal(place(h, plain, NULL), 0);
    assert_int_equal(place(h, wants, NULL), 2);
    assert_int_equal(place(h, plain, NULL), 0); /* from n3 = past the end: wraps */
    assert_int_equal(place(h, wants, NULL), 2);
    assert_int_equal(place(h, wants, NULL), -1); /* both GPUs taken; pointer stays on n2 */
    node(h, 4000, 16 * GI);                      /* n3 */
    assert_int_equal(place(h, plain, NULL), 3);  /* from n3 */
    finish(h);
}

/* The node last chosen is removed: the walk still starts after its id. */
static void test_removed_last_node(void **state)
{
    (void)state;
    struct harness *h = start();
    for (int i = 0; i < 4; i++)
        node(h, 2000, 8 * GI);
    attach(h);
    int32_t o = owner(h, 2000, GI, NULL, NULL);
    int32_t p0, p1;
    assert_int_equal(place(h, o, &p0), 0);
    assert_int_equal(place(h, o, &p1), 1);
    cluster_delete_pod(h->c, p1);
    cluster_remove_node(h->c, 1);
    assert_int_equal(place(h, o, NULL), 2);
    assert_int_equal(place(h, o, NULL), 3);
    assert_int_equal(place(h, o, NULL), -1); /* n0 full, n1 gone, n2 and n3 full */
    cluster_delete_pod(h->c, p0);
    assert_int_equal(place(h, o, NULL), 0);
    finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deals_round_the_cluster),
        cmocka_unit_test(test_wraps_once),
        cmocka_unit_test(test_hard_filters),
        cmocka_unit_test(test_extended_and_new_nodes),
        cmocka_unit_test(test_removed_last_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
