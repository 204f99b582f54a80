/*
 * DefaultPreemption (models/kube/preemption.c) on small clusters, with the
 * upstream default profile. Cases named "TestX/..." are worked from
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go
 * and pkg/scheduler/framework/preemption/preemption_test.go (v1.35): same
 * nodes, pods, priorities and expected outcome or message. Resources there
 * are tiny (100m / 100 bytes); here too.
 */
#include "testutil.h"
#include "kubefix.h"

#include <stdio.h>
#include <string.h>

#include "models/kube/framework.h"
#include "models/kube/pluginargs.h"
#include "models/kube/preemption.h"
#include "models/kube/profile.h"
#include "sim/cluster/cluster.h"
#include "sim/io/kube/kubeconfig.h"
#include "sim/io/ytree.h"

enum { LOW = 0, MID = 100, HIGH = 1000, NEG = -100 };

struct fix {
    struct cluster *c;
    struct kube_config cfg;
    struct framework *fw;
    struct preemption *pe;
    int32_t pod; /* the preemptor */
    struct preemption_result res;
};

static void fix_init(struct fix *f)
{
    memset(f, 0, sizeof *f);
    f->c = cluster_new();
    kube_config_default(&f->cfg);
    char err[256];
    f->fw = framework_new(&f->cfg.profiles[0], 0, KUBE_TIE_FIRST, NULL, err, sizeof err);
    assert_non_null(f->fw);
    f->pe = preemption_new(NULL);
    f->pod = -1;
}

static void fix_release(struct fix *f)
{
    char err[256];
    if (cluster_check(f->c, err, sizeof err) != 0)
        fail_msg("cluster_check: %s", err);
    preemption_free(f->pe);
    framework_free(f->fw);
    kube_config_release(&f->cfg);
    cluster_free(f->c);
}

/* A node of cpu_m millicores, mem bytes and at most pods pods; tainted: an untolerated taint. */
static int32_t node(struct fix *f, int64_t cpu_m, int64_t mem, int64_t pods, int tainted)
{
    char name[16];
    snprintf(name, sizeof name, "node%zu", f->c->nnodes + 1);
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = cpu_m;
    a.v[RES_MEMORY] = mem;
    a.v[RES_PODS] = pods;
    struct labelset ls;
    labelset_init(&ls);
    labelset_set(&ls, "kubernetes.io/hostname", name);
    struct taint t = {.key = (char *)"k", .value = (char *)"v", .effect = TAINT_NO_SCHEDULE};
    int32_t id = cluster_add_node(f->c, name, -1, &a, &ls, tainted ? &t : NULL, tainted, 0);
    labelset_release(&ls);
    return id;
}

/* A pod of priority prio requesting cpu_m / mem: bound to n at second t, or pending (n < 0). */
static int32_t pod(struct fix *f, const char *name, int32_t prio, int64_t cpu_m, int64_t mem,
                   int32_t n, int t)
{
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = mem;
    ps.priority = prio;
    ps.nonzero_cpu = cpu_m;
    ps.nonzero_mem = mem;
    ps.nonzero_known = 1;
    int32_t o = cluster_add_owner(f->c, OWNER_DEPLOYMENT, name, &ps, 1);
    int32_t p = cluster_new_pod(f->c, o, 0);
    if (n >= 0)
        cluster_bind(f->c, p, n, (simtime)t * SIMTIME_S);
    else
        f->pod = p;
    return p;
}

/* Runs a failed cycle for the preemptor and then the PostFilter. */
static void run(struct fix *f)
{
    assert_int_equal(framework_schedule(f->fw, f->c, f->pod), -1);
    struct kube_explain d;
    framework_diagnose(f->fw, f->c, f->pod, &d);
    preemption_run(f->pe, f->fw, f->c, f->pod, &d, &f->res);
    kube_explain_release(&d);
    /* The dry run restores every node. */
    char err[256];
    if (cluster_check(f->c, err, sizeof err) != 0)
        fail_msg("cluster_check after the dry run: %s", err);
}

/* The victims as "name name ...", most important first. */
static const char *victims(const struct fix *f)
{
    static char buf[256];
    buf[0] = '\0';
    for (size_t i = 0; i < f->res.nvictims; i++) {
        char n[64];
        cluster_pod_name(f->c, f->res.victims[i], n, sizeof n);
        n[strlen(n) - 2] = '\0'; /* drop the "-0" ordinal: owners are named after the pod */
        strcat(buf, i ? " " : "");
        strcat(buf, n);
    }
    return buf;
}

