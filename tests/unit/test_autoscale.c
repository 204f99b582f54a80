/* sim/io/scenario/autoscale and sim/io/kube/hpaobj: spec.autoscaling and spec.traffic as read, with
 * the API server's HPA defaults (pkg/apis/autoscaling/v2/defaults.go). */
#include <string.h>

#include "testutil.h"

#include "sim/io/scenario/autoscale.h"
#include "sim/io/kube/hpaobj.h"
#include "sim/io/scenario/scenario.h"

static const char *const base =
    "apiVersion: ksim.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: t}\n"
    "spec:\n"
    "  duration: 1h\n"
    "  cluster:\n"
    "    nodePools:\n"
    "      - {name: g, count: 1, allocatable: {cpu: '4', memory: 8Gi}}\n"
    "  workloads:\n"
    "    deployments:\n"
    "      - {apiVersion: apps/v1, kind: Deployment, metadata: {name: a}, "
    "spec: {template: {spec: {containers: [{name: c}]}}}}\n"
    "      - {apiVersion: apps/v1, kind: Deployment, metadata: {name: b}, "
    "spec: {template: {spec: {containers: [{name: c}]}}}}\n";

static struct scenario *load(const char *tail, struct diag *d)
{
    static char text[8192];
    snprintf(text, sizeof text, "%s%s", base, tail);
    diag_clear(d);
    return scenario_load(testutil_write_temp("s.yaml", text), NULL, 0, -1, d);
}

static void absent_is_null(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s = load("", &d);
    assert_non_null(s);
    assert_null(s->autoscaling);
    scenario_free(s);
}

/* No minReplicas: 1; no metrics: cpu at 80%; no behavior: the legacy path (NULL). */
static void hpa_defaults_and_controller(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s =
        load("  autoscaling:\n"
             "    controller: {syncPeriod: 30s, tolerance: 0.05, scaleUpLimitMinimum: 6}\n"
             "    metricsServer: {resolution: 1m}\n"
             "    horizontalPodAutoscalers:\n"
             "      - apiVersion: autoscaling/v2\n"
             "        kind: HorizontalPodAutoscaler\n"
             "        metadata: {name: hb}\n"
             "        spec: {scaleTargetRef: {kind: Deployment, name: b}, maxReplicas: 7}\n",
             &d);
    assert_non_null(s);
    const struct scn_autoscaling *a = s->autoscaling;
    assert_int_equal(a->nhpas, 1);
    assert_int_equal(a->hpas[0].owner, 1);
    assert_string_equal(a->hpas[0].spec.namespace_name, "default");
    assert_int_equal(a->hpas[0].spec.min_replicas, 1);
    assert_int_equal(a->hpas[0].spec.max_replicas, 7);
    assert_int_equal(a->hpas[0].spec.nmetrics, 1);
    assert_int_equal(a->hpas[0].spec.metrics[0].type, HPA_METRIC_RESOURCE);
    assert_string_equal(a->hpas[0].spec.metrics[0].name, "cpu");
    assert_int_equal(a->hpas[0].spec.metrics[0].target_utilization, 80);
    assert_int_equal(a->hpas[0].sources[0], HPACTL_SRC_CPU);
    assert_null(a->hpas[0].spec.behavior);
    assert_int_equal(a->cfg.sync_period, 30 * SIMTIME_S);
    assert_int_equal(a->cfg.metrics.resolution, 60 * SIMTIME_S);
    check_close(a->cfg.settings.tolerance, 0.05, 0);
    check_close(a->cfg.settings.scale_up_limit_minimum, 6, 0);
    check_close(a->cfg.settings.scale_up_limit_factor, 2, 0); /* untouched default */
    assert_int_equal(a->cfg.settings.downscale_stabilization_window, 5 * SIMTIME_MIN);
    assert_int_equal(a->hpa_of[0], -1);
    assert_int_equal(a->hpa_of[1], 0);
    scenario_free(s);
}

