#include "sim/io/kube/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/kube/manifest_pod_affinity.h"
#include "sim/io/schema.h"

void manifest_node_release(struct manifest_node *n)
{
    labelset_release(&n->labels);
    for (size_t i = 0; i < n->ntaints; i++)
        taint_release(&n->taints[i]);
    free(n->taints);
    for (size_t i = 0; i < n->nimages; i++)
        free(n->images[i].name);
    free(n->images);
    memset(n, 0, sizeof *n);
}

void manifest_deployment_release(struct manifest_deployment *d)
{
    podspec_release(&d->spec);
    memset(d, 0, sizeof *d);
}

static const char *kind_of(const struct ynode *obj)
{
    const struct ynode *k = ynode_get(obj, "kind");
    return k && k->kind == YNODE_SCALAR ? k->str : "";
}

int manifest_each(const struct ytree *t, manifest_fn fn, void *ctx, struct diag *d)
{
    for (size_t i = 0; i < t->ndocs; i++) {
        const struct ynode *doc = t->docs[i];
        if (!doc || ynode_is_null(doc))
            continue;
        if (schema_expect_map(doc, "document", d))
            return -1;
        const char *kind = kind_of(doc);
        size_t klen = strlen(kind);
        const struct ynode *items = ynode_get(doc, "items");
        if (klen >= 4 && strcmp(kind + klen - 4, "List") == 0 && items) {
            /* A v1 List (kubectl get -o yaml of several objects) or a typed list. */
            if (schema_expect_seq(items, "items", d))
                return -1;
            for (size_t j = 0; j < items->n; j++) {
                if (schema_expect_map(items->items[j], "items[]", d))
                    return -1;
                int rc = fn(items->items[j], kind_of(items->items[j]), ctx, d);
                if (rc)
                    return rc;
            }
            continue;
        }
        int rc = fn(doc, kind, ctx, d);
        if (rc)
            return rc;
    }
    return 0;
}

struct ytree *manifest_load_include(const struct ynode *item, const char *dir, struct diag *d)
{
    const char *rel;
    if (schema_string(item, "include", &rel, d))
        return NULL;
    char *path = rel[0] == '/' || !dir[0] ? xstrdup(rel) : xasprintf("%s/%s", dir, rel);
    struct diag sub;
    diag_clear(&sub);
    struct ytree *t = ytree_load_file(path, &sub);
    free(path);
    if (!t) {
        /* A file that cannot be opened is reported where it is named. */
        const char *open = strstr(sub.text, ": cannot open: ");
        if (open)
            diag_set(d, item->file, item->line, item->col, "include '%s': %s", rel, open + 2);
        else
            diag_set(d, NULL, 0, 0, "%s", sub.text);
    }
    return t;
}

int manifest_read_labels(const struct ynode *map, const char *where, struct labelset *ls,
                         struct diag *d)
{
    labelset_init(ls);
    if (!map || ynode_is_null(map))
        return 0;
    if (schema_expect_map(map, where, d))
        return -1;
    for (size_t i = 0; i < map->n; i++) {
        const char *v;
        if (ynode_is_null(map->pairs[i].value))
            v = "";
        else if (schema_string(map->pairs[i].value, map->pairs[i].key->str, &v, d))
            return -1;
        labelset_set(ls, map->pairs[i].key->str, v);
    }
    return 0;
}

int manifest_read_resources(const struct ynode *map, const char *where, struct resnames *rn,
                            struct resources *r, struct diag *d)
{
    res_zero(r);
    if (!map || ynode_is_null(map))
        return 0;
    if (schema_expect_map(map, where, d))
        return -1;
    for (size_t i = 0; i < map->n; i++) {
        const struct ynode *key = map->pairs[i].key;
        int dim = resnames_intern(rn, key->str);
        if (dim < 0) {
            diag_set(d, key->file, key->line, key->col,
                     "too many extended resources: '%s' would be the %d-th (at most %d)", key->str,
                     RES_MAX - RES_FIXED + 1, RES_MAX - RES_FIXED);
            return -1;
        }
        int64_t v;
        if (schema_quantity(map->pairs[i].value, key->str, resnames_is_milli(dim), &v, d))
            return -1;
        r->v[dim] = v;
    }
    return 0;
}

