#include "sim/control/hpactl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"
#include "sim/control/simulation.h"
#include "sim/engine/engine.h"

/*
 * The last scrape of one deployment: what the metrics APIs return until the
 * next one. It describes the window before the scrape, during which the
 * traffic state of the previous tick held: pods Ready at that tick served
 * load, the others ran at baseline.
 */
struct scrape {
    int done;                      /* a scrape has happened */
    simtime time;                  /* its timestamp */
    simtime ready_by;              /* pods Ready at or before this served load in the window */
    double cpu_ready, cpu_unready; /* per pod, millicores */
    double mem_ready, mem_unready; /* per pod, bytes */
    double pod_rps;                /* served req/s per Ready pod */
    double offered;                /* req/s at the Service */
};

struct tstate {
    const struct hpactl_traffic *t;
    struct usage_state us;
    struct scrape sc;
    struct hpactl_traffic_view view;
    int32_t hpa; /* the first HPA targeting this deployment, -1 when none */
};

struct hstate {
    const struct hpactl_hpa *h;
    struct hpa_history history;
    struct hpa_status status;
    struct hpa_sync_out out;
    struct hpa_metric_input *inputs; /* one per metric */
    int32_t traffic;                 /* index, -1 when the deployment has no traffic */
    int synced;
    uint64_t syncs, ups, downs;
    struct hpa_conditions logged; /* conditions as last written to events.jsonl */
    struct hpa_container container;
    struct hpa_request requests[2];
    size_t nrequests;
};

/* A pod name, cached per pod slot and regenerated when the slot is reused. */
struct name_slot {
    uint32_t gen_plus1; /* 0: never named */
    char *name;
};

struct hpactl {
    struct simulation *sim;
    struct engine *engine;
    struct cluster *cluster;
    struct hpactl_config cfg;
    struct tstate *ts;
    struct hstate *hs;
    /* scratch reused by every sync */
    struct hpa_pod *pods;
    size_t pods_cap;
    struct hpa_sample *samples; /* nmetrics_max blocks of pods_cap */
    size_t samples_cap;
    size_t nmetrics_max;
    struct name_slot *names;
    size_t names_cap;
};

static const char *pod_name(struct hpactl *ctl, int32_t pod)
{
    if ((size_t)pod >= ctl->names_cap) {
        size_t old = ctl->names_cap;
        xgrow((void **)&ctl->names, &ctl->names_cap, (size_t)pod + 1, sizeof *ctl->names);
        memset(ctl->names + old, 0, (ctl->names_cap - old) * sizeof *ctl->names);
    }
    struct name_slot *ns = &ctl->names[pod];
    uint32_t gen = ctl->cluster->pods[pod].gen;
    if (ns->gen_plus1 != gen + 1) {
        char buf[320];
        cluster_pod_name(ctl->cluster, pod, buf, sizeof buf);
        free(ns->name);
        ns->name = xstrdup(buf);
        ns->gen_plus1 = gen + 1;
    }
    return ns->name;
}

/* ------------------------------------------------------------------ traffic */

/*
 * Ready pods the load needs "at the target": enough capacity for the offered
 * load, and, when the HPA's first metric is a CPU Utilization or a Pods
 * requests_per_second target, enough pods to bring that metric to its target
 * (ceil(offered x cpuPerRequest / (target% x request - baseline)), or
 * ceil(offered / target)). Time with fewer Ready pods is under-provisioned.
 */
static int32_t needed_pods(const struct hpactl *ctl, const struct tstate *t)
{
    const struct usage_params *u = &t->t->usage;
    double offered = t->us.offered;
    double cap = usage_pod_capacity(u);
    double need = cap > 0 ? offered / cap : (offered > 0 ? INFINITY : 0);
    if (t->hpa >= 0) {
        const struct hpactl_hpa *h = ctl->hs[t->hpa].h;
        const struct hpa_metric_spec *m = &h->spec.metrics[0];
        double req = (double)ctl->cluster->owners[h->owner].spec.req.v[RES_CPU];
        if (h->sources[0] == HPACTL_SRC_CPU && m->target_type == HPA_TARGET_UTILIZATION) {
            double per_pod = m->target_utilization / 100.0 * req - u->cpu_baseline;
            double n = per_pod > 0 ? offered * u->cpu_per_request / per_pod : INFINITY;
            if (n > need)
                need = n;
        } else if (h->sources[0] == HPACTL_SRC_POD_RPS && m->target_milli > 0) {
            double n = offered / ((double)m->target_milli / 1000.0);
            if (n > need)
                need = n;
        }
    }
    if (need > INT32_MAX)
        return INT32_MAX;
    /* A hair of tolerance so that 10.0000000001 pods needs 10, not 11. */
    return (int32_t)ceil(need - 1e-9);
}

