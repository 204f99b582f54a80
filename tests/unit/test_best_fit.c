/*
 * Worked examples for the best-fit placement policy (models/placement/best_fit.c).
 * Scores are remaining(n) = sum over cpu, memory (and requested extended
 * resources) of (free - request) / allocatable, computed by hand below; the
 * least wins, ties to the lowest id.
 */
#include "testutil.h"

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define POLICY "best-fit"

/*
 * n0 4000m/16Gi, n1 8000m/32Gi, n2 2000m/8Gi; pods of 1000m/4Gi score
 *   n0: 3/4 + 12/16 = 1.5    n1: 7/8 + 28/32 = 1.75    n2: 1/2 + 4/8 = 1.0
 * so n2 first; then n2 scores 0 + 0 = 0 and is full after; then n0 (1.5,
 * then 1.0, 0.5, 0) four times, then n1 eight times, then nothing fits.
 */
static void test_fullest_first(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI); /* n0 */
    harness_node(h, 8000, 32 * GI); /* n1 */
    harness_node(h, 2000, 8 * GI);  /* n2 */
    harness_attach(h, POLICY);
    int32_t o = harness_owner(h, 1000, 4 * GI);
    assert_int_equal(harness_place(h, o), 2);
    assert_int_equal(harness_place(h, o), 2);
    for (int i = 0; i < 4; i++)
        assert_int_equal(harness_place(h, o), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(harness_place(h, o), 1);
    assert_int_equal(harness_place(h, o), -1);
    harness_finish(h);
}

/*
 * Ties go to the lowest id, also across shapes. A pod of 1000m/4Gi on
 *   n0 8000m/32Gi with 3000m/20Gi in use: 4000/8000 + 8/32 = 0.75
 *   n1 4000m/16Gi with 2000m/4Gi in use:  1000/4000 + 8/16 = 0.75
 *   n2 2000m/8Gi empty:                   1000/2000 + 4/8  = 1.0
 * goes to n0; the same nodes in the other order send it to the small one.
 */
static void test_ties_lowest_id(void **state)
{
    (void)state;
    for (int flip = 0; flip < 2; flip++) {
        struct harness *h = harness_start();
        int32_t big = flip ? 1 : 0, small = flip ? 0 : 1;
        for (int i = 0; i < 2; i++)
            harness_node(h, i == big ? 8000 : 4000, (i == big ? 32 : 16) * GI);
        harness_node(h, 2000, 8 * GI); /* n2 */
        harness_fill(h, big, 3000, 20 * GI);
        harness_fill(h, small, 2000, 4 * GI);
        harness_attach(h, POLICY);
        assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), 0);
        harness_finish(h);
    }
    /* Identical empty nodes: n0, and then n0 again, now the fuller one. */
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI);
    harness_node(h, 4000, 16 * GI);
    harness_attach(h, POLICY);
    int32_t o = harness_owner(h, 1000, 4 * GI);
    assert_int_equal(harness_place(h, o), 0);
    assert_int_equal(harness_place(h, o), 0);
    harness_finish(h);
}

/*
 * n0 tainted dedicated=gpu:NoSchedule, n1 cordoned, n2 pool=a, n3 4000m/16Gi,
 * n4 pool=b; all others 2000m/8Gi. Pods of 1000m/4Gi; empty 2000m nodes
 * score 1.0, n3 1.5, a half-full 2000m node 0.
 */
static void test_hard_filters(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    harness_node_full(h, 2000, 8 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    harness_node_full(h, 2000, 8 * GI, 0, 0, NULL, NULL, 1); /* n1 */
    harness_node_full(h, 2000, 8 * GI, 0, 0, "a", NULL, 0);  /* n2 */
    harness_node(h, 4000, 16 * GI);                          /* n3 */
    harness_node_full(h, 2000, 8 * GI, 0, 0, "b", NULL, 0);  /* n4 */
    harness_attach(h, POLICY);
    int32_t plain = harness_owner(h, 1000, 4 * GI);
    int32_t in_b = harness_owner_full(h, 1000, 4 * GI, 0, 0, "b", NULL);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    int32_t tolerant = harness_owner_full(h, 1000, 4 * GI, 0, 0, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = harness_owner_full(h, 1000, 4 * GI, 0, 0, NULL, &u);
    assert_int_equal(harness_place(h, plain), 2);     /* n2 1.0 = n4 1.0 < n3 1.5 */
    assert_int_equal(harness_place(h, in_b), 4);      /* only n4 */
    assert_int_equal(harness_place(h, tolerant), 2);  /* n2 0 = n4 0 < n0 1.0 */
    assert_int_equal(harness_place(h, tolerant), 4);  /* n4 0 */
    assert_int_equal(harness_place(h, tolerant), 0);  /* n0 1.0 < n3 1.5 */
    assert_int_equal(harness_place(h, plain), 3);     /* n0 tainted, the rest full or cordoned */
    assert_int_equal(harness_place(h, cordon_ok), 1); /* n1 1.0 = n3 2/4 + 8/16 = 1.0: lower id */
    int32_t in_c = harness_owner_full(h, 100, GI, 0, 0, "c", NULL);
    assert_int_equal(harness_place(h, in_c), -1);
    int32_t big = harness_owner(h, 3000, 12 * GI);
    assert_int_equal(harness_place(h, big), 3); /* n3 had 3000m/12Gi left: 0 */
    assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), -1);
    harness_finish(h);
}

