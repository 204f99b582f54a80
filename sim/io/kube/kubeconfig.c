#include "sim/io/kube/kubeconfig.h"

#include <stdlib.h>
#include <string.h>

#include "models/kube/plugins.h"
#include "sim/base/xalloc.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/kube/manifest_pod_affinity.h"
#include "sim/io/schema.h"

static const char *const top_keys[] = {
    "apiVersion",
    "kind",
    "profiles",
    "percentageOfNodesToScore",
    "parallelism",
    "leaderElection",
    "clientConnection",
    "healthzBindAddress",
    "metricsBindAddress",
    "enableProfiling",
    "enableContentionProfiling",
    "podInitialBackoffSeconds",
    "podMaxBackoffSeconds",
    "extenders",
    "delayCacheUntilActive",
    NULL,
};
static const char *const profile_keys[] = {"schedulerName", "percentageOfNodesToScore", "plugins",
                                           "pluginConfig", NULL};
static const char *const set_keys[] = {"enabled", "disabled", NULL};
static const char *const plugin_keys[] = {"name", "weight", NULL};
static const char *const pc_keys[] = {"name", "args", NULL};
static const char *const fit_keys[] = {
    "apiVersion", "kind", "ignoredResources", "ignoredResourceGroups", "scoringStrategy", NULL};
static const char *const strategy_keys[] = {"type", "resources", "requestedToCapacityRatio", NULL};
static const char *const rtcr_keys[] = {"shape", NULL};
static const char *const shape_keys[] = {"utilization", "score", NULL};
static const char *const res_keys[] = {"name", "weight", NULL};
static const char *const balanced_keys[] = {"apiVersion", "kind", "resources", NULL};
static const char *const na_args_keys[] = {"apiVersion", "kind", "addedAffinity", NULL};
static const char *const dp_keys[] = {"apiVersion", "kind", "minCandidateNodesPercentage",
                                      "minCandidateNodesAbsolute", NULL};

static int err_at(struct diag *d, const struct ynode *n, const char *fmt, const char *a,
                  const char *b)
{
    diag_set(d, n->file, n->line, n->col, fmt, a, b);
    return -1;
}

/* A plugin name that must be registered; suggests the closest one. */
static int check_plugin_name(const struct ynode *n, const char *name, struct diag *d)
{
    if (strcmp(name, "*") == 0 || plugins_find(name))
        return 0;
    const char *sug = diag_suggest(name, plugins_names());
    if (sug)
        return err_at(d, n, "unknown plugin '%s' (did you mean '%s'?)", name, sug);
    return err_at(d, n, "unknown plugin '%s' (see `ksim list` for the plugins)%s", name, "");
}

static int read_pluginset(const struct ynode *n, const char *where, struct kube_pluginset *s,
                          struct diag *d)
{
    if (ynode_is_null(n))
        return 0;
    if (schema_check_keys(n, where, set_keys, d))
        return -1;
    const char *lists[] = {"enabled", "disabled"};
    for (int l = 0; l < 2; l++) {
        const struct ynode *seq = ynode_get(n, lists[l]);
        if (schema_expect_seq(seq, lists[l], d))
            return -1;
        for (size_t i = 0; seq && !ynode_is_null(seq) && i < seq->n; i++) {
            const struct ynode *p = seq->items[i];
            const char *name;
            int64_t w = 0;
            if (schema_check_keys(p, lists[l], plugin_keys, d))
                return -1;
            const struct ynode *nm = schema_require(p, lists[l], "name", d);
            if (!nm || schema_string(nm, "name", &name, d) || check_plugin_name(nm, name, d))
                return -1;
            const struct ynode *wn = ynode_get(p, "weight");
            if (wn && !ynode_is_null(wn) && schema_int64(wn, "weight", 0, 100, &w, d))
                return -1;
            if (l == 0 && strcmp(name, "*") == 0)
                return err_at(d, nm, "'%s' may only be disabled%s", name, "");
            if (l == 0)
                pluginset_add(s, name, (int32_t)w);
            else
                pluginset_disable(s, name);
        }
    }
    return 0;
}

static int read_plugins(const struct ynode *n, struct kube_profile *p, struct diag *d)
{
    if (!n || ynode_is_null(n))
        return 0;
    if (schema_check_keys(n, "plugins", kube_ext_names, d))
        return -1;
    for (int e = 0; e < KUBE_EXT_N; e++) {
        const struct ynode *s = ynode_get(n, kube_ext_names[e]);
        if (s && read_pluginset(s, kube_ext_names[e], &p->sets[e], d))
            return -1;
    }
    return 0;
}

