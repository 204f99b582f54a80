#ifndef KSIM_CLUSTER_CLUSTER_H
#define KSIM_CLUSTER_CLUSTER_H
/*
 * The cluster state: nodes, pods and their owners (Deployments and batch
 * streams), referring to each other by index, never by pointer.
 *
 *   owners[]  ──(pod template: struct podspec)──┐
 *      ▲ owner                                   │ spec
 *   pods[]  ── node ──►  nodes[]                 ▼
 *      pod slots are reused; a generation counter catches stale handles
 *
 * Invariant kept by cluster.c and checked by tests: for every live node,
 * used == the sum of the requests of the pods bound to it (exactly, as
 * integers), and the node's pod list holds exactly those pods.
 *
 * Anything that must follow node capacity (a placement index, the
 * scheduler's retry logic) registers a listener and is told every time a
 * node's free capacity or schedulability changes.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/labels.h"
#include "sim/cluster/podaffinity.h"
#include "sim/cluster/nodeaffinity.h"
#include "sim/cluster/resources.h"
#include "sim/engine/simtime.h"

/* A container port with hostPort > 0 (what NodePorts checks). */
enum host_proto { PROTO_TCP, PROTO_UDP, PROTO_SCTP };
struct host_port {
    char *ip; /* hostIP; "" means 0.0.0.0, every address */
    int32_t port;
    enum host_proto proto;
};

/* An image a node holds (status.images[].names[i] with the image's size). */
struct node_image {
    char *name; /* as the node reports it (not normalized, as upstream's cache keeps it) */
    int64_t size;
};

/* The scoring defaults for a container without a cpu / memory request (pkg/scheduler/util). */
#define POD_DEFAULT_MILLI_CPU 100
#define POD_DEFAULT_MEMORY    (200 * 1024 * 1024)

/* What a pod asks for; shared by all pods of one owner. */
struct podspec {
    struct resources req; /* requests; req.v[RES_PODS] is always 1 */
    struct labelset node_selector;
    struct toleration *tols;
    size_t ntols;
    int32_t priority;
    int gated;         /* spec.schedulingGates is not empty: pods wait until the owner is ungated */
    int preempt_never; /* preemptionPolicy: Never (from the pod's PriorityClass) */
    /* The pod template's metadata: what PodTopologySpread and InterPodAffinity match on. */
    struct labelset labels;
    char *namespace; /* NULL means "default" */
    /* Inter-pod affinity and topology spread (sim/cluster/podaffinity.h); NULL when none. */
    struct podaffinity *aff;
    /*
     * The ReplicaSet named by a snapshot pod's controller ownerReference
     * (NULL otherwise): pods naming the same one form its selector for the
     * default spread constraints. Deployment owners need none: their pods are
     * the ReplicaSet's.
     */
    char *replicaset;
    /*
     * What kube-scheduler's plugins read (models/kube). nonzero_cpu/_mem are
     * the requests with the scoring defaults 100m / 200Mi applied per
     * container that omits them (pkg/scheduler/util, GetNonzeroRequests);
     * manifest readers set nonzero_known, otherwise cluster_add_owner treats
     * the requests as one container's.
     */
    int64_t nonzero_cpu, nonzero_mem;
    int nonzero_known;
    char *node_name; /* spec.nodeName; NULL when unset */
    struct node_affinity affinity;
    struct host_port *ports;
    size_t nports;
    char **images; /* normalized image names of init and regular containers */
    size_t nimages;
    size_t ncontainers; /* init plus regular containers (ImageLocality) */
    /* metadata.deletionTimestamp is set: only snapshot pods (sim/io/kube/snapshot),
     * where every pod has its own owner. The pod still holds its node's
     * resources, but PodTopologySpread does not count it
     * (podtopologyspread/common.go, countPodsMatchSelector). */
    int terminating;
    /* spec.terminationGracePeriodSeconds: how long a deleted pod keeps its
     * node's resources (podspec_init: 30 s, DefaultTerminationGracePeriodSeconds
     * in pkg/apis/core/types.go, v1.35). */
    simtime grace;
};

/* The pod's namespace: spec->namespace, or "default". */
const char *podspec_namespace(const struct podspec *ps);

