#include "sim/io/scenario/autoscale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/load/load.h"
#include "sim/base/xalloc.h"
#include "sim/control/simulation.h"
#include "sim/engine/rng.h"
#include "sim/io/kube/hpaobj.h"
#include "sim/io/scenario/loadspec.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/scenario/scenario.h"
#include "sim/io/schema.h"

#define AS_MAX_PERIOD (24 * SIMTIME_HOUR)

struct reader {
    struct scn_autoscaling *a;
    const struct scenario *s;
    const char *dir;
    struct diag *d;
};

/* Index of a deployment by name, or -1 with an error (and a suggestion) at `at`. */
static int32_t find_deployment(const struct reader *R, const struct ynode *at, const char *name)
{
    const struct scenario *s = R->s;
    for (size_t i = 0; i < s->ndeployments; i++)
        if (strcmp(s->deployments[i].name, name) == 0)
            return (int32_t)i;
    const char **names = xcalloc(s->ndeployments + 1, sizeof *names);
    for (size_t i = 0; i < s->ndeployments; i++)
        names[i] = s->deployments[i].name;
    const char *sug = diag_suggest(name, names);
    if (sug)
        diag_set(R->d, at->file, at->line, at->col, "unknown deployment '%s' (did you mean '%s'?)",
                 name, sug);
    else
        diag_set(R->d, at->file, at->line, at->col, "unknown deployment '%s'", name);
    free(names);
    return -1;
}

/* ------------------------------------------------------------------- metrics */

/* Which simulated quantity feeds a metric (the table in sim/control/hpactl.h). */
static int map_source(const struct reader *R, const struct hpa_metric_spec *m,
                      const struct ynode *at, enum hpactl_source *out)
{
    static const char *const pods_names[] = {"requests_per_second", NULL};
    static const char *const object_names[] = {"requests_per_second", NULL};
    static const char *const external_names[] = {"offered_load", NULL};
    const char *const *names = NULL;
    const char *what = "";
    switch (m->type) {
    case HPA_METRIC_RESOURCE:
    case HPA_METRIC_CONTAINER_RESOURCE:
        if (strcmp(m->name, "cpu") == 0) {
            *out = HPACTL_SRC_CPU;
            return 0;
        }
        if (strcmp(m->name, "memory") == 0) {
            *out = HPACTL_SRC_MEMORY;
            return 0;
        }
        diag_set(R->d, at->file, at->line, at->col,
                 "resource metric '%s': metrics-server reports only cpu and memory", m->name);
        return -1;
    case HPA_METRIC_PODS:
        names = pods_names;
        what = "Pods";
        *out = HPACTL_SRC_POD_RPS;
        break;
    case HPA_METRIC_OBJECT:
        names = object_names;
        what = "Object";
        *out = HPACTL_SRC_OFFERED_RPS;
        break;
    case HPA_METRIC_EXTERNAL:
        names = external_names;
        what = "External";
        *out = HPACTL_SRC_OFFERED_RPS;
        break;
    default:
        BUG("metric type not read by hpaobj");
    }
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], m->name) == 0)
            return 0;
    const char *sug = diag_suggest(m->name, names);
    if (sug)
        diag_set(R->d, at->file, at->line, at->col,
                 "%s metric '%s' is not simulated (did you mean '%s'?)", what, m->name, sug);
    else
        diag_set(R->d, at->file, at->line, at->col,
                 "%s metric '%s' is not simulated (ksim simulates: %s)", what, m->name, names[0]);
    return -1;
}

static int add_hpa(struct reader *R, const struct ynode *obj, struct diag *d)
{
    struct scn_autoscaling *a = R->a;
    struct hpaobj *h = xcalloc(1, sizeof *h);
    if (hpaobj_read(obj, HPAOBJ_STRICT, h, NULL, d)) {
        hpaobj_release(h);
        free(h);
        return -1;
    }
    size_t i = a->nhpas;
    a->specs = xrealloc(a->specs, (i + 1) * sizeof *a->specs);
    a->hpas = xrealloc(a->hpas, (i + 1) * sizeof *a->hpas);
    a->sources = xrealloc(a->sources, (i + 1) * sizeof *a->sources);
    a->specs[i] = h;
    a->sources[i] = xcalloc(h->spec.nmetrics, sizeof **a->sources);
    a->nhpas++;
    for (size_t j = 0; j < i; j++) {
        if (strcmp(a->specs[j]->meta.name, h->meta.name) == 0) {
            const struct ynode *nm = ynode_get(ynode_get(obj, "metadata"), "name");
            diag_set(d, nm->file, nm->line, nm->col, "duplicate HorizontalPodAutoscaler name '%s'",
                     h->meta.name);
            return -1;
        }
    }
    int32_t owner = find_deployment(R, h->target_at, h->target_name);
    if (owner < 0)
        return -1;
    for (size_t j = 0; j < i; j++) {
        if (a->hpas[j].owner == owner) {
            /* Upstream reports AmbiguousSelector and stops both; a scenario says it up front. */
            diag_set(d, h->target_at->file, h->target_at->line, h->target_at->col,
                     "deployment '%s' is already scaled by HorizontalPodAutoscaler '%s'",
                     h->target_name, a->specs[j]->meta.name);
            return -1;
        }
    }
    for (size_t k = 0; k < h->spec.nmetrics; k++)
        if (map_source(R, &h->spec.metrics[k], h->metric_at[k], &a->sources[i][k]))
            return -1;
    a->hpas[i] = (struct hpactl_hpa){h->meta.name, owner, h->spec, a->sources[i]};
    return 0;
}