static const char *const taint_keys[] = {"key", "value", "effect", "timeAdded", NULL};

int manifest_read_taints(const struct ynode *seq, const char *where, struct taint **out, size_t *n,
                         struct diag *d)
{
    *out = NULL;
    *n = 0;
    if (!seq || ynode_is_null(seq))
        return 0;
    if (schema_expect_seq(seq, where, d))
        return -1;
    *out = xcalloc(seq->n ? seq->n : 1, sizeof **out);
    for (size_t i = 0; i < seq->n; i++) {
        const struct ynode *t = seq->items[i];
        const char *key, *value = "";
        int effect;
        if (schema_check_keys(t, "taint", taint_keys, d))
            return -1;
        const struct ynode *k = schema_require(t, "taint", "key", d);
        if (!k || schema_string(k, "key", &key, d))
            return -1;
        const struct ynode *v = ynode_get(t, "value");
        if (v && !ynode_is_null(v) && schema_string(v, "value", &value, d))
            return -1;
        const struct ynode *e = schema_require(t, "taint", "effect", d);
        if (!e || schema_enum(e, "effect", taint_effect_names, &effect, d))
            return -1;
        (*out)[i].key = xstrdup(key);
        (*out)[i].value = xstrdup(value);
        (*out)[i].effect = (enum taint_effect)effect;
        (*n)++;
    }
    return 0;
}

static const char *const toleration_keys[] = {"key",    "operator",          "value",
                                              "effect", "tolerationSeconds", NULL};

int manifest_read_tolerations(const struct ynode *seq, const char *where, struct toleration **out,
                              size_t *n, struct diag *d)
{
    *out = NULL;
    *n = 0;
    if (!seq || ynode_is_null(seq))
        return 0;
    if (schema_expect_seq(seq, where, d))
        return -1;
    *out = xcalloc(seq->n ? seq->n : 1, sizeof **out);
    for (size_t i = 0; i < seq->n; i++) {
        const struct ynode *t = seq->items[i];
        static const char *const ops[] = {"Equal", "Exists", NULL};
        const char *key = "", *value = "";
        int op = TOL_EQUAL, effect = -1;
        if (schema_check_keys(t, "toleration", toleration_keys, d))
            return -1;
        const struct ynode *k = ynode_get(t, "key");
        if (k && !ynode_is_null(k) && schema_string(k, "key", &key, d))
            return -1;
        const struct ynode *o = ynode_get(t, "operator");
        if (o && !ynode_is_null(o) && schema_enum(o, "operator", ops, &op, d))
            return -1;
        const struct ynode *v = ynode_get(t, "value");
        if (v && !ynode_is_null(v) && schema_string(v, "value", &value, d))
            return -1;
        const struct ynode *e = ynode_get(t, "effect");
        if (e && !ynode_is_null(e) && !(e->kind == YNODE_SCALAR && e->str[0] == '\0') &&
            schema_enum(e, "effect", taint_effect_names, &effect, d))
            return -1;
        (*out)[i].key = xstrdup(key);
        (*out)[i].value = xstrdup(value);
        (*out)[i].op = (enum toleration_op)op;
        (*out)[i].effect = effect;
        (*n)++;
    }
    return 0;
}

/* Reads resources.requests of one container into r. */
static int container_requests(const struct ynode *c, const char *where, struct resnames *rn,
                              struct resources *r, struct diag *d)
{
    res_zero(r);
    if (schema_expect_map(c, where, d))
        return -1;
    const struct ynode *res = ynode_get(c, "resources");
    if (!res || ynode_is_null(res))
        return 0;
    if (schema_expect_map(res, "resources", d))
        return -1;
    return manifest_read_resources(ynode_get(res, "requests"), "requests", rn, r, d);
}

