/*
 * Worked examples for the worst-fit placement policy (models/placement/worst_fit.c).
 * Scores are remaining(n) = sum over cpu, memory (and requested extended
 * resources) of (free - request) / allocatable, computed by hand below; the
 * most wins, ties to the lowest id.
 */
#include "testutil.h"

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define POLICY "worst-fit"

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
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI); /* n0 */
    harness_node(h, 8000, 32 * GI); /* n1 */
    harness_node(h, 2000, 8 * GI);  /* n2 */
    harness_attach(h, POLICY);
    int32_t o = harness_owner(h, 1000, 4 * GI);
    const int32_t want[] = {1, 0, 1, 1, 0};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(harness_place(h, o), want[i]);
    /* Fill everything: 14 pods in all fit, the 15th does not. */
    for (int i = 5; i < 14; i++)
        assert_true(harness_place(h, o) >= 0);
    assert_int_equal(harness_place(h, o), -1);
    harness_finish(h);
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
        struct harness *h = harness_start();
        int32_t big = flip ? 1 : 0, small = flip ? 0 : 1;
        for (int i = 0; i < 2; i++)
            harness_node(h, i == big ? 8000 : 4000, (i == big ? 32 : 16) * GI);
        harness_fill(h, big, 3000, 20 * GI);
        harness_fill(h, small, 2000, 4 * GI);
        harness_attach(h, POLICY);
        assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), 0);
        harness_finish(h);
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
    struct harness *h = harness_start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    harness_node_full(h, 8000, 32 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    harness_node_full(h, 8000, 32 * GI, 0, 0, NULL, NULL, 1); /* n1 */
    harness_node_full(h, 4000, 16 * GI, 0, 0, "a", NULL, 0);  /* n2 */
    harness_node(h, 2000, 8 * GI);                            /* n3 */
    harness_node_full(h, 4000, 16 * GI, 0, 0, "b", NULL, 0);  /* n4 */
    harness_attach(h, POLICY);
    int32_t plain = harness_owner(h, 1000, 4 * GI);
    int32_t in_b = harness_owner_full(h, 1000, 4 * GI, 0, 0, "b", NULL);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = harness_owner_full(h, 1000, 4 * GI, 0, 0, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = harness_owner_full(h, 1000, 4 * GI, 0, 0, NULL, &u);
    assert_int_equal(harness_place(h, plain), 2);     /* n2 1.5 = n4 1.5 */
    assert_int_equal(harness_place(h, in_b), 4);      /* only n4 */
    assert_int_equal(harness_place(h, tolerant), 0);  /* n0 1.75 */
    assert_int_equal(harness_place(h, plain), 2);     /* n2 1.0 = n3 1.0 = n4 1.0 */
    assert_int_equal(harness_place(h, cordon_ok), 1); /* n1 1.75 */
    int32_t in_c = harness_owner_full(h, 100, GI, 0, 0, "c", NULL);
    assert_int_equal(harness_place(h, in_c), -1);
    assert_int_equal(harness_place(h, harness_owner(h, 8000, GI)),
                     -1); /* only n0 and n1 are that big */
    harness_finish(h);
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
    struct harness *h = harness_start();
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    harness_node_full(h, 8000, 32 * GI, g, 4, NULL, NULL, 0); /* n0 */
    harness_node_full(h, 8000, 32 * GI, g, 2, NULL, NULL, 0); /* n1 */
    harness_node(h, 8000, 32 * GI);                           /* n2 */
    harness_node(h, 4000, 16 * GI);                           /* n3 */
    harness_attach(h, POLICY);
    int32_t gpu = harness_owner_full(h, 1000, 4 * GI, g, 1, NULL, NULL);
    assert_int_equal(harness_place(h, gpu), 0);
    assert_int_equal(harness_place(h, gpu), 1);
    assert_int_equal(harness_place(h, gpu), 0);
    assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), 2);
    harness_finish(h);
}

/* n0 memory only (0 cpu, 16Gi): a 0m/4Gi pod scores it 12/16 = 0.75, n1 4000m/16Gi 1.75. */
static void test_missing_dimension(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 0, 16 * GI);    /* n0 */
    harness_node(h, 4000, 16 * GI); /* n1 */
    harness_attach(h, POLICY);
    assert_int_equal(harness_place(h, harness_owner(h, 0, 4 * GI)), 1);
    assert_int_equal(harness_place(h, harness_owner(h, 0, 15 * GI)), 0); /* n1 has 12Gi left */
    harness_finish(h);
}

/* Freeing capacity makes a node the emptiest again; a new empty node wins at once. */
static void test_churn(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI); /* n0 */
    harness_node(h, 4000, 16 * GI); /* n1 */
    harness_attach(h, POLICY);
    int32_t o = harness_owner(h, 1000, 4 * GI);
    assert_int_equal(harness_place(h, o), 0);
    assert_int_equal(harness_place(h, o), 1);
    assert_int_equal(harness_place(h, o), 0);
    /* n0 back to one pod: n0 and n1 both 2/4 + 8/16 = 1.0, a tie. */
    cluster_delete_pod(h->c, h->c->nodes[0].pods_head);
    assert_int_equal(harness_place(h, o), 0);
    harness_node(h, 8000, 32 * GI); /* n2: 7/8 + 28/32 = 1.75 */
    assert_int_equal(harness_place(h, o), 2);
    harness_finish(h);
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
