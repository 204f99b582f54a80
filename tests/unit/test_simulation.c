/*
 * Whole-simulation worked examples: small clusters whose every event time can
 * be computed by hand, driven through the same code as `ksim run`.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/control/scheduler.h"
#include "sim/control/simulation.h"

/* Records the observer stream as text lines: "t type pod node extra". */
struct recorder {
    struct simulation *sim;
    char lines[64][400];
    int n;
    int samples;
};

static void on_event(void *ctx, const struct simevent *ev)
{
    struct recorder *r = ctx;
    struct cluster *c = r->sim->cluster;
    char pod[64] = "-", node[64] = "-";
    if (ev->pod >= 0)
        cluster_pod_name(c, ev->pod, pod, sizeof pod);
    if (ev->node >= 0)
        snprintf(node, sizeof node, "%s", c->nodes[ev->node].name);
    static const char *const names[] = {"scheduled",    "unschedulable", "scale",    "node_added",
                                        "node_removed", "pod_evicted",   "hpa_sync", "preempted"};
    char extra[160] = "";
    if (ev->message)
        snprintf(extra, sizeof extra, "%s", ev->message);
    for (size_t i = 0; i < ev->nvictims; i++) {
        size_t len = strlen(extra);
        extra[len] = i ? ' ' : '\0';
        cluster_pod_name(c, ev->victims[i], extra + strlen(extra), sizeof extra - len - 1);
    }
    if (r->n < 64)
        snprintf(r->lines[r->n++], sizeof r->lines[0], "%g %s %s %s %s", simtime_seconds(ev->time),
                 names[ev->type], pod, node, extra);
}

static void on_sample(void *ctx, simtime now)
{
    (void)now;
    ((struct recorder *)ctx)->samples++;
}

static struct simulation *new_sim(struct recorder *r, simtime startup)
{
    memset(r, 0, sizeof *r);
    struct sim_observer obs = {on_event, on_sample, r};
    r->sim = simulation_new(42, placement_find("first-fit"), startup, &obs);
    return r->sim;
}

static struct resources cpu(int64_t milli)
{
    struct resources res;
    res_zero(&res);
    res.v[RES_CPU] = milli;
    res.v[RES_MEMORY] = 1LL << 30;
    res.v[RES_PODS] = 110;
    return res;
}

static struct podspec spec_cpu(int64_t milli)
{
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = milli;
    ps.req.v[RES_PODS] = 1;
    return ps;
}

static void dump(const struct recorder *r)
{
    for (int i = 0; i < r->n; i++)
        print_message("  %s\n", r->lines[i]);
}

static void expect_line(const struct recorder *r, int i, const char *want)
{
    if (i >= r->n || strcmp(r->lines[i], want) != 0) {
        dump(r);
        fail_msg("line %d: want '%s', got '%s'", i, want, i < r->n ? r->lines[i] : "(none)");
    }
}

/*
 * First-fit packs in node order; scale-down removes the newest Running pods.
 * 2 nodes of 4 cores, 3 pods of 1.5 cores: web-0 and web-1 fit on pool-0
 * (3 of 4 cores), web-2 does not (1 core left) and goes to pool-1.
 */
