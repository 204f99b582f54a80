#include "sim/io/scenario/loadspec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load/load.h"
#include "sim/base/xalloc.h"
#include "sim/engine/rng.h"
#include "sim/io/schema.h"
#include "sim/io/scenario/trace.h"

#define LOADSPEC_MAX_KEYS 64
#define DATA_DIR_PREFIX   "$KSIM_DATA_DIR/"

struct reader {
    const struct loadspec_env *env;
    struct diag *d;
};

static struct load *read_load(struct reader *r, const struct ynode *n, const char *where,
                              const char *path, int in_sum);

const char *loadspec_default_data_dir(void)
{
    const char *env = getenv("KSIM_DATA_DIR");
    if (env && *env)
        return env;
#ifdef KSIM_SOURCE_DIR
    return KSIM_SOURCE_DIR "/../shared/data";
#else
    return "../shared/data";
#endif
}

/* "poisson-noise" → "poissonNoise" into buf. */
static void camel(const char *name, char *buf, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; name[i] && j + 1 < len; i++) {
        if (name[i] == '-' && name[i + 1]) {
            i++;
            buf[j++] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
        } else {
            buf[j++] = name[i];
        }
    }
    buf[j] = '\0';
}

/* The keys of a table, INLINE entries expanded, appended to keys[*n]. */
static void collect_keys(const struct load_param *t, const char **keys, size_t *n)
{
    for (; t->key; t++) {
        if (t->type == LOAD_P_INLINE)
            collect_keys(t->elem, keys, n);
        else if (*n + 1 < LOADSPEC_MAX_KEYS)
            keys[(*n)++] = t->key;
    }
    keys[*n] = NULL;
}

/* Frees what reading a table allocated: lists always, nested loads when owned. */
static void free_params(const struct load_param *t, unsigned char *base, int loads)
{
    for (; t->key; t++) {
        unsigned char *field = base + t->offset;
        if (t->type == LOAD_P_INLINE || t->type == LOAD_P_GROUP) {
            free_params(t->elem, field, loads);
        } else if (t->type == LOAD_P_LOAD && loads) {
            load_free(*(struct load **)field);
            *(struct load **)field = NULL;
        } else if (t->type == LOAD_P_LIST) {
            unsigned char *items = *(unsigned char **)field;
            size_t count = *(size_t *)(base + t->count);
            for (size_t i = 0; i < count; i++)
                free_params(t->elem, items + i * t->elem_size, loads);
            free(items);
            *(void **)field = NULL;
        }
    }
}

static int read_params(struct reader *r, const struct load_param *t, unsigned char *base,
                       const struct ynode *map, const char *where, const char *path);

static int read_column(const struct ynode *v, const char *key, struct load_column *col,
                       struct diag *d)
{
    if (v->kind == YNODE_SCALAR && v->plain && !ynode_is_null(v) && v->str[0] >= '0' &&
        v->str[0] <= '9') {
        int64_t i;
        if (schema_int64(v, key, 0, 1 << 20, &i, d))
            return -1;
        col->name = NULL;
        col->index = (long)i;
        return 0;
    }
    col->index = 0;
    return schema_string(v, key, &col->name, d);
}

static int read_instant(const struct ynode *v, const char *key, struct load_instant *in,
                        struct diag *d)
{
    const char *s;
    if (schema_string(v, key, &s, d))
        return -1;
    if (trace_parse_instant(s, &in->s, &in->date))
        return schema_fail(
            d, v, "%s: expected a number or a date-time (YYYY-MM-DD HH:MM:SS), got '%s'", key, s);
    in->set = 1;
    return 0;
}

