#include "sim/io/scenario/override.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

int override_split(const char *arg, char **path, char **value, struct diag *d)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        diag_set(d, NULL, 0, 0, "--set %s: expected path=value (e.g. spec.seed=7)", arg);
        return -1;
    }
    *path = xstrndup(arg, (size_t)(eq - arg));
    *value = xstrdup(eq + 1);
    return 0;
}

/* One step of a path: a key, or a list index. */
struct step {
    char *key; /* NULL for an index */
    long index;
};

static int parse_path(const char *path, struct step **out, size_t *n, struct diag *d)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    const char *p = path;
    while (*p) {
        struct step st = {NULL, 0};
        if (*p == '[') {
            const char *close = strchr(p, ']');
            if (!close || close == p + 1)
                goto bad;
            char *inner = xstrndup(p + 1, (size_t)(close - p - 1));
            char *end;
            long idx = strtol(inner, &end, 10);
            if (*end == '\0' && inner[0] >= '0' && inner[0] <= '9') {
                st.index = idx;
                free(inner);
            } else {
                st.key = inner;
            }
            p = close + 1;
            if (*p == '.')
                p++;
        } else {
            size_t len = strcspn(p, ".[");
            if (len == 0)
                goto bad;
            st.key = xstrndup(p, len);
            p += len;
            if (*p == '.') {
                p++;
                if (!*p)
                    goto bad;
            }
        }
        xgrow((void **)out, &cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = st;
    }
    if (*n)
        return 0;
bad:
    for (size_t i = 0; i < *n; i++)
        free((*out)[i].key);
    free(*out);
    *out = NULL;
    *n = 0;
    diag_set(d, NULL, 0, 0,
             "--set %s: malformed path (expected e.g. spec.cluster.nodePools[0].count)", path);
    return -1;
}

/* A fresh empty mapping node in t's arena, positioned like near. */
static struct ynode *new_map(struct ytree *t, const struct ynode *near)
{
    struct ynode *m = ytree_alloc(t, sizeof *m);
    memset(m, 0, sizeof *m);
    m->kind = YNODE_MAP;
    m->file = near->file;
    m->line = near->line;
    m->col = near->col;
    m->str = "";
    return m;
}

static struct ynode *map_add(struct ytree *t, struct ynode *map, const char *key,
                             struct ynode *value)
{
    struct ypair *pairs = ytree_alloc(t, (map->n + 1) * sizeof *pairs);
    if (map->n)
        memcpy(pairs, map->pairs, map->n * sizeof *pairs);
    struct ynode *k = ytree_alloc(t, sizeof *k);
    memset(k, 0, sizeof *k);
    k->kind = YNODE_SCALAR;
    k->file = value->file;
    k->line = value->line;
    k->col = value->col;
    size_t len = strlen(key);
    char *s = ytree_alloc(t, len + 1);
    memcpy(s, key, len + 1);
    k->str = s;
    k->len = len;
    k->plain = 1;
    pairs[map->n].key = k;
    pairs[map->n].value = value;
    map->pairs = pairs;
    map->n++;
    return value;
}

int override_apply(struct ytree *t, struct ynode *root, const char *path, const char *value,
                   struct diag *d)
{
    struct step *steps;
    size_t n;
    if (parse_path(path, &steps, &n, d))
        return -1;
    int rc = -1;
    char *name = xasprintf("--set %s", path);
    struct ytree *vt = ytree_load_string(name, value, strlen(value), d);
    free(name);
    if (!vt)
        goto out;
    struct ynode *newval = vt->ndocs && vt->docs[0] ? vt->docs[0] : NULL;
    if (!newval) {
        /* "--set x=" sets an empty string, as `kubectl --set` users expect. */
        ytree_free(vt);
        name = xasprintf("--set %s", path);
        vt = ytree_load_string(name, "''", 2, d);
        free(name);
        newval = vt->docs[0];
    }
    ytree_adopt(t, vt);

    struct ynode *cur = root;
    for (size_t i = 0; i < n; i++) {
        int last = i + 1 == n;
        struct ynode **slot = NULL;
        if (steps[i].key) {
            if (cur->kind != YNODE_MAP) {
                diag_set(d, NULL, 0, 0, "--set %s: '%s' is inside %s, not a mapping", path,
                         steps[i].key, ynode_kind_name(cur));
                goto out;
            }
            for (size_t j = 0; j < cur->n; j++)
                if (strcmp(cur->pairs[j].key->str, steps[i].key) == 0)
                    slot = &cur->pairs[j].value;
            if (!slot) {
                struct ynode *fresh = last ? newval : new_map(t, newval);
                map_add(t, cur, steps[i].key, fresh);
                cur = fresh;
                continue;
            }
        } else {
            if (cur->kind != YNODE_SEQ) {
                diag_set(d, NULL, 0, 0, "--set %s: [%ld] indexes %s, not a list", path,
                         steps[i].index, ynode_kind_name(cur));
                goto out;
            }
            if (steps[i].index < 0 || (size_t)steps[i].index >= cur->n) {
                diag_set(d, NULL, 0, 0, "--set %s: index %ld is out of range (the list has %zu)",
                         path, steps[i].index, cur->n);
                goto out;
            }
            slot = &cur->items[steps[i].index];
        }
        if (last) {
            *slot = newval;
        } else if (ynode_is_null(*slot)) {
            *slot = new_map(t, newval);
        }
        cur = *slot;
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(steps[i].key);
    free(steps);
    return rc;
}
