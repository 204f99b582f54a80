#include "models/kube/topospread.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cluster/topoindex.h"
#include "sim/base/xalloc.h"

#define LABEL_HOSTNAME "kubernetes.io/hostname"

/* One constraint of the incoming pod, resolved for this cycle. */
struct rc {
    const struct spread_constraint *c;
    int key;
    int hostname; /* per-node counts, computed in Score (scoring.go) */
    int by_owner; /* DefaultSelector: the pods of the incoming pod's owner */
    int self_match;
    int32_t *owners; /* owners whose pods the selector matches */
    size_t nowners, owners_cap;
    const int32_t **own; /* their pods per node (topoindex_owner_nodes) */
    size_t own_cap;
    const int32_t *dom; /* each node's domain of key (topoindex_domains) */
    int64_t *cnt;       /* by domain; slot ndom is "label missing" (upstream's "" value) */
    uint8_t *present;
    size_t ndom, cap;
    int32_t *doms; /* present domains */
    size_t ndoms, doms_cap;
    size_t reachable; /* domains a feasible node can have (PreScore stops looking at ndoms == it) */
    int64_t min;
    double weight;
    double *term; /* Score: 0, then scoreForCount of each domain's count (not for hostname) */
    size_t term_cap;
};

struct rcset {
    struct rc *v;
    size_t n, cap;
};

struct topospread {
    const struct cluster *c; /* of the current cycle */
    struct topoindex *ti;
    struct kube_spread_args args;
    struct spread_constraint sys[2];
    const struct podspec *ps;
    int32_t owner;
    struct rcset f, s; /* filter (DoNotSchedule) and score (ScheduleAnyway) constraints */
    int require_all;
    uint32_t *ignored; /* by node: == stamp when ignored this cycle */
    size_t nignored;
    size_t ignored_cap;
    uint32_t stamp;
    double *acc; /* Score's per-node sums */
    size_t acc_cap;
    int64_t *fused; /* Score by (own count, other domain): see score_fused */
    size_t fused_cap;
    /* score_fused's output and its extremes, which NormalizeScore reuses
     * when handed that very array right after (the framework's fast path) */
    const int64_t *scored;
    size_t nscored;
    int64_t scored_min, scored_max;
    int64_t *table; /* NormalizeScore's result per raw score */
    size_t table_cap;
};

struct topospread *topospread_new(const struct kube_spread_args *args)
{
    struct topospread *ts = xcalloc(1, sizeof *ts);
    if (args)
        ts->args = *args;
    /* plugin.go systemDefaultConstraints. */
    static const char *const keys[2] = {LABEL_HOSTNAME, "topology.kubernetes.io/zone"};
    static const int32_t skews[2] = {3, 5};
    for (int i = 0; i < 2; i++) {
        struct spread_constraint *sc = &ts->sys[i];
        sc->max_skew = skews[i];
        sc->topology_key = (char *)keys[i];
        sc->when = SPREAD_SCHEDULE_ANYWAY;
        labelselector_init(&sc->sel);
        sc->min_domains = 1;
        sc->node_affinity = SPREAD_HONOR;
        sc->node_taints = SPREAD_IGNORE;
    }
    return ts;
}

static void rcset_release(struct rcset *s)
{
    for (size_t i = 0; i < s->cap; i++) {
        free(s->v[i].owners);
        free(s->v[i].own);
        free(s->v[i].cnt);
        free(s->v[i].present);
        free(s->v[i].doms);
        free(s->v[i].term);
    }
    free(s->v);
}

void topospread_free(struct topospread *ts)
{
    if (!ts)
        return;
    rcset_release(&ts->f);
    rcset_release(&ts->s);
    free(ts->ignored);
    free(ts->acc);
    free(ts->fused);
    free(ts->table);
    free(ts);
}

/* ---- constraints and selectors ---- */

static const struct labelset *self_labels(const struct topospread *ts)
{
    return &ts->ps->labels;
}

