#include "sim/io/output/whypending.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

/* One distinct reason text. */
struct reason {
    char *text;
    uint64_t attempts;
    uint64_t pods;
    int64_t nodes_max;
};

/* One distinct set of reasons (sorted ids), interned so pods can share it. */
struct rset {
    uint32_t *ids;
    size_t n;
    uint64_t hash;
};

/* What we know of one pod slot. */
struct podrec {
    uint32_t gen; /* the generation the record belongs to (0: none) */
    int32_t seen; /* set id: every reason the pod has had */
    int32_t last; /* set id: its last failed attempt's reasons */
};

struct whypending {
    struct reason *reasons;
    size_t nreasons, reasons_cap;
    int32_t *rindex; /* open addressing over reasons, -1 empty; size a power of two */
    size_t rindex_size;

    struct rset *sets;
    size_t nsets, sets_cap;
    int32_t *sindex;
    size_t sindex_size;

    struct podrec *pods;
    size_t npods;

    /* the previous attempt's message, its set and its counts, to skip reparsing */
    char *last_msg;
    int32_t last_set;
    int64_t *last_counts; /* count of each id of the last set, in set order */

    /* scratch while parsing one message */
    uint32_t *scratch_ids;
    int64_t *scratch_counts;
    size_t nscratch, scratch_cap;
};

static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

#define HASH_SEED 14695981039346656037ull

struct whypending *whypending_new(void)
{
    struct whypending *w = xcalloc(1, sizeof *w);
    w->last_set = -1;
    return w;
}

void whypending_free(struct whypending *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nreasons; i++)
        free(w->reasons[i].text);
    free(w->reasons);
    free(w->rindex);
    for (size_t i = 0; i < w->nsets; i++)
        free(w->sets[i].ids);
    free(w->sets);
    free(w->sindex);
    free(w->pods);
    free(w->last_msg);
    free(w->last_counts);
    free(w->scratch_ids);
    free(w->scratch_counts);
    free(w);
}

/* Doubles an index table and reinserts every entry (hash_of gives an entry's hash). */
static void rehash(int32_t **index, size_t *size, size_t n, uint64_t (*hash_of)(void *, int32_t),
                   void *ctx)
{
    size_t ns = *size ? *size * 2 : 64;
    while (ns < 2 * (n + 1))
        ns *= 2;
    int32_t *t = xmalloc(ns * sizeof *t);
    memset(t, 0xff, ns * sizeof *t);
    for (size_t i = 0; i < n; i++) {
        size_t h = (size_t)hash_of(ctx, (int32_t)i) & (ns - 1);
        while (t[h] >= 0)
            h = (h + 1) & (ns - 1);
        t[h] = (int32_t)i;
    }
    free(*index);
    *index = t;
    *size = ns;
}

static uint64_t reason_hash(void *ctx, int32_t id)
{
    const struct whypending *w = ctx;
    const char *t = w->reasons[id].text;
    return hash_bytes(t, strlen(t), HASH_SEED);
}

static uint64_t set_hash(void *ctx, int32_t id)
{
    const struct whypending *w = ctx;
    return w->sets[id].hash;
}

static uint32_t intern_reason(struct whypending *w, const char *text, size_t len)
{
    if (2 * (w->nreasons + 1) > w->rindex_size)
        rehash(&w->rindex, &w->rindex_size, w->nreasons, reason_hash, w);
    size_t mask = w->rindex_size - 1, h = (size_t)hash_bytes(text, len, HASH_SEED) & mask;
    for (; w->rindex[h] >= 0; h = (h + 1) & mask) {
        const char *t = w->reasons[w->rindex[h]].text;
        if (strncmp(t, text, len) == 0 && t[len] == '\0')
            return (uint32_t)w->rindex[h];
    }
    xgrow((void **)&w->reasons, &w->reasons_cap, w->nreasons + 1, sizeof *w->reasons);
    w->reasons[w->nreasons] = (struct reason){.text = xstrndup(text, len)};
    w->rindex[h] = (int32_t)w->nreasons;
    return (uint32_t)w->nreasons++;
}

