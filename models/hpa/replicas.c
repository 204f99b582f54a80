#include "models/hpa/replicas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/diag.h"
#include "sim/base/xalloc.h"

/*
 * Go integer arithmetic wraps; C signed overflow is undefined. These do the
 * two's-complement operations through unsigned types so the results match Go
 * even where a sum would overflow.
 */
static int64_t wadd(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wmul(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* Go int64 division truncates toward zero, like C's; MinInt64/-1 wraps. */
static int64_t gdiv(int64_t a, int64_t b)
{
    if (b == -1)
        return wmul(a, -1);
    return a / b;
}

/* int32(int64): Go keeps the low 32 bits. */
static int32_t trunc32(int64_t v)
{
    return (int32_t)(uint32_t)(uint64_t)v;
}

/* amd64 CVTTSD2SL: NaN and out-of-range values give 0x80000000. */
int32_t hpa_go_int32(double x)
{
    if (!(x > -2147483649.0 && x < 2147483648.0))
        return INT32_MIN;
    return (int32_t)x;
}

/* amd64 CVTTSD2SQ: NaN and out-of-range values give 0x8000000000000000. */
int64_t hpa_go_int64(double x)
{
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
        return INT64_MIN;
    return (int64_t)x;
}

/* Follows replica_calculator.go Tolerances.isWithin. */
int hpa_tolerances_within(struct hpa_tolerances t, double ratio)
{
    return (1.0 - t.scale_down) <= ratio && ratio <= (1.0 + t.scale_up);
}

/*
 * The metrics map (metricsclient.PodMetricsInfo) as upstream keeps it: one
 * entry per distinct pod name, deletable, and extendable with filled-in
 * values for pods that had none. Entries are the distinct sample names;
 * pod_entry maps each pod to its entry or -1.
 */
struct entry {
    const char *name;
    int64_t value;
    simtime timestamp;
    simtime window;
    int pod;      /* index of the pod with this name, or -1 (superfluous) */
    int live;     /* not deleted */
    size_t order; /* position in the sample list, to keep the last duplicate */
};

#define MAP_SMALL 32 /* maps this small live on the stack: no allocation per sync */

struct metric_map {
    struct entry *e; /* room for one entry per sample and one per pod (map_set) */
    size_t n;
    int *pod_entry;
    struct entry small_e[2 * MAP_SMALL];
    int small_pod_entry[MAP_SMALL];
};

/*
 * A simulator lists samples in the order of its pods and names them by the
 * pod's own name pointer. When every sample names, by pointer, a pod after
 * the previous sample's, the names are distinct and each sample's pod is
 * known: the map needs no sort and no search. Sums over the map are
 * order-independent, so the result is the same as the general path's.
 */
static int map_build_direct(struct metric_map *m, const struct hpa_pod *pods, size_t npods,
                            const struct hpa_sample *samples, size_t nsamples)
{
    size_t p = 0;
    for (size_t i = 0; i < nsamples; i++) {
        while (p < npods && pods[p].name != samples[i].pod)
            p++;
        if (p == npods)
            return -1;
        p++;
    }
    for (size_t q = 0; q < npods; q++)
        m->pod_entry[q] = -1;
    p = 0;
    for (size_t i = 0; i < nsamples; i++) {
        const struct hpa_sample *s = &samples[i];
        while (pods[p].name != s->pod)
            p++;
        m->e[i] = (struct entry){s->pod, s->value, s->timestamp, s->window, (int)p, 1, i};
        m->pod_entry[p++] = (int)i;
    }
    m->n = nsamples;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *ea = a, *eb = b;
    int c = strcmp(ea->name, eb->name);
    if (c)
        return c;
    return ea->order < eb->order ? -1 : ea->order > eb->order;
}

static int cmp_entry_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct entry *)elem)->name);
}

