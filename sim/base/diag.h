#ifndef KSIM_BASE_DIAG_H
#define KSIM_BASE_DIAG_H
/*
 * User-facing diagnostics. Every error a user can cause ends up as exactly one
 * line, "file:line:col: message", printed by the command-line front end. Code
 * that detects a bad input fills a struct diag and returns -1; the first error
 * wins (later diag_set calls on an already-set diag are ignored), so the user
 * sees the root cause rather than its consequences.
 *
 * Messages are lower case, name the offending value, and suggest a fix where
 * one is obvious ("unknown policy 'frist-fit' (did you mean 'first-fit'?)").
 */
#include <stddef.h>

struct diag {
    int set;         /* non-zero once an error has been recorded */
    char text[1024]; /* the complete line, without a trailing newline */
};

/*
 * Records an error at file:line:col (1-based). line == 0 omits line and col
 * ("file: message"); file == NULL omits the location entirely.
 */
void diag_set(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * For modules below the diagnostics layer that report into a caller's
 * buffer (quantity parsing, consistency checks): formats into err (when
 * non-NULL) and returns -1, so that `return diag_errf(...)` reads naturally.
 */
int diag_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Clears a diag so it can be reused. */
void diag_clear(struct diag *d);

/*
 * The candidate closest to word by edit distance, if it is close enough to be
 * a plausible typo (distance <= max(1, strlen(word) / 3), or a case-only
 * difference); NULL otherwise. candidates is NULL-terminated.
 */
const char *diag_suggest(const char *word, const char *const *candidates);

/* Levenshtein distance between a and b (exposed for tests). */
size_t diag_edit_distance(const char *a, const char *b);

#endif
