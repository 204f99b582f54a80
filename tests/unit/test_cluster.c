/* Unit tests for sim/cluster/cluster.c: sums, lists, slots, owners, listeners. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

static struct resources res(int64_t cpu_m, int64_t mem, int64_t pods)
{
    struct resources r;
    res_zero(&r);
    r.v[RES_CPU] = cpu_m;
    r.v[RES_MEMORY] = mem;
    r.v[RES_PODS] = pods;
    return r;
}

static int32_t add_node(struct cluster *c, const char *name, int64_t cpu_m, int64_t mem)
{
    struct resources a = res(cpu_m, mem, 110);
    return cluster_add_node(c, name, -1, &a, NULL, NULL, 0, 0);
}

static int32_t add_owner(struct cluster *c, const char *name, int64_t cpu_m, int64_t mem)
{
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = mem;
    return cluster_add_owner(c, OWNER_DEPLOYMENT, name, &ps, 3);
}

static void check(const struct cluster *c)
{
    char err[256];
    int rc = cluster_check(c, err, sizeof err);
    if (rc != 0)
        fail_msg("cluster_check: %s", err);
}

/* Records listener calls. */
struct calls {
    int32_t node[64];
    int n;
};

static void on_node(void *ctx, int32_t node)
{
    struct calls *k = ctx;
    if (k->n < 64)
        k->node[k->n] = node;
    k->n++;
}

static void test_podspec(void **state)
{
    (void)state;
    struct podspec ps;
    podspec_init(&ps);
    assert_int_equal(ps.req.v[RES_PODS], 1);
    assert_int_equal(ps.req.v[RES_CPU], 0);
    assert_int_equal(ps.ntols, 0);
    labelset_set(&ps.node_selector, "pool", "gpu");
    ps.tols = calloc(1, sizeof *ps.tols);
    struct toleration t = {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE};
    toleration_copy(&ps.tols[0], &t);
    ps.ntols = 1;
    podspec_release(&ps); /* ASan checks that everything is freed */
    assert_int_equal(ps.ntols, 0);
}

static void test_bind_sums(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t n0 = add_node(c, "n0", 4000, 16 * GI);
    int32_t n1 = add_node(c, "n1", 8000, 32 * GI);
    assert_int_equal(n0, 0);
    assert_int_equal(n1, 1);
    assert_int_equal(c->nalive, 2);
    assert_int_equal(c->alloc_total.v[RES_CPU], 12000);
    assert_int_equal(c->alloc_total.v[RES_PODS], 220);
    int32_t o = add_owner(c, "web", 500, GI);

    int32_t p[4];
    for (int i = 0; i < 4; i++)
        p[i] = cluster_new_pod(c, o, 10 * i);
    check(c);
    cluster_bind(c, p[0], n0, 100);
    cluster_bind(c, p[1], n0, 101);
    cluster_bind(c, p[2], n1, 102);
    check(c);
    assert_int_equal(c->nodes[n0].used.v[RES_CPU], 1000);
    assert_int_equal(c->nodes[n0].used.v[RES_MEMORY], 2 * GI);
    assert_int_equal(c->nodes[n0].used.v[RES_PODS], 2);
    assert_int_equal(c->nodes[n1].used.v[RES_CPU], 500);
    assert_int_equal(c->used_total.v[RES_CPU], 1500);
    assert_int_equal(c->used_total.v[RES_PODS], 3);
    assert_int_equal(c->pods[p[0]].phase, POD_STARTING);
    assert_int_equal(c->pods[p[0]].bound_at, 100);
    assert_int_equal(c->pods[p[3]].phase, POD_PENDING);
    assert_int_equal(c->pods[p[3]].node, -1);
    assert_int_equal(c->pods_scheduled, 3);

    /* Node pod lists: newest bound first. */
    assert_int_equal(c->nodes[n0].pods_head, p[1]);
    assert_int_equal(c->pods[p[1]].node_next, p[0]);
    assert_int_equal(c->pods[p[0]].node_next, -1);
    assert_int_equal(c->nodes[n1].pods_head, p[2]);

    /* Unbind from the middle and the head. */
    cluster_mark_running(c, p[0]);
    cluster_mark_running(c, p[1]);
    cluster_complete_pod(c, p[0]);
    check(c);
    assert_int_equal(c->nodes[n0].pods_head, p[1]);
    assert_int_equal(c->pods[p[1]].node_next, -1);
    assert_int_equal(c->nodes[n0].used.v[RES_CPU], 500);
    cluster_delete_pod(c, p[1]);
    cluster_delete_pod(c, p[2]);
    cluster_delete_pod(c, p[3]); /* pending: no node to release */
    check(c);
    assert_true(res_is_zero(&c->used_total));
    assert_true(res_is_zero(&c->nodes[n0].used));
    assert_int_equal(c->nodes[n0].pods_head, -1);
    assert_int_equal(c->pods_created, 4);
    assert_int_equal(c->pods_completed, 1);
    assert_int_equal(c->pods_deleted, 3);
    cluster_free(c);
}

