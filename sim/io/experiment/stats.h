#ifndef KSIM_IO_STATS_H
#define KSIM_IO_STATS_H
/*
 * Mean, sample standard deviation and the 95% confidence interval of the
 * mean of a handful of runs (one value per seed), as `ksim compare` reports
 * them. The interval is Student's t: mean +- t(0.975, n-1) * sd / sqrt(n),
 * with the quantile from GSL (gsl_cdf_tdist_Pinv). With one run there is no
 * spread to estimate: sd is 0 and the interval collapses to the mean.
 */
#include <stddef.h>

struct stats {
    size_t n;
    double mean;
    double stddev;              /* sample standard deviation (n-1 in the denominator) */
    double ci95_low, ci95_high; /* 95% confidence interval of the mean */
};

/* Fills st from x[0..n). n == 0 gives all zeros. */
void stats_compute(const double *x, size_t n, struct stats *st);

/* Half the width of the confidence interval. */
double stats_halfwidth(const struct stats *st);

#endif
