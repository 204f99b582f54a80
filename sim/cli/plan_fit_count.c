/*
 * ksim plan fit-count: how many more copies of a pod fit on a cluster
 * snapshot, as kubernetes-sigs/cluster-capacity answers it: copies of the
 * pod are scheduled one after another through the kube framework (the code
 * path of `ksim score` and policy kube), each bound where the framework puts
 * it, until one fits nowhere; the answer is the number bound, per node, and
 * the FitError of the copy that failed says why the cluster is full.
 *
 * The snapshot is read by sim/io/kube/snapshot (Nodes, Pods, an optional
 * KubeSchedulerConfiguration); the pod to copy is --pod or the only pod
 * without spec.nodeName, exactly as for `ksim score`. Copies share the pod's
 * spec, labels and namespace, so PodTopologySpread and InterPodAffinity count
 * the copies already placed, as cluster-capacity's simulated pods do.
 *
 * Like min-nodes and headroom it prints the answer and the search (here the
 * placements, copy by copy, and what every node says to the next copy) and
 * writes a results folder, whole or not at all:
 *   fit-placements.csv   copy,node,node_copies: where each copy went, in order
 *   fit-nodes.csv        node,copies,next_copy: copies per node and the plugin
 *                    that rejects the next copy there (fits, not-visited)
 *   fit-count.json   what --format json prints, with each node's reasons
 *   plots/plan.*     copies per node as bars (scripts/plot/fitcount.gp)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/kube/framework.h"
#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/expopt.h"
#include "sim/cli/plan.h"
#include "sim/cli/snapopt.h"
#include "sim/cluster/cluster.h"
#include "sim/io/resultsdir.h"
#include "sim/io/kube/snapshot.h"

#define CMD "plan fit-count"

/* The placements printed one by one; the rest are in fit-placements.csv. */
#define FIT_SHOWN_STEPS 20

struct fit_opts {
    struct snapopt snap;
    struct expopt o; /* only outdir and plots */
    const char *format;
    long long max;
};

static int parse(int argc, char **argv, struct fit_opts *f)
{
    f->format = "table";
    f->max = 100000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = snapopt_parse(&f->snap, CMD, argc, argv, &i);
        if (!got)
            got = expopt_parse_output(&f->o, CMD, argc, argv, &i);
        if (got < 0)
            return CLI_USAGE;
        if (got)
            continue;
        if (cli_option_is(a, "--max", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            char *end;
            if (!v || !*v || (f->max = strtoll(v, &end, 10), *end) || f->max < 1)
                return cli_usage_error(CMD, "--max needs a positive integer, got '%s'", v ? v : "");
        } else if (cli_option_is(a, "--format", NULL)) {
            f->format = cli_option_value(argc, argv, &i);
            if (!f->format || (strcmp(f->format, "table") && strcmp(f->format, "json")))
                return cli_usage_error(CMD, "--format needs 'table' or 'json', got '%s'",
                                       f->format ? f->format : "");
        } else {
            return cli_usage_error(CMD, "unknown option '%s'", a);
        }
    }
    return snapopt_finish(&f->snap, CMD);
}

/* The search and its answer. */
struct fit {
    const struct cluster *c;
    char pod[600];            /* "namespace/name" */
    int32_t *steps;           /* node of each bound copy, in order */
    long long *count;         /* copies per node id */
    long long total;          /* == number of steps */
    struct kube_explain next; /* the cycle of the copy after the last bound one */
    int full;                 /* the next copy fits nowhere (else --max stopped us) */
};

/* What node n says to the next copy: its explained filter result, NULL when not visited. */
static const struct kube_node_explain *next_at(const struct fit *r, int32_t n)
{
    for (size_t i = 0; i < r->next.nnodes; i++)
        if (r->next.nodes[i].node == n)
            return &r->next.nodes[i];
    return NULL;
}

/* The fit-nodes.csv word for node n: the rejecting plugin, "fits" or "not-visited". */
static const char *next_word(const struct fit *r, int32_t n)
{
    const struct kube_node_explain *e = next_at(r, n);
    if (!e)
        return "not-visited";
    return e->code == KUBE_SUCCESS ? "fits" : e->plugin ? e->plugin : "PreFilter";
}

