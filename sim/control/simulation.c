#include "sim/control/simulation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/control/hpactl.h"
#include "sim/control/scheduler.h"
#include "sim/engine/rng.h"

enum sim_kind {
    SIM_KIND_CYCLE,
    SIM_KIND_POD_READY,
    SIM_KIND_POD_COMPLETE,
    SIM_KIND_ARRIVAL,
    SIM_KIND_SCALE,
    SIM_KIND_NODES,
    SIM_KIND_SAMPLE,
    SIM_KIND_UNGATE,
    SIM_KIND_POD_GONE,
};

struct sim_pool {
    char *name;
    struct resources alloc;
    struct labelset labels;
    struct taint *taints;
    size_t ntaints;
    int64_t next_index;
};

struct sim_batch {
    int32_t owner;
    struct batch_params params;
    gsl_rng *arrivals, *durations;
    int64_t created;
};

/* A timed action: a scale or a node-pool change. */
struct sim_action {
    int32_t target;
    int64_t value;
};

struct sim_private {
    struct rng *rng;
    struct placement placement;
    struct sim_observer obs; /* the caller's */
    simtime startup_delay;
    simtime sample_interval;
    struct sim_pool *pools;
    size_t npools, pools_cap;
    struct sim_batch *batches;
    size_t nbatches, batches_cap;
    struct sim_action *actions;
    size_t nactions, actions_cap;
    struct hpactl *autoscaling;
};

static void emit(struct simulation *sim, const struct simevent *ev)
{
    if (sim->priv->obs.event)
        sim->priv->obs.event(sim->priv->obs.ctx, ev);
}

static struct simevent base_event(struct simulation *sim, enum simevent_type type)
{
    struct simevent ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.time = engine_now(sim->engine);
    ev.pod = ev.node = ev.owner = -1;
    return ev;
}

static void terminate_pod(struct simulation *sim, int32_t pod);

/*
 * The scheduler reports to us first: a bound pod starts its startup delay;
 * preemption victims start their graceful deletion once the event is out.
 */
static void on_sched_event(void *ctx, const struct simevent *ev)
{
    struct simulation *sim = ctx;
    if (ev->type == SIMEV_SCHEDULED) {
        struct pod *p = &sim->cluster->pods[ev->pod];
        p->event = engine_after(sim->engine, sim->priv->startup_delay, SIM_PHASE_LIFECYCLE,
                                SIM_KIND_POD_READY, cluster_pod_handle(sim->cluster, ev->pod));
    }
    emit(sim, ev);
    if (ev->type == SIMEV_PREEMPTED)
        for (size_t i = 0; i < ev->nvictims; i++)
            if (!sim->cluster->pods[ev->victims[i]].terminating)
                terminate_pod(sim, ev->victims[i]);
}

static void placement_node_changed(void *ctx, int32_t node)
{
    struct simulation *sim = ctx;
    struct placement *pl = &sim->priv->placement;
    if (pl->ops->node_changed)
        pl->ops->node_changed(pl->state, sim->cluster, node);
}

/* ------------------------------------------------------------ pod lifecycle */

static int32_t create_pod(struct simulation *sim, int32_t owner)
{
    int32_t pod = cluster_new_pod(sim->cluster, owner, engine_now(sim->engine));
    sim->cluster->pods[pod].event = 0;
    sim->cluster->pods[pod].queued = 0;
    scheduler_enqueue(sim->sched, pod);
    return pod;
}

/* Deletes a pod in any live phase, cancelling what it was waiting for. */
static void delete_pod(struct simulation *sim, int32_t pod)
{
    struct pod *p = &sim->cluster->pods[pod];
    if (p->event)
        engine_cancel(sim->engine, p->event);
    p->event = 0;
    if (p->phase == POD_PENDING)
        scheduler_forget(sim->sched, pod);
    cluster_delete_pod(sim->cluster, pod);
}

static simtime on_pod_ready(struct engine *e, const struct event *ev, void *ctx)
{
    struct simulation *sim = ctx;
    int32_t pod = cluster_pod_from_handle(sim->cluster, ev->arg);
    if (pod < 0 || sim->cluster->pods[pod].phase != POD_STARTING)
        return ENGINE_DONE;
    struct pod *p = &sim->cluster->pods[pod];
    p->event = 0;
    p->ready_at = engine_now(e);
    cluster_mark_running(sim->cluster, pod);
    if (sim->cluster->owners[p->owner].kind == OWNER_BATCH)
        p->event = engine_after(e, p->runtime, SIM_PHASE_RELEASE, SIM_KIND_POD_COMPLETE, ev->arg);
    return ENGINE_DONE;
}