/*
 * An extended resource counts only for pods that request it. n0 and n1 are
 * 8000m/32Gi with 4 and 2 GPUs, n2 8000m/32Gi and n3 4000m/16Gi have none.
 * A pod of 1000m/4Gi and 1 GPU scores
 *   n0: 7/8 + 28/32 + 3/4 = 2.5      n1: 7/8 + 28/32 + 1/2 = 2.25
 * so n1, again n1 (6/8 + 24/32 + 0 = 1.5), then n0 (n1 has no GPU left).
 * A pod of 1000m/4Gi without GPU then scores cpu and memory only:
 *   n0: 6/8 + 24/32 = 1.5   n1: 5/8 + 20/32 = 1.25   n2: 1.75   n3: 3/4 + 12/16 = 1.5
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
    assert_int_equal(harness_place(h, gpu), 1);
    assert_int_equal(harness_place(h, gpu), 1);
    assert_int_equal(harness_place(h, gpu), 0);
    assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), 1);
    int32_t five = harness_owner_full(h, 1000, 4 * GI, g, 5, NULL, NULL);
    assert_int_equal(harness_place(h, five), -1);
    harness_finish(h);
}

/*
 * A dimension a node does not have drops out of its score: n0 has memory
 * only (0 cpu, 16Gi), n1 4000m/16Gi. A pod of 0m/4Gi scores n0 12/16 = 0.75
 * (cpu skipped), n1 4/4 + 12/16 = 1.75; one asking for cpu cannot use n0.
 */
static void test_missing_dimension(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 0, 16 * GI);    /* n0 */
    harness_node(h, 4000, 16 * GI); /* n1 */
    harness_attach(h, POLICY);
    assert_int_equal(harness_place(h, harness_owner(h, 0, 4 * GI)), 0);
    assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), 1);
    harness_finish(h);
}

/* Freed capacity and new nodes change the order; removed nodes leave it. */
static void test_churn(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI); /* n0 */
    harness_node(h, 4000, 16 * GI); /* n1 */
    harness_attach(h, POLICY);
    int32_t o = harness_owner(h, 1000, 4 * GI);
    assert_int_equal(harness_place(h, o), 0); /* tie */
    assert_int_equal(harness_place(h, o), 0); /* n0 1.0 < n1 1.5 */
    /* Freeing both of n0's pods makes n1 (one pod placed next) the fuller. */
    while (h->c->nodes[0].pods_head >= 0)
        cluster_delete_pod(h->c, h->c->nodes[0].pods_head);
    harness_fill(h, 1, 1000, 4 * GI);
    assert_int_equal(harness_place(h, o), 1);
    harness_node(h, 2000, 8 * GI);            /* n2: 1.0 = n1's 2/4 + 8/16: n1 is the lower id */
    assert_int_equal(harness_place(h, o), 1); /* now n1 0.5... */
    assert_int_equal(harness_place(h, o), 1); /* ...then 0 */
    assert_int_equal(harness_place(h, o), 2); /* n1 full: n2 1.0 < n0 1.5 */
    while (h->c->nodes[2].pods_head >= 0)
        cluster_delete_pod(h->c, h->c->nodes[2].pods_head);
    cluster_remove_node(h->c, 2);
    assert_int_equal(harness_place(h, o), 0);
    harness_finish(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fullest_first),     cmocka_unit_test(test_ties_lowest_id),
        cmocka_unit_test(test_hard_filters),      cmocka_unit_test(test_extended_resources),
        cmocka_unit_test(test_missing_dimension), cmocka_unit_test(test_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
