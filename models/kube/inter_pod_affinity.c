/*
 * InterPodAffinity: Filter checks the pod's required affinity
 * (UnschedulableAndUnresolvable "node(s) didn't match pod affinity rules",
 * with the first-pod-of-a-group exception), its required anti-affinity and
 * existing pods' required anti-affinity (Unschedulable); Score sums the
 * preferred terms of both sides and existing pods' required affinity
 * (hardPodAffinityWeight) per topology domain, min-max normalized to 0..100.
 * The algorithms live in models/kube/interpod.c, which names the upstream
 * files they follow (pkg/scheduler/framework/plugins/interpodaffinity,
 * v1.33-v1.35).
 */
#include "models/kube/interpod.h"
#include "models/kube/plugins.h"
#include "sim/cluster/cluster.h"

struct state {
    struct interpod *ip;
};

static int init(void *state, const struct kube_args *args, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    ((struct state *)state)->ip = interpod_new(&args->interpod);
    return 0;
}

static void release(void *state)
{
    interpod_free(((struct state *)state)->ip);
}

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    (void)cycle, (void)result, (void)r;
    return interpod_prefilter(((struct state *)state)->ip, p->c, p->spec, p->c->pods[p->pod].owner);
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)cycle, (void)p;
    const char *reason = NULL;
    enum kube_code code = interpod_filter(((struct state *)state)->ip, node, &reason);
    if (code != KUBE_SUCCESS)
        kube_reason(r, "%s", reason);
    return code;
}

static enum kube_code prescore(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n)
{
    (void)cycle, (void)nodes, (void)n;
    return interpod_prescore(((struct state *)state)->ip, p->c, p->spec, p->c->pods[p->pod].owner);
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    (void)cycle, (void)p;
    for (size_t i = 0; i < n; i++)
        out[i] = interpod_score(((struct state *)state)->ip, nodes[i]);
}

static void normalize(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                      int64_t *scores, size_t n)
{
    (void)cycle, (void)p, (void)nodes;
    interpod_normalize(((struct state *)state)->ip, scores, n);
}

const struct kube_plugin_ops kube_inter_pod_affinity_ops = {
    .name = "InterPodAffinity",
    .summary = "required pod (anti-)affinity filters; preferred terms of both sides score",
    .points =
        KUBE_PT_PREFILTER | KUBE_PT_FILTER | KUBE_PT_PRESCORE | KUBE_PT_SCORE | KUBE_PT_NORMALIZE,
    .state_size = sizeof(struct state),
    .init = init,
    .release = release,
    .prefilter = prefilter,
    .filter = filter,
    .prescore = prescore,
    .score = score,
    .normalize = normalize,
};
