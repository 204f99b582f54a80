#include "sim/cluster/cluster.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/diag.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/topoindex.h"

/*
 * Pod slots: pods[0..npods) have been handed out at least once; a free slot
 * has phase POD_DELETED and is linked into free_pods through node_next. Its
 * generation is bumped when the slot is reused, so a handle taken before the
 * reuse no longer matches. Generations start at 1 and skip 0 on wrap-around,
 * which keeps every handle non-zero (0 means "no pod" to event arguments).
 */

void podspec_init(struct podspec *ps)
{
    memset(ps, 0, sizeof *ps);
    labelset_init(&ps->node_selector);
    labelset_init(&ps->labels);
    ps->req.v[RES_PODS] = 1;
    ps->grace = 30 * SIMTIME_S;
}

const char *podspec_namespace(const struct podspec *ps)
{
    return ps->namespace ? ps->namespace : "default";
}

void podspec_release(struct podspec *ps)
{
    labelset_release(&ps->node_selector);
    labelset_release(&ps->labels);
    free(ps->namespace);
    for (size_t i = 0; i < ps->ntols; i++)
        toleration_release(&ps->tols[i]);
    free(ps->tols);
    free(ps->node_name);
    node_affinity_release(&ps->affinity);
    for (size_t i = 0; i < ps->nports; i++)
        free(ps->ports[i].ip);
    free(ps->ports);
    for (size_t i = 0; i < ps->nimages; i++)
        free(ps->images[i]);
    free(ps->images);
    podaffinity_free(ps->aff);
    free(ps->replicaset);
    memset(ps, 0, sizeof *ps);
}

struct cluster *cluster_new(void)
{
    struct cluster *c = xcalloc(1, sizeof *c);
    resnames_init(&c->resnames);
    c->free_pods = -1;
    return c;
}

void cluster_free(struct cluster *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nnodes; i++) {
        struct node *n = &c->nodes[i];
        free(n->name);
        labelset_release(&n->labels);
        for (size_t j = 0; j < n->ntaints; j++)
            taint_release(&n->taints[j]);
        free(n->taints);
        cluster_set_node_images(c, (int32_t)i, NULL, 0);
    }
    free(c->nodes);
    free(c->pods);
    for (size_t i = 0; i < c->nowners; i++) {
        free(c->owners[i].name);
        podspec_release(&c->owners[i].spec);
    }
    free(c->owners);
    for (size_t i = 0; i < c->npools; i++)
        free(c->pool_names[i]);
    free(c->pool_names);
    free(c->listeners);
    free(c->prio);
    topoindex_free(c->topo);
    resnames_release(&c->resnames);
    free(c);
}

void cluster_listen(struct cluster *c, const struct cluster_listener *l)
{
    xgrow((void **)&c->listeners, &c->listeners_cap, c->nlisteners + 1, sizeof *c->listeners);
    c->listeners[c->nlisteners++] = *l;
}

static void notify_pod(struct cluster *c, int32_t pod, int32_t node, int delta)
{
    if (c->topo)
        topoindex_pod_moved(c->topo, c->pods[pod].owner, node, delta);
}

static void notify_node(struct cluster *c, int32_t node)
{
    c->nodes[node].version++;
    for (size_t i = 0; i < c->nlisteners; i++)
        c->listeners[i].node_changed(c->listeners[i].ctx, node);
}

int32_t cluster_add_pool(struct cluster *c, const char *name)
{
    xgrow((void **)&c->pool_names, &c->pools_cap, c->npools + 1, sizeof *c->pool_names);
    c->pool_names[c->npools] = xstrdup(name);
    return (int32_t)c->npools++;
}

int32_t cluster_find_pool(const struct cluster *c, const char *name)
{
    for (size_t i = 0; i < c->npools; i++)
        if (strcmp(c->pool_names[i], name) == 0)
            return (int32_t)i;
    return -1;
}

/* ---- nodes ---- */