static simtime on_scrape(struct engine *e, const struct event *ev, void *ctx)
{
    (void)ev;
    struct hpactl *ctl = ctx;
    simtime now = engine_now(e);
    double dt = simtime_seconds(ctl->cfg.metrics.resolution);
    /* What this tick's state accounts for: up to the next tick or the run's end. */
    double span = dt;
    if (ctl->cfg.end > 0 && now + ctl->cfg.metrics.resolution > ctl->cfg.end)
        span = now < ctl->cfg.end ? simtime_seconds(ctl->cfg.end - now) : 0;
    for (size_t i = 0; i < ctl->cfg.ntraffic; i++) {
        struct tstate *t = &ctl->ts[i];
        const struct usage_params *u = &t->t->usage;
        const struct owner *o = &ctl->cluster->owners[t->t->owner];
        double offered = t->t->rate ? t->t->rate(t->t->rate_ctx, now) : 0;
        if (!(offered > 0))
            offered = 0;
        /* Publish the window that ends now (the previous tick's state), then step. */
        struct scrape *sc = &t->sc;
        int first = !sc->done;
        sc->done = 1;
        sc->time = now;
        sc->ready_by = first ? now : now - ctl->cfg.metrics.resolution;
        if (!first) {
            sc->pod_rps = t->us.per_pod;
            sc->offered = t->us.offered;
        }
        usage_step(u, offered, o->running, dt, &t->us);
        if (first) {
            sc->pod_rps = t->us.per_pod;
            sc->offered = t->us.offered;
        }
        sc->cpu_ready = usage_pod_cpu(u, sc->pod_rps);
        sc->cpu_unready = usage_pod_cpu(u, 0);
        sc->mem_ready = usage_pod_mem(u, sc->pod_rps);
        sc->mem_unready = usage_pod_mem(u, 0);

        /* Pods bound but not Ready run their containers at baseline. */
        struct hpactl_traffic_view *v = &t->view;
        int32_t started = o->live - o->running;
        int32_t pending = 0;
        for (int32_t p = o->pods_head; p >= 0 && started > 0; p = ctl->cluster->pods[p].owner_next)
            pending += ctl->cluster->pods[p].phase == POD_PENDING;
        started -= pending;
        double cpu_now = usage_pod_cpu(u, t->us.per_pod), mem_now = usage_pod_mem(u, t->us.per_pod);
        v->cpu_total = o->running * cpu_now + started * sc->cpu_unready;
        v->mem_total = o->running * mem_now + started * sc->mem_unready;
        v->needed = needed_pods(ctl, t);

        /* The state at this tick holds until the next one. */
        v->offered_requests += t->us.offered * span;
        v->served_requests += t->us.served * span;
        v->dropped_requests += t->us.dropped * span;
        v->replica_seconds += o->live * span;
        if (o->running < v->needed)
            v->underprovisioned_seconds += span;
        if (isinf(t->us.p95)) {
            if (t->us.offered > 0)
                v->saturated_seconds += span;
        } else if (t->us.served > 0) {
            double w = t->us.served * span;
            v->p50_weighted += t->us.p50 * w;
            v->p95_weighted += t->us.p95 * w;
            v->latency_weight += w;
            if (span > 0 && t->us.p95 > v->p95_max)
                v->p95_max = t->us.p95;
        }
        /* The SLO is over the requests sent, a dropped one counting as a failed one
         * (models/usage/usage.h: p95_offered), not only over those served. */
        if (u->slo_p95 > 0 && t->us.offered > 0 && !(t->us.p95_offered <= u->slo_p95))
            v->slo_violation_seconds += span;
    }
    return ctl->cfg.metrics.resolution;
}

/* --------------------------------------------------------------------- sync */

