/*
 * The event queue against a brute-force reference: an unsorted array whose
 * minimum is found by a linear scan, which is too simple to be wrong. Seeded
 * random operations drive both; every result must match, including seq
 * numbers, handles that went stale and the length. Each seed runs with a
 * different typical queue size, so both the shallow and the deep shapes of
 * the 4-ary heap (and every partial last group of children) are exercised.
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
};

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

/* Times cluster within a few ticks of now so that ties on time (and phase) are common. */
static simtime some_time(struct model *m)
{
    return m->now + (simtime)gsl_rng_uniform_int(m->rng, 40);
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
    m->now = ev.time;
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
    assert_int_equal(evq_cancel(m->q, m->v[i].id), 0);
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
    m->now = ev.time;
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

static void run_model(unsigned long seed, size_t target)
{
    struct model m = {0};
    m.q = evq_new();
    m.rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(m.rng, seed);

    for (int op = 0; op < OPS; op++) {
        double x = gsl_rng_uniform(m.rng);
        /* Pushing more often below the target size and less above keeps the size near it. */
        double push = m.n < target ? 0.45 : 0.25;
        if (x < push)
            op_push(&m);
        else if ((x -= push) < 0.20)
            op_pop(&m);
        else if ((x -= 0.20) < 0.10)
            op_cancel(&m);
        else if ((x -= 0.10) < 0.10)
            op_reschedule(&m);
        else if ((x -= 0.10) < 0.05)
            op_peek(&m);
        else if ((x -= 0.05) < 0.08)
            op_take(&m);
        else
            op_pending(&m);
        assert_int_equal(evq_len(m.q), m.n);
    }
    while (m.n > 0)
        op_pop(&m);
    op_pop(&m);
    assert_int_equal(evq_len(m.q), 0);

    gsl_rng_free(m.rng);
    evq_free(m.q);
    free(m.v);
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

static int ref_cmp(const void *a, const void *b)
{
    return ref_less(b, a) - ref_less(a, b);
}

/*
 * Above a hundred thousand events the queue prefetches while it sifts, a path
 * the runs above never reach and a linear scan per pop is too slow for. Here
 * the reference is sorted once instead, after a burst of pushes, cancels and
 * reschedules, and the whole queue is drained against it.
 */
static void test_big(void **state)
{
    (void)state;
    struct model m = {0};
    m.q = evq_new();
    m.rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(m.rng, 7);
    for (int i = 0; i < 300000; i++)
        op_push(&m);
    for (int i = 0; i < 20000; i++)
        op_cancel(&m);
    for (int i = 0; i < 20000; i++)
        op_reschedule(&m);
    assert_int_equal(evq_len(m.q), m.n);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny),  cmocka_unit_test(test_small), cmocka_unit_test(test_medium),
        cmocka_unit_test(test_large), cmocka_unit_test(test_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
