#include "models/kube/framework.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kube/plugins.h"
#include "models/kube/profile.h"
#include "sim/base/diag.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

const char *const kube_code_names[] = {"Success", "Unschedulable", "UnschedulableAndUnresolvable",
                                       "Skip",    "Error",         NULL};

void kube_reason(struct kube_reasons *r, const char *fmt, ...)
{
    if (!r || r->n >= KUBE_MAX_REASONS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text[r->n++], KUBE_REASON_LEN, fmt, ap);
    va_end(ap);
}

/*
 * helper.DefaultNormalizeScore (framework/plugins/helper/normalize_score.go,
 * v1.35): scale so the maximum becomes 100 (integer division), reversed on
 * request; when every score is 0 a reversed list becomes all 100. Writes
 * dst[i] = keep * dst[i] + w * normalized(raw[i]): keep 0 and w 1 normalize
 * in place (dst == raw), keep 1 adds the weighted scores to totals.
 */
static void default_normalize(const int64_t *raw, size_t n, int reverse, int64_t *dst, int64_t keep,
                              int64_t w)
{
    int64_t max = 0, min = INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] > max)
            max = raw[i];
        if (raw[i] < min)
            min = raw[i];
    }
    if (max == 0) {
        for (size_t i = 0; i < n; i++)
            dst[i] = keep * dst[i] + w * (reverse ? KUBE_MAX_NODE_SCORE : raw[i]);
        return;
    }
    /* Raw scores of the plugins using this (taint counts, sums of term
     * weights) take few distinct values: divide once per value, not once per
     * node. The same integer expression either way. */
    int64_t table[256];
    if (max - min < 256) {
        for (int64_t v = min; v <= max; v++) {
            int64_t x = KUBE_MAX_NODE_SCORE * v / max;
            table[v - min] = w * (reverse ? KUBE_MAX_NODE_SCORE - x : x);
        }
        if (keep) /* the hot case: one add per node */
            for (size_t i = 0; i < n; i++)
                dst[i] += table[raw[i] - min];
        else
            for (size_t i = 0; i < n; i++)
                dst[i] = table[raw[i] - min];
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t x = KUBE_MAX_NODE_SCORE * raw[i] / max;
        dst[i] = keep * dst[i] + w * (reverse ? KUBE_MAX_NODE_SCORE - x : x);
    }
}

void kube_default_normalize(int64_t *scores, size_t n, int reverse)
{
    default_normalize(scores, n, reverse, scores, 0, 1);
}

/* schedule_one.go: minFeasibleNodesToFind = 100, minFeasibleNodesPercentageToFind = 5. */
int64_t kube_num_feasible_nodes_to_find(int32_t percentage, int64_t nnodes)
{
    if (nnodes < 100)
        return nnodes;
    int64_t pct = percentage;
    if (pct == 0) {
        pct = 50 - nnodes / 125;
        if (pct < 5)
            pct = 5;
    }
    int64_t n = nnodes * pct / 100;
    return n < 100 ? 100 : n;
}

/* ---- the framework object ---- */

struct inst {
    const struct kube_plugin_ops *ops;
    void *state;
    void *cycle;
};

struct plist {
    size_t *v; /* indices into framework.insts */
    size_t n;
};

struct framework {
    char *name;
    struct kube_args args; /* a copy: plugin states may point into it */
    int32_t percentage;
    enum kube_tiebreak tie;
    gsl_rng *rng;
    struct inst *insts;
    size_t ninsts;
    struct plist prefilter, filter, prescore, score;
    int64_t *weights;         /* per score plugin */
    const char **score_names; /* per score plugin */
    int has_normalize_any;
    int preemption;      /* DefaultPreemption is a PostFilter plugin of the profile */
    uint64_t next_start; /* nextStartNodeIndex */
    /* per-cycle flags, sized by the lists */
    unsigned char *inst_skip_filter; /* per inst: PreFilter returned Skip */
    unsigned char *inst_skip_score;  /* per inst: PreScore returned Skip */
    const struct inst **active;      /* the filters that run this cycle */
    size_t nactive;
    /* the alive nodes in id order, rebuilt when the cluster's node set changes */
    int32_t *alive;
    size_t nalive, seen_nnodes, seen_nalive, alive_cap;
    /* scratch, grown with the node count, never freed per cycle */
    size_t cap;
    int32_t *cand;  /* PreFilter's node set, in id order */
    uint32_t *mark; /* per node id: generation stamp for set intersection */
    uint32_t mark_gen;
    int32_t *feasible;
    int64_t *raw, *norm, *total;
    /* the fast path's per-(owner, node) results of node-local plugins */
    struct ocache *caches;
    size_t ncaches;
    uint16_t *owner_slot; /* by owner id: cache index + 1, 0 = none */
    size_t owner_slot_cap;
    int *slot;     /* per score plugin: SLOT_NONE, SLOT_SUM or its raw score's entry slot */
    size_t stride; /* int64 words per cache entry */
    /* this cycle: where the cached raw scores of active NormalizeScore plugins go */
    int64_t **norm_dst; /* a plugin's fw->raw row */
    size_t *norm_src;   /* its entry slot */
    size_t nnorm_active;
    unsigned char *skip_now; /* this cycle's inst_skip_score by score plugin */
};

/*
 * Node-local results of one pod template, node-major so that a visited node
 * costs one look at one entry:
 *
 *   ent[node * stride + 0]  the node's version + 1 (0 = nothing cached) |
 *                           the position in the active filter list of the
 *                           first node-local filter that failed << 40
 *                           (NO_FAIL when none did)
 *                      + 1  when none did: Σ weight × raw score over the
 *                           node-local score plugins without NormalizeScore
 *                           (integer sums: the order does not change them)
 *                      + 2… the raw scores of node-local plugins with
 *                           NormalizeScore, which needs all feasible nodes
 *
 * Pods of one owner share a template, and a node's version changes with
 * every bind or delete on it, so a cycle recomputes only what changed since
 * that owner's last pod. skip records which node-local score plugins PreScore
 * skipped when the entries were made; should that ever differ, the entries
 * are dropped.
 */
