#ifndef KSIM_TESTS_HARNESS_H
#define KSIM_TESTS_HARNESS_H
/*
 * A cluster with one placement policy attached the way the scheduler
 * attaches it, for the policies' worked-example tests. Nodes are named
 * n0, n1, ... and owners o0, o1, ... in creation order.
 */
#include <stdint.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

struct harness {
    struct cluster *c;
    struct placement p;
};

struct harness *harness_start(void);
/* Attaches the named policy (after the nodes that exist at start are added). */
void harness_attach(struct harness *h, const char *policy);
/* Checks the cluster's invariants and frees everything. */
void harness_finish(struct harness *h);
/* A node of cpu_m millicores and mem bytes (and gpus of dimension g when g > 0). */
int32_t harness_node_full(struct harness *h, int64_t cpu_m, int64_t mem, int g, int64_t gpus,
                          const char *label, const struct taint *taint, int unschedulable);
int32_t harness_node(struct harness *h, int64_t cpu_m, int64_t mem);
/* A plain node with room for at most pods pods (harness_node's allow 110). */
int32_t harness_node_pods(struct harness *h, int64_t cpu_m, int64_t mem, int64_t pods);
int32_t harness_owner_full(struct harness *h, int64_t cpu_m, int64_t mem, int g, int64_t gpus,
                           const char *selector, const struct toleration *t);
int32_t harness_owner(struct harness *h, int64_t cpu_m, int64_t mem);
/* Binds a pod asking for cpu_m and mem straight to node n, to set a node's usage by hand. */
void harness_fill(struct harness *h, int32_t n, int64_t cpu_m, int64_t mem);
/* Creates a pod of owner o, places it, binds it if placed; returns the node or -1. */
int32_t harness_place(struct harness *h, int32_t o);
/* The same, also giving the pod's id (-1 when it was not placed) in *pod_out when not NULL. */
int32_t harness_place_pod(struct harness *h, int32_t o, int32_t *pod_out);

#endif
