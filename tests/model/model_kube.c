/*
 * Model test: the kube framework with only NodeResourcesFit (filter and
 * MostAllocated score), percentageOfNodesToScore 100 and tieBreak first must
 * choose exactly what a brute-force scan chooses: over all alive nodes in id
 * order, those where the pod fits (pod count and every requested resource),
 * the first with the highest MostAllocated score computed here from scratch
 * (non-zero cpu/memory for the requests of the node's pods and the pod).
 * A seeded random workload of creations and deletions on 300 nodes, some of
 * them removed along the way, exercises the incremental NonZeroRequested
 * sums and the framework's node list.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "kubefix.h"

#include "models/kube/framework.h"
#include "models/kube/profile.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)
#define MI ((int64_t)1 << 20)

static int64_t most(int64_t req, int64_t cap)
{
    if (cap == 0)
        return 0;
    if (req > cap)
        req = cap;
    return req * 100 / cap;
}

static int32_t brute(const struct cluster *c, int32_t pod)
{
    const struct podspec *ps = &c->owners[c->pods[pod].owner].spec;
    int32_t best = -1;
    int64_t best_score = -1;
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct node *n = &c->nodes[i];
        if (!n->alive)
            continue;
        int64_t npods = 0, cpu = 0, mem = 0, nzcpu = 0, nzmem = 0;
        for (int32_t q = n->pods_head; q >= 0; q = c->pods[q].node_next) {
            const struct podspec *o = &c->owners[c->pods[q].owner].spec;
            npods++;
            cpu += o->req.v[RES_CPU];
            mem += o->req.v[RES_MEMORY];
            nzcpu += o->req.v[RES_CPU] ? o->req.v[RES_CPU] : 100;
            nzmem += o->req.v[RES_MEMORY] ? o->req.v[RES_MEMORY] : 200 * MI;
        }
        if (npods + 1 > n->alloc.v[RES_PODS])
            continue;
        if (ps->req.v[RES_CPU] > 0 && ps->req.v[RES_CPU] > n->alloc.v[RES_CPU] - cpu)
            continue;
        if (ps->req.v[RES_MEMORY] > 0 && ps->req.v[RES_MEMORY] > n->alloc.v[RES_MEMORY] - mem)
            continue;
        int64_t pc = ps->req.v[RES_CPU] ? ps->req.v[RES_CPU] : 100;
        int64_t pm = ps->req.v[RES_MEMORY] ? ps->req.v[RES_MEMORY] : 200 * MI;
        int64_t s =
            (most(nzcpu + pc, n->alloc.v[RES_CPU]) + most(nzmem + pm, n->alloc.v[RES_MEMORY])) / 2;
        if (s > best_score) {
            best_score = s;
            best = (int32_t)i;
        }
    }
    return best;
}

static void test_most_allocated_equals_brute_force(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12345);
    struct cluster *c = cluster_new();
    for (int i = 0; i < 300; i++) {
        struct resources a;
        res_zero(&a);
        a.v[RES_CPU] = 1000 * (int64_t)(2 + gsl_rng_uniform_int(r, 31));
        a.v[RES_MEMORY] = GI * (int64_t)(2 + gsl_rng_uniform_int(r, 63));
        a.v[RES_PODS] = 5 + (int64_t)gsl_rng_uniform_int(r, 30);
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        cluster_add_node(c, name, -1, &a, NULL, NULL, 0, 0);
    }
    for (int o = 0; o < 12; o++) {
        struct podspec ps;
        podspec_init(&ps);
        /* Some owners omit cpu or memory: the non-zero defaults apply to them. */
        if (o % 4 != 1)
            ps.req.v[RES_CPU] = 50 + (int64_t)gsl_rng_uniform_int(r, 3000);
        if (o % 4 != 2)
            ps.req.v[RES_MEMORY] = 64 * MI + (int64_t)gsl_rng_uniform_int(r, 6000) * MI;
        char name[16];
        snprintf(name, sizeof name, "o%d", o);
        cluster_add_owner(c, OWNER_DEPLOYMENT, name, &ps, 0);
    }
    struct kube_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.profiles = calloc(1, sizeof *cfg.profiles);
    cfg.nprofiles = 1;
    profile_init(&cfg.profiles[0], "default-scheduler");
    pluginset_disable(&cfg.profiles[0].sets[KUBE_EXT_MULTIPOINT], "*");
    pluginset_add(&cfg.profiles[0].sets[KUBE_EXT_FILTER], "NodeResourcesFit", 0);
    pluginset_add(&cfg.profiles[0].sets[KUBE_EXT_SCORE], "NodeResourcesFit", 1);
    cfg.profiles[0].args.fit.strategy = FIT_MOST_ALLOCATED;
    profile_apply_defaults(&cfg.profiles[0]);
    char err[256];
    struct framework *fw =
        framework_new(&cfg.profiles[0], 100, KUBE_TIE_FIRST, NULL, err, sizeof err);
    assert_non_null(fw);
    int32_t *bound = calloc(20000, sizeof *bound);
    size_t nbound = 0, checked = 0, failed = 0;
    for (int step = 0; step < 20000; step++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.3 && nbound) {
            size_t k = gsl_rng_uniform_int(r, nbound);
            cluster_delete_pod(c, bound[k]);
            bound[k] = bound[--nbound];
            continue;
        }
        if (u < 0.301) {
            /* Remove an empty node now and then: the framework's node list must follow. */
            int32_t n = (int32_t)gsl_rng_uniform_int(r, c->nnodes);
            if (c->nodes[n].alive && c->nodes[n].pods_head < 0 && c->nalive > 1)
                cluster_remove_node(c, n);
            continue;
        }
        int32_t pod = cluster_new_pod(c, (int32_t)gsl_rng_uniform_int(r, 12), 0);
        int32_t want = brute(c, pod), got = framework_schedule(fw, c, pod);
        checked++;
        if (got != want)
            fail_msg("step %d: framework chose %d, brute force %d", step, got, want);
        if (got >= 0) {
            cluster_bind(c, pod, got, 0);
            bound[nbound++] = pod;
        } else {
            failed++;
            cluster_delete_pod(c, pod);
        }
    }
    char cerr[256];
    assert_int_equal(cluster_check(c, cerr, sizeof cerr), 0);
    print_message("%zu decisions checked, %zu found no node\n", checked, failed);
    assert_true(checked > 10000);
    assert_true(failed > 0);
    framework_free(fw);
    kube_config_release(&cfg);
    cluster_free(c);
    free(bound);
    gsl_rng_free(r);
}

