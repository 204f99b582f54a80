/*
 * InterPodAffinity: PLACEHOLDER. The kubetopo branch replaces this file with the real
 * plugin (filter and score). Until then the name is configurable (so the
 * default profile and user profiles read as upstream's) and the plugin
 * passes every node and adds no score.
 */
#include "models/kube/plugins.h"

const struct kube_plugin_ops kube_inter_pod_affinity_ops = {
    .name = "InterPodAffinity",
    .summary = "placeholder until the kubetopo branch lands: passes every node, no score",
    .points =
        KUBE_PT_PREFILTER | KUBE_PT_FILTER | KUBE_PT_PRESCORE | KUBE_PT_SCORE | KUBE_PT_NORMALIZE,
};
