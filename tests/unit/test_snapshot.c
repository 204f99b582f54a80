/*
 * The snapshot reader behind `ksim score`: Nodes and Pods as kubectl prints
 * them, bound pods accounted on their nodes, the pod to place, and every
 * error with its exact message and position.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/cluster/cluster.h"
#include "sim/io/kube/snapshot.h"

/* kubectl get nodes,pods -A -o yaml, trimmed: a List with fields ksim ignores. */
static const char kubectl_list[] =
    "apiVersion: v1\n"
    "kind: List\n"
    "metadata: {resourceVersion: \"\"}\n"
    "items:\n"
    "- apiVersion: v1\n"
    "  kind: Node\n"
    "  metadata:\n"
    "    name: n1\n"
    "    labels: {kubernetes.io/hostname: n1, zone: a}\n"
    "    managedFields:\n"
    "    - {apiVersion: v1, fieldsType: FieldsV1, manager: kubelet, operation: Update}\n"
    "    annotations: {node.alpha.kubernetes.io/ttl: \"0\"}\n"
    "  spec:\n"
    "    podCIDR: 10.244.0.0/24\n"
    "    taints: [{key: dedicated, value: gpu, effect: NoSchedule}]\n"
    "  status:\n"
    "    capacity: {cpu: \"8\", memory: 32Gi, pods: \"110\"}\n"
    "    allocatable: {cpu: 7500m, memory: 30Gi, pods: \"110\"}\n"
    "    conditions: [{type: Ready, status: \"True\"}]\n"
    "- apiVersion: v1\n"
    "  kind: Node\n"
    "  metadata: {name: n2}\n"
    "  spec: {unschedulable: true}\n"
    "  status:\n"
    "    capacity: {cpu: \"4\", memory: 16Gi, pods: \"10\"}\n"
    "- apiVersion: v1\n"
    "  kind: Pod\n"
    "  metadata: {name: web-1, namespace: shop, labels: {app: web}, uid: abc}\n"
    "  spec:\n"
    "    nodeName: n1\n"
    "    containers:\n"
    "    - name: c\n"
    "      image: nginx\n"
    "      resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: \"1\"}}\n"
    "  status: {phase: Running, podIP: 10.0.0.1}\n"
    "- apiVersion: v1\n"
    "  kind: Pod\n"
    "  metadata: {name: job-1, namespace: shop}\n"
    "  spec:\n"
    "    nodeName: n1\n"
    "    containers: [{name: c, resources: {requests: {cpu: \"3\"}}}]\n"
    "  status: {phase: Succeeded}\n"
    "- apiVersion: v1\n"
    "  kind: Pod\n"
    "  metadata: {name: old, deletionTimestamp: \"2026-01-01T00:00:00Z\"}\n"
    "  spec:\n"
    "    nodeName: n2\n"
    "    containers: [{name: c, resources: {requests: {cpu: \"1\"}}}]\n"
    "- apiVersion: v1\n"
    "  kind: Service\n"
    "  metadata: {name: web}\n"
    "- apiVersion: v1\n"
    "  kind: Pod\n"
    "  metadata: {name: p1, labels: {app: new}}\n"
    "  spec:\n"
    "    schedulerName: my-scheduler\n"
    "    priority: 7\n"
    "    containers: []\n";

