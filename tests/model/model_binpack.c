/*
 * Model tests for the bin-packing family (first-fit, next-fit, best-fit,
 * worst-fit, dot-product, random), their index (shapeindex) and its exact
 * arithmetic (fracsum), against brute-force references under seeded random
 * operations on a live cluster (fixed seeds, GSL mt19937, so every run sees
 * the same sequence). The capacity index under first-fit, next-fit and
 * random is tested alone in model_capindex.c.
 *
 * The references are written here, independently of the code under test:
 * scores are exact fractions in unsigned 128-bit integers compared by 256-bit
 * cross products (the worlds below keep every product of allocatables under
 * 2^126), nodes are scanned in id order with placement_feasible.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/placement/fracsum.h"
#include "models/placement/placement.h"
#include "models/placement/shapeindex.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

typedef unsigned __int128 u128;

static gsl_rng *seeded(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

static int64_t pick(gsl_rng *r, const int64_t *v, size_t n)
{
    return v[gsl_rng_uniform_int(r, n)];
}

/* ---- exact fractions for the references ---- */

/* a · b as a 256-bit number hi · 2^128 + lo. */
static void mul256(u128 a, u128 b, u128 *hi, u128 *lo)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
    uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    *lo = (mid << 64) | (uint64_t)p00;
    *hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

/* A non-negative fraction n / d, d > 0. */
struct frac {
    u128 n, d;
};

static int frac_cmp(struct frac a, struct frac b)
{
    u128 h1, l1, h2, l2;
    mul256(a.n, b.d, &h1, &l1);
    mul256(b.n, a.d, &h2, &l2);
    if (h1 != h2)
        return h1 < h2 ? -1 : 1;
    if (l1 != l2)
        return l1 < l2 ? -1 : 1;
    return 0;
}

/* f += num / den, all non-negative, failing the test when 128 bits would overflow. */
static void frac_add(struct frac *f, u128 num, u128 den)
{
    const u128 lim = (u128)1 << 126;
    if (f->d > lim / den || f->n > lim / den || num > lim / f->d)
        fail_msg("reference fraction overflow: keep the test world's numbers smaller");
    f->n = f->n * den + num * f->d;
    f->d *= den;
}

/* ---- fracsum against the 256-bit reference ---- */

/* sum(x) - sum(y) as two non-negative sides, moving negative terms across. */
static int ref_cmp(const struct fracterm *x, int nx, const struct fracterm *y, int ny)
{
    struct frac side[2] = {{0, 1}, {0, 1}};
    for (int i = 0; i < nx + ny; i++) {
        const struct fracterm *t = i < nx ? &x[i] : &y[i - nx];
        int neg = (i >= nx) ^ (t->a < 0) ^ (t->b < 0);
        u128 a = (u128)(t->a < 0 ? -t->a : t->a), b = (u128)(t->b < 0 ? -t->b : t->b);
        frac_add(&side[neg], a * b, (u128)t->c * (u128)t->d);
    }
    return frac_cmp(side[0], side[1]);
}

static int64_t rnd_signed(gsl_rng *r, unsigned bits)
{
    int64_t v = (int64_t)gsl_rng_uniform_int(r, 1ul << bits);
    return gsl_rng_uniform_int(r, 3) == 0 ? -v : v;
}

