/*
 * DefaultPreemption: accepted in profiles, takes no part in Filter or Score. preemption after a
 * failed Filter (not modelled yet). Named after pkg/scheduler/framework/plugins (v1.35), which
 * registers it in the default profile.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_default_preemption_ops = {
    .name = "DefaultPreemption",
    .summary = "preemption after a failed Filter (not modelled yet)",
    .points = KUBE_PT_POSTFILTER,
};
