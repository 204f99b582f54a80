/*
 * NodeUnschedulable: a node with spec.unschedulable takes only pods that
 * tolerate node.kubernetes.io/unschedulable:NoSchedule.
 * Follows pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go (v1.35).
 */
#include "models/kube/plugins.h"
#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

struct cycle {
    int tolerates;
};

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    (void)state, (void)result, (void)r;
    /* Not an upstream PreFilter: the toleration check is hoisted out of the node loop. */
    ((struct cycle *)cycle)->tolerates = placement_tolerates_unschedulable(p->spec);
    return KUBE_SUCCESS;
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)state;
    if (!p->c->nodes[node].unschedulable || ((struct cycle *)cycle)->tolerates)
        return KUBE_SUCCESS;
    kube_reason(r, "node(s) were unschedulable");
    return KUBE_UNRESOLVABLE;
}

const struct kube_plugin_ops kube_node_unschedulable_ops = {
    .name = "NodeUnschedulable",
    .summary = "cordoned nodes (spec.unschedulable) only for pods tolerating the taint",
    .points = KUBE_PT_FILTER,
    .node_local = 1,
    .cycle_size = sizeof(struct cycle),
    .prefilter = prefilter,
    .filter = filter,
};
