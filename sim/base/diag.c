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

void diag_clear(struct diag *d)
{
    d->set = 0;
    d->text[0] = '\0';
}

size_t diag_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = xmalloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagv = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diagv + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagv = up;
        }
    }
    size_t d = row[lb];
    free(row);
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