static void test_fracsum_vs_reference(void **state)
{
    (void)state;
    gsl_rng *r = seeded(7);
    for (int it = 0; it < 200000; it++) {
        struct fracterm x[4], y[4];
        int nx = (int)gsl_rng_uniform_int(r, 4), ny = (int)gsl_rng_uniform_int(r, 4);
        unsigned bits = it % 2 ? 4 : 13; /* small numbers tie often */
        for (int i = 0; i < nx + ny; i++) {
            struct fracterm *t = i < nx ? &x[i] : &y[i - nx];
            t->a = rnd_signed(r, bits);
            t->b = gsl_rng_uniform_int(r, 4) ? 1 : rnd_signed(r, 4);
            t->c = 1 + (int64_t)gsl_rng_uniform_int(r, 1ul << (bits / 2 + 1));
            t->d = gsl_rng_uniform_int(r, 2) ? 1 : t->c;
        }
        /* Sometimes the same value written another way: a/c == (a·k)/(c·k). */
        if (nx && gsl_rng_uniform_int(r, 4) == 0) {
            ny = nx;
            for (int i = 0; i < nx; i++) {
                int64_t k = 1 + (int64_t)gsl_rng_uniform_int(r, 5);
                y[i] = (struct fracterm){x[i].a * k, x[i].b, x[i].c * k, x[i].d};
            }
            if (gsl_rng_uniform_int(r, 2))
                y[0].a += gsl_rng_uniform_int(r, 2) ? 1 : -1;
        }
        int want = ref_cmp(x, nx, y, ny), got = fracsum_cmp(x, nx, y, ny);
        if (want != got)
            fail_msg("iteration %d: fracsum_cmp %d, reference %d", it, got, want);
    }
    gsl_rng_free(r);
}

/* Values far beyond doubles' precision, where only the exact path can tell. */
static void test_fracsum_extremes(void **state)
{
    (void)state;
    const int64_t big = INT64_MAX, p53 = (int64_t)1 << 53;
    struct fracterm x1[] = {{p53 + 1, 1, 1, 1}}, y1[] = {{p53, 1, 1, 1}};
    assert_int_equal(fracsum_cmp(x1, 1, y1, 1), 1);
    assert_int_equal(fracsum_cmp(y1, 1, x1, 1), -1);
    /* 1/3 + 1/3 + 1/3 == 1 */
    struct fracterm x2[] = {{1, 1, 3, 1}, {1, 1, 3, 1}, {1, 1, 1, 3}}, y2[] = {{7, 1, 7, 1}};
    assert_int_equal(fracsum_cmp(x2, 3, y2, 1), 0);
    /* (2^62 · 3) / (2^61 · 3) == 2, and one more in the numerator is more. */
    struct fracterm x3[] = {{(int64_t)1 << 62, 3, (int64_t)1 << 61, 3}}, y3[] = {{2, 1, 1, 1}};
    assert_int_equal(fracsum_cmp(x3, 1, y3, 1), 0);
    x3[0].a++;
    assert_int_equal(fracsum_cmp(x3, 1, y3, 1), 1);
    /* big/big^2 + (big-1)/big^2 vs (2 big - 1)/big^2, and the same minus 1/big^2 */
    struct fracterm x4[] = {{big, 1, big, big}, {big - 1, 1, big, big}};
    struct fracterm y4[] = {{2, 1, big, 1}, {-1, 1, big, big}};
    assert_int_equal(fracsum_cmp(x4, 2, y4, 2), 0);
    y4[1].a = -2;
    assert_int_equal(fracsum_cmp(x4, 2, y4, 2), 1);
    /* INT64_MIN's magnitude */
    struct fracterm x5[] = {{INT64_MIN, 1, 1, 1}, {big, 1, 1, 1}}, y5[] = {{-1, 1, 1, 1}};
    assert_int_equal(fracsum_cmp(x5, 2, y5, 1), 0);
    /* Antisymmetry and adding the same terms on both sides, on large random values. */
    gsl_rng *r = seeded(8);
    for (int it = 0; it < 20000; it++) {
        struct fracterm x[6], y[6];
        int nx = 1 + (int)gsl_rng_uniform_int(r, 3), ny = 1 + (int)gsl_rng_uniform_int(r, 3);
        for (int i = 0; i < nx + ny; i++) {
            struct fracterm *t = i < nx ? &x[i] : &y[i - nx];
            t->a = (int64_t)(gsl_rng_get(r) << 31 ^ gsl_rng_get(r)) - ((int64_t)1 << 62);
            t->b = 1 + (int64_t)gsl_rng_get(r);
            t->c = 1 + (int64_t)(gsl_rng_get(r) << 30 ^ gsl_rng_get(r));
            t->d = 1 + (int64_t)gsl_rng_get(r);
        }
        int s = fracsum_cmp(x, nx, y, ny);
        assert_int_equal(fracsum_cmp(y, ny, x, nx), -s);
        assert_int_equal(fracsum_cmp(x, nx, x, nx), 0);
        struct fracterm z = {(int64_t)gsl_rng_get(r), 3, 1 + (int64_t)gsl_rng_get(r), 7};
        x[nx] = z;
        y[ny] = z;
        assert_int_equal(fracsum_cmp(x, nx + 1, y, ny + 1), s);
        /* The same value split in two terms: a/c == (a - k)/c + k/c. */
        struct fracterm w[2] = {{x[0].a - 12345, x[0].b, x[0].c, x[0].d},
                                {12345, x[0].b, x[0].c, x[0].d}};
        assert_int_equal(fracsum_cmp(x, 1, w, 2), 0);
    }
    gsl_rng_free(r);
}

