#include "sim/io/experiment/sweepmerge.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/base/xalloc.h"
#include "sim/io/experiment/metrics.h"
#include "sim/io/resultsdir.h"
#include "sim/io/textfile.h"
#include "sim/io/experiment/sweep.h"

char *sweepmerge_point_json(const struct sweep *s, size_t p)
{
    size_t *idx = xcalloc(s->naxes, sizeof *idx);
    sweep_point(s, p, idx);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "point", (double)p);
    cJSON *c = cJSON_AddObjectToObject(j, "coordinates");
    for (size_t i = 0; i < s->naxes; i++)
        cJSON_AddStringToObject(c, s->axes[i].name, s->axes[i].values[idx[i]]);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    char *out = xasprintf("%s\n", text);
    cJSON_free(text);
    free(idx);
    return out;
}

struct row {
    size_t point;
    size_t seq;      /* order read: folders in the order given */
    const char *dir; /* where it was found */
    cJSON *coords;   /* the "coordinates" object (owned by json) */
    cJSON *json;
    struct metrics m;
};

struct table {
    struct row *rows;
    size_t n, cap;
};

static void table_release(struct table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        cJSON_Delete(t->rows[i].json);
        metrics_release(&t->rows[i].m);
    }
    free(t->rows);
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Reads one point folder; 1 when read, 0 when incomplete (no point.json), -1 on error. */
static int read_point(struct table *t, const char *dir, const char *pdir, struct diag *d)
{
    char *jpath = xasprintf("%s/point.json", pdir);
    struct diag absent; /* a point without point.json is incomplete, not an error */
    diag_clear(&absent);
    char *text = textfile_read(jpath, NULL, &absent);
    int rc = 0;
    if (!text)
        goto out;
    rc = -1;
    cJSON *j = cJSON_Parse(text);
    const cJSON *pt = cJSON_GetObjectItemCaseSensitive(j, "point");
    cJSON *coords = cJSON_GetObjectItemCaseSensitive(j, "coordinates");
    if (!cJSON_IsNumber(pt) || pt->valuedouble < 0 || !cJSON_IsObject(coords)) {
        diag_set(d, jpath, 0, 0, "not a point.json written by ksim sweep");
        cJSON_Delete(j);
        goto out;
    }
    xgrow((void **)&t->rows, &t->cap, t->n + 1, sizeof *t->rows);
    struct row *r = &t->rows[t->n];
    r->point = (size_t)pt->valuedouble;
    r->seq = t->n;
    r->dir = dir;
    r->json = j;
    r->coords = coords;
    metrics_init(&r->m);
    t->n++;
    rc = metrics_read_summary(pdir, &r->m, d) ? -1 : 1;
out:
    free(text);
    free(jpath);
    return rc;
}

static int read_dir(struct table *t, const char *dir, struct diag *d)
{
    char *points = xasprintf("%s/points", dir);
    DIR *dh = opendir(points);
    if (!dh) {
        diag_set(d, points, 0, 0, "cannot open: %s", strerror(errno));
        free(points);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(dh))) {
        if (!all_digits(e->d_name))
            continue; /* ".", "..", and temporary folders of interrupted points */
        char *pdir = xasprintf("%s/%s", points, e->d_name);
        rc = read_point(t, dir, pdir, d) < 0 ? -1 : 0;
        free(pdir);
    }
    closedir(dh);
    free(points);
    return rc;
}

static int by_point(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->point != y->point)
        return x->point < y->point ? -1 : 1;
    /* Equal points keep the folders' order: the first folder's copy wins. */
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int same_coords(const cJSON *a, const cJSON *b)
{
    return cJSON_Compare(a, b, 1);
}

static void put(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    xgrow((void **)buf, cap, *len + n + 1, 1);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

static void put_field(char **buf, size_t *len, size_t *cap, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        put(buf, len, cap, s);
        return;
    }
    put(buf, len, cap, "\"");
    for (const char *p = s; *p; p++) {
        char one[3] = {*p, 0, 0};
        if (*p == '"')
            one[1] = '"';
        put(buf, len, cap, one);
    }
    put(buf, len, cap, "\"");
}

static char *csv_text(const struct table *t)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    struct metrics cols;
    metrics_init(&cols);
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->rows[i].m.n; k++)
            if (metrics_find(&cols, t->rows[i].m.names[k]) < 0)
                metrics_add(&cols, t->rows[i].m.names[k], 0);
    put(&buf, &len, &cap, "point");
    const cJSON *c, *first = t->n ? t->rows[0].coords : NULL;
    cJSON_ArrayForEach(c, first)
    {
        put(&buf, &len, &cap, ",");
        put_field(&buf, &len, &cap, c->string);
    }
    for (size_t k = 0; k < cols.n; k++) {
        put(&buf, &len, &cap, ",");
        put_field(&buf, &len, &cap, cols.names[k]);
    }
    put(&buf, &len, &cap, "\n");
    for (size_t i = 0; i < t->n; i++) {
        const struct row *r = &t->rows[i];
        char num[64];
        snprintf(num, sizeof num, "%zu", r->point);
        put(&buf, &len, &cap, num);
        cJSON_ArrayForEach(c, r->coords)
        {
            put(&buf, &len, &cap, ",");
            put_field(&buf, &len, &cap, cJSON_IsString(c) ? c->valuestring : "");
        }
        for (size_t k = 0; k < cols.n; k++) {
            long at = metrics_find(&r->m, cols.names[k]);
            put(&buf, &len, &cap, ",");
            if (at >= 0) {
                snprintf(num, sizeof num, "%.15g", r->m.values[at]);
                put(&buf, &len, &cap, num);
            }
        }
        put(&buf, &len, &cap, "\n");
    }
    metrics_release(&cols);
    return buf;
}

/* Sorts, drops duplicate copies of a point, and checks the rows belong to one sweep. */
static int settle(struct table *t, struct diag *d)
{
    qsort(t->rows, t->n, sizeof *t->rows, by_point);
    size_t out = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct row *r = &t->rows[i];
        if (out && t->rows[out - 1].point == r->point) {
            if (!same_coords(t->rows[out - 1].coords, r->coords)) {
                diag_set(d, NULL, 0, 0,
                         "%s/points: point %zu has other coordinates than in %s (different "
                         "sweeps?)",
                         r->dir, r->point, t->rows[out - 1].dir);
                return -1;
            }
            cJSON_Delete(r->json);
            metrics_release(&r->m);
            continue;
        }
        t->rows[out++] = *r;
    }
    t->n = out;
    for (size_t i = 1; i < t->n; i++) {
        const cJSON *a = t->rows[0].coords->child, *b = t->rows[i].coords->child;
        while (a && b && strcmp(a->string, b->string) == 0) {
            a = a->next;
            b = b->next;
        }
        if (a || b) {
            diag_set(d, NULL, 0, 0,
                     "%s/points: point %zu has other axes than point %zu (different "
                     "sweeps?)",
                     t->rows[i].dir, t->rows[i].point, t->rows[0].point);
            return -1;
        }
    }
    return 0;
}

int sweepmerge_write(const char *const *dirs, size_t ndirs, const char *csv_path, size_t *npoints,
                     struct diag *d)
{
    struct table t = {NULL, 0, 0};
    int rc = -1;
    for (size_t i = 0; i < ndirs; i++)
        if (read_dir(&t, dirs[i], d))
            goto out;
    if (settle(&t, d))
        goto out;
    char *text = csv_text(&t);
    rc = resultsdir_write_file(csv_path, text, d);
    free(text);
    *npoints = t.n;
out:
    table_release(&t);
    return rc;
}