static void map_build(struct metric_map *m, const struct hpa_pod *pods, size_t npods,
                      const struct hpa_sample *samples, size_t nsamples)
{
    size_t cap = nsamples + npods;
    m->e = cap <= 2 * MAP_SMALL ? m->small_e : xmalloc(cap * sizeof *m->e);
    m->pod_entry = npods <= MAP_SMALL ? m->small_pod_entry
                                      : xmalloc((npods ? npods : 1) * sizeof *m->pod_entry);
    if (map_build_direct(m, pods, npods, samples, nsamples) == 0)
        return;
    for (size_t i = 0; i < nsamples; i++) {
        const struct hpa_sample *s = &samples[i];
        m->e[i] = (struct entry){s->pod, s->value, s->timestamp, s->window, -1, 1, i};
    }
    qsort(m->e, nsamples, sizeof *m->e, cmp_entry);
    /* Keep the last sample of each name, as a Go map filled in order does. */
    m->n = 0;
    for (size_t i = 0; i < nsamples; i++) {
        if (i + 1 < nsamples && strcmp(m->e[i].name, m->e[i + 1].name) == 0)
            continue;
        m->e[m->n++] = m->e[i];
    }
    for (size_t p = 0; p < npods; p++) {
        struct entry *e = bsearch(pods[p].name, m->e, m->n, sizeof *m->e, cmp_entry_name);
        m->pod_entry[p] = e ? (int)(e - m->e) : -1;
        if (e)
            e->pod = (int)p;
    }
}

static void map_free(struct metric_map *m)
{
    if (m->e != m->small_e)
        free(m->e);
    if (m->pod_entry != m->small_pod_entry)
        free(m->pod_entry);
}

static int is_cpu(const char *resource)
{
    return resource && strcmp(resource, "cpu") == 0;
}

/* Follows replica_calculator.go groupPods. */
static int group_pods(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                      const struct metric_map *m, const char *resource, enum hpa_pod_group *out)
{
    int ready = 0;
    int cpu = is_cpu(resource);
    for (size_t i = 0; i < npods; i++) {
        const struct hpa_pod *p = &pods[i];
        if (p->deleting || p->phase == HPA_POD_FAILED) {
            out[i] = HPA_GROUP_IGNORED;
            continue;
        }
        /* Pending pods count as unready, never as missing. */
        if (p->phase == HPA_POD_PENDING) {
            out[i] = HPA_GROUP_UNREADY;
            continue;
        }
        if (m->pod_entry[i] < 0) {
            out[i] = HPA_GROUP_MISSING;
            continue;
        }
        if (cpu) {
            const struct entry *e = &m->e[m->pod_entry[i]];
            int unready;
            if (p->ready == HPA_READY_NONE || !p->has_start_time) {
                unready = 1;
            } else if (p->start_time + c->cpu_initialization_period > c->now) {
                /* Still initializing: the sample must have been taken over a
                 * whole window after the last readiness transition. */
                unready =
                    p->ready == HPA_READY_FALSE || e->timestamp < p->ready_transition + e->window;
            } else {
                /* Unready and has never been ready. */
                unready = p->ready == HPA_READY_FALSE &&
                          p->start_time + c->initial_readiness_delay > p->ready_transition;
            }
            if (unready) {
                out[i] = HPA_GROUP_UNREADY;
                continue;
            }
        }
        out[i] = HPA_GROUP_READY;
        ready++;
    }
    return ready;
}

int hpa_replicas_group_pods(const struct hpa_calculator *c, const struct hpa_pod *pods,
                            size_t npods, const struct hpa_sample *samples, size_t nsamples,
                            const char *resource, enum hpa_pod_group *out)
{
    struct metric_map m;
    map_build(&m, pods, npods, samples, nsamples);
    int ready = group_pods(c, pods, npods, &m, resource, out);
    map_free(&m);
    return ready;
}

static const struct hpa_request *find_request(const struct hpa_request *r, size_t n,
                                              const char *resource)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].resource, resource) == 0)
            return &r[i];
    return NULL;
}

/* Follows replica_calculator.go calculatePodRequestsFromContainers: regular
 * containers first, then sidecars, as upstream appends them. */
