/*
 * Model test: PodTopologySpread and InterPodAffinity (which count pods
 * through the per-owner topology index) against a literal transcription of
 * upstream's loops that walks every node's pods and keys domains by their
 * label strings (podtopologyspread/{filtering,scoring}.go,
 * interpodaffinity/{filtering,scoring}.go). Random small clusters from
 * seeded GSL mt19937 streams: nodes with and without zone/hostname labels
 * and taints, owners in two namespaces with random labels and terms, pods
 * bound and deleted after the index exists, nodes added afterwards.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "kubefix.h"
#include "models/kube/interpod.h"
#include "models/kube/topospread.h"
#include "sim/cluster/topoindex.h"

/* ---- a string-keyed count map: (key, value) -> count ---- */

struct entry {
    const char *k, *v;
    int64_t n;
};
struct smap {
    struct entry e[256];
    size_t n;
};

static int64_t *smap_at(struct smap *m, const char *k, const char *v, int create)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].k, k) == 0 && strcmp(m->e[i].v, v) == 0)
            return &m->e[i].n;
    if (!create)
        return NULL;
    assert_true(m->n < 256);
    m->e[m->n] = (struct entry){k, v, 0};
    return &m->e[m->n++].n;
}

static int64_t smap_get(struct smap *m, const char *k, const char *v)
{
    int64_t *p = smap_at(m, k, v, 0);
    return p ? *p : 0;
}

/* ---- the brute-force PodTopologySpread ---- */

#define FOREACH_POD(c, node, p)                                                                    \
    for (int32_t p = (c)->nodes[node].pods_head; p >= 0; p = (c)->pods[p].node_next)

struct bf_c {
    const struct spread_constraint *c;
    int by_owner;
};

static const struct spread_constraint *sys_defaults(void)
{
    static struct spread_constraint d[2];
    d[0] = (struct spread_constraint){.max_skew = 3,
                                      .topology_key = (char *)"kubernetes.io/hostname",
                                      .when = SPREAD_SCHEDULE_ANYWAY,
                                      .min_domains = 1};
    d[1] = (struct spread_constraint){.max_skew = 5,
                                      .topology_key = (char *)"topology.kubernetes.io/zone",
                                      .when = SPREAD_SCHEDULE_ANYWAY,
                                      .min_domains = 1};
    return d;
}

static size_t bf_constraints(const struct cluster *c, int32_t o, enum spread_when when,
                             struct bf_c *out)
{
    const struct podspec *ps = &c->owners[o].spec;
    size_t n = 0;
    if (ps->aff && ps->aff->nspread) {
        for (size_t i = 0; i < ps->aff->nspread; i++)
            if (ps->aff->spread[i].when == when)
                out[n++] = (struct bf_c){&ps->aff->spread[i], 0};
    } else if (c->owners[o].kind == OWNER_DEPLOYMENT) {
        for (size_t i = 0; i < 2; i++)
            if (sys_defaults()[i].when == when)
                out[n++] = (struct bf_c){&sys_defaults()[i], 1};
    }
    return n;
}

/* countPodsMatchSelector over the node's pods. */
static int64_t bf_count(const struct cluster *c, int32_t o, const struct bf_c *bc, int32_t node)
{
    const struct podspec *ps = &c->owners[o].spec;
    if (!bc->by_owner && spread_selector_empty(bc->c, &ps->labels))
        return 0;
    int64_t n = 0;
    FOREACH_POD(c, node, p)
    {
        int32_t po = c->pods[p].owner;
        const struct podspec *pps = &c->owners[po].spec;
        if (bc->by_owner ? po == o
                         : strcmp(podspec_namespace(pps), podspec_namespace(ps)) == 0 &&
                               spread_selector_matches(bc->c, &ps->labels, &pps->labels))
            n++;
    }
    return n;
}

static int bf_all_keys(const struct cluster *c, const struct bf_c *v, size_t n, int32_t node)
{
    for (size_t i = 0; i < n; i++)
        if (!labelset_get(&c->nodes[node].labels, v[i].c->topology_key))
            return 0;
    return 1;
}

static int bf_inclusion(const struct cluster *c, int32_t o, const struct bf_c *bc, int32_t node)
{
    const struct podspec *ps = &c->owners[o].spec;
    const struct node *n = &c->nodes[node];
    if (bc->c->node_affinity == SPREAD_HONOR && !labelset_matches(&n->labels, &ps->node_selector))
        return 0;
    if (bc->c->node_taints == SPREAD_HONOR &&
        taints_first_untolerated(n->taints, n->ntaints, ps->tols, ps->ntols) >= 0)
        return 0;
    return 1;
}

