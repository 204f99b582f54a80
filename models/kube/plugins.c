#include "models/kube/plugins.h"

#include <stdio.h>
#include <string.h>

const struct kube_plugin_ops *const plugins_registry[] = {
    &kube_scheduling_gates_ops,
    &kube_priority_sort_ops,
    &kube_node_unschedulable_ops,
    &kube_node_name_ops,
    &kube_taint_toleration_ops,
    &kube_node_affinity_ops,
    &kube_node_ports_ops,
    &kube_node_resources_fit_ops,
    &kube_volume_restrictions_ops,
    &kube_ebs_limits_ops,
    &kube_gcepd_limits_ops,
    &kube_node_volume_limits_ops,
    &kube_azure_disk_limits_ops,
    &kube_volume_binding_ops,
    &kube_volume_zone_ops,
    &kube_pod_topology_spread_ops,
    &kube_inter_pod_affinity_ops,
    &kube_dynamic_resources_ops,
    &kube_default_preemption_ops,
    &kube_balanced_allocation_ops,
    &kube_image_locality_ops,
    &kube_default_binder_ops,
    NULL,
};

#define NPLUGINS (sizeof plugins_registry / sizeof plugins_registry[0])

const struct kube_plugin_ops *plugins_find(const char *name)
{
    for (size_t i = 0; plugins_registry[i]; i++)
        if (strcmp(plugins_registry[i]->name, name) == 0)
            return plugins_registry[i];
    return NULL;
}

const char *const *plugins_names(void)
{
    static const char *names[NPLUGINS];
    if (!names[0])
        for (size_t i = 0; plugins_registry[i]; i++)
            names[i] = plugins_registry[i]->name;
    return names;
}

void plugins_points(const struct kube_plugin_ops *ops, char *buf, size_t len)
{
    static const char *const point_names[] = {
        "PreEnqueue", "QueueSort",      "PreFilter", "Filter",  "PostFilter", "PreScore",
        "Score",      "NormalizeScore", "Reserve",   "PreBind", "Bind",
    };
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof point_names / sizeof point_names[0]; i++) {
        if (!(ops->points & (1u << i)) || used + 1 >= len)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", point_names[i]);
        if (n > 0)
            used += (size_t)n < len - used ? (size_t)n : len - used - 1;
    }
}
