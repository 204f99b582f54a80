#include "sim/control/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kube/framework.h"
#include "models/kube/preemption.h"
#include "models/placement/placement.h"
#include "models/placement/shapeindex.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/* Where a pod is, in pod.queued. */
enum { Q_NONE = 0, Q_ACTIVE, Q_BACKOFF, Q_UNSCHED, Q_GATED };

/* What a scheduler event does (its arg). */
enum { TICK_CYCLE = 0, TICK_BACKOFF = 1, TICK_UNSCHED = 2 };

/* The upstream timer periods (scheduling_queue.go, PriorityQueue.Run). */
#define BACKOFF_FLUSH_PERIOD SIMTIME_S
#define UNSCHED_FLUSH_PERIOD (30 * SIMTIME_S)

/*
 * A queue entry: a copy of the keys it is ordered by, and the pod's stint -
 * how many times it had changed queues when the entry was made. An entry
 * whose stint is no longer the pod's is stale (the pod moved on or was
 * deleted) and is skipped; that keeps deletion O(1) everywhere.
 */
struct qent {
    int32_t pod;
    int32_t priority;
    uint32_t stint;
    simtime ts;   /* activeQ: PrioritySort timestamp; backoffQ: expiry; unschedulable: ts */
    double size;  /* `decreasing` only */
    uint64_t seq; /* arrival order: the pod's first enqueue */
};

struct heap {
    struct qent *v;
    size_t n, cap;
    int (*less)(const struct scheduler *s, const struct qent *a, const struct qent *b);
};

/* A FIFO of entries, oldest first (unschedulable pods by failure time; an owner's gated pods). */
struct fifo {
    struct qent *v;
    size_t head, n, cap;
};

/* Per pod slot bookkeeping. */
struct podq {
    uint64_t seq;
    uint32_t gen;      /* the pod generation this entry belongs to */
    uint32_t stint;    /* bumped on every queue change */
    uint32_t failures; /* failed attempts so far: upstream UnschedulableCount */
    simtime ts;        /* upstream QueuedPodInfo.Timestamp */
};

/* Per owner: gating and the same-cycle failure memo. */
struct ownq {
    int gated;
    struct fifo held;
    uint64_t failed_cycle; /* the cycle in which one of its pods last failed, 0 if none */
};

struct scheduler {
    struct engine *e;
    struct cluster *c;
    struct placement *p;
    uint32_t kind, phase;
    struct sim_observer obs;
    struct scheduler_config cfg;
    int reference;
    int explain;        /* --explain: decisions of the kube framework carry their breakdown */
    evid cycle;         /* pending cycle event, 0 when none */
    evid backoff_tick;  /* pending backoff flush, 0 when none */
    simtime backoff_at; /* ... and its time */
    evid unsched_tick;  /* pending unschedulable flush, 0 when none */

    struct heap active, backoff;
    struct fifo unsched;
    size_t count[Q_GATED + 1]; /* pods per place */
    struct podq *podq;
    size_t npodq;
    struct ownq *ownq;
    size_t nownq;
    uint64_t next_seq;
    uint64_t cycles;
    uint64_t attempts, failed;

    /* DefaultPreemption (kube policy only); NULL when the policy cannot preempt. */
    struct preemption *pe;
    int32_t *nominated; /* pods with a nominated node (pod.nominated) */
    size_t nnominated, nominated_cap;
    int32_t *charged; /* nominated pods counted on their nodes during one attempt */
    size_t ncharged, charged_cap;

    /* FitError text cache: pods of one owner fail identically until the cluster changes. */
    uint64_t version;
    int32_t cache_owner;
    uint64_t cache_version;
    char cache_msg[2048];
};

void scheduler_config_default(struct scheduler_config *cfg)
{
    /* pkg/scheduler/apis/config/v1/defaults.go (v1.35) and scheduling_queue.go. */
    cfg->initial_backoff = SIMTIME_S;
    cfg->max_backoff = 10 * SIMTIME_S;
    cfg->max_unschedulable = 5 * SIMTIME_MIN;
    cfg->pop_from_backoffq = 1;
    cfg->decreasing = 0;
}

