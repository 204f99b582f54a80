/*
 * Worked kube-scheduler examples as data: every .json file under
 * tests/cases/kube holds {"source": ..., "cases": [...]}, each case derived
 * from an upstream test or formula and naming it ("upstream"). A case gives
 * v1 Nodes, existing v1 Pods (bound through spec.nodeName), the pod to
 * place, an optional KubeSchedulerConfiguration ("config"; the file's
 * "config" is the default) and the expected explain output: per node the
 * filter status, failing plugin and reasons, per score plugin [raw,
 * normalized], the total; the feasible list, the selected node, the FitError
 * message, and which score plugins PreScore skipped. Only what a case lists
 * is compared, but all of it exactly.
 *
 * A case with "numFeasibleNodesToFind": {"nodes", "percentage", "expect"}
 * checks the sampling formula instead.
 *
 * Every case also runs the fast path (framework_schedule on a fresh
 * framework, framework_fit_error) and checks it agrees with explain.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kube/framework.h"
#include "models/kube/profile.h"
#include "sim/cluster/cluster.h"
#include "sim/engine/rng.h"
#include "sim/io/kube/kubeconfig.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/kube/manifest_pod_affinity.h"
#include "sim/io/schema.h"
#include "sim/io/ytree.h"

#define CASES_DIR "tests/cases/kube"

static int ncases, failures;
static const char *cur_file, *cur_case;

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    print_message("FAIL %s: %s: %s\n", cur_file, cur_case, buf);
    failures++;
}

static const char *sval(const struct ynode *n, const char *key)
{
    const struct ynode *v = ynode_get(n, key);
    return v && v->kind == YNODE_SCALAR && !ynode_is_null(v) ? v->str : NULL;
}

static long long ival(const struct ynode *v)
{
    return v && v->kind == YNODE_SCALAR ? strtoll(v->str, NULL, 10) : -99999;
}

/* Adds one pod (metadata + spec) as its own owner; binds it when spec.nodeName names a node. */
static int32_t add_pod(struct cluster *c, const struct ynode *obj, int bind, struct diag *d)
{
    struct podspec ps;
    const struct ynode *md = ynode_get(obj, "metadata");
    const char *name = sval(md, "name");
    if (manifest_read_podspec(ynode_get(obj, "spec"), "spec", &c->resnames, &ps, d))
        return -1;
    labelset_release(&ps.labels);
    if (manifest_read_labels(ynode_get(md, "labels"), "labels", &ps.labels, d))
        return -1;
    const char *ns = sval(md, "namespace");
    if (ns)
        ps.namespace = strdup(ns);
    if (manifest_read_pod_owner(md, &ps, d))
        return -1;
    const char *node = ps.node_name;
    char *nodecopy = node ? strdup(node) : NULL;
    /* Each pod is its own owner; one naming a ReplicaSet in ownerReferences
     * gets the default spread constraints through ps.replicaset, others
     * none (upstream's DefaultSelector is empty for them). */
    int32_t owner = cluster_add_owner(c, OWNER_BATCH, name ? name : "pod", &ps, 1);
    int32_t pod = cluster_new_pod(c, owner, 0);
    if (bind && nodecopy) {
        int32_t n = cluster_find_node(c, nodecopy);
        if (n < 0) {
            failf("existing pod names unknown node %s", nodecopy);
            free(nodecopy);
            return -1;
        }
        cluster_bind(c, pod, n, 0);
    }
    free(nodecopy);
    return pod;
}

static struct cluster *build(const struct ynode *cs, int32_t *pod, struct diag *d)
{
    struct cluster *c = cluster_new();
    const struct ynode *nodes = ynode_get(cs, "nodes");
    for (size_t i = 0; nodes && i < nodes->n; i++) {
        struct manifest_node mn;
        if (manifest_read_node(nodes->items[i], &c->resnames, &mn, d))
            goto fail;
        int32_t id = cluster_add_node(c, mn.name, -1, &mn.alloc, &mn.labels, mn.taints, mn.ntaints,
                                      mn.unschedulable);
        cluster_set_node_images(c, id, mn.images, mn.nimages);
        manifest_node_release(&mn);
    }
    const struct ynode *pods = ynode_get(cs, "pods");
    for (size_t i = 0; pods && i < pods->n; i++)
        if (add_pod(c, pods->items[i], 1, d) < 0)
            goto fail;
    *pod = add_pod(c, ynode_get(cs, "pod"), 0, d);
    if (*pod < 0)
        goto fail;
    return c;
fail:
    cluster_free(c);
    return NULL;
}

