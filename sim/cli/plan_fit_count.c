/*
 * ksim plan fit-count: how many more copies of a pod fit on a cluster
 * snapshot, as kubernetes-sigs/cluster-capacity answers it: copies of the
 * pod are scheduled one after another through the kube framework (the code
 * path of `ksim score` and policy kube), each bound where the framework puts
 * it, until one fits nowhere; the answer is the number bound, per node, and
 * the FitError of the copy that failed says why the cluster is full.
 *
 * The snapshot is read by sim/io/snapshot (Nodes, Pods, an optional
 * KubeSchedulerConfiguration); the pod to copy is --pod or the only pod
 * without spec.nodeName, exactly as for `ksim score`. Copies share the pod's
 * spec, labels and namespace, so PodTopologySpread and InterPodAffinity count
 * the copies already placed, as cluster-capacity's simulated pods do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "models/kube/framework.h"
#include "sim/base/xalloc.h"
#include "sim/cli/cli.h"
#include "sim/cli/plan.h"
#include "sim/cluster/cluster.h"
#include "sim/io/snapshot.h"

struct fit_opts {
    const char *pod, *config, *format;
    uint64_t seed;
    long long max;
    const char **files;
    size_t nfiles;
};

static int parse(int argc, char **argv, struct fit_opts *o)
{
    o->format = "table";
    o->max = 100000;
    o->files = xcalloc((size_t)argc + 1, sizeof *o->files);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (cli_option_is(a, "--pod", NULL)) {
            if (!(o->pod = cli_option_value(argc, argv, &i)) || !*o->pod)
                return cli_usage_error("plan fit-count", "--pod needs NAME or NAMESPACE/NAME");
        } else if (cli_option_is(a, "--config", NULL)) {
            if (!(o->config = cli_option_value(argc, argv, &i)))
                return cli_usage_error("plan fit-count", "--config needs a file");
        } else if (cli_option_is(a, "--seed", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || !*v || *v == '-' || (o->seed = strtoull(v, &end, 10), *end))
                return cli_usage_error("plan fit-count",
                                       "--seed needs a non-negative integer, got '%s'", v ? v : "");
        } else if (cli_option_is(a, "--max", NULL)) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || !*v || (o->max = strtoll(v, &end, 10), *end) || o->max < 1)
                return cli_usage_error("plan fit-count", "--max needs a positive integer, got '%s'",
                                       v ? v : "");
        } else if (cli_option_is(a, "--output", "-o")) {
            o->format = cli_option_value(argc, argv, &i);
            if (!o->format || (strcmp(o->format, "table") && strcmp(o->format, "json")))
                return cli_usage_error("plan fit-count", "-o needs 'table' or 'json', got '%s'",
                                       o->format ? o->format : "");
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("plan fit-count", "unknown option '%s'", a);
        } else {
            o->files[o->nfiles++] = a;
        }
    }
    if (!o->nfiles)
        return cli_usage_error("plan fit-count", "missing FILE (Nodes and Pods, e.g. kubectl get "
                                                 "nodes,pods -A -o yaml)");
    return CLI_OK;
}

static void print(const struct fit_opts *o, const struct cluster *c, const char *pod,
                  const long long *count, long long total, const char *why)
{
    if (strcmp(o->format, "json") == 0) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "pod", pod);
        cJSON_AddNumberToObject(j, "fits", (double)total);
        cJSON *nodes = cJSON_AddArrayToObject(j, "nodes");
        for (size_t n = 0; n < c->nnodes; n++) {
            if (!c->nodes[n].alive)
                continue;
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "name", c->nodes[n].name);
            cJSON_AddNumberToObject(e, "fits", (double)count[n]);
            cJSON_AddItemToArray(nodes, e);
        }
        if (why)
            cJSON_AddStringToObject(j, "stoppedBy", why);
        else
            cJSON_AddNullToObject(j, "stoppedBy");
        char *text = cJSON_Print(j);
        puts(text);
        cJSON_free(text);
        cJSON_Delete(j);
        return;
    }
    printf("%lld cop%s of pod %s fit (the pod itself counts as the first)\n\n", total,
           total == 1 ? "y" : "ies", pod);
    size_t w = 4;
    for (size_t n = 0; n < c->nnodes; n++)
        if (c->nodes[n].alive && strlen(c->nodes[n].name) > w)
            w = strlen(c->nodes[n].name);
    printf("  %-*s  %6s\n", (int)w, "NODE", "COPIES");
    for (size_t n = 0; n < c->nnodes; n++)
        if (c->nodes[n].alive)
            printf("  %-*s  %6lld\n", (int)w, c->nodes[n].name, count[n]);
    if (why)
        printf("\nthe next copy fits nowhere: %s\n", why);
    else
        printf("\nstopped at --max %lld copies\n", o->max);
}

static int fit_count(int argc, char **argv)
{
    struct fit_opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc != CLI_OK) {
        free(o.files);
        return rc;
    }
    struct diag d;
    diag_clear(&d);
    struct snapshot s;
    struct snapshot_sched ss;
    memset(&ss, 0, sizeof ss);
    long long *count = NULL;
    rc = CLI_FAIL;
    if (snapshot_load(&s, o.files, o.nfiles, o.config, o.pod, &d))
        goto out_files;
    if (snapshot_sched_init(&ss, &s, o.seed, &d))
        goto out;
    const struct snapshot_pod *sp = &s.pods[s.target];
    struct cluster *c = s.cluster;
    count = xcalloc(c->nnodes ? c->nnodes : 1, sizeof *count);
    int32_t owner = c->pods[sp->pod].owner;
    long long total = 0;
    char why[2048] = "";
    /* The pod itself is the first copy; each bound copy makes the next. */
    int32_t pod = sp->pod;
    while (total < o.max) {
        int32_t node = framework_schedule(ss.fw, c, pod);
        if (node < 0) {
            framework_fit_error(ss.fw, c, pod, why, sizeof why);
            break;
        }
        cluster_bind(c, pod, node, 0);
        count[node]++;
        total++;
        pod = cluster_new_pod(c, owner, 0);
    }
    char name[600];
    snapshot_pod_name(&s, s.target, name, sizeof name);
    print(&o, c, name, count, total, why[0] ? why : NULL);
    rc = CLI_OK;
out:
    free(count);
    snapshot_sched_release(&ss);
    snapshot_release(&s);
out_files:
    if (rc != CLI_OK)
        fprintf(stderr, "%s\n", d.text);
    free(o.files);
    return rc;
}

const struct plan_subcommand plan_fit_count_cmd = {
    "fit-count", "how many more copies of a pod fit on a snapshot (cluster-capacity style)",
    fit_count};
