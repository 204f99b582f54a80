/*
 * first-fit: the lowest-numbered node that passes the hard filters.
 *
 * Node ids follow the order nodes were added (manifest order, then nodes
 * added by autoscaling), so first-fit packs the front of the cluster and
 * leaves the back empty: the classic bin-packing heuristic, and a baseline
 * for the others.
 *
 * The capacity index (capview.h over capindex.h) finds the first node with
 * room for the requests; the candidate is then checked against the filters the index does
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
 * The floor (kept by capview.c): the smallest request any owner's pods make,
 * per dimension. A node with less free capacity than that in some dimension
 * can take no pod, so the index stores it as unusable (capindex_set_floor)
 * and queries no longer descend into such leftovers. A pod asking for less
 * than the floor lowers it and rebuilds the index (O(nodes), once per new
 * minimum).
 *
 * Start hints: for each request vector (and view) we remember a node id below
 * which no node has room, the first capacity match of the last query.
 * Binding there only takes capacity away, which keeps the bound true; when a
 * node's stored capacity grows (a pod leaves, a node is added) and it now has
 * room for a hint's request, the hint drops to it. The answer is exactly the
 * one a query from 0 gives; only the walk is shorter. The table has HINTS
 * slots, probed linearly: once the window of slots a request vector may use
 * is full, it evicts the one at its hash and starts from 0. A rebuild of the
 * index drops them all.
 */
#include <stdint.h>
#include <string.h>

#include "models/placement/capindex.h"
#include "models/placement/capview.h"
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
    struct capview cv;
    unsigned rebuilds; /* cv.rebuilds when the hints were last dropped */
    int32_t lb[HINTS]; /* no node below lb[i] has room for key[i].req in key[i].view */
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
                tainted = capindex_tainted(n);
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

/* Drops the hints once the index was rebuilt: its floor or views changed. */
static void hints_check(struct first_fit *ff)
{
    if (ff->rebuilds == ff->cv.rebuilds)
        return;
    memset(ff->key, 0, sizeof ff->key);
    memset(ff->lb, 0, sizeof ff->lb);
    ff->nactive = 0;
    ff->rebuilds = ff->cv.rebuilds;
}

static int ff_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct first_fit *ff = state;
    (void)env;
    capview_init(&ff->cv, c);
    ff->rebuilds = ff->cv.rebuilds;
    return 0;
}

static void ff_release(void *state)
{
    struct first_fit *ff = state;
    capview_release(&ff->cv);
}

static void ff_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct first_fit *ff = state;
    int grew = capview_node_changed(&ff->cv, c, node);
    hints_check(ff);
    if (grew)
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
    /* New extended resources, or a pod asking for less than the floor, rebuild the index. */
    int view = capview_prepare(&ff->cv, c, spec);
    hints_check(ff);
    size_t h = hint_find(ff, &spec->req, view);
    int32_t cand = capview_next(&ff->cv, &spec->req, ff->lb[h], view);
    /* Nothing fits: only nodes added or freed later can; they lower the hint. */
    ff->lb[h] = cand >= 0 ? cand : (int32_t)c->nnodes;
    while (cand >= 0 && !placement_feasible(c, p, cand))
        cand = capview_next(&ff->cv, &spec->req, cand + 1, view);
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