static void bf_spread_filter(const struct cluster *c, int32_t o, enum kube_code *out)
{
    struct bf_c v[8];
    size_t nc = bf_constraints(c, o, SPREAD_DO_NOT_SCHEDULE, v);
    static struct smap m[8];
    int64_t min[8];
    for (size_t i = 0; i < nc; i++)
        m[i].n = 0;
    for (size_t n = 0; n < c->nnodes; n++) {
        if (!c->nodes[n].alive || !bf_all_keys(c, v, nc, (int32_t)n))
            continue;
        for (size_t i = 0; i < nc; i++)
            if (bf_inclusion(c, o, &v[i], (int32_t)n))
                *smap_at(&m[i], "", labelset_get(&c->nodes[n].labels, v[i].c->topology_key), 1) +=
                    bf_count(c, o, &v[i], (int32_t)n);
    }
    for (size_t i = 0; i < nc; i++) {
        min[i] = INT32_MAX;
        for (size_t j = 0; j < m[i].n; j++)
            if (m[i].e[j].n < min[i])
                min[i] = m[i].e[j].n;
        if (m[i].n < (size_t)v[i].c->min_domains)
            min[i] = 0;
    }
    const struct podspec *ps = &c->owners[o].spec;
    for (size_t n = 0; n < c->nnodes; n++) {
        out[n] = KUBE_SUCCESS;
        for (size_t i = 0; i < nc && out[n] == KUBE_SUCCESS; i++) {
            const char *val = labelset_get(&c->nodes[n].labels, v[i].c->topology_key);
            if (!val) {
                out[n] = KUBE_UNRESOLVABLE;
                break;
            }
            int self = v[i].by_owner || spread_selector_matches(v[i].c, &ps->labels, &ps->labels);
            if (smap_get(&m[i], "", val) + self - min[i] > v[i].c->max_skew)
                out[n] = KUBE_UNSCHEDULABLE;
        }
    }
}

/* Returns 0 when PreScore skips, else fills scores (normalized) of feasible[0..n). */
static int bf_spread_score(const struct cluster *c, int32_t o, const int32_t *feasible, size_t nf,
                           int64_t *scores)
{
    struct bf_c v[8];
    size_t nc = bf_constraints(c, o, SPREAD_SCHEDULE_ANYWAY, v);
    if (nc == 0)
        return 0;
    const struct podspec *ps = &c->owners[o].spec;
    int require_all = ps->aff && ps->aff->nspread;
    static struct smap m[8];
    size_t size[8] = {0};
    int ignored[64] = {0};
    size_t nignored = 0;
    for (size_t i = 0; i < nc; i++)
        m[i].n = 0;
    for (size_t j = 0; j < nf; j++) {
        if (require_all && !bf_all_keys(c, v, nc, feasible[j])) {
            ignored[feasible[j]] = 1;
            nignored++;
            continue;
        }
        for (size_t i = 0; i < nc; i++) {
            if (strcmp(v[i].c->topology_key, "kubernetes.io/hostname") == 0)
                continue;
            const char *val = labelset_get(&c->nodes[feasible[j]].labels, v[i].c->topology_key);
            if (!smap_at(&m[i], "", val ? val : "", 0)) {
                smap_at(&m[i], "", val ? val : "", 1);
                size[i]++;
            }
        }
    }
    double w[8];
    for (size_t i = 0; i < nc; i++) {
        size_t sz = size[i];
        if (strcmp(v[i].c->topology_key, "kubernetes.io/hostname") == 0)
            sz = nf - nignored;
        w[i] = log((double)(sz + 2));
    }
    for (size_t n = 0; n < c->nnodes; n++) {
        if (!c->nodes[n].alive || (require_all && !bf_all_keys(c, v, nc, (int32_t)n)))
            continue;
        for (size_t i = 0; i < nc; i++) {
            if (!bf_inclusion(c, o, &v[i], (int32_t)n))
                continue;
            const char *val = labelset_get(&c->nodes[n].labels, v[i].c->topology_key);
            int64_t *cnt = smap_at(&m[i], "", val ? val : "", 0);
            if (cnt && val) /* "" (no label) is never read back by Score */
                *cnt += bf_count(c, o, &v[i], (int32_t)n);
        }
    }
    int64_t min = INT64_MAX, max = 0;
    for (size_t j = 0; j < nf; j++) {
        int32_t node = feasible[j];
        double s = 0;
        for (size_t i = 0; i < nc && !ignored[node]; i++) {
            const char *val = labelset_get(&c->nodes[node].labels, v[i].c->topology_key);
            if (!val)
                continue;
            int64_t cnt = strcmp(v[i].c->topology_key, "kubernetes.io/hostname") == 0
                              ? bf_count(c, o, &v[i], node)
                              : smap_get(&m[i], "", val);
            s += (double)cnt * w[i] + (double)(v[i].c->max_skew - 1);
        }
        scores[j] = ignored[node] ? 0 : (int64_t)round(s);
        if (!ignored[node]) {
            min = scores[j] < min ? scores[j] : min;
            max = scores[j] > max ? scores[j] : max;
        }
    }
    for (size_t j = 0; j < nf; j++)
        scores[j] = ignored[feasible[j]] ? 0 : max == 0 ? 100 : 100 * (max + min - scores[j]) / max;
    return 1;
}

