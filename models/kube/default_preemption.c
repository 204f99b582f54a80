/*
 * DefaultPreemption: the PostFilter that preempts lower-priority pods when a
 * pod fits nowhere. Named and registered as in
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
 * (v1.35), where it is part of the default profile; its args are
 * DefaultPreemptionArgs (models/kube/pluginargs.h). The framework runs no
 * callback of it: the scheduler runs the PostFilter (models/kube/preemption.c)
 * when framework_preemption() says the profile enables it.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_default_preemption_ops = {
    .name = "DefaultPreemption",
    .summary = "preempts lower-priority pods when none fits (victims deleted gracefully)",
    .points = KUBE_PT_POSTFILTER,
};