static void test_kubectl_list(void **state)
{
    (void)state;
    const char *f = testutil_write_temp("list.yaml", kubectl_list);
    struct snapshot s;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &f, 1, NULL, NULL, &d), 0);
    const struct cluster *c = s.cluster;
    assert_int_equal(c->nnodes, 2);
    assert_string_equal(c->nodes[0].name, "n1");
    assert_int_equal(c->nodes[0].alloc.v[RES_CPU], 7500);
    assert_int_equal(c->nodes[0].ntaints, 1);
    assert_string_equal(labelset_get(&c->nodes[0].labels, "zone"), "a");
    assert_int_equal(c->nodes[1].alloc.v[RES_CPU], 4000); /* capacity when no allocatable */
    assert_int_equal(c->nodes[1].unschedulable, 1);
    /* The Succeeded job is left out; web-1 and the terminating pod still hold resources. */
    assert_int_equal(s.npods, 3);
    assert_int_equal(c->nodes[0].used.v[RES_CPU], 500);
    assert_int_equal(c->nodes[0].used.v[RES_MEMORY], 1024LL * 1024 * 1024);
    assert_int_equal(c->nodes[0].used.v[RES_PODS], 1);
    assert_int_equal(c->nodes[1].used.v[RES_CPU], 1000);
    assert_string_equal(s.pods[0].namespace, "shop");
    assert_int_equal(s.pods[0].node, 0);
    assert_int_equal(s.pods[0].terminating, 0);
    assert_int_equal(s.pods[1].terminating, 1);
    assert_int_equal(c->owners[c->pods[s.pods[1].pod].owner].spec.terminating, 1);
    assert_int_equal(c->owners[c->pods[s.pods[0].pod].owner].spec.terminating, 0);
    assert_string_equal(s.pods[1].namespace, "default");
    /* The pod to place: the only one without spec.nodeName. */
    assert_int_equal(s.target, 2);
    const struct snapshot_pod *t = &s.pods[s.target];
    assert_string_equal(t->name, "p1");
    assert_int_equal(t->node, -1);
    assert_string_equal(t->scheduler_name, "my-scheduler");
    const struct pod *p = &c->pods[t->pod];
    assert_int_equal(p->phase, POD_PENDING);
    const struct podspec *ps = &c->owners[p->owner].spec;
    assert_int_equal(ps->req.v[RES_CPU], 0); /* containers: [] requests nothing */
    assert_int_equal(ps->req.v[RES_PODS], 1);
    assert_int_equal(ps->priority, 7);
    assert_string_equal(labelset_get(&ps->labels, "app"), "new");
    assert_string_equal(podspec_namespace(&c->owners[c->pods[s.pods[0].pod].owner].spec), "shop");
    assert_null(s.config);
    char name[64];
    snapshot_pod_name(&s, 0, name, sizeof name);
    assert_string_equal(name, "shop/web-1");
    snapshot_release(&s);
}

static const char two_pending[] =
    "kind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: \"2\", pods: \"4\"}}\n"
    "---\n"
    "kind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n"
    "---\n"
    "kind: Pod\nmetadata: {name: b, namespace: x}\nspec: {nodeName: n1, containers: []}\n"
    "---\n"
    "kind: Pod\nmetadata: {name: b}\nspec: {containers: []}\n";

static void test_pick_pod(void **state)
{
    (void)state;
    const char *f = testutil_write_temp("two.yaml", two_pending);
    struct snapshot s;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &f, 1, NULL, NULL, &d), -1);
    char want[512];
    snprintf(want, sizeof want,
             "%s:14:18: more than one pod without spec.nodeName ('default/a' at %s:6:18 and "
             "'default/b'): choose one with --pod",
             f, f);
    assert_string_equal(d.text, want);

    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &f, 1, NULL, "b", &d), -1);
    assert_string_equal(d.text, "pod name 'b' is ambiguous: 'x/b' and 'default/b' (use --pod "
                                "NAMESPACE/NAME)");

    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &f, 1, NULL, "default/c", &d), -1);
    assert_string_equal(d.text, "no pod 'default/c' in the input");

    /* --pod may name a bound pod: it is placed anew, not bound. */
    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &f, 1, NULL, "x/b", &d), 0);
    assert_string_equal(s.pods[s.target].name, "b");
    assert_string_equal(s.pods[s.target].namespace, "x");
    assert_int_equal(s.pods[s.target].node, -1);
    assert_int_equal(s.cluster->nodes[0].used.v[RES_PODS], 0);
    snapshot_release(&s);

    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &f, 1, NULL, "a", &d), 0);
    assert_int_equal(s.target, 0);
    assert_int_equal(s.cluster->nodes[0].used.v[RES_PODS], 1); /* x/b is bound */
    snapshot_release(&s);
}