static const char *node_name(const struct cluster *c, int32_t id)
{
    return id < 0 ? "null" : c->nodes[id].name;
}

static void check_node(const struct cluster *c, const struct kube_explain *e,
                       const struct kube_node_explain *ne, const struct ynode *want)
{
    const char *nm = c->nodes[ne->node].name;
    const char *st = sval(want, "status");
    if (st && strcmp(st, kube_code_names[ne->code]) != 0)
        failf("node %s: status %s, want %s", nm, kube_code_names[ne->code], st);
    const char *pl = sval(want, "plugin");
    if (pl && (!ne->plugin || strcmp(pl, ne->plugin) != 0))
        failf("node %s: failing plugin %s, want %s", nm, ne->plugin ? ne->plugin : "none", pl);
    const struct ynode *rs = ynode_get(want, "reasons");
    if (rs) {
        int ok = rs->n == ne->nreasons;
        for (size_t i = 0; ok && i < rs->n; i++)
            ok = strcmp(rs->items[i]->str, ne->reasons[i]) == 0;
        if (!ok)
            failf("node %s: reasons [%s%s] (%zu), want [%s] (%zu)", nm,
                  ne->nreasons ? ne->reasons[0] : "", ne->nreasons > 1 ? ", ..." : "", ne->nreasons,
                  rs->n ? rs->items[0]->str : "", rs->n);
    }
    const struct ynode *sc = ynode_get(want, "scores");
    for (size_t i = 0; sc && i < sc->n; i++) {
        const char *plugin = sc->pairs[i].key->str;
        const struct ynode *v = sc->pairs[i].value;
        size_t s = 0;
        while (s < e->nscore && strcmp(e->score_names[s], plugin) != 0)
            s++;
        if (s == e->nscore || !ne->scored || e->skipped[s]) {
            failf("node %s: no %s score", nm, plugin);
            continue;
        }
        if (ival(v->items[0]) != ne->raw[s] || ival(v->items[1]) != ne->normalized[s])
            failf("node %s: %s raw/normalized %lld/%lld, want %s/%s", nm, plugin,
                  (long long)ne->raw[s], (long long)ne->normalized[s], v->items[0]->str,
                  v->items[1]->str);
    }
    const struct ynode *tot = ynode_get(want, "total");
    if (tot && ival(tot) != ne->total)
        failf("node %s: total %lld, want %s", nm, (long long)ne->total, tot->str);
}

static void check_explain(const struct cluster *c, const struct kube_explain *e,
                          const struct ynode *want)
{
    const struct ynode *nodes = ynode_get(want, "nodes");
    for (size_t i = 0; nodes && i < nodes->n; i++) {
        const char *nm = nodes->pairs[i].key->str;
        const struct kube_node_explain *ne = NULL;
        for (size_t k = 0; k < e->nnodes && !ne; k++)
            if (strcmp(c->nodes[e->nodes[k].node].name, nm) == 0)
                ne = &e->nodes[k];
        if (!ne)
            failf("node %s was not visited", nm);
        else
            check_node(c, e, ne, nodes->pairs[i].value);
    }
    const struct ynode *fe = ynode_get(want, "feasible");
    if (fe) {
        int ok = fe->n == e->nfeasible;
        for (size_t i = 0; ok && i < fe->n; i++)
            ok = strcmp(fe->items[i]->str, node_name(c, e->feasible[i])) == 0;
        if (!ok)
            failf("feasible: %zu nodes, want %zu", e->nfeasible, fe->n);
    }
    const struct ynode *sel = ynode_get(want, "selected");
    if (sel) {
        const char *w = ynode_is_null(sel) ? "null" : sel->str;
        if (strcmp(w, node_name(c, e->selected)) != 0)
            failf("selected %s, want %s", node_name(c, e->selected), w);
    }
    const struct ynode *msg = ynode_get(want, "message");
    if (msg) {
        const char *w = ynode_is_null(msg) ? NULL : msg->str;
        if ((w == NULL) != (e->message == NULL) || (w && strcmp(w, e->message) != 0))
            failf("message \"%s\", want \"%s\"", e->message ? e->message : "null", w ? w : "null");
    }
    const struct ynode *sk = ynode_get(want, "skipped");
    for (size_t i = 0; sk && i < sk->n; i++) {
        size_t s = 0;
        while (s < e->nscore && strcmp(e->score_names[s], sk->items[i]->str) != 0)
            s++;
        if (s == e->nscore || !e->skipped[s])
            failf("%s was not skipped", sk->items[i]->str);
    }
}

