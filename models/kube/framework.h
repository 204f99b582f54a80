#ifndef KSIM_KUBE_FRAMEWORK_H
#define KSIM_KUBE_FRAMEWORK_H
/*
 * kube-scheduler's scheduling framework for one profile: the cycle of
 * pkg/scheduler/schedule_one.go and framework/runtime/framework.go (v1.35).
 *
 *   PreFilter ──► Filter (round robin from nextStartNodeIndex, plugins in
 *      │          order, first failure per node; stop at numFeasibleNodesToFind)
 *      │             │ none feasible: FitError "0/N nodes are available: ..."
 *      │             │ (PostFilter, i.e. preemption, is models/kube/preemption.c,
 *      │             │ run by the scheduler with the diagnosis of framework_diagnose)
 *      │             ▼ one feasible: chosen without scoring
 *      └────► PreScore (Skip) ─► Score ─► NormalizeScore ─► × weight ─► Σ ─► selectHost
 *
 * Plugins are const struct kube_plugin_ops (one file each under models/kube,
 * upstream names), listed in the registry in models/kube/plugins.c. A plugin
 * has per-profile state (state_size bytes, set up by init from the typed
 * args) and per-cycle scratch (cycle_size bytes, allocated once per profile
 * and reused: the hot path allocates nothing). Plugins read node data
 * straight from struct cluster; what the whole cycle needs is computed once
 * in PreFilter / PreScore.
 *
 * Filter is called with a NULL reasons sink on the fast path, so a plugin
 * formats no strings unless someone (the FitError text, the explain API)
 * asks for them; kube_reason() is a no-op on NULL.
 *
 * How to add a plugin:
 *   1. write models/kube/<upstream_name>.c defining
 *      `const struct kube_plugin_ops kube_<name>_ops`, with a comment naming
 *      the upstream file and version it follows;
 *   2. declare it in models/kube/plugins.h and list it in plugins.c;
 *   3. if it takes args, add them to models/kube/pluginargs.h and a reader
 *      in sim/io/kube/kubeconfig.c;
 *   4. add worked cases under tests/cases/kube/.
 */
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

struct cluster;
struct podspec;
struct kube_args;
struct kube_profile;

/* Status codes (framework/interface.go). */
enum kube_code { KUBE_SUCCESS, KUBE_UNSCHEDULABLE, KUBE_UNRESOLVABLE, KUBE_SKIP, KUBE_ERROR };

/* "Success", "Unschedulable", "UnschedulableAndUnresolvable", "Skip", "Error", NULL. */
extern const char *const kube_code_names[];

#define KUBE_MAX_NODE_SCORE 100
#define KUBE_MAX_REASONS    8
#define KUBE_REASON_LEN     160

/* Where a plugin writes its reasons; fixed size so that nothing allocates. */
struct kube_reasons {
    size_t n;
    char text[KUBE_MAX_REASONS][KUBE_REASON_LEN];
};

