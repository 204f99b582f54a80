#include "models/kube/pluginargs.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

const char *const kube_fit_strategy_names[] = {"LeastAllocated", "MostAllocated",
                                               "RequestedToCapacityRatio", NULL};

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static char **copy_strings(char *const *v, size_t n)
{
    char **out = xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

void pluginargs_set_resources(struct kube_resource_spec **dst, size_t *ndst,
                              const struct kube_resource_spec *src, size_t n)
{
    struct kube_resource_spec *out = xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i].name = xstrdup(src[i].name);
        out[i].weight = src[i].weight;
    }
    for (size_t i = 0; i < *ndst; i++)
        free((*dst)[i].name);
    free(*dst);
    *dst = out;
    *ndst = n;
}

/*
 * pkg/scheduler/apis/config/v1/defaults.go (v1.35): NodeResourcesFit and
 * NodeResourcesBalancedAllocation default to cpu and memory with weight 1;
 * the strategy defaults to LeastAllocated; RequestedToCapacityRatio has no
 * default shape (validation requires one).
 */
void pluginargs_default(struct kube_args *a)
{
    static const struct kube_resource_spec cpu_mem[] = {{"cpu", 1}, {"memory", 1}};
    memset(a, 0, sizeof *a);
    a->fit.strategy = FIT_LEAST_ALLOCATED;
    pluginargs_set_resources(&a->fit.resources, &a->fit.nresources, cpu_mem, 2);
    pluginargs_set_resources(&a->balanced.resources, &a->balanced.nresources, cpu_mem, 2);
    a->interpod.hard_pod_affinity_weight = 1;
    a->preemption.min_candidate_nodes_percentage = 10;
    a->preemption.min_candidate_nodes_absolute = 100;
}

void pluginargs_release(struct kube_args *a)
{
    free_strings(a->fit.ignored_resources, a->fit.nignored_resources);
    free_strings(a->fit.ignored_groups, a->fit.nignored_groups);
    pluginargs_set_resources(&a->fit.resources, &a->fit.nresources, NULL, 0);
    free(a->fit.resources);
    free(a->fit.shape);
    pluginargs_set_resources(&a->balanced.resources, &a->balanced.nresources, NULL, 0);
    free(a->balanced.resources);
    node_affinity_release(&a->nodeaffinity.added);
    for (size_t i = 0; i < a->spread.ndefaults; i++)
        spread_constraint_release(&a->spread.defaults[i]);
    free(a->spread.defaults);
    memset(a, 0, sizeof *a);
}

void pluginargs_copy(struct kube_args *dst, const struct kube_args *src)
{
    memset(dst, 0, sizeof *dst);
    dst->fit = src->fit;
    dst->fit.ignored_resources =
        copy_strings(src->fit.ignored_resources, src->fit.nignored_resources);
    dst->fit.ignored_groups = copy_strings(src->fit.ignored_groups, src->fit.nignored_groups);
    dst->fit.resources = NULL;
    dst->fit.nresources = 0;
    pluginargs_set_resources(&dst->fit.resources, &dst->fit.nresources, src->fit.resources,
                             src->fit.nresources);
    dst->fit.shape = xcalloc(src->fit.nshape ? src->fit.nshape : 1, sizeof *dst->fit.shape);
    if (src->fit.nshape)
        memcpy(dst->fit.shape, src->fit.shape, src->fit.nshape * sizeof *dst->fit.shape);
    pluginargs_set_resources(&dst->balanced.resources, &dst->balanced.nresources,
                             src->balanced.resources, src->balanced.nresources);
    dst->nodeaffinity.has_added = src->nodeaffinity.has_added;
    node_affinity_copy(&dst->nodeaffinity.added, &src->nodeaffinity.added);
    dst->spread = src->spread;
    dst->spread.defaults =
        xcalloc(src->spread.ndefaults ? src->spread.ndefaults : 1, sizeof *dst->spread.defaults);
    for (size_t i = 0; i < src->spread.ndefaults; i++)
        spread_constraint_copy(&dst->spread.defaults[i], &src->spread.defaults[i]);
    dst->interpod = src->interpod;
    dst->preemption = src->preemption;
}