static void grow_scratch(struct hpactl *ctl, size_t npods)
{
    if (npods == 0)
        npods = 1; /* the buffers always exist, so sample blocks are never NULL + offset */
    if (npods <= ctl->pods_cap)
        return;
    xgrow((void **)&ctl->pods, &ctl->pods_cap, npods, sizeof *ctl->pods);
    size_t need = ctl->pods_cap * (ctl->nmetrics_max ? ctl->nmetrics_max : 1);
    xgrow((void **)&ctl->samples, &ctl->samples_cap, need, sizeof *ctl->samples);
}

/* The pods the HPA's selector matches: the Deployment's live pods. */
static size_t list_pods(struct hpactl *ctl, struct hstate *hs)
{
    const struct cluster *c = ctl->cluster;
    const struct owner *o = &c->owners[hs->h->owner];
    grow_scratch(ctl, (size_t)o->live);
    size_t n = 0;
    for (int32_t p = o->pods_head; p >= 0; p = c->pods[p].owner_next) {
        const struct pod *pd = &c->pods[p];
        struct hpa_pod *hp = &ctl->pods[n++];
        memset(hp, 0, sizeof *hp);
        hp->name = pod_name(ctl, p);
        hp->containers = &hs->container;
        hp->ncontainers = 1;
        /* The kubelet sets status.startTime and a Ready=False condition when it admits the
         * pod, right after binding; Ready turns True when the startup delay is over. */
        switch (pd->phase) {
        case POD_PENDING:
            hp->phase = HPA_POD_PENDING;
            hp->ready = HPA_READY_NONE;
            break;
        case POD_STARTING:
            hp->phase = HPA_POD_RUNNING;
            hp->has_start_time = 1;
            hp->start_time = pd->bound_at;
            hp->ready = HPA_READY_FALSE;
            hp->ready_transition = pd->bound_at;
            break;
        default:
            hp->phase = HPA_POD_RUNNING;
            hp->has_start_time = 1;
            hp->start_time = pd->bound_at;
            hp->ready = HPA_READY_TRUE;
            hp->ready_transition = pd->ready_at;
            break;
        }
    }
    return n;
}

/* The samples the metrics APIs return for metric k of an HPA, from the last scrape. */
static void fill_input(struct hpactl *ctl, struct hstate *hs, size_t k, size_t npods)
{
    struct hpa_metric_input *in = &hs->inputs[k];
    enum hpactl_source src = hs->h->sources[k];
    const struct tstate *t = hs->traffic >= 0 ? &ctl->ts[hs->traffic] : NULL;
    memset(in, 0, sizeof *in);
    const struct hpa_metric_spec *m = &hs->h->spec.metrics[k];
    if (src == HPACTL_SRC_NONE) {
        in->fetch_error = m->type == HPA_METRIC_EXTERNAL || m->type == HPA_METRIC_OBJECT ||
                                  m->type == HPA_METRIC_PODS
                              ? "the server could not find the requested resource"
                              : "no metrics returned from resource metrics API";
        return;
    }
    if (src == HPACTL_SRC_OFFERED_RPS) {
        /* Object and External metrics: one value in milli-units. */
        in->value = t ? llround(t->sc.offered * 1000.0) : 0;
        hs->inputs[k].values = &hs->inputs[k].value;
        in->nvalues = 1;
        return;
    }
    if (!t || !t->sc.done) {
        in->fetch_error = "no metrics returned from resource metrics API";
        return;
    }
    const struct scrape *sc = &t->sc;
    double ready_v, unready_v, scale = 1000.0; /* to milli-units */
    if (src == HPACTL_SRC_CPU) {
        ready_v = sc->cpu_ready;
        unready_v = sc->cpu_unready;
        scale = 1.0;
    } else if (src == HPACTL_SRC_MEMORY) {
        ready_v = sc->mem_ready;
        unready_v = sc->mem_unready;
    } else {
        ready_v = sc->pod_rps;
        unready_v = 0;
    }
    int64_t ready_milli = llround(ready_v * scale), unready_milli = llround(unready_v * scale);
    struct hpa_sample *out = ctl->samples + k * ctl->pods_cap;
    size_t n = 0;
    const struct cluster *c = ctl->cluster;
    const struct owner *o = &c->owners[hs->h->owner];
    size_t i = 0;
    for (int32_t p = o->pods_head; p >= 0 && i < npods; p = c->pods[p].owner_next, i++) {
        const struct pod *pd = &c->pods[p];
        simtime window;
        if (pd->phase == POD_PENDING ||
            !metricsserver_window(&ctl->cfg.metrics, sc->time, pd->bound_at, &window))
            continue;
        int was_ready = pd->phase == POD_RUNNING && pd->ready_at <= sc->ready_by;
        out[n++] = (struct hpa_sample){ctl->pods[i].name, was_ready ? ready_milli : unready_milli,
                                       sc->time, window};
    }
    in->samples = out;
    in->nsamples = n;
    if (n == 0 && src != HPACTL_SRC_POD_RPS)
        in->fetch_error = "no metrics returned from resource metrics API";
    else if (n == 0)
        in->fetch_error = "no metrics returned from custom metrics API";
}

