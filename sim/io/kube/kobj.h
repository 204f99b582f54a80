#ifndef KSIM_IO_KOBJ_H
#define KSIM_IO_KOBJ_H
/*
 * Strict readers for the pieces every Kubernetes object shares, for commands
 * that read real `kubectl get -o yaml` / `-o json` output (ksim hpa-calc).
 *
 * Strict means: a key the upstream API type does not have is an error at
 * its position ("unknown key 'replica' in spec (did you mean 'replicas'?)"),
 * so typos do not pass silently; every key the API type does have is
 * accepted, read or not, so pasted output (managedFields, uid,
 * resourceVersion, creationTimestamp, status fields ksim does not use) loads
 * as it is. Sub-objects ksim never reads (a pod template, volumes, probes)
 * are not descended into.
 */
#include <stdint.h>
#include <string.h>

#include "sim/base/diag.h"
#include "sim/base/xalloc.h"
#include "sim/cluster/labels.h"
#include "sim/cluster/labelselector.h"
#include "sim/engine/simtime.h"
#include "sim/io/ytree.h"

/* The metadata fields read (metav1.ObjectMeta); strings live as long as the tree. */
struct kobj_meta {
    const struct ynode *node;   /* the metadata mapping, NULL when absent */
    const char *name;           /* "" when absent */
    const char *namespace_name; /* "default" when absent */
    int has_labels;
    struct labelset labels; /* owned: kobj_meta_release */
    int deleting;           /* deletionTimestamp is set */
    simtime deletion;
    const struct ynode *annotations; /* the mapping, or NULL */
};

/*
 * Reads obj.metadata (every ObjectMeta key accepted). required: a missing
 * metadata or metadata.name is an error ("missing required key 'name' in
 * metadata"). Timestamps read are reported to *latest (see kobj_time).
 */
int kobj_meta(const struct ynode *obj, int required, struct kobj_meta *m, simtime *latest,
              struct diag *d);
void kobj_meta_release(struct kobj_meta *m);
/* The annotation's string value, or NULL. */
const char *kobj_annotation(const struct kobj_meta *m, const char *key);

/*
 * An RFC 3339 timestamp at n (sim/io/rfc3339.h). Raises *latest to it when
 * latest is non-NULL and *latest is smaller. Errors:
 *   what: invalid timestamp 'x': expected RFC 3339, e.g. 2024-05-01T12:00:00Z
 */
int kobj_time(const struct ynode *n, const char *what, simtime *out, simtime *latest,
              struct diag *d);

/*
 * A metav1.LabelSelector ({matchLabels, matchExpressions: [{key, operator,
 * values}]}) into sel (initialized here; release it even on error). In and
 * NotIn need values, Exists and DoesNotExist must have none, as API
 * validation requires.
 */
int kobj_selector(const struct ynode *n, const char *where, struct labelselector *sel,
                  struct diag *d);

/* Whether n is absent or null (an optional field left out). */
int kobj_absent(const struct ynode *n);

/*
 * An optional integer map.key in [min, max]: 0 when absent (out untouched),
 * 1 when read, -1 on error.
 */
int kobj_opt_int(const struct ynode *map, const char *key, int64_t min, int64_t max, int64_t *out,
                 struct diag *d);

/* A Go duration string (metav1.Duration: "30s", "1m0s", "15.052s"), not negative. */
int kobj_duration(const struct ynode *n, const char *what, simtime *out, struct diag *d);

/*
 * Memory that lives as long as the objects read into it: every block is
 * freed by kobj_pool_release. A zeroed pool is empty.
 */
struct kobj_pool {
    void **blocks;
    size_t n, cap;
};

/* count x size zeroed bytes (at least one byte). */
void *kobj_alloc(struct kobj_pool *pool, size_t count, size_t size);
/* Takes ownership of a heap string (xasprintf's) and returns it. */
char *kobj_keep(struct kobj_pool *pool, char *heap);
void kobj_pool_release(struct kobj_pool *pool);

/* Appends a zeroed element to a growable array (arr, n, cap) and returns it. */
#define KOBJ_PUSH(arr, n, cap)                                                                     \
    (xgrow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)),                                       \
     memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

struct hpa_request;
/*
 * A resource list ({cpu: 500m, memory: 1Gi}) as Quantity.MilliValue() per
 * name, in the pool; names point into the tree.
 */
int kobj_requests(struct kobj_pool *pool, const struct ynode *map, const char *where,
                  const struct hpa_request **out, size_t *n, struct diag *d);

#endif
