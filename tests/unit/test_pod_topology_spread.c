/*
 * PodTopologySpread worked examples. Each case names the upstream test it
 * comes from: pkg/scheduler/framework/plugins/podtopologyspread/
 * filtering_test.go (TestSingleConstraint, TestMultipleConstraints) and
 * scoring_test.go (TestPodTopologySpreadScore), v1.34; expected statuses and
 * scores are upstream's. fooSelector there is `Exists foo`.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "kubefix.h"
#include "sim/cluster/topoindex.h"
#include "models/kube/topospread.h"

#define FOO_POD(extra)                                                                             \
    "{metadata: {labels: {foo: ''}}, spec: {containers: [], topologySpreadConstraints: [" extra    \
    "]}}"
#define CONSTRAINT(skew, key, when, sel)                                                           \
    "{maxSkew: " #skew ", topologyKey: " key ", whenUnsatisfiable: " when ", labelSelector: " sel  \
    "}"
#define EXISTS_FOO "{matchExpressions: [{key: foo, operator: Exists}]}"

static struct kubefix *four_nodes(const char *key)
{
    struct kubefix *kf = kubefix_new();
    static const char *const names[] = {"node-a", "node-b", "node-x", "node-y"};
    static const char *const zones[] = {"zone1", "zone1", "zone2", "zone2"};
    for (int i = 0; i < 4; i++) {
        char labels[128];
        snprintf(labels, sizeof labels, "zone=%s,%s=%s", zones[i], key, names[i]);
        kubefix_node(kf, names[i], labels, NULL);
    }
    return kf;
}

/* Filters every node; codes[i] and reasons as upstream's wantStatusCode. */
static void check_filter(struct kubefix *kf, int32_t owner, const enum kube_code *want)
{
    struct topospread *ts = topospread_new(NULL);
    assert_int_equal(topospread_prefilter(ts, kf->c, &kf->c->owners[owner].spec, owner),
                     KUBE_SUCCESS);
    for (size_t n = 0; n < kf->c->nnodes; n++) {
        const char *reason = NULL;
        enum kube_code s = topospread_filter(ts, (int32_t)n, &reason);
        if (s != want[n])
            fail_msg("%s: got status %d, want %d", kf->c->nodes[n].name, s, want[n]);
        if (s == KUBE_UNSCHEDULABLE)
            assert_string_equal(reason, TOPOSPREAD_REASON_SKEW);
        if (s == KUBE_UNRESOLVABLE)
            assert_string_equal(reason, TOPOSPREAD_REASON_LABEL);
    }
    topospread_free(ts);
}

/* Scores the feasible nodes (comma-separated) and compares normalized scores. */
static void check_score(struct kubefix *kf, int32_t owner, const char *feasible,
                        const int64_t *want, const struct kube_spread_args *args)
{
    int32_t nodes[16];
    int64_t scores[16];
    size_t n = kubefix_nodes(kf, feasible, nodes, 16);
    struct topospread *ts = topospread_new(args);
    assert_int_equal(topospread_prescore(ts, kf->c, &kf->c->owners[owner].spec, owner, nodes, n),
                     KUBE_SUCCESS);
    topospread_score(ts, nodes, n, scores);
    topospread_normalize(ts, nodes, scores, n);
    for (size_t i = 0; i < n; i++)
        if (scores[i] != want[i])
            fail_msg("%s: got %lld, want %lld", kf->c->nodes[nodes[i]].name, (long long)scores[i],
                     (long long)want[i]);
    topospread_free(ts);
}

static int32_t foo_owner(struct kubefix *kf)
{
    return kubefix_owner(kf, OWNER_BATCH,
                         "{metadata: {labels: {foo: ''}}, spec: {containers: []}}");
}

