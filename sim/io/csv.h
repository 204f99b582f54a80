#ifndef KSIM_IO_CSV_H
#define KSIM_IO_CSV_H
/*
 * The CSV files ksim writes and reads back (timeseries.csv, comparison.csv,
 * sweep.csv): a header row of column names, then rows with exactly as many
 * comma-separated fields. ksim never writes commas or quotes inside a field,
 * so there is no quoting; a row of the wrong width is bad input.
 */
#include <stddef.h>

#include "sim/base/diag.h"

struct csv {
    size_t ncols, nrows;
    char **head;  /* ncols names */
    char **cells; /* nrows * ncols fields, row-major; point into buf */
    char *buf;
};

/*
 * Loads path. 0, or -1 with d set ("path: cannot open: ...", "path:1:1: empty
 * file, expected a header row", "path:7:1: row has 3 fields, the header has 12").
 * Release with csv_release either way.
 */
int csv_load(struct csv *c, const char *path, struct diag *d);
void csv_release(struct csv *c);
/* The index of the column named name, or -1. */
int csv_column(const struct csv *c, const char *name);
/* The field at row, col (0-based, row excludes the header). */
const char *csv_cell(const struct csv *c, size_t row, size_t col);
/*
 * Parses a whole field as a number. 0 with *out set, -1 when the field is not
 * one number (empty, text, trailing garbage).
 */
int csv_number(const char *field, double *out);

#endif
