#ifndef KSIM_IO_YEMIT_H
#define KSIM_IO_YEMIT_H
/*
 * Writes a ytree node back out as YAML through libyaml's emitter: how a run
 * saves the scenario it ran (scenario.yaml in the results folder) after its
 * --set overrides were applied to the tree. Key order is kept; scalars that
 * were quoted stay quoted, so "8" stays a string; comments and anchors of the
 * original are not kept (aliases were already expanded by the loader).
 */
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

/*
 * Writes root to path, preceded by header (comment lines, each starting with
 * '#'; may be NULL). 0, or -1 with d set.
 */
int yemit_file(const struct ynode *root, const char *header, const char *path, struct diag *d);

/*
 * node as one line of flow-style YAML ({a: 1, b: [x, "8"]}, 40, "8"), for a
 * value that travels as text: a variant's or a sweep axis's --set value, a
 * sweep coordinate. Heap; NULL if libyaml fails.
 */
char *yemit_flow(const struct ynode *n);

#endif
