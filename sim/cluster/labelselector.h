#ifndef KSIM_CLUSTER_LABELSELECTOR_H
#define KSIM_CLUSTER_LABELSELECTOR_H
/*
 * metav1.LabelSelector (matchLabels + matchExpressions) with the semantics of
 * k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go, LabelSelectorAsSelector
 * (v1.33-v1.35):
 *
 *   absent (nil) selector      -> labels.Nothing():    matches no object
 *   present but empty ({})     -> labels.Everything(): matches every object
 *   otherwise                  -> every requirement must hold
 *
 * Call sites differ on the empty selector, which is why both are kept apart
 * here instead of being normalised: PodTopologySpread counts no pods for an
 * Everything selector (countPodsMatchSelector checks Empty() first) but its
 * Filter still lets the incoming pod match itself; InterPodAffinity matches
 * every pod in the term's namespaces.
 *
 * A requirement upstream's conversion rejects (an In/NotIn value that is not
 * a valid label value, In/NotIn without values, Exists with values) makes the
 * whole selector `invalid`: it then matches nothing, as the contract
 * asks (upstream returns an error and the term never matches).
 */
#include <stddef.h>

#include "sim/cluster/labels.h"

enum lsel_kind { LSEL_NOTHING, LSEL_EVERYTHING, LSEL_REQS };
enum lsel_op { LSEL_IN, LSEL_NOT_IN, LSEL_EXISTS, LSEL_DOES_NOT_EXIST };

/* "In", "NotIn", "Exists", "DoesNotExist", NULL: indexed by enum lsel_op. */
extern const char *const lsel_op_names[];

struct lsel_req {
    char *key;
    enum lsel_op op;
    char **values;
    size_t nvalues;
    /* Came from matchLabels (an In with one value, as LabelSelectorAsSelector
     * folds it) rather than matchExpressions: only labelselector_go_string
     * needs the difference, to print the object as written. */
    int from_match_labels;
};

struct labelselector {
    enum lsel_kind kind;
    int invalid; /* a requirement upstream's conversion rejects: matches nothing */
    struct lsel_req *reqs;
    size_t nreqs, cap;
};

/* An absent selector (kind LSEL_NOTHING). */
void labelselector_init(struct labelselector *s);
void labelselector_release(struct labelselector *s);
void labelselector_copy(struct labelselector *dst, const struct labelselector *src);
/*
 * Adds a requirement (copies key and values); turns Nothing or Everything
 * into a requirement list. A requirement upstream would reject sets
 * s->invalid instead of failing.
 */
void labelselector_add(struct labelselector *s, const char *key, enum lsel_op op,
                       const char *const *values, size_t nvalues);
/* A matchLabels pair: the In requirement key=value, remembered as matchLabels. */
void labelselector_add_label(struct labelselector *s, const char *key, const char *value);
/* Whether the labels match (Nothing and invalid selectors match nothing). */
int labelselector_matches(const struct labelselector *s, const struct labelset *labels);
/* Upstream's Selector.Empty(): true only for Everything. */
int labelselector_empty(const struct labelselector *s);

/*
 * The selector as Go's fmt "%+v" prints a *metav1.LabelSelector (its
 * generated String method: matchLabels sorted by key, expressions in order),
 * as upstream error texts and condition messages embed it:
 *   &LabelSelector{MatchLabels:map[string]string{app: web,},
 *   MatchExpressions:[]LabelSelectorRequirement{},}   (one line)
 * Nothing and Everything both print with empty lists. Returns a heap string
 * the caller frees.
 */
char *labelselector_go_string(const struct labelselector *s);

/* k8s.io/apimachinery/pkg/util/validation IsValidLabelValue: <= 63, [A-Za-z0-9] at both ends. */
int label_value_valid(const char *v);

#endif
