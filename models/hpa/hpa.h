#ifndef KSIM_MODELS_HPA_HPA_H
#define KSIM_MODELS_HPA_HPA_H
/*
 * One HorizontalPodAutoscaler sync, as kube-controller-manager's
 * reconcileAutoscaler does it (pkg/controller/podautoscaler/horizontal.go,
 * Kubernetes v1.33-v1.35), minus the API calls: the caller has already read
 * the scale subresource, listed the pods and fetched the metrics, and applies
 * the result (updates scale.spec.replicas when out->rescale is set).
 *
 *   hpa_sync(settings, spec, scale, pods, metric inputs, now, history, status)
 *     1. AbleToScale=True SucceededGetScale; the first sync seeds the history
 *        with {scale.spec.replicas, now} (recordInitialRecommendation).
 *     2. spec.replicas == 0 with minReplicas != 0: autoscaling disabled
 *        (ScalingActive=False ScalingDisabled), nothing changes.
 *        spec.replicas above max / below min: go straight to max / min.
 *     3. Otherwise every metric proposes a count (models/hpa/replicas.h); the
 *        largest valid proposal wins. Failed metrics block the sync when all
 *        failed, or when some failed and the valid ones would scale down
 *        (ScalingActive=False with the first failure's reason); otherwise
 *        ScalingActive=True ValidMetricFound and the sync goes on, reporting
 *        the failure as its error.
 *     4. Legacy or behavior normalization (models/hpa/behavior.h) sets
 *        AbleToScale (ReadyForNewScale / Scale{Up,Down}Stabilized) and
 *        ScalingLimited.
 *     5. A changed count is a rescale: AbleToScale=True SucceededRescale, the
 *        scale event is stored (behavior only), status.lastScaleTime = now.
 *
 * The /scale update is assumed to succeed (upstream would set AbleToScale=False
 * FailedUpdateScale and store no event). Selector validation
 * (InvalidSelector, AmbiguousSelector) belongs to the caller, which lists the
 * pods: pass the pods the scale's selector matches.
 *
 * Ownership: the caller owns everything; hpa_sync keeps no pointer. It
 * updates *history and *status in place and fills *out (including the
 * caller's out->metrics array of spec->nmetrics entries).
 */
#include <stddef.h>
#include <stdint.h>

#include "models/hpa/behavior.h"
#include "models/hpa/conditions.h"
#include "models/hpa/history.h"
#include "models/hpa/replicas.h"
#include "sim/engine/simtime.h"

/* kube-controller-manager's HPA flags and the feature gates the arithmetic reads. */
struct hpa_settings {
    double tolerance;                  /* --horizontal-pod-autoscaler-tolerance */
    simtime cpu_initialization_period; /* --horizontal-pod-autoscaler-cpu-initialization-period */
    simtime initial_readiness_delay;   /* --horizontal-pod-autoscaler-initial-readiness-delay */
    simtime
        downscale_stabilization_window; /* --horizontal-pod-autoscaler-downscale-stabilization */
    double scale_up_limit_factor;       /* horizontal.go scaleUpLimitFactor (legacy path) */
    double scale_up_limit_minimum;      /* horizontal.go scaleUpLimitMinimum (legacy path) */
    int configurable_tolerance;         /* HPAConfigurableTolerance gate */
    int pod_level_resources;            /* PodLevelResources gate */
};

/*
 * The defaults: tolerance 0.1, CPU initialization period 5m, initial
 * readiness delay 30s, downscale stabilization 5m, scale-up factor 2 and
 * minimum 4, both gates on (their v1.35 defaults; HPAConfigurableTolerance is
 * off by default in v1.33-v1.34, PodLevelResources in v1.33).
 */
void hpa_settings_default(struct hpa_settings *s);

/* The HPA's spec, after API defaulting of the metric list. */
struct hpa_spec {
    const char *namespace_name; /* named in some error texts */
    int has_min_replicas;       /* unset means 1 */
    int32_t min_replicas;       /* 0 is allowed (HPAScaleToZero) */
    int32_t max_replicas;
    const struct hpa_metric_spec *metrics; /* at least one */
    size_t nmetrics;
    const struct hpa_behavior *behavior; /* NULL: legacy path */
};