/* TestSingleConstraint "existing pods in a different namespace do not count". */
static void test_filter_namespaces(void **state)
{
    (void)state;
    struct kubefix *kf = four_nodes("node");
    int32_t p = kubefix_incoming(kf, OWNER_BATCH,
                                 FOO_POD(CONSTRAINT(1, "zone", "DoNotSchedule", EXISTS_FOO)));
    int32_t ns1 = kubefix_owner(
        kf, OWNER_BATCH, "{metadata: {namespace: ns1, labels: {foo: ''}}, spec: {containers: []}}");
    int32_t ns2 = kubefix_owner(
        kf, OWNER_BATCH, "{metadata: {namespace: ns2, labels: {foo: ''}}, spec: {containers: []}}");
    int32_t foo = foo_owner(kf);
    kubefix_bind(kf, ns1, "node-a", 1);
    kubefix_bind(kf, ns2, "node-a", 1);
    kubefix_bind(kf, foo, "node-x", 1);
    kubefix_bind(kf, foo, "node-y", 1);
    enum kube_code want[] = {KUBE_SUCCESS, KUBE_SUCCESS, KUBE_UNSCHEDULABLE, KUBE_UNSCHEDULABLE};
    check_filter(kf, p, want);
    kubefix_free(kf);
}

/* TestSingleConstraint "pods spread across zones as 1/2 due to absence of label 'zone' on node-b".
 */
static void test_filter_missing_label(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "node-a", "zone=zone1,node=node-a", NULL);
    kubefix_node(kf, "node-b", "zon=zone1,node=node-b", NULL);
    kubefix_node(kf, "node-x", "zone=zone2,node=node-x", NULL);
    kubefix_node(kf, "node-y", "zone=zone2,node=node-y", NULL);
    int32_t p = kubefix_incoming(kf, OWNER_BATCH,
                                 FOO_POD(CONSTRAINT(1, "zone", "DoNotSchedule", EXISTS_FOO)));
    int32_t foo = foo_owner(kf);
    kubefix_bind(kf, foo, "node-a", 1);
    kubefix_bind(kf, foo, "node-b", 1);
    kubefix_bind(kf, foo, "node-x", 1);
    kubefix_bind(kf, foo, "node-y", 1);
    enum kube_code want[] = {KUBE_SUCCESS, KUBE_UNRESOLVABLE, KUBE_UNSCHEDULABLE,
                             KUBE_UNSCHEDULABLE};
    check_filter(kf, p, want);
    kubefix_free(kf);
}

static void bind_2103(struct kubefix *kf, int32_t o)
{
    kubefix_bind(kf, o, "node-a", 2);
    kubefix_bind(kf, o, "node-b", 1);
    kubefix_bind(kf, o, "node-y", 3);
}

/* TestSingleConstraint "pods spread across nodes as 2/1/0/3, only node-x fits" and maxSkew 2. */
static void test_filter_skew(void **state)
{
    (void)state;
    struct kubefix *kf = four_nodes("node");
    int32_t p1 = kubefix_incoming(kf, OWNER_BATCH,
                                  FOO_POD(CONSTRAINT(1, "node", "DoNotSchedule", EXISTS_FOO)));
    int32_t p2 = kubefix_incoming(kf, OWNER_BATCH,
                                  FOO_POD(CONSTRAINT(2, "node", "DoNotSchedule", EXISTS_FOO)));
    bind_2103(kf, foo_owner(kf));
    enum kube_code want1[] = {KUBE_UNSCHEDULABLE, KUBE_UNSCHEDULABLE, KUBE_SUCCESS,
                              KUBE_UNSCHEDULABLE};
    check_filter(kf, p1, want1);
    enum kube_code want2[] = {KUBE_UNSCHEDULABLE, KUBE_SUCCESS, KUBE_SUCCESS, KUBE_UNSCHEDULABLE};
    check_filter(kf, p2, want2);
    kubefix_free(kf);
}

/* TestSingleConstraint "pods spread across nodes as 2/1/0/3, but pod doesn't match itself". */
static void test_filter_no_self_match(void **state)
{
    (void)state;
    struct kubefix *kf = four_nodes("node");
    int32_t p = kubefix_incoming(
        kf, OWNER_BATCH,
        "{metadata: {labels: {bar: ''}}, spec: {containers: [], "
        "topologySpreadConstraints: [" CONSTRAINT(1, "node", "DoNotSchedule", EXISTS_FOO) "]}}");
    bind_2103(kf, foo_owner(kf));
    enum kube_code want[] = {KUBE_UNSCHEDULABLE, KUBE_SUCCESS, KUBE_SUCCESS, KUBE_UNSCHEDULABLE};
    check_filter(kf, p, want);
    kubefix_free(kf);
}

/*
 * TestSingleConstraint "incoming pod has nodeAffinity, pods spread as
 * 2/~1~/~0~/3, hence node-a fits" (nodeAffinityPolicy Honor), written with a
 * nodeSelector on a label only node-a and node-y carry.
 */