static simtime on_pod_complete(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    struct simulation *sim = ctx;
    int32_t pod = cluster_pod_from_handle(sim->cluster, ev->arg);
    if (pod < 0 || sim->cluster->pods[pod].phase != POD_RUNNING)
        return ENGINE_DONE;
    sim->cluster->pods[pod].event = 0;
    cluster_complete_pod(sim->cluster, pod);
    scheduler_capacity_changed(sim->sched);
    return ENGINE_DONE;
}

static void reconcile(struct simulation *sim, int32_t owner);

/*
 * Graceful deletion of a bound pod (a preemption victim): it gets its
 * deletion timestamp now and keeps its node's resources for its template's
 * terminationGracePeriodSeconds (the kubelet kills it at the latest then; ksim
 * takes the whole period). It is no longer one of its owner's pods: a
 * Deployment's ReplicaSet replaces it at once (FilterActivePods ignores
 * terminating pods), a batch pod is resubmitted with the same run time, as a
 * Job controller with podReplacementPolicy TerminatingOrFailed does.
 */
static void terminate_pod(struct simulation *sim, int32_t pod)
{
    struct cluster *c = sim->cluster;
    struct pod *p = &c->pods[pod];
    int32_t owner = p->owner;
    simtime runtime = p->runtime;
    if (p->event)
        engine_cancel(sim->engine, p->event);
    cluster_mark_terminating(c, pod);
    p->event = engine_after(sim->engine, c->owners[owner].spec.grace, SIM_PHASE_RELEASE,
                            SIM_KIND_POD_GONE, cluster_pod_handle(c, pod));
    if (c->owners[owner].kind == OWNER_BATCH) {
        int32_t again = create_pod(sim, owner);
        c->pods[again].runtime = runtime;
    } else {
        reconcile(sim, owner);
    }
}

/* The end of a graceful deletion: the pod's resources are free. */
static simtime on_pod_gone(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    struct simulation *sim = ctx;
    int32_t pod = cluster_pod_from_handle(sim->cluster, ev->arg);
    if (pod < 0 || !sim->cluster->pods[pod].terminating)
        return ENGINE_DONE;
    sim->cluster->pods[pod].event = 0;
    delete_pod(sim, pod);
    scheduler_capacity_changed(sim->sched);
    return ENGINE_DONE;
}

/* ------------------------------------------------------ deployment control */

/*
 * Brings a deployment's live pods to its desired count. Scale-down deletes the
 * pods upstream ranks first (pkg/controller/controller_utils.go, ActivePods
 * ordering used by the ReplicaSet controller): unscheduled before scheduled,
 * not-ready before ready, and among equals the newest first.
 */
static void reconcile(struct simulation *sim, int32_t owner)
{
    struct cluster *c = sim->cluster;
    struct owner *o = &c->owners[owner];
    while (o->live < o->desired)
        create_pod(sim, owner);
    static const uint8_t order[] = {POD_PENDING, POD_STARTING, POD_RUNNING};
    for (int k = 0; k < 3 && o->live > o->desired; k++) {
        /* The owner's list is newest first. */
        int32_t pod = o->pods_head;
        while (pod >= 0 && o->live > o->desired) {
            int32_t next = c->pods[pod].owner_next;
            if (c->pods[pod].phase == order[k])
                delete_pod(sim, pod);
            pod = next;
        }
    }
    if (o->live < o->desired)
        BUG("reconcile left too few pods");
}

void simulation_scale(struct simulation *sim, int32_t owner, int32_t replicas)
{
    struct owner *o = &sim->cluster->owners[owner];
    struct simevent sev = base_event(sim, SIMEV_SCALE);
    sev.owner = owner;
    sev.from = o->desired;
    sev.to = replicas;
    o->desired = replicas;
    emit(sim, &sev);
    int had_pods = o->live > o->desired;
    reconcile(sim, owner);
    if (had_pods)
        scheduler_capacity_changed(sim->sched);
}

void simulation_report_hpa(struct simulation *sim, int32_t owner, int64_t hpa, int64_t from,
                           int64_t to)
{
    struct simevent sev = base_event(sim, SIMEV_HPA_SYNC);
    sev.owner = owner;
    sev.value = hpa;
    sev.from = from;
    sev.to = to;
    emit(sim, &sev);
}

static simtime on_scale(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    struct simulation *sim = ctx;
    struct sim_action *a = &sim->priv->actions[ev->arg];
    simulation_scale(sim, a->target, (int32_t)a->value);
    return ENGINE_DONE;
}

