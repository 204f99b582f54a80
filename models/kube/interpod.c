#include "models/kube/interpod.h"

#include <stdlib.h>
#include <string.h>

#include "sim/cluster/topoindex.h"
#include "sim/base/xalloc.h"

/* Pods of `owner` in a node's domain of `key` count `w` times. */
struct trip {
    int32_t owner;
    int key;
    int64_t w;
};

struct trips {
    struct trip *v;
    size_t n, cap;
};

struct interpod {
    const struct cluster *c; /* of the current cycle */
    struct topoindex *ti;
    struct kube_interpod_args args;
    const struct podspec *ps;
    int32_t owner;
    /* filter state */
    struct trips existing; /* existing pods' required anti-affinity matching the pod */
    struct trips anti;     /* pods matching the pod's required anti-affinity terms */
    int32_t *aff_owners;   /* owners whose pods match all required affinity terms */
    size_t naff_owners, aff_owners_cap;
    int *aff_keys; /* key of each required affinity term */
    size_t aff_keys_cap;
    int affinity_empty; /* len(affinityCounts) == 0 */
    int self_matches;   /* the pod matches all its own required affinity terms */
    /* score state */
    struct trips score;
};

struct interpod *interpod_new(const struct kube_interpod_args *args)
{
    struct interpod *ip = xcalloc(1, sizeof *ip);
    ip->args.hard_pod_affinity_weight = 1;
    if (args)
        ip->args = *args;
    return ip;
}

void interpod_free(struct interpod *ip)
{
    if (!ip)
        return;
    free(ip->existing.v);
    free(ip->anti.v);
    free(ip->score.v);
    free(ip->aff_owners);
    free(ip->aff_keys);
    free(ip);
}

static void trip_push(struct trips *t, int32_t owner, int key, int64_t w)
{
    xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v);
    t->v[t->n++] = (struct trip){owner, key, w};
}

/* Σ w · (pods of owner in the node's domain of key), over the triples. */
static int64_t trips_sum(struct interpod *ip, const struct trips *t, int32_t node)
{
    int64_t sum = 0;
    for (size_t i = 0; i < t->n; i++) {
        int32_t d = topoindex_domain(ip->ti, t->v[i].key, node);
        if (d >= 0)
            sum += t->v[i].w * topoindex_owner_in_domain(ip->ti, t->v[i].owner, t->v[i].key, d);
    }
    return sum;
}

/* Whether a bound pod of owner sits on a node carrying any of keys[0..n). */
static int owner_has_pod_with_key(struct interpod *ip, int32_t owner, const int *keys, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (topoindex_owner_with_key(ip->ti, owner, keys[k]) > 0)
            return 1;
    return 0;
}

static int term_key(struct interpod *ip, const struct podaffinity_term *t)
{
    return topoindex_key(ip->ti, t->topology_key);
}

/* The incoming pod (self) matches term t of owner o. */
static int term_matches_pod(const struct interpod *ip, const struct owner *o,
                            const struct podaffinity_term *t)
{
    return podaffinity_term_matches(t, &o->spec.labels, podspec_namespace(&o->spec),
                                    &ip->ps->labels, podspec_namespace(ip->ps));
}

/* Owner o's pods match term t of the incoming pod. */
static int term_matches_owner(const struct interpod *ip, const struct podaffinity_term *t,
                              const struct owner *o)
{
    return podaffinity_term_matches(t, &ip->ps->labels, podspec_namespace(ip->ps), &o->spec.labels,
                                    podspec_namespace(&o->spec));
}

/* ---- filter ---- */

static void begin(struct interpod *ip, const struct cluster *c, const struct podspec *ps,
                  int32_t owner)
{
    ip->c = c;
    ip->ti = topoindex_of(c);
    ip->ps = ps;
    ip->owner = owner;
}

