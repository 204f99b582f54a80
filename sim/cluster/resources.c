#include "sim/cluster/resources.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

static const char *const fixed_names[RES_FIXED] = {"cpu", "memory", "pods", "ephemeral-storage"};

void resnames_init(struct resnames *rn)
{
    memset(rn, 0, sizeof *rn);
    for (int i = 0; i < RES_FIXED; i++)
        rn->name[i] = xstrdup(fixed_names[i]);
    rn->n = RES_FIXED;
}

void resnames_release(struct resnames *rn)
{
    for (int i = 0; i < rn->n; i++)
        free(rn->name[i]);
    memset(rn, 0, sizeof *rn);
}

int resnames_find(const struct resnames *rn, const char *name)
{
    for (int i = 0; i < rn->n; i++)
        if (strcmp(rn->name[i], name) == 0)
            return i;
    return -1;
}

int resnames_intern(struct resnames *rn, const char *name)
{
    int i = resnames_find(rn, name);
    if (i >= 0)
        return i;
    if (rn->n >= RES_MAX)
        return -1;
    rn->name[rn->n] = xstrdup(name);
    return rn->n++;
}

int resnames_is_milli(int dim)
{
    return dim == RES_CPU;
}

void res_zero(struct resources *r)
{
    memset(r, 0, sizeof *r);
}

void res_add(struct resources *a, const struct resources *b)
{
    for (int i = 0; i < RES_MAX; i++)
        a->v[i] += b->v[i];
}

void res_sub(struct resources *a, const struct resources *b)
{
    for (int i = 0; i < RES_MAX; i++)
        a->v[i] -= b->v[i];
}

int res_fits(const struct resources *req, const struct resources *used,
             const struct resources *alloc)
{
    for (int i = 0; i < RES_MAX; i++)
        if (req->v[i] > 0 && req->v[i] > alloc->v[i] - used->v[i])
            return 0;
    return 1;
}

int res_is_zero(const struct resources *r)
{
    for (int i = 0; i < RES_MAX; i++)
        if (r->v[i])
            return 0;
    return 1;
}
