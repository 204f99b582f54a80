/*
 * Unit tests for models/placement/placement.c: the registry, the hard
 * filters (placement_feasible) and the FitError text (placement_explain).
 *
 * Worked from kubernetes/kubernetes:
 *   pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
 *     (TestTaintTolerationFilter, the cases worded "{key: value}", v1.25-v1.34.1)
 *   pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
 *     (TestNodeUnschedulable)
 *   pkg/scheduler/framework/plugins/noderesources/fit_test.go
 *     (TestEnoughRequests: "too many resources fails" reports cpu and memory,
 *     "equal edge case"; TestNotEnoughRequests: "even without specified
 *     resources, predicate fails when there's no space for additional pod"
 *     gives "Too many pods")
 *   pkg/scheduler/framework/types_test.go (TestFitError_Error: sorted
 *     "count reason" strings, ", " separator, final ".")
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
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

static int32_t add_node(struct cluster *c, int64_t cpu_m, int64_t mem)
{
    char name[32];
    snprintf(name, sizeof name, "node%zu", c->nnodes);
    struct resources a = res(cpu_m, mem, 110);
    return cluster_add_node(c, name, -1, &a, NULL, NULL, 0, 0);
}

static int32_t add_tainted(struct cluster *c, const char *key, const char *value,
                           enum taint_effect effect)
{
    char name[32];
    snprintf(name, sizeof name, "node%zu", c->nnodes);
    struct resources a = res(4000, 16 * GI, 110);
    struct taint t = {(char *)key, (char *)value, effect};
    return cluster_add_node(c, name, -1, &a, NULL, &t, 1, 0);
}

static int32_t add_cordoned(struct cluster *c)
{
    char name[32];
    snprintf(name, sizeof name, "node%zu", c->nnodes);
    struct resources a = res(4000, 16 * GI, 110);
    return cluster_add_node(c, name, -1, &a, NULL, NULL, 0, 1);
}

static int32_t add_labelled(struct cluster *c, const char *key, const char *value)
{
    char name[32];
    snprintf(name, sizeof name, "node%zu", c->nnodes);
    struct resources a = res(4000, 16 * GI, 110);
    struct labelset ls;
    labelset_init(&ls);
    labelset_set(&ls, key, value);
    int32_t id = cluster_add_node(c, name, -1, &a, &ls, NULL, 0, 0);
    labelset_release(&ls);
    return id;
}

/* A spec requesting cpu/mem; tolerations added with tol(). */
static struct podspec spec(int64_t cpu_m, int64_t mem)
{
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = mem;
    return ps;
}

static void tol(struct podspec *ps, const char *key, enum toleration_op op, const char *value,
                int effect)
{
    ps->tols = realloc(ps->tols, (ps->ntols + 1) * sizeof *ps->tols);
    struct toleration t = {(char *)key, (char *)value, op, effect};
    toleration_copy(&ps->tols[ps->ntols++], &t);
}

/* A pending pod of a fresh owner with spec ps (ownership taken). */
static int32_t add_pod(struct cluster *c, struct podspec *ps)
{
    char name[32];
    snprintf(name, sizeof name, "owner%zu", c->nowners);
    int32_t o = cluster_add_owner(c, OWNER_DEPLOYMENT, name, ps, 1);
    return cluster_new_pod(c, o, 0);
}

static int feasible(const struct cluster *c, int32_t pod, int32_t node)
{
    return placement_feasible(c, &c->pods[pod], node);
}

static void expect_explain(const struct cluster *c, int32_t pod, const char *want)
{
    char buf[1024];
    placement_explain(c, pod, buf, sizeof buf);
    assert_string_equal(buf, want);
}

/* ---- registry ---- */

static void test_registry(void **state)
{
    (void)state;
    assert_ptr_equal(placement_find("first-fit"), &placement_first_fit_ops);
    assert_null(placement_find("frist-fit"));
    assert_null(placement_find("First-Fit"));
    assert_null(placement_find(""));
    size_t n = 0;
    for (; placement_registry[n]; n++) {
        const struct placement_ops *ops = placement_registry[n];
        assert_non_null(ops->name);
        assert_non_null(ops->summary);
        assert_non_null(ops->place);
        assert_ptr_equal(placement_find(ops->name), ops);
    }
    assert_true(n >= 1);
    assert_ptr_equal(placement_registry[0], &placement_first_fit_ops);
    assert_string_equal(placement_first_fit_ops.name, "first-fit");
}

