/*
 * NodeName: a pod with spec.nodeName fits only the node of that name.
 * Follows pkg/scheduler/framework/plugins/nodename/node_name.go (v1.35).
 */
#include <string.h>

#include "models/kube/plugins.h"
#include "sim/cluster/cluster.h"

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    (void)state, (void)cycle, (void)result, (void)r;
    /* Not an upstream PreFilter: a pod without nodeName skips the per-node check. */
    return p->spec->node_name ? KUBE_SUCCESS : KUBE_SKIP;
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)state, (void)cycle;
    const char *want = p->spec->node_name;
    if (!want || !*want || strcmp(want, p->c->nodes[node].name) == 0)
        return KUBE_SUCCESS;
    kube_reason(r, "node(s) didn't match the requested node name");
    return KUBE_UNRESOLVABLE;
}

const struct kube_plugin_ops kube_node_name_ops = {
    .name = "NodeName",
    .summary = "spec.nodeName pins the pod to one node",
    .points = KUBE_PT_FILTER,
    .node_local = 1,
    .prefilter = prefilter,
    .filter = filter,
};
