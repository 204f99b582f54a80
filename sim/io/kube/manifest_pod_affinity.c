#include "sim/io/kube/manifest_pod_affinity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/schema.h"

static int present(const struct ynode *n)
{
    return n && !ynode_is_null(n);
}

static size_t seq_len(const struct ynode *n)
{
    return present(n) && n->kind == YNODE_SEQ ? n->n : 0;
}

static int read_strv(const struct ynode *n, const char *what, char ***out, size_t *nout,
                     struct diag *d)
{
    *out = NULL;
    *nout = 0;
    if (schema_expect_seq(n, what, d))
        return -1;
    size_t len = seq_len(n);
    *out = xcalloc(len ? len : 1, sizeof **out);
    for (size_t i = 0; i < len; i++) {
        const char *s;
        if (schema_string(n->items[i], what, &s, d))
            return -1;
        (*out)[(*nout)++] = xstrdup(s);
    }
    return 0;
}

static const char *const selector_keys[] = {"matchLabels", "matchExpressions", NULL};
static const char *const expr_keys[] = {"key", "operator", "values", NULL};

int manifest_read_label_selector(const struct ynode *n, const char *what, struct labelselector *s,
                                 struct diag *d)
{
    labelselector_init(s);
    if (!present(n))
        return 0;
    if (schema_check_keys(n, what, selector_keys, d))
        return -1;
    s->kind = LSEL_EVERYTHING;
    const struct ynode *ml = ynode_get(n, "matchLabels");
    if (present(ml)) {
        if (schema_expect_map(ml, "matchLabels", d))
            return -1;
        for (size_t i = 0; i < ml->n; i++) {
            const char *v;
            if (schema_string(ml->pairs[i].value, ml->pairs[i].key->str, &v, d))
                return -1;
            labelselector_add_label(s, ml->pairs[i].key->str, v);
        }
    }
    const struct ynode *me = ynode_get(n, "matchExpressions");
    if (schema_expect_seq(me, "matchExpressions", d))
        return -1;
    for (size_t i = 0; i < seq_len(me); i++) {
        const struct ynode *e = me->items[i];
        const char *key;
        int op;
        if (schema_check_keys(e, "matchExpressions[]", expr_keys, d))
            return -1;
        const struct ynode *k = schema_require(e, "matchExpressions[]", "key", d);
        if (!k || schema_string(k, "key", &key, d))
            return -1;
        const struct ynode *o = schema_require(e, "matchExpressions[]", "operator", d);
        if (!o || schema_enum(o, "operator", lsel_op_names, &op, d))
            return -1;
        char **values;
        size_t nvalues;
        if (read_strv(ynode_get(e, "values"), "values", &values, &nvalues, d)) {
            for (size_t j = 0; j < nvalues; j++)
                free(values[j]);
            free(values);
            return -1;
        }
        labelselector_add(s, key, (enum lsel_op)op, (const char *const *)values, nvalues);
        for (size_t j = 0; j < nvalues; j++)
            free(values[j]);
        free(values);
    }
    return 0;
}

static int read_topology_key(const struct ynode *obj, const char *where, char **out, struct diag *d)
{
    const struct ynode *k = schema_require(obj, where, "topologyKey", d);
    const char *s;
    if (!k || schema_string(k, "topologyKey", &s, d))
        return -1;
    if (!s[0]) {
        diag_set(d, k->file, k->line, k->col, "topologyKey: must not be empty");
        return -1;
    }
    *out = xstrdup(s);
    return 0;
}

static const char *const term_keys[] = {
    "labelSelector",  "namespaces",        "topologyKey", "namespaceSelector",
    "matchLabelKeys", "mismatchLabelKeys", NULL};

