/* sim/io/kube/hpaobj: one HorizontalPodAutoscaler read as-is (ksim hpa-calc) and strictly
 * (scenarios). Each case is a spec that the two modes treat differently, with the exact outcome of
 * each. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "sim/io/kube/hpaobj.h"

/* An HPA object around spec lines (each indented by 2) and optional tail lines. */
static const char *hpa_text(const char *name, const char *spec, const char *tail)
{
    static char text[4096];
    snprintf(text, sizeof text,
             "apiVersion: autoscaling/v2\n"
             "kind: HorizontalPodAutoscaler\n"
             "metadata: {name: %s}\n"
             "spec:\n"
             "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
             "  maxReplicas: 5\n"
             "%s%s",
             name, spec, tail);
    return text;
}

struct read {
    struct ytree *tree;
    struct hpaobj h;
    struct diag d;
    int rc;
};

static void read_as(struct read *r, enum hpaobj_mode mode, const char *text)
{
    diag_clear(&r->d);
    r->tree = ytree_load_string("h.yaml", text, strlen(text), &r->d);
    assert_non_null(r->tree);
    r->rc = hpaobj_read(r->tree->docs[0], mode, &r->h, NULL, &r->d);
}

static void done(struct read *r)
{
    hpaobj_release(&r->h);
    ytree_free(r->tree);
}

/* Reads text as-is, which must succeed. */
static void as_is_ok(struct read *r, const char *text)
{
    read_as(r, HPAOBJ_AS_IS, text);
    if (r->rc)
        fail_msg("%s", r->d.text);
}

/* Reads text in strict mode and checks the one error line. */
static void strict_fails(const char *text, const char *want)
{
    struct read r;
    read_as(&r, HPAOBJ_STRICT, text);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.d.text, want);
    done(&r);
}

/* The controller reports an unknown metric type at run time; a scenario refuses it. */
static void unknown_metric_type(void **state)
{
    (void)state;
    const char *text = hpa_text("web", "  metrics: [{type: Custom}]\n", "");
    struct read r;
    as_is_ok(&r, text);
    assert_int_equal(r.h.spec.nmetrics, 1);
    assert_int_equal(r.h.spec.metrics[0].type, HPA_METRIC_UNKNOWN);
    assert_string_equal(r.h.spec.metrics[0].type_name, "Custom");
    done(&r);
    strict_fails(text, "h.yaml:7:20: type: unknown value 'Custom' (expected one of: Resource, "
                       "ContainerResource, Pods, Object, External)");
}

/* horizontal.go takes averageValue over averageUtilization; validation.go forbids both. */
static void resource_target_with_both_fields(void **state)
{
    (void)state;
    const char *text = hpa_text("web",
                                "  metrics:\n"
                                "    - type: Resource\n"
                                "      resource:\n"
                                "        name: cpu\n"
                                "        target: {type: Utilization, averageUtilization: 70, "
                                "averageValue: 300m}\n",
                                "");
    struct read r;
    as_is_ok(&r, text);
    assert_int_equal(r.h.spec.metrics[0].target_type, HPA_TARGET_AVERAGE_VALUE);
    assert_int_equal(r.h.spec.metrics[0].target_milli, 300);
    done(&r);
    strict_fails(text, "h.yaml:11:75: target.averageValue: may not set both a target raw value "
                       "and a target utilization");
}

/* A Pods metric takes averageValue only: the controller cannot use a Value target. */
static void pods_value_target(void **state)
{
    (void)state;
    const char *text =
        hpa_text("web",
                 "  metrics:\n"
                 "    - type: Pods\n"
                 "      pods: {metric: {name: rps}, target: {type: Value, value: '5'}}\n",
                 "");
    struct read r;
    as_is_ok(&r, text);
    assert_int_equal(r.h.spec.metrics[0].type, HPA_METRIC_PODS);
    assert_int_equal(r.h.spec.metrics[0].target_type, HPA_TARGET_NONE);
    assert_string_equal(r.h.spec.metrics[0].name, "rps");
    assert_int_equal(r.h.metric_at[0]->line, 9);
    done(&r);
    strict_fails(text, "h.yaml:9:50: target.type: Value is not valid for Pods metrics (use "
                       "AverageValue)");
}

/* No target at all: FailedGetResourceMetric at run time, an input error in a scenario. */
static void missing_target(void **state)
{
    (void)state;
    const char *text =
        hpa_text("web", "  metrics: [{type: Resource, resource: {name: memory}}]\n", "");
    struct read r;
    as_is_ok(&r, text);
    assert_int_equal(r.h.spec.metrics[0].target_type, HPA_TARGET_NONE);
    done(&r);
    strict_fails(text, "h.yaml:7:40: missing required key 'target' in resource");
}

/* Both modes read behavior the same way (tolerance as AsApproximateFloat64); only strict
 * refuses an empty policy list. Defaults: minReplicas 1. Status is read in both. */
static void behavior_status_and_defaults(void **state)
{
    (void)state;
    const char *text = hpa_text("web",
                                "  behavior:\n"
                                "    scaleDown: {tolerance: 50m, policies: []}\n",
                                "status: {currentReplicas: 3, desiredReplicas: 4, "
                                "lastScaleTime: '2024-05-01T12:00:00Z'}\n");
    struct read r;
    as_is_ok(&r, text);
    assert_int_equal(r.h.spec.has_min_replicas, 1);
    assert_int_equal(r.h.spec.min_replicas, 1);
    assert_int_equal(r.h.spec.metrics[0].target_utilization, 80);
    const struct hpa_scaling_rules *dn = r.h.spec.behavior->scale_down;
    assert_null(r.h.spec.behavior->scale_up);
    assert_true(dn->tolerance == 5 * pow(10, -2));
    assert_int_equal(dn->has_policies, 1);
    assert_int_equal(dn->npolicies, 0);
    assert_int_equal(r.h.has_desired, 1);
    assert_int_equal(r.h.desired, 4);
    assert_int_equal(r.h.has_last_scale_time, 1);
    done(&r);
    strict_fails(text, "h.yaml:8:43: policies: must not be empty when set");
}

/* Names: strict mode holds them to DNS-1123; unknown keys are errors in both modes. */
static void names_and_keys(void **state)
{
    (void)state;
    const char *text = hpa_text("Web", "", "");
    struct read r;
    as_is_ok(&r, text);
    assert_string_equal(r.h.meta.name, "Web");
    assert_string_equal(r.h.target_name, "web");
    done(&r);
    strict_fails(text, "h.yaml:3:18: metadata.name: invalid name 'Web': must be lowercase "
                       "letters, digits, '-' or '.'");
    text = hpa_text("web", "", "stats: {}\n");
    read_as(&r, HPAOBJ_AS_IS, text);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.d.text,
                        "h.yaml:7:1: unknown key 'stats' in HorizontalPodAutoscaler (did you mean "
                        "'status'?)");
    done(&r);
    strict_fails(text, "h.yaml:7:1: unknown key 'stats' in HorizontalPodAutoscaler (did you mean "
                       "'status'?)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_metric_type),
        cmocka_unit_test(resource_target_with_both_fields),
        cmocka_unit_test(pods_value_target),
        cmocka_unit_test(missing_target),
        cmocka_unit_test(behavior_status_and_defaults),
        cmocka_unit_test(names_and_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