/* Interns the sorted, duplicate-free id list ids[0..n). */
static int32_t intern_set(struct whypending *w, const uint32_t *ids, size_t n)
{
    if (2 * (w->nsets + 1) > w->sindex_size)
        rehash(&w->sindex, &w->sindex_size, w->nsets, set_hash, w);
    uint64_t hv = hash_bytes(ids, n * sizeof *ids, HASH_SEED);
    size_t mask = w->sindex_size - 1, h = (size_t)hv & mask;
    for (; w->sindex[h] >= 0; h = (h + 1) & mask) {
        const struct rset *s = &w->sets[w->sindex[h]];
        if (s->hash == hv && s->n == n && (n == 0 || memcmp(s->ids, ids, n * sizeof *ids) == 0))
            return w->sindex[h];
    }
    xgrow((void **)&w->sets, &w->sets_cap, w->nsets + 1, sizeof *w->sets);
    struct rset *s = &w->sets[w->nsets];
    s->ids = xmalloc((n ? n : 1) * sizeof *ids);
    if (n)
        memcpy(s->ids, ids, n * sizeof *ids);
    s->n = n;
    s->hash = hv;
    w->sindex[h] = (int32_t)w->nsets;
    return (int32_t)w->nsets++;
}

/* The union of two interned sets, interned. */
static int32_t set_union(struct whypending *w, int32_t a, int32_t b)
{
    if (a < 0 || a == b)
        return b;
    const struct rset *sa = &w->sets[a], *sb = &w->sets[b];
    uint32_t *u = xmalloc((sa->n + sb->n + 1) * sizeof *u);
    size_t i = 0, j = 0, n = 0;
    while (i < sa->n || j < sb->n) {
        if (j == sb->n || (i < sa->n && sa->ids[i] < sb->ids[j]))
            u[n++] = sa->ids[i++];
        else if (i == sa->n || sb->ids[j] < sa->ids[i])
            u[n++] = sb->ids[j++];
        else {
            u[n++] = sa->ids[i++];
            j++;
        }
    }
    int32_t id = intern_set(w, u, n);
    free(u);
    return id;
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Whether s starts a "count reason" item: digits then a space. */
static int counted(const char *s, const char *end)
{
    const char *p = s;
    while (p < end && is_digit(*p))
        p++;
    return p > s && p < end && *p == ' ';
}

static void emit_item(const char *s, const char *end, whypending_fn fn, void *ctx)
{
    int64_t count = 0;
    if (counted(s, end)) {
        for (; is_digit(*s); s++)
            count = count * 10 + (*s - '0');
        s++;
    }
    fn(s, (size_t)(end - s), count, ctx);
}

size_t whypending_split(const char *msg, whypending_fn fn, void *ctx)
{
    static const char mark[] = " nodes are available: ";
    const char *p = strstr(msg, mark);
    if (!p || !is_digit(msg[0])) {
        fn(msg, strlen(msg), 0, ctx);
        return 1;
    }
    p += sizeof mark - 1;
    /* The histogram ends at ". " (a PostFilter message follows) or at the final ".". */
    const char *end = strstr(p, ". ");
    if (!end) {
        end = p + strlen(p);
        if (end > p && end[-1] == '.')
            end--;
    }
    size_t n = 0;
    const char *item = p;
    for (const char *q = p; q < end; q++) {
        if (q[0] == ',' && q + 1 < end && q[1] == ' ' && counted(q + 2, end)) {
            emit_item(item, q, fn, ctx);
            n++;
            item = q + 2;
        }
    }
    if (item < end) {
        emit_item(item, end, fn, ctx);
        n++;
    }
    return n;
}

static void collect(const char *reason, size_t len, int64_t count, void *ctx)
{
    struct whypending *w = ctx;
    uint32_t id = intern_reason(w, reason, len);
    /* Insertion sort by id: a message has a handful of reasons. */
    xgrow((void **)&w->scratch_ids, &w->scratch_cap, w->nscratch + 1, sizeof *w->scratch_ids);
    w->scratch_counts = xrealloc(w->scratch_counts, w->scratch_cap * sizeof *w->scratch_counts);
    size_t i = w->nscratch;
    for (size_t k = 0; k < w->nscratch; k++) {
        if (w->scratch_ids[k] == id) {
            w->scratch_counts[k] += count;
            return;
        }
    }
    while (i > 0 && w->scratch_ids[i - 1] > id) {
        w->scratch_ids[i] = w->scratch_ids[i - 1];
        w->scratch_counts[i] = w->scratch_counts[i - 1];
        i--;
    }
    w->scratch_ids[i] = id;
    w->scratch_counts[i] = count;
    w->nscratch++;
}

/* The set (and per-id counts in w->last_counts) of msg; reparsed only when msg changes. */
static int32_t message_set(struct whypending *w, const char *msg)
{
    if (w->last_msg && strcmp(w->last_msg, msg) == 0)
        return w->last_set;
    w->nscratch = 0;
    whypending_split(msg, collect, w);
    w->last_set = intern_set(w, w->scratch_ids, w->nscratch);
    free(w->last_msg);
    w->last_msg = xstrdup(msg);
    free(w->last_counts);
    w->last_counts = xmalloc((w->nscratch ? w->nscratch : 1) * sizeof *w->last_counts);
    if (w->nscratch)
        memcpy(w->last_counts, w->scratch_counts, w->nscratch * sizeof *w->last_counts);
    return w->last_set;
}

void whypending_attempt(struct whypending *w, int32_t pod, uint32_t gen, const char *msg)
{
    int32_t set = message_set(w, msg);
    if ((size_t)pod >= w->npods) {
        size_t n = w->npods ? w->npods : 64;
        while (n <= (size_t)pod)
            n *= 2;
        w->pods = xrealloc(w->pods, n * sizeof *w->pods);
        memset(w->pods + w->npods, 0, (n - w->npods) * sizeof *w->pods);
        w->npods = n;
    }
    struct podrec *pr = &w->pods[pod];
    if (pr->gen != gen) {
        pr->gen = gen;
        pr->seen = -1;
    }
    int32_t seen = set_union(w, pr->seen, set);
    const struct rset *s = &w->sets[set]; /* after set_union, which may move the sets */
    for (size_t i = 0; i < s->n; i++) {
        struct reason *r = &w->reasons[s->ids[i]];
        r->attempts++;
        if (w->last_counts[i] > r->nodes_max)
            r->nodes_max = w->last_counts[i];
    }
    if (seen != pr->seen) {
        /* The reasons new to this pod are those of seen that the old seen lacks. */
        const struct rset *old = pr->seen >= 0 ? &w->sets[pr->seen] : NULL;
        const struct rset *nw = &w->sets[seen];
        size_t j = 0;
        for (size_t i = 0; i < nw->n; i++) {
            while (old && j < old->n && old->ids[j] < nw->ids[i])
                j++;
            if (!old || j == old->n || old->ids[j] != nw->ids[i])
                w->reasons[nw->ids[i]].pods++;
        }
        pr->seen = seen;
    }
    pr->last = set;
}

struct order {
    const struct reason *r;
    uint64_t pending;
};

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->r->attempts != y->r->attempts)
        return x->r->attempts > y->r->attempts ? -1 : 1;
    return strcmp(x->r->text, y->r->text);
}