static void test_filter_node_affinity_policy(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "node-a", "zone=zone1,node=node-a,pick=yes", NULL);
    kubefix_node(kf, "node-b", "zone=zone1,node=node-b", NULL);
    kubefix_node(kf, "node-x", "zone=zone2,node=node-x", NULL);
    kubefix_node(kf, "node-y", "zone=zone2,node=node-y,pick=yes", NULL);
    int32_t p =
        kubefix_incoming(kf, OWNER_BATCH,
                         "{metadata: {labels: {foo: ''}}, spec: {containers: [], "
                         "nodeSelector: {pick: 'yes'}, topologySpreadConstraints: [" CONSTRAINT(
                             1, "node", "DoNotSchedule", EXISTS_FOO) "]}}");
    bind_2103(kf, foo_owner(kf));
    enum kube_code want[] = {KUBE_SUCCESS, KUBE_SUCCESS, KUBE_SUCCESS, KUBE_UNSCHEDULABLE};
    check_filter(kf, p, want);
    kubefix_free(kf);
}

/* TestMultipleConstraints "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]". */
static void test_filter_two_constraints(void **state)
{
    (void)state;
    struct kubefix *kf = four_nodes("node");
    int32_t p =
        kubefix_incoming(kf, OWNER_BATCH,
                         FOO_POD(CONSTRAINT(1, "zone", "DoNotSchedule", EXISTS_FOO) ", " CONSTRAINT(
                             1, "node", "DoNotSchedule", EXISTS_FOO)));
    bind_2103(kf, foo_owner(kf));
    enum kube_code want[] = {KUBE_UNSCHEDULABLE, KUBE_UNSCHEDULABLE, KUBE_SUCCESS,
                             KUBE_UNSCHEDULABLE};
    check_filter(kf, p, want);
    kubefix_free(kf);
}

/*
 * minDomains (filtering.go minMatchNum): zones hold 2/3 matching pods. With
 * maxSkew 1 the global minimum is 2, so zone1 fits (2+1-2 = 1) and zone2 does
 * not; with minDomains 3 > 2 eligible domains the minimum counts as 0 and no
 * zone fits.
 */
static void test_filter_min_domains(void **state)
{
    (void)state;
    struct kubefix *kf = four_nodes("node");
    int32_t p1 = kubefix_incoming(kf, OWNER_BATCH,
                                  FOO_POD(CONSTRAINT(1, "zone", "DoNotSchedule", EXISTS_FOO)));
    int32_t p2 = kubefix_incoming(
        kf, OWNER_BATCH,
        FOO_POD("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, "
                "minDomains: 3, labelSelector: " EXISTS_FOO "}"));
    int32_t foo = foo_owner(kf);
    kubefix_bind(kf, foo, "node-a", 2);
    kubefix_bind(kf, foo, "node-x", 3);
    enum kube_code want1[] = {KUBE_SUCCESS, KUBE_SUCCESS, KUBE_UNSCHEDULABLE, KUBE_UNSCHEDULABLE};
    check_filter(kf, p1, want1);
    enum kube_code want2[] = {KUBE_UNSCHEDULABLE, KUBE_UNSCHEDULABLE, KUBE_UNSCHEDULABLE,
                              KUBE_UNSCHEDULABLE};
    check_filter(kf, p2, want2);
    kubefix_free(kf);
}

/* Nodes node-a.. with hostname labels; counts[i] matching pods on each. */
static struct kubefix *host_nodes(const char *names, const int *counts, int32_t *foo)
{
    struct kubefix *kf = kubefix_new();
    int32_t ids[16];
    char buf[256];
    snprintf(buf, sizeof buf, "%s", names);
    for (char *save = NULL, *s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
        char labels[128];
        snprintf(labels, sizeof labels, "kubernetes.io/hostname=%s", s);
        kubefix_node(kf, s, labels, NULL);
    }
    *foo = foo_owner(kf);
    size_t n = kubefix_nodes(kf, names, ids, 16);
    for (size_t i = 0; i < n; i++)
        kubefix_bind(kf, *foo, kf->c->nodes[ids[i]].name, counts[i]);
    return kf;
}

#define HOST_POD(skew)                                                                             \
    FOO_POD(CONSTRAINT(skew, "kubernetes.io/hostname", "ScheduleAnyway", EXISTS_FOO))

