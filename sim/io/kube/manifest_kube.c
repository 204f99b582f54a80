/*
 * The pod and node fields kube-scheduler's plugins read (models/kube):
 * spec.nodeName, spec.affinity.nodeAffinity, container hostPorts and
 * images, the non-zero scoring requests, and a node's status.images. Kept
 * apart from manifest.c so that the readers of the other scheduler fields
 * (topology spread, pod affinity) can grow beside them without conflicts.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/io/kube/manifest.h"
#include "sim/io/schema.h"

static const char *const req_keys[] = {"key", "operator", "values", NULL};
static const char *const term_keys[] = {"matchExpressions", "matchFields", NULL};
static const char *const pref_keys[] = {"weight", "preference", NULL};
static const char *const na_keys[] = {"requiredDuringSchedulingIgnoredDuringExecution",
                                      "preferredDuringSchedulingIgnoredDuringExecution", NULL};
static const char *const required_keys[] = {"nodeSelectorTerms", NULL};

static int read_reqs(const struct ynode *seq, const char *where, int field, struct nsel_req **out,
                     size_t *n, struct diag *d)
{
    *out = NULL;
    *n = 0;
    if (!seq || ynode_is_null(seq))
        return 0;
    if (schema_expect_seq(seq, where, d))
        return -1;
    *out = xcalloc(seq->n ? seq->n : 1, sizeof **out);
    for (size_t i = 0; i < seq->n; i++) {
        const struct ynode *r = seq->items[i];
        struct nsel_req *q = &(*out)[i];
        const char *key;
        int op;
        if (schema_check_keys(r, where, req_keys, d))
            return -1;
        const struct ynode *k = schema_require(r, where, "key", d);
        if (!k || schema_string(k, "key", &key, d))
            return -1;
        const struct ynode *o = schema_require(r, where, "operator", d);
        if (!o || schema_enum(o, "operator", nsel_op_names, &op, d))
            return -1;
        const struct ynode *vs = ynode_get(r, "values");
        if (schema_expect_seq(vs, "values", d))
            return -1;
        q->key = xstrdup(key);
        q->op = (enum nsel_op)op;
        size_t nv = vs && !ynode_is_null(vs) ? vs->n : 0;
        q->values = xcalloc(nv ? nv : 1, sizeof *q->values);
        (*n)++;
        for (size_t j = 0; j < nv; j++) {
            const char *v;
            if (schema_string(vs->items[j], "values[]", &v, d))
                return -1;
            q->values[q->nvalues++] = xstrdup(v);
        }
        nsel_req_prepare(q, field);
    }
    return 0;
}

static int read_term(const struct ynode *t, const char *where, struct nsel_term *out,
                     struct diag *d)
{
    memset(out, 0, sizeof *out);
    if (ynode_is_null(t))
        return 0;
    if (schema_check_keys(t, where, term_keys, d))
        return -1;
    if (read_reqs(ynode_get(t, "matchExpressions"), "matchExpressions", 0, &out->exprs,
                  &out->nexprs, d))
        return -1;
    return read_reqs(ynode_get(t, "matchFields"), "matchFields", 1, &out->fields, &out->nfields, d);
}

int manifest_read_node_affinity(const struct ynode *na, const char *where,
                                struct node_affinity *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    if (!na || ynode_is_null(na))
        return 0;
    if (schema_check_keys(na, where, na_keys, d))
        return -1;
    const struct ynode *req = ynode_get(na, "requiredDuringSchedulingIgnoredDuringExecution");
    if (req && !ynode_is_null(req)) {
        if (schema_check_keys(req, "requiredDuringSchedulingIgnoredDuringExecution", required_keys,
                              d))
            return -1;
        const struct ynode *terms = ynode_get(req, "nodeSelectorTerms");
        if (schema_expect_seq(terms, "nodeSelectorTerms", d))
            return -1;
        out->has_required = 1;
        size_t nt = terms && !ynode_is_null(terms) ? terms->n : 0;
        out->required = xcalloc(nt ? nt : 1, sizeof *out->required);
        for (size_t i = 0; i < nt; i++) {
            out->nrequired++;
            if (read_term(terms->items[i], "nodeSelectorTerms[]", &out->required[i], d))
                return -1;
        }
    }
    const struct ynode *pref = ynode_get(na, "preferredDuringSchedulingIgnoredDuringExecution");
    if (schema_expect_seq(pref, "preferredDuringSchedulingIgnoredDuringExecution", d))
        return -1;
    size_t np = pref && !ynode_is_null(pref) ? pref->n : 0;
    out->preferred = xcalloc(np ? np : 1, sizeof *out->preferred);
    for (size_t i = 0; i < np; i++) {
        const struct ynode *p = pref->items[i];
        int64_t w;
        if (schema_check_keys(p, "preferredDuringSchedulingIgnoredDuringExecution[]", pref_keys, d))
            return -1;
        const struct ynode *wn = schema_require(p, "preference", "weight", d);
        if (!wn || schema_int64(wn, "weight", 0, 100, &w, d))
            return -1;
        out->preferred[i].weight = (int32_t)w;
        out->npreferred++;
        const struct ynode *t = schema_require(p, "preferredDuringScheduling[]", "preference", d);
        if (!t || read_term(t, "preference", &out->preferred[i].term, d))
            return -1;
    }
    return 0;
}

/* normalizedImageName (imagelocality/image_locality.go): ":latest" when untagged. */
static char *normalized_image(const char *name)
{
    const char *colon = strrchr(name, ':'), *slash = strrchr(name, '/');
    if (!colon || (slash && colon < slash))
        return xasprintf("%s:latest", name);
    return xstrdup(name);
}

