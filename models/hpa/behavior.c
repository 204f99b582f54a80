#include "models/hpa/behavior.h"

#include <math.h>

#include "models/hpa/history.h"
#include "models/hpa/replicas.h"
#include "sim/base/xalloc.h"

/* pkg/apis/autoscaling/v2/defaults.go: defaultHPAScaleUpRules / DownRules. */
static const struct hpa_scaling_policy default_up_policies[] = {
    {HPA_POLICY_PODS, 4, 15},
    {HPA_POLICY_PERCENT, 100, 15},
};

static const struct hpa_scaling_policy default_down_policies[] = {
    {HPA_POLICY_PERCENT, 100, 15},
};

/* Follows defaults.go copyHPAScalingRules: every set field of from wins. */
static void copy_rules(const struct hpa_scaling_rules *from, struct hpa_scaling_rules *to)
{
    if (!from)
        return;
    if (from->has_select_policy) {
        to->has_select_policy = 1;
        to->select_policy = from->select_policy;
    }
    if (from->has_stabilization_window) {
        to->has_stabilization_window = 1;
        to->stabilization_window_seconds = from->stabilization_window_seconds;
    }
    if (from->has_policies) {
        to->has_policies = 1;
        to->policies = from->policies;
        to->npolicies = from->npolicies;
    }
    if (from->has_tolerance) {
        to->has_tolerance = 1;
        to->tolerance = from->tolerance;
    }
}

/* Follows defaults.go GenerateHPAScaleUpRules. */
void hpa_behavior_scale_up_rules(const struct hpa_scaling_rules *in, struct hpa_scaling_rules *out)
{
    *out = (struct hpa_scaling_rules){
        .has_stabilization_window = 1,
        .stabilization_window_seconds = 0,
        .has_select_policy = 1,
        .select_policy = HPA_SELECT_MAX,
        .has_policies = 1,
        .policies = default_up_policies,
        .npolicies = sizeof default_up_policies / sizeof default_up_policies[0],
    };
    copy_rules(in, out);
}

/* Follows defaults.go GenerateHPAScaleDownRules and horizontal.go
 * maybeInitScaleDownStabilizationWindow. */
void hpa_behavior_scale_down_rules(const struct hpa_scaling_rules *in, simtime downscale_window,
                                   struct hpa_scaling_rules *out)
{
    *out = (struct hpa_scaling_rules){
        .has_select_policy = 1,
        .select_policy = HPA_SELECT_MAX,
        .has_policies = 1,
        .policies = default_down_policies,
        .npolicies = sizeof default_down_policies / sizeof default_down_policies[0],
    };
    copy_rules(in, out);
    if (!out->has_stabilization_window) {
        /* (int32)(d.Seconds()): float seconds, truncated. */
        out->has_stabilization_window = 1;
        out->stabilization_window_seconds = hpa_go_int32(
            (double)(downscale_window / SIMTIME_S) + (double)(downscale_window % SIMTIME_S) / 1e6);
    }
}

static simtime seconds(int32_t s)
{
    return (simtime)s * SIMTIME_S;
}

static int32_t window_of(const struct hpa_scaling_rules *r)
{
    if (!r || !r->has_stabilization_window)
        BUG("stabilization window of undefaulted scaling rules");
    return r->stabilization_window_seconds;
}

/* Follows horizontal.go stabilizeRecommendationWithBehaviors. */
int32_t hpa_behavior_stabilize(struct hpa_history *h, const struct hpa_normalization *a,
                               simtime now, const char **reason, const char **message)
{
    int32_t up_rec = a->desired;
    simtime up_cutoff = now - seconds(window_of(a->scale_up));
    int32_t down_rec = a->desired;
    simtime down_cutoff = now - seconds(window_of(a->scale_down));
    int found_old = 0;
    size_t old = 0;

    for (size_t i = 0; i < h->nrecs; i++) {
        const struct hpa_recommendation *r = &h->recs[i];
        if (r->time > up_cutoff && r->replicas < up_rec)
            up_rec = r->replicas;
        if (r->time > down_cutoff && r->replicas > down_rec)
            down_rec = r->replicas;
        if (r->time < up_cutoff && r->time < down_cutoff) {
            found_old = 1;
            old = i;
        }
    }

    /* Bring the current count within the limits. */
    int32_t rec = a->current;
    if (rec < up_rec)
        rec = up_rec;
    if (rec > down_rec)
        rec = down_rec;

    if (found_old) {
        h->recs[old] = (struct hpa_recommendation){a->desired, now};
        h->initialized = 1;
    } else {
        hpa_history_add_recommendation(h, a->desired, now);
    }

    if (a->desired >= a->current) {
        *reason = "ScaleUpStabilized";
        *message = "recent recommendations were lower than current one, applying the lowest "
                   "recent recommendation";
    } else {
        *reason = "ScaleDownStabilized";
        *message = "recent recommendations were higher than current one, applying the highest "
                   "recent recommendation";
    }
    return rec;
}

