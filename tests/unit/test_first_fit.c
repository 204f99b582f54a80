/* Worked examples for the first-fit placement policy (models/placement/first_fit.c). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

/* A cluster with first-fit attached the way the scheduler attaches it. */
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

/* Attaches first-fit to the nodes present now; later changes reach it through a listener. */
static void attach(struct harness *h)
{
    struct placement_env env = {.rng = NULL};
    assert_int_equal(placement_init(&h->p, placement_find("first-fit"), h->c, &env), 0);
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

static int32_t node_full(struct harness *h, int64_t cpu_m, int64_t mem, int64_t pods,
                         const char *label, const struct taint *taint, int unschedulable)
{
    char name[32];
    snprintf(name, sizeof name, "n%zu", h->c->nnodes);
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = cpu_m;
    a.v[RES_MEMORY] = mem;
    a.v[RES_PODS] = pods;
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
    return node_full(h, cpu_m, mem, 110, NULL, NULL, 0);
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
    }
    if (pod_out)
        *pod_out = pod;
    return n;
}

static void test_packs_in_id_order(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 2000, 8 * GI); /* n0 */
    node(h, 4000, 8 * GI); /* n1 */
    node(h, 8000, 8 * GI); /* n2 */
    attach(h);
    int32_t o = owner(h, 1500, GI, NULL, NULL);
    int32_t p0;
    assert_int_equal(place(h, o, &p0), 0);  /* n0: 500m left */
    assert_int_equal(place(h, o, NULL), 1); /* n1: 2500m left */
    assert_int_equal(place(h, o, NULL), 1); /* n1: 1000m left */
    assert_int_equal(place(h, o, NULL), 2); /* n2: 6500m left */
    /* A small pod still fits in n0's 500m. */
    int32_t small = owner(h, 500, GI, NULL, NULL);
    assert_int_equal(place(h, small, NULL), 0);
    /* Freeing n0's first pod makes it first again. */
    cluster_mark_running(h->c, p0);
    cluster_complete_pod(h->c, p0);
    assert_int_equal(place(h, o, NULL), 0);
    /* 4 pods of 1500m fill n2 to 500m left; the 5th fits nowhere. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(place(h, o, NULL), 2);
    assert_int_equal(place(h, o, NULL), -1);
    finish(h);
}

/* No single node below the root has both: the walk must backtrack. */
static void test_needs_every_dimension(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 8000, GI);      /* n0: cpu, little memory */
    node(h, 1000, 32 * GI); /* n1: memory, little cpu */
    node(h, 8000, GI);      /* n2 */
    node(h, 1000, 32 * GI); /* n3 */
    node(h, 4000, 8 * GI);  /* n4: enough of both */
    attach(h);
    int32_t o = owner(h, 2000, 4 * GI, NULL, NULL);
    assert_int_equal(place(h, o, NULL), 4);
    assert_int_equal(place(h, o, NULL), 4);
    assert_int_equal(place(h, o, NULL), -1);
    /* Memory-only and cpu-only pods go to the first node with room for them. */
    assert_int_equal(place(h, owner(h, 0, 16 * GI, NULL, NULL), NULL), 1);
    assert_int_equal(place(h, owner(h, 6000, 0, NULL, NULL), NULL), 0);
    finish(h);
}