static int container_requests(const struct hpa_pod *p, const char *container, const char *resource,
                              int64_t *out, char *err, size_t errlen)
{
    int64_t request = 0;
    for (int pass = 0; pass < 2; pass++) {
        enum hpa_container_kind want = pass ? HPA_CONTAINER_SIDECAR : HPA_CONTAINER_REGULAR;
        for (size_t i = 0; i < p->ncontainers; i++) {
            const struct hpa_container *ct = &p->containers[i];
            if (ct->kind != want)
                continue;
            int named = container && strcmp(container, ct->name) == 0;
            if (!container || !*container || named) {
                const struct hpa_request *r = find_request(ct->requests, ct->nrequests, resource);
                if (!r)
                    return diag_errf(err, errlen,
                                     "missing request for %s in container %s of Pod %s", resource,
                                     ct->name, p->name);
                request = wadd(request, r->milli);
            }
            if (named) {
                *out = request;
                return 0;
            }
        }
    }
    if (container && *container)
        return diag_errf(err, errlen, "container %s not found in Pod %s", container, p->name);
    *out = request;
    return 0;
}

/* component-helpers/resource IsSupportedPodLevelResource: cpu and memory. */
static int pod_level_resource(const char *resource)
{
    return strcmp(resource, "cpu") == 0 || strcmp(resource, "memory") == 0;
}

/* component-helpers/resource IsPodLevelRequestsSet. */
static int pod_level_requests_set(const struct hpa_pod *p)
{
    for (size_t i = 0; i < p->npod_requests; i++)
        if (pod_level_resource(p->pod_requests[i].resource))
            return 1;
    return 0;
}

/*
 * component-helpers/resource PodRequests for one resource: the pod-level
 * value for a supported resource, else AggregateContainerRequests (regular
 * containers and sidecars summed, init containers as the maximum over their
 * sequence). *present says whether any list named the resource, as the key
 * of Go's ResourceList would. Pod overhead is not modelled.
 */
static int64_t pod_requests(const struct hpa_pod *p, const char *resource, int *present)
{
    const struct hpa_request *r = find_request(p->pod_requests, p->npod_requests, resource);
    if (r && pod_level_resource(resource)) {
        *present = 1;
        return r->milli;
    }
    int64_t sum = 0, sidecars = 0, init_max = 0;
    *present = 0;
    for (size_t i = 0; i < p->ncontainers; i++) {
        const struct hpa_container *ct = &p->containers[i];
        if (ct->kind != HPA_CONTAINER_REGULAR)
            continue;
        r = find_request(ct->requests, ct->nrequests, resource);
        if (r) {
            *present = 1;
            sum = wadd(sum, r->milli);
        }
    }
    for (size_t i = 0; i < p->ncontainers; i++) {
        const struct hpa_container *ct = &p->containers[i];
        if (ct->kind == HPA_CONTAINER_REGULAR)
            continue;
        r = find_request(ct->requests, ct->nrequests, resource);
        int64_t v = r ? r->milli : 0;
        *present |= r != NULL;
        int64_t running;
        if (ct->kind == HPA_CONTAINER_SIDECAR) {
            sum = wadd(sum, v);
            sidecars = wadd(sidecars, v);
            running = sidecars;
        } else {
            running = wadd(v, sidecars);
        }
        if (running > init_max)
            init_max = running;
    }
    return init_max > sum ? init_max : sum;
}

/* Follows replica_calculator.go calculateRequests / calculatePodLevelRequests. */
int hpa_replicas_requests(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          const char *container, const char *resource, int64_t *out, char *err,
                          size_t errlen)
{
    for (size_t i = 0; i < npods; i++) {
        const struct hpa_pod *p = &pods[i];
        /* A named container takes precedence over pod-level requests. */
        int pod_level =
            c->pod_level_resources && pod_level_requests_set(p) && (!container || !*container);
        if (pod_level) {
            int present;
            out[i] = pod_requests(p, resource, &present);
            if (!present)
                return diag_errf(err, errlen, "missing pod-level request for %s in Pod %s",
                                 resource, p->name);
        } else if (container_requests(p, container, resource, &out[i], err, errlen) < 0) {
            return -1;
        }
    }
    return 0;
}

/*
 * metrics[podName] = PodMetric{Value: v}, as GetResourceReplicas and
 * calcPlainMetricReplicas (pkg/controller/podautoscaler/replica_calculator.go,
 * v1.35) fill in missing and unready pods before their second pass:
 * overwrites the pod's entry, or adds one (the map has room for one entry per
 * pod beyond the samples). Writing into the map, as upstream does, keeps each
 * ratio function the single loop over the map that metrics/utilization.go has.
 */
