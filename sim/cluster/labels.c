#include "sim/cluster/labels.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

void labelset_init(struct labelset *ls)
{
    memset(ls, 0, sizeof *ls);
}

void labelset_release(struct labelset *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->v[i].key);
        free(ls->v[i].value);
    }
    free(ls->v);
    memset(ls, 0, sizeof *ls);
}

void labelset_set(struct labelset *ls, const char *key, const char *value)
{
    for (size_t i = 0; i < ls->n; i++) {
        if (strcmp(ls->v[i].key, key) == 0) {
            free(ls->v[i].value);
            ls->v[i].value = xstrdup(value);
            return;
        }
    }
    xgrow((void **)&ls->v, &ls->cap, ls->n + 1, sizeof *ls->v);
    ls->v[ls->n].key = xstrdup(key);
    ls->v[ls->n].value = xstrdup(value);
    ls->n++;
}

const char *labelset_get(const struct labelset *ls, const char *key)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strcmp(ls->v[i].key, key) == 0)
            return ls->v[i].value;
    return NULL;
}

void labelset_copy(struct labelset *dst, const struct labelset *src)
{
    labelset_init(dst);
    for (size_t i = 0; i < src->n; i++)
        labelset_set(dst, src->v[i].key, src->v[i].value);
}

int labelset_matches(const struct labelset *ls, const struct labelset *selector)
{
    for (size_t i = 0; i < selector->n; i++) {
        const char *v = labelset_get(ls, selector->v[i].key);
        if (!v || strcmp(v, selector->v[i].value) != 0)
            return 0;
    }
    return 1;
}

const char *const taint_effect_names[] = {"NoSchedule", "PreferNoSchedule", "NoExecute", NULL};

int taint_effect_parse(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, taint_effect_names[i]) == 0)
            return i;
    return -1;
}

const char *taint_effect_name(enum taint_effect e)
{
    return taint_effect_names[e];
}

void taint_copy(struct taint *dst, const struct taint *src)
{
    dst->key = xstrdup(src->key);
    dst->value = xstrdup(src->value);
    dst->effect = src->effect;
}

void taint_release(struct taint *t)
{
    free(t->key);
    free(t->value);
}

void toleration_copy(struct toleration *dst, const struct toleration *src)
{
    dst->key = xstrdup(src->key);
    dst->value = xstrdup(src->value);
    dst->op = src->op;
    dst->effect = src->effect;
}

void toleration_release(struct toleration *t)
{
    free(t->key);
    free(t->value);
}

int toleration_tolerates(const struct toleration *tol, const struct taint *taint)
{
    if (tol->effect >= 0 && tol->effect != (int)taint->effect)
        return 0;
    if (tol->key[0] && strcmp(tol->key, taint->key) != 0)
        return 0;
    if (tol->op == TOL_EXISTS)
        return 1;
    /* Equal with an empty key is rejected by API validation; upstream then
     * compares values, which is what we do too. */
    return strcmp(tol->value, taint->value) == 0;
}

int taints_first_untolerated(const struct taint *taints, size_t ntaints,
                             const struct toleration *tols, size_t ntols)
{
    for (size_t i = 0; i < ntaints; i++) {
        if (taints[i].effect == TAINT_PREFER_NO_SCHEDULE)
            continue;
        size_t j = 0;
        while (j < ntols && !toleration_tolerates(&tols[j], &taints[i]))
            j++;
        if (j == ntols)
            return (int)i;
    }
    return -1;
}