/* config.ResourceSpec list; weight 0 defaults to 1 (defaults.go), else 1..100. */
static int read_resources(const struct ynode *seq, const char *where,
                          struct kube_resource_spec **out, size_t *n, struct diag *d)
{
    if (schema_expect_seq(seq, where, d))
        return -1;
    size_t cnt = seq && !ynode_is_null(seq) ? seq->n : 0;
    if (cnt == 0)
        return 0; /* keep the defaults */
    struct kube_resource_spec *v = xcalloc(cnt, sizeof *v);
    int rc = 0;
    for (size_t i = 0; i < cnt && rc == 0; i++) {
        const struct ynode *r = seq->items[i];
        const char *name;
        int64_t w = 0;
        const struct ynode *nm, *wn;
        if (schema_check_keys(r, where, res_keys, d) ||
            !(nm = schema_require(r, where, "name", d)) || schema_string(nm, "name", &name, d)) {
            rc = -1;
            break;
        }
        wn = ynode_get(r, "weight");
        if (wn && !ynode_is_null(wn) && schema_int64(wn, "weight", 0, 100, &w, d)) {
            rc = -1;
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[j].name, name) == 0)
                rc = err_at(d, nm, "resources: duplicate resource name '%s'%s", name, "");
        v[i].name = xstrdup(name);
        v[i].weight = w ? w : 1;
    }
    if (rc == 0)
        pluginargs_set_resources(out, n, v, cnt);
    for (size_t i = 0; i < cnt; i++)
        free(v[i].name);
    free(v);
    return rc;
}

static int read_strings(const struct ynode *seq, const char *where, char ***out, size_t *n,
                        struct diag *d)
{
    if (schema_expect_seq(seq, where, d))
        return -1;
    for (size_t i = 0; seq && !ynode_is_null(seq) && i < seq->n; i++) {
        const char *s;
        if (schema_string(seq->items[i], where, &s, d))
            return -1;
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = xstrdup(s);
    }
    return 0;
}

/*
 * NodeResourcesFitArgs (validation_pluginargs.go, ValidateNodeResourcesFitArgs):
 * a known strategy; RequestedToCapacityRatio needs a shape of 1..n points with
 * utilization 0..100 strictly increasing and score 0..10.
 */
static int read_fit_args(const struct ynode *a, struct kube_fit_args *f, struct diag *d)
{
    if (schema_check_keys(a, "NodeResourcesFitArgs", fit_keys, d))
        return -1;
    if (read_strings(ynode_get(a, "ignoredResources"), "ignoredResources", &f->ignored_resources,
                     &f->nignored_resources, d) ||
        read_strings(ynode_get(a, "ignoredResourceGroups"), "ignoredResourceGroups",
                     &f->ignored_groups, &f->nignored_groups, d))
        return -1;
    const struct ynode *ss = ynode_get(a, "scoringStrategy");
    if (!ss || ynode_is_null(ss))
        return 0;
    if (schema_check_keys(ss, "scoringStrategy", strategy_keys, d))
        return -1;
    const struct ynode *t = ynode_get(ss, "type");
    int type = FIT_LEAST_ALLOCATED;
    if (t && !ynode_is_null(t) && schema_enum(t, "type", kube_fit_strategy_names, &type, d))
        return -1;
    f->strategy = (enum kube_fit_strategy)type;
    if (read_resources(ynode_get(ss, "resources"), "resources", &f->resources, &f->nresources, d))
        return -1;
    const struct ynode *r = ynode_get(ss, "requestedToCapacityRatio");
    if (f->strategy != FIT_REQUESTED_TO_CAPACITY_RATIO)
        return 0;
    if (!r || ynode_is_null(r))
        return err_at(d, ss, "scoringStrategy.requestedToCapacityRatio: required for type %s%s",
                      "RequestedToCapacityRatio", "");
    if (schema_check_keys(r, "requestedToCapacityRatio", rtcr_keys, d))
        return -1;
    const struct ynode *shape = ynode_get(r, "shape");
    if (schema_expect_seq(shape, "shape", d))
        return -1;
    if (!shape || ynode_is_null(shape) || shape->n == 0)
        return err_at(d, r, "shape: at least one point must be specified%s%s", "", "");
    f->shape = xcalloc(shape->n, sizeof *f->shape);
    for (size_t i = 0; i < shape->n; i++) {
        const struct ynode *p = shape->items[i], *u, *s;
        int64_t uv, sv;
        if (schema_check_keys(p, "shape[]", shape_keys, d) ||
            !(u = schema_require(p, "shape[]", "utilization", d)) ||
            schema_int64(u, "utilization", 0, 100, &uv, d) ||
            !(s = schema_require(p, "shape[]", "score", d)) ||
            schema_int64(s, "score", 0, 10, &sv, d))
            return -1;
        if (i > 0 && uv <= f->shape[i - 1].utilization)
            return err_at(d, u, "utilization: values must be sorted in increasing order%s%s", "",
                          "");
        f->shape[i].utilization = (int32_t)uv;
        f->shape[i].score = (int32_t)sv;
        f->nshape++;
    }
    return 0;
}

