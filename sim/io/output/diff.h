#ifndef KSIM_IO_DIFF_H
#define KSIM_IO_DIFF_H
/*
 * Regression checks between two results folders (`ksim diff A B`): every
 * numeric leaf of summary.json (named by its dotted path, sim/io/jsonflat.h)
 * and every cell of timeseries.csv (named by its column) are compared within
 * a relative tolerance. A leaf or column present on one side only, a leaf that
 * changes kind (a number becoming null), a different number of rows or a
 * changed non-numeric value is a difference whatever the tolerance.
 *
 * Two numbers a and b are equal within rel when |a - b| <= rel * max(|a|, |b|):
 * symmetric, so diff A B and diff B A agree, and rel = 0 means exactly equal.
 * The change printed is (b - a) / |a|.
 */
#include <stddef.h>
#include <stdio.h>

#include "sim/base/diag.h"

struct csv;
struct jsonflat;

struct diff_tolerance {
    const char *pattern; /* fnmatch(3) pattern over metric or column names */
    double rel;
};

struct diff_options {
    const struct diff_tolerance *tols; /* the last matching one applies */
    size_t ntols;
    double default_rel; /* when none matches */
    size_t max_cells;   /* cells printed per column before a count line */
};

/* The tolerance for name. */
double diff_tolerance_for(const struct diff_options *o, const char *name);
/* Whether a and b are equal within rel (see above). */
int diff_within(double a, double b, double rel);
/* (b - a) / |a|; 0 when both are 0, +-inf when only a is. */
double diff_change(double a, double b);

/* Compares two flattened summaries, printing each difference to out. Returns their count. */
size_t diff_summaries(const struct jsonflat *a, const struct jsonflat *b,
                      const struct diff_options *o, FILE *out);
/* Compares two time series cell by cell, printing to out. Returns the number of differences. */
size_t diff_timeseries(const struct csv *a, const struct csv *b, const struct diff_options *o,
                       FILE *out);
/*
 * Compares folders a and b (summary.json and timeseries.csv in each).
 * Returns the number of differences, or -1 with d set when a folder or a
 * file in it cannot be read or is malformed.
 */
long diff_folders(const char *a, const char *b, const struct diff_options *o, FILE *out,
                  struct diag *d);

#endif
