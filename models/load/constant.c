/*
 * constant: rate(t) = value.
 */
#include "models/load/load.h"

#include <math.h>
#include <stddef.h>

struct constant_state {
    double value;
};

static const struct load_param params[] = {
    {.key = "value",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct load_constant_params, value),
     .required = 1,
     .max = HUGE_VAL},
    {0},
};

static int constant_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct load_constant_params *p = params_;
    struct constant_state *s = state;
    (void)ctx;
    s->value = p->value;
    return 0;
}

static double constant_value(void *state, simtime t)
{
    (void)t;
    return ((struct constant_state *)state)->value;
}

const struct load_ops load_constant_ops = {
    .name = "constant",
    .summary = "rate = value (a bare number anywhere a load is expected means the same)",
    .params = params,
    .params_size = sizeof(struct load_constant_params),
    .state_size = sizeof(struct constant_state),
    .init = constant_init,
    .value = constant_value,
};