static int init_calls;
static int release_calls;

static int dummy_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    (void)c;
    (void)env;
    const unsigned char *b = state;
    for (int i = 0; i < 40; i++)
        if (b[i])
            return -1; /* the framework hands out zeroed state */
    init_calls++;
    return 0;
}

static int failing_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    (void)state;
    (void)c;
    (void)env;
    return -1;
}

static void dummy_release(void *state)
{
    (void)state;
    release_calls++;
}

static void test_init_release(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct placement_ops ops = {.name = "dummy",
                                .summary = "test",
                                .state_size = 40,
                                .init = dummy_init,
                                .release = dummy_release};
    struct placement p;
    assert_int_equal(placement_init(&p, &ops, c, NULL), 0);
    assert_ptr_equal(p.ops, &ops);
    assert_non_null(p.state);
    assert_int_equal(init_calls, 1);
    placement_release(&p);
    assert_int_equal(release_calls, 1);
    assert_null(p.state);

    ops.init = failing_init;
    assert_int_equal(placement_init(&p, &ops, c, NULL), -1);
    assert_null(p.state);

    struct placement_env env = {.rng = NULL};
    assert_int_equal(placement_init(&p, &placement_first_fit_ops, c, &env), 0);
    placement_release(&p);
    cluster_free(c);
}

/* ---- placement_feasible ---- */

/* TestTaintTolerationFilter, case by case. */
static void test_feasible_taints(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t user1 = add_tainted(c, "dedicated", "user1", TAINT_NO_SCHEDULE);
    int32_t foobar = add_tainted(c, "foo", "bar", TAINT_NO_SCHEDULE);
    int32_t prefer = add_tainted(c, "dedicated", "user1", TAINT_PREFER_NO_SCHEDULE);
    int32_t exec = add_tainted(c, "evict", "now", TAINT_NO_EXECUTE);
    struct podspec ps;

    /* A pod having no tolerations can't be scheduled onto a node with nonempty taints. */
    ps = spec(0, 0);
    int32_t none = add_pod(c, &ps);
    assert_false(feasible(c, none, user1));
    /* ... but PreferNoSchedule only matters for scoring. */
    assert_true(feasible(c, none, prefer));
    assert_false(feasible(c, none, exec));

    /* Tolerates dedicated=user1:NoSchedule (operator defaults to Equal). */
    ps = spec(0, 0);
    tol(&ps, "dedicated", TOL_EQUAL, "user1", TAINT_NO_SCHEDULE);
    int32_t p = add_pod(c, &ps);
    assert_true(feasible(c, p, user1));

    /* Equal with another value: user2 does not tolerate user1. */
    ps = spec(0, 0);
    tol(&ps, "dedicated", TOL_EQUAL, "user2", TAINT_NO_SCHEDULE);
    int32_t user2 = add_pod(c, &ps);
    assert_false(feasible(c, user2, user1));
    /* The node's PreferNoSchedule taint does not stop it either. */
    assert_true(feasible(c, user2, prefer));

    /* Exists ignores the value. */
    ps = spec(0, 0);
    tol(&ps, "foo", TOL_EXISTS, "", TAINT_NO_SCHEDULE);
    p = add_pod(c, &ps);
    assert_true(feasible(c, p, foobar));
    assert_false(feasible(c, p, user1));

    /* Matching key and value but a different (non-empty) effect. */
    ps = spec(0, 0);
    tol(&ps, "foo", TOL_EQUAL, "bar", TAINT_PREFER_NO_SCHEDULE);
    p = add_pod(c, &ps);
    assert_false(feasible(c, p, foobar));

    /* An empty effect tolerates every effect. */
    ps = spec(0, 0);
    tol(&ps, "foo", TOL_EQUAL, "bar", -1);
    p = add_pod(c, &ps);
    assert_true(feasible(c, p, foobar));

    /* An empty key with Exists tolerates everything. */
    ps = spec(0, 0);
    tol(&ps, "", TOL_EXISTS, "", -1);
    p = add_pod(c, &ps);
    for (int32_t n = 0; n < (int32_t)c->nnodes; n++)
        assert_true(feasible(c, p, n));
    cluster_free(c);
}