/* "NodeResourcesFit: Insufficient cpu; ..." or the word of next_word (heap). */
static char *next_text(const struct fit *r, int32_t n)
{
    const struct kube_node_explain *e = next_at(r, n);
    if (!e || e->code == KUBE_SUCCESS)
        return xstrdup(next_word(r, n));
    char *s = xasprintf("%s:", e->plugin ? e->plugin : "PreFilter");
    for (size_t k = 0; k < e->nreasons; k++) {
        char *t = xasprintf("%s%s %s", s, k ? ";" : "", e->reasons[k]);
        free(s);
        s = t;
    }
    return s;
}

static cJSON *to_json(const struct fit *r)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "pod", r->pod);
    cJSON_AddNumberToObject(j, "fits", (double)r->total);
    cJSON *nodes = cJSON_AddArrayToObject(j, "nodes");
    for (size_t n = 0; n < r->c->nnodes; n++) {
        if (!r->c->nodes[n].alive)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", r->c->nodes[n].name);
        cJSON_AddNumberToObject(e, "fits", (double)r->count[n]);
        char *why = next_text(r, (int32_t)n);
        cJSON_AddStringToObject(e, "nextCopy", why);
        free(why);
        cJSON_AddItemToArray(nodes, e);
    }
    cJSON *steps = cJSON_AddArrayToObject(j, "placements");
    for (long long k = 0; k < r->total; k++)
        cJSON_AddItemToArray(steps, cJSON_CreateString(r->c->nodes[r->steps[k]].name));
    if (r->full)
        cJSON_AddStringToObject(j, "stoppedBy", r->next.message ? r->next.message : "");
    else
        cJSON_AddNullToObject(j, "stoppedBy");
    return j;
}

static void print_table(const struct fit *r, long long max, const char *outdir)
{
    const struct cluster *c = r->c;
    printf("%lld cop%s of pod %s fit (the pod itself counts as the first)\n\n", r->total,
           r->total == 1 ? "y" : "ies", r->pod);
    int w = 4;
    for (size_t n = 0; n < c->nnodes; n++)
        if (c->nodes[n].alive && (int)strlen(c->nodes[n].name) > w)
            w = (int)strlen(c->nodes[n].name);
    /* The search, copy by copy: where the framework put each one. */
    printf("  %5s  %-*s  %7s\n", "COPY", w, "NODE", "ON NODE");
    long long *seen = xcalloc(c->nnodes ? c->nnodes : 1, sizeof *seen);
    for (long long k = 0; k < r->total; k++) {
        int32_t n = r->steps[k];
        seen[n]++;
        if (k < FIT_SHOWN_STEPS)
            printf("  %5lld  %-*s  %7lld\n", k + 1, w, c->nodes[n].name, seen[n]);
    }
    free(seen);
    if (r->total > FIT_SHOWN_STEPS)
        printf("  (%lld more in %s/fit-placements.csv)\n", r->total - FIT_SHOWN_STEPS, outdir);
    printf("\n  %-*s  %6s  %s\n", w, "NODE", "COPIES", "THE NEXT COPY");
    for (size_t n = 0; n < c->nnodes; n++) {
        if (!c->nodes[n].alive)
            continue;
        char *why = next_text(r, (int32_t)n);
        printf("  %-*s  %6lld  %s\n", w, c->nodes[n].name, r->count[n], why);
        free(why);
    }
    if (r->full)
        printf("\nthe next copy fits nowhere: %s\n", r->next.message ? r->next.message : "");
    else
        printf("\nstopped at --max %lld copies\n", max);
    printf("results: %s/\n", outdir);
}

/* fit-placements.csv, fit-nodes.csv and fit-count.json into the temporary folder. */
static int write_files(const struct fit *r, const struct resultsdir *rd, const char *json,
                       struct diag *d)
{
    const struct cluster *c = r->c;
    char *steps, *nodes;
    size_t slen, nlen;
    FILE *f = open_memstream(&steps, &slen);
    fprintf(f, "copy,node,node_copies\n");
    long long *seen = xcalloc(c->nnodes ? c->nnodes : 1, sizeof *seen);
    for (long long k = 0; k < r->total; k++)
        fprintf(f, "%lld,%s,%lld\n", k + 1, c->nodes[r->steps[k]].name, ++seen[r->steps[k]]);
    free(seen);
    fclose(f);
    f = open_memstream(&nodes, &nlen);
    fprintf(f, "node,copies,next_copy\n");
    for (size_t n = 0; n < c->nnodes; n++)
        if (c->nodes[n].alive)
            fprintf(f, "%s,%lld,%s\n", c->nodes[n].name, r->count[n], next_word(r, (int32_t)n));
    fclose(f);
    char *p1 = resultsdir_path(rd, "fit-placements.csv"),
         *p2 = resultsdir_path(rd, "fit-nodes.csv"), *p3 = resultsdir_path(rd, "fit-count.json");
    int rc = resultsdir_write_file(p1, steps, d) || resultsdir_write_file(p2, nodes, d) ||
                     resultsdir_write_file(p3, json, d)
                 ? -1
                 : 0;
    free(p1);
    free(p2);
    free(p3);
    free(steps);
    free(nodes);
    return rc;
}