/*
 * DefaultPreemptionArgs (validation_pluginargs.go, ValidateDefaultPreemptionArgs,
 * v1.35): percentage 0..100, absolute >= 0, not both 0.
 */
static int read_preemption_args(const struct ynode *a, struct kube_preemption_args *p,
                                struct diag *d)
{
    if (schema_check_keys(a, "DefaultPreemptionArgs", dp_keys, d))
        return -1;
    const struct ynode *pct = ynode_get(a, "minCandidateNodesPercentage");
    const struct ynode *abs = ynode_get(a, "minCandidateNodesAbsolute");
    int64_t v;
    if (pct && !ynode_is_null(pct)) {
        if (schema_int64(pct, "minCandidateNodesPercentage", 0, 100, &v, d))
            return -1;
        p->min_candidate_nodes_percentage = (int32_t)v;
    }
    if (abs && !ynode_is_null(abs)) {
        if (schema_int64(abs, "minCandidateNodesAbsolute", 0, INT32_MAX, &v, d))
            return -1;
        p->min_candidate_nodes_absolute = (int32_t)v;
    }
    if (p->min_candidate_nodes_percentage == 0 && p->min_candidate_nodes_absolute == 0)
        return err_at(d,
                      pct   ? pct
                      : abs ? abs
                            : a,
                      "minCandidateNodesPercentage and minCandidateNodesAbsolute cannot both be "
                      "0 (set either above 0)%s%s",
                      "", "");
    return 0;
}

static int read_args(const char *plugin, const struct ynode *a, struct kube_args *args,
                     struct diag *d)
{
    if (!a || ynode_is_null(a))
        return 0;
    if (schema_expect_map(a, "args", d))
        return -1;
    if (strcmp(plugin, "NodeResourcesFit") == 0)
        return read_fit_args(a, &args->fit, d);
    if (strcmp(plugin, "NodeResourcesBalancedAllocation") == 0) {
        if (schema_check_keys(a, "NodeResourcesBalancedAllocationArgs", balanced_keys, d))
            return -1;
        return read_resources(ynode_get(a, "resources"), "resources", &args->balanced.resources,
                              &args->balanced.nresources, d);
    }
    if (strcmp(plugin, "NodeAffinity") == 0) {
        if (schema_check_keys(a, "NodeAffinityArgs", na_args_keys, d))
            return -1;
        const struct ynode *aa = ynode_get(a, "addedAffinity");
        if (!aa || ynode_is_null(aa))
            return 0;
        args->nodeaffinity.has_added = 1;
        return manifest_read_node_affinity(aa, "addedAffinity", &args->nodeaffinity.added, d);
    }
    if (strcmp(plugin, "PodTopologySpread") == 0)
        return manifest_read_spread_args(a, &args->spread, d);
    if (strcmp(plugin, "InterPodAffinity") == 0)
        return manifest_read_interpod_args(a, &args->interpod, d);
    if (strcmp(plugin, "DefaultPreemption") == 0)
        return read_preemption_args(a, &args->preemption, d);
    /* Plugins without typed args in ksim (yet): accepted and ignored. */
    return 0;
}

static int read_profile(const struct ynode *n, struct kube_profile *p, int only, struct diag *d)
{
    if (schema_check_keys(n, "profiles[]", profile_keys, d))
        return -1;
    const struct ynode *sn = ynode_get(n, "schedulerName");
    const char *name = NULL;
    if (sn && !ynode_is_null(sn) && schema_string(sn, "schedulerName", &name, d))
        return -1;
    if (!name && !only)
        return err_at(d, n, "schedulerName: required when there are several profiles%s%s", "", "");
    profile_init(p, name ? name : "default-scheduler");
    const struct ynode *pct = ynode_get(n, "percentageOfNodesToScore");
    if (pct && !ynode_is_null(pct)) {
        int64_t v;
        if (schema_int64(pct, "percentageOfNodesToScore", 0, 100, &v, d))
            return -1;
        p->percentage = (int32_t)v;
    }
    if (read_plugins(ynode_get(n, "plugins"), p, d))
        return -1;
    const struct ynode *pc = ynode_get(n, "pluginConfig");
    if (schema_expect_seq(pc, "pluginConfig", d))
        return -1;
    for (size_t i = 0; pc && !ynode_is_null(pc) && i < pc->n; i++) {
        const struct ynode *e = pc->items[i];
        const char *pname;
        if (schema_check_keys(e, "pluginConfig[]", pc_keys, d))
            return -1;
        const struct ynode *nm = schema_require(e, "pluginConfig[]", "name", d);
        if (!nm || schema_string(nm, "name", &pname, d) || check_plugin_name(nm, pname, d))
            return -1;
        for (size_t j = 0; j < i; j++) {
            const struct ynode *prev = ynode_get(pc->items[j], "name");
            if (prev && prev->kind == YNODE_SCALAR && strcmp(prev->str, pname) == 0)
                return err_at(d, nm, "pluginConfig: duplicate args for plugin '%s'%s", pname, "");
        }
        if (read_args(pname, ynode_get(e, "args"), &p->args, d))
            return -1;
    }
    profile_apply_defaults(p);
    return 0;
}