/* activeQ order: PrioritySort, then (decreasing) larger first, then arrival. */
static int active_less(const struct scheduler *s, const struct qent *a, const struct qent *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority;
    if (a->ts != b->ts)
        return a->ts < b->ts;
    if (s->cfg.decreasing && a->size != b->size)
        return a->size > b->size;
    return a->seq < b->seq;
}

/* backoffQ order: earlier expiry (backoff_queue.go lessBackoffCompleted), then as activeQ. */
static int backoff_less(const struct scheduler *s, const struct qent *a, const struct qent *b)
{
    (void)s;
    if (a->ts != b->ts)
        return a->ts < b->ts;
    if (a->priority != b->priority)
        return a->priority > b->priority;
    return a->seq < b->seq;
}

static void heap_push(const struct scheduler *s, struct heap *h, struct qent q)
{
    xgrow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v);
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!h->less(s, &q, &h->v[parent]))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = q;
}

static struct qent heap_pop(const struct scheduler *s, struct heap *h)
{
    struct qent top = h->v[0];
    struct qent last = h->v[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        const struct qent *bv = &last;
        if (l < n && h->less(s, &h->v[l], bv)) {
            best = l;
            bv = &h->v[l];
        }
        if (l + 1 < n && h->less(s, &h->v[l + 1], bv))
            best = l + 1;
        if (best == i)
            break;
        h->v[i] = h->v[best];
        i = best;
    }
    if (n)
        h->v[i] = last;
    return top;
}

static void fifo_push(struct fifo *f, struct qent q)
{
    if (f->head + f->n == f->cap && f->head > 0) {
        memmove(f->v, f->v + f->head, f->n * sizeof *f->v);
        f->head = 0;
    }
    xgrow((void **)&f->v, &f->cap, f->head + f->n + 1, sizeof *f->v);
    f->v[f->head + f->n++] = q;
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
    if (q->gen != s->c->pods[pod].gen || q->seq == 0) {
        /* A new pod in this slot; the stint keeps counting so old entries stay stale. */
        q->gen = s->c->pods[pod].gen;
        q->seq = ++s->next_seq;
        q->stint++;
        q->failures = 0;
        q->ts = engine_now(s->e);
    }
    return q;
}

static struct ownq *ownq_of(struct scheduler *s, int32_t owner)
{
    if ((size_t)owner >= s->nownq) {
        size_t n = s->c->nowners > (size_t)owner ? s->c->nowners : (size_t)owner + 1;
        s->ownq = xrealloc(s->ownq, n * sizeof *s->ownq);
        memset(s->ownq + s->nownq, 0, (n - s->nownq) * sizeof *s->ownq);
        s->nownq = n;
    }
    return &s->ownq[owner];
}

/* Whether an entry still stands for its pod in place `where`. */
static int entry_live(const struct scheduler *s, const struct qent *q, int where)
{
    if ((size_t)q->pod >= s->npodq)
        return 0;
    const struct pod *p = &s->c->pods[q->pod];
    const struct podq *pq = &s->podq[q->pod];
    return p->phase == POD_PENDING && p->queued == where && pq->gen == p->gen &&
           pq->stint == q->stint;
}

/* Takes a pod out of its place; its entries there go stale. */
static void leave(struct scheduler *s, int32_t pod)
{
    struct pod *p = &s->c->pods[pod];
    s->count[p->queued]--;
    p->queued = Q_NONE;
    s->podq[pod].stint++;
}

/* The pod's entry for place `where`, with the keys as of now. */
static struct qent entry(struct scheduler *s, int32_t pod, int where)
{
    struct pod *p = &s->c->pods[pod];
    struct podq *pq = podq_of(s, pod);
    p->queued = (uint8_t)where;
    s->count[where]++;
    return (struct qent){.pod = pod,
                         .priority = s->c->owners[p->owner].spec.priority,
                         .stint = pq->stint,
                         .ts = pq->ts,
                         .seq = pq->seq};
}

static void want_cycle(struct scheduler *s)
{
    if (!s->cycle)
        s->cycle = engine_at(s->e, engine_now(s->e), s->phase, s->kind, TICK_CYCLE);
}

/* `decreasing`'s size: sum of request / cluster allocatable over the pod's dimensions. */
static double pod_size(const struct scheduler *s, int32_t pod)
{
    const struct resources *req = &s->c->owners[s->c->pods[pod].owner].spec.req;
    const struct resources *tot = &s->c->alloc_total;
    double size = 0;
    for (int d = 0; d < RES_MAX; d++)
        if (shapeindex_weight[d] > 0 && req->v[d] > 0 && tot->v[d] > 0)
            size += (double)shapeindex_weight[d] * (double)req->v[d] / (double)tot->v[d];
    return size;
}