static void test_deployment_place_and_scale(void **state)
{
    (void)state;
    struct recorder r;
    struct simulation *sim = new_sim(&r, 5 * SIMTIME_S);
    struct labelset none;
    labelset_init(&none);
    struct resources alloc = cpu(4000);
    int32_t pool = simulation_add_pool(sim, "pool", &alloc, &none, NULL, 0);
    simulation_grow_pool(sim, pool, 2);
    struct podspec ps = spec_cpu(1500);
    int32_t web = simulation_add_deployment(sim, "web", &ps, 3);
    simulation_at_scale(sim, 10 * SIMTIME_S, web, 1);
    simulation_start(sim);
    engine_run(sim->engine, 60 * SIMTIME_S);

    expect_line(&r, 0, "0 node_added - pool-0 ");
    expect_line(&r, 1, "0 node_added - pool-1 ");
    expect_line(&r, 2, "0 scheduled web-0 pool-0 ");
    expect_line(&r, 3, "0 scheduled web-1 pool-0 ");
    expect_line(&r, 4, "0 scheduled web-2 pool-1 ");
    expect_line(&r, 5, "10 scale - - ");
    assert_int_equal(r.n, 6);
    struct cluster *c = sim->cluster;
    assert_int_equal(c->owners[web].live, 1);
    assert_int_equal(c->owners[web].running, 1);
    /* web-0 (the oldest) survives, on pool-0. */
    int32_t pod = c->owners[web].pods_head;
    char name[32];
    cluster_pod_name(c, pod, name, sizeof name);
    assert_string_equal(name, "web-0");
    assert_int_equal(c->nodes[0].used.v[RES_CPU], 1500);
    assert_int_equal(c->nodes[1].used.v[RES_CPU], 0);
    char err[256];
    assert_int_equal(cluster_check(c, err, sizeof err), 0);
    simulation_free(sim);
    labelset_release(&none);
}

/*
 * A 1-core node, one 1-core job a minute (uniform arrivals), each running 90 s
 * after a 5 s start-up: job 0 runs 60..155 s; job 1 arrives at 120 s, fits
 * nowhere, and is bound at 155 s when job 0 finishes (not before: no polling);
 * job 2 arrives at 180 s and waits for job 1 (155 + 5 + 90 = 250 s).
 */
static void test_batch_waits_for_capacity(void **state)
{
    (void)state;
    struct recorder r;
    struct simulation *sim = new_sim(&r, 5 * SIMTIME_S);
    struct labelset none;
    labelset_init(&none);
    struct resources alloc = cpu(1000);
    simulation_add_node(sim, "n1", &alloc, &none, NULL, 0, 0);
    struct podspec ps = spec_cpu(1000);
    struct batch_params bp = {.process = BATCH_UNIFORM,
                              .rate_per_min = 1,
                              .start = 0,
                              .stop = SIMTIME_NEVER,
                              .limit = 3,
                              .dist = BATCH_DIST_CONSTANT,
                              .location = 90 * SIMTIME_S};
    simulation_add_batch(sim, "job", &ps, &bp);
    simulation_sample_every(sim, 60 * SIMTIME_S);
    simulation_start(sim);
    engine_run(sim->engine, 600 * SIMTIME_S);

    expect_line(&r, 0, "0 node_added - n1 ");
    expect_line(&r, 1, "60 scheduled job-0 n1 ");
    expect_line(&r, 2, "120 unschedulable job-1 - 0/1 nodes are available: 1 Insufficient cpu.");
    expect_line(&r, 3, "155 scheduled job-1 n1 ");
    expect_line(&r, 4, "180 unschedulable job-2 - 0/1 nodes are available: 1 Insufficient cpu.");
    expect_line(&r, 5, "250 scheduled job-2 n1 ");
    assert_int_equal(r.n, 6);
    assert_int_equal(sim->cluster->pods_completed, 3);
    assert_int_equal(scheduler_pending(sim->sched), 0);
    /* Samples at 0, 60, ..., 600 inclusive. */
    assert_int_equal(r.samples, 11);
    /* Three pods, one attempt failed for each of two of them. */
    assert_int_equal(scheduler_failed_attempts(sim->sched), 2);
    simulation_free(sim);
    labelset_release(&none);
}

/*
 * Removing a node evicts its pods; the deployment controller replaces them,
 * and the replacement stays Pending when nothing else has room.
 */