static struct rc *rc_push(struct rcset *s, const struct spread_constraint *c)
{
    if (s->n == s->cap) {
        size_t old = s->cap;
        xgrow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v);
        memset(s->v + old, 0, (s->cap - old) * sizeof *s->v);
    }
    struct rc *r = &s->v[s->n++];
    r->c = c;
    r->nowners = r->ndoms = 0;
    r->by_owner = 0;
    return r;
}

/* The owners whose pods c's selector matches (countPodsMatchSelector: same namespace, not Empty).
 */
static void match_owners(struct topospread *ts, struct rc *r)
{
    const struct cluster *c = ts->c;
    const char *ns = podspec_namespace(ts->ps);
    if (spread_selector_empty(r->c, self_labels(ts)))
        return;
    for (size_t o = 0; o < c->nowners; o++) {
        const struct podspec *os = &c->owners[o].spec;
        if (os->terminating || strcmp(podspec_namespace(os), ns) != 0 ||
            !spread_selector_matches(r->c, self_labels(ts), &os->labels))
            continue;
        xgrow((void **)&r->owners, &r->owners_cap, r->nowners + 1, sizeof *r->owners);
        r->owners[r->nowners++] = (int32_t)o;
    }
}

/* Snapshot pods: the owners whose pods name the same ReplicaSet (in the pod's namespace). */
static void replicaset_owners(struct topospread *ts, struct rc *r, const char *rs)
{
    const struct cluster *c = ts->c;
    const char *ns = podspec_namespace(ts->ps);
    for (size_t o = 0; o < c->nowners; o++) {
        const struct podspec *os = &c->owners[o].spec;
        if (os->terminating || !os->replicaset || strcmp(os->replicaset, rs) != 0 ||
            strcmp(podspec_namespace(os), ns) != 0)
            continue;
        xgrow((void **)&r->owners, &r->owners_cap, r->nowners + 1, sizeof *r->owners);
        r->owners[r->nowners++] = (int32_t)o;
    }
}

/*
 * getConstraints / initPreScoreState: the pod's own constraints with the
 * given action, or, when it has none at all, the default ones with the
 * DefaultSelector (only for pods a ReplicaSet owns).
 */
static void resolve(struct topospread *ts, struct rcset *set, enum spread_when when)
{
    set->n = 0;
    const struct podaffinity *pa = ts->ps->aff;
    if (pa && pa->nspread) {
        for (size_t i = 0; i < pa->nspread; i++) {
            if (pa->spread[i].when != when)
                continue;
            struct rc *r = rc_push(set, &pa->spread[i]);
            r->self_match = spread_selector_matches(r->c, self_labels(ts), self_labels(ts));
            match_owners(ts, r);
        }
    } else {
        const struct spread_constraint *defs = ts->sys;
        size_t ndefs = 2;
        if (ts->args.list_defaulting) {
            defs = ts->args.defaults;
            ndefs = ts->args.ndefaults;
        }
        const char *rs = ts->ps->replicaset;
        if (!rs && (ts->owner < 0 || ts->c->owners[ts->owner].kind != OWNER_DEPLOYMENT))
            return; /* DefaultSelector is empty: no default constraints */
        for (size_t i = 0; i < ndefs; i++) {
            if (defs[i].when != when)
                continue;
            struct rc *r = rc_push(set, &defs[i]);
            r->by_owner = rs == NULL;
            r->self_match = 1;
            if (rs)
                replicaset_owners(ts, r, rs);
        }
    }
    for (size_t i = 0; i < set->n; i++) {
        struct rc *r = &set->v[i];
        r->key = topoindex_key(ts->ti, r->c->topology_key);
        r->hostname = strcmp(r->c->topology_key, LABEL_HOSTNAME) == 0;
    }
    /* Arrays only after every key is interned: the loops below read them. */
    for (size_t i = 0; i < set->n; i++) {
        struct rc *r = &set->v[i];
        r->dom = topoindex_domains(ts->ti, r->key);
        if (r->by_owner) {
            xgrow((void **)&r->own, &r->own_cap, 1, sizeof *r->own);
            r->own[0] = topoindex_owner_nodes(ts->ti, ts->owner);
            continue;
        }
        xgrow((void **)&r->own, &r->own_cap, r->nowners + 1, sizeof *r->own);
        for (size_t j = 0; j < r->nowners; j++)
            r->own[j] = topoindex_owner_nodes(ts->ti, r->owners[j]);
    }
}

