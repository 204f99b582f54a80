#include "sim/io/experiment/experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kube/profile.h"
#include "models/placement/placement.h"
#include "sim/base/xalloc.h"
#include "sim/io/experiment/metrics.h"
#include "sim/io/scenario/scenario.h"
#include "sim/io/schema.h"
#include "sim/io/yemit.h"
#include "sim/io/ytree.h"

char *experiment_yaml_text(const struct ynode *n)
{
    char *text = yemit_flow(n);
    if (!text)
        BUG("libyaml cannot write a value it read");
    return text;
}

/* --------------------------------------------------------------- variants */

static const char *const variant_keys[] = {"name", "set", NULL};

static int read_variant(struct exp_variant *v, const struct ynode *n, struct diag *d)
{
    const struct ynode *x;
    if (schema_check_keys(n, "variants[]", variant_keys, d))
        return -1;
    if (!(x = schema_require(n, "variants[]", "name", d)) || schema_name(x, "name", &v->name, d))
        return -1;
    if (!(x = schema_require(n, "variants[]", "set", d)) || schema_expect_map(x, "set", d))
        return -1;
    v->sets = xcalloc(x->n ? x->n : 1, sizeof *v->sets);
    for (size_t i = 0; i < x->n; i++) {
        const struct ynode *k = x->pairs[i].key;
        if (!k->str[0]) {
            diag_set(d, k->file, k->line, k->col, "set: a path must not be empty");
            return -1;
        }
        v->sets[i].path = xstrdup(k->str);
        v->sets[i].value = experiment_yaml_text(x->pairs[i].value);
        v->nsets = i + 1;
    }
    return 0;
}

int experiment_read_variants(struct experiment *e, const struct ynode *n, struct diag *d)
{
    if (schema_expect_seq(n, "variants", d))
        return -1;
    if (!n || !n->n)
        return 0;
    e->variants = xcalloc(n->n, sizeof *e->variants);
    for (size_t i = 0; i < n->n; i++) {
        struct exp_variant *v = &e->variants[i];
        e->nvariants = i + 1;
        if (read_variant(v, n->items[i], d))
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(e->variants[j].name, v->name) == 0) {
                const struct ynode *at = ynode_get(n->items[i], "name");
                diag_set(d, at->file, at->line, at->col, "duplicate variant name '%s'", v->name);
                return -1;
            }
        }
    }
    return 0;
}

const struct exp_variant *experiment_variant(const struct experiment *e, const char *name)
{
    for (size_t i = 0; i < e->nvariants; i++)
        if (strcmp(e->variants[i].name, name) == 0)
            return &e->variants[i];
    return NULL;
}

/* ------------------------------------------------------------------ goals */

static const char *const goal_keys[] = {"metric", "max", "min", NULL};

static void add_goal(struct experiment *e, const char *metric, enum exp_bound b, double limit)
{
    e->goals = xrealloc(e->goals, (e->ngoals + 1) * sizeof *e->goals);
    e->goals[e->ngoals].metric = xstrdup(metric);
    e->goals[e->ngoals].bound = b;
    e->goals[e->ngoals].limit = limit;
    e->ngoals++;
}

int experiment_read_goals(struct experiment *e, const struct ynode *n, struct diag *d)
{
    if (schema_expect_seq(n, "goals", d))
        return -1;
    for (size_t i = 0; n && i < n->n; i++) {
        const struct ynode *g = n->items[i], *x;
        const char *metric;
        if (schema_check_keys(g, "goals[]", goal_keys, d))
            return -1;
        if (!(x = schema_require(g, "goals[]", "metric", d)) ||
            schema_string(x, "metric", &metric, d))
            return -1;
        const struct ynode *mx = ynode_get(g, "max"), *mn = ynode_get(g, "min");
        if (!mx == !mn) {
            diag_set(d, g->file, g->line, g->col, "goals[]: give exactly one of 'max' or 'min'");
            return -1;
        }
        double limit;
        if (schema_double(mx ? mx : mn, mx ? "max" : "min", -1e300, 1e300, &limit, d))
            return -1;
        add_goal(e, metric, mx ? EXP_MAX : EXP_MIN, limit);
    }
    return 0;
}

