/*
 * Reading affinity.podAffinity / podAntiAffinity and topologySpreadConstraints
 * from a v1 PodSpec (sim/io/kube/manifest_pod_affinity.c): fields, API defaults
 * (minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore, a nil
 * labelSelector is Nothing) and one error per class.
 */
#include "testutil.h"

#include <string.h>

#include "sim/io/kube/manifest.h"
#include "sim/io/ytree.h"

static int read_spec(const char *yaml, struct podspec *ps, struct diag *d)
{
    struct resnames rn;
    resnames_init(&rn);
    struct ytree *t = ytree_load_string("p.yaml", yaml, strlen(yaml), d);
    assert_non_null(t);
    int rc = manifest_read_podspec(t->docs[0], "spec", &rn, ps, d);
    ytree_free(t);
    resnames_release(&rn);
    return rc;
}

static void test_fields(void **state)
{
    (void)state;
    struct podspec ps;
    struct diag d = {0};
    assert_int_equal(
        read_spec(
            "containers: []\n"
            "affinity:\n"
            "  nodeAffinity: {}\n"
            "  podAffinity:\n"
            "    requiredDuringSchedulingIgnoredDuringExecution:\n"
            "      - {labelSelector: {matchLabels: {app: db}}, topologyKey: zone,\n"
            "         namespaces: [a, b], matchLabelKeys: [rev]}\n"
            "  podAntiAffinity:\n"
            "    preferredDuringSchedulingIgnoredDuringExecution:\n"
            "      - weight: 40\n"
            "        podAffinityTerm: {topologyKey: kubernetes.io/hostname,\n"
            "          namespaceSelector: {}, mismatchLabelKeys: [team]}\n"
            "topologySpreadConstraints:\n"
            "  - {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule,\n"
            "     labelSelector: {matchExpressions: [{key: app, operator: In, values: [a]}]},\n"
            "     minDomains: 3, nodeTaintsPolicy: Honor, matchLabelKeys: [pod-template-hash]}\n"
            "  - {maxSkew: 1, topologyKey: rack, whenUnsatisfiable: ScheduleAnyway}\n",
            &ps, &d),
        0);
    const struct podaffinity *pa = ps.aff;
    assert_non_null(pa);
    assert_int_equal(pa->naff_req, 1);
    assert_int_equal(pa->naff_pref + pa->nanti_req, 0);
    assert_int_equal(pa->nanti_pref, 1);
    const struct podaffinity_term *t = &pa->aff_req[0];
    assert_string_equal(t->topology_key, "zone");
    assert_int_equal(t->sel.kind, LSEL_REQS);
    assert_int_equal(t->sel.nreqs, 1);
    assert_int_equal(t->sel.reqs[0].op, LSEL_IN);
    assert_int_equal(t->nnamespaces, 2);
    assert_string_equal(t->namespaces[1], "b");
    assert_int_equal(t->nssel.kind, LSEL_NOTHING);
    assert_string_equal(t->match_keys[0], "rev");
    t = &pa->anti_pref[0];
    assert_int_equal(t->weight, 40);
    assert_int_equal(t->sel.kind, LSEL_NOTHING); /* no labelSelector: matches nothing */
    assert_int_equal(t->nssel.kind, LSEL_EVERYTHING);
    assert_string_equal(t->mismatch_keys[0], "team");
    assert_int_equal(pa->nspread, 2);
    const struct spread_constraint *c = &pa->spread[0];
    assert_int_equal(c->max_skew, 2);
    assert_int_equal(c->when, SPREAD_DO_NOT_SCHEDULE);
    assert_int_equal(c->min_domains, 3);
    assert_int_equal(c->node_affinity, SPREAD_HONOR);
    assert_int_equal(c->node_taints, SPREAD_HONOR);
    assert_string_equal(c->match_keys[0], "pod-template-hash");
    c = &pa->spread[1];
    assert_int_equal(c->when, SPREAD_SCHEDULE_ANYWAY);
    assert_int_equal(c->min_domains, 1);
    assert_int_equal(c->node_taints, SPREAD_IGNORE);
    assert_int_equal(c->sel.kind, LSEL_NOTHING);
    podspec_release(&ps);

    assert_int_equal(read_spec("containers: []\naffinity: {nodeAffinity: {}}\n", &ps, &d), 0);
    assert_null(ps.aff); /* nothing inter-pod: bin-packing specs stay small */
    podspec_release(&ps);
}

static void expect_error(const char *yaml, const char *want)
{
    struct podspec ps;
    struct diag d = {0};
    assert_int_equal(read_spec(yaml, &ps, &d), -1);
    assert_string_equal(d.text, want);
    podspec_release(&ps);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("topologySpreadConstraints: [{maxSkew: 1, topologyKey: '', whenUnsatisfiable: "
                 "DoNotSchedule}]\n",
                 "p.yaml:1:55: topologyKey: must not be empty");
    expect_error(
        "topologySpreadConstraints: [{maxSkew: 1, topologyKey: z}]\n",
        "p.yaml:1:29: missing required key 'whenUnsatisfiable' in topologySpreadConstraint");
    expect_error("topologySpreadConstraints: [{maxSkew: 1, topologyKey: z, whenUnsatisfiable: "
                 "DoNotSchedule, nodeTaintsPolicy: honor}]\n",
                 "p.yaml:1:110: nodeTaintsPolicy: unknown value 'honor' (did you mean 'Honor'?)");
    expect_error("affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                 "{topologyKey: z}}}\n",
                 "p.yaml:1:74: requiredDuringSchedulingIgnoredDuringExecution: expected a list, "
                 "got a mapping");
    expect_error("affinity: {podAfinity: {}}\n",
                 "p.yaml:1:12: unknown key 'podAfinity' in affinity (did you mean 'podAffinity'?)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
