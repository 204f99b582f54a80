/*
 * PriorityClass resolution (sim/io/kube/priorityclass.h) through scenario_load,
 * by the rules of plugin/pkg/admission/priority/admission.go (v1.35) and its
 * tests (admission_test.go: "pod with no priority class and a default class",
 * "pod with a system priority class", "pod with a non-existing priority
 * class", "pod with priority and class mismatch"), and the queue keys.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/io/scenario/scenario.h"

static const char classes_yaml[] = "apiVersion: scheduling.k8s.io/v1\n"
                                   "kind: PriorityClass\n"
                                   "metadata: {name: low}\n"
                                   "value: 10\n"
                                   "globalDefault: true\n"
                                   "---\n"
                                   "apiVersion: scheduling.k8s.io/v1\n"
                                   "kind: PriorityClass\n"
                                   "metadata: {name: polite}\n"
                                   "value: 500\n"
                                   "preemptionPolicy: Never\n";

/* A scenario with the given workloads block (indented under spec.workloads). */
static struct scenario *load(const char *workloads, const char *scheduler, struct diag *d)
{
    static char text[8192];
    testutil_write_temp("classes.yaml", classes_yaml);
    snprintf(text, sizeof text,
             "apiVersion: ksim.io/v1alpha1\n"
             "kind: Scenario\n"
             "metadata: {name: prio}\n"
             "spec:\n"
             "  duration: 1h\n"
             "  scheduler: %s\n"
             "  cluster:\n"
             "    nodePools: [{name: p, count: 1, allocatable: {cpu: '4', memory: 8Gi}}]\n"
             "  workloads:\n"
             "%s",
             scheduler, workloads);
    const char *path = testutil_write_temp("prio.yaml", text);
    diag_clear(d);
    return scenario_load(path, NULL, 0, -1, d);
}

#define DEPLOY(name, extra)                                                                        \
    "    - apiVersion: apps/v1\n"                                                                  \
    "      kind: Deployment\n"                                                                     \
    "      metadata: {name: " name "}\n"                                                           \
    "      spec: {replicas: 1, template: {spec: {" extra "containers: [{name: c}]}}}\n"

static void test_resolution(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s = load("    include: [classes.yaml]\n"
                              "    priorityClasses:\n"
                              "    - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass,\n"
                              "       metadata: {name: high}, value: 1000}\n"
                              "    deployments:\n" DEPLOY("a", "priorityClassName: high, ")
                                  DEPLOY("b", "") DEPLOY("c", "priorityClassName: polite, ")
                                      DEPLOY("d", "priorityClassName: system-node-critical, ")
                                          DEPLOY("e", "priorityClassName: high, priority: 1000, "),
                              "{}", &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_int_equal(s->npclasses, 3);
    assert_int_equal(s->ndeployments, 5);
    /* named class */
    assert_int_equal(s->deployments[0].spec.priority, 1000);
    assert_int_equal(s->deployments[0].spec.preempt_never, 0);
    /* no name: the globalDefault class */
    assert_int_equal(s->deployments[1].spec.priority, 10);
    /* preemptionPolicy comes with the class */
    assert_int_equal(s->deployments[2].spec.priority, 500);
    assert_int_equal(s->deployments[2].spec.preempt_never, 1);
    /* system class */
    assert_int_equal(s->deployments[3].spec.priority, 2000001000);
    /* an explicit priority equal to the class value is accepted */
    assert_int_equal(s->deployments[4].spec.priority, 1000);
    /* queue defaults */
    assert_int_equal(s->queue.initial_backoff, 1000000);
    assert_int_equal(s->queue.max_backoff, 10000000);
    assert_int_equal(s->queue.pop_from_backoffq, 1);
    assert_int_equal(s->queue.decreasing, 0);
    scenario_free(s);
}

static void expect_error(const char *workloads, const char *want_suffix)
{
    struct diag d;
    struct scenario *s = load(workloads, "{}", &d);
    assert_null(s);
    const char *colon = strstr(d.text, ": ");
    assert_non_null(colon);
    if (strstr(d.text, want_suffix) == NULL)
        fail_msg("got '%s', want '...%s'", d.text, want_suffix);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("    deployments:\n" DEPLOY("a", "priorityClassName: nope, "),
                 "prio.yaml:14:64: no PriorityClass with name nope was found");
    expect_error("    include: [classes.yaml]\n"
                 "    deployments:\n" DEPLOY("a", "priorityClassName: low, priority: 7, "),
                 "prio.yaml:15:79: the integer value of priority (7) must not be provided in pod "
                 "spec; priority admission controller computed 10 from the given PriorityClass "
                 "name");
    expect_error("    include: [classes.yaml]\n"
                 "    priorityClasses:\n"
                 "    - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass,\n"
                 "       metadata: {name: other}, value: 1, globalDefault: true}\n",
                 "classes.yaml:3:18: PriorityClass other is already marked as default. Only one "
                 "default can exist");
    expect_error("    priorityClasses:\n"
                 "    - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass,\n"
                 "       metadata: {name: huge}, value: 1000000001}\n",
                 "prio.yaml:12:39: value: must be at most 1000000000, got 1000000001");
}

static void test_queue_keys(void **state)
{
    (void)state;
    struct diag d;
    struct scenario *s = load("    deployments:\n" DEPLOY("a", ""),
                              "{podInitialBackoffSeconds: 2, podMaxBackoffSeconds: 30, "
                              "popFromBackoffQ: false, decreasing: true}",
                              &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_int_equal(s->queue.initial_backoff, 2000000);
    assert_int_equal(s->queue.max_backoff, 30000000);
    assert_int_equal(s->queue.pop_from_backoffq, 0);
    assert_int_equal(s->queue.decreasing, 1);
    scenario_free(s);
    /* The KubeSchedulerConfiguration fields of an inline config, overridden by spec.scheduler's. */
    s = load("    deployments:\n" DEPLOY("a", ""),
             "{policy: kube, podMaxBackoffSeconds: 40, config: {apiVersion: "
             "kubescheduler.config.k8s.io/v1, kind: KubeSchedulerConfiguration, "
             "podInitialBackoffSeconds: 3, podMaxBackoffSeconds: 30}}",
             &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_int_equal(s->queue.initial_backoff, 3000000);
    assert_int_equal(s->queue.max_backoff, 40000000);
    scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_queue_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
