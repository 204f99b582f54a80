#ifndef KSIM_IO_JSONFLAT_H
#define KSIM_IO_JSONFLAT_H
/*
 * A JSON document as a flat list of its leaves, each named by its dotted
 * path: {"pods": {"created": 756}} is one leaf "pods.created" = 756, and list
 * elements are named "name[i]". Empty objects and lists have no leaves. This
 * is how `ksim diff`, `ksim report` and comparison.csv name summary.json's
 * metrics (e.g. "scheduling_latency_s.p95").
 */
#include <stddef.h>

#include "sim/base/diag.h"

enum jsonflat_kind { JSONFLAT_NUMBER, JSONFLAT_NULL, JSONFLAT_STRING, JSONFLAT_BOOL };

struct jsonflat_leaf {
    char *path;
    enum jsonflat_kind kind;
    double num; /* NUMBER; BOOL as 0 or 1 */
    char *text; /* STRING: the string; otherwise its JSON text ("756", "null", "true") */
};

struct jsonflat {
    struct jsonflat_leaf *leaves; /* in document order */
    size_t n, cap;
};

/*
 * Flattens the JSON text (name is used in messages). 0, or -1 with d set to
 * "name:line:col: not valid JSON". Release with jsonflat_release either way.
 */
int jsonflat_parse(struct jsonflat *f, const char *text, const char *name, struct diag *d);
/* Reads and flattens the file path. 0, or -1 with d set. */
int jsonflat_load(struct jsonflat *f, const char *path, struct diag *d);
/* The leaf named path, or NULL. */
const struct jsonflat_leaf *jsonflat_find(const struct jsonflat *f, const char *path);
void jsonflat_release(struct jsonflat *f);

#endif
