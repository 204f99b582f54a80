/*
 * ksim score: "where would kube-scheduler put this pod, and why" on a
 * snapshot of Nodes and Pods (issue 4, part 7). One explained cycle of the
 * kube framework (models/kube/framework.h, the code path `ksim run` with
 * policy kube uses), printed as the JSON of sim/io/output/explain.h or as a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/kube/framework.h"
#include "models/kube/preemption.h"
#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/snapopt.h"
#include "sim/cluster/cluster.h"
#include "sim/engine/rng.h"
#include "sim/io/output/explain.h"
#include "sim/io/kube/snapshot.h"

static const char usage[] =
    "usage: ksim score [--pod NAME] [--config FILE] [--seed N] [-o table|json] FILE...\n"
    "\n"
    "Where would kube-scheduler put this pod, and why? Reads v1 Nodes, v1 Pods and\n"
    "optionally a KubeSchedulerConfiguration from FILEs (YAML or JSON, several\n"
    "documents or a kind: List, e.g. kubectl get nodes,pods -A -o yaml > snap.yaml),\n"
    "runs one scheduling cycle of the kube framework for one pod, and prints every\n"
    "node's Filter result and Score breakdown. Pods with spec.nodeName run there;\n"
    "Succeeded and Failed pods are left out.\n"
    "\n"
    "options:\n"
    "  --pod NAME        the pod to place: NAME or NAMESPACE/NAME (default: the\n"
    "                    only pod without spec.nodeName)\n"
    "  --config FILE     a KubeSchedulerConfiguration (replaces one in FILEs);\n"
    "                    default: the upstream default profile; the pod's\n"
    "                    spec.schedulerName picks the profile\n"
    "  --seed N          seed of the tie-break stream (default 0)\n"
    "  -o, --output F    table (default) or json\n"
    "\n"
    "Exit 0 with the answer whenever the input parses (also when no node fits);\n"
    "1 with one line file:line:col: message on bad input.\n";

/* Column width of a table cell text. */
static size_t width(const char *s, size_t w)
{
    size_t n = strlen(s);
    return n > w ? n : w;
}

/* Whether score column k is shown: something was scored and PreScore did not skip it. */
static int shown(const struct kube_explain *e, size_t k)
{
    return e->nfeasible > 0 && !e->skipped[k];
}

static void print_filter(const struct kube_node_explain *n)
{
    printf("%s", kube_code_names[n->code]);
    if (n->code == KUBE_SUCCESS)
        return;
    printf(" %s:", n->plugin ? n->plugin : "");
    for (size_t r = 0; r < n->nreasons; r++)
        printf("%s %s", r ? ";" : "", n->reasons[r]);
}

static void print_table(const struct kube_explain *e, const struct cluster *c, const char *pod,
                        const char *profile)
{
    size_t namew = 4;
    for (size_t i = 0; i < e->nnodes; i++)
        namew = width(c->nodes[e->nodes[i].node].name, namew);
    printf("pod %s, profile %s: %zu node(s), %zu visited, %zu feasible, selected %s\n", pod,
           profile, c->nalive, e->nnodes, e->nfeasible,
           e->selected >= 0 ? c->nodes[e->selected].name : "none");
    if (e->message)
        printf("%s\n", e->message);
    size_t *colw = xcalloc(e->nscore ? e->nscore : 1, sizeof *colw);
    printf("\n  %-*s", (int)namew, "NODE");
    for (size_t k = 0; k < e->nscore; k++) {
        if (!shown(e, k))
            continue;
        colw[k] = width(e->score_names[k], 6);
        printf("  %*s", (int)colw[k], e->score_names[k]);
    }
    if (e->nfeasible)
        printf("  %6s", "TOTAL");
    printf("  FILTER\n");
    for (size_t i = 0; i < e->nnodes; i++) {
        const struct kube_node_explain *n = &e->nodes[i];
        printf("%c %-*s", n->node == e->selected ? '*' : ' ', (int)namew, c->nodes[n->node].name);
        for (size_t k = 0; k < e->nscore; k++) {
            if (!shown(e, k))
                continue;
            if (n->scored)
                printf("  %*lld", (int)colw[k], (long long)n->weighted[k]);
            else
                printf("  %*s", (int)colw[k], "-");
        }
        if (e->nfeasible && n->scored)
            printf("  %6lld", (long long)n->total);
        else if (e->nfeasible)
            printf("  %6s", "-");
        printf("  ");
        print_filter(n);
        putchar('\n');
    }
    free(colw);
    if (e->nfeasible)
        printf("\nscore columns: normalized score x weight (-o json has raw, normalized, weight); "
               "* marks the selected node");
    int any = 0;
    for (size_t k = 0; e->nfeasible && k < e->nscore; k++) {
        if (e->skipped[k]) {
            printf("%s%s", any ? ", " : "\nskipped by PreScore for this pod: ", e->score_names[k]);
            any = 1;
        }
    }
    size_t unvisited = c->nalive - e->nnodes;
    if (unvisited)
        printf("\n%zu node(s) not visited: percentageOfNodesToScore let the cycle stop early",
               unvisited);
    putchar('\n');
}