/* ---- the policies on a live cluster, against brute-force scans ---- */

enum { TRIALS = 16 }; /* random.c's rejection-sampling draws before it enumerates */

enum kind { FIRST_FIT, NEXT_FIT, BEST_FIT, WORST_FIT, DOT_PRODUCT, RANDOM };

static const char *const kind_name[] = {"first-fit", "next-fit",    "best-fit",
                                        "worst-fit", "dot-product", "random"};

/* The policies that pick by score, through a shape index the test also drives directly. */
static int scored(enum kind kind)
{
    return kind == BEST_FIT || kind == WORST_FIT || kind == DOT_PRODUCT;
}

struct world {
    gsl_rng *r;      /* the operations */
    gsl_rng *policy; /* the policy's stream (random) */
    struct cluster *c;
    enum kind kind;
    struct placement p;
    struct shapeindex *x; /* the same mode's index, driven directly (scored policies) */
    int32_t last;         /* next-fit's last chosen node, as the reference sees it */
    int32_t *bound;
    size_t nbound, cap;
    int fpga;     /* extended resource dimension */
    int late;     /* a second extended resource, named mid-run (-1 before) */
    int variety;  /* 0: few node shapes (long sorted runs), 1: many */
    int positive; /* every pod asks for some cpu and memory */
    unsigned long placed, unplaced, ties;
};

static void forward(void *ctx, int32_t node)
{
    struct world *w = ctx;
    w->p.ops->node_changed(w->p.state, w->c, node);
    if (w->x)
        shapeindex_node_changed(w->x, w->c, node);
}

static void add_random_node(struct world *w)
{
    static const int64_t cpus[] = {4000, 8000, 2000, 16000, 32000};
    static const int64_t mems[] = {16 * GI, 32 * GI, 4 * GI, 64 * GI};
    static const int64_t pods[] = {110, 16, 4};
    static const char *const pools[] = {"a", "b", "c"};
    gsl_rng *r = w->r;
    struct resources a;
    res_zero(&a);
    size_t nc = w->variety ? 5 : 2, nm = w->variety ? 4 : 1;
    a.v[RES_CPU] = pick(r, cpus, nc);
    a.v[RES_MEMORY] = pick(r, mems, nm);
    a.v[RES_PODS] = w->variety ? pick(r, pods, 3) : 110;
    a.v[RES_EPHEMERAL] = 100 * GI;
    if (gsl_rng_uniform_int(r, 5) == 0)
        a.v[w->fpga] = w->variety ? (int64_t)gsl_rng_uniform_int(r, 4) + 1 : 4;
    if (w->late >= 0 && gsl_rng_uniform_int(r, 3) == 0)
        a.v[w->late] = 2;
    /* Rare nodes without cpu or without memory: those dimensions drop out of scores. */
    unsigned odd = (unsigned)gsl_rng_uniform_int(r, 40);
    if (odd == 0)
        a.v[RES_CPU] = 0;
    if (odd == 1)
        a.v[RES_MEMORY] = 0;
    struct labelset ls;
    labelset_init(&ls);
    labelset_set(&ls, "pool", pools[gsl_rng_uniform_int(r, 3)]);
    struct taint t[2];
    size_t nt = 0;
    unsigned roll = (unsigned)gsl_rng_uniform_int(r, 10);
    if (roll == 0)
        t[nt++] = (struct taint){"dedicated", "gpu", TAINT_NO_SCHEDULE};
    if (roll == 1)
        t[nt++] = (struct taint){"dedicated", "db", TAINT_NO_EXECUTE};
    if (roll == 2)
        t[nt++] = (struct taint){"spot", "", TAINT_PREFER_NO_SCHEDULE};
    int unsched = gsl_rng_uniform_int(r, 12) == 0;
    char name[32];
    snprintf(name, sizeof name, "node-%zu", w->c->nnodes);
    cluster_add_node(w->c, name, -1, &a, &ls, t, nt, unsched);
    labelset_release(&ls);
}