static void test_owner_counters(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t n = add_node(c, "n0", 4000, 16 * GI);
    int32_t a = add_owner(c, "api", 100, GI);
    int32_t b = add_owner(c, "batch", 100, GI);
    assert_int_equal(cluster_find_owner(c, "batch"), b);
    assert_int_equal(cluster_find_owner(c, "nope"), -1);
    assert_int_equal(c->owners[a].spec.req.v[RES_PODS], 1);
    assert_int_equal(c->owners[a].desired, 3);

    int32_t a0 = cluster_new_pod(c, a, 0);
    int32_t b0 = cluster_new_pod(c, b, 0);
    int32_t a1 = cluster_new_pod(c, a, 0);
    int32_t a2 = cluster_new_pod(c, a, 0);
    assert_int_equal(c->owners[a].live, 3);
    assert_int_equal(c->owners[b].live, 1);
    assert_int_equal(c->owners[a].next_ordinal, 3);
    /* Newest first. */
    assert_int_equal(c->owners[a].pods_head, a2);
    assert_int_equal(c->pods[a2].owner_next, a1);
    assert_int_equal(c->pods[a1].owner_next, a0);
    assert_int_equal(c->pods[a0].owner_next, -1);

    char name[64];
    cluster_pod_name(c, a2, name, sizeof name);
    assert_string_equal(name, "api-2");
    cluster_pod_name(c, b0, name, sizeof name);
    assert_string_equal(name, "batch-0");

    cluster_bind(c, a0, n, 1);
    cluster_bind(c, a1, n, 1);
    assert_int_equal(c->owners[a].running, 0);
    cluster_mark_running(c, a0);
    cluster_mark_running(c, a1);
    assert_int_equal(c->owners[a].running, 2);
    cluster_delete_pod(c, a1); /* from the middle of the owner list */
    assert_int_equal(c->owners[a].live, 2);
    assert_int_equal(c->owners[a].running, 1);
    assert_int_equal(c->pods[a2].owner_next, a0);
    assert_int_equal(c->pods[a0].owner_prev, a2);
    check(c);
    cluster_complete_pod(c, a0);
    assert_int_equal(c->owners[a].live, 1);
    assert_int_equal(c->owners[a].running, 0);
    /* Ordinals keep counting after deletions. */
    int32_t a3 = cluster_new_pod(c, a, 0);
    cluster_pod_name(c, a3, name, sizeof name);
    assert_string_equal(name, "api-3");
    check(c);
    cluster_free(c);
}

