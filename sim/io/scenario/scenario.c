#include "sim/io/scenario/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/io/scenario/autoscale.h"
#include "sim/io/scenario/override.h"
#include "sim/io/kube/priorityclass.h"
#include "sim/io/schema.h"
#include "sim/io/ytree.h"

#define SCN_API_VERSION "ksim.io/v1alpha1"
/* Longest run ksim accepts: a year of virtual time is far beyond any use. */
#define SCN_MAX_DURATION   (366 * SIMTIME_DAY)
#define SCN_MAX_POOL_NODES 1000000

/* Where a workload's pod template says priorityClassName and priority, resolved once all classes
 * are read. */
struct prio_ref {
    int batch; /* 0: deployments[index], 1: batches[index] */
    size_t index;
    const struct ynode *name, *priority;
};

struct loader {
    struct scenario *s;
    struct diag *d;
    const char *dir; /* directory of the scenario file, for includes */
    struct prio_ref *refs;
    size_t nrefs, refs_cap;
};

static void add_prio_ref(struct loader *L, int batch, size_t index, const struct ynode *podspec)
{
    xgrow((void **)&L->refs, &L->refs_cap, L->nrefs + 1, sizeof *L->refs);
    L->refs[L->nrefs++] = (struct prio_ref){batch, index, ynode_get(podspec, "priorityClassName"),
                                            ynode_get(podspec, "priority")};
}

/* A PriorityClass object (in spec.workloads.priorityClasses or an included file). */
static int add_priority_class(struct loader *L, const struct ynode *obj, struct diag *d)
{
    struct scenario *s = L->s;
    struct priorityclass pc;
    if (priorityclass_read(obj, &pc, d) ||
        priorityclass_check(s->pclasses, s->npclasses, &pc,
                            ynode_get(ynode_get(obj, "metadata"), "name"), d))
        return -1;
    s->pclasses = xrealloc(s->pclasses, (s->npclasses + 1) * sizeof *s->pclasses);
    s->pclasses[s->npclasses++] = pc;
    return 0;
}

/* Priority admission for every workload, once every PriorityClass is known. */
static int resolve_priorities(struct loader *L)
{
    struct scenario *s = L->s;
    for (size_t i = 0; i < L->nrefs; i++) {
        const struct prio_ref *r = &L->refs[i];
        struct podspec *ps = r->batch ? &s->batches[r->index].spec : &s->deployments[r->index].spec;
        if (priorityclass_resolve(s->pclasses, s->npclasses, r->name, r->priority, ps, L->d))
            return -1;
    }
    return 0;
}

