#include "sim/io/csv.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/textfile.h"

/* Splits line (NUL-terminated, modified in place) at commas into *fields. */
static size_t split(char *line, char ***fields, size_t *cap)
{
    size_t n = 0;
    for (char *p = line;;) {
        xgrow((void **)fields, cap, n + 1, sizeof **fields);
        (*fields)[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            return n;
        *comma = '\0';
        p = comma + 1;
    }
}

int csv_load(struct csv *c, const char *path, struct diag *d)
{
    memset(c, 0, sizeof *c);
    size_t len;
    if (!(c->buf = textfile_read(path, &len, d)))
        return -1;
    if (strlen(c->buf) != len) {
        diag_set(d, path, 0, 0, "not a CSV file: it contains a NUL byte");
        return -1;
    }
    char **fields = NULL;
    size_t cap = 0, ncells = 0, cells_cap = 0;
    int lineno = 0;
    for (char *line = c->buf; *line;) {
        char *nl = strchr(line, '\n');
        char *next = nl ? nl + 1 : line + strlen(line);
        if (nl)
            *nl = '\0';
        if (nl && nl > line && nl[-1] == '\r')
            nl[-1] = '\0';
        lineno++;
        size_t n = split(line, &fields, &cap);
        if (lineno == 1) {
            c->ncols = n;
            c->head = xmalloc(n * sizeof *c->head);
            memcpy(c->head, fields, n * sizeof *fields);
        } else if (n != c->ncols) {
            diag_set(d, path, lineno, 1, "row has %zu fields, the header has %zu", n, c->ncols);
            free(fields);
            return -1;
        } else {
            xgrow((void **)&c->cells, &cells_cap, ncells + n, sizeof *c->cells);
            memcpy(c->cells + ncells, fields, n * sizeof *fields);
            ncells += n;
            c->nrows++;
        }
        line = next;
    }
    free(fields);
    if (lineno == 0) {
        diag_set(d, path, 1, 1, "empty file, expected a header row");
        return -1;
    }
    return 0;
}

void csv_release(struct csv *c)
{
    free(c->head);
    free(c->cells);
    free(c->buf);
    memset(c, 0, sizeof *c);
}

int csv_column(const struct csv *c, const char *name)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (strcmp(c->head[i], name) == 0)
            return (int)i;
    return -1;
}

const char *csv_cell(const struct csv *c, size_t row, size_t col)
{
    return c->cells[row * c->ncols + col];
}

int csv_number(const char *field, double *out)
{
    char *end;
    if (!*field)
        return -1;
    double v = strtod(field, &end);
    if (*end)
        return -1;
    *out = v;
    return 0;
}
