#include "models/kube/profile.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

const char *const kube_ext_names[] = {
    "preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore",   "score",
    "reserve",    "permit",    "preBind",   "bind",   "postBind",   "multiPoint", NULL,
};

void profile_init(struct kube_profile *p, const char *scheduler_name)
{
    memset(p, 0, sizeof *p);
    p->scheduler_name = xstrdup(scheduler_name);
    p->percentage = -1;
    pluginargs_default(&p->args);
}

static void pluginset_release(struct kube_pluginset *s)
{
    for (size_t i = 0; i < s->nenabled; i++)
        free(s->enabled[i].name);
    free(s->enabled);
    for (size_t i = 0; i < s->ndisabled; i++)
        free(s->disabled[i]);
    free(s->disabled);
    memset(s, 0, sizeof *s);
}

void profile_release(struct kube_profile *p)
{
    free(p->scheduler_name);
    for (int e = 0; e < KUBE_EXT_N; e++)
        pluginset_release(&p->sets[e]);
    pluginargs_release(&p->args);
    memset(p, 0, sizeof *p);
}

void pluginset_add(struct kube_pluginset *s, const char *name, int32_t weight)
{
    s->enabled = xrealloc(s->enabled, (s->nenabled + 1) * sizeof *s->enabled);
    s->enabled[s->nenabled].name = xstrdup(name);
    s->enabled[s->nenabled].weight = weight;
    s->nenabled++;
}

void pluginset_disable(struct kube_pluginset *s, const char *name)
{
    s->disabled = xrealloc(s->disabled, (s->ndisabled + 1) * sizeof *s->disabled);
    s->disabled[s->ndisabled++] = xstrdup(name);
}

static void pluginset_copy(struct kube_pluginset *dst, const struct kube_pluginset *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->nenabled; i++)
        pluginset_add(dst, src->enabled[i].name, src->enabled[i].weight);
    for (size_t i = 0; i < src->ndisabled; i++)
        pluginset_disable(dst, src->disabled[i]);
}

void profile_copy(struct kube_profile *dst, const struct kube_profile *src)
{
    memset(dst, 0, sizeof *dst);
    dst->scheduler_name = xstrdup(src->scheduler_name);
    dst->percentage = src->percentage;
    for (int e = 0; e < KUBE_EXT_N; e++)
        pluginset_copy(&dst->sets[e], &src->sets[e]);
    pluginargs_copy(&dst->args, &src->args);
}

/*
 * getDefaultPlugins (pkg/scheduler/apis/config/v1/default_plugins.go, v1.35):
 * everything through multiPoint, in this order, which is also the Filter
 * order. DynamicResources is there because DynamicResourceAllocation is GA
 * (on) since v1.34. Volume and DRA plugins are accepted and do nothing in
 * ksim, which models no volumes or claims.
 */
static const struct kube_plugin_ref default_multipoint[] = {
    {"SchedulingGates", 0},    {"PrioritySort", 0},
    {"NodeUnschedulable", 0},  {"NodeName", 0},
    {"TaintToleration", 3},    {"NodeAffinity", 2},
    {"NodePorts", 0},          {"NodeResourcesFit", 1},
    {"VolumeRestrictions", 0}, {"EBSLimits", 0},
    {"GCEPDLimits", 0},        {"NodeVolumeLimits", 0},
    {"AzureDiskLimits", 0},    {"VolumeBinding", 0},
    {"VolumeZone", 0},         {"PodTopologySpread", 2},
    {"InterPodAffinity", 2},   {"DynamicResources", 0},
    {"DefaultPreemption", 0},  {"NodeResourcesBalancedAllocation", 1},
    {"ImageLocality", 1},      {"DefaultBinder", 0},
};

static int has_string(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* mergePluginSet (default_plugins.go): see profile.h. */
static void merge_set(struct kube_pluginset *custom, const struct kube_plugin_ref *defs,
                      size_t ndefs)
{
    struct kube_pluginset out;
    memset(&out, 0, sizeof out);
    int *replaced = xcalloc(custom->nenabled + 1, sizeof *replaced);
    if (!has_string(custom->disabled, custom->ndisabled, "*")) {
        for (size_t i = 0; i < ndefs; i++) {
            if (has_string(custom->disabled, custom->ndisabled, defs[i].name))
                continue;
            const struct kube_plugin_ref *use = &defs[i];
            /* Upstream's map keeps the last custom entry of a name; it replaces the default. */
            size_t hit = custom->nenabled;
            for (size_t j = 0; j < custom->nenabled; j++)
                if (strcmp(custom->enabled[j].name, defs[i].name) == 0)
                    hit = j;
            if (hit < custom->nenabled) {
                use = &custom->enabled[hit];
                replaced[hit] = 1;
            }
            pluginset_add(&out, use->name, use->weight);
        }
    }
    for (size_t j = 0; j < custom->nenabled; j++)
        if (!replaced[j])
            pluginset_add(&out, custom->enabled[j].name, custom->enabled[j].weight);
    for (size_t j = 0; j < custom->ndisabled; j++)
        pluginset_disable(&out, custom->disabled[j]);
    free(replaced);
    pluginset_release(custom);
    *custom = out;
}

void profile_apply_defaults(struct kube_profile *p)
{
    for (int e = 0; e < KUBE_EXT_N; e++) {
        if (e == KUBE_EXT_MULTIPOINT)
            merge_set(&p->sets[e], default_multipoint,
                      sizeof default_multipoint / sizeof default_multipoint[0]);
        else
            merge_set(&p->sets[e], NULL, 0);
    }
}

void kube_config_default(struct kube_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->profiles = xcalloc(1, sizeof *cfg->profiles);
    cfg->nprofiles = 1;
    profile_init(&cfg->profiles[0], "default-scheduler");
    profile_apply_defaults(&cfg->profiles[0]);
}

void kube_config_release(struct kube_config *cfg)
{
    for (size_t i = 0; i < cfg->nprofiles; i++)
        profile_release(&cfg->profiles[i]);
    free(cfg->profiles);
    memset(cfg, 0, sizeof *cfg);
}

const struct kube_profile *kube_config_find(const struct kube_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nprofiles; i++)
        if (strcmp(cfg->profiles[i].scheduler_name, name) == 0)
            return &cfg->profiles[i];
    return NULL;
}
