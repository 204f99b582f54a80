#ifndef KSIM_CLUSTER_PODAFFINITY_H
#define KSIM_CLUSTER_PODAFFINITY_H
/*
 * The inter-pod parts of a pod spec: spec.affinity.podAffinity /
 * podAntiAffinity terms and spec.topologySpreadConstraints. A podspec holds
 * a pointer to one of these, NULL when the pod has none, so that the common
 * bin-packing spec stays small.
 *
 * matchLabelKeys / mismatchLabelKeys are kept as keys and applied against the
 * owning pod's labels when a term is matched (podaffinity_term_matches), which
 * is what the API server's merge into the label selector amounts to
 * (pkg/registry/core/pod/strategy.go, v1.33: `key In (value)` for
 * matchLabelKeys, `key NotIn (value)` for mismatchLabelKeys, only for keys the
 * pod carries, and never into a nil selector).
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/labels.h"
#include "sim/cluster/labelselector.h"

struct podaffinity_term {
    struct labelselector sel;
    char **namespaces; /* empty with no namespaceSelector: the pod's own namespace */
    size_t nnamespaces;
    struct labelselector nssel; /* LSEL_NOTHING when absent */
    char *topology_key;
    char **match_keys, **mismatch_keys;
    size_t nmatch_keys, nmismatch_keys;
    int32_t weight; /* preferred terms: 1..100; required terms: 0 */
};

enum spread_when { SPREAD_DO_NOT_SCHEDULE, SPREAD_SCHEDULE_ANYWAY };
enum spread_policy { SPREAD_HONOR, SPREAD_IGNORE };

struct spread_constraint {
    int32_t max_skew;
    char *topology_key;
    enum spread_when when;
    struct labelselector sel;
    int32_t min_domains;              /* 1 when absent */
    enum spread_policy node_affinity; /* Honor when absent */
    enum spread_policy node_taints;   /* Ignore when absent */
    char **match_keys;
    size_t nmatch_keys;
};

struct podaffinity {
    struct spread_constraint *spread;
    size_t nspread;
    struct podaffinity_term *aff_req, *aff_pref, *anti_req, *anti_pref;
    size_t naff_req, naff_pref, nanti_req, nanti_pref;
};

struct podaffinity *podaffinity_new(void);
void podaffinity_free(struct podaffinity *pa);
void podaffinity_term_release(struct podaffinity_term *t);
void spread_constraint_release(struct spread_constraint *c);
void spread_constraint_copy(struct spread_constraint *dst, const struct spread_constraint *src);

/*
 * Whether a pod (labels, namespace) matches term, a term of the pod `self`
 * (self_labels, self_ns) — framework.AffinityTerm.Matches
 * (pkg/scheduler/framework/types.go): the namespace is in the term's list, or
 * (with a namespaceSelector) the namespace's labels match it, and the label
 * selector (with matchLabelKeys/mismatchLabelKeys applied) matches. ksim has
 * no Namespace objects: a namespace's labels are the one label the API
 * server puts on every namespace, kubernetes.io/metadata.name=<name>.
 */
int podaffinity_term_matches(const struct podaffinity_term *t, const struct labelset *self_labels,
                             const char *self_ns, const struct labelset *labels, const char *ns);

/*
 * Whether labels match a spread constraint's selector with the constraint's
 * matchLabelKeys applied against the owning pod's labels
 * (podtopologyspread/common.go filterTopologySpreadConstraints).
 */
int spread_selector_matches(const struct spread_constraint *c, const struct labelset *self_labels,
                            const struct labelset *labels);
/* Selector.Empty() of that merged selector. */
int spread_selector_empty(const struct spread_constraint *c, const struct labelset *self_labels);

#endif
