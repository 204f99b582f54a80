#ifndef KSIM_IO_MANIFEST_H
#define KSIM_IO_MANIFEST_H
/*
 * Kubernetes objects in their API shape (v1 Node, apps/v1 Deployment, the
 * pod template inside it), as `kubectl get -o yaml` prints them. Fields ksim
 * does not model (status other than capacity, managedFields, annotations,
 * ...) are ignored; fields it does model are type-checked, and a bad value
 * is an error at its position.
 */
#include <stddef.h>

#include "sim/base/diag.h"
#include "sim/cluster/cluster.h"
#include "sim/io/ytree.h"

struct manifest_node {
    const char *name;
    struct resources alloc;
    struct labelset labels;
    struct taint *taints;
    size_t ntaints;
    int unschedulable;
    struct node_image *images; /* status.images, one entry per name */
    size_t nimages;
};

struct manifest_deployment {
    const char *name;
    int64_t replicas;
    struct podspec spec;
};

void manifest_node_release(struct manifest_node *n);
void manifest_deployment_release(struct manifest_deployment *d);

/*
 * Calls fn for every object in t: each non-empty document, and each item of
 * a `kind: List` (or any *List kind with items). kind is the object's kind
 * ("" when absent). Stops at the first non-zero return and returns it.
 */
typedef int (*manifest_fn)(const struct ynode *obj, const char *kind, void *ctx, struct diag *d);
int manifest_each(const struct ytree *t, manifest_fn fn, void *ctx, struct diag *d);

/*
 * Loads one file named by an `include:` list item (a string, resolved against
 * dir unless absolute). A file that cannot be opened is reported at the item
 * ("include 'x.yaml': cannot open: ..."), a bad one at its own position.
 * Returns the tree (the caller frees it) or NULL with d set.
 */
struct ytree *manifest_load_include(const struct ynode *item, const char *dir, struct diag *d);

/* Reads a v1 Node (allocatable, falling back to capacity). */
int manifest_read_node(const struct ynode *obj, struct resnames *rn, struct manifest_node *out,
                       struct diag *d);
/* Reads an apps/v1 Deployment (replicas default 1; pod template). */
int manifest_read_deployment(const struct ynode *obj, struct resnames *rn,
                             struct manifest_deployment *out, struct diag *d);
/*
 * Reads a v1 PodSpec into ps: effective requests as upstream computes them
 * (k8s.io/component-helpers/resource/helpers.go, PodRequests: containers
 * summed, restartable init containers (sidecars) added, each other init
 * container taken as a maximum with the sidecars started before it, then
 * spec.overhead), nodeSelector, tolerations, priority.
 */
int manifest_read_podspec(const struct ynode *spec, const char *where, struct resnames *rn,
                          struct podspec *ps, struct diag *d);
/*
 * Reads a resource list ({cpu: 500m, memory: 1Gi, nvidia.com/gpu: 1}) into r,
 * interning extended resource names in rn. Unknown names are extended
 * resources; more than RES_MAX - RES_FIXED of them is an error.
 */
int manifest_read_resources(const struct ynode *map, const char *where, struct resnames *rn,
                            struct resources *r, struct diag *d);
/*
 * The kube-scheduler fields of a PodSpec (manifest_kube.c): nodeName,
 * affinity.nodeAffinity, hostPorts, images, and the non-zero cpu/memory
 * requests (defaults 100m / 200Mi per container missing them).
 */
/*
 * spec.terminationGracePeriodSeconds (an integer of seconds >= 0) into
 * ps->grace; absent or null keeps podspec_init's 30 s.
 */
int manifest_read_grace(const struct ynode *spec, struct podspec *ps, struct diag *d);

int manifest_read_pod_kube(const struct ynode *spec, struct resnames *rn, struct podspec *ps,
                           struct diag *d);
/* Reads a v1.NodeAffinity ({required..., preferred...}) into out. */
int manifest_read_node_affinity(const struct ynode *na, const char *where,
                                struct node_affinity *out, struct diag *d);
/* Reads a node's status.images into out->images. */
int manifest_read_node_images(const struct ynode *status, struct manifest_node *out,
                              struct diag *d);
/* Reads a string map (labels, nodeSelector) into ls. */
int manifest_read_labels(const struct ynode *map, const char *where, struct labelset *ls,
                         struct diag *d);
/* Reads a list of taints ({key, value, effect}). */
int manifest_read_taints(const struct ynode *seq, const char *where, struct taint **out, size_t *n,
                         struct diag *d);
/* Reads a list of tolerations ({key, operator, value, effect}). */
int manifest_read_tolerations(const struct ynode *seq, const char *where, struct toleration **out,
                              size_t *n, struct diag *d);

#endif
