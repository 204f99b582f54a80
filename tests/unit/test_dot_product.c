/*
 * Worked examples for the dot-product placement policy
 * (models/placement/dot_product.c): score(n) = sum over cpu, memory (and
 * requested extended resources) of (request / allocatable) · (free /
 * allocatable), computed by hand below; the most wins, ties to the lowest id.
 */
#include "testutil.h"

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define POLICY "dot-product"

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
    struct harness *h = harness_start();
    harness_node(h, 4000, 16 * GI); /* n0 */
    harness_node(h, 4000, 16 * GI); /* n1 */
    harness_fill(h, 0, 3000, 0);
    harness_fill(h, 1, 0, 12 * GI);
    harness_attach(h, POLICY);
    assert_int_equal(harness_place(h, harness_owner(h, 1000, GI)), 1);
    assert_int_equal(harness_place(h, harness_owner(h, 250, 4 * GI)), 0);
    harness_finish(h);
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
        struct harness *h = harness_start();
        int32_t big = flip ? 1 : 0, small = flip ? 0 : 1;
        for (int i = 0; i < 2; i++)
            harness_node(h, i == big ? 8000 : 4000, (i == big ? 32 : 16) * GI);
        harness_fill(h, small, 2000, 8 * GI);
        harness_attach(h, POLICY);
        int32_t o = harness_owner(h, 1000, 4 * GI);
        assert_int_equal(harness_place(h, o), 0);
        harness_node(h, 2000, 8 * GI); /* n2 */
        assert_int_equal(harness_place(h, o), 2);
        harness_finish(h);
    }
}

/* A pod that asks for no cpu or memory scores 0 everywhere: the lowest feasible id. */
static void test_zero_request(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_SCHEDULE};
    harness_node_full(h, 4000, 16 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    harness_node(h, 2000, 8 * GI);                            /* n1 */
    harness_node(h, 8000, 32 * GI);                           /* n2 */
    harness_attach(h, POLICY);
    int32_t o = harness_owner(h, 0, 0);
    assert_int_equal(harness_place(h, o), 1);
    assert_int_equal(harness_place(h, o), 1);
    harness_finish(h);
}

/*
 * n0 8000m/32Gi with 4 GPUs, n1 the same with 2. A pod of 1000m/4Gi and 1 GPU:
 *   n0: (1/8)(1) + (1/8)(1) + (1/4)(1) = 0.5    n1: 1/8 + 1/8 + (1/2)(1) = 0.75
 * goes to n1; then n1 scores (1/8)(7/8) + (1/8)(7/8) + (1/2)(1/2) = 0.46875 < 0.5: n0.
 */
static void test_extended_resources(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    int g = resnames_intern(&h->c->resnames, "nvidia.com/gpu");
    harness_node_full(h, 8000, 32 * GI, g, 4, NULL, NULL, 0); /* n0 */
    harness_node_full(h, 8000, 32 * GI, g, 2, NULL, NULL, 0); /* n1 */
    harness_node(h, 2000, 8 * GI);                            /* n2: no GPU */
    harness_attach(h, POLICY);
    int32_t gpu = harness_owner_full(h, 1000, 4 * GI, g, 1, NULL, NULL);
    assert_int_equal(harness_place(h, gpu), 1);
    assert_int_equal(harness_place(h, gpu), 0);
    /* Without GPU: n2 (1/2)(1) + (1/2)(1) = 1 beats n0 (1/8)(7/8) · 2 = 0.21875. */
    assert_int_equal(harness_place(h, harness_owner(h, 1000, 4 * GI)), 2);
    harness_finish(h);
}

/*
 * The filters: n0 (2000m/8Gi, the best score for a 1000m/4Gi pod: 1.0) is
 * tainted, n1 (the same) cordoned, n2 2000m/8Gi in pool b, n3 4000m/16Gi
 * (0.5) plain.
 */
static void test_hard_filters(void **state)
{
    (void)state;
    struct harness *h = harness_start();
    struct taint gpu = {"dedicated", "gpu", TAINT_NO_EXECUTE};
    harness_node_full(h, 2000, 8 * GI, 0, 0, NULL, &gpu, 0); /* n0 */
    harness_node_full(h, 2000, 8 * GI, 0, 0, NULL, NULL, 1); /* n1 */
    harness_node_full(h, 2000, 8 * GI, 0, 0, "b", NULL, 0);  /* n2 */
    harness_node(h, 4000, 16 * GI);                          /* n3 */
    harness_attach(h, POLICY);
    int32_t plain = harness_owner(h, 1000, 4 * GI);
    struct toleration t = {"dedicated", "", TOL_EXISTS, -1};
    int32_t tolerant = harness_owner_full(h, 1000, 4 * GI, 0, 0, NULL, &t);
    struct toleration u = {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE};
    int32_t cordon_ok = harness_owner_full(h, 1000, 4 * GI, 0, 0, NULL, &u);
    int32_t in_a = harness_owner_full(h, 1000, 4 * GI, 0, 0, "a", NULL);
    assert_int_equal(harness_place(h, plain), 2); /* n2 1.0 (no selector needed) */
    assert_int_equal(harness_place(h, plain),
                     2); /* n2 now (1/2)(1/2) · 2 = 0.5 = n3 0.5: lower id */
    assert_int_equal(harness_place(h, tolerant), 0);  /* n0 1.0 > n3 0.5; n2 is full */
    assert_int_equal(harness_place(h, cordon_ok), 1); /* n1 1.0 */
    assert_int_equal(harness_place(h, in_a), -1);
    assert_int_equal(harness_place(h, harness_owner(h, 5000, GI)), -1);
    harness_finish(h);
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
