#include "models/placement/placement.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

const struct placement_ops *const placement_registry[] = {
    &placement_first_fit_ops,   &placement_next_fit_ops,
    &placement_best_fit_ops,    &placement_worst_fit_ops,
    &placement_dot_product_ops, &placement_random_ops,
    &placement_kube_ops,        NULL,
};

const struct placement_ops *placement_find(const char *name)
{
    for (size_t i = 0; placement_registry[i]; i++)
        if (strcmp(placement_registry[i]->name, name) == 0)
            return placement_registry[i];
    return NULL;
}

int placement_init(struct placement *p, const struct placement_ops *ops, const struct cluster *c,
                   const struct placement_env *env)
{
    p->ops = ops;
    p->state = ops->state_size ? xcalloc(1, ops->state_size) : NULL;
    if (ops->init && ops->init(p->state, c, env) < 0) {
        free(p->state);
        p->state = NULL;
        p->ops = NULL;
        return -1;
    }
    return 0;
}

void placement_release(struct placement *p)
{
    if (p->ops && p->ops->release)
        p->ops->release(p->state);
    free(p->state);
    p->state = NULL;
    p->ops = NULL;
}

/* v1.TaintNodeUnschedulable, the taint NodeUnschedulable asks the pod to tolerate. */
static const struct taint unschedulable_taint = {
    .key = "node.kubernetes.io/unschedulable",
    .value = "",
    .effect = TAINT_NO_SCHEDULE,
};

int placement_tolerates_unschedulable(const struct podspec *spec)
{
    for (size_t i = 0; i < spec->ntols; i++)
        if (toleration_tolerates(&spec->tols[i], &unschedulable_taint))
            return 1;
    return 0;
}

/*
 * NodeAffinity's filter (nodeaffinity/node_affinity.go, v1.35): every
 * nodeSelector pair and, when set, one of the required node selector terms.
 */
static int node_affinity_ok(const struct podspec *spec, const struct node *n)
{
    if (!labelset_matches(&n->labels, &spec->node_selector))
        return 0;
    return !spec->affinity.has_required ||
           nsel_terms_match(spec->affinity.required, spec->affinity.nrequired, &n->labels, n->name);
}

/*
 * The filters in kube-scheduler's default order
 * (pkg/scheduler/apis/config/v1/default_plugins.go): NodeUnschedulable,
 * NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit.
 * NodeName and NodePorts are left to the `kube` policy: the bin-packing
 * family compares placement, and a pinned node or host port is not placement.
 */
int placement_feasible(const struct cluster *c, const struct pod *pod, int32_t node)
{
    if (node < 0 || (size_t)node >= c->nnodes)
        return 0;
    const struct node *n = &c->nodes[node];
    const struct podspec *spec = &c->owners[pod->owner].spec;
    if (!n->alive)
        return 0;
    if (n->unschedulable && !placement_tolerates_unschedulable(spec))
        return 0;
    if (taints_first_untolerated(n->taints, n->ntaints, spec->tols, spec->ntols) >= 0)
        return 0;
    if (!node_affinity_ok(spec, n))
        return 0;
    return res_fits(&spec->req, &n->used, &n->alloc);
}

/* ---- FitError text ---- */

/*
 * Reason counts, kept as counters rather than strings so that explaining a
 * failure over 10,000 nodes costs a pass of integer compares; the text is
 * built once at the end.
 */
enum {
    REASON_TOO_MANY_PODS = RES_MAX, /* 0..RES_MAX-1: "Insufficient <resource>" */
    REASON_UNSCHEDULABLE,
    REASON_TAINT,
    REASON_AFFINITY,
    REASON_FIXED
};

struct reasons {
    size_t fixed[REASON_FIXED];
};

/*
 * NodeResourcesFit's reasons for one node
 * (pkg/scheduler/framework/plugins/noderesources/fit.go, fitsRequest): the pod
 * count is always checked; a pod that requests nothing else stops there;
 * every other resource with a positive request that exceeds the node's free
 * amount adds "Insufficient <name>", so one node can give several reasons.
 */
static void fit_reasons(const struct cluster *c, const struct node *n, const struct resources *req,
                        int requests, struct reasons *rs)
{
    if (n->used.v[RES_PODS] + 1 > n->alloc.v[RES_PODS])
        rs->fixed[REASON_TOO_MANY_PODS]++;
    if (!requests)
        return;
    for (int d = 0; d < c->resnames.n; d++) {
        if (d == RES_PODS)
            continue;
        if (req->v[d] > 0 && req->v[d] > n->alloc.v[d] - n->used.v[d])
            rs->fixed[d]++;
    }
}

