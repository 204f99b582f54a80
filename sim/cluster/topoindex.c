#include "sim/cluster/topoindex.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/*
 * Open-addressing hash of uint64 keys to int32 counts (linear probing,
 * never deleted: the keys are (owner, node) and (owner, key, domain)
 * combinations that have held a pod, so their number is bounded by history).
 */
struct cmap {
    uint64_t *keys; /* 0 = empty; stored keys are +1 */
    int32_t *vals;
    size_t cap, n;
};

static size_t cmap_slot(const struct cmap *m, uint64_t k)
{
    uint64_t h = k * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void cmap_grow(struct cmap *m)
{
    struct cmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.keys[i])
            continue;
        size_t j = cmap_slot(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
    }
    free(old.keys);
    free(old.vals);
}

static void cmap_add(struct cmap *m, uint64_t k, int32_t delta)
{
    k++;
    if (2 * (m->n + 1) > m->cap)
        cmap_grow(m);
    size_t i = cmap_slot(m, k);
    if (!m->keys[i]) {
        m->keys[i] = k;
        m->n++;
    }
    m->vals[i] += delta;
}

static int32_t cmap_get(const struct cmap *m, uint64_t k)
{
    if (!m->cap)
        return 0;
    size_t i = cmap_slot(m, k + 1);
    return m->keys[i] ? m->vals[i] : 0;
}

/* One interned topology key: its values, and each node's domain. */
struct tkey {
    char *name;
    char **values; /* by domain id */
    size_t nvalues, values_cap;
    int32_t *slots; /* open-addressing table of domain id + 1, by value hash */
    size_t nslots;
    int32_t *dom;   /* by node id; -1: no label */
    int32_t *alive; /* by domain: alive nodes in it */
    size_t alive_cap;
    size_t labelled;        /* alive nodes with the key: the sum of alive[] */
    size_t nnodes, dom_cap; /* nodes read so far */
};

/* Dense per-node counts of one owner, for owners the scheduler asks about. */
struct dense {
    int32_t *v;
    size_t n;
};

struct topoindex {
    const struct cluster *c;
    struct tkey *keys;
    size_t nkeys, keys_cap;
    struct cmap counts;
    struct dense *dense; /* by owner; v == NULL until first asked */
    size_t ndense;
};

#define NODE_SLOT  0xFFu      /* the "key" part of (owner, node) entries */
#define ANY_DOMAIN 0xFFFFFFFF /* (owner, key, ANY_DOMAIN): pods on nodes that have the key */