static void push_active(struct scheduler *s, int32_t pod)
{
    struct qent q = entry(s, pod, Q_ACTIVE);
    if (s->cfg.decreasing)
        q.size = pod_size(s, pod);
    heap_push(s, &s->active, q);
    want_cycle(s);
}

/* backoff_queue.go calculateBackoffDuration: initial doubled per failure after the first. */
static simtime backoff_expiry(const struct scheduler *s, const struct podq *pq)
{
    if (pq->failures == 0)
        return pq->ts;
    simtime d = s->cfg.initial_backoff;
    for (uint32_t i = 1; i < pq->failures; i++) {
        if (d > s->cfg.max_backoff - d)
            return pq->ts + s->cfg.max_backoff;
        d += d;
    }
    return pq->ts + d;
}

/* The first tick of a timer with period `period` (started at 0) at or after t. */
static simtime tick_at_or_after(simtime t, simtime period)
{
    return (t + period - 1) / period * period;
}

/* Drops stale entries from the top of a heap; returns the live top or NULL. */
static const struct qent *heap_top(struct scheduler *s, struct heap *h, int where)
{
    while (h->n && !entry_live(s, &h->v[0], where))
        heap_pop(s, h);
    return h->n ? &h->v[0] : NULL;
}

/* Keeps the backoff flush tick armed for backoffQ's earliest expiry. */
static void arm_backoff_tick(struct scheduler *s)
{
    const struct qent *top = heap_top(s, &s->backoff, Q_BACKOFF);
    if (!top)
        return;
    simtime t = tick_at_or_after(top->ts, BACKOFF_FLUSH_PERIOD);
    if (s->backoff_tick && engine_pending(s->e, s->backoff_tick)) {
        if (s->backoff_at <= t)
            return;
        engine_cancel(s->e, s->backoff_tick);
    }
    s->backoff_at = t;
    s->backoff_tick = engine_at(s->e, t, s->phase, s->kind, TICK_BACKOFF);
}

/* Drops stale entries from the front of the unschedulable FIFO; returns the live front or NULL. */
static const struct qent *unsched_front(struct scheduler *s)
{
    struct fifo *f = &s->unsched;
    while (f->n && !entry_live(s, &f->v[f->head], Q_UNSCHED)) {
        f->head++;
        f->n--;
    }
    if (!f->n)
        f->head = 0;
    return f->n ? &f->v[f->head] : NULL;
}

/*
 * Keeps the unschedulable flush armed: the first 30 s tick at which the
 * oldest unschedulable pod has waited more than max_unschedulable.
 */
static void arm_unsched_tick(struct scheduler *s)
{
    if (s->unsched_tick && engine_pending(s->e, s->unsched_tick))
        return;
    const struct qent *front = unsched_front(s);
    if (!front)
        return;
    simtime t =
        (front->ts + s->cfg.max_unschedulable) / UNSCHED_FLUSH_PERIOD * UNSCHED_FLUSH_PERIOD +
        UNSCHED_FLUSH_PERIOD;
    if (t < engine_now(s->e))
        t = tick_at_or_after(engine_now(s->e), UNSCHED_FLUSH_PERIOD);
    s->unsched_tick = engine_at(s->e, t, s->phase, s->kind, TICK_UNSCHED);
}

/* movePodsToActiveOrBackoffQueue for one pod: backoffQ while it backs off, else activeQ. */
static void requeue(struct scheduler *s, int32_t pod)
{
    leave(s, pod);
    simtime expiry = backoff_expiry(s, &s->podq[pod]);
    if (expiry > engine_now(s->e)) {
        struct qent q = entry(s, pod, Q_BACKOFF);
        q.ts = expiry;
        heap_push(s, &s->backoff, q);
        arm_backoff_tick(s);
        if (s->cfg.pop_from_backoffq)
            want_cycle(s);
    } else {
        push_active(s, pod);
    }
}

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
    scheduler_config_default(&s->cfg);
    s->active.less = active_less;
    s->backoff.less = backoff_less;
    s->cache_owner = -1;
    return s;
}