void podspec_init(struct podspec *ps);
void podspec_release(struct podspec *ps);

enum pod_phase {
    POD_PENDING,   /* created, not bound */
    POD_STARTING,  /* bound, not ready yet (startup delay) */
    POD_RUNNING,   /* running and ready */
    POD_SUCCEEDED, /* run to completion (batch) */
    POD_DELETED    /* removed (scale-down, node removal); slot free */
};

struct pod {
    /* read-only: owned by cluster.c */
    uint32_t gen;      /* bumped when the slot is reused */
    uint8_t phase;     /* enum pod_phase */
    int32_t node;      /* bound node, -1 when unbound */
    int32_t owner;     /* index into cluster.owners */
    uint32_t ordinal;  /* the pod's name is "<owner>-<ordinal>" */
    int32_t node_prev; /* links in the bound node's pod list */
    int32_t node_next;
    int32_t owner_prev; /* links in the owner's live-pod list */
    int32_t owner_next;
    simtime created;
    simtime bound_at;
    /* free for controllers: */
    uint64_t event;     /* the pod's one pending engine event, 0 when none */
    simtime runtime;    /* batch pods: how long they run once started */
    int32_t queue_next; /* scheduler queue link */
    uint8_t queued;     /* scheduler: which queue the pod is in */
    simtime ready_at;   /* when it became Running/Ready (its Ready condition's transition) */
    /* status.nominatedNodeName as a node id, -1 when none: set by the
     * scheduler after a preemption, read by the kube framework. */
    int32_t nominated;
    /* read-only: owned by cluster.c */
    uint8_t terminating; /* metadata.deletionTimestamp is set (cluster_mark_terminating) */
    uint8_t detached;    /* taken off its node for a what-if (cluster_detach) */
};

struct node {
    /* read-only: owned by cluster.c */
    char *name;
    int32_t pool; /* index of the node pool, -1 for nodes from manifests */
    int alive;    /* 0 once removed; the slot is never reused */
    struct resources alloc;
    struct resources used;
    struct labelset labels;
    struct taint *taints;
    size_t ntaints;
    int unschedulable; /* spec.unschedulable */
    int32_t pods_head; /* first bound pod, -1 when none */
    /* NodeInfo.NonZeroRequested: bound pods' nonzero_cpu / nonzero_mem summed. */
    int64_t nonzero_cpu, nonzero_mem;
    struct node_image *images; /* status.images; set by cluster_set_node_images */
    size_t nimages;
    /* Bumped on every change of the node or of the pods bound to it, so that
     * a cache of per-node results can tell when it is stale. */
    uint32_t version;
};

enum owner_kind { OWNER_DEPLOYMENT, OWNER_BATCH };

struct owner {
    enum owner_kind kind;
    char *name;
    struct podspec spec;
    int32_t desired; /* deployments: spec.replicas */
    /* read-only: owned by cluster.c */
    int32_t live;      /* pods not yet Succeeded or deleted */
    int32_t running;   /* of those, Running/Ready */
    int32_t pods_head; /* live pods, newest first */
    uint32_t next_ordinal;
};

struct cluster_listener {
    /* A node's free capacity, schedulability or liveness changed. */
    void (*node_changed)(void *ctx, int32_t node);
    void *ctx;
};

struct cluster {
    struct resnames resnames;
    struct node *nodes; /* by id; removed nodes stay with alive == 0 */
    size_t nnodes, nodes_cap;
    size_t nalive;
    struct pod *pods; /* by slot; free slots have phase POD_DELETED */
    size_t npods, pods_cap;
    int32_t free_pods; /* free-slot list through node_next */
    struct owner *owners;
    size_t nowners, owners_cap;
    char **pool_names;
    size_t npools, pools_cap;
    struct cluster_listener *listeners;
    size_t nlisteners, listeners_cap;
    /* Per-owner pod counts by node and topology domain, built on first use
     * by topoindex_of() and kept up to date by bind/unbind (sim/cluster/topoindex.h). */
    struct topoindex *topo;
    struct resources alloc_total; /* sum of alive nodes' allocatable */
    struct resources used_total;  /* sum of bound pods' requests */
    /* Bound pods per priority, ascending (cluster_lowest_priority). */
    struct prio_count {
        int32_t priority;
        int64_t n;
    } * prio;
    size_t nprio, prio_cap;
    /* counters for the summary */
    uint64_t pods_created, pods_scheduled, pods_completed, pods_deleted;
};