static void res_max(struct resources *a, const struct resources *b)
{
    for (int i = 0; i < RES_MAX; i++)
        if (b->v[i] > a->v[i])
            a->v[i] = b->v[i];
}

int manifest_read_podspec(const struct ynode *spec, const char *where, struct resnames *rn,
                          struct podspec *ps, struct diag *d)
{
    podspec_init(ps);
    if (schema_expect_map(spec, where, d))
        return -1;
    struct resources sum, one;
    res_zero(&sum);
    const struct ynode *containers = ynode_get(spec, "containers");
    if (schema_expect_seq(containers, "containers", d))
        return -1;
    for (size_t i = 0; containers && i < containers->n; i++) {
        if (container_requests(containers->items[i], "containers[]", rn, &one, d))
            return -1;
        res_add(&sum, &one);
    }
    /*
     * Init containers, as in PodRequests: a restartable one (a sidecar,
     * restartPolicy: Always) keeps running, so it adds to the sum and to
     * every later init container; any other runs alone (with the sidecars
     * before it), so the pod needs the maximum of those peaks and the sum.
     */
    const struct ynode *inits = ynode_get(spec, "initContainers");
    if (schema_expect_seq(inits, "initContainers", d))
        return -1;
    struct resources sidecars, peak;
    res_zero(&sidecars);
    res_zero(&peak);
    for (size_t i = 0; inits && i < inits->n; i++) {
        const struct ynode *ic = inits->items[i];
        if (container_requests(ic, "initContainers[]", rn, &one, d))
            return -1;
        const struct ynode *rp = ynode_get(ic, "restartPolicy");
        if (rp && rp->kind == YNODE_SCALAR && strcmp(rp->str, "Always") == 0) {
            res_add(&sidecars, &one);
            res_max(&peak, &sidecars);
        } else {
            res_add(&one, &sidecars);
            res_max(&peak, &one);
        }
    }
    res_add(&sum, &sidecars);
    res_max(&sum, &peak);
    struct resources overhead;
    if (manifest_read_resources(ynode_get(spec, "overhead"), "overhead", rn, &overhead, d))
        return -1;
    res_add(&sum, &overhead);
    sum.v[RES_PODS] = 1;
    ps->req = sum;

    if (manifest_read_labels(ynode_get(spec, "nodeSelector"), "nodeSelector", &ps->node_selector,
                             d))
        return -1;
    if (manifest_read_tolerations(ynode_get(spec, "tolerations"), "tolerations", &ps->tols,
                                  &ps->ntols, d))
        return -1;
    /* spec.schedulingGates: [{name: ...}]; any gate holds the pod (SchedulingGates PreEnqueue). */
    const struct ynode *gates = ynode_get(spec, "schedulingGates");
    if (schema_expect_seq(gates, "schedulingGates", d))
        return -1;
    for (size_t i = 0; gates && i < gates->n; i++) {
        const char *gname;
        const struct ynode *g = schema_require(gates->items[i], "schedulingGates[]", "name", d);
        if (!g || schema_string(g, "name", &gname, d))
            return -1;
        ps->gated = 1;
    }
    const struct ynode *prio = ynode_get(spec, "priority");
    if (prio && !ynode_is_null(prio)) {
        int64_t p;
        if (schema_int64(prio, "priority", INT32_MIN, INT32_MAX, &p, d))
            return -1;
        ps->priority = (int32_t)p;
    }
    if (manifest_read_pod_kube(spec, rn, ps, d) || manifest_read_grace(spec, ps, d))
        return -1;
    return manifest_read_pod_affinity(spec, ps, d);
}

int manifest_read_grace(const struct ynode *spec, struct podspec *ps, struct diag *d)
{
    const struct ynode *g = ynode_get(spec, "terminationGracePeriodSeconds");
    int64_t v;
    if (!g || ynode_is_null(g))
        return 0;
    /* A year at most keeps grace * SIMTIME_S far from overflowing. */
    if (schema_int64(g, "terminationGracePeriodSeconds", 0, 365LL * 24 * 3600, &v, d))
        return -1;
    ps->grace = v * SIMTIME_S;
    return 0;
}

