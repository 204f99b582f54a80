/*
 * The event queue against a brute-force reference: an unsorted array whose
 * minimum is found by a linear scan, which is too simple to be wrong. Seeded
 * random operations drive both; every result must match, including seq
 * numbers, handles that went stale and the length. Each seed runs with a
 * different typical queue size, so both the shallow and the deep shapes of
 * the 4-ary heap (and every partial last group of children) are exercised.
 *
 * The far tier gets runs of its own: small evq_new_sized queues, so that a
 * few hundred events make rungs, spreads, spills and chunk boundaries, with
 * times spread from ties at one instant to 2^40 ahead, a few at the end of
 * time and some before the last one popped, and a target size that swings
 * so the queue keeps turning from a plain heap into a tiered one and back.
 * After each operation the split reported by evq_stats is checked against
 * the reference: the near events must be exactly those before the horizon.
 */
#include "testutil.h"

#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "sim/engine/evq.h"

#define OPS   200000
#define STALE 256 /* dead handles remembered to probe with */

struct ref_ev {
    simtime time;
    uint32_t phase, kind;
    uint64_t seq, arg;
    evid id;
};

struct model {
    struct evq *q;
    gsl_rng *rng;
    struct ref_ev *v;
    size_t n, cap;
    uint64_t next_seq;
    simtime now;
    uint64_t next_arg;
    evid stale[STALE];
    size_t nstale;
    int wide; /* times from the whole range, not only just after now */
    /* What the far tier saw, to check that a run reached it. */
    size_t tiered_ops, plain_ops, far_cancels, far_reschedules;
    unsigned max_rungs;
};

/* Past this, popped times do not move now: a run should not get stuck at the end of time. */
#define NOW_CAP ((simtime)1 << 60)

static int ref_less(const struct ref_ev *a, const struct ref_ev *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->phase != b->phase)
        return a->phase < b->phase;
    return a->seq < b->seq;
}

static size_t ref_min(const struct model *m)
{
    size_t best = 0;
    for (size_t i = 1; i < m->n; i++)
        if (ref_less(&m->v[i], &m->v[best]))
            best = i;
    return best;
}

static void ref_remove(struct model *m, size_t i)
{
    m->v[i] = m->v[--m->n];
}

static void add_stale(struct model *m, evid id)
{
    m->stale[m->nstale++ % STALE] = id;
}

static evid any_stale(const struct model *m)
{
    if (m->nstale == 0)
        return 0;
    size_t k = m->nstale < STALE ? m->nstale : STALE;
    return m->stale[gsl_rng_uniform_int(m->rng, k)];
}

static void check_same(const struct ref_ev *want, const struct event *got)
{
    assert_int_equal(got->time, want->time);
    assert_int_equal(got->phase, want->phase);
    assert_int_equal(got->seq, want->seq);
    assert_int_equal(got->kind, want->kind);
    assert_int_equal(got->arg, want->arg);
    assert_true(got->id == want->id);
}

static uint64_t uniform64(struct model *m, uint64_t n)
{
    uint64_t x = (uint64_t)gsl_rng_get(m->rng) << 32 | gsl_rng_get(m->rng);
    return x % n;
}

/* now + d for now >= 0 (as it stays), stopping at the end of time. */
static simtime later(simtime now, uint64_t d)
{
    return d > (uint64_t)(INT64_MAX - now) ? INT64_MAX : now + (simtime)d;
}

/*
 * Times cluster within a few ticks of now so that ties on time (and phase)
 * are common. Wide runs add every scale of delay, "hot" instants that many
 * events share while the horizon moves across them, times before now (the
 * queue does not know about now) and the end of time.
 */