/* --------------------------------------------------------------- node pools */

void simulation_grow_pool(struct simulation *sim, int32_t pool, int64_t count)
{
    struct sim_pool *sp = &sim->priv->pools[pool];
    for (int64_t i = 0; i < count; i++) {
        char name[300];
        snprintf(name, sizeof name, "%s-%lld", sp->name, (long long)sp->next_index++);
        /* The kubelet labels every node kubernetes.io/hostname=<name> (well-known
         * labels, k8s.io/api/core/v1/well_known_labels.go); topology spreading
         * and pod anti-affinity by host rely on it. */
        struct labelset labels;
        labelset_copy(&labels, &sp->labels);
        if (!labelset_get(&labels, "kubernetes.io/hostname"))
            labelset_set(&labels, "kubernetes.io/hostname", name);
        int32_t node = cluster_add_node(sim->cluster, name, pool, &sp->alloc, &labels, sp->taints,
                                        sp->ntaints, 0);
        labelset_release(&labels);
        struct simevent ev = base_event(sim, SIMEV_NODE_ADDED);
        ev.node = node;
        emit(sim, &ev);
    }
    if (count > 0)
        scheduler_capacity_changed(sim->sched);
}

/*
 * Removes the pool's newest nodes (highest id first), as a scale-down of a
 * node group would. Their pods are evicted: deployment pods are replaced by
 * the deployment controller, batch pods are resubmitted from scratch with the
 * same run time, as a Job controller would.
 */
static void shrink_pool(struct simulation *sim, int32_t pool, int64_t count)
{
    struct cluster *c = sim->cluster;
    int32_t *touched = xcalloc(c->nowners + 1, sizeof *touched);
    for (size_t i = c->nnodes; i-- > 0 && count > 0;) {
        struct node *n = &c->nodes[i];
        if (!n->alive || n->pool != pool)
            continue;
        int64_t evicted = 0;
        while (n->pods_head >= 0) {
            int32_t pod = n->pods_head;
            int32_t owner = c->pods[pod].owner;
            simtime runtime = c->pods[pod].runtime;
            int replaced = c->pods[pod].terminating; /* replaced when its deletion began */
            struct simevent ev = base_event(sim, SIMEV_POD_EVICTED);
            ev.pod = pod;
            ev.node = (int32_t)i;
            ev.owner = owner;
            emit(sim, &ev);
            delete_pod(sim, pod);
            evicted++;
            if (replaced)
                continue;
            touched[owner] = 1;
            if (c->owners[owner].kind == OWNER_BATCH) {
                int32_t again = create_pod(sim, owner);
                c->pods[again].runtime = runtime;
            }
        }
        struct simevent ev = base_event(sim, SIMEV_NODE_REMOVED);
        ev.node = (int32_t)i;
        ev.value = evicted;
        emit(sim, &ev);
        cluster_remove_node(c, (int32_t)i);
        count--;
    }
    for (size_t o = 0; o < c->nowners; o++)
        if (touched[o] && c->owners[o].kind == OWNER_DEPLOYMENT)
            reconcile(sim, (int32_t)o);
    free(touched);
    /* Not more room, but every FitError now counts fewer nodes. */
    scheduler_capacity_changed(sim->sched);
}

static simtime on_nodes(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    struct simulation *sim = ctx;
    struct sim_action *a = &sim->priv->actions[ev->arg];
    if (a->value > 0)
        simulation_grow_pool(sim, a->target, a->value);
    else
        shrink_pool(sim, a->target, -a->value);
    return ENGINE_DONE;
}

/* ------------------------------------------------------------------ batches */

static simtime on_arrival(struct engine *e, const struct event *ev, void *ctx)
{
    struct simulation *sim = ctx;
    struct sim_batch *b = &sim->priv->batches[ev->arg];
    simtime now = engine_now(e);
    if (now >= b->params.stop || (b->params.limit >= 0 && b->created >= b->params.limit))
        return ENGINE_DONE;
    int32_t pod = create_pod(sim, b->owner);
    sim->cluster->pods[pod].runtime = batch_duration(&b->params, b->durations);
    b->created++;
    simtime gap = batch_next_gap(&b->params, b->arrivals);
    if (gap == SIMTIME_NEVER || now + gap >= b->params.stop)
        return ENGINE_DONE;
    return gap;
}

static simtime on_ungate(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    struct simulation *sim = ctx;
    scheduler_ungate(sim->sched, (int32_t)ev->arg);
    return ENGINE_DONE;
}

