/*
 * Benchmark: the `kube` policy's framework with the upstream default profile
 * placing 100,000 pods on 5,000 nodes, once with adaptive sampling
 * (percentageOfNodesToScore 0: 10% of 5,000 = 500 feasible nodes per cycle)
 * and once scoring every node (100%).
 *
 * Nodes come in four shapes (8/16/32/64 cores, 4 GiB per core, 110 pods);
 * Each node has kubernetes.io/hostname and one of three
 * topology.kubernetes.io/zone labels (the system-default topology spread uses
 * both); 2% carry a NoSchedule taint and 1% a PreferNoSchedule one. Pods come from
 * 20 owners with requests from 100m to 2 cores and 128 MiB to 4 GiB; one
 * owner in ten tolerates the taint, one in five has no requests (so the
 * non-zero defaults apply) and one in five prefers a zone by node affinity.
 * Each pod is created, scheduled (framework_schedule) and bound; nothing is
 * deleted, so the cluster fills to about 60% of its cpu. Tie-breaks draw from
 * a fixed-seed stream.
 *
 *   kube.adaptive.pods_per_s <value>
 *   kube.full.pods_per_s <value>
 *
 * `bench_kube [NODES PODS [adaptive|full]]` changes the size and runs one
 * mode only, for instruction counts under callgrind on a reduced run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "models/kube/framework.h"
#include "models/kube/profile.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

#define GI ((int64_t)1 << 30)
#define MI ((int64_t)1 << 20)

enum { OWNERS = 20 };

static int nnodes = 5000, npods = 100000;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct cluster *make_cluster(gsl_rng *r)
{
    struct cluster *c = cluster_new();
    static const char *const zones[] = {"zone-a", "zone-b", "zone-c"};
    for (int i = 0; i < nnodes; i++) {
        int64_t cores = 8 << gsl_rng_uniform_int(r, 4);
        struct resources a;
        res_zero(&a);
        a.v[RES_CPU] = cores * 1000;
        a.v[RES_MEMORY] = cores * 4 * GI;
        a.v[RES_PODS] = 110;
        struct labelset ls;
        labelset_init(&ls);
        labelset_set(&ls, "topology.kubernetes.io/zone", zones[i % 3]);
        struct taint t = {"dedicated", "batch", TAINT_NO_SCHEDULE};
        struct taint soft = {"spot", "true", TAINT_PREFER_NO_SCHEDULE};
        double u = gsl_rng_uniform(r);
        const struct taint *tp = u < 0.02 ? &t : u < 0.03 ? &soft : NULL;
        char name[32];
        snprintf(name, sizeof name, "node-%05d", i);
        /* As `ksim run` labels every node, so the system-default spread's
         * hostname constraint scores as it does in a real run. */
        labelset_set(&ls, "kubernetes.io/hostname", name);
        cluster_add_node(c, name, -1, &a, &ls, tp, tp ? 1 : 0, 0);
        labelset_release(&ls);
    }
    for (int o = 0; o < OWNERS; o++) {
        struct podspec ps;
        podspec_init(&ps);
        if (o % 5 != 4) {
            ps.req.v[RES_CPU] = 100 + (int64_t)gsl_rng_uniform_int(r, 1901);
            ps.req.v[RES_MEMORY] = 128 * MI + (int64_t)gsl_rng_uniform_int(r, 3968) * MI;
        }
        if (o % 10 == 0) {
            ps.tols = xcalloc(1, sizeof *ps.tols);
            ps.tols[0] = (struct toleration){xstrdup("dedicated"), xstrdup(""), TOL_EXISTS, -1};
            ps.ntols = 1;
        }
        if (o % 5 == 1) {
            ps.affinity.preferred = xcalloc(1, sizeof *ps.affinity.preferred);
            ps.affinity.npreferred = 1;
            nsel_pref_init_in(&ps.affinity.preferred[0], 10, "topology.kubernetes.io/zone",
                              "zone-a");
        }
        char name[32];
        snprintf(name, sizeof name, "owner-%02d", o);
        cluster_add_owner(c, OWNER_DEPLOYMENT, name, &ps, 0);
    }
    return c;
}

static double run(int32_t percentage, const char *label)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *tie = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    gsl_rng_set(tie, 7);
    struct cluster *c = make_cluster(r);
    struct kube_config cfg;
    kube_config_default(&cfg);
    char err[256];
    struct framework *fw =
        framework_new(&cfg.profiles[0], percentage, KUBE_TIE_RANDOM, tie, err, sizeof err);
    if (!fw) {
        fprintf(stderr, "bench_kube: %s\n", err);
        exit(1);
    }
    int32_t *owner = xcalloc(npods, sizeof *owner);
    for (int i = 0; i < npods; i++)
        owner[i] = (int32_t)gsl_rng_uniform_int(r, OWNERS);
    size_t placed = 0;
    /* FNV-1a over the chosen nodes: a change in any decision shows. */
    uint64_t hash = 14695981039346656037ull;
    double t0 = now_s();
    for (int i = 0; i < npods; i++) {
        int32_t pod = cluster_new_pod(c, owner[i], 0);
        int32_t node = framework_schedule(fw, c, pod);
        hash = (hash ^ (uint64_t)(uint32_t)node) * 1099511628211ull;
        if (node >= 0) {
            cluster_bind(c, pod, node, 0);
            placed++;
        } else {
            cluster_delete_pod(c, pod);
        }
    }
    double dt = now_s() - t0;
    printf("kube.%s.pods_per_s %.0f\n", label, npods / dt);
    printf("# %s: %d pods (%zu placed) on %d nodes in %.2f s, %.1f us per pod; cpu %.0f%% "
           "allocated; decisions %016llx\n",
           label, npods, placed, nnodes, dt, dt * 1e6 / npods,
           100.0 * (double)c->used_total.v[RES_CPU] / (double)c->alloc_total.v[RES_CPU],
           (unsigned long long)hash);
    free(owner);
    framework_free(fw);
    kube_config_release(&cfg);
    cluster_free(c);
    gsl_rng_free(r);
    gsl_rng_free(tie);
    return dt;
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    if (argc > 1) {
        if (argc < 3 || (nnodes = atoi(argv[1])) <= 0 || (npods = atoi(argv[2])) <= 0) {
            fprintf(stderr, "usage: bench_kube [NODES PODS [adaptive|full]]\n");
            return 2;
        }
        only = argc > 3 ? argv[3] : NULL;
    }
    if (!only || strcmp(only, "adaptive") == 0)
        run(0, "adaptive");
    if (!only || strcmp(only, "full") == 0)
        run(100, "full");
    return 0;
}