/* A v1.PodAffinityTerm into t (t zeroed by the caller; released by it on error). */
static int read_term(const struct ynode *n, struct podaffinity_term *t, struct diag *d)
{
    labelselector_init(&t->sel);
    labelselector_init(&t->nssel);
    if (schema_check_keys(n, "podAffinityTerm", term_keys, d))
        return -1;
    if (manifest_read_label_selector(ynode_get(n, "labelSelector"), "labelSelector", &t->sel, d) ||
        manifest_read_label_selector(ynode_get(n, "namespaceSelector"), "namespaceSelector",
                                     &t->nssel, d) ||
        read_strv(ynode_get(n, "namespaces"), "namespaces", &t->namespaces, &t->nnamespaces, d) ||
        read_strv(ynode_get(n, "matchLabelKeys"), "matchLabelKeys", &t->match_keys, &t->nmatch_keys,
                  d) ||
        read_strv(ynode_get(n, "mismatchLabelKeys"), "mismatchLabelKeys", &t->mismatch_keys,
                  &t->nmismatch_keys, d))
        return -1;
    return read_topology_key(n, "podAffinityTerm", &t->topology_key, d);
}

static const char *const weighted_keys[] = {"weight", "podAffinityTerm", NULL};

/* required: a list of PodAffinityTerm; preferred: a list of WeightedPodAffinityTerm. */
static int read_terms(const struct ynode *seq, const char *what, int weighted,
                      struct podaffinity_term **out, size_t *nout, struct diag *d)
{
    if (schema_expect_seq(seq, what, d))
        return -1;
    size_t len = seq_len(seq);
    *out = xcalloc(len ? len : 1, sizeof **out);
    for (size_t i = 0; i < len; i++) {
        const struct ynode *n = seq->items[i];
        struct podaffinity_term *t = &(*out)[(*nout)++];
        if (weighted) {
            int64_t w;
            if (schema_check_keys(n, "weightedPodAffinityTerm", weighted_keys, d))
                return -1;
            const struct ynode *wn = schema_require(n, "weightedPodAffinityTerm", "weight", d);
            if (!wn || schema_int64(wn, "weight", 1, 100, &w, d))
                return -1;
            t->weight = (int32_t)w;
            n = schema_require(n, "weightedPodAffinityTerm", "podAffinityTerm", d);
            if (!n)
                return -1;
        }
        if (read_term(n, t, d))
            return -1;
    }
    return 0;
}

static const char *const affinity_keys[] = {"nodeAffinity", "podAffinity", "podAntiAffinity", NULL};
static const char *const podaff_keys[] = {"requiredDuringSchedulingIgnoredDuringExecution",
                                          "preferredDuringSchedulingIgnoredDuringExecution", NULL};

static int read_podaff(const struct ynode *n, const char *what, struct podaffinity_term **req,
                       size_t *nreq, struct podaffinity_term **pref, size_t *npref, struct diag *d)
{
    if (!present(n))
        return 0;
    if (schema_check_keys(n, what, podaff_keys, d))
        return -1;
    return read_terms(ynode_get(n, podaff_keys[0]), podaff_keys[0], 0, req, nreq, d) ||
                   read_terms(ynode_get(n, podaff_keys[1]), podaff_keys[1], 1, pref, npref, d)
               ? -1
               : 0;
}

static const char *const spread_keys[] = {
    "maxSkew",          "topologyKey",    "whenUnsatisfiable",
    "labelSelector",    "minDomains",     "nodeAffinityPolicy",
    "nodeTaintsPolicy", "matchLabelKeys", NULL};
static const char *const when_names[] = {"DoNotSchedule", "ScheduleAnyway", NULL};
static const char *const policy_names[] = {"Honor", "Ignore", NULL};

static int read_policy(const struct ynode *n, const char *what, enum spread_policy *out,
                       struct diag *d)
{
    int v;
    if (!present(n))
        return 0;
    if (schema_enum(n, what, policy_names, &v, d))
        return -1;
    *out = (enum spread_policy)v;
    return 0;
}

