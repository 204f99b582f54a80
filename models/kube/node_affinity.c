/*
 * NodeAffinity. Filter: the node must match the scheduler-enforced
 * addedAffinity (else "node(s) didn't match scheduler-enforced node
 * affinity"), every nodeSelector pair, and, when required node affinity is
 * set, at least one of its terms (else "node(s) didn't match Pod's node
 * affinity/selector"); both UnschedulableAndUnresolvable. PreFilter skips
 * pods with neither, and narrows the candidates to the node names that
 * `metadata.name In` fields pin ("node(s) didn't match Pod's node
 * affinity/selector" is not used for that; an empty union rejects with
 * "pod affinity terms conflict"). Score: the sum of the weights of the
 * matching preferred terms (the pod's and addedAffinity's), normalized to
 * 0..100 by the maximum; PreScore skips pods without preferred terms.
 * Follows pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go
 * (v1.35) and k8s.io/component-helpers/scheduling/corev1/nodeaffinity.
 */
#include <stdlib.h>
#include <string.h>

#include "models/kube/pluginargs.h"
#include "models/kube/plugins.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

struct state {
    const struct kube_nodeaffinity_args *args;
    int added_required; /* addedAffinity has required terms */
    int32_t *ids;       /* PreFilter's node set */
    size_t cap;
};

struct cycle {
    int has_required;
};

static int init(void *state, const struct kube_args *args, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    struct state *s = state;
    s->args = &args->nodeaffinity;
    s->added_required = args->nodeaffinity.has_added && args->nodeaffinity.added.has_required;
    return 0;
}

static void release(void *state)
{
    free(((struct state *)state)->ids);
}

static enum kube_code prefilter(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r)
{
    struct state *s = state;
    const struct podspec *ps = p->spec;
    struct cycle *cy = cycle;
    cy->has_required = ps->affinity.has_required;
    if (!ps->affinity.has_required && !s->added_required && ps->node_selector.n == 0)
        return KUBE_SKIP;
    if (!ps->affinity.has_required || ps->affinity.nrequired == 0)
        return KUBE_SUCCESS;
    const char **names;
    size_t n;
    if (!nsel_terms_node_names(ps->affinity.required, ps->affinity.nrequired, &names, &n))
        return KUBE_SUCCESS;
    if (n == 0) {
        free(names);
        kube_reason(r, "pod affinity terms conflict");
        return KUBE_UNRESOLVABLE;
    }
    xgrow((void **)&s->ids, &s->cap, n, sizeof *s->ids);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t id = cluster_find_node(p->c, names[i]);
        if (id >= 0)
            s->ids[m++] = id;
    }
    free(names);
    result->ids = s->ids;
    result->n = m;
    return KUBE_SUCCESS;
}

static enum kube_code filter(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r)
{
    const struct state *s = state;
    const struct cycle *cy = cycle;
    const struct node *n = &p->c->nodes[node];
    const struct podspec *ps = p->spec;
    if (s->added_required &&
        !nsel_terms_match(s->args->added.required, s->args->added.nrequired, &n->labels, n->name)) {
        kube_reason(r, "node(s) didn't match scheduler-enforced node affinity");
        return KUBE_UNRESOLVABLE;
    }
    if (!labelset_matches(&n->labels, &ps->node_selector) ||
        (cy->has_required &&
         !nsel_terms_match(ps->affinity.required, ps->affinity.nrequired, &n->labels, n->name))) {
        kube_reason(r, "node(s) didn't match Pod's node affinity/selector");
        return KUBE_UNRESOLVABLE;
    }
    return KUBE_SUCCESS;
}

static enum kube_code prescore(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n)
{
    (void)cycle, (void)nodes, (void)n;
    const struct state *s = state;
    int added = s->args->has_added && s->args->added.npreferred > 0;
    return p->spec->affinity.npreferred > 0 || added ? KUBE_SUCCESS : KUBE_SKIP;
}

/* PreferredSchedulingTerms.Score: terms with weight 0 (or empty) count for nothing. */
static int64_t preferred_score(const struct nsel_pref *terms, size_t n, const struct node *nd)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        if (terms[i].weight != 0 && nsel_term_matches(&terms[i].term, &nd->labels, nd->name))
            sum += terms[i].weight;
    return sum;
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    (void)cycle;
    const struct state *s = state;
    for (size_t k = 0; k < n; k++) {
        const struct node *nd = &p->c->nodes[nodes[k]];
        int64_t sum = 0;
        if (s->args->has_added)
            sum += preferred_score(s->args->added.preferred, s->args->added.npreferred, nd);
        sum += preferred_score(p->spec->affinity.preferred, p->spec->affinity.npreferred, nd);
        out[k] = sum;
    }
}

static void normalize(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                      int64_t *scores, size_t n)
{
    (void)state, (void)cycle, (void)p, (void)nodes;
    kube_default_normalize(scores, n, 0);
}

const struct kube_plugin_ops kube_node_affinity_ops = {
    .name = "NodeAffinity",
    .summary = "nodeSelector and required node affinity; preferred terms score by weight",
    .points =
        KUBE_PT_PREFILTER | KUBE_PT_FILTER | KUBE_PT_PRESCORE | KUBE_PT_SCORE | KUBE_PT_NORMALIZE,
    .node_local = 1,
    .state_size = sizeof(struct state),
    .cycle_size = sizeof(struct cycle),
    .init = init,
    .release = release,
    .prefilter = prefilter,
    .filter = filter,
    .prescore = prescore,
    .score = score,
    .normalize = normalize,
    .default_normalize = KUBE_NORMALIZE_DEFAULT,
};
