#include "models/kube/preemption.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kube/framework.h"
#include "models/kube/pluginargs.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/* The status of SelectVictimsOnNode when the node has no lower-priority pod. */
#define NO_VICTIMS      "No preemption victims found for incoming pod"
#define NOT_HELPFUL     "Preemption is not helpful for scheduling"
#define NEVER_MSG       "preemption: not eligible due to preemptionPolicy=Never."
#define TERMINATING_MSG "preemption: not eligible due to a terminating pod on the nominated node."

struct preemption {
    gsl_rng *rng;
    /* scratch, grown as needed */
    int32_t *potential; /* potential nodes, snapshot order */
    size_t potential_cap;
    int32_t *pods; /* one node's pods in list order (restore) */
    size_t pods_cap;
    int32_t *pv; /* one node's potential victims */
    size_t pv_cap;
    /* candidates: node, and victims[off .. off+count) */
    int32_t *cnode;
    size_t *coff, *ccount, ccap;
    int32_t *victims;
    size_t victims_cap, nvictims;
    /* failed nodes of the dry run, for the FitError text */
    struct kube_node_explain *failed;
    size_t failed_cap;
};

struct preemption *preemption_new(gsl_rng *rng)
{
    struct preemption *pe = xcalloc(1, sizeof *pe);
    pe->rng = rng;
    return pe;
}

void preemption_free(struct preemption *pe)
{
    if (!pe)
        return;
    free(pe->potential);
    free(pe->pods);
    free(pe->pv);
    free(pe->cnode);
    free(pe->coff);
    free(pe->ccount);
    free(pe->victims);
    free(pe->failed);
    free(pe);
}

int32_t preemption_num_candidates(const struct kube_preemption_args *a, int32_t n)
{
    int64_t k = (int64_t)n * a->min_candidate_nodes_percentage / 100;
    if (k < a->min_candidate_nodes_absolute)
        k = a->min_candidate_nodes_absolute;
    if (k > n)
        k = n;
    return (int32_t)k;
}

static int32_t priority_of(const struct cluster *c, int32_t pod)
{
    return c->owners[c->pods[pod].owner].spec.priority;
}

/* GetPodStartTime, in whole seconds (metav1.Time's precision). */
static simtime start_s(const struct cluster *c, int32_t pod)
{
    return c->pods[pod].bound_at / SIMTIME_S;
}

/* util.MoreImportantPod (pkg/scheduler/util/utils.go): higher priority, then earlier start. */
static int more_important(const struct cluster *c, int32_t a, int32_t b)
{
    int32_t pa = priority_of(c, a), pb = priority_of(c, b);
    if (pa != pb)
        return pa > pb;
    return start_s(c, a) < start_s(c, b);
}

int preemption_may_help(const struct framework *fw, const struct cluster *c, int32_t pod)
{
    const struct podspec *ps = &c->owners[c->pods[pod].owner].spec;
    return framework_preemption(fw) && !ps->preempt_never &&
           cluster_lowest_priority(c) < ps->priority;
}

/*
 * PodEligibleToPreemptOthers: not with preemptionPolicy Never; not while a
 * lower-priority pod is terminating on the pod's nominated node, unless the
 * filters found that node UnschedulableAndUnresolvable.
 */
static const char *not_eligible(const struct cluster *c, int32_t pod,
                                const struct kube_explain *diag)
{
    const struct podspec *ps = &c->owners[c->pods[pod].owner].spec;
    if (ps->preempt_never)
        return NEVER_MSG;
    int32_t nom = c->pods[pod].nominated;
    if (nom < 0 || (size_t)nom >= c->nnodes || !c->nodes[nom].alive)
        return NULL;
    for (size_t i = 0; i < diag->nnodes; i++)
        if (diag->nodes[i].node == nom && diag->nodes[i].code == KUBE_UNRESOLVABLE)
            return NULL;
    for (int32_t q = c->nodes[nom].pods_head; q >= 0; q = c->pods[q].node_next)
        if (c->pods[q].terminating && priority_of(c, q) < ps->priority)
            return TERMINATING_MSG;
    return NULL;
}

static void add_failed(struct preemption *pe, size_t *n, int32_t node, enum kube_code code,
                       const struct kube_reasons *rs)
{
    xgrow((void **)&pe->failed, &pe->failed_cap, *n + 1, sizeof *pe->failed);
    struct kube_node_explain *ne = &pe->failed[(*n)++];
    memset(ne, 0, sizeof *ne);
    ne->node = node;
    ne->code = code;
    ne->nreasons = rs->n;
    ne->reasons = xcalloc(rs->n + 1, sizeof *ne->reasons);
    for (size_t i = 0; i < rs->n; i++)
        ne->reasons[i] = xstrdup(rs->text[i]);
}

