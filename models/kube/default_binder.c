/*
 * DefaultBinder: accepted in profiles, takes no part in Filter or Score. binds the pod to the
 * chosen node (the scheduler does it). Named after pkg/scheduler/framework/plugins (v1.35), which
 * registers it in the default profile.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_default_binder_ops = {
    .name = "DefaultBinder",
    .summary = "binds the pod to the chosen node (the scheduler does it)",
    .points = KUBE_PT_BIND,
};