/* Several taints, several tolerations: all taints must be tolerated. */
static void test_feasible_multiple_taints(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct resources a = res(4000, 16 * GI, 110);
    struct taint t[2] = {{"dedicated", "user2", TAINT_NO_SCHEDULE},
                         {"foo", "bar", TAINT_NO_SCHEDULE}};
    int32_t n = cluster_add_node(c, "nodeA", -1, &a, NULL, t, 2, 0);
    struct podspec ps = spec(0, 0);
    tol(&ps, "dedicated", TOL_EQUAL, "user2", TAINT_NO_SCHEDULE);
    tol(&ps, "foo", TOL_EXISTS, "", TAINT_NO_SCHEDULE);
    int32_t both = add_pod(c, &ps);
    assert_true(feasible(c, both, n));
    ps = spec(0, 0);
    tol(&ps, "dedicated", TOL_EQUAL, "user2", TAINT_NO_SCHEDULE);
    int32_t one = add_pod(c, &ps);
    assert_false(feasible(c, one, n));
    cluster_free(c);
}

static void test_feasible_selector(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t gpu = add_labelled(c, "pool", "gpu");
    int32_t cpu = add_labelled(c, "pool", "cpu");
    int32_t bare = add_node(c, 4000, 16 * GI);
    struct podspec ps = spec(100, GI);
    labelset_set(&ps.node_selector, "pool", "gpu");
    int32_t p = add_pod(c, &ps);
    assert_true(feasible(c, p, gpu));
    assert_false(feasible(c, p, cpu));
    assert_false(feasible(c, p, bare));
    /* An empty selector matches every node. */
    ps = spec(100, GI);
    int32_t any = add_pod(c, &ps);
    assert_true(feasible(c, any, gpu));
    assert_true(feasible(c, any, bare));
    cluster_free(c);
}

/* TestNodeUnschedulable. */
static void test_feasible_unschedulable(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t cordoned = add_cordoned(c);
    int32_t normal = add_node(c, 4000, 16 * GI);
    struct podspec ps = spec(0, 0);
    int32_t p = add_pod(c, &ps);
    assert_false(feasible(c, p, cordoned));
    assert_true(feasible(c, p, normal));
    /* {Key: node.kubernetes.io/unschedulable, Effect: NoSchedule}, operator Equal, no value. */
    ps = spec(0, 0);
    tol(&ps, "node.kubernetes.io/unschedulable", TOL_EQUAL, "", TAINT_NO_SCHEDULE);
    assert_true(placement_tolerates_unschedulable(&ps));
    int32_t tolerant = add_pod(c, &ps);
    assert_true(feasible(c, tolerant, cordoned));
    /* Tolerating a different key does not help. */
    ps = spec(0, 0);
    tol(&ps, "node.kubernetes.io/not-ready", TOL_EXISTS, "", -1);
    assert_false(placement_tolerates_unschedulable(&ps));
    podspec_release(&ps);
    cluster_free(c);
}

static void test_feasible_resources(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    int32_t n = add_node(c, 1000, 4 * GI);
    struct podspec ps = spec(600, GI);
    int32_t first = add_pod(c, &ps);
    cluster_bind(c, first, n, 0);
    /* Equality fits (fit_test.go "equal edge case"). */
    ps = spec(400, 3 * GI);
    int32_t exact = add_pod(c, &ps);
    assert_true(feasible(c, exact, n));
    ps = spec(401, GI);
    int32_t over_cpu = add_pod(c, &ps);
    assert_false(feasible(c, over_cpu, n));
    ps = spec(1, 3 * GI + 1);
    int32_t over_mem = add_pod(c, &ps);
    assert_false(feasible(c, over_mem, n));
    /* Removed and unknown nodes are never feasible. */
    int32_t gone = add_node(c, 8000, 8 * GI);
    cluster_remove_node(c, gone);
    assert_false(feasible(c, exact, gone));
    assert_false(feasible(c, exact, 99));
    assert_false(feasible(c, exact, -1));
    cluster_free(c);
}