/* Binds copies until one fits nowhere or max are bound, then explains the next one. */
static void search(struct fit *r, struct snapshot *s, struct framework *fw, long long max)
{
    struct cluster *c = s->cluster;
    const struct snapshot_pod *sp = &s->pods[s->target];
    r->c = c;
    r->count = xcalloc(c->nnodes ? c->nnodes : 1, sizeof *r->count);
    size_t cap = 0;
    int32_t owner = c->pods[sp->pod].owner;
    /* The pod itself is the first copy; each bound copy makes the next. */
    int32_t pod = sp->pod;
    while (r->total < max) {
        int32_t node = framework_schedule(fw, c, pod);
        if (node < 0)
            break;
        cluster_bind(c, pod, node, 0);
        xgrow((void **)&r->steps, &cap, (size_t)r->total + 1, sizeof *r->steps);
        r->steps[r->total++] = node;
        r->count[node]++;
        pod = cluster_new_pod(c, owner, 0);
    }
    /* The failed cycle again with reasons on: every node is visited when none
     * is feasible, so the result does not depend on nextStartNodeIndex. */
    r->full = framework_explain(fw, c, pod, &r->next) < 0;
    snapshot_pod_name(s, s->target, r->pod, sizeof r->pod);
}

static int fit_count(int argc, char **argv)
{
    struct fit_opts f;
    memset(&f, 0, sizeof f);
    snapopt_init(&f.snap, argc);
    expopt_init(&f.o);
    int rc = parse(argc, argv, &f);
    if (rc != CLI_OK) {
        snapopt_release(&f.snap);
        expopt_release(&f.o);
        return rc;
    }
    struct diag d;
    diag_clear(&d);
    struct snapshot s;
    struct snapshot_sched ss;
    struct resultsdir rd;
    struct fit r;
    memset(&ss, 0, sizeof ss);
    memset(&rd, 0, sizeof rd);
    memset(&r, 0, sizeof r);
    char *outdir = NULL;
    rc = CLI_FAIL;
    if (snapshot_load(&s, f.snap.files, f.snap.nfiles, f.snap.config, f.snap.pod, &d))
        goto out_files;
    if (snapshot_sched_init(&ss, &s, f.snap.seed, &d))
        goto out;
    outdir = f.o.outdir ? xstrdup(f.o.outdir)
                        : xasprintf("results/plan/%s-fit-count", s.pods[s.target].name);
    if (resultsdir_begin(&rd, outdir, &d))
        goto out;
    search(&r, &s, ss.fw, f.max);
    cJSON *j = to_json(&r);
    char *json = cJSON_Print(j);
    cJSON_Delete(j);
    char *jsonl = xasprintf("%s\n", json);
    cJSON_free(json);
    int bad = write_files(&r, &rd, jsonl, &d) ||
              expopt_finish(&f.o, CMD, &rd, expopt_catch_interrupts(), &d);
    if (!bad && strcmp(f.format, "json") == 0)
        fputs(jsonl, stdout);
    else if (!bad)
        print_table(&r, f.max, outdir);
    free(jsonl);
    if (!bad)
        rc = CLI_OK;
out:
    kube_explain_release(&r.next);
    free(r.steps);
    free(r.count);
    resultsdir_release(&rd);
    free(outdir);
    snapshot_sched_release(&ss);
    snapshot_release(&s);
out_files:
    if (rc != CLI_OK)
        fprintf(stderr, "%s\n", d.text);
    snapopt_release(&f.snap);
    expopt_release(&f.o);
    return rc;
}

const struct plan_subcommand plan_fit_count_cmd = {
    "fit-count", "how many more copies of a pod fit on a snapshot (cluster-capacity style)",
    fit_count};