/*
 * One worked case: nodes "cpu_m/mem/pods" (a trailing "/t": an untolerated
 * taint, i.e. UnschedulableAndUnresolvable), named node1, node2, ...; bound
 * pods "name:priority:cpu_m:mem@node:start_s"; the preemptor
 * "priority:cpu_m:mem"; then the expected outcome, node ("" for none),
 * victims (most important first) and PostFilter message.
 */
struct pf_case {
    const char *name;
    const char *nodes, *pods, *preemptor;
    enum preemption_outcome outcome;
    const char *node, *victims, *message;
};

#define NOT_HELPFUL "Preemption is not helpful for scheduling"
#define NO_VICTIMS  "No preemption victims found for incoming pod"

/*
 * Upstream's TestPostFilter hands PostFilter the failed cycle's statuses
 * (Unschedulable) for 200m nodes and a 300m pod. Here the filters compute
 * them, and a request above a node's allocatable is
 * UnschedulableAndUnresolvable (NodeResourcesFit), so those nodes are 400m
 * with a high-priority 200m pod ("h*") on them: Unschedulable at first,
 * still "Insufficient cpu" with the lower-priority pods gone.
 */
static const struct pf_case pf_cases[] = {
    {"TestPostFilter/pod with higher priority can be made schedulable", "0/0/1", "p1:0:0:0@node1:0",
     "1000:0:0", PREEMPTION_NOMINATED, "node1", "p1", ""},
    {"TestPostFilter/pod with tied priority is still unschedulable", "0/0/1", "p1:0:0:0@node1:0",
     "0:0:0", PREEMPTION_NO_CANDIDATE, "", "",
     "preemption: 0/1 nodes are available: 1 " NO_VICTIMS "."},
    {"TestPostFilter/preemption should respect filteredNodesStatuses", "0/0/1/t",
     "p1:0:0:0@node1:0", "1000:0:0", PREEMPTION_NO_CANDIDATE, "", "",
     "preemption: 0/1 nodes are available: 1 " NOT_HELPFUL "."},
    {"TestPostFilter/pod can be made schedulable on one node", "0/0/1 0/0/1",
     "p1:1000:0:0@node1:0 p2:0:0:0@node2:0", "100:0:0", PREEMPTION_NOMINATED, "node2", "p2", ""},
    {"TestPostFilter/no candidate nodes found, no enough resource after removing low priority "
     "pods",
     "400/400/110 400/400/110",
     "h1:1000:200:0@node1:0 h2:1000:200:0@node2:0 p1:0:0:0@node1:0 "
     "p2:0:0:0@node2:0",
     "1000:300:300", PREEMPTION_NO_CANDIDATE, "", "",
     "preemption: 0/2 nodes are available: 2 Insufficient cpu."},
    {"TestPostFilter/no candidate nodes found with mixed reasons, no lower priority pod and no "
     "enough CPU resource",
     "1000/1000/1 400/400/110 1000/1000/1",
     "p1:1000:0:0@node1:0 h2:1000:200:0@node2:0 p2:0:0:0@node2:0 p3:1000:0:0@node3:0",
     "1000:300:300", PREEMPTION_NO_CANDIDATE, "", "",
     "preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 " NO_VICTIMS "."},
    {"TestPostFilter/no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable "
     "nodes and 2 nodes don't have enough CPU resource",
     "400/400/110 400/400/110 400/400/110/t 400/400/110/t",
     "h1:1000:200:0@node1:0 h2:1000:200:0@node2:0 h3:1000:200:0@node3:0 h4:1000:200:0@node4:0 "
     "p1:0:0:0@node1:0 p2:0:0:0@node2:0",
     "1000:300:300", PREEMPTION_NO_CANDIDATE, "", "",
     "preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 " NOT_HELPFUL "."},
    /* All lower-priority pods go, then p1.1 (mid, first in importance) is
     * reprieved; p1.3 and p1.2 stay victims. node2 has none. */
    {"TestDryRunPreemption/mixed priority pods are preempted", "500/500/110 500/500/110",
     "p1.1:100:100:100@node1:0 p1.2:0:100:100@node1:0 p1.3:100:200:200@node1:0 "
     "p1.4:1000:100:100@node1:0 p2:1000:300:300@node2:0",
     "1000:300:300", PREEMPTION_NOMINATED, "node1", "p1.3 p1.2", ""},
    /* Reprieve order p1.3, p1.2 (start 4), p1.1 (start 5): p1.2 is kept. */
    {"TestDryRunPreemption/mixed priority pods are preempted, pick later StartTime one when "
     "priorities are equal",
     "500/500/110 500/500/110",
     "p1.1:0:100:100@node1:5 p1.2:0:100:100@node1:4 p1.3:100:200:200@node1:3 "
     "p1.4:1000:100:100@node1:2 p2:1000:300:300@node2:1",
     "1000:300:300", PREEMPTION_NOMINATED, "node1", "p1.3 p1.1", ""},
};

