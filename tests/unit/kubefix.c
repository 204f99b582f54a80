#include "kubefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cluster/topoindex.h"
#include "sim/base/xalloc.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/ytree.h"

struct kubefix *kubefix_new(void)
{
    struct kubefix *kf = xcalloc(1, sizeof *kf);
    kf->c = cluster_new();
    kf->ti = topoindex_of(kf->c);
    return kf;
}

void kubefix_free(struct kubefix *kf)
{
    char err[256];
    if (cluster_check(kf->c, err, sizeof err)) {
        fprintf(stderr, "cluster inconsistent: %s\n", err);
        abort();
    }
    cluster_free(kf->c);
    free(kf);
}

int32_t kubefix_node(struct kubefix *kf, const char *name, const char *labels, const char *taint)
{
    struct labelset ls;
    labelset_init(&ls);
    char *buf = xstrdup(labels);
    for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (eq)
            *eq = '\0';
        labelset_set(&ls, kv, eq ? eq + 1 : "");
    }
    free(buf);
    struct taint t = {0};
    char tbuf[128];
    if (taint) {
        snprintf(tbuf, sizeof tbuf, "%s", taint);
        char *colon = strchr(tbuf, ':'), *eq = strchr(tbuf, '=');
        *colon = '\0';
        t.effect = (enum taint_effect)taint_effect_parse(colon + 1);
        t.value = (char *)"";
        if (eq) {
            *eq = '\0';
            t.value = eq + 1;
        }
        t.key = tbuf;
    }
    struct resources alloc;
    res_zero(&alloc);
    alloc.v[RES_CPU] = 8000;
    alloc.v[RES_PODS] = 110;
    int32_t id =
        cluster_add_node(kf->c, name, -1, &alloc, &ls, taint ? &t : NULL, taint ? 1 : 0, 0);
    labelset_release(&ls);
    return id;
}

int32_t kubefix_owner(struct kubefix *kf, enum owner_kind kind, const char *yaml)
{
    struct diag d = {0};
    struct ytree *t = ytree_load_string("pod.yaml", yaml, strlen(yaml), &d);
    struct podspec ps;
    podspec_init(&ps);
    if (!t ||
        manifest_read_podspec(ynode_get(t->docs[0], "spec"), "spec", &kf->c->resnames, &ps, &d)) {
        fprintf(stderr, "%s\n", d.text);
        abort();
    }
    const struct ynode *md = ynode_get(t->docs[0], "metadata");
    labelset_release(&ps.labels);
    if (manifest_read_labels(ynode_get(md, "labels"), "labels", &ps.labels, &d))
        abort();
    const struct ynode *ns = ynode_get(md, "namespace");
    if (ns)
        ps.namespace = xstrdup(ns->str);
    char name[32];
    snprintf(name, sizeof name, "o%zu", kf->c->nowners);
    int32_t id = cluster_add_owner(kf->c, kind, name, &ps, 0);
    podspec_release(&ps);
    ytree_free(t);
    return id;
}

void kubefix_bind(struct kubefix *kf, int32_t owner, const char *node, int n)
{
    int32_t nid = cluster_find_node(kf->c, node);
    if (nid < 0)
        abort();
    for (int i = 0; i < n; i++)
        cluster_bind(kf->c, cluster_new_pod(kf->c, owner, 0), nid, 0);
}

int32_t kubefix_incoming(struct kubefix *kf, enum owner_kind kind, const char *yaml)
{
    int32_t o = kubefix_owner(kf, kind, yaml);
    cluster_new_pod(kf->c, o, 0);
    return o;
}

size_t kubefix_nodes(struct kubefix *kf, const char *names, int32_t *out, size_t max)
{
    size_t n = 0;
    char *buf = xstrdup(names);
    for (char *save = NULL, *s = strtok_r(buf, ",", &save); s && n < max;
         s = strtok_r(NULL, ",", &save)) {
        out[n] = cluster_find_node(kf->c, s);
        if (out[n] < 0)
            abort();
        n++;
    }
    free(buf);
    return n;
}