enum kube_code interpod_prefilter(struct interpod *ip, const struct cluster *c,
                                  const struct podspec *ps, int32_t owner)
{
    begin(ip, c, ps, owner);
    ip->existing.n = ip->anti.n = 0;
    ip->naff_owners = 0;
    const struct podaffinity *pa = ps->aff;
    size_t naff = pa ? pa->naff_req : 0, nanti = pa ? pa->nanti_req : 0;
    xgrow((void **)&ip->aff_keys, &ip->aff_keys_cap, naff + 1, sizeof *ip->aff_keys);
    for (size_t t = 0; t < naff; t++)
        ip->aff_keys[t] = term_key(ip, &pa->aff_req[t]);
    for (size_t oi = 0; oi < c->nowners; oi++) {
        const struct owner *o = &c->owners[oi];
        int32_t id = (int32_t)oi;
        if (o->live == 0)
            continue;
        /* getExistingAntiAffinityCounts */
        const struct podaffinity *opa = o->spec.aff;
        for (size_t t = 0; opa && t < opa->nanti_req; t++)
            if (term_matches_pod(ip, o, &opa->anti_req[t]))
                trip_push(&ip->existing, id, term_key(ip, &opa->anti_req[t]), 1);
        /* getIncomingAffinityAntiAffinityCounts: affinity counts a pod only
         * when it matches all of the terms (podMatchesAllAffinityTerms). */
        if (naff) {
            size_t t = 0;
            while (t < naff && term_matches_owner(ip, &pa->aff_req[t], o))
                t++;
            if (t == naff) {
                xgrow((void **)&ip->aff_owners, &ip->aff_owners_cap, ip->naff_owners + 1,
                      sizeof *ip->aff_owners);
                ip->aff_owners[ip->naff_owners++] = id;
            }
        }
        for (size_t t = 0; t < nanti; t++)
            if (term_matches_owner(ip, &pa->anti_req[t], o))
                trip_push(&ip->anti, id, term_key(ip, &pa->anti_req[t]), 1);
    }
    if (ip->existing.n == 0 && naff == 0 && nanti == 0)
        return KUBE_SKIP;
    ip->affinity_empty = 1;
    for (size_t i = 0; i < ip->naff_owners && ip->affinity_empty; i++)
        if (owner_has_pod_with_key(ip, ip->aff_owners[i], ip->aff_keys, naff))
            ip->affinity_empty = 0;
    ip->self_matches = naff > 0;
    for (size_t t = 0; t < naff && ip->self_matches; t++)
        ip->self_matches =
            podaffinity_term_matches(&pa->aff_req[t], &ps->labels, podspec_namespace(ps),
                                     &ps->labels, podspec_namespace(ps));
    return KUBE_SUCCESS;
}

/* satisfyPodAffinity, with the first-pod-of-a-group exception. */
static int satisfies_affinity(struct interpod *ip, int32_t node)
{
    const struct podaffinity *pa = ip->ps->aff;
    size_t naff = pa ? pa->naff_req : 0;
    int pods_exist = 1;
    for (size_t t = 0; t < naff; t++) {
        int k = ip->aff_keys[t];
        int32_t d = topoindex_domain(ip->ti, k, node);
        if (d < 0)
            return 0; /* all topology labels must exist on the node */
        int64_t n = 0;
        for (size_t i = 0; i < ip->naff_owners && n == 0; i++)
            n += topoindex_owner_in_domain(ip->ti, ip->aff_owners[i], k, d);
        if (n <= 0)
            pods_exist = 0;
    }
    return pods_exist || (ip->affinity_empty && ip->self_matches);
}

enum kube_code interpod_filter(struct interpod *ip, int32_t node, const char **reason)
{
    if (!satisfies_affinity(ip, node)) {
        *reason = INTERPOD_REASON_AFFINITY;
        return KUBE_UNRESOLVABLE;
    }
    if (trips_sum(ip, &ip->anti, node) > 0) {
        *reason = INTERPOD_REASON_ANTI;
        return KUBE_UNSCHEDULABLE;
    }
    if (trips_sum(ip, &ip->existing, node) > 0) {
        *reason = INTERPOD_REASON_EXISTING;
        return KUBE_UNSCHEDULABLE;
    }
    return KUBE_SUCCESS;
}