/* TestPodTopologySpreadScore "one constraint on node, all 4 nodes are candidates" and maxSkew 2, 3.
 */
static void test_score_hostname(void **state)
{
    (void)state;
    int32_t foo;
    static const int c2103[] = {2, 1, 0, 3};
    struct kubefix *kf = host_nodes("node-a,node-b,node-c,node-d", c2103, &foo);
    int32_t p1 = kubefix_incoming(kf, OWNER_BATCH, HOST_POD(1));
    int32_t p2 = kubefix_incoming(kf, OWNER_BATCH, HOST_POD(2));
    static const int64_t want1[] = {20, 60, 100, 0}, want2[] = {33, 66, 100, 16};
    check_score(kf, p1, "node-a,node-b,node-c,node-d", want1, NULL);
    check_score(kf, p2, "node-a,node-b,node-c,node-d", want2, NULL);
    kubefix_free(kf);

    static const int c4321[] = {4, 3, 2, 1};
    kf = host_nodes("node-a,node-b,node-c,node-d", c4321, &foo);
    int32_t p3 = kubefix_incoming(kf, OWNER_BATCH, HOST_POD(3));
    static const int64_t want3[] = {44, 66, 77, 100};
    check_score(kf, p3, "node-a,node-b,node-c,node-d", want3, NULL);
    kubefix_free(kf);
}

/* TestPodTopologySpreadScore "one constraint on node, null selector": nothing matches, all 100. */
static void test_score_null_selector(void **state)
{
    (void)state;
    int32_t foo;
    static const int c2103[] = {2, 1, 0, 3};
    struct kubefix *kf = host_nodes("node-a,node-b,node-c,node-d", c2103, &foo);
    int32_t p = kubefix_incoming(
        kf, OWNER_BATCH,
        FOO_POD("{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: "
                "ScheduleAnyway}"));
    static const int64_t want[] = {100, 100, 100, 100};
    check_score(kf, p, "node-a,node-b,node-c,node-d", want, NULL);
    kubefix_free(kf);
}

/*
 * TestPodTopologySpreadScore "one constraint on node, 3 out of 4 nodes are
 * candidates" (4/2/1/~3~) and "..., one node doesn't match topology key"
 * (4/?2?/1/~3~: node-b is ignored and scores 0).
 */
static void test_score_candidates(void **state)
{
    (void)state;
    int32_t foo;
    static const int c4213[] = {4, 2, 1, 3};
    struct kubefix *kf = host_nodes("node-a,node-b,node-x,node-y", c4213, &foo);
    int32_t p = kubefix_incoming(kf, OWNER_BATCH, HOST_POD(1));
    static const int64_t want[] = {33, 83, 100};
    check_score(kf, p, "node-a,node-b,node-x", want, NULL);
    kubefix_free(kf);

    kf = kubefix_new();
    kubefix_node(kf, "node-a", "kubernetes.io/hostname=node-a", NULL);
    kubefix_node(kf, "node-b", "n=node-b", NULL);
    kubefix_node(kf, "node-x", "kubernetes.io/hostname=node-x", NULL);
    kubefix_node(kf, "node-y", "kubernetes.io/hostname=node-y", NULL);
    foo = foo_owner(kf);
    kubefix_bind(kf, foo, "node-a", 4);
    kubefix_bind(kf, foo, "node-b", 2);
    kubefix_bind(kf, foo, "node-x", 1);
    kubefix_bind(kf, foo, "node-y", 3);
    p = kubefix_incoming(kf, OWNER_BATCH, HOST_POD(1));
    static const int64_t want2[] = {16, 0, 100};
    check_score(kf, p, "node-a,node-b,node-x", want2, NULL);
    kubefix_free(kf);
}

/*
 * TestPodTopologySpreadScore "one constraint on zone, 3 out of 4 nodes are
 * candidates" (75/75/100) and "two Constraints on zone and node, 2 out of 4
 * nodes are candidates" (100/63).
 */
