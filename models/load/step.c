/*
 * step: a piecewise constant rate. steps: [{at, value}, ...] with strictly
 * increasing `at`; rate(t) = value of the last step with at <= t, and 0
 * before the first step. A boundary belongs to the step that starts there:
 * at t == at the new value already holds.
 */
#include "models/load/load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

struct step_point {
    simtime at;
    double value;
};

struct step_params {
    struct step_point *steps;
    size_t nsteps;
};

struct step_state {
    struct step_point *steps;
    size_t n;
    size_t next; /* cursor: steps[0..next) have at <= the last t evaluated */
};

static const struct load_param point_params[] = {
    {.key = "at",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct step_point, at),
     .required = 1},
    {.key = "value",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct step_point, value),
     .required = 1,
     .max = HUGE_VAL},
    {0},
};

static const struct load_param params[] = {
    {.key = "steps",
     .type = LOAD_P_LIST,
     .offset = offsetof(struct step_params, steps),
     .required = 1,
     .elem = point_params,
     .elem_size = sizeof(struct step_point),
     .count = offsetof(struct step_params, nsteps)},
    {0},
};

static int step_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct step_params *p = params_;
    struct step_state *s = state;
    if (p->nsteps == 0) {
        snprintf(ctx->err, sizeof ctx->err, "steps: needs at least one step");
        ctx->err_param = "steps";
        return -1;
    }
    for (size_t i = 1; i < p->nsteps; i++) {
        if (p->steps[i].at <= p->steps[i - 1].at) {
            char a[32], b[32];
            simtime_format(p->steps[i].at, a, sizeof a);
            simtime_format(p->steps[i - 1].at, b, sizeof b);
            snprintf(ctx->err, sizeof ctx->err, "steps: step %zu at %s is not after step %zu at %s",
                     i, a, i - 1, b);
            ctx->err_param = "steps";
            return -1;
        }
    }
    s->steps = xmalloc(p->nsteps * sizeof *s->steps);
    memcpy(s->steps, p->steps, p->nsteps * sizeof *s->steps);
    s->n = p->nsteps;
    return 0;
}

static double step_value(void *state, simtime t)
{
    struct step_state *s = state;
    while (s->next < s->n && s->steps[s->next].at <= t)
        s->next++;
    return s->next ? s->steps[s->next - 1].value : 0;
}

static void step_release(void *state)
{
    free(((struct step_state *)state)->steps);
}

const struct load_ops load_step_ops = {
    .name = "step",
    .summary = "rate = value of the last {at, value} step with at <= t (0 before the first)",
    .params = params,
    .params_size = sizeof(struct step_params),
    .state_size = sizeof(struct step_state),
    .init = step_init,
    .value = step_value,
    .release = step_release,
};