static int conditions_differ(const struct hpa_conditions *a, const struct hpa_conditions *b)
{
    if (a->n != b->n)
        return 1;
    for (size_t i = 0; i < a->n; i++) {
        const struct hpa_condition *x = &a->items[i];
        const struct hpa_condition *y = hpa_conditions_find(b, x->type);
        if (!y || x->status != y->status || strcmp(x->reason, y->reason) != 0)
            return 1;
    }
    return 0;
}

static simtime on_sync(struct engine *e, const struct event *ev, void *ctx)
{
    struct hpactl *ctl = ctx;
    struct hstate *hs = &ctl->hs[ev->arg];
    const struct hpactl_hpa *h = hs->h;
    simtime now = engine_now(e);
    const struct owner *o = &ctl->cluster->owners[h->owner];
    struct hpa_scale scale = {o->desired, o->live};
    size_t npods = list_pods(ctl, hs);
    for (size_t k = 0; k < h->spec.nmetrics; k++)
        fill_input(ctl, hs, k, npods);
    int32_t before = o->desired;
    hpa_sync(&ctl->cfg.settings, &h->spec, &scale, ctl->pods, npods, hs->inputs, now, &hs->history,
             &hs->status, &hs->out);
    hs->synced = 1;
    hs->syncs++;
    /* Log what changes something: a rescale, or a condition that moved. */
    int changed = hs->out.rescale || conditions_differ(&hs->status.conditions, &hs->logged);
    if (hs->out.rescale) {
        if (hs->out.desired > before)
            hs->ups++;
        else
            hs->downs++;
    }
    if (changed) {
        hs->logged = hs->status.conditions;
        simulation_report_hpa(ctl->sim, h->owner, (int64_t)ev->arg, before,
                              hs->out.rescale ? hs->out.desired : before);
    }
    if (hs->out.rescale)
        simulation_scale(ctl->sim, h->owner, hs->out.desired);
    return ctl->cfg.sync_period;
}

/* ------------------------------------------------------------------- set-up */

struct hpactl *hpactl_new(struct simulation *sim, const struct hpactl_config *cfg)
{
    struct hpactl *ctl = xcalloc(1, sizeof *ctl);
    ctl->sim = sim;
    ctl->engine = sim->engine;
    ctl->cluster = sim->cluster;
    ctl->cfg = *cfg;
    ctl->ts = xcalloc(cfg->ntraffic + 1, sizeof *ctl->ts);
    ctl->hs = xcalloc(cfg->nhpas + 1, sizeof *ctl->hs);
    for (size_t i = 0; i < cfg->ntraffic; i++) {
        ctl->ts[i].t = &cfg->traffic[i];
        ctl->ts[i].hpa = -1;
        ctl->ts[i].view.traffic = &cfg->traffic[i];
        ctl->ts[i].view.state = &ctl->ts[i].us;
    }
    for (size_t i = 0; i < cfg->nhpas; i++) {
        struct hstate *hs = &ctl->hs[i];
        const struct hpactl_hpa *h = &cfg->hpas[i];
        hs->h = h;
        hpa_history_init(&hs->history);
        hs->out.metrics = xcalloc(h->spec.nmetrics, sizeof *hs->out.metrics);
        hs->inputs = xcalloc(h->spec.nmetrics, sizeof *hs->inputs);
        if (h->spec.nmetrics > ctl->nmetrics_max)
            ctl->nmetrics_max = h->spec.nmetrics;
        hs->traffic = hpactl_traffic_of(ctl, h->owner);
        if (hs->traffic >= 0 && ctl->ts[hs->traffic].hpa < 0)
            ctl->ts[hs->traffic].hpa = (int32_t)i;
        /* One container carrying the pod's effective requests; a ContainerResource metric
         * names it (the pod template's containers are summed when the scenario is read). */
        const char *cname = "app";
        for (size_t k = 0; k < h->spec.nmetrics; k++)
            if (h->spec.metrics[k].type == HPA_METRIC_CONTAINER_RESOURCE)
                cname = h->spec.metrics[k].container;
        const struct resources *req = &ctl->cluster->owners[h->owner].spec.req;
        /* A zero request is an unset one: the HPA then reports "missing request for cpu". */
        if (req->v[RES_CPU] > 0)
            hs->requests[hs->nrequests++] = (struct hpa_request){"cpu", req->v[RES_CPU]};
        if (req->v[RES_MEMORY] > 0)
            hs->requests[hs->nrequests++] =
                (struct hpa_request){"memory", req->v[RES_MEMORY] * 1000};
        hs->container =
            (struct hpa_container){cname, HPA_CONTAINER_REGULAR, hs->requests, hs->nrequests};
    }
    return ctl;
}