static uint64_t pack(int32_t owner, unsigned k, int32_t x)
{
    return (uint64_t)(uint32_t)owner << 40 | (uint64_t)k << 32 | (uint32_t)x;
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t value_slot(const struct tkey *k, const char *v)
{
    size_t i = (size_t)str_hash(v) & (k->nslots - 1);
    while (k->slots[i] && strcmp(k->values[k->slots[i] - 1], v) != 0)
        i = (i + 1) & (k->nslots - 1);
    return i;
}

static int32_t intern_value(struct tkey *k, const char *v)
{
    if (2 * (k->nvalues + 1) > k->nslots) {
        free(k->slots);
        k->nslots = k->nslots ? 2 * k->nslots : 64;
        k->slots = xcalloc(k->nslots, sizeof *k->slots);
        for (size_t i = 0; i < k->nvalues; i++)
            k->slots[value_slot(k, k->values[i])] = (int32_t)i + 1;
    }
    size_t slot = value_slot(k, v);
    if (k->slots[slot])
        return k->slots[slot] - 1;
    xgrow((void **)&k->values, &k->values_cap, k->nvalues + 1, sizeof *k->values);
    k->values[k->nvalues] = xstrdup(v);
    k->slots[slot] = (int32_t)k->nvalues + 1;
    return (int32_t)k->nvalues++;
}

/* Reads the domains of nodes added since the last call. */
static void catch_up(struct topoindex *ti, struct tkey *k)
{
    const struct cluster *c = ti->c;
    if (k->nnodes == c->nnodes)
        return;
    xgrow((void **)&k->dom, &k->dom_cap, c->nnodes, sizeof *k->dom);
    for (size_t n = k->nnodes; n < c->nnodes; n++) {
        const char *v = labelset_get(&c->nodes[n].labels, k->name);
        k->dom[n] = v ? intern_value(k, v) : -1;
        if (k->nvalues > k->alive_cap) {
            size_t old = k->alive_cap;
            xgrow((void **)&k->alive, &k->alive_cap, k->nvalues, sizeof *k->alive);
            memset(k->alive + old, 0, (k->alive_cap - old) * sizeof *k->alive);
        }
        if (k->dom[n] >= 0 && c->nodes[n].alive) {
            k->alive[k->dom[n]]++;
            k->labelled++;
        }
    }
    k->nnodes = c->nnodes;
}

int32_t topoindex_domain(struct topoindex *ti, int k, int32_t node)
{
    struct tkey *key = &ti->keys[k];
    if ((size_t)node >= key->nnodes)
        catch_up(ti, key);
    return key->dom[node];
}

/* Grows owner's dense array (when it has one) to cover nodes [0, n). */
static void dense_cover(struct dense *d, size_t n)
{
    if (n <= d->n)
        return;
    size_t cap = n < 2 * d->n ? 2 * d->n : n;
    d->v = xrealloc(d->v, cap * sizeof *d->v);
    memset(d->v + d->n, 0, (cap - d->n) * sizeof *d->v);
    d->n = cap;
}

void topoindex_pod_moved(struct topoindex *ti, int32_t owner, int32_t node, int delta)
{
    cmap_add(&ti->counts, pack(owner, NODE_SLOT, node), delta);
    if ((size_t)owner < ti->ndense && ti->dense[owner].v) {
        dense_cover(&ti->dense[owner], (size_t)node + 1);
        ti->dense[owner].v[node] += delta;
    }
    for (size_t k = 0; k < ti->nkeys; k++) {
        int32_t d = topoindex_domain(ti, (int)k, node);
        if (d >= 0) {
            cmap_add(&ti->counts, pack(owner, (unsigned)k, d), delta);
            cmap_add(&ti->counts, pack(owner, (unsigned)k, (int32_t)ANY_DOMAIN), delta);
        }
    }
}

struct topoindex *topoindex_of(const struct cluster *c)
{
    if (c->topo)
        return c->topo;
    struct topoindex *ti = xcalloc(1, sizeof *ti);
    ti->c = c;
    for (size_t p = 0; p < c->npods; p++)
        if (c->pods[p].phase != POD_DELETED && c->pods[p].node >= 0)
            cmap_add(&ti->counts, pack(c->pods[p].owner, NODE_SLOT, c->pods[p].node), 1);
    ((struct cluster *)c)->topo = ti; /* a cache: see topoindex_of */
    return ti;
}

void topoindex_free(struct topoindex *ti)
{
    if (!ti)
        return;
    for (size_t i = 0; i < ti->nkeys; i++) {
        struct tkey *k = &ti->keys[i];
        free(k->name);
        for (size_t j = 0; j < k->nvalues; j++)
            free(k->values[j]);
        free(k->values);
        free(k->slots);
        free(k->alive);
        free(k->dom);
    }
    free(ti->keys);
    for (size_t i = 0; i < ti->ndense; i++)
        free(ti->dense[i].v);
    free(ti->dense);
    free(ti->counts.keys);
    free(ti->counts.vals);
    free(ti);
}

int topoindex_key(struct topoindex *ti, const char *key)
{
    for (size_t i = 0; i < ti->nkeys; i++)
        if (strcmp(ti->keys[i].name, key) == 0)
            return (int)i;
    if (ti->nkeys >= NODE_SLOT)
        BUG("too many topology keys");
    xgrow((void **)&ti->keys, &ti->keys_cap, ti->nkeys + 1, sizeof *ti->keys);
    struct tkey *k = &ti->keys[ti->nkeys];
    memset(k, 0, sizeof *k);
    k->name = xstrdup(key);
    int id = (int)ti->nkeys++;
    catch_up(ti, k);
    const struct cluster *c = ti->c;
    for (size_t p = 0; p < c->npods; p++) {
        const struct pod *pp = &c->pods[p];
        if (pp->phase != POD_DELETED && pp->node >= 0 && k->dom[pp->node] >= 0) {
            cmap_add(&ti->counts, pack(pp->owner, (unsigned)id, k->dom[pp->node]), 1);
            cmap_add(&ti->counts, pack(pp->owner, (unsigned)id, (int32_t)ANY_DOMAIN), 1);
        }
    }
    return id;
}

size_t topoindex_ndomains(const struct topoindex *ti, int k)
{
    return ti->keys[k].nvalues;
}

size_t topoindex_nkeys(const struct topoindex *ti)
{
    return ti->nkeys;
}

int32_t topoindex_owner_on_node(const struct topoindex *ti, int32_t owner, int32_t node)
{
    return cmap_get(&ti->counts, pack(owner, NODE_SLOT, node));
}

int32_t topoindex_owner_in_domain(const struct topoindex *ti, int32_t owner, int k, int32_t dom)
{
    return cmap_get(&ti->counts, pack(owner, (unsigned)k, dom));
}

const int32_t *topoindex_domains(struct topoindex *ti, int k)
{
    catch_up(ti, &ti->keys[k]);
    return ti->keys[k].dom;
}

const int32_t *topoindex_owner_nodes(struct topoindex *ti, int32_t owner)
{
    if ((size_t)owner >= ti->ndense) {
        size_t old = ti->ndense;
        xgrow((void **)&ti->dense, &ti->ndense, (size_t)owner + 1, sizeof *ti->dense);
        memset(ti->dense + old, 0, (ti->ndense - old) * sizeof *ti->dense);
    }
    struct dense *d = &ti->dense[owner];
    if (!d->v) {
        const struct cluster *c = ti->c;
        d->n = 0;
        dense_cover(d, c->nnodes ? c->nnodes : 1);
        for (int32_t p = c->owners[owner].pods_head; p >= 0; p = c->pods[p].owner_next)
            if (c->pods[p].node >= 0)
                d->v[c->pods[p].node]++;
    }
    dense_cover(d, ti->c->nnodes);
    return d->v;
}

int32_t topoindex_owner_with_key(const struct topoindex *ti, int32_t owner, int k)
{
    return cmap_get(&ti->counts, pack(owner, (unsigned)k, (int32_t)ANY_DOMAIN));
}

void topoindex_node_removed(struct topoindex *ti, int32_t node)
{
    for (size_t i = 0; i < ti->nkeys; i++) {
        struct tkey *k = &ti->keys[i];
        if ((size_t)node < k->nnodes && k->dom[node] >= 0) {
            k->alive[k->dom[node]]--;
            k->labelled--;
        }
    }
}

const int32_t *topoindex_domain_nodes(struct topoindex *ti, int k)
{
    catch_up(ti, &ti->keys[k]);
    return ti->keys[k].alive;
}

size_t topoindex_labelled(struct topoindex *ti, int k)
{
    catch_up(ti, &ti->keys[k]);
    return ti->keys[k].labelled;
}
