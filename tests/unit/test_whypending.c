/*
 * Why-pending aggregation: splitting FitError texts (the format of
 * pkg/scheduler/framework/types.go, FitError.Error, v1.35) and counting
 * attempts, pods and pods pending at the end per reason.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/cluster/cluster.h"
#include "sim/io/output/whypending.h"

struct split_out {
    char text[8][128];
    int64_t count[8];
    size_t n;
};

static void grab(const char *reason, size_t len, int64_t count, void *ctx)
{
    struct split_out *o = ctx;
    snprintf(o->text[o->n], sizeof o->text[0], "%.*s", (int)len, reason);
    o->count[o->n++] = count;
}

static void test_split_histogram(void **state)
{
    (void)state;
    struct split_out o = {0};
    size_t n = whypending_split("0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had "
                                "untolerated taint(s).",
                                grab, &o);
    assert_int_equal(n, 2);
    assert_string_equal(o.text[0], "Insufficient cpu");
    assert_int_equal(o.count[0], 10);
    assert_string_equal(o.text[1], "node(s) had untolerated taint(s)");
    assert_int_equal(o.count[1], 2);
}

static void test_split_dots_and_postfilter(void **state)
{
    (void)state;
    /* Reasons may hold dots and commas; a PostFilter message after ". " is not a reason. */
    struct split_out o = {0};
    size_t n = whypending_split(
        "0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) had untolerated taint "
        "{a.b/c: x, y}. preemption: 0/3 nodes are available: 3 No preemption victims found for "
        "incoming pod.",
        grab, &o);
    assert_int_equal(n, 2);
    assert_string_equal(o.text[0], "Insufficient nvidia.com/gpu");
    assert_int_equal(o.count[0], 1);
    assert_string_equal(o.text[1], "node(s) had untolerated taint {a.b/c: x, y}");
    assert_int_equal(o.count[1], 2);
}

static void test_split_prefilter_and_other(void **state)
{
    (void)state;
    /* A PreFilter rejection has no count (FitError.Error adds Diagnosis.PreFilterMsg as is). */
    struct split_out o = {0};
    assert_int_equal(whypending_split("0/5 nodes are available: node(s) didn't satisfy plugin(s) "
                                      "[NodeAffinity].",
                                      grab, &o),
                     1);
    assert_string_equal(o.text[0], "node(s) didn't satisfy plugin(s) [NodeAffinity]");
    assert_int_equal(o.count[0], 0);
    struct split_out o2 = {0};
    assert_int_equal(whypending_split("no nodes available to schedule pods", grab, &o2), 1);
    assert_string_equal(o2.text[0], "no nodes available to schedule pods");
}

static cJSON *reason(cJSON *j, const char *name)
{
    cJSON *r = cJSON_GetObjectItemCaseSensitive(j, name);
    assert_non_null(r);
    return r;
}

static int field(cJSON *r, const char *key)
{
    return (int)cJSON_GetObjectItemCaseSensitive(r, key)->valuedouble;
}

static void test_aggregate(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct resources alloc;
    res_zero(&alloc);
    alloc.v[RES_PODS] = 10;
    struct labelset ls;
    labelset_init(&ls);
    int32_t node = cluster_add_node(c, "n", -1, &alloc, &ls, NULL, 0, 0);
    struct podspec ps;
    podspec_init(&ps);
    int32_t owner = cluster_add_owner(c, OWNER_DEPLOYMENT, "w", &ps, 3);
    int32_t a = cluster_new_pod(c, owner, 0), b = cluster_new_pod(c, owner, 0);
    int32_t x = cluster_new_pod(c, owner, 0);

    struct whypending *w = whypending_new();
    const char *cpu_taint = "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 "
                            "Insufficient cpu.";
    const char *cpu = "0/3 nodes are available: 3 Insufficient cpu.";
    const char *mem = "0/3 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.";
    whypending_attempt(w, a, c->pods[a].gen, cpu_taint);
    whypending_attempt(w, a, c->pods[a].gen, cpu); /* cpu again: not a new pod for it */
    whypending_attempt(w, b, c->pods[b].gen, cpu);
    whypending_attempt(w, b, c->pods[b].gen, mem); /* b's last reasons: cpu and memory */
    whypending_attempt(w, x, c->pods[x].gen, mem);
    cluster_bind(c, x, node, 0); /* x is no longer pending at the end */

    cJSON *j = whypending_json(w, c);
    char *text = cJSON_PrintUnformatted(j);
    /* Ordered by attempts, then name. */
    assert_string_equal(
        text, "{\"Insufficient cpu\":{\"attempts\":5,\"pods\":3,\"pending_at_end\":2,"
              "\"nodes_max\":3},\"Insufficient memory\":{\"attempts\":2,\"pods\":2,"
              "\"pending_at_end\":1,\"nodes_max\":2},\"node(s) had untolerated taint(s)\":"
              "{\"attempts\":1,\"pods\":1,\"pending_at_end\":0,\"nodes_max\":1}}");
    assert_int_equal(field(reason(j, "Insufficient cpu"), "pods"), 3);
    cJSON_free(text);
    cJSON_Delete(j);
    whypending_free(w);
    cluster_free(c);
}

static void test_reused_slot_is_a_new_pod(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct podspec ps;
    podspec_init(&ps);
    int32_t owner = cluster_add_owner(c, OWNER_BATCH, "b", &ps, 0);
    int32_t a = cluster_new_pod(c, owner, 0);
    struct whypending *w = whypending_new();
    whypending_attempt(w, a, c->pods[a].gen, "0/1 nodes are available: 1 Too many pods.");
    cluster_delete_pod(c, a);
    int32_t b = cluster_new_pod(c, owner, 0);
    assert_int_equal(a, b); /* the slot is reused with a new generation */
    whypending_attempt(w, b, c->pods[b].gen, "0/1 nodes are available: 1 Too many pods.");
    cJSON *j = whypending_json(w, c);
    cJSON *r = reason(j, "Too many pods");
    assert_int_equal(field(r, "attempts"), 2);
    assert_int_equal(field(r, "pods"), 2);
    assert_int_equal(field(r, "pending_at_end"), 1);
    cJSON_Delete(j);
    whypending_free(w);
    cluster_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_histogram),
        cmocka_unit_test(test_split_dots_and_postfilter),
        cmocka_unit_test(test_split_prefilter_and_other),
        cmocka_unit_test(test_aggregate),
        cmocka_unit_test(test_reused_slot_is_a_new_pod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
