#ifndef KSIM_CONTROL_SCHEDULER_H
#define KSIM_CONTROL_SCHEDULER_H
/*
 * The scheduling queue and cycle. Pending pods wait in the active queue,
 * ordered by priority (higher first) and then by arrival, as kube-scheduler's
 * PrioritySort does. A cycle pops every active pod in order and asks the
 * placement policy for a node; a pod that fits nowhere is reported to the
 * observer with the upstream FitError message (every failed attempt,
 * numbered) and parked as unschedulable. Parked pods are retried only when something that could
 * help happens (a pod leaves, a node is added) - never by polling.
 *
 * Parked pods are kept per owner, in arrival order. Pods of one owner are
 * identical to the scheduler (same requests, selector, tolerations,
 * priority), and within a cycle capacity only shrinks, so once one of them
 * fails every later one would fail too. A retry therefore activates only the
 * owner's oldest parked pod, and the next one only when that binds. The
 * placements are the same as retrying every parked pod in order; the cost is
 * O(owners) per cluster change instead of O(pending pods), which is what keeps
 * a cluster with 100k pending pods and frequent completions tractable.
 *
 * A cycle runs as one engine event in the scheduling phase, after every
 * completion and controller action of the same instant; enqueueing a pod
 * schedules a cycle at the current instant unless one is pending.
 */
#include <stdint.h>

#include "sim/control/simevent.h"
#include "sim/engine/engine.h"

struct cluster;
struct placement;
struct scheduler;

struct scheduler *scheduler_new(struct engine *e, struct cluster *c, struct placement *p,
                                uint32_t cycle_kind, uint32_t cycle_phase,
                                const struct sim_observer *obs);
void scheduler_free(struct scheduler *s);

/* Adds a Pending pod to the active queue. */
void scheduler_enqueue(struct scheduler *s, int32_t pod);
/* Forgets a pod that is being deleted while Pending. */
void scheduler_forget(struct scheduler *s, int32_t pod);
/* Capacity may have freed: move every unschedulable pod back to the active queue. */
void scheduler_capacity_changed(struct scheduler *s);
/* The engine handler of cycle_kind (registered by the caller with the scheduler as ctx). */
simtime scheduler_cycle(struct engine *e, const struct event *ev, void *ctx);

/*
 * Reference mode for tests: on a cluster change, retry every parked pod
 * instead of each owner's oldest. Placements must be identical either way
 * (tests/model/model_scheduler.c checks it); only the work differs.
 */
void scheduler_set_retry_all(struct scheduler *s, int on);

/*
 * Explain mode (`ksim run --explain`): with the kube policy, each decision
 * runs framework_explain instead of the fast path (same choice, same
 * nextStartNodeIndex and random draws) and its SIMEV_SCHEDULED or first
 * SIMEV_UNSCHEDULABLE event carries the breakdown. Other policies ignore it.
 */
void scheduler_set_explain(struct scheduler *s, int on);

/* Pending pods: active plus unschedulable. */
size_t scheduler_pending(const struct scheduler *s);
/* Scheduling attempts that failed, over the run (retries skipped as above are not attempts). */
uint64_t scheduler_failed_attempts(const struct scheduler *s);

#endif