static const char *const proto_names[] = {"TCP", "UDP", "SCTP", NULL};

static int read_ports(const struct ynode *c, struct podspec *ps, struct diag *d)
{
    const struct ynode *ports = ynode_get(c, "ports");
    if (schema_expect_seq(ports, "ports", d))
        return -1;
    for (size_t i = 0; ports && !ynode_is_null(ports) && i < ports->n; i++) {
        const struct ynode *p = ports->items[i];
        if (schema_expect_map(p, "ports[]", d))
            return -1;
        int64_t hp = 0;
        const struct ynode *h = ynode_get(p, "hostPort");
        if (h && !ynode_is_null(h) && schema_int64(h, "hostPort", 0, 65535, &hp, d))
            return -1;
        int proto = PROTO_TCP;
        const struct ynode *pr = ynode_get(p, "protocol");
        if (pr && !ynode_is_null(pr) && schema_enum(pr, "protocol", proto_names, &proto, d))
            return -1;
        const char *ip = "";
        const struct ynode *ipn = ynode_get(p, "hostIP");
        if (ipn && !ynode_is_null(ipn) && schema_string(ipn, "hostIP", &ip, d))
            return -1;
        if (hp <= 0)
            continue;
        ps->ports = xrealloc(ps->ports, (ps->nports + 1) * sizeof *ps->ports);
        ps->ports[ps->nports++] =
            (struct host_port){xstrdup(ip), (int32_t)hp, (enum host_proto)proto};
    }
    return 0;
}

/*
 * cpu and memory of one container with the scoring defaults for a missing
 * key (PodRequests with NonMissingContainerRequests).
 */
static void nonzero_container(const struct ynode *c, int64_t out[2], struct resnames *rn)
{
    struct diag tmp;
    memset(&tmp, 0, sizeof tmp);
    out[0] = POD_DEFAULT_MILLI_CPU;
    out[1] = POD_DEFAULT_MEMORY;
    const struct ynode *reqs = ynode_get(ynode_get(c, "resources"), "requests");
    if (!reqs || reqs->kind != YNODE_MAP)
        return;
    struct resources r;
    /* Already validated by manifest_read_podspec; errors cannot happen here. */
    if (manifest_read_resources(reqs, "requests", rn, &r, &tmp))
        return;
    if (ynode_get(reqs, "cpu"))
        out[0] = r.v[RES_CPU];
    if (ynode_get(reqs, "memory"))
        out[1] = r.v[RES_MEMORY];
}

static int is_sidecar(const struct ynode *ic)
{
    const struct ynode *rp = ynode_get(ic, "restartPolicy");
    return rp && rp->kind == YNODE_SCALAR && strcmp(rp->str, "Always") == 0;
}

static void max2(int64_t a[2], const int64_t b[2])
{
    for (int i = 0; i < 2; i++)
        if (b[i] > a[i])
            a[i] = b[i];
}