static void test_slot_reuse(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t o = add_owner(c, "w", 100, GI);
    int32_t p0 = cluster_new_pod(c, o, 0);
    int32_t p1 = cluster_new_pod(c, o, 0);
    uint64_t h0 = cluster_pod_handle(c, p0);
    uint64_t h1 = cluster_pod_handle(c, p1);
    assert_true(h0 != 0);
    assert_true(h0 != h1);
    assert_int_equal(cluster_pod_from_handle(c, h0), p0);
    assert_int_equal(cluster_pod_from_handle(c, h1), p1);
    assert_int_equal(cluster_pod_from_handle(c, 0), -1);

    cluster_delete_pod(c, p0);
    assert_int_equal(c->pods[p0].phase, POD_DELETED);
    assert_int_equal(cluster_pod_from_handle(c, h0), -1); /* freed, not yet reused */
    int32_t p2 = cluster_new_pod(c, o, 0);
    assert_int_equal(p2, p0); /* the slot is reused */
    uint64_t h2 = cluster_pod_handle(c, p2);
    assert_true(h2 != h0);
    assert_int_equal(cluster_pod_from_handle(c, h0), -1); /* stale */
    assert_int_equal(cluster_pod_from_handle(c, h2), p2);
    assert_int_equal(c->pods[p2].gen, c->pods[p1].gen + 1);
    assert_int_equal(c->npods, 2);
    /* Out-of-range ids are rejected too. */
    assert_int_equal(cluster_pod_from_handle(c, ((uint64_t)1 << 32) | 77), -1);

    /* LIFO free list: the most recently freed slot comes back first. */
    cluster_delete_pod(c, p1);
    cluster_delete_pod(c, p2);
    assert_int_equal(cluster_new_pod(c, o, 0), p2);
    assert_int_equal(cluster_new_pod(c, o, 0), p1);
    assert_int_equal(c->npods, 2);
    check(c);
    cluster_free(c);
}

static void test_node_removal(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t pool = cluster_add_pool(c, "general");
    assert_int_equal(cluster_find_pool(c, "general"), pool);
    assert_int_equal(cluster_find_pool(c, "gpu"), -1);
    struct resources a = res(4000, 16 * GI, 110);
    struct labelset ls;
    labelset_init(&ls);
    labelset_set(&ls, "zone", "a");
    struct taint t = {"dedicated", "batch", TAINT_NO_SCHEDULE};
    int32_t n0 = cluster_add_node(c, "n0", pool, &a, &ls, &t, 1, 0);
    int32_t n1 = cluster_add_node(c, "n1", pool, &a, NULL, NULL, 0, 1);
    labelset_release(&ls);
    assert_string_equal(labelset_get(&c->nodes[n0].labels, "zone"), "a");
    assert_int_equal(c->nodes[n0].ntaints, 1);
    assert_string_equal(c->nodes[n0].taints[0].key, "dedicated");
    assert_int_equal(c->nodes[n1].unschedulable, 1);
    assert_int_equal(c->nodes[n1].pool, pool);
    assert_int_equal(cluster_find_node(c, "n1"), n1);

    int32_t o = add_owner(c, "w", 1000, GI);
    int32_t p = cluster_new_pod(c, o, 0);
    cluster_bind(c, p, n0, 0);
    cluster_delete_pod(c, p);
    cluster_remove_node(c, n0);
    check(c);
    assert_int_equal(c->nalive, 1);
    assert_int_equal(c->nnodes, 2);
    assert_int_equal(c->nodes[n0].alive, 0);
    assert_int_equal(c->alloc_total.v[RES_CPU], 4000);
    assert_int_equal(cluster_find_node(c, "n0"), -1);
    /* A new node never takes a removed node's id, even with its name. */
    int32_t n2 = cluster_add_node(c, "n0", pool, &a, NULL, NULL, 0, 0);
    assert_int_equal(n2, 2);
    assert_int_equal(cluster_find_node(c, "n0"), n2);
    assert_int_equal(c->alloc_total.v[RES_CPU], 8000);
    check(c);
    cluster_free(c);
}