#define CACHE_OWNERS 64
#define NO_FAIL      255
#define FAIL_SHIFT   40
#define STAMP_MASK   ((UINT64_C(1) << FAIL_SHIFT) - 1)
#define SLOT_NONE    (-1) /* not node-local: scored every cycle */
#define SLOT_SUM     (-2) /* node-local without NormalizeScore: in the entry's sum */

struct ocache {
    int64_t *ent;
    unsigned char *skip; /* by score plugin */
};

static void drop_caches(struct framework *fw);

const char *framework_profile_name(const struct framework *fw)
{
    return fw->name;
}

static const unsigned ext_point[KUBE_EXT_N] = {
    [KUBE_EXT_PREENQUEUE] = KUBE_PT_PREENQUEUE,
    [KUBE_EXT_QUEUESORT] = KUBE_PT_QUEUESORT,
    [KUBE_EXT_PREFILTER] = KUBE_PT_PREFILTER,
    [KUBE_EXT_FILTER] = KUBE_PT_FILTER,
    [KUBE_EXT_POSTFILTER] = KUBE_PT_POSTFILTER,
    [KUBE_EXT_PRESCORE] = KUBE_PT_PRESCORE,
    [KUBE_EXT_SCORE] = KUBE_PT_SCORE,
    [KUBE_EXT_RESERVE] = KUBE_PT_RESERVE,
    [KUBE_EXT_PERMIT] = 0,
    [KUBE_EXT_PREBIND] = KUBE_PT_PREBIND,
    [KUBE_EXT_BIND] = KUBE_PT_BIND,
    [KUBE_EXT_POSTBIND] = 0,
};

/* Upstream's interface names, for the messages of updatePluginList. */
static const char *const ext_iface[KUBE_EXT_N] = {
    "PreEnqueuePlugin",
    "QueueSortPlugin",
    "PreFilterPlugin",
    "FilterPlugin",
    "PostFilterPlugin",
    "PreScorePlugin",
    "ScorePlugin",
    "ReservePlugin",
    "PermitPlugin",
    "PreBindPlugin",
    "BindPlugin",
    "PostBindPlugin",
    "",
};

static size_t inst_of(struct framework *fw, const struct kube_plugin_ops *ops)
{
    for (size_t i = 0; i < fw->ninsts; i++)
        if (fw->insts[i].ops == ops)
            return i;
    fw->insts = xrealloc(fw->insts, (fw->ninsts + 1) * sizeof *fw->insts);
    fw->insts[fw->ninsts].ops = ops;
    fw->insts[fw->ninsts].state = NULL;
    fw->insts[fw->ninsts].cycle = NULL;
    return fw->ninsts++;
}

static int list_has(const char **names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return 1;
    return 0;
}

/*
 * The plugin names of one extension point: updatePluginList for the
 * point's own enabled list, then expandMultiPointPlugins (runtime/framework.go,
 * v1.35): explicitly re-configured plugins first in their own order, then
 * multiPoint plugins that implement the point and are not disabled there,
 * then the rest of the point's own list. "*" disabled at the point skips
 * the multiPoint expansion.
 */
static int resolve_point(const struct kube_profile *p, int e, const char ***out, size_t *nout,
                         char *err, size_t errlen)
{
    const struct kube_pluginset *own = &p->sets[e];
    const struct kube_pluginset *mp = &p->sets[KUBE_EXT_MULTIPOINT];
    size_t cap = own->nenabled + mp->nenabled + 1, n = 0;
    const char **names = xcalloc(cap, sizeof *names);
    const char **mpe = xcalloc(cap, sizeof *mpe);
    const char **over = xcalloc(cap, sizeof *over);
    size_t nmpe = 0, nover = 0;
    for (size_t i = 0; i < own->nenabled; i++) {
        const struct kube_plugin_ops *ops = plugins_find(own->enabled[i].name);
        if (!ops) {
            diag_errf(err, errlen, "%s \"%s\" does not exist", ext_iface[e], own->enabled[i].name);
            goto fail;
        }
        if (!(ops->points & ext_point[e])) {
            diag_errf(err, errlen, "plugin \"%s\" does not extend %s plugin", ops->name,
                      ext_iface[e]);
            goto fail;
        }
        if (list_has(names, n, ops->name)) {
            diag_errf(err, errlen, "plugin \"%s\" already registered as \"%s\"", ops->name,
                      ext_iface[e]);
            goto fail;
        }
        names[n++] = ops->name;
    }
    int star = 0;
    for (size_t i = 0; i < own->ndisabled; i++)
        star |= strcmp(own->disabled[i], "*") == 0;
    for (size_t i = 0; !star && i < mp->nenabled; i++) {
        const struct kube_plugin_ops *ops = plugins_find(mp->enabled[i].name);
        if (!ops) {
            diag_errf(err, errlen, "%s \"%s\" does not exist", ext_iface[e], mp->enabled[i].name);
            goto fail;
        }
        if (!(ops->points & ext_point[e]))
            continue;
        if (list_has((const char **)own->disabled, own->ndisabled, ops->name))
            continue;
        if (list_has(names, n, ops->name)) {
            if (!list_has(over, nover, ops->name))
                over[nover++] = ops->name;
            continue;
        }
        if (list_has(mpe, nmpe, ops->name)) {
            diag_errf(err, errlen, "plugin \"%s\" already registered as \"%s\"", ops->name,
                      ext_iface[e]);
            goto fail;
        }
        mpe[nmpe++] = ops->name;
    }
    const char **res = xcalloc(cap, sizeof *res);
    size_t nres = 0;
    for (size_t i = 0; i < n; i++)
        if (list_has(over, nover, names[i]))
            res[nres++] = names[i];
    for (size_t i = 0; i < nmpe; i++)
        res[nres++] = mpe[i];
    for (size_t i = 0; i < n; i++)
        if (!list_has(over, nover, names[i]))
            res[nres++] = names[i];
    free(names);
    free(mpe);
    free(over);
    *out = res;
    *nout = nres;
    return 0;
fail:
    free(names);
    free(mpe);
    free(over);
    return -1;
}

