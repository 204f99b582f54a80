#include "sim/io/kube/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kube/framework.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"
#include "sim/engine/rng.h"
#include "sim/io/kube/kubeconfig.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/kube/manifest_pod_affinity.h"
#include "sim/io/schema.h"

/* A Pod object seen while reading, processed once every Node is known. */
struct pending_pod {
    const struct ynode *obj;
    const char *name, *namespace, *node_name;
    const struct ynode *node_at; /* spec.nodeName, for messages */
    int terminating;
    const char *scheduler_name;
    const struct ynode *scheduler_at;
};

struct loader {
    struct snapshot *s;
    struct pending_pod *pods;
    size_t npods, pods_cap;
    const struct ynode *config;
    int config_from_flag;
};

static const struct ynode *name_node(const struct ynode *obj)
{
    return ynode_get(ynode_get(obj, "metadata"), "name");
}

static int add_node(struct loader *L, const struct ynode *obj, struct diag *d)
{
    struct cluster *c = L->s->cluster;
    struct manifest_node mn;
    if (manifest_read_node(obj, &c->resnames, &mn, d)) {
        manifest_node_release(&mn);
        return -1;
    }
    int32_t dup = cluster_find_node(c, mn.name);
    if (dup >= 0) {
        const struct ynode *nm = name_node(obj);
        diag_set(d, nm->file, nm->line, nm->col, "duplicate node name '%s'", mn.name);
        manifest_node_release(&mn);
        return -1;
    }
    int32_t id = cluster_add_node(c, mn.name, -1, &mn.alloc, &mn.labels, mn.taints, mn.ntaints,
                                  mn.unschedulable);
    cluster_set_node_images(c, id, mn.images, mn.nimages);
    manifest_node_release(&mn);
    return 0;
}

/* An optional string field of a mapping; "" when absent or null. */
static int opt_string(const struct ynode *map, const char *key, const char **out, struct diag *d)
{
    *out = "";
    const struct ynode *v = ynode_get(map, key);
    if (!v || ynode_is_null(v))
        return 0;
    return schema_string(v, key, out, d);
}

/* First pass over a Pod: identity, binding and phase; the spec is read later. */
static int collect_pod(struct loader *L, const struct ynode *obj, struct diag *d)
{
    struct pending_pod pp = {.obj = obj};
    const struct ynode *md = schema_require(obj, "Pod", "metadata", d);
    if (!md || schema_expect_map(md, "metadata", d))
        return -1;
    const struct ynode *nm = schema_require(md, "metadata", "name", d);
    if (!nm || schema_name(nm, "metadata.name", &pp.name, d))
        return -1;
    pp.namespace = "default";
    const struct ynode *ns = ynode_get(md, "namespace");
    if (ns && !ynode_is_null(ns) && schema_name(ns, "metadata.namespace", &pp.namespace, d))
        return -1;
    const struct ynode *dts = ynode_get(md, "deletionTimestamp");
    pp.terminating = dts && !ynode_is_null(dts);
    const struct ynode *spec = schema_require(obj, "Pod", "spec", d);
    if (!spec || schema_expect_map(spec, "spec", d))
        return -1;
    if (opt_string(spec, "nodeName", &pp.node_name, d))
        return -1;
    pp.node_at = ynode_get(spec, "nodeName");
    const struct ynode *sn = ynode_get(spec, "schedulerName");
    if (sn && !ynode_is_null(sn)) {
        if (schema_string(sn, "schedulerName", &pp.scheduler_name, d))
            return -1;
        pp.scheduler_at = sn;
    }
    const struct ynode *status = ynode_get(obj, "status");
    if (status && !ynode_is_null(status)) {
        const char *phase;
        if (schema_expect_map(status, "status", d) || opt_string(status, "phase", &phase, d))
            return -1;
        if (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0)
            return 0; /* terminated: not in the scheduler's cache */
    }
    for (size_t i = 0; i < L->npods; i++) {
        const struct pending_pod *o = &L->pods[i];
        if (strcmp(o->name, pp.name) == 0 && strcmp(o->namespace, pp.namespace) == 0) {
            const struct ynode *first = name_node(o->obj);
            diag_set(d, nm->file, nm->line, nm->col, "duplicate pod '%s/%s' (first at %s:%d:%d)",
                     pp.namespace, pp.name, first->file, first->line, first->col);
            return -1;
        }
    }
    xgrow((void **)&L->pods, &L->pods_cap, L->npods + 1, sizeof *L->pods);
    L->pods[L->npods++] = pp;
    return 0;
}

static int take_config(struct loader *L, const struct ynode *obj, struct diag *d)
{
    if (L->config && !L->config_from_flag) {
        diag_set(d, obj->file, obj->line, obj->col,
                 "a second KubeSchedulerConfiguration (the first is at %s:%d:%d)", L->config->file,
                 L->config->line, L->config->col);
        return -1;
    }
    if (!L->config)
        L->config = obj;
    return 0;
}