/*
 * Owners' requests, from small sets so that scores tie often, exactly and
 * across different capacities (a quarter of cpu free equals a quarter of
 * memory free). Late owners sometimes ask for less than any before, which
 * lowers the index's floor.
 */
static void add_random_owner(struct world *w, int late)
{
    static const int64_t cpus[] = {0, 1000, 2000, 500, 250, 4000, 9000};
    static const int64_t mems[] = {0, 4 * GI, 2 * GI, 8 * GI, GI};
    static const int64_t small_cpus[] = {10, 30, 60};
    static const int64_t small_mems[] = {GI / 64, GI / 16, GI / 8};
    gsl_rng *r = w->r;
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = pick(r, cpus + w->positive, 7 - (size_t)w->positive);
    ps.req.v[RES_MEMORY] = pick(r, mems + w->positive, 5 - (size_t)w->positive);
    if (late && gsl_rng_uniform_int(r, 3) == 0) {
        ps.req.v[RES_CPU] = pick(r, small_cpus, 3);
        ps.req.v[RES_MEMORY] = pick(r, small_mems, 3);
    }
    if (gsl_rng_uniform_int(r, 6) == 0)
        ps.req.v[RES_EPHEMERAL] = 30 * GI;
    if (gsl_rng_uniform_int(r, 5) == 0)
        ps.req.v[w->fpga] = 1 + (int64_t)gsl_rng_uniform_int(r, 2);
    if (w->late >= 0 && gsl_rng_uniform_int(r, 4) == 0)
        ps.req.v[w->late] = 1;
    if (gsl_rng_uniform_int(r, 5) == 0)
        labelset_set(&ps.node_selector, "pool", gsl_rng_uniform_int(r, 2) ? "a" : "b");
    unsigned roll = (unsigned)gsl_rng_uniform_int(r, 9);
    struct toleration tols[] = {
        {"dedicated", "gpu", TOL_EQUAL, TAINT_NO_SCHEDULE},
        {"dedicated", "", TOL_EXISTS, -1},
        {"", "", TOL_EXISTS, -1}, /* tolerates everything, cordoned nodes included */
        {"node.kubernetes.io/unschedulable", "", TOL_EXISTS, TAINT_NO_SCHEDULE},
    };
    if (roll < 4) {
        ps.tols = calloc(1, sizeof *ps.tols);
        toleration_copy(&ps.tols[0], &tols[roll]);
        ps.ntols = 1;
    }
    char name[32];
    snprintf(name, sizeof name, "owner-%zu", w->c->nowners);
    cluster_add_owner(w->c, OWNER_BATCH, name, &ps, 0);
}