static int read_list(struct reader *r, const struct load_param *p, const struct ynode *v,
                     unsigned char *base, const char *where, const char *path)
{
    if (schema_expect_seq(v, p->key, r->d))
        return -1;
    size_t n = ynode_is_null(v) ? 0 : v->n;
    unsigned char *items = xcalloc(n ? n : 1, p->elem_size);
    *(void **)(base + p->offset) = items;
    *(size_t *)(base + p->count) = n;
    const char *keys[LOADSPEC_MAX_KEYS];
    size_t nkeys = 0;
    collect_keys(p->elem, keys, &nkeys);
    for (size_t i = 0; i < n; i++) {
        char w[512];
        snprintf(w, sizeof w, "%s.%s[%zu]", where, p->key, i);
        if (schema_check_keys(v->items[i], w, keys, r->d) ||
            read_params(r, p->elem, items + i * p->elem_size, v->items[i], w, path))
            return -1;
    }
    return 0;
}

/* Reads one key's value (v non-NULL and not null) into its field. */
static int read_value(struct reader *r, const struct load_param *p, const struct ynode *v,
                      unsigned char *base, const char *where, const char *path)
{
    unsigned char *field = base + p->offset;
    struct diag *d = r->d;
    switch (p->type) {
    case LOAD_P_NUMBER:
        return schema_double(v, p->key, p->min, p->max, (double *)field, d);
    case LOAD_P_DURATION:
        return schema_duration(v, p->key, p->dmin, INT64_MAX, (simtime *)field, d);
    case LOAD_P_STRING:
        return schema_string(v, p->key, (const char **)field, d);
    case LOAD_P_ENUM:
        return schema_enum(v, p->key, p->choices, (int *)field, d);
    case LOAD_P_BOOL:
        return schema_bool(v, p->key, (int *)field, d);
    case LOAD_P_COLUMN:
        return read_column(v, p->key, (struct load_column *)field, d);
    case LOAD_P_INSTANT:
        return read_instant(v, p->key, (struct load_instant *)field, d);
    case LOAD_P_LIST:
        return read_list(r, p, v, base, where, path);
    case LOAD_P_GROUP: {
        char w[512];
        const char *keys[LOADSPEC_MAX_KEYS];
        size_t nkeys = 0;
        collect_keys(p->elem, keys, &nkeys);
        snprintf(w, sizeof w, "%s.%s", where, p->key);
        *(int *)(base + p->count) = 1;
        if (schema_check_keys(v, w, keys, d))
            return -1;
        return read_params(r, p->elem, field, v, w, path);
    }
    case LOAD_P_LOAD: {
        char w[512], sp[512];
        snprintf(w, sizeof w, "%s.%s", where, p->key);
        snprintf(sp, sizeof sp, "%s.%s", path, p->key);
        struct load *l = read_load(r, v, w, sp, 0);
        *(struct load **)field = l;
        return l ? 0 : -1;
    }
    case LOAD_P_INLINE:
        break;
    }
    BUG("unexpected parameter type");
}

/* Sets a missing key's default. */
static void set_default(const struct load_param *p, unsigned char *field)
{
    switch (p->type) {
    case LOAD_P_NUMBER:
        *(double *)field = p->def;
        break;
    case LOAD_P_DURATION:
        *(simtime *)field = p->def_time;
        break;
    case LOAD_P_ENUM:
    case LOAD_P_BOOL:
        *(int *)field = p->def_enum;
        break;
    case LOAD_P_COLUMN:
        ((struct load_column *)field)->index = p->def_enum;
        break;
    default:
        break; /* zero: NULL strings, lists and loads, unset instants and groups */
    }
}

static int read_params(struct reader *r, const struct load_param *t, unsigned char *base,
                       const struct ynode *map, const char *where, const char *path)
{
    for (; t->key; t++) {
        if (t->type == LOAD_P_INLINE) {
            if (read_params(r, t->elem, base + t->offset, map, where, path))
                return -1;
            continue;
        }
        const struct ynode *v = ynode_get(map, t->key);
        if (t->required && !schema_require(map, where, t->key, r->d))
            return -1;
        if (!v || ynode_is_null(v))
            set_default(t, base + t->offset);
        else if (read_value(r, t, v, base, where, path))
            return -1;
    }
    return 0;
}