void hpactl_free(struct hpactl *ctl)
{
    if (!ctl)
        return;
    for (size_t i = 0; i < ctl->cfg.nhpas; i++) {
        hpa_history_release(&ctl->hs[i].history);
        free(ctl->hs[i].out.metrics);
        free(ctl->hs[i].inputs);
    }
    for (size_t i = 0; i < ctl->cfg.ntraffic; i++)
        usage_state_release(&ctl->ts[i].us);
    for (size_t i = 0; i < ctl->names_cap; i++)
        free(ctl->names[i].name);
    free(ctl->names);
    free(ctl->ts);
    free(ctl->hs);
    free(ctl->pods);
    free(ctl->samples);
    free(ctl);
}

void hpactl_start(struct hpactl *ctl)
{
    engine_on(ctl->engine, SIM_KIND_HPA_SCRAPE, on_scrape, ctl);
    engine_on(ctl->engine, SIM_KIND_HPA_SYNC, on_sync, ctl);
    simtime now = engine_now(ctl->engine);
    /* The scrape is queued first, so at an instant both run the sync sees that scrape. */
    if (ctl->cfg.ntraffic)
        engine_at(ctl->engine, now, SIM_PHASE_CONTROL, SIM_KIND_HPA_SCRAPE, 0);
    for (size_t i = 0; i < ctl->cfg.nhpas; i++)
        engine_at(ctl->engine, now, SIM_PHASE_CONTROL, SIM_KIND_HPA_SYNC, i);
}

/* ------------------------------------------------------------------ reading */

size_t hpactl_nhpas(const struct hpactl *ctl)
{
    return ctl->cfg.nhpas;
}

size_t hpactl_ntraffic(const struct hpactl *ctl)
{
    return ctl->cfg.ntraffic;
}

void hpactl_hpa_view(const struct hpactl *ctl, size_t i, struct hpactl_hpa_view *out)
{
    const struct hstate *hs = &ctl->hs[i];
    *out = (struct hpactl_hpa_view){
        .hpa = hs->h,
        .status = &hs->status,
        .last = &hs->out,
        .synced = hs->synced,
        .stabilized = hs->out.stabilized,
        .syncs = hs->syncs,
        .scale_ups = hs->ups,
        .scale_downs = hs->downs,
        .traffic = hs->traffic,
    };
}

void hpactl_traffic_view(const struct hpactl *ctl, size_t i, struct hpactl_traffic_view *out)
{
    *out = ctl->ts[i].view;
    out->hpa = ctl->ts[i].hpa;
}

int32_t hpactl_traffic_of(const struct hpactl *ctl, int32_t owner)
{
    for (size_t i = 0; i < ctl->cfg.ntraffic; i++)
        if (ctl->cfg.traffic[i].owner == owner)
            return (int32_t)i;
    return -1;
}

int hpactl_has_usage(const struct hpactl *ctl)
{
    return ctl->cfg.ntraffic > 0;
}
