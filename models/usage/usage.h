#ifndef KSIM_MODELS_USAGE_USAGE_H
#define KSIM_MODELS_USAGE_USAGE_H
/*
 * What a Deployment's traffic does to its pods: how a Service spreads the
 * offered load, what each pod consumes, what is dropped or queued, and how
 * long requests take. Pure functions, no cluster, no engine.
 *
 *   offered req/s ──► Service: split evenly over the READY pods (endpoints
 *                     of pods that are not Ready get no traffic)
 *                 ──► capacity = ready × per-pod capacity; the excess is
 *                     dropped, or queued in a backlog that drains later
 *                 ──► per-pod CPU = baseline + cpuPerRequest × pod req/s,
 *                     capped at the CPU limit; memory likewise, uncapped
 *                 ──► latency: M/M/c with Erlang C (see usage_erlang_c)
 *
 * The latency model's assumptions, stated once: requests arrive as a Poisson
 * process at the served rate; each of c = ready pods × concurrency identical
 * servers works one request at a time for an exponentially distributed time
 * with mean serviceTime; one FCFS queue in front of all servers (a Service
 * with least-loaded balancing is close to this, round robin is worse). A
 * queued backlog adds its drain time (backlog / capacity) to every request.
 * With utilisation >= 1 the queue has no steady state: the estimate is
 * +infinity, which counts as an SLO violation.
 *
 * Two p95s. p50 and p95 are over the requests served (what a server-side
 * latency histogram shows). The SLO is over the requests the clients sent:
 * a request dropped at capacity is a failed one, so p95_offered counts
 * dropped requests as infinitely slow. With a served fraction
 * s = 1 - dropped / offered, P(T_offered <= t) = s P(T_served <= t), so the
 * offered p95 is the served latency's quantile at level 0.95 / s, and
 * +infinity once 0.95 / s >= 1 (more than 5% dropped). With nothing dropped
 * (every queue-mode tick, every drop-mode tick under capacity) it equals p95.
 */
#include <stdint.h>

#include "sim/engine/simtime.h"

enum usage_overload {
    USAGE_DROP,  /* requests beyond capacity are rejected (load shedding, 503s) */
    USAGE_QUEUE, /* they wait in a backlog served when capacity frees up */
};

struct usage_params {
    double cpu_baseline;    /* millicores per pod, idle */
    double cpu_per_request; /* millicores per (request/s), i.e. CPU milliseconds per request */
    double cpu_limit;       /* millicores; 0 = no limit */
    double mem_baseline;    /* bytes per pod */
    double mem_per_request; /* bytes per (request/s) served by the pod */
    double max_rps;         /* per-pod capacity in req/s; 0 = derive (usage_pod_capacity) */
    double service_time;    /* seconds, mean service time of one request */
    int concurrency;        /* requests one pod serves at once (servers per pod) */
    enum usage_overload overload;
    double slo_p95; /* seconds; p95_offered above it is an SLO violation; 0 = no SLO */
};

/* Defaults: nothing consumed, capacity from concurrency 1 and 100 ms, drop. */
void usage_params_default(struct usage_params *p);

/*
 * Requests per second one Ready pod can serve: the smallest of max_rps (when
 * set), what the CPU limit allows ((limit - baseline) / cpuPerRequest, when
 * both are set) and the servers' saturation rate concurrency / serviceTime.
 */
double usage_pod_capacity(const struct usage_params *p);

/* One deployment's traffic at one instant (the state carried between ticks). */
struct usage_state {
    double offered;     /* req/s arriving at the Service */
    double served;      /* req/s completed */
    double dropped;     /* req/s rejected (drop) */
    double backlog;     /* requests waiting (queue) */
    double per_pod;     /* req/s each Ready pod serves */
    int32_t ready;      /* Ready pods */
    double p50, p95;    /* response time of served requests, seconds (+inf when saturated) */
    double p95_offered; /* p95 over offered requests, dropped ones infinitely slow (see above) */
    /* private: the last queue solved, so an unchanged tick costs no root finding */
    int64_t memo_c;
    double memo_lambda, memo_p50, memo_p95;
    double memo_cw;                      /* Erlang C of that queue */
    double memo_level, memo_p95_offered; /* the last 0.95 / s solved for it; 0 = none */
    void *solver; /* a GSL root solver kept between ticks (usage_state_release frees it) */
};

/* Frees what usage_step keeps in st (a zeroed state needs no release, but may get one). */
void usage_state_release(struct usage_state *st);

/*
 * Advances the traffic by one tick: offered req/s arrive for dt seconds at a
 * deployment with `ready` Ready pods. Updates served, dropped, backlog,
 * per_pod and the latency percentiles (p95_offered too). With no Ready pod
 * everything is dropped (or queued) and the latency is +infinity. A tick
 * whose queue and served fraction equal the previous tick's solves nothing.
 */
void usage_step(const struct usage_params *p, double offered, int32_t ready, double dt,
                struct usage_state *st);

/* CPU (millicores) and memory (bytes) of one pod serving rps req/s (0 when not Ready). */
double usage_pod_cpu(const struct usage_params *p, double rps);
double usage_pod_mem(const struct usage_params *p, double rps);

/*
 * Erlang C: the probability that an arrival waits in an M/M/c queue with c
 * servers and offered load a = lambda / mu Erlangs (a < c; returns 1 when
 * a >= c). Computed as B / (1 - (a/c)(1 - B)) with the Erlang B value
 * B = poisson_pdf(c; a) / poisson_cdf(c; a) from GSL, which stays accurate
 * for c in the tens of thousands where the textbook sums overflow.
 */
double usage_erlang_c(int64_t c, double a);

/*
 * The p-quantile (0 < p < 1) of the response time (wait + service) in an
 * M/M/c queue: arrival rate lambda, service rate mu per server, c servers.
 * P(T > t) = (1 - C) e^(-mu t) + C P(W + S > t), W ~ Exp(c mu - lambda),
 * S ~ Exp(mu); solved for t with GSL (Newton on log P(T > t) from the
 * service-time quantile, Brent as the fallback). +infinity when
 * lambda >= c mu; 0 for p <= 0. When C < 1e-9 waiting cannot move the
 * quantile measurably and the service time's quantile -ln(1 - p) / mu is
 * returned without a search.
 */
double usage_response_quantile(int64_t c, double lambda, double mu, double p);

#endif