/* "preemption: " + the FitError over the dry run's failed nodes; frees them. */
static void no_candidate_message(struct preemption *pe, size_t nfailed, size_t nall, char *buf,
                                 size_t len)
{
    struct kube_explain e;
    memset(&e, 0, sizeof e);
    e.nodes = pe->failed;
    e.nnodes = nfailed;
    char *text = kube_fit_error_text(&e, nall, nall - nfailed, NOT_HELPFUL);
    snprintf(buf, len, "preemption: %s", text);
    free(text);
    for (size_t i = 0; i < nfailed; i++) {
        for (size_t j = 0; j < pe->failed[i].nreasons; j++)
            free(pe->failed[i].reasons[j]);
        free(pe->failed[i].reasons);
    }
}

/*
 * The same text as no_candidate_message when every one of the npot potential
 * nodes failed with NO_VICTIMS: at most two "count reason" items, sorted as
 * sort.Strings sorts them.
 */
static void no_victims_message(size_t npot, size_t nall, char *buf, size_t len)
{
    char a[96], b[96];
    snprintf(a, sizeof a, "%zu %s", npot, NO_VICTIMS);
    snprintf(b, sizeof b, "%zu %s", nall - npot, NOT_HELPFUL);
    const char *first = npot ? a : b, *second = npot && nall > npot ? b : NULL;
    if (second && strcmp(second, first) < 0) {
        second = first;
        first = b;
    }
    snprintf(buf, len, "preemption: 0/%zu nodes are available: %s%s%s.", nall, first,
             second ? ", " : "", second ? second : "");
}

/* Puts node's pods back in the order pe->pods[0..n) (head first), all attached. */
static void restore_node(struct preemption *pe, struct cluster *c, int32_t node, size_t n)
{
    while (c->nodes[node].pods_head >= 0)
        cluster_detach(c, c->nodes[node].pods_head);
    for (size_t i = n; i-- > 0;)
        cluster_attach(c, pe->pods[i]);
}

/* Stable insertion sort of pe->pv[0..n) by importance, most important first. */
static void sort_by_importance(struct preemption *pe, const struct cluster *c, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int32_t v = pe->pv[i];
        size_t j = i;
        while (j > 0 && more_important(c, v, pe->pv[j - 1])) {
            pe->pv[j] = pe->pv[j - 1];
            j--;
        }
        pe->pv[j] = v;
    }
}

/*
 * SelectVictimsOnNode: appends the victims to pe->victims and returns
 * Success, or returns the node's failure (reasons in rs). Without PDBs every
 * potential victim is "non-violating".
 */
static enum kube_code select_victims(struct preemption *pe, struct framework *fw, struct cluster *c,
                                     int32_t pod, int32_t node, struct kube_reasons *rs)
{
    int32_t prio = priority_of(c, pod);
    size_t n = 0, npv = 0;
    for (int32_t q = c->nodes[node].pods_head; q >= 0; q = c->pods[q].node_next) {
        xgrow((void **)&pe->pods, &pe->pods_cap, n + 1, sizeof *pe->pods);
        pe->pods[n++] = q;
        if (priority_of(c, q) < prio) {
            xgrow((void **)&pe->pv, &pe->pv_cap, npv + 1, sizeof *pe->pv);
            pe->pv[npv++] = q;
        }
    }
    rs->n = 0;
    if (npv == 0) {
        kube_reason(rs, "%s", NO_VICTIMS);
        return KUBE_UNRESOLVABLE;
    }
    for (size_t i = 0; i < npv; i++)
        cluster_detach(c, pe->pv[i]);
    framework_prefilter_again(fw, c, pod);
    const char *plugin;
    enum kube_code code = framework_filter_node(fw, c, pod, node, rs, &plugin);
    if (code != KUBE_SUCCESS) {
        restore_node(pe, c, node, n);
        return code;
    }
    /* Reprieve as many as possible, most important first. */
    sort_by_importance(pe, c, npv);
    for (size_t i = 0; i < npv; i++) {
        cluster_attach(c, pe->pv[i]);
        framework_prefilter_again(fw, c, pod);
        if (framework_filter_node(fw, c, pod, node, NULL, &plugin) != KUBE_SUCCESS) {
            cluster_detach(c, pe->pv[i]);
            xgrow((void **)&pe->victims, &pe->victims_cap, pe->nvictims + 1, sizeof *pe->victims);
            pe->victims[pe->nvictims++] = pe->pv[i];
        }
    }
    restore_node(pe, c, node, n);
    return KUBE_SUCCESS;
}

/*
 * pickOneNodeForPreemption's criteria in order, each a score where higher
 * wins: fewest PDB violations (always 0 here), lowest highest-priority
 * victim, smallest sum of priorities shifted by 2^31, fewest victims, latest
 * earliest start time among the highest-priority victims.
 */