static simtime on_sample(struct engine *e, const struct event *ev, void *ctx)
{
    (void)ev;
    struct simulation *sim = ctx;
    if (sim->priv->obs.sample)
        sim->priv->obs.sample(sim->priv->obs.ctx, engine_now(e));
    return sim->priv->sample_interval;
}

/* ------------------------------------------------------------------- set-up */

struct simulation *simulation_new(uint64_t seed, const struct placement_ops *policy,
                                  simtime startup_delay, const struct sim_observer *obs)
{
    return simulation_new_env(seed, policy, NULL, startup_delay, obs);
}

struct simulation *simulation_new_env(uint64_t seed, const struct placement_ops *policy,
                                      const struct placement_env *kube, simtime startup_delay,
                                      const struct sim_observer *obs)
{
    struct simulation *sim = xcalloc(1, sizeof *sim);
    struct sim_private *pv = xcalloc(1, sizeof *pv);
    sim->priv = pv;
    sim->engine = engine_new();
    sim->cluster = cluster_new();
    pv->rng = rng_new(seed);
    pv->startup_delay = startup_delay;
    if (obs)
        pv->obs = *obs;
    struct placement_env env;
    memset(&env, 0, sizeof env);
    if (kube)
        env = *kube;
    env.rng = rng_stream(pv->rng, "placement");
    if (policy == &placement_kube_ops)
        env.kube_rng = rng_stream(pv->rng, "kube");
    if (placement_init(&pv->placement, policy, sim->cluster, &env))
        BUG("placement policy failed to initialise");
    struct cluster_listener l = {placement_node_changed, sim};
    cluster_listen(sim->cluster, &l);
    struct sim_observer sched_obs = {on_sched_event, NULL, sim};
    sim->sched = scheduler_new(sim->engine, sim->cluster, &pv->placement, SIM_KIND_CYCLE,
                               SIM_PHASE_SCHEDULE, &sched_obs);
    engine_on(sim->engine, SIM_KIND_CYCLE, scheduler_cycle, sim->sched);
    engine_on(sim->engine, SIM_KIND_POD_READY, on_pod_ready, sim);
    engine_on(sim->engine, SIM_KIND_POD_COMPLETE, on_pod_complete, sim);
    engine_on(sim->engine, SIM_KIND_ARRIVAL, on_arrival, sim);
    engine_on(sim->engine, SIM_KIND_SCALE, on_scale, sim);
    engine_on(sim->engine, SIM_KIND_NODES, on_nodes, sim);
    engine_on(sim->engine, SIM_KIND_SAMPLE, on_sample, sim);
    engine_on(sim->engine, SIM_KIND_UNGATE, on_ungate, sim);
    engine_on(sim->engine, SIM_KIND_POD_GONE, on_pod_gone, sim);
    if (policy == &placement_kube_ops)
        scheduler_set_preemption(sim->sched, rng_stream(pv->rng, "preemption"));
    return sim;
}

void simulation_free(struct simulation *sim)
{
    if (!sim)
        return;
    struct sim_private *pv = sim->priv;
    hpactl_free(pv->autoscaling);
    scheduler_free(sim->sched);
    placement_release(&pv->placement);
    cluster_free(sim->cluster);
    engine_free(sim->engine);
    rng_free(pv->rng);
    for (size_t i = 0; i < pv->npools; i++) {
        free(pv->pools[i].name);
        labelset_release(&pv->pools[i].labels);
        for (size_t j = 0; j < pv->pools[i].ntaints; j++)
            taint_release(&pv->pools[i].taints[j]);
        free(pv->pools[i].taints);
    }
    free(pv->pools);
    free(pv->batches);
    free(pv->actions);
    free(pv);
    free(sim);
}

int32_t simulation_add_pool(struct simulation *sim, const char *name, const struct resources *alloc,
                            const struct labelset *labels, const struct taint *taints,
                            size_t ntaints)
{
    struct sim_private *pv = sim->priv;
    xgrow((void **)&pv->pools, &pv->pools_cap, pv->npools + 1, sizeof *pv->pools);
    struct sim_pool *sp = &pv->pools[pv->npools];
    memset(sp, 0, sizeof *sp);
    sp->name = xstrdup(name);
    sp->alloc = *alloc;
    labelset_copy(&sp->labels, labels);
    sp->taints = xcalloc(ntaints ? ntaints : 1, sizeof *sp->taints);
    for (size_t i = 0; i < ntaints; i++)
        taint_copy(&sp->taints[i], &taints[i]);
    sp->ntaints = ntaints;
    int32_t id = cluster_add_pool(sim->cluster, name);
    if (id != (int32_t)pv->npools)
        BUG("pool ids out of step");
    pv->npools++;
    return id;
}

