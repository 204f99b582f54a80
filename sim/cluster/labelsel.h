#ifndef KSIM_CLUSTER_LABELSEL_H
#define KSIM_CLUSTER_LABELSEL_H
/*
 * metav1.LabelSelector: matchLabels plus matchExpressions, as a Deployment's
 * spec.selector or a metric's selector holds it. Matching follows
 * k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector and
 * pkg/labels/selector.go Requirement.Matches: every requirement must hold;
 * In needs the key with one of the values, NotIn holds when the key is
 * absent or its value is none of them, Exists / DoesNotExist test the key.
 * An empty selector matches everything.
 *
 * Lifecycle: labelsel_init / labelsel_release (embedded struct); the
 * selector owns copies of every string.
 */
#include <stddef.h>

#include "sim/cluster/labels.h"

enum labelsel_op {
    LABELSEL_IN,
    LABELSEL_NOT_IN,
    LABELSEL_EXISTS,
    LABELSEL_DOES_NOT_EXIST,
};

/* "In", "NotIn", "Exists", "DoesNotExist", NULL: indexed by enum labelsel_op. */
extern const char *const labelsel_op_names[];

struct labelsel_req {
    char *key;
    enum labelsel_op op;
    char **values;
    size_t nvalues;
};

struct labelsel {
    struct labelset match_labels;
    struct labelsel_req *reqs;
    size_t nreqs, capreqs;
};

void labelsel_init(struct labelsel *s);
void labelsel_release(struct labelsel *s);
/* Appends a matchExpressions entry (copies key and values). */
void labelsel_add(struct labelsel *s, const char *key, enum labelsel_op op,
                  const char *const *values, size_t nvalues);
/* Whether labels satisfy every matchLabels pair and every expression. */
int labelsel_matches(const struct labelsel *s, const struct labelset *labels);

/*
 * The selector as Go's fmt "%+v" prints a *metav1.LabelSelector (its
 * generated String method: matchLabels sorted by key), as upstream error
 * texts and condition messages embed it:
 *   &LabelSelector{MatchLabels:map[string]string{app:
 * web,},MatchExpressions:[]LabelSelectorRequirement{},} Returns a heap string the caller frees.
 */
char *labelsel_go_string(const struct labelsel *s);

#endif