/* Appends a reason (printf-style); a no-op when r is NULL or full. */
void kube_reason(struct kube_reasons *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* What every callback sees about the pod being scheduled. */
struct kube_pod {
    const struct cluster *c;
    int32_t pod; /* a Pending pod of c */
    const struct podspec *spec;
};

/* PreFilterResult.NodeNames as node ids (any order, no duplicates). */
struct kube_nodeset {
    const int32_t *ids;
    size_t n;
};

/* Extension points a plugin implements (for the profile and `ksim list`). */
enum {
    KUBE_PT_PREENQUEUE = 1u << 0,
    KUBE_PT_QUEUESORT = 1u << 1,
    KUBE_PT_PREFILTER = 1u << 2,
    KUBE_PT_FILTER = 1u << 3,
    KUBE_PT_POSTFILTER = 1u << 4,
    KUBE_PT_PRESCORE = 1u << 5,
    KUBE_PT_SCORE = 1u << 6,
    KUBE_PT_NORMALIZE = 1u << 7,
    KUBE_PT_RESERVE = 1u << 8,
    KUBE_PT_PREBIND = 1u << 9,
    KUBE_PT_BIND = 1u << 10,
};

struct kube_plugin_ops {
    const char *name;    /* the upstream name, as written in a KubeSchedulerConfiguration */
    const char *summary; /* one line for `ksim list` */
    unsigned points;     /* KUBE_PT_* it implements (callbacks may be NULL for no-ops) */
    /*
     * Node-local: Filter and Score depend only on the pod's spec, the node
     * and the pods bound to it (and, for ImageLocality, the node set), and
     * PreScore ignores its node list. When every Filter and Score plugin
     * running for a pod is node-local, the fast path reuses results per
     * (pod template, node) until the node changes (struct node.version).
     * Plugins that look at other nodes' pods (topology spread, pod
     * affinity) leave it 0.
     */
    int node_local;
    size_t state_size; /* per-profile state, zeroed before init */
    size_t cycle_size; /* per-cycle scratch, NOT zeroed between cycles */
    /* Sets up state from the profile's args. 0, or -1 with err filled. */
    int (*init)(void *state, const struct kube_args *args, char *err, size_t errlen);
    void (*release)(void *state);
    /*
     * Success, Skip (its Filter is not run for this pod), or a rejection
     * (every node fails with it). May narrow the candidates by setting
     * *result (left NULL-ids when it does not).
     */
    enum kube_code (*prefilter)(void *state, void *cycle, const struct kube_pod *p,
                                struct kube_nodeset *result, struct kube_reasons *r);
    /* Success, Unschedulable or UnschedulableAndUnresolvable for one node; r may be NULL. */
    enum kube_code (*filter)(void *state, void *cycle, const struct kube_pod *p, int32_t node,
                             struct kube_reasons *r);
    /* Success or Skip (its Score is not run for this pod); nodes are the feasible ones. */
    enum kube_code (*prescore)(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n);
    /* Raw scores of nodes[0..n) into out. */
    void (*score)(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out);
    /* Rescales scores[0..n) in place to 0..100. */
    void (*normalize)(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                      int64_t *scores, size_t n);
    /*
     * KUBE_NORMALIZE_DEFAULT or _REVERSE when normalize is exactly
     * kube_default_normalize(scores, n, 0 or 1): the fast path then applies
     * it itself, fused with the weighting. 0 for any other normalize.
     */
    int default_normalize;
};

enum { KUBE_NORMALIZE_OWN, KUBE_NORMALIZE_DEFAULT, KUBE_NORMALIZE_REVERSE };

/* helper.DefaultNormalizeScore (framework/plugins/helper/normalize_score.go). */
void kube_default_normalize(int64_t *scores, size_t n, int reverse);

/*
 * numFeasibleNodesToFind (schedule_one.go): all nodes below 100; otherwise
 * percentage (adaptive when 0: max(5, 50 - N/125)) of N, at least 100.
 */
int64_t kube_num_feasible_nodes_to_find(int32_t percentage, int64_t nnodes);

enum kube_tiebreak { KUBE_TIE_RANDOM, KUBE_TIE_FIRST };

struct framework;

/*
 * Builds the framework for profile (plugin lists resolved to arrays per
 * extension point: the specific points, then multiPoint expanded as
 * upstream's expandMultiPointPlugins does). global_percentage is the top-level
 * percentageOfNodesToScore (0 = adaptive), used unless the profile sets its
 * own. rng draws the tie-breaks (the "kube" stream); NULL only with
 * KUBE_TIE_FIRST. Returns NULL with err filled when a plugin is unknown or
 * its args are rejected.
 */
struct framework *framework_new(const struct kube_profile *profile, int32_t global_percentage,
                                enum kube_tiebreak tie, gsl_rng *rng, char *err, size_t errlen);
void framework_free(struct framework *fw);

const char *framework_profile_name(const struct framework *fw);

/*
 * One scheduling cycle for pod (the fast path): the chosen node, or -1 when
 * no node is feasible (or there are no nodes). Advances nextStartNodeIndex
 * and draws from the RNG exactly as upstream would. A pod nominated by a
 * preemption (pod.nominated) tries that node first, alone
 * (evaluateNominatedNode); the requests of other nominated pods are counted
 * on their nodes by the caller (cluster_reserve), not here.
 */
int32_t framework_schedule(struct framework *fw, const struct cluster *c, int32_t pod);

/*
 * The FitError text for a pod that fits nowhere ("0/3 nodes are available:
 * 1 Insufficient cpu, 2 node(s) had untolerated taint(s)."), by running
 * PreFilter and Filter over every node with reasons on. Changes no state.
 */
void framework_fit_error(struct framework *fw, const struct cluster *c, int32_t pod, char *buf,
                         size_t len);

struct kube_explain;

/*
 * The same cycle as framework_fit_error, keeping the per-node statuses
 * (Diagnosis.NodeToStatus) in out; out->message is the FitError text.
 * Changes no state. Release out with kube_explain_release.
 */
void framework_diagnose(struct framework *fw, const struct cluster *c, int32_t pod,
                        struct kube_explain *out);

/* Whether the profile runs DefaultPreemption at PostFilter. */
int framework_preemption(const struct framework *fw);
/* The profile's plugin args (DefaultPreemptionArgs for the PostFilter). */
const struct kube_args *framework_args(const struct framework *fw);

/*
 * For preemption's dry run, right after framework_diagnose of the same pod:
 * re-runs the PreFilter of the active filters that look beyond one node
 * (PodTopologySpread, InterPodAffinity), after pods were detached from or
 * attached to a node: what upstream's PreFilterExtensions AddPod / RemovePod
 * do to the cycle state. Then framework_filter_node runs the active filters
 * on one node (first failure, its plugin and reasons; rs may be NULL).
 */
void framework_prefilter_again(struct framework *fw, const struct cluster *c, int32_t pod);
enum kube_code framework_filter_node(struct framework *fw, const struct cluster *c, int32_t pod,
                                     int32_t node, struct kube_reasons *rs, const char **plugin);

/* One visited node in an explained cycle. */
struct kube_node_explain {
    int32_t node;
    enum kube_code code; /* Success, Unschedulable or UnschedulableAndUnresolvable */
    const char *plugin;  /* the failing plugin; NULL on Success */
    size_t nreasons;
    char **reasons;      /* all of the failing plugin's reasons, upstream wording */
    int scored;          /* feasible, so the score arrays below are filled */
    int64_t *raw;        /* per score plugin (kube_explain.score_names order) */
    int64_t *normalized; /* == raw for plugins without NormalizeScore */
    int64_t *weighted;
    int64_t total;
};

struct kube_explain {
    size_t nscore;
    const char **score_names; /* the profile's score plugins, in order (borrowed) */
    int64_t *weights;
    int *skipped;                    /* PreScore returned Skip: absent from this pod's scores */
    struct kube_node_explain *nodes; /* visited nodes, by node id */
    size_t nnodes;
    int32_t *feasible; /* by node id */
    size_t nfeasible;
    int32_t selected; /* -1 when none */
    char *message;    /* the FitError text, NULL when a node was selected */
};

/*
 * The same cycle as framework_schedule (same visited nodes, same
 * nextStartNodeIndex update, same RNG draws, same choice), recording
 * everything in out. Unlike upstream, scores are computed also when only one
 * node is feasible, so the user sees them; the choice is unchanged.
 * Returns out->selected.
 */
int32_t framework_explain(struct framework *fw, const struct cluster *c, int32_t pod,
                          struct kube_explain *out);
void kube_explain_release(struct kube_explain *e);

/*
 * FitError.Error over e's nodes (their reasons) for a snapshot of nall
 * nodes, nabsent of which are not in e and count with absent_reason
 * (NodeToStatus.SetAbsentNodesStatus). A new string.
 */
char *kube_fit_error_text(const struct kube_explain *e, size_t nall, size_t nabsent,
                          const char *absent_reason);

#endif