/*
 * Sizes and clears the per-domain arrays (after every node's domain has been
 * read). A hostname constraint's Score reads each node's own count, never
 * these (scoring.go), so PreScore skips them: with every node its own
 * domain, clearing them cost O(nodes) per cycle, not O(feasible nodes).
 */
static void rc_reset(struct topospread *ts, struct rc *r, int scoring)
{
    r->ndom = topoindex_ndomains(ts->ti, r->key);
    r->ndoms = 0;
    if (scoring && r->hostname)
        return;
    if (r->ndom + 1 > r->cap) {
        r->cap = 2 * (r->ndom + 1);
        r->cnt = xrealloc(r->cnt, r->cap * sizeof *r->cnt);
        r->present = xrealloc(r->present, r->cap);
        r->doms = xrealloc(r->doms, r->cap * sizeof *r->doms);
    }
    memset(r->cnt, 0, (r->ndom + 1) * sizeof *r->cnt);
    memset(r->present, 0, r->ndom + 1);
}

/* Adds domain d (ndom: "label missing") to r's present domains; 1 when it was new. */
static int mark_present(struct rc *r, int32_t d)
{
    if (r->present[d])
        return 0;
    r->present[d] = 1;
    r->doms[r->ndoms++] = d;
    return 1;
}

/*
 * How many distinct domains alive nodes can give r: those with an alive
 * node, plus "label missing" when some alive node lacks the key.
 */
static size_t set_reachable(struct topospread *ts, struct rc *r)
{
    const int32_t *alive = topoindex_domain_nodes(ts->ti, r->key);
    size_t n = 0, labelled = 0;
    for (size_t d = 0; d < r->ndom; d++) {
        n += alive[d] > 0;
        labelled += (size_t)alive[d];
    }
    r->reachable = n + (labelled < ts->c->nalive);
    return r->reachable;
}

/* Matching pods on one node (countPodsMatchSelector through the owner index). */
static int64_t count_on_node(const struct rc *r, int32_t node)
{
    if (r->by_owner)
        return r->own[0][node];
    int64_t n = 0;
    for (size_t i = 0; i < r->nowners; i++)
        n += r->own[i][node];
    return n;
}

static int64_t count_in_domain(const struct topospread *ts, const struct rc *r, int32_t d)
{
    if (r->by_owner)
        return topoindex_owner_in_domain(ts->ti, ts->owner, r->key, d);
    int64_t n = 0;
    for (size_t i = 0; i < r->nowners; i++)
        n += topoindex_owner_in_domain(ts->ti, r->owners[i], r->key, d);
    return n;
}

/* ---- nodes ---- */

/*
 * The incoming pod's required node affinity: nodeSelector and
 * requiredDuringScheduling terms (nodeaffinity.GetRequiredNodeAffinity; the
 * scheduler's addedAffinity is not part of it).
 */
static int node_affinity_ok(const struct topospread *ts, int32_t node)
{
    const struct node *n = &ts->c->nodes[node];
    const struct node_affinity *a = &ts->ps->affinity;
    return labelset_matches(&n->labels, &ts->ps->node_selector) &&
           (!a->has_required || nsel_terms_match(a->required, a->nrequired, &n->labels, n->name));
}

static int pod_has_node_affinity(const struct topospread *ts)
{
    return ts->ps->node_selector.n > 0 || ts->ps->affinity.has_required;
}

/* common.go matchNodeInclusionPolicies. */
static int inclusion_ok(const struct topospread *ts, const struct rc *r, int32_t node)
{
    const struct node *n = &ts->c->nodes[node];
    if (r->c->node_affinity == SPREAD_HONOR && !node_affinity_ok(ts, node))
        return 0;
    if (r->c->node_taints == SPREAD_HONOR &&
        taints_first_untolerated(n->taints, n->ntaints, ts->ps->tols, ts->ps->ntols) >= 0)
        return 0;
    return 1;
}

