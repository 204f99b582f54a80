#include "sim/control/scheduler.h"

#include <stdlib.h>
#include <string.h>

#include "models/kube/framework.h"
#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/* Where a pod is, in pod.queued. */
enum { Q_NONE = 0, Q_ACTIVE = 1, Q_PARKED = 2 };

struct qent {
    int32_t priority;
    int32_t pod;
    uint64_t seq; /* arrival order: the pod's first enqueue */
};

/* Per pod slot bookkeeping. */
struct podq {
    uint64_t seq;
    uint32_t gen;      /* the pod generation this entry belongs to */
    uint32_t attempts; /* failed attempts so far */
};

/*
 * One owner's parked pods, oldest first: a deque of (pod, seq) entries.
 * Entries of pods deleted while parked go stale and are skipped (their pod's
 * seq no longer matches). While `draining`, the head entry's pod is in the
 * active queue; it leaves the deque only when it binds.
 */
struct parked {
    struct qent *v;
    size_t head, n, cap;
    int draining;
};

struct scheduler {
    struct engine *e;
    struct cluster *c;
    struct placement *p;
    uint32_t kind, phase;
    struct sim_observer obs;
    evid cycle; /* pending cycle event, 0 when none */

    struct qent *heap;
    size_t nheap, heapcap;
    size_t nactive;        /* pods in state Q_ACTIVE (the heap may hold stale entries) */
    size_t nparked;        /* pods in state Q_PARKED */
    struct parked *parked; /* by owner */
    size_t nparked_owners;
    struct podq *podq;
    size_t npodq;
    uint64_t next_seq;
    uint64_t failed;
    int retry_all;
    int explain; /* --explain: decisions of the kube framework carry their breakdown */

    /* FitError text cache: pods of one owner fail identically until the cluster changes. */
    uint64_t version;
    int32_t cache_owner;
    uint64_t cache_version;
    char cache_msg[1024];
};

struct scheduler *scheduler_new(struct engine *e, struct cluster *c, struct placement *p,
                                uint32_t cycle_kind, uint32_t cycle_phase,
                                const struct sim_observer *obs)
{
    struct scheduler *s = xcalloc(1, sizeof *s);
    s->e = e;
    s->c = c;
    s->p = p;
    s->kind = cycle_kind;
    s->phase = cycle_phase;
    if (obs)
        s->obs = *obs;
    s->cache_owner = -1;
    return s;
}

void scheduler_free(struct scheduler *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nparked_owners; i++)
        free(s->parked[i].v);
    free(s->parked);
    free(s->heap);
    free(s->podq);
    free(s);
}

/* Heap order: higher priority first, then earlier arrival. */
static int qless(const struct qent *a, const struct qent *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority;
    return a->seq < b->seq;
}

static void heap_push(struct scheduler *s, struct qent q)
{
    xgrow((void **)&s->heap, &s->heapcap, s->nheap + 1, sizeof *s->heap);
    size_t i = s->nheap++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!qless(&q, &s->heap[parent]))
            break;
        s->heap[i] = s->heap[parent];
        i = parent;
    }
    s->heap[i] = q;
}

static struct qent heap_pop(struct scheduler *s)
{
    struct qent top = s->heap[0];
    struct qent last = s->heap[--s->nheap];
    size_t i = 0, n = s->nheap;
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        const struct qent *bv = &last;
        if (l < n && qless(&s->heap[l], bv)) {
            best = l;
            bv = &s->heap[l];
        }
        if (l + 1 < n && qless(&s->heap[l + 1], bv))
            best = l + 1;
        if (best == i)
            break;
        s->heap[i] = s->heap[best];
        i = best;
    }
    if (n)
        s->heap[i] = last;
    return top;
}

static struct podq *podq_of(struct scheduler *s, int32_t pod)
{
    if ((size_t)pod >= s->npodq) {
        size_t n = s->npodq ? s->npodq : 64;
        while (n <= (size_t)pod)
            n *= 2;
        s->podq = xrealloc(s->podq, n * sizeof *s->podq);
        memset(s->podq + s->npodq, 0, (n - s->npodq) * sizeof *s->podq);
        s->npodq = n;
    }
    struct podq *q = &s->podq[pod];
    if (q->gen != s->c->pods[pod].gen) {
        q->gen = s->c->pods[pod].gen;
        q->seq = s->next_seq++;
        q->attempts = 0;
    }
    return q;
}

