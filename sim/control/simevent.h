#ifndef KSIM_CONTROL_SIMEVENT_H
#define KSIM_CONTROL_SIMEVENT_H
/*
 * What the controllers report as they act: the stream the output layer turns
 * into events.jsonl and the summary. Controllers never write files; they call
 * an observer (sim/io implements it), which keeps the layering one-way.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

struct kube_explain;

enum simevent_type {
    SIMEV_SCHEDULED,     /* pod bound to node */
    SIMEV_UNSCHEDULABLE, /* pod fits nowhere: message is the FitError text */
    SIMEV_SCALE,         /* deployment desired replicas changed: from -> to */
    SIMEV_NODE_ADDED,
    SIMEV_NODE_REMOVED, /* value: pods evicted from it */
    SIMEV_POD_EVICTED,  /* pod deleted because its node went away */
    SIMEV_HPA_SYNC,     /* an HPA sync worth logging: value = HPA index, from -> to replicas */
    SIMEV_PREEMPTED,    /* pod nominated to node; victims[] are to be deleted gracefully */
};

struct simevent {
    enum simevent_type type;
    simtime time;
    int32_t pod;   /* -1 when not about a pod */
    int32_t node;  /* -1 when none */
    int32_t owner; /* -1 when none */
    int64_t from, to;
    int64_t value;
    simtime latency;     /* SIMEV_SCHEDULED: time from creation to binding */
    const char *message; /* SIMEV_UNSCHEDULABLE */
    uint32_t attempt;    /* SIMEV_UNSCHEDULABLE: the pod's failed attempts so far (1 = first) */
    /* SIMEV_SCHEDULED / SIMEV_UNSCHEDULABLE in explain mode: the decision's
     * per-node breakdown (valid during the call only), else NULL. */
    const struct kube_explain *explain;
    /* SIMEV_PREEMPTED: the victims, most important first (some may already
     * be terminating: they are not deleted again). */
    const int32_t *victims;
    size_t nvictims;
};

struct sim_observer {
    void (*event)(void *ctx, const struct simevent *ev);
    void (*sample)(void *ctx, simtime now); /* every metrics interval */
    void *ctx;
};

#endif
