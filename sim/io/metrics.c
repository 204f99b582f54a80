#include "sim/io/metrics.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/base/xalloc.h"
#include "sim/io/textfile.h"

void metrics_init(struct metrics *m)
{
    memset(m, 0, sizeof *m);
}

void metrics_release(struct metrics *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->names[i]);
    free(m->names);
    free(m->values);
    metrics_init(m);
}

void metrics_add(struct metrics *m, const char *name, double value)
{
    size_t cap = m->cap;
    xgrow((void **)&m->names, &cap, m->n + 1, sizeof *m->names);
    xgrow((void **)&m->values, &m->cap, m->n + 1, sizeof *m->values);
    m->names[m->n] = xstrdup(name);
    m->values[m->n] = value;
    m->n++;
}

/* Top-level numbers that identify the run rather than measure it. */
static int is_identity(const char *path)
{
    return strcmp(path, "seed") == 0;
}

static void flatten(struct metrics *m, const cJSON *j, const char *prefix)
{
    for (const cJSON *c = j->child; c; c = c->next) {
        char *path = prefix ? xasprintf("%s.%s", prefix, c->string) : xstrdup(c->string);
        if (cJSON_IsObject(c))
            flatten(m, c, path);
        else if (cJSON_IsNumber(c) && !is_identity(path))
            metrics_add(m, path, c->valuedouble);
        free(path);
    }
}

int metrics_read_summary(const char *dir, struct metrics *m, struct diag *d)
{
    char *path = xasprintf("%s/summary.json", dir);
    char *text = textfile_read(path, NULL, d);
    int rc = -1;
    if (text) {
        cJSON *j = cJSON_Parse(text);
        if (!j || !cJSON_IsObject(j)) {
            diag_set(d, path, 0, 0, "invalid JSON");
        } else {
            flatten(m, j, NULL);
            rc = 0;
        }
        cJSON_Delete(j);
    }
    free(text);
    free(path);
    return rc;
}

long metrics_find(const struct metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0)
            return (long)i;
    return -1;
}

const char **metrics_names(const struct metrics *m)
{
    const char **v = xcalloc(m->n + 1, sizeof *v);
    for (size_t i = 0; i < m->n; i++)
        v[i] = m->names[i];
    return v;
}