/*
 * The backoff bounds (struct kubeconfig_backoff). Unset and null are the
 * same: the v1 fields are pointers, defaulted when nil.
 */
static int read_backoff(const struct ynode *doc, struct kubeconfig_backoff *b, struct diag *d)
{
    b->initial_seconds = 1;
    b->max_seconds = 10;
    const struct ynode *in = ynode_get(doc, "podInitialBackoffSeconds");
    const struct ynode *mx = ynode_get(doc, "podMaxBackoffSeconds");
    if (!ynode_is_null(in) && schema_int64(in, "podInitialBackoffSeconds", 1,
                                           KUBECONFIG_MAX_BACKOFF, &b->initial_seconds, d))
        return -1;
    if (!ynode_is_null(mx) &&
        schema_int64(mx, "podMaxBackoffSeconds", 1, KUBECONFIG_MAX_BACKOFF, &b->max_seconds, d))
        return -1;
    if (b->max_seconds >= b->initial_seconds)
        return 0;
    if (ynode_is_null(mx))
        return schema_fail(d, in,
                           "podInitialBackoffSeconds: %lld is above the default "
                           "podMaxBackoffSeconds (10); set both",
                           (long long)b->initial_seconds);
    return schema_fail(d, mx,
                       "podMaxBackoffSeconds: must be at least podInitialBackoffSeconds "
                       "(%lld), got %lld",
                       (long long)b->initial_seconds, (long long)b->max_seconds);
}

/* kubeconfig_read, also handing back the backoff bounds. */
static int read_config(const struct ynode *doc, struct kube_config *out,
                       struct kubeconfig_backoff *backoff, struct diag *d)
{
    memset(out, 0, sizeof *out);
    if (schema_check_keys(doc, "KubeSchedulerConfiguration", top_keys, d))
        return -1;
    const struct ynode *av = ynode_get(doc, "apiVersion");
    if (av && !ynode_is_null(av) &&
        (av->kind != YNODE_SCALAR || strcmp(av->str, "kubescheduler.config.k8s.io/v1") != 0))
        return err_at(d, av, "apiVersion: expected 'kubescheduler.config.k8s.io/v1', got '%s'%s",
                      av->kind == YNODE_SCALAR ? av->str : ynode_kind_name(av), "");
    const struct ynode *kind = ynode_get(doc, "kind");
    if (kind && !ynode_is_null(kind) &&
        (kind->kind != YNODE_SCALAR || strcmp(kind->str, "KubeSchedulerConfiguration") != 0))
        return err_at(d, kind, "kind: expected 'KubeSchedulerConfiguration', got '%s'%s",
                      kind->kind == YNODE_SCALAR ? kind->str : ynode_kind_name(kind), "");
    const struct ynode *pct = ynode_get(doc, "percentageOfNodesToScore");
    if (pct && !ynode_is_null(pct)) {
        int64_t v;
        if (schema_int64(pct, "percentageOfNodesToScore", 0, 100, &v, d))
            return -1;
        out->percentage = (int32_t)v;
    }
    if (read_backoff(doc, backoff, d))
        return -1;
    const struct ynode *ps = ynode_get(doc, "profiles");
    if (schema_expect_seq(ps, "profiles", d))
        return -1;
    size_t n = ps && !ynode_is_null(ps) ? ps->n : 0;
    if (n == 0) {
        int32_t keep = out->percentage;
        kube_config_default(out);
        out->percentage = keep;
        return 0;
    }
    out->profiles = xcalloc(n, sizeof *out->profiles);
    for (size_t i = 0; i < n; i++) {
        if (read_profile(ps->items[i], &out->profiles[i], n == 1, d)) {
            out->nprofiles = i + 1;
            kube_config_release(out);
            return -1;
        }
        out->nprofiles = i + 1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->profiles[j].scheduler_name, out->profiles[i].scheduler_name) == 0) {
                err_at(d, ps->items[i], "profiles: duplicate schedulerName '%s'%s",
                       out->profiles[i].scheduler_name, "");
                kube_config_release(out);
                return -1;
            }
    }
    return 0;
}