/* The score of node for req, exactly (see shapeindex.h for the formulas). */
static struct frac ref_score(enum kind kind, const struct cluster *c, int32_t node,
                             const struct resources *req)
{
    const struct node *n = &c->nodes[node];
    struct frac f = {0, 1};
    for (int d = 0; d < c->resnames.n; d++) {
        if (d == RES_PODS || d == RES_EPHEMERAL || (d >= RES_FIXED && req->v[d] <= 0))
            continue;
        int64_t a = n->alloc.v[d], free = a - n->used.v[d];
        if (a <= 0)
            continue;
        if (kind == DOT_PRODUCT)
            frac_add(&f, (u128)req->v[d] * (u128)free, (u128)a * (u128)a);
        else
            frac_add(&f, (u128)shapeindex_weight[d] * (u128)(free - req->v[d]), (u128)a);
    }
    return f;
}

static int32_t ref_scored(const struct cluster *c, enum kind kind, int32_t pod, unsigned long *ties)
{
    const struct pod *p = &c->pods[pod];
    const struct resources *req = &c->owners[p->owner].spec.req;
    int32_t best = -1;
    struct frac bs = {0, 1};
    int tie = 0;
    for (size_t i = 0; i < c->nnodes; i++) {
        if (!placement_feasible(c, p, (int32_t)i))
            continue;
        struct frac s = ref_score(kind, c, (int32_t)i, req);
        int v = best < 0 ? 1 : kind == BEST_FIT ? frac_cmp(bs, s) : frac_cmp(s, bs);
        tie |= best >= 0 && v == 0;
        if (v > 0) {
            best = (int32_t)i;
            bs = s;
            tie = 0;
        }
    }
    *ties += tie;
    return best;
}

static int32_t ref_first_fit(const struct cluster *c, int32_t pod)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (placement_feasible(c, &c->pods[pod], (int32_t)i))
            return (int32_t)i;
    return -1;
}

static int32_t ref_next_fit(struct world *w, int32_t pod)
{
    const struct cluster *c = w->c;
    size_t n = c->nnodes, start = (size_t)(w->last + 1) % (n ? n : 1);
    for (size_t k = 0; k < n; k++) {
        int32_t i = (int32_t)((start + k) % n);
        if (placement_feasible(c, &c->pods[pod], i))
            return w->last = i;
    }
    return -1;
}

/* random.c's draws, replayed on a copy of its stream: TRIALS ids, then the k-th of F. */
static int32_t ref_random(const struct cluster *c, gsl_rng *r, int32_t pod)
{
    const struct pod *p = &c->pods[pod];
    if (c->nnodes == 0)
        return -1;
    for (int t = 0; t < TRIALS; t++) {
        int32_t i = (int32_t)gsl_rng_uniform_int(r, c->nnodes);
        if (placement_feasible(c, p, i))
            return i;
    }
    size_t m = 0;
    for (size_t i = 0; i < c->nnodes; i++)
        m += placement_feasible(c, p, (int32_t)i);
    if (m == 0)
        return -1;
    size_t k = gsl_rng_uniform_int(r, m);
    for (size_t i = 0; i < c->nnodes; i++)
        if (placement_feasible(c, p, (int32_t)i) && k-- == 0)
            return (int32_t)i;
    return -1;
}

static void unbind_random(struct world *w, int complete)
{
    if (!w->nbound)
        return;
    size_t k = gsl_rng_uniform_int(w->r, w->nbound);
    int32_t pod = w->bound[k];
    w->bound[k] = w->bound[--w->nbound];
    if (complete) {
        if (w->c->pods[pod].phase == POD_STARTING)
            cluster_mark_running(w->c, pod);
        cluster_complete_pod(w->c, pod);
    } else {
        cluster_delete_pod(w->c, pod);
    }
}

static void remove_random_node(struct world *w)
{
    if (w->c->nalive < 2)
        return;
    int32_t n;
    do
        n = (int32_t)gsl_rng_uniform_int(w->r, w->c->nnodes);
    while (!w->c->nodes[n].alive);
    for (size_t k = 0; k < w->nbound;) {
        if (w->c->pods[w->bound[k]].node == n)
            w->bound[k] = w->bound[--w->nbound];
        else
            k++;
    }
    while (w->c->nodes[n].pods_head >= 0)
        cluster_delete_pod(w->c, w->c->nodes[n].pods_head);
    cluster_remove_node(w->c, n);
}