/* Builds a case's cluster; f->pod is the preemptor. */
static void build_case(struct fix *f, const struct pf_case *k)
{
    const char *s = k->nodes;
    long long cpu, mem, pods;
    int used;
    while (sscanf(s, " %lld/%lld/%lld%n", &cpu, &mem, &pods, &used) == 3) {
        s += used;
        int tainted = strncmp(s, "/t", 2) == 0;
        s += tainted ? 2 : 0;
        node(f, cpu, mem, pods, tainted);
    }
    char name[32], nd[32];
    int prio, start;
    s = k->pods;
    while (sscanf(s, " %31[^:]:%d:%lld:%lld@%31[^:]:%d%n", name, &prio, &cpu, &mem, nd, &start,
                  &used) == 6) {
        s += used;
        int32_t n = cluster_find_node(f->c, nd);
        assert_true(n >= 0);
        pod(f, name, prio, cpu, mem, n, start);
    }
    assert_int_equal(sscanf(k->preemptor, "%d:%lld:%lld", &prio, &cpu, &mem), 3);
    pod(f, "p", prio, cpu, mem, -1, 0);
}

static void test_postfilter_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pf_cases / sizeof pf_cases[0]; i++) {
        const struct pf_case *k = &pf_cases[i];
        struct fix f;
        fix_init(&f);
        build_case(&f, k);
        /* The node's pod list order survives the dry run exactly. */
        int32_t before[16], n = 0;
        for (int32_t q = f.c->nodes[0].pods_head; q >= 0; q = f.c->pods[q].node_next)
            before[n++] = q;
        run(&f);
        const char *node = f.res.node >= 0 ? f.c->nodes[f.res.node].name : "";
        if (f.res.outcome != k->outcome || strcmp(node, k->node) != 0 ||
            strcmp(victims(&f), k->victims) != 0 || strcmp(f.res.message, k->message) != 0)
            fail_msg("%s: got outcome %d node '%s' victims '%s' message '%s'", k->name,
                     f.res.outcome, node, victims(&f), f.res.message);
        int32_t i2 = 0;
        for (int32_t q = f.c->nodes[0].pods_head; q >= 0; q = f.c->pods[q].node_next)
            assert_int_equal(q, before[i2++]);
        assert_int_equal(i2, n);
        fix_release(&f);
    }
}

/* Candidates built by hand for preemption_pick: victims given as "prio@start" lists. */
static size_t pick(struct fix *f, const char *const *lists, size_t n)
{
    int32_t nd = node(f, 100000, 100000, 1000, 0);
    int32_t v[32];
    size_t off[8], count[8], nv = 0;
    for (size_t i = 0; i < n; i++) {
        off[i] = nv;
        count[i] = 0;
        const char *s = lists[i];
        int prio, start, used;
        while (sscanf(s, "%d@%d%n", &prio, &start, &used) == 2) {
            char name[32];
            snprintf(name, sizeof name, "v%zu", nv);
            v[nv++] = pod(f, name, prio, 1, 1, nd, start);
            count[i]++;
            s += used;
        }
    }
    return preemption_pick(f->c, n, v, off, count);
}

/*
 * pickOneNodeForPreemption (preemption.go): each criterion decides when the
 * ones before it tie. Lists are most important first, as SelectVictimsOnNode
 * returns them.
 */
static void test_pick_criteria(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f);
    /* 2: the lowest highest-priority victim. */
    const char *const by_top[] = {"10@0", "5@0 5@0 5@0"};
    assert_int_equal(pick(&f, by_top, 2), 1);
    /* 3: the smallest sum of priorities. */
    const char *const by_sum[] = {"5@0 5@0", "5@0 1@0"};
    assert_int_equal(pick(&f, by_sum, 2), 1);
    /* 3 with negative priorities: each is shifted by 2^31, so fewer pods win. */
    const char *const by_shift[] = {"-100@0 -100@0", "-100@0"};
    assert_int_equal(pick(&f, by_shift, 2), 1);
    /* 4: the fewest victims when the sums tie. */
    const char *const by_count[] = {"5@0 0@0 1@0", "5@0 1@0"};
    assert_int_equal(pick(&f, by_count, 2), 1);
    /* 5: the latest earliest start among the highest-priority victims. */
    const char *const by_start[] = {"5@10 1@50", "5@20 1@0", "5@30 5@15"};
    assert_int_equal(pick(&f, by_start, 3), 1);
    /* 6: the first candidate left. */
    const char *const first[] = {"5@7", "5@7"};
    assert_int_equal(pick(&f, first, 2), 0);
    fix_release(&f);
}

