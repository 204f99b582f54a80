#ifndef KSIM_IO_SWEEPMERGE_H
#define KSIM_IO_SWEEPMERGE_H
/*
 * The table of a sweep: one row per completed point, found in the points/
 * folders of one or more sweep output folders (shards run apart and merged
 * later, or the same folder on a shared volume).
 *
 * A point folder DIR/points/<nnnn>/ is a results folder plus point.json:
 *   {"point": 3, "coordinates": {"spec.cluster.nodePools[0].count": "4", "seed": "2"}}
 * written last, so a folder without it is an interrupted point and is left
 * out. sweep.csv has the columns point, one per axis (in axis order), then
 * every numeric summary.json metric (first-seen order over the points in
 * point order); rows are sorted by point number, values printed with %.15g
 * (which gives back summary.json's decimals), and fields with a comma or a
 * quote are quoted as RFC 4180 says. A point found in several folders must
 * have the same coordinates everywhere; the first folder's copy is used.
 */
#include <stddef.h>

#include "sim/base/diag.h"

struct sweep;

/* point.json's text for point p of s. Heap. */
char *sweepmerge_point_json(const struct sweep *s, size_t p);

/*
 * Reads the points of dirs[0..ndirs) and writes the table to csv_path
 * (atomically). *npoints gets the number of rows. 0, or -1 with d set.
 */
int sweepmerge_write(const char *const *dirs, size_t ndirs, const char *csv_path, size_t *npoints,
                     struct diag *d);

#endif
