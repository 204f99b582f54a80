#ifndef KSIM_IO_RESULTSDIR_H
#define KSIM_IO_RESULTSDIR_H
/*
 * A results folder that appears whole or not at all (git's lockfile
 * pattern): files are written into a hidden temporary folder beside the
 * final one, which is renamed into place only once everything is written.
 * An earlier folder of the same name is replaced.
 */
#include "sim/base/diag.h"

struct resultsdir {
    char *final; /* the folder asked for */
    char *tmp;   /* where files are written until commit */
};

/* Creates the parent folders and the temporary folder. 0, or -1 with d set. */
int resultsdir_begin(struct resultsdir *r, const char *final, struct diag *d);
/* The path of name inside the temporary folder (heap string). */
char *resultsdir_path(const struct resultsdir *r, const char *name);
/* Moves the temporary folder into place. 0, or -1 with d set (the temporary folder is removed). */
int resultsdir_commit(struct resultsdir *r, struct diag *d);
/* Removes the temporary folder and everything in it. Safe to call twice. */
void resultsdir_abort(struct resultsdir *r);
void resultsdir_release(struct resultsdir *r);

/*
 * Writes text to path through a temporary file in the same folder renamed
 * over it, so readers see the old file or the new one, never a part.
 * Creates missing parent folders. 0, or -1 with d set.
 */
int resultsdir_write_file(const char *path, const char *text, struct diag *d);

/* mkdir -p. 0 or -1 (errno set). */
int resultsdir_mkdirs(const char *path);
/* rm -rf of a folder (no symlinks followed). 0 or -1. */
int resultsdir_remove_tree(const char *path);

#endif
