#include "sim/cluster/nodeaffinity.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/labelselector.h"

const char *const nsel_op_names[] = {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", NULL};

void nsel_req_release(struct nsel_req *r)
{
    free(r->key);
    for (size_t i = 0; i < r->nvalues; i++)
        free(r->values[i]);
    free(r->values);
    memset(r, 0, sizeof *r);
}

void nsel_term_release(struct nsel_term *t)
{
    for (size_t i = 0; i < t->nexprs; i++)
        nsel_req_release(&t->exprs[i]);
    for (size_t i = 0; i < t->nfields; i++)
        nsel_req_release(&t->fields[i]);
    free(t->exprs);
    free(t->fields);
    memset(t, 0, sizeof *t);
}

void node_affinity_release(struct node_affinity *a)
{
    for (size_t i = 0; i < a->nrequired; i++)
        nsel_term_release(&a->required[i]);
    for (size_t i = 0; i < a->npreferred; i++)
        nsel_term_release(&a->preferred[i].term);
    free(a->required);
    free(a->preferred);
    memset(a, 0, sizeof *a);
}

static void req_copy(struct nsel_req *dst, const struct nsel_req *src)
{
    *dst = *src;
    dst->key = xstrdup(src->key);
    dst->values = xcalloc(src->nvalues ? src->nvalues : 1, sizeof *dst->values);
    for (size_t i = 0; i < src->nvalues; i++)
        dst->values[i] = xstrdup(src->values[i]);
}

static void term_copy(struct nsel_term *dst, const struct nsel_term *src)
{
    memset(dst, 0, sizeof *dst);
    dst->exprs = xcalloc(src->nexprs ? src->nexprs : 1, sizeof *dst->exprs);
    dst->fields = xcalloc(src->nfields ? src->nfields : 1, sizeof *dst->fields);
    for (size_t i = 0; i < src->nexprs; i++)
        req_copy(&dst->exprs[i], &src->exprs[i]);
    for (size_t i = 0; i < src->nfields; i++)
        req_copy(&dst->fields[i], &src->fields[i]);
    dst->nexprs = src->nexprs;
    dst->nfields = src->nfields;
}

void node_affinity_copy(struct node_affinity *dst, const struct node_affinity *src)
{
    memset(dst, 0, sizeof *dst);
    dst->has_required = src->has_required;
    dst->required = xcalloc(src->nrequired ? src->nrequired : 1, sizeof *dst->required);
    for (size_t i = 0; i < src->nrequired; i++)
        term_copy(&dst->required[i], &src->required[i]);
    dst->nrequired = src->nrequired;
    dst->preferred = xcalloc(src->npreferred ? src->npreferred : 1, sizeof *dst->preferred);
    for (size_t i = 0; i < src->npreferred; i++) {
        dst->preferred[i].weight = src->preferred[i].weight;
        term_copy(&dst->preferred[i].term, &src->preferred[i].term);
    }
    dst->npreferred = src->npreferred;
}

void nsel_pref_init_in(struct nsel_pref *p, int32_t weight, const char *key, const char *value)
{
    memset(p, 0, sizeof *p);
    p->weight = weight;
    p->term.exprs = xcalloc(1, sizeof *p->term.exprs);
    p->term.nexprs = 1;
    p->term.exprs[0].key = xstrdup(key);
    p->term.exprs[0].op = NSEL_IN;
    p->term.exprs[0].values = xcalloc(1, sizeof(char *));
    p->term.exprs[0].values[0] = xstrdup(value);
    p->term.exprs[0].nvalues = 1;
}

static int parse_int64(const char *s, int64_t *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (int64_t)v;
    return 0;
}

/*
 * Mirrors nodeSelectorRequirementsAsSelector (label expressions, through
 * labels.NewRequirement) and nodeSelectorRequirementsAsFieldSelector
 * (fields) in k8s.io/component-helpers/scheduling/corev1/nodeaffinity.
 */
void nsel_req_prepare(struct nsel_req *r, int field)
{
    r->invalid = 0;
    if (field) {
        r->invalid = strcmp(r->key, "metadata.name") != 0 || r->nvalues != 1 ||
                     (r->op != NSEL_IN && r->op != NSEL_NOT_IN);
        return;
    }
    switch (r->op) {
    case NSEL_IN:
    case NSEL_NOT_IN:
        if (r->nvalues == 0)
            r->invalid = 1;
        for (size_t i = 0; i < r->nvalues; i++)
            if (!label_value_valid(r->values[i]))
                r->invalid = 1;
        break;
    case NSEL_EXISTS:
    case NSEL_DOES_NOT_EXIST:
        r->invalid = r->nvalues != 0;
        break;
    case NSEL_GT:
    case NSEL_LT:
        r->invalid = r->nvalues != 1 || parse_int64(r->values[0], &r->num) < 0;
        break;
    }
}

static int in_values(const struct nsel_req *r, const char *v)
{
    for (size_t i = 0; i < r->nvalues; i++)
        if (strcmp(r->values[i], v) == 0)
            return 1;
    return 0;
}

/* labels.Requirement.Matches (k8s.io/apimachinery/pkg/labels/selector.go). */
static int req_matches(const struct nsel_req *r, const char *v)
{
    int64_t x;
    switch (r->op) {
    case NSEL_IN:
        return v && in_values(r, v);
    case NSEL_NOT_IN:
        return !v || !in_values(r, v);
    case NSEL_EXISTS:
        return v != NULL;
    case NSEL_DOES_NOT_EXIST:
        return v == NULL;
    case NSEL_GT:
        return v && parse_int64(v, &x) == 0 && x > r->num;
    case NSEL_LT:
        return v && parse_int64(v, &x) == 0 && x < r->num;
    }
    return 0;
}

int nsel_term_matches(const struct nsel_term *t, const struct labelset *ls, const char *name)
{
    if (t->nexprs == 0 && t->nfields == 0)
        return 0;
    for (size_t i = 0; i < t->nexprs; i++)
        if (t->exprs[i].invalid || !req_matches(&t->exprs[i], labelset_get(ls, t->exprs[i].key)))
            return 0;
    for (size_t i = 0; i < t->nfields; i++)
        if (t->fields[i].invalid || !req_matches(&t->fields[i], name))
            return 0;
    return 1;
}

int nsel_terms_match(const struct nsel_term *terms, size_t n, const struct labelset *ls,
                     const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (nsel_term_matches(&terms[i], ls, name))
            return 1;
    return 0;
}

static int has_name(const char **names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return 1;
    return 0;
}

/*
 * Follows NodeAffinity.PreFilter (nodeaffinity/node_affinity.go, v1.35):
 * per term the intersection of its `metadata.name In` fields, over terms
 * the union; a term without such a field lets every node through.
 */
int nsel_terms_node_names(const struct nsel_term *terms, size_t n, const char ***names,
                          size_t *nnames)
{
    const char **out = NULL;
    size_t nout = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const struct nsel_term *t = &terms[i];
        const struct nsel_req *first = NULL;
        for (size_t j = 0; j < t->nfields && !first; j++)
            if (strcmp(t->fields[j].key, "metadata.name") == 0 && t->fields[j].op == NSEL_IN)
                first = &t->fields[j];
        if (!first) {
            free(out);
            *names = NULL;
            *nnames = 0;
            return 0;
        }
        for (size_t v = 0; v < first->nvalues; v++) {
            const char *cand = first->values[v];
            int all = 1;
            for (size_t j = 0; j < t->nfields && all; j++) {
                const struct nsel_req *f = &t->fields[j];
                if (strcmp(f->key, "metadata.name") == 0 && f->op == NSEL_IN && !in_values(f, cand))
                    all = 0;
            }
            if (all && !has_name(out, nout, cand)) {
                xgrow((void **)&out, &cap, nout + 1, sizeof *out);
                out[nout++] = cand;
            }
        }
    }
    *names = out;
    *nnames = nout;
    return 1;
}
