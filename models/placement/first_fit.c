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
 * Two things keep queries short where first-fit makes them long. First-fit
 * packs the front of the cluster until each node runs out of one resource,
 * so the front is full of leftovers (CPU on one node, memory on the next)
 * that pass the index's per-dimension maxima without fitting anything.
 *
 * The floor: the smallest request any owner's pods make, per dimension. A
 * node with less free capacity than that in some dimension can take no pod,
 * so the index stores it as unusable (capindex_set_floor) and queries no
 * longer descend into such leftovers. A pod asking for less than the floor
 * lowers it and rebuilds the index (O(nodes), once per new minimum).
 *
 * Start hints: for each request vector (and view) we remember a node id below
 * which no node has room, the first capacity match of the last query.
 * Binding there only takes capacity away, which keeps the bound true; when a
 * node's stored capacity grows (a pod leaves, a node is added) and it now has
 * room for a hint's request, the hint drops to it. The answer is exactly the
 * one a query from 0 gives; only the walk is shorter. The table has HINTS
 * slots, probed linearly: once the window of slots a request vector may use
 * is full, it evicts the one at its hash and starts from 0.
 */
#include <stdint.h>
#include <string.h>

#include "models/placement/capindex.h"
#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define HINTS       64 /* a power of two */
#define HINT_PROBES 8  /* slots searched for a request vector */

struct hint_key {
    struct resources req;
    int view;
    int used;
};

struct first_fit {
    struct capindex *idx;
    struct resources floor; /* the smallest request seen, per dimension (capindex_set_floor) */
    int32_t lb[HINTS];      /* no node below lb[i] has room for key[i].req in key[i].view */
    struct hint_key key[HINTS];
    uint8_t active[HINTS]; /* the used slots, so growth scans only those */
    size_t nactive;
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

/*
 * The hint slot for req in view: found by linear probing from its hash slot,
 * else claimed (starting at 0) in the first free slot of the probe window,
 * else taken over from the slot at its hash.
 */
static size_t hint_find(struct first_fit *ff, const struct resources *req, int view)
{
    size_t home = hint_slot(req, view);
    for (size_t j = 0; j < HINT_PROBES; j++) {
        size_t i = (home + j) & (HINTS - 1);
        struct hint_key *k = &ff->key[i];
        if (k->used && k->view == view && memcmp(&k->req, req, sizeof *req) == 0)
            return i;
        if (!k->used) {
            home = i;
            break;
        }
    }
    struct hint_key *k = &ff->key[home];
    if (!k->used)
        ff->active[ff->nactive++] = (uint8_t)home;
    k->req = *req;
    k->view = view;
    k->used = 1;
    ff->lb[home] = 0;
    return home;
}

static int has_hard_taint(const struct node *n)
{
    for (size_t i = 0; i < n->ntaints; i++)
        if (n->taints[i].effect != TAINT_PREFER_NO_SCHEDULE)
            return 1;
    return 0;
}

/*
 * Node's stored capacity grew. A hint above it stays true unless the node
 * now has room for the hint's request (in the hint's view): then the node is
 * the new first match.
 */
static void hints_lower(struct first_fit *ff, const struct cluster *c, int32_t node)
{
    const struct node *n = &c->nodes[node];
    if (!n->alive || n->unschedulable)
        return;
    struct resources free = n->alloc;
    res_sub(&free, &n->used);
    if (free.v[RES_PODS] < 1)
        return;
    int tainted = -1; /* computed on first need */
    for (size_t a = 0; a < ff->nactive; a++) {
        size_t i = ff->active[a];
        if (ff->lb[i] <= node)
            continue;
        const struct hint_key *k = &ff->key[i];
        if (k->view == CAPINDEX_PLAIN) {
            if (tainted < 0)
                tainted = has_hard_taint(n);
            if (tainted)
                continue;
        }
        int fits = 1;
        for (int d = 0; d < c->resnames.n && fits; d++)
            fits = k->req.v[d] <= 0 || k->req.v[d] <= free.v[d];
        if (fits)
            ff->lb[i] = node;
    }
}

static void rebuild(struct first_fit *ff, const struct cluster *c)
{
    unsigned flags = 0;
    for (size_t i = 0; i < c->nnodes && !flags; i++)
        if (c->nodes[i].alive && has_hard_taint(&c->nodes[i]))
            flags = CAPINDEX_UNTAINTED;
    capindex_free(ff->idx);
    ff->idx = capindex_new(c->resnames.n, flags);
    capindex_set_floor(ff->idx, &ff->floor);
    capindex_build(ff->idx, c);
    memset(ff->key, 0, sizeof ff->key);
    memset(ff->lb, 0, sizeof ff->lb);
    ff->nactive = 0;
}

/*
 * The floor. Every pod of the cluster's owners asks for at least floor.v[d]
 * in dimension d, or floor.v[d] is INT64_MIN (some pod asks for none of it).
 * Lowering it, when a pod asks for less than any before, needs a rebuild.
 */
static int floor_lower(struct resources *floor, const struct resources *req)
{
    int lowered = 0;
    for (int d = 0; d < RES_MAX; d++) {
        int64_t want = req->v[d] > 0 ? req->v[d] : INT64_MIN;
        if (want < floor->v[d]) {
            floor->v[d] = want;
            lowered = 1;
        }
    }
    return lowered;
}

static int ff_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct first_fit *ff = state;
    (void)env;
    for (int d = 0; d < RES_MAX; d++)
        ff->floor.v[d] = INT64_MAX;
    for (size_t i = 0; i < c->nowners; i++)
        floor_lower(&ff->floor, &c->owners[i].spec.req);
    rebuild(ff, c);
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
        hints_lower(ff, c, node);
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
    if (placement_tolerates_unschedulable(spec))
        return linear_scan(c, p);
    /* New extended resources, or a pod asking for less than the floor. */
    if (floor_lower(&ff->floor, &spec->req) || c->resnames.n != capindex_dims(ff->idx))
        rebuild(ff, c);
    int view = spec->ntols == 0 && (capindex_flags(ff->idx) & CAPINDEX_UNTAINTED) ? CAPINDEX_PLAIN
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
    .resource_fit = 1,
};