int kubeconfig_read(const struct ynode *doc, struct kube_config *out, struct diag *d)
{
    struct kubeconfig_backoff unused;
    return read_config(doc, out, &unused, d);
}

static int load_file(const char *path, struct kube_config *out, struct kubeconfig_backoff *backoff,
                     struct diag *d)
{
    memset(out, 0, sizeof *out);
    struct ytree *t = ytree_load_file(path, d);
    if (!t)
        return -1;
    const struct ynode *doc = NULL;
    for (size_t i = 0; i < t->ndocs; i++)
        if (t->docs[i] && !ynode_is_null(t->docs[i]) && !doc)
            doc = t->docs[i];
    int rc;
    if (!doc) {
        diag_set(d, path, 0, 0, "no KubeSchedulerConfiguration in the file");
        rc = -1;
    } else {
        rc = schema_expect_map(doc, "document", d) ? -1 : read_config(doc, out, backoff, d);
    }
    ytree_free(t);
    return rc;
}

int kubeconfig_load_file(const char *path, struct kube_config *out, struct diag *d)
{
    struct kubeconfig_backoff unused;
    return load_file(path, out, &unused, d);
}

void kubeconfig_choice_release(struct kubeconfig_choice *c)
{
    if (c->config) {
        kube_config_release(c->config);
        free(c->config);
    }
    free(c->profile);
    memset(c, 0, sizeof *c);
}

int kubeconfig_read_scenario(const struct ynode *sched, const char *dir,
                             struct kubeconfig_choice *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    const struct ynode *inl = ynode_get(sched, "config");
    const struct ynode *file = ynode_get(sched, "configFile");
    if (inl && file)
        return err_at(d, file, "configFile: give either %s or %s, not both", "config",
                      "configFile");
    if (inl || file) {
        out->config = xcalloc(1, sizeof *out->config);
        int rc;
        if (inl) {
            rc = schema_expect_map(inl, "config", d)
                     ? -1
                     : read_config(inl, out->config, &out->backoff, d);
        } else {
            const char *path;
            if (schema_string(file, "configFile", &path, d)) {
                free(out->config);
                out->config = NULL;
                return -1;
            }
            char *full = path[0] == '/' || !dir[0] ? xstrdup(path) : xasprintf("%s/%s", dir, path);
            struct diag sub;
            memset(&sub, 0, sizeof sub);
            rc = load_file(full, out->config, &out->backoff, &sub);
            free(full);
            /* A file that cannot be opened is reported where the scenario names it. */
            const char *co = rc ? strstr(sub.text, ": cannot open: ") : NULL;
            if (co)
                err_at(d, file, "configFile '%s': %s", path, co + 2);
            else if (rc)
                *d = sub;
        }
        if (rc) {
            free(out->config);
            out->config = NULL;
            return -1;
        }
    }
    const struct ynode *prof = ynode_get(sched, "profile");
    if (prof) {
        const char *name;
        if (schema_string(prof, "profile", &name, d))
            return -1;
        struct kube_config def;
        const struct kube_config *cfg = out->config;
        if (!cfg) {
            kube_config_default(&def);
            cfg = &def;
        }
        int found = kube_config_find(cfg, name) != NULL;
        const char *names[17];
        size_t n = 0;
        for (; n < cfg->nprofiles && n < 16; n++)
            names[n] = cfg->profiles[n].scheduler_name;
        names[n] = NULL;
        const char *sug = found ? NULL : diag_suggest(name, names);
        if (!found) {
            if (sug)
                err_at(d, prof, "unknown scheduler profile '%s' (did you mean '%s'?)", name, sug);
            else
                err_at(d, prof, "unknown scheduler profile '%s' (the configuration has %s)", name,
                       names[0]);
        }
        if (cfg == &def)
            kube_config_release(&def);
        if (!found)
            return -1;
        out->profile = xstrdup(name);
    }
    const struct ynode *tb = ynode_get(sched, "tieBreak");
    if (tb) {
        static const char *const ties[] = {"random", "first", NULL};
        int t;
        if (schema_enum(tb, "tieBreak", ties, &t, d))
            return -1;
        out->tie_first = t == 1;
    }
    return 0;
}