static int read_spread(const struct ynode *n, struct spread_constraint *c, struct diag *d)
{
    int64_t v;
    int when;
    labelselector_init(&c->sel);
    c->min_domains = 1;
    c->node_affinity = SPREAD_HONOR;
    c->node_taints = SPREAD_IGNORE;
    if (schema_check_keys(n, "topologySpreadConstraint", spread_keys, d))
        return -1;
    const struct ynode *m = schema_require(n, "topologySpreadConstraint", "maxSkew", d);
    if (!m || schema_int64(m, "maxSkew", 1, INT32_MAX, &v, d))
        return -1;
    c->max_skew = (int32_t)v;
    if (read_topology_key(n, "topologySpreadConstraint", &c->topology_key, d))
        return -1;
    const struct ynode *w = schema_require(n, "topologySpreadConstraint", "whenUnsatisfiable", d);
    if (!w || schema_enum(w, "whenUnsatisfiable", when_names, &when, d))
        return -1;
    c->when = (enum spread_when)when;
    const struct ynode *md = ynode_get(n, "minDomains");
    if (present(md)) {
        if (schema_int64(md, "minDomains", 1, INT32_MAX, &v, d))
            return -1;
        /* API validation (pkg/apis/core/validation): minDomains only with DoNotSchedule. */
        if (c->when != SPREAD_DO_NOT_SCHEDULE) {
            diag_set(d, md->file, md->line, md->col,
                     "minDomains: can only be used with whenUnsatisfiable: DoNotSchedule");
            return -1;
        }
        c->min_domains = (int32_t)v;
    }
    if (read_policy(ynode_get(n, "nodeAffinityPolicy"), "nodeAffinityPolicy", &c->node_affinity,
                    d) ||
        read_policy(ynode_get(n, "nodeTaintsPolicy"), "nodeTaintsPolicy", &c->node_taints, d))
        return -1;
    if (manifest_read_label_selector(ynode_get(n, "labelSelector"), "labelSelector", &c->sel, d))
        return -1;
    return read_strv(ynode_get(n, "matchLabelKeys"), "matchLabelKeys", &c->match_keys,
                     &c->nmatch_keys, d);
}

int manifest_read_pod_affinity(const struct ynode *spec, struct podspec *ps, struct diag *d)
{
    const struct ynode *aff = ynode_get(spec, "affinity");
    const struct ynode *tsc = ynode_get(spec, "topologySpreadConstraints");
    const struct ynode *pa = NULL, *paa = NULL;
    if (present(aff)) {
        if (schema_check_keys(aff, "affinity", affinity_keys, d))
            return -1;
        pa = ynode_get(aff, "podAffinity");
        paa = ynode_get(aff, "podAntiAffinity");
    }
    if (schema_expect_seq(tsc, "topologySpreadConstraints", d))
        return -1;
    if (!present(pa) && !present(paa) && seq_len(tsc) == 0)
        return 0;
    struct podaffinity *p = podaffinity_new();
    ps->aff = p; /* released with ps, also on error */
    if (read_podaff(pa, "podAffinity", &p->aff_req, &p->naff_req, &p->aff_pref, &p->naff_pref, d) ||
        read_podaff(paa, "podAntiAffinity", &p->anti_req, &p->nanti_req, &p->anti_pref,
                    &p->nanti_pref, d))
        return -1;
    size_t len = seq_len(tsc);
    p->spread = xcalloc(len ? len : 1, sizeof *p->spread);
    for (size_t i = 0; i < len; i++)
        if (read_spread(tsc->items[i], &p->spread[p->nspread++], d))
            return -1;
    return 0;
}

static const char *const spread_args_keys[] = {"apiVersion", "kind", "defaultConstraints",
                                               "defaultingType", NULL};
static const char *const defaulting_names[] = {"System", "List", NULL};

/*
 * PodTopologySpreadArgs, defaulted as pkg/scheduler/apis/config/v1/defaults.go
 * (defaultingType System) and validated as
 * pkg/scheduler/apis/config/validation/validation_pluginargs.go (v1.35):
 * default constraints carry no labelSelector (it is deduced per pod), no
 * two share topologyKey and whenUnsatisfiable, and System takes none.
 */