static void behavior_metrics_and_traffic(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s = load(
        "  traffic:\n"
        "    - deployment: a\n"
        "      load: 120\n"
        "      usage: {cpuBaseline: 50m, cpuPerRequest: 5m, memoryBaseline: 1Mi, overload: queue}\n"
        "      latency: {serviceTime: 20ms, concurrency: 4, sloP95: 100ms}\n"
        "  autoscaling:\n"
        "    horizontalPodAutoscalers:\n"
        "      - apiVersion: autoscaling/v2\n"
        "        kind: HorizontalPodAutoscaler\n"
        "        metadata: {name: ha, namespace: shop}\n"
        "        spec:\n"
        "          scaleTargetRef: {kind: Deployment, name: a}\n"
        "          minReplicas: 0\n"
        "          maxReplicas: 9\n"
        "          metrics:\n"
        "            - {type: External, external: {metric: {name: offered_load}, target: {type: "
        "AverageValue, averageValue: 500m}}}\n"
        "            - {type: Pods, pods: {metric: {name: requests_per_second}, target: {type: "
        "AverageValue, averageValue: '40'}}}\n"
        "          behavior:\n"
        "            scaleDown: {stabilizationWindowSeconds: 60, selectPolicy: Min, tolerance: "
        "'0.2',\n"
        "                        policies: [{type: Percent, value: 10, periodSeconds: 60},\n"
        "                                   {type: Pods, value: 2, periodSeconds: 30}]}\n",
        &d);
    if (!s)
        fail_msg("%s", d.text);
    const struct scn_autoscaling *a = s->autoscaling;
    const struct hpa_spec *sp = &a->hpas[0].spec;
    assert_string_equal(sp->namespace_name, "shop");
    assert_int_equal(sp->min_replicas, 0);
    assert_int_equal(sp->metrics[0].target_type, HPA_TARGET_AVERAGE_VALUE);
    assert_int_equal(sp->metrics[0].target_milli, 500);
    assert_int_equal(a->hpas[0].sources[0], HPACTL_SRC_OFFERED_RPS);
    assert_int_equal(sp->metrics[1].target_milli, 40000);
    assert_int_equal(a->hpas[0].sources[1], HPACTL_SRC_POD_RPS);
    assert_non_null(sp->behavior);
    assert_null(sp->behavior->scale_up);
    const struct hpa_scaling_rules *dn = sp->behavior->scale_down;
    assert_int_equal(dn->stabilization_window_seconds, 60);
    assert_int_equal(dn->select_policy, HPA_SELECT_MIN);
    check_close(dn->tolerance, 0.2, 1e-12);
    assert_int_equal(dn->npolicies, 2);
    assert_int_equal(dn->policies[1].type, HPA_POLICY_PODS);
    assert_int_equal(dn->policies[1].value, 2);
    assert_int_equal(dn->policies[1].period_seconds, 30);
    assert_int_equal(a->ntraffic, 1);
    const struct usage_params *u = &a->traffic[0].usage;
    check_close(u->cpu_baseline, 50, 0);
    check_close(u->cpu_per_request, 5, 0);
    check_close(u->mem_baseline, 1048576, 0);
    assert_int_equal(u->overload, USAGE_QUEUE);
    check_close(u->service_time, 0.02, 1e-15);
    assert_int_equal(u->concurrency, 4);
    check_close(u->slo_p95, 0.1, 1e-15);
    check_close(a->traffic[0].rate(a->traffic[0].rate_ctx, 5 * SIMTIME_MIN), 120, 0);
    scenario_free(s);
}

/* minReplicas 0 without an Object or External metric is what the API server rejects. */
static void scale_to_zero_needs_object_or_external(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s = load("  autoscaling:\n"
                              "    horizontalPodAutoscalers:\n"
                              "      - apiVersion: autoscaling/v2\n"
                              "        kind: HorizontalPodAutoscaler\n"
                              "        metadata: {name: ha}\n"
                              "        spec: {scaleTargetRef: {kind: Deployment, name: a}, "
                              "minReplicas: 0, maxReplicas: 3}\n",
                              &d);
    assert_null(s);
    assert_non_null(strstr(d.text, ":18:74: minReplicas: 0 needs at least one Object or External "
                                   "metric (HPAScaleToZero)"));
}

/* HPAs from a kubectl List: other kinds are skipped, status is ignored. */
static void included_list(void **state)
{
    (void)state;
    testutil_write_temp(
        "hpas.yaml",
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "  - {apiVersion: v1, kind: Service, metadata: {name: a}}\n"
        "  - apiVersion: autoscaling/v2\n"
        "    kind: HorizontalPodAutoscaler\n"
        "    metadata: {name: ha, uid: x, resourceVersion: '7'}\n"
        "    spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: a},\n"
        "           maxReplicas: 4}\n"
        "    status: {currentReplicas: 2, desiredReplicas: 2}\n");
    struct diag d;
    struct scenario *s = load("  autoscaling:\n    include: [hpas.yaml]\n", &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_int_equal(s->autoscaling->nhpas, 1);
    assert_string_equal(s->autoscaling->hpas[0].name, "ha");
    assert_int_equal(s->autoscaling->hpas[0].owner, 0);
    scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(absent_is_null),
        cmocka_unit_test(hpa_defaults_and_controller),
        cmocka_unit_test(behavior_metrics_and_traffic),
        cmocka_unit_test(scale_to_zero_needs_object_or_external),
        cmocka_unit_test(included_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
