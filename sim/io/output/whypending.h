#ifndef KSIM_IO_WHYPENDING_H
#define KSIM_IO_WHYPENDING_H
/*
 * Why pods waited: the reasons of every failed scheduling attempt of a run,
 * aggregated for summary.json's `pending_reasons`.
 *
 * A failed attempt carries kube-scheduler's FitError text,
 *   "0/12 nodes are available: 2 node(s) had untolerated taint(s), 10 Insufficient cpu."
 * (pkg/scheduler/framework/types.go, FitError.Error: "0/N nodes are
 * available: " + the sorted "count reason" strings joined by ", " + "."; a
 * PostFilter message may follow after ". "). Each reason is the part after
 * the count. For every reason the summary gives
 *   attempts        failed attempts whose message names it
 *   pods            distinct pods that had it in at least one failed attempt
 *   pending_at_end  pods still pending at the end whose last failed attempt named it
 *   nodes_max       the largest count it had in one message (how many nodes it
 *                   turned away at once)
 * A message that is not in FitError form ("no nodes available to schedule
 * pods") is one reason, the whole text, with count 0.
 *
 * Reasons and reason sets are interned, so an attempt costs one parse of the
 * message (skipped when it is the same text as the previous attempt's) and
 * O(reasons in it) work; memory is O(distinct reasons + pods that failed).
 */
#include <stddef.h>
#include <stdint.h>

struct cluster;
struct cJSON;
struct whypending;

struct whypending *whypending_new(void);
void whypending_free(struct whypending *w);

/* Records one failed attempt of the pod in slot pod, generation gen. */
void whypending_attempt(struct whypending *w, int32_t pod, uint32_t gen, const char *msg);

/*
 * The `pending_reasons` object: reasons ordered by attempts (most first),
 * then by name; pending_at_end looks at which recorded pods c still holds as
 * Pending. The caller owns the result (cJSON_Delete).
 */
struct cJSON *whypending_json(const struct whypending *w, const struct cluster *c);

/*
 * Splits a FitError message into its reasons: fn(reason, len, count, ctx)
 * for each "count reason" item, in order. Returns the number of items.
 */
typedef void (*whypending_fn)(const char *reason, size_t len, int64_t count, void *ctx);
size_t whypending_split(const char *msg, whypending_fn fn, void *ctx);

#endif
