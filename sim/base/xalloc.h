#ifndef KSIM_BASE_XALLOC_H
#define KSIM_BASE_XALLOC_H
/*
 * Allocation wrappers that never return NULL: out of memory prints one line
 * and aborts (the Redis zmalloc / git xmalloc pattern). A simulator that runs
 * out of memory mid-run has no useful way to continue.
 */
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of elsize bytes) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t elsize);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Programmer errors: an invariant was broken. Prints file:line and aborts. */
#define BUG(msg) xbug(__FILE__, __LINE__, (msg))
void xbug(const char *file, int line, const char *msg) __attribute__((noreturn));

#endif
