#include "sim/cluster/podaffinity.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

struct podaffinity *podaffinity_new(void)
{
    return xcalloc(1, sizeof(struct podaffinity));
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void podaffinity_term_release(struct podaffinity_term *t)
{
    labelselector_release(&t->sel);
    labelselector_release(&t->nssel);
    strv_free(t->namespaces, t->nnamespaces);
    free(t->topology_key);
    strv_free(t->match_keys, t->nmatch_keys);
    strv_free(t->mismatch_keys, t->nmismatch_keys);
    memset(t, 0, sizeof *t);
}

void spread_constraint_release(struct spread_constraint *c)
{
    labelselector_release(&c->sel);
    free(c->topology_key);
    strv_free(c->match_keys, c->nmatch_keys);
    memset(c, 0, sizeof *c);
}

static char **strv_copy(char *const *v, size_t n)
{
    char **out = xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

void spread_constraint_copy(struct spread_constraint *dst, const struct spread_constraint *src)
{
    *dst = *src;
    dst->topology_key = xstrdup(src->topology_key);
    labelselector_copy(&dst->sel, &src->sel);
    dst->match_keys = strv_copy(src->match_keys, src->nmatch_keys);
}

static void terms_free(struct podaffinity_term *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        podaffinity_term_release(&t[i]);
    free(t);
}

void podaffinity_free(struct podaffinity *pa)
{
    if (!pa)
        return;
    for (size_t i = 0; i < pa->nspread; i++)
        spread_constraint_release(&pa->spread[i]);
    free(pa->spread);
    terms_free(pa->aff_req, pa->naff_req);
    terms_free(pa->aff_pref, pa->naff_pref);
    terms_free(pa->anti_req, pa->nanti_req);
    terms_free(pa->anti_pref, pa->nanti_pref);
    free(pa);
}

/* The `key In (self's value)` requirements of matchLabelKeys. */
static int match_keys_hold(char *const *keys, size_t n, const struct labelset *self_labels,
                           const struct labelset *labels)
{
    for (size_t i = 0; i < n; i++) {
        const char *want = labelset_get(self_labels, keys[i]);
        if (!want)
            continue;
        const char *v = labelset_get(labels, keys[i]);
        if (!v || strcmp(v, want) != 0)
            return 0;
    }
    return 1;
}

static int namespace_selected(const struct podaffinity_term *t, const char *self_ns, const char *ns)
{
    if (t->nnamespaces == 0 && t->nssel.kind == LSEL_NOTHING)
        return strcmp(ns, self_ns) == 0; /* GetNamespacesFromPodAffinityTerm */
    for (size_t i = 0; i < t->nnamespaces; i++)
        if (strcmp(t->namespaces[i], ns) == 0)
            return 1;
    if (t->nssel.kind == LSEL_NOTHING)
        return 0;
    struct label l = {(char *)"kubernetes.io/metadata.name", (char *)ns};
    struct labelset nslabels = {&l, 1, 1};
    return labelselector_matches(&t->nssel, &nslabels);
}

int podaffinity_term_matches(const struct podaffinity_term *t, const struct labelset *self_labels,
                             const char *self_ns, const struct labelset *labels, const char *ns)
{
    if (!namespace_selected(t, self_ns, ns) || !labelselector_matches(&t->sel, labels))
        return 0;
    if (!match_keys_hold(t->match_keys, t->nmatch_keys, self_labels, labels))
        return 0;
    for (size_t i = 0; i < t->nmismatch_keys; i++) {
        const char *self = labelset_get(self_labels, t->mismatch_keys[i]);
        const char *v = labelset_get(labels, t->mismatch_keys[i]);
        if (self && v && strcmp(self, v) == 0)
            return 0;
    }
    return 1;
}

int spread_selector_matches(const struct spread_constraint *c, const struct labelset *self_labels,
                            const struct labelset *labels)
{
    return labelselector_matches(&c->sel, labels) &&
           match_keys_hold(c->match_keys, c->nmatch_keys, self_labels, labels);
}

int spread_selector_empty(const struct spread_constraint *c, const struct labelset *self_labels)
{
    if (!labelselector_empty(&c->sel))
        return 0;
    for (size_t i = 0; i < c->nmatch_keys; i++)
        if (labelset_get(self_labels, c->match_keys[i]))
            return 0;
    return 1;
}