/* The file a data path names (see loadspec.h); a fresh string. */
static char *resolve_path(const struct loadspec_env *env, const char *file)
{
    size_t n = strlen(DATA_DIR_PREFIX);
    if (strncmp(file, DATA_DIR_PREFIX, n) == 0)
        return xasprintf("%s/%s", env->data_dir ? env->data_dir : loadspec_default_data_dir(),
                         file + n);
    if (file[0] == '/' || !env->base_dir || !env->base_dir[0] || strcmp(env->base_dir, ".") == 0)
        return xstrdup(file);
    return xasprintf("%s/%s", env->base_dir, file);
}

static int read_series(struct reader *r, const struct load_ops *ops, unsigned char *params,
                       const struct ynode *map)
{
    struct load_series *s = (struct load_series *)(params + ops->series_offset);
    char *path = resolve_path(r->env, s->file);
    struct trace_nodes nodes = {ynode_get(map, "file"), ynode_get(map, "timeColumn"),
                                ynode_get(map, "valueColumn")};
    if (!nodes.time_col)
        nodes.time_col = map;
    if (!nodes.value_col)
        nodes.value_col = map;
    int want = (ops->flags & LOAD_SERIES) != 0;
    int rc = trace_read(path, path, s, want, want, &nodes, r->d);
    free(path);
    return rc;
}

/* The first key of a table, looking into INLINE entries: what a scalar shorthand sets. */
static const char *first_key(const struct load_param *t)
{
    return t->type == LOAD_P_INLINE ? first_key(t->elem) : t->key;
}

static struct load *read_generator(struct reader *r, const struct load_ops *ops,
                                   const struct ynode *key, const struct ynode *v,
                                   const char *where, const char *path, int in_sum)
{
    const struct ynode *map = v;
    struct ynode *shorthand = NULL;
    if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
        /* `constant: 50` is `constant: {value: 50}`: a scalar is the first key's value. */
        struct ynode *k = xcalloc(1, sizeof *k);
        struct ypair *pair = xcalloc(1, sizeof *pair);
        *k = *key;
        k->str = first_key(ops->params);
        k->len = strlen(k->str);
        pair->key = k;
        pair->value = (struct ynode *)v;
        shorthand = xcalloc(1, sizeof *shorthand);
        *shorthand = *v;
        shorthand->kind = YNODE_MAP;
        shorthand->pairs = pair;
        shorthand->n = 1;
        map = shorthand;
    }
    const char *keys[LOADSPEC_MAX_KEYS];
    size_t nkeys = 0;
    collect_keys(ops->params, keys, &nkeys);
    if (ops->flags & LOAD_RANDOM) {
        keys[nkeys++] = "stream";
        keys[nkeys] = NULL;
    }
    unsigned char *params = xcalloc(1, ops->params_size);
    struct load *l = NULL;
    struct load_init ctx = {0};
    int series = (ops->flags & (LOAD_SERIES | LOAD_SERIES_T)) != 0;
    if (schema_check_keys(map, where, keys, r->d) ||
        read_params(r, ops->params, params, map, where, path) ||
        (series && read_series(r, ops, params, map)))
        goto out;
    if (ops->flags & LOAD_RANDOM) {
        const char *stream = NULL;
        const struct ynode *sn = ynode_get(map, "stream");
        if (sn && schema_string(sn, "stream", &stream, r->d))
            goto out;
        char name[600];
        snprintf(name, sizeof name, "%s/%s", r->env->stream_prefix ? r->env->stream_prefix : "load",
                 stream ? stream : path);
        if (!r->env->rng)
            BUG("a random load model needs loadspec_env.rng");
        ctx.rng = rng_stream(r->env->rng, name);
    }
    ctx.in_sum = in_sum;
    l = load_new(ops, params, &ctx);
    if (!l) {
        const struct ynode *at = ctx.err_param ? ynode_get(map, ctx.err_param) : NULL;
        schema_fail(r->d, at ? at : v, "%s", ctx.err);
    }
out:
    if (series)
        trace_release((struct load_series *)(params + ops->series_offset));
    free_params(ops->params, params, l == NULL);
    free(params);
    if (shorthand) {
        free((void *)shorthand->pairs[0].key);
        free(shorthand->pairs);
        free(shorthand);
    }
    return l;
}