static struct parked *parked_of(struct scheduler *s, int32_t owner)
{
    if ((size_t)owner >= s->nparked_owners) {
        size_t n = s->c->nowners > (size_t)owner ? s->c->nowners : (size_t)owner + 1;
        s->parked = xrealloc(s->parked, n * sizeof *s->parked);
        memset(s->parked + s->nparked_owners, 0, (n - s->nparked_owners) * sizeof *s->parked);
        s->nparked_owners = n;
    }
    return &s->parked[owner];
}

/* Whether a deque entry still stands for a parked (or draining) pod. */
static int entry_live(struct scheduler *s, const struct qent *q)
{
    if ((size_t)q->pod >= s->npodq || s->podq[q->pod].seq != q->seq)
        return 0;
    const struct pod *p = &s->c->pods[q->pod];
    return p->phase == POD_PENDING && p->queued != Q_NONE && s->podq[q->pod].gen == p->gen;
}

static void want_cycle(struct scheduler *s)
{
    if (!s->cycle)
        s->cycle = engine_at(s->e, engine_now(s->e), s->phase, s->kind, 0);
}

static void push_active(struct scheduler *s, int32_t pod, uint64_t seq)
{
    struct pod *p = &s->c->pods[pod];
    p->queued = Q_ACTIVE;
    s->nactive++;
    heap_push(s, (struct qent){s->c->owners[p->owner].spec.priority, pod, seq});
}

void scheduler_enqueue(struct scheduler *s, int32_t pod)
{
    if (s->c->pods[pod].queued != Q_NONE)
        BUG("pod enqueued twice");
    push_active(s, pod, podq_of(s, pod)->seq);
    want_cycle(s);
}

/*
 * Starts draining an owner's parked pods: its oldest live parked pod goes to
 * the active queue. Stale entries at the head are dropped on the way.
 */
static void drain_next(struct scheduler *s, struct parked *pk)
{
    while (pk->n && !entry_live(s, &pk->v[pk->head])) {
        pk->head++;
        pk->n--;
    }
    if (!pk->n) {
        pk->head = 0;
        pk->draining = 0;
        return;
    }
    const struct qent *q = &pk->v[pk->head];
    s->nparked--;
    pk->draining = 1;
    push_active(s, q->pod, q->seq);
    want_cycle(s);
}

/* Removes a draining head that bound (or went away), and activates the next. */
static void drained_head(struct scheduler *s, struct parked *pk)
{
    pk->head++;
    pk->n--;
    pk->draining = 0;
    drain_next(s, pk);
}

void scheduler_forget(struct scheduler *s, int32_t pod)
{
    struct pod *p = &s->c->pods[pod];
    if (p->queued == Q_NONE)
        return;
    struct parked *pk = parked_of(s, p->owner);
    int was_head = pk->draining && pk->n && pk->v[pk->head].pod == pod &&
                   pk->v[pk->head].seq == podq_of(s, pod)->seq;
    if (p->queued == Q_ACTIVE)
        s->nactive--; /* its heap entry goes stale and is skipped when popped */
    else
        s->nparked--; /* its deque entry goes stale and is skipped */
    p->queued = Q_NONE;
    if (was_head)
        drained_head(s, pk);
}

void scheduler_set_retry_all(struct scheduler *s, int on)
{
    s->retry_all = on;
}

void scheduler_set_explain(struct scheduler *s, int on)
{
    s->explain = on;
}

void scheduler_capacity_changed(struct scheduler *s)
{
    s->version++;
    if (!s->nparked)
        return;
    for (size_t o = 0; o < s->nparked_owners; o++) {
        struct parked *pk = &s->parked[o];
        if (s->retry_all) {
            for (size_t i = 0; i < pk->n; i++) {
                const struct qent *q = &pk->v[pk->head + i];
                if (entry_live(s, q)) {
                    s->nparked--;
                    push_active(s, q->pod, q->seq);
                }
            }
            pk->head = pk->n = 0;
            pk->draining = 0;
            want_cycle(s);
        } else if (pk->n && !pk->draining) {
            drain_next(s, pk);
        }
    }
}

