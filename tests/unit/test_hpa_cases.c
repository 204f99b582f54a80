/*
 * Worked HPA examples as data: every .json file under tests/cases/hpa holds cases
 * derived from upstream tests (replica_calculator_test.go,
 * horizontal_test.go) or by hand from the upstream code; each names its
 * source. This driver builds the structs of models/hpa/ from them, runs the
 * function the case's "kind" names and compares every expected field.
 *
 * A file is {"source": ..., "preset": ..., "cases": [...]}: fields of the file
 * object are defaults for its cases. Times are seconds before "now" (a
 * number), "now", or "zero" (Go's zero time, long ago). Pod fixtures mirror
 * the upstream test fixtures: see build_pods().
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/hpa/behavior.h"
#include "models/hpa/conditions.h"
#include "models/hpa/history.h"
#include "models/hpa/hpa.h"
#include "models/hpa/replicas.h"

#define CASES_DIR "tests/cases/hpa"
#define NOW       ((simtime)1000000000 * SIMTIME_S)

/* ---- allocation arena: everything a case builds is freed after it ---- */

static void **arena;
static size_t narena, caparena;

static void *alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        abort();
    if (narena == caparena) {
        caparena = caparena ? 2 * caparena : 64;
        arena = realloc(arena, caparena * sizeof *arena);
        if (!arena)
            abort();
    }
    arena[narena++] = p;
    return p;
}

static void arena_free(void)
{
    for (size_t i = 0; i < narena; i++)
        free(arena[i]);
    narena = 0;
}

static char *sdup(const char *s)
{
    char *d = alloc(strlen(s) + 1);
    strcpy(d, s);
    return d;
}

/* ---- failure reporting ---- */

static const char *cur_file;
static const char *cur_case;
static int failures;
static int ncases;

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failf(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    print_error("%s: %s: %s\n", cur_file, cur_case, buf);
    failures++;
}

static void check_i64(const char *what, long long want, long long got)
{
    if (want != got)
        failf("%s: want %lld, got %lld", what, want, got);
}

static void check_str(const char *what, const char *want, const char *got)
{
    if (strcmp(want, got) != 0)
        failf("%s:\n  want \"%s\"\n  got  \"%s\"", what, want, got);
}

/* ---- JSON access with file-level defaults ---- */

/*
 * Lookups on a sync step fall back to its case, and lookups on a case to its
 * file; lookups on nested objects (pods, targets, rules) never fall back.
 */
static const cJSON *cur_defaults;
static const cJSON *cur_case_obj;
static const cJSON *cur_step;

static const cJSON *get(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v && o && o == cur_step && cur_case_obj && o != cur_case_obj)
        v = cJSON_GetObjectItemCaseSensitive(cur_case_obj, key);
    if (!v && o && (o == cur_step || o == cur_case_obj) && cur_defaults)
        v = cJSON_GetObjectItemCaseSensitive(cur_defaults, key);
    return v;
}

static const cJSON *own(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int64_t num64(const cJSON *v)
{
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "MaxInt64") == 0)
            return INT64_MAX;
        if (strcmp(v->valuestring, "MaxInt32") == 0)
            return INT32_MAX;
        return strtoll(v->valuestring, NULL, 10);
    }
    return (int64_t)llround(v->valuedouble);
}

static int64_t ival(const cJSON *o, const char *key, int64_t def)
{
    const cJSON *v = get(o, key);
    return v && !cJSON_IsNull(v) ? num64(v) : def;
}