/*
 * The fast path reuses node-local results per (owner, node) across cycles;
 * the explain path computes everything afresh. With the default profile,
 * taints, preferred affinity and tieBreak first, both must make the same
 * choice at every step of a random workload with deletions.
 */
static void test_cache_equals_fresh(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 777);
    struct cluster *c = cluster_new();
    for (int i = 0; i < 400; i++) {
        struct resources a;
        res_zero(&a);
        a.v[RES_CPU] = 1000 * (int64_t)(2 + gsl_rng_uniform_int(r, 15));
        a.v[RES_MEMORY] = GI * (int64_t)(2 + gsl_rng_uniform_int(r, 30));
        a.v[RES_PODS] = 10 + (int64_t)gsl_rng_uniform_int(r, 20);
        struct labelset ls;
        labelset_init(&ls);
        labelset_set(&ls, "zone", i % 3 ? "a" : "b");
        struct taint soft = {"spot", "true", TAINT_PREFER_NO_SCHEDULE};
        struct taint hard = {"gpu", "yes", TAINT_NO_SCHEDULE};
        const struct taint *t = i % 17 == 0 ? &hard : i % 5 == 0 ? &soft : NULL;
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        cluster_add_node(c, name, -1, &a, &ls, t, t ? 1 : 0, i % 23 == 0);
        labelset_release(&ls);
    }
    for (int o = 0; o < 8; o++) {
        struct podspec ps;
        podspec_init(&ps);
        if (o % 4 != 3) {
            ps.req.v[RES_CPU] = 100 + (int64_t)gsl_rng_uniform_int(r, 2000);
            ps.req.v[RES_MEMORY] = 64 * MI + (int64_t)gsl_rng_uniform_int(r, 3000) * MI;
        }
        if (o % 2 == 1) {
            ps.affinity.preferred = calloc(1, sizeof *ps.affinity.preferred);
            ps.affinity.npreferred = 1;
            nsel_pref_init_in(&ps.affinity.preferred[0], 7, "zone", "b");
        }
        char name[16];
        snprintf(name, sizeof name, "o%d", o);
        cluster_add_owner(c, OWNER_DEPLOYMENT, name, &ps, 0);
    }
    struct kube_config cfg;
    kube_config_default(&cfg);
    char err[256];
    struct framework *fast =
        framework_new(&cfg.profiles[0], 0, KUBE_TIE_FIRST, NULL, err, sizeof err);
    struct framework *fresh =
        framework_new(&cfg.profiles[0], 0, KUBE_TIE_FIRST, NULL, err, sizeof err);
    assert_non_null(fast);
    assert_non_null(fresh);
    int32_t *bound = calloc(8000, sizeof *bound);
    size_t nbound = 0, checked = 0;
    for (int step = 0; step < 8000; step++) {
        if (gsl_rng_uniform(r) < 0.35 && nbound) {
            size_t k = gsl_rng_uniform_int(r, nbound);
            cluster_delete_pod(c, bound[k]);
            bound[k] = bound[--nbound];
            continue;
        }
        int32_t pod = cluster_new_pod(c, (int32_t)gsl_rng_uniform_int(r, 8), 0);
        struct kube_explain e;
        int32_t want = framework_explain(fresh, c, pod, &e);
        kube_explain_release(&e);
        int32_t got = framework_schedule(fast, c, pod);
        checked++;
        if (got != want)
            fail_msg("step %d: cached fast path chose %d, fresh cycle %d", step, got, want);
        if (got >= 0) {
            cluster_bind(c, pod, got, 0);
            bound[nbound++] = pod;
        } else {
            cluster_delete_pod(c, pod);
        }
    }
    print_message("%zu decisions checked\n", checked);
    assert_true(checked > 4000);
    framework_free(fast);
    framework_free(fresh);
    kube_config_release(&cfg);
    cluster_free(c);
    free(bound);
    gsl_rng_free(r);
}