/* ---- the brute-force InterPodAffinity ---- */

static int bf_term(const struct cluster *c, int32_t self, const struct podaffinity_term *t,
                   int32_t target)
{
    const struct podspec *s = &c->owners[self].spec, *p = &c->owners[target].spec;
    return podaffinity_term_matches(t, &s->labels, podspec_namespace(s), &p->labels,
                                    podspec_namespace(p));
}

static void bf_add(const struct cluster *c, struct smap *m, const char *key, int32_t node,
                   int64_t w)
{
    const char *v = labelset_get(&c->nodes[node].labels, key);
    if (v)
        *smap_at(m, key, v, 1) += w;
}

static void bf_affinity_filter(const struct cluster *c, int32_t o, enum kube_code *out)
{
    static struct smap ex, aff, anti;
    ex.n = aff.n = anti.n = 0;
    const struct podaffinity *pa = c->owners[o].spec.aff;
    size_t naff = pa ? pa->naff_req : 0, nanti = pa ? pa->nanti_req : 0;
    for (size_t n = 0; n < c->nnodes; n++) {
        if (!c->nodes[n].alive)
            continue;
        FOREACH_POD(c, (int32_t)n, p)
        {
            int32_t po = c->pods[p].owner;
            const struct podaffinity *ppa = c->owners[po].spec.aff;
            for (size_t t = 0; ppa && t < ppa->nanti_req; t++)
                if (bf_term(c, po, &ppa->anti_req[t], o))
                    bf_add(c, &ex, ppa->anti_req[t].topology_key, (int32_t)n, 1);
            size_t t = 0;
            while (t < naff && bf_term(c, o, &pa->aff_req[t], po))
                t++;
            for (size_t k = 0; naff && t == naff && k < naff; k++)
                bf_add(c, &aff, pa->aff_req[k].topology_key, (int32_t)n, 1);
            for (size_t k = 0; k < nanti; k++)
                if (bf_term(c, o, &pa->anti_req[k], po))
                    bf_add(c, &anti, pa->anti_req[k].topology_key, (int32_t)n, 1);
        }
    }
    int self_all = naff > 0;
    for (size_t t = 0; t < naff; t++)
        self_all = self_all && bf_term(c, o, &pa->aff_req[t], o);
    for (size_t n = 0; n < c->nnodes; n++) {
        const struct labelset *ls = &c->nodes[n].labels;
        int exist = 1, ok = 1;
        for (size_t t = 0; t < naff; t++) {
            const char *v = labelset_get(ls, pa->aff_req[t].topology_key);
            if (!v)
                ok = 0;
            else if (smap_get(&aff, pa->aff_req[t].topology_key, v) <= 0)
                exist = 0;
        }
        if (ok && !exist)
            ok = aff.n == 0 && self_all;
        out[n] = KUBE_SUCCESS;
        if (!ok) {
            out[n] = KUBE_UNRESOLVABLE;
            continue;
        }
        for (size_t t = 0; t < nanti; t++) {
            const char *v = labelset_get(ls, pa->anti_req[t].topology_key);
            if (v && smap_get(&anti, pa->anti_req[t].topology_key, v) > 0)
                out[n] = KUBE_UNSCHEDULABLE;
        }
        for (size_t i = 0; i < ls->n && out[n] == KUBE_SUCCESS; i++)
            if (smap_get(&ex, ls->v[i].key, ls->v[i].value) > 0)
                out[n] = KUBE_UNSCHEDULABLE;
    }
}