int32_t cluster_add_node(struct cluster *c, const char *name, int32_t pool,
                         const struct resources *alloc, const struct labelset *labels,
                         const struct taint *taints, size_t ntaints, int unschedulable)
{
    if (c->nnodes >= INT32_MAX)
        BUG("too many nodes");
    xgrow((void **)&c->nodes, &c->nodes_cap, c->nnodes + 1, sizeof *c->nodes);
    int32_t id = (int32_t)c->nnodes++;
    struct node *n = &c->nodes[id];
    memset(n, 0, sizeof *n);
    n->name = xstrdup(name);
    n->pool = pool;
    n->alive = 1;
    n->alloc = *alloc;
    res_zero(&n->used);
    if (labels)
        labelset_copy(&n->labels, labels);
    else
        labelset_init(&n->labels);
    if (ntaints) {
        n->taints = xcalloc(ntaints, sizeof *n->taints);
        for (size_t i = 0; i < ntaints; i++)
            taint_copy(&n->taints[i], &taints[i]);
    }
    n->ntaints = ntaints;
    n->unschedulable = unschedulable != 0;
    n->pods_head = -1;
    res_add(&c->alloc_total, alloc);
    c->nalive++;
    notify_node(c, id);
    return id;
}

int32_t cluster_find_node(const struct cluster *c, const char *name)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i].alive && strcmp(c->nodes[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

void cluster_remove_node(struct cluster *c, int32_t node)
{
    if (node < 0 || (size_t)node >= c->nnodes || !c->nodes[node].alive)
        BUG("removing a node that is not alive");
    struct node *n = &c->nodes[node];
    if (n->pods_head != -1)
        BUG("removing a node that still has bound pods");
    n->alive = 0;
    if (c->topo)
        topoindex_node_removed(c->topo, node);
    res_sub(&c->alloc_total, &n->alloc);
    c->nalive--;
    notify_node(c, node);
}

void cluster_set_node_images(struct cluster *c, int32_t node, const struct node_image *images,
                             size_t n)
{
    struct node *nd = &c->nodes[node];
    nd->version++;
    for (size_t i = 0; i < nd->nimages; i++)
        free(nd->images[i].name);
    free(nd->images);
    nd->images = NULL;
    nd->nimages = 0;
    if (!n)
        return;
    nd->images = xcalloc(n, sizeof *nd->images);
    for (size_t i = 0; i < n; i++) {
        nd->images[i].name = xstrdup(images[i].name);
        nd->images[i].size = images[i].size;
    }
    nd->nimages = n;
}

/* ---- owners ---- */

int32_t cluster_add_owner(struct cluster *c, enum owner_kind kind, const char *name,
                          struct podspec *spec, int32_t desired)
{
    xgrow((void **)&c->owners, &c->owners_cap, c->nowners + 1, sizeof *c->owners);
    int32_t id = (int32_t)c->nowners++;
    struct owner *o = &c->owners[id];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->name = xstrdup(name);
    o->spec = *spec;
    o->spec.req.v[RES_PODS] = 1;
    if (!o->spec.nonzero_known) {
        /* One container: a missing (zero) cpu or memory request gets the default. */
        o->spec.nonzero_cpu =
            o->spec.req.v[RES_CPU] ? o->spec.req.v[RES_CPU] : POD_DEFAULT_MILLI_CPU;
        o->spec.nonzero_mem =
            o->spec.req.v[RES_MEMORY] ? o->spec.req.v[RES_MEMORY] : POD_DEFAULT_MEMORY;
        o->spec.nonzero_known = 1;
    }
    /* The caller's copy no longer owns anything; releasing it is harmless. */
    podspec_init(spec);
    o->desired = desired;
    o->pods_head = -1;
    return id;
}

int32_t cluster_find_owner(const struct cluster *c, const char *name)
{
    for (size_t i = 0; i < c->nowners; i++)
        if (strcmp(c->owners[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

/* ---- pods ---- */

static struct pod *live_pod(struct cluster *c, int32_t pod)
{
    if (pod < 0 || (size_t)pod >= c->npods || c->pods[pod].phase == POD_DELETED)
        BUG("pod is not live");
    return &c->pods[pod];
}

int32_t cluster_new_pod(struct cluster *c, int32_t owner, simtime now)
{
    if (owner < 0 || (size_t)owner >= c->nowners)
        BUG("bad owner");
    int32_t id;
    uint32_t gen;
    if (c->free_pods >= 0) {
        id = c->free_pods;
        c->free_pods = c->pods[id].node_next;
        gen = c->pods[id].gen + 1;
        if (gen == 0)
            gen = 1;
    } else {
        if (c->npods >= INT32_MAX)
            BUG("too many pods");
        xgrow((void **)&c->pods, &c->pods_cap, c->npods + 1, sizeof *c->pods);
        id = (int32_t)c->npods++;
        gen = 1;
    }
    struct pod *p = &c->pods[id];
    struct owner *o = &c->owners[owner];
    memset(p, 0, sizeof *p);
    p->gen = gen;
    p->phase = POD_PENDING;
    p->node = -1;
    p->owner = owner;
    p->ordinal = o->next_ordinal++;
    p->node_prev = p->node_next = -1;
    p->created = now;
    p->bound_at = -1;
    p->queue_next = -1;
    p->nominated = -1;
    /* Newest first in the owner's list. */
    p->owner_prev = -1;
    p->owner_next = o->pods_head;
    if (o->pods_head >= 0)
        c->pods[o->pods_head].owner_prev = id;
    o->pods_head = id;
    o->live++;
    c->pods_created++;
    return id;
}

/* Counts a bound pod of priority pr in (delta +1) or out (-1) of c->prio. */
static void count_priority(struct cluster *c, int32_t pr, int delta)
{
    size_t i = 0;
    while (i < c->nprio && c->prio[i].priority < pr)
        i++;
    if (i == c->nprio || c->prio[i].priority != pr) {
        xgrow((void **)&c->prio, &c->prio_cap, c->nprio + 1, sizeof *c->prio);
        memmove(c->prio + i + 1, c->prio + i, (c->nprio - i) * sizeof *c->prio);
        c->prio[i].priority = pr;
        c->prio[i].n = 0;
        c->nprio++;
    }
    c->prio[i].n += delta;
    if (c->prio[i].n == 0) {
        memmove(c->prio + i, c->prio + i + 1, (c->nprio - i - 1) * sizeof *c->prio);
        c->nprio--;
    }
}

int32_t cluster_lowest_priority(const struct cluster *c)
{
    return c->nprio ? c->prio[0].priority : INT32_MAX;
}

static void node_unlink(struct cluster *c, struct pod *p)
{
    struct node *n = &c->nodes[p->node];
    if (p->node_prev >= 0)
        c->pods[p->node_prev].node_next = p->node_next;
    else
        n->pods_head = p->node_next;
    if (p->node_next >= 0)
        c->pods[p->node_next].node_prev = p->node_prev;
    p->node_prev = p->node_next = -1;
}

/* Moves a bound pod's requests onto (sign +1) or off (-1) its node. */
static void node_sums(struct cluster *c, int32_t node, const struct podspec *ps, int sign)
{
    struct node *n = &c->nodes[node];
    if (sign > 0) {
        res_add(&n->used, &ps->req);
        n->nonzero_cpu += ps->nonzero_cpu;
        n->nonzero_mem += ps->nonzero_mem;
    } else {
        res_sub(&n->used, &ps->req);
        n->nonzero_cpu -= ps->nonzero_cpu;
        n->nonzero_mem -= ps->nonzero_mem;
    }
}

/* Puts a pod at the head of its node's list and adds its requests to the node's sums. */
static void node_link(struct cluster *c, int32_t pod)
{
    struct pod *p = &c->pods[pod];
    struct node *n = &c->nodes[p->node];
    p->node_prev = -1;
    p->node_next = n->pods_head;
    if (n->pods_head >= 0)
        c->pods[n->pods_head].node_prev = pod;
    n->pods_head = pod;
    node_sums(c, p->node, &c->owners[p->owner].spec, +1);
}

void cluster_bind(struct cluster *c, int32_t pod, int32_t node, simtime now)
{
    struct pod *p = live_pod(c, pod);
    if (p->phase != POD_PENDING)
        BUG("binding a pod that is not pending");
    if (node < 0 || (size_t)node >= c->nnodes || !c->nodes[node].alive)
        BUG("binding to a node that is not alive");
    p->phase = POD_STARTING;
    p->node = node;
    p->bound_at = now;
    node_link(c, pod);
    res_add(&c->used_total, &c->owners[p->owner].spec.req);
    c->pods_scheduled++;
    count_priority(c, c->owners[p->owner].spec.priority, +1);
    notify_pod(c, pod, node, +1);
    notify_node(c, node);
}

void cluster_mark_running(struct cluster *c, int32_t pod)
{
    struct pod *p = live_pod(c, pod);
    if (p->phase != POD_STARTING)
        BUG("marking running a pod that is not starting");
    p->phase = POD_RUNNING;
    c->owners[p->owner].running++;
}

/* Takes a pod out of its owner's live pods and counters. */
static void leave_owner(struct cluster *c, struct pod *p)
{
    struct owner *o = &c->owners[p->owner];
    if (p->phase == POD_RUNNING)
        o->running--;
    o->live--;
    if (p->owner_prev >= 0)
        c->pods[p->owner_prev].owner_next = p->owner_next;
    else
        o->pods_head = p->owner_next;
    if (p->owner_next >= 0)
        c->pods[p->owner_next].owner_prev = p->owner_prev;
    p->owner_prev = p->owner_next = -1;
}

/*
 * Takes a live pod out of everything: its node (if bound), its owner's
 * counters and list; then frees the slot. Listeners hear about the node last,
 * when the cluster is consistent again.
 */
static void release_pod(struct cluster *c, int32_t pod)
{
    struct pod *p = &c->pods[pod];
    struct owner *o = &c->owners[p->owner];
    int32_t node = p->node;
    if (p->detached)
        BUG("releasing a detached pod");
    if (node >= 0) {
        const struct resources *req = &o->spec.req;
        if (!p->terminating)
            notify_pod(c, pod, node, -1);
        node_unlink(c, p);
        node_sums(c, node, &o->spec, -1);
        res_sub(&c->used_total, req);
        count_priority(c, o->spec.priority, -1);
    }
    if (!p->terminating)
        leave_owner(c, p);
    p->terminating = 0;
    p->phase = POD_DELETED;
    p->node = -1;
    p->node_prev = -1;
    p->node_next = c->free_pods;
    c->free_pods = pod;
    if (node >= 0)
        notify_node(c, node);
}

void cluster_complete_pod(struct cluster *c, int32_t pod)
{
    struct pod *p = live_pod(c, pod);
    if (p->phase != POD_RUNNING)
        BUG("completing a pod that is not running");
    c->pods_completed++;
    release_pod(c, pod);
}

void cluster_delete_pod(struct cluster *c, int32_t pod)
{
    live_pod(c, pod);
    c->pods_deleted++;
    release_pod(c, pod);
}

void cluster_mark_terminating(struct cluster *c, int32_t pod)
{
    struct pod *p = live_pod(c, pod);
    if (p->node < 0 || p->terminating || p->detached)
        BUG("only a bound pod can start terminating, once");
    leave_owner(c, p);
    notify_pod(c, pod, p->node, -1);
    p->terminating = 1;
    notify_node(c, p->node);
}

void cluster_detach(struct cluster *c, int32_t pod)
{
    struct pod *p = live_pod(c, pod);
    if (p->node < 0 || p->detached)
        BUG("detaching a pod that is not on a node");
    if (!p->terminating)
        notify_pod(c, pod, p->node, -1);
    node_unlink(c, p);
    node_sums(c, p->node, &c->owners[p->owner].spec, -1);
    p->detached = 1;
    notify_node(c, p->node);
}

void cluster_attach(struct cluster *c, int32_t pod)
{
    struct pod *p = live_pod(c, pod);
    if (!p->detached)
        BUG("attaching a pod that is not detached");
    p->detached = 0;
    node_link(c, pod);
    if (!p->terminating)
        notify_pod(c, pod, p->node, +1);
    notify_node(c, p->node);
}

void cluster_reserve(struct cluster *c, int32_t node, int32_t pod, int sign)
{
    node_sums(c, node, &c->owners[c->pods[pod].owner].spec, sign);
    notify_node(c, node);
}

void cluster_pod_name(const struct cluster *c, int32_t pod, char *buf, size_t len)
{
    const struct pod *p = &c->pods[pod];
    snprintf(buf, len, "%s-%" PRIu32, c->owners[p->owner].name, p->ordinal);
}

uint64_t cluster_pod_handle(const struct cluster *c, int32_t pod)
{
    return (uint64_t)c->pods[pod].gen << 32 | (uint32_t)pod;
}

int32_t cluster_pod_from_handle(const struct cluster *c, uint64_t handle)
{
    uint32_t id = (uint32_t)handle;
    uint32_t gen = (uint32_t)(handle >> 32);
    if (id >= c->npods || id > INT32_MAX)
        return -1;
    const struct pod *p = &c->pods[id];
    if (p->gen != gen || p->phase == POD_DELETED)
        return -1;
    return (int32_t)id;
}

/* ---- consistency check ---- */

static int res_equal(const struct resources *a, const struct resources *b)
{
    return memcmp(a->v, b->v, sizeof a->v) == 0;
}

/*
 * Every check below recomputes a maintained quantity from the pods array
 * alone and compares it with what cluster.c keeps, so a bookkeeping bug
 * cannot hide behind the same bookkeeping. Linear in nodes + pods + owners.
 */
static int check_pods(const struct cluster *c, char *err, size_t errlen)
{
    size_t nfree = 0, nlive = 0;
    for (size_t i = 0; i < c->npods; i++) {
        const struct pod *p = &c->pods[i];
        if (p->gen == 0)
            return diag_errf(err, errlen, "pod %zu has generation 0", i);
        if (p->phase == POD_DELETED) {
            nfree++;
            continue;
        }
        nlive++;
        if (p->phase > POD_DELETED)
            return diag_errf(err, errlen, "pod %zu has phase %d", i, p->phase);
        if (p->phase == POD_SUCCEEDED)
            return diag_errf(err, errlen, "pod %zu is Succeeded but holds its slot", i);
        if (p->owner < 0 || (size_t)p->owner >= c->nowners)
            return diag_errf(err, errlen, "pod %zu has owner %d", i, p->owner);
        if (p->ordinal >= c->owners[p->owner].next_ordinal)
            return diag_errf(err, errlen, "pod %zu has ordinal %u beyond its owner's", i,
                             p->ordinal);
        if (p->phase == POD_PENDING && p->node != -1)
            return diag_errf(err, errlen, "pending pod %zu is bound to %d", i, p->node);
        if (p->phase != POD_PENDING &&
            (p->node < 0 || (size_t)p->node >= c->nnodes || !c->nodes[p->node].alive))
            return diag_errf(err, errlen, "pod %zu is bound to bad node %d", i, p->node);
    }
    size_t walked = 0;
    for (int32_t q = c->free_pods; q >= 0; q = c->pods[q].node_next) {
        if ((size_t)q >= c->npods || ++walked > c->npods)
            return diag_errf(err, errlen, "free-slot list is corrupt");
        if (c->pods[q].phase != POD_DELETED)
            return diag_errf(err, errlen, "free-slot list holds live pod %d", q);
    }
    if (walked != nfree)
        return diag_errf(err, errlen, "%zu free slots but %zu on the free list", nfree, walked);
    if (c->pods_created != c->pods_completed + c->pods_deleted + nlive)
        return diag_errf(err, errlen,
                         "counters: created %" PRIu64 " != completed %" PRIu64 " + deleted %" PRIu64
                         " + live %zu",
                         c->pods_created, c->pods_completed, c->pods_deleted, nlive);
    return 0;
}

static int check_node_list(const struct cluster *c, size_t i, size_t *listed)
{
    const struct node *n = &c->nodes[i];
    int32_t prev = -1;
    *listed = 0;
    for (int32_t q = n->pods_head; q >= 0; q = c->pods[q].node_next) {
        if ((size_t)q >= c->npods || ++*listed > c->npods)
            return -1;
        const struct pod *p = &c->pods[q];
        if (p->phase == POD_DELETED || p->phase == POD_PENDING || p->node != (int32_t)i ||
            p->node_prev != prev)
            return -1;
        prev = q;
    }
    return 0;
}

static int check_nodes(const struct cluster *c, struct resources *sum, size_t *count,
                       int64_t *nzcpu, int64_t *nzmem, char *err, size_t errlen)
{
    for (size_t q = 0; q < c->npods; q++) {
        const struct pod *p = &c->pods[q];
        if (p->phase == POD_DELETED || p->node < 0)
            continue;
        res_add(&sum[p->node], &c->owners[p->owner].spec.req);
        nzcpu[p->node] += c->owners[p->owner].spec.nonzero_cpu;
        nzmem[p->node] += c->owners[p->owner].spec.nonzero_mem;
        count[p->node]++;
    }
    struct resources alloc_total, used_total;
    res_zero(&alloc_total);
    res_zero(&used_total);
    size_t nalive = 0;
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct node *n = &c->nodes[i];
        size_t listed;
        if (check_node_list(c, i, &listed) < 0)
            return diag_errf(err, errlen, "node %zu: pod list is corrupt", i);
        if (listed != count[i])
            return diag_errf(err, errlen, "node %zu: %zu pods bound but %zu listed", i, count[i],
                             listed);
        if (!res_equal(&sum[i], &n->used))
            return diag_errf(err, errlen, "node %zu: used differs from the sum of its pods", i);
        if (nzcpu[i] != n->nonzero_cpu || nzmem[i] != n->nonzero_mem)
            return diag_errf(err, errlen, "node %zu: non-zero requests differ from its pods'", i);
        if (!n->alive) {
            if (listed)
                return diag_errf(err, errlen, "removed node %zu still has pods", i);
            continue;
        }
        nalive++;
        res_add(&alloc_total, &n->alloc);
        res_add(&used_total, &sum[i]);
    }
    if (nalive != c->nalive)
        return diag_errf(err, errlen, "nalive is %zu, counted %zu", c->nalive, nalive);
    if (!res_equal(&alloc_total, &c->alloc_total))
        return diag_errf(err, errlen, "alloc_total differs from the sum over alive nodes");
    if (!res_equal(&used_total, &c->used_total))
        return diag_errf(err, errlen, "used_total differs from the sum over bound pods");
    return 0;
}

static int check_owner_list(const struct cluster *c, size_t i, int32_t *listed)
{
    const struct owner *o = &c->owners[i];
    int32_t prev = -1;
    uint32_t last_ordinal = UINT32_MAX;
    *listed = 0;
    for (int32_t q = o->pods_head; q >= 0; q = c->pods[q].owner_next) {
        if ((size_t)q >= c->npods || (size_t)++ * listed > c->npods)
            return -1;
        const struct pod *p = &c->pods[q];
        /* Newest first: ordinals strictly decrease along the list. */
        if (p->phase == POD_DELETED || p->owner != (int32_t)i || p->owner_prev != prev ||
            p->ordinal >= last_ordinal)
            return -1;
        last_ordinal = p->ordinal;
        prev = q;
    }
    return 0;
}

static int check_owners(const struct cluster *c, int32_t *live, int32_t *running, char *err,
                        size_t errlen)
{
    for (size_t q = 0; q < c->npods; q++) {
        const struct pod *p = &c->pods[q];
        if (p->phase == POD_DELETED || p->terminating)
            continue;
        live[p->owner]++;
        running[p->owner] += p->phase == POD_RUNNING;
    }
    for (size_t i = 0; i < c->nowners; i++) {
        const struct owner *o = &c->owners[i];
        if (o->spec.req.v[RES_PODS] != 1)
            return diag_errf(err, errlen, "owner %zu requests %" PRId64 " pods per pod", i,
                             o->spec.req.v[RES_PODS]);
        if (live[i] != o->live || running[i] != o->running)
            return diag_errf(err, errlen, "owner %zu: live %d running %d, counted %d and %d", i,
                             o->live, o->running, live[i], running[i]);
        int32_t listed;
        if (check_owner_list(c, i, &listed) < 0)
            return diag_errf(err, errlen, "owner %zu: pod list is corrupt", i);
        if (listed != live[i])
            return diag_errf(err, errlen, "owner %zu: %d live pods but %d listed", i, live[i],
                             listed);
    }
    return 0;
}

int cluster_check(const struct cluster *c, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    /* check_pods first: it validates the indices the other two follow. */
    if (check_pods(c, err, errlen) < 0)
        return -1;
    struct resources *sum = xcalloc(c->nnodes, sizeof *sum);
    size_t *count = xcalloc(c->nnodes, sizeof *count);
    int32_t *live = xcalloc(c->nowners, sizeof *live);
    int32_t *running = xcalloc(c->nowners, sizeof *running);
    int64_t *nzcpu = xcalloc(c->nnodes + 1, sizeof *nzcpu);
    int64_t *nzmem = xcalloc(c->nnodes + 1, sizeof *nzmem);
    int rc = check_nodes(c, sum, count, nzcpu, nzmem, err, errlen);
    free(nzcpu);
    free(nzmem);
    if (rc == 0)
        rc = check_owners(c, live, running, err, errlen);
    free(sum);
    free(count);
    free(live);
    free(running);
    return rc;
}
