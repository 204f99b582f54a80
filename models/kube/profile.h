#ifndef KSIM_KUBE_PROFILE_H
#define KSIM_KUBE_PROFILE_H
/*
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as typed
 * structs: profiles with their plugin sets per extension point, weights,
 * args and percentageOfNodesToScore. sim/io/kube/kubeconfig fills them from YAML;
 * profile_apply_defaults merges a profile's plugin sets with the upstream
 * default profile exactly as pkg/scheduler/apis/config/v1/default_plugins.go
 * (mergePlugins, v1.35) does.
 */
#include <stddef.h>
#include <stdint.h>

#include "models/kube/framework.h"
#include "models/kube/pluginargs.h"

enum kube_ext {
    KUBE_EXT_PREENQUEUE,
    KUBE_EXT_QUEUESORT,
    KUBE_EXT_PREFILTER,
    KUBE_EXT_FILTER,
    KUBE_EXT_POSTFILTER,
    KUBE_EXT_PRESCORE,
    KUBE_EXT_SCORE,
    KUBE_EXT_RESERVE,
    KUBE_EXT_PERMIT,
    KUBE_EXT_PREBIND,
    KUBE_EXT_BIND,
    KUBE_EXT_POSTBIND,
    KUBE_EXT_MULTIPOINT,
    KUBE_EXT_N
};

/* The YAML keys under plugins: "preEnqueue", ..., "multiPoint", NULL. */
extern const char *const kube_ext_names[];

/* config.Plugin. */
struct kube_plugin_ref {
    char *name;
    int32_t weight; /* 0 = unset */
};

/* config.PluginSet. */
struct kube_pluginset {
    struct kube_plugin_ref *enabled;
    size_t nenabled;
    char **disabled; /* may hold "*" */
    size_t ndisabled;
};

/* config.KubeSchedulerProfile. */
struct kube_profile {
    char *scheduler_name;
    int32_t percentage; /* percentageOfNodesToScore; -1 when unset */
    struct kube_pluginset sets[KUBE_EXT_N];
    struct kube_args args;
};

/* config.KubeSchedulerConfiguration (the parts ksim uses). */
struct kube_config {
    int32_t percentage; /* top-level percentageOfNodesToScore; 0 = adaptive */
    struct kube_profile *profiles;
    size_t nprofiles;
};

void profile_init(struct kube_profile *p, const char *scheduler_name);
void profile_release(struct kube_profile *p);
void profile_copy(struct kube_profile *dst, const struct kube_profile *src);
void pluginset_add(struct kube_pluginset *s, const char *name, int32_t weight);
void pluginset_disable(struct kube_pluginset *s, const char *name);

/*
 * Merges p's plugin sets with the upstream default profile
 * (getDefaultPlugins + mergePlugins): per extension point, the default
 * plugins not disabled (none when "*" is disabled), each replaced in place by
 * a custom entry of the same name, then the other custom entries.
 */
void profile_apply_defaults(struct kube_profile *p);

/* The default configuration: one profile "default-scheduler", defaults applied. */
void kube_config_default(struct kube_config *cfg);
void kube_config_release(struct kube_config *cfg);
/* The profile called name, or NULL. */
const struct kube_profile *kube_config_find(const struct kube_config *cfg, const char *name);

#endif