static void test_taints(void **state)
{
    (void)state;
    struct harness *h = start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    struct taint soft = {"spot", "true", TAINT_PREFER_NO_SCHEDULE};
    node_full(h, 64000, 256 * GI, 110, NULL, &gpu, 0); /* n0 */
    node_full(h, 4000, 16 * GI, 110, NULL, &soft, 0);  /* n1: only a preference */
    node(h, 4000, 16 * GI);                            /* n2 */
    attach(h);
    int32_t plain = owner(h, 3000, GI, NULL, NULL);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = owner(h, 3000, GI, NULL, &t);
    struct toleration other = {"dedicated", "db", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t wrong = owner(h, 3000, GI, NULL, &other);
    assert_int_equal(place(h, plain, NULL), 1);
    assert_int_equal(place(h, plain, NULL), 2);
    assert_int_equal(place(h, plain, NULL), -1);
    assert_int_equal(place(h, tolerant, NULL), 0);
    assert_int_equal(place(h, wrong, NULL), -1);
    finish(h);
}

static void test_node_selector(void **state)
{
    (void)state;
    struct harness *h = start();
    node_full(h, 8000, 32 * GI, 110, "a", NULL, 0); /* n0 */
    node_full(h, 4000, 32 * GI, 110, "b", NULL, 0); /* n1 */
    node_full(h, 4000, 32 * GI, 110, "a", NULL, 0); /* n2 */
    node_full(h, 4000, 32 * GI, 110, "b", NULL, 0); /* n3 */
    attach(h);
    int32_t b = owner(h, 3000, GI, "b", NULL);
    assert_int_equal(place(h, b, NULL), 1);
    assert_int_equal(place(h, b, NULL), 3);
    assert_int_equal(place(h, b, NULL), -1);
    int32_t c = owner(h, 100, GI, "c", NULL);
    assert_int_equal(place(h, c, NULL), -1);
    int32_t any = owner(h, 3000, GI, NULL, NULL);
    assert_int_equal(place(h, any, NULL), 0);
    finish(h);
}

static void test_unschedulable(void **state)
{
    (void)state;
    struct harness *h = start();
    node_full(h, 4000, 16 * GI, 110, NULL, NULL, 1); /* n0: cordoned */
    node(h, 4000, 16 * GI);                          /* n1 */
    attach(h);
    assert_int_equal(place(h, owner(h, 1000, GI, NULL, NULL), NULL), 1);
    /* Tolerating node.kubernetes.io/unschedulable lets a pod onto a cordoned node. */
    struct toleration t = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    assert_int_equal(place(h, owner(h, 1000, GI, NULL, &t), NULL), 0);
    finish(h);
}

static void test_pod_count(void **state)
{
    (void)state;
    struct harness *h = start();
    node_full(h, 4000, 16 * GI, 2, NULL, NULL, 0); /* n0: two pods at most */
    node(h, 4000, 16 * GI);                        /* n1 */
    attach(h);
    int32_t none = owner(h, 0, 0, NULL, NULL); /* requests nothing but a pod slot */
    assert_int_equal(place(h, none, NULL), 0);
    assert_int_equal(place(h, none, NULL), 0);
    assert_int_equal(place(h, none, NULL), 1);
    finish(h);
}

static void test_nodes_come_and_go(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 1000, GI); /* n0 */
    attach(h);
    int32_t o = owner(h, 1000, GI, NULL, NULL);
    int32_t p0;
    assert_int_equal(place(h, o, &p0), 0);
    assert_int_equal(place(h, o, NULL), -1);
    /* Add nodes well past the index's first capacity. */
    for (int i = 1; i <= 40; i++)
        node(h, i == 37 ? 1000 : 500, GI);
    assert_int_equal(place(h, o, NULL), 37);
    assert_int_equal(place(h, o, NULL), -1);
    /* Removing the first node (after deleting its pod) leaves it out for good. */
    cluster_delete_pod(h->c, p0);
    cluster_remove_node(h->c, 0);
    assert_int_equal(place(h, o, NULL), -1);
    int32_t half = owner(h, 500, GI, NULL, NULL);
    assert_int_equal(place(h, half, NULL), 1);
    finish(h);
}

static void test_late_taint_and_resource(void **state)
{
    (void)state;
    struct harness *h = start();
    node(h, 1000, 4 * GI); /* n0 */
    attach(h);
    /* A tainted node added after init: untolerating pods must still avoid it. */
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_EXECUTE};
    int32_t big = node_full(h, 64000, 256 * GI, 110, NULL, &gpu, 0); /* n1 */
    int32_t o = owner(h, 2000, GI, NULL, NULL);
    assert_int_equal(place(h, o, NULL), -1);
    struct toleration t = {"dedicated", "", TOL_EXISTS, -1};
    assert_int_equal(place(h, owner(h, 2000, GI, NULL, &t), NULL), big);
    /* An extended resource named after init. */
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    assert_int_equal(g, RES_FIXED);
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = 8000;
    a.v[RES_MEMORY] = 32 * GI;
    a.v[RES_PODS] = 110;
    a.v[g] = 4;
    int32_t gpunode = cluster_add_node(h->c, "gpu0", -1, &a, NULL, NULL, 0, 0); /* n2 */
    int32_t wants = owner(h, 500, GI, NULL, NULL);
    h->c->owners[wants].spec.req.v[g] = 3;
    assert_int_equal(place(h, wants, NULL), gpunode);
    assert_int_equal(place(h, wants, NULL), -1); /* one GPU left */
    assert_int_equal(place(h, owner(h, 500, GI, NULL, NULL), NULL), 0);
    finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packs_in_id_order),
        cmocka_unit_test(test_needs_every_dimension),
        cmocka_unit_test(test_taints),
        cmocka_unit_test(test_node_selector),
        cmocka_unit_test(test_unschedulable),
        cmocka_unit_test(test_pod_count),
        cmocka_unit_test(test_nodes_come_and_go),
        cmocka_unit_test(test_late_taint_and_resource),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
