#ifndef KSIM_CONTROL_HPACTL_H
#define KSIM_CONTROL_HPACTL_H
/*
 * The autoscaling side of a run: per-deployment traffic (load model → usage
 * model), the metrics-server scrape, and the HorizontalPodAutoscaler
 * controller that syncs every HPA each syncPeriod.
 *
 *   scrape (every resolution, one event for all deployments, CONTROL phase)
 *     offered = rate(now); usage_step over the Ready pods; per-pod CPU and
 *     memory of Ready and not-Ready pods recorded as the last scrape
 *   sync (every syncPeriod, one event per HPA, CONTROL phase, after the
 *     scrape of the same instant)
 *     the Deployment's scale (spec.replicas = desired, status.replicas = live
 *     pods), its pods from the owner's pod list with phase, start time
 *     (binding), Ready condition and its transition time, the samples the
 *     metrics server would return for them (metricsserver.h), → hpa_sync
 *     (models/hpa) → a changed count scales the Deployment through the same
 *     path as a scripted scale event.
 *
 * Nothing is allocated per sync: the pod, sample and name buffers grow to the
 * largest deployment and are reused. Pods of one deployment share one
 * per-pod usage (the Service spreads load evenly), so scraping costs one
 * evaluation per deployment, not per pod.
 *
 * Which simulated quantity feeds which metric (scenarios/README.md):
 *   Resource / ContainerResource cpu      per-pod CPU usage (millicores)
 *   Resource / ContainerResource memory   per-pod memory usage (bytes)
 *   Pods requests_per_second              per-pod served req/s
 *   Object requests_per_second            offered req/s at the Service
 *   External offered_load                 offered req/s of the HPA's target
 */
#include <stddef.h>
#include <stdint.h>

#include "models/hpa/hpa.h"
#include "models/usage/usage.h"
#include "sim/control/metricsserver.h"
#include "sim/engine/simtime.h"

struct simulation;
struct hpactl;

/* The simulated quantity behind one HPA metric. */
enum hpactl_source {
    HPACTL_SRC_NONE,        /* nothing simulates it: the metrics API fails */
    HPACTL_SRC_CPU,         /* per-pod CPU, millicores */
    HPACTL_SRC_MEMORY,      /* per-pod memory, bytes */
    HPACTL_SRC_POD_RPS,     /* per-pod served req/s */
    HPACTL_SRC_OFFERED_RPS, /* offered req/s of the deployment */
};

/* Offered load in req/s at time t (a load model from models/load). */
typedef double (*hpactl_rate_fn)(void *ctx, simtime t);

struct hpactl_traffic {
    int32_t owner; /* the Deployment */
    hpactl_rate_fn rate;
    void *rate_ctx;
    struct usage_params usage;
};

struct hpactl_hpa {
    const char *name; /* metadata.name */
    int32_t owner;    /* the scale target */
    struct hpa_spec spec;
    const enum hpactl_source *sources; /* one per spec.metrics entry */
};

struct hpactl_config {
    struct hpa_settings settings;
    simtime sync_period; /* --horizontal-pod-autoscaler-sync-period */
    struct metricsserver_params metrics;
    const struct hpactl_traffic *traffic;
    size_t ntraffic;
    const struct hpactl_hpa *hpas;
    size_t nhpas;
    /*
     * The run's end, 0 for none. A scrape tick's state holds until the next
     * tick, but not past the end: the integrals (requests, replica-seconds,
     * SLO seconds...) of the tick at t cover [t, min(t + resolution, end)),
     * so the tick at the end itself adds nothing.
     */
    simtime end;
};

/* One HPA's figures for outputs (read-only). */
struct hpactl_hpa_view {
    const struct hpactl_hpa *hpa;
    const struct hpa_status *status;
    const struct hpa_sync_out *last; /* the last sync's result */
    int synced;                      /* at least one sync ran */
    int32_t stabilized;              /* last sync's stabilized recommendation */
    uint64_t syncs, scale_ups, scale_downs;
    int32_t traffic; /* index into the traffic list, -1 when the deployment has none */
};

/* One deployment's traffic figures (read-only). */
struct hpactl_traffic_view {
    const struct hpactl_traffic *traffic;
    const struct usage_state *state; /* at the last scrape */
    int32_t hpa;                     /* the HPA scaling this deployment, -1 when none */
    double cpu_total, mem_total;     /* all its pods, millicores and bytes, at the last scrape */
    int32_t needed;                  /* Ready pods the load needs at the target (see hpactl.c) */
    /* integrals since the start, over scrape ticks */
    double offered_requests, served_requests, dropped_requests;
    double replica_seconds, underprovisioned_seconds, slo_violation_seconds;
    double saturated_seconds;                          /* no latency estimate (utilisation >= 1) */
    double p50_weighted, p95_weighted, latency_weight; /* served-weighted latency sums */
    double p95_max;
};

/*
 * A controller for sim, copying cfg (the pointed-to HPAs and traffic must
 * outlive it). Registers its event handlers with the simulation; the
 * simulation owns and frees it (simulation_set_autoscaling).
 */
struct hpactl *hpactl_new(struct simulation *sim, const struct hpactl_config *cfg);
void hpactl_free(struct hpactl *ctl);

/* Schedules the first scrape and the first sync of every HPA at now. */
void hpactl_start(struct hpactl *ctl);

size_t hpactl_nhpas(const struct hpactl *ctl);
size_t hpactl_ntraffic(const struct hpactl *ctl);
void hpactl_hpa_view(const struct hpactl *ctl, size_t i, struct hpactl_hpa_view *out);
void hpactl_traffic_view(const struct hpactl *ctl, size_t i, struct hpactl_traffic_view *out);
/* Index of the traffic of a deployment, or -1. */
int32_t hpactl_traffic_of(const struct hpactl *ctl, int32_t owner);
/* Whether a CPU or memory usage model exists (some traffic is configured). */
int hpactl_has_usage(const struct hpactl *ctl);

#endif