/* ---- score ---- */

static int has_pod_affinity(const struct podaffinity *pa)
{
    return pa && (pa->naff_req || pa->naff_pref || pa->nanti_req || pa->nanti_pref);
}

/* Adds the incoming pod's weighted terms (sign -1 for anti) matched by owner o. */
static void incoming_terms(struct interpod *ip, const struct podaffinity_term *t, size_t n,
                           int sign, int32_t o)
{
    for (size_t i = 0; i < n; i++)
        if (term_matches_owner(ip, &t[i], &ip->c->owners[o]))
            trip_push(&ip->score, o, term_key(ip, &t[i]), sign * (int64_t)t[i].weight);
}

/* Adds owner o's terms that match the incoming pod, each counting w (0: its own weight). */
static void existing_terms(struct interpod *ip, const struct podaffinity_term *t, size_t n,
                           int64_t w, int32_t o)
{
    for (size_t i = 0; i < n; i++)
        if (term_matches_pod(ip, &ip->c->owners[o], &t[i]))
            trip_push(&ip->score, o, term_key(ip, &t[i]), w ? w : t[i].weight);
}

enum kube_code interpod_prescore(struct interpod *ip, const struct cluster *c,
                                 const struct podspec *ps, int32_t owner)
{
    begin(ip, c, ps, owner);
    ip->score.n = 0;
    const struct podaffinity *pa = ps->aff;
    int has_constraints = pa && (pa->naff_pref || pa->nanti_pref);
    if (ip->args.ignore_preferred_terms_of_existing && !has_constraints)
        return KUBE_SKIP;
    for (size_t oi = 0; oi < c->nowners; oi++) {
        const struct owner *o = &c->owners[oi];
        int32_t id = (int32_t)oi;
        const struct podaffinity *opa = o->spec.aff;
        /* Without preferred terms of its own, only pods with affinity matter. */
        if (o->live == 0 || (!has_constraints && !has_pod_affinity(opa)))
            continue;
        size_t first = ip->score.n;
        if (has_constraints) {
            incoming_terms(ip, pa->aff_pref, pa->naff_pref, 1, id);
            incoming_terms(ip, pa->anti_pref, pa->nanti_pref, -1, id);
        }
        if (opa) {
            if (ip->args.hard_pod_affinity_weight > 0)
                existing_terms(ip, opa->aff_req, opa->naff_req, ip->args.hard_pod_affinity_weight,
                               id);
            if (!ip->args.ignore_preferred_terms_of_existing) {
                existing_terms(ip, opa->aff_pref, opa->naff_pref, 0, id);
                size_t before = ip->score.n;
                existing_terms(ip, opa->anti_pref, opa->nanti_pref, 0, id);
                for (size_t i = before; i < ip->score.n; i++)
                    ip->score.v[i].w = -ip->score.v[i].w;
            }
        }
        /* Keep only owners with a pod on a node carrying one of the keys:
         * upstream records a topology score only for those. */
        int any = 0;
        for (size_t i = first; i < ip->score.n && !any; i++)
            any = owner_has_pod_with_key(ip, id, &ip->score.v[i].key, 1);
        if (!any)
            ip->score.n = first;
    }
    return ip->score.n ? KUBE_SUCCESS : KUBE_SKIP;
}

int64_t interpod_score(struct interpod *ip, int32_t node)
{
    return trips_sum(ip, &ip->score, node);
}

void interpod_normalize(struct interpod *ip, int64_t *scores, size_t n)
{
    (void)ip;
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (scores[i] > max)
            max = scores[i];
        if (scores[i] < min)
            min = scores[i];
    }
    int64_t diff = max - min;
    for (size_t i = 0; i < n; i++) {
        double f = 0;
        if (diff > 0)
            f = 100.0 * ((double)(scores[i] - min) / (double)diff);
        scores[i] = (int64_t)f;
    }
}
