#ifndef KSIM_CONTROL_BATCH_H
#define KSIM_CONTROL_BATCH_H
/*
 * Streams of run-to-completion pods (Jobs without the Job object): arrival
 * times and run durations drawn from seeded GSL streams.
 */
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sim/engine/simtime.h"

enum batch_process { BATCH_POISSON, BATCH_UNIFORM };
enum batch_dist { BATCH_DIST_CONSTANT, BATCH_DIST_EXPONENTIAL, BATCH_DIST_LOGNORMAL };

struct batch_params {
    enum batch_process process;
    double rate_per_min;
    simtime start, stop; /* arrivals happen in [start, stop) */
    int64_t limit;       /* at most this many pods; -1 for no limit */
    enum batch_dist dist;
    simtime location; /* constant: the value; exponential: the mean; lognormal: the median */
    double sigma;     /* lognormal shape (standard deviation of the log) */
};

/*
 * The gap to the next arrival: exponential with mean 60/rate seconds for a
 * Poisson process, exactly 60/rate seconds for a uniform one. Rounded to the
 * microsecond. SIMTIME_NEVER when the rate is 0.
 */
simtime batch_next_gap(const struct batch_params *b, gsl_rng *r);
/* A run duration drawn from the distribution, rounded to the microsecond. */
simtime batch_duration(const struct batch_params *b, gsl_rng *r);

#endif