static void test_node_removal(void **state)
{
    (void)state;
    struct recorder r;
    struct simulation *sim = new_sim(&r, 0);
    struct labelset none;
    labelset_init(&none);
    struct resources alloc = cpu(4000);
    int32_t pool = simulation_add_pool(sim, "p", &alloc, &none, NULL, 0);
    simulation_grow_pool(sim, pool, 2);
    struct podspec ps = spec_cpu(3000);
    int32_t web = simulation_add_deployment(sim, "web", &ps, 2);
    simulation_at_nodes(sim, 60 * SIMTIME_S, pool, -1);
    simulation_at_nodes(sim, 120 * SIMTIME_S, pool, 1);
    simulation_start(sim);
    engine_run(sim->engine, 300 * SIMTIME_S);

    expect_line(&r, 2, "0 scheduled web-0 p-0 ");
    expect_line(&r, 3, "0 scheduled web-1 p-1 ");
    expect_line(&r, 4, "60 pod_evicted web-1 p-1 ");
    expect_line(&r, 5, "60 node_removed - p-1 ");
    expect_line(&r, 6, "60 unschedulable web-2 - 0/1 nodes are available: 1 Insufficient cpu.");
    expect_line(&r, 7, "120 node_added - p-2 ");
    expect_line(&r, 8, "120 scheduled web-2 p-2 ");
    assert_int_equal(r.n, 9);
    assert_int_equal(sim->cluster->owners[web].running, 2);
    assert_int_equal(sim->cluster->nalive, 2);
    simulation_free(sim);
    labelset_release(&none);
}

#define INSUFFICIENT "0/1 nodes are available: 1 Insufficient cpu."
#define NO_VICTIMS                                                                                 \
    "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."

/* A run with policy kube (no start-up delay) and one 2-core node n1. */
static struct simulation *new_kube_sim(struct recorder *r, struct labelset *none)
{
    memset(r, 0, sizeof *r);
    struct sim_observer obs = {on_event, on_sample, r};
    r->sim = simulation_new(42, placement_find("kube"), 0, &obs);
    labelset_init(none);
    struct resources alloc = cpu(2000);
    simulation_add_node(r->sim, "n1", &alloc, none, NULL, 0, 0);
    return r->sim;
}

/* Checks the cluster's invariants and frees the run. */
static void check_and_free(struct simulation *sim, struct labelset *none)
{
    char err[256];
    if (cluster_check(sim->cluster, err, sizeof err) != 0)
        fail_msg("cluster_check: %s", err);
    simulation_free(sim);
    labelset_release(none);
}

static int32_t prio_deployment(struct simulation *sim, const char *name, int64_t milli,
                               int32_t prio, simtime grace, int64_t replicas)
{
    struct podspec ps = spec_cpu(milli);
    ps.priority = prio;
    ps.grace = grace;
    return simulation_add_deployment(sim, name, &ps, replicas);
}

/*
 * Preemption's consequences (models/kube/preemption.c, sim/control): a 2-core
 * node holds two 1-core `low` pods (grace 5 s). At 10 s a 1-core `high` pod
 * preempts one of them (the later in the node's list: both started at 0, and
 * the first is reprieved); the ReplicaSet replaces it at once, and the
 * replacement cannot take the core reserved for the nominated pod. The
 * victim holds its core until 15 s exactly; then `high` binds on its
 * nominated node.
 */
static void test_preemption_grace(void **state)
{
    (void)state;
    struct recorder r;
    struct labelset none;
    struct simulation *sim = new_kube_sim(&r, &none);
    prio_deployment(sim, "low", 1000, 0, 5 * SIMTIME_S, 2);
    int32_t high = prio_deployment(sim, "high", 1000, 1000, 30 * SIMTIME_S, 0);
    simulation_at_scale(sim, 10 * SIMTIME_S, high, 1);
    simulation_start(sim);
    engine_run(sim->engine, 14 * SIMTIME_S);
    struct cluster *c = sim->cluster;
    assert_int_equal(c->nodes[0].used.v[RES_CPU], 2000); /* the victim still holds its core */
    engine_run(sim->engine, 60 * SIMTIME_S);

    expect_line(&r, 0, "0 node_added - n1 ");
    expect_line(&r, 1, "0 scheduled low-0 n1 ");
    expect_line(&r, 2, "0 scheduled low-1 n1 ");
    expect_line(&r, 3, "10 scale - - ");
    expect_line(&r, 4, "10 preempted high-0 n1 low-0");
    expect_line(&r, 5, "10 unschedulable high-0 - " INSUFFICIENT);
    expect_line(&r, 6, "10 unschedulable low-2 - " INSUFFICIENT " " NO_VICTIMS);
    expect_line(&r, 7, "15 scheduled high-0 n1 ");
    expect_line(&r, 8, "15 unschedulable low-2 - " INSUFFICIENT " " NO_VICTIMS);
    assert_int_equal(r.n, 9);
    assert_int_equal(c->owners[0].live, 2); /* low-1 and its pending replacement */
    assert_int_equal(c->pods_deleted, 1);
    check_and_free(sim, &none);
}