/* Follows horizontal.go getReplicasChangePerPeriod. */
int32_t hpa_behavior_change_in_period(int32_t period_seconds, const struct hpa_scale_event *ev,
                                      size_t n, simtime now)
{
    simtime cutoff = now - seconds(period_seconds);
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].time > cutoff)
            sum += (uint32_t)ev[i].change;
    return (int32_t)sum;
}

static int32_t min32(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

/* The replica count at the start of the policy's period. */
static int32_t period_start(int32_t current, const struct hpa_history *h, int32_t period,
                            simtime now)
{
    int32_t added = hpa_behavior_change_in_period(period, h->up, h->nup, now);
    int32_t deleted = hpa_behavior_change_in_period(period, h->down, h->ndown, now);
    return (int32_t)((uint32_t)current - (uint32_t)added + (uint32_t)deleted);
}

static enum hpa_select_policy select_of(const struct hpa_scaling_rules *r)
{
    if (!r || !r->has_select_policy)
        BUG("select policy of undefaulted scaling rules");
    return r->select_policy;
}

/* Follows horizontal.go calculateScaleUpLimitWithScalingRules. */
int32_t hpa_behavior_scale_up_limit(int32_t current, const struct hpa_history *h,
                                    const struct hpa_scaling_rules *rules, simtime now)
{
    enum hpa_select_policy sel = select_of(rules);
    if (sel == HPA_SELECT_DISABLED)
        return current;
    /* For scaling up, the smallest change ('Min') is the lowest limit. */
    int32_t result = sel == HPA_SELECT_MIN ? INT32_MAX : INT32_MIN;
    for (size_t i = 0; i < rules->npolicies; i++) {
        const struct hpa_scaling_policy *p = &rules->policies[i];
        int32_t start = period_start(current, h, p->period_seconds, now);
        int32_t proposed;
        if (p->type == HPA_POLICY_PODS)
            proposed = (int32_t)((uint32_t)start + (uint32_t)p->value);
        else /* Rounded up, or a small percentage could never add a pod. */
            proposed = hpa_go_int32(ceil((double)start * (1 + (double)p->value / 100)));
        result = sel == HPA_SELECT_MIN ? min32(result, proposed) : max32(result, proposed);
    }
    return result;
}

/* Follows horizontal.go calculateScaleDownLimitWithBehaviors. */
int32_t hpa_behavior_scale_down_limit(int32_t current, const struct hpa_history *h,
                                      const struct hpa_scaling_rules *rules, simtime now)
{
    enum hpa_select_policy sel = select_of(rules);
    if (sel == HPA_SELECT_DISABLED)
        return current;
    /* For scaling down, the smallest change ('Min') is the highest floor. */
    int32_t result = sel == HPA_SELECT_MIN ? INT32_MIN : INT32_MAX;
    for (size_t i = 0; i < rules->npolicies; i++) {
        const struct hpa_scaling_policy *p = &rules->policies[i];
        int32_t start = period_start(current, h, p->period_seconds, now);
        int32_t proposed;
        if (p->type == HPA_POLICY_PODS)
            proposed = (int32_t)((uint32_t)start - (uint32_t)p->value);
        else /* Truncated toward zero by the conversion. */
            proposed = hpa_go_int32((double)start * (1 - (double)p->value / 100));
        result = sel == HPA_SELECT_MIN ? max32(result, proposed) : min32(result, proposed);
    }
    return result;
}

/* Follows horizontal.go convertDesiredReplicasWithBehaviorRate. */
int32_t hpa_behavior_rate_limit(const struct hpa_history *h, const struct hpa_normalization *a,
                                simtime now, const char **reason, const char **message)
{
    if (a->desired > a->current) {
        int32_t limit = hpa_behavior_scale_up_limit(a->current, h, a->scale_up, now);
        /* No further scale-up until the recent events age out. */
        if (limit < a->current)
            limit = a->current;
        int32_t max_allowed = a->max_replicas;
        if (max_allowed > limit) {
            max_allowed = limit;
            *reason = "ScaleUpLimit";
            *message = "the desired replica count is increasing faster than the maximum scale rate";
        } else {
            *reason = "TooManyReplicas";
            *message = "the desired replica count is more than the maximum replica count";
        }
        if (a->desired > max_allowed)
            return max_allowed;
    } else if (a->desired < a->current) {
        int32_t limit = hpa_behavior_scale_down_limit(a->current, h, a->scale_down, now);
        if (limit > a->current)
            limit = a->current;
        int32_t min_allowed = a->min_replicas;
        if (min_allowed < limit) {
            min_allowed = limit;
            *reason = "ScaleDownLimit";
            *message = "the desired replica count is decreasing faster than the maximum scale rate";
        } else {
            *reason = "TooFewReplicas";
            *message = "the desired replica count is less than the minimum replica count";
        }
        if (a->desired < min_allowed)
            return min_allowed;
    }
    *reason = "DesiredWithinRange";
    *message = "the desired count is within the acceptable range";
    return a->desired;
}

static int32_t longest_period(const struct hpa_scaling_rules *r)
{
    int32_t longest = 0;
    for (size_t i = 0; i < r->npolicies; i++)
        if (r->policies[i].period_seconds > longest)
            longest = r->policies[i].period_seconds;
    return longest;
}

/* Follows horizontal.go storeScaleEvent and markScaleEventsOutdated. */
void hpa_behavior_store_event(struct hpa_history *h, const struct hpa_behavior *b, int32_t prev,
                              int32_t next, simtime now)
{
    if (!b)
        return; /* no behavior: the events would never be read */
    int up = next > prev;
    const struct hpa_scaling_rules *rules = up ? b->scale_up : b->scale_down;
    if (!rules)
        BUG("storing a scale event without the direction's scaling rules");
    struct hpa_scale_event *ev = up ? h->up : h->down;
    size_t n = up ? h->nup : h->ndown;
    simtime cutoff = now - seconds(longest_period(rules));
    int found_old = 0;
    size_t old = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].time < cutoff)
            ev[i].outdated = 1;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].outdated) {
            found_old = 1;
            old = i;
        }
    }
    int32_t change = up ? (int32_t)((uint32_t)next - (uint32_t)prev)
                        : (int32_t)((uint32_t)prev - (uint32_t)next);
    if (found_old)
        ev[old] = (struct hpa_scale_event){change, now, 0};
    else
        hpa_history_add_event(h, up, change, now, 0);
}