void scheduler_free(struct scheduler *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nownq; i++)
        free(s->ownq[i].held.v);
    free(s->ownq);
    free(s->active.v);
    free(s->backoff.v);
    free(s->unsched.v);
    free(s->podq);
    preemption_free(s->pe);
    free(s->nominated);
    free(s->charged);
    free(s);
}

void scheduler_configure(struct scheduler *s, const struct scheduler_config *cfg)
{
    s->cfg = *cfg;
}

void scheduler_set_reference(struct scheduler *s, int on)
{
    s->reference = on;
}

void scheduler_set_explain(struct scheduler *s, int on)
{
    s->explain = on;
}

void scheduler_set_preemption(struct scheduler *s, gsl_rng *rng)
{
    if (placement_kube_framework(s->p) && !s->pe)
        s->pe = preemption_new(rng);
}

/* ---- nominated pods (the PodNominator of scheduling_queue.go) ---- */

static void nominate(struct scheduler *s, int32_t pod, int32_t node)
{
    struct pod *p = &s->c->pods[pod];
    if (p->nominated < 0) {
        xgrow((void **)&s->nominated, &s->nominated_cap, s->nnominated + 1, sizeof *s->nominated);
        s->nominated[s->nnominated++] = pod;
    }
    p->nominated = node;
}

static void unnominate(struct scheduler *s, int32_t pod)
{
    struct pod *p = &s->c->pods[pod];
    if (p->nominated < 0)
        return;
    p->nominated = -1;
    for (size_t i = 0; i < s->nnominated; i++) {
        if (s->nominated[i] == pod) {
            memmove(s->nominated + i, s->nominated + i + 1,
                    (s->nnominated - i - 1) * sizeof *s->nominated);
            s->nnominated--;
            break;
        }
    }
}

/*
 * RunFilterPluginsWithNominatedPods (framework/runtime/framework.go, v1.35):
 * while pod is tried, the other pods nominated to a node with a priority at
 * least pod's count there. ksim counts their requests on the node (what
 * NodeResourcesFit sees); their labels and ports do not take part, so the
 * second pass without them that upstream makes for affinity cannot differ.
 */
static void charge(struct scheduler *s, int32_t pod)
{
    int32_t prio = s->c->owners[s->c->pods[pod].owner].spec.priority;
    s->ncharged = 0;
    for (size_t i = 0; i < s->nnominated; i++) {
        int32_t q = s->nominated[i];
        const struct pod *qp = &s->c->pods[q];
        if (q == pod || s->c->owners[qp->owner].spec.priority < prio ||
            !s->c->nodes[qp->nominated].alive)
            continue;
        xgrow((void **)&s->charged, &s->charged_cap, s->ncharged + 1, sizeof *s->charged);
        s->charged[s->ncharged++] = q;
        cluster_reserve(s->c, qp->nominated, q, +1);
    }
}

static void uncharge(struct scheduler *s)
{
    for (size_t i = 0; i < s->ncharged; i++)
        cluster_reserve(s->c, s->c->pods[s->charged[i]].nominated, s->charged[i], -1);
    s->ncharged = 0;
}

void scheduler_enqueue(struct scheduler *s, int32_t pod)
{
    struct pod *p = &s->c->pods[pod];
    if (p->queued != Q_NONE)
        BUG("pod enqueued twice");
    struct ownq *o = ownq_of(s, p->owner);
    if (o->gated) {
        fifo_push(&o->held, entry(s, pod, Q_GATED));
        return;
    }
    push_active(s, pod);
}

void scheduler_forget(struct scheduler *s, int32_t pod)
{
    if (s->c->pods[pod].queued != Q_NONE)
        leave(s, pod);
    unnominate(s, pod);
}

void scheduler_gate(struct scheduler *s, int32_t owner)
{
    ownq_of(s, owner)->gated = 1;
}

void scheduler_ungate(struct scheduler *s, int32_t owner)
{
    struct ownq *o = ownq_of(s, owner);
    o->gated = 0;
    /* PreEnqueue passes now: the held pods enter activeQ with their arrival timestamps. */
    for (size_t i = 0; i < o->held.n; i++) {
        const struct qent *q = &o->held.v[o->held.head + i];
        if (entry_live(s, q, Q_GATED)) {
            leave(s, q->pod);
            push_active(s, q->pod);
        }
    }
    o->held.head = o->held.n = 0;
}

