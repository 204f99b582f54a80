/*
 * random: a node drawn uniformly at random from those that pass the hard
 * filters, from the policy's own seeded stream (env->rng, "placement").
 *
 *   P(chosen = n) = 1 / |F|  for every n in F = { n : placement_feasible(n) },
 *   and -1 when F is empty
 *
 * A baseline: what the other policies gain over not choosing at all.
 *
 * The draw happens in two stages, both uniform over F, so their mixture is:
 *
 *   1. Rejection sampling: up to TRIALS times, draw an id uniformly from
 *      0..nnodes-1 (gsl_rng_uniform_int) and take it if it passes the
 *      filters. Given acceptance, every node of F is equally likely. Expected
 *      cost nnodes / |F| draws, so O(1) while a fair share of the cluster
 *      fits the pod.
 *   2. When all TRIALS draws miss (F is small or empty), enumerate F with the
 *      capacity index (capview.h; O(log n) per node with room, then the
 *      filters) and draw the k-th of its |F| members with one
 *      gsl_rng_uniform_int(|F|). An empty F costs one index query and no
 *      draw. Pods that tolerate node.kubernetes.io/unschedulable may land on
 *      cordoned nodes, which the index leaves out: they enumerate by a
 *      linear scan.
 *
 * Deterministic for a seed: the same cluster and the same stream give the
 * same draws. The number of values drawn per placement varies (1 to
 * TRIALS + 1), so inserting a placement shifts every later draw of the
 * stream; nothing else uses it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "models/placement/capview.h"
#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

#define TRIALS 16

struct random_policy {
    struct capview cv;
    gsl_rng *rng;
    int32_t *feasible; /* stage 2's members of F */
    size_t cap;
};

static int rnd_init(void *state, const struct cluster *c, const struct placement_env *env)
{
    struct random_policy *rp = state;
    if (!env || !env->rng)
        return -1;
    rp->rng = env->rng;
    capview_init(&rp->cv, c);
    return 0;
}

static void rnd_release(void *state)
{
    struct random_policy *rp = state;
    capview_release(&rp->cv);
    free(rp->feasible);
    rp->feasible = NULL;
}

static void rnd_node_changed(void *state, const struct cluster *c, int32_t node)
{
    struct random_policy *rp = state;
    capview_node_changed(&rp->cv, c, node);
}

/* Stage 2: every member of F, in id order; returns |F|. */
static size_t enumerate(struct random_policy *rp, const struct cluster *c, const struct pod *p)
{
    const struct podspec *spec = &c->owners[p->owner].spec;
    size_t n = 0;
    /* Room for every node at once: F is a busy cluster's few hundred nodes, each kept in turn. */
    xgrow((void **)&rp->feasible, &rp->cap, c->nnodes, sizeof *rp->feasible);
    if (placement_tolerates_unschedulable(spec)) {
        for (size_t i = 0; i < c->nnodes; i++)
            if (placement_feasible(c, p, (int32_t)i))
                rp->feasible[n++] = (int32_t)i;
        return n;
    }
    int view = capview_prepare(&rp->cv, c, spec);
    for (int32_t i = capview_next(&rp->cv, &spec->req, 0, view); i >= 0;
         i = capview_next(&rp->cv, &spec->req, i + 1, view))
        if (placement_feasible(c, p, i))
            rp->feasible[n++] = i;
    return n;
}

static int32_t rnd_place(void *state, const struct cluster *c, int32_t pod)
{
    struct random_policy *rp = state;
    const struct pod *p = &c->pods[pod];
    if (c->nnodes == 0)
        return -1;
    for (int t = 0; t < TRIALS; t++) {
        int32_t i = (int32_t)gsl_rng_uniform_int(rp->rng, c->nnodes);
        if (placement_feasible(c, p, i))
            return i;
    }
    size_t n = enumerate(rp, c, p);
    if (n == 0)
        return -1;
    return rp->feasible[gsl_rng_uniform_int(rp->rng, n)];
}

const struct placement_ops placement_random_ops = {
    .name = "random",
    .summary = "uniformly random feasible node, seeded (honours taints, nodeSelector, "
               "unschedulable, resources)",
    .state_size = sizeof(struct random_policy),
    .init = rnd_init,
    .release = rnd_release,
    .node_changed = rnd_node_changed,
    .place = rnd_place,
    /* not resource_fit: a failed place() still draws, and the scheduler must ask it every time */
};
