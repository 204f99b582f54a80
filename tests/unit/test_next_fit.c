/* Worked examples for the next-fit placement policy (models/placement/next_fit.c). */
#include "testutil.h"

#include "harness.h"

/* Four equal nodes: next-fit deals pods round them, where first-fit would fill n0 first. */
static void test_deals_round_the_cluster(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    for (int i = 0; i < 4; i++)
        harness_node(h, 4000, 16 * GI);
    harness_attach(h, "next-fit");
    int32_t o = harness_owner(h, 1000, GI);
    const int32_t want[] = {0, 1, 2, 3, 0, 1, 2, 3, 0};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(harness_place(h, o), want[i]);
    harness_finish(h);
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
    struct harness *h = harness_start();
    harness_node(h, 2000, 8 * GI); /* n0 */
    harness_node(h, 1000, 8 * GI); /* n1 */
    harness_node(h, 4000, 8 * GI); /* n2 */
    harness_attach(h, "next-fit");
    int32_t big = harness_owner(h, 1500, GI), small = harness_owner(h, 500, GI);
    assert_int_equal(harness_place(h, big), 0);
    assert_int_equal(harness_place(h, big), 2);
    assert_int_equal(harness_place(h, big), 2);
    assert_int_equal(harness_place(h, big), -1);
    assert_int_equal(harness_place(h, small), 0);
    assert_int_equal(harness_place(h, small), 1);
    /* From n2: 1000m left there. */
    assert_int_equal(harness_place(h, small), 2);
    harness_finish(h);
}

/*
 * n0 tainted dedicated=gpu:NoSchedule, n1 cordoned, n2 pool=a, n3 pool=b, n4 plain.
 * Each pod starts after the node chosen last and skips what it may not use.
 */
static void test_hard_filters(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    harness_node_full(h, 4000, 16 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    harness_node_full(h, 4000, 16 * GI, 0, 0, NULL, NULL, 1); /* n1 */
    harness_node_full(h, 4000, 16 * GI, 0, 0, "a", NULL, 0);  /* n2 */
    harness_node_full(h, 4000, 16 * GI, 0, 0, "b", NULL, 0);  /* n3 */
    harness_node(h, 4000, 16 * GI);                           /* n4 */
    harness_attach(h, "next-fit");
    int32_t plain = harness_owner(h, 1000, GI);
    int32_t in_b = harness_owner_full(h, 1000, GI, 0, 0, "b", NULL);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = harness_owner_full(h, 1000, GI, 0, 0, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = harness_owner_full(h, 1000, GI, 0, 0, NULL, &u);
    assert_int_equal(harness_place(h, plain), 2);          /* n0 tainted, n1 cordoned */
    assert_int_equal(harness_place_pod(h, in_b, NULL), 3); /* from n3 */
    assert_int_equal(harness_place(h, plain), 4);          /* from n4 */
    assert_int_equal(harness_place(h, plain), 2);          /* wraps: n0, n1 again ruled out */
    assert_int_equal(harness_place(h, tolerant), 3);       /* from n3: n3 first */
    assert_int_equal(harness_place(h, tolerant), 4);       /* from n4 */
    assert_int_equal(harness_place(h, tolerant), 0); /* wraps to the tainted node it tolerates */
    assert_int_equal(harness_place_pod(h, cordon_ok, NULL),
                     1);                                   /* from n1, cordoned but tolerated */
    assert_int_equal(harness_place_pod(h, in_b, NULL), 3); /* from n2: n2 is pool a */
    int32_t in_c = harness_owner_full(h, 100, GI, 0, 0, "c", NULL);
    assert_int_equal(harness_place_pod(h, in_c, NULL), -1);
    harness_finish(h);
}

/* An extended resource only the last node has; a node added later is next in line. */
static void test_extended_and_new_nodes(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI); /* n0 */
    harness_node(h, 4000, 16 * GI); /* n1 */
    harness_attach(h, "next-fit");
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = 8000;
    a.v[RES_MEMORY] = 32 * GI;
    a.v[RES_PODS] = 110;
    a.v[g] = 2;
    cluster_add_node(h->c, "gpu0", -1, &a, NULL, NULL, 0, 0); /* n2 */
    int32_t plain = harness_owner(h, 1000, GI);
    int32_t wants = harness_owner(h, 1000, GI);
    h->c->owners[wants].spec.req.v[g] = 1;
    assert_int_equal(harness_place(h, plain), 0);
    assert_int_equal(harness_place(h, wants), 2);
    assert_int_equal(harness_place(h, plain), 0); /* from n3 = past the end: wraps */
    assert_int_equal(harness_place(h, wants), 2);
    assert_int_equal(harness_place(h, wants), -1); /* both GPUs taken; pointer stays on n2 */
    harness_node(h, 4000, 16 * GI);                /* n3 */
    assert_int_equal(harness_place(h, plain), 3);  /* from n3 */
    harness_finish(h);
}

/* The node last chosen is removed: the walk still starts after its id. */
static void test_removed_last_node(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    for (int i = 0; i < 4; i++)
        harness_node(h, 2000, 8 * GI);
    harness_attach(h, "next-fit");
    int32_t o = harness_owner(h, 2000, GI);
    int32_t p0, p1;
    assert_int_equal(harness_place_pod(h, o, &p0), 0);
    assert_int_equal(harness_place_pod(h, o, &p1), 1);
    cluster_delete_pod(h->c, p1);
    cluster_remove_node(h->c, 1);
    assert_int_equal(harness_place(h, o), 2);
    assert_int_equal(harness_place(h, o), 3);
    assert_int_equal(harness_place(h, o), -1); /* n0 full, n1 gone, n2 and n3 full */
    cluster_delete_pod(h->c, p0);
    assert_int_equal(harness_place(h, o), 0);
    harness_finish(h);
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