/*
 * The failure text of a pod that fits nowhere: the policy's FitError and,
 * when the kube profile runs DefaultPreemption, its PostFilter status
 * (FitError.Error appends Diagnosis.PostFilterMsg). Only for pods that
 * preemption cannot help (preemption_may_help), whose PostFilter needs no
 * dry run and changes nothing.
 */
static void failure_text(struct scheduler *s, int32_t pod, char *buf, size_t len)
{
    struct framework *fw = s->pe ? placement_kube_framework(s->p) : NULL;
    if (fw && framework_preemption(fw)) {
        struct kube_explain d;
        struct preemption_result res;
        framework_diagnose(fw, s->c, pod, &d);
        preemption_run(s->pe, fw, s->c, pod, &d, &res);
        /* FitError.Error appends the PostFilter message after a space; snprintf truncates. */
        snprintf(buf, len, "%s%s%s", d.message ? d.message : "", res.message[0] ? " " : "",
                 res.message);
        kube_explain_release(&d);
    } else if (s->p->ops->explain) {
        s->p->ops->explain(s->p->state, s->c, pod, buf, len);
    } else {
        placement_explain(s->c, pod, buf, len);
    }
}

/*
 * Counts a failed attempt (upstream's UnschedulableCount) and reports it with
 * the upstream FitError text. Every attempt is reported, numbered per pod:
 * the summary aggregates the reasons of all of them, the event log keeps the
 * first.
 */
static void report_failure(struct scheduler *s, int32_t pod, const struct kube_explain *ex,
                           const char *text)
{
    struct pod *p = &s->c->pods[pod];
    struct podq *q = podq_of(s, pod);
    s->failed++;
    q->failures++;
    if (!s->obs.event)
        return;
    const char *msg = s->cache_msg;
    if (text) {
        msg = text; /* the PostFilter ran: its outcome is in the text */
    } else if (ex && ex->message) {
        msg = ex->message; /* explain mode already has the text */
    } else if (s->cache_owner != p->owner || s->cache_version != s->version || p->nominated >= 0) {
        /* A nominated pod's text depends on its own nomination: not cached. */
        failure_text(s, pod, s->cache_msg, sizeof s->cache_msg);
        s->cache_owner = p->nominated >= 0 ? -1 : p->owner;
        s->cache_version = s->version;
    }
    struct simevent ev = {.type = SIMEV_UNSCHEDULABLE,
                          .time = engine_now(s->e),
                          .pod = pod,
                          .node = -1,
                          .owner = p->owner,
                          .message = msg,
                          .attempt = q->failures,
                          .explain = ex};
    s->obs.event(s->obs.ctx, &ev);
}

/* The most free capacity of any live node, per dimension (INT64_MIN with no node). */
static void max_free(const struct cluster *c, struct resources *out)
{
    for (int d = 0; d < RES_MAX; d++)
        out->v[d] = INT64_MIN;
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct node *n = &c->nodes[i];
        for (int d = 0; n->alive && d < RES_MAX; d++)
            if (n->alloc.v[d] - n->used.v[d] > out->v[d])
                out->v[d] = n->alloc.v[d] - n->used.v[d];
    }
}

/* Whether a pod requesting req fits on no node, judged by max_free's bound alone. */
static int fits_nowhere(const struct resources *req, const struct resources *mx)
{
    for (int d = 0; d < RES_MAX; d++)
        if (req->v[d] > 0 && req->v[d] > mx->v[d])
            return 1;
    return 0;
}

/*
 * A cluster event. With PopFromBackoffQ every moved pod is attempted in the
 * cycle at this instant; a pod that asks more of some resource than any node
 * has free fails there whatever the order (capacity only shrinks within a
 * cycle), and its failure changes nothing else. So when the policy fits by
 * resources, such a pod is failed here - failure counted, timestamp
 * refreshed, back among the unschedulable - exactly as the cycle would, but
 * without two heap operations and a policy call per pod: what keeps 100k
 * pending pods and frequent completions tractable. The bound costs a pass
 * over the nodes, so it is taken only when the unschedulable pods are many.
 */
