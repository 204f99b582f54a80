/*
 * NodeResourcesFit. Filter: "Too many pods" and "Insufficient <resource>"
 * (pkg/scheduler/framework/plugins/noderesources/fit.go, fitsRequest, v1.35):
 * the pod count is always checked; a pod requesting nothing else stops
 * there; cpu, memory and ephemeral-storage fail when a positive request
 * exceeds allocatable minus requested; each requested extended resource
 * likewise, unless listed in ignoredResources / ignoredResourceGroups. A
 * request larger than the whole allocatable makes the status
 * UnschedulableAndUnresolvable (preemption cannot help); "Too many pods"
 * never does. Upstream iterates scalar resources in Go map order; ksim
 * reports them in resource-table order.
 *
 * Score (resource_allocation.go, least_allocated.go, most_allocated.go,
 * requested_to_capacity_ratio.go, helper/shape_score.go; v1.35): for each
 * configured resource, requested = node's requests + the pod's, where cpu
 * and memory use the non-zero values (100m / 200Mi for containers without a
 * request, NodeInfo.NonZeroRequested for the node) and other resources the
 * actual ones; resources with zero allocatable, and extended resources the
 * pod does not request, are left out of the weighted mean.
 */
#include <math.h>
#include <string.h>

#include "models/kube/pluginargs.h"
#include "models/kube/plugins.h"
#include "sim/base/diag.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

#define MAX_SPEC 16

struct state {
    struct kube_fit_args args;
    int64_t shape_u[MAX_SPEC], shape_s[MAX_SPEC]; /* score already scaled by 100/10 */
    size_t nshape;
};

struct cycle {
    int requests;         /* the pod requests something besides the pod slot */
    int ignored[RES_MAX]; /* extended resources the filter ignores */
    int dim[MAX_SPEC];    /* configured resource -> dimension, -1 when unscored */
    int64_t podreq[MAX_SPEC];
};

static int init(void *state, const struct kube_args *args, char *err, size_t errlen)
{
    struct state *s = state;
    s->args = args->fit;
    if (args->fit.nresources > MAX_SPEC || args->fit.nshape > MAX_SPEC)
        return diag_errf(err, errlen, "NodeResourcesFit: at most %d resources and shape points",
                         MAX_SPEC);
    if (args->fit.nresources == 0)
        return diag_errf(err, errlen, "NodeResourcesFit: resources not found");
    for (size_t i = 0; i < args->fit.nshape; i++) {
        s->shape_u[i] = args->fit.shape[i].utilization;
        s->shape_s[i] = (int64_t)args->fit.shape[i].score * (KUBE_MAX_NODE_SCORE / 10);
    }
    s->nshape = args->fit.nshape;
    return 0;
}

static int listed(char *const *v, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i]) == len && strncmp(v[i], s, len) == 0)
            return 1;
    return 0;
}

/* v1helper.IsExtendedResourceName: a domain-prefixed name outside kubernetes.io. */
static int is_extended(const char *name)
{
    const char *slash = strchr(name, '/');
    if (!slash)
        return 0;
    size_t dl = (size_t)(slash - name);
    const char *suf = "kubernetes.io";
    size_t sl = strlen(suf);
    return !(dl >= sl && strncmp(slash - sl, suf, sl) == 0 &&
             (dl == sl || slash[-(long)sl - 1] == '.'));
}

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    (void)result, (void)r;
    struct state *s = state;
    struct cycle *cy = cycle;
    const struct resnames *rn = &p->c->resnames;
    cy->requests = 0;
    for (int d = 0; d < rn->n; d++) {
        cy->requests |= d != RES_PODS && p->spec->req.v[d] != 0;
        cy->ignored[d] = 0;
        if (d >= RES_FIXED && is_extended(rn->name[d])) {
            const char *slash = strchr(rn->name[d], '/');
            cy->ignored[d] = listed(s->args.ignored_resources, s->args.nignored_resources,
                                    rn->name[d], strlen(rn->name[d])) ||
                             listed(s->args.ignored_groups, s->args.nignored_groups, rn->name[d],
                                    (size_t)(slash - rn->name[d]));
        }
    }
    return KUBE_SUCCESS;
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)state;
    const struct cycle *cy = cycle;
    const struct node *n = &p->c->nodes[node];
    const struct resources *req = &p->spec->req;
    enum kube_code code = KUBE_SUCCESS;
    if (n->used.v[RES_PODS] + 1 > n->alloc.v[RES_PODS]) {
        kube_reason(r, "Too many pods");
        code = KUBE_UNSCHEDULABLE;
    }
    if (!cy->requests)
        return code;
    int nd = p->c->resnames.n;
    for (int d = 0; d < nd; d++) {
        if (d == RES_PODS || req->v[d] <= 0 || cy->ignored[d])
            continue;
        if (req->v[d] > n->alloc.v[d] - n->used.v[d]) {
            if (!r && code != KUBE_SUCCESS && req->v[d] <= n->alloc.v[d])
                continue; /* fast path: the verdict is already Unschedulable */
            kube_reason(r, "Insufficient %s", p->c->resnames.name[d]);
            if (req->v[d] > n->alloc.v[d])
                code = KUBE_UNRESOLVABLE;
            else if (code == KUBE_SUCCESS)
                code = KUBE_UNSCHEDULABLE;
        }
    }
    return code;
}

