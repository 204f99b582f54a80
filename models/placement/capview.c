#include "models/placement/capview.h"

#include <stdint.h>

#include "models/placement/capindex.h"
#include "sim/cluster/cluster.h"

static int has_hard_taint(const struct node *n)
{
    for (size_t i = 0; i < n->ntaints; i++)
        if (n->taints[i].effect != TAINT_PREFER_NO_SCHEDULE)
            return 1;
    return 0;
}

/*
 * Lowers the floor to req where req asks for less (INT64_MIN where it asks
 * for none of a dimension); returns whether it moved. Follows first_fit.c.
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
        if (c->nodes[i].alive && has_hard_taint(&c->nodes[i]))
            flags = CAPINDEX_UNTAINTED;
    capindex_free(v->idx);
    v->idx = capindex_new(c->resnames.n, flags);
    capindex_set_floor(v->idx, &v->floor);
    capindex_build(v->idx, c);
}

void capview_init(struct capview *v, const struct cluster *c)
{
    v->idx = NULL;
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

void capview_node_changed(struct capview *v, const struct cluster *c, int32_t node)
{
    if (c->resnames.n != capindex_dims(v->idx) ||
        (!(capindex_flags(v->idx) & CAPINDEX_UNTAINTED) && c->nodes[node].alive &&
         has_hard_taint(&c->nodes[node]))) {
        rebuild(v, c);
        return;
    }
    capindex_update(v->idx, c, node);
}

int capview_prepare(struct capview *v, const struct cluster *c, const struct podspec *spec)
{
    if (floor_lower(&v->floor, &spec->req) || c->resnames.n != capindex_dims(v->idx))
        rebuild(v, c);
    return spec->ntols == 0 && (capindex_flags(v->idx) & CAPINDEX_UNTAINTED) ? CAPINDEX_PLAIN
                                                                             : CAPINDEX_ALL;
}

int32_t capview_next(const struct capview *v, const struct resources *req, int32_t start, int view)
{
    return capindex_first_fit(v->idx, req, start, view);
}