static enum shapeindex_mode mode_of(enum kind k)
{
    return k == BEST_FIT    ? SHAPEINDEX_LEAST_REMAINING
           : k == WORST_FIT ? SHAPEINDEX_MOST_REMAINING
                            : SHAPEINDEX_DOT_PRODUCT;
}

static void place_one(struct world *w, int step)
{
    int32_t owner = (int32_t)gsl_rng_uniform_int(w->r, w->c->nowners);
    int32_t pod = cluster_new_pod(w->c, owner, step);
    int32_t want, got;
    if (w->kind == RANDOM) {
        gsl_rng *copy = gsl_rng_clone(w->policy);
        want = ref_random(w->c, copy, pod);
        got = w->p.ops->place(w->p.state, w->c, pod);
        /* Same choice from the same draws: the streams must be in step. */
        if (gsl_rng_get(copy) != gsl_rng_get(w->policy))
            fail_msg("step %d: random drew a different number of values than the reference", step);
        gsl_rng_free(copy);
    } else if (w->kind == FIRST_FIT) {
        want = ref_first_fit(w->c, pod);
        got = w->p.ops->place(w->p.state, w->c, pod);
    } else if (w->kind == NEXT_FIT) {
        want = ref_next_fit(w, pod);
        got = w->p.ops->place(w->p.state, w->c, pod);
    } else {
        want = ref_scored(w->c, w->kind, pod, &w->ties);
        got = w->p.ops->place(w->p.state, w->c, pod);
        int32_t direct = shapeindex_place(w->x, w->c, pod);
        int32_t scan = shapeindex_scan(mode_of(w->kind), w->c, pod);
        if (direct != want || scan != want)
            fail_msg("step %d: %s index chose %d, its scan %d, reference %d", step,
                     kind_name[w->kind], direct, scan, want);
    }
    if (want != got)
        fail_msg("step %d: %s chose %d, reference %d", step, kind_name[w->kind], got, want);
    if (got < 0) {
        w->unplaced++;
        cluster_delete_pod(w->c, pod);
        return;
    }
    w->placed++;
    cluster_bind(w->c, pod, got, step);
    if (gsl_rng_uniform_int(w->r, 2))
        cluster_mark_running(w->c, pod);
    if (w->nbound == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 256;
        w->bound = realloc(w->bound, w->cap * sizeof *w->bound);
    }
    w->bound[w->nbound++] = pod;
}

static void check(struct world *w, unsigned long seed, int step)
{
    char err[256];
    if (cluster_check(w->c, err, sizeof err) != 0)
        fail_msg("seed %lu step %d: cluster: %s", seed, step, err);
    if (w->x && shapeindex_check(w->x, w->c, err, sizeof err) != 0)
        fail_msg("seed %lu step %d: %s index: %s", seed, step, kind_name[w->kind], err);
}