void scheduler_capacity_changed(struct scheduler *s)
{
    s->version++;
    struct fifo old = s->unsched;
    memset(&s->unsched, 0, sizeof s->unsched);
    struct resources mx;
    int bound = s->cfg.pop_from_backoffq && !s->reference && s->p->ops->resource_fit &&
                s->count[Q_UNSCHED] * 4 >= s->c->nnodes;
    if (bound)
        max_free(s->c, &mx);
    simtime now = engine_now(s->e);
    for (size_t i = 0; i < old.n; i++) {
        const struct qent *q = &old.v[old.head + i];
        if (!entry_live(s, q, Q_UNSCHED))
            continue;
        const struct pod *p = &s->c->pods[q->pod];
        if (bound && fits_nowhere(&s->c->owners[p->owner].spec.req, &mx)) {
            struct podq *pq = &s->podq[q->pod];
            leave(s, q->pod);
            s->attempts++;
            report_failure(s, q->pod, NULL, NULL);
            pq->ts = now;
            fifo_push(&s->unsched, entry(s, q->pod, Q_UNSCHED));
        } else {
            requeue(s, q->pod);
        }
    }
    free(old.v);
    arm_unsched_tick(s);
}

/* AddUnschedulableIfNotPresent: count the failure, refresh the timestamp, park the pod. */
static void fail_pod(struct scheduler *s, int32_t pod, const struct kube_explain *ex,
                     const char *text)
{
    struct podq *pq = podq_of(s, pod);
    report_failure(s, pod, ex, text);
    pq->ts = engine_now(s->e);
    fifo_push(&s->unsched, entry(s, pod, Q_UNSCHED));
    arm_unsched_tick(s);
}

/*
 * DefaultPreemption after a failed kube cycle (schedule_one.go, v1.35: the
 * PostFilter runs with the FitError's diagnosis, then the failure is
 * handled). A chosen node is carried out at once: the observer deletes the
 * victims gracefully (SIMEV_PREEMPTED), lower-priority pods nominated to
 * that node lose their nomination (prepareCandidate), and the pod is
 * nominated there and goes back to the queue as unschedulable, like any
 * failure; the victims' deletion later moves it. Returns the failure text.
 *
 * SchedulerAsyncPreemption (beta, on by default since v1.33) runs the
 * deletions in a goroutine and holds the pod in PreEnqueue until they were
 * issued; API calls take no simulated time, so the victims get their
 * deletion timestamp at the same instant either way and nothing observable
 * changes: ksim follows the synchronous order.
 */
static char *postfilter(struct scheduler *s, struct framework *fw, int32_t pod,
                        const struct kube_explain *ex)
{
    struct kube_explain own;
    const struct kube_explain *diag = ex;
    if (!diag) {
        framework_diagnose(fw, s->c, pod, &own);
        diag = &own;
    }
    struct preemption_result res;
    preemption_run(s->pe, fw, s->c, pod, diag, &res);
    char *text = xasprintf("%s%s%s", diag->message ? diag->message : "", res.message[0] ? " " : "",
                           res.message);
    if (!ex)
        kube_explain_release(&own);
    uncharge(s);
    if (res.outcome == PREEMPTION_NO_CANDIDATE) {
        unnominate(s, pod);
    } else if (res.outcome == PREEMPTION_NOMINATED) {
        int32_t prio = s->c->owners[s->c->pods[pod].owner].spec.priority;
        for (size_t i = s->nnominated; i-- > 0;) {
            int32_t q = s->nominated[i];
            if (s->c->pods[q].nominated == res.node &&
                s->c->owners[s->c->pods[q].owner].spec.priority < prio)
                unnominate(s, q);
        }
        nominate(s, pod, res.node);
        s->version++;
        if (s->obs.event) {
            struct simevent ev = {.type = SIMEV_PREEMPTED,
                                  .time = engine_now(s->e),
                                  .pod = pod,
                                  .node = res.node,
                                  .owner = s->c->pods[pod].owner,
                                  .victims = res.victims,
                                  .nvictims = res.nvictims};
            s->obs.event(s->obs.ctx, &ev);
        }
    }
    return text;
}

