#include "sim/io/jsonflat.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/base/xalloc.h"
#include "sim/io/textfile.h"

static void add(struct jsonflat *f, const char *path, const cJSON *item)
{
    xgrow((void **)&f->leaves, &f->cap, f->n + 1, sizeof *f->leaves);
    struct jsonflat_leaf *l = &f->leaves[f->n++];
    l->path = xstrdup(path);
    l->num = 0;
    if (cJSON_IsNumber(item)) {
        l->kind = JSONFLAT_NUMBER;
        l->num = item->valuedouble;
    } else if (cJSON_IsString(item)) {
        l->kind = JSONFLAT_STRING;
        l->text = xstrdup(item->valuestring);
        return;
    } else if (cJSON_IsBool(item)) {
        l->kind = JSONFLAT_BOOL;
        l->num = cJSON_IsTrue(item);
    } else {
        l->kind = JSONFLAT_NULL;
    }
    char *t = cJSON_PrintUnformatted(item);
    l->text = xstrdup(t);
    cJSON_free(t);
}

static void walk(struct jsonflat *f, const char *path, const cJSON *item)
{
    if (!cJSON_IsObject(item) && !cJSON_IsArray(item)) {
        add(f, path, item);
        return;
    }
    int i = 0;
    for (const cJSON *c = item->child; c; c = c->next, i++) {
        char *sub = cJSON_IsArray(item) ? xasprintf("%s[%d]", path, i)
                    : *path             ? xasprintf("%s.%s", path, c->string)
                                        : xstrdup(c->string);
        walk(f, sub, c);
        free(sub);
    }
}

int jsonflat_parse(struct jsonflat *f, const char *text, const char *name, struct diag *d)
{
    memset(f, 0, sizeof *f);
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithOpts(text, &end, 1);
    if (!j) {
        int line = 1, col = 1;
        for (const char *p = text; end && p < end; p++, col++)
            if (*p == '\n')
                line++, col = 0;
        diag_set(d, name, line, col, "not valid JSON");
        return -1;
    }
    walk(f, "", j);
    cJSON_Delete(j);
    return 0;
}

int jsonflat_load(struct jsonflat *f, const char *path, struct diag *d)
{
    memset(f, 0, sizeof *f);
    size_t len;
    char *text = textfile_read(path, &len, d);
    if (!text)
        return -1;
    int rc = strlen(text) != len ? (diag_set(d, path, 0, 0, "not valid JSON: a NUL byte"), -1)
                                 : jsonflat_parse(f, text, path, d);
    free(text);
    return rc;
}

const struct jsonflat_leaf *jsonflat_find(const struct jsonflat *f, const char *path)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->leaves[i].path, path) == 0)
            return &f->leaves[i];
    return NULL;
}

void jsonflat_release(struct jsonflat *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->leaves[i].path);
        free(f->leaves[i].text);
    }
    free(f->leaves);
    memset(f, 0, sizeof *f);
}
