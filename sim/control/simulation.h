#ifndef KSIM_CONTROL_SIMULATION_H
#define KSIM_CONTROL_SIMULATION_H
/*
 * One simulation run: the engine, the cluster, the placement policy, the
 * scheduler and the controllers (deployments, batch streams, node pools,
 * scripted scenario events), wired together with the engine's event kinds.
 *
 * At one instant, events run by phase:
 *
 *   RELEASE    pods finish and free their resources
 *   LIFECYCLE  bound pods become Running/Ready
 *   CONTROL    scripted events, arrivals, deployment reconciliation
 *   SCHEDULE   the scheduling cycle sees all of the above
 *   OBSERVE    the metrics sample sees the instant's final state
 *
 * The caller builds the run (pools, nodes, owners, timed actions), calls
 * simulation_start, then drives the engine (engine_step or engine_run on
 * sim->engine) up to the end time.
 */
#include <stdint.h>

#include "sim/cluster/cluster.h"
#include "sim/control/batch.h"
#include "sim/control/simevent.h"
#include "sim/engine/engine.h"

struct placement_ops;
struct scheduler;
struct rng;
struct hpactl;

/* Engine event kinds of the autoscaling controller (sim/control/hpactl.c). */
enum { SIM_KIND_HPA_SCRAPE = 16, SIM_KIND_HPA_SYNC = 17 };

enum sim_phase {
    SIM_PHASE_RELEASE,
    SIM_PHASE_LIFECYCLE,
    SIM_PHASE_CONTROL,
    SIM_PHASE_SCHEDULE,
    SIM_PHASE_OBSERVE
};

struct simulation {
    /* read-only for callers */
    struct engine *engine;
    struct cluster *cluster;
    struct scheduler *sched;
    /* private */
    struct sim_private *priv;
};

/* A new, empty simulation. The policy's random stream is "placement". */
/*
 * The same, with the kube fields of a placement_env (kube, kube_profile,
 * kube_tie_first) taken from kube when not NULL; the "kube" stream is used
 * for the `kube` policy's tie-breaks.
 */
struct placement_env;
struct simulation *simulation_new_env(uint64_t seed, const struct placement_ops *policy,
                                      const struct placement_env *kube, simtime startup_delay,
                                      const struct sim_observer *obs);
struct simulation *simulation_new(uint64_t seed, const struct placement_ops *policy,
                                  simtime startup_delay, const struct sim_observer *obs);
void simulation_free(struct simulation *sim);

/* Declares a node pool: nodes added to it are named "<pool>-<index>". Copies everything. */
int32_t simulation_add_pool(struct simulation *sim, const char *name, const struct resources *alloc,
                            const struct labelset *labels, const struct taint *taints,
                            size_t ntaints);
/* Adds count nodes to a pool now. */
void simulation_grow_pool(struct simulation *sim, int32_t pool, int64_t count);
/* Adds one node from a manifest now. */
int32_t simulation_add_node(struct simulation *sim, const char *name, const struct resources *alloc,
                            const struct labelset *labels, const struct taint *taints,
                            size_t ntaints, int unschedulable);
/* Adds a Deployment (takes ownership of spec's contents). */
int32_t simulation_add_deployment(struct simulation *sim, const char *name, struct podspec *spec,
                                  int64_t replicas);
/* Adds a batch stream (takes ownership of spec's contents). */
int32_t simulation_add_batch(struct simulation *sim, const char *name, struct podspec *spec,
                             const struct batch_params *params);
/* Schedules a change of a deployment's replicas at time t. */
void simulation_at_scale(struct simulation *sim, simtime t, int32_t owner, int64_t replicas);
/* Schedules adding (delta > 0) or removing (delta < 0) pool nodes at time t. */
void simulation_at_nodes(struct simulation *sim, simtime t, int32_t pool, int64_t delta);
/* Calls the observer's sample every interval, from time 0. */
void simulation_sample_every(struct simulation *sim, simtime interval);

/* Hands the autoscaling controller to the run, which frees it; started by simulation_start. */
void simulation_set_autoscaling(struct simulation *sim, struct hpactl *ctl);
/* The autoscaling controller, or NULL. */
struct hpactl *simulation_autoscaling(const struct simulation *sim);
/* Sets a deployment's replicas now, exactly as a scripted scale event does. */
void simulation_scale(struct simulation *sim, int32_t owner, int32_t replicas);
/* Reports an HPA sync (SIMEV_HPA_SYNC) to the observer. */
void simulation_report_hpa(struct simulation *sim, int32_t owner, int64_t hpa, int64_t from,
                           int64_t to);

/* Starts controllers and arrivals. Call once, after building. */
void simulation_start(struct simulation *sim);

#endif
