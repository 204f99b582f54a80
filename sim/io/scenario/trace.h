#ifndef KSIM_IO_TRACE_H
#define KSIM_IO_TRACE_H
/*
 * CSV traces for load models: reads the time (and value) column of a data
 * file into the arrays of a struct load_series (models/load/load.h).
 *
 * The format is RFC 4180 CSV: comma-separated fields, optionally in double
 * quotes ("" inside quotes is one quote), LF or CRLF line ends; blank lines
 * are skipped. With series->header the first line names the columns.
 * Times are numbers or date-times (trace_parse_instant), all rows of one
 * kind; values are non-negative numbers.
 *
 * Messages (one line, "file:line:col: ..." at the offending field):
 *   <yaml>: file: cannot open '<path>': <strerror>      (at the scenario's file: key)
 *   <yaml>: timeColumn: no column 'cnt' in <file> (did you mean 'count'?)
 *   <yaml>: valueColumn: column 5 does not exist: <file> has 2 columns
 *   f.csv:7:1: expected at least 2 columns, got 1
 *   f.csv:7:21: value: expected a number, got 'abc'
 *   f.csv:7:21: value: must not be negative, got -3
 *   f.csv:7:1: time: expected a number or a date-time (YYYY-MM-DD HH:MM:SS), got 'noon'
 *   f.csv:7:1: time: a date-time after numeric times in earlier rows   (and the converse)
 *   f.csv:9:1: time '20' is not after the previous row's (line 8)     (strict series)
 *   f.csv:9:1: time '20' is before the previous row's (line 8)        (arrival timestamps)
 *   f.csv: no data rows
 */
#include "models/load/load.h"
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

/*
 * A time as written in a trace or a scenario: a decimal number (*date = 0,
 * the number itself) or a UTC date-time "YYYY-MM-DD HH:MM:SS[.fraction]"
 * (also with 'T' for the space and a trailing 'Z'; *date = 1, seconds since
 * 1970-01-01, fraction kept to the microsecond). 0, or -1 when s is neither.
 */
int trace_parse_instant(const char *s, double *out, int *date);

/* Which YAML nodes errors about the file and its columns point at (any may be NULL). */
struct trace_nodes {
    const struct ynode *file, *time_col, *value_col;
};

/*
 * Reads the file at path (display names it in messages) into s: time, line,
 * n and dates, and value when want_values. strict: times must increase
 * (a rate series); otherwise they must not decrease (arrival timestamps).
 * 0, or -1 with d set. The arrays are freed by trace_release.
 */
int trace_read(const char *path, const char *display, struct load_series *s, int want_values,
               int strict, const struct trace_nodes *nodes, struct diag *d);
void trace_release(struct load_series *s);

#endif