static simtime some_time(struct model *m)
{
    if (!m->wide)
        return m->now + (simtime)gsl_rng_uniform_int(m->rng, 40);
    double x = gsl_rng_uniform(m->rng);
    if (x < 0.30)
        return later(m->now, uniform64(m, 40));
    if (x < 0.48)
        return later(m->now, uniform64(m, 5000));
    if (x < 0.62)
        return later(m->now, uniform64(m, (uint64_t)1 << 20));
    if (x < 0.72)
        return later(m->now, uniform64(m, (uint64_t)1 << 40));
    if (x < 0.92)
        return later(m->now - m->now % 256, 256 * (1 + uniform64(m, 6)));
    if (x < 0.98)
        return m->now > 100 ? m->now - 1 - (simtime)uniform64(m, 100) : m->now;
    return INT64_MAX - (simtime)uniform64(m, 3);
}

static uint32_t some_phase(struct model *m)
{
    return (uint32_t)gsl_rng_uniform_int(m->rng, 3);
}

static void op_push(struct model *m)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->v = realloc(m->v, m->cap * sizeof *m->v);
        assert_non_null(m->v);
    }
    struct ref_ev *r = &m->v[m->n++];
    r->time = some_time(m);
    r->phase = some_phase(m);
    r->kind = (uint32_t)gsl_rng_uniform_int(m->rng, 64);
    r->arg = m->next_arg++;
    r->seq = m->next_seq++;
    r->id = evq_push(m->q, r->time, r->phase, r->kind, r->arg);
    assert_true(r->id != 0);
}

static void op_pop(struct model *m)
{
    struct event ev;
    if (m->n == 0) {
        assert_int_equal(evq_pop(m->q, &ev), 0);
        return;
    }
    size_t i = ref_min(m);
    assert_int_equal(evq_pop(m->q, &ev), 1);
    check_same(&m->v[i], &ev);
    m->now = ev.time < NOW_CAP ? ev.time : m->now;
    add_stale(m, ev.id);
    ref_remove(m, i);
}

static void op_peek(struct model *m)
{
    struct event ev;
    if (m->n == 0) {
        assert_int_equal(evq_peek(m->q, &ev), 0);
        return;
    }
    assert_int_equal(evq_peek(m->q, &ev), 1);
    check_same(&m->v[ref_min(m)], &ev);
}

static void op_cancel(struct model *m)
{
    if (m->n == 0 || gsl_rng_uniform(m->rng) < 0.2) {
        evid id = any_stale(m);
        assert_int_equal(evq_cancel(m->q, id), -1);
        return;
    }
    size_t i = gsl_rng_uniform_int(m->rng, m->n);
    struct evq_stats before, after;
    evq_stats(m->q, &before);
    assert_int_equal(evq_cancel(m->q, m->v[i].id), 0);
    evq_stats(m->q, &after);
    m->far_cancels += after.far < before.far;
    add_stale(m, m->v[i].id);
    ref_remove(m, i);
}

static void op_reschedule(struct model *m)
{
    if (m->n == 0 || gsl_rng_uniform(m->rng) < 0.2) {
        assert_int_equal(evq_reschedule(m->q, any_stale(m), some_time(m)), -1);
        return;
    }
    struct ref_ev *r = &m->v[gsl_rng_uniform_int(m->rng, m->n)];
    struct evq_stats st;
    evq_stats(m->q, &st);
    m->far_reschedules += st.has_horizon && r->time >= st.horizon;
    r->time = some_time(m);
    r->seq = m->next_seq++;
    assert_int_equal(evq_reschedule(m->q, r->id, r->time), 0);
}

/* The engine's path: take the earliest, then put it back under its id or free it. */
static void op_take(struct model *m)
{
    struct event ev;
    if (m->n == 0) {
        assert_int_equal(evq_take(m->q, &ev), 0);
        return;
    }
    size_t i = ref_min(m);
    assert_int_equal(evq_take(m->q, &ev), 1);
    check_same(&m->v[i], &ev);
    m->now = ev.time < NOW_CAP ? ev.time : m->now;
    assert_int_equal(evq_pending(m->q, ev.id), 0);
    if (gsl_rng_uniform(m->rng) < 0.5) {
        struct ref_ev *r = &m->v[i];
        r->time = some_time(m);
        r->seq = m->next_seq++;
        assert_int_equal(evq_requeue(m->q, &ev, r->time), 0);
    } else {
        assert_int_equal(evq_release(m->q, ev.id), 0);
        add_stale(m, ev.id);
        ref_remove(m, i);
    }
}

