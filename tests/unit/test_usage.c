/* models/usage: Erlang C, M/M/c response-time quantiles, the traffic step. */
#include <math.h>

#include "testutil.h"

#include "models/usage/usage.h"

/* Textbook values, each checked by hand from C = (a^c/c! * c/(c-a)) / (sum_{k<c} a^k/k! + that). */
static void erlang_c_small(void **state)
{
    (void)state;
    check_close(usage_erlang_c(2, 1.0), 1.0 / 3.0, 1e-12); /* (1/2 * 2/1) / (1 + 1 + 1) */
    check_close(usage_erlang_c(3, 2.0), 4.0 / 9.0, 1e-12);
    check_close(usage_erlang_c(1, 0.5), 0.5, 1e-12); /* M/M/1: P(wait) = rho */
    check_close(usage_erlang_c(10, 8.0), 0.40918015079644354, 1e-12);
    check_close(usage_erlang_c(50, 45.0), 0.3638644672069884, 1e-10);
    check_close(usage_erlang_c(4, 0.0), 0.0, 0);
    check_close(usage_erlang_c(4, 4.0), 1.0, 0); /* saturated */
}

/* Large c, against the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)) in double. */
static void erlang_c_large(void **state)
{
    (void)state;
    check_close(usage_erlang_c(10000, 9900.0), 0.22277692886414893, 1e-9);
    check_close(usage_erlang_c(10000, 9000.0), 2.091619794419297e-25, 1e-30);
}

static void response_quantiles(void **state)
{
    (void)state;
    /* M/M/1, lambda 0.5, mu 1: T ~ Exp(mu - lambda) = Exp(0.5). */
    check_close(usage_response_quantile(1, 0.5, 1.0, 0.5), log(2.0) / 0.5, 1e-8);
    check_close(usage_response_quantile(1, 0.5, 1.0, 0.95), log(20.0) / 0.5, 1e-8);
    /* No load: the service time's own quantile, -ln(1-p)/mu. */
    check_close(usage_response_quantile(8, 0.0, 50.0, 0.5), log(2.0) / 50.0, 1e-10);
    /* c = 2, a = 1 (lambda 1, mu 1): P(T > t) = (2/3) e^-t + (1/3)(1 + t) e^-t since
     * theta = c mu - lambda = mu; at the median (2/3 + (1 + t)/3) e^-t = 1/2. */
    double t = usage_response_quantile(2, 1.0, 1.0, 0.5);
    check_close((2.0 / 3.0 + (1.0 + t) / 3.0) * exp(-t), 0.5, 1e-9);
    assert_true(isinf(usage_response_quantile(2, 2.0, 1.0, 0.5)));
    /* c = 10000 at 99% load: C = 0.2228 (erlang_c_large), theta = 100, mu = 1. The p95 solves
     * (1 - C) e^-t + C (theta e^-t - e^-(theta t)) / (theta - 1) = 0.05. */
    double cw = 0.22277692886414893, u = usage_response_quantile(10000, 9900.0, 1.0, 0.95);
    check_close((1 - cw) * exp(-u) + cw * (100 * exp(-u) - exp(-100 * u)) / 99, 0.05, 1e-9);
}

static void step_drop_and_queue(void **state)
{
    (void)state;
    struct usage_params p;
    usage_params_default(&p);
    p.max_rps = 100;
    p.concurrency = 20; /* saturation 200 req/s: max_rps decides */
    struct usage_state st = {0};
    usage_step(&p, 300, 2, 15, &st);
    check_close(st.served, 200, 0);
    check_close(st.dropped, 100, 0);
    check_close(st.per_pod, 100, 0);
    p.overload = USAGE_QUEUE;
    struct usage_state q = {0};
    usage_step(&p, 300, 2, 15, &q);
    check_close(q.served, 200, 0);
    check_close(q.backlog, 1500, 1e-9); /* 100 req/s for 15 s */
    check_close(q.dropped, 0, 0);
    usage_step(&p, 100, 2, 15, &q); /* 100 new + 100/s of backlog */
    check_close(q.served, 200, 0);
    check_close(q.backlog, 0, 1e-9);
    /* No Ready pod: nothing served, no latency estimate. */
    struct usage_state z = {0};
    p.overload = USAGE_DROP;
    usage_step(&p, 10, 0, 15, &z);
    check_close(z.dropped, 10, 0);
    assert_true(isinf(z.p95));
    usage_state_release(&st);
    usage_state_release(&q);
    usage_state_release(&z);
}

