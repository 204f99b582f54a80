/*
 * Model tests: the capacity index and the first-fit policy against
 * brute-force linear scans, under seeded random operations (fixed seeds, GSL
 * mt19937, so every run sees the same sequence).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/placement/capindex.h"
#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)

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

/* ---- the index alone, against a plain array ---- */

enum { MAXN = 700 };

/* The model: per node, per view, the free capacity the index should store. */
static int64_t avail[MAXN][2][RES_MAX];

static int32_t brute_first_fit(size_t n, int view, int dims, const struct resources *req,
                               int32_t start)
{
    for (size_t i = start < 0 ? 0 : (size_t)start; i < n; i++) {
        int ok = 1;
        for (int d = 0; d < dims && ok; d++) {
            int64_t want = d == RES_PODS && req->v[d] <= 0 ? 1 : req->v[d];
            ok = want <= 0 || avail[i][view][d] >= want;
        }
        if (ok)
            return (int32_t)i;
    }
    return -1;
}

/*
 * With floored set, the index is told that every query asks for at least 2
 * of dimension 0 and 1 of dimension 1, and queries do; nodes below that are
 * stored as unusable but answers must not change.
 */
static void index_run(unsigned long seed, int dims, unsigned flags, int floored)
{
    gsl_rng *r = seeded(seed);
    struct capindex *idx = capindex_new(dims, flags);
    struct resources floor;
    for (int d = 0; d < RES_MAX; d++)
        floor.v[d] = INT64_MIN;
    if (floored) {
        floor.v[0] = 2;
        floor.v[1] = 1;
        capindex_set_floor(idx, &floor);
    }
    floor.v[RES_PODS] = 1;
    int views = flags & CAPINDEX_UNTAINTED ? 2 : 1;
    size_t n = 0;
    static const int64_t small[] = {-1, 0, 1, 2, 3, 5, 8};
    for (int step = 0; step < 20000; step++) {
        unsigned op = (unsigned)gsl_rng_uniform_int(r, 10);
        if (op < 4 || n == 0) {
            /* Set a node; often a new one beyond the end (growth). */
            size_t id;
            if (n == 0 || (n < MAXN && gsl_rng_uniform_int(r, 4) == 0))
                id = n + gsl_rng_uniform_int(r, MAXN - n < 8 ? MAXN - n : 8);
            else
                id = gsl_rng_uniform_int(r, n);
            while (n <= id) {
                for (int d = 0; d < RES_MAX; d++)
                    avail[n][0][d] = avail[n][1][d] = -1;
                n++;
            }
            struct resources f;
            res_zero(&f);
            int dead = gsl_rng_uniform_int(r, 8) == 0;
            int tainted = gsl_rng_uniform_int(r, 4) == 0;
            for (int d = 0; d < dims; d++)
                f.v[d] = pick(r, small, sizeof small / sizeof *small);
            int grew = capindex_set(idx, (int32_t)id, dead ? NULL : &f, tainted);
            /* Below the floor (one pod at least) a node takes nothing: stored as unusable. */
            for (int d = 0; d < dims; d++)
                dead |= f.v[d] < floor.v[d];
            int want_grew = 0;
            for (int d = 0; d < dims; d++) {
                int64_t v = dead ? -1 : f.v[d];
                int64_t u = dead || tainted ? -1 : f.v[d];
                want_grew |= v > avail[id][0][d] || (views == 2 && u > avail[id][1][d]);
                avail[id][0][d] = v;
                avail[id][1][d] = u;
            }
            if (grew != want_grew)
                fail_msg("seed %lu step %d: set reported growth %d, expected %d", seed, step, grew,
                         want_grew);
        } else {
            struct resources req;
            res_zero(&req);
            for (int d = 0; d < dims; d++)
                req.v[d] = gsl_rng_uniform_int(r, 3) ? 0 : (int64_t)gsl_rng_uniform_int(r, 7);
            req.v[RES_PODS] = gsl_rng_uniform_int(r, 2);
            for (int d = 0; d < 2; d++)
                if (req.v[d] < floor.v[d])
                    req.v[d] = floor.v[d] + (int64_t)gsl_rng_uniform_int(r, 5);
            int view = (int)gsl_rng_uniform_int(r, (unsigned long)views);
            int32_t start = (int32_t)gsl_rng_uniform_int(r, n + 2);
            int32_t want = brute_first_fit(n, view, dims, &req, start);
            int32_t got = capindex_first_fit(idx, &req, start, view);
            if (want != got)
                fail_msg("seed %lu step %d: view %d first fit from %d is %d, brute force %d", seed,
                         step, view, start, got, want);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (int v = 0; v < views; v++)
            for (int d = 0; d < dims; d++)
                assert_int_equal(capindex_get(idx, (int32_t)i, v, d), avail[i][v][d]);
    capindex_free(idx);
    gsl_rng_free(r);
}

static void test_index_vs_array(void **state)
{
    (void)state;
    index_run(1, 4, 0, 0);
    index_run(2, 5, 0, 0);
    index_run(3, 8, 0, 1);
    index_run(4, 4, CAPINDEX_UNTAINTED, 0);
    index_run(5, 6, CAPINDEX_UNTAINTED, 1);
    index_run(6, 8, CAPINDEX_UNTAINTED, 1);
    index_run(7, 4, 0, 1);
}

/* ---- first-fit on a live cluster, against a scan with placement_feasible ---- */

struct world {
    gsl_rng *r;
    struct cluster *c;
    struct placement p;
    int32_t *bound; /* pods bound to a node, in no particular order */
    size_t nbound, cap;
    int fpga;     /* extended resource dimension */
    int positive; /* every pod asks for some CPU and memory */
    unsigned long placed, unplaced;
};

static void forward(void *ctx, int32_t node)
{
    struct world *w = ctx;
    w->p.ops->node_changed(w->p.state, w->c, node);
}

static void add_random_node(struct world *w)
{
    static const int64_t cpus[] = {2000, 4000, 8000, 16000, 32000};
    static const int64_t mems[] = {4 * GI, 8 * GI, 16 * GI, 64 * GI};
    static const int64_t pods[] = {4, 16, 110};
    static const char *const pools[] = {"a", "b", "c"};
    gsl_rng *r = w->r;
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = pick(r, cpus, 5);
    a.v[RES_MEMORY] = pick(r, mems, 4);
    a.v[RES_PODS] = pick(r, pods, 3);
    a.v[RES_EPHEMERAL] = 100 * GI;
    if (gsl_rng_uniform_int(r, 5) == 0)
        a.v[w->fpga] = (int64_t)gsl_rng_uniform_int(r, 4) + 1;
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
 * Owners' requests. In a positive world every pod asks for some CPU and
 * memory, so first-fit's floor prunes; owners added later sometimes ask for
 * less than any before, which lowers the floor.
 */
static void add_random_owner(struct world *w, int late)
{
    static const int64_t cpus[] = {0, 100, 250, 500, 1000, 2000, 4000, 9000};
    static const int64_t mems[] = {0, GI / 4, GI, 2 * GI, 8 * GI};
    static const int64_t small_cpus[] = {10, 30, 60};
    static const int64_t small_mems[] = {GI / 64, GI / 16, GI / 8};
    gsl_rng *r = w->r;
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = pick(r, cpus + w->positive, 8 - (size_t)w->positive);
    ps.req.v[RES_MEMORY] = pick(r, mems + w->positive, 5 - (size_t)w->positive);
    if (w->positive && late && gsl_rng_uniform_int(r, 3) == 0) {
        ps.req.v[RES_CPU] = pick(r, small_cpus, 3);
        ps.req.v[RES_MEMORY] = pick(r, small_mems, 3);
    }
    if (gsl_rng_uniform_int(r, 6) == 0)
        ps.req.v[RES_EPHEMERAL] = 30 * GI;
    if (gsl_rng_uniform_int(r, 6) == 0)
        ps.req.v[w->fpga] = 1;
    if (gsl_rng_uniform_int(r, 5) == 0)
        labelset_set(&ps.node_selector, "pool", gsl_rng_uniform_int(r, 2) ? "a" : "b");
    unsigned roll = (unsigned)gsl_rng_uniform_int(r, 8);
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

static int32_t brute_place(const struct cluster *c, int32_t pod)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (placement_feasible(c, &c->pods[pod], (int32_t)i))
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
    /* Drain it: delete its pods, forget them, then remove it. */
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

static void place_one(struct world *w, int step)
{
    int32_t owner = (int32_t)gsl_rng_uniform_int(w->r, w->c->nowners);
    int32_t pod = cluster_new_pod(w->c, owner, step);
    int32_t want = brute_place(w->c, pod);
    int32_t got = w->p.ops->place(w->p.state, w->c, pod);
    if (want != got)
        fail_msg("step %d: first-fit chose %d, brute force %d", step, got, want);
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

static void cluster_run(unsigned long seed, int steps, int positive)
{
    struct world w = {0};
    w.positive = positive;
    w.r = seeded(seed);
    w.c = cluster_new();
    w.fpga = resnames_intern(&w.c->resnames, "example.com/fpga");
    for (int i = 0; i < 40; i++)
        add_random_node(&w);
    for (int i = 0; i < 12; i++)
        add_random_owner(&w, 0);
    struct placement_env env = {.rng = w.r};
    assert_int_equal(placement_init(&w.p, &placement_first_fit_ops, w.c, &env), 0);
    struct cluster_listener l = {forward, &w};
    cluster_listen(w.c, &l);

    char err[256];
    for (int step = 0; step < steps; step++) {
        unsigned op = (unsigned)gsl_rng_uniform_int(w.r, 100);
        if (op < 55)
            place_one(&w, step);
        else if (op < 70)
            unbind_random(&w, 1);
        else if (op < 90)
            unbind_random(&w, 0);
        else if (op < 94)
            add_random_node(&w);
        else if (op < 96)
            remove_random_node(&w);
        else if (op < 97)
            add_random_owner(&w, 1);
        if (step % 500 == 0 && cluster_check(w.c, err, sizeof err) != 0)
            fail_msg("seed %lu step %d: %s", seed, step, err);
    }
    if (cluster_check(w.c, err, sizeof err) != 0)
        fail_msg("seed %lu at the end: %s", seed, err);
    /* Both outcomes must have been exercised for the comparison to mean much. */
    assert_true(w.placed > 1000);
    assert_true(w.unplaced > 100);
    placement_release(&w.p);
    cluster_free(w.c);
    free(w.bound);
    gsl_rng_free(w.r);
}

static void test_first_fit_vs_scan(void **state)
{
    (void)state;
    cluster_run(11, 30000, 0);
    cluster_run(12, 30000, 0);
    cluster_run(13, 30000, 1);
    cluster_run(14, 30000, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_vs_array),
        cmocka_unit_test(test_first_fit_vs_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
