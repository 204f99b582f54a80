/*
 * diurnal: a daily (or any period's) sinusoid, optionally with quieter
 * weekends.
 *   rate(t) = (mean + amplitude sin(2 pi (t - phase) / period)) w(t)
 * The sine rises through the mean at t = phase, peaks at phase + period/4
 * and bottoms out at phase + 3 period/4: with period 24h and phase 6h the
 * load is lowest at midnight and highest at noon.
 * w(t) = weekly.weekend on Saturdays and Sundays, 1 otherwise, where day
 * floor(t / 24h) of the run is weekday startDay + that many days (the run
 * starts at midnight of startDay, Monday by default).
 */
#include "models/load/load.h"

#include <math.h>

#include <gsl/gsl_math.h>

struct diurnal_params {
    double mean, amplitude;
    simtime period, phase;
    int weekly;
    double weekend;
    int start_day; /* 0 = Monday */
};

static const char *const weekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                       "friday", "saturday", "sunday",    NULL};

static const struct load_param weekly_params[] = {
    {.key = "weekend",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct diurnal_params, weekend),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "startDay",
     .type = LOAD_P_ENUM,
     .offset = offsetof(struct diurnal_params, start_day),
     .choices = weekdays},
    {0},
};

static const struct load_param params[] = {
    {.key = "mean",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct diurnal_params, mean),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "amplitude",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct diurnal_params, amplitude),
     .required = 1,
     .max = HUGE_VAL},
    {.key = "period",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct diurnal_params, period),
     .def_time = SIMTIME_DAY,
     .dmin = SIMTIME_US},
    {.key = "phase", .type = LOAD_P_DURATION, .offset = offsetof(struct diurnal_params, phase)},
    {.key = "weekly",
     .type = LOAD_P_GROUP,
     .elem = weekly_params,
     .count = offsetof(struct diurnal_params, weekly)},
    {0},
};

static int diurnal_init(void *state, const void *params_, struct load_init *ctx)
{
    (void)ctx;
    *(struct diurnal_params *)state = *(const struct diurnal_params *)params_;
    return 0;
}

static double diurnal_value(void *state, simtime t)
{
    const struct diurnal_params *p = state;
    /* The phase angle is reduced in exact integer time first, so week-long runs lose no digits. */
    simtime in_period = (t - p->phase) % p->period;
    double angle = 2 * M_PI * ((double)in_period / (double)p->period);
    double rate = p->mean + p->amplitude * sin(angle);
    if (p->weekly && t >= 0) {
        int day = (int)((t / SIMTIME_DAY + p->start_day) % 7);
        if (day >= 5)
            rate *= p->weekend;
    }
    return rate;
}

const struct load_ops load_diurnal_ops = {
    .name = "diurnal",
    .summary = "rate = (mean + amplitude sin(2 pi (t - phase) / period)) x weekend factor",
    .params = params,
    .params_size = sizeof(struct diurnal_params),
    .state_size = sizeof(struct diurnal_params),
    .init = diurnal_init,
    .value = diurnal_value,
};
