#include "sim/io/output/explain.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "models/kube/framework.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/cluster.h"

static cJSON *filter_json(const struct kube_node_explain *n)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "status", kube_code_names[n->code]);
    if (n->code == KUBE_SUCCESS)
        return f;
    cJSON_AddStringToObject(f, "plugin", n->plugin ? n->plugin : "");
    cJSON *rs = cJSON_AddArrayToObject(f, "reasons");
    for (size_t i = 0; i < n->nreasons; i++)
        cJSON_AddItemToArray(rs, cJSON_CreateString(n->reasons[i]));
    return f;
}

static cJSON *scores_json(const struct kube_explain *e, const struct kube_node_explain *n)
{
    cJSON *s = cJSON_CreateObject();
    for (size_t k = 0; k < e->nscore; k++) {
        if (e->skipped[k])
            continue; /* PreScore said Skip: the plugin did not score this pod */
        cJSON *p = cJSON_AddObjectToObject(s, e->score_names[k]);
        cJSON_AddNumberToObject(p, "raw", (double)n->raw[k]);
        cJSON_AddNumberToObject(p, "normalized", (double)n->normalized[k]);
        cJSON_AddNumberToObject(p, "weight", (double)e->weights[k]);
        cJSON_AddNumberToObject(p, "weighted", (double)n->weighted[k]);
    }
    return s;
}

cJSON *explain_json(const struct kube_explain *e, const struct cluster *c, const char *pod)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "pod", pod);
    cJSON *nodes = cJSON_AddArrayToObject(j, "nodes");
    unsigned char *visited = xcalloc(c->nnodes ? c->nnodes : 1, 1);
    for (size_t i = 0; i < e->nnodes; i++) {
        const struct kube_node_explain *n = &e->nodes[i];
        visited[n->node] = 1;
        cJSON *nj = cJSON_CreateObject();
        cJSON_AddStringToObject(nj, "name", c->nodes[n->node].name);
        cJSON_AddItemToObject(nj, "filter", filter_json(n));
        if (n->scored) {
            cJSON_AddItemToObject(nj, "scores", scores_json(e, n));
            cJSON_AddNumberToObject(nj, "total", (double)n->total);
        }
        cJSON_AddItemToArray(nodes, nj);
    }
    cJSON *feasible = cJSON_AddArrayToObject(j, "feasible");
    for (size_t i = 0; i < e->nfeasible; i++)
        cJSON_AddItemToArray(feasible, cJSON_CreateString(c->nodes[e->feasible[i]].name));
    if (e->selected >= 0)
        cJSON_AddStringToObject(j, "selected", c->nodes[e->selected].name);
    else
        cJSON_AddNullToObject(j, "selected");
    if (e->message)
        cJSON_AddStringToObject(j, "message", e->message);
    else
        cJSON_AddNullToObject(j, "message");
    cJSON *unvisited = cJSON_AddArrayToObject(j, "unvisited");
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i].alive && !visited[i])
            cJSON_AddItemToArray(unvisited, cJSON_CreateString(c->nodes[i].name));
    free(visited);
    return j;
}
