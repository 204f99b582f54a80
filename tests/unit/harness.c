#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static void forward(void *ctx, int32_t node)
{
    struct harness *h = ctx;
    h->p.ops->node_changed(h->p.state, h->c, node);
}

struct harness *harness_start(void)
{
    struct harness *h = calloc(1, sizeof *h);
    h->c = cluster_new();
    return h;
}

void harness_attach(struct harness *h, const char *policy)
{
    struct placement_env env = {.rng = NULL};
    assert_int_equal(placement_init(&h->p, placement_find(policy), h->c, &env), 0);
    struct cluster_listener l = {forward, h};
    cluster_listen(h->c, &l);
}

void harness_finish(struct harness *h)
{
    char err[256];
    if (cluster_check(h->c, err, sizeof err) != 0)
        fail_msg("cluster_check: %s", err);
    placement_release(&h->p);
    cluster_free(h->c);
    free(h);
}

/* A node of cpu_m millicores, mem bytes and room for pods pods (and gpus of dimension g when g >
 * 0). */
static int32_t add_node(struct harness *h, int64_t cpu_m, int64_t mem, int64_t pods, int g,
                        int64_t gpus, const char *label, const struct taint *taint,
                        int unschedulable)
{
    char name[32];
    snprintf(name, sizeof name, "n%zu", h->c->nnodes);
    struct resources a;
    res_zero(&a);
    a.v[RES_CPU] = cpu_m;
    a.v[RES_MEMORY] = mem;
    a.v[RES_PODS] = pods;
    if (g > 0)
        a.v[g] = gpus;
    struct labelset ls;
    labelset_init(&ls);
    if (label)
        labelset_set(&ls, "pool", label);
    int32_t id = cluster_add_node(h->c, name, -1, &a, &ls, taint, taint ? 1 : 0, unschedulable);
    labelset_release(&ls);
    return id;
}

int32_t harness_node_full(struct harness *h, int64_t cpu_m, int64_t mem, int g, int64_t gpus,
                          const char *label, const struct taint *taint, int unschedulable)
{
    return add_node(h, cpu_m, mem, 110, g, gpus, label, taint, unschedulable);
}

int32_t harness_node(struct harness *h, int64_t cpu_m, int64_t mem)
{
    return add_node(h, cpu_m, mem, 110, 0, 0, NULL, NULL, 0);
}

int32_t harness_node_pods(struct harness *h, int64_t cpu_m, int64_t mem, int64_t pods)
{
    return add_node(h, cpu_m, mem, pods, 0, 0, NULL, NULL, 0);
}

int32_t harness_owner_full(struct harness *h, int64_t cpu_m, int64_t mem, int g, int64_t gpus,
                           const char *selector, const struct toleration *t)
{
    char name[32];
    snprintf(name, sizeof name, "o%zu", h->c->nowners);
    struct podspec ps;
    podspec_init(&ps);
    ps.req.v[RES_CPU] = cpu_m;
    ps.req.v[RES_MEMORY] = mem;
    if (g > 0)
        ps.req.v[g] = gpus;
    if (selector)
        labelset_set(&ps.node_selector, "pool", selector);
    if (t) {
        ps.tols = calloc(1, sizeof *ps.tols);
        toleration_copy(&ps.tols[0], t);
        ps.ntols = 1;
    }
    return cluster_add_owner(h->c, OWNER_DEPLOYMENT, name, &ps, 1);
}

int32_t harness_owner(struct harness *h, int64_t cpu_m, int64_t mem)
{
    return harness_owner_full(h, cpu_m, mem, 0, 0, NULL, NULL);
}

/* Binds a pod asking for cpu_m and mem straight to node n, to set a node's usage by hand. */
void harness_fill(struct harness *h, int32_t n, int64_t cpu_m, int64_t mem)
{
    int32_t o = harness_owner(h, cpu_m, mem);
    cluster_bind(h->c, cluster_new_pod(h->c, o, 0), n, 0);
}

/* Creates a pod of owner o, places it, binds it if placed; returns the node or -1. */
int32_t harness_place_pod(struct harness *h, int32_t o, int32_t *pod_out)
{
    int32_t pod = cluster_new_pod(h->c, o, 0);
    int32_t n = h->p.ops->place(h->p.state, h->c, pod);
    if (n >= 0) {
        assert_true(placement_feasible(h->c, &h->c->pods[pod], n));
        cluster_bind(h->c, pod, n, 0);
    } else {
        cluster_delete_pod(h->c, pod);
        pod = -1;
    }
    if (pod_out)
        *pod_out = pod;
    return n;
}

int32_t harness_place(struct harness *h, int32_t o)
{
    return harness_place_pod(h, o, NULL);
}