/* nodeLabelsMatchSpreadConstraints. */
static int has_all_keys(const struct rcset *set, int32_t node)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i].dom[node] < 0)
            return 0;
    return 1;
}

/* Whether every node carrying r's key counts for r, so domain totals can be used. */
static int counts_whole_domains(const struct topospread *ts, const struct rcset *set,
                                const struct rc *r)
{
    if (ts->require_all && set->n > 1)
        return 0;
    if (r->c->node_affinity == SPREAD_HONOR && pod_has_node_affinity(ts))
        return 0;
    return r->c->node_taints == SPREAD_IGNORE;
}

/* ---- filter ---- */

static void begin(struct topospread *ts, const struct cluster *c, const struct podspec *ps,
                  int32_t owner)
{
    ts->c = c;
    ts->ti = topoindex_of(c);
    ts->ps = ps;
    ts->owner = owner;
    ts->scored = NULL;
}

/* criticalPaths' minimum over the eligible domains (minMatchNum). */
static void set_min(struct rc *r)
{
    r->min = INT64_MAX;
    for (size_t j = 0; j < r->ndoms; j++)
        if (r->cnt[r->doms[j]] < r->min)
            r->min = r->cnt[r->doms[j]];
    /* Fewer eligible domains than minDomains: the global minimum is 0. */
    if (r->ndoms < (size_t)r->c->min_domains)
        r->min = 0;
}

enum kube_code topospread_prefilter(struct topospread *ts, const struct cluster *c,
                                    const struct podspec *ps, int32_t owner)
{
    begin(ts, c, ps, owner);
    resolve(ts, &ts->f, SPREAD_DO_NOT_SCHEDULE);
    if (ts->f.n == 0)
        return KUBE_SKIP;
    for (size_t i = 0; i < ts->f.n; i++)
        rc_reset(ts, &ts->f.v[i], 0);
    /* One constraint counting every node that has its key: the domains are
     * those with an alive node, their counts the owner index's totals. */
    if (ts->f.n == 1 && counts_whole_domains(ts, &ts->f, &ts->f.v[0])) {
        struct rc *r = &ts->f.v[0];
        const int32_t *alive = topoindex_domain_nodes(ts->ti, r->key);
        for (size_t d = 0; d < r->ndom; d++) {
            if (alive[d] <= 0)
                continue;
            mark_present(r, (int32_t)d);
            r->cnt[d] = count_in_domain(ts, r, (int32_t)d);
        }
        set_min(r);
        return KUBE_SUCCESS;
    }
    /* calPreFilterState: every node with all the keys that passes each
     * constraint's inclusion policies is a domain of that constraint. */
    for (size_t n = 0; n < c->nnodes; n++) {
        int32_t node = (int32_t)n;
        if (!c->nodes[n].alive || !has_all_keys(&ts->f, node))
            continue;
        for (size_t i = 0; i < ts->f.n; i++) {
            struct rc *r = &ts->f.v[i];
            if (!inclusion_ok(ts, r, node))
                continue;
            int32_t d = r->dom[node];
            mark_present(r, d);
            r->cnt[d] += count_on_node(r, node);
        }
    }
    for (size_t i = 0; i < ts->f.n; i++)
        set_min(&ts->f.v[i]);
    return KUBE_SUCCESS;
}

enum kube_code topospread_filter(struct topospread *ts, int32_t node, const char **reason)
{
    for (size_t i = 0; i < ts->f.n; i++) {
        const struct rc *r = &ts->f.v[i];
        int32_t d = r->dom[node];
        if (d < 0) {
            *reason = TOPOSPREAD_REASON_LABEL;
            return KUBE_UNRESOLVABLE;
        }
        int64_t match = (size_t)d < r->ndom ? r->cnt[d] : 0;
        if (match + r->self_match - r->min > r->c->max_skew) {
            *reason = TOPOSPREAD_REASON_SKEW;
            return KUBE_UNSCHEDULABLE;
        }
    }
    return KUBE_SUCCESS;
}

