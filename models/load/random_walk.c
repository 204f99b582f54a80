/*
 * random-walk: a bounded Gaussian random walk, piecewise constant.
 *   x_0 = start; x_k = reflect(x_{k-1} + sigma Z_k), Z_k ~ N(0, 1) (gsl_ran_gaussian)
 *   rate(t) = x_k for k interval <= t < (k + 1) interval
 * reflect mirrors a step that leaves [min, max] back inside at the bound it
 * crossed (then clamps, should one step cross the whole band), so the walk
 * neither sticks to a bound nor drifts out. Use it added to a shape as a
 * drift (min < 0 allowed) or multiplied with one as a factor (e.g. 0.8..1.2).
 * Every step is drawn in order, so the value at t depends on the seed and t.
 */
#include "models/load/load.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>

struct walk_params {
    double start, sigma, min, max;
    simtime interval;
};

struct walk_state {
    struct walk_params p;
    gsl_rng *rng;
    int64_t k;
    double x;
};

static const struct load_param params[] = {
    {.key = "start",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct walk_params, start),
     .min = -HUGE_VAL,
     .max = HUGE_VAL},
    {.key = "sigma",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct walk_params, sigma),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "interval",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct walk_params, interval),
     .def_time = SIMTIME_MIN,
     .dmin = SIMTIME_US},
    {.key = "min",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct walk_params, min),
     .required = 1,
     .min = -HUGE_VAL,
     .max = HUGE_VAL},
    {.key = "max",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct walk_params, max),
     .required = 1,
     .min = -HUGE_VAL,
     .max = HUGE_VAL},
    {0},
};

static int walk_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct walk_params *p = params_;
    struct walk_state *s = state;
    if (p->max < p->min) {
        snprintf(ctx->err, sizeof ctx->err, "max: must be at least min (%g), got %g", p->min,
                 p->max);
        ctx->err_param = "max";
        return -1;
    }
    if (p->start < p->min || p->start > p->max) {
        snprintf(ctx->err, sizeof ctx->err, "start: must be within [%g, %g], got %g", p->min,
                 p->max, p->start);
        ctx->err_param = "start";
        return -1;
    }
    s->p = *p;
    s->rng = ctx->rng;
    s->x = p->start;
    return 0;
}

static double walk_value(void *state, simtime t)
{
    struct walk_state *s = state;
    int64_t k = t < 0 ? 0 : t / s->p.interval;
    while (s->k < k) {
        s->k++;
        double x = s->x + gsl_ran_gaussian(s->rng, s->p.sigma);
        if (x > s->p.max)
            x = 2 * s->p.max - x;
        if (x < s->p.min)
            x = 2 * s->p.min - x;
        s->x = fmin(fmax(x, s->p.min), s->p.max);
    }
    return s->x;
}

const struct load_ops load_random_walk_ops = {
    .name = "random-walk",
    .summary = "x_k = reflect(x_{k-1} + N(0, sigma^2)) within [min, max], one step per interval",
    .params = params,
    .params_size = sizeof(struct walk_params),
    .state_size = sizeof(struct walk_state),
    .flags = LOAD_RANDOM,
    .init = walk_init,
    .value = walk_value,
};