static void map_set(struct metric_map *m, const struct hpa_pod *pods, size_t p, int64_t value)
{
    int k = m->pod_entry[p];
    if (k < 0) {
        k = (int)m->n++;
        m->pod_entry[p] = k;
    }
    /* order only breaks ties while the map is built. */
    m->e[k] = (struct entry){pods[p].name, value, 0, 0, (int)p, 1, 0};
}

/* len(metrics). */
static size_t map_len(const struct metric_map *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += m->e[i].live;
    return n;
}

/*
 * What GetResourceReplicas and calcPlainMetricReplicas both do first, the
 * same lines in both upstream (replica_calculator.go, v1.35): groupPods,
 * removeMetricsForPods over the ignored and then the unready pods, and the
 * error when no metrics are left. The groups stand for upstream's pod sets.
 * The two functions stay two here as they are upstream; only this shared
 * opening and the map writes are one.
 */
struct grouped {
    struct metric_map m;
    enum hpa_pod_group *g;
    enum hpa_pod_group g_small[MAP_SMALL];
    int ready;
    size_t unready, missing;
};

static int grouped_init(struct grouped *k, const struct hpa_calculator *c,
                        const struct hpa_pod *pods, size_t npods, const struct hpa_metric_input *in,
                        const char *resource, char *err, size_t errlen)
{
    map_build(&k->m, pods, npods, in->samples, in->nsamples);
    k->g = npods <= MAP_SMALL ? k->g_small : xmalloc(npods * sizeof *k->g);
    k->ready = group_pods(c, pods, npods, &k->m, resource, k->g);
    k->unready = k->missing = 0;
    for (size_t i = 0; i < npods; i++) {
        k->unready += k->g[i] == HPA_GROUP_UNREADY;
        k->missing += k->g[i] == HPA_GROUP_MISSING;
        if ((k->g[i] == HPA_GROUP_IGNORED || k->g[i] == HPA_GROUP_UNREADY) &&
            k->m.pod_entry[i] >= 0)
            k->m.e[k->m.pod_entry[i]].live = 0;
    }
    if (map_len(&k->m) == 0)
        return diag_errf(err, errlen,
                         "did not receive metrics for targeted pods (pods might be unready)");
    return 0;
}

static void grouped_release(struct grouped *k)
{
    if (k->g != k->g_small)
        free(k->g);
    map_free(&k->m);
}

/*
 * metrics[podName] = value for every pod of a group; with requests, the
 * value is the pod's request x percent / 100 (GetResourceReplicas' fallback
 * for missing pods on a scale-down).
 */
static void map_set_group(struct grouped *k, const struct hpa_pod *pods, size_t npods,
                          enum hpa_pod_group group, const int64_t *requests, int64_t value)
{
    for (size_t i = 0; i < npods; i++)
        if (k->g[i] == group)
            map_set(&k->m, pods, i, requests ? gdiv(wmul(requests[i], value), 100) : value);
}

/* One pass of GetResourceUtilizationRatio: its three results. */
struct util_pass {
    double ratio;
    int32_t utilization;
    int64_t raw;
};

/*
 * Follows metrics/utilization.go GetResourceUtilizationRatio: entries without
 * a request (superfluous samples) are skipped. -1 when the requests total 0
 * ("no metrics returned matched known pods").
 */
static int util_ratio(const struct metric_map *m, const int64_t *requests, int32_t target,
                      struct util_pass *out)
{
    int64_t mtotal = 0, rtotal = 0;
    int64_t n = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (!m->e[i].live || m->e[i].pod < 0)
            continue;
        mtotal = wadd(mtotal, m->e[i].value);
        rtotal = wadd(rtotal, requests[m->e[i].pod]);
        n++;
    }
    /* The set of requests can be disjoint from the set of metrics. */
    if (rtotal == 0)
        return -1;
    out->utilization = trunc32(gdiv(wmul(mtotal, 100), rtotal));
    out->ratio = (double)out->utilization / (double)target;
    out->raw = gdiv(mtotal, n);
    return 0;
}