int experiment_parse_goal(struct experiment *e, const char *arg, struct diag *d)
{
    const char *op = strstr(arg, "<=");
    enum exp_bound b = EXP_MAX;
    if (!op) {
        op = strstr(arg, ">=");
        b = EXP_MIN;
    }
    char *end = NULL;
    double limit = op ? strtod(op + 2, &end) : 0;
    if (!op || op == arg || end == op + 2 || *end) {
        diag_set(d, NULL, 0, 0, "--goal '%s': expected METRIC<=NUMBER or METRIC>=NUMBER", arg);
        return -1;
    }
    char *metric = xstrndup(arg, (size_t)(op - arg));
    add_goal(e, metric, b, limit);
    free(metric);
    return 0;
}

int experiment_goals_met(const struct experiment *e, const struct metrics *m, struct diag *d)
{
    int met = 1;
    for (size_t i = 0; i < e->ngoals; i++) {
        const struct exp_goal *g = &e->goals[i];
        long k = metrics_find(m, g->metric);
        if (k < 0) {
            const char **names = metrics_names(m);
            const char *sug = diag_suggest(g->metric, names);
            if (sug)
                diag_set(d, NULL, 0, 0,
                         "goal metric '%s' is not in summary.json (did you mean '%s'?)", g->metric,
                         sug);
            else
                diag_set(d, NULL, 0, 0, "goal metric '%s' is not in summary.json", g->metric);
            free(names);
            return -1;
        }
        double v = m->values[k];
        if (g->bound == EXP_MAX ? v > g->limit : v < g->limit)
            met = 0;
    }
    return met;
}

void experiment_release(struct experiment *e)
{
    for (size_t i = 0; i < e->nvariants; i++) {
        for (size_t j = 0; j < e->variants[i].nsets; j++) {
            free((char *)e->variants[i].sets[j].path);
            free((char *)e->variants[i].sets[j].value);
        }
        free(e->variants[i].sets);
    }
    free(e->variants);
    for (size_t i = 0; i < e->ngoals; i++)
        free(e->goals[i].metric);
    free(e->goals);
    memset(e, 0, sizeof *e);
}

/* ---------------------------------------------------------- override lists */

void exp_sets_add(struct exp_sets *l, const char *path, const char *value)
{
    xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n].path = xstrdup(path);
    l->v[l->n].value = xstrdup(value);
    l->n++;
}

void exp_sets_extend(struct exp_sets *l, const struct exp_sets *other)
{
    for (size_t i = 0; i < other->n; i++)
        exp_sets_add(l, other->v[i].path, other->v[i].value);
}

void exp_sets_release(struct exp_sets *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->v[i].path);
        free((char *)l->v[i].value);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Whether the scheduler configuration kc (NULL: the upstream default) has a profile named name. */
static int has_profile(const struct kube_config *kc, const char *name)
{
    if (!kc)
        return strcmp(name, "default-scheduler") == 0;
    for (size_t i = 0; i < kc->nprofiles; i++)
        if (strcmp(kc->profiles[i].scheduler_name, name) == 0)
            return 1;
    return 0;
}

int experiment_policy_sets(const struct experiment *e, const struct kube_config *kc,
                           const char *name, const char *what, struct exp_sets *out, struct diag *d)
{
    const struct exp_variant *v = experiment_variant(e, name);
    if (v) {
        for (size_t i = 0; i < v->nsets; i++)
            exp_sets_add(out, v->sets[i].path, v->sets[i].value);
        return 0;
    }
    if (placement_find(name)) {
        exp_sets_add(out, "spec.scheduler.policy", name);
        return 0;
    }
    if (has_profile(kc, name)) {
        /* A profile of the scenario's KubeSchedulerConfiguration schedules every pod. */
        exp_sets_add(out, "spec.scheduler.policy", "kube");
        exp_sets_add(out, "spec.scheduler.profile", name);
        return 0;
    }
    size_t n = 0;
    while (placement_registry[n])
        n++;
    size_t nprof = kc ? kc->nprofiles : 0;
    const char **names = xcalloc(n + e->nvariants + nprof + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = placement_registry[i]->name;
    for (size_t i = 0; i < e->nvariants; i++)
        names[n + i] = e->variants[i].name;
    for (size_t i = 0; i < nprof; i++)
        names[n + e->nvariants + i] = kc->profiles[i].scheduler_name;
    const char *sug = diag_suggest(name, names);
    if (sug)
        diag_set(d, NULL, 0, 0, "%s: unknown policy '%s' (did you mean '%s'?)", what, name, sug);
    else
        diag_set(d, NULL, 0, 0,
                 "%s: unknown policy '%s' (neither a placement policy, see `ksim list`, nor a "
                 "variant in spec.variants, nor a profile of spec.scheduler's configuration)",
                 what, name);
    free(names);
    return -1;
}
