#ifndef KSIM_TESTS_KUBEFIX_H
#define KSIM_TESTS_KUBEFIX_H
/*
 * Clusters for the PodTopologySpread and InterPodAffinity worked examples,
 * written the way upstream's tests build them: nodes with labels, pods read
 * from their YAML (metadata + spec, through the real manifest reader), and
 * existing pods bound to named nodes. In ksim pods of one owner share labels,
 * so every distinct existing pod shape is one owner.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/cluster.h"

struct topoindex;

struct kubefix {
    struct cluster *c;
    struct topoindex *ti;
};

struct kubefix *kubefix_new(void);
void kubefix_free(struct kubefix *kf);
/* labels: "k=v,k2=v2" ("" for none); taint: "key=value:Effect" or NULL. */
int32_t kubefix_node(struct kubefix *kf, const char *name, const char *labels, const char *taint);
/* An owner whose pods are `yaml` ({metadata: {labels, namespace}, spec: {...}}). */
int32_t kubefix_owner(struct kubefix *kf, enum owner_kind kind, const char *yaml);
/* Binds n new pods of owner to the named node. */
void kubefix_bind(struct kubefix *kf, int32_t owner, const char *node, int n);
/* A pending pod of owner (the pod being scheduled); returns the owner. */
int32_t kubefix_incoming(struct kubefix *kf, enum owner_kind kind, const char *yaml);
/* Node ids of a comma-separated list of names; returns how many. */
size_t kubefix_nodes(struct kubefix *kf, const char *names, int32_t *out, size_t max);

#endif
