/*
 * Tests for sim/io/scenario/scenario, manifest and override: a full scenario with
 * included manifests is read into exact values; --set overrides are applied
 * before validation. (Malformed scenarios are covered one file per error
 * class by tests/bad/.)
 */
#include "testutil.h"

#include <string.h>

#include "models/placement/placement.h"
#include "sim/io/scenario/override.h"
#include "sim/io/scenario/scenario.h"

static const char nodes_yaml[] =
    "apiVersion: v1\n"
    "kind: List\n"
    "items:\n"
    "- apiVersion: v1\n"
    "  kind: Node\n"
    "  metadata: {name: big-1, labels: {disk: ssd}, managedFields: [{manager: kubelet}]}\n"
    "  spec:\n"
    "    unschedulable: true\n"
    "    taints: [{key: dedicated, value: db, effect: NoExecute}]\n"
    "  status:\n"
    "    capacity: {cpu: '64', memory: 256Gi, pods: '250', nvidia.com/gpu: '8'}\n"
    "- apiVersion: v1\n"
    "  kind: ConfigMap\n"
    "  metadata: {name: ignored}\n";

/* Deployment with init containers, a sidecar and overhead (effective requests below). */
static const char deploy_yaml[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: db, namespace: data, annotations: {a: b}}\n"
    "spec:\n"
    "  template:\n"
    "    metadata: {labels: {app: db, tier: storage}}\n"
    "    spec:\n"
    "      priority: 1000\n"
    "      nodeSelector: {disk: ssd}\n"
    "      tolerations: [{key: dedicated, operator: Exists}]\n"
    "      overhead: {cpu: 250m}\n"
    "      initContainers:\n"
    "      - {name: sidecar, restartPolicy: Always, resources: {requests: {cpu: '2'}}}\n"
    "      - {name: migrate, resources: {requests: {cpu: '3', memory: 1Gi}}}\n"
    "      containers:\n"
    "      - {name: db, resources: {requests: {cpu: '1', memory: 4Gi}}}\n"
    "status: {replicas: 9}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: db}\n";

static const char scenario_yaml[] =
    "apiVersion: ksim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: unit}\n"
    "spec:\n"
    "  seed: 7\n"
    "  duration: 1h30m\n"
    "  metrics: {interval: 15s}\n"
    "  scheduler: {policy: first-fit}\n"
    "  lifecycle: {startupDelay: 2s}\n"
    "  cluster:\n"
    "    nodePools:\n"
    "    - name: small\n"
    "      count: 3\n"
    "      allocatable: {cpu: 3500m, memory: 15Gi}\n"
    "      labels: {topology.kubernetes.io/zone: a}\n"
    "      taints: [{key: spot, effect: PreferNoSchedule}]\n"
    "    include: [t-nodes.yaml]\n"
    "  workloads:\n"
    "    include: [t-deploy.yaml]\n"
    "    deployments:\n"
    "    - apiVersion: apps/v1\n"
    "      kind: Deployment\n"
    "      metadata: {name: web}\n"
    "      spec: {replicas: 4, template: {spec: {containers: [{name: a, resources: {requests: "
    "{cpu: 100m, memory: 128Mi}}}]}}}\n"
    "    batch:\n"
    "    - name: jobs\n"
    "      arrivals: {process: poisson, ratePerMinute: 2.5, start: 10m, limit: 100}\n"
    "      duration: {distribution: lognormal, median: 10m, sigma: 0.5}\n"
    "      requests: {cpu: '2', memory: 4Gi}\n"
    "  events:\n"
    "  - {at: 2h, scale: {deployment: web, replicas: 20}}\n"
    "  - {at: 30m, removeNodes: {pool: small, count: 2}}\n"
    "  - {at: 45m, addNodes: {pool: small, count: 1}}\n";

static struct scenario *load(const struct scn_override *ov, size_t nov, int64_t seed,
                             struct diag *d)
{
    testutil_write_temp("t-nodes.yaml", nodes_yaml);
    testutil_write_temp("t-deploy.yaml", deploy_yaml);
    const char *path = testutil_write_temp("t-scenario.yaml", scenario_yaml);
    diag_clear(d);
    return scenario_load(path, ov, nov, seed, d);
}