struct bad {
    const char *text;
    const char *want; /* after "<file>:" */
};

static void test_errors(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        {"kind: Node\nmetadata: {name: n1}\nstatus: {capacity: {pods: \"1\"}}\n---\n"
         "kind: Node\nmetadata: {name: n1}\nstatus: {capacity: {pods: \"1\"}}\n",
         "6:18: duplicate node name 'n1'"},
        {"kind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n---\n"
         "kind: Pod\nmetadata: {name: p, namespace: default}\nspec: {containers: []}\n",
         "6:18: duplicate pod 'default/p' (first at %s:2:18)"},
        {"kind: Pod\nmetadata: {name: p}\nspec: {nodeName: n9, containers: []}\n---\n"
         "kind: Pod\nmetadata: {name: q}\nspec: {containers: []}\n",
         "3:18: pod 'default/p' is bound to node 'n9', which is not in the input"},
        {"kind: Node\nmetadata: {name: n1}\nstatus: {capacity: {pods: \"1\"}}\n",
         " no pod without spec.nodeName to place (name one with --pod)"},
        {"kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - resources: {requests: "
         "{cpu: lots}}\n",
         "5:33: cpu: invalid quantity 'lots': missing number"},
        {"apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n---\n"
         "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n",
         "4:1: a second KubeSchedulerConfiguration (the first is at %s:1:1)"},
        {"metadata: {name: x}\n", "1:1: missing required key 'kind' in object"},
        {"kind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: []}\n",
         "2:18: metadata.name: invalid name 'Bad_Name': must be lowercase letters, digits, '-' or "
         "'.'"},
        {"kind: Pod\nmetadata: {name: p}\nspec: {containers: [}\n",
         "3:21: invalid YAML: did not find expected node content while parsing a flow node"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *f = testutil_write_temp("bad.yaml", cases[i].text);
        struct snapshot s;
        struct diag d;
        diag_clear(&d);
        assert_int_equal(snapshot_load(&s, &f, 1, NULL, NULL, &d), -1);
        char tail[512], want[1024];
        snprintf(tail, sizeof tail, cases[i].want, f);
        snprintf(want, sizeof want, "%s:%s", f, tail);
        assert_string_equal(d.text, want);
    }
}

static void test_config(void **state)
{
    (void)state;
    const char *snap = testutil_write_temp(
        "snap.yaml", "kind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 10\n---\n"
                     "kind: Node\nmetadata: {name: n1}\nstatus: {capacity: {pods: \"1\"}}\n---\n"
                     "kind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n");
    struct snapshot s;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &snap, 1, NULL, NULL, &d), 0);
    assert_non_null(s.config);
    assert_int_equal(s.config->line, 1);
    snapshot_release(&s);

    /* --config replaces the snapshot's configuration. */
    const char *cfg =
        testutil_write_temp("cfg.yaml", "# mine\napiVersion: kubescheduler.config.k8s.io/v1\n"
                                        "kind: KubeSchedulerConfiguration\n");
    char cfgpath[512];
    snprintf(cfgpath, sizeof cfgpath, "%s", cfg);
    snap = testutil_write_temp(
        "snap.yaml", "kind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 10\n---\n"
                     "kind: Node\nmetadata: {name: n1}\nstatus: {capacity: {pods: \"1\"}}\n---\n"
                     "kind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n");
    diag_clear(&d);
    assert_int_equal(snapshot_load(&s, &snap, 1, cfgpath, NULL, &d), 0);
    assert_string_equal(s.config->file, cfgpath);
    assert_int_equal(s.config->line, 2);
    snapshot_release(&s);

    diag_clear(&d);
    const char *missing = "/nonexistent/cfg.yaml";
    assert_int_equal(snapshot_load(&s, &snap, 1, missing, NULL, &d), -1);
    assert_string_equal(d.text, "/nonexistent/cfg.yaml: cannot open: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kubectl_list),
        cmocka_unit_test(test_pick_pod),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
