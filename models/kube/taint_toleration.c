/*
 * TaintToleration. Filter: the first NoSchedule/NoExecute taint the pod does
 * not tolerate rejects the node (UnschedulableAndUnresolvable). Score: the
 * number of PreferNoSchedule taints not tolerated by the pod's tolerations
 * with effect PreferNoSchedule or empty, normalized reversed (fewer is better).
 * Follows pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 * (v1.35). The reason is pinned to the v1.35 wording "node(s) had
 * untolerated taint(s)" (v1.25-v1.34.1 printed "node(s) had untolerated
 * taint {key: value}").
 */
#include "models/kube/plugins.h"
#include "sim/cluster/cluster.h"

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    (void)state, (void)cycle;
    const struct node *n = &p->c->nodes[node];
    if (n->ntaints == 0 ||
        taints_first_untolerated(n->taints, n->ntaints, p->spec->tols, p->spec->ntols) < 0)
        return KUBE_SUCCESS;
    kube_reason(r, "node(s) had untolerated taint(s)");
    return KUBE_UNRESOLVABLE;
}

/* getAllTolerationPreferNoSchedule: tolerations with effect PreferNoSchedule or empty. */
static int tolerated_prefer(const struct podspec *ps, const struct taint *t)
{
    for (size_t i = 0; i < ps->ntols; i++) {
        const struct toleration *tol = &ps->tols[i];
        if ((tol->effect < 0 || tol->effect == TAINT_PREFER_NO_SCHEDULE) &&
            toleration_tolerates(tol, t))
            return 1;
    }
    return 0;
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    (void)state, (void)cycle;
    for (size_t i = 0; i < n; i++) {
        const struct node *nd = &p->c->nodes[nodes[i]];
        int64_t count = 0;
        for (size_t t = 0; t < nd->ntaints; t++)
            if (nd->taints[t].effect == TAINT_PREFER_NO_SCHEDULE &&
                !tolerated_prefer(p->spec, &nd->taints[t]))
                count++;
        out[i] = count;
    }
}

static void normalize(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                      int64_t *scores, size_t n)
{
    (void)state, (void)cycle, (void)p, (void)nodes;
    kube_default_normalize(scores, n, 1);
}

const struct kube_plugin_ops kube_taint_toleration_ops = {
    .name = "TaintToleration",
    .summary =
        "NoSchedule/NoExecute taints must be tolerated; fewer PreferNoSchedule scores higher",
    .points = KUBE_PT_FILTER | KUBE_PT_PRESCORE | KUBE_PT_SCORE | KUBE_PT_NORMALIZE,
    .node_local = 1,
    .filter = filter,
    .score = score,
    .normalize = normalize,
    .default_normalize = KUBE_NORMALIZE_REVERSE,
};
