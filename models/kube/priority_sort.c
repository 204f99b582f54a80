/*
 * PrioritySort: accepted in profiles, takes no part in Filter or Score. queue order: higher
 * priority first, then earlier arrival (sim/control/scheduler). Named after
 * pkg/scheduler/framework/plugins (v1.35), which registers it in the default profile.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_priority_sort_ops = {
    .name = "PrioritySort",
    .summary = "queue order: higher priority first, then earlier arrival (sim/control/scheduler)",
    .points = KUBE_PT_QUEUESORT,
};