static void cluster_run(enum kind kind, unsigned long seed, int steps, int variety, int positive)
{
    struct world w = {0};
    w.kind = kind;
    w.variety = variety;
    w.positive = positive;
    w.last = -1;
    w.late = -1;
    w.r = seeded(seed);
    w.policy = seeded(seed + 1000);
    w.c = cluster_new();
    w.fpga = resnames_intern(&w.c->resnames, "example.com/fpga");
    int nodes = variety ? 60 : 150;
    for (int i = 0; i < nodes; i++)
        add_random_node(&w);
    for (int i = 0; i < 12; i++)
        add_random_owner(&w, 0);
    struct placement_env env = {.rng = w.policy};
    assert_int_equal(placement_init(&w.p, placement_find(kind_name[kind]), w.c, &env), 0);
    if (scored(kind))
        w.x = shapeindex_new(mode_of(kind), w.c);
    struct cluster_listener l = {forward, &w};
    cluster_listen(w.c, &l);

    for (int step = 0; step < steps; step++) {
        unsigned op = (unsigned)gsl_rng_uniform_int(w.r, 1000);
        if (op < 550)
            place_one(&w, step);
        else if (op < 700)
            unbind_random(&w, 1);
        else if (op < 880)
            unbind_random(&w, 0);
        else if (op < 930)
            add_random_node(&w);
        else if (op < 950)
            remove_random_node(&w);
        else if (op < 960)
            add_random_owner(&w, 1);
        else if (op == 960 && w.late < 0 && step > steps / 2)
            w.late = resnames_intern(&w.c->resnames, "example.com/late");
        if (step % 250 == 0)
            check(&w, seed, step);
    }
    check(&w, seed, steps);
    /* Both outcomes, and ties, must have been exercised for the comparison to mean much. */
    if (w.placed < 1000 || w.unplaced < 100)
        fail_msg("seed %lu: only %lu placed, %lu unplaced", seed, w.placed, w.unplaced);
    if (scored(kind) && w.ties < 100)
        fail_msg("seed %lu: only %lu placements had ties", seed, w.ties);
    placement_release(&w.p);
    shapeindex_free(w.x);
    cluster_free(w.c);
    free(w.bound);
    gsl_rng_free(w.r);
    gsl_rng_free(w.policy);
}

static void run_kind(enum kind kind)
{
    cluster_run(kind, 21, 12000, 0, 0);
    cluster_run(kind, 22, 12000, 1, 0);
    cluster_run(kind, 23, 12000, 0, 1);
    cluster_run(kind, 24, 12000, 1, 1);
}

/*
 * First-fit also gets longer runs: its start hints and the floor under its
 * index change state with every bind, every freed node and every owner that
 * asks for less than any before.
 */
static void test_first_fit_vs_scan(void **state)
{
    (void)state;
    run_kind(FIRST_FIT);
    cluster_run(FIRST_FIT, 11, 30000, 0, 0);
    cluster_run(FIRST_FIT, 12, 30000, 1, 0);
    cluster_run(FIRST_FIT, 13, 30000, 0, 1);
    cluster_run(FIRST_FIT, 14, 30000, 1, 1);
}

static void test_next_fit_vs_scan(void **state)
{
    (void)state;
    run_kind(NEXT_FIT);
}

static void test_best_fit_vs_scan(void **state)
{
    (void)state;
    run_kind(BEST_FIT);
}

static void test_worst_fit_vs_scan(void **state)
{
    (void)state;
    run_kind(WORST_FIT);
}

static void test_dot_product_vs_scan(void **state)
{
    (void)state;
    run_kind(DOT_PRODUCT);
}

static void test_random_vs_replay(void **state)
{
    (void)state;
    run_kind(RANDOM);
}

/*
 * Scores that differ by less than doubles can resolve: nodes of 3m cpu and
 * 2^60 bytes of memory. In use: n0 4 bytes, n1 3, n2 2, n3 1, n4 none, n5
 * 1m of cpu, n6 t = ceil(2^60 / 3) = (2^60 + 2) / 3 bytes. With
 * key = free_cpu / 3 + free_mem / 2^60:
 *
 *   key(n4) = 2, key(n3) = 2 - 2^-60, ..., key(n0) = 2 - 4 · 2^-60,
 *   key(n5) = 2/3 + 1 = 5/3,
 *   key(n6) = 1 + 1 - t / 2^60 = 5/3 - 2 / (3 · 2^60),
 *
 * so n6 < n5 < n0 < n1 < n2 < n3 < n4, each step below 2^-58 relatively:
 * doubles cannot order them, and treating them as ties would hand every
 * choice to the lowest id. For a pod asking 1 byte (score = key - 2^-60):
 * best-fit n6, worst-fit n4. Dot-product for that pod scores
 * free_mem / 2^120: n4 and n5 tie with all memory free (n4, the lower id),
 * n3 is 2^-120 below; for a pod asking 1m and 1 byte it adds free_cpu / 9,
 * and n4 (1/3 + 2^-60) beats n5 (2/9 + 2^-60) and n3 (1/3 + 2^-60 - 2^-120).
 */
