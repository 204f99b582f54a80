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

/* P(T > t) for T = wait + service, and its derivative when ds is not NULL. */
static double tail(const struct tail *q, double t, double *ds)
{
    double es = exp(-q->mu * t);
    double conv, dconv; /* P(W + S > t) with W ~ Exp(theta), S ~ Exp(mu), and its slope */
    if (fabs(q->theta - q->mu) < 1e-9 * q->mu) {
        conv = (1.0 + q->mu * t) * es;
        dconv = -q->mu * q->mu * t * es;
    } else {
        double et = exp(-q->theta * t);
        conv = (q->theta * es - q->mu * et) / (q->theta - q->mu);
        dconv = q->mu * q->theta * (et - es) / (q->theta - q->mu);
    }
    if (ds)
        *ds = -(1.0 - q->c_wait) * q->mu * es + q->c_wait * dconv;
    return (1.0 - q->c_wait) * es + q->c_wait * conv;
}

static double tail_minus_target(double t, void *arg)
{
    const struct tail *q = arg;
    return tail(q, t, NULL) - q->target;
}

/* Newton's function: log P(T > t) - log(1 - p), nearly linear in t for these tails. */
static void log_tail_fdf(double t, void *arg, double *f, double *df)
{
    const struct tail *q = arg;
    double ds, sv = tail(q, t, &ds);
    *f = log(sv) - log(q->target);
    *df = ds / sv;
}

static double log_tail_f(double t, void *arg)
{
    double f, df;
    log_tail_fdf(t, arg, &f, &df);
    return f;
}

static double log_tail_df(double t, void *arg)
{
    double f, df;
    log_tail_fdf(t, arg, &f, &df);
    return df;
}

/* Brent on a bracket [lo, hi] with the root inside: the fallback. */
static double solve_brent(struct tail *q, double lo)
{
    gsl_function f = {tail_minus_target, q};
    double hi = 2.0 * lo + 1.0 / fmin(q->mu, q->theta);
    while (tail_minus_target(hi, q) > 0)
        hi *= 2;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_root_fsolver_set(s, &f, lo, hi);
    double t = hi;
    for (int i = 0; i < 100; i++) {
        if (gsl_root_fsolver_iterate(s))
            break;
        t = gsl_root_fsolver_root(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 0, 1e-12) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return t;
}

/*
 * The p-quantile of T given Erlang C. T is at least the service time, so the
 * service time's quantile t0 lies left of the root; Newton on log P(T > t)
 * from there takes a few steps (GSL's newton solver). A step that leaves
 * [t0, inf) or fails to settle falls back to Brent on a bracket.
 */
static double quantile_given_c(gsl_root_fdfsolver *s, double c_wait, double mu, double theta,
                               double p)
{
    double t0 = -log1p(-p) / mu;
    /* Waiting so rare that it moves the quantile by less than 1e-9 of 1/(1 - p) service
     * times (far below the microseconds reported): the service time's own quantile. */
    if (c_wait < 1e-9)
        return t0;
    struct tail q = {c_wait, mu, theta, 1.0 - p};
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_function_fdf f = {log_tail_f, log_tail_df, log_tail_fdf, &q};
    gsl_root_fdfsolver_set(s, &f, t0);
    double t = t0, prev;
    int ok = 0;
    for (int i = 0; i < 50; i++) {
        prev = t;
        if (gsl_root_fdfsolver_iterate(s))
            break;
        t = gsl_root_fdfsolver_root(s);
        if (!isfinite(t) || t < t0 * (1 - 1e-12))
            break;
        if (gsl_root_test_delta(t, prev, 0, 1e-12) == GSL_SUCCESS) {
            ok = 1;
            break;
        }
    }
    if (!ok)
        t = solve_brent(&q, t0);
    gsl_set_error_handler(old);
    return t;
}

double usage_response_quantile(int64_t c, double lambda, double mu, double p)
{
    if (p <= 0)
        return 0.0;
    if (c <= 0 || lambda >= (double)c * mu)
        return INFINITY;
    gsl_root_fdfsolver *s = gsl_root_fdfsolver_alloc(gsl_root_fdfsolver_newton);
    double t = quantile_given_c(s, usage_erlang_c(c, lambda / mu), mu, (double)c * mu - lambda, p);
    gsl_root_fdfsolver_free(s);
    return t;
}

void usage_state_release(struct usage_state *st)
{
    if (st->solver)
        gsl_root_fdfsolver_free(st->solver);
    st->solver = NULL;
}

/*
 * The p95 over offered requests on a tick that dropped some: the served
 * latency's quantile at 0.95 / s (usage.h), memoized on that level for the
 * queue solved last, so a run of identical overloaded ticks solves it once.
 */
static double offered_p95(struct usage_state *st, int64_t c, double mu)
{
    double level = st->served > 0 ? 0.95 * st->offered / st->served : INFINITY;
    if (!(level < 1.0) || isinf(st->memo_p95))
        return INFINITY;
    if (level != st->memo_level) {
        double theta = (double)c * mu - st->served;
        st->memo_p95_offered = quantile_given_c(st->solver, st->memo_cw, mu, theta, level);
        st->memo_level = level;
    }
    return st->memo_p95_offered;
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
        st->memo_cw = 1.0;
        if (ready == 0 && offered > 0) {
            st->memo_p50 = st->memo_p95 = INFINITY;
        } else if (ready == 0) {
            st->memo_p50 = -log1p(-0.50) / mu;
            st->memo_p95 = -log1p(-0.95) / mu;
        } else if (st->served >= (double)c * mu) {
            st->memo_p50 = st->memo_p95 = INFINITY;
        } else {
            /* One Erlang C for both quantiles (and the offered p95 below). */
            double cw = usage_erlang_c(c, st->served / mu), theta = (double)c * mu - st->served;
            if (!st->solver)
                st->solver = gsl_root_fdfsolver_alloc(gsl_root_fdfsolver_newton);
            st->memo_p50 = quantile_given_c(st->solver, cw, mu, theta, 0.50);
            st->memo_p95 = quantile_given_c(st->solver, cw, mu, theta, 0.95);
            st->memo_cw = cw;
        }
        st->memo_c = c;
        st->memo_lambda = st->served;
        st->memo_level = 0;
    }
    double drain = st->backlog <= 0 ? 0 : cap > 0 ? st->backlog / cap : INFINITY;
    st->p50 = st->memo_p50 + drain;
    st->p95 = st->memo_p95 + drain;
    st->p95_offered = st->dropped > 0 ? offered_p95(st, c, mu) + drain : st->p95;
}
