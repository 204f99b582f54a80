/*
 * Benchmark: every placement policy (first-fit included) on a large, busy
 * cluster, in a steady state.
 *
 * 10,000 nodes of six shapes (4/8/16/32/64 cores with 2 to 8 GiB per core),
 * 1% of them tainted for dedicated use and 1% cordoned, and 1,000,000 pods
 * from 24 owners with heterogeneous requests (100m to 4 cores, 128 MiB to
 * 8 GiB; one owner in twelve tolerates the dedicated taint). Every pod is
 * created, placed and bound; after each placement random bound pods are
 * deleted while requested CPU is above 90% of allocatable; a pod that fits
 * nowhere deletes one random bound pod and retries (up to 8 times, then it is
 * dropped). Binds and deletions reach the policy's index through the cluster
 * listener, as in a run. The cluster and the workload are drawn from a
 * fixed-seed stream; the random policy draws from its own fixed-seed stream.
 *
 * Reported per policy: placements per second over the whole loop (create +
 * place + bind + deletions, warm-up included), and a human line with the
 * mean time of one place() call sampled after the warm-up and a digest of
 * every answer, so that a faster index can be shown to place every pod
 * where the old one did.
 *
 *   <policy>.placements_per_s <value>      (policy name with '-' as '_')
 *
 * Usage: bench_binpack [--nodes N] [--pods N] [POLICY...]
 *   (defaults: 10,000 nodes, 1,000,000 pods, every registered policy). Smaller
 *   sizes are for instruction counts under valgrind --tool=callgrind, which on
 *   a shared machine say more than a wall clock: with --pods 300000 the
 *   cluster reaches its 90% steady state after about 170,000 pods.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "models/placement/placement.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)
#define MI ((int64_t)1 << 20)

enum { OWNERS = 24, RETRIES = 8 };

/* The sizes, 10,000 nodes and 1,000,000 pods unless --nodes / --pods say otherwise. */
static int nodes_n = 10000, pods_n = 1000000;

