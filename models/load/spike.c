/*
 * spike: a burst of extra load of a given shape, once or every `every`.
 * With u = t - start (and, when every > 0, u taken modulo every for t >= start):
 *   square             height                          0 <= u < duration
 *   triangle           height (1 - |2u / duration - 1|) 0 <= u < duration
 *                      (0 at u = 0, height at duration/2, back to 0 at duration)
 *   exponential-decay  height exp(-u / duration)       u >= 0 (duration is the time
 *                                                      constant; the tail never ends
 *                                                      before the next repetition)
 * and 0 elsewhere.
 */
#include "models/load/load.h"

#include <math.h>
#include <stdio.h>

enum spike_shape { SPIKE_SQUARE, SPIKE_TRIANGLE, SPIKE_EXP_DECAY };

struct spike_params {
    int shape;
    simtime start, duration, every;
    double height;
};

static const char *const shapes[] = {"square", "triangle", "exponential-decay", NULL};

static const struct load_param params[] = {
    {.key = "shape",
     .type = LOAD_P_ENUM,
     .offset = offsetof(struct spike_params, shape),
     .choices = shapes},
    {.key = "start", .type = LOAD_P_DURATION, .offset = offsetof(struct spike_params, start)},
    {.key = "duration",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct spike_params, duration),
     .required = 1,
     .dmin = SIMTIME_US},
    {.key = "height",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct spike_params, height),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "every", .type = LOAD_P_DURATION, .offset = offsetof(struct spike_params, every)},
    {0},
};

static int spike_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct spike_params *p = params_;
    if (p->every > 0 && p->every < p->duration && p->shape != SPIKE_EXP_DECAY) {
        snprintf(ctx->err, sizeof ctx->err, "every: must be at least the duration");
        ctx->err_param = "every";
        return -1;
    }
    *(struct spike_params *)state = *p;
    return 0;
}

static double spike_value(void *state, simtime t)
{
    const struct spike_params *p = state;
    if (t < p->start)
        return 0;
    simtime u = t - p->start;
    if (p->every > 0)
        u %= p->every;
    switch (p->shape) {
    case SPIKE_SQUARE:
        return u < p->duration ? p->height : 0;
    case SPIKE_TRIANGLE:
        if (u >= p->duration)
            return 0;
        return p->height * (1 - fabs(2 * ((double)u / (double)p->duration) - 1));
    default:
        return p->height * exp(-(double)u / (double)p->duration);
    }
}

const struct load_ops load_spike_ops = {
    .name = "spike",
    .summary = "height x shape((t - start) / duration): square, triangle or exponential-decay",
    .params = params,
    .params_size = sizeof(struct spike_params),
    .state_size = sizeof(struct spike_params),
    .init = spike_init,
    .value = spike_value,
};