int manifest_read_spread_args(const struct ynode *a, struct kube_spread_args *out, struct diag *d)
{
    if (schema_check_keys(a, "PodTopologySpreadArgs", spread_args_keys, d))
        return -1;
    const struct ynode *dt = ynode_get(a, "defaultingType");
    int list = 0;
    if (present(dt) && schema_enum(dt, "defaultingType", defaulting_names, &list, d))
        return -1;
    const struct ynode *dc = ynode_get(a, "defaultConstraints");
    if (schema_expect_seq(dc, "defaultConstraints", d))
        return -1;
    size_t len = seq_len(dc);
    if (!list && len) {
        diag_set(d, dc->file, dc->line, dc->col,
                 "defaultConstraints: must be empty with defaultingType: System (set "
                 "defaultingType: List)");
        return -1;
    }
    for (size_t i = 0; i < out->ndefaults; i++)
        spread_constraint_release(&out->defaults[i]);
    free(out->defaults);
    out->defaults = xcalloc(len ? len : 1, sizeof *out->defaults);
    out->ndefaults = 0;
    out->list_defaulting = list;
    for (size_t i = 0; i < len; i++) {
        const struct ynode *n = dc->items[i];
        struct spread_constraint *c = &out->defaults[out->ndefaults++];
        if (read_spread(n, c, d))
            return -1;
        const struct ynode *sel = ynode_get(n, "labelSelector");
        if (present(sel)) {
            diag_set(d, sel->file, sel->line, sel->col,
                     "labelSelector: default constraints must not define a selector (it is "
                     "deduced for each pod)");
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (out->defaults[j].when == c->when &&
                strcmp(out->defaults[j].topology_key, c->topology_key) == 0) {
                diag_set(d, n->file, n->line, n->col,
                         "defaultConstraints: duplicate topologyKey '%s' with the same "
                         "whenUnsatisfiable",
                         c->topology_key);
                return -1;
            }
    }
    return 0;
}

static const char *const interpod_args_keys[] = {"apiVersion", "kind", "hardPodAffinityWeight",
                                                 "ignorePreferredTermsOfExistingPods", NULL};

/* InterPodAffinityArgs: hardPodAffinityWeight 0..100 (ValidateInterPodAffinityArgs). */
int manifest_read_interpod_args(const struct ynode *a, struct kube_interpod_args *out,
                                struct diag *d)
{
    if (schema_check_keys(a, "InterPodAffinityArgs", interpod_args_keys, d))
        return -1;
    const struct ynode *w = ynode_get(a, "hardPodAffinityWeight");
    int64_t v;
    if (present(w)) {
        if (schema_int64(w, "hardPodAffinityWeight", 0, 100, &v, d))
            return -1;
        out->hard_pod_affinity_weight = (int32_t)v;
    }
    const struct ynode *ig = ynode_get(a, "ignorePreferredTermsOfExistingPods");
    if (present(ig) && schema_bool(ig, "ignorePreferredTermsOfExistingPods",
                                   &out->ignore_preferred_terms_of_existing, d))
        return -1;
    return 0;
}

int manifest_read_pod_owner(const struct ynode *md, struct podspec *ps, struct diag *d)
{
    const struct ynode *refs = ynode_get(md, "ownerReferences");
    if (schema_expect_seq(refs, "ownerReferences", d))
        return -1;
    for (size_t i = 0; i < seq_len(refs); i++) {
        const struct ynode *r = refs->items[i];
        if (schema_expect_map(r, "ownerReferences[]", d))
            return -1;
        const struct ynode *kind = ynode_get(r, "kind"), *name = ynode_get(r, "name");
        const struct ynode *ctl = ynode_get(r, "controller");
        int is_ctl = 1;
        if (present(ctl) && schema_bool(ctl, "controller", &is_ctl, d))
            return -1;
        /* metav1.GetControllerOf: the reference with controller: true (ksim
         * also takes one that leaves it unset, as test fixtures often do). */
        if (!is_ctl || !present(kind) || kind->kind != YNODE_SCALAR ||
            strcmp(kind->str, "ReplicaSet") != 0)
            continue;
        const char *s;
        if (!name || schema_string(name, "name", &s, d))
            return -1;
        free(ps->replicaset);
        ps->replicaset = xstrdup(s);
        return 0;
    }
    return 0;
}