/* calculateNumCandidates (default_preemption_test.go TestCalculateNumCandidates). */
static void test_num_candidates(void **state)
{
    (void)state;
    struct kube_preemption_args def = {10, 100}, a40 = {40, 10}, abs0 = {40, 0};
    assert_int_equal(preemption_num_candidates(&def, 0), 0);
    assert_int_equal(preemption_num_candidates(&def, 50), 50);    /* fewer than the absolute */
    assert_int_equal(preemption_num_candidates(&def, 1000), 100); /* 10% = 100 */
    assert_int_equal(preemption_num_candidates(&def, 5000), 500); /* 10% > 100 */
    assert_int_equal(preemption_num_candidates(&a40, 20), 10);    /* 8 < 10 */
    assert_int_equal(preemption_num_candidates(&a40, 1000), 400); /* 40% */
    assert_int_equal(preemption_num_candidates(&abs0, 9), 3);     /* 3.6 truncated */
}

/* PodEligibleToPreemptOthers: preemptionPolicy Never. */
static void test_eligible_never(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f);
    int32_t n1 = node(&f, 0, 0, 1, 0);
    pod(&f, "p1", LOW, 0, 0, n1, 0);
    int32_t p = pod(&f, "p", HIGH, 0, 0, -1, 0);
    f.c->owners[f.c->pods[p].owner].spec.preempt_never = 1;
    assert_int_equal(preemption_may_help(f.fw, f.c, p), 0);
    run(&f);
    assert_int_equal(f.res.outcome, PREEMPTION_NOT_ELIGIBLE);
    assert_string_equal(f.res.message, "preemption: not eligible due to preemptionPolicy=Never.");
    fix_release(&f);
}

/*
 * PodEligibleToPreemptOthers: a lower-priority pod terminating on the
 * nominated node makes the pod wait; when that node is
 * UnschedulableAndUnresolvable for it, it may preempt again.
 */
static void test_eligible_nominated_terminating(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f);
    int32_t n1 = node(&f, 0, 0, 1, 0);
    int32_t v = pod(&f, "v", LOW, 0, 0, n1, 0);
    int32_t p = pod(&f, "p", HIGH, 0, 0, -1, 0);
    cluster_mark_terminating(f.c, v);
    f.c->pods[p].nominated = n1;
    assert_int_equal(preemption_may_help(f.fw, f.c, p), 1);
    run(&f);
    assert_int_equal(f.res.outcome, PREEMPTION_NOT_ELIGIBLE);
    assert_string_equal(f.res.message, "preemption: not eligible due to a terminating pod on the "
                                       "nominated node.");
    /* Tainted now, the nominated node is Unresolvable: eligible again, and no candidate. */
    int32_t n2 = node(&f, 0, 0, 1, 1);
    f.c->pods[p].nominated = n2;
    cluster_bind(f.c, cluster_new_pod(f.c, f.c->pods[v].owner, 0), n2, 0);
    cluster_mark_terminating(f.c, f.c->nodes[n2].pods_head);
    run(&f);
    assert_int_equal(f.res.outcome, PREEMPTION_NOMINATED);
    assert_int_equal(f.res.node, n1);
    fix_release(&f);
}

/* No lower-priority pod anywhere: O(1) answer, no dry run, the upstream message. */
static void test_no_lower_priority(void **state)
{
    (void)state;
    struct fix f;
    fix_init(&f);
    int32_t n1 = node(&f, 0, 0, 1, 0);
    pod(&f, "p1", HIGH, 0, 0, n1, 0);
    int32_t p = pod(&f, "p", HIGH, 0, 0, -1, 0);
    assert_int_equal(cluster_lowest_priority(f.c), HIGH);
    assert_int_equal(preemption_may_help(f.fw, f.c, p), 0);
    uint32_t v = f.c->nodes[n1].version;
    run(&f);
    assert_int_equal(f.c->nodes[n1].version, v); /* nothing detached */
    assert_string_equal(f.res.message, "preemption: 0/1 nodes are available: 1 No preemption "
                                       "victims found for incoming pod.");
    fix_release(&f);
}

