#ifndef KSIM_IO_OVERRIDE_H
#define KSIM_IO_OVERRIDE_H
/*
 * `--set path=value`: replaces (or adds) one value in a loaded YAML document
 * before it is validated, so an override gets exactly the checks the file
 * would. path is dotted keys with [i] list indexes, and [key] for keys that
 * contain dots: spec.cluster.nodePools[0].count,
 * spec.cluster.nodePools[0].labels[topology.kubernetes.io/zone].
 * value is YAML ("40", "best-fit", "{cpu: '4'}", "[a, b]"); its nodes report
 * positions as "--set <path>:1:<col>".
 */
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

/* Splits "path=value" into two heap strings. 0, or -1 with d set when there is no "=". */
int override_split(const char *arg, char **path, char **value, struct diag *d);

/*
 * Applies one override to root (a mapping of tree t). Missing mapping keys on
 * the way are created; a list index must exist. Returns 0 or -1 with d set.
 */
int override_apply(struct ytree *t, struct ynode *root, const char *path, const char *value,
                   struct diag *d);

#endif