static void bf_terms(const struct cluster *c, struct smap *m, int32_t self,
                     const struct podaffinity_term *t, size_t n, int32_t target, int32_t node,
                     int64_t sign, int64_t fixed, int *any)
{
    for (size_t i = 0; i < n; i++)
        if (bf_term(c, self, &t[i], target) &&
            labelset_get(&c->nodes[node].labels, t[i].topology_key)) {
            bf_add(c, m, t[i].topology_key, node, sign * (fixed ? fixed : t[i].weight));
            *any = 1;
        }
}

static int bf_affinity_score(const struct cluster *c, int32_t o, int64_t *scores)
{
    static struct smap m;
    m.n = 0;
    int any = 0;
    const struct podaffinity *pa = c->owners[o].spec.aff;
    for (size_t n = 0; n < c->nnodes; n++) {
        if (!c->nodes[n].alive)
            continue;
        FOREACH_POD(c, (int32_t)n, p)
        {
            int32_t po = c->pods[p].owner, node = (int32_t)n;
            const struct podaffinity *ppa = c->owners[po].spec.aff;
            if (pa) {
                bf_terms(c, &m, o, pa->aff_pref, pa->naff_pref, po, node, 1, 0, &any);
                bf_terms(c, &m, o, pa->anti_pref, pa->nanti_pref, po, node, -1, 0, &any);
            }
            if (ppa) {
                bf_terms(c, &m, po, ppa->aff_req, ppa->naff_req, o, node, 1, 1, &any);
                bf_terms(c, &m, po, ppa->aff_pref, ppa->naff_pref, o, node, 1, 0, &any);
                bf_terms(c, &m, po, ppa->anti_pref, ppa->nanti_pref, o, node, -1, 0, &any);
            }
        }
    }
    if (!any)
        return 0;
    for (size_t n = 0; n < c->nnodes; n++) {
        scores[n] = 0;
        const struct labelset *ls = &c->nodes[n].labels;
        for (size_t i = 0; i < ls->n; i++)
            scores[n] += smap_get(&m, ls->v[i].key, ls->v[i].value);
    }
    interpod_normalize(NULL, scores, c->nnodes); /* min-max: checked by the worked examples */
    return 1;
}

/* ---- random clusters ---- */

