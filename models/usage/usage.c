#include "models/usage/usage.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>

void usage_params_default(struct usage_params *p)
{
    *p = (struct usage_params){
        .service_time = 0.1,
        .concurrency = 1,
        .overload = USAGE_DROP,
    };
}

double usage_pod_capacity(const struct usage_params *p)
{
    double cap = (double)p->concurrency / p->service_time;
    if (p->max_rps > 0 && p->max_rps < cap)
        cap = p->max_rps;
    if (p->cpu_limit > 0 && p->cpu_per_request > 0) {
        double by_cpu = (p->cpu_limit - p->cpu_baseline) / p->cpu_per_request;
        if (by_cpu < 0)
            by_cpu = 0;
        if (by_cpu < cap)
            cap = by_cpu;
    }
    return cap;
}

double usage_pod_cpu(const struct usage_params *p, double rps)
{
    double cpu = p->cpu_baseline + p->cpu_per_request * rps;
    if (p->cpu_limit > 0 && cpu > p->cpu_limit)
        cpu = p->cpu_limit; /* CFS throttling: a container never exceeds its limit */
    return cpu;
}

double usage_pod_mem(const struct usage_params *p, double rps)
{
    return p->mem_baseline + p->mem_per_request * rps;
}

double usage_erlang_c(int64_t c, double a)
{
    if (c <= 0 || a >= (double)c)
        return 1.0;
    if (a <= 0)
        return 0.0;
    /* Erlang B from the Poisson distribution: B(c, a) = P(N = c) / P(N <= c), N ~ Poisson(a). */
    double pdf = gsl_ran_poisson_pdf((unsigned int)c, a);
    double cdf = gsl_cdf_poisson_P((unsigned int)c, a);
    double b = cdf > 0 ? pdf / cdf : 1.0;
    double rho = a / (double)c;
    return b / (1.0 - rho * (1.0 - b));
}

struct tail {
    double c_wait; /* Erlang C */
    double mu;     /* service rate of one server */
    double theta;  /* rate of the conditional wait, c mu - lambda */
    double target; /* 1 - p */
};

/* P(T > t) - (1 - p) for T = wait + service. */
static double tail_minus_target(double t, void *arg)
{
    const struct tail *q = arg;
    double es = exp(-q->mu * t);
    double conv; /* P(W + S > t) with W ~ Exp(theta), S ~ Exp(mu) */
    if (fabs(q->theta - q->mu) < 1e-9 * q->mu)
        conv = (1.0 + q->mu * t) * es;
    else
        conv = (q->theta * es - q->mu * exp(-q->theta * t)) / (q->theta - q->mu);
    return (1.0 - q->c_wait) * es + q->c_wait * conv - q->target;
}

double usage_response_quantile(int64_t c, double lambda, double mu, double p)
{
    if (p <= 0)
        return 0.0;
    if (c <= 0 || lambda >= (double)c * mu)
        return INFINITY;
    struct tail q = {usage_erlang_c(c, lambda / mu), mu, (double)c * mu - lambda, 1.0 - p};
    /* Waiting so rare that it moves the quantile by less than 1e-9 of 1/(1 - p) service
     * times (far below the microseconds reported): the service time's own quantile. */
    if (q.c_wait < 1e-9)
        return -log1p(-p) / mu;
    gsl_function f = {tail_minus_target, &q};
    /* The tail is decreasing from 1 at t = 0; double hi until it is below 1 - p. */
    double hi = -log1p(-p) / fmin(mu, q.theta);
    while (tail_minus_target(hi, &q) > 0)
        hi *= 2;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &f, 0.0, hi);
    double t = hi;
    for (int i = 0; i < 100; i++) {
        if (gsl_root_fsolver_iterate(s))
            break;
        t = gsl_root_fsolver_root(s);
        double lo = gsl_root_fsolver_x_lower(s), up = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(lo, up, 0, 1e-10) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    gsl_set_error_handler(old);
    return t;
}

void usage_step(const struct usage_params *p, double offered, int32_t ready, double dt,
                struct usage_state *st)
{
    double cap = (double)ready * usage_pod_capacity(p);
    st->offered = offered;
    st->ready = ready;
    if (p->overload == USAGE_QUEUE) {
        double demand = offered + (dt > 0 ? st->backlog / dt : 0);
        st->served = demand < cap ? demand : cap;
        st->backlog += (offered - st->served) * dt;
        if (st->backlog < 1e-9)
            st->backlog = 0;
        st->dropped = 0;
    } else {
        st->served = offered < cap ? offered : cap;
        st->dropped = offered - st->served;
        st->backlog = 0;
    }
    st->per_pod = ready > 0 ? st->served / (double)ready : 0;

    int64_t c = (int64_t)ready * p->concurrency;
    double mu = 1.0 / p->service_time;
    if (c != st->memo_c || st->served != st->memo_lambda || st->memo_p50 == 0) {
        if (ready == 0 && offered > 0) {
            st->memo_p50 = st->memo_p95 = INFINITY;
        } else if (ready == 0) {
            st->memo_p50 = -log1p(-0.50) / mu;
            st->memo_p95 = -log1p(-0.95) / mu;
        } else {
            st->memo_p50 = usage_response_quantile(c, st->served, mu, 0.50);
            st->memo_p95 = usage_response_quantile(c, st->served, mu, 0.95);
        }
        st->memo_c = c;
        st->memo_lambda = st->served;
    }
    double drain = st->backlog <= 0 ? 0 : cap > 0 ? st->backlog / cap : INFINITY;
    st->p50 = st->memo_p50 + drain;
    st->p95 = st->memo_p95 + drain;
}