/* The plugins with a callback at this point go into the hot list. */
static void build_list(struct framework *fw, struct plist *l, const char **names, size_t n, int e)
{
    l->v = xcalloc(n ? n : 1, sizeof *l->v);
    l->n = 0;
    for (size_t i = 0; i < n; i++) {
        const struct kube_plugin_ops *ops = plugins_find(names[i]);
        int has = (e == KUBE_EXT_PREFILTER && ops->prefilter) ||
                  (e == KUBE_EXT_FILTER && ops->filter) ||
                  (e == KUBE_EXT_PRESCORE && ops->prescore) || (e == KUBE_EXT_SCORE && ops->score);
        if (has)
            l->v[l->n++] = inst_of(fw, ops);
    }
}

static int plist_has(const struct plist *l, size_t v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return 1;
    return 0;
}

static void add_missing(struct plist *pre, const struct plist *main, struct framework *fw,
                        int filter)
{
    for (size_t i = 0; i < main->n; i++) {
        const struct kube_plugin_ops *ops = fw->insts[main->v[i]].ops;
        if (!(filter ? ops->prefilter != NULL : ops->prescore != NULL) ||
            plist_has(pre, main->v[i]))
            continue;
        pre->v = xrealloc(pre->v, (pre->n + 1) * sizeof *pre->v);
        pre->v[pre->n++] = main->v[i];
    }
}

/*
 * getScoreWeights (runtime/framework.go): the first of score.enabled then
 * multiPoint.enabled naming the plugin gives its weight; 0 means 1.
 */
static int64_t score_weight(const struct kube_profile *p, const char *name)
{
    const struct kube_pluginset *sets[] = {&p->sets[KUBE_EXT_SCORE], &p->sets[KUBE_EXT_MULTIPOINT]};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sets[s]->nenabled; i++)
            if (strcmp(sets[s]->enabled[i].name, name) == 0)
                return sets[s]->enabled[i].weight ? sets[s]->enabled[i].weight : 1;
    return 1;
}

struct framework *framework_new(const struct kube_profile *profile, int32_t global_percentage,
                                enum kube_tiebreak tie, gsl_rng *rng, char *err, size_t errlen)
{
    struct framework *fw = xcalloc(1, sizeof *fw);
    fw->name = xstrdup(profile->scheduler_name);
    pluginargs_copy(&fw->args, &profile->args);
    fw->percentage = profile->percentage >= 0 ? profile->percentage : global_percentage;
    fw->tie = tie;
    fw->rng = rng;
    static const int hot[] = {KUBE_EXT_PREFILTER, KUBE_EXT_FILTER, KUBE_EXT_PRESCORE,
                              KUBE_EXT_SCORE};
    struct plist *lists[] = {&fw->prefilter, &fw->filter, &fw->prescore, &fw->score};
    for (int e = 0; e < KUBE_EXT_N; e++) {
        if (e == KUBE_EXT_MULTIPOINT)
            continue;
        const char **names;
        size_t n;
        if (resolve_point(profile, e, &names, &n, err, errlen) < 0) {
            framework_free(fw);
            return NULL;
        }
        for (int h = 0; h < 4; h++)
            if (hot[h] == e)
                build_list(fw, lists[h], names, n, e);
        if (e == KUBE_EXT_POSTFILTER)
            fw->preemption = list_has(names, n, kube_default_preemption_ops.name);
        free(names);
    }
    /*
     * A Filter (Score) plugin whose PreFilter (PreScore) is not enabled still
     * gets that callback, after the enabled ones: ksim plugins prepare their
     * per-cycle state there, where upstream plugins fall back to computing it
     * in Filter / Score.
     */
    add_missing(&fw->prefilter, &fw->filter, fw, 1);
    add_missing(&fw->prescore, &fw->score, fw, 0);
    fw->weights = xcalloc(fw->score.n + 1, sizeof *fw->weights);
    fw->score_names = xcalloc(fw->score.n + 1, sizeof *fw->score_names);
    fw->slot = xcalloc(fw->score.n + 1, sizeof *fw->slot);
    fw->norm_dst = xcalloc(fw->score.n + 1, sizeof *fw->norm_dst);
    fw->norm_src = xcalloc(fw->score.n + 1, sizeof *fw->norm_src);
    fw->skip_now = xcalloc(fw->score.n + 1, 1);
    fw->stride = 2;
    for (size_t i = 0; i < fw->score.n; i++) {
        const struct kube_plugin_ops *ops = fw->insts[fw->score.v[i]].ops;
        fw->weights[i] = score_weight(profile, ops->name);
        fw->score_names[i] = ops->name;
        fw->slot[i] = !ops->node_local ? SLOT_NONE : ops->normalize ? (int)fw->stride++ : SLOT_SUM;
    }
    for (size_t i = 0; i < fw->ninsts; i++) {
        struct inst *in = &fw->insts[i];
        in->state = xcalloc(1, in->ops->state_size ? in->ops->state_size : 1);
        in->cycle = xcalloc(1, in->ops->cycle_size ? in->ops->cycle_size : 1);
        if (in->ops->init && in->ops->init(in->state, &fw->args, err, errlen) < 0) {
            free(in->state);
            in->state = NULL;
            framework_free(fw);
            return NULL;
        }
    }
    fw->inst_skip_filter = xcalloc(fw->ninsts + 1, 1);
    fw->inst_skip_score = xcalloc(fw->ninsts + 1, 1);
    fw->active = xcalloc(fw->filter.n + 1, sizeof *fw->active);
    return fw;
}

void framework_free(struct framework *fw)
{
    if (!fw)
        return;
    for (size_t i = 0; i < fw->ninsts; i++) {
        if (fw->insts[i].state && fw->insts[i].ops->release)
            fw->insts[i].ops->release(fw->insts[i].state);
        free(fw->insts[i].state);
        free(fw->insts[i].cycle);
    }
    free(fw->insts);
    free(fw->prefilter.v);
    free(fw->filter.v);
    free(fw->prescore.v);
    free(fw->score.v);
    free(fw->weights);
    free(fw->score_names);
    free(fw->slot);
    free(fw->norm_dst);
    free(fw->norm_src);
    free(fw->skip_now);
    free(fw->inst_skip_filter);
    free(fw->inst_skip_score);
    free(fw->active);
    free(fw->alive);
    free(fw->cand);
    free(fw->mark);
    free(fw->feasible);
    free(fw->raw);
    free(fw->norm);
    free(fw->total);
    drop_caches(fw);
    free(fw->owner_slot);
    free(fw->name);
    pluginargs_release(&fw->args);
    free(fw);
}

