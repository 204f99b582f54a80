/*
 * NodeResourcesBalancedAllocation: favours nodes whose resource fractions
 * (requested / allocatable, capped at 1) stay close to each other after
 * placing the pod: score = int64((1 - std) * 100), std the population
 * standard deviation of the fractions (|f1 - f2| / 2 for two). Actual
 * requests, not the non-zero defaults (useRequested). PreScore skips pods
 * that request none of the configured resources (best-effort pods,
 * kubernetes#129138, v1.33+). Follows
 * pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go and
 * resource_allocation.go (v1.35).
 */
#include <math.h>

#include "models/kube/pluginargs.h"
#include "models/kube/plugins.h"
#include "sim/base/diag.h"
#include "sim/cluster/cluster.h"

#define MAX_SPEC 16

struct state {
    const struct kube_balanced_args *args;
};

struct cycle {
    int dim[MAX_SPEC];
    int64_t podreq[MAX_SPEC];
};

static int init(void *state, const struct kube_args *args, char *err, size_t errlen)
{
    struct state *s = state;
    s->args = &args->balanced;
    if (args->balanced.nresources > MAX_SPEC)
        return diag_errf(err, errlen, "NodeResourcesBalancedAllocation: at most %d resources",
                         MAX_SPEC);
    return 0;
}

static enum kube_code prescore(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n)
{
    (void)nodes, (void)n;
    const struct state *s = state;
    struct cycle *cy = cycle;
    int any = 0;
    for (size_t i = 0; i < s->args->nresources; i++) {
        int d = resnames_find(&p->c->resnames, s->args->resources[i].name);
        int64_t q = d < 0 || d == RES_PODS ? 0 : p->spec->req.v[d];
        any |= q != 0;
        if (d == RES_PODS || (d >= RES_FIXED && q == 0))
            d = -1;
        cy->dim[i] = d;
        cy->podreq[i] = q;
    }
    return any ? KUBE_SUCCESS : KUBE_SKIP;
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    const struct state *s = state;
    const struct cycle *cy = cycle;
    double f[MAX_SPEC];
    for (size_t k = 0; k < n; k++) {
        const struct node *nd = &p->c->nodes[nodes[k]];
        size_t nf = 0;
        double total = 0;
        for (size_t i = 0; i < s->args->nresources; i++) {
            int d = cy->dim[i];
            if (d < 0 || nd->alloc.v[d] == 0)
                continue;
            double fr = (double)(nd->used.v[d] + cy->podreq[i]) / (double)nd->alloc.v[d];
            if (fr > 1)
                fr = 1;
            total += fr;
            f[nf++] = fr;
        }
        double sd = 0;
        if (nf == 2) {
            sd = fabs((f[0] - f[1]) / 2);
        } else if (nf > 2) {
            double mean = total / (double)nf, sum = 0;
            for (size_t i = 0; i < nf; i++)
                sum = sum + (f[i] - mean) * (f[i] - mean);
            sd = sqrt(sum / (double)nf);
        }
        out[k] = (int64_t)((1 - sd) * (double)KUBE_MAX_NODE_SCORE);
    }
}

const struct kube_plugin_ops kube_balanced_allocation_ops = {
    .name = "NodeResourcesBalancedAllocation",
    .summary = "favours nodes whose cpu/memory (etc.) fractions stay balanced",
    .points = KUBE_PT_PRESCORE | KUBE_PT_SCORE,
    .node_local = 1,
    .state_size = sizeof(struct state),
    .cycle_size = sizeof(struct cycle),
    .init = init,
    .prescore = prescore,
    .score = score,
};