static void test_feasible_pod_count(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct resources a = res(4000, 16 * GI, 1);
    int32_t n = cluster_add_node(c, "tiny", -1, &a, NULL, NULL, 0, 0);
    struct podspec ps = spec(0, 0);
    int32_t p0 = add_pod(c, &ps);
    assert_true(feasible(c, p0, n));
    cluster_bind(c, p0, n, 0);
    ps = spec(0, 0);
    int32_t p1 = add_pod(c, &ps);
    assert_false(feasible(c, p1, n)); /* a pod with no requests still counts */
    cluster_free(c);
}

/* ---- placement_explain ---- */

static void test_explain_brief_example(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    add_cordoned(c);
    add_node(c, 1000, 16 * GI);
    add_node(c, 500, 16 * GI);
    struct podspec ps = spec(2000, GI);
    int32_t p = add_pod(c, &ps);
    expect_explain(c, p,
                   "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.");
    cluster_free(c);
}

/* fit_test.go "too many resources fails": one node reports every shortfall. */
static void test_explain_all_resources_counted(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    add_node(c, 1000, 16 * GI); /* short on cpu only */
    add_node(c, 1000, GI);      /* short on cpu and memory */
    struct podspec ps = spec(2000, 2 * GI);
    int32_t p = add_pod(c, &ps);
    expect_explain(c, p, "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");

    /* Ephemeral storage and extended resources use their names. */
    int gpu = resnames_intern(&c->resnames, "nvidia.com/gpu");
    assert_int_equal(gpu, RES_FIXED);
    ps = spec(0, 0);
    ps.req.v[RES_EPHEMERAL] = GI;
    ps.req.v[gpu] = 1;
    p = add_pod(c, &ps);
    expect_explain(c, p,
                   "0/2 nodes are available: 2 Insufficient ephemeral-storage, 2 Insufficient "
                   "nvidia.com/gpu.");
    cluster_free(c);
}

static void test_explain_header_example(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    for (int i = 0; i < 10; i++) {
        if (i == 3 || i == 7)
            add_tainted(c, "dedicated", "gpu", TAINT_NO_SCHEDULE);
        else
            add_node(c, 1000, 16 * GI);
    }
    struct podspec ps = spec(8000, GI);
    int32_t p = add_pod(c, &ps);
    expect_explain(c, p,
                   "0/10 nodes are available: 2 node(s) had untolerated taint(s), 8 "
                   "Insufficient cpu.");
    cluster_free(c);
}

/* Go's sort.Strings is bytewise: "1 ..." < "10 ..." < "2 ...". */
static void test_explain_sort_order(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    for (int i = 0; i < 10; i++)
        add_node(c, 100, 16 * GI);
    add_cordoned(c);
    add_labelled(c, "pool", "gpu");
    struct podspec ps = spec(8000, GI);
    labelset_set(&ps.node_selector, "pool", "gpu");
    int32_t p = add_pod(c, &ps);
    /* The ten small nodes fail NodeAffinity first, before NodeResourcesFit. */
    expect_explain(c, p,
                   "0/12 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable, 10 "
                   "node(s) didn't match Pod's node affinity/selector.");

    ps = spec(8000, GI);
    p = add_pod(c, &ps);
    add_cordoned(c);
    expect_explain(c, p,
                   "0/13 nodes are available: 11 Insufficient cpu, 2 node(s) were unschedulable.");
    cluster_free(c);
}

/* A node reports only the reasons of the first filter it fails. */
static void test_explain_first_filter_only(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct resources small = res(100, GI, 110);
    struct taint t = {"dedicated", "batch", TAINT_NO_EXECUTE};
    struct labelset ls;
    labelset_init(&ls);
    labelset_set(&ls, "pool", "other");
    /* Cordoned, tainted, wrong label, too small: NodeUnschedulable wins. */
    cluster_add_node(c, "a", -1, &small, &ls, &t, 1, 1);
    /* Tainted, wrong label, too small: TaintToleration wins. */
    cluster_add_node(c, "b", -1, &small, &ls, &t, 1, 0);
    /* Wrong label, too small: NodeAffinity wins. */
    cluster_add_node(c, "c", -1, &small, &ls, NULL, 0, 0);
    labelset_release(&ls);
    /* Right label, too small: NodeResourcesFit. */
    add_labelled(c, "pool", "web");
    cluster_remove_node(c, add_labelled(c, "pool", "web")); /* removed: not counted */
    struct podspec ps = spec(8000, GI);
    labelset_set(&ps.node_selector, "pool", "web");
    int32_t p = add_pod(c, &ps);
    expect_explain(c, p,
                   "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node "
                   "affinity/selector, 1 node(s) had untolerated taint(s), 1 "
                   "node(s) were unschedulable.");
    cluster_free(c);
}

