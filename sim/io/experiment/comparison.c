#include "sim/io/experiment/comparison.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sim/base/xalloc.h"
#include "sim/io/experiment/metrics.h"
#include "sim/io/resultsdir.h"

static size_t metric_index(struct comparison *c, const char *name, size_t *cap)
{
    for (size_t m = 0; m < c->nmetrics; m++)
        if (strcmp(c->metrics[m], name) == 0)
            return m;
    xgrow((void **)&c->metrics, cap, c->nmetrics + 1, sizeof *c->metrics);
    c->metrics[c->nmetrics] = xstrdup(name);
    return c->nmetrics++;
}

int comparison_build(struct comparison *c, const char *const *policies, size_t npolicies,
                     const char *const *rundirs, size_t nruns, struct diag *d)
{
    memset(c, 0, sizeof *c);
    c->npolicies = npolicies;
    c->policies = xcalloc(npolicies ? npolicies : 1, sizeof *c->policies);
    for (size_t p = 0; p < npolicies; p++)
        c->policies[p] = xstrdup(policies[p]);
    size_t nall = npolicies * nruns, cap = 0;
    struct metrics *all = xcalloc(nall ? nall : 1, sizeof *all);
    int rc = -1;
    for (size_t k = 0; k < nall; k++) {
        metrics_init(&all[k]);
        if (metrics_read_summary(rundirs[k], &all[k], d))
            goto out;
        for (size_t i = 0; i < all[k].n; i++)
            metric_index(c, all[k].names[i], &cap);
    }
    c->cells = xcalloc(npolicies * c->nmetrics + 1, sizeof *c->cells);
    double *x = xcalloc(nruns + 1, sizeof *x);
    for (size_t p = 0; p < npolicies; p++) {
        for (size_t m = 0; m < c->nmetrics; m++) {
            size_t n = 0;
            for (size_t r = 0; r < nruns; r++) {
                const struct metrics *mr = &all[p * nruns + r];
                long i = metrics_find(mr, c->metrics[m]);
                if (i >= 0)
                    x[n++] = mr->values[i];
            }
            stats_compute(x, n, &c->cells[p * c->nmetrics + m]);
        }
    }
    free(x);
    rc = 0;
out:
    for (size_t k = 0; k < nall; k++)
        metrics_release(&all[k]);
    free(all);
    return rc;
}

void comparison_release(struct comparison *c)
{
    for (size_t p = 0; p < c->npolicies; p++)
        free(c->policies[p]);
    for (size_t m = 0; m < c->nmetrics; m++)
        free(c->metrics[m]);
    free(c->policies);
    free(c->metrics);
    free(c->cells);
    memset(c, 0, sizeof *c);
}

const struct stats *comparison_cell(const struct comparison *c, size_t p, size_t m)
{
    return &c->cells[p * c->nmetrics + m];
}

static char *csv_text(const struct comparison *c)
{
    size_t cap = 0, len = 0;
    char *buf = NULL;
    const char *head = "policy,metric,runs,mean,stddev,ci95_low,ci95_high\n";
    xgrow((void **)&buf, &cap, strlen(head) + 1, 1);
    strcpy(buf, head);
    len = strlen(head);
    for (size_t p = 0; p < c->npolicies; p++) {
        for (size_t m = 0; m < c->nmetrics; m++) {
            const struct stats *s = comparison_cell(c, p, m);
            if (!s->n)
                continue;
            char *row = xasprintf("%s,%s,%zu,%.6f,%.6f,%.6f,%.6f\n", c->policies[p], c->metrics[m],
                                  s->n, s->mean, s->stddev, s->ci95_low, s->ci95_high);
            size_t rl = strlen(row);
            xgrow((void **)&buf, &cap, len + rl + 1, 1);
            memcpy(buf + len, row, rl + 1);
            len += rl;
            free(row);
        }
    }
    return buf;
}

