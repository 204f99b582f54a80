#include "sim/io/experiment/stats.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

void stats_compute(const double *x, size_t n, struct stats *st)
{
    memset(st, 0, sizeof *st);
    st->n = n;
    if (n == 0)
        return;
    st->mean = gsl_stats_mean(x, 1, n);
    st->ci95_low = st->ci95_high = st->mean;
    if (n < 2)
        return;
    st->stddev = gsl_stats_sd_m(x, 1, n, st->mean);
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * st->stddev / sqrt((double)n);
    st->ci95_low = st->mean - half;
    st->ci95_high = st->mean + half;
}

double stats_halfwidth(const struct stats *st)
{
    return (st->ci95_high - st->ci95_low) / 2;
}
