/*
 * first-fit: the lowest-numbered node that passes the hard filters.
 *
 * Node ids follow the order nodes were added (manifest order, then nodes
 * added by autoscaling), so first-fit packs the front of the cluster and
 * leaves the back empty: the classic bin-packing heuristic, and a baseline
 * for the others.
 *
 * The capacity index (capindex.h) finds the first node with room for the
 * requests in O(log n); the candidate is then checked against the filters
 * the index does not know (tolerated taints, nodeSelector) and, if it fails
 * them, the query continues from the next id. Pods without tolerations use a
 * second index that already leaves out nodes with NoSchedule/NoExecute
 * taints, so dedicated (tainted) nodes never cost them a retry; that index
 * exists only while some node has such a taint. A pod that tolerates the
 * node.kubernetes.io/unschedulable taint may land on cordoned nodes, which
 * both indexes leave out, so it gets a plain linear scan.
 */
#include <stdlib.h>

#include "models/placement/capindex.h"
#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

struct first_fit {
    struct capindex *all;   /* alive and schedulable nodes */
    struct capindex *plain; /* of those, the untainted ones; NULL when none is tainted */
};

static int has_hard_taint(const struct node *n)
{
    for (size_t i = 0; i < n->ntaints; i++)
        if (n->taints[i].effect != TAINT_PREFER_NO_SCHEDULE)
            return 1;
    return 0;
}

static void rebuild(struct first_fit *ff, const struct cluster *c)
{
    capindex_free(ff->all);
    capindex_free(ff->plain);
    ff->plain = NULL;
    ff->all = capindex_new(c->resnames.n, 0);
    capindex_build(ff->all, c);
    for (size_t i = 0; i < c->nnodes; i++) {
        if (c->nodes[i].alive && has_hard_taint(&c->nodes[i])) {
            ff->plain = capindex_new(c->resnames.n, CAPINDEX_UNTAINTED);
            capindex_build(ff->plain, c);
            break;
        }
    }
}

static int ff_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    (void)env;
    rebuild(state, c);
    return 0;
}

static void ff_release(void *state)
{
    struct first_fit *ff = state;
    capindex_free(ff->all);
    capindex_free(ff->plain);
    ff->all = ff->plain = NULL;
}

static void ff_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct first_fit *ff = state;
    if (c->resnames.n != capindex_dims(ff->all)) {
        rebuild(ff, c);
        return;
    }
    capindex_update(ff->all, c, node);
    if (ff->plain) {
        capindex_update(ff->plain, c, node);
    } else if (c->nodes[node].alive && has_hard_taint(&c->nodes[node])) {
        ff->plain = capindex_new(c->resnames.n, CAPINDEX_UNTAINTED);
        capindex_build(ff->plain, c);
    }
}

static int32_t linear_scan(const struct cluster *c, const struct pod *p)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (placement_feasible(c, p, (int32_t)i))
            return (int32_t)i;
    return -1;
}

static int32_t ff_place(void *state, const struct cluster *c, int32_t pod)
{
    struct first_fit *ff = state;
    const struct pod *p = &c->pods[pod];
    const struct podspec *spec = &c->owners[p->owner].spec;
    /* Extended resources named after init would otherwise go unindexed. */
    if (c->resnames.n != capindex_dims(ff->all))
        rebuild(ff, c);
    if (placement_tolerates_unschedulable(spec))
        return linear_scan(c, p);
    const struct capindex *idx = spec->ntols == 0 && ff->plain ? ff->plain : ff->all;
    int32_t cand = capindex_first_fit(idx, &spec->req, 0);
    while (cand >= 0 && !placement_feasible(c, p, cand))
        cand = capindex_first_fit(idx, &spec->req, cand + 1);
    return cand;
}

const struct placement_ops placement_first_fit_ops = {
    .name = "first-fit",
    .summary = "first node in id order that passes the hard filters (taints, nodeSelector, "
               "unschedulable, resources)",
    .state_size = sizeof(struct first_fit),
    .init = ff_init,
    .release = ff_release,
    .node_changed = ff_node_changed,
    .place = ff_place,
};
