/*
 * ramp: a linear change from one rate to another.
 *   rate(t) = from                                      t < start
 *           = from + (to - from) (t - start) / duration start <= t < start + duration
 *           = to                                        t >= start + duration
 * A zero duration is a jump at start.
 */
#include "models/load/load.h"

#include <math.h>

struct ramp_params {
    double from, to;
    simtime start, duration;
};

static const struct load_param params[] = {
    {.key = "from",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct ramp_params, from),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "to",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct ramp_params, to),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "start", .type = LOAD_P_DURATION, .offset = offsetof(struct ramp_params, start)},
    {.key = "duration",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct ramp_params, duration),
     .required = 1},
    {0},
};

static int ramp_init(void *state, const void *params_, struct load_init *ctx)
{
    (void)ctx;
    *(struct ramp_params *)state = *(const struct ramp_params *)params_;
    return 0;
}

static double ramp_value(void *state, simtime t)
{
    const struct ramp_params *r = state;
    if (t < r->start)
        return r->from;
    if (t - r->start >= r->duration)
        return r->to;
    return r->from + (r->to - r->from) * ((double)(t - r->start) / (double)r->duration);
}

const struct load_ops load_ramp_ops = {
    .name = "ramp",
    .summary = "rate = from + (to - from) * clamp((t - start) / duration, 0, 1)",
    .params = params,
    .params_size = sizeof(struct ramp_params),
    .state_size = sizeof(struct ramp_params),
    .init = ramp_init,
    .value = ramp_value,
};