static int64_t criterion(const struct cluster *c, int k, const int32_t *v, size_t n)
{
    int64_t top = priority_of(c, v[0]);
    switch (k) {
    case 0:
        return 0;
    case 1:
        return -top;
    case 2: {
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += (int64_t)priority_of(c, v[i]) + ((int64_t)INT32_MAX + 1);
        return -sum;
    }
    case 3:
        return -(int64_t)n;
    default: {
        /* util.GetEarliestPodStartTime: over the victims of the highest priority. */
        simtime earliest = start_s(c, v[0]);
        for (size_t i = 1; i < n; i++)
            if (priority_of(c, v[i]) == top && start_s(c, v[i]) < earliest)
                earliest = start_s(c, v[i]);
        return earliest;
    }
    }
}

size_t preemption_pick(const struct cluster *c, size_t n, const int32_t *victims, const size_t *off,
                       const size_t *count)
{
    size_t *left = xcalloc(n, sizeof *left), *next = xcalloc(n, sizeof *next);
    size_t nleft = n;
    for (size_t i = 0; i < n; i++)
        left[i] = i;
    for (int k = 0; k < 5 && nleft > 1; k++) {
        size_t nnext = 0;
        int64_t best = INT64_MIN;
        for (size_t i = 0; i < nleft; i++) {
            int64_t s = criterion(c, k, victims + off[left[i]], count[left[i]]);
            if (s > best) {
                best = s;
                nnext = 0;
            }
            if (s == best)
                next[nnext++] = left[i];
        }
        memcpy(left, next, nnext * sizeof *left);
        nleft = nnext;
    }
    size_t chosen = left[0];
    free(left);
    free(next);
    return chosen;
}

void preemption_run(struct preemption *pe, struct framework *fw, struct cluster *c, int32_t pod,
                    const struct kube_explain *diag, struct preemption_result *out)
{
    memset(out, 0, sizeof *out);
    out->node = -1;
    const char *why = not_eligible(c, pod, diag);
    if (why) {
        out->outcome = PREEMPTION_NOT_ELIGIBLE;
        snprintf(out->message, sizeof out->message, "%s", why);
        return;
    }
    out->outcome = PREEMPTION_NO_CANDIDATE;
    /* findCandidates: the nodes the filters found Unschedulable (not Unresolvable). */
    size_t npot = 0;
    for (size_t i = 0; i < diag->nnodes; i++) {
        if (diag->nodes[i].code != KUBE_UNSCHEDULABLE)
            continue;
        xgrow((void **)&pe->potential, &pe->potential_cap, npot + 1, sizeof *pe->potential);
        pe->potential[npot++] = diag->nodes[i].node;
    }
    size_t nfailed = 0;
    struct kube_reasons rs;
    pe->nvictims = 0;
    size_t ncand = 0;
    if (npot == 0 || cluster_lowest_priority(c) >= priority_of(c, pod)) {
        /* No lower-priority pod anywhere: every potential node answers NO_VICTIMS, the others
         * are absent; no dry run, and the text straight from the two counts. */
        no_victims_message(npot, c->nalive, out->message, sizeof out->message);
        return;
    }
    int32_t want = preemption_num_candidates(&framework_args(fw)->preemption, (int32_t)npot);
    size_t offset = pe->rng ? (size_t)gsl_rng_uniform_int(pe->rng, npot) : 0;
    for (size_t i = 0; i < npot && (int64_t)ncand < want; i++) {
        int32_t node = pe->potential[(offset + i) % npot];
        size_t before = pe->nvictims;
        enum kube_code code = select_victims(pe, fw, c, pod, node, &rs);
        if (code == KUBE_SUCCESS && pe->nvictims > before) {
            xgrow((void **)&pe->cnode, &pe->ccap, ncand + 1, sizeof *pe->cnode);
            pe->coff = xrealloc(pe->coff, pe->ccap * sizeof *pe->coff);
            pe->ccount = xrealloc(pe->ccount, pe->ccap * sizeof *pe->ccount);
            pe->cnode[ncand] = node;
            pe->coff[ncand] = before;
            pe->ccount[ncand++] = pe->nvictims - before;
            continue;
        }
        if (code == KUBE_SUCCESS) {
            /* Fits without removing anyone: upstream reports an error status. */
            code = KUBE_ERROR;
            rs.n = 0;
            kube_reason(&rs, "expected at least one victim pod on node %s", c->nodes[node].name);
        }
        add_failed(pe, &nfailed, node, code, &rs);
    }
    if (ncand == 0) {
        no_candidate_message(pe, nfailed, c->nalive, out->message, sizeof out->message);
        return;
    }
    for (size_t i = 0; i < nfailed; i++) {
        for (size_t j = 0; j < pe->failed[i].nreasons; j++)
            free(pe->failed[i].reasons[j]);
        free(pe->failed[i].reasons);
    }
    size_t k = ncand == 1 ? 0 : preemption_pick(c, ncand, pe->victims, pe->coff, pe->ccount);
    out->outcome = PREEMPTION_NOMINATED;
    out->node = pe->cnode[k];
    out->victims = pe->victims + pe->coff[k];
    out->nvictims = pe->ccount[k];
}
