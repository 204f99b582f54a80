#ifndef KSIM_CLUSTER_LABELS_H
#define KSIM_CLUSTER_LABELS_H
/*
 * Labels, node selectors, taints and tolerations: the parts of Kubernetes
 * object metadata that decide where a pod may go.
 */
#include <stddef.h>
#include <stdint.h>

struct label {
    char *key;
    char *value;
};

/* A small set of key/value pairs, kept in insertion order. */
struct labelset {
    struct label *v;
    size_t n, cap;
};

void labelset_init(struct labelset *ls);
void labelset_release(struct labelset *ls);
/* Sets key to value (replacing an existing value). Copies both strings. */
void labelset_set(struct labelset *ls, const char *key, const char *value);
/* The value of key, or NULL. */
const char *labelset_get(const struct labelset *ls, const char *key);
void labelset_copy(struct labelset *dst, const struct labelset *src);
/* Whether every pair of selector is in ls (a nodeSelector match). */
int labelset_matches(const struct labelset *ls, const struct labelset *selector);

enum taint_effect { TAINT_NO_SCHEDULE, TAINT_PREFER_NO_SCHEDULE, TAINT_NO_EXECUTE };

struct taint {
    char *key;
    char *value; /* may be "" */
    enum taint_effect effect;
};

enum toleration_op { TOL_EQUAL, TOL_EXISTS };

struct toleration {
    char *key;   /* "" with TOL_EXISTS tolerates every taint */
    char *value; /* "" when absent */
    enum toleration_op op;
    int effect; /* an enum taint_effect, or -1 for "all effects" */
};

/* "NoSchedule", "PreferNoSchedule", "NoExecute", NULL: indexed by enum taint_effect. */
extern const char *const taint_effect_names[];

/* Parses "NoSchedule" etc.; -1 when unknown. */
int taint_effect_parse(const char *s);
const char *taint_effect_name(enum taint_effect e);
void taint_copy(struct taint *dst, const struct taint *src);
void taint_release(struct taint *t);
void toleration_copy(struct toleration *dst, const struct toleration *src);
void toleration_release(struct toleration *t);

/*
 * Whether tol tolerates taint. Follows k8s.io/api/core/v1/toleration.go
 * (ToleratesTaint): effects match when the toleration's is empty or equal;
 * an empty key with Exists matches every key; Exists ignores the value,
 * Equal compares it.
 */
int toleration_tolerates(const struct toleration *tol, const struct taint *taint);

/*
 * The first taint with effect NoSchedule or NoExecute that no toleration
 * tolerates, or -1 when all are tolerated (the TaintToleration filter;
 * pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go).
 */
int taints_first_untolerated(const struct taint *taints, size_t ntaints,
                             const struct toleration *tols, size_t ntols);

#endif