/* calculatePodResourceRequest: the non-zero values for cpu and memory. */
static enum kube_code prescore(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n)
{
    (void)nodes, (void)n;
    struct state *s = state;
    struct cycle *cy = cycle;
    for (size_t i = 0; i < s->args.nresources; i++) {
        int d = resnames_find(&p->c->resnames, s->args.resources[i].name);
        int64_t q = d < 0             ? 0
                    : d == RES_CPU    ? p->spec->nonzero_cpu
                    : d == RES_MEMORY ? p->spec->nonzero_mem
                                      : p->spec->req.v[d];
        /* Pods are not a scored resource; unrequested extended resources are bypassed. */
        if (d == RES_PODS || (d >= RES_FIXED && q == 0))
            d = -1;
        cy->dim[i] = d;
        cy->podreq[i] = q;
    }
    return KUBE_SUCCESS;
}

static int64_t least_requested(int64_t req, int64_t cap)
{
    if (cap == 0 || req > cap)
        return 0;
    return (cap - req) * KUBE_MAX_NODE_SCORE / cap;
}

static int64_t most_requested(int64_t req, int64_t cap)
{
    if (cap == 0)
        return 0;
    if (req > cap)
        req = cap;
    return req * KUBE_MAX_NODE_SCORE / cap;
}

/* helper.BuildBrokenLinearFunction. */
static int64_t broken_linear(const struct state *s, int64_t p)
{
    for (size_t i = 0; i < s->nshape; i++) {
        if (p <= s->shape_u[i]) {
            if (i == 0)
                return s->shape_s[0];
            return s->shape_s[i - 1] + (s->shape_s[i] - s->shape_s[i - 1]) *
                                           (p - s->shape_u[i - 1]) /
                                           (s->shape_u[i] - s->shape_u[i - 1]);
        }
    }
    return s->shape_s[s->nshape - 1];
}

static int64_t rtcr_resource(const struct state *s, int64_t req, int64_t cap)
{
    if (cap == 0 || req > cap)
        return broken_linear(s, 100);
    return broken_linear(s, req * 100 / cap);
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    const struct state *s = state;
    const struct cycle *cy = cycle;
    size_t nr = s->args.nresources;
    for (size_t k = 0; k < n; k++) {
        const struct node *nd = &p->c->nodes[nodes[k]];
        int64_t sum = 0, wsum = 0;
        for (size_t i = 0; i < nr; i++) {
            int d = cy->dim[i];
            if (d < 0 || nd->alloc.v[d] == 0)
                continue;
            int64_t used = d == RES_CPU      ? nd->nonzero_cpu
                           : d == RES_MEMORY ? nd->nonzero_mem
                                             : nd->used.v[d];
            int64_t req = used + cy->podreq[i], cap = nd->alloc.v[d];
            int64_t w = s->args.resources[i].weight, rs;
            switch (s->args.strategy) {
            case FIT_LEAST_ALLOCATED:
                rs = least_requested(req, cap);
                break;
            case FIT_MOST_ALLOCATED:
                rs = most_requested(req, cap);
                break;
            default:
                rs = rtcr_resource(s, req, cap);
                if (rs <= 0)
                    continue; /* RTCR leaves zero scores out of both sums */
                break;
            }
            sum += rs * w;
            wsum += w;
        }
        if (wsum == 0)
            out[k] = 0;
        else if (s->args.strategy == FIT_REQUESTED_TO_CAPACITY_RATIO)
            out[k] = (int64_t)round((double)sum / (double)wsum);
        else
            out[k] = sum / wsum;
    }
}

const struct kube_plugin_ops kube_node_resources_fit_ops = {
    .name = "NodeResourcesFit",
    .summary = "requests fit allocatable; scores LeastAllocated, MostAllocated or "
               "RequestedToCapacityRatio",
    .points = KUBE_PT_PREFILTER | KUBE_PT_FILTER | KUBE_PT_PRESCORE | KUBE_PT_SCORE,
    .node_local = 1,
    .state_size = sizeof(struct state),
    .cycle_size = sizeof(struct cycle),
    .init = init,
    .prefilter = prefilter,
    .filter = filter,
    .prescore = prescore,
    .score = score,
};
