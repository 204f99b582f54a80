/*
 * InterPodAffinity worked examples. Each case names the upstream test it
 * comes from: pkg/scheduler/framework/plugins/interpodaffinity/
 * filtering_test.go (TestRequiredAffinitySingleNode) and scoring_test.go
 * (TestPreferredAffinity), v1.34; expected statuses, reasons and scores are
 * upstream's.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "kubefix.h"
#include "models/kube/interpod.h"
#include "sim/cluster/topoindex.h"

/* scoring_test.go's affinity fragments, as YAML. */
#define SEC_IN(v) "{matchExpressions: [{key: security, operator: In, values: [" v "]}]}"
#define PREF(w, sel, key)                                                                          \
    "{weight: " #w ", podAffinityTerm: {labelSelector: " sel ", topologyKey: " #key "}}"
#define STAY_S1_REGION                                                                             \
    "podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [" PREF(5, SEC_IN("S1"),       \
                                                                            region) "]}"
#define STAY_S2_REGION                                                                             \
    "podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [" PREF(6, SEC_IN("S2"),       \
                                                                            region) "]}"
#define AWAY_S1_AZ                                                                                 \
    "podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [" PREF(5, SEC_IN("S1"),   \
                                                                                az) "]}"
#define AWAY_S2_AZ                                                                                 \
    "podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [" PREF(5, SEC_IN("S2"),   \
                                                                                az) "]}"
#define STAY_S1_AWAY_S2                                                                            \
    "podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [" PREF(                       \
        8, SEC_IN("S1"), region) "]}, podAntiAffinity: "                                           \
                                 "{preferredDuringSchedulingIgnoredDuringExecution: [" PREF(       \
                                     5, SEC_IN("S2"), az) "]}"
#define AFFINITY3                                                                                  \
    "podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [" PREF(                       \
        8,                                                                                         \
        "{matchExpressions: [{key: security, operator: NotIn, values: [S1]}, {key: security, "     \
        "operator: In, values: [S2]}]}",                                                           \
        region) ", " PREF(2,                                                                       \
                          "{matchExpressions: [{key: security, operator: Exists}, {key: "          \
                          "wrongkey, operator: DoesNotExist}]}",                                   \
                          region) "]}"
#define HARD_AFFINITY                                                                              \
    "podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: " SEC_IN(      \
        "S1, value2") ", topologyKey: region}, {labelSelector: {matchExpressions: [{key: "         \
                      "security, operator: Exists}, {key: wrongkey, operator: DoesNotExist}]}, "   \
                      "topologyKey: region}]}"

/* A pod YAML with labels (e.g. "security: S1") and an affinity body ("" for none). */
static char *pod(char *buf, size_t len, const char *labels, const char *affinity)
{
    snprintf(buf, len, "{metadata: {labels: {%s}}, spec: {containers: []%s%s%s}}", labels,
             affinity[0] ? ", affinity: {" : "", affinity, affinity[0] ? "}" : "");
    return buf;
}

static int32_t owner(struct kubefix *kf, const char *labels, const char *affinity)
{
    char buf[2048];
    return kubefix_owner(kf, OWNER_BATCH, pod(buf, sizeof buf, labels, affinity));
}

static int32_t incoming(struct kubefix *kf, const char *labels, const char *affinity)
{
    char buf[2048];
    return kubefix_incoming(kf, OWNER_BATCH, pod(buf, sizeof buf, labels, affinity));
}

/* Scores every node (all feasible, in order) and compares normalized scores. */
static void check_score(struct kubefix *kf, int32_t o, const int64_t *want)
{
    size_t n = kf->c->nnodes;
    int64_t scores[16];
    struct interpod *ip = interpod_new(NULL);
    assert_int_equal(interpod_prescore(ip, kf->c, &kf->c->owners[o].spec, o), KUBE_SUCCESS);
    for (size_t i = 0; i < n; i++)
        scores[i] = interpod_score(ip, (int32_t)i);
    interpod_normalize(ip, scores, n);
    for (size_t i = 0; i < n; i++)
        if (scores[i] != want[i])
            fail_msg("%s: got %lld, want %lld", kf->c->nodes[i].name, (long long)scores[i],
                     (long long)want[i]);
    interpod_free(ip);
}

static struct kubefix *nodes3(const char *l1, const char *l2, const char *l3)
{
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "node1", l1, NULL);
    kubefix_node(kf, "node2", l2, NULL);
    if (l3)
        kubefix_node(kf, "node3", l3, NULL);
    return kf;
}