static void test_exact_near_ties(void **state)
{
    (void)state;
    const int64_t huge = (int64_t)1 << 60, t = (huge + 2) / 3;
    struct cluster *c = cluster_new();
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = 3;
    a.v[RES_MEMORY] = huge;
    a.v[RES_PODS] = 110;
    for (int i = 0; i < 7; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        cluster_add_node(c, name, -1, &a, NULL, NULL, 0, 0);
    }
    const int64_t fill[7][2] = {{0, 4}, {0, 3}, {0, 2}, {0, 1}, {0, 0}, {1, 0}, {0, t}};
    for (int i = 0; i < 7; i++) {
        if (!fill[i][0] && !fill[i][1])
            continue;
        struct podspec ps;
        podspec_init(&ps);
        ps.req.v[RES_CPU] = fill[i][0];
        ps.req.v[RES_MEMORY] = fill[i][1];
        char name[16];
        snprintf(name, sizeof name, "fill%d", i);
        int32_t o = cluster_add_owner(c, OWNER_BATCH, name, &ps, 0);
        cluster_bind(c, cluster_new_pod(c, o, 0), i, 0);
    }
    int32_t probe[2];
    for (int k = 0; k < 2; k++) {
        struct podspec ps;
        podspec_init(&ps);
        ps.req.v[RES_CPU] = k;
        ps.req.v[RES_MEMORY] = 1;
        int32_t o = cluster_add_owner(c, OWNER_BATCH, k ? "probe-cpu" : "probe", &ps, 0);
        probe[k] = cluster_new_pod(c, o, 0);
    }
    const struct {
        enum kind kind;
        int probe;
        int32_t want;
    } cases[] = {{BEST_FIT, 0, 6}, {WORST_FIT, 0, 4}, {DOT_PRODUCT, 0, 4},
                 {BEST_FIT, 1, 6}, {WORST_FIT, 1, 4}, {DOT_PRODUCT, 1, 4}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        enum shapeindex_mode mode = mode_of(cases[k].kind);
        struct shapeindex *x = shapeindex_new(mode, c);
        assert_int_equal(shapeindex_shapes(x), 1); /* one allocatable, no taints */
        char err[256];
        if (shapeindex_check(x, c, err, sizeof err) != 0)
            fail_msg("%s: %s", kind_name[cases[k].kind], err);
        int32_t pod = probe[cases[k].probe];
        unsigned long ties = 0;
        if (shapeindex_place(x, c, pod) != cases[k].want ||
            shapeindex_scan(mode, c, pod) != cases[k].want ||
            ref_scored(c, cases[k].kind, pod, &ties) != cases[k].want)
            fail_msg("case %zu: %s chose %d (scan %d), not %d", k, kind_name[cases[k].kind],
                     shapeindex_place(x, c, pod), shapeindex_scan(mode, c, pod), cases[k].want);
        shapeindex_free(x);
    }
    /* Without n6's pod, n6 is empty and n5 is the fullest. */
    cluster_delete_pod(c, c->nodes[6].pods_head);
    struct shapeindex *x = shapeindex_new(SHAPEINDEX_LEAST_REMAINING, c);
    assert_int_equal(shapeindex_place(x, c, probe[0]), 5);
    shapeindex_free(x);
    cluster_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fracsum_vs_reference), cmocka_unit_test(test_fracsum_extremes),
        cmocka_unit_test(test_exact_near_ties),      cmocka_unit_test(test_first_fit_vs_scan),
        cmocka_unit_test(test_next_fit_vs_scan),     cmocka_unit_test(test_best_fit_vs_scan),
        cmocka_unit_test(test_worst_fit_vs_scan),    cmocka_unit_test(test_dot_product_vs_scan),
        cmocka_unit_test(test_random_vs_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