/* Follows pkg/controller/podautoscaler/replica_calculator.go (v1.35) GetResourceReplicas. */
int hpa_replicas_resource(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          int32_t current, const struct hpa_metric_spec *ms,
                          struct hpa_tolerances t, const struct hpa_metric_input *in,
                          struct hpa_replicas_result *out, char *err, size_t errlen)
{
    const char *resource = ms->name;
    const char *container = ms->type == HPA_METRIC_CONTAINER_RESOURCE ? ms->container : NULL;
    int32_t target = ms->target_utilization;
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get metrics for resource %s: %s", resource,
                         in->fetch_error);
    if (npods == 0)
        return diag_errf(err, errlen,
                         "no pods returned by selector while calculating replica count");

    struct grouped k;
    int64_t requests_small[MAP_SMALL];
    int64_t *requests = npods <= MAP_SMALL ? requests_small : xmalloc(npods * sizeof *requests);
    int rc = -1;
    if (grouped_init(&k, c, pods, npods, in, resource, err, errlen) < 0 ||
        hpa_replicas_requests(c, pods, npods, container, resource, requests, err, errlen) < 0)
        goto done;

    struct util_pass first;
    if (util_ratio(&k.m, requests, target, &first) < 0) {
        diag_errf(err, errlen, "no metrics returned matched known pods");
        goto done;
    }
    out->utilization = first.utilization;
    out->usage = first.raw;
    double ratio = first.ratio;

    int scale_up_with_unready = k.unready > 0 && ratio > 1.0;
    if (!scale_up_with_unready && k.missing == 0) {
        if (hpa_tolerances_within(t, ratio))
            out->replicas = current;
        else
            out->replicas = hpa_go_int32(ceil(ratio * (double)k.ready));
        rc = 0;
        goto done;
    }

    /* Missing pods use 100% of their request (or the target, if above 100%)
     * on a scale-down and 0% on a scale-up; unready pods 0% on a scale-up. */
    if (k.missing > 0 && ratio < 1.0)
        map_set_group(&k, pods, npods, HPA_GROUP_MISSING, requests, target > 100 ? target : 100);
    else if (k.missing > 0 && ratio > 1.0)
        map_set_group(&k, pods, npods, HPA_GROUP_MISSING, NULL, 0);
    if (scale_up_with_unready)
        map_set_group(&k, pods, npods, HPA_GROUP_UNREADY, NULL, 0);

    struct util_pass second;
    if (util_ratio(&k.m, requests, target, &second) < 0) {
        diag_errf(err, errlen, "no metrics returned matched known pods");
        goto done;
    }
    double newratio = second.ratio;
    if (hpa_tolerances_within(t, newratio) || (ratio < 1.0 && newratio > 1.0) ||
        (ratio > 1.0 && newratio < 1.0)) {
        /* Too small a change, or the filled-in values flip the direction. */
        out->replicas = current;
        rc = 0;
        goto done;
    }
    int32_t newreplicas = hpa_go_int32(ceil(newratio * (double)map_len(&k.m)));
    if ((newratio < 1.0 && newreplicas > current) || (newratio > 1.0 && newreplicas < current))
        out->replicas = current;
    else
        out->replicas = newreplicas;
    rc = 0;
done:
    if (requests != requests_small)
        free(requests);
    grouped_release(&k);
    return rc;
}

/* Follows metrics/utilization.go GetMetricUsageRatio. */
static double usage_ratio(const struct metric_map *m, int64_t target, int64_t *usage)
{
    int64_t total = 0, n = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].live) {
            total = wadd(total, m->e[i].value);
            n++;
        }
    }
    *usage = gdiv(total, n);
    return (double)*usage / (double)target;
}

/* Follows pkg/controller/podautoscaler/replica_calculator.go (v1.35) calcPlainMetricReplicas. */
static int plain_replicas(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          int32_t current, int64_t target, struct hpa_tolerances t,
                          const struct hpa_metric_input *in, const char *resource,
                          struct hpa_replicas_result *out, char *err, size_t errlen)
{
    if (npods == 0)
        return diag_errf(err, errlen,
                         "no pods returned by selector while calculating replica count");
    struct grouped k;
    int rc = -1;
    if (grouped_init(&k, c, pods, npods, in, resource, err, errlen) < 0)
        goto done;
    int64_t usage;
    double ratio = usage_ratio(&k.m, target, &usage);
    out->utilization = 0;
    out->usage = usage;