static void test_score_zone(void **state)
{
    (void)state;
    struct kubefix *kf = four_nodes("kubernetes.io/hostname");
    int32_t foo = foo_owner(kf);
    kubefix_bind(kf, foo, "node-a", 4);
    kubefix_bind(kf, foo, "node-b", 2);
    kubefix_bind(kf, foo, "node-x", 1);
    kubefix_bind(kf, foo, "node-y", 3);
    int32_t p = kubefix_incoming(kf, OWNER_BATCH,
                                 FOO_POD(CONSTRAINT(1, "zone", "ScheduleAnyway", EXISTS_FOO)));
    static const int64_t want[] = {75, 75, 100};
    check_score(kf, p, "node-a,node-b,node-x", want, NULL);
    kubefix_free(kf);

    kf = four_nodes("kubernetes.io/hostname");
    foo = foo_owner(kf);
    kubefix_bind(kf, foo, "node-a", 2);
    kubefix_bind(kf, foo, "node-b", 1);
    kubefix_bind(kf, foo, "node-x", 2);
    kubefix_bind(kf, foo, "node-y", 4);
    p = kubefix_incoming(
        kf, OWNER_BATCH,
        FOO_POD(CONSTRAINT(1, "zone", "ScheduleAnyway", EXISTS_FOO) ", " CONSTRAINT(
            1, "kubernetes.io/hostname", "ScheduleAnyway", EXISTS_FOO)));
    static const int64_t want2[] = {100, 63};
    check_score(kf, p, "node-a,node-x", want2, NULL);
    kubefix_free(kf);
}

/*
 * System default constraints (plugin.go: hostname maxSkew 3, zone maxSkew 5),
 * TestPodTopologySpreadScore "system defaulting, nodes don't have zone, pods
 * match service": upstream's selector comes from a Service, ksim's from the
 * pod's Deployment; the 4/3/2/1 spread scores as one hostname constraint,
 * 44/66/77/100. A batch pod (no owning ReplicaSet) gets no default
 * constraints: PreScore skips (TestPreScoreSkip).
 */
static void test_score_system_defaults(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    static const char *const names[] = {"node-a", "node-b", "node-c", "node-d"};
    for (int i = 0; i < 4; i++) {
        char labels[64];
        snprintf(labels, sizeof labels, "kubernetes.io/hostname=%s", names[i]);
        kubefix_node(kf, names[i], labels, NULL);
    }
    int32_t dep = kubefix_incoming(kf, OWNER_DEPLOYMENT,
                                   "{metadata: {labels: {foo: ''}}, spec: {containers: []}}");
    for (int i = 0; i < 4; i++)
        kubefix_bind(kf, dep, names[i], 4 - i);
    static const int64_t want[] = {44, 66, 77, 100};
    check_score(kf, dep, "node-a,node-b,node-c,node-d", want, NULL);

    int32_t batch = kubefix_incoming(kf, OWNER_BATCH,
                                     "{metadata: {labels: {foo: ''}}, spec: {containers: []}}");
    int32_t nodes[4];
    kubefix_nodes(kf, "node-a,node-b,node-c,node-d", nodes, 4);
    struct topospread *ts = topospread_new(NULL);
    assert_int_equal(topospread_prescore(ts, kf->c, &kf->c->owners[batch].spec, batch, nodes, 4),
                     KUBE_SKIP);
    assert_int_equal(topospread_prefilter(ts, kf->c, &kf->c->owners[dep].spec, dep), KUBE_SKIP);
    topospread_free(ts);
    kubefix_free(kf);
}

/*
 * The defaults with zones, worked by hand from scoring.go: zones z1 = {a, b},
 * z2 = {c}, Deployment pods 3 on a, 1 on b, 0 on c. Weights: hostname
 * ln(3+2) = 1.6094, zone ln(2+2) = 1.3863. Raw: a = 3*1.6094+2 + 4*1.3863+4
 * = 16.37 -> 16, b = 1.6094+2 + 5.5452+4 = 13.15 -> 13, c = 0+2 + 0+4 = 6.
 * Normalized 100*(16+6-s)/16: a 37, b 56, c 100.
 */
static void test_score_system_defaults_zones(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    kubefix_node(kf, "a", "kubernetes.io/hostname=a,topology.kubernetes.io/zone=z1", NULL);
    kubefix_node(kf, "b", "kubernetes.io/hostname=b,topology.kubernetes.io/zone=z1", NULL);
    kubefix_node(kf, "c", "kubernetes.io/hostname=c,topology.kubernetes.io/zone=z2", NULL);
    int32_t dep = kubefix_incoming(kf, OWNER_DEPLOYMENT,
                                   "{metadata: {labels: {app: web}}, spec: {containers: []}}");
    kubefix_bind(kf, dep, "a", 3);
    kubefix_bind(kf, dep, "b", 1);
    /* Another Deployment with the same labels is another ReplicaSet: not counted. */
    int32_t other = kubefix_owner(kf, OWNER_DEPLOYMENT,
                                  "{metadata: {labels: {app: web}}, spec: {containers: []}}");
    kubefix_bind(kf, other, "c", 5);
    static const int64_t want[] = {37, 56, 100};
    check_score(kf, dep, "a,b,c", want, NULL);
    kubefix_free(kf);
}

