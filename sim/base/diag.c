#include "sim/base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "sim/base/xalloc.h"

void diag_set(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    if (!d || d->set)
        return;
    size_t off = 0;
    int n = 0;
    if (file && line > 0)
        n = snprintf(d->text, sizeof d->text, "%s:%d:%d: ", file, line, col > 0 ? col : 1);
    else if (file)
        n = snprintf(d->text, sizeof d->text, "%s: ", file);
    if (n > 0)
        off = (size_t)n < sizeof d->text ? (size_t)n : sizeof d->text - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->text + off, sizeof d->text - off, fmt, ap);
    va_end(ap);
    /* A diagnostic is one line: fold any newline a value smuggled in. */
    for (char *p = d->text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    d->set = 1;
}

int diag_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void diag_clear(struct diag *d)
{
    d->set = 0;
    d->text[0] = '\0';
}

/*
 * Optimal string alignment distance: Levenshtein plus transposition of two
 * adjacent characters, the commonest typo ("sede" for "seed" is one edit).
 */
size_t diag_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t w = lb + 1;
    size_t *m = xmalloc((la + 1) * w * sizeof *m);
    for (size_t i = 0; i <= la; i++)
        m[i * w] = i;
    for (size_t j = 0; j <= lb; j++)
        m[j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = m[(i - 1) * w + j - 1] + cost;
            if (m[(i - 1) * w + j] + 1 < best)
                best = m[(i - 1) * w + j] + 1;
            if (m[i * w + j - 1] + 1 < best)
                best = m[i * w + j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                m[(i - 2) * w + j - 2] + 1 < best)
                best = m[(i - 2) * w + j - 2] + 1;
            m[i * w + j] = best;
        }
    }
    size_t d = m[la * w + lb];
    free(m);
    return d;
}

const char *diag_suggest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t limit = strlen(word) / 3;
    if (limit < 1)
        limit = 1;
    for (; candidates && *candidates; candidates++) {
        if (strcasecmp(word, *candidates) == 0)
            return *candidates;
        size_t dist = diag_edit_distance(word, *candidates);
        if (dist < bestd) {
            bestd = dist;
            best = *candidates;
        }
    }
    return bestd <= limit ? best : NULL;
}
