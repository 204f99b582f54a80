#include "testutil.h"

#include "sim/engine/evq.h"

static void pop_expect(struct evq *q, simtime time, uint32_t phase, uint64_t arg)
{
    struct event ev;
    assert_int_equal(evq_pop(q, &ev), 1);
    assert_int_equal(ev.time, time);
    assert_int_equal(ev.phase, phase);
    assert_int_equal(ev.arg, arg);
}

static void test_empty(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    struct event ev;
    assert_int_equal(evq_len(q), 0);
    assert_int_equal(evq_pop(q, &ev), 0);
    assert_int_equal(evq_peek(q, &ev), 0);
    assert_int_equal(evq_cancel(q, 0), -1);
    assert_int_equal(evq_cancel(q, 12345), -1);
    assert_int_equal(evq_reschedule(q, 12345, 5), -1);
    assert_int_equal(evq_pending(q, 0), 0);
    evq_free(q);
    evq_free(NULL);
}

static void test_order_by_time(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    static const simtime times[] = {50, 10, 40, 20, 30, 0, 60};
    for (size_t i = 0; i < 7; i++)
        evq_push(q, times[i], 0, 1, (uint64_t)times[i]);
    assert_int_equal(evq_len(q), 7);
    for (simtime t = 0; t <= 60; t += 10)
        pop_expect(q, t, 0, (uint64_t)t);
    assert_int_equal(evq_len(q), 0);
    evq_free(q);
}

/* At one instant, smaller phases first; within a phase, push order. */
static void test_order_by_phase_then_push(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evq_push(q, 5, 2, 0, 100);
    evq_push(q, 5, 1, 0, 101);
    evq_push(q, 5, 2, 0, 102);
    evq_push(q, 5, 0, 0, 103);
    evq_push(q, 4, 9, 0, 104);
    evq_push(q, 5, 1, 0, 105);
    evq_push(q, 5, 2, 0, 106);
    pop_expect(q, 4, 9, 104);
    pop_expect(q, 5, 0, 103);
    pop_expect(q, 5, 1, 101);
    pop_expect(q, 5, 1, 105);
    pop_expect(q, 5, 2, 100);
    pop_expect(q, 5, 2, 102);
    pop_expect(q, 5, 2, 106);
    evq_free(q);
}

/* Many equal keys exercise every tie in the 4-ary sift paths. */
static void test_many_ties_stay_fifo(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    for (uint64_t i = 0; i < 1000; i++)
        evq_push(q, (simtime)(i % 3), (uint32_t)(i % 2), 0, i);
    for (simtime t = 0; t < 3; t++)
        for (uint32_t ph = 0; ph < 2; ph++)
            for (uint64_t i = 0; i < 1000; i++)
                if ((simtime)(i % 3) == t && i % 2 == ph)
                    pop_expect(q, t, ph, i);
    assert_int_equal(evq_len(q), 0);
    evq_free(q);
}

static void test_event_fields(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evid a = evq_push(q, 7, 3, 42, UINT64_MAX);
    evid b = evq_push(q, 8, 0, 1, 0);
    assert_true(a != 0 && b != 0 && a != b);
    struct event ev;
    assert_int_equal(evq_peek(q, &ev), 1);
    assert_int_equal(evq_len(q), 2); /* peek leaves it there */
    assert_int_equal(ev.time, 7);
    assert_int_equal(ev.phase, 3);
    assert_int_equal(ev.kind, 42);
    assert_true(ev.arg == UINT64_MAX);
    assert_true(ev.id == a);
    uint64_t seq_a = ev.seq;
    assert_int_equal(evq_pop(q, &ev), 1);
    assert_true(ev.id == a);
    assert_int_equal(evq_pop(q, &ev), 1);
    assert_true(ev.id == b);
    assert_true(ev.seq > seq_a);
    evq_free(q);
}

static void test_cancel(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evid ids[10];
    for (int i = 0; i < 10; i++)
        ids[i] = evq_push(q, i, 0, 0, (uint64_t)i);
    assert_int_equal(evq_cancel(q, ids[0]), 0); /* the root */
    assert_int_equal(evq_cancel(q, ids[9]), 0); /* the last leaf */
    assert_int_equal(evq_cancel(q, ids[4]), 0); /* the middle */
    assert_int_equal(evq_cancel(q, ids[4]), -1);
    assert_int_equal(evq_pending(q, ids[4]), 0);
    assert_int_equal(evq_pending(q, ids[5]), 1);
    assert_int_equal(evq_len(q), 7);
    static const simtime left[] = {1, 2, 3, 5, 6, 7, 8};
    for (int i = 0; i < 7; i++)
        pop_expect(q, left[i], 0, (uint64_t)left[i]);
    evq_free(q);
}

