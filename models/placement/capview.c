#include "models/placement/capview.h"

#include <stdint.h>

#include "models/placement/capindex.h"
#include "sim/cluster/cluster.h"

/*
 * The floor. Every pod of the cluster's owners asks for at least floor.v[d]
 * in dimension d, or floor.v[d] is INT64_MIN (some pod asks for none of it).
 * Lowers it to req where req asks for less; returns whether it moved, which
 * needs a rebuild.
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

static void rebuild(struct capview *v, const struct cluster *c)
{
    unsigned flags = 0;
    for (size_t i = 0; i < c->nnodes && !flags; i++)
        if (c->nodes[i].alive && capindex_tainted(&c->nodes[i]))
            flags = CAPINDEX_UNTAINTED;
    capindex_free(v->idx);
    v->idx = capindex_new(c->resnames.n, flags);
    capindex_set_floor(v->idx, &v->floor);
    capindex_build(v->idx, c);
    v->dims = c->resnames.n;
    v->flags = flags;
    v->rebuilds++;
}

void capview_init(struct capview *v, const struct cluster *c)
{
    v->idx = NULL;
    v->rebuilds = 0;
    for (int d = 0; d < RES_MAX; d++)
        v->floor.v[d] = INT64_MAX;
    for (size_t i = 0; i < c->nowners; i++)
        floor_lower(&v->floor, &c->owners[i].spec.req);
    rebuild(v, c);
}

void capview_release(struct capview *v)
{
    capindex_free(v->idx);
    v->idx = NULL;
}

int capview_node_changed(struct capview *v, const struct cluster *c, int32_t node)
{
    /* Rebuild for extended resources named after init, or the first tainted node. */
    if (c->resnames.n != v->dims || (!(v->flags & CAPINDEX_UNTAINTED) && c->nodes[node].alive &&
                                     capindex_tainted(&c->nodes[node]))) {
        rebuild(v, c);
        return 0;
    }
    return capindex_update(v->idx, c, node);
}

int capview_prepare(struct capview *v, const struct cluster *c, const struct podspec *spec)
{
    if (floor_lower(&v->floor, &spec->req) || c->resnames.n != v->dims)
        rebuild(v, c);
    return spec->ntols == 0 && (v->flags & CAPINDEX_UNTAINTED) ? CAPINDEX_PLAIN : CAPINDEX_ALL;
}