/* ---- score ---- */

/* scoreForCount (scoring.go) of a count for constraint r. */
static double score_for_count(const struct rc *r, int64_t cnt)
{
    return (double)cnt * r->weight + (double)(r->c->max_skew - 1);
}

/* Each domain's scoreForCount, computed once per cycle instead of once per node. */
static void set_terms(struct rcset *set)
{
    for (size_t i = 0; i < set->n; i++) {
        struct rc *r = &set->v[i];
        if (r->hostname)
            continue;
        xgrow((void **)&r->term, &r->term_cap, r->ndom + 1, sizeof *r->term);
        r->term[0] = 0; /* nodes without the key */
        for (size_t d = 0; d < r->ndom; d++)
            r->term[d + 1] = score_for_count(r, r->cnt[d]);
    }
}

enum kube_code topospread_prescore(struct topospread *ts, const struct cluster *c,
                                   const struct podspec *ps, int32_t owner, const int32_t *feasible,
                                   size_t nfeasible)
{
    begin(ts, c, ps, owner);
    if (c->nalive == 0)
        return KUBE_SKIP;
    resolve(ts, &ts->s, SPREAD_SCHEDULE_ANYWAY);
    if (ts->s.n == 0)
        return KUBE_SKIP;
    /* Only the system defaults let nodes without a zone label still be
     * spread by hostname (scoring.go PreScore). */
    ts->require_all = (ps->aff && ps->aff->nspread) || ts->args.list_defaulting;
    for (size_t i = 0; i < ts->s.n; i++)
        rc_reset(ts, &ts->s.v[i], 1);
    size_t old_cap = ts->ignored_cap;
    xgrow((void **)&ts->ignored, &ts->ignored_cap, c->nnodes, sizeof *ts->ignored);
    memset(ts->ignored + old_cap, 0, (ts->ignored_cap - old_cap) * sizeof *ts->ignored);
    if (++ts->stamp == 0) {
        memset(ts->ignored, 0, ts->ignored_cap * sizeof *ts->ignored);
        ts->stamp = 1;
    }
    size_t nignored = 0;
    ts->nignored = 0;
    /* The domains of the feasible nodes. Without nodes to ignore, the walk
     * can stop once every domain that has an alive node has been seen. */
    size_t open = 0;
    for (size_t i = 0; i < ts->s.n; i++)
        if (!ts->s.v[i].hostname)
            open += set_reachable(ts, &ts->s.v[i]) > 0;
    for (size_t j = 0; j < nfeasible && (open || ts->require_all); j++) {
        int32_t node = feasible[j];
        if (ts->require_all && !has_all_keys(&ts->s, node)) {
            ts->ignored[node] = ts->stamp;
            nignored++;
            continue;
        }
        for (size_t i = 0; i < ts->s.n; i++) {
            struct rc *r = &ts->s.v[i];
            if (r->hostname)
                continue;
            int32_t d = r->dom[node];
            if (mark_present(r, d < 0 ? (int32_t)r->ndom : d) && r->ndoms == r->reachable)
                open--;
        }
    }
    ts->nignored = nignored;
    for (size_t i = 0; i < ts->s.n; i++) {
        struct rc *r = &ts->s.v[i];
        size_t size = r->hostname ? nfeasible - nignored : r->ndoms;
        r->weight = log((double)(size + 2)); /* topologyNormalizingWeight */
    }
    for (size_t i = 0; i < ts->s.n; i++) {
        struct rc *r = &ts->s.v[i];
        if (r->hostname || !counts_whole_domains(ts, &ts->s, r))
            continue;
        for (size_t j = 0; j < r->ndoms; j++)
            if ((size_t)r->doms[j] < r->ndom)
                r->cnt[r->doms[j]] = count_in_domain(ts, r, r->doms[j]);
    }
    int slow = 0;
    for (size_t i = 0; i < ts->s.n; i++)
        slow |= !ts->s.v[i].hostname && !counts_whole_domains(ts, &ts->s, &ts->s.v[i]);
    if (!slow) {
        set_terms(&ts->s);
        return KUBE_SUCCESS;
    }
    /* Upstream's walk over all nodes, for constraints whose counting
     * depends on each node (node affinity, taints, all keys required). */
    for (size_t n = 0; n < c->nnodes; n++) {
        int32_t node = (int32_t)n;
        if (!c->nodes[n].alive || (ts->require_all && !has_all_keys(&ts->s, node)))
            continue;
        for (size_t i = 0; i < ts->s.n; i++) {
            struct rc *r = &ts->s.v[i];
            if (r->hostname || counts_whole_domains(ts, &ts->s, r) || !inclusion_ok(ts, r, node))
                continue;
            int32_t d = r->dom[node];
            if (d >= 0 && r->present[d])
                r->cnt[d] += count_on_node(r, node);
        }
    }
    set_terms(&ts->s);
    return KUBE_SUCCESS;
}

