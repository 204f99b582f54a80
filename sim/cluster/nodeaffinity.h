#ifndef KSIM_CLUSTER_NODEAFFINITY_H
#define KSIM_CLUSTER_NODEAFFINITY_H
/*
 * Node selector terms (v1.NodeSelectorTerm) and node affinity
 * (v1.NodeAffinity): which nodes a pod requires or prefers. Matching follows
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 * (v1.35): a term matches when all of its matchExpressions (on labels) and
 * matchFields (metadata.name only) match; an empty term matches nothing; a
 * term with a requirement that does not parse (an invalid label value, a
 * non-integer for Gt/Lt) matches nothing, as upstream's conversion to a
 * labels.Selector fails for it.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/cluster/labels.h"

enum nsel_op { NSEL_IN, NSEL_NOT_IN, NSEL_EXISTS, NSEL_DOES_NOT_EXIST, NSEL_GT, NSEL_LT };

/* "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", NULL: indexed by enum nsel_op. */
extern const char *const nsel_op_names[];

struct nsel_req {
    char *key;
    enum nsel_op op;
    char **values;
    size_t nvalues;
    int64_t num; /* Gt/Lt: the parsed value */
    int invalid; /* did not parse: the whole term matches nothing */
};

struct nsel_term {
    struct nsel_req *exprs; /* matchExpressions on labels */
    size_t nexprs;
    struct nsel_req *fields; /* matchFields; key is always metadata.name */
    size_t nfields;
};

struct nsel_pref {
    int32_t weight;
    struct nsel_term term;
};

struct node_affinity {
    int has_required;           /* requiredDuringSchedulingIgnoredDuringExecution is set */
    struct nsel_term *required; /* nodeSelectorTerms, ORed */
    size_t nrequired;
    struct nsel_pref *preferred;
    size_t npreferred;
};

void nsel_req_release(struct nsel_req *r);
void nsel_term_release(struct nsel_term *t);
void node_affinity_release(struct node_affinity *a);
void node_affinity_copy(struct node_affinity *dst, const struct node_affinity *src);

/*
 * Validates a requirement the way upstream's conversion does and fills
 * r->invalid and r->num: In/NotIn need at least one value (each a valid label
 * value for label keys), Exists/DoesNotExist none, Gt/Lt exactly one integer.
 * matchFields allow only In/NotIn with exactly one value.
 */
void nsel_req_prepare(struct nsel_req *r, int field);

/* Makes p a preferred term of weight with the one expression `key In [value]`. */
void nsel_pref_init_in(struct nsel_pref *p, int32_t weight, const char *key, const char *value);

/* Whether a term matches a node with labels ls and name name. */
int nsel_term_matches(const struct nsel_term *t, const struct labelset *ls, const char *name);
/* Whether any of terms matches (RequiredNodeAffinity); 0 when n == 0. */
int nsel_terms_match(const struct nsel_term *terms, size_t n, const struct labelset *ls,
                     const char *name);

/*
 * The node names a set of terms can possibly match, when every term pins
 * metadata.name with an In field (nodeaffinity.go, getPodPreferredNodes /
 * PreFilter's node-name result): returns 1 and the union of the names through
 * names/nnames (pointers into the terms), 0 when some term does not pin names.
 * *names is allocated; the caller frees it.
 */
int nsel_terms_node_names(const struct nsel_term *terms, size_t n, const char ***names,
                          size_t *nnames);

#endif
