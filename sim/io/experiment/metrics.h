#ifndef KSIM_IO_METRICS_H
#define KSIM_IO_METRICS_H
/*
 * The numeric leaves of a run's summary.json as (dotted path, value) pairs in
 * document order: {"pods": {"pending_at_end": 10}} gives
 * "pods.pending_at_end" = 10. Strings and booleans are left out; so are
 * "seed", which identifies the run rather than measures it. The names are
 * sim/io/jsonflat's, as in `ksim diff`; this is the metric list `ksim
 * compare`, `ksim sweep` and `ksim plan` work with.
 */
#include <stddef.h>

#include "sim/base/diag.h"

struct metrics {
    char **names; /* heap strings */
    double *values;
    size_t n, cap;
};

void metrics_init(struct metrics *m);
void metrics_release(struct metrics *m);

/* Appends one metric (name copied). */
void metrics_add(struct metrics *m, const char *name, double value);

/*
 * Appends the numeric leaves of dir/summary.json to m. 0, or -1 with d set
 * (jsonflat_load's messages: cannot open, not valid JSON).
 */
int metrics_read_summary(const char *dir, struct metrics *m, struct diag *d);

/* Index of name in m, or -1. */
long metrics_find(const struct metrics *m, const char *name);

/* A NULL-terminated array of m's names (pointers into m), for diag_suggest. Heap. */
const char **metrics_names(const struct metrics *m);

#endif