/* Follows horizontal.go stabilizeRecommendation. */
int32_t hpa_behavior_stabilize_legacy(struct hpa_history *h, int32_t desired, simtime window,
                                      simtime now)
{
    int32_t max = desired;
    int found_old = 0;
    size_t old = 0;
    simtime cutoff = now - window;
    for (size_t i = 0; i < h->nrecs; i++) {
        if (h->recs[i].time < cutoff) {
            found_old = 1;
            old = i;
        } else if (h->recs[i].replicas > max) {
            max = h->recs[i].replicas;
        }
    }
    if (found_old) {
        h->recs[old] = (struct hpa_recommendation){desired, now};
        h->initialized = 1;
    } else {
        hpa_history_add_recommendation(h, desired, now);
    }
    return max;
}

/* Follows horizontal.go convertDesiredReplicasWithRules and calculateScaleUpLimit. */
int32_t hpa_behavior_convert_legacy(int32_t current, int32_t desired, int32_t min_replicas,
                                    int32_t max_replicas, double factor, double minimum,
                                    const char **reason, const char **message)
{
    double a = factor * (double)current;
    int32_t scale_up_limit = hpa_go_int32(a > minimum ? a : minimum);
    int32_t max_allowed;
    const char *limit_reason, *limit_message;
    if (max_replicas > scale_up_limit) {
        max_allowed = scale_up_limit;
        limit_reason = "ScaleUpLimit";
        limit_message =
            "the desired replica count is increasing faster than the maximum scale rate";
    } else {
        max_allowed = max_replicas;
        limit_reason = "TooManyReplicas";
        limit_message = "the desired replica count is more than the maximum replica count";
    }
    if (desired < min_replicas) {
        *reason = "TooFewReplicas";
        *message = "the desired replica count is less than the minimum replica count";
        return min_replicas;
    }
    if (desired > max_allowed) {
        *reason = limit_reason;
        *message = limit_message;
        return max_allowed;
    }
    *reason = "DesiredWithinRange";
    *message = "the desired count is within the acceptable range";
    return desired;
}
