#include "sim/io/kube/kobj.h"

#include <stdlib.h>
#include <string.h>

#include "models/hpa/replicas.h"
#include "sim/base/xalloc.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/rfc3339.h"
#include "sim/io/schema.h"

int kobj_absent(const struct ynode *n)
{
    return !n || ynode_is_null(n);
}

/* k8s.io/apimachinery/pkg/apis/meta/v1/types.go ObjectMeta, every JSON field name. */
static const char *const meta_keys[] = {
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
    /* metav1.ListMeta, for the metrics lists */
    "continue",
    "remainingItemCount",
    NULL,
};

int kobj_time(const struct ynode *n, const char *what, simtime *out, simtime *latest,
              struct diag *d)
{
    const char *s;
    char err[512];
    if (schema_string(n, what, &s, d))
        return -1;
    if (rfc3339_parse(s, out, err, sizeof err)) {
        diag_set(d, n->file, n->line, n->col, "%s: %s", what, err);
        return -1;
    }
    if (latest && *out > *latest)
        *latest = *out;
    return 0;
}

int kobj_meta(const struct ynode *obj, int required, struct kobj_meta *m, simtime *latest,
              struct diag *d)
{
    memset(m, 0, sizeof *m);
    labelset_init(&m->labels);
    m->name = "";
    m->namespace_name = "default";
    const struct ynode *md = ynode_get(obj, "metadata");
    if (kobj_absent(md)) {
        if (required)
            return schema_require(obj, "object", "metadata", d) ? 0 : -1;
        return 0;
    }
    m->node = md;
    if (schema_check_keys(md, "metadata", meta_keys, d))
        return -1;
    const struct ynode *n = ynode_get(md, "name");
    if (required && !schema_require(md, "metadata", "name", d))
        return -1;
    if (!kobj_absent(n) && schema_string(n, "metadata.name", &m->name, d))
        return -1;
    n = ynode_get(md, "namespace");
    if (!kobj_absent(n) && schema_string(n, "metadata.namespace", &m->namespace_name, d))
        return -1;
    n = ynode_get(md, "labels");
    if (!kobj_absent(n)) {
        m->has_labels = 1;
        labelset_release(&m->labels);
        if (manifest_read_labels(n, "metadata.labels", &m->labels, d))
            return -1;
    }
    n = ynode_get(md, "annotations");
    if (!kobj_absent(n)) {
        if (schema_expect_map(n, "metadata.annotations", d))
            return -1;
        m->annotations = n;
    }
    n = ynode_get(md, "deletionTimestamp");
    if (!kobj_absent(n)) {
        if (kobj_time(n, "metadata.deletionTimestamp", &m->deletion, latest, d))
            return -1;
        m->deleting = 1;
    }
    return 0;
}

void kobj_meta_release(struct kobj_meta *m)
{
    labelset_release(&m->labels);
}

const char *kobj_annotation(const struct kobj_meta *m, const char *key)
{
    const struct ynode *v = ynode_get(m->annotations, key);
    return v && v->kind == YNODE_SCALAR ? v->str : NULL;
}

static const char *const selector_keys[] = {"matchLabels", "matchExpressions", NULL};
static const char *const requirement_keys[] = {"key", "operator", "values", NULL};

/* One matchExpressions entry. */
static int requirement(const struct ynode *e, struct labelselector *sel, struct diag *d)
{
    const char *key;
    int op;
    if (schema_check_keys(e, "matchExpressions[]", requirement_keys, d))
        return -1;
    const struct ynode *k = schema_require(e, "matchExpressions[]", "key", d);
    if (!k || schema_string(k, "key", &key, d))
        return -1;
    const struct ynode *o = schema_require(e, "matchExpressions[]", "operator", d);
    if (!o || schema_enum(o, "operator", lsel_op_names, &op, d))
        return -1;
    const struct ynode *vs = ynode_get(e, "values");
    if (schema_expect_seq(vs, "values", d))
        return -1;
    size_t n = kobj_absent(vs) ? 0 : vs->n;
    int wants_values = op == LSEL_IN || op == LSEL_NOT_IN;
    if (wants_values && n == 0) {
        diag_set(d, o->file, o->line, o->col, "operator %s needs a non-empty 'values' list",
                 lsel_op_names[op]);
        return -1;
    }
    if (!wants_values && n > 0) {
        diag_set(d, vs->file, vs->line, vs->col, "operator %s takes no values", lsel_op_names[op]);
        return -1;
    }
    const char **values = xcalloc(n ? n : 1, sizeof *values);
    for (size_t i = 0; i < n; i++) {
        if (schema_string(vs->items[i], "values[]", &values[i], d)) {
            free(values);
            return -1;
        }
    }
    labelselector_add(sel, key, (enum lsel_op)op, values, n);
    free(values);
    return 0;
}

int kobj_selector(const struct ynode *n, const char *where, struct labelselector *sel,
                  struct diag *d)
{
    /* A present selector, even {}, is labels.Everything() plus its requirements. */
    labelselector_init(sel);
    sel->kind = LSEL_EVERYTHING;
    if (schema_check_keys(n, where, selector_keys, d))
        return -1;
    struct labelset ml;
    labelset_init(&ml);
    if (manifest_read_labels(ynode_get(n, "matchLabels"), "matchLabels", &ml, d)) {
        labelset_release(&ml);
        return -1;
    }
    for (size_t i = 0; i < ml.n; i++)
        labelselector_add_label(sel, ml.v[i].key, ml.v[i].value);
    labelset_release(&ml);
    const struct ynode *exprs = ynode_get(n, "matchExpressions");
    if (schema_expect_seq(exprs, "matchExpressions", d))
        return -1;
    for (size_t i = 0; !kobj_absent(exprs) && i < exprs->n; i++)
        if (requirement(exprs->items[i], sel, d))
            return -1;
    return 0;
}

int kobj_opt_int(const struct ynode *map, const char *key, int64_t min, int64_t max, int64_t *out,
                 struct diag *d)
{
    const struct ynode *n = ynode_get(map, key);
    if (kobj_absent(n))
        return 0;
    return schema_int64(n, key, min, max, out, d) ? -1 : 1;
}

int kobj_duration(const struct ynode *n, const char *what, simtime *out, struct diag *d)
{
    return schema_duration(n, what, 0, SIMTIME_NEVER, out, d);
}

void *kobj_alloc(struct kobj_pool *pool, size_t count, size_t size)
{
    return kobj_keep(pool, xcalloc(count ? count : 1, size));
}

char *kobj_keep(struct kobj_pool *pool, char *heap)
{
    xgrow((void **)&pool->blocks, &pool->cap, pool->n + 1, sizeof *pool->blocks);
    pool->blocks[pool->n++] = heap;
    return heap;
}

void kobj_pool_release(struct kobj_pool *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        free(pool->blocks[i]);
    free(pool->blocks);
    memset(pool, 0, sizeof *pool);
}

int kobj_requests(struct kobj_pool *pool, const struct ynode *map, const char *where,
                  const struct hpa_request **out, size_t *n, struct diag *d)
{
    *out = NULL;
    *n = 0;
    if (kobj_absent(map))
        return 0;
    if (schema_expect_map(map, where, d))
        return -1;
    struct hpa_request *r = kobj_alloc(pool, map->n, sizeof *r);
    for (size_t i = 0; i < map->n; i++) {
        r[i].resource = map->pairs[i].key->str;
        if (schema_quantity(map->pairs[i].value, r[i].resource, 1, &r[i].milli, d))
            return -1;
    }
    *out = r;
    *n = map->n;
    return 0;
}