struct cJSON *whypending_json(const struct whypending *w, const struct cluster *c)
{
    struct order *ord = xcalloc(w->nreasons ? w->nreasons : 1, sizeof *ord);
    for (size_t i = 0; i < w->nreasons; i++)
        ord[i].r = &w->reasons[i];
    for (size_t p = 0; p < w->npods && p < c->npods; p++) {
        const struct podrec *pr = &w->pods[p];
        if (!pr->gen || c->pods[p].gen != pr->gen || c->pods[p].phase != POD_PENDING)
            continue;
        const struct rset *s = &w->sets[pr->last];
        for (size_t i = 0; i < s->n; i++)
            ord[s->ids[i]].pending++;
    }
    qsort(ord, w->nreasons, sizeof *ord, cmp_order);
    cJSON *j = cJSON_CreateObject();
    for (size_t i = 0; i < w->nreasons; i++) {
        cJSON *r = cJSON_AddObjectToObject(j, ord[i].r->text);
        cJSON_AddNumberToObject(r, "attempts", (double)ord[i].r->attempts);
        cJSON_AddNumberToObject(r, "pods", (double)ord[i].r->pods);
        cJSON_AddNumberToObject(r, "pending_at_end", (double)ord[i].pending);
        cJSON_AddNumberToObject(r, "nodes_max", (double)ord[i].r->nodes_max);
    }
    free(ord);
    return j;
}