/*
 * math.Round for the non-negative sums of scoreForCount: halves away from
 * zero, exactly (x - trunc(x) is exact below 2^52), without a libm call on
 * the hot path.
 */
static int64_t round_nonneg(double x)
{
    int64_t t = (int64_t)x;
    return x - (double)t >= 0.5 ? t + 1 : t;
}

/*
 * acc[k] (0 when first) += r's scoreForCount for nodes[k]; a node without
 * r's key adds 0, which leaves the (non-negative) sum exactly as upstream's
 * skipping it does.
 */
static void add_terms(const struct rc *r, const int32_t *nodes, size_t n, double *acc, int first)
{
    const int32_t *dom = r->dom;
    if (r->hostname) {
        for (size_t k = 0; k < n; k++) {
            int32_t node = nodes[k];
            double t = dom[node] >= 0 ? score_for_count(r, count_on_node(r, node)) : 0;
            acc[k] = first ? t : acc[k] + t;
        }
        return;
    }
    const double *term = r->term + 1; /* term[-1] = 0: no label */
    for (size_t k = 0; k < n; k++) {
        double t = term[dom[nodes[k]]];
        acc[k] = first ? t : acc[k] + t;
    }
}

/* Own counts the fused table covers (a power of two); a node with more takes the general path. */
#define FUSED_SHIFT  4
#define FUSED_COUNTS (1u << FUSED_SHIFT)

/*
 * The system defaults' shape: one hostname constraint h (the owner's pods)
 * and one other constraint z, nothing ignored. A node's raw score is then
 * round(scoreForCount_h(its own count) + term_z(its z domain)), a function
 * of (count, domain) with few values, so it is tabulated once per cycle
 * from the very expressions add_terms uses (the sum of two terms is the
 * same in either order) instead of converting and multiplying per node.
 * Returns 0, having written nothing, when the shape does not apply or the
 * table would cost more than the nodes.
 */