/* Pod templates: every plugin of the default profile has work to do. %s is the app label. */
static const char *const shapes[] = {
    "",
    ", topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
    "whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: %s}}}]",
    ", topologySpreadConstraints: [{maxSkew: 2, topologyKey: kubernetes.io/hostname, "
    "whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: %s}}}]",
    ", affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
    "[{labelSelector: {matchLabels: {app: %s}}, topologyKey: kubernetes.io/hostname}]}}",
    ", affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 50, "
    "podAffinityTerm: {labelSelector: {matchLabels: {app: %s}}, topologyKey: "
    "topology.kubernetes.io/zone}}]}}",
    ", nodeSelector: {disk: ssd}",
    ", tolerations: [{key: gpu, operator: Exists}]",
    ", affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 20, "
    "preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}}]}}",
};

static void add_labelled_node(gsl_rng *r, struct kubefix *kf)
{
    char name[16], labels[160];
    snprintf(name, sizeof name, "n%zu", kf->c->nnodes);
    snprintf(labels, sizeof labels, "kubernetes.io/hostname=%s,topology.kubernetes.io/zone=z%lu%s",
             name, gsl_rng_uniform_int(r, 3), gsl_rng_uniform_int(r, 3) ? "" : ",disk=ssd");
    double u = gsl_rng_uniform(r);
    kubefix_node(kf, name, labels,
                 u < 0.05   ? "gpu=1:NoSchedule"
                 : u < 0.15 ? "spot=1:PreferNoSchedule"
                            : NULL);
}

static int rng_equal(const gsl_rng *a, const gsl_rng *b)
{
    return memcmp(gsl_rng_state(a), gsl_rng_state(b), gsl_rng_size(a)) == 0;
}

/*
 * The cache against the explain path with what the first test leaves out:
 * PodTopologySpread and InterPodAffinity filters (so the visit runs filters
 * that are not node-local between cached ones) and scores, hostname and zone
 * labels, more owners than the cache has slots (the rest take the uncached
 * fast path), nodes added and removed, and random tie-breaks from two
 * equally seeded streams, which must stay in step draw for draw.
 */
