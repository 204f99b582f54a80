/*
 * NodePorts: a pod's host ports must be free on the node. A (protocol,
 * hostPort) pair conflicts with a pod on the node using the same pair on the
 * same hostIP, and 0.0.0.0 (or an empty hostIP) conflicts with every IP.
 * PreFilter skips pods without host ports. Follows
 * pkg/scheduler/framework/plugins/nodeports/node_ports.go and
 * framework/types.go (HostPortInfo.CheckConflict), v1.35.
 */
#include <string.h>

#include "models/kube/plugins.h"
#include "sim/cluster/cluster.h"

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    (void)state, (void)cycle, (void)result, (void)r;
    return p->spec->nports ? KUBE_SUCCESS : KUBE_SKIP;
}

static int is_any(const char *ip)
{
    return !*ip || strcmp(ip, "0.0.0.0") == 0;
}

static int conflict(const struct host_port *want, const struct host_port *used)
{
    if (want->port <= 0 || want->port != used->port || want->proto != used->proto)
        return 0;
    return is_any(want->ip) || is_any(used->ip) || strcmp(want->ip, used->ip) == 0;
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)state, (void)cycle;
    const struct cluster *c = p->c;
    for (int32_t q = c->nodes[node].pods_head; q >= 0; q = c->pods[q].node_next) {
        const struct podspec *other = &c->owners[c->pods[q].owner].spec;
        for (size_t i = 0; i < p->spec->nports; i++)
            for (size_t j = 0; j < other->nports; j++)
                if (conflict(&p->spec->ports[i], &other->ports[j])) {
                    kube_reason(r, "node(s) didn't have free ports for the requested pod ports");
                    return KUBE_UNSCHEDULABLE;
                }
    }
    return KUBE_SUCCESS;
}

const struct kube_plugin_ops kube_node_ports_ops = {
    .name = "NodePorts",
    .summary = "the pod's hostPorts must be free on the node",
    .points = KUBE_PT_PREFILTER | KUBE_PT_FILTER,
    .node_local = 1,
    .prefilter = prefilter,
    .filter = filter,
};
