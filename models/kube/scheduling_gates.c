/*
 * SchedulingGates (PreEnqueue): a pod whose spec.schedulingGates is not empty
 * never enters the active queue. Named after
 * pkg/scheduler/framework/plugins/schedulinggates (v1.35), which registers it
 * in the default profile. The gate itself is kept by the queue, for every
 * policy (sim/control/scheduler: scheduler_gate / scheduler_ungate, driven by
 * the pod template's schedulingGates and the scenario's `ungate` events), so
 * this entry only names the plugin in profiles and `ksim list`.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_scheduling_gates_ops = {
    .name = "SchedulingGates",
    .summary = "pods with spec.schedulingGates wait until an `ungate` event (kept by the queue)",
    .points = KUBE_PT_PREENQUEUE,
};
