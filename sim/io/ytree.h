#ifndef KSIM_IO_YTREE_H
#define KSIM_IO_YTREE_H
/*
 * YAML (and JSON, which libyaml reads as YAML) loaded into a tree whose every
 * node remembers its file, line and column, so that any later check can
 * report "file:line:col: what is wrong".
 *
 * Loading is defensive: invalid UTF-8, control bytes, NUL bytes, unbalanced
 * flow collections and every other libyaml error become one diagnostic;
 * nesting deeper than YTREE_MAX_DEPTH and alias expansion beyond
 * YTREE_MAX_NODES (the "billion laughs" alias bomb) are errors, not hangs.
 * Aliases are resolved by sharing the anchored node (the tree is a DAG);
 * each alias use counts the anchored subtree's size against the limit.
 * Duplicate keys in one mapping are an error ("duplicate key 'x'").
 *
 * All nodes and strings of one load live in one arena freed by ytree_free.
 *
 * Messages (after "file:line:col: "):
 *   invalid YAML: <libyaml problem> [<libyaml context>]
 *       e.g. "invalid YAML: did not find expected ',' or ']' while parsing a
 *       flow sequence"; encoding errors add the byte or character,
 *       "invalid YAML: invalid leading UTF-8 octet (#xFF)"
 *   too deeply nested (more than 256 levels)
 *   alias expansion exceeds 1000000 nodes (YAML alias bomb?)
 *   too many nodes (more than 1000000)
 *   duplicate key 'x'
 *   complex mapping keys are not supported
 *   unknown anchor 'x'
 *   alias 'x' refers to its own enclosing node
 * Tags are ignored ("!!str 5" is a plain "5") and "<<" merge keys are
 * ordinary keys.
 */
#include <stddef.h>

#include "sim/base/diag.h"

#define YTREE_MAX_DEPTH 256
#define YTREE_MAX_NODES 1000000

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode;

struct ypair {
    struct ynode *key; /* always a scalar */
    struct ynode *value;
};

struct ynode {
    enum ynode_kind kind;
    const char *file; /* the file it came from (owned by the tree) */
    int line, col;    /* 1-based position of the node's first character (its anchor, if any) */
    /* scalars */
    const char *str; /* NUL-terminated value; "" for an empty scalar */
    size_t len;
    int plain; /* 1 for a plain (unquoted, non-block) scalar: may be a null/bool/number */
    /* sequences */
    struct ynode **items;
    /* mappings */
    struct ypair *pairs;
    size_t n; /* number of items or pairs */
};

/* One file's documents, in order. */
struct ytree {
    struct ynode **docs; /* root node of each document (NULL for an empty document) */
    size_t ndocs;
    struct yarena *arena; /* private */
};

/*
 * Loads every document of path. On error returns NULL and fills d with
 * "path:line:col: message" (a missing file is "path: cannot open: <strerror>").
 * The displayed file name is path as given.
 */
struct ytree *ytree_load_file(const char *path, struct diag *d);
/* The same from memory; name is the file name used in positions. */
struct ytree *ytree_load_string(const char *name, const char *buf, size_t len, struct diag *d);
void ytree_free(struct ytree *t);

/*
 * Allocates n zeroed bytes, aligned for any type, in t's arena; they live
 * until ytree_free(t). For code that edits a loaded tree (--set overrides).
 */
void *ytree_alloc(struct ytree *t, size_t n);
/*
 * Moves every node and string of other into t's arena and frees other's
 * handle: other's nodes stay valid until ytree_free(t), and other must not be
 * used again. Used to graft a separately loaded value into t.
 */
void ytree_adopt(struct ytree *t, struct ytree *other);

/* Whether a node is a null: a plain "", "~", "null", "Null" or "NULL" (or n == NULL). */
int ynode_is_null(const struct ynode *n);
/* The value of key in a mapping, or NULL (also NULL when n is not a mapping). */
const struct ynode *ynode_get(const struct ynode *n, const char *key);
/*
 * A short name of the node's kind for messages: "a string", "a list",
 * "a mapping", "null" (also for n == NULL).
 */
const char *ynode_kind_name(const struct ynode *n);

#endif
