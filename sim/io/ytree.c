#include "sim/io/ytree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sim/base/xalloc.h"
#include "sim/io/textfile.h"

/*
 * The tree is built from libyaml's event stream rather than its document
 * loader (yaml_parser_load): the loader has no depth or alias limits and
 * builds the whole document before any check could run. Driving the events
 * ourselves lets every limit trip at the first event that crosses it, before
 * any work proportional to an expansion is done.
 */

/* ---- arena ------------------------------------------------------------ */

#define YARENA_CHUNK 65536

struct ychunk {
    struct ychunk *next;
    max_align_t data[];
};

struct yarena {
    struct ychunk *chunks;
    char *cur;   /* free space in the newest chunk */
    size_t left; /* bytes left at cur */
};

static void *yarena_alloc(struct yarena *a, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    n = n ? (n + align - 1) / align * align : align;
    if (n > YARENA_CHUNK / 4) {
        /* Big blocks get their own chunk, linked behind the current one so
         * the current chunk's free space is not wasted. */
        struct ychunk *c = xcalloc(1, sizeof *c + n);
        if (a->chunks) {
            c->next = a->chunks->next;
            a->chunks->next = c;
        } else {
            a->chunks = c;
        }
        return c->data;
    }
    if (n > a->left) {
        struct ychunk *c = xmalloc(sizeof *c + YARENA_CHUNK);
        c->next = a->chunks;
        a->chunks = c;
        a->cur = (char *)c->data;
        a->left = YARENA_CHUNK;
    }
    void *p = a->cur;
    a->cur += n;
    a->left -= n;
    memset(p, 0, n);
    return p;
}

