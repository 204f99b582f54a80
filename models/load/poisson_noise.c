/*
 * poisson-noise: the counting noise of requests that arrive as a Poisson
 * process. Time is cut into intervals of length D = interval; in interval k
 * (starting at t_k = k D) the number of arrivals is N_k ~ Poisson(m(t_k) D),
 * drawn with gsl_ran_poisson, where m is the mean rate:
 *   with `rate` (a nested load):  rate(t) = N_k / D
 *   as a part of a sum, without `rate`: m is the sum of the other parts, and
 *   the part contributes N_k / D - m(t_k), so that the sum as a whole offers
 *   N_k / D (plus whatever the other parts change within the interval).
 * Draws happen for every interval in order, whether or not anyone evaluated
 * in it, so the value at t depends on the seed and t only. A negative mean
 * counts as 0.
 */
#include "models/load/load.h"

#include <stdio.h>

#include <gsl/gsl_randist.h>

struct noise_params {
    simtime interval;
    struct load *rate;
};

struct noise_state {
    gsl_rng *rng;
    struct load *mean;
    int siblings; /* mean is a view of the sum's other parts */
    simtime interval;
    int64_t k; /* the last interval drawn, -1 before the first */
    double value;
};

static const struct load_param params[] = {
    {.key = "interval",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct noise_params, interval),
     .def_time = 15 * SIMTIME_S,
     .dmin = SIMTIME_US},
    {.key = "rate", .type = LOAD_P_LOAD, .offset = offsetof(struct noise_params, rate)},
    {0},
};

static int noise_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct noise_params *p = params_;
    struct noise_state *s = state;
    if (!p->rate && !ctx->in_sum) {
        snprintf(ctx->err, sizeof ctx->err,
                 "poissonNoise: needs a 'rate' unless it is a part of a sum");
        return -1;
    }
    s->rng = ctx->rng;
    s->mean = p->rate;
    s->interval = p->interval;
    s->k = -1;
    return 0;
}

static int noise_bind_siblings(void *state, struct load *siblings)
{
    struct noise_state *s = state;
    if (s->mean)
        return 0;
    s->mean = siblings;
    s->siblings = 1;
    return 1;
}

static double noise_value(void *state, simtime t)
{
    struct noise_state *s = state;
    int64_t k = t < 0 ? -1 : t / s->interval;
    double d = simtime_seconds(s->interval);
    while (s->k < k) {
        s->k++;
        double m = load_value(s->mean, s->k * s->interval);
        unsigned int n = gsl_ran_poisson(s->rng, m > 0 ? m * d : 0);
        s->value = n / d - (s->siblings ? m : 0);
    }
    return s->k < 0 ? 0 : s->value;
}

static void noise_release(void *state)
{
    load_free(((struct noise_state *)state)->mean);
}

const struct load_ops load_poisson_noise_ops = {
    .name = "poisson-noise",
    .summary = "N_k / interval with N_k ~ Poisson(mean(t_k) x interval); mean = 'rate' or the "
               "sum's other parts",
    .params = params,
    .params_size = sizeof(struct noise_params),
    .state_size = sizeof(struct noise_state),
    .flags = LOAD_RANDOM | LOAD_SIBLINGS,
    .init = noise_init,
    .value = noise_value,
    .release = noise_release,
    .bind_siblings = noise_bind_siblings,
};