static void drop_caches(struct framework *fw)
{
    for (size_t i = 0; i < fw->ncaches; i++) {
        free(fw->caches[i].ent);
        free(fw->caches[i].skip);
    }
    free(fw->caches);
    fw->caches = NULL;
    fw->ncaches = 0;
    if (fw->owner_slot)
        memset(fw->owner_slot, 0, fw->owner_slot_cap * sizeof *fw->owner_slot);
}

/* The cache of owner's template, made on first use; NULL when all slots are taken. */
static struct ocache *cache_for(struct framework *fw, int32_t owner)
{
    if ((size_t)owner >= fw->owner_slot_cap) {
        size_t cap = (size_t)owner + 64;
        fw->owner_slot = xrealloc(fw->owner_slot, cap * sizeof *fw->owner_slot);
        memset(fw->owner_slot + fw->owner_slot_cap, 0,
               (cap - fw->owner_slot_cap) * sizeof *fw->owner_slot);
        fw->owner_slot_cap = cap;
    }
    if (fw->owner_slot[owner])
        return &fw->caches[fw->owner_slot[owner] - 1];
    if (fw->ncaches >= CACHE_OWNERS)
        return NULL;
    if (!fw->caches)
        fw->caches = xcalloc(CACHE_OWNERS, sizeof *fw->caches);
    struct ocache *oc = &fw->caches[fw->ncaches++];
    oc->ent = xcalloc(fw->cap * fw->stride, sizeof *oc->ent);
    oc->skip = xcalloc(fw->score.n + 1, 1);
    fw->owner_slot[owner] = (uint16_t)fw->ncaches;
    return oc;
}

/* The snapshot's node list: alive nodes in id order (NodeInfos().List()). */
static void refresh_nodes(struct framework *fw, const struct cluster *c)
{
    if (fw->alive && fw->seen_nnodes == c->nnodes && fw->seen_nalive == c->nalive)
        return;
    /* A new node set (ImageLocality counts nodes) or new array sizes: start afresh. */
    drop_caches(fw);
    xgrow((void **)&fw->alive, &fw->alive_cap, c->nnodes + 1, sizeof *fw->alive);
    fw->nalive = 0;
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i].alive)
            fw->alive[fw->nalive++] = (int32_t)i;
    fw->seen_nnodes = c->nnodes;
    fw->seen_nalive = c->nalive;
    if (c->nnodes + 1 > fw->cap) {
        size_t cap = c->nnodes + 1;
        fw->cand = xrealloc(fw->cand, cap * sizeof *fw->cand);
        fw->mark = xrealloc(fw->mark, cap * sizeof *fw->mark);
        memset(fw->mark, 0, cap * sizeof *fw->mark);
        fw->mark_gen = 0;
        fw->feasible = xrealloc(fw->feasible, cap * sizeof *fw->feasible);
        fw->raw = xrealloc(fw->raw, (fw->score.n + 1) * cap * sizeof *fw->raw);
        fw->norm = xrealloc(fw->norm, (fw->score.n + 1) * cap * sizeof *fw->norm);
        fw->total = xrealloc(fw->total, cap * sizeof *fw->total);
        fw->cap = cap;
    }
}

/* ---- recording (explain) ---- */

struct rec {
    struct kube_explain *out;
    size_t cap;
};

static struct kube_node_explain *rec_node(struct rec *r, int32_t node)
{
    struct kube_explain *e = r->out;
    xgrow((void **)&e->nodes, &r->cap, e->nnodes + 1, sizeof *e->nodes);
    struct kube_node_explain *ne = &e->nodes[e->nnodes++];
    memset(ne, 0, sizeof *ne);
    ne->node = node;
    return ne;
}

static void rec_fail(struct rec *r, int32_t node, enum kube_code code, const char *plugin,
                     const struct kube_reasons *rs)
{
    struct kube_node_explain *ne = rec_node(r, node);
    ne->code = code;
    ne->plugin = plugin;
    ne->nreasons = rs->n;
    ne->reasons = xcalloc(rs->n + 1, sizeof *ne->reasons);
    for (size_t i = 0; i < rs->n; i++)
        ne->reasons[i] = xstrdup(rs->text[i]);
}

