/* Worked examples for the first-fit placement policy (models/placement/first_fit.c). */
#include "testutil.h"

#include "harness.h"

static void test_packs_in_id_order(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 2000, 8 * GI); /* n0 */
    harness_node(h, 4000, 8 * GI); /* n1 */
    harness_node(h, 8000, 8 * GI); /* n2 */
    harness_attach(h, "first-fit");
    int32_t o = harness_owner(h, 1500, GI);
    int32_t p0;
    assert_int_equal(harness_place_pod(h, o, &p0), 0); /* n0: 500m left */
    assert_int_equal(harness_place(h, o), 1);          /* n1: 2500m left */
    assert_int_equal(harness_place(h, o), 1);          /* n1: 1000m left */
    assert_int_equal(harness_place(h, o), 2);          /* n2: 6500m left */
    /* A small pod still fits in n0's 500m. */
    int32_t small = harness_owner(h, 500, GI);
    assert_int_equal(harness_place(h, small), 0);
    /* Freeing n0's first pod makes it first again. */
    cluster_mark_running(h->c, p0);
    cluster_complete_pod(h->c, p0);
    assert_int_equal(harness_place(h, o), 0);
    /* 4 pods of 1500m fill n2 to 500m left; the 5th fits nowhere. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(harness_place(h, o), 2);
    assert_int_equal(harness_place(h, o), -1);
    harness_finish(h);
}

/* No single node below the root has both: the walk must backtrack. */
static void test_needs_every_dimension(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 8000, GI);      /* n0: cpu, little memory */
    harness_node(h, 1000, 32 * GI); /* n1: memory, little cpu */
    harness_node(h, 8000, GI);      /* n2 */
    harness_node(h, 1000, 32 * GI); /* n3 */
    harness_node(h, 4000, 8 * GI);  /* n4: enough of both */
    harness_attach(h, "first-fit");
    int32_t o = harness_owner(h, 2000, 4 * GI);
    assert_int_equal(harness_place(h, o), 4);
    assert_int_equal(harness_place(h, o), 4);
    assert_int_equal(harness_place(h, o), -1);
    /* Memory-only and cpu-only pods go to the first node with room for them. */
    assert_int_equal(harness_place(h, harness_owner(h, 0, 16 * GI)), 1);
    assert_int_equal(harness_place(h, harness_owner(h, 6000, 0)), 0);
    harness_finish(h);
}

static void test_taints(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    struct taint soft = {"spot", "true", TAINT_PREFER_NO_SCHEDULE};
    harness_node_full(h, 64000, 256 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    harness_node_full(h, 4000, 16 * GI, 0, 0, NULL, &soft, 0);  /* n1: only a preference */
    harness_node(h, 4000, 16 * GI);                             /* n2 */
    harness_attach(h, "first-fit");
    int32_t plain = harness_owner(h, 3000, GI);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = harness_owner_full(h, 3000, GI, 0, 0, NULL, &t);
    struct toleration other = {"dedicated", "db", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t wrong = harness_owner_full(h, 3000, GI, 0, 0, NULL, &other);
    assert_int_equal(harness_place(h, plain), 1);
    assert_int_equal(harness_place(h, plain), 2);
    assert_int_equal(harness_place(h, plain), -1);
    assert_int_equal(harness_place(h, tolerant), 0);
    assert_int_equal(harness_place(h, wrong), -1);
    harness_finish(h);
}

static void test_node_selector(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node_full(h, 8000, 32 * GI, 0, 0, "a", NULL, 0); /* n0 */
    harness_node_full(h, 4000, 32 * GI, 0, 0, "b", NULL, 0); /* n1 */
    harness_node_full(h, 4000, 32 * GI, 0, 0, "a", NULL, 0); /* n2 */
    harness_node_full(h, 4000, 32 * GI, 0, 0, "b", NULL, 0); /* n3 */
    harness_attach(h, "first-fit");
    int32_t b = harness_owner_full(h, 3000, GI, 0, 0, "b", NULL);
    assert_int_equal(harness_place(h, b), 1);
    assert_int_equal(harness_place(h, b), 3);
    assert_int_equal(harness_place(h, b), -1);
    int32_t c = harness_owner_full(h, 100, GI, 0, 0, "c", NULL);
    assert_int_equal(harness_place(h, c), -1);
    int32_t any = harness_owner(h, 3000, GI);
    assert_int_equal(harness_place(h, any), 0);
    harness_finish(h);
}

static void test_unschedulable(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node_full(h, 4000, 16 * GI, 0, 0, NULL, NULL, 1); /* n0: cordoned */
    harness_node(h, 4000, 16 * GI);                           /* n1 */
    harness_attach(h, "first-fit");
    assert_int_equal(harness_place(h, harness_owner(h, 1000, GI)), 1);
    /* Tolerating node.kubernetes.io/unschedulable lets a pod onto a cordoned node. */
    struct toleration t = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    assert_int_equal(harness_place(h, harness_owner_full(h, 1000, GI, 0, 0, NULL, &t)), 0);
    harness_finish(h);
}

static void test_pod_count(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node_pods(h, 4000, 16 * GI, 2); /* n0: two pods at most */
    harness_node(h, 4000, 16 * GI);         /* n1 */
    harness_attach(h, "first-fit");
    int32_t none = harness_owner(h, 0, 0); /* requests nothing but a pod slot */
    assert_int_equal(harness_place(h, none), 0);
    assert_int_equal(harness_place(h, none), 0);
    assert_int_equal(harness_place(h, none), 1);
    harness_finish(h);
}

static void test_nodes_come_and_go(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 1000, GI); /* n0 */
    harness_attach(h, "first-fit");
    int32_t o = harness_owner(h, 1000, GI);
    int32_t p0;
    assert_int_equal(harness_place_pod(h, o, &p0), 0);
    assert_int_equal(harness_place(h, o), -1);
    /* Add nodes well past the index's first capacity. */
    for (int i = 1; i <= 40; i++)
        harness_node(h, i == 37 ? 1000 : 500, GI);
    assert_int_equal(harness_place(h, o), 37);
    assert_int_equal(harness_place(h, o), -1);
    /* Removing the first node (after deleting its pod) leaves it out for good. */
    cluster_delete_pod(h->c, p0);
    cluster_remove_node(h->c, 0);
    assert_int_equal(harness_place(h, o), -1);
    int32_t half = harness_owner(h, 500, GI);
    assert_int_equal(harness_place(h, half), 1);
    harness_finish(h);
}

static void test_late_taint_and_resource(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 1000, 4 * GI); /* n0 */
    harness_attach(h, "first-fit");
    /* A tainted node added after init: untolerating pods must still avoid it. */
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_EXECUTE};
    int32_t big = harness_node_full(h, 64000, 256 * GI, 0, 0, NULL, &gpu, 0); /* n1 */
    int32_t o = harness_owner(h, 2000, GI);
    assert_int_equal(harness_place(h, o), -1);
    struct toleration t = {"dedicated", "", TOL_EXISTS, -1};
    assert_int_equal(harness_place(h, harness_owner_full(h, 2000, GI, 0, 0, NULL, &t)), big);
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
    int32_t wants = harness_owner_full(h, 500, GI, g, 3, NULL, NULL);
    assert_int_equal(harness_place(h, wants), gpunode);
    assert_int_equal(harness_place(h, wants), -1); /* one GPU left */
    assert_int_equal(harness_place(h, harness_owner(h, 500, GI)), 0);
    harness_finish(h);
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