static void cpu_and_capacity(void **state)
{
    (void)state;
    struct usage_params p;
    usage_params_default(&p);
    p.cpu_baseline = 50;
    p.cpu_per_request = 5;
    p.cpu_limit = 500;
    p.concurrency = 100;
    check_close(usage_pod_cpu(&p, 60), 350, 0);
    check_close(usage_pod_cpu(&p, 100), 500, 0);    /* capped at the limit */
    check_close(usage_pod_capacity(&p), 90, 1e-12); /* (500 - 50) / 5 */
    p.mem_baseline = 1000;
    p.mem_per_request = 10;
    check_close(usage_pod_mem(&p, 7), 1070, 0);
}

/*
 * The p95 over offered requests, dropped ones infinitely slow: the served latency's quantile at
 * 0.95 / s, s = served / offered. Values worked by hand from closed forms (and checked by
 * bisection in Python): M/M/1 response time is Exp(mu - lambda); for c = 2, lambda = mu = 1,
 * P(T > t) = (2/3) e^-t + (1/3)(1 + t) e^-t = (1 + t / 3) e^-t (response_quantiles).
 */
static void offered_p95_counts_drops(void **state)
{
    (void)state;
    struct usage_params p;
    usage_params_default(&p); /* serviceTime 100 ms: mu = 10 */
    p.max_rps = 5;            /* one pod serves at most 5 req/s: T ~ Exp(10 - 5) when full */
    struct usage_state st = {0};
    usage_step(&p, 5.2, 1, 15, &st); /* s = 5 / 5.2: level 0.95 x 5.2 / 5 = 0.988 */
    check_close(st.dropped, 0.2, 1e-12);
    check_close(st.p95, log(20.0) / 5, 1e-9);               /* 0.599 s */
    check_close(st.p95_offered, -log(1 - 0.988) / 5, 1e-9); /* 0.885 s */
    check_close(st.p95_offered, 0.8845697258388252, 1e-9);  /* the same, in digits */
    usage_step(&p, 5.02, 1, 15, &st);                       /* level 0.9538: 0.615 s */
    check_close(st.p95_offered, 0.6149550961788882, 1e-9);
    usage_step(&p, 6, 1, 15, &st); /* s = 5/6 < 0.95: more than 5% fail, no p95 */
    check_close(st.p95, log(20.0) / 5, 1e-9);
    assert_true(isinf(st.p95_offered));
    usage_step(&p, 5, 1, 15, &st); /* nothing dropped: the served p95 itself */
    assert_true(st.p95_offered == st.p95);
    usage_step(&p, 0.5, 0, 15, &st); /* no Ready pod: all dropped */
    assert_true(isinf(st.p95_offered));

    /* Memoized: an identical overloaded tick solves nothing (a planted value survives), a
     * different served fraction solves again. */
    usage_step(&p, 5.2, 1, 15, &st);
    st.memo_p95_offered = 42;
    usage_step(&p, 5.2, 1, 15, &st);
    check_close(st.p95_offered, 42, 0);
    usage_step(&p, 5.02, 1, 15, &st);
    check_close(st.p95_offered, 0.6149550961788882, 1e-9);

    /* c = 2 servers of mu = 1 (max 0.5 req/s per pod), served 1 req/s, level 0.99: solves
     * (1 + t / 3) e^-t = 0.01, where the served p95 solves it = 0.05. */
    struct usage_params q;
    usage_params_default(&q);
    q.service_time = 1;
    q.max_rps = 0.5;
    struct usage_state s2 = {0};
    usage_step(&q, 0.99 / 0.95, 2, 15, &s2);
    check_close(s2.served, 1, 0);
    check_close(s2.p95, 3.816460305167829, 1e-8);
    check_close(s2.p95_offered, 5.6659606837929966, 1e-8);
    check_close((1 + s2.p95_offered / 3) * exp(-s2.p95_offered), 0.01, 1e-12);

    /* Queue mode drops nothing: the offered p95 is the served one, drain time included. */
    p.overload = USAGE_QUEUE;
    struct usage_state qs = {0};
    usage_step(&p, 6, 1, 15, &qs);
    check_close(qs.backlog, 15, 1e-9);
    assert_true(qs.p95_offered == qs.p95);
    check_close(qs.p95, log(20.0) / 5 + 3, 1e-9); /* + 15 queued / 5 req/s */
    usage_state_release(&st);
    usage_state_release(&s2);
    usage_state_release(&qs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erlang_c_small),     cmocka_unit_test(erlang_c_large),
        cmocka_unit_test(response_quantiles), cmocka_unit_test(step_drop_and_queue),
        cmocka_unit_test(cpu_and_capacity),   cmocka_unit_test(offered_p95_counts_drops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