static int cmp_node(const void *a, const void *b)
{
    const struct kube_node_explain *x = a, *y = b;
    return (x->node > y->node) - (x->node < y->node);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * FitError.Error (pkg/scheduler/framework/types.go, v1.35): "0/N nodes are
 * available:" then either the PreFilter message or the "count reason"
 * histogram over the nodes' reasons, sorted with sort.Strings, joined by
 * ", ", ended with ".". absent nodes (outside PreFilter's node set) count
 * with absent_reason.
 */
static char *fit_error_text(const struct kube_explain *e, size_t nall, const char *prefilter_msg,
                            size_t nabsent, const char *absent_reason)
{
    char *head = xasprintf("0/%zu nodes are available:", nall);
    if (prefilter_msg) {
        char *s = xasprintf("%s %s.", head, prefilter_msg);
        free(head);
        return s;
    }
    size_t cap = 1, n = 0;
    for (size_t i = 0; i < e->nnodes; i++)
        cap += e->nodes[i].nreasons;
    const char **keys = xcalloc(cap, sizeof *keys);
    size_t *counts = xcalloc(cap, sizeof *counts);
    for (size_t i = 0; i < e->nnodes; i++) {
        for (size_t j = 0; j < e->nodes[i].nreasons; j++) {
            const char *k = e->nodes[i].reasons[j];
            size_t f = 0;
            while (f < n && strcmp(keys[f], k) != 0)
                f++;
            if (f == n)
                keys[n++] = k;
            counts[f]++;
        }
    }
    if (nabsent && absent_reason) {
        size_t f = 0;
        while (f < n && strcmp(keys[f], absent_reason) != 0)
            f++;
        if (f == n)
            keys[n++] = absent_reason;
        counts[f] += nabsent;
    }
    char **items = xcalloc(n + 1, sizeof *items);
    size_t len = strlen(head) + 2;
    for (size_t i = 0; i < n; i++) {
        items[i] = xasprintf("%zu %s", counts[i], keys[i]);
        len += strlen(items[i]) + 2;
    }
    qsort(items, n, sizeof *items, cmp_str);
    char *s = xcalloc(len + 1, 1);
    strcpy(s, head);
    for (size_t i = 0; i < n; i++) {
        strcat(s, i ? ", " : " ");
        strcat(s, items[i]);
        free(items[i]);
    }
    if (n)
        strcat(s, ".");
    free(items);
    free(keys);
    free(counts);
    free(head);
    return s;
}

/* ---- the cycle ---- */

enum { RUN_FAST, RUN_EXPLAIN, RUN_DRY };

/* Runs the active filters on one node; the first failure wins. */
static enum kube_code run_filters(struct framework *fw, const struct kube_pod *kp, int32_t node,
                                  struct kube_reasons *rs, const char **plugin)
{
    for (size_t f = 0; f < fw->nactive; f++) {
        const struct inst *in = fw->active[f];
        enum kube_code code = in->ops->filter(in->state, in->cycle, kp, node, rs);
        if (code != KUBE_SUCCESS) {
            *plugin = in->ops->name;
            return code;
        }
    }
    return KUBE_SUCCESS;
}

/* Computes node's cache entry e: node-local filters, then node-local scores when they pass. */
__attribute__((noinline)) static void cache_fill(struct framework *fw, const struct kube_pod *kp,
                                                 int32_t node, int64_t *e, uint64_t want)
{
    uint64_t fail_at = NO_FAIL;
    for (size_t f = 0; f < fw->nactive && fail_at == NO_FAIL; f++) {
        const struct inst *in = fw->active[f];
        if (in->ops->node_local &&
            in->ops->filter(in->state, in->cycle, kp, node, NULL) != KUBE_SUCCESS)
            fail_at = f;
    }
    int64_t sum = 0;
    for (size_t s = 0; fail_at == NO_FAIL && s < fw->score.n; s++) {
        const struct inst *in = &fw->insts[fw->score.v[s]];
        if (fw->slot[s] == SLOT_NONE || fw->skip_now[s])
            continue;
        int64_t v;
        in->ops->score(in->state, in->cycle, kp, &node, 1, &v);
        if (fw->slot[s] == SLOT_SUM)
            sum += v * fw->weights[s];
        else
            e[fw->slot[s]] = v;
    }
    e[0] = (int64_t)(want | fail_at << FAIL_SHIFT);
    e[1] = sum;
}

/*
 * What the visit loop reads and writes, copied out of the framework so that
 * the compiler keeps it in registers across cache_fill calls.
 */
struct visit {
    struct framework *fw;
    const struct kube_pod *kp;
    const struct node *cn;
    int64_t *ent;
    size_t stride;
    int64_t *total;
    int32_t *feasible;
    int64_t *const *dst;
    const size_t *src;
    size_t nnorm;
};

/* node's cache entry, brought up to date. */
static inline const int64_t *cache_entry(const struct visit *v, int32_t node)
{
    int64_t *e = v->ent + (size_t)node * v->stride;
    uint64_t want = (uint64_t)v->cn[node].version + 1;
    if (((uint64_t)e[0] & STAMP_MASK) != want)
        cache_fill(v->fw, v->kp, node, e, want);
    return e;
}

static inline int entry_passed(const int64_t *e)
{
    return ((uint64_t)e[0] >> FAIL_SHIFT) == NO_FAIL;
}

/* A feasible node: its total starts with the cached weighted sum; the raw
 * scores NormalizeScore needs go to their plugins' rows. */
static inline void take(const struct visit *v, const int64_t *e, size_t nf, int32_t node)
{
    v->total[nf] = e[1];
    switch (v->nnorm) {
    case 0:
        break;
    case 1: /* the default profile: TaintToleration, NodeAffinity */
        v->dst[0][nf] = e[v->src[0]];
        break;
    default:
        for (size_t j = 0; j < v->nnorm; j++)
            v->dst[j][nf] = e[v->src[j]];
    }
    v->feasible[nf] = node;
}

/* The filters that are not node-local, in order, before the entry's first node-local failure. */
static int nonlocal_pass(struct framework *fw, const struct kube_pod *kp, int32_t node,
                         const int64_t *e)
{
    size_t fail_at = (size_t)((uint64_t)e[0] >> FAIL_SHIFT);
    size_t end = fail_at == NO_FAIL ? fw->nactive : fail_at;
    for (size_t f = 0; f < end; f++) {
        const struct inst *in = fw->active[f];
        if (!in->ops->node_local &&
            in->ops->filter(in->state, in->cycle, kp, node, NULL) != KUBE_SUCCESS)
            return 0;
    }
    return 1;
}

/*
 * The fast path's Filter with the owner's cache: node-local filters (and the
 * node-local scores of a node passing them) come from the cache while the
 * node's version is unchanged; other filters run as usual, in order, up to
 * the first node-local failure. Visits nodes[start..] round robin until
 * to_find are feasible; returns how many are, *processed how many were seen.
 * Two copies of the loop: the one for all-node-local filters is the hot one.
 */
__attribute__((noinline)) static size_t
cached_visit(struct framework *fw, struct ocache *oc, const struct kube_pod *kp,
             const int32_t *nodes, size_t nnodes, size_t start, size_t to_find, size_t *processed)
{
    const struct visit v = {fw,        kp,           kp->c->nodes, oc->ent,      fw->stride,
                            fw->total, fw->feasible, fw->norm_dst, fw->norm_src, fw->nnorm_active};
    size_t nf = 0, i = 0, k = start;
    int all_local = 1;
    for (size_t f = 0; f < fw->nactive; f++)
        all_local &= fw->active[f]->ops->node_local;
    if (all_local) {
        while (i < nnodes && nf < to_find) {
            int32_t node = nodes[k];
            k = k + 1 == nnodes ? 0 : k + 1;
            i++;
            const int64_t *e = cache_entry(&v, node);
            if (entry_passed(e))
                take(&v, e, nf++, node);
        }
    } else {
        while (i < nnodes && nf < to_find) {
            int32_t node = nodes[k];
            k = k + 1 == nnodes ? 0 : k + 1;
            i++;
            const int64_t *e = cache_entry(&v, node);
            if (nonlocal_pass(fw, kp, node, e) && entry_passed(e))
                take(&v, e, nf++, node);
        }
    }
    *processed = i;
    return nf;
}

/* total[0..n) += w * v[0..n). */
static void add_weighted(int64_t *restrict total, const int64_t *restrict v, int64_t w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        total[i] += v[i] * w;
}

/*
 * selectHost (schedule_one.go): the best of total[0..nf); with draw, ties
 * uniformly at random by reservoir sampling, one draw per tie met.
 */
static size_t select_host(struct framework *fw, size_t nf, int draw)
{
    const int64_t *total = fw->total;
    size_t best = 0;
    int64_t top = total[0];
    unsigned long cnt = 1;
    for (size_t i = 1; i < nf; i++) {
        if (total[i] > top) {
            best = i;
            top = total[i];
            cnt = 1;
        } else if (total[i] == top && draw) {
            cnt++;
            if (gsl_rng_uniform_int(fw->rng, cnt) == 0)
                best = i;
        }
    }
    return best;
}

/* Whether the round robin over nodes[0..n) from start, `processed` steps, visited node. */
static int visited(const int32_t *nodes, size_t n, size_t start, size_t processed, int32_t node)
{
    for (size_t i = 0; i < processed; i++)
        if (nodes[(start + i) % n] == node)
            return 1;
    return 0;
}

static int32_t run_cycle(struct framework *fw, const struct cluster *c, int32_t pod, int mode,
                         struct kube_explain *out)
{
    struct rec r = {out, 0};
    int recording = mode != RUN_FAST;
    if (recording) {
        memset(out, 0, sizeof *out);
        out->nscore = fw->score.n;
        out->score_names = fw->score_names;
        out->weights = xcalloc(fw->score.n + 1, sizeof *out->weights);
        memcpy(out->weights, fw->weights, fw->score.n * sizeof *out->weights);
        out->skipped = xcalloc(fw->score.n + 1, sizeof *out->skipped);
        out->selected = -1;
    }
    refresh_nodes(fw, c);
    if (fw->nalive == 0) {
        /* schedule_one.go: ErrNoNodesAvailable, not a FitError. */
        if (recording)
            out->message = xstrdup("no nodes available to schedule pods");
        return -1;
    }
    struct kube_pod kp = {c, pod, &c->owners[c->pods[pod].owner].spec};
    struct kube_reasons rs;

    /* PreFilter (RunPreFilterPlugins). */
    const int32_t *nodes = fw->alive;
    size_t nnodes = fw->nalive;
    const char *set_plugin = NULL;
    int have_set = 0;
    enum kube_code reject = KUBE_SUCCESS;
    const char *reject_plugin = NULL;
    struct kube_reasons reject_rs;
    reject_rs.n = 0;
    memset(fw->inst_skip_filter, 0, fw->ninsts);
    for (size_t i = 0; i < fw->prefilter.n; i++) {
        struct inst *in = &fw->insts[fw->prefilter.v[i]];
        struct kube_nodeset set = {NULL, 0};
        rs.n = 0;
        enum kube_code code = in->ops->prefilter(in->state, in->cycle, &kp, &set, &rs);
        if (code == KUBE_SKIP) {
            fw->inst_skip_filter[fw->prefilter.v[i]] = 1;
            continue;
        }
        if (code != KUBE_SUCCESS) {
            /* Unresolvable stops at once; Unschedulable lets the rest run. */
            reject = code;
            reject_plugin = in->ops->name;
            reject_rs = rs;
            if (code == KUBE_UNRESOLVABLE)
                break;
            continue;
        }
        if (!set.ids)
            continue;
        /* PreFilterResult.Merge: intersect with what earlier plugins allowed. */
        uint32_t gen = ++fw->mark_gen;
        if (gen == 0) {
            memset(fw->mark, 0, fw->cap * sizeof *fw->mark);
            gen = fw->mark_gen = 1;
        }
        size_t m = 0;
        int have_set_before = have_set;
        if (!have_set) {
            for (size_t k = 0; k < set.n; k++) {
                int32_t id = set.ids[k];
                if (id >= 0 && (size_t)id < c->nnodes && c->nodes[id].alive &&
                    fw->mark[id] != gen) {
                    fw->mark[id] = gen;
                    fw->cand[m++] = id;
                }
            }
        } else {
            for (size_t k = 0; k < set.n; k++)
                if (set.ids[k] >= 0 && (size_t)set.ids[k] < c->nnodes)
                    fw->mark[set.ids[k]] = gen;
            for (size_t k = 0; k < nnodes; k++)
                if (fw->mark[nodes[k]] == gen)
                    fw->cand[m++] = nodes[k];
        }
        qsort(fw->cand, m, sizeof *fw->cand, cmp_i32);
        /* Re-stamp so that mark == mark_gen means "in the merged set". */
        gen = ++fw->mark_gen;
        if (gen == 0) {
            memset(fw->mark, 0, fw->cap * sizeof *fw->mark);
            gen = fw->mark_gen = 1;
        }
        for (size_t k = 0; k < m; k++)
            fw->mark[fw->cand[k]] = gen;
        have_set = 1;
        set_plugin = in->ops->name;
        nodes = fw->cand;
        nnodes = m;
        /* Names pinned by one plugin may simply not exist (then no node is
         * visited); an empty intersection of two plugins' sets rejects. */
        if (m == 0 && set.n > 0 && have_set_before) {
            reject = KUBE_UNRESOLVABLE;
            reject_plugin = in->ops->name;
            reject_rs.n = 0;
            kube_reason(&reject_rs, "node(s) didn't satisfy plugin %s", in->ops->name);
            break;
        }
    }
    if (reject != KUBE_SUCCESS) {
        if (recording) {
            char msg[KUBE_MAX_REASONS * KUBE_REASON_LEN] = "";
            for (size_t k = 0; k < reject_rs.n; k++) {
                if (k)
                    strcat(msg, ", ");
                strcat(msg, reject_rs.text[k]);
            }
            for (size_t k = 0; k < fw->nalive; k++)
                rec_fail(&r, fw->alive[k], reject, reject_plugin, &reject_rs);
            out->message = fit_error_text(out, fw->nalive, msg, 0, NULL);
        }
        return -1;
    }

    /* Filter, round robin from nextStartNodeIndex, until enough are feasible. */
    fw->nactive = 0;
    for (size_t i = 0; i < fw->filter.n; i++)
        if (!fw->inst_skip_filter[fw->filter.v[i]])
            fw->active[fw->nactive++] = &fw->insts[fw->filter.v[i]];
    /*
     * evaluateNominatedNode (schedule_one.go, v1.35): a pod nominated by an
     * earlier preemption tries that node alone first (PreFilter's node set
     * is not consulted); passing, it is the only feasible node, chosen
     * without scoring and without moving nextStartNodeIndex.
     */
    int32_t nom = c->pods[pod].nominated;
    int nom_failed = 0;
    if (nom >= 0 && (size_t)nom < c->nnodes && c->nodes[nom].alive) {
        const char *plugin = NULL;
        rs.n = 0;
        enum kube_code code = run_filters(fw, &kp, nom, recording ? &rs : NULL, &plugin);
        if (code == KUBE_SUCCESS) {
            if (recording) {
                rec_node(&r, nom)->code = KUBE_SUCCESS;
                out->feasible = xcalloc(1, sizeof *out->feasible);
                out->feasible[0] = nom;
                out->nfeasible = 1;
                out->selected = nom;
            }
            return nom;
        }
        nom_failed = 1;
    }
    int64_t to_find = kube_num_feasible_nodes_to_find(fw->percentage, (int64_t)nnodes);
    if (fw->score.n == 0)
        to_find = 1;
    size_t nf = 0, processed = 0;
    size_t start = nnodes ? (size_t)(fw->next_start % nnodes) : 0;
    struct ocache *oc = NULL;
    memset(fw->inst_skip_score, 0, fw->ninsts);
    if (mode == RUN_FAST && fw->nactive < NO_FAIL)
        oc = cache_for(fw, c->pods[pod].owner);
    if (oc) {
        /* Node-local PreScore first: it does not look at the feasible nodes. */
        for (size_t i = 0; i < fw->prescore.n; i++) {
            struct inst *in = &fw->insts[fw->prescore.v[i]];
            if (in->ops->node_local &&
                in->ops->prescore(in->state, in->cycle, &kp, NULL, 0) == KUBE_SKIP)
                fw->inst_skip_score[fw->prescore.v[i]] = 1;
        }
        fw->nnorm_active = 0;
        for (size_t s = 0; s < fw->score.n; s++) {
            fw->skip_now[s] = fw->inst_skip_score[fw->score.v[s]];
            if (fw->slot[s] >= 0 && !fw->skip_now[s]) {
                fw->norm_dst[fw->nnorm_active] = fw->raw + s * fw->cap;
                fw->norm_src[fw->nnorm_active++] = (size_t)fw->slot[s];
            }
        }
        if (memcmp(oc->skip, fw->skip_now, fw->score.n) != 0) {
            memset(oc->ent, 0, fw->cap * fw->stride * sizeof *oc->ent);
            memcpy(oc->skip, fw->skip_now, fw->score.n);
        }
        nf = cached_visit(fw, oc, &kp, nodes, nnodes, start, (size_t)to_find, &processed);
    }
    for (size_t i = 0; !oc && i < nnodes && (int64_t)nf < to_find; i++) {
        size_t k = start + i;
        int32_t node = nodes[k >= nnodes ? k - nnodes : k];
        const char *plugin = NULL;
        enum kube_code code;
        processed++;
        rs.n = 0;
        code = run_filters(fw, &kp, node, recording ? &rs : NULL, &plugin);
        if (code == KUBE_SUCCESS)
            fw->feasible[nf++] = node;
        else if (recording)
            rec_fail(&r, node, code, plugin, &rs);
    }
    /* The nominated node's failure stays in Diagnosis.NodeToStatus and counts
     * as processed once, also when the round robin did not reach it. */
    if (nom_failed && !visited(nodes, nnodes, start, processed, nom)) {
        processed++;
        if (recording) {
            const char *plugin = NULL;
            rs.n = 0;
            enum kube_code code = run_filters(fw, &kp, nom, &rs, &plugin);
            rec_fail(&r, nom, code, plugin, &rs);
        }
    }
    if (mode != RUN_DRY)
        fw->next_start = (fw->next_start + processed) % fw->nalive;

    if (nf == 0) {
        if (recording) {
            char absent[KUBE_REASON_LEN];
            snprintf(absent, sizeof absent, "node(s) didn't satisfy plugin(s) [%s]",
                     set_plugin ? set_plugin : "");
            size_t nabsent = fw->nalive - nnodes;
            out->message = fit_error_text(out, fw->nalive, NULL, nabsent, absent);
            /* Nodes outside PreFilter's node set, after the text counted them once each. */
            for (size_t k = 0; have_set && k < fw->nalive; k++) {
                int32_t id = fw->alive[k];
                if (fw->mark[id] != fw->mark_gen) {
                    struct kube_reasons ar;
                    ar.n = 0;
                    kube_reason(&ar, "%s", absent);
                    rec_fail(&r, id, KUBE_UNRESOLVABLE, set_plugin, &ar);
                }
            }
            qsort(out->nodes, out->nnodes, sizeof *out->nodes, cmp_node);
        }
        return -1;
    }
    if (nf == 1 && !recording)
        return fw->feasible[0];

    /* PreScore, Score, NormalizeScore, weights. */
    for (size_t i = 0; i < fw->prescore.n; i++) {
        struct inst *in = &fw->insts[fw->prescore.v[i]];
        if (oc && in->ops->node_local)
            continue; /* ran before Filter */
        if (in->ops->prescore(in->state, in->cycle, &kp, fw->feasible, nf) == KUBE_SKIP)
            fw->inst_skip_score[fw->prescore.v[i]] = 1;
    }
    /* With the cache, totals start from the cached sums (cached_visit). */
    if (!oc)
        memset(fw->total, 0, nf * sizeof *fw->total);
    for (size_t s = 0; s < fw->score.n; s++) {
        struct inst *in = &fw->insts[fw->score.v[s]];
        int64_t *raw = fw->raw + s * fw->cap, *norm = raw;
        if (fw->inst_skip_score[fw->score.v[s]]) {
            if (recording)
                out->skipped[s] = 1;
            continue;
        }
        if (oc && fw->slot[s] == SLOT_SUM)
            continue;
        if (!oc || fw->slot[s] == SLOT_NONE)
            in->ops->score(in->state, in->cycle, &kp, fw->feasible, nf, raw);
        if (recording) {
            /* The record keeps raw and normalized apart; the fast path normalizes in place. */
            norm = fw->norm + s * fw->cap;
            memcpy(norm, raw, nf * sizeof *norm);
        }
        if (!recording && in->ops->default_normalize) {
            /* One pass fewer: normalize straight into the totals. */
            default_normalize(raw, nf, in->ops->default_normalize == KUBE_NORMALIZE_REVERSE,
                              fw->total, 1, fw->weights[s]);
            continue;
        }
        if (in->ops->normalize)
            in->ops->normalize(in->state, in->cycle, &kp, fw->feasible, norm, nf);
        add_weighted(fw->total, norm, fw->weights[s], nf);
    }

    size_t best = select_host(fw, nf, fw->tie == KUBE_TIE_RANDOM && mode != RUN_DRY);
    int32_t chosen = fw->feasible[best];

    if (recording) {
        for (size_t i = 0; i < nf; i++) {
            struct kube_node_explain *ne = rec_node(&r, fw->feasible[i]);
            ne->code = KUBE_SUCCESS;
            ne->scored = 1;
            ne->raw = xcalloc(fw->score.n + 1, sizeof *ne->raw);
            ne->normalized = xcalloc(fw->score.n + 1, sizeof *ne->normalized);
            ne->weighted = xcalloc(fw->score.n + 1, sizeof *ne->weighted);
            for (size_t s = 0; s < fw->score.n; s++) {
                if (out->skipped[s])
                    continue;
                ne->raw[s] = fw->raw[s * fw->cap + i];
                ne->normalized[s] = fw->norm[s * fw->cap + i];
                ne->weighted[s] = ne->normalized[s] * fw->weights[s];
            }
            ne->total = fw->total[i];
        }
        qsort(out->nodes, out->nnodes, sizeof *out->nodes, cmp_node);
        out->feasible = xcalloc(nf, sizeof *out->feasible);
        memcpy(out->feasible, fw->feasible, nf * sizeof *out->feasible);
        qsort(out->feasible, nf, sizeof *out->feasible, cmp_i32);
        out->nfeasible = nf;
        out->selected = chosen;
    }
    return chosen;
}

int32_t framework_schedule(struct framework *fw, const struct cluster *c, int32_t pod)
{
    return run_cycle(fw, c, pod, RUN_FAST, NULL);
}

int32_t framework_explain(struct framework *fw, const struct cluster *c, int32_t pod,
                          struct kube_explain *out)
{
    return run_cycle(fw, c, pod, RUN_EXPLAIN, out);
}

void framework_fit_error(struct framework *fw, const struct cluster *c, int32_t pod, char *buf,
                         size_t len)
{
    struct kube_explain e;
    run_cycle(fw, c, pod, RUN_DRY, &e);
    snprintf(buf, len, "%s", e.message ? e.message : "");
    kube_explain_release(&e);
}

char *kube_fit_error_text(const struct kube_explain *e, size_t nall, size_t nabsent,
                          const char *absent_reason)
{
    return fit_error_text(e, nall, NULL, nabsent, absent_reason);
}

void framework_diagnose(struct framework *fw, const struct cluster *c, int32_t pod,
                        struct kube_explain *out)
{
    run_cycle(fw, c, pod, RUN_DRY, out);
}

int framework_preemption(const struct framework *fw)
{
    return fw->preemption;
}

const struct kube_args *framework_args(const struct framework *fw)
{
    return &fw->args;
}

void framework_prefilter_again(struct framework *fw, const struct cluster *c, int32_t pod)
{
    struct kube_pod kp = {c, pod, &c->owners[c->pods[pod].owner].spec};
    struct kube_reasons rs;
    for (size_t f = 0; f < fw->nactive; f++) {
        const struct inst *in = fw->active[f];
        if (in->ops->node_local || !in->ops->prefilter)
            continue;
        struct kube_nodeset set = {NULL, 0};
        rs.n = 0;
        in->ops->prefilter(in->state, in->cycle, &kp, &set, &rs);
    }
}

enum kube_code framework_filter_node(struct framework *fw, const struct cluster *c, int32_t pod,
                                     int32_t node, struct kube_reasons *rs, const char **plugin)
{
    struct kube_pod kp = {c, pod, &c->owners[c->pods[pod].owner].spec};
    if (rs)
        rs->n = 0;
    *plugin = NULL;
    return run_filters(fw, &kp, node, rs, plugin);
}

void kube_explain_release(struct kube_explain *e)
{
    for (size_t i = 0; i < e->nnodes; i++) {
        struct kube_node_explain *ne = &e->nodes[i];
        for (size_t j = 0; ne->reasons && ne->reasons[j]; j++)
            free(ne->reasons[j]);
        free(ne->reasons);
        free(ne->raw);
        free(ne->normalized);
        free(ne->weighted);
    }
    free(e->nodes);
    free(e->weights);
    free(e->skipped);
    free(e->feasible);
    free(e->message);
    memset(e, 0, sizeof *e);
}
