/*
 * The volume and dynamic-resource plugins of the default profile
 * (pkg/scheduler/apis/config/v1/default_plugins.go, v1.35). ksim models no
 * volumes and no resource claims, so every one of them passes every node;
 * they are registered so that a KubeSchedulerConfiguration naming them
 * (to disable VolumeBinding, say) reads the same as in a real cluster.
 */
#include "models/kube/plugins.h"

#define NOOP_PLUGIN(var, nm, pts)                                                                  \
    const struct kube_plugin_ops var = {                                                           \
        .name = nm,                                                                                \
        .summary = "accepted; ksim models no volumes or claims, so it passes every node",          \
        .points = pts,                                                                             \
    }

NOOP_PLUGIN(kube_volume_restrictions_ops, "VolumeRestrictions", KUBE_PT_PREFILTER | KUBE_PT_FILTER);
NOOP_PLUGIN(kube_ebs_limits_ops, "EBSLimits", KUBE_PT_FILTER);
NOOP_PLUGIN(kube_gcepd_limits_ops, "GCEPDLimits", KUBE_PT_FILTER);
NOOP_PLUGIN(kube_node_volume_limits_ops, "NodeVolumeLimits", KUBE_PT_FILTER);
NOOP_PLUGIN(kube_azure_disk_limits_ops, "AzureDiskLimits", KUBE_PT_FILTER);
NOOP_PLUGIN(kube_volume_binding_ops, "VolumeBinding",
            KUBE_PT_PREFILTER | KUBE_PT_FILTER | KUBE_PT_RESERVE | KUBE_PT_PREBIND |
                KUBE_PT_PRESCORE | KUBE_PT_SCORE);
NOOP_PLUGIN(kube_volume_zone_ops, "VolumeZone", KUBE_PT_PREFILTER | KUBE_PT_FILTER);
NOOP_PLUGIN(kube_dynamic_resources_ops, "DynamicResources",
            KUBE_PT_PREFILTER | KUBE_PT_FILTER | KUBE_PT_POSTFILTER | KUBE_PT_RESERVE |
                KUBE_PT_PREBIND);