static void test_explain_taint_wording(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    /* v1.35 names no taint: every untolerated node counts under one reason. */
    add_tainted(c, "node-role.kubernetes.io/control-plane", "", TAINT_NO_SCHEDULE);
    add_tainted(c, "dedicated", "user1", TAINT_NO_SCHEDULE);
    /* NoSchedule/NoExecute taints count; PreferNoSchedule and tolerated ones do not. */
    struct resources a = res(4000, 16 * GI, 110);
    struct taint t[3] = {{"soft", "x", TAINT_PREFER_NO_SCHEDULE},
                         {"dedicated", "user2", TAINT_NO_SCHEDULE},
                         {"foo", "bar", TAINT_NO_EXECUTE}};
    cluster_add_node(c, "multi", -1, &a, NULL, t, 3, 0);
    struct podspec ps = spec(100, GI);
    tol(&ps, "dedicated", TOL_EXISTS, "", TAINT_NO_SCHEDULE);
    int32_t p = add_pod(c, &ps);
    expect_explain(c, p, "0/3 nodes are available: 2 node(s) had untolerated taint(s).");
    cluster_free(c);
}

static void test_explain_too_many_pods(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct resources a = res(1000, 4 * GI, 1);
    int32_t n0 = cluster_add_node(c, "n0", -1, &a, NULL, NULL, 0, 0);
    int32_t n1 = cluster_add_node(c, "n1", -1, &a, NULL, NULL, 0, 0);
    struct podspec ps = spec(600, GI);
    int32_t o = cluster_add_owner(c, OWNER_DEPLOYMENT, "filler", &ps, 2);
    cluster_bind(c, cluster_new_pod(c, o, 0), n0, 0);
    cluster_bind(c, cluster_new_pod(c, o, 0), n1, 0);
    /* n0 and n1 are full by pod count; both also lack cpu for this pod. */
    ps = spec(500, GI);
    int32_t p = add_pod(c, &ps);
    expect_explain(c, p, "0/2 nodes are available: 2 Insufficient cpu, 2 Too many pods.");
    /* A pod with no requests stops after the pod count. */
    ps = spec(0, 0);
    p = add_pod(c, &ps);
    expect_explain(c, p, "0/2 nodes are available: 2 Too many pods.");
    cluster_free(c);
}

static void test_explain_edge_cases(void **state)
{
    (void)state;
    struct cluster *c = cluster_new();
    struct podspec ps = spec(100, GI);
    int32_t p = add_pod(c, &ps);
    /* schedule_one.go: no nodes at all is ErrNoNodesAvailable, not a FitError. */
    expect_explain(c, p, "no nodes available to schedule pods");
    cluster_remove_node(c, add_node(c, 1000, GI));
    expect_explain(c, p, "no nodes available to schedule pods");

    add_node(c, 50, GI);
    char small[20];
    placement_explain(c, p, small, sizeof small);
    assert_string_equal(small, "0/1 nodes are avail"); /* truncated, terminated */
    placement_explain(c, p, small, 0);                 /* no room: no write */
    cluster_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_init_release),
        cmocka_unit_test(test_feasible_taints),
        cmocka_unit_test(test_feasible_multiple_taints),
        cmocka_unit_test(test_feasible_selector),
        cmocka_unit_test(test_feasible_unschedulable),
        cmocka_unit_test(test_feasible_resources),
        cmocka_unit_test(test_feasible_pod_count),
        cmocka_unit_test(test_explain_brief_example),
        cmocka_unit_test(test_explain_all_resources_counted),
        cmocka_unit_test(test_explain_header_example),
        cmocka_unit_test(test_explain_sort_order),
        cmocka_unit_test(test_explain_first_filter_only),
        cmocka_unit_test(test_explain_taint_wording),
        cmocka_unit_test(test_explain_too_many_pods),
        cmocka_unit_test(test_explain_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