struct score_opts {
    struct snapopt snap;
    const char *format;
};

static int parse_args(int argc, char **argv, struct score_opts *o)
{
    o->format = "table";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = snapopt_parse(&o->snap, "score", argc, argv, &i);
        if (got < 0)
            return CLI_USAGE;
        if (got)
            continue;
        if (cli_option_is(a, "--output", "-o")) {
            o->format = cli_option_value(argc, argv, &i);
            if (!o->format || (strcmp(o->format, "table") && strcmp(o->format, "json")))
                return cli_usage_error("score", "-o needs 'table' or 'json', got '%s'",
                                       o->format ? o->format : "");
        } else {
            return cli_usage_error("score", "unknown option '%s'", a);
        }
    }
    return snapopt_finish(&o->snap, "score");
}

/*
 * What the PostFilter (DefaultPreemption) would do when no node is feasible
 * and the profile runs it, as the key "postFilter" (added; the contract's
 * keys and "message", the FitError, are unchanged): upstream's status
 * message ("preemption: ...", empty when a node is nominated), the node the
 * pod would be nominated to, and the victims. NULL when it does not run.
 */
static cJSON *postfilter_json(struct snapshot *s, struct snapshot_sched *ss,
                              const struct kube_explain *ex)
{
    if (ex->selected >= 0 || ex->nnodes == 0 || !framework_preemption(ss->fw))
        return NULL;
    struct preemption *pe = preemption_new(rng_stream(ss->rng, "preemption"));
    struct preemption_result res;
    preemption_run(pe, ss->fw, s->cluster, s->pods[s->target].pod, ex, &res);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "plugin", "DefaultPreemption");
    cJSON_AddStringToObject(j, "status",
                            res.outcome == PREEMPTION_NOMINATED ? "Success" : "Unschedulable");
    cJSON_AddStringToObject(j, "message", res.message);
    if (res.node >= 0)
        cJSON_AddStringToObject(j, "nominatedNode", s->cluster->nodes[res.node].name);
    else
        cJSON_AddNullToObject(j, "nominatedNode");
    cJSON *v = cJSON_AddArrayToObject(j, "victims");
    for (size_t i = 0; i < res.nvictims; i++)
        for (size_t k = 0; k < s->npods; k++)
            if (s->pods[k].pod == res.victims[i]) {
                char name[600];
                snapshot_pod_name(s, k, name, sizeof name);
                cJSON_AddItemToArray(v, cJSON_CreateString(name));
            }
    preemption_free(pe);
    return j;
}

static void print_postfilter(const cJSON *pf)
{
    if (!pf)
        return;
    const cJSON *node = cJSON_GetObjectItem(pf, "nominatedNode");
    if (!cJSON_IsString(node)) {
        printf("%s\n", cJSON_GetObjectItem(pf, "message")->valuestring);
        return;
    }
    printf("preemption: would nominate %s, deleting", node->valuestring);
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(pf, "victims"))
    {
        printf(" %s", v->valuestring);
    }
    putchar('\n');
}

static int cmd_score(int argc, char **argv)
{
    struct score_opts o;
    snapopt_init(&o.snap, argc);
    int rc = parse_args(argc, argv, &o);
    if (rc != CLI_OK) {
        snapopt_release(&o.snap);
        return rc;
    }
    struct diag d;
    diag_clear(&d);
    struct snapshot s;
    struct snapshot_sched ss;
    memset(&ss, 0, sizeof ss);
    rc = CLI_FAIL;
    if (snapshot_load(&s, o.snap.files, o.snap.nfiles, o.snap.config, o.snap.pod, &d))
        goto out_files;
    if (snapshot_sched_init(&ss, &s, o.snap.seed, &d))
        goto out;
    struct kube_explain ex;
    framework_explain(ss.fw, s.cluster, s.pods[s.target].pod, &ex);
    char pod[600];
    snapshot_pod_name(&s, s.target, pod, sizeof pod);
    cJSON *pf = postfilter_json(&s, &ss, &ex);
    if (strcmp(o.format, "json") == 0) {
        cJSON *j = explain_json(&ex, s.cluster, pod);
        if (pf)
            cJSON_AddItemToObject(j, "postFilter", pf);
        char *text = cJSON_Print(j);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(j);
    } else {
        print_table(&ex, s.cluster, pod, framework_profile_name(ss.fw));
        print_postfilter(pf);
        cJSON_Delete(pf);
    }
    kube_explain_release(&ex);
    rc = CLI_OK;
out:
    snapshot_sched_release(&ss);
    snapshot_release(&s);
out_files:
    if (rc != CLI_OK)
        fprintf(stderr, "%s\n", d.text);
    snapopt_release(&o.snap);
    return rc;
}

const struct cli_command cli_score_cmd = {
    "score", "where would kube-scheduler put this pod, and why (on a snapshot)", usage, cmd_score};