static void op_pending(struct model *m)
{
    if (m->n > 0)
        assert_int_equal(evq_pending(m->q, m->v[gsl_rng_uniform_int(m->rng, m->n)].id), 1);
    assert_int_equal(evq_pending(m->q, any_stale(m)), 0);
}

/*
 * The tiers must split the pending events at the horizon: the near ones are
 * exactly those before it. A linear pass, so on big queues only now and then.
 */
static void check_tiers(struct model *m, int op)
{
    struct evq_stats st;
    evq_stats(m->q, &st);
    assert_int_equal(st.near + st.far, m->n);
    m->max_rungs = st.rungs > m->max_rungs ? st.rungs : m->max_rungs;
    if (!st.has_horizon) {
        assert_int_equal(st.far, 0);
        m->plain_ops++;
        return;
    }
    m->tiered_ops++;
    if (m->n > 4096 && op % 61 != 0)
        return;
    size_t before = 0;
    for (size_t i = 0; i < m->n; i++)
        before += m->v[i].time < st.horizon;
    assert_int_equal(st.near, before);
}

static void model_init(struct model *m, unsigned long seed, size_t near)
{
    *m = (struct model){0};
    m->q = near ? evq_new_sized(near) : evq_new();
    m->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(m->rng, seed);
}

static void model_drain_and_free(struct model *m)
{
    while (m->n > 0) {
        op_pop(m);
        check_tiers(m, 0);
    }
    op_pop(m);
    assert_int_equal(evq_len(m->q), 0);
    gsl_rng_free(m->rng);
    evq_free(m->q);
    free(m->v);
}

/*
 * ops random operations keeping the size near target, or for a swinging run
 * alternately near target and near target / 64, every ops / 10: the queue
 * keeps being split into tiers and drained back into a plain heap.
 */
static void run_ops(struct model *m, int ops, size_t target, int swing)
{
    for (int op = 0; op < ops; op++) {
        size_t want = swing && op / (ops / 10) % 2 ? target / 64 : target;
        double x = gsl_rng_uniform(m->rng);
        /* Pushing more often below the target size and less above keeps the size near it. */
        double push = m->n < want ? 0.45 : 0.25;
        if (x < push)
            op_push(m);
        else if ((x -= push) < 0.20)
            op_pop(m);
        else if ((x -= 0.20) < 0.10)
            op_cancel(m);
        else if ((x -= 0.10) < 0.10)
            op_reschedule(m);
        else if ((x -= 0.10) < 0.05)
            op_peek(m);
        else if ((x -= 0.05) < 0.08)
            op_take(m);
        else
            op_pending(m);
        assert_int_equal(evq_len(m->q), m->n);
        check_tiers(m, op);
    }
}

static void run_model(unsigned long seed, size_t target)
{
    struct model m;
    model_init(&m, seed, 0);
    run_ops(&m, OPS, target, 0);
    model_drain_and_free(&m);
}

/*
 * A far-tier run: a queue sized near, wide times, a size swinging around
 * target, starting from target pushes. It must have spent most of its time
 * tiered, cancelled and rescheduled far events, and built rungs. Returns how
 * many operations left it a plain heap.
 */
static size_t run_tiered(unsigned long seed, size_t near, size_t target, int ops)
{
    struct model m;
    model_init(&m, seed, near);
    m.wide = 1;
    for (size_t i = 0; i < target; i++)
        op_push(&m);
    run_ops(&m, ops, target, 1);
    assert_true(m.tiered_ops > (size_t)ops / 4);
    assert_true(m.far_cancels > 100);
    assert_true(m.far_reschedules > 100);
    assert_true(m.max_rungs >= 2);
    size_t plain = m.plain_ops;
    model_drain_and_free(&m);
    return plain;
}