static int each_object(const struct ynode *obj, const char *kind, void *ctx, struct diag *d)
{
    struct loader *L = ctx;
    if (strcmp(kind, "Node") == 0)
        return add_node(L, obj, d);
    if (strcmp(kind, "Pod") == 0)
        return collect_pod(L, obj, d);
    if (strcmp(kind, "KubeSchedulerConfiguration") == 0)
        return take_config(L, obj, d);
    if (!*kind)
        return schema_require(obj, "object", "kind", d) ? 0 : -1;
    return 0; /* other kinds (Services, Events, ...) say nothing about placement */
}

static struct ytree *load(struct snapshot *s, const char *path, struct diag *d)
{
    struct ytree *t = ytree_load_file(path, d);
    if (!t)
        return NULL;
    s->trees = xrealloc(s->trees, (s->ntrees + 1) * sizeof *s->trees);
    s->trees[s->ntrees++] = t;
    return t;
}

/* The --config file: its one KubeSchedulerConfiguration replaces any in the snapshot. */
static int load_config(struct loader *L, const char *path, struct diag *d)
{
    struct ytree *t = load(L->s, path, d);
    if (!t)
        return -1;
    for (size_t i = 0; i < t->ndocs; i++) {
        const struct ynode *doc = t->docs[i];
        if (!doc || ynode_is_null(doc))
            continue;
        if (L->config) {
            diag_set(d, doc->file, doc->line, doc->col,
                     "--config holds more than one document (expected one "
                     "KubeSchedulerConfiguration)");
            return -1;
        }
        if (schema_expect_map(doc, "document", d))
            return -1;
        L->config = doc;
    }
    if (!L->config) {
        diag_set(d, path, 0, 0, "no KubeSchedulerConfiguration in the file");
        return -1;
    }
    L->config_from_flag = 1;
    return 0;
}

/* Picks the pod to place among L->pods; its index, or -1 with d set. */
static long pick_target(const struct loader *L, const char *want, const char *last_file,
                        struct diag *d)
{
    long found = -1;
    if (want) {
        const char *slash = strchr(want, '/');
        for (size_t i = 0; i < L->npods; i++) {
            const struct pending_pod *p = &L->pods[i];
            int match = slash ? strncmp(p->namespace, want, (size_t)(slash - want)) == 0 &&
                                    p->namespace[slash - want] == '\0' &&
                                    strcmp(p->name, slash + 1) == 0
                              : strcmp(p->name, want) == 0;
            if (!match)
                continue;
            if (found >= 0) {
                diag_set(d, NULL, 0, 0,
                         "pod name '%s' is ambiguous: '%s/%s' and '%s/%s' (use --pod "
                         "NAMESPACE/NAME)",
                         want, L->pods[found].namespace, want, p->namespace, want);
                return -1;
            }
            found = (long)i;
        }
        if (found < 0)
            diag_set(d, NULL, 0, 0, "no pod '%s' in the input", want);
        return found;
    }
    for (size_t i = 0; i < L->npods; i++) {
        const struct pending_pod *p = &L->pods[i];
        if (*p->node_name)
            continue;
        if (found >= 0) {
            const struct pending_pod *f = &L->pods[found];
            const struct ynode *at = name_node(p->obj), *fat = name_node(f->obj);
            diag_set(d, at->file, at->line, at->col,
                     "more than one pod without spec.nodeName ('%s/%s' at %s:%d:%d and "
                     "'%s/%s'): choose one with --pod",
                     f->namespace, f->name, fat->file, fat->line, fat->col, p->namespace, p->name);
            return -1;
        }
        found = (long)i;
    }
    if (found < 0)
        diag_set(d, last_file, 0, 0, "no pod without spec.nodeName to place (name one with --pod)");
    return found;
}

/* Second pass: every pod becomes an owner and a pod; bound ones are bound. */
static int build_pods(struct loader *L, long target, struct diag *d)
{
    struct snapshot *s = L->s;
    struct cluster *c = s->cluster;
    s->pods = xcalloc(L->npods ? L->npods : 1, sizeof *s->pods);
    for (size_t i = 0; i < L->npods; i++) {
        const struct pending_pod *pp = &L->pods[i];
        struct podspec ps;
        if (manifest_read_podspec(ynode_get(pp->obj, "spec"), "spec", &c->resnames, &ps, d)) {
            podspec_release(&ps);
            return -1;
        }
        labelset_release(&ps.labels);
        if (manifest_read_labels(ynode_get(ynode_get(pp->obj, "metadata"), "labels"), "labels",
                                 &ps.labels, d)) {
            podspec_release(&ps);
            return -1;
        }
        if (strcmp(pp->namespace, "default") != 0)
            ps.namespace = xstrdup(pp->namespace);
        ps.terminating = pp->terminating;
        /* The controlling ReplicaSet, whose pods select each other for the
         * default spread constraints (models/kube/topospread.c). */
        if (manifest_read_pod_owner(ynode_get(pp->obj, "metadata"), &ps, d)) {
            podspec_release(&ps);
            return -1;
        }
        int32_t node = -1;
        if (*pp->node_name && (long)i != target) {
            node = cluster_find_node(c, pp->node_name);
            if (node < 0) {
                diag_set(d, pp->node_at->file, pp->node_at->line, pp->node_at->col,
                         "pod '%s/%s' is bound to node '%s', which is not in the input",
                         pp->namespace, pp->name, pp->node_name);
                podspec_release(&ps);
                return -1;
            }
        }
        char owner[600];
        snprintf(owner, sizeof owner, "%s/%s", pp->namespace, pp->name);
        /* A bare pod, not a Deployment's: no controller of ksim's own gives it
         * the default spread constraints. */
        int32_t o = cluster_add_owner(c, OWNER_BATCH, owner, &ps, 1);
        int32_t pod = cluster_new_pod(c, o, 0);
        if (node >= 0) {
            cluster_bind(c, pod, node, 0);
            cluster_mark_running(c, pod);
        }
        s->pods[s->npods++] = (struct snapshot_pod){.name = pp->name,
                                                    .namespace = pp->namespace,
                                                    .at = pp->obj,
                                                    .pod = pod,
                                                    .node = node,
                                                    .terminating = pp->terminating,
                                                    .scheduler_name = pp->scheduler_name,
                                                    .scheduler_at = pp->scheduler_at};
    }
    s->target = (size_t)target;
    return 0;
}

