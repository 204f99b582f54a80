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

/*
 * The far tier. evq_new_sized(64) spills a heap of 64 events, keeping about
 * 4 (64 / 16) of the earliest in the heap, and spreads more than 16 far events
 * into buckets, so a few dozen events reach every tier.
 */
#define SMALL_NEAR 64

/* Pops everything, checking that (time, phase, seq) strictly increases; returns the count. */
static size_t drain_in_order(struct evq *q)
{
    struct event prev, ev;
    size_t n = 0;
    while (evq_pop(q, &ev)) {
        if (n > 0) {
            int later = ev.time > prev.time ||
                        (ev.time == prev.time &&
                         (ev.phase > prev.phase || (ev.phase == prev.phase && ev.seq > prev.seq)));
            assert_true(later);
        }
        prev = ev;
        n++;
    }
    assert_int_equal(evq_len(q), 0);
    return n;
}

static struct evq_stats stats_of(const struct evq *q)
{
    struct evq_stats st;
    evq_stats(q, &st);
    assert_int_equal(st.near + st.far, evq_len(q));
    return st;
}

/* A queue of SMALL_NEAR events at times 0, 1, 2, ..., after which it has a horizon. */
static struct evq *tiered_queue(void)
{
    struct evq *q = evq_new_sized(SMALL_NEAR);
    assert_int_equal(stats_of(q).has_horizon, 0);
    for (int i = 0; i < SMALL_NEAR; i++)
        evq_push(q, i, 0, 0, (uint64_t)i);
    struct evq_stats st = stats_of(q);
    assert_int_equal(st.has_horizon, 1);
    assert_true(st.near > 0 && st.far > 0);
    assert_true(st.horizon > 0 && st.horizon < SMALL_NEAR);
    assert_int_equal(st.near, (size_t)st.horizon); /* exactly the times before H are near */
    return q;
}

/* A small queue is a plain heap; past its size it splits at a horizon. */
static void test_plain_heap_until_spill(void **state)
{
    (void)state;
    struct evq *q = evq_new_sized(SMALL_NEAR);
    for (int i = 0; i < SMALL_NEAR - 1; i++)
        evq_push(q, SMALL_NEAR - i, 0, 0, 0);
    struct evq_stats st = stats_of(q);
    assert_int_equal(st.has_horizon, 0);
    assert_int_equal(st.far, 0);
    assert_int_equal(st.horizon, SIMTIME_NEVER);
    evq_push(q, 0, 0, 0, 0);
    st = stats_of(q);
    assert_int_equal(st.has_horizon, 1);
    assert_true(st.far > 0);
    assert_int_equal(drain_in_order(q), SMALL_NEAR);
    /* Drained, it is a plain heap again. */
    evq_push(q, 5, 0, 0, 0);
    assert_int_equal(stats_of(q).has_horizon, 0);
    evq_free(q);
}

/* An event exactly at H is far, one at H - 1 near; ties at H keep (phase, seq) order. */
static void test_event_exactly_at_horizon(void **state)
{
    (void)state;
    struct evq *q = tiered_queue();
    struct evq_stats st = stats_of(q);
    simtime h = st.horizon;
    size_t near = st.near, far = st.far;

    evq_push(q, h, 1, 0, 1001);
    evq_push(q, h, 0, 0, 1002);
    assert_int_equal(stats_of(q).far, far + 2);
    evq_push(q, h - 1, 1, 0, 1003);
    assert_int_equal(stats_of(q).near, near + 1);
    evq_push(q, h, 1, 0, 1004);
    evq_push(q, h, 0, 0, 1005);
    assert_int_equal(stats_of(q).far, far + 4);

    struct event ev;
    for (simtime t = 0; t < h - 1; t++)
        pop_expect(q, t, 0, (uint64_t)t);
    pop_expect(q, h - 1, 0, (uint64_t)(h - 1));
    pop_expect(q, h - 1, 1, 1003);
    /* The heap is empty now; the next pop moves the far events at H in. */
    assert_int_equal(stats_of(q).near, 0);
    pop_expect(q, h, 0, (uint64_t)h);
    pop_expect(q, h, 0, 1002);
    pop_expect(q, h, 0, 1005);
    pop_expect(q, h, 1, 1001);
    pop_expect(q, h, 1, 1004);
    for (simtime t = h + 1; t < SMALL_NEAR; t++)
        pop_expect(q, t, 0, (uint64_t)t);
    assert_int_equal(evq_pop(q, &ev), 0);
    evq_free(q);
}

