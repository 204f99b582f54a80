#ifndef KSIM_IO_SWEEP_H
#define KSIM_IO_SWEEP_H
/*
 * A sweep file (apiVersion ksim.io/v1alpha1, kind Sweep): a base scenario and
 * axes whose cartesian product is the set of runs ("points").
 *
 *   apiVersion: ksim.io/v1alpha1
 *   kind: Sweep
 *   metadata: {name: sweep-nodes}
 *   spec:
 *     scenario: binpack-compare.yaml     # relative to the sweep file
 *     set: {"spec.duration": 2h}         # optional overrides for every point
 *     axes:
 *       - {path: spec.cluster.nodePools[0].count, values: [2, 4, 6]}
 *       - {path: spec.cluster.nodePools[1].count, range: {from: 1, to: 3, step: 1}}
 *       - {policies: [first-fit, best-fit]}   # placement policies or variants
 *       - {seeds: {from: 1, to: 3}}           # or seeds: [1, 2, 3]
 *
 * Numbering: points are numbered from 0 like nested loops in the order the
 * axes are written, the last axis varying fastest. With axes of sizes
 * n0, n1, ..., point p has index (p / (n1*n2*...)) % n0 on the first axis,
 * and p % n_last on the last. A range includes `to` when the steps land on
 * it; its values keep integer form when from and step are integers.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"
#include "sim/io/experiment/experiment.h"

/* More points than this is almost surely a mistake in a range. */
#define SWEEP_MAX_POINTS 1000000

enum sweep_axis_kind { SWEEP_PATH, SWEEP_POLICY, SWEEP_SEED };

struct sweep_axis {
    enum sweep_axis_kind kind;
    char *name;    /* the path, "policy" or "seed": the column name */
    char **values; /* YAML text of each value (heap) */
    size_t nvalues;
};

struct sweep {
    char *path;     /* the sweep file */
    char *name;     /* metadata.name */
    char *scenario; /* the base scenario, resolved against the sweep file's folder */
    struct exp_sets sets;
    struct sweep_axis *axes;
    size_t naxes;
    size_t npoints;
};

/* Loads and checks a sweep file (not the scenario). NULL with d set on error. */
struct sweep *sweep_load(const char *path, struct diag *d);
void sweep_free(struct sweep *s);

/* The index on each axis (idx has naxes entries) of point p < npoints. */
void sweep_point(const struct sweep *s, size_t p, size_t *idx);

#endif
