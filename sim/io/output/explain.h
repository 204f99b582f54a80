#ifndef KSIM_IO_EXPLAIN_H
#define KSIM_IO_EXPLAIN_H
/*
 * One explained scheduling decision of the kube framework as JSON: the
 * object `ksim score -o json` prints and `ksim run --explain` puts under
 * "explain" in events.jsonl (issue 4, part 7):
 *
 *   {"pod": "default/p1",
 *    "nodes": [
 *      {"name": "node1", "filter": {"status": "Success"},
 *       "scores": {"NodeResourcesFit": {"raw": 37, "normalized": 37, "weight": 1,
 *                                       "weighted": 37}},
 *       "total": 37},
 *      {"name": "node2", "filter": {"status": "Unschedulable",
 *                                   "plugin": "NodeResourcesFit",
 *                                   "reasons": ["Insufficient cpu"]}}],
 *    "feasible": ["node1"], "selected": "node1", "message": null,
 *    "unvisited": []}
 *
 * Nodes the cycle visited are listed in node id (input) order; a feasible
 * node has "scores" (score plugins in profile order, without those PreScore
 * skipped for this pod) and "total"; a node that failed Filter has its
 * failing plugin, status code and every reason in upstream's wording.
 * "unvisited" (added key) names the nodes the cycle never looked at because
 * percentageOfNodesToScore let it stop early (pkg/scheduler/schedule_one.go,
 * findNodesThatPassFilters), in id order; they are in no other list.
 */
struct cJSON;
struct cluster;
struct kube_explain;

/* Builds the object; pod is the name to print. The caller owns it (cJSON_Delete). */
struct cJSON *explain_json(const struct kube_explain *e, const struct cluster *c, const char *pod);

#endif