/* Events at one time cannot be split into buckets: they are loaded whole, in (phase, seq) order. */
static void test_refill_all_equal_times(void **state)
{
    (void)state;
    struct evq *q = evq_new_sized(SMALL_NEAR);
    for (uint64_t i = 0; i < SMALL_NEAR; i++)
        evq_push(q, 0, 0, 0, i);
    /* A spill could not split them: the horizon is just after them and nothing is far. */
    struct evq_stats st = stats_of(q);
    assert_int_equal(st.has_horizon, 1);
    assert_int_equal(st.horizon, 1);
    assert_int_equal(st.far, 0);
    for (uint64_t i = 0; i < 10 * SMALL_NEAR; i++)
        evq_push(q, 1000, (uint32_t)(i % 3), 0, SMALL_NEAR + i);
    assert_int_equal(stats_of(q).far, 10 * SMALL_NEAR);
    for (uint64_t i = 0; i < SMALL_NEAR; i++)
        pop_expect(q, 0, 0, i);
    for (uint32_t ph = 0; ph < 3; ph++)
        for (uint64_t i = 0; i < 10 * SMALL_NEAR; i++)
            if (i % 3 == ph)
                pop_expect(q, 1000, ph, SMALL_NEAR + i);
    assert_int_equal(evq_len(q), 0);
    evq_free(q);
}

/* With the heap empty and events far, peek, take and pending all see the far ones. */
static void test_empty_heap_nonempty_far(void **state)
{
    (void)state;
    struct evq *q = tiered_queue();
    struct evq_stats st = stats_of(q);
    simtime h = st.horizon;
    struct event ev;
    for (simtime t = 0; t < h; t++)
        pop_expect(q, t, 0, (uint64_t)t);
    st = stats_of(q);
    assert_int_equal(st.near, 0);
    assert_int_equal(st.far, SMALL_NEAR - (size_t)h);
    assert_int_equal(evq_len(q), st.far);

    assert_int_equal(evq_peek(q, &ev), 1);
    assert_int_equal(ev.time, h);
    assert_int_equal(evq_pending(q, ev.id), 1);
    assert_int_equal(evq_len(q), SMALL_NEAR - (size_t)h); /* peek moved, but took nothing */
    assert_true(stats_of(q).near > 0);
    struct event again;
    assert_int_equal(evq_peek(q, &again), 1);
    assert_true(again.id == ev.id && again.seq == ev.seq);

    /* Taken from a refilled heap and put back beyond everything: it goes to the far tier. */
    assert_int_equal(evq_take(q, &again), 1);
    assert_true(again.id == ev.id);
    assert_int_equal(evq_requeue(q, &again, 10 * SMALL_NEAR), 0);
    assert_int_equal(evq_pending(q, ev.id), 1);
    for (simtime t = h + 1; t < SMALL_NEAR; t++)
        pop_expect(q, t, 0, (uint64_t)t);
    assert_int_equal(evq_take(q, &again), 1);
    assert_true(again.id == ev.id);
    assert_int_equal(again.time, 10 * SMALL_NEAR);
    assert_int_equal(evq_release(q, ev.id), 0);
    assert_int_equal(evq_peek(q, &ev), 0);
    evq_free(q);
}

/* Cancelling the only far event empties the far tier; with the heap empty too, the queue. */
static void test_cancel_only_far_event(void **state)
{
    (void)state;
    struct evq *q = evq_new_sized(SMALL_NEAR);
    for (uint64_t i = 0; i < SMALL_NEAR; i++)
        evq_push(q, 0, 0, 0, i);
    evid far = evq_push(q, 50, 0, 0, 99);
    assert_int_equal(stats_of(q).far, 1);
    assert_int_equal(evq_cancel(q, far), 0);
    assert_int_equal(stats_of(q).far, 0);
    assert_int_equal(evq_len(q), SMALL_NEAR);
    assert_int_equal(evq_cancel(q, far), -1);
    assert_int_equal(evq_pending(q, far), 0);
    assert_int_equal(evq_reschedule(q, far, 60), -1);

    /* Now with the heap drained first. */
    far = evq_push(q, 50, 0, 0, 99);
    for (uint64_t i = 0; i < SMALL_NEAR; i++)
        pop_expect(q, 0, 0, i);
    struct evq_stats st = stats_of(q);
    assert_int_equal(st.near, 0);
    assert_int_equal(st.far, 1);
    assert_int_equal(evq_cancel(q, far), 0);
    assert_int_equal(evq_len(q), 0);
    struct event ev;
    assert_int_equal(evq_peek(q, &ev), 0);
    assert_int_equal(evq_pop(q, &ev), 0);
    evq_free(q);
}