/* The scale subresource as read this sync. */
struct hpa_scale {
    int32_t spec_replicas;   /* "current replicas" for most of the arithmetic */
    int32_t status_replicas; /* per-pod Object and External targets divide by this */
};

/* The part of status the HPA keeps between syncs; in/out. */
struct hpa_status {
    int32_t current_replicas;
    int32_t desired_replicas;
    int has_last_scale_time;
    simtime last_scale_time;
    struct hpa_conditions conditions;
};

/* One metric's outcome (status.currentMetrics[i] plus what led to it). */
struct hpa_metric_status {
    int valid;        /* a proposal was computed */
    int32_t proposal; /* replicas this metric asks for */
    int has_utilization;
    int32_t utilization; /* current.averageUtilization */
    int has_average_value;
    int64_t average_value; /* current.averageValue, milli */
    int has_value;
    int64_t value;               /* current.value, milli */
    char name[HPA_MESSAGE_MAX];  /* "cpu resource utilization (percentage of request)" */
    char reason[HPA_REASON_MAX]; /* failed: FailedGetResourceMetric, ... */
    char condition_message[HPA_MESSAGE_MAX]; /* failed: the ScalingActive message */
    char error[HPA_MESSAGE_MAX]; /* failed: the error computeReplicasForMetric returns */
};

struct hpa_sync_out {
    int rescale;                  /* set scale.spec.replicas = desired */
    int32_t desired;              /* status.desiredReplicas (== current when not rescaling) */
    int metrics_computed;         /* the metrics were evaluated (not a min/max/disabled shortcut) */
    int32_t metric_desired;       /* largest valid proposal; -1 when the metrics blocked the sync */
    int32_t stabilized;           /* after stabilization, before the rate limits and min/max */
    char reason[HPA_MESSAGE_MAX]; /* the SuccessfulRescale reason */
    char error[HPA_MESSAGE_MAX];  /* the sync's error, "" when none */
    struct hpa_metric_status *metrics; /* caller's array of spec->nmetrics entries */
};

/*
 * tolerancesForHpa: the cluster tolerance in both directions, replaced per
 * direction by behavior.scale{Up,Down}.tolerance when the
 * HPAConfigurableTolerance gate is on.
 */
struct hpa_tolerances hpa_tolerances_for(const struct hpa_settings *s, const struct hpa_spec *spec);

/*
 * computeReplicasForMetric for spec->metrics[i]: fills *st and, on failure,
 * returns -1 (st->reason, st->condition_message and st->error say why).
 */
int hpa_compute_metric(const struct hpa_settings *s, const struct hpa_spec *spec, size_t i,
                       const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
                       const struct hpa_metric_input *in, simtime now,
                       struct hpa_metric_status *st);

/*
 * computeReplicasForMetrics: evaluates every metric into statuses[nmetrics],
 * sets ScalingActive in *conditions and returns the largest valid proposal,
 * or -1 when the metrics block the sync. error receives
 * "invalid metrics (N invalid out of M), first error is: ..." whenever a
 * metric failed (blocking or not), else "".
 */
int32_t hpa_compute_replicas(const struct hpa_settings *s, const struct hpa_spec *spec,
                             const struct hpa_scale *scale, const struct hpa_pod *pods,
                             size_t npods, const struct hpa_metric_input *inputs, simtime now,
                             struct hpa_metric_status *statuses, struct hpa_conditions *conditions,
                             char *metric_name, size_t namelen, char *error, size_t errlen);

/*
 * reconcileAutoscaler's arithmetic (see the top of this file). Returns 0, or
 * -1 when the sync reports an error (out->error), which happens both when the
 * metrics blocked it and when it scaled on the metrics that worked.
 */
int hpa_sync(const struct hpa_settings *s, const struct hpa_spec *spec,
             const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
             const struct hpa_metric_input *inputs, simtime now, struct hpa_history *history,
             struct hpa_status *status, struct hpa_sync_out *out);

#endif
