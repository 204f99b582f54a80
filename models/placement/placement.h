#ifndef KSIM_MODELS_PLACEMENT_PLACEMENT_H
#define KSIM_MODELS_PLACEMENT_PLACEMENT_H
/*
 * Placement policies: given the cluster and one Pending pod, pick a node.
 *
 * A policy is a const struct placement_ops listed in the registry in
 * placement.c and found by exact name (curl's TLS back ends, GSL's RNG types).
 * Its state is private: the framework allocates state_size zeroed bytes and
 * hands them to every callback. A policy never changes the cluster and never
 * schedules events; the scheduler binds the pod it returns.
 *
 * How to add a policy:
 *   1. write models/placement/<name>.c defining
 *      `const struct placement_ops placement_<name>_ops` (see first_fit.c);
 *   2. declare it at the end of this header and add it to the table in
 *      placement.c, in the order `ksim list` should show;
 *   3. add tests/unit/test_<name>.c with worked examples, and, if it keeps an
 *      index, a model test against a brute-force scan in tests/model/;
 *   4. document its formula in README.md ("Placement policies").
 */
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

struct cluster;
struct pod;
struct podspec;
struct kube_config;
struct framework;

/* What a policy may use beyond the cluster itself. */
struct placement_env {
    /* The policy's own seeded stream ("placement"). gsl_rng is a typedef of an
     * anonymous struct, so it cannot be forward-declared as struct gsl_rng. */
    gsl_rng *rng;
    /* For `kube`: the scheduler configuration (NULL = upstream defaults), the
     * profile to use (NULL = "default-scheduler"), tie-breaking, and the
     * "kube" stream. */
    const struct kube_config *kube;
    const char *kube_profile;
    int kube_tie_first;
    gsl_rng *kube_rng;
};

struct placement_ops {
    const char *name;    /* kebab-case, as written in scenarios */
    const char *summary; /* one line for `ksim list` */
    size_t state_size;
    /* Builds the policy's state over the nodes that exist now. 0 or -1. */
    int (*init)(void *state, const struct cluster *c, const struct placement_env *env);
    void (*release)(void *state);
    /* A node's free capacity, schedulability or liveness changed, or it is new. */
    void (*node_changed)(void *state, const struct cluster *c, int32_t node);
    /* The chosen node for pod, or -1 when none is feasible. */
    int32_t (*place)(void *state, const struct cluster *c, int32_t pod);
    /* Optional: the FitError text for a pod place() found no node for;
     * placement_explain's when NULL. */
    void (*explain)(void *state, const struct cluster *c, int32_t pod, char *buf, size_t len);
    /* Optional, for `ksim list`: the kube filters this policy honours. */
    const char *honours;
};

/* The registry, NULL-terminated, in display order. */
extern const struct placement_ops *const placement_registry[];

/* The policy named name, or NULL. */
const struct placement_ops *placement_find(const char *name);

/* A live policy instance: ops plus state. */
struct placement {
    const struct placement_ops *ops;
    void *state;
};

int placement_init(struct placement *p, const struct placement_ops *ops, const struct cluster *c,
                   const struct placement_env *env);
void placement_release(struct placement *p);

/* The kube framework behind a `kube` placement instance (for explain), else NULL. */
struct framework *placement_kube_framework(const struct placement *p);

/*
 * The hard constraints every policy honours, node by node, as kube-scheduler's
 * filters state them: the node is alive and not spec.unschedulable
 * (NodeUnschedulable), its NoSchedule/NoExecute taints are tolerated
 * (TaintToleration), it matches the pod's nodeSelector and required node
 * affinity (NodeAffinity), and it
 * has room for the requests and one more pod (NodeResourcesFit).
 * placement_feasible checks them all; policies use it to confirm a candidate.
 */
int placement_feasible(const struct cluster *c, const struct pod *pod, int32_t node);

/* The kube filters placement_feasible implements, for `ksim list`. */
#define PLACEMENT_HONOURS                                                                          \
    "NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector, required terms), "            \
    "NodeResourcesFit"

/*
 * Whether pods of spec tolerate the node.kubernetes.io/unschedulable:NoSchedule
 * taint, and so pass NodeUnschedulable on a node with spec.unschedulable
 * (pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go).
 * Indexes that leave cordoned nodes out must fall back to a scan for such pods.
 */
int placement_tolerates_unschedulable(const struct podspec *spec);

/*
 * Writes the upstream FitError text for a pod that fits nowhere, e.g.
 * "0/10 nodes are available: 2 node(s) had untolerated taint(s),
 * 8 Insufficient cpu." (the v1.35 taint wording) Each node contributes the reasons of the first
 * filter it fails, in kube-scheduler's default filter order; the "count reason" strings are sorted
 * as upstream sorts them (pkg/scheduler/framework/types.go, FitError.Error). O(nodes).
 */
void placement_explain(const struct cluster *c, int32_t pod, char *buf, size_t len);

extern const struct placement_ops placement_first_fit_ops;
extern const struct placement_ops placement_next_fit_ops;
extern const struct placement_ops placement_best_fit_ops;
extern const struct placement_ops placement_worst_fit_ops;
extern const struct placement_ops placement_dot_product_ops;
extern const struct placement_ops placement_random_ops; /* needs env->rng */
extern const struct placement_ops placement_kube_ops;   /* needs env->kube_rng */

#endif
