/*
 * ImageLocality: favours nodes that already hold the pod's images, scaled
 * by how widely each image is spread (so one node holding a rare image does
 * not attract everything). Follows
 * pkg/scheduler/framework/plugins/imagelocality/image_locality.go (v1.35):
 *   sum   = Σ over init and regular containers whose (normalized) image the
 *           node holds: int64(size * numNodesWithImage / totalNodes)
 *   score = 100 * (clamp(sum, 23Mi, 1000Mi * numContainers) - 23Mi)
 *               / (1000Mi * numContainers - 23Mi)
 * No NormalizeScore. Node image names are matched as the node reports them;
 * the pod's are normalized (":latest" added when untagged), as upstream.
 */
#include <stdlib.h>
#include <string.h>

#include "models/kube/plugins.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

#define MB            (1024LL * 1024)
#define MIN_THRESHOLD (23 * MB)
#define MAX_THRESHOLD (1000 * MB)

struct image_count {
    const char *name; /* borrowed from a node */
    int64_t nodes;
};

struct state {
    /* number of alive nodes holding each image name, rebuilt when nodes change */
    struct image_count *counts;
    size_t ncounts, cap;
    size_t seen_nnodes, seen_nalive;
    int built;
};

struct cycle {
    int any; /* some node holds some image */
};

static void release(void *state)
{
    free(((struct state *)state)->counts);
}

static int64_t *count_of(struct state *s, const char *name, int add)
{
    for (size_t i = 0; i < s->ncounts; i++)
        if (strcmp(s->counts[i].name, name) == 0)
            return &s->counts[i].nodes;
    if (!add)
        return NULL;
    xgrow((void **)&s->counts, &s->cap, s->ncounts + 1, sizeof *s->counts);
    s->counts[s->ncounts] = (struct image_count){name, 0};
    return &s->counts[s->ncounts++].nodes;
}

static void rebuild(struct state *s, const struct cluster *c)
{
    s->ncounts = 0;
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct node *n = &c->nodes[i];
        if (!n->alive)
            continue;
        for (size_t j = 0; j < n->nimages; j++) {
            int dup = 0;
            for (size_t k = 0; k < j && !dup; k++)
                dup = strcmp(n->images[k].name, n->images[j].name) == 0;
            if (!dup)
                (*count_of(s, n->images[j].name, 1))++;
        }
    }
    s->seen_nnodes = c->nnodes;
    s->seen_nalive = c->nalive;
    s->built = 1;
}

static enum kube_code prescore(void *state, void *cycle, const struct kube_pod *p,
                               const int32_t *nodes, size_t n)
{
    (void)nodes, (void)n;
    struct state *s = state;
    if (!s->built || s->seen_nnodes != p->c->nnodes || s->seen_nalive != p->c->nalive)
        rebuild(s, p->c);
    ((struct cycle *)cycle)->any = s->ncounts > 0 && p->spec->nimages > 0;
    return KUBE_SUCCESS;
}

static void score(void *state, void *cycle, const struct kube_pod *p, const int32_t *nodes,
                  size_t n, int64_t *out)
{
    struct state *s = state;
    const struct podspec *ps = p->spec;
    int64_t maxt = MAX_THRESHOLD * (int64_t)ps->ncontainers;
    int64_t total = (int64_t)p->c->nalive;
    for (size_t k = 0; k < n; k++) {
        const struct node *nd = &p->c->nodes[nodes[k]];
        int64_t sum = 0;
        for (size_t i = 0; ((struct cycle *)cycle)->any && i < ps->nimages; i++) {
            for (size_t j = 0; j < nd->nimages; j++) {
                if (strcmp(nd->images[j].name, ps->images[i]) != 0)
                    continue;
                const int64_t *cnt = count_of(s, ps->images[i], 0);
                double spread = (double)(cnt ? *cnt : 0) / (double)total;
                sum += (int64_t)((double)nd->images[j].size * spread);
                break;
            }
        }
        if (sum < MIN_THRESHOLD)
            sum = MIN_THRESHOLD;
        else if (sum > maxt)
            sum = maxt;
        out[k] = KUBE_MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (maxt - MIN_THRESHOLD);
    }
}

const struct kube_plugin_ops kube_image_locality_ops = {
    .name = "ImageLocality",
    .summary = "favours nodes that already hold the pod's container images",
    .points = KUBE_PT_SCORE,
    .node_local = 1,
    .state_size = sizeof(struct state),
    .cycle_size = sizeof(struct cycle),
    .release = release,
    .prescore = prescore,
    .score = score,
};
