#ifndef KSIM_IO_TEXTFILE_H
#define KSIM_IO_TEXTFILE_H
/*
 * Whole files in memory: the results files that plot, diff and report read
 * back, and the YAML that ytree parses.
 */
#include <stddef.h>

#include "sim/base/diag.h"

/*
 * Reads all of path into a heap buffer, NUL-terminated (the NUL is not
 * counted in *len; len may be NULL). NULL with d set to "path: cannot open:
 * <reason>" or "path: cannot read: <reason>". The caller frees the buffer.
 */
char *textfile_read(const char *path, size_t *len, struct diag *d);

/* Writes len bytes to path, replacing it. 0, or -1 with d set. */
int textfile_write(const char *path, const char *buf, size_t len, struct diag *d);

#endif