static int score_fused(struct topospread *ts, const int32_t *nodes, size_t n, int64_t *out)
{
    if (ts->nignored || ts->s.n != 2 || ts->s.v[0].hostname == ts->s.v[1].hostname)
        return 0;
    const struct rc *h = &ts->s.v[!ts->s.v[0].hostname], *z = &ts->s.v[ts->s.v[0].hostname];
    size_t width = z->ndom + 1;
    if (!h->by_owner || width * FUSED_COUNTS > n)
        return 0;
    xgrow((void **)&ts->fused, &ts->fused_cap, width * FUSED_COUNTS, sizeof *ts->fused);
    int64_t *fused = ts->fused;
    for (uint32_t cnt = 0; cnt < FUSED_COUNTS; cnt++) {
        double t = score_for_count(h, cnt);
        for (size_t d = 0; d < width; d++)
            fused[d << FUSED_SHIFT | cnt] = round_nonneg(t + z->term[d]);
    }
    /* When every alive node has a hostname (as `ksim run` gives them), no
     * feasible node needs the look at its label. */
    int all_named = topoindex_labelled(ts->ti, h->key) == ts->c->nalive;
    const int32_t *hdom = h->dom, *own = h->own[0], *zdom = z->dom;
    int64_t min = INT64_MAX, max = 0;
    for (size_t k = 0; k < n; k++) {
        int32_t node = nodes[k];
        uint32_t cnt = (uint32_t)own[node];
        size_t col = (size_t)(zdom[node] + 1);
        int64_t v;
        if (cnt < FUSED_COUNTS && (all_named || hdom[node] >= 0)) {
            v = fused[col << FUSED_SHIFT | cnt];
        } else {
            /* No hostname label (adds 0) or a count past the table. */
            double t = hdom[node] >= 0 ? score_for_count(h, (int64_t)cnt) : 0;
            v = round_nonneg(t + z->term[col]);
        }
        out[k] = v;
        min = v < min ? v : min;
        max = v > max ? v : max;
    }
    ts->scored = out;
    ts->nscored = n;
    ts->scored_min = min;
    ts->scored_max = max;
    return 1;
}

void topospread_score(struct topospread *ts, const int32_t *nodes, size_t n, int64_t *out)
{
    ts->scored = NULL;
    if (score_fused(ts, nodes, n, out))
        return;
    xgrow((void **)&ts->acc, &ts->acc_cap, n + 1, sizeof *ts->acc);
    double *acc = ts->acc;
    if (ts->s.n == 0)
        memset(acc, 0, n * sizeof *acc);
    /* Σ scoreForCount in constraint order: constraint by constraint, each
     * node's sum takes its terms in the same order as upstream's loop. */
    for (size_t i = 0; i < ts->s.n; i++)
        add_terms(&ts->s.v[i], nodes, n, acc, i == 0);
    for (size_t k = 0; k < n; k++)
        out[k] = round_nonneg(acc[k]);
    for (size_t k = 0; ts->nignored && k < n; k++)
        if (ts->ignored[nodes[k]] == ts->stamp)
            out[k] = 0;
}

void topospread_normalize(struct topospread *ts, const int32_t *nodes, int64_t *scores, size_t n)
{
    int64_t min = INT64_MAX, max = 0;
    int any_ignored = ts->nignored > 0;
    if (!any_ignored && scores == ts->scored && n == ts->nscored) {
        min = ts->scored_min; /* nothing ran between Score and this */
        max = ts->scored_max;
        ts->scored = NULL;     /* once: a second call may follow a change */
    } else if (!any_ignored) { /* without a look at the stamps per node */
        for (size_t i = 0; i < n; i++) {
            min = scores[i] < min ? scores[i] : min;
            max = scores[i] > max ? scores[i] : max;
        }
    }
    for (size_t i = 0; any_ignored && i < n; i++) {
        if (ts->ignored[nodes[i]] == ts->stamp)
            continue;
        if (scores[i] < min)
            min = scores[i];
        if (scores[i] > max)
            max = scores[i];
    }
    /* Raw scores take few distinct values (sums of small counts), so the
     * 64-bit divisions are done once per value, not once per node, whenever
     * there are fewer values than nodes. */
    int use_table = max > 0 && (uint64_t)(max - min) < n;
    if (use_table) {
        xgrow((void **)&ts->table, &ts->table_cap, (size_t)(max - min) + 1, sizeof *ts->table);
        for (int64_t v = min; v <= max; v++)
            ts->table[v - min] = 100 * (max + min - v) / max;
    }
    const int64_t *table = ts->table;
    if (use_table && !any_ignored) {
        for (size_t i = 0; i < n; i++)
            scores[i] = table[scores[i] - min];
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (any_ignored && ts->ignored[nodes[i]] == ts->stamp)
            scores[i] = 0;
        else if (max == 0)
            scores[i] = 100;
        else if (use_table)
            scores[i] = table[scores[i] - min];
        else
            scores[i] = 100 * (max + min - scores[i]) / max;
    }
}