    int scale_up_with_unready = k.unready > 0 && ratio > 1.0;
    if (!scale_up_with_unready && k.missing == 0) {
        if (hpa_tolerances_within(t, ratio))
            out->replicas = current;
        else
            out->replicas = hpa_go_int32(ceil(ratio * (double)k.ready));
        rc = 0;
        goto done;
    }

    /* Missing pods use exactly the target on a scale-down, 0 on a scale-up. */
    if (k.missing > 0 && ratio < 1.0)
        map_set_group(&k, pods, npods, HPA_GROUP_MISSING, NULL, target);
    else if (k.missing > 0 && ratio > 1.0)
        map_set_group(&k, pods, npods, HPA_GROUP_MISSING, NULL, 0);
    if (scale_up_with_unready)
        map_set_group(&k, pods, npods, HPA_GROUP_UNREADY, NULL, 0);

    int64_t newusage;
    double newratio = usage_ratio(&k.m, target, &newusage);
    if (hpa_tolerances_within(t, newratio) || (ratio < 1.0 && newratio > 1.0) ||
        (ratio > 1.0 && newratio < 1.0)) {
        out->replicas = current;
        rc = 0;
        goto done;
    }
    int32_t newreplicas = hpa_go_int32(ceil(newratio * (double)map_len(&k.m)));
    if ((newratio < 1.0 && newreplicas > current) || (newratio > 1.0 && newreplicas < current))
        out->replicas = current;
    else
        out->replicas = newreplicas;
    rc = 0;
done:
    grouped_release(&k);
    return rc;
}

/* Follows replica_calculator.go GetRawResourceReplicas. */
int hpa_replicas_raw_resource(const struct hpa_calculator *c, const struct hpa_pod *pods,
                              size_t npods, int32_t current, const struct hpa_metric_spec *m,
                              struct hpa_tolerances t, const struct hpa_metric_input *in,
                              struct hpa_replicas_result *out, char *err, size_t errlen)
{
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get metrics for resource %s: %s", m->name,
                         in->fetch_error);
    return plain_replicas(c, pods, npods, current, m->target_milli, t, in, m->name, out, err,
                          errlen);
}

/* Follows replica_calculator.go GetMetricReplicas. */
int hpa_replicas_pods(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                      int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                      const struct hpa_metric_input *in, struct hpa_replicas_result *out, char *err,
                      size_t errlen)
{
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get metric %s: %s", m->name, in->fetch_error);
    return plain_replicas(c, pods, npods, current, m->target_milli, t, in, "", out, err, errlen);
}

/* Follows replica_calculator.go getReadyPodsCount: Running and Ready=True. */
static int ready_pods(const struct hpa_pod *pods, size_t npods, int64_t *out, char *err,
                      size_t errlen)
{
    if (npods == 0)
        return diag_errf(err, errlen,
                         "unable to calculate ready pods: no pods returned by selector while "
                         "calculating replica count");
    int64_t n = 0;
    for (size_t i = 0; i < npods; i++)
        n += pods[i].phase == HPA_POD_RUNNING && pods[i].ready == HPA_READY_TRUE;
    *out = n;
    return 0;
}

/* Follows replica_calculator.go getUsageRatioReplicaCount. */
static int usage_ratio_replicas(const struct hpa_pod *pods, size_t npods, int32_t current,
                                double ratio, struct hpa_tolerances t, int32_t *out, char *err,
                                size_t errlen)
{
    if (current == 0) {
        /* Scale to zero or n pods depending on the ratio alone. */
        *out = hpa_go_int32(ceil(ratio));
        return 0;
    }
    if (hpa_tolerances_within(t, ratio)) {
        *out = current;
        return 0;
    }
    int64_t ready = 0;
    if (ready_pods(pods, npods, &ready, err, errlen) < 0)
        return -1;
    double f = ratio * (double)ready;
    *out = f > 2147483647.0 ? INT32_MAX : hpa_go_int32(ceil(f));
    return 0;
}

