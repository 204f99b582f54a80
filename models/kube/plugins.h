#ifndef KSIM_KUBE_PLUGINS_H
#define KSIM_KUBE_PLUGINS_H
/*
 * The registry of kube-scheduler plugins, by upstream name
 * (pkg/scheduler/framework/plugins/registry.go). `ksim list` prints it.
 */
#include "models/kube/framework.h"

/* NULL-terminated, in the default profile's order, then the others. */
extern const struct kube_plugin_ops *const plugins_registry[];

/* The plugin called name (exact), or NULL. */
const struct kube_plugin_ops *plugins_find(const char *name);

/*
 * The registry's names, NULL-terminated, for diag_suggest (a static array
 * built on first use).
 */
const char *const *plugins_names(void);

/* Writes the extension points of ops, e.g. "PreFilter, Filter, Score", into buf. */
void plugins_points(const struct kube_plugin_ops *ops, char *buf, size_t len);

extern const struct kube_plugin_ops kube_scheduling_gates_ops;
extern const struct kube_plugin_ops kube_priority_sort_ops;
extern const struct kube_plugin_ops kube_node_unschedulable_ops;
extern const struct kube_plugin_ops kube_node_name_ops;
extern const struct kube_plugin_ops kube_taint_toleration_ops;
extern const struct kube_plugin_ops kube_node_affinity_ops;
extern const struct kube_plugin_ops kube_node_ports_ops;
extern const struct kube_plugin_ops kube_node_resources_fit_ops;
extern const struct kube_plugin_ops kube_volume_restrictions_ops;
extern const struct kube_plugin_ops kube_ebs_limits_ops;
extern const struct kube_plugin_ops kube_gcepd_limits_ops;
extern const struct kube_plugin_ops kube_node_volume_limits_ops;
extern const struct kube_plugin_ops kube_azure_disk_limits_ops;
extern const struct kube_plugin_ops kube_volume_binding_ops;
extern const struct kube_plugin_ops kube_volume_zone_ops;
extern const struct kube_plugin_ops kube_pod_topology_spread_ops;
extern const struct kube_plugin_ops kube_inter_pod_affinity_ops;
extern const struct kube_plugin_ops kube_dynamic_resources_ops;
extern const struct kube_plugin_ops kube_default_preemption_ops;
extern const struct kube_plugin_ops kube_balanced_allocation_ops;
extern const struct kube_plugin_ops kube_image_locality_ops;
extern const struct kube_plugin_ops kube_default_binder_ops;

#endif
