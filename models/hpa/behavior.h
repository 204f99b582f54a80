#ifndef KSIM_MODELS_HPA_BEHAVIOR_H
#define KSIM_MODELS_HPA_BEHAVIOR_H
/*
 * From the metrics' proposal to the replica count the HPA sets: stabilization
 * over the recommendation history, rate limits over the scale events, and the
 * min/max clamp. Two paths, as in pkg/controller/podautoscaler/horizontal.go:
 *
 *   spec.behavior == nil (legacy)          spec.behavior set
 *   normalizeDesiredReplicas               normalizeDesiredReplicasWithBehaviors
 *     stabilizeRecommendation:               stabilizeRecommendationWithBehaviors:
 *       max over the downscale window          current clamped into
 *                                              [min over up window, max over down window]
 *     convertDesiredReplicasWithRules:       convertDesiredReplicasWithBehaviorRate:
 *       up to max(factor x current,            Pods/Percent policies per period,
 *       minimum) per sync, then [min, max]     selectPolicy Max/Min/Disabled, then [min, max]
 *
 * Both record the unstabilized proposal in the history. After a successful
 * rescale, hpa_behavior_store_event records the scale event (behavior path
 * only). Times are simtime microseconds; window and period lengths are
 * seconds as in the API. Comparisons are strict as upstream's
 * time.Before/After: an entry exactly at a cutoff is neither old nor inside
 * the behavior windows, but it does count in the legacy window.
 *
 * The functions return the reason upstream gives the condition it sets next
 * (AbleToScale or ScalingLimited) and its message, both static strings.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

struct hpa_history;
struct hpa_scale_event;

enum hpa_policy_type {
    HPA_POLICY_PODS,
    HPA_POLICY_PERCENT,
};

enum hpa_select_policy {
    HPA_SELECT_MAX, /* the policy allowing the largest change (default) */
    HPA_SELECT_MIN, /* the policy allowing the smallest change */
    HPA_SELECT_DISABLED,
};

/* HPAScalingPolicy */
struct hpa_scaling_policy {
    enum hpa_policy_type type;
    int32_t value;
    int32_t period_seconds;
};

/* HPAScalingRules; has_* mark fields that are set (non-nil pointers in Go). */
struct hpa_scaling_rules {
    int has_stabilization_window;
    int32_t stabilization_window_seconds;
    int has_select_policy;
    enum hpa_select_policy select_policy;
    int has_policies;
    const struct hpa_scaling_policy *policies; /* caller-owned */
    size_t npolicies;
    int has_tolerance;
    double tolerance; /* Quantity.AsApproximateFloat64() */
};

/* HorizontalPodAutoscalerBehavior; NULL rules are unset. */
struct hpa_behavior {
    const struct hpa_scaling_rules *scale_up;
    const struct hpa_scaling_rules *scale_down;
};

/*
 * pkg/apis/autoscaling/v2/defaults.go GenerateHPAScaleUpRules: every unset
 * field of in (which may be NULL) from the default {stabilization 0, Max,
 * [Pods 4 per 15s, Percent 100 per 15s]}. out->policies may point at static
 * defaults or at in's array.
 */
void hpa_behavior_scale_up_rules(const struct hpa_scaling_rules *in, struct hpa_scaling_rules *out);

/*
 * GenerateHPAScaleDownRules (default {Max, [Percent 100 per 15s]}) followed by
 * the controller's maybeInitScaleDownStabilizationWindow: an unset window
 * becomes int32(downscale_window.Seconds()).
 */
void hpa_behavior_scale_down_rules(const struct hpa_scaling_rules *in, simtime downscale_window,
                                   struct hpa_scaling_rules *out);

/* NormalizationArg, with both rules fully defaulted. */
struct hpa_normalization {
    int32_t min_replicas;
    int32_t max_replicas;
    int32_t current;
    int32_t desired;
    const struct hpa_scaling_rules *scale_up;
    const struct hpa_scaling_rules *scale_down;
};

/*
 * stabilizeRecommendationWithBehaviors: returns current clamped into
 * [min of recommendations newer than the up window, max of those newer than
 * the down window] (both including a->desired), and records a->desired at
 * now, overwriting the last recommendation older than both windows or
 * appending. reason: "ScaleUpStabilized" when desired >= current, else
 * "ScaleDownStabilized" (used only when the result differs from desired).
 */
int32_t hpa_behavior_stabilize(struct hpa_history *h, const struct hpa_normalization *a,
                               simtime now, const char **reason, const char **message);

/*
 * convertDesiredReplicasWithBehaviorRate: limits a->desired by the scale-up
 * or scale-down policies over the scale events and by max/min. Reasons:
 * ScaleUpLimit, TooManyReplicas, ScaleDownLimit, TooFewReplicas,
 * DesiredWithinRange.
 */
int32_t hpa_behavior_rate_limit(const struct hpa_history *h, const struct hpa_normalization *a,
                                simtime now, const char **reason, const char **message);

/* getReplicasChangePerPeriod: sum of the changes of events newer than now - period. */
int32_t hpa_behavior_change_in_period(int32_t period_seconds, const struct hpa_scale_event *ev,
                                      size_t n, simtime now);

/* calculateScaleUpLimitWithScalingRules */
int32_t hpa_behavior_scale_up_limit(int32_t current, const struct hpa_history *h,
                                    const struct hpa_scaling_rules *rules, simtime now);

/* calculateScaleDownLimitWithBehaviors */
int32_t hpa_behavior_scale_down_limit(int32_t current, const struct hpa_history *h,
                                      const struct hpa_scaling_rules *rules, simtime now);

/*
 * storeScaleEvent: b == NULL (no behavior) stores nothing. Otherwise marks the
 * events of the direction older than its longest policy period as outdated
 * and overwrites the last outdated one with {|next - prev|, now}, or appends.
 * The direction's rules must be set (defaulted).
 */
void hpa_behavior_store_event(struct hpa_history *h, const struct hpa_behavior *b, int32_t prev,
                              int32_t next, simtime now);

/*
 * stabilizeRecommendation (legacy): the max of desired and every
 * recommendation not older than now - window; records desired at now,
 * overwriting the last older recommendation or appending.
 */
int32_t hpa_behavior_stabilize_legacy(struct hpa_history *h, int32_t desired, simtime window,
                                      simtime now);

/*
 * convertDesiredReplicasWithRules (legacy): scale-up limited to
 * int32(max(factor x current, minimum)), then [min, max]. Reasons:
 * TooFewReplicas, ScaleUpLimit, TooManyReplicas, DesiredWithinRange.
 */
int32_t hpa_behavior_convert_legacy(int32_t current, int32_t desired, int32_t min_replicas,
                                    int32_t max_replicas, double factor, double minimum,
                                    const char **reason, const char **message);

#endif
