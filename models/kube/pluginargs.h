#ifndef KSIM_KUBE_PLUGINARGS_H
#define KSIM_KUBE_PLUGINARGS_H
/*
 * Typed plugin arguments, mirroring
 * pkg/scheduler/apis/config/types_pluginargs.go (v1.35), with the defaults of
 * pkg/scheduler/apis/config/v1/defaults.go. sim/io/kube/kubeconfig reads them
 * from pluginConfig[].args and validates them; plugins read their own part
 * in their init callback.
 *
 * Plugins developed on other branches add their args struct here as one
 * more member of struct kube_args (and one line in pluginargs_default /
 * pluginargs_release).
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/nodeaffinity.h"
#include "sim/cluster/podaffinity.h"

/* config.ResourceSpec: a resource name and its weight. */
struct kube_resource_spec {
    char *name;
    int64_t weight;
};

/* config.UtilizationShapePoint. */
struct kube_shape_point {
    int32_t utilization; /* 0..100 */
    int32_t score;       /* 0..10 */
};

enum kube_fit_strategy { FIT_LEAST_ALLOCATED, FIT_MOST_ALLOCATED, FIT_REQUESTED_TO_CAPACITY_RATIO };

/* "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio", NULL. */
extern const char *const kube_fit_strategy_names[];

/* config.NodeResourcesFitArgs. */
struct kube_fit_args {
    char **ignored_resources;
    size_t nignored_resources;
    char **ignored_groups;
    size_t nignored_groups;
    enum kube_fit_strategy strategy;
    struct kube_resource_spec *resources; /* scoringStrategy.resources */
    size_t nresources;
    struct kube_shape_point *shape; /* requestedToCapacityRatio.shape */
    size_t nshape;
};

/* config.NodeResourcesBalancedAllocationArgs. */
struct kube_balanced_args {
    struct kube_resource_spec *resources;
    size_t nresources;
};

/* config.NodeAffinityArgs. */
struct kube_nodeaffinity_args {
    int has_added; /* addedAffinity set */
    struct node_affinity added;
};

/* config.PodTopologySpreadArgs; defaultingType System unless list_defaulting. */
struct kube_spread_args {
    int list_defaulting;                /* defaultingType: List */
    struct spread_constraint *defaults; /* defaultConstraints (used with List) */
    size_t ndefaults;
};

/* config.InterPodAffinityArgs. */
struct kube_interpod_args {
    int32_t hard_pod_affinity_weight; /* 0..100, default 1 */
    int ignore_preferred_terms_of_existing;
};

/* config.DefaultPreemptionArgs (defaults 10 and 100). */
struct kube_preemption_args {
    int32_t min_candidate_nodes_percentage; /* 0..100 */
    int32_t min_candidate_nodes_absolute;   /* >= 0; not both 0 */
};

struct kube_args {
    struct kube_fit_args fit;
    struct kube_balanced_args balanced;
    struct kube_nodeaffinity_args nodeaffinity;
    struct kube_spread_args spread;
    struct kube_interpod_args interpod;
    struct kube_preemption_args preemption;
};

/* The defaults of v1/defaults.go: LeastAllocated on cpu:1, memory:1, and so on. */
void pluginargs_default(struct kube_args *a);
void pluginargs_release(struct kube_args *a);
void pluginargs_copy(struct kube_args *dst, const struct kube_args *src);
/* Replaces a resource list by a copy of src (n entries). */
void pluginargs_set_resources(struct kube_resource_spec **dst, size_t *ndst,
                              const struct kube_resource_spec *src, size_t n);

#endif