static double dval(const cJSON *o, const char *key, double def)
{
    const cJSON *v = get(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

static const char *sval(const cJSON *o, const char *key, const char *def)
{
    const cJSON *v = get(o, key);
    return cJSON_IsString(v) ? v->valuestring : def;
}

static int bval(const cJSON *o, const char *key, int def)
{
    const cJSON *v = get(o, key);
    return v ? cJSON_IsTrue(v) : def;
}

/* A time: seconds before now, "now", "zero"; NULL/absent gives def. */
static simtime tval(const cJSON *v, simtime def)
{
    if (!v || cJSON_IsNull(v))
        return def;
    if (cJSON_IsString(v)) {
        if (strcmp(v->valuestring, "zero") == 0)
            return 0;
        if (strcmp(v->valuestring, "now") == 0)
            return NOW;
        if (strcmp(v->valuestring, "hot") == 0) /* hotCPUCreationTime: now */
            return NOW;
        if (strcmp(v->valuestring, "cool") == 0) /* coolCPUCreationTime: 3m ago */
            return NOW - 3 * SIMTIME_MIN;
        failf("bad time \"%s\"", v->valuestring);
        return def;
    }
    return NOW - (simtime)llround(v->valuedouble * 1e6);
}

static const cJSON *at(const cJSON *arr, size_t i)
{
    return arr && (size_t)cJSON_GetArraySize(arr) > i ? cJSON_GetArrayItem(arr, (int)i) : NULL;
}

/* ---- settings ---- */

static void build_settings(const cJSON *c, struct hpa_settings *s)
{
    hpa_settings_default(s);
    const char *preset = sval(c, "preset", "");
    /* replica_calculator_test.go / horizontal_test.go constants; the latter
     * also sets scaleUpLimitFactor = 8 in its init(). */
    if (strcmp(preset, "replica_calculator_test") == 0 || strcmp(preset, "horizontal_test") == 0) {
        s->tolerance = 0.1;
        s->cpu_initialization_period = 2 * SIMTIME_MIN;
        s->initial_readiness_delay = 10 * SIMTIME_S;
        s->downscale_stabilization_window = 5 * SIMTIME_MIN;
    }
    if (strcmp(preset, "horizontal_test") == 0)
        s->scale_up_limit_factor = 8;
    const cJSON *o = get(c, "settings");
    if (!o)
        return;
    s->tolerance = dval(o, "tolerance", s->tolerance);
    s->cpu_initialization_period =
        (simtime)(dval(o, "cpu_init", (double)s->cpu_initialization_period / 1e6) * 1e6);
    s->initial_readiness_delay =
        (simtime)(dval(o, "readiness_delay", (double)s->initial_readiness_delay / 1e6) * 1e6);
    s->downscale_stabilization_window =
        (simtime)(dval(o, "downscale_window", (double)s->downscale_stabilization_window / 1e6) *
                  1e6);
    s->scale_up_limit_factor = dval(o, "scale_up_factor", s->scale_up_limit_factor);
    s->scale_up_limit_minimum = dval(o, "scale_up_minimum", s->scale_up_limit_minimum);
    s->configurable_tolerance = bval(o, "configurable_tolerance", s->configurable_tolerance);
    s->pod_level_resources = bval(o, "pod_level_resources", s->pod_level_resources);
}

/* ---- pods ---- */

static enum hpa_pod_phase phase_of(const char *s)
{
    if (!strcmp(s, "Pending"))
        return HPA_POD_PENDING;
    if (!strcmp(s, "Succeeded"))
        return HPA_POD_SUCCEEDED;
    if (!strcmp(s, "Failed"))
        return HPA_POD_FAILED;
    if (!strcmp(s, "Unknown"))
        return HPA_POD_UNKNOWN;
    return HPA_POD_RUNNING;
}

static enum hpa_ready ready_of(const char *s)
{
    if (!strcmp(s, "False"))
        return HPA_READY_FALSE;
    if (!strcmp(s, "Unknown"))
        return HPA_READY_UNKNOWN;
    if (!strcmp(s, "None"))
        return HPA_READY_NONE;
    return HPA_READY_TRUE;
}

/* {"cpu": 500, "memory": 1000} -> requests */
static const struct hpa_request *requests_of(const cJSON *o, size_t *n)
{
    *n = o ? (size_t)cJSON_GetArraySize(o) : 0;
    struct hpa_request *r = alloc(*n * sizeof *r);
    size_t i = 0;
    for (const cJSON *e = o ? o->child : NULL; e; e = e->next, i++)
        r[i] = (struct hpa_request){sdup(e->string), num64(e)};
    return r;
}

static void explicit_pod(const cJSON *o, size_t i, struct hpa_pod *p)
{
    char name[64];
    snprintf(name, sizeof name, "test-pod-%zu", i);
    p->name = sdup(sval(o, "name", name));
    p->phase = phase_of(sval(o, "phase", "Running"));
    p->ready = ready_of(sval(o, "ready", "True"));
    p->deleting = bval(o, "deleting", 0);
    const cJSON *st = own(o, "start");
    p->has_start_time = !cJSON_IsNull(st);
    p->start_time = tval(st, 0);
    p->ready_transition = tval(own(o, "ready_since"), 0);
    const cJSON *cs = own(o, "containers");
    p->ncontainers = cs ? (size_t)cJSON_GetArraySize(cs) : 0;
    struct hpa_container *ct = alloc(p->ncontainers * sizeof *ct);
    for (size_t k = 0; k < p->ncontainers; k++) {
        const cJSON *co = at(cs, k);
        const char *kind = sval(co, "kind", "regular");
        ct[k].name = sdup(sval(co, "name", "container"));
        ct[k].kind = !strcmp(kind, "sidecar") ? HPA_CONTAINER_SIDECAR
                     : !strcmp(kind, "init")  ? HPA_CONTAINER_INIT
                                              : HPA_CONTAINER_REGULAR;
        ct[k].requests = requests_of(own(co, "requests"), &ct[k].nrequests);
    }
    p->containers = ct;
    p->pod_requests = requests_of(own(o, "pod_requests"), &p->npod_requests);
}

/*
 * Pods as the upstream fixtures build them: "npods" pods named test-pod-i,
 * Running and Ready unless "phases"/"readiness" say otherwise, started at
 * "starts"[i] (default: Go's zero time; null: no start time), the Ready
 * condition's lastTransitionTime the zero time, or the start time with
 * "ready_since_start" (horizontal_test.go does that), "deleting"[i], and
 * "containers_per_pod" containers (default 2) each requesting
 * "requests"[i] of cpu (null: no request).
 */
static struct hpa_pod *build_pods(const cJSON *c, size_t *np)
{
    const cJSON *explicit = get(c, "pods");
    if (explicit) {
        *np = (size_t)cJSON_GetArraySize(explicit);
        struct hpa_pod *pods = alloc(*np * sizeof *pods);
        for (size_t i = 0; i < *np; i++)
            explicit_pod(at(explicit, i), i, &pods[i]);
        return pods;
    }
    const cJSON *req = get(c, "requests");
    size_t n = (size_t)ival(c, "npods", req ? cJSON_GetArraySize(req) : 0);
    *np = n;
    struct hpa_pod *pods = alloc(n * sizeof *pods);
    size_t nc = (size_t)ival(c, "containers_per_pod", 2);
    const char *resource = sval(c, "request_resource", "cpu");
    for (size_t i = 0; i < n; i++) {
        struct hpa_pod *p = &pods[i];
        char name[64];
        snprintf(name, sizeof name, "test-pod-%zu", i);
        p->name = sdup(name);
        const cJSON *v = at(get(c, "phases"), i);
        p->phase = v ? phase_of(v->valuestring) : HPA_POD_RUNNING;
        v = at(get(c, "readiness"), i);
        p->ready = v ? ready_of(v->valuestring) : HPA_READY_TRUE;
        v = at(get(c, "deleting"), i);
        p->deleting = v ? cJSON_IsTrue(v) : 0;
        v = at(get(c, "starts"), i);
        p->has_start_time = !(v && cJSON_IsNull(v));
        p->start_time = tval(v, 0);
        p->ready_transition = bval(c, "ready_since_start", 0) ? p->start_time : 0;
        struct hpa_container *ct = alloc(nc * sizeof *ct);
        const cJSON *r = at(req, i);
        for (size_t k = 0; k < nc; k++) {
            char cname[32];
            snprintf(cname, sizeof cname, "container%zu", k + 1);
            ct[k].name = sdup(cname);
            ct[k].kind = HPA_CONTAINER_REGULAR;
            if (r && !cJSON_IsNull(r)) {
                struct hpa_request *rq = alloc(sizeof *rq);
                *rq = (struct hpa_request){resource, num64(r)};
                ct[k].requests = rq;
                ct[k].nrequests = 1;
            }
        }
        p->containers = ct;
        p->ncontainers = nc;
    }
    return pods;
}

/* "levels" (value of test-pod-i, or of "level_names"[i]) or "samples". */
static struct hpa_sample *build_samples(const cJSON *c, size_t *ns)
{
    simtime ts = tval(get(c, "sample_time"), 0);
    simtime window = (simtime)(dval(c, "window", 60) * 1e6);
    const cJSON *levels = get(c, "levels");
    const cJSON *samples = get(c, "samples");
    if (samples) {
        *ns = (size_t)cJSON_GetArraySize(samples);
        struct hpa_sample *s = alloc(*ns * sizeof *s);
        for (size_t i = 0; i < *ns; i++) {
            const cJSON *o = at(samples, i);
            s[i].pod = sdup(sval(o, "pod", ""));
            s[i].value = ival(o, "value", 0);
            s[i].timestamp = tval(own(o, "time"), ts);
            s[i].window = (simtime)(dval(o, "window", (double)window / 1e6) * 1e6);
        }
        return s;
    }
    *ns = levels ? (size_t)cJSON_GetArraySize(levels) : 0;
    struct hpa_sample *s = alloc(*ns * sizeof *s);
    for (size_t i = 0; i < *ns; i++) {
        char name[64];
        snprintf(name, sizeof name, "test-pod-%zu", i);
        const cJSON *nm = at(get(c, "level_names"), i);
        s[i].pod = sdup(nm ? nm->valuestring : name);
        s[i].value = num64(at(levels, i));
        s[i].timestamp = ts;
        s[i].window = window;
    }
    return s;
}

static void build_input(const cJSON *c, struct hpa_metric_input *in)
{
    memset(in, 0, sizeof *in);
    const char *fe = sval(c, "fetch_error", NULL);
    in->fetch_error = fe ? sdup(fe) : NULL;
    in->samples = build_samples(c, &in->nsamples);
    in->value = ival(c, "value", 0);
    const cJSON *vals = get(c, "values");
    in->nvalues = vals ? (size_t)cJSON_GetArraySize(vals) : 0;
    int64_t *v = alloc(in->nvalues * sizeof *v);
    for (size_t i = 0; i < in->nvalues; i++)
        v[i] = num64(at(vals, i));
    in->values = v;
}

/* ---- metric specs ---- */

static void build_metric(const cJSON *o, struct hpa_metric_spec *m)
{
    memset(m, 0, sizeof *m);
    const char *type = sval(o, "type", "Resource");
    m->type = !strcmp(type, "Resource")            ? HPA_METRIC_RESOURCE
              : !strcmp(type, "ContainerResource") ? HPA_METRIC_CONTAINER_RESOURCE
              : !strcmp(type, "Pods")              ? HPA_METRIC_PODS
              : !strcmp(type, "Object")            ? HPA_METRIC_OBJECT
              : !strcmp(type, "External")          ? HPA_METRIC_EXTERNAL
                                                   : HPA_METRIC_UNKNOWN;
    m->type_name = sdup(type);
    m->name = sdup(sval(o, "name",
                        m->type == HPA_METRIC_RESOURCE || m->type == HPA_METRIC_CONTAINER_RESOURCE
                            ? "cpu"
                            : "qps"));
    const char *ctn = sval(o, "container", NULL);
    m->container = ctn ? sdup(ctn) : NULL;
    const char *sel = sval(o, "selector", NULL);
    m->selector = sel ? sdup(sel) : NULL;
    const cJSON *obj = own(o, "object");
    m->object_kind = sdup(sval(obj, "kind", "Deployment"));
    m->object_name = sdup(sval(obj, "name", "some-deployment"));
    const cJSON *t = own(o, "target");
    const char *tt = sval(t, "type", "Utilization");
    m->target_type = !strcmp(tt, "AverageValue") ? HPA_TARGET_AVERAGE_VALUE
                     : !strcmp(tt, "Value")      ? HPA_TARGET_VALUE
                                                 : HPA_TARGET_UTILIZATION;
    int64_t v = t ? ival(t, "value", 0) : 0;
    m->target_utilization = (int32_t)v;
    m->target_milli = v;
}

/* The metric of a calculator case: "resource"/"container"/"metric"/"target". */
static void calc_metric(const cJSON *c, const char *kind, struct hpa_metric_spec *m)
{
    memset(m, 0, sizeof *m);
    int resource = !strcmp(kind, "resource") || !strcmp(kind, "raw_resource");
    const char *ctn = sval(c, "container", NULL);
    m->type = resource                ? (ctn ? HPA_METRIC_CONTAINER_RESOURCE : HPA_METRIC_RESOURCE)
              : !strcmp(kind, "pods") ? HPA_METRIC_PODS
              : (!strcmp(kind, "object") || !strcmp(kind, "object_per_pod")) ? HPA_METRIC_OBJECT
                                                                             : HPA_METRIC_EXTERNAL;
    m->name = sdup(sval(c, resource ? "resource" : "metric", resource ? "cpu" : "qps"));
    m->container = ctn;
    m->selector = sval(c, "selector", NULL);
    m->object_kind = "Deployment";
    m->object_name = "some-deployment";
    m->target_utilization = (int32_t)ival(c, "target", 0);
    m->target_milli = ival(c, "target", 0);
    m->target_type = !strcmp(kind, "resource") ? HPA_TARGET_UTILIZATION
                     : (!strcmp(kind, "object") || !strcmp(kind, "external"))
                         ? HPA_TARGET_VALUE
                         : HPA_TARGET_AVERAGE_VALUE;
}

/* ---- behavior ---- */

static const struct hpa_scaling_rules *build_rules(const cJSON *o)
{
    if (!o || cJSON_IsNull(o))
        return NULL;
    struct hpa_scaling_rules *r = alloc(sizeof *r);
    const cJSON *v;
    if ((v = own(o, "stabilization"))) {
        r->has_stabilization_window = 1;
        r->stabilization_window_seconds = (int32_t)num64(v);
    }
    if ((v = own(o, "select"))) {
        r->has_select_policy = 1;
        r->select_policy = !strcmp(v->valuestring, "Min")        ? HPA_SELECT_MIN
                           : !strcmp(v->valuestring, "Disabled") ? HPA_SELECT_DISABLED
                                                                 : HPA_SELECT_MAX;
    }
    if ((v = own(o, "policies"))) {
        r->has_policies = 1;
        r->npolicies = (size_t)cJSON_GetArraySize(v);
        struct hpa_scaling_policy *p = alloc(r->npolicies * sizeof *p);
        for (size_t i = 0; i < r->npolicies; i++) {
            const cJSON *po = at(v, i);
            p[i].type =
                !strcmp(sval(po, "type", "Pods"), "Percent") ? HPA_POLICY_PERCENT : HPA_POLICY_PODS;
            p[i].value = (int32_t)ival(po, "value", 0);
            p[i].period_seconds = (int32_t)ival(po, "period", 0);
        }
        r->policies = p;
    }
    if ((v = own(o, "tolerance"))) {
        r->has_tolerance = 1;
        r->tolerance = v->valuedouble;
    }
    return r;
}

static void build_history(const cJSON *c, struct hpa_history *h)
{
    hpa_history_init(h);
    const cJSON *recs = get(c, "recommendations");
    if (recs && !cJSON_IsNull(recs)) {
        h->initialized = 1;
        for (const cJSON *e = recs->child; e; e = e->next)
            hpa_history_add_recommendation(h, (int32_t)ival(e, "replicas", 0),
                                           tval(own(e, "age"), NOW));
    }
    for (int up = 1; up >= 0; up--) {
        const cJSON *ev = get(c, up ? "up_events" : "down_events");
        for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next)
            hpa_history_add_event(h, up, (int32_t)ival(e, "change", 0), tval(own(e, "age"), NOW),
                                  bval(e, "outdated", 0));
    }
}

static void check_recs(const cJSON *want, const struct hpa_history *h)
{
    if (!want)
        return;
    size_t n = (size_t)cJSON_GetArraySize(want);
    if (n != h->nrecs) {
        failf("recommendations: want %zu entries, got %zu", n, h->nrecs);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const cJSON *w = at(want, i);
        char what[64];
        snprintf(what, sizeof what, "recommendations[%zu]", i);
        check_i64(what, cJSON_IsObject(w) ? ival(w, "replicas", 0) : num64(w), h->recs[i].replicas);
        if (cJSON_IsObject(w) && own(w, "age")) {
            snprintf(what, sizeof what, "recommendations[%zu].time", i);
            check_i64(what, tval(own(w, "age"), 0), h->recs[i].time);
        }
    }
}

static void check_events(const char *name, const cJSON *want, const struct hpa_scale_event *ev,
                         size_t n)
{
    if (!want)
        return;
    size_t wn = (size_t)cJSON_GetArraySize(want);
    if (wn != n) {
        failf("%s: want %zu events, got %zu", name, wn, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const cJSON *w = at(want, i);
        char what[64];
        snprintf(what, sizeof what, "%s[%zu].change", name, i);
        check_i64(what, ival(w, "change", 0), ev[i].change);
        snprintf(what, sizeof what, "%s[%zu].outdated", name, i);
        check_i64(what, bval(w, "outdated", 0), ev[i].outdated);
        if (own(w, "age")) {
            snprintf(what, sizeof what, "%s[%zu].time", name, i);
            check_i64(what, tval(own(w, "age"), 0), ev[i].time);
        }
    }
}

/* ---- kinds ---- */

static void run_calc(const cJSON *c, const char *kind, const cJSON *expect)
{
    struct hpa_settings s;
    build_settings(c, &s);
    struct hpa_calculator calc = {NOW, s.cpu_initialization_period, s.initial_readiness_delay,
                                  s.pod_level_resources, sval(c, "namespace", "test-namespace")};
    size_t npods;
    struct hpa_pod *pods = build_pods(c, &npods);
    struct hpa_metric_input in;
    build_input(c, &in);
    struct hpa_metric_spec m;
    calc_metric(c, kind, &m);
    struct hpa_tolerances t = {s.tolerance, s.tolerance};
    const cJSON *tol = get(c, "tolerances");
    if (tol) {
        t.scale_down = at(tol, 0)->valuedouble;
        t.scale_up = at(tol, 1)->valuedouble;
    }
    int32_t current = (int32_t)ival(c, "current", 0);
    struct hpa_replicas_result r = {0};
    char err[512] = "";
    int rc;
    if (!strcmp(kind, "resource"))
        rc = hpa_replicas_resource(&calc, pods, npods, current, &m, t, &in, &r, err, sizeof err);
    else if (!strcmp(kind, "raw_resource"))
        rc =
            hpa_replicas_raw_resource(&calc, pods, npods, current, &m, t, &in, &r, err, sizeof err);
    else if (!strcmp(kind, "pods"))
        rc = hpa_replicas_pods(&calc, pods, npods, current, &m, t, &in, &r, err, sizeof err);
    else if (!strcmp(kind, "object"))
        rc = hpa_replicas_object(&calc, pods, npods, current, &m, t, &in, &r, err, sizeof err);
    else if (!strcmp(kind, "object_per_pod"))
        rc = hpa_replicas_object_per_pod(&calc, current, &m, t, &in, &r, err, sizeof err);
    else if (!strcmp(kind, "external"))
        rc = hpa_replicas_external(&calc, pods, npods, current, &m, t, &in, &r, err, sizeof err);
    else
        rc = hpa_replicas_external_per_pod(&calc, current, &m, t, &in, &r, err, sizeof err);

    const char *werr = sval(expect, "error", NULL);
    if (werr) {
        if (rc == 0)
            failf("want error \"%s\", got replicas %d", werr, r.replicas);
        else
            check_str("error", werr, err);
        return;
    }
    if (rc != 0) {
        failf("unexpected error: %s", err);
        return;
    }
    check_i64("replicas", ival(expect, "replicas", -1), r.replicas);
    if (own(expect, "utilization"))
        check_i64("utilization", ival(expect, "utilization", 0), r.utilization);
    if (own(expect, "usage"))
        check_i64("usage", ival(expect, "usage", 0), r.usage);
}

static void run_group(const cJSON *c, const cJSON *expect)
{
    struct hpa_settings s;
    build_settings(c, &s);
    struct hpa_calculator calc = {NOW, s.cpu_initialization_period, s.initial_readiness_delay,
                                  s.pod_level_resources, "test-namespace"};
    size_t npods, ns;
    struct hpa_pod *pods = build_pods(c, &npods);
    struct hpa_sample *samples = build_samples(c, &ns);
    enum hpa_pod_group *g = alloc(npods * sizeof *g);
    int ready =
        hpa_replicas_group_pods(&calc, pods, npods, samples, ns, sval(c, "resource", "cpu"), g);
    check_i64("ready", ival(expect, "ready", -1), ready);
    static const char *const names[] = {"ready", "unready", "missing", "ignored"};
    const cJSON *groups = own(expect, "groups");
    for (size_t i = 0; i < npods; i++) {
        const cJSON *w = at(groups, i);
        char what[64];
        snprintf(what, sizeof what, "group of %s", pods[i].name);
        check_str(what, w ? w->valuestring : "?", names[g[i]]);
    }
}

static void run_requests(const cJSON *c, const cJSON *expect)
{
    struct hpa_settings s;
    build_settings(c, &s);
    struct hpa_calculator calc = {NOW, 0, 0, s.pod_level_resources, "test-namespace"};
    size_t npods;
    struct hpa_pod *pods = build_pods(c, &npods);
    int64_t *out = alloc(npods * sizeof *out);
    char err[512] = "";
    int rc = hpa_replicas_requests(&calc, pods, npods, sval(c, "container", NULL),
                                   sval(c, "resource", "cpu"), out, err, sizeof err);
    const char *werr = sval(expect, "error", NULL);
    if (werr) {
        if (rc == 0)
            failf("want error \"%s\"", werr);
        else
            check_str("error", werr, err);
        return;
    }
    if (rc != 0) {
        failf("unexpected error: %s", err);
        return;
    }
    const cJSON *want = own(expect, "requests");
    for (size_t i = 0; i < npods; i++)
        check_i64("request", num64(at(want, i)), out[i]);
}

static void rules_pair(const cJSON *c, const struct hpa_settings *s, struct hpa_scaling_rules *up,
                       struct hpa_scaling_rules *down)
{
    hpa_behavior_scale_up_rules(build_rules(get(c, "scale_up")), up);
    hpa_behavior_scale_down_rules(build_rules(get(c, "scale_down")),
                                  s->downscale_stabilization_window, down);
}

static void run_rate(const cJSON *c, const cJSON *expect)
{
    struct hpa_settings s;
    build_settings(c, &s);
    struct hpa_scaling_rules up, down;
    rules_pair(c, &s, &up, &down);
    struct hpa_history h;
    build_history(c, &h);
    struct hpa_normalization a = {(int32_t)ival(c, "min", 1),
                                  (int32_t)ival(c, "max", 0),
                                  (int32_t)ival(c, "current", 0),
                                  (int32_t)ival(c, "desired", 0),
                                  &up,
                                  &down};
    const char *reason, *message;
    int32_t r = hpa_behavior_rate_limit(&h, &a, NOW, &reason, &message);
    check_i64("replicas", ival(expect, "replicas", -1), r);
    check_str("reason", sval(expect, "reason", ""), reason);
    hpa_history_release(&h);
}

static void run_limit(const cJSON *c, const char *kind, const cJSON *expect)
{
    struct hpa_settings s;
    build_settings(c, &s);
    struct hpa_scaling_rules up, down;
    rules_pair(c, &s, &up, &down);
    struct hpa_history h;
    build_history(c, &h);
    int32_t current = (int32_t)ival(c, "current", 0);
    int32_t r = !strcmp(kind, "scale_up_limit")
                    ? hpa_behavior_scale_up_limit(current, &h, &up, NOW)
                    : hpa_behavior_scale_down_limit(current, &h, &down, NOW);
    check_i64("limit", ival(expect, "limit", -1), r);
    hpa_history_release(&h);
}

static void run_stabilize(const cJSON *c, const cJSON *expect)
{
    struct hpa_history h;
    build_history(c, &h);
    struct hpa_scaling_rules up = {0}, down = {0};
    up.has_stabilization_window = down.has_stabilization_window = 1;
    up.stabilization_window_seconds = (int32_t)ival(c, "up_window", 0);
    down.stabilization_window_seconds = (int32_t)ival(c, "down_window", 0);
    struct hpa_normalization a = {
        1, 1000, (int32_t)ival(c, "current", 0), (int32_t)ival(c, "desired", 0), &up, &down};
    const char *reason, *message;
    int32_t r = hpa_behavior_stabilize(&h, &a, NOW, &reason, &message);
    check_i64("replicas", ival(expect, "replicas", -1), r);
    if (own(expect, "reason"))
        check_str("reason", sval(expect, "reason", ""), reason);
    check_recs(own(expect, "recommendations"), &h);
    hpa_history_release(&h);
}

static void run_stabilize_legacy(const cJSON *c, const cJSON *expect)
{
    struct hpa_history h;
    build_history(c, &h);
    int32_t r = hpa_behavior_stabilize_legacy(&h, (int32_t)ival(c, "desired", 0),
                                              (simtime)(dval(c, "window", 300) * 1e6), NOW);
    check_i64("replicas", ival(expect, "replicas", -1), r);
    if (own(expect, "log_length"))
        check_i64("log length", ival(expect, "log_length", -1), (long long)h.nrecs);
    check_recs(own(expect, "recommendations"), &h);
    hpa_history_release(&h);
}

/* Like TestStoreScaleEvents: the same history stored as up, then as down events. */
static void run_store_event(const cJSON *c, const cJSON *expect)
{
    const struct hpa_scaling_rules *rules = build_rules(get(c, "rules"));
    int32_t change = (int32_t)ival(c, "change", 0);
    for (int up = 1; up >= 0; up--) {
        struct hpa_history h;
        hpa_history_init(&h);
        const cJSON *ev = get(c, "events");
        for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next)
            hpa_history_add_event(&h, up, (int32_t)ival(e, "change", 0), tval(own(e, "age"), NOW),
                                  bval(e, "outdated", 0));
        const struct hpa_scale_event *list = up ? h.up : h.down;
        size_t n = up ? h.nup : h.ndown;
        check_i64(up ? "up: change in 60s" : "down: change in 60s",
                  ival(expect, "change_in_60", -1),
                  hpa_behavior_change_in_period(60, list, n, NOW));
        struct hpa_behavior b = {up ? rules : NULL, up ? NULL : rules};
        hpa_behavior_store_event(&h, rules ? &b : NULL, 10, up ? 10 + change : 10 - change, NOW);
        check_events(up ? "up events" : "down events", own(expect, "events"), up ? h.up : h.down,
                     up ? h.nup : h.ndown);
        hpa_history_release(&h);
    }
}

static void run_convert_legacy(const cJSON *c, const cJSON *expect)
{
    struct hpa_settings s;
    build_settings(c, &s);
    const char *reason, *message;
    int32_t r = hpa_behavior_convert_legacy(
        (int32_t)ival(c, "current", 0), (int32_t)ival(c, "desired", 0), (int32_t)ival(c, "min", 1),
        (int32_t)ival(c, "max", 0), s.scale_up_limit_factor, s.scale_up_limit_minimum, &reason,
        &message);
    check_i64("replicas", ival(expect, "replicas", -1), r);
    check_str("reason", sval(expect, "reason", ""), reason);
}

static void check_conditions(const cJSON *want, const struct hpa_conditions *got)
{
    if (!want)
        return;
    size_t n = (size_t)cJSON_GetArraySize(want);
    if (n != got->n) {
        failf("conditions: want %zu, got %zu", n, got->n);
        for (size_t i = 0; i < got->n; i++)
            print_error("  got %s=%s %s: %s\n", hpa_condition_type_name(got->items[i].type),
                        hpa_condition_status_name(got->items[i].status), got->items[i].reason,
                        got->items[i].message);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const cJSON *w = at(want, i);
        const struct hpa_condition *g = &got->items[i];
        char what[64];
        snprintf(what, sizeof what, "condition %zu type", i);
        check_str(what, sval(w, "type", ""), hpa_condition_type_name(g->type));
        snprintf(what, sizeof what, "condition %zu status", i);
        check_str(what, sval(w, "status", ""), hpa_condition_status_name(g->status));
        snprintf(what, sizeof what, "condition %zu reason", i);
        check_str(what, sval(w, "reason", ""), g->reason);
        if (own(w, "message")) {
            snprintf(what, sizeof what, "condition %zu message", i);
            check_str(what, sval(w, "message", ""), g->message);
        }
    }
}

static void sync_step(const cJSON *c, const cJSON *step, const struct hpa_settings *s,
                      const struct hpa_spec *spec, struct hpa_history *h, struct hpa_status *st)
{
    const cJSON *expect = own(step, "expect");
    simtime now = NOW + (simtime)llround(dval(step, "at", 0) * 1e6);
    const cJSON *scale = get(step, "scale");
    struct hpa_scale sc = {(int32_t)ival(scale, "spec", 0),
                           (int32_t)ival(scale, "status", ival(scale, "spec", 0))};
    size_t npods;
    struct hpa_pod *pods = build_pods(step, &npods);
    const cJSON *inputs = get(step, "inputs");
    struct hpa_metric_input *in = alloc(spec->nmetrics * sizeof *in);
    for (size_t i = 0; i < spec->nmetrics; i++) {
        const cJSON *io = at(inputs, i);
        /* Per-input fields, then the step's, the case's and the file's
         * ("sample_time", "window"). */
        cJSON *merged = io ? cJSON_Duplicate(io, 1) : cJSON_CreateObject();
        const cJSON *layers[] = {step, cur_case_obj, cur_defaults};
        for (size_t l = 0; l < 3; l++) {
            for (const cJSON *k = layers[l] ? layers[l]->child : NULL; k; k = k->next) {
                if (!strcmp(k->string, "inputs") || !strcmp(k->string, "cases") ||
                    !strcmp(k->string, "steps") || !strcmp(k->string, "expect"))
                    continue;
                if (!cJSON_GetObjectItemCaseSensitive(merged, k->string))
                    cJSON_AddItemToObject(merged, k->string, cJSON_Duplicate(k, 1));
            }
        }
        const cJSON *saved = cur_step;
        cur_step = NULL;
        build_input(merged, &in[i]);
        cur_step = saved;
        cJSON_Delete(merged);
    }
    struct hpa_metric_status *ms = alloc(spec->nmetrics * sizeof *ms);
    struct hpa_sync_out out = {.metrics = ms};
    int rc = hpa_sync(s, spec, &sc, pods, npods, in, now, h, st, &out);
    (void)c;

    check_i64("desired", ival(expect, "desired", -1), out.desired);
    if (own(expect, "rescale"))
        check_i64("rescale", bval(expect, "rescale", 0), out.rescale);
    const char *werr = sval(expect, "error", "");
    check_str("error", werr, out.error);
    check_i64("return code", werr[0] ? -1 : 0, rc);
    if (own(expect, "reason"))
        check_str("rescale reason", sval(expect, "reason", ""), out.reason);
    const cJSON *props = own(expect, "proposals");
    for (size_t i = 0; props && i < spec->nmetrics; i++) {
        const cJSON *w = at(props, i);
        char what[64];
        snprintf(what, sizeof what, "metric %zu", i);
        if (!w || cJSON_IsNull(w)) {
            if (ms[i].valid)
                failf("%s: want a failure, got proposal %d", what, ms[i].proposal);
        } else if (!ms[i].valid) {
            failf("%s: want proposal %lld, got error: %s", what, (long long)num64(w), ms[i].error);
        } else {
            check_i64(what, num64(w), ms[i].proposal);
        }
    }
    const cJSON *util = own(expect, "utilization");
    if (util)
        check_i64("utilization of metric 0", num64(util), ms[0].utilization);
    const cJSON *mname = own(expect, "metric_name");
    if (mname)
        check_str("metric 0 name", mname->valuestring, ms[0].name);
    check_conditions(own(expect, "conditions"), &st->conditions);
    check_recs(own(expect, "recommendations"), h);
    check_events("up events", own(expect, "up_events"), h->up, h->nup);
    check_events("down events", own(expect, "down_events"), h->down, h->ndown);
}

static void run_sync(const cJSON *c)
{
    struct hpa_settings s;
    build_settings(c, &s);
    const cJSON *so = get(c, "spec");
    struct hpa_spec spec = {0};
    spec.namespace_name = "test-namespace";
    const cJSON *min = own(so, "min");
    spec.has_min_replicas = min && !cJSON_IsNull(min);
    spec.min_replicas = spec.has_min_replicas ? (int32_t)num64(min) : 0;
    spec.max_replicas = (int32_t)ival(so, "max", 0);
    const cJSON *metrics = own(so, "metrics");
    spec.nmetrics = (size_t)cJSON_GetArraySize(metrics);
    struct hpa_metric_spec *ms = alloc(spec.nmetrics * sizeof *ms);
    for (size_t i = 0; i < spec.nmetrics; i++)
        build_metric(at(metrics, i), &ms[i]);
    spec.metrics = ms;
    const cJSON *bo = own(so, "behavior");
    if (bo) {
        struct hpa_behavior *b = alloc(sizeof *b);
        b->scale_up = build_rules(own(bo, "scale_up"));
        b->scale_down = build_rules(own(bo, "scale_down"));
        spec.behavior = b;
    }
    struct hpa_history h;
    build_history(c, &h);
    struct hpa_status st = {0};
    const cJSON *scale = get(c, "scale");
    /* The fixtures start with status.desiredReplicas = spec.replicas. */
    st.desired_replicas = (int32_t)ival(scale, "spec", 0);
    st.current_replicas = st.desired_replicas;
    const cJSON *steps = own(c, "steps");
    if (steps) {
        for (const cJSON *step = steps->child; step; step = step->next) {
            cur_step = step;
            sync_step(c, step, &s, &spec, &h, &st);
        }
    } else {
        cur_step = c;
        sync_step(c, c, &s, &spec, &h, &st);
    }
    cur_step = NULL;
    hpa_history_release(&h);
}

static void run_case(const cJSON *c)
{
    const char *kind = sval(c, "kind", "");
    const cJSON *expect = own(c, "expect");
    ncases++;
    if (!strcmp(kind, "resource") || !strcmp(kind, "raw_resource") || !strcmp(kind, "pods") ||
        !strcmp(kind, "object") || !strcmp(kind, "object_per_pod") || !strcmp(kind, "external") ||
        !strcmp(kind, "external_per_pod"))
        run_calc(c, kind, expect);
    else if (!strcmp(kind, "group"))
        run_group(c, expect);
    else if (!strcmp(kind, "requests"))
        run_requests(c, expect);
    else if (!strcmp(kind, "rate"))
        run_rate(c, expect);
    else if (!strcmp(kind, "scale_up_limit") || !strcmp(kind, "scale_down_limit"))
        run_limit(c, kind, expect);
    else if (!strcmp(kind, "stabilize"))
        run_stabilize(c, expect);
    else if (!strcmp(kind, "stabilize_legacy"))
        run_stabilize_legacy(c, expect);
    else if (!strcmp(kind, "store_event"))
        run_store_event(c, expect);
    else if (!strcmp(kind, "convert_legacy"))
        run_convert_legacy(c, expect);
    else if (!strcmp(kind, "sync"))
        run_sync(c);
    else
        failf("unknown kind \"%s\"", kind);
    if (!sval(c, "source", NULL))
        failf("case names no upstream source");
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_cases(void **state)
{
    (void)state;
    char *names[256];
    size_t n = testutil_list_files(CASES_DIR, ".json", names, 256);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CASES_DIR, names[i]);
        cur_file = path;
        cur_case = "(file)";
        char *text = slurp(path);
        cJSON *root = text ? cJSON_Parse(text) : NULL;
        if (!root) {
            failf("cannot read or parse");
        } else {
            cur_defaults = root;
            const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
            for (const cJSON *c = cases ? cases->child : NULL; c; c = c->next) {
                cur_case_obj = c;
                cur_case = sval(c, "name", "(unnamed)");
                run_case(c);
                cur_case_obj = NULL;
                arena_free();
            }
            cur_defaults = NULL;
        }
        cJSON_Delete(root);
        free(text);
        free(names[i]);
    }
    free(arena);
    arena = NULL;
    caparena = 0;
    print_message("%d HPA cases, %d failures\n", ncases, failures);
    assert_true(ncases >= 50);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
