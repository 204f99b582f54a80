/*
 * next-fit: first-fit that starts where it last stopped.
 *
 * The search starts at the node after the one last chosen (node 0 before the
 * first placement), runs to the highest id, then wraps around once to node 0
 * and stops after the node last chosen, which is looked at last:
 *
 *   chosen(pod) = the first node in the order last+1, last+2, ..., n-1, 0, 1, ..., last
 *                 that passes placement_feasible; -1 when none does
 *
 * Every node is visited at most once and each has its own position in the
 * order, so ties cannot happen. The pointer moves only when a pod is placed;
 * a pod that fits nowhere leaves it where it was. Next-fit spreads pods round
 * the cluster instead of packing its front (Johnson 1973: at most twice the
 * optimal number of bins in one dimension, against first-fit's 1.7).
 *
 * The capacity index (capview.h over capindex.h) answers both legs of the
 * walk: the first node with room at or after last+1, then the first from 0,
 * each continuing past candidates that fail the filters the index does not
 * know (tolerations, nodeSelector). O(log n) per placement in the common
 * case. Pods that tolerate node.kubernetes.io/unschedulable may land on
 * cordoned nodes, which the index leaves out: they get a linear scan in the
 * same circular order.
 */
#include <stdint.h>

#include "models/placement/capview.h"
#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

struct next_fit {
    struct capview cv;
    int32_t last; /* the node chosen last, -1 before the first placement */
};

static int nf_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct next_fit *nf = state;
    (void)env;
    capview_init(&nf->cv, c);
    nf->last = -1;
    return 0;
}

static void nf_release(void *state)
{
    struct next_fit *nf = state;
    capview_release(&nf->cv);
}

static void nf_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct next_fit *nf = state;
    capview_node_changed(&nf->cv, c, node);
}

static int32_t circular_scan(const struct cluster *c, const struct pod *p, int32_t start)
{
    size_t n = c->nnodes;
    for (size_t k = 0; k < n; k++) {
        int32_t i = (int32_t)(((size_t)start + k) % n);
        if (placement_feasible(c, p, i))
            return i;
    }
    return -1;
}

/* The first feasible node with id in [from, to), or -1. */
static int32_t leg(const struct next_fit *nf, const struct cluster *c, const struct pod *p,
                   int view, int32_t from, int32_t to)
{
    const struct resources *req = &c->owners[p->owner].spec.req;
    int32_t cand = capview_next(&nf->cv, req, from, view);
    while (cand >= 0 && cand < to && !placement_feasible(c, p, cand))
        cand = capview_next(&nf->cv, req, cand + 1, view);
    return cand < to ? cand : -1;
}

static int32_t nf_place(void *state, const struct cluster *c, int32_t pod)
{
    struct next_fit *nf = state;
    const struct pod *p = &c->pods[pod];
    const struct podspec *spec = &c->owners[p->owner].spec;
    int32_t start = nf->last + 1;
    if ((size_t)start >= c->nnodes)
        start = 0;
    int32_t cand;
    if (placement_tolerates_unschedulable(spec)) {
        cand = circular_scan(c, p, start);
    } else {
        int view = capview_prepare(&nf->cv, c, spec);
        cand = leg(nf, c, p, view, start, (int32_t)c->nnodes);
        if (cand < 0 && start > 0)
            cand = leg(nf, c, p, view, 0, start);
    }
    if (cand >= 0)
        nf->last = cand;
    return cand;
}

const struct placement_ops placement_next_fit_ops = {
    .name = "next-fit",
    .summary = "first feasible node after the one chosen last, wrapping round once (honours "
               "taints, nodeSelector, unschedulable, resources)",
    .state_size = sizeof(struct next_fit),
    .init = nf_init,
    .release = nf_release,
    .node_changed = nf_node_changed,
    .place = nf_place,
    .resource_fit = 1,
};