static char *json_text(const struct comparison *c, const char *scenario, const uint64_t *seeds,
                       size_t nseeds)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "scenario", scenario);
    cJSON *sj = cJSON_AddArrayToObject(j, "seeds");
    for (size_t i = 0; i < nseeds; i++)
        cJSON_AddItemToArray(sj, cJSON_CreateNumber((double)seeds[i]));
    cJSON *pj = cJSON_AddArrayToObject(j, "policies");
    for (size_t p = 0; p < c->npolicies; p++) {
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "name", c->policies[p]);
        cJSON_AddNumberToObject(one, "runs", (double)nseeds);
        cJSON *mj = cJSON_AddObjectToObject(one, "metrics");
        for (size_t m = 0; m < c->nmetrics; m++) {
            const struct stats *s = comparison_cell(c, p, m);
            if (!s->n)
                continue;
            cJSON *cell = cJSON_AddObjectToObject(mj, c->metrics[m]);
            cJSON_AddNumberToObject(cell, "runs", (double)s->n);
            cJSON_AddNumberToObject(cell, "mean", s->mean);
            cJSON_AddNumberToObject(cell, "stddev", s->stddev);
            cJSON_AddNumberToObject(cell, "ci95_low", s->ci95_low);
            cJSON_AddNumberToObject(cell, "ci95_high", s->ci95_high);
        }
        cJSON_AddItemToArray(pj, one);
    }
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    char *out = xasprintf("%s\n", text);
    cJSON_free(text);
    return out;
}

int comparison_write(const struct comparison *c, const char *dir, const char *scenario,
                     const uint64_t *seeds, size_t nseeds, struct diag *d)
{
    char *csv = csv_text(c), *json = json_text(c, scenario, seeds, nseeds);
    char *csv_path = xasprintf("%s/comparison.csv", dir);
    char *json_path = xasprintf("%s/comparison.json", dir);
    int rc = resultsdir_write_file(csv_path, csv, d) || resultsdir_write_file(json_path, json, d)
                 ? -1
                 : 0;
    free(csv);
    free(json);
    free(csv_path);
    free(json_path);
    return rc;
}

/* The metrics worth a glance, in the order shown; absent ones are skipped. */
static const char *const key_metrics[] = {
    "pods.scheduled",
    "pods.pending_at_end",
    "pods.peak_pending",
    "scheduling_latency_s.p95",
    "cpu_alloc_ratio.mean",
    "mem_alloc_ratio.mean",
    NULL,
};

void comparison_print(const struct comparison *c, FILE *f)
{
    long cols[16];
    size_t ncols = 0;
    for (size_t k = 0; key_metrics[k]; k++) {
        for (size_t m = 0; m < c->nmetrics; m++)
            if (strcmp(c->metrics[m], key_metrics[k]) == 0)
                cols[ncols++] = (long)m;
    }
    int pw = 6;
    for (size_t p = 0; p < c->npolicies; p++)
        if ((int)strlen(c->policies[p]) > pw)
            pw = (int)strlen(c->policies[p]);
    fprintf(f, "%-*s", pw, "policy");
    for (size_t k = 0; k < ncols; k++)
        fprintf(f, "  %24s", c->metrics[cols[k]]);
    fprintf(f, "\n");
    for (size_t p = 0; p < c->npolicies; p++) {
        fprintf(f, "%-*s", pw, c->policies[p]);
        for (size_t k = 0; k < ncols; k++) {
            const struct stats *s = comparison_cell(c, p, (size_t)cols[k]);
            char cell[64];
            if (s->n)
                snprintf(cell, sizeof cell, "%.3f ± %.3f", s->mean, stats_halfwidth(s));
            else
                snprintf(cell, sizeof cell, "-");
            /* "±" is two bytes but one column wide. */
            fprintf(f, "  %*s", s->n ? 25 : 24, cell);
        }
        fprintf(f, "\n");
    }
    fprintf(f, "(mean ± half-width of the 95%% confidence interval over each policy's runs)\n");
}