static void test_reschedule(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evid a = evq_push(q, 10, 0, 0, 1);
    evq_push(q, 20, 0, 0, 2);
    evid c = evq_push(q, 30, 0, 0, 3);
    evq_push(q, 40, 0, 0, 4);
    assert_int_equal(evq_reschedule(q, a, 35), 0); /* later */
    assert_int_equal(evq_reschedule(q, c, 5), 0);  /* earlier */
    assert_int_equal(evq_pending(q, a), 1);
    pop_expect(q, 5, 0, 3);
    pop_expect(q, 20, 0, 2);
    pop_expect(q, 35, 0, 1);
    pop_expect(q, 40, 0, 4);
    assert_int_equal(evq_reschedule(q, a, 50), -1);
    evq_free(q);
}

/* A rescheduled event takes a fresh seq: it runs after events already at that time and phase. */
static void test_reschedule_goes_last_among_equals(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evid a = evq_push(q, 10, 0, 0, 1);
    evq_push(q, 10, 0, 0, 2);
    evq_push(q, 10, 0, 0, 3);
    assert_int_equal(evq_reschedule(q, a, 10), 0);
    pop_expect(q, 10, 0, 2);
    pop_expect(q, 10, 0, 3);
    pop_expect(q, 10, 0, 1);
    evq_free(q);
}

/* Slots are reused after a pop, but the old handle is not mistaken for the new event. */
static void test_stale_handle_after_reuse(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evid old = evq_push(q, 1, 0, 0, 1);
    struct event ev;
    evq_pop(q, &ev);
    evid fresh = evq_push(q, 2, 0, 0, 2);
    assert_true((uint32_t)old == (uint32_t)fresh); /* same slot... */
    assert_true(old != fresh);                     /* ...another generation */
    assert_int_equal(evq_pending(q, old), 0);
    assert_int_equal(evq_cancel(q, old), -1);
    assert_int_equal(evq_reschedule(q, old, 9), -1);
    assert_int_equal(evq_pending(q, fresh), 1);
    assert_int_equal(evq_len(q), 1);

    evid c = fresh;
    assert_int_equal(evq_cancel(q, c), 0);
    evid again = evq_push(q, 3, 0, 0, 3);
    assert_int_equal(evq_cancel(q, c), -1);
    assert_int_equal(evq_pending(q, again), 1);

    /* Bogus handles: a slot never allocated, and generation 0 (never issued). */
    assert_int_equal(evq_cancel(q, (evid)1 << 32 | 999), -1);
    assert_int_equal(evq_cancel(q, (uint32_t)again), -1);
    /* Nor does any generation reach a free slot, even the one it is at now. */
    evid gone = evq_push(q, 4, 0, 0, 4);
    assert_int_equal(evq_cancel(q, gone), 0);
    for (uint64_t gen = 0; gen < 16; gen++)
        assert_int_equal(evq_pending(q, gen << 32 | (uint32_t)gone), 0);
    evq_free(q);
}

static void test_take_requeue_release(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    evid a = evq_push(q, 10, 1, 7, 70);
    evq_push(q, 20, 0, 8, 80);
    struct event ev;
    assert_int_equal(evq_take(q, &ev), 1);
    assert_true(ev.id == a);
    assert_int_equal(evq_len(q), 1);
    assert_int_equal(evq_pending(q, a), 0);
    assert_int_equal(evq_cancel(q, a), -1);
    assert_int_equal(evq_reschedule(q, a, 5), -1);
    assert_int_equal(evq_release(q, (evid)1 << 32 | 999), -1);

    /* Requeued under the same id, after what is already at that instant. */
    evq_push(q, 20, 1, 9, 90);
    assert_int_equal(evq_requeue(q, &ev, 20), 0);
    assert_int_equal(evq_requeue(q, &ev, 20), -1); /* already back */
    assert_int_equal(evq_pending(q, a), 1);
    pop_expect(q, 20, 0, 80);
    pop_expect(q, 20, 1, 90);
    assert_int_equal(evq_take(q, &ev), 1);
    assert_true(ev.id == a);
    assert_int_equal(ev.kind, 7);
    assert_int_equal(ev.arg, 70);

    assert_int_equal(evq_release(q, a), 0);
    assert_int_equal(evq_release(q, a), -1);
    assert_int_equal(evq_requeue(q, &ev, 30), -1);
    assert_int_equal(evq_take(q, &ev), 0);
    evq_free(q);
}

/* Freeing a queue with pending and taken events must not leak (checked under ASan). */
static void test_free_with_events(void **state)
{
    (void)state;
    struct evq *q = evq_new();
    for (int i = 0; i < 100; i++)
        evq_push(q, 100 - i, 0, 0, 0);
    struct event ev;
    evq_take(q, &ev);
    evq_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_order_by_time),
        cmocka_unit_test(test_order_by_phase_then_push),
        cmocka_unit_test(test_many_ties_stay_fifo),
        cmocka_unit_test(test_event_fields),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_reschedule),
        cmocka_unit_test(test_reschedule_goes_last_among_equals),
        cmocka_unit_test(test_stale_handle_after_reuse),
        cmocka_unit_test(test_take_requeue_release),
        cmocka_unit_test(test_free_with_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