/*
 * The reasons of the first filter node fails, worded as upstream words them
 * (plugin files under pkg/scheduler/framework/plugins/):
 *   nodeunschedulable/node_unschedulable.go  "node(s) were unschedulable"
 *   tainttoleration/taint_toleration.go      "node(s) had untolerated taint(s)"
 *       (pinned to v1.35 and v1.34.2+; v1.25 to v1.34.1 printed
 *       "node(s) had untolerated taint {<key>: <value>}")
 *   nodeaffinity/node_affinity.go            "node(s) didn't match Pod's node affinity/selector"
 *   noderesources/fit.go                     "Too many pods", "Insufficient <resource>"
 */
static void node_reasons(const struct cluster *c, const struct node *n, const struct podspec *spec,
                         int tolerates_unschedulable, int requests, struct reasons *rs)
{
    if (n->unschedulable && !tolerates_unschedulable) {
        rs->fixed[REASON_UNSCHEDULABLE]++;
        return;
    }
    if (taints_first_untolerated(n->taints, n->ntaints, spec->tols, spec->ntols) >= 0) {
        rs->fixed[REASON_TAINT]++;
        return;
    }
    if (!node_affinity_ok(spec, n)) {
        rs->fixed[REASON_AFFINITY]++;
        return;
    }
    fit_reasons(c, n, &spec->req, requests, rs);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends to buf, truncating (always NUL-terminated). */
static void append(char *buf, size_t len, size_t *used, const char *s)
{
    size_t n = strlen(s);
    if (*used + 1 >= len)
        return;
    size_t room = len - 1 - *used;
    if (n > room)
        n = room;
    memcpy(buf + *used, s, n);
    *used += n;
    buf[*used] = '\0';
}

/*
 * Follows pkg/scheduler/framework/types.go, FitError.Error: the prefix
 * "0/<N> nodes are available:", then the "<count> <reason>" strings sorted
 * with sort.Strings (bytewise, so "10 ..." sorts before "2 ..."), joined by
 * ", " and ended with ".". N counts the nodes in the scheduler's snapshot:
 * removed nodes are not in it. With no node at all kube-scheduler never
 * builds a FitError (schedule_one.go returns ErrNoNodesAvailable), and
 * neither do we. The PostFilter (preemption) suffix is not produced.
 */
void placement_explain(const struct cluster *c, int32_t pod, char *buf, size_t len)
{
    if (!len)
        return;
    buf[0] = '\0';
    if (c->nalive == 0) {
        snprintf(buf, len, "no nodes available to schedule pods");
        return;
    }
    const struct pod *p = &c->pods[pod];
    const struct podspec *spec = &c->owners[p->owner].spec;
    struct reasons rs;
    memset(&rs, 0, sizeof rs);
    int tolerates = placement_tolerates_unschedulable(spec);
    int requests = 0;
    for (int d = 0; d < c->resnames.n; d++)
        requests |= d != RES_PODS && spec->req.v[d] != 0;
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i].alive)
            node_reasons(c, &c->nodes[i], spec, tolerates, requests, &rs);

    size_t nitems = 0;
    char **items = xcalloc(REASON_FIXED, sizeof *items);
    for (int r = 0; r < REASON_FIXED; r++) {
        if (!rs.fixed[r])
            continue;
        if (r < RES_MAX)
            items[nitems++] = xasprintf("%zu Insufficient %s", rs.fixed[r], c->resnames.name[r]);
        else if (r == REASON_TOO_MANY_PODS)
            items[nitems++] = xasprintf("%zu Too many pods", rs.fixed[r]);
        else if (r == REASON_UNSCHEDULABLE)
            items[nitems++] = xasprintf("%zu node(s) were unschedulable", rs.fixed[r]);
        else if (r == REASON_TAINT)
            items[nitems++] = xasprintf("%zu node(s) had untolerated taint(s)", rs.fixed[r]);
        else
            items[nitems++] =
                xasprintf("%zu node(s) didn't match Pod's node affinity/selector", rs.fixed[r]);
    }
    qsort(items, nitems, sizeof *items, cmp_str);

    size_t used = 0;
    char head[64];
    snprintf(head, sizeof head, "0/%zu nodes are available:", c->nalive);
    append(buf, len, &used, head);
    for (size_t i = 0; i < nitems; i++) {
        append(buf, len, &used, i ? ", " : " ");
        append(buf, len, &used, items[i]);
    }
    if (nitems)
        append(buf, len, &used, ".");

    for (size_t i = 0; i < nitems; i++)
        free(items[i]);
    free(items);
}