/* One scheduling attempt of a pod popped from activeQ or backoffQ. */
static void attempt(struct scheduler *s, int32_t pod)
{
    struct pod *p = &s->c->pods[pod];
    struct ownq *o = ownq_of(s, p->owner);
    leave(s, pod);
    s->attempts++;
    /* Explain mode takes the framework's explained path: the same choice,
     * start index and random draws as place(), with the breakdown kept; it
     * asks for every attempt, so that each first failure has its breakdown. */
    struct framework *fw = s->explain ? placement_kube_framework(s->p) : NULL;
    /* A pod that may preempt changes the cluster when it fails, so its
     * siblings are asked again rather than answered from its failure. */
    struct framework *kfw = s->pe ? placement_kube_framework(s->p) : NULL;
    int may_preempt = kfw && preemption_may_help(kfw, s->c, pod);
    struct kube_explain ex;
    int32_t node = -1;
    charge(s, pod);
    if (fw)
        node = framework_explain(fw, s->c, pod, &ex);
    else if (s->reference || may_preempt || o->failed_cycle != s->cycles)
        node = s->p->ops->place(s->p->state, s->c, pod);
    if (node < 0) {
        o->failed_cycle = s->cycles;
        char *text = NULL;
        if (may_preempt || (fw && kfw && framework_preemption(kfw)))
            text = postfilter(s, kfw, pod, fw ? &ex : NULL);
        fail_pod(s, pod, fw ? &ex : NULL, text);
        uncharge(s);
        free(text);
        if (fw)
            kube_explain_release(&ex);
        return;
    }
    uncharge(s);
    unnominate(s, pod);
    simtime now = engine_now(s->e);
    cluster_bind(s->c, pod, node, now);
    s->version++;
    if (s->obs.event) {
        struct simevent sev = {.type = SIMEV_SCHEDULED,
                               .time = now,
                               .pod = pod,
                               .node = node,
                               .owner = p->owner,
                               .latency = now - p->created,
                               .explain = fw ? &ex : NULL};
        s->obs.event(s->obs.ctx, &sev);
    }
    if (fw)
        kube_explain_release(&ex);
}

/* Pops activeQ until it is empty, then (PopFromBackoffQ) backoffQ. */
static void run_cycle(struct scheduler *s)
{
    s->cycles++;
    for (;;) {
        const struct qent *q = heap_top(s, &s->active, Q_ACTIVE);
        struct heap *h = &s->active;
        if (!q && s->cfg.pop_from_backoffq) {
            q = heap_top(s, &s->backoff, Q_BACKOFF);
            h = &s->backoff;
        }
        if (!q)
            break;
        attempt(s, heap_pop(s, h).pod);
    }
}

/* flushBackoffQCompleted: pods whose backoff expired by now go to activeQ. */
static void flush_backoff(struct scheduler *s)
{
    const struct qent *q;
    while ((q = heap_top(s, &s->backoff, Q_BACKOFF)) && q->ts <= engine_now(s->e)) {
        int32_t pod = heap_pop(s, &s->backoff).pod;
        leave(s, pod);
        push_active(s, pod);
    }
    arm_backoff_tick(s);
}

/* flushUnschedulablePodsLeftover: pods that failed more than max_unschedulable ago. */
static void flush_unsched(struct scheduler *s)
{
    simtime now = engine_now(s->e);
    const struct qent *q;
    while ((q = unsched_front(s)) && now - q->ts > s->cfg.max_unschedulable) {
        int32_t pod = q->pod;
        s->unsched.head++;
        s->unsched.n--;
        requeue(s, pod);
    }
    arm_unsched_tick(s);
}

simtime scheduler_cycle(struct engine *e, const struct event *ev, void *ctx)
{
    (void)e;
    struct scheduler *s = ctx;
    switch (ev->arg) {
    case TICK_BACKOFF:
        s->backoff_tick = 0;
        flush_backoff(s);
        break;
    case TICK_UNSCHED:
        s->unsched_tick = 0;
        flush_unsched(s);
        break;
    default:
        s->cycle = 0;
        run_cycle(s);
        break;
    }
    return ENGINE_DONE;
}

size_t scheduler_pending(const struct scheduler *s)
{
    return s->count[Q_ACTIVE] + s->count[Q_BACKOFF] + s->count[Q_UNSCHED] + s->count[Q_GATED];
}

uint64_t scheduler_failed_attempts(const struct scheduler *s)
{
    return s->failed;
}

uint64_t scheduler_attempts(const struct scheduler *s)
{
    return s->attempts;
}