/*
 * Reports a failed attempt with the upstream FitError text. Every attempt is
 * reported, numbered per pod: the summary aggregates the reasons of all of
 * them, the event log keeps the first.
 */
static void report_failure(struct scheduler *s, int32_t pod, const struct kube_explain *ex)
{
    struct pod *p = &s->c->pods[pod];
    struct podq *q = podq_of(s, pod);
    q->attempts++;
    if (!s->obs.event)
        return;
    const char *msg = s->cache_msg;
    if (ex && ex->message) {
        msg = ex->message; /* explain mode already has the text */
    } else if (s->cache_owner != p->owner || s->cache_version != s->version) {
        if (s->p->ops->explain)
            s->p->ops->explain(s->p->state, s->c, pod, s->cache_msg, sizeof s->cache_msg);
        else
            placement_explain(s->c, pod, s->cache_msg, sizeof s->cache_msg);
        s->cache_owner = p->owner;
        s->cache_version = s->version;
    }
    struct simevent ev = {.type = SIMEV_UNSCHEDULABLE,
                          .time = engine_now(s->e),
                          .pod = pod,
                          .node = -1,
                          .owner = p->owner,
                          .message = msg,
                          .attempt = q->attempts,
                          .explain = ex};
    s->obs.event(s->obs.ctx, &ev);
}

static void fail_pod(struct scheduler *s, const struct qent *q, const struct kube_explain *ex)
{
    struct pod *p = &s->c->pods[q->pod];
    struct parked *pk = parked_of(s, p->owner);
    s->failed++;
    report_failure(s, q->pod, ex);
    p->queued = Q_PARKED;
    s->nparked++;
    if (pk->draining && pk->n && pk->v[pk->head].pod == q->pod && pk->v[pk->head].seq == q->seq) {
        pk->draining = 0; /* the head stays where it is, oldest first */
        return;
    }
    /* A pod on its first attempt is younger than every parked pod of its owner. */
    if (pk->head + pk->n == pk->cap && pk->head > 0) {
        memmove(pk->v, pk->v + pk->head, pk->n * sizeof *pk->v);
        pk->head = 0;
    }
    xgrow((void **)&pk->v, &pk->cap, pk->head + pk->n + 1, sizeof *pk->v);
    pk->v[pk->head + pk->n++] = *q;
}

simtime scheduler_cycle(struct engine *e, const struct event *ev, void *ctx)
{
    (void)ev;
    struct scheduler *s = ctx;
    s->cycle = 0;
    while (s->nheap) {
        struct qent q = heap_pop(s);
        struct pod *p = &s->c->pods[q.pod];
        if (p->queued != Q_ACTIVE || p->phase != POD_PENDING || podq_of(s, q.pod)->seq != q.seq)
            continue; /* forgotten (deleted) while queued */
        p->queued = Q_NONE;
        s->nactive--;
        /* Explain mode takes the framework's explained path: the same choice,
         * start index and random draws as place(), with the breakdown kept. */
        struct framework *fw = s->explain ? placement_kube_framework(s->p) : NULL;
        struct kube_explain ex;
        int32_t node = fw ? framework_explain(fw, s->c, q.pod, &ex)
                          : s->p->ops->place(s->p->state, s->c, q.pod);
        if (node < 0) {
            fail_pod(s, &q, fw ? &ex : NULL);
            if (fw)
                kube_explain_release(&ex);
            continue;
        }
        simtime now = engine_now(e);
        cluster_bind(s->c, q.pod, node, now);
        s->version++;
        struct parked *pk = parked_of(s, p->owner);
        if (pk->draining && pk->n && pk->v[pk->head].pod == q.pod && pk->v[pk->head].seq == q.seq)
            drained_head(s, pk);
        if (s->obs.event) {
            struct simevent sev = {.type = SIMEV_SCHEDULED,
                                   .time = now,
                                   .pod = q.pod,
                                   .node = node,
                                   .owner = p->owner,
                                   .latency = now - p->created,
                                   .explain = fw ? &ex : NULL};
            s->obs.event(s->obs.ctx, &sev);
        }
        if (fw)
            kube_explain_release(&ex);
    }
    return ENGINE_DONE;
}

size_t scheduler_pending(const struct scheduler *s)
{
    return s->nactive + s->nparked;
}

uint64_t scheduler_failed_attempts(const struct scheduler *s)
{
    return s->failed;
}