static const char *pick(gsl_rng *r, const char *const *v, size_t n)
{
    return v[gsl_rng_uniform_int(r, n)];
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const keys[] = {"zone", "kubernetes.io/hostname", "rack"};
static const char *const sels[] = {
    "{matchLabels: {app: a}}",
    "{matchExpressions: [{key: app, operator: In, values: [a, b]}]}",
    "{matchExpressions: [{key: tier, operator: NotIn, values: [x]}]}",
    "{matchExpressions: [{key: tier, operator: Exists}]}",
    "{matchExpressions: [{key: app, operator: DoesNotExist}]}",
    "{}",
};

static void random_term(gsl_rng *r, char *buf, size_t len, int weighted)
{
    char ns[96] = "";
    switch (gsl_rng_uniform_int(r, 4)) {
    case 0:
        snprintf(ns, sizeof ns, ", namespaces: [other]");
        break;
    case 1:
        snprintf(ns, sizeof ns, ", namespaceSelector: {}");
        break;
    }
    char term[512];
    snprintf(term, sizeof term, "{labelSelector: %s, topologyKey: %s%s%s}",
             pick(r, sels, N_OF(sels)), pick(r, keys, N_OF(keys)), ns,
             gsl_rng_uniform_int(r, 4) == 0 ? ", matchLabelKeys: [tier]" : "");
    if (weighted)
        snprintf(buf, len, "{weight: %lu, podAffinityTerm: %s}", 1 + gsl_rng_uniform_int(r, 100),
                 term);
    else
        snprintf(buf, len, "%s", term);
}

/* A random pod YAML: labels, namespace, maybe a nodeSelector, terms and constraints. */
static void random_pod(gsl_rng *r, char *buf, size_t len, int rich)
{
    static const char *const apps[] = {"app: a, ", "app: b, ", ""};
    static const char *const tiers[] = {"tier: x", "tier: y", ""};
    char aff[4096] = "", spread[2048] = "", tmp[600];
    static const char *const kinds[] = {"podAffinity", "podAntiAffinity"};
    static const char *const fields[] = {"requiredDuringSchedulingIgnoredDuringExecution",
                                         "preferredDuringSchedulingIgnoredDuringExecution"};
    for (int k = 0; k < 2; k++) {
        char body[2048] = "";
        for (int f = 0; f < 2; f++) {
            if (gsl_rng_uniform_int(r, rich ? 2 : 4) != 0)
                continue;
            random_term(r, tmp, sizeof tmp, f);
            size_t l = strlen(body);
            snprintf(body + l, sizeof body - l, "%s%s: [%s]", l ? ", " : "", fields[f], tmp);
        }
        if (!body[0])
            continue;
        size_t l = strlen(aff);
        snprintf(aff + l, sizeof aff - l, "%s%s: {%s}", l ? ", " : "", kinds[k], body);
    }
    for (int k = 0; rich && k < 2; k++) {
        if (gsl_rng_uniform_int(r, 2))
            continue;
        size_t l = strlen(spread);
        int hard = (int)gsl_rng_uniform_int(r, 2);
        snprintf(
            spread + l, sizeof spread - l,
            "%s{maxSkew: %lu, topologyKey: %s, whenUnsatisfiable: %s, labelSelector: %s%s%s%s}",
            l ? ", " : "", 1 + gsl_rng_uniform_int(r, 3), pick(r, keys, N_OF(keys)),
            hard ? "DoNotSchedule" : "ScheduleAnyway",
            gsl_rng_uniform_int(r, 5) ? pick(r, sels, N_OF(sels)) : "null",
            hard && gsl_rng_uniform_int(r, 3) == 0 ? ", minDomains: 3" : "",
            gsl_rng_uniform_int(r, 3) == 0 ? ", nodeTaintsPolicy: Honor" : "",
            gsl_rng_uniform_int(r, 3) == 0 ? ", nodeAffinityPolicy: Ignore" : "");
    }
    snprintf(buf, len,
             "{metadata: {namespace: %s, labels: {%s%s}}, spec: {containers: []%s%s%s%s%s}}",
             gsl_rng_uniform_int(r, 4) ? "default" : "other", pick(r, apps, 3), pick(r, tiers, 3),
             gsl_rng_uniform_int(r, 4) ? "" : ", nodeSelector: {disk: ssd}",
             aff[0] ? ", affinity: {" : "", aff, aff[0] ? "}" : "", "");
    if (spread[0]) {
        size_t l = strlen(buf) - 2; /* before the closing "}}" */
        snprintf(buf + l, len - l, ", topologySpreadConstraints: [%s]}}", spread);
    }
}

static void add_random_node(gsl_rng *r, struct kubefix *kf)
{
    char name[16], labels[160] = "";
    snprintf(name, sizeof name, "n%zu", kf->c->nnodes);
    if (gsl_rng_uniform_int(r, 5))
        snprintf(labels, sizeof labels, "kubernetes.io/hostname=%s,", name);
    size_t l = strlen(labels);
    if (gsl_rng_uniform_int(r, 4))
        snprintf(labels + l, sizeof labels - l, "zone=z%lu,", gsl_rng_uniform_int(r, 3));
    l = strlen(labels);
    if (gsl_rng_uniform_int(r, 2))
        snprintf(labels + l, sizeof labels - l, "rack=r%lu,", gsl_rng_uniform_int(r, 2));
    l = strlen(labels);
    if (gsl_rng_uniform_int(r, 2))
        snprintf(labels + l, sizeof labels - l, "disk=ssd");
    kubefix_node(kf, name, labels, gsl_rng_uniform_int(r, 5) == 0 ? "gpu=1:NoSchedule" : NULL);
}

static void bind_random(gsl_rng *r, struct kubefix *kf, int32_t o, int n)
{
    for (int i = 0; i < n; i++) {
        int32_t node = (int32_t)gsl_rng_uniform_int(r, kf->c->nnodes);
        cluster_bind(kf->c, cluster_new_pod(kf->c, o, 0), node, 0);
    }
}

static void one_case(gsl_rng *r)
{
    struct kubefix *kf = kubefix_new();
    char yaml[8192];
    size_t nnodes = 2 + gsl_rng_uniform_int(r, 6);
    for (size_t i = 0; i < nnodes; i++)
        add_random_node(r, kf);
    size_t nowners = 1 + gsl_rng_uniform_int(r, 5);
    for (size_t i = 0; i < nowners; i++) {
        random_pod(r, yaml, sizeof yaml, 0);
        int32_t o =
            kubefix_owner(kf, gsl_rng_uniform_int(r, 2) ? OWNER_DEPLOYMENT : OWNER_BATCH, yaml);
        bind_random(r, kf, o, (int)gsl_rng_uniform_int(r, 6));
    }
    topoindex_of(kf->c); /* built now: later binds, deletes and nodes go through the updates */
    random_pod(r, yaml, sizeof yaml, 1);
    int32_t in =
        kubefix_incoming(kf, gsl_rng_uniform_int(r, 2) ? OWNER_DEPLOYMENT : OWNER_BATCH, yaml);
    add_random_node(r, kf);
    bind_random(r, kf, (int32_t)gsl_rng_uniform_int(r, kf->c->nowners), 3);
    for (size_t p = 0; p < kf->c->npods; p++)
        if (kf->c->pods[p].phase != POD_DELETED && kf->c->pods[p].node >= 0 &&
            gsl_rng_uniform_int(r, 6) == 0)
            cluster_delete_pod(kf->c, (int32_t)p);

    if (gsl_rng_uniform_int(r, 3) == 0) { /* a node leaves: its pods first */
        int32_t gone = (int32_t)gsl_rng_uniform_int(r, kf->c->nnodes);
        while (kf->c->nodes[gone].pods_head >= 0)
            cluster_delete_pod(kf->c, kf->c->nodes[gone].pods_head);
        cluster_remove_node(kf->c, gone);
    }

    const struct cluster *c = kf->c;
    const struct podspec *ps = &c->owners[in].spec;
    size_t n = c->nnodes;
    enum kube_code want[64], got;
    int32_t all[64];
    int64_t ws[64], gs[64];
    for (size_t i = 0; i < n; i++)
        all[i] = (int32_t)i;

    struct topospread *ts = topospread_new(NULL);
    bf_spread_filter(c, in, want);
    int pre = topospread_prefilter(ts, c, ps, in) == KUBE_SUCCESS;
    for (size_t i = 0; i < n; i++) {
        const char *reason;
        got = pre ? topospread_filter(ts, (int32_t)i, &reason) : KUBE_SUCCESS;
        if (got != want[i])
            fail_msg("spread filter %s: %d, brute force %d\n%s", c->nodes[i].name, got, want[i],
                     yaml);
    }
    size_t nf = 1 + gsl_rng_uniform_int(r, n); /* a feasible subset: the first nf nodes */
    int bf = bf_spread_score(c, in, all, nf, ws);
    assert_int_equal(topospread_prescore(ts, c, ps, in, all, nf) == KUBE_SUCCESS, bf);
    if (bf) {
        topospread_score(ts, all, nf, gs);
        topospread_normalize(ts, all, gs, nf);
        for (size_t i = 0; i < nf; i++)
            if (gs[i] != ws[i])
                fail_msg("spread score %s: %lld, brute force %lld\n%s", c->nodes[i].name,
                         (long long)gs[i], (long long)ws[i], yaml);
    }
    topospread_free(ts);

    struct interpod *ip = interpod_new(NULL);
    bf_affinity_filter(c, in, want);
    pre = interpod_prefilter(ip, c, ps, in) == KUBE_SUCCESS;
    for (size_t i = 0; i < n; i++) {
        const char *reason;
        got = pre ? interpod_filter(ip, (int32_t)i, &reason) : KUBE_SUCCESS;
        if (got != want[i])
            fail_msg("affinity filter %s: %d, brute force %d\n%s", c->nodes[i].name, got, want[i],
                     yaml);
    }
    bf = bf_affinity_score(c, in, ws);
    assert_int_equal(interpod_prescore(ip, c, ps, in) == KUBE_SUCCESS, bf);
    if (bf) {
        for (size_t i = 0; i < n; i++)
            gs[i] = interpod_score(ip, (int32_t)i);
        interpod_normalize(ip, gs, n);
        for (size_t i = 0; i < n; i++)
            if (gs[i] != ws[i])
                fail_msg("affinity score %s: %lld, brute force %lld\n%s", c->nodes[i].name,
                         (long long)gs[i], (long long)ws[i], yaml);
    }
    interpod_free(ip);
    kubefix_free(kf);
}

static void test_random_clusters(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20251125);
    for (int i = 0; i < 2000; i++)
        one_case(r);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_clusters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