/* "all nodes are same priority as Affinity is nil": PreScore skips. */
static void test_score_skip(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("region=China", "region=India", "az=az1");
    int32_t p = incoming(kf, "security: S1", "");
    struct interpod *ip = interpod_new(NULL);
    assert_int_equal(interpod_prescore(ip, kf->c, &kf->c->owners[p].spec, p), KUBE_SKIP);
    interpod_free(ip);
    kubefix_free(kf);
}

/* "Affinity: pod that matches topology key & pods in nodes will get high score ..." */
static void test_score_affinity(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("region=China", "region=India", "az=az1");
    int32_t s1 = owner(kf, "security: S1", ""), s2 = owner(kf, "security: S2", "");
    kubefix_bind(kf, s1, "node1", 1);
    kubefix_bind(kf, s2, "node2", 1);
    kubefix_bind(kf, s1, "node3", 1);
    int32_t p = incoming(kf, "security: S1", STAY_S1_REGION);
    static const int64_t want[] = {100, 0, 0};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/* "All the nodes that have the same topology key & label value ... have the same score" */
static void test_score_same_domain(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("region=China", "region=China,az=az1", "region=India");
    kubefix_bind(kf, owner(kf, "security: S1", ""), "node1", 1);
    int32_t p = incoming(kf, "", STAY_S1_REGION);
    static const int64_t want[] = {100, 100, 0};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/* "Affinity: nodes in one region has more matching pods comparing to other region ..." */
static void test_score_more_matches(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    static const char *const regions[] = {"China", "India", "China", "China", "India"};
    for (int i = 0; i < 5; i++) {
        char name[16], labels[32];
        snprintf(name, sizeof name, "node%d", i + 1);
        snprintf(labels, sizeof labels, "region=%s", regions[i]);
        kubefix_node(kf, name, labels, NULL);
    }
    int32_t s2 = owner(kf, "security: S2", "");
    kubefix_bind(kf, s2, "node1", 2);
    kubefix_bind(kf, s2, "node2", 1);
    kubefix_bind(kf, s2, "node3", 1);
    kubefix_bind(kf, s2, "node4", 1);
    kubefix_bind(kf, s2, "node5", 1);
    int32_t p = incoming(kf, "security: S1", STAY_S2_REGION);
    static const int64_t want[] = {100, 0, 100, 100, 0};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/* "Affinity: different Label operators and values for pod affinity scheduling preference ..." */
static void test_score_operators(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("region=China", "region=India", "az=az1");
    int32_t s1 = owner(kf, "security: S1", ""), s2 = owner(kf, "security: S2", "");
    kubefix_bind(kf, s1, "node1", 1);
    kubefix_bind(kf, s2, "node2", 1);
    kubefix_bind(kf, s1, "node3", 1);
    int32_t p = incoming(kf, "security: S1", AFFINITY3);
    static const int64_t want[] = {20, 100, 0};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/*
 * "Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution
 * in pod affinity symmetry" and "... considered RequiredDuringSchedulingIgnoredDuringExecution
 * in pod affinity symmetry" (hardPodAffinityWeight 1).
 */
static void test_score_symmetry(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("region=China", "region=India", "az=az1");
    kubefix_bind(kf, owner(kf, "security: S1", STAY_S1_REGION), "node1", 1);
    kubefix_bind(kf, owner(kf, "security: S2", STAY_S2_REGION), "node2", 1);
    int32_t p = incoming(kf, "security: S2", "");
    static const int64_t want[] = {0, 100, 0};
    check_score(kf, p, want);
    kubefix_free(kf);

    kf = nodes3("region=China", "region=India", "az=az1");
    kubefix_bind(kf, owner(kf, "security: S1", HARD_AFFINITY), "node1", 1);
    kubefix_bind(kf, owner(kf, "security: S2", HARD_AFFINITY), "node2", 1);
    p = incoming(kf, "security: S1", "");
    static const int64_t want2[] = {100, 100, 0};
    check_score(kf, p, want2);
    kubefix_free(kf);
}

/* "Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high
 * score" */
static void test_score_anti_symmetry(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("az=az1", "az=az2", NULL);
    kubefix_bind(kf, owner(kf, "security: S1", AWAY_S2_AZ), "node1", 1);
    kubefix_bind(kf, owner(kf, "security: S2", AWAY_S1_AZ), "node2", 1);
    int32_t p = incoming(kf, "security: S2", "");
    static const int64_t want[] = {0, 100};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/*
 * "Affinity and Anti Affinity and symmetry: considered only
 * preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry"
 * (weights 8, -5, 8, -5).
 */
static void test_score_all_together(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "node1", "region=China", NULL);
    kubefix_node(kf, "node2", "az=az1", NULL);
    kubefix_node(kf, "node3", "region=India", NULL);
    kubefix_node(kf, "node4", "az=az2", NULL);
    kubefix_bind(kf, owner(kf, "security: S1", ""), "node1", 1);
    kubefix_bind(kf, owner(kf, "security: S2", ""), "node2", 1);
    kubefix_bind(kf, owner(kf, "", STAY_S1_AWAY_S2), "node3", 1);
    kubefix_bind(kf, owner(kf, "", AWAY_S1_AZ), "node4", 1);
    int32_t p = incoming(kf, "security: S1", STAY_S1_AWAY_S2);
    static const int64_t want[] = {100, 0, 100, 0};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/* "Avoid panic when partial nodes in a topology don't have pods with affinity": all 0. */
static void test_score_partial(void **state)
{
    (void)state;
    struct kubefix *kf = nodes3("region=China", "region=China", NULL);
    kubefix_bind(kf, owner(kf, "security: S1", ""), "node1", 1);
    kubefix_bind(kf, owner(kf, "", STAY_S1_AWAY_S2), "node2", 1);
    int32_t p = incoming(kf, "security: S1", "");
    static const int64_t want[] = {0, 0};
    check_score(kf, p, want);
    kubefix_free(kf);
}

/* ---- filter (TestRequiredAffinitySingleNode, node1 labeled region=r1, zone=z11) ---- */

#define SVC_IN(v) "{matchExpressions: [{key: service, operator: In, values: [" v "]}]}"
#define REQ_AFF(sel)                                                                               \
    "podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: " sel          \
    ", topologyKey: region}]}"
#define REQ_ANTI(sel)                                                                              \
    "podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: " sel      \
    ", topologyKey: region}]}"

static void check_filter(struct kubefix *kf, int32_t o, enum kube_code want, const char *reason)
{
    struct interpod *ip = interpod_new(NULL);
    enum kube_code pre = interpod_prefilter(ip, kf->c, &kf->c->owners[o].spec, o);
    enum kube_code got = KUBE_SUCCESS;
    const char *r = NULL;
    if (pre != KUBE_SKIP)
        got = interpod_filter(ip, 0, &r);
    interpod_free(ip);
    if (got != want)
        fail_msg("status %d, want %d", got, want);
    if (reason)
        assert_string_equal(r, reason);
}

static struct kubefix *one_node(void)
{
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "node1", "region=r1,zone=z11", NULL);
    return kf;
}

/*
 * "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity
 * using In operator that matches the existing pod", "Does not satisfy the
 * PodAffinity with labelSelector because of diff Namespace" and "Doesn't
 * satisfy the PodAffinity because of unmatching labelSelector with the
 * existing pod".
 */
static void test_filter_affinity(void **state)
{
    (void)state;
    struct kubefix *kf = one_node();
    kubefix_bind(kf, owner(kf, "service: securityscan", ""), "node1", 1);
    check_filter(kf, incoming(kf, "", REQ_AFF(SVC_IN("securityscan, value2"))), KUBE_SUCCESS, NULL);
    check_filter(kf, incoming(kf, "", REQ_AFF(SVC_IN("antivirusscan, value2"))), KUBE_UNRESOLVABLE,
                 INTERPOD_REASON_AFFINITY);
    char buf[1024];
    int32_t other_ns = kubefix_incoming(
        kf, OWNER_BATCH,
        (snprintf(buf, sizeof buf,
                  "{metadata: {namespace: ns}, spec: {containers: [], affinity: {" REQ_AFF(
                      SVC_IN("securityscan, value2")) "}}}"),
         buf));
    check_filter(kf, other_ns, KUBE_UNRESOLVABLE, INTERPOD_REASON_AFFINITY);
    kubefix_free(kf);
}

/*
 * Namespace rules (framework.AffinityTerm.Matches): a term with `namespaces`
 * or a namespaceSelector reaches other namespaces; an empty namespaceSelector
 * selects all of them; kubernetes.io/metadata.name selects by name.
 */
static void test_filter_namespaces(void **state)
{
    (void)state;
    struct kubefix *kf = one_node();
    kubefix_bind(kf,
                 kubefix_owner(kf, OWNER_BATCH,
                               "{metadata: {namespace: ns1, labels: {service: securityscan}}, "
                               "spec: {containers: []}}"),
                 "node1", 1);
    static const char *const terms[] = {
        "namespaces: [ns1]",
        "namespaceSelector: {}",
        "namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns1}}",
        "namespaces: [ns2]",
        "namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns2}}",
    };
    for (int i = 0; i < 5; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf,
                 "{spec: {containers: [], affinity: {podAffinity: "
                 "{requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: " SVC_IN(
                     "securityscan") ", topologyKey: region, %s}]}}}}",
                 terms[i]);
        int32_t p = kubefix_incoming(kf, OWNER_BATCH, buf);
        check_filter(kf, p, i < 3 ? KUBE_SUCCESS : KUBE_UNRESOLVABLE,
                     i < 3 ? NULL : INTERPOD_REASON_AFFINITY);
    }
    kubefix_free(kf);
}

/*
 * "verify that PodAffinity is satisfied for a pod that matches its own
 * affinity term with no matching pods in cluster" (the first pod of a group)
 * and the same pod without the label, which is UnschedulableAndUnresolvable.
 */
static void test_filter_first_pod(void **state)
{
    (void)state;
    struct kubefix *kf = one_node();
    kubefix_bind(kf, owner(kf, "service: other", ""), "node1", 1);
    check_filter(kf, incoming(kf, "service: securityscan", REQ_AFF(SVC_IN("securityscan"))),
                 KUBE_SUCCESS, NULL);
    check_filter(kf, incoming(kf, "service: nothing", REQ_AFF(SVC_IN("securityscan"))),
                 KUBE_UNRESOLVABLE, INTERPOD_REASON_AFFINITY);
    kubefix_free(kf);
}

/*
 * "satisfies the PodAntiAffinity with existing pod but doesn't satisfy
 * PodAntiAffinity symmetry with incoming pod" (existing pods' anti-affinity)
 * and the incoming pod's own anti-affinity, both Unschedulable.
 */
static void test_filter_anti(void **state)
{
    (void)state;
    struct kubefix *kf = one_node();
    kubefix_bind(kf, owner(kf, "service: securityscan", REQ_ANTI(SVC_IN("antivirusscan"))), "node1",
                 1);
    check_filter(kf, incoming(kf, "service: antivirusscan", ""), KUBE_UNSCHEDULABLE,
                 INTERPOD_REASON_EXISTING);
    check_filter(kf, incoming(kf, "service: x", REQ_ANTI(SVC_IN("securityscan"))),
                 KUBE_UNSCHEDULABLE, INTERPOD_REASON_ANTI);
    check_filter(kf, incoming(kf, "service: x", REQ_ANTI(SVC_IN("other"))), KUBE_SUCCESS, NULL);
    kubefix_free(kf);
}

/*
 * The contract: a required-affinity NotIn value that is not a valid
 * label value makes the term match nothing (upstream's selector conversion
 * fails), so even the first-pod exception does not apply.
 */
static void test_filter_invalid_notin(void **state)
{
    (void)state;
    struct kubefix *kf = one_node();
    kubefix_bind(kf, owner(kf, "service: securityscan", ""), "node1", 1);
    check_filter(kf,
                 incoming(kf, "service: securityscan",
                          REQ_AFF("{matchExpressions: [{key: service, operator: NotIn, values: "
                                  "['{{.bad-value.}}']}]}")),
                 KUBE_UNRESOLVABLE, INTERPOD_REASON_AFFINITY);
    kubefix_free(kf);
}

/* A node without the topology key cannot satisfy affinity and is unaffected by anti-affinity. */
static void test_filter_missing_key(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "node1", "zone=z11", NULL);
    kubefix_node(kf, "node2", "region=r1", NULL);
    kubefix_bind(kf, owner(kf, "service: securityscan", ""), "node2", 1);
    check_filter(kf, incoming(kf, "", REQ_AFF(SVC_IN("securityscan"))), KUBE_UNRESOLVABLE,
                 INTERPOD_REASON_AFFINITY);
    check_filter(kf, incoming(kf, "", REQ_ANTI(SVC_IN("securityscan"))), KUBE_SUCCESS, NULL);
    kubefix_free(kf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_skip),          cmocka_unit_test(test_score_affinity),
        cmocka_unit_test(test_score_same_domain),   cmocka_unit_test(test_score_more_matches),
        cmocka_unit_test(test_score_operators),     cmocka_unit_test(test_score_symmetry),
        cmocka_unit_test(test_score_anti_symmetry), cmocka_unit_test(test_score_all_together),
        cmocka_unit_test(test_score_partial),       cmocka_unit_test(test_filter_affinity),
        cmocka_unit_test(test_filter_namespaces),   cmocka_unit_test(test_filter_first_pod),
        cmocka_unit_test(test_filter_anti),         cmocka_unit_test(test_filter_invalid_notin),
        cmocka_unit_test(test_filter_missing_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