static void test_full_scenario(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s = load(NULL, 0, -1, &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_string_equal(s->name, "unit");
    assert_int_equal(s->seed, 7);
    assert_int_equal(s->duration, 90 * SIMTIME_MIN);
    assert_int_equal(s->metrics_interval, 15 * SIMTIME_S);
    assert_int_equal(s->startup_delay, 2 * SIMTIME_S);
    assert_ptr_equal(s->policy, placement_find("first-fit"));

    assert_int_equal(s->npools, 1);
    assert_string_equal(s->pools[0].name, "small");
    assert_int_equal(s->pools[0].count, 3);
    assert_int_equal(s->pools[0].alloc.v[RES_CPU], 3500);
    assert_int_equal(s->pools[0].alloc.v[RES_MEMORY], 15LL << 30);
    assert_int_equal(s->pools[0].alloc.v[RES_PODS], 110); /* kubelet default */
    assert_string_equal(labelset_get(&s->pools[0].labels, "topology.kubernetes.io/zone"), "a");
    assert_int_equal(s->pools[0].ntaints, 1);
    assert_int_equal(s->pools[0].taints[0].effect, TAINT_PREFER_NO_SCHEDULE);
    assert_string_equal(s->pools[0].taints[0].value, "");

    /* The Node from a List, allocatable from status.capacity; the ConfigMap is skipped. */
    assert_int_equal(s->nnodes, 1);
    assert_string_equal(s->nodes[0].name, "big-1");
    assert_int_equal(s->nodes[0].alloc.v[RES_CPU], 64000);
    assert_int_equal(s->nodes[0].alloc.v[RES_PODS], 250);
    int gpu = resnames_find(&s->resnames, "nvidia.com/gpu");
    assert_int_equal(gpu, RES_FIXED);
    assert_int_equal(s->nodes[0].alloc.v[gpu], 8);
    assert_true(s->nodes[0].unschedulable);
    assert_int_equal(s->nodes[0].taints[0].effect, TAINT_NO_EXECUTE);
    assert_string_equal(labelset_get(&s->nodes[0].labels, "disk"), "ssd");
    assert_int_equal(scenario_initial_nodes(s), 4);

    /* Inline deployments come first, then included ones. */
    assert_int_equal(s->ndeployments, 2);
    assert_string_equal(s->deployments[0].name, "web");
    assert_int_equal(s->deployments[0].replicas, 4);
    assert_int_equal(s->deployments[0].spec.req.v[RES_CPU], 100);
    assert_int_equal(s->deployments[0].spec.req.v[RES_MEMORY], 128LL << 20);
    assert_int_equal(s->deployments[0].spec.req.v[RES_PODS], 1);
    const struct manifest_deployment *db = &s->deployments[1];
    assert_string_equal(db->name, "db");
    assert_int_equal(db->replicas, 1); /* the API default */
    /*
     * PodRequests (k8s.io/component-helpers/resource/helpers.go): the sidecar
     * (2) runs beside the app (1) = 3 cores; the migrate init container needs
     * 3 + the sidecar 2 = 5 cores, so 5, plus 250m overhead = 5250m. Memory:
     * max(4Gi + 0, 1Gi + 0) = 4Gi.
     */
    assert_int_equal(db->spec.req.v[RES_CPU], 5250);
    assert_int_equal(db->spec.req.v[RES_MEMORY], 4LL << 30);
    assert_int_equal(db->spec.priority, 1000);
    assert_string_equal(podspec_namespace(&db->spec), "data");
    assert_int_equal(db->spec.labels.n, 2);
    assert_string_equal(labelset_get(&db->spec.labels, "tier"), "storage");
    assert_string_equal(podspec_namespace(&s->deployments[0].spec), "default");
    assert_int_equal(s->deployments[0].spec.labels.n, 0);
    assert_string_equal(labelset_get(&db->spec.node_selector, "disk"), "ssd");
    assert_int_equal(db->spec.ntols, 1);
    assert_int_equal(db->spec.tols[0].op, TOL_EXISTS);
    assert_int_equal(db->spec.tols[0].effect, -1);

    assert_int_equal(s->nbatches, 1);
    const struct scn_batch *b = &s->batches[0];
    assert_int_equal(b->p.process, BATCH_POISSON);
    check_close(b->p.rate_per_min, 2.5, 0);
    assert_int_equal(b->p.start, 10 * SIMTIME_MIN);
    assert_int_equal(b->p.stop, SIMTIME_NEVER);
    assert_int_equal(b->p.limit, 100);
    assert_int_equal(b->p.dist, BATCH_DIST_LOGNORMAL);
    assert_int_equal(b->p.location, 10 * SIMTIME_MIN);
    check_close(b->p.sigma, 0.5, 0);
    assert_int_equal(b->spec.req.v[RES_CPU], 2000);

    assert_int_equal(s->nevents, 3);
    assert_int_equal(s->events[0].kind, SCN_EV_SCALE);
    assert_int_equal(s->events[0].target, 0);
    assert_int_equal(s->events[0].value, 20);
    assert_int_equal(s->events[1].kind, SCN_EV_REMOVE_NODES);
    assert_int_equal(s->events[1].at, 30 * SIMTIME_MIN);
    assert_int_equal(s->events[2].kind, SCN_EV_ADD_NODES);
    scenario_free(s);
}

static void test_overrides(void **state)
{
    (void)state;
    struct diag d;
    struct scn_override ov[] = {
        {"spec.cluster.nodePools[0].count", "40"},
        {"spec.cluster.nodePools[0].labels[topology.kubernetes.io/zone]", "b"},
        {"spec.cluster.nodePools[0].allocatable", "{cpu: '16', memory: 64Gi}"},
        {"spec.lifecycle.startupDelay", "1m"},
        {"spec.metrics", "{interval: 5m}"},
    };
    struct scenario *s = load(ov, 5, 99, &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_int_equal(s->seed, 99); /* --seed wins over spec.seed */
    assert_int_equal(s->pools[0].count, 40);
    assert_string_equal(labelset_get(&s->pools[0].labels, "topology.kubernetes.io/zone"), "b");
    assert_int_equal(s->pools[0].alloc.v[RES_CPU], 16000);
    assert_int_equal(s->startup_delay, SIMTIME_MIN);
    assert_int_equal(s->metrics_interval, 5 * SIMTIME_MIN);
    scenario_free(s);
}

static void expect_override_error(const char *path, const char *value, const char *want)
{
    struct diag d;
    struct scn_override ov = {path, value};
    struct scenario *s = load(&ov, 1, -1, &d);
    assert_null(s);
    assert_string_equal(d.text, want);
}

static void test_override_errors(void **state)
{
    (void)state;
    expect_override_error("spec.seed", "many",
                          "--set spec.seed:1:1: seed: expected an integer, got 'many'");
    expect_override_error("spec.cluster.nodePools[3].count", "1",
                          "--set spec.cluster.nodePools[3].count: index 3 is out of range (the "
                          "list has 1)");
    expect_override_error("spec.duration[0]", "1",
                          "--set spec.duration[0]: [0] indexes a string, not a list");
    expect_override_error("spec..seed", "1",
                          "--set spec..seed: malformed path (expected e.g. "
                          "spec.cluster.nodePools[0].count)");
    expect_override_error("spec.scheduler.policy", "best-fitt",
                          "--set spec.scheduler.policy:1:1: unknown policy 'best-fitt' (did you "
                          "mean 'best-fit'?)");
    expect_override_error("spec.scheduler.policy", "tetris",
                          "--set spec.scheduler.policy:1:1: unknown policy 'tetris' (see "
                          "`ksim list` for the policies)");
    expect_override_error("spec.cluster.nodePools[0].count", "-1",
                          "--set spec.cluster.nodePools[0].count:1:1: count: must not be "
                          "negative, got -1");
}

static void test_override_split(void **state)
{
    (void)state;
    struct diag d;
    diag_clear(&d);
    char *p, *v;
    assert_int_equal(override_split("a.b=c=d", &p, &v, &d), 0);
    assert_string_equal(p, "a.b");
    assert_string_equal(v, "c=d");
    free(p);
    free(v);
    assert_int_equal(override_split("=x", &p, &v, &d), -1);
    assert_int_equal(override_split("novalue", &p, &v, &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_scenario),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_override_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