int snapshot_load(struct snapshot *s, const char *const *files, size_t nfiles,
                  const char *config_path, const char *pod, struct diag *d)
{
    memset(s, 0, sizeof *s);
    s->cluster = cluster_new();
    struct loader L = {.s = s};
    int rc = -1;
    if (config_path && load_config(&L, config_path, d))
        goto out;
    for (size_t i = 0; i < nfiles; i++) {
        struct ytree *t = load(s, files[i], d);
        if (!t || manifest_each(t, each_object, &L, d))
            goto out;
    }
    long target = pick_target(&L, pod, files[nfiles - 1], d);
    if (target < 0 || build_pods(&L, target, d))
        goto out;
    s->config = L.config;
    rc = 0;
out:
    free(L.pods);
    if (rc)
        snapshot_release(s);
    return rc;
}

void snapshot_release(struct snapshot *s)
{
    cluster_free(s->cluster);
    free(s->pods);
    for (size_t i = 0; i < s->ntrees; i++)
        ytree_free(s->trees[i]);
    free(s->trees);
    memset(s, 0, sizeof *s);
}

void snapshot_pod_name(const struct snapshot *s, size_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", s->pods[i].namespace, s->pods[i].name);
}

/* The pod's profile: spec.schedulerName (default "default-scheduler"). */
static const struct kube_profile *pick_profile(const struct kube_config *cfg,
                                               const struct snapshot *s, struct diag *d)
{
    const struct snapshot_pod *sp = &s->pods[s->target];
    const char *want = sp->scheduler_name ? sp->scheduler_name : "default-scheduler";
    const struct kube_profile *p = kube_config_find(cfg, want);
    if (!p) {
        /* kube-scheduler would leave such a pod to another scheduler; say which profiles exist. */
        const struct ynode *at = sp->scheduler_at ? sp->scheduler_at : sp->at;
        const char **names = xcalloc(cfg->nprofiles + 1, sizeof *names);
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < cfg->nprofiles; i++) {
            names[i] = cfg->profiles[i].scheduler_name;
            used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0,
                                     "%s%s", i ? ", " : "", names[i]);
        }
        const char *hint = diag_suggest(want, names);
        if (hint)
            diag_set(d, at->file, at->line, at->col,
                     "pod '%s/%s' asks for schedulerName '%s', which no profile has (did you "
                     "mean '%s'?)",
                     sp->namespace, sp->name, want, hint);
        else
            diag_set(d, at->file, at->line, at->col,
                     "pod '%s/%s' asks for schedulerName '%s', which no profile has (profiles: %s)",
                     sp->namespace, sp->name, want, list);
        free(names);
    }
    return p;
}

int snapshot_sched_init(struct snapshot_sched *ss, const struct snapshot *s, uint64_t seed,
                        struct diag *d)
{
    memset(ss, 0, sizeof *ss);
    if (s->config ? kubeconfig_read(s->config, &ss->cfg, d) : (kube_config_default(&ss->cfg), 0))
        return -1;
    const struct kube_profile *prof = pick_profile(&ss->cfg, s, d);
    if (!prof)
        return -1;
    ss->rng = rng_new(seed);
    char err[512];
    ss->fw = framework_new(prof, ss->cfg.percentage, KUBE_TIE_RANDOM, rng_stream(ss->rng, "kube"),
                           err, sizeof err);
    if (!ss->fw) {
        diag_set(d, s->config ? s->config->file : NULL, s->config ? s->config->line : 0,
                 s->config ? s->config->col : 0, "%s", err);
        return -1;
    }
    return 0;
}

void snapshot_sched_release(struct snapshot_sched *ss)
{
    framework_free(ss->fw);
    rng_free(ss->rng);
    kube_config_release(&ss->cfg);
    memset(ss, 0, sizeof *ss);
}
