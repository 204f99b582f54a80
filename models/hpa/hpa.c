#include "models/hpa/hpa.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/base/xalloc.h"

/* snprintf for messages: a text longer than the buffer is cut, by design. */
static void msgf(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void msgf(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (strcmp(fmt, "%s") == 0) {
        /* The common case, a plain copy, without printf (syncs run by the million). */
        const char *src = va_arg(ap, const char *);
        size_t len = strlen(src);
        if (len >= n)
            len = n - 1;
        memmove(dst, src, len);
        dst[len] = '\0';
    } else {
        vsnprintf(dst, n, fmt, ap);
    }
    va_end(ap);
}

/* Concatenates up to three strings into dst, cut to fit: the hot messages without printf. */
static void join3(char *dst, size_t n, const char *a, const char *b, const char *c)
{
    const char *parts[3] = {a, b, c};
    size_t off = 0;
    for (int i = 0; i < 3 && parts[i]; i++) {
        size_t len = strlen(parts[i]);
        if (off + len >= n)
            len = n - 1 - off;
        memcpy(dst + off, parts[i], len);
        off += len;
    }
    dst[off] = '\0';
}

void hpa_settings_default(struct hpa_settings *s)
{
    /* pkg/controller/podautoscaler/config/v1alpha1/defaults.go and horizontal.go. */
    *s = (struct hpa_settings){
        .tolerance = 0.1,
        .cpu_initialization_period = 5 * SIMTIME_MIN,
        .initial_readiness_delay = 30 * SIMTIME_S,
        .downscale_stabilization_window = 5 * SIMTIME_MIN,
        .scale_up_limit_factor = 2.0,
        .scale_up_limit_minimum = 4.0,
        .configurable_tolerance = 1,
        .pod_level_resources = 1,
    };
}

/* Follows horizontal.go tolerancesForHpa. */
struct hpa_tolerances hpa_tolerances_for(const struct hpa_settings *s, const struct hpa_spec *spec)
{
    struct hpa_tolerances t = {s->tolerance, s->tolerance};
    const struct hpa_behavior *b = spec->behavior;
    if (!b || !s->configurable_tolerance)
        return t;
    if (b->scale_down && b->scale_down->has_tolerance)
        t.scale_down = b->scale_down->tolerance;
    if (b->scale_up && b->scale_up->has_tolerance)
        t.scale_up = b->scale_up->tolerance;
    return t;
}

static const char *sel(const struct hpa_metric_spec *m)
{
    return m->selector ? m->selector : "nil";
}

/* getUnableComputeReplicaCountCondition, kept in the metric's status. */
static void unable(struct hpa_metric_status *st, const char *reason, const char *cause)
{
    msgf(st->reason, sizeof st->reason, "%s", reason);
    msgf(st->condition_message, sizeof st->condition_message,
         "the HPA was unable to compute the replica count: %s", cause);
}

/* Follows horizontal.go computeStatusForResourceMetricGeneric and
 * computeStatusForResourceMetric / computeStatusForContainerResourceMetric. */
static int resource_metric(const struct hpa_calculator *c, const struct hpa_metric_spec *m,
                           const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
                           struct hpa_tolerances t, const struct hpa_metric_input *in,
                           struct hpa_metric_status *st)
{
    int container = m->type == HPA_METRIC_CONTAINER_RESOURCE;
    const char *reason = container ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    char cause[HPA_MESSAGE_MAX], err[HPA_MESSAGE_MAX];
    struct hpa_replicas_result r;
    int rc;
    if (m->target_type == HPA_TARGET_AVERAGE_VALUE) {
        rc = hpa_replicas_raw_resource(c, pods, npods, scale->spec_replicas, m, t, in, &r, err,
                                       sizeof err);
        if (rc == 0) {
            join3(st->name, sizeof st->name, m->name, " resource", NULL);
            st->has_average_value = 1;
            st->average_value = r.usage;
        } else {
            msgf(cause, sizeof cause, "failed to get %s usage: %s", m->name, err);
        }
    } else if (m->target_type != HPA_TARGET_UTILIZATION) {
        rc = -1;
        msgf(cause, sizeof cause,
             "invalid resource metric source: neither an average utilization target nor an "
             "average value (usage) target was set");
    } else {
        rc = hpa_replicas_resource(c, pods, npods, scale->spec_replicas, m, t, in, &r, err,
                                   sizeof err);
        if (rc == 0) {
            join3(st->name, sizeof st->name, m->name, container ? " container" : "",
                  " resource utilization (percentage of request)");
            st->has_utilization = 1;
            st->utilization = r.utilization;
            st->has_average_value = 1;
            st->average_value = r.usage;
        } else {
            msgf(cause, sizeof cause, "failed to get %s utilization: %s", m->name, err);
        }
    }
    if (rc < 0) {
        unable(st, reason, cause);
        if (container)
            msgf(st->error, sizeof st->error, "failed to get %s container metric value: %s",
                 m->container, cause);
        else
            msgf(st->error, sizeof st->error, "failed to get %s resource metric value: %s", m->name,
                 cause);
        return -1;
    }
    st->proposal = r.replicas;
    return 0;
}

/* Follows horizontal.go computeStatusForPodsMetric. */
static int pods_metric(const struct hpa_calculator *c, const struct hpa_metric_spec *m,
                       const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
                       struct hpa_tolerances t, const struct hpa_metric_input *in,
                       struct hpa_metric_status *st)
{
    char err[HPA_MESSAGE_MAX];
    struct hpa_replicas_result r;
    int rc;
    if (m->target_type != HPA_TARGET_AVERAGE_VALUE) {
        /* API validation requires averageValue; upstream would dereference nil. */
        rc = -1;
        msgf(err, sizeof err, "invalid pods metric source: no average value target was set");
    } else {
        rc = hpa_replicas_pods(c, pods, npods, scale->spec_replicas, m, t, in, &r, err, sizeof err);
    }
    if (rc < 0) {
        unable(st, "FailedGetPodsMetric", err);
        msgf(st->error, sizeof st->error, "failed to get pods metric value: %s", err);
        return -1;
    }
    join3(st->name, sizeof st->name, "pods metric ", m->name, NULL);
    st->has_average_value = 1;
    st->average_value = r.usage;
    st->proposal = r.replicas;
    return 0;
}

/* Follows horizontal.go computeStatusForObjectMetric. */
static int object_metric(const struct hpa_calculator *c, const struct hpa_metric_spec *m,
                         const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
                         struct hpa_tolerances t, const struct hpa_metric_input *in,
                         struct hpa_metric_status *st)
{
    char err[HPA_MESSAGE_MAX], outer[HPA_MESSAGE_MAX];
    struct hpa_replicas_result r;
    if (m->target_type == HPA_TARGET_VALUE) {
        if (hpa_replicas_object(c, pods, npods, scale->spec_replicas, m, t, in, &r, err,
                                sizeof err) < 0) {
            unable(st, "FailedGetObjectMetric", err);
            msgf(outer, sizeof outer, "%s", err);
            goto fail;
        }
        msgf(st->name, sizeof st->name, "%s metric %s", m->object_kind, m->name);
        st->has_value = 1;
        st->value = r.usage;
    } else if (m->target_type == HPA_TARGET_AVERAGE_VALUE) {
        if (hpa_replicas_object_per_pod(c, scale->status_replicas, m, t, in, &r, err, sizeof err) <
            0) {
            unable(st, "FailedGetObjectMetric", err);
            msgf(outer, sizeof outer, "failed to get %s object metric: %s", m->name, err);
            goto fail;
        }
        /* Upstream names it an external metric. */
        msgf(st->name, sizeof st->name, "external metric %s(%s)", m->name, sel(m));
        st->has_average_value = 1;
        st->average_value = r.usage;
    } else {
        msgf(outer, sizeof outer,
             "invalid object metric source: neither a value target nor an average value "
             "target was set");
        unable(st, "FailedGetObjectMetric", outer);
        goto fail;
    }
    st->proposal = r.replicas;
    return 0;
fail:
    msgf(st->error, sizeof st->error, "failed to get object metric value: %s", outer);
    return -1;
}

/* Follows horizontal.go computeStatusForExternalMetric. */
static int external_metric(const struct hpa_calculator *c, const struct hpa_metric_spec *m,
                           const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
                           struct hpa_tolerances t, const struct hpa_metric_input *in,
                           struct hpa_metric_status *st)
{
    char err[HPA_MESSAGE_MAX], outer[HPA_MESSAGE_MAX];
    struct hpa_replicas_result r;
    if (m->target_type == HPA_TARGET_AVERAGE_VALUE) {
        if (hpa_replicas_external_per_pod(c, scale->status_replicas, m, t, in, &r, err,
                                          sizeof err) < 0) {
            unable(st, "FailedGetExternalMetric", err);
            msgf(outer, sizeof outer, "failed to get %s external metric: %s", m->name, err);
            goto fail;
        }
        st->has_average_value = 1;
        st->average_value = r.usage;
    } else if (m->target_type == HPA_TARGET_VALUE) {
        if (hpa_replicas_external(c, pods, npods, scale->spec_replicas, m, t, in, &r, err,
                                  sizeof err) < 0) {
            unable(st, "FailedGetExternalMetric", err);
            msgf(outer, sizeof outer, "failed to get external metric %s: %s", m->name, err);
            goto fail;
        }
        st->has_value = 1;
        st->value = r.usage;
    } else {
        msgf(outer, sizeof outer,
             "invalid external metric source: neither a value target nor an average value "
             "target was set");
        unable(st, "FailedGetExternalMetric", outer);
        goto fail;
    }
    msgf(st->name, sizeof st->name, "external metric %s(%s)", m->name, sel(m));
    st->proposal = r.replicas;
    return 0;
fail:
    msgf(st->error, sizeof st->error, "failed to get %s external metric value: %s", m->name, outer);
    return -1;
}

/* Follows horizontal.go computeReplicasForMetric. */
int hpa_compute_metric(const struct hpa_settings *s, const struct hpa_spec *spec, size_t i,
                       const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
                       const struct hpa_metric_input *in, simtime now, struct hpa_metric_status *st)
{
    const struct hpa_metric_spec *m = &spec->metrics[i];
    struct hpa_calculator c = {
        .now = now,
        .cpu_initialization_period = s->cpu_initialization_period,
        .initial_readiness_delay = s->initial_readiness_delay,
        .pod_level_resources = s->pod_level_resources,
        .namespace_name = spec->namespace_name ? spec->namespace_name : "",
    };
    struct hpa_tolerances t = hpa_tolerances_for(s, spec);
    memset(st, 0, sizeof *st);
    int rc;
    switch (m->type) {
    case HPA_METRIC_RESOURCE:
    case HPA_METRIC_CONTAINER_RESOURCE:
        rc = resource_metric(&c, m, scale, pods, npods, t, in, st);
        break;
    case HPA_METRIC_PODS:
        rc = pods_metric(&c, m, scale, pods, npods, t, in, st);
        break;
    case HPA_METRIC_OBJECT:
        rc = object_metric(&c, m, scale, pods, npods, t, in, st);
        break;
    case HPA_METRIC_EXTERNAL:
        rc = external_metric(&c, m, scale, pods, npods, t, in, st);
        break;
    default:
        /* Unreachable behind API validation; upstream still handles it. */
        msgf(st->error, sizeof st->error, "unknown metric source type \"%s\"",
             m->type_name ? m->type_name : "");
        unable(st, "InvalidMetricSourceType", st->error);
        rc = -1;
        break;
    }
    st->valid = rc == 0;
    if (rc < 0)
        st->proposal = 0;
    return rc;
}

/* Follows horizontal.go computeReplicasForMetrics. */
int32_t hpa_compute_replicas(const struct hpa_settings *s, const struct hpa_spec *spec,
                             const struct hpa_scale *scale, const struct hpa_pod *pods,
                             size_t npods, const struct hpa_metric_input *inputs, simtime now,
                             struct hpa_metric_status *statuses, struct hpa_conditions *conditions,
                             char *metric_name, size_t namelen, char *error, size_t errlen)
{
    if (spec->nmetrics == 0)
        BUG("an HPA spec without metrics (API defaulting adds cpu at 80%)");
    int32_t replicas = 0;
    size_t invalid = 0;
    const struct hpa_metric_status *first_invalid = NULL;
    const struct hpa_metric_status *chosen = NULL;
    for (size_t i = 0; i < spec->nmetrics; i++) {
        struct hpa_metric_status *st = &statuses[i];
        if (hpa_compute_metric(s, spec, i, scale, pods, npods, &inputs[i], now, st) < 0) {
            if (invalid == 0)
                first_invalid = st;
            invalid++;
            continue;
        }
        if (replicas == 0 || st->proposal > replicas) {
            replicas = st->proposal;
            chosen = st;
        }
    }
    msgf(metric_name, namelen, "%s", chosen ? chosen->name : "");
    error[0] = '\0';
    if (first_invalid)
        msgf(error, errlen, "invalid metrics (%zu invalid out of %zu), first error is: %s", invalid,
             spec->nmetrics, first_invalid->error);

    /* All metrics failed, or some failed and the rest would scale down. */
    if (invalid >= spec->nmetrics || (invalid > 0 && replicas < scale->spec_replicas)) {
        hpa_conditions_set(conditions, HPA_SCALING_ACTIVE, HPA_CONDITION_FALSE,
                           first_invalid->reason, now, "%s", first_invalid->condition_message);
        return -1;
    }
    char text[HPA_MESSAGE_MAX];
    join3(text, sizeof text, "the HPA was able to successfully calculate a replica count from ",
          metric_name, NULL);
    hpa_conditions_set(conditions, HPA_SCALING_ACTIVE, HPA_CONDITION_TRUE, "ValidMetricFound", now,
                       "%s", text);
    return replicas;
}

/* Follows horizontal.go normalizeDesiredReplicas. */
static int32_t normalize_legacy(const struct hpa_settings *s, const struct hpa_spec *spec,
                                struct hpa_history *h, struct hpa_conditions *cond, int32_t current,
                                int32_t desired, int32_t min, simtime now, int32_t *stabilized_out)
{
    int32_t stabilized =
        hpa_behavior_stabilize_legacy(h, desired, s->downscale_stabilization_window, now);
    *stabilized_out = stabilized;
    if (stabilized != desired)
        hpa_conditions_set(cond, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "ScaleDownStabilized", now,
                           "recent recommendations were higher than current one, applying the "
                           "highest recent recommendation");
    else
        hpa_conditions_set(cond, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "ReadyForNewScale", now,
                           "recommended size matches current size");
    const char *reason, *message;
    int32_t out = hpa_behavior_convert_legacy(current, stabilized, min, spec->max_replicas,
                                              s->scale_up_limit_factor, s->scale_up_limit_minimum,
                                              &reason, &message);
    hpa_conditions_set(cond, HPA_SCALING_LIMITED,
                       out == stabilized ? HPA_CONDITION_FALSE : HPA_CONDITION_TRUE, reason, now,
                       "%s", message);
    return out;
}

/* Follows horizontal.go normalizeDesiredReplicasWithBehaviors. */
static int32_t normalize_behavior(const struct hpa_spec *spec, const struct hpa_scaling_rules *up,
                                  const struct hpa_scaling_rules *down, struct hpa_history *h,
                                  struct hpa_conditions *cond, int32_t current, int32_t desired,
                                  int32_t min, simtime now, int32_t *stabilized_out)
{
    struct hpa_normalization a = {
        .min_replicas = min,
        .max_replicas = spec->max_replicas,
        .current = current,
        .desired = desired,
        .scale_up = up,
        .scale_down = down,
    };
    const char *reason, *message;
    int32_t stabilized = hpa_behavior_stabilize(h, &a, now, &reason, &message);
    *stabilized_out = stabilized;
    a.desired = stabilized;
    if (stabilized != desired)
        hpa_conditions_set(cond, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, reason, now, "%s", message);
    else
        hpa_conditions_set(cond, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "ReadyForNewScale", now,
                           "recommended size matches current size");
    int32_t out = hpa_behavior_rate_limit(h, &a, now, &reason, &message);
    hpa_conditions_set(cond, HPA_SCALING_LIMITED,
                       out == stabilized ? HPA_CONDITION_FALSE : HPA_CONDITION_TRUE, reason, now,
                       "%s", message);
    return out;
}

/* Follows horizontal.go reconcileAutoscaler (after the scale was read). */
int hpa_sync(const struct hpa_settings *s, const struct hpa_spec *spec,
             const struct hpa_scale *scale, const struct hpa_pod *pods, size_t npods,
             const struct hpa_metric_input *inputs, simtime now, struct hpa_history *history,
             struct hpa_status *status, struct hpa_sync_out *out)
{
    struct hpa_conditions *cond = &status->conditions;
    out->rescale = 0;
    out->metrics_computed = 0;
    out->metric_desired = 0;
    out->stabilized = 0;
    out->reason[0] = '\0';
    out->error[0] = '\0';
    for (size_t i = 0; i < spec->nmetrics; i++)
        memset(&out->metrics[i], 0, sizeof out->metrics[i]);

    hpa_conditions_set(cond, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "SucceededGetScale", now,
                       "the HPA controller was able to get the target's current scale");
    int32_t current = scale->spec_replicas;
    if (!history->initialized)
        hpa_history_add_recommendation(history, current, now);

    int32_t min = spec->has_min_replicas ? spec->min_replicas : 1;
    int32_t desired = 0;
    int rescale = 1;
    if (current == 0 && min != 0) {
        /* Autoscaling is disabled for this resource. */
        rescale = 0;
        hpa_conditions_set(cond, HPA_SCALING_ACTIVE, HPA_CONDITION_FALSE, "ScalingDisabled", now,
                           "scaling is disabled since the replica count of the target is zero");
    } else if (current > spec->max_replicas) {
        msgf(out->reason, sizeof out->reason, "Current number of replicas above Spec.MaxReplicas");
        desired = spec->max_replicas;
    } else if (current < min) {
        msgf(out->reason, sizeof out->reason, "Current number of replicas below Spec.MinReplicas");
        desired = min;
    } else {
        char metric[HPA_MESSAGE_MAX];
        out->metrics_computed = 1;
        int32_t metric_desired =
            hpa_compute_replicas(s, spec, scale, pods, npods, inputs, now, out->metrics, cond,
                                 metric, sizeof metric, out->error, sizeof out->error);
        out->metric_desired = metric_desired;
        if (metric_desired == -1 && out->error[0]) {
            /* No scaling this sync; status.desiredReplicas stays as it was. */
            status->current_replicas = current;
            out->desired = status->desired_replicas;
            return -1;
        }
        const char *rescale_metric = "";
        if (metric_desired > desired) {
            desired = metric_desired;
            rescale_metric = metric;
        }
        if (desired > current)
            msgf(out->reason, sizeof out->reason, "%s above target", rescale_metric);
        if (desired < current)
            msgf(out->reason, sizeof out->reason, "All metrics below target");
        if (!spec->behavior) {
            desired = normalize_legacy(s, spec, history, cond, current, desired, min, now,
                                       &out->stabilized);
        } else {
            struct hpa_scaling_rules up, down;
            hpa_behavior_scale_up_rules(spec->behavior->scale_up, &up);
            hpa_behavior_scale_down_rules(spec->behavior->scale_down,
                                          s->downscale_stabilization_window, &down);
            desired = normalize_behavior(spec, &up, &down, history, cond, current, desired, min,
                                         now, &out->stabilized);
        }
        rescale = desired != current;
    }

    if (rescale) {
        hpa_conditions_set(cond, HPA_ABLE_TO_SCALE, HPA_CONDITION_TRUE, "SucceededRescale", now,
                           "the HPA controller was able to update the target scale to %d",
                           (int)desired);
        if (spec->behavior) {
            struct hpa_scaling_rules up, down;
            hpa_behavior_scale_up_rules(spec->behavior->scale_up, &up);
            hpa_behavior_scale_down_rules(spec->behavior->scale_down,
                                          s->downscale_stabilization_window, &down);
            struct hpa_behavior filled = {&up, &down};
            hpa_behavior_store_event(history, &filled, current, desired, now);
        }
        status->has_last_scale_time = 1;
        status->last_scale_time = now;
    } else {
        desired = current;
    }
    out->rescale = rescale;
    out->desired = desired;
    status->current_replicas = current;
    status->desired_replicas = desired;
    return out->error[0] ? -1 : 0;
}