static int hpa_each(const struct ynode *obj, const char *kind, void *ctx, struct diag *d)
{
    if (strcmp(kind, "HorizontalPodAutoscaler") != 0)
        return 0; /* other objects in a manifest file are not ours */
    return add_hpa(ctx, obj, d);
}

static int read_hpa_includes(struct reader *R, const struct ynode *inc)
{
    if (!inc || ynode_is_null(inc))
        return 0;
    if (schema_expect_seq(inc, "include", R->d))
        return -1;
    for (size_t i = 0; i < inc->n; i++) {
        struct ytree *t = manifest_load_include(inc->items[i], R->dir, R->d);
        if (!t)
            return -1;
        R->a->trees = xrealloc(R->a->trees, (R->a->ntrees + 1) * sizeof *R->a->trees);
        R->a->trees[R->a->ntrees++] = t;
        if (manifest_each(t, hpa_each, R, R->d))
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- controller */

static const char *const controller_keys[] = {"syncPeriod",
                                              "tolerance",
                                              "cpuInitializationPeriod",
                                              "initialReadinessDelay",
                                              "downscaleStabilizationWindow",
                                              "scaleUpLimitFactor",
                                              "scaleUpLimitMinimum",
                                              NULL};

static int read_controller(struct reader *R, const struct ynode *n)
{
    struct hpactl_config *c = &R->a->cfg;
    struct hpa_settings *s = &c->settings;
    struct diag *d = R->d;
    const struct ynode *v;
    if (schema_check_keys(n, "autoscaling.controller", controller_keys, d))
        return -1;
    if ((v = ynode_get(n, "syncPeriod")) &&
        schema_duration(v, "syncPeriod", SIMTIME_S, AS_MAX_PERIOD, &c->sync_period, d))
        return -1;
    if ((v = ynode_get(n, "tolerance")) && schema_double(v, "tolerance", 0, 100, &s->tolerance, d))
        return -1;
    if ((v = ynode_get(n, "cpuInitializationPeriod")) &&
        schema_duration(v, "cpuInitializationPeriod", 0, AS_MAX_PERIOD,
                        &s->cpu_initialization_period, d))
        return -1;
    if ((v = ynode_get(n, "initialReadinessDelay")) &&
        schema_duration(v, "initialReadinessDelay", 0, AS_MAX_PERIOD, &s->initial_readiness_delay,
                        d))
        return -1;
    if ((v = ynode_get(n, "downscaleStabilizationWindow")) &&
        schema_duration(v, "downscaleStabilizationWindow", 0, AS_MAX_PERIOD,
                        &s->downscale_stabilization_window, d))
        return -1;
    if ((v = ynode_get(n, "scaleUpLimitFactor")) &&
        schema_double(v, "scaleUpLimitFactor", 1, 1000, &s->scale_up_limit_factor, d))
        return -1;
    if ((v = ynode_get(n, "scaleUpLimitMinimum")) &&
        schema_double(v, "scaleUpLimitMinimum", 1, 1e6, &s->scale_up_limit_minimum, d))
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ traffic */

static const char *const traffic_keys[] = {"deployment", "load",    "loadScale",
                                           "usage",      "latency", NULL};
static const char *const usage_keys[] = {
    "cpuBaseline",      "cpuPerRequest",        "cpuLimit", "memoryBaseline",
    "memoryPerRequest", "maxRequestsPerSecond", "overload", NULL};
static const char *const latency_keys[] = {"serviceTime", "concurrency", "sloP95", NULL};

/* An optional quantity as a double (milli-units when milli). */
static int opt_quantity(const struct ynode *n, const char *key, int milli, double *out,
                        struct diag *d)
{
    const struct ynode *v = ynode_get(n, key);
    int64_t q;
    if (!v)
        return 0;
    if (schema_quantity(v, key, milli, &q, d))
        return -1;
    *out = (double)q;
    return 0;
}

static int read_usage(const struct ynode *n, struct usage_params *u, struct diag *d)
{
    const struct ynode *v;
    if (schema_check_keys(n, "usage", usage_keys, d))
        return -1;
    if (opt_quantity(n, "cpuBaseline", 1, &u->cpu_baseline, d) ||
        opt_quantity(n, "cpuPerRequest", 1, &u->cpu_per_request, d) ||
        opt_quantity(n, "cpuLimit", 1, &u->cpu_limit, d) ||
        opt_quantity(n, "memoryBaseline", 0, &u->mem_baseline, d) ||
        opt_quantity(n, "memoryPerRequest", 0, &u->mem_per_request, d))
        return -1;
    if ((v = ynode_get(n, "maxRequestsPerSecond")) &&
        schema_double(v, "maxRequestsPerSecond", 1e-9, 1e12, &u->max_rps, d))
        return -1;
    if ((v = ynode_get(n, "overload"))) {
        static const char *const modes[] = {"drop", "queue", NULL};
        int m;
        if (schema_enum(v, "overload", modes, &m, d))
            return -1;
        u->overload = (enum usage_overload)m;
    }
    return 0;
}

static int read_latency(const struct ynode *n, struct usage_params *u, struct diag *d)
{
    const struct ynode *v;
    simtime t;
    if (schema_check_keys(n, "latency", latency_keys, d))
        return -1;
    if ((v = ynode_get(n, "serviceTime"))) {
        if (schema_duration(v, "serviceTime", 1, SIMTIME_HOUR, &t, d))
            return -1;
        u->service_time = simtime_seconds(t);
    }
    if ((v = ynode_get(n, "concurrency"))) {
        int64_t c;
        if (schema_int64(v, "concurrency", 1, 100000, &c, d))
            return -1;
        u->concurrency = (int)c;
    }
    if ((v = ynode_get(n, "sloP95"))) {
        if (schema_duration(v, "sloP95", 1, SIMTIME_HOUR, &t, d))
            return -1;
        u->slo_p95 = simtime_seconds(t);
    }
    return 0;
}

/* The load model (sim/io/scenario/loadspec.h); its random parts draw from "load/<deployment>/...".
 */
static struct load *read_load(const struct reader *R, const struct ynode *n, const char *dep)
{
    char prefix[320];
    snprintf(prefix, sizeof prefix, "load/%s", dep);
    struct loadspec_env env = {R->a->rng, prefix, R->dir, NULL};
    return loadspec_read(n, "load", &env, R->d);
}

static double load_rate_fn(void *ctx, simtime t)
{
    return load_rate(ctx, t);
}

static int read_traffic(struct reader *R, const struct ynode *list)
{
    struct scn_autoscaling *a = R->a;
    struct diag *d = R->d;
    if (schema_expect_seq(list, "traffic", d))
        return -1;
    if (!list || ynode_is_null(list) || list->n == 0)
        return 0;
    a->traffic = xcalloc(list->n, sizeof *a->traffic);
    a->loads = xcalloc(list->n, sizeof *a->loads);
    a->load_scales = xcalloc(list->n, sizeof *a->load_scales);
    for (size_t i = 0; i < list->n; i++) {
        const struct ynode *n = list->items[i], *v;
        struct hpactl_traffic *t = &a->traffic[i];
        const char *name;
        usage_params_default(&t->usage);
        if (schema_check_keys(n, "traffic[]", traffic_keys, d) ||
            !(v = schema_require(n, "traffic[]", "deployment", d)) ||
            schema_string(v, "deployment", &name, d))
            return -1;
        if ((t->owner = find_deployment(R, v, name)) < 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (a->traffic[j].owner == t->owner) {
                diag_set(d, v->file, v->line, v->col, "deployment '%s' already has traffic", name);
                return -1;
            }
        }
        a->ntraffic = i + 1;
        if (!(v = schema_require(n, "traffic[]", "load", d)) ||
            !(a->loads[i] = read_load(R, v, name)))
            return -1;
        /* loadScale multiplies the model after its random streams are named,
         * so scaling (ksim plan headroom does) changes no draw: the scaled
         * load is exactly scale x the load, also for noise and traces. */
        a->load_scales[i] = 1;
        if ((v = ynode_get(n, "loadScale")) &&
            schema_double(v, "loadScale", 0, 1e6, &a->load_scales[i], d))
            return -1;
        if (a->load_scales[i] != 1) {
            struct load *parts[2] = {a->loads[i], load_constant_new(a->load_scales[i])};
            a->loads[i] = load_product_new(parts, 2);
        }
        t->rate = load_rate_fn;
        t->rate_ctx = a->loads[i];
        if ((v = ynode_get(n, "usage")) && read_usage(v, &t->usage, d))
            return -1;
        if ((v = ynode_get(n, "latency")) && read_latency(v, &t->usage, d))
            return -1;
    }
    return 0;
}

/* --------------------------------------------------------------------- entry */

static const char *const autoscaling_keys[] = {"controller", "metricsServer",
                                               "horizontalPodAutoscalers", "include", NULL};
static const char *const metrics_server_keys[] = {"resolution", NULL};

struct scn_autoscaling *autoscale_read(const struct ynode *n, const struct ynode *traffic,
                                       const struct scenario *s, const char *dir, int *failed,
                                       struct diag *d)
{
    *failed = 0;
    if ((!n || ynode_is_null(n)) && (!traffic || ynode_is_null(traffic)))
        return NULL;
    struct scn_autoscaling *a = xcalloc(1, sizeof *a);
    struct reader R = {a, s, dir, d};
    hpa_settings_default(&a->cfg.settings);
    a->cfg.sync_period = 15 * SIMTIME_S;
    a->cfg.metrics.resolution = 15 * SIMTIME_S;
    a->rng = rng_new(s->seed);
    const struct ynode *v;
    if (n && !ynode_is_null(n)) {
        if (schema_check_keys(n, "spec.autoscaling", autoscaling_keys, d))
            goto fail;
        if ((v = ynode_get(n, "controller")) && read_controller(&R, v))
            goto fail;
        if ((v = ynode_get(n, "metricsServer"))) {
            if (schema_check_keys(v, "metricsServer", metrics_server_keys, d))
                goto fail;
            const struct ynode *r = ynode_get(v, "resolution");
            if (r && schema_duration(r, "resolution", SIMTIME_S, AS_MAX_PERIOD,
                                     &a->cfg.metrics.resolution, d))
                goto fail;
        }
    }
    if (read_traffic(&R, traffic))
        goto fail;
    if (n && !ynode_is_null(n)) {
        const struct ynode *list = ynode_get(n, "horizontalPodAutoscalers");
        if (schema_expect_seq(list, "horizontalPodAutoscalers", d))
            goto fail;
        for (size_t i = 0; list && !ynode_is_null(list) && i < list->n; i++) {
            const struct ynode *obj = list->items[i];
            if (schema_expect_map(obj, "horizontalPodAutoscalers[]", d))
                goto fail;
            const struct ynode *k = ynode_get(obj, "kind");
            if (!k || k->kind != YNODE_SCALAR || strcmp(k->str, "HorizontalPodAutoscaler") != 0) {
                const struct ynode *at = k ? k : obj;
                diag_set(d, at->file, at->line, at->col,
                         "horizontalPodAutoscalers[]: expected kind: HorizontalPodAutoscaler");
                goto fail;
            }
            if (add_hpa(&R, obj, d))
                goto fail;
        }
        if (read_hpa_includes(&R, ynode_get(n, "include")))
            goto fail;
    }
    a->hpa_of = xmalloc((s->ndeployments + 1) * sizeof *a->hpa_of);
    a->traffic_of = xmalloc((s->ndeployments + 1) * sizeof *a->traffic_of);
    for (size_t i = 0; i < s->ndeployments; i++)
        a->hpa_of[i] = a->traffic_of[i] = -1;
    for (size_t i = 0; i < a->nhpas; i++)
        a->hpa_of[a->hpas[i].owner] = (int32_t)i;
    for (size_t i = 0; i < a->ntraffic; i++)
        a->traffic_of[a->traffic[i].owner] = (int32_t)i;
    a->cfg.hpas = a->hpas;
    a->cfg.nhpas = a->nhpas;
    a->cfg.traffic = a->traffic;
    a->cfg.ntraffic = a->ntraffic;
    return a;
fail:
    *failed = 1;
    autoscale_free(a);
    return NULL;
}

void autoscale_free(struct scn_autoscaling *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nhpas; i++) {
        hpaobj_release(a->specs[i]);
        free(a->specs[i]);
        free(a->sources[i]);
    }
    free(a->specs);
    free(a->sources);
    free(a->hpas);
    free(a->traffic);
    for (size_t i = 0; i < a->ntraffic; i++)
        load_free(a->loads[i]);
    free(a->loads);
    free(a->load_scales);
    free(a->hpa_of);
    free(a->traffic_of);
    rng_free(a->rng);
    for (size_t i = 0; i < a->ntrees; i++)
        ytree_free(a->trees[i]);
    free(a->trees);
    free(a);
}

void autoscale_attach(struct scn_autoscaling *a, struct simulation *sim, simtime end)
{
    if (!a)
        return;
    a->cfg.end = end;
    simulation_set_autoscaling(sim, hpactl_new(sim, &a->cfg));
}
