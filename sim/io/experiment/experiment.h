#ifndef KSIM_IO_EXPERIMENT_H
#define KSIM_IO_EXPERIMENT_H
/*
 * The parts of a scenario that only experiments read (scenarios/README.md,
 * "Variants and goals"):
 *
 *   spec:
 *     variants:                      # named alternatives for ksim compare/sweep
 *       - name: hpa-fast
 *         set: {"spec.scheduler.policy": best-fit, "spec.lifecycle.startupDelay": 1s}
 *     goals:                         # what ksim plan must keep true
 *       - {metric: scheduling_latency_s.max, max: 300}
 *       - {metric: pods.pending_at_end, max: 0}
 *
 * A variant is a list of --set overrides under a name: `ksim compare
 * --policies first-fit,hpa-fast` runs the scenario once with
 * spec.scheduler.policy=first-fit and once with the variant's overrides. A
 * goal bounds one numeric summary.json metric (dotted path, see
 * sim/io/experiment/metrics.h) from above (max) or below (min); a run meets its goals
 * when every bound holds.
 */
#include <stddef.h>

#include "sim/base/diag.h"

struct kube_config;
struct ynode;
struct metrics;

/* One --set override: path and YAML value (scenario.h's struct scn_override). */
struct scn_override;

struct exp_variant {
    const char *name;          /* points into the scenario's tree */
    struct scn_override *sets; /* heap; path and value strings are heap too */
    size_t nsets;
};

enum exp_bound { EXP_MAX, EXP_MIN };

struct exp_goal {
    char *metric; /* heap */
    enum exp_bound bound;
    double limit;
};

struct experiment {
    struct exp_variant *variants;
    size_t nvariants;
    struct exp_goal *goals;
    size_t ngoals;
};

/* Reads spec.variants (may be NULL) into e. 0, or -1 with d set. */
int experiment_read_variants(struct experiment *e, const struct ynode *n, struct diag *d);
/* Reads spec.goals (may be NULL) into e. 0, or -1 with d set. */
int experiment_read_goals(struct experiment *e, const struct ynode *n, struct diag *d);
void experiment_release(struct experiment *e);

/* The variant named name, or NULL. */
const struct exp_variant *experiment_variant(const struct experiment *e, const char *name);

/*
 * Parses a goal written on the command line, "metric<=value" or
 * "metric>=value", and appends it. 0, or -1 with d set.
 */
int experiment_parse_goal(struct experiment *e, const char *arg, struct diag *d);

/*
 * Whether m meets every goal. A goal naming a metric m lacks is an error
 * (-1, d set, with a did-you-mean); otherwise 1 (met) or 0 (missed).
 */
int experiment_goals_met(const struct experiment *e, const struct metrics *m, struct diag *d);

/* A growable list of --set overrides; add copies the strings. */
struct exp_sets {
    struct scn_override *v;
    size_t n, cap;
};
void exp_sets_add(struct exp_sets *l, const char *path, const char *value);
/* Appends every override of other. */
void exp_sets_extend(struct exp_sets *l, const struct exp_sets *other);
void exp_sets_release(struct exp_sets *l);

/*
 * The overrides that select a "policy" of compare and sweep: a variant's
 * sets when e defines a variant of that name, else
 * spec.scheduler.policy=<name> for a registered placement policy, else, for
 * the schedulerName of a profile in kc (the scenario's KubeSchedulerConfiguration;
 * NULL: the upstream default, whose one profile is "default-scheduler"),
 * spec.scheduler.policy=kube and spec.scheduler.profile=<name>. Unknown
 * names are an error naming the closest policy, variant or profile:
 *   --policies: unknown policy 'frist-fit' (did you mean 'first-fit'?)
 * what names the option for the message ("--policies").
 */
int experiment_policy_sets(const struct experiment *e, const struct kube_config *kc,
                           const char *name, const char *what, struct exp_sets *out,
                           struct diag *d);

/* YAML text of a node on one line (sim/io/yemit), so a value can go through override_apply. Heap.
 */
char *experiment_yaml_text(const struct ynode *n);

#endif