/* Reschedule across the horizon keeps the handle and takes a fresh seq in the new tier. */
static void test_reschedule_across_horizon(void **state)
{
    (void)state;
    struct evq *q = tiered_queue();
    simtime h = stats_of(q).horizon;
    evid a = evq_push(q, SMALL_NEAR + 10, 0, 0, 500); /* far */
    evid b = evq_push(q, 0, 0, 0, 501);               /* near */
    size_t far = stats_of(q).far;

    assert_int_equal(evq_reschedule(q, a, 0), 0); /* far to near, after b */
    assert_int_equal(evq_pending(q, a), 1);
    assert_int_equal(stats_of(q).far, far - 1);
    assert_int_equal(evq_reschedule(q, b, h), 0); /* near to far, after the event at h */
    assert_int_equal(stats_of(q).far, far);
    assert_int_equal(evq_reschedule(q, b, h), 0); /* far to far */
    assert_int_equal(stats_of(q).far, far);

    pop_expect(q, 0, 0, 0);
    pop_expect(q, 0, 0, 500);
    for (simtime t = 1; t <= h; t++)
        pop_expect(q, t, 0, (uint64_t)t);
    pop_expect(q, h, 0, 501);
    assert_int_equal(evq_pending(q, b), 0);
    assert_int_equal(drain_in_order(q), SMALL_NEAR - 1 - (size_t)h);
    evq_free(q);
}

/* Rungs over the whole range of time: no overflow at either end. */
static void test_extreme_times(void **state)
{
    (void)state;
    struct evq *q = evq_new_sized(16);
    static const simtime edge[] = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX - 1, INT64_MAX};
    for (int round = 0; round < 40; round++)
        for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
            evq_push(q, edge[i], (uint32_t)(round % 2), 0, 0);
    assert_true(stats_of(q).far > 0);
    struct event ev;
    assert_int_equal(evq_pop(q, &ev), 1);
    assert_int_equal(ev.time, INT64_MIN);
    evq_push(q, INT64_MIN, 0, 0, 0);
    assert_int_equal(drain_in_order(q), 40 * 7);
    evq_free(q);
}

/*
 * Times clustered at every scale (a few at 0..19, then one at each doubling
 * up to the end of time) make buckets that must be spread again and again,
 * down to the deepest stack of rungs; a burst of events at the current time
 * then makes the heap spill while no rung can be added.
 */
static void test_deep_rungs(void **state)
{
    (void)state;
    struct evq *q = evq_new_sized(SMALL_NEAR);
    size_t n = 0;
    for (simtime t = 0; t < 20; t++, n++)
        evq_push(q, t, 0, 0, 0);
    for (int k = 1; k <= 58; k++, n++)
        evq_push(q, (simtime)20 << k, 0, 0, 0);
    struct event ev, prev = {0};
    unsigned deepest = 0;
    size_t popped = 0;
    int burst = 0;
    while (evq_pop(q, &ev)) {
        if (popped++ > 0)
            assert_true(ev.time > prev.time || (ev.time == prev.time && ev.seq > prev.seq));
        prev = ev;
        unsigned r = stats_of(q).rungs;
        deepest = r > deepest ? r : deepest;
        if (r >= 12 && !burst) {
            for (int i = 0; i < 3 * SMALL_NEAR; i++, n++)
                evq_push(q, ev.time, 0, 0, 0);
            burst = 1;
        }
    }
    assert_int_equal(popped, n);
    assert_true(burst);
    assert_true(deepest >= 12);
    evq_free(q);
}

/*
 * A bulk of events followed by a cluster at one far time, then by stragglers
 * at the end of time: the cluster is loaded whole once its turn comes, and
 * the rung stack stays shallow.
 */
static void test_far_cluster_after_bulk(void **state)
{
    (void)state;
    struct evq *q = evq_new_sized(SMALL_NEAR);
    for (uint64_t i = 0; i < 2000; i++)
        evq_push(q, (simtime)(i * 7 % 2000), 0, 0, i);
    for (uint64_t i = 0; i < 3000; i++)
        evq_push(q, (simtime)1 << 40, (uint32_t)(i % 2), 0, i);
    for (uint64_t i = 0; i < 5; i++)
        evq_push(q, INT64_MAX - (simtime)i, 0, 0, i);
    unsigned deepest = 0;
    struct event ev;
    for (simtime t = 0; t < 2000; t++) {
        assert_int_equal(evq_pop(q, &ev), 1);
        assert_int_equal(ev.time, t);
        unsigned r = stats_of(q).rungs;
        deepest = r > deepest ? r : deepest;
    }
    assert_true(deepest <= 4);
    for (uint32_t ph = 0; ph < 2; ph++)
        for (uint64_t i = ph; i < 3000; i += 2)
            pop_expect(q, (simtime)1 << 40, ph, i);
    for (uint64_t i = 5; i-- > 0;)
        pop_expect(q, INT64_MAX - (simtime)i, 0, i);
    assert_int_equal(evq_len(q), 0);
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
        cmocka_unit_test(test_plain_heap_until_spill),
        cmocka_unit_test(test_event_exactly_at_horizon),
        cmocka_unit_test(test_refill_all_equal_times),
        cmocka_unit_test(test_empty_heap_nonempty_far),
        cmocka_unit_test(test_cancel_only_far_event),
        cmocka_unit_test(test_reschedule_across_horizon),
        cmocka_unit_test(test_extreme_times),
        cmocka_unit_test(test_deep_rungs),
        cmocka_unit_test(test_far_cluster_after_bulk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
