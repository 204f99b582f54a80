/*
 * sim/io/kube/kubeconfig: the backoff bounds of a KubeSchedulerConfiguration,
 * given inline (spec.scheduler.config) or by file (spec.scheduler.configFile),
 * defaulted by pkg/scheduler/apis/config/v1/defaults.go (1 and 10) and
 * validated by pkg/scheduler/apis/config/validation/validation.go (v1.35:
 * initial > 0, max >= initial); spec.scheduler's own keys win.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/io/kube/kubeconfig.h"
#include "sim/io/scenario/scenario.h"

#define KSC "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"

/* A scenario whose spec.scheduler is the given flow mapping, next to kcfg.yaml (config). */
static struct scenario *load(const char *config, const char *scheduler, struct diag *d)
{
    static char text[4096];
    testutil_write_temp("kcfg.yaml", config);
    snprintf(text, sizeof text,
             "apiVersion: ksim.io/v1alpha1\n"
             "kind: Scenario\n"
             "metadata: {name: k}\n"
             "spec:\n"
             "  duration: 1h\n"
             "  scheduler: %s\n"
             "  cluster:\n"
             "    nodePools: [{name: p, count: 1, allocatable: {cpu: '4', memory: 8Gi}}]\n",
             scheduler);
    diag_clear(d);
    return scenario_load(testutil_write_temp("k.yaml", text), NULL, 0, -1, d);
}

/* Loads and checks the queue's backoff bounds, in seconds. */
static void expect_backoff(const char *config, const char *scheduler, int64_t initial, int64_t max)
{
    struct diag d;
    struct scenario *s = load(config, scheduler, &d);
    if (!s)
        fail_msg("%s", d.text);
    assert_int_equal(s->queue.initial_backoff, initial * SIMTIME_S);
    assert_int_equal(s->queue.max_backoff, max * SIMTIME_S);
    scenario_free(s);
}

static void config_file_backoff(void **state)
{
    (void)state;
    const char *file = "{policy: kube, configFile: kcfg.yaml}";
    expect_backoff(KSC "podInitialBackoffSeconds: 3\npodMaxBackoffSeconds: 30\n", file, 3, 30);
    /* Only the initial bound: the max is defaulted to 10, not taken from elsewhere. */
    expect_backoff(KSC "podInitialBackoffSeconds: 4\n", file, 4, 10);
    expect_backoff(KSC "podMaxBackoffSeconds: 60\n", file, 1, 60);
    /* A null field is an unset one. */
    expect_backoff(KSC "podInitialBackoffSeconds: ~\n", file, 1, 10);
    /* spec.scheduler's own key wins over the file's. */
    expect_backoff(KSC "podInitialBackoffSeconds: 3\npodMaxBackoffSeconds: 30\n",
                   "{policy: kube, configFile: kcfg.yaml, podMaxBackoffSeconds: 45}", 3, 45);
}

static void inline_config_backoff(void **state)
{
    (void)state;
    expect_backoff("", "{policy: kube, config: {podInitialBackoffSeconds: 2}}", 2, 10);
    expect_backoff("",
                   "{policy: kube, podInitialBackoffSeconds: 7, config: {podInitialBackoffSeconds: "
                   "2, podMaxBackoffSeconds: 8}}",
                   7, 8);
}

/* The file's own errors point into the file, whatever spec.scheduler says. */
static void config_file_errors(void **state)
{
    (void)state;
    struct diag d;
    char want[1024], path[512];
    snprintf(path, sizeof path, "%s", testutil_write_temp("kcfg.yaml", ""));
    assert_null(load(KSC "podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n",
                     "{policy: kube, configFile: kcfg.yaml, podMaxBackoffSeconds: 50}", &d));
    snprintf(want, sizeof want,
             "%s:4:23: podMaxBackoffSeconds: must be at least podInitialBackoffSeconds (5), got 2",
             path);
    assert_string_equal(d.text, want);
    assert_null(
        load(KSC "podInitialBackoffSeconds: 0\n", "{policy: kube, configFile: kcfg.yaml}", &d));
    snprintf(want, sizeof want, "%s:3:27: podInitialBackoffSeconds: must be at least 1, got 0",
             path);
    assert_string_equal(d.text, want);
    assert_null(
        load(KSC "podInitialBackoffSeconds: 11\n", "{policy: kube, configFile: kcfg.yaml}", &d));
    snprintf(want, sizeof want,
             "%s:3:27: podInitialBackoffSeconds: 11 is above the default podMaxBackoffSeconds "
             "(10); set both",
             path);
    assert_string_equal(d.text, want);
}

/* ksim score and plan read configurations with kubeconfig_read: the same validation. */
static void read_validates_backoff(void **state)
{
    (void)state;
    static const char text[] = KSC "podMaxBackoffSeconds: 0\n";
    struct diag d;
    diag_clear(&d);
    struct ytree *t = ytree_load_string("c.yaml", text, strlen(text), &d);
    assert_non_null(t);
    struct kube_config cfg;
    assert_int_equal(kubeconfig_read(t->docs[0], &cfg, &d), -1);
    assert_string_equal(d.text, "c.yaml:3:23: podMaxBackoffSeconds: must be at least 1, got 0");
    ytree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_file_backoff),
        cmocka_unit_test(inline_config_backoff),
        cmocka_unit_test(config_file_errors),
        cmocka_unit_test(read_validates_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