static char *yarena_strndup(struct yarena *a, const char *s, size_t len)
{
    char *p = yarena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static void yarena_free(struct yarena *a)
{
    if (!a)
        return;
    struct ychunk *c = a->chunks;
    while (c) {
        struct ychunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

/* ---- anchors ---------------------------------------------------------- */

/* What an alias needs to know about its anchor: the node to share and what
 * expanding it would cost. */
struct yanchor {
    char *name; /* heap; NULL for an empty slot */
    struct ynode *node;
    uint64_t size; /* nodes in the fully expanded subtree */
    int height;    /* collection levels in it (0 for a scalar) */
};

/* Open addressing, so a file with many anchors and aliases stays linear. */
struct yanchors {
    struct yanchor *slots;
    size_t cap, used;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct yanchor *anchors_find(struct yanchors *t, const char *name)
{
    if (!t->cap)
        return NULL;
    for (size_t i = hash_str(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->slots[i].name || strcmp(t->slots[i].name, name) == 0)
            return &t->slots[i];
    }
}

static void anchors_put(struct yanchors *t, const char *name, struct ynode *node, uint64_t size,
                        int height)
{
    if ((t->used + 1) * 2 > t->cap) {
        struct yanchors bigger = {xcalloc(t->cap ? t->cap * 2 : 16, sizeof *t->slots),
                                  t->cap ? t->cap * 2 : 16, 0};
        for (size_t i = 0; i < t->cap; i++) {
            if (t->slots[i].name) {
                *anchors_find(&bigger, t->slots[i].name) = t->slots[i];
                bigger.used++;
            }
        }
        free(t->slots);
        *t = bigger;
    }
    struct yanchor *a = anchors_find(t, name);
    /* YAML lets a later anchor of the same name replace an earlier one. */
    if (!a->name) {
        a->name = xstrdup(name);
        t->used++;
    }
    a->node = node;
    a->size = size;
    a->height = height;
}

static void anchors_clear(struct yanchors *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].name);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}

/* ---- loader ----------------------------------------------------------- */

/* A collection whose items are still arriving. */
struct yframe {
    struct ynode *node;
    size_t base;   /* its first item's index in loader.pending */
    uint64_t size; /* expanded nodes so far, itself included */
    int height;    /* tallest child so far */
    char *anchor;  /* heap; NULL when not anchored */
    yaml_mark_t start;
};

struct loader {
    struct ytree *tree;
    const char *file; /* in the arena */
    struct diag *d;
    struct yframe *frames;
    size_t nframes, framecap;
    struct ynode **pending; /* items (or key, value, key, ...) of open collections */
    size_t npending, pendingcap;
    struct ynode **docs;
    size_t ndocs, doccap;
    struct ynode *root; /* of the current document */
    struct yanchors anchors;
    uint64_t total; /* expanded nodes in the whole load */
};

static int fail_at(struct loader *L, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *L, yaml_mark_t m, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set(L->d, L->file, (int)m.line + 1, (int)m.column + 1, "%s", msg);
    return -1;
}

static struct ynode *new_node(struct loader *L, enum ynode_kind kind, yaml_mark_t m)
{
    struct ynode *n = yarena_alloc(L->tree->arena, sizeof *n);
    n->kind = kind;
    n->file = L->file;
    n->line = (int)m.line + 1;
    n->col = (int)m.column + 1;
    n->str = "";
    return n;
}

/* Counts size more expanded nodes against the limit. */
static int count_nodes(struct loader *L, uint64_t size, int alias, yaml_mark_t m)
{
    L->total += size;
    if (L->total <= YTREE_MAX_NODES)
        return 0;
    if (alias)
        return fail_at(L, m, "alias expansion exceeds %d nodes (YAML alias bomb?)",
                       YTREE_MAX_NODES);
    return fail_at(L, m, "too many nodes (more than %d)", YTREE_MAX_NODES);
}

/* Attaches a finished node (or a shared one, for an alias) to its parent. */
static int attach(struct loader *L, struct ynode *n, uint64_t size, int height, yaml_mark_t m)
{
    if (L->nframes + (size_t)height > YTREE_MAX_DEPTH)
        return fail_at(L, m, "too deeply nested (more than %d levels)", YTREE_MAX_DEPTH);
    if (!L->nframes) {
        L->root = n;
        return 0;
    }
    struct yframe *f = &L->frames[L->nframes - 1];
    if (f->node->kind == YNODE_MAP && (L->npending - f->base) % 2 == 0 && n->kind != YNODE_SCALAR)
        return fail_at(L, m, "complex mapping keys are not supported");
    f->size += size;
    if (height > f->height)
        f->height = height;
    xgrow((void **)&L->pending, &L->pendingcap, L->npending + 1, sizeof *L->pending);
    L->pending[L->npending++] = n;
    return 0;
}

/* A mapping key and its index among the mapping's pairs. */
struct ykey {
    const struct ynode *key;
    size_t idx;
};

static int key_cmp(const void *pa, const void *pb)
{
    const struct ykey *a = pa, *b = pb;
    size_t la = a->key->len, lb = b->key->len;
    int c = memcmp(a->key->str, b->key->str, la < lb ? la : lb);
    if (c)
        return c;
    if (la != lb)
        return la < lb ? -1 : 1;
    /* Equal keys stay in document order, so the second of a run is the repeat. */
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Reports the repeated key that comes first in the mapping. Keys are compared
 * by text: `1` and "1" are the same key to every reader of a Kubernetes
 * object. Sorting keeps a mapping with many keys from costing n^2.
 */
static int check_duplicates(struct loader *L, const struct ynode *map)
{
    if (map->n < 2)
        return 0;
    struct ykey *keys = xmalloc(map->n * sizeof *keys);
    for (size_t i = 0; i < map->n; i++) {
        keys[i].key = map->pairs[i].key;
        keys[i].idx = i;
    }
    qsort(keys, map->n, sizeof *keys, key_cmp);
    size_t dup = SIZE_MAX;
    for (size_t i = 1; i < map->n; i++) {
        const struct ynode *a = keys[i - 1].key, *b = keys[i].key;
        int same = a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
        int run_start = i < 2 || keys[i - 2].key->len != a->len ||
                        memcmp(keys[i - 2].key->str, a->str, a->len) != 0;
        if (same && run_start && keys[i].idx < dup)
            dup = keys[i].idx;
    }
    free(keys);
    if (dup == SIZE_MAX)
        return 0;
    const struct ynode *k = map->pairs[dup].key;
    diag_set(L->d, k->file, k->line, k->col, "duplicate key '%s'", k->str);
    return -1;
}

static int open_collection(struct loader *L, enum ynode_kind kind, const yaml_event_t *ev,
                           const yaml_char_t *anchor)
{
    if (L->nframes + 1 > YTREE_MAX_DEPTH)
        return fail_at(L, ev->start_mark, "too deeply nested (more than %d levels)",
                       YTREE_MAX_DEPTH);
    if (count_nodes(L, 1, 0, ev->start_mark))
        return -1;
    xgrow((void **)&L->frames, &L->framecap, L->nframes + 1, sizeof *L->frames);
    struct yframe *f = &L->frames[L->nframes++];
    f->node = new_node(L, kind, ev->start_mark);
    f->base = L->npending;
    f->size = 1;
    f->height = 0;
    f->anchor = anchor ? xstrdup((const char *)anchor) : NULL;
    f->start = ev->start_mark;
    return 0;
}

static int close_collection(struct loader *L)
{
    struct yframe f = L->frames[--L->nframes];
    struct ynode *n = f.node;
    size_t count = L->npending - f.base;
    struct ynode **items = count ? L->pending + f.base : NULL;
    int rc = 0;
    if (n->kind == YNODE_SEQ) {
        n->n = count;
        n->items = yarena_alloc(L->tree->arena, count * sizeof *n->items);
        if (count)
            memcpy(n->items, items, count * sizeof *items);
    } else {
        n->n = count / 2;
        n->pairs = yarena_alloc(L->tree->arena, n->n * sizeof *n->pairs);
        for (size_t i = 0; i < n->n; i++) {
            n->pairs[i].key = items[2 * i];
            n->pairs[i].value = items[2 * i + 1];
        }
        rc = check_duplicates(L, n);
    }
    L->npending = f.base;
    if (!rc && f.anchor)
        anchors_put(&L->anchors, f.anchor, n, f.size, f.height + 1);
    free(f.anchor);
    return rc ? rc : attach(L, n, f.size, f.height + 1, f.start);
}

static int on_scalar(struct loader *L, const yaml_event_t *ev)
{
    if (count_nodes(L, 1, 0, ev->start_mark))
        return -1;
    struct ynode *n = new_node(L, YNODE_SCALAR, ev->start_mark);
    n->str =
        yarena_strndup(L->tree->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ev->data.scalar.anchor)
        anchors_put(&L->anchors, (const char *)ev->data.scalar.anchor, n, 1, 0);
    return attach(L, n, 1, 0, ev->start_mark);
}

static int on_alias(struct loader *L, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    struct yanchor *a = anchors_find(&L->anchors, name);
    if (!a || !a->name) {
        /* An anchor on a collection is registered when it closes, so an
         * alias inside its own anchored node lands here: the tree is a DAG. */
        for (size_t i = 0; i < L->nframes; i++)
            if (L->frames[i].anchor && strcmp(L->frames[i].anchor, name) == 0)
                return fail_at(L, ev->start_mark, "alias '%s' refers to its own enclosing node",
                               name);
        return fail_at(L, ev->start_mark, "unknown anchor '%s'", name);
    }
    if (count_nodes(L, a->size, 1, ev->start_mark))
        return -1;
    return attach(L, a->node, a->size, a->height, ev->start_mark);
}

static int on_event(struct loader *L, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        /* Anchors are local to a document. */
        anchors_clear(&L->anchors);
        L->root = NULL;
        return 0;
    case YAML_DOCUMENT_END_EVENT: {
        struct ynode *r = L->root;
        /* "---" with nothing after it is an empty document, not a null value. */
        if (r && r->kind == YNODE_SCALAR && r->plain && r->len == 0)
            r = NULL;
        xgrow((void **)&L->docs, &L->doccap, L->ndocs + 1, sizeof *L->docs);
        L->docs[L->ndocs++] = r;
        return 0;
    }
    case YAML_SCALAR_EVENT:
        return on_scalar(L, ev);
    case YAML_ALIAS_EVENT:
        return on_alias(L, ev);
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(L, YNODE_SEQ, ev, ev->data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
        return open_collection(L, YNODE_MAP, ev, ev->data.mapping_start.anchor);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection(L);
    default:
        return 0;
    }
}

/*
 * libyaml's reader reports a byte offset, not a mark: recount lines and
 * (character) columns up to it the way the scanner would.
 */
static void offset_position(const char *buf, size_t len, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
            (*line)++;
            *col = 1;
        } else if (c != '\r' && (c & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static void report_libyaml(struct loader *L, const yaml_parser_t *p, const char *buf, size_t len)
{
    const char *problem = p->problem ? p->problem : "unknown error";
    int line, col;
    char extra[32] = "";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        diag_set(L->d, L->file, 0, 0, "invalid YAML: out of memory");
        return;
    case YAML_READER_ERROR:
        offset_position(buf, len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            snprintf(extra, sizeof extra, " (#x%X)", (unsigned)p->problem_value);
        diag_set(L->d, L->file, line, col, "invalid YAML: %s%s", problem, extra);
        return;
    default:
        diag_set(L->d, L->file, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1,
                 "invalid YAML: %s%s%s", problem, p->context ? " " : "",
                 p->context ? p->context : "");
        return;
    }
}

struct ytree *ytree_load_string(const char *name, const char *buf, size_t len, struct diag *d)
{
    struct ytree *t = xcalloc(1, sizeof *t);
    t->arena = xcalloc(1, sizeof *t->arena);
    struct loader L = {.tree = t, .d = d};
    L.file = yarena_strndup(t->arena, name, strlen(name));

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_set(d, name, 0, 0, "invalid YAML: out of memory");
        ytree_free(t);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(buf ? buf : ""), buf ? len : 0);
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_libyaml(&L, &parser, buf, len);
            rc = -1;
            break;
        }
        int done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&L, &ev);
        yaml_event_delete(&ev);
        if (rc || done)
            break;
    }
    yaml_parser_delete(&parser);

    for (size_t i = 0; i < L.nframes; i++)
        free(L.frames[i].anchor);
    free(L.frames);
    free(L.pending);
    anchors_clear(&L.anchors);
    if (rc) {
        free(L.docs);
        ytree_free(t);
        return NULL;
    }
    t->ndocs = L.ndocs;
    t->docs = yarena_alloc(t->arena, L.ndocs * sizeof *t->docs);
    if (L.ndocs)
        memcpy(t->docs, L.docs, L.ndocs * sizeof *t->docs);
    free(L.docs);
    return t;
}

struct ytree *ytree_load_file(const char *path, struct diag *d)
{
    size_t len;
    char *buf = textfile_read(path, &len, d);
    if (!buf)
        return NULL;
    struct ytree *t = ytree_load_string(path, buf, len, d);
    free(buf);
    return t;
}

void ytree_free(struct ytree *t)
{
    if (!t)
        return;
    yarena_free(t->arena);
    free(t);
}

void *ytree_alloc(struct ytree *t, size_t n)
{
    return yarena_alloc(t->arena, n);
}

void ytree_adopt(struct ytree *t, struct ytree *other)
{
    if (!other)
        return;
    struct ychunk *c = other->arena->chunks;
    if (c) {
        /* Splice other's chunks in behind t's newest, which keeps its free space. */
        struct ychunk *last = c;
        while (last->next)
            last = last->next;
        if (t->arena->chunks) {
            last->next = t->arena->chunks->next;
            t->arena->chunks->next = c;
        } else {
            t->arena->chunks = c;
        }
    }
    free(other->arena);
    free(other);
}

/* ---- queries ---------------------------------------------------------- */

int ynode_is_null(const struct ynode *n)
{
    if (!n)
        return 1;
    if (n->kind != YNODE_SCALAR || !n->plain)
        return 0;
    return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
           strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

const struct ynode *ynode_get(const struct ynode *n, const char *key)
{
    if (!n || n->kind != YNODE_MAP)
        return NULL;
    size_t len = strlen(key);
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *k = n->pairs[i].key;
        if (k->len == len && memcmp(k->str, key, len) == 0)
            return n->pairs[i].value;
    }
    return NULL;
}

const char *ynode_kind_name(const struct ynode *n)
{
    if (!n || ynode_is_null(n))
        return "null";
    switch (n->kind) {
    case YNODE_SEQ:
        return "a list";
    case YNODE_MAP:
        return "a mapping";
    default:
        return "a string";
    }
}
