/*
 * PodTopologySpread: whenUnsatisfiable DoNotSchedule constraints filter
 * (skew with minDomains, node inclusion policies; "node(s) didn't match pod
 * topology spread constraints", UnschedulableAndUnresolvable "(missing
 * required label)"), ScheduleAnyway constraints score (counts weighted by
 * ln(domains + 2), normalized so fewer matching pods score higher), and pods
 * without constraints get the system defaults (hostname maxSkew 3, zone
 * maxSkew 5) through their ReplicaSet's selector. The algorithms live in
 * models/kube/topospread.c, which names the upstream files they follow
 * (pkg/scheduler/framework/plugins/podtopologyspread, v1.34/v1.35).
 */
#include "models/kube/plugins.h"
#include "models/kube/topospread.h"
#include "sim/cluster/cluster.h"

struct state {
    struct topospread *ts;
};

static int init(void *state, const struct kube_args *args, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    ((struct state *)state)->ts = topospread_new(&args->spread);
    return 0;
}

static void release(void *state)
{
    topospread_free(((struct state *)state)->ts);
}

static int32_t owner_of(const struct kube_pod *p)
{
    return p->c->pods[p->pod].owner;
}

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    (void)cycle, (void)result, (void)r;
    return topospread_prefilter(((struct state *)state)->ts, p->c, p->spec, owner_of(p));
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)cycle, (void)p;
    const char *reason = NULL;
    enum kube_code code = topospread_filter(((struct state *)state)->ts, node, &reason);
    if (code != KUBE_SUCCESS)
        kube_reason(r, "%s", reason);
    return code;
}

static enum kube_code prescore(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n)
{
    (void)cycle;
    return topospread_prescore(((struct state *)state)->ts, p->c, p->spec, owner_of(p), nodes, n);
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    (void)cycle, (void)p;
    topospread_score(((struct state *)state)->ts, nodes, n, out);
}

static void normalize(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                      int64_t *scores, size_t n)
{
    (void)cycle, (void)p;
    topospread_normalize(((struct state *)state)->ts, nodes, scores, n);
}

const struct kube_plugin_ops kube_pod_topology_spread_ops = {
    .name = "PodTopologySpread",
    .summary = "topologySpreadConstraints: DoNotSchedule filters by skew, ScheduleAnyway and "
               "the system defaults score spreading",
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
