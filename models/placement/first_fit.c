/*
 * first-fit: the lowest-numbered node that passes the hard filters.
 *
 * Node ids follow the order nodes were added (manifest order, then nodes
 * added by autoscaling), so first-fit packs the front of the cluster and
 * leaves the back empty: the classic bin-packing heuristic, and a baseline
 * for the others.
 *
 * The capacity index (capindex.h) finds the first node with room for the
 * requests; the candidate is then checked against the filters the index does
 * not know (tolerated taints, nodeSelector) and, if it fails them, the query
 * continues from the next id. Pods without tolerations query the index's
 * untainted view, so dedicated (tainted) nodes never cost them a retry; that
 * view is kept only once some node has a NoSchedule/NoExecute taint. A pod
 * that tolerates the node.kubernetes.io/unschedulable taint may land on
 * cordoned nodes, which the index leaves out, so it gets a linear scan.
 *
 * Start hints. First-fit packs the front of the cluster, so the front is
 * where capacity is most fragmented (one node has CPU left but no memory,
 * its neighbour the reverse) and where the index prunes worst; walking in
 * from node 0 every time would cross it again and again. So for each request
 * vector (and view) we remember a node id below which no node has room: the
 * first capacity match of the last query. Binding there only takes capacity
 * away, which keeps the bound true; whenever a node's stored capacity grows
 * (a pod leaves, a node is added) every hint above it drops to its id. The
 * answer is exactly the one a query from 0 gives; only the walk is shorter.
 * The table is direct-mapped with HINTS slots: a request vector that collides
 * with another evicts it and starts from 0.
 */
#include <string.h>

#include "models/placement/capindex.h"
#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define HINTS 64 /* a power of two */

struct hint_key {
    struct resources req;
    int view;
    int used;
};

struct first_fit {
    struct capindex *idx;
    int32_t lb[HINTS]; /* no node below lb[i] has room for key[i].req in key[i].view */
    struct hint_key key[HINTS];
};

static size_t hint_slot(const struct resources *req, int view)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)view;
    for (int d = 0; d < RES_MAX; d++) {
        h ^= (uint64_t)req->v[d];
        h *= 1099511628211u;
        h ^= h >> 29;
    }
    return (size_t)(h & (HINTS - 1));
}

/* The hint slot for req in view, claimed (starting at 0) if another holds it. */
static size_t hint_find(struct first_fit *ff, const struct resources *req, int view)
{
    size_t i = hint_slot(req, view);
    struct hint_key *k = &ff->key[i];
    if (!k->used || k->view != view || memcmp(&k->req, req, sizeof *req) != 0) {
        k->req = *req;
        k->view = view;
        k->used = 1;
        ff->lb[i] = 0;
    }
    return i;
}

/* Node's capacity grew: nodes from node on may fit again. */
static void hints_lower(struct first_fit *ff, int32_t node)
{
    for (size_t i = 0; i < HINTS; i++)
        ff->lb[i] = ff->lb[i] > node ? node : ff->lb[i];
}

static int has_hard_taint(const struct node *n)
{
    for (size_t i = 0; i < n->ntaints; i++)
        if (n->taints[i].effect != TAINT_PREFER_NO_SCHEDULE)
            return 1;
    return 0;
}

static void rebuild(struct first_fit *ff, const struct cluster *c)
{
    unsigned flags = 0;
    for (size_t i = 0; i < c->nnodes && !flags; i++)
        if (c->nodes[i].alive && has_hard_taint(&c->nodes[i]))
            flags = CAPINDEX_UNTAINTED;
    capindex_free(ff->idx);
    ff->idx = capindex_new(c->resnames.n, flags);
    capindex_build(ff->idx, c);
    memset(ff->key, 0, sizeof ff->key);
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
    capindex_free(ff->idx);
    ff->idx = NULL;
}

static void ff_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct first_fit *ff = state;
    /* Rebuild for extended resources named after init, or the first tainted node. */
    if (c->resnames.n != capindex_dims(ff->idx) ||
        (!(capindex_flags(ff->idx) & CAPINDEX_UNTAINTED) && c->nodes[node].alive &&
         has_hard_taint(&c->nodes[node]))) {
        rebuild(ff, c);
        return;
    }
    if (capindex_update(ff->idx, c, node))
        hints_lower(ff, node);
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
    if (c->resnames.n != capindex_dims(ff->idx))
        rebuild(ff, c);
    if (placement_tolerates_unschedulable(spec))
        return linear_scan(c, p);
    int view = spec->ntols == 0 && (capindex_flags(ff->idx) & CAPINDEX_UNTAINTED)
                   ? CAPINDEX_PLAIN
                   : CAPINDEX_ALL;
    size_t h = hint_find(ff, &spec->req, view);
    int32_t cand = capindex_first_fit(ff->idx, &spec->req, ff->lb[h], view);
    /* Nothing fits: only nodes added or freed later can; they lower the hint. */
    ff->lb[h] = cand >= 0 ? cand : (int32_t)c->nnodes;
    while (cand >= 0 && !placement_feasible(c, p, cand))
        cand = capindex_first_fit(ff->idx, &spec->req, cand + 1, view);
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
