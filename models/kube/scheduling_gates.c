/*
 * SchedulingGates: accepted in profiles, takes no part in Filter or Score. pods with
 * spec.schedulingGates wait (ksim pods have none). Named after pkg/scheduler/framework/plugins
 * (v1.35), which registers it in the default profile.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_scheduling_gates_ops = {
    .name = "SchedulingGates",
    .summary = "pods with spec.schedulingGates wait (ksim pods have none)",
    .points = KUBE_PT_PREENQUEUE,
};
