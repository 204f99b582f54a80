#include "sim/cluster/labelsel.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

const char *const labelsel_op_names[] = {"In", "NotIn", "Exists", "DoesNotExist", NULL};

void labelsel_init(struct labelsel *s)
{
    memset(s, 0, sizeof *s);
    labelset_init(&s->match_labels);
}

void labelsel_release(struct labelsel *s)
{
    labelset_release(&s->match_labels);
    for (size_t i = 0; i < s->nreqs; i++) {
        free(s->reqs[i].key);
        for (size_t j = 0; j < s->reqs[i].nvalues; j++)
            free(s->reqs[i].values[j]);
        free(s->reqs[i].values);
    }
    free(s->reqs);
    memset(s, 0, sizeof *s);
}

void labelsel_add(struct labelsel *s, const char *key, enum labelsel_op op,
                  const char *const *values, size_t nvalues)
{
    xgrow((void **)&s->reqs, &s->capreqs, s->nreqs + 1, sizeof *s->reqs);
    struct labelsel_req *r = &s->reqs[s->nreqs++];
    r->key = xstrdup(key);
    r->op = op;
    r->nvalues = nvalues;
    r->values = xcalloc(nvalues ? nvalues : 1, sizeof *r->values);
    for (size_t i = 0; i < nvalues; i++)
        r->values[i] = xstrdup(values[i]);
}

static int has_value(const struct labelsel_req *r, const char *v)
{
    for (size_t i = 0; i < r->nvalues; i++)
        if (strcmp(r->values[i], v) == 0)
            return 1;
    return 0;
}

/* Follows k8s.io/apimachinery/pkg/labels/selector.go Requirement.Matches. */
static int req_matches(const struct labelsel_req *r, const struct labelset *labels)
{
    const char *v = labelset_get(labels, r->key);
    switch (r->op) {
    case LABELSEL_IN:
        return v && has_value(r, v);
    case LABELSEL_NOT_IN:
        return !v || !has_value(r, v);
    case LABELSEL_EXISTS:
        return v != NULL;
    case LABELSEL_DOES_NOT_EXIST:
        return v == NULL;
    }
    return 0;
}

int labelsel_matches(const struct labelsel *s, const struct labelset *labels)
{
    if (!labelset_matches(labels, &s->match_labels))
        return 0;
    for (size_t i = 0; i < s->nreqs; i++)
        if (!req_matches(&s->reqs[i], labels))
            return 0;
    return 1;
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const struct label *const *)a)->key, (*(const struct label *const *)b)->key);
}

/* Appends s to the heap string *buf. */
static void cat(char **buf, const char *s)
{
    char *n = xasprintf("%s%s", *buf, s);
    free(*buf);
    *buf = n;
}

/* Follows k8s.io/apimachinery/pkg/apis/meta/v1/generated.pb.go (*LabelSelector).String. */
char *labelsel_go_string(const struct labelsel *s)
{
    char *out = xstrdup("&LabelSelector{MatchLabels:map[string]string{");
    size_t n = s->match_labels.n;
    const struct label **sorted = xcalloc(n ? n : 1, sizeof *sorted);
    for (size_t i = 0; i < n; i++)
        sorted[i] = &s->match_labels.v[i];
    qsort(sorted, n, sizeof *sorted, by_key);
    for (size_t i = 0; i < n; i++) {
        char *kv = xasprintf("%s: %s,", sorted[i]->key, sorted[i]->value);
        cat(&out, kv);
        free(kv);
    }
    free(sorted);
    cat(&out, "},MatchExpressions:[]LabelSelectorRequirement{");
    for (size_t i = 0; i < s->nreqs; i++) {
        const struct labelsel_req *r = &s->reqs[i];
        /* A []string under %v: "[a b]". */
        char *vals = xstrdup("[");
        for (size_t j = 0; j < r->nvalues; j++) {
            if (j)
                cat(&vals, " ");
            cat(&vals, r->values[j]);
        }
        cat(&vals, "]");
        char *req = xasprintf("LabelSelectorRequirement{Key:%s,Operator:%s,Values:%s,},", r->key,
                              labelsel_op_names[r->op], vals);
        cat(&out, req);
        free(req);
        free(vals);
    }
    cat(&out, "},}");
    return out;
}