/*
 * The defaults on enough nodes for Score's table of (zone, own count) (see
 * score_fused in topospread.c), with a node holding more pods than the
 * table covers, one without a hostname and one without a zone: each raw
 * score must be the one a few nodes at a time (the per-constraint sums of
 * add_terms) give, and NormalizeScore must give the same whether it reuses
 * Score's extremes (the array Score wrote) or scans (a copy).
 */
static void test_score_system_defaults_table(void **state)
{
    (void)state;
    enum { N = 80, CHUNK = 8 };
    struct kubefix *kf = kubefix_new();
    char names[N * 8] = "";
    for (int i = 0; i < N; i++) {
        char name[16], labels[96];
        snprintf(name, sizeof name, "n%d", i);
        if (i == 7)
            snprintf(labels, sizeof labels, "topology.kubernetes.io/zone=z%d", i % 3);
        else if (i == 5)
            snprintf(labels, sizeof labels, "kubernetes.io/hostname=%s", name);
        else
            snprintf(labels, sizeof labels,
                     "kubernetes.io/hostname=%s,topology.kubernetes.io/zone=z%d", name, i % 3);
        kubefix_node(kf, name, labels, NULL);
        strcat(names, i ? "," : "");
        strcat(names, name);
    }
    int32_t dep = kubefix_incoming(kf, OWNER_DEPLOYMENT,
                                   "{metadata: {labels: {app: web}}, spec: {containers: []}}");
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        int pods = i == 0 ? 20 : i == 7 ? 2 : i % 5;
        if (pods)
            kubefix_bind(kf, dep, name, pods);
    }
    int32_t nodes[N];
    assert_int_equal(kubefix_nodes(kf, names, nodes, N), N);
    const struct podspec *ps = &kf->c->owners[dep].spec;
    struct topospread *ts = topospread_new(NULL);
    assert_int_equal(topospread_prescore(ts, kf->c, ps, dep, nodes, N), KUBE_SUCCESS);
    int64_t whole[N], chunked[N], copy[N];
    topospread_score(ts, nodes, N, whole);
    for (size_t k = 0; k < N; k += CHUNK)
        topospread_score(ts, nodes + k, CHUNK, chunked + k);
    for (size_t k = 0; k < N; k++)
        if (whole[k] != chunked[k])
            fail_msg("n%zu: raw %lld, by %d nodes %lld", k, (long long)whole[k], CHUNK,
                     (long long)chunked[k]);
    /* The 20 pods on n0 score higher (worse) than any other node. */
    for (size_t k = 1; k < N; k++)
        assert_true(whole[0] > whole[k]);
    topospread_score(ts, nodes, N, whole);
    memcpy(copy, whole, sizeof copy);
    topospread_normalize(ts, nodes, copy, N);
    topospread_normalize(ts, nodes, whole, N);
    assert_memory_equal(whole, copy, sizeof whole);
    /* n0's maximum normalizes to 100 * min / max, n5's minimum (hostname
     * term 2, no zone) to 100. */
    assert_int_equal(copy[0], 0);
    assert_int_equal(copy[5], 100);
    topospread_free(ts);
    kubefix_free(kf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_namespaces),
        cmocka_unit_test(test_filter_missing_label),
        cmocka_unit_test(test_filter_skew),
        cmocka_unit_test(test_filter_no_self_match),
        cmocka_unit_test(test_filter_node_affinity_policy),
        cmocka_unit_test(test_filter_two_constraints),
        cmocka_unit_test(test_filter_min_domains),
        cmocka_unit_test(test_score_hostname),
        cmocka_unit_test(test_score_null_selector),
        cmocka_unit_test(test_score_candidates),
        cmocka_unit_test(test_score_zone),
        cmocka_unit_test(test_score_system_defaults),
        cmocka_unit_test(test_score_system_defaults_zones),
        cmocka_unit_test(test_score_system_defaults_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