static void test_tiny(void **state)
{
    (void)state;
    run_model(1, 4);
}

static void test_small(void **state)
{
    (void)state;
    run_model(2, 30);
}

static void test_medium(void **state)
{
    (void)state;
    run_model(3, 300);
}

static void test_large(void **state)
{
    (void)state;
    run_model(42, 3000);
}

/* These two also drain back into a plain heap now and then. */
static void test_tiered_tiny(void **state)
{
    (void)state;
    assert_true(run_tiered(11, 16, 300, OPS) > 0);
}

static void test_tiered_small(void **state)
{
    (void)state;
    assert_true(run_tiered(12, 64, 1000, OPS) > 0);
}

static void test_tiered_medium(void **state)
{
    (void)state;
    run_tiered(13, 256, 3000, OPS);
}

/* Clustered times: buckets one tick wide that cannot be split, spills that cannot shrink. */
static void test_tiered_ties(void **state)
{
    (void)state;
    struct model m;
    model_init(&m, 14, 64);
    for (size_t i = 0; i < 2000; i++)
        op_push(&m);
    run_ops(&m, OPS, 2000, 1);
    assert_true(m.tiered_ops > 0);
    model_drain_and_free(&m);
}

/* The default sizes, at the tens of thousands of events where they tier. */
static void test_tiered_default(void **state)
{
    (void)state;
    run_tiered(15, 0, 40000, OPS / 2);
}

static int ref_cmp(const void *a, const void *b)
{
    return ref_less(b, a) - ref_less(a, b);
}

/*
 * Pushes n events, cancels and reschedules some, and drains the queue against
 * the reference sorted once.
 */
static void run_burst(unsigned long seed, size_t near, int wide, int n)
{
    struct model m;
    model_init(&m, seed, near);
    m.wide = wide;
    for (int i = 0; i < n; i++)
        op_push(&m);
    for (int i = 0; i < n / 15; i++)
        op_cancel(&m);
    for (int i = 0; i < n / 15; i++)
        op_reschedule(&m);
    assert_int_equal(evq_len(m.q), m.n);
    check_tiers(&m, 0);
    qsort(m.v, m.n, sizeof *m.v, ref_cmp);
    struct event ev;
    for (size_t i = 0; i < m.n; i++) {
        assert_int_equal(evq_pop(m.q, &ev), 1);
        check_same(&m.v[i], &ev);
    }
    assert_int_equal(evq_pop(m.q, &ev), 0);
    gsl_rng_free(m.rng);
    evq_free(m.q);
    free(m.v);
}

/*
 * Above a hundred thousand events a plain heap prefetches while it sifts, a
 * path the runs above never reach and a linear scan per pop is too slow for.
 * Here the reference is sorted once instead, after a burst of pushes, cancels
 * and reschedules, and the whole queue is drained against it: a queue sized
 * to stay a plain heap, then wide times in a small queue, which make rungs
 * of the most buckets one may have.
 */
static void test_big(void **state)
{
    (void)state;
    run_burst(7, (size_t)1 << 20, 0, 300000);
}

static void test_big_tiered(void **state)
{
    (void)state;
    run_burst(8, 16, 1, 300000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny),         cmocka_unit_test(test_small),
        cmocka_unit_test(test_medium),       cmocka_unit_test(test_large),
        cmocka_unit_test(test_big),          cmocka_unit_test(test_tiered_tiny),
        cmocka_unit_test(test_tiered_small), cmocka_unit_test(test_tiered_medium),
        cmocka_unit_test(test_tiered_ties),  cmocka_unit_test(test_tiered_default),
        cmocka_unit_test(test_big_tiered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