static void test_cache_equals_fresh_topology(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *tie_fast = gsl_rng_alloc(gsl_rng_mt19937), *tie_fresh = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *tie_unused = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4242);
    struct kubefix *kf = kubefix_new();
    for (int i = 0; i < 160; i++)
        add_labelled_node(r, kf);
    enum { OWNERS = 72 };
    for (int o = 0; o < OWNERS; o++) {
        char app[16], shape[512], yaml[1024];
        snprintf(app, sizeof app, "a%d", o % 6);
        snprintf(shape, sizeof shape, shapes[o % 8], app);
        snprintf(yaml, sizeof yaml,
                 "{metadata: {labels: {app: %s}}, spec: {containers: [{name: c, resources: "
                 "{requests: {cpu: %lum}}}]%s}}",
                 app, 100 + 100 * gsl_rng_uniform_int(r, 15), shape);
        kubefix_owner(kf, OWNER_DEPLOYMENT, yaml);
    }
    struct cluster *c = kf->c;
    struct kube_config cfg;
    kube_config_default(&cfg);
    char err[256];
    struct framework *fast =
        framework_new(&cfg.profiles[0], 0, KUBE_TIE_RANDOM, tie_fast, err, sizeof err);
    struct framework *fresh =
        framework_new(&cfg.profiles[0], 0, KUBE_TIE_RANDOM, tie_fresh, err, sizeof err);
    assert_non_null(fast);
    assert_non_null(fresh);
    int32_t *bound = calloc(12000, sizeof *bound);
    size_t nbound = 0, checked = 0, placed = 0, tied = 0;
    for (int step = 0; step < 12000; step++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.3 && nbound) {
            size_t k = gsl_rng_uniform_int(r, nbound);
            cluster_delete_pod(c, bound[k]);
            bound[k] = bound[--nbound];
            continue;
        }
        if (u < 0.302) {
            add_labelled_node(r, kf);
            continue;
        }
        if (u < 0.305) {
            int32_t n = (int32_t)gsl_rng_uniform_int(r, c->nnodes);
            if (c->nodes[n].alive && c->nodes[n].pods_head < 0 && c->nalive > 100)
                cluster_remove_node(c, n);
            continue;
        }
        int32_t pod = cluster_new_pod(c, (int32_t)gsl_rng_uniform_int(r, OWNERS), 0);
        /* Both streams start each cycle from the same seed; tie_unused shows whether any drew. */
        unsigned long seed = gsl_rng_get(r);
        gsl_rng_set(tie_fresh, seed);
        gsl_rng_set(tie_fast, seed);
        gsl_rng_set(tie_unused, seed);
        struct kube_explain e;
        int32_t want = framework_explain(fresh, c, pod, &e);
        kube_explain_release(&e);
        int32_t got = framework_schedule(fast, c, pod);
        checked++;
        if (got != want)
            fail_msg("step %d: cached fast path chose %d, fresh cycle %d", step, got, want);
        if (!rng_equal(tie_fast, tie_fresh))
            fail_msg("step %d: the tie-break streams drifted apart", step);
        tied += !rng_equal(tie_fresh, tie_unused);
        if (got >= 0) {
            cluster_bind(c, pod, got, 0);
            bound[nbound++] = pod;
            placed++;
        } else {
            cluster_delete_pod(c, pod);
        }
    }
    print_message("%zu decisions checked, %zu placed, %zu with tie-breaks\n", checked, placed,
                  tied);
    assert_true(checked > 8000);
    assert_true(placed > 2000 && placed < checked);
    assert_true(tied > 100);
    framework_free(fast);
    framework_free(fresh);
    kube_config_release(&cfg);
    kubefix_free(kf);
    free(bound);
    gsl_rng_free(r);
    gsl_rng_free(tie_fast);
    gsl_rng_free(tie_fresh);
    gsl_rng_free(tie_unused);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_most_allocated_equals_brute_force),
        cmocka_unit_test(test_cache_equals_fresh),
        cmocka_unit_test(test_cache_equals_fresh_topology),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
