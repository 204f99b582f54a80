#include "sim/cluster/labelselector.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

const char *const lsel_op_names[] = {"In", "NotIn", "Exists", "DoesNotExist", NULL};

void labelselector_init(struct labelselector *s)
{
    memset(s, 0, sizeof *s);
    s->kind = LSEL_NOTHING;
}

static void req_release(struct lsel_req *r)
{
    free(r->key);
    for (size_t i = 0; i < r->nvalues; i++)
        free(r->values[i]);
    free(r->values);
}

void labelselector_release(struct labelselector *s)
{
    for (size_t i = 0; i < s->nreqs; i++)
        req_release(&s->reqs[i]);
    free(s->reqs);
    labelselector_init(s);
}

void labelselector_copy(struct labelselector *dst, const struct labelselector *src)
{
    labelselector_init(dst);
    dst->kind = src->kind;
    for (size_t i = 0; i < src->nreqs; i++) {
        labelselector_add(dst, src->reqs[i].key, src->reqs[i].op,
                          (const char *const *)src->reqs[i].values, src->reqs[i].nvalues);
        dst->reqs[i].from_match_labels = src->reqs[i].from_match_labels;
    }
    dst->invalid = src->invalid;
}

int label_value_valid(const char *v)
{
    size_t n = strlen(v);
    if (n == 0)
        return 1;
    if (n > 63 || !isalnum((unsigned char)v[0]) || !isalnum((unsigned char)v[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
            return 0;
    }
    return 1;
}

void labelselector_add(struct labelselector *s, const char *key, enum lsel_op op,
                       const char *const *values, size_t nvalues)
{
    /* labels.NewRequirement (apimachinery/pkg/labels/selector.go): In and
     * NotIn need at least one value, Exists and DoesNotExist none, and every
     * value must be a valid label value. */
    int with_values = op == LSEL_IN || op == LSEL_NOT_IN;
    if (with_values ? nvalues == 0 : nvalues != 0)
        s->invalid = 1;
    for (size_t i = 0; i < nvalues; i++)
        if (!label_value_valid(values[i]))
            s->invalid = 1;
    s->kind = LSEL_REQS;
    xgrow((void **)&s->reqs, &s->cap, s->nreqs + 1, sizeof *s->reqs);
    struct lsel_req *r = &s->reqs[s->nreqs++];
    r->key = xstrdup(key);
    r->op = op;
    r->nvalues = nvalues;
    r->values = xcalloc(nvalues ? nvalues : 1, sizeof *r->values);
    r->from_match_labels = 0;
    for (size_t i = 0; i < nvalues; i++)
        r->values[i] = xstrdup(values[i]);
}

void labelselector_add_label(struct labelselector *s, const char *key, const char *value)
{
    labelselector_add(s, key, LSEL_IN, &value, 1);
    s->reqs[s->nreqs - 1].from_match_labels = 1;
}

static int value_in(const struct lsel_req *r, const char *v)
{
    for (size_t i = 0; i < r->nvalues; i++)
        if (strcmp(r->values[i], v) == 0)
            return 1;
    return 0;
}

int labelselector_matches(const struct labelselector *s, const struct labelset *labels)
{
    if (s->invalid || s->kind == LSEL_NOTHING)
        return 0;
    for (size_t i = 0; i < s->nreqs; i++) {
        const struct lsel_req *r = &s->reqs[i];
        const char *v = labelset_get(labels, r->key);
        switch (r->op) {
        case LSEL_IN:
            if (!v || !value_in(r, v))
                return 0;
            break;
        case LSEL_NOT_IN: /* an absent key satisfies NotIn (selector.go Matches) */
            if (v && value_in(r, v))
                return 0;
            break;
        case LSEL_EXISTS:
            if (!v)
                return 0;
            break;
        case LSEL_DOES_NOT_EXIST:
            if (v)
                return 0;
            break;
        }
    }
    return 1;
}

int labelselector_empty(const struct labelselector *s)
{
    return s->kind == LSEL_EVERYTHING;
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const struct lsel_req *const *)a)->key,
                  (*(const struct lsel_req *const *)b)->key);
}

/* Appends s to the heap string *buf. */
static void cat(char **buf, const char *s)
{
    char *n = xasprintf("%s%s", *buf, s);
    free(*buf);
    *buf = n;
}

/* Follows k8s.io/apimachinery/pkg/apis/meta/v1/generated.pb.go (*LabelSelector).String. */
char *labelselector_go_string(const struct labelselector *s)
{
    char *out = xstrdup("&LabelSelector{MatchLabels:map[string]string{");
    const struct lsel_req **labels = xcalloc(s->nreqs ? s->nreqs : 1, sizeof *labels);
    size_t n = 0;
    for (size_t i = 0; i < s->nreqs; i++)
        if (s->reqs[i].from_match_labels)
            labels[n++] = &s->reqs[i];
    /* A Go map prints sorted by key. */
    qsort(labels, n, sizeof *labels, by_key);
    for (size_t i = 0; i < n; i++) {
        char *kv = xasprintf("%s: %s,", labels[i]->key, labels[i]->values[0]);
        cat(&out, kv);
        free(kv);
    }
    free(labels);
    cat(&out, "},MatchExpressions:[]LabelSelectorRequirement{");
    for (size_t i = 0; i < s->nreqs; i++) {
        const struct lsel_req *r = &s->reqs[i];
        if (r->from_match_labels)
            continue;
        /* A []string under %v: "[a b]". */
        char *vals = xstrdup("[");
        for (size_t j = 0; j < r->nvalues; j++) {
            if (j)
                cat(&vals, " ");
            cat(&vals, r->values[j]);
        }
        cat(&vals, "]");
        char *req = xasprintf("LabelSelectorRequirement{Key:%s,Operator:%s,Values:%s,},", r->key,
                              lsel_op_names[r->op], vals);
        cat(&out, req);
        free(req);
        free(vals);
    }
    cat(&out, "},}");
    return out;
}
