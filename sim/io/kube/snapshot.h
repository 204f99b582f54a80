#ifndef KSIM_IO_SNAPSHOT_H
#define KSIM_IO_SNAPSHOT_H
/*
 * A snapshot of a cluster for `ksim score`: Kubernetes objects in YAML or
 * JSON files (several documents, or a `kind: List` as `kubectl get -o yaml`
 * prints it), turned into a struct cluster and one pod to place.
 *
 *   v1 Node   -> a cluster node (manifest_read_node), node id = input order
 *   v1 Pod    -> its own owner and pod (manifest_read_podspec for the spec,
 *                plus metadata name/namespace/labels/deletionTimestamp);
 *                with spec.nodeName it is bound there, as the scheduler's
 *                cache holds it; Succeeded and Failed pods are left out, as
 *                kube-scheduler's pod informer leaves them out
 *                (pkg/scheduler/scheduler.go, NewInformerFactory: field
 *                selector status.phase!=Succeeded,status.phase!=Failed)
 *   KubeSchedulerConfiguration -> kept as a tree for sim/io/kube/kubeconfig
 *   anything else (Services, Events, ...) is ignored.
 *
 * The pod to place is the one named by `pod` ("name" in any namespace, or
 * "namespace/name"), else the only pod without spec.nodeName. It is a
 * Pending pod of the cluster that is never bound, even when --pod names a
 * pod that has a spec.nodeName (then the question is "where would it go if
 * it were scheduled again"; its nodeName still feeds the NodeName filter).
 *
 * Errors (file:line:col: message, exit 1 in the CLI):
 *   duplicate node name 'n1' (first at f.yaml:3:9)
 *   duplicate pod 'default/p' (first at f.yaml:20:9)
 *   pod 'default/p' is bound to node 'n9', which is not in the input
 *   a second KubeSchedulerConfiguration (the first is at f.yaml:1:1)
 *   more than one pod without spec.nodeName ('default/a' at f.yaml:4:9 and
 *       'default/b'): choose one with --pod
 *   no pod without spec.nodeName to place (name one with --pod)   (file: of the last input)
 *   no pod 'x' in the input                                       (no position)
 *   pod name 'x' is ambiguous: 'a/x' and 'b/x' (use --pod NAMESPACE/NAME)
 * plus everything ytree, schema and manifest report. No nodes at all is not an
 * error: kube-scheduler answers "no nodes available to schedule pods".
 */
#include <stddef.h>
#include <stdint.h>

#include "models/kube/profile.h"
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

struct cluster;

/* One v1 Pod of the input that takes part (not Succeeded/Failed), in input order. */
struct snapshot_pod {
    const char *name;           /* metadata.name (lives with the trees) */
    const char *namespace;      /* metadata.namespace, "default" when absent */
    const struct ynode *at;     /* the object, for messages */
    int32_t pod;                /* its id in the cluster */
    int32_t node;               /* spec.nodeName's node id, -1 when unbound (or the pod to place) */
    int terminating;            /* metadata.deletionTimestamp is set */
    const char *scheduler_name; /* spec.schedulerName, NULL when unset */
    const struct ynode *scheduler_at; /* where it is written, NULL when unset */
};

struct snapshot {
    struct cluster *cluster;
    struct snapshot_pod *pods;
    size_t npods;
    size_t target;              /* index in pods of the pod to place */
    const struct ynode *config; /* the KubeSchedulerConfiguration object, NULL when none */
    /* private: every loaded file, kept so that names and config nodes stay valid */
    struct ytree **trees;
    size_t ntrees;
};

/*
 * Loads files (nfiles >= 1) and, when config_path is not NULL, a
 * KubeSchedulerConfiguration file that takes the place of any in files.
 * pod selects the pod to place (NULL: the only unbound one). 0 on success;
 * -1 with d set, and s released, on error.
 */
int snapshot_load(struct snapshot *s, const char *const *files, size_t nfiles,
                  const char *config_path, const char *pod, struct diag *d);
void snapshot_release(struct snapshot *s);

/*
 * What scheduling the snapshot's pod takes, shared by `ksim score` and
 * `ksim plan fit-count`: the configuration (the snapshot's
 * KubeSchedulerConfiguration, or the upstream default), the profile the pod's
 * spec.schedulerName names (default "default-scheduler"; an unknown name is
 * an error with a did-you-mean), and that profile's framework breaking ties
 * from the "kube" stream of seed.
 */
struct snapshot_sched {
    struct kube_config cfg;
    struct rng *rng;
    struct framework *fw;
};

/* 0, or -1 with d set; release ss either way. */
int snapshot_sched_init(struct snapshot_sched *ss, const struct snapshot *s, uint64_t seed,
                        struct diag *d);
void snapshot_sched_release(struct snapshot_sched *ss);

/* "namespace/name" of pods[i] into buf. */
void snapshot_pod_name(const struct snapshot *s, size_t i, char *buf, size_t len);

#endif