static void keep_tree(struct scenario *s, struct ytree *t)
{
    xgrow((void **)&s->trees, &s->trees_cap, s->ntrees + 1, sizeof *s->trees);
    s->trees[s->ntrees++] = t;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

/* ------------------------------------------------------------------ cluster */

static const char *const pool_keys[] = {"name", "count", "allocatable", "labels", "taints", NULL};

static int read_pool(struct loader *L, const struct ynode *n, struct scn_pool *p)
{
    struct diag *d = L->d;
    memset(p, 0, sizeof *p);
    labelset_init(&p->labels);
    if (schema_check_keys(n, "nodePools[]", pool_keys, d))
        return -1;
    const struct ynode *v;
    if (!(v = schema_require(n, "nodePools[]", "name", d)) || schema_name(v, "name", &p->name, d))
        return -1;
    if (!(v = schema_require(n, "nodePools[]", "count", d)) ||
        schema_int64(v, "count", 0, SCN_MAX_POOL_NODES, &p->count, d))
        return -1;
    if (!(v = schema_require(n, "nodePools[]", "allocatable", d)) ||
        manifest_read_resources(v, "allocatable", &L->s->resnames, &p->alloc, d))
        return -1;
    if (p->alloc.v[RES_PODS] == 0)
        p->alloc.v[RES_PODS] = 110; /* the kubelet's default maxPods */
    labelset_release(&p->labels);
    if (manifest_read_labels(ynode_get(n, "labels"), "labels", &p->labels, d))
        return -1;
    return manifest_read_taints(ynode_get(n, "taints"), "taints", &p->taints, &p->ntaints, d);
}

static int add_node(struct loader *L, const struct ynode *obj, const char *kind, void *unused,
                    struct diag *d)
{
    (void)unused;
    if (strcmp(kind, "Node") != 0)
        return 0; /* other kinds in a nodes file are not ours to read */
    struct scenario *s = L->s;
    s->nodes = xrealloc(s->nodes, (s->nnodes + 1) * sizeof *s->nodes);
    struct manifest_node *mn = &s->nodes[s->nnodes];
    int rc = manifest_read_node(obj, &s->resnames, mn, d);
    s->nnodes++;
    if (rc)
        return -1;
    if (mn->alloc.v[RES_PODS] == 0)
        mn->alloc.v[RES_PODS] = 110;
    for (size_t i = 0; i + 1 < s->nnodes; i++) {
        if (strcmp(s->nodes[i].name, mn->name) == 0) {
            const struct ynode *nm = ynode_get(ynode_get(obj, "metadata"), "name");
            diag_set(d, nm->file, nm->line, nm->col, "duplicate node name '%s'", mn->name);
            return -1;
        }
    }
    return 0;
}

static int add_deployment(struct loader *L, const struct ynode *obj, const char *kind,
                          struct diag *d)
{
    if (strcmp(kind, "PriorityClass") == 0)
        return add_priority_class(L, obj, d);
    if (strcmp(kind, "Deployment") != 0)
        return 0;
    struct scenario *s = L->s;
    s->deployments = xrealloc(s->deployments, (s->ndeployments + 1) * sizeof *s->deployments);
    struct manifest_deployment *md = &s->deployments[s->ndeployments];
    int rc = manifest_read_deployment(obj, &s->resnames, md, d);
    s->ndeployments++;
    if (rc)
        return -1;
    add_prio_ref(L, 0, s->ndeployments - 1,
                 ynode_get(ynode_get(ynode_get(obj, "spec"), "template"), "spec"));
    for (size_t i = 0; i + 1 < s->ndeployments; i++) {
        if (strcmp(s->deployments[i].name, md->name) == 0) {
            const struct ynode *nm = ynode_get(ynode_get(obj, "metadata"), "name");
            diag_set(d, nm->file, nm->line, nm->col, "duplicate deployment name '%s'", md->name);
            return -1;
        }
    }
    return 0;
}

struct each_ctx {
    struct loader *L;
    int (*fn)(struct loader *L, const struct ynode *obj, const char *kind, struct diag *d);
};

static int each_trampoline(const struct ynode *obj, const char *kind, void *ctx, struct diag *d)
{
    struct each_ctx *ec = ctx;
    return ec->fn(ec->L, obj, kind, d);
}

static int node_adapter(struct loader *L, const struct ynode *obj, const char *kind, struct diag *d)
{
    return add_node(L, obj, kind, NULL, d);
}

/* Reads the files listed in an include: sequence, calling fn for each object. */
static int read_includes(struct loader *L, const struct ynode *inc,
                         int (*fn)(struct loader *, const struct ynode *, const char *,
                                   struct diag *))
{
    if (!inc || ynode_is_null(inc))
        return 0;
    if (schema_expect_seq(inc, "include", L->d))
        return -1;
    for (size_t i = 0; i < inc->n; i++) {
        struct ytree *t = manifest_load_include(inc->items[i], L->dir, L->d);
        if (!t)
            return -1;
        keep_tree(L->s, t);
        struct each_ctx ec = {L, fn};
        if (manifest_each(t, each_trampoline, &ec, L->d))
            return -1;
    }
    return 0;
}

static const char *const cluster_keys[] = {"nodePools", "include", "nodes", NULL};

static int read_cluster(struct loader *L, const struct ynode *n)
{
    struct scenario *s = L->s;
    struct diag *d = L->d;
    if (schema_check_keys(n, "spec.cluster", cluster_keys, d))
        return -1;
    const struct ynode *pools = ynode_get(n, "nodePools");
    if (schema_expect_seq(pools, "nodePools", d))
        return -1;
    if (pools && pools->n) {
        s->pools = xcalloc(pools->n, sizeof *s->pools);
        for (size_t i = 0; i < pools->n; i++) {
            s->npools = i + 1;
            if (read_pool(L, pools->items[i], &s->pools[i]))
                return -1;
            for (size_t j = 0; j < i; j++) {
                if (strcmp(s->pools[j].name, s->pools[i].name) == 0) {
                    const struct ynode *nm = ynode_get(pools->items[i], "name");
                    diag_set(d, nm->file, nm->line, nm->col, "duplicate node pool name '%s'",
                             s->pools[i].name);
                    return -1;
                }
            }
        }
    }
    const struct ynode *inline_nodes = ynode_get(n, "nodes");
    if (schema_expect_seq(inline_nodes, "nodes", d))
        return -1;
    for (size_t i = 0; inline_nodes && i < inline_nodes->n; i++) {
        const struct ynode *obj = inline_nodes->items[i];
        if (schema_expect_map(obj, "nodes[]", d))
            return -1;
        const struct ynode *k = ynode_get(obj, "kind");
        if (!k || k->kind != YNODE_SCALAR || strcmp(k->str, "Node") != 0) {
            const struct ynode *at = k ? k : obj;
            diag_set(d, at->file, at->line, at->col, "nodes[]: expected kind: Node");
            return -1;
        }
        if (add_node(L, obj, "Node", NULL, d))
            return -1;
    }
    return read_includes(L, ynode_get(n, "include"), node_adapter);
}

/* ---------------------------------------------------------------- workloads */

static const char *const batch_keys[] = {
    "name",     "arrivals",          "duration",
    "requests", "nodeSelector",      "tolerations",
    "priority", "priorityClassName", "terminationGracePeriodSeconds",
    NULL};
static const char *const arrival_keys[] = {"process", "ratePerMinute", "start",
                                           "stop",    "limit",         NULL};
static const char *const dist_keys[] = {"distribution", "median", "mean", "value", "sigma", NULL};

static int read_batch(struct loader *L, const struct ynode *n, struct scn_batch *b)
{
    struct diag *d = L->d;
    const struct ynode *v;
    memset(b, 0, sizeof *b);
    podspec_init(&b->spec);
    if (schema_check_keys(n, "batch[]", batch_keys, d))
        return -1;
    if (!(v = schema_require(n, "batch[]", "name", d)) || schema_name(v, "name", &b->name, d))
        return -1;

    const struct ynode *arr = schema_require(n, "batch[]", "arrivals", d);
    if (!arr || schema_check_keys(arr, "arrivals", arrival_keys, d))
        return -1;
    static const char *const processes[] = {"poisson", "uniform", NULL};
    int proc;
    if (!(v = schema_require(arr, "arrivals", "process", d)) ||
        schema_enum(v, "process", processes, &proc, d))
        return -1;
    b->p.process = (enum batch_process)proc;
    if (!(v = schema_require(arr, "arrivals", "ratePerMinute", d)) ||
        schema_double(v, "ratePerMinute", 0, 1e9, &b->p.rate_per_min, d))
        return -1;
    b->p.start = 0;
    b->p.stop = SIMTIME_NEVER;
    b->p.limit = -1;
    if ((v = ynode_get(arr, "start")) &&
        schema_duration(v, "start", 0, SCN_MAX_DURATION, &b->p.start, d))
        return -1;
    if ((v = ynode_get(arr, "stop")) &&
        schema_duration(v, "stop", 0, SCN_MAX_DURATION, &b->p.stop, d))
        return -1;
    if ((v = ynode_get(arr, "limit")) && schema_int64(v, "limit", 0, INT32_MAX, &b->p.limit, d))
        return -1;

    const struct ynode *dur = schema_require(n, "batch[]", "duration", d);
    if (!dur || schema_check_keys(dur, "duration", dist_keys, d))
        return -1;
    static const char *const dists[] = {"constant", "exponential", "lognormal", NULL};
    int dist;
    if (!(v = schema_require(dur, "duration", "distribution", d)) ||
        schema_enum(v, "distribution", dists, &dist, d))
        return -1;
    b->p.dist = (enum batch_dist)dist;
    /* Each distribution has exactly one location parameter, named as statisticians do. */
    static const char *const loc_key[] = {"value", "mean", "median"};
    for (int k = 0; k < 3; k++) {
        const struct ynode *other = ynode_get(dur, loc_key[k]);
        if (k != dist && other) {
            diag_set(d, other->file, other->line, other->col,
                     "'%s' does not apply to distribution %s (use '%s')", loc_key[k], dists[dist],
                     loc_key[dist]);
            return -1;
        }
    }
    if (!(v = schema_require(dur, "duration", loc_key[dist], d)) ||
        schema_duration(v, loc_key[dist], SIMTIME_MS, SCN_MAX_DURATION, &b->p.location, d))
        return -1;
    if (b->p.dist == BATCH_DIST_LOGNORMAL) {
        if (!(v = schema_require(dur, "duration", "sigma", d)) ||
            schema_double(v, "sigma", 0, 10, &b->p.sigma, d))
            return -1;
    } else if ((v = ynode_get(dur, "sigma"))) {
        diag_set(d, v->file, v->line, v->col, "'sigma' applies only to distribution lognormal");
        return -1;
    }

    if (!(v = schema_require(n, "batch[]", "requests", d)) ||
        manifest_read_resources(v, "requests", &L->s->resnames, &b->spec.req, d) ||
        manifest_read_grace(n, &b->spec, d))
        return -1;
    b->spec.req.v[RES_PODS] = 1;
    labelset_release(&b->spec.node_selector);
    if (manifest_read_labels(ynode_get(n, "nodeSelector"), "nodeSelector", &b->spec.node_selector,
                             d))
        return -1;
    if (manifest_read_tolerations(ynode_get(n, "tolerations"), "tolerations", &b->spec.tols,
                                  &b->spec.ntols, d))
        return -1;
    if ((v = ynode_get(n, "priority"))) {
        int64_t p;
        if (schema_int64(v, "priority", INT32_MIN, INT32_MAX, &p, d))
            return -1;
        b->spec.priority = (int32_t)p;
    }
    return 0;
}

static const char *const workload_keys[] = {"include", "deployments", "batch", "priorityClasses",
                                            NULL};

static int read_workloads(struct loader *L, const struct ynode *n)
{
    struct scenario *s = L->s;
    struct diag *d = L->d;
    if (schema_check_keys(n, "spec.workloads", workload_keys, d))
        return -1;
    const struct ynode *classes = ynode_get(n, "priorityClasses");
    if (schema_expect_seq(classes, "priorityClasses", d))
        return -1;
    for (size_t i = 0; classes && i < classes->n; i++) {
        const struct ynode *obj = classes->items[i];
        const struct ynode *k = ynode_get(obj, "kind");
        if (schema_expect_map(obj, "priorityClasses[]", d))
            return -1;
        if (!k || k->kind != YNODE_SCALAR || strcmp(k->str, "PriorityClass") != 0)
            return schema_fail(d, k ? k : obj, "priorityClasses[]: expected kind: PriorityClass");
        if (add_priority_class(L, obj, d))
            return -1;
    }
    const struct ynode *deps = ynode_get(n, "deployments");
    if (schema_expect_seq(deps, "deployments", d))
        return -1;
    for (size_t i = 0; deps && i < deps->n; i++) {
        const struct ynode *obj = deps->items[i];
        if (schema_expect_map(obj, "deployments[]", d))
            return -1;
        const struct ynode *k = ynode_get(obj, "kind");
        if (!k || k->kind != YNODE_SCALAR || strcmp(k->str, "Deployment") != 0) {
            const struct ynode *at = k ? k : obj;
            diag_set(d, at->file, at->line, at->col, "deployments[]: expected kind: Deployment");
            return -1;
        }
        if (add_deployment(L, obj, "Deployment", d))
            return -1;
    }
    if (read_includes(L, ynode_get(n, "include"), add_deployment))
        return -1;
    const struct ynode *batch = ynode_get(n, "batch");
    if (schema_expect_seq(batch, "batch", d))
        return -1;
    if (batch && batch->n) {
        s->batches = xcalloc(batch->n, sizeof *s->batches);
        for (size_t i = 0; i < batch->n; i++) {
            s->nbatches = i + 1;
            if (read_batch(L, batch->items[i], &s->batches[i]))
                return -1;
            add_prio_ref(L, 1, i, batch->items[i]);
            for (size_t j = 0; j < i; j++) {
                if (strcmp(s->batches[j].name, s->batches[i].name) == 0) {
                    const struct ynode *nm = ynode_get(batch->items[i], "name");
                    diag_set(d, nm->file, nm->line, nm->col, "duplicate batch name '%s'",
                             s->batches[i].name);
                    return -1;
                }
            }
        }
    }
    /* Deployments and batch streams share the pod-name space ("<owner>-<n>"). */
    for (size_t i = 0; i < s->nbatches; i++) {
        for (size_t j = 0; j < s->ndeployments; j++) {
            if (strcmp(s->batches[i].name, s->deployments[j].name) == 0) {
                const struct ynode *nm = ynode_get(batch->items[i], "name");
                diag_set(d, nm->file, nm->line, nm->col,
                         "batch name '%s' is also a deployment name", s->batches[i].name);
                return -1;
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------- events */

static const char *const event_keys[] = {"at", "scale", "removeNodes", "addNodes", "ungate", NULL};
static const char *const scale_keys[] = {"deployment", "replicas", NULL};
static const char *const ungate_keys[] = {"deployment", NULL};
static const char *const nodes_keys[] = {"pool", "count", NULL};

/* Finds name in a list of names, or reports it with a suggestion. */
static int find_named(const struct ynode *at, const char *what, const char *name,
                      const char **names, size_t n, struct diag *d)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    const char **cands = xcalloc(n + 1, sizeof *cands);
    memcpy(cands, names, n * sizeof *cands);
    const char *sug = diag_suggest(name, cands);
    if (sug)
        diag_set(d, at->file, at->line, at->col, "unknown %s '%s' (did you mean '%s'?)", what, name,
                 sug);
    else
        diag_set(d, at->file, at->line, at->col, "unknown %s '%s'", what, name);
    free(cands);
    return -1;
}

static int read_event(struct loader *L, const struct ynode *n, struct scn_event *ev)
{
    struct scenario *s = L->s;
    struct diag *d = L->d;
    const struct ynode *v;
    if (schema_check_keys(n, "events[]", event_keys, d))
        return -1;
    if (!(v = schema_require(n, "events[]", "at", d)) ||
        schema_duration(v, "at", 0, SCN_MAX_DURATION, &ev->at, d))
        return -1;
    int actions = 0;
    const struct ynode *act = NULL;
    for (int k = 1; event_keys[k]; k++) {
        if (ynode_get(n, event_keys[k])) {
            actions++;
            if (!act)
                act = ynode_get(n, event_keys[k]);
            if (actions == 1)
                ev->kind = (enum scn_event_kind)(k - 1);
        }
    }
    if (actions != 1) {
        diag_set(d, n->file, n->line, n->col,
                 "an event needs exactly one of scale, removeNodes, addNodes, ungate (found %d)",
                 actions);
        return -1;
    }
    const char *name;
    if (ev->kind == SCN_EV_SCALE || ev->kind == SCN_EV_UNGATE) {
        const char *where = ev->kind == SCN_EV_SCALE ? "scale" : "ungate";
        if (schema_check_keys(act, where, ev->kind == SCN_EV_SCALE ? scale_keys : ungate_keys, d))
            return -1;
        if (!(v = schema_require(act, where, "deployment", d)) ||
            schema_string(v, "deployment", &name, d))
            return -1;
        const char **names = xcalloc(s->ndeployments + 1, sizeof *names);
        for (size_t i = 0; i < s->ndeployments; i++)
            names[i] = s->deployments[i].name;
        ev->target = find_named(v, "deployment", name, names, s->ndeployments, d);
        free(names);
        if (ev->target < 0)
            return -1;
        if (ev->kind == SCN_EV_UNGATE)
            return 0;
        if (!(v = schema_require(act, "scale", "replicas", d)) ||
            schema_int64(v, "replicas", 0, INT32_MAX, &ev->value, d))
            return -1;
        return 0;
    }
    const char *where = ev->kind == SCN_EV_ADD_NODES ? "addNodes" : "removeNodes";
    if (schema_check_keys(act, where, nodes_keys, d))
        return -1;
    if (!(v = schema_require(act, where, "pool", d)) || schema_string(v, "pool", &name, d))
        return -1;
    const char **names = xcalloc(s->npools + 1, sizeof *names);
    for (size_t i = 0; i < s->npools; i++)
        names[i] = s->pools[i].name;
    ev->target = find_named(v, "node pool", name, names, s->npools, d);
    free(names);
    if (ev->target < 0)
        return -1;
    if (!(v = schema_require(act, where, "count", d)) ||
        schema_int64(v, "count", 1, SCN_MAX_POOL_NODES, &ev->value, d))
        return -1;
    return 0;
}

/* --------------------------------------------------------------------- spec */

static const char *const top_keys[] = {"apiVersion", "kind", "metadata", "spec", NULL};
static const char *const metadata_keys[] = {"name", "labels", "annotations", NULL};
static const char *const spec_keys[] = {
    "seed",   "duration",    "metrics", "scheduler", "cluster", "workloads", "lifecycle",
    "events", "autoscaling", "traffic", "variants",  "goals",   NULL};
static const char *const metrics_keys[] = {"interval", NULL};
static const char *const scheduler_keys[] = {"policy",
                                             "config",
                                             "configFile",
                                             "profile",
                                             "tieBreak",
                                             "podInitialBackoffSeconds",
                                             "podMaxBackoffSeconds",
                                             "popFromBackoffQ",
                                             "decreasing",
                                             NULL};
static const char *const lifecycle_keys[] = {"startupDelay", NULL};

static int read_policy(struct loader *L, const struct ynode *v)
{
    const char *name;
    if (schema_string(v, "policy", &name, L->d))
        return -1;
    L->s->policy = placement_find(name);
    if (L->s->policy)
        return 0;
    const char *names[64];
    size_t n = 0;
    for (; placement_registry[n] && n < 63; n++)
        names[n] = placement_registry[n]->name;
    names[n] = NULL;
    const char *sug = diag_suggest(name, names);
    if (sug)
        diag_set(L->d, v->file, v->line, v->col, "unknown policy '%s' (did you mean '%s'?)", name,
                 sug);
    else
        diag_set(L->d, v->file, v->line, v->col,
                 "unknown policy '%s' (see `ksim list` for the policies)", name);
    return -1;
}

/*
 * The queue keys of spec.scheduler. The backoff bounds are the
 * KubeSchedulerConfiguration fields of the same names (whole seconds, initial
 * at least 1, max at least initial: pkg/scheduler/apis/config/validation):
 * those of the configuration (config or configFile, checked by
 * sim/io/kube/kubeconfig) first, then spec.scheduler's own keys.
 */
static int read_queue(struct loader *L, const struct ynode *sched)
{
    struct scheduler_config *q = &L->s->queue;
    const struct ynode *v;
    int64_t secs;
    if (L->s->kube.config) {
        q->initial_backoff = L->s->kube.backoff.initial_seconds * SIMTIME_S;
        q->max_backoff = L->s->kube.backoff.max_seconds * SIMTIME_S;
    }
    if ((v = ynode_get(sched, "podInitialBackoffSeconds"))) {
        if (schema_int64(v, "podInitialBackoffSeconds", 1, KUBECONFIG_MAX_BACKOFF, &secs, L->d))
            return -1;
        q->initial_backoff = secs * SIMTIME_S;
    }
    if ((v = ynode_get(sched, "podMaxBackoffSeconds"))) {
        if (schema_int64(v, "podMaxBackoffSeconds", 1, KUBECONFIG_MAX_BACKOFF, &secs, L->d))
            return -1;
        q->max_backoff = secs * SIMTIME_S;
    }
    if (q->max_backoff < q->initial_backoff)
        return schema_fail(L->d, sched,
                           "podMaxBackoffSeconds must be at least podInitialBackoffSeconds");
    if ((v = ynode_get(sched, "popFromBackoffQ")) &&
        schema_bool(v, "popFromBackoffQ", &q->pop_from_backoffq, L->d))
        return -1;
    if ((v = ynode_get(sched, "decreasing")) && schema_bool(v, "decreasing", &q->decreasing, L->d))
        return -1;
    return 0;
}

static int read_spec(struct loader *L, const struct ynode *spec, int64_t seed_override)
{
    struct scenario *s = L->s;
    struct diag *d = L->d;
    const struct ynode *v;
    if (schema_check_keys(spec, "spec", spec_keys, d))
        return -1;
    int64_t seed = 0;
    if ((v = ynode_get(spec, "seed")) && schema_int64(v, "seed", 0, INT64_MAX, &seed, d))
        return -1;
    s->seed = (uint64_t)(seed_override >= 0 ? seed_override : seed);
    if (!(v = schema_require(spec, "spec", "duration", d)) ||
        schema_duration(v, "duration", SIMTIME_S, SCN_MAX_DURATION, &s->duration, d))
        return -1;
    s->metrics_interval = 60 * SIMTIME_S;
    if ((v = ynode_get(spec, "metrics"))) {
        if (schema_check_keys(v, "metrics", metrics_keys, d))
            return -1;
        const struct ynode *iv = ynode_get(v, "interval");
        if (iv &&
            schema_duration(iv, "interval", SIMTIME_S, SCN_MAX_DURATION, &s->metrics_interval, d))
            return -1;
    }
    s->policy = placement_find("first-fit");
    scheduler_config_default(&s->queue);
    if ((v = ynode_get(spec, "scheduler"))) {
        if (schema_check_keys(v, "scheduler", scheduler_keys, d))
            return -1;
        const struct ynode *p = ynode_get(v, "policy");
        if (p && read_policy(L, p))
            return -1;
        if (kubeconfig_read_scenario(v, L->dir, &s->kube, d) || read_queue(L, v))
            return -1;
    }
    s->startup_delay = 5 * SIMTIME_S;
    if ((v = ynode_get(spec, "lifecycle"))) {
        if (schema_check_keys(v, "lifecycle", lifecycle_keys, d))
            return -1;
        const struct ynode *sd = ynode_get(v, "startupDelay");
        if (sd && schema_duration(sd, "startupDelay", 0, SCN_MAX_DURATION, &s->startup_delay, d))
            return -1;
    }
    if (!(v = schema_require(spec, "spec", "cluster", d)) || read_cluster(L, v))
        return -1;
    if ((v = ynode_get(spec, "workloads")) && !ynode_is_null(v) &&
        (read_workloads(L, v) || resolve_priorities(L)))
        return -1;
    const struct ynode *events = ynode_get(spec, "events");
    if (schema_expect_seq(events, "events", d))
        return -1;
    if (events && events->n) {
        s->events = xcalloc(events->n, sizeof *s->events);
        for (size_t i = 0; i < events->n; i++) {
            if (read_event(L, events->items[i], &s->events[i]))
                return -1;
            s->nevents = i + 1;
        }
    }
    int failed;
    s->autoscaling = autoscale_read(ynode_get(spec, "autoscaling"), ynode_get(spec, "traffic"), s,
                                    L->dir, &failed, d);
    if (failed)
        return -1;
    if (experiment_read_variants(&s->exp, ynode_get(spec, "variants"), d) ||
        experiment_read_goals(&s->exp, ynode_get(spec, "goals"), d))
        return -1;
    /* Pods with nowhere to go and no node ever coming is a mistake, not a scenario. */
    int creates_pods = s->nbatches > 0;
    for (size_t i = 0; i < s->ndeployments; i++)
        creates_pods |= s->deployments[i].replicas > 0;
    int adds_nodes = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        creates_pods |= s->events[i].kind == SCN_EV_SCALE && s->events[i].value > 0;
        adds_nodes |= s->events[i].kind == SCN_EV_ADD_NODES;
    }
    if (creates_pods && scenario_initial_nodes(s) == 0 && !adds_nodes) {
        v = ynode_get(spec, "cluster");
        diag_set(d, v->file, v->line, v->col,
                 "the cluster has no nodes but the workloads create pods (set a node pool count "
                 "above 0)");
        return -1;
    }
    return 0;
}

static int read_document(struct loader *L, const struct ynode *root, int64_t seed_override)
{
    struct diag *d = L->d;
    const struct ynode *v;
    if (schema_check_keys(root, "scenario", top_keys, d))
        return -1;
    const char *api, *kind;
    if (!(v = schema_require(root, "scenario", "apiVersion", d)) ||
        schema_string(v, "apiVersion", &api, d))
        return -1;
    if (strcmp(api, SCN_API_VERSION) != 0) {
        diag_set(d, v->file, v->line, v->col, "apiVersion: expected '%s', got '%s'",
                 SCN_API_VERSION, api);
        return -1;
    }
    if (!(v = schema_require(root, "scenario", "kind", d)) || schema_string(v, "kind", &kind, d))
        return -1;
    if (strcmp(kind, "Scenario") != 0) {
        diag_set(d, v->file, v->line, v->col, "kind: expected 'Scenario', got '%s'", kind);
        return -1;
    }
    const struct ynode *md = schema_require(root, "scenario", "metadata", d);
    if (!md || schema_check_keys(md, "metadata", metadata_keys, d))
        return -1;
    if (!(v = schema_require(md, "metadata", "name", d)) ||
        schema_name(v, "metadata.name", &L->s->name, d))
        return -1;
    const struct ynode *spec = schema_require(root, "scenario", "spec", d);
    return spec ? read_spec(L, spec, seed_override) : -1;
}

struct scenario *scenario_load(const char *path, const struct scn_override *overrides,
                               size_t noverrides, int64_t seed_override, struct diag *d)
{
    struct scenario *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    resnames_init(&s->resnames);
    struct ytree *t = ytree_load_file(path, d);
    if (!t) {
        scenario_free(s);
        return NULL;
    }
    keep_tree(s, t);
    if (t->ndocs == 0 || !t->docs[0]) {
        diag_set(d, path, 1, 1, "empty file: expected a Scenario document");
        scenario_free(s);
        return NULL;
    }
    if (t->ndocs > 1) {
        const struct ynode *second = t->docs[1];
        diag_set(d, path, second ? second->line : 1, second ? second->col : 1,
                 "a scenario file holds one document (put manifests in an include file)");
        scenario_free(s);
        return NULL;
    }
    struct ynode *root = t->docs[0];
    if (schema_expect_map(root, "scenario", d)) {
        scenario_free(s);
        return NULL;
    }
    for (size_t i = 0; i < noverrides; i++) {
        if (override_apply(t, root, overrides[i].path, overrides[i].value, d)) {
            scenario_free(s);
            return NULL;
        }
    }
    struct loader L = {.s = s, .d = d};
    char *dir = dir_of(path);
    L.dir = dir;
    int rc = read_document(&L, root, seed_override);
    free(dir);
    free(L.refs);
    if (rc) {
        scenario_free(s);
        return NULL;
    }
    return s;
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->npools; i++) {
        labelset_release(&s->pools[i].labels);
        for (size_t j = 0; j < s->pools[i].ntaints; j++)
            taint_release(&s->pools[i].taints[j]);
        free(s->pools[i].taints);
    }
    free(s->pools);
    for (size_t i = 0; i < s->nnodes; i++)
        manifest_node_release(&s->nodes[i]);
    free(s->nodes);
    for (size_t i = 0; i < s->ndeployments; i++)
        manifest_deployment_release(&s->deployments[i]);
    free(s->deployments);
    free(s->pclasses);
    for (size_t i = 0; i < s->nbatches; i++)
        podspec_release(&s->batches[i].spec);
    free(s->batches);
    free(s->events);
    kubeconfig_choice_release(&s->kube);
    autoscale_free(s->autoscaling);
    experiment_release(&s->exp);
    for (size_t i = 0; i < s->ntrees; i++)
        ytree_free(s->trees[i]);
    free(s->trees);
    resnames_release(&s->resnames);
    free(s->path);
    free(s);
}

const struct ynode *scenario_document(const struct scenario *s)
{
    /* The first tree kept is the scenario file's; the rest are its includes. */
    return s->trees[0]->docs[0];
}

int64_t scenario_initial_nodes(const struct scenario *s)
{
    int64_t n = (int64_t)s->nnodes;
    for (size_t i = 0; i < s->npools; i++)
        n += s->pools[i].count;
    return n;
}
