#include "sim/control/batch.h"

#include <math.h>

#include <gsl/gsl_randist.h>

/* Rounds seconds to microseconds, saturating far beyond any run length. */
static simtime from_seconds(double s)
{
    double us = nearbyint(s * 1e6);
    if (!(us < 9e18))
        return SIMTIME_NEVER;
    return us < 0 ? 0 : (simtime)us;
}

simtime batch_next_gap(const struct batch_params *b, gsl_rng *r)
{
    if (b->rate_per_min <= 0)
        return SIMTIME_NEVER;
    double mean_s = 60.0 / b->rate_per_min;
    if (b->process == BATCH_UNIFORM)
        return from_seconds(mean_s);
    return from_seconds(gsl_ran_exponential(r, mean_s));
}

simtime batch_duration(const struct batch_params *b, gsl_rng *r)
{
    double loc = (double)b->location / 1e6;
    switch (b->dist) {
    case BATCH_DIST_CONSTANT:
        return b->location;
    case BATCH_DIST_EXPONENTIAL:
        return from_seconds(gsl_ran_exponential(r, loc));
    case BATCH_DIST_LOGNORMAL:
        /* median = exp(zeta), so zeta = ln(median). */
        return from_seconds(gsl_ran_lognormal(r, log(loc), b->sigma));
    }
    return b->location;
}