/*
 * Nominations: low-0 starts at 0 s, low-1 at 5 s. `mid` (1 core, priority
 * 100) preempts low-1 at 10 s (low-0, the earlier start, is reprieved) and is
 * nominated to n1. At 11 s `high` (2 cores, 1000) does not count mid's
 * nomination (lower priority), preempts low-0 and low-1 (already
 * terminating: not deleted again) and takes the node's nomination from mid.
 * At 15 s low-1 is gone: high tries its nominated node first and fails
 * (low-0 holds a core until 16 s), and may not preempt while a lower-priority
 * pod terminates there; mid now counts high's 2 reserved cores, and removing
 * every lower-priority pod does not make room. At 16 s high binds.
 */
static void test_preemption_nominations(void **state)
{
    (void)state;
    struct recorder r;
    struct labelset none;
    struct simulation *sim = new_kube_sim(&r, &none);
    int32_t low = prio_deployment(sim, "low", 1000, 0, 5 * SIMTIME_S, 1);
    int32_t mid = prio_deployment(sim, "mid", 1000, 100, 5 * SIMTIME_S, 0);
    int32_t high = prio_deployment(sim, "high", 2000, 1000, 5 * SIMTIME_S, 0);
    simulation_at_scale(sim, 5 * SIMTIME_S, low, 2);
    simulation_at_scale(sim, 10 * SIMTIME_S, mid, 1);
    simulation_at_scale(sim, 11 * SIMTIME_S, high, 1);
    simulation_start(sim);
    engine_run(sim->engine, 60 * SIMTIME_S);

    static const char *const want[] = {
        "0 node_added - n1 ",
        "0 scheduled low-0 n1 ",
        "5 scale - - ",
        "5 scheduled low-1 n1 ",
        "10 scale - - ",
        "10 preempted mid-0 n1 low-1",
        "10 unschedulable mid-0 - " INSUFFICIENT,
        "10 unschedulable low-2 - " INSUFFICIENT " " NO_VICTIMS,
        "11 scale - - ",
        "11 preempted high-0 n1 low-0 low-1",
        "11 unschedulable high-0 - " INSUFFICIENT,
        "11 unschedulable low-3 - " INSUFFICIENT " " NO_VICTIMS,
        "15 unschedulable high-0 - " INSUFFICIENT
        " preemption: not eligible due to a terminating pod on the nominated node.",
        "15 unschedulable mid-0 - " INSUFFICIENT " preemption: " INSUFFICIENT,
        "15 unschedulable low-2 - " INSUFFICIENT " " NO_VICTIMS,
        "15 unschedulable low-3 - " INSUFFICIENT " " NO_VICTIMS,
        "16 scheduled high-0 n1 ",
        "16 unschedulable mid-0 - " INSUFFICIENT " " NO_VICTIMS,
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        expect_line(&r, (int)i, want[i]);
    struct cluster *c = sim->cluster;
    assert_int_equal(c->pods[c->owners[mid].pods_head].nominated, -1);
    assert_int_equal(c->owners[high].running, 1);
    assert_int_equal(c->pods_deleted, 2);
    check_and_free(sim, &none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deployment_place_and_scale),
        cmocka_unit_test(test_preemption_grace),
        cmocka_unit_test(test_preemption_nominations),
        cmocka_unit_test(test_batch_waits_for_capacity),
        cmocka_unit_test(test_node_removal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
