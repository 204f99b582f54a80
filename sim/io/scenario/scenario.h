#ifndef KSIM_IO_SCENARIO_H
#define KSIM_IO_SCENARIO_H
/*
 * The scenario document (apiVersion ksim.io/v1alpha1, kind Scenario), read
 * strictly: unknown keys, wrong types, missing required keys and impossible
 * values are errors with a position. Kubernetes objects inside it (inline or
 * included) keep their API shape and are read by manifest.c, which ignores
 * fields ksim does not model. scenarios/README.md documents every key.
 *
 * A parsed scenario owns everything it points to; the YAML trees are kept
 * alive for its lifetime so names can point into them.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"
#include "sim/cluster/cluster.h"
#include "sim/control/batch.h"
#include "sim/control/scheduler.h"
#include "sim/engine/simtime.h"
#include "sim/io/kube/kubeconfig.h"
#include "sim/io/experiment/experiment.h"
#include "sim/io/kube/manifest.h"

struct placement_ops;
struct priorityclass;
struct ytree;
struct scn_autoscaling;

struct scn_pool {
    const char *name;
    int64_t count;
    struct resources alloc;
    struct labelset labels;
    struct taint *taints;
    size_t ntaints;
};

/* A stream of run-to-completion pods. */
struct scn_batch {
    const char *name;
    struct batch_params p;
    struct podspec spec;
};

enum scn_event_kind { SCN_EV_SCALE, SCN_EV_REMOVE_NODES, SCN_EV_ADD_NODES, SCN_EV_UNGATE };

struct scn_event {
    simtime at;
    enum scn_event_kind kind;
    int32_t target; /* deployment index (scale, ungate) or pool index (nodes) */
    int64_t value;  /* replicas or node count */
};

struct scenario {
    char *path; /* the scenario file as given */
    const char *name;
    uint64_t seed;
    simtime duration;
    simtime metrics_interval;
    const struct placement_ops *policy;
    struct scheduler_config queue; /* spec.scheduler's queue keys */
    struct kubeconfig_choice kube; /* spec.scheduler's config/configFile/profile/tieBreak */
    simtime startup_delay;
    struct resnames resnames;
    struct scn_pool *pools;
    size_t npools;
    struct manifest_node *nodes;
    size_t nnodes;
    struct manifest_deployment *deployments;
    size_t ndeployments;
    struct scn_batch *batches;
    size_t nbatches;
    struct scn_event *events;
    size_t nevents;
    struct priorityclass *pclasses; /* spec.workloads' PriorityClass objects */
    size_t npclasses;
    struct scn_autoscaling *autoscaling; /* spec.autoscaling and spec.traffic; NULL when absent */
    struct experiment exp; /* spec.variants and spec.goals (sim/io/experiment/experiment.h) */
    /* private */
    struct ytree **trees;
    size_t ntrees, trees_cap;
};

/*
 * One --set override: a dotted path into the scenario document with [i]
 * list indexes ("spec.cluster.nodePools[0].count") and a YAML value.
 */
struct scn_override {
    const char *path;
    const char *value;
};

/*
 * Loads and validates a scenario. overrides (may be NULL/0) are applied to the
 * document before validation, so they get the same checks as the file.
 * seed_override >= 0 replaces spec.seed. Returns NULL and fills d on error.
 */
struct scenario *scenario_load(const char *path, const struct scn_override *overrides,
                               size_t noverrides, int64_t seed_override, struct diag *d);
void scenario_free(struct scenario *s);

/* The scenario document as validated, --set overrides applied (not --seed). */
struct ynode;
const struct ynode *scenario_document(const struct scenario *s);

/* Total nodes at start (pools plus manifests). */
int64_t scenario_initial_nodes(const struct scenario *s);

#endif