/* The same combination as manifest_read_podspec, for the non-zero cpu and memory. */
static void nonzero_requests(const struct ynode *spec, struct resnames *rn, struct podspec *ps)
{
    int64_t sum[2] = {0, 0}, one[2], side[2] = {0, 0}, peak[2] = {0, 0};
    const struct ynode *cs = ynode_get(spec, "containers");
    for (size_t i = 0; cs && cs->kind == YNODE_SEQ && i < cs->n; i++) {
        nonzero_container(cs->items[i], one, rn);
        sum[0] += one[0], sum[1] += one[1];
    }
    const struct ynode *ics = ynode_get(spec, "initContainers");
    for (size_t i = 0; ics && ics->kind == YNODE_SEQ && i < ics->n; i++) {
        nonzero_container(ics->items[i], one, rn);
        if (is_sidecar(ics->items[i])) {
            side[0] += one[0], side[1] += one[1];
            max2(peak, side);
        } else {
            one[0] += side[0], one[1] += side[1];
            max2(peak, one);
        }
    }
    sum[0] += side[0], sum[1] += side[1];
    max2(sum, peak);
    ps->nonzero_cpu = sum[0];
    ps->nonzero_mem = sum[1];
    /* spec.overhead is added after the defaults, as PodRequests does. */
    struct resources oh;
    struct diag tmp;
    memset(&tmp, 0, sizeof tmp);
    if (manifest_read_resources(ynode_get(spec, "overhead"), "overhead", rn, &oh, &tmp) == 0) {
        ps->nonzero_cpu += oh.v[RES_CPU];
        ps->nonzero_mem += oh.v[RES_MEMORY];
    }
    ps->nonzero_known = 1;
}

static int read_images(const struct ynode *seq, struct podspec *ps, struct diag *d)
{
    for (size_t i = 0; seq && seq->kind == YNODE_SEQ && i < seq->n; i++) {
        ps->ncontainers++;
        const struct ynode *img = ynode_get(seq->items[i], "image");
        const char *name;
        if (!img || ynode_is_null(img))
            continue;
        if (schema_string(img, "image", &name, d))
            return -1;
        ps->images = xrealloc(ps->images, (ps->nimages + 1) * sizeof *ps->images);
        ps->images[ps->nimages++] = normalized_image(name);
    }
    return 0;
}

int manifest_read_pod_kube(const struct ynode *spec, struct resnames *rn, struct podspec *ps,
                           struct diag *d)
{
    const struct ynode *nn = ynode_get(spec, "nodeName");
    if (nn && !ynode_is_null(nn)) {
        const char *name;
        if (schema_string(nn, "nodeName", &name, d))
            return -1;
        if (*name)
            ps->node_name = xstrdup(name);
    }
    const struct ynode *aff = ynode_get(spec, "affinity");
    if (aff && !ynode_is_null(aff)) {
        if (schema_expect_map(aff, "affinity", d))
            return -1;
        if (manifest_read_node_affinity(ynode_get(aff, "nodeAffinity"), "nodeAffinity",
                                        &ps->affinity, d))
            return -1;
    }
    const struct ynode *cs = ynode_get(spec, "containers");
    for (size_t i = 0; cs && cs->kind == YNODE_SEQ && i < cs->n; i++)
        if (read_ports(cs->items[i], ps, d))
            return -1;
    if (read_images(ynode_get(spec, "initContainers"), ps, d) ||
        read_images(ynode_get(spec, "containers"), ps, d))
        return -1;
    nonzero_requests(spec, rn, ps);
    return 0;
}

static const char *const image_keys[] = {"names", "sizeBytes", NULL};

int manifest_read_node_images(const struct ynode *status, struct manifest_node *out, struct diag *d)
{
    const struct ynode *imgs = ynode_get(status, "images");
    if (schema_expect_seq(imgs, "images", d))
        return -1;
    for (size_t i = 0; imgs && !ynode_is_null(imgs) && i < imgs->n; i++) {
        const struct ynode *im = imgs->items[i];
        int64_t size = 0;
        if (schema_check_keys(im, "images[]", image_keys, d))
            return -1;
        const struct ynode *sz = ynode_get(im, "sizeBytes");
        if (sz && !ynode_is_null(sz) && schema_int64(sz, "sizeBytes", 0, INT64_MAX, &size, d))
            return -1;
        const struct ynode *names = ynode_get(im, "names");
        if (schema_expect_seq(names, "names", d))
            return -1;
        for (size_t j = 0; names && !ynode_is_null(names) && j < names->n; j++) {
            const char *nm;
            if (schema_string(names->items[j], "names[]", &nm, d))
                return -1;
            out->images = xrealloc(out->images, (out->nimages + 1) * sizeof *out->images);
            out->images[out->nimages++] = (struct node_image){xstrdup(nm), size};
        }
    }
    return 0;
}
