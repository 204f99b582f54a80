#ifndef KSIM_CLUSTER_RESOURCES_H
#define KSIM_CLUSTER_RESOURCES_H
/*
 * Resource vectors in exact integers: CPU in milli-cores, memory and
 * ephemeral storage in bytes, pods as a count, extended resources
 * (nvidia.com/gpu, hugepages-2Mi, ...) in their Quantity value. Dimensions
 * beyond the four fixed ones are named per scenario in a struct resnames.
 */
#include <stddef.h>
#include <stdint.h>

enum {
    RES_CPU = 0,       /* milli-cores */
    RES_MEMORY = 1,    /* bytes */
    RES_PODS = 2,      /* count */
    RES_EPHEMERAL = 3, /* bytes */
    RES_FIXED = 4,     /* first extended-resource slot */
    RES_MAX = 8        /* fixed plus up to four extended resources per scenario */
};

struct resources {
    int64_t v[RES_MAX];
};

/* Names of the dimensions in use: the four fixed ones plus extended ones. */
struct resnames {
    int n;               /* dimensions in use, RES_FIXED..RES_MAX */
    char *name[RES_MAX]; /* Kubernetes resource names ("cpu", "nvidia.com/gpu") */
};

/* Initializes names with the four fixed dimensions. */
void resnames_init(struct resnames *rn);
void resnames_release(struct resnames *rn);
/* The index of a resource name, or -1 when unknown. */
int resnames_find(const struct resnames *rn, const char *name);
/* The index of name, adding it as an extended resource; -1 when the table is full. */
int resnames_intern(struct resnames *rn, const char *name);
/* Whether a name is milli-valued (only cpu). */
int resnames_is_milli(int dim);

void res_zero(struct resources *r);
void res_add(struct resources *a, const struct resources *b); /* a += b */
void res_sub(struct resources *a, const struct resources *b); /* a -= b */
/* Whether used + req <= alloc in every dimension (equality fits, as upstream). */
int res_fits(const struct resources *req, const struct resources *used,
             const struct resources *alloc);
int res_is_zero(const struct resources *r);

#endif
