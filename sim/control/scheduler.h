#ifndef KSIM_CONTROL_SCHEDULER_H
#define KSIM_CONTROL_SCHEDULER_H
/*
 * The scheduling queue and cycle, as kube-scheduler's PriorityQueue
 * (pkg/scheduler/backend/queue/scheduling_queue.go, backoff_queue.go,
 * active_queue.go; v1.33-v1.35) - for every placement policy.
 *
 * Every failed attempt is reported to the observer with the upstream FitError
 * text, numbered per pod (SIMEV_UNSCHEDULABLE.attempt).
 *
 * Three places a pending pod can wait:
 *
 *   activeQ        heap: higher priority first, then earlier timestamp
 *                  (PrioritySort); the timestamp is the pod's arrival, or its
 *                  last failed attempt once it has failed
 *   backoffQ       heap by backoff expiry = timestamp + backoff, where backoff
 *                  is initial * 2^(failures-1) capped at max (1 s and 10 s:
 *                  1, 2, 4, 8, 10, 10, ... s); flushed to activeQ on a 1 s tick
 *   unschedulable  pods that failed; every cluster event that could help (a
 *                  pod deleted or completed, nodes added or removed) moves all
 *                  of them to backoffQ (still backing off) or activeQ, and a
 *                  30 s tick moves those that failed more than 5 min ago
 *
 * The ticks are the upstream wait.Until timers, started with the scheduler at
 * time 0: the backoff flush runs at every whole second, the unschedulable
 * flush every 30 s; ksim schedules only the ticks that move something, which
 * gives the same moves at the same instants. With SchedulerPopFromBackoffQ (on
 * by default since v1.33) an idle scheduler pops backoffQ's head before its
 * backoff expires. A simulated cycle takes no time (ksim binds instantly), so
 * the scheduler is idle as soon as activeQ is empty: every pod a cluster event
 * moves is retried at that instant, and backoff only orders the retries. With
 * it off, the 1 s tick decides when a backing-off pod is retried.
 *
 * A cycle runs as one engine event in the scheduling phase, after every
 * completion and controller action of the same instant; enqueueing a pod
 * schedules a cycle at the current instant unless one is pending. Within one
 * cycle capacity only shrinks, and pods of one owner are identical to the
 * scheduler (same requests, selector, tolerations, priority), so once one of
 * an owner's pods fails in a cycle the owner's later attempts in that cycle
 * fail without asking the policy again: the queue moves, failure counts and
 * timestamps are exactly those of attempting them (tests/model/
 * model_scheduler.c checks it against the reference mode, which asks the
 * policy every time); only the policy's work is saved. An attempt that is
 * not put to the policy draws no random numbers (the `random` policy). For
 * policies that fit by resources, a cluster event also fails at once, without
 * queueing them, the unschedulable pods that ask more of some resource than
 * any node has free (scheduler_capacity_changed): the same outcome again.
 *
 * Pod scheduling gates: a gated pod waits outside the three queues until its
 * owner is ungated (scheduler_ungate), as the SchedulingGates PreEnqueue
 * plugin keeps it (pkg/scheduler/framework/plugins/schedulinggates).
 *
 * `decreasing` breaks ties between pods of equal priority and equal timestamp
 * (pods arriving at the same instant) by size, largest first: size is the
 * sum over cpu, memory and the extended resources the pod requests of
 * request / the cluster's allocatable total, as the bin-packing policies
 * normalize (weights 1). Ties after that go by arrival.
 */
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sim/control/simevent.h"
#include "sim/engine/engine.h"

struct cluster;
struct placement;
struct scheduler;

struct scheduler_config {
    simtime initial_backoff;   /* podInitialBackoffSeconds (KubeSchedulerConfiguration): 1 s */
    simtime max_backoff;       /* podMaxBackoffSeconds: 10 s */
    simtime max_unschedulable; /* podMaxInUnschedulablePodsDuration: 5 min */
    int pop_from_backoffq;     /* feature gate SchedulerPopFromBackoffQ: on */
    int decreasing;            /* ksim: same-instant pods largest first */
};

/* The upstream defaults (v1.33-v1.35). */
void scheduler_config_default(struct scheduler_config *cfg);

struct scheduler *scheduler_new(struct engine *e, struct cluster *c, struct placement *p,
                                uint32_t cycle_kind, uint32_t cycle_phase,
                                const struct sim_observer *obs);
void scheduler_free(struct scheduler *s);
/* Replaces the configuration (scheduler_new starts with the defaults). Call before any pod. */
void scheduler_configure(struct scheduler *s, const struct scheduler_config *cfg);

/* Adds a Pending pod to the active queue (or holds it while its owner is gated). */
void scheduler_enqueue(struct scheduler *s, int32_t pod);
/* Forgets a pod that is being deleted while Pending. */
void scheduler_forget(struct scheduler *s, int32_t pod);
/* A cluster event that could help: move every unschedulable pod to backoffQ or activeQ. */
void scheduler_capacity_changed(struct scheduler *s);
/* Holds an owner's pods out of the queues from now on (spec.schedulingGates). */
void scheduler_gate(struct scheduler *s, int32_t owner);
/* Removes an owner's gates: its held pods enter the active queue now. */
void scheduler_ungate(struct scheduler *s, int32_t owner);
/*
 * The engine handler of cycle_kind (registered by the caller with the
 * scheduler as ctx); the scheduler's ticks use the same kind.
 */
simtime scheduler_cycle(struct engine *e, const struct event *ev, void *ctx);

/*
 * Reference mode for tests: every attempt asks the policy, none is answered
 * from an earlier failure of the same owner in the same cycle. Placements
 * must be identical either way (tests/model/model_scheduler.c checks it).
 */
void scheduler_set_reference(struct scheduler *s, int on);

/*
 * Explain mode (`ksim run --explain`): with the kube policy, each attempt
 * runs framework_explain instead of the fast path (same choice, same
 * nextStartNodeIndex and random draws) and its SIMEV_SCHEDULED or
 * SIMEV_UNSCHEDULABLE event carries the breakdown. Other policies ignore it.
 */
void scheduler_set_explain(struct scheduler *s, int on);

/*
 * Preemption (`kube` policy whose profile runs DefaultPreemption; others
 * ignore it): a pod that fits nowhere runs the PostFilter
 * (models/kube/preemption.h); a chosen node is reported as SIMEV_PREEMPTED,
 * whose observer deletes the victims gracefully, and the pod is nominated to
 * it (pod.nominated): its next attempt tries that node first, and while it
 * waits its requests count on that node for pods of lower or equal priority.
 * rng draws the dry run's start offsets (the "preemption" stream).
 */
void scheduler_set_preemption(struct scheduler *s, gsl_rng *rng);

/* Pending pods: active, backing off, unschedulable and gated. */
size_t scheduler_pending(const struct scheduler *s);
/* Scheduling attempts that failed, over the run. */
uint64_t scheduler_failed_attempts(const struct scheduler *s);
/* Scheduling attempts, over the run (bound or failed). */
uint64_t scheduler_attempts(const struct scheduler *s);

#endif