/* Follows replica_calculator.go GetObjectMetricReplicas. The fetch error is
 * wrapped with upstream's argument order, object kind before namespace. */
int hpa_replicas_object(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                        int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                        const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                        char *err, size_t errlen)
{
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get metric %s: %s on %s %s/%s", m->name,
                         m->object_kind, c->namespace_name, m->object_name, in->fetch_error);
    double ratio = (double)in->value / (double)m->target_milli;
    out->utilization = 0;
    out->usage = in->value;
    return usage_ratio_replicas(pods, npods, current, ratio, t, &out->replicas, err, errlen);
}

/* Follows replica_calculator.go GetObjectPerPodMetricReplicas. */
int hpa_replicas_object_per_pod(const struct hpa_calculator *c, int32_t status_replicas,
                                const struct hpa_metric_spec *m, struct hpa_tolerances t,
                                const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                                char *err, size_t errlen)
{
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get metric %s: %s on %s %s/%s", m->name,
                         m->object_kind, c->namespace_name, m->object_name, in->fetch_error);
    int64_t usage = in->value;
    int32_t replicas = status_replicas;
    double ratio = (double)usage / ((double)m->target_milli * (double)replicas);
    if (!hpa_tolerances_within(t, ratio))
        replicas = hpa_go_int32(ceil((double)usage / (double)m->target_milli));
    out->replicas = replicas;
    out->utilization = 0;
    out->usage = hpa_go_int64(ceil((double)usage / (double)status_replicas));
    return 0;
}

static const char *selector_text(const struct hpa_metric_spec *m)
{
    return m->selector ? m->selector : "nil";
}

/* Follows replica_calculator.go GetExternalMetricReplicas: the sum saturates
 * at MaxInt64 on positive overflow. */
int hpa_replicas_external(const struct hpa_calculator *c, const struct hpa_pod *pods, size_t npods,
                          int32_t current, const struct hpa_metric_spec *m, struct hpa_tolerances t,
                          const struct hpa_metric_input *in, struct hpa_replicas_result *out,
                          char *err, size_t errlen)
{
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get external metric %s/%s/%s: %s",
                         c->namespace_name, m->name, selector_text(m), in->fetch_error);
    int64_t usage = 0;
    for (size_t i = 0; i < in->nvalues; i++) {
        int64_t v = in->values[i];
        if (v > 0 && usage > INT64_MAX - v) {
            usage = INT64_MAX;
            break;
        }
        usage = wadd(usage, v);
    }
    double ratio = (double)usage / (double)m->target_milli;
    out->utilization = 0;
    out->usage = usage;
    return usage_ratio_replicas(pods, npods, current, ratio, t, &out->replicas, err, errlen);
}

/* Follows replica_calculator.go GetExternalPerPodMetricReplicas: here the sum
 * wraps first and a negative total is read as overflow. */
int hpa_replicas_external_per_pod(const struct hpa_calculator *c, int32_t status_replicas,
                                  const struct hpa_metric_spec *m, struct hpa_tolerances t,
                                  const struct hpa_metric_input *in,
                                  struct hpa_replicas_result *out, char *err, size_t errlen)
{
    if (in->fetch_error)
        return diag_errf(err, errlen, "unable to get external metric %s/%s/%s: %s",
                         c->namespace_name, m->name, selector_text(m), in->fetch_error);
    int64_t usage = 0;
    for (size_t i = 0; i < in->nvalues; i++) {
        usage = wadd(usage, in->values[i]);
        if (usage < 0) {
            usage = INT64_MAX;
            break;
        }
    }
    int32_t replicas = status_replicas;
    double ratio = (double)usage / ((double)m->target_milli * (double)replicas);
    if (!hpa_tolerances_within(t, ratio)) {
        double r = ceil((double)usage / (double)m->target_milli);
        replicas = r > (double)INT32_MAX ? INT32_MAX : hpa_go_int32(r);
    }
    out->replicas = replicas;
    out->utilization = 0;
    if ((double)usage >= (double)INT64_MAX)
        out->usage = INT64_MAX;
    else
        out->usage = hpa_go_int64(ceil((double)usage / (double)status_replicas));
    return 0;
}