static int metadata_name(const struct ynode *obj, const char *kind, const char **name,
                         struct diag *d)
{
    const struct ynode *md = schema_require(obj, kind, "metadata", d);
    if (!md || schema_expect_map(md, "metadata", d))
        return -1;
    const struct ynode *n = schema_require(md, "metadata", "name", d);
    return !n || schema_name(n, "metadata.name", name, d) ? -1 : 0;
}

int manifest_read_node(const struct ynode *obj, struct resnames *rn, struct manifest_node *out,
                       struct diag *d)
{
    memset(out, 0, sizeof *out);
    labelset_init(&out->labels);
    if (metadata_name(obj, "Node", &out->name, d))
        return -1;
    const struct ynode *md = ynode_get(obj, "metadata");
    labelset_release(&out->labels);
    if (manifest_read_labels(ynode_get(md, "labels"), "labels", &out->labels, d))
        return -1;
    const struct ynode *spec = ynode_get(obj, "spec");
    if (spec && !ynode_is_null(spec)) {
        if (schema_expect_map(spec, "spec", d))
            return -1;
        if (manifest_read_taints(ynode_get(spec, "taints"), "taints", &out->taints, &out->ntaints,
                                 d))
            return -1;
        const struct ynode *u = ynode_get(spec, "unschedulable");
        if (u && !ynode_is_null(u) && schema_bool(u, "unschedulable", &out->unschedulable, d))
            return -1;
    }
    const struct ynode *status = schema_require(obj, "Node", "status", d);
    if (!status || schema_expect_map(status, "status", d))
        return -1;
    const struct ynode *alloc = ynode_get(status, "allocatable");
    if (!alloc || ynode_is_null(alloc))
        alloc = ynode_get(status, "capacity");
    if (!alloc || ynode_is_null(alloc)) {
        diag_set(d, status->file, status->line, status->col,
                 "node '%s' has neither status.allocatable nor status.capacity", out->name);
        return -1;
    }
    if (manifest_read_node_images(status, out, d))
        return -1;
    return manifest_read_resources(alloc, "allocatable", rn, &out->alloc, d);
}

int manifest_read_deployment(const struct ynode *obj, struct resnames *rn,
                             struct manifest_deployment *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    podspec_init(&out->spec);
    if (metadata_name(obj, "Deployment", &out->name, d))
        return -1;
    const struct ynode *spec = schema_require(obj, "Deployment", "spec", d);
    if (!spec || schema_expect_map(spec, "spec", d))
        return -1;
    out->replicas = 1; /* the API server's default */
    const struct ynode *r = ynode_get(spec, "replicas");
    if (r && !ynode_is_null(r) && schema_int64(r, "replicas", 0, INT32_MAX, &out->replicas, d))
        return -1;
    const struct ynode *tmpl = schema_require(spec, "spec", "template", d);
    if (!tmpl || schema_expect_map(tmpl, "template", d))
        return -1;
    const struct ynode *pspec = schema_require(tmpl, "template", "spec", d);
    if (!pspec)
        return -1;
    podspec_release(&out->spec);
    if (manifest_read_podspec(pspec, "template.spec", rn, &out->spec, d))
        return -1;
    /* The pods get the template's labels and the Deployment's namespace. */
    const struct ynode *tmd = ynode_get(tmpl, "metadata");
    if (tmd && !ynode_is_null(tmd)) {
        if (schema_expect_map(tmd, "template.metadata", d))
            return -1;
        labelset_release(&out->spec.labels);
        if (manifest_read_labels(ynode_get(tmd, "labels"), "labels", &out->spec.labels, d))
            return -1;
    }
    const struct ynode *ns = ynode_get(ynode_get(obj, "metadata"), "namespace");
    if (ns && !ynode_is_null(ns)) {
        const char *nss;
        if (schema_name(ns, "metadata.namespace", &nss, d))
            return -1;
        out->spec.namespace = xstrdup(nss);
    }
    return 0;
}