static void test_listeners(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct calls k1 = {0}, k2 = {0};
    struct cluster_listener l1 = {on_node, &k1}, l2 = {on_node, &k2};
    cluster_listen(c, &l1);
    cluster_listen(c, &l2);
    int32_t n0 = add_node(c, "n0", 4000, 16 * GI); /* new node: 1 call */
    int32_t n1 = add_node(c, "n1", 4000, 16 * GI);
    int32_t o = add_owner(c, "w", 1000, GI);
    int32_t p = cluster_new_pod(c, o, 0); /* no node change */
    assert_int_equal(k1.n, 2);
    cluster_bind(c, p, n1, 0);  /* n1 */
    cluster_mark_running(c, p); /* no capacity change */
    assert_int_equal(k1.n, 3);
    cluster_complete_pod(c, p); /* n1 */
    p = cluster_new_pod(c, o, 0);
    cluster_delete_pod(c, p);   /* pending: no node change */
    cluster_remove_node(c, n0); /* n0 */
    int32_t expect[] = {n0, n1, n1, n1, n0};
    assert_int_equal(k1.n, 5);
    assert_int_equal(k2.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(k1.node[i], expect[i]);
        assert_int_equal(k2.node[i], expect[i]);
    }
    cluster_free(c);
}

/* Listeners see the cluster already updated. */
struct seen {
    const struct cluster *c;
    int64_t used_cpu;
};

static void on_node_used(void *ctx, int32_t node)
{
    struct seen *s = ctx;
    s->used_cpu = s->c->nodes[node].used.v[RES_CPU];
}

static void test_listener_sees_new_state(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct seen s = {c, -1};
    struct cluster_listener l = {on_node_used, &s};
    cluster_listen(c, &l);
    int32_t n = add_node(c, "n0", 4000, 16 * GI);
    int32_t o = add_owner(c, "w", 700, GI);
    int32_t p = cluster_new_pod(c, o, 0);
    cluster_bind(c, p, n, 0);
    assert_int_equal(s.used_cpu, 700);
    cluster_delete_pod(c, p);
    assert_int_equal(s.used_cpu, 0);
    cluster_free(c);
}

static void test_check_detects_corruption(void **state)
{
    (void)state;
    char err[256];
    struct cluster *c = cluster_new();
    int32_t n = add_node(c, "n0", 4000, 16 * GI);
    int32_t o = add_owner(c, "w", 700, GI);
    int32_t p = cluster_new_pod(c, o, 0);
    cluster_bind(c, p, n, 0);
    assert_int_equal(cluster_check(c, err, sizeof err), 0);

    c->nodes[n].used.v[RES_CPU]++;
    assert_int_equal(cluster_check(c, err, sizeof err), -1);
    assert_non_null(strstr(err, "used"));
    c->nodes[n].used.v[RES_CPU]--;

    c->used_total.v[RES_MEMORY]--;
    assert_int_equal(cluster_check(c, err, sizeof err), -1);
    c->used_total.v[RES_MEMORY]++;

    c->owners[o].live++;
    assert_int_equal(cluster_check(c, err, sizeof err), -1);
    assert_non_null(strstr(err, "owner"));
    c->owners[o].live--;

    c->nodes[n].pods_head = -1;
    assert_int_equal(cluster_check(c, err, sizeof err), -1);
    c->nodes[n].pods_head = p;

    c->pods_created++;
    assert_int_equal(cluster_check(c, err, sizeof err), -1);
    assert_non_null(strstr(err, "counters"));
    c->pods_created--;

    c->alloc_total.v[RES_CPU] = 0;
    assert_int_equal(cluster_check(c, err, sizeof err), -1);
    assert_non_null(strstr(err, "alloc_total"));
    c->alloc_total.v[RES_CPU] = 4000;

    assert_int_equal(cluster_check(c, err, sizeof err), 0);
    cluster_free(c);
}

static void test_free_null(void **state)
{
    (void)state;
    cluster_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_podspec),
        cmocka_unit_test(test_bind_sums),
        cmocka_unit_test(test_owner_counters),
        cmocka_unit_test(test_slot_reuse),
        cmocka_unit_test(test_node_removal),
        cmocka_unit_test(test_listeners),
        cmocka_unit_test(test_listener_sees_new_state),
        cmocka_unit_test(test_check_detects_corruption),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