static struct load *read_composite(struct reader *r, int sum, const struct ynode *v,
                                   const char *where, const char *path)
{
    const char *name = sum ? "sum" : "product";
    if (schema_expect_seq(v, name, r->d))
        return NULL;
    if (ynode_is_null(v) || v->n == 0) {
        schema_fail(r->d, v, "%s: needs at least one part", name);
        return NULL;
    }
    struct load **parts = xcalloc(v->n, sizeof *parts);
    size_t n = 0;
    for (; n < v->n; n++) {
        char w[512], sp[512];
        snprintf(w, sizeof w, "%s.%s[%zu]", where, name, n);
        snprintf(sp, sizeof sp, "%s%s%s[%zu]", path, path[0] ? "." : "", name, n);
        parts[n] = read_load(r, v->items[n], w, sp, sum);
        if (!parts[n])
            break;
    }
    struct load *l = NULL;
    if (n < v->n) {
        for (size_t i = 0; i < n; i++)
            load_free(parts[i]);
    } else if (sum) {
        char err[256];
        l = load_sum_new(parts, n, err, sizeof err);
        if (!l)
            schema_fail(r->d, v, "sum: %s", err);
    } else {
        l = load_product_new(parts, n);
    }
    free(parts);
    return l;
}

static struct load *read_load(struct reader *r, const struct ynode *n, const char *where,
                              const char *path, int in_sum)
{
    if (!n) {
        diag_set(r->d, NULL, 0, 0, "%s: missing value", where);
        return NULL;
    }
    if (n->kind == YNODE_SCALAR && !ynode_is_null(n)) {
        double v;
        if (schema_double(n, where, 0, HUGE_VAL, &v, r->d))
            return NULL;
        return load_constant_new(v);
    }
    if (n->kind != YNODE_MAP) {
        schema_fail(
            r->d, n,
            "%s: expected a number or a mapping with one load model, sum or product, got %s", where,
            ynode_kind_name(n));
        return NULL;
    }
    if (n->n != 1) {
        if (n->n == 0)
            schema_fail(r->d, n,
                        "%s: expected one load model, sum or product, got an empty mapping", where);
        else
            schema_fail(r->d, n,
                        "%s: expected one load model, sum or product, got %zu keys ('%s', '%s')",
                        where, n->n, n->pairs[0].key->str, n->pairs[1].key->str);
        return NULL;
    }
    const struct ynode *key = n->pairs[0].key, *v = n->pairs[0].value;
    if (strcmp(key->str, "sum") == 0 || strcmp(key->str, "product") == 0)
        return read_composite(r, key->str[0] == 's', v, where, path);
    char names[32][48];
    const char *cands[34];
    size_t nc = 0;
    for (size_t i = 0; load_registry[i] && nc < 32; i++) {
        camel(load_registry[i]->name, names[nc], sizeof names[nc]);
        if (strcmp(names[nc], key->str) == 0) {
            char w[512], sp[512];
            snprintf(w, sizeof w, "%s.%s", where, key->str);
            snprintf(sp, sizeof sp, "%s%s%s", path, path[0] ? "." : "", key->str);
            if (ynode_is_null(v)) {
                schema_fail(r->d, v, "%s: expected a mapping, got null", key->str);
                return NULL;
            }
            return read_generator(r, load_registry[i], key, v, w, sp, in_sum);
        }
        cands[nc] = names[nc];
        nc++;
    }
    cands[nc++] = "sum";
    cands[nc++] = "product";
    cands[nc] = NULL;
    const char *hint = diag_suggest(key->str, cands);
    if (hint)
        schema_fail(r->d, key, "unknown load model '%s' (did you mean '%s'?)", key->str, hint);
    else
        schema_fail(r->d, key, "unknown load model '%s' (see 'ksim list')", key->str);
    return NULL;
}

struct load *loadspec_read(const struct ynode *n, const char *where, const struct loadspec_env *env,
                           struct diag *d)
{
    struct reader r = {env, d};
    return read_load(&r, n, where, "", 0);
}
