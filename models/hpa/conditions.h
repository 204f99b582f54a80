#ifndef KSIM_MODELS_HPA_CONDITIONS_H
#define KSIM_MODELS_HPA_CONDITIONS_H
/*
 * status.conditions of a HorizontalPodAutoscaler: a list keyed by type, in
 * the order each type was first set. Follows horizontal.go setCondition /
 * setConditionInList: setting an existing type overwrites reason and message
 * in place and moves lastTransitionTime only when the status changes; a new
 * type is appended. The list persists with the HPA's status between syncs,
 * so the caller keeps it and passes it back every sync.
 *
 * Reasons are upstream's constants, e.g. AbleToScale: SucceededGetScale,
 * ReadyForNewScale, ScaleUpStabilized, ScaleDownStabilized, SucceededRescale;
 * ScalingActive: ValidMetricFound, ScalingDisabled, FailedGetResourceMetric,
 * FailedGetContainerResourceMetric, FailedGetPodsMetric,
 * FailedGetObjectMetric, FailedGetExternalMetric, InvalidMetricSourceType;
 * ScalingLimited: DesiredWithinRange, TooFewReplicas, TooManyReplicas,
 * ScaleUpLimit, ScaleDownLimit.
 */
#include <stddef.h>

#include "sim/engine/simtime.h"

#define HPA_MESSAGE_MAX 512
#define HPA_REASON_MAX  48

enum hpa_condition_type {
    HPA_ABLE_TO_SCALE,
    HPA_SCALING_ACTIVE,
    HPA_SCALING_LIMITED,
};

enum hpa_condition_status {
    HPA_CONDITION_TRUE,
    HPA_CONDITION_FALSE,
    HPA_CONDITION_UNKNOWN,
};

struct hpa_condition {
    enum hpa_condition_type type;
    enum hpa_condition_status status;
    char reason[HPA_REASON_MAX];
    char message[HPA_MESSAGE_MAX];
    simtime last_transition;
};

/* At most one condition per type. */
struct hpa_conditions {
    struct hpa_condition items[3];
    size_t n;
};

/* Sets (or appends) the condition of that type; message is a printf format. */
void hpa_conditions_set(struct hpa_conditions *l, enum hpa_condition_type type,
                        enum hpa_condition_status status, const char *reason, simtime now,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The condition of that type, or NULL. */
const struct hpa_condition *hpa_conditions_find(const struct hpa_conditions *l,
                                                enum hpa_condition_type type);

/* "AbleToScale", "ScalingActive", "ScalingLimited". */
const char *hpa_condition_type_name(enum hpa_condition_type type);
/* "True", "False", "Unknown". */
const char *hpa_condition_status_name(enum hpa_condition_status status);

#endif