/*
 * The dry run sees PodTopologySpread as if the victims were gone (upstream:
 * PreFilterExtensions.RemovePod / AddPod on the cycle state). node-a holds
 * two low-priority foo pods, node-b none but an untolerated taint. The
 * incoming high-priority foo pod (maxSkew 1 by hostname, DoNotSchedule)
 * fails on node-a (skew 3) and node-b (taint). With both foo pods gone
 * node-a passes (skew 1); giving one back makes it 2 again, so both are
 * victims. Counts kept from the failed cycle would say skew 3 and find no
 * candidate.
 */
static void test_dry_run_topology_spread(void **state)
{
    (void)state;
    struct kubefix *kf = kubefix_new();
    int32_t a = kubefix_node(kf, "node-a", "kubernetes.io/hostname=node-a", NULL);
    kubefix_node(kf, "node-b", "kubernetes.io/hostname=node-b", "k=v:NoSchedule");
    int32_t low =
        kubefix_owner(kf, OWNER_BATCH, "{metadata: {labels: {foo: ''}}, spec: {containers: []}}");
    kubefix_bind(kf, low, "node-a", 2);
    int32_t o = kubefix_incoming(
        kf, OWNER_BATCH,
        "{metadata: {labels: {foo: ''}}, spec: {priority: 1000, containers: [], "
        "topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, "
        "whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: foo, "
        "operator: Exists}]}}]}}");
    struct fix f;
    fix_init(&f);
    cluster_free(f.c);
    f.c = kf->c;
    f.pod = kf->c->owners[o].pods_head;
    run(&f);
    assert_int_equal(f.res.outcome, PREEMPTION_NOMINATED);
    assert_int_equal(f.res.node, a);
    assert_int_equal(f.res.nvictims, 2);
    f.c = cluster_new();
    fix_release(&f);
    kubefix_free(kf);
}

/*
 * DefaultPreemptionArgs from pluginConfig reach the dry run: with
 * minCandidateNodesPercentage 0 and minCandidateNodesAbsolute 1 the search
 * stops at the first candidate (offset 0 here: node1, whose victim has
 * priority 50), where the default args look at both nodes and pick node2
 * (victim priority 10).
 */
static void test_args_num_candidates(void **state)
{
    (void)state;
    static const char cfg[] =
        "{apiVersion: kubescheduler.config.k8s.io/v1, kind: KubeSchedulerConfiguration, "
        "profiles: [{pluginConfig: [{name: DefaultPreemption, args: "
        "{minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 1}}]}]}";
    for (int custom = 0; custom < 2; custom++) {
        struct fix f;
        fix_init(&f);
        if (custom) {
            struct diag d = {0};
            struct ytree *t = ytree_load_string("cfg.yaml", cfg, strlen(cfg), &d);
            assert_non_null(t);
            framework_free(f.fw);
            kube_config_release(&f.cfg);
            assert_int_equal(kubeconfig_read(t->docs[0], &f.cfg, &d), 0);
            ytree_free(t);
            assert_int_equal(f.cfg.profiles[0].args.preemption.min_candidate_nodes_absolute, 1);
            char err[256];
            f.fw = framework_new(&f.cfg.profiles[0], 0, KUBE_TIE_FIRST, NULL, err, sizeof err);
            assert_non_null(f.fw);
        }
        int32_t n1 = node(&f, 0, 0, 1, 0), n2 = node(&f, 0, 0, 1, 0);
        pod(&f, "v1", 50, 0, 0, n1, 0);
        pod(&f, "v2", 10, 0, 0, n2, 0);
        pod(&f, "p", HIGH, 0, 0, -1, 0);
        run(&f);
        assert_int_equal(f.res.outcome, PREEMPTION_NOMINATED);
        assert_int_equal(f.res.node, custom ? n1 : n2);
        fix_release(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postfilter_cases),
        cmocka_unit_test(test_dry_run_topology_spread),
        cmocka_unit_test(test_pick_criteria),
        cmocka_unit_test(test_num_candidates),
        cmocka_unit_test(test_args_num_candidates),
        cmocka_unit_test(test_eligible_never),
        cmocka_unit_test(test_eligible_nominated_terminating),
        cmocka_unit_test(test_no_lower_priority),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