struct bench {
    struct cluster *c;
    struct placement p;
    gsl_rng *r;
    int32_t *bound;
    size_t nbound;
    double place_s;
    uint64_t place_calls, place_timed;
    uint64_t sample; /* xorshift state choosing the timed calls */
    uint64_t digest; /* FNV-1a over every (pod, node) answer: same digest, same placements */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void forward(void *ctx, int32_t node)
{
    struct bench *b = ctx;
    b->p.ops->node_changed(b->p.state, b->c, node);
}

static void make_nodes(struct bench *b)
{
    static const struct {
        int64_t cores, gib;
    } shapes[] = {{4, 16}, {8, 64}, {16, 32}, {16, 64}, {32, 128}, {64, 256}};
    struct taint dedicated = {"dedicated", "batch", TAINT_NO_SCHEDULE};
    for (int i = 0; i < nodes_n; i++) {
        size_t s = gsl_rng_uniform_int(b->r, sizeof shapes / sizeof *shapes);
        struct resources a;
        res_zero(&a);
        a.v[RES_CPU] = shapes[s].cores * 1000 - 100; /* system reserved */
        a.v[RES_MEMORY] = shapes[s].gib * GI - GI;
        a.v[RES_PODS] = 110;
        a.v[RES_EPHEMERAL] = 100 * GI;
        unsigned roll = (unsigned)gsl_rng_uniform_int(b->r, 100);
        char name[32];
        snprintf(name, sizeof name, "node-%05d", i);
        cluster_add_node(b->c, name, -1, &a, NULL, roll == 0 ? &dedicated : NULL, roll == 0,
                         roll == 1);
    }
}

static void make_owners(struct bench *b)
{
    static const int64_t cpus[] = {100, 250, 500, 1000, 2000, 4000};
    static const int64_t mems[] = {128 * MI, 256 * MI, 512 * MI, GI, 2 * GI, 4 * GI, 8 * GI};
    struct toleration tol = {"dedicated", "batch", TOL_EQUAL, TAINT_NO_SCHEDULE};
    for (int i = 0; i < OWNERS; i++) {
        struct podspec ps;
        podspec_init(&ps);
        ps.req.v[RES_CPU] = cpus[gsl_rng_uniform_int(b->r, 6)];
        ps.req.v[RES_MEMORY] = mems[gsl_rng_uniform_int(b->r, 7)];
        if (i % 12 == 5) {
            ps.tols = malloc(sizeof *ps.tols);
            toleration_copy(&ps.tols[0], &tol);
            ps.ntols = 1;
        }
        char name[32];
        snprintf(name, sizeof name, "app-%02d", i);
        cluster_add_owner(b->c, OWNER_BATCH, name, &ps, 0);
    }
}

static void delete_random(struct bench *b)
{
    size_t k = gsl_rng_uniform_int(b->r, b->nbound);
    int32_t pod = b->bound[k];
    b->bound[k] = b->bound[--b->nbound];
    cluster_delete_pod(b->c, pod);
}

/* Times about one call in 16 after the first pods_n / 100. */
static int32_t timed_place(struct bench *b, int32_t pod)
{
    b->place_calls++;
    b->sample ^= b->sample << 13;
    b->sample ^= b->sample >> 7;
    b->sample ^= b->sample << 17;
    if ((b->sample & 15) || b->place_calls <= (uint64_t)pods_n / 100)
        return b->p.ops->place(b->p.state, b->c, pod);
    double t0 = now_s();
    int32_t n = b->p.ops->place(b->p.state, b->c, pod);
    b->place_s += now_s() - t0;
    b->place_timed++;
    return n;
}

/* pod was answered with node (-1: none) */
static void digest(struct bench *b, int32_t pod, int32_t node)
{
    uint64_t v = (uint64_t)(uint32_t)pod << 32 | (uint32_t)node;
    for (int i = 0; i < 8; i++) {
        b->digest ^= (v >> (8 * i)) & 0xff;
        b->digest *= 1099511628211u;
    }
}

static int run(const struct placement_ops *ops)
{
    struct bench b = {0};
    b.sample = 88172645463325252u;
    b.digest = 14695981039346656037u;
    b.r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(b.r, 20240601);
    gsl_rng *policy_rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(policy_rng, 42);
    b.c = cluster_new();
    /* Attached to the empty cluster, as sim/control/simulation.c does. */
    struct placement_env env = {.rng = policy_rng};
    if (placement_init(&b.p, ops, b.c, &env) < 0) {
        fprintf(stderr, "bench_binpack: %s failed to initialise\n", ops->name);
        return 1;
    }
    struct cluster_listener l = {forward, &b};
    cluster_listen(b.c, &l);
    make_nodes(&b);
    make_owners(&b);
    b.bound = malloc((size_t)pods_n * sizeof *b.bound);
    const int64_t cpu_target = b.c->alloc_total.v[RES_CPU] / 10 * 9;

    uint64_t placed = 0, dropped = 0, retries = 0;
    double t0 = now_s();
    for (int i = 0; i < pods_n; i++) {
        int32_t owner = (int32_t)gsl_rng_uniform_int(b.r, OWNERS);
        int32_t pod = cluster_new_pod(b.c, owner, i);
        int32_t n = timed_place(&b, pod);
        digest(&b, pod, n);
        for (int t = 0; n < 0 && t < RETRIES && b.nbound; t++) {
            delete_random(&b);
            retries++;
            n = timed_place(&b, pod);
            digest(&b, pod, n);
        }
        if (n < 0) {
            cluster_delete_pod(b.c, pod);
            dropped++;
            continue;
        }
        cluster_bind(b.c, pod, n, i);
        b.bound[b.nbound++] = pod;
        placed++;
        while (b.c->used_total.v[RES_CPU] > cpu_target)
            delete_random(&b);
    }
    double elapsed = now_s() - t0;

    char err[256];
    if (cluster_check(b.c, err, sizeof err) != 0) {
        fprintf(stderr, "bench_binpack: cluster inconsistent: %s\n", err);
        return 1;
    }
    char key[64];
    snprintf(key, sizeof key, "%s", ops->name);
    for (char *p = key; *p; p++)
        if (*p == '-')
            *p = '_';
    double rate = (double)placed / elapsed;
    printf("%s.placements_per_s %.0f\n", key, rate);
    printf(
        "%s: %d nodes, %llu pods placed (%llu dropped, %llu retries) in %.3f s: "
        "%.2f M placements/s overall; place() %.0f ns per call (sampled after warm-up) over "
        "%llu calls; %zu pods bound at the end, cpu %.1f%% requested; placements digest %016llx\n",
        ops->name, nodes_n, (unsigned long long)placed, (unsigned long long)dropped,
        (unsigned long long)retries, elapsed, rate / 1e6, b.place_s / (double)b.place_timed * 1e9,
        (unsigned long long)b.place_calls, b.nbound,
        100.0 * (double)b.c->used_total.v[RES_CPU] / (double)b.c->alloc_total.v[RES_CPU],
        (unsigned long long)b.digest);
    fflush(stdout);
    placement_release(&b.p);
    cluster_free(b.c);
    free(b.bound);
    gsl_rng_free(b.r);
    gsl_rng_free(policy_rng);
    return 0;
}

/* The value of a size option at argv[i + 1], or -1 when it is missing or not a positive int. */
static int size_arg(int argc, char **argv, int i)
{
    if (i + 1 >= argc)
        return -1;
    char *end;
    long v = strtol(argv[i + 1], &end, 10);
    return *end || end == argv[i + 1] || v < 1 || v > 100000000 ? -1 : (int)v;
}

int main(int argc, char **argv)
{
    const struct placement_ops *picked[64];
    int npicked = 0;
    for (int i = 1; i < argc; i++) {
        int *size = !strcmp(argv[i], "--nodes")  ? &nodes_n
                    : !strcmp(argv[i], "--pods") ? &pods_n
                                                 : NULL;
        if (size) {
            if ((*size = size_arg(argc, argv, i)) < 0) {
                fprintf(stderr, "bench_binpack: %s needs a positive count\n", argv[i]);
                return 2;
            }
            i++;
            continue;
        }
        const struct placement_ops *ops = placement_find(argv[i]);
        if (!ops) {
            fprintf(stderr, "bench_binpack: unknown policy '%s'\n", argv[i]);
            return 2;
        }
        if (npicked == (int)(sizeof picked / sizeof *picked)) {
            fprintf(stderr, "bench_binpack: too many policies\n");
            return 2;
        }
        picked[npicked++] = ops;
    }
    for (int i = 0; npicked ? i < npicked : placement_registry[i] != NULL; i++)
        if (run(npicked ? picked[i] : placement_registry[i]))
            return 1;
    return 0;
}