int32_t simulation_add_node(struct simulation *sim, const char *name, const struct resources *alloc,
                            const struct labelset *labels, const struct taint *taints,
                            size_t ntaints, int unschedulable)
{
    int32_t node =
        cluster_add_node(sim->cluster, name, -1, alloc, labels, taints, ntaints, unschedulable);
    struct simevent ev = base_event(sim, SIMEV_NODE_ADDED);
    ev.node = node;
    emit(sim, &ev);
    return node;
}

int32_t simulation_add_deployment(struct simulation *sim, const char *name, struct podspec *spec,
                                  int64_t replicas)
{
    int gated = spec->gated;
    int32_t owner =
        cluster_add_owner(sim->cluster, OWNER_DEPLOYMENT, name, spec, (int32_t)replicas);
    if (gated)
        scheduler_gate(sim->sched, owner);
    return owner;
}

int32_t simulation_add_batch(struct simulation *sim, const char *name, struct podspec *spec,
                             const struct batch_params *params)
{
    struct sim_private *pv = sim->priv;
    int gated = spec->gated;
    int32_t owner = cluster_add_owner(sim->cluster, OWNER_BATCH, name, spec, 0);
    if (gated)
        scheduler_gate(sim->sched, owner);
    xgrow((void **)&pv->batches, &pv->batches_cap, pv->nbatches + 1, sizeof *pv->batches);
    struct sim_batch *b = &pv->batches[pv->nbatches++];
    memset(b, 0, sizeof *b);
    b->owner = owner;
    b->params = *params;
    char stream[320];
    snprintf(stream, sizeof stream, "batch/%s/arrivals", name);
    b->arrivals = rng_stream(pv->rng, stream);
    snprintf(stream, sizeof stream, "batch/%s/durations", name);
    b->durations = rng_stream(pv->rng, stream);
    return owner;
}

static uint64_t add_action(struct simulation *sim, int32_t target, int64_t value)
{
    struct sim_private *pv = sim->priv;
    xgrow((void **)&pv->actions, &pv->actions_cap, pv->nactions + 1, sizeof *pv->actions);
    pv->actions[pv->nactions] = (struct sim_action){target, value};
    return pv->nactions++;
}

void simulation_at_scale(struct simulation *sim, simtime t, int32_t owner, int64_t replicas)
{
    engine_at(sim->engine, t, SIM_PHASE_CONTROL, SIM_KIND_SCALE, add_action(sim, owner, replicas));
}

void simulation_at_nodes(struct simulation *sim, simtime t, int32_t pool, int64_t delta)
{
    engine_at(sim->engine, t, SIM_PHASE_CONTROL, SIM_KIND_NODES, add_action(sim, pool, delta));
}

void simulation_at_ungate(struct simulation *sim, simtime t, int32_t owner)
{
    engine_at(sim->engine, t, SIM_PHASE_CONTROL, SIM_KIND_UNGATE, (uint64_t)owner);
}

void simulation_sample_every(struct simulation *sim, simtime interval)
{
    sim->priv->sample_interval = interval;
    engine_at(sim->engine, 0, SIM_PHASE_OBSERVE, SIM_KIND_SAMPLE, 0);
}

void simulation_set_autoscaling(struct simulation *sim, struct hpactl *ctl)
{
    sim->priv->autoscaling = ctl;
}

struct hpactl *simulation_autoscaling(const struct simulation *sim)
{
    return sim->priv->autoscaling;
}

void simulation_start(struct simulation *sim)
{
    struct cluster *c = sim->cluster;
    for (size_t o = 0; o < c->nowners; o++)
        if (c->owners[o].kind == OWNER_DEPLOYMENT)
            reconcile(sim, (int32_t)o);
    for (size_t i = 0; i < sim->priv->nbatches; i++) {
        struct sim_batch *b = &sim->priv->batches[i];
        simtime gap = batch_next_gap(&b->params, b->arrivals);
        if (gap == SIMTIME_NEVER || b->params.start + gap >= b->params.stop)
            continue;
        engine_at(sim->engine, b->params.start + gap, SIM_PHASE_CONTROL, SIM_KIND_ARRIVAL, i);
    }
    if (sim->priv->autoscaling)
        hpactl_start(sim->priv->autoscaling);
}