struct cluster *cluster_new(void);
void cluster_free(struct cluster *c);

void cluster_listen(struct cluster *c, const struct cluster_listener *l);

int32_t cluster_add_pool(struct cluster *c, const char *name);
int32_t cluster_find_pool(const struct cluster *c, const char *name);

/*
 * Adds a node; copies name, labels and taints. Returns its id. The caller
 * guarantees the name is unique (cluster_find_node).
 */
int32_t cluster_add_node(struct cluster *c, const char *name, int32_t pool,
                         const struct resources *alloc, const struct labelset *labels,
                         const struct taint *taints, size_t ntaints, int unschedulable);
int32_t cluster_find_node(const struct cluster *c, const char *name);
/* Replaces a node's status.images (copied). */
void cluster_set_node_images(struct cluster *c, int32_t node, const struct node_image *images,
                             size_t n);
/* Removes a node with no bound pods (unbind or delete them first). */
void cluster_remove_node(struct cluster *c, int32_t node);

/* Adds an owner; takes ownership of spec's contents. Returns its id. */
int32_t cluster_add_owner(struct cluster *c, enum owner_kind kind, const char *name,
                          struct podspec *spec, int32_t desired);
int32_t cluster_find_owner(const struct cluster *c, const char *name);

/* Creates a Pending pod of owner at time now. Returns its id. */
int32_t cluster_new_pod(struct cluster *c, int32_t owner, simtime now);
/* Binds a Pending pod: phase Starting, node sums updated. */
void cluster_bind(struct cluster *c, int32_t pod, int32_t node, simtime now);
/* Starting -> Running. */
void cluster_mark_running(struct cluster *c, int32_t pod);
/* Running -> Succeeded: releases the node's resources and the slot. */
void cluster_complete_pod(struct cluster *c, int32_t pod);
/* Deletes a pod in any live phase: releases resources and the slot. */
void cluster_delete_pod(struct cluster *c, int32_t pod);

/*
 * Graceful deletion of a bound pod (metadata.deletionTimestamp set): the pod
 * keeps its node and resources until cluster_delete_pod, but it leaves its
 * owner's live pods (the ReplicaSet controller's FilterActivePods and the
 * HPA ignore pods being deleted; pkg/controller/controller_utils.go, v1.35)
 * and the topology index (PodTopologySpread does not count terminating pods:
 * podtopologyspread/common.go). Phase and bound_at are kept.
 */
void cluster_mark_terminating(struct cluster *c, int32_t pod);

/*
 * What-ifs for preemption's dry run (models/kube/preemption.c): detach takes
 * a bound pod off its node (node sums, pod list, topology index and node
 * version change as if it were deleted; phase, owner and counters do not),
 * attach puts it back at the head of the node's pod list. Callers restore
 * the original list order before anything else reads the cluster.
 */
void cluster_detach(struct cluster *c, int32_t pod);
void cluster_attach(struct cluster *c, int32_t pod);

/*
 * Adds (sign +1) or removes (-1) a pod's requests to a node's used sums
 * without binding it: the scheduler counts nominated pods this way during
 * one cycle (RunFilterPluginsWithNominatedPods). Bumps the node's version.
 */
void cluster_reserve(struct cluster *c, int32_t node, int32_t pod, int sign);

/* The lowest priority of any bound pod (INT32_MAX when none): O(1). */
int32_t cluster_lowest_priority(const struct cluster *c);

/* Writes "<owner>-<ordinal>" into buf. */
void cluster_pod_name(const struct cluster *c, int32_t pod, char *buf, size_t len);

/* Packs a pod id and its generation into an event argument, and back. */
uint64_t cluster_pod_handle(const struct cluster *c, int32_t pod);
/* The pod id of a handle, or -1 when that pod no longer exists. */
int32_t cluster_pod_from_handle(const struct cluster *c, uint64_t handle);

/* Checks every invariant by brute force (tests; O(nodes + pods)). 0 when consistent. */
int cluster_check(const struct cluster *c, char *err, size_t errlen);

#endif