static void run_case(const struct ynode *cs, const struct ynode *file)
{
    ncases++;
    const struct ynode *nf = ynode_get(cs, "numFeasibleNodesToFind");
    if (nf) {
        int64_t got = kube_num_feasible_nodes_to_find((int32_t)ival(ynode_get(nf, "percentage")),
                                                      ival(ynode_get(nf, "nodes")));
        if (got != ival(ynode_get(nf, "expect")))
            failf("numFeasibleNodesToFind = %lld, want %s", (long long)got, sval(nf, "expect"));
        return;
    }
    struct diag d;
    memset(&d, 0, sizeof d);
    struct kube_config cfg;
    const struct ynode *cn = ynode_get(cs, "config");
    if (!cn)
        cn = ynode_get(file, "config");
    if (cn) {
        if (kubeconfig_read(cn, &cfg, &d)) {
            failf("config: %s", d.text);
            return;
        }
    } else {
        kube_config_default(&cfg);
    }
    int32_t pod;
    struct cluster *c = build(cs, &pod, &d);
    if (!c) {
        failf("snapshot: %s", d.text);
        kube_config_release(&cfg);
        return;
    }
    const char *tie = sval(cs, "tieBreak");
    enum kube_tiebreak tb = tie && strcmp(tie, "random") == 0 ? KUBE_TIE_RANDOM : KUBE_TIE_FIRST;
    struct rng *r1 = rng_new(1), *r2 = rng_new(1);
    char err[256];
    struct framework *fw = framework_new(&cfg.profiles[0], cfg.percentage, tb,
                                         rng_stream(r1, "kube"), err, sizeof err);
    struct framework *fw2 = framework_new(&cfg.profiles[0], cfg.percentage, tb,
                                          rng_stream(r2, "kube"), err, sizeof err);
    if (!fw || !fw2) {
        failf("framework: %s", err);
    } else {
        struct kube_explain e;
        int32_t sel = framework_explain(fw, c, pod, &e);
        check_explain(c, &e, ynode_get(cs, "expect"));
        int32_t fast = framework_schedule(fw2, c, pod);
        if (fast != sel)
            failf("fast path chose %s, explain %s", node_name(c, fast), node_name(c, sel));
        if (sel < 0 && e.message) {
            char buf[2048];
            framework_fit_error(fw2, c, pod, buf, sizeof buf);
            if (strcmp(buf, e.message) != 0)
                failf("fit error \"%s\" differs from explain's", buf);
        }
        kube_explain_release(&e);
    }
    framework_free(fw);
    framework_free(fw2);
    rng_free(r1);
    rng_free(r2);
    cluster_free(c);
    kube_config_release(&cfg);
}

static void test_cases(void **state)
{
    (void)state;
    char *names[256];
    size_t n = testutil_list_files(CASES_DIR, ".json", names, 256);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CASES_DIR, names[i]);
        cur_file = path;
        cur_case = "(file)";
        struct diag d;
        memset(&d, 0, sizeof d);
        struct ytree *t = ytree_load_file(path, &d);
        if (!t || t->ndocs == 0 || !t->docs[0]) {
            failf("cannot read: %s", d.text);
        } else {
            const struct ynode *cases = ynode_get(t->docs[0], "cases");
            for (size_t k = 0; cases && k < cases->n; k++) {
                cur_case = sval(cases->items[k], "name");
                if (!cur_case)
                    cur_case = "(unnamed)";
                if (!sval(cases->items[k], "upstream"))
                    failf("case does not name its upstream source");
                run_case(cases->items[k], t->docs[0]);
            }
        }
        ytree_free(t);
        free(names[i]);
    }
    print_message("%d kube cases, %d failures\n", ncases, failures);
    assert_true(ncases >= 45);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
