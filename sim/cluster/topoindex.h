#ifndef KSIM_CLUSTER_TOPOINDEX_H
#define KSIM_CLUSTER_TOPOINDEX_H
/*
 * Topology domains and per-owner pod counts, shared by PodTopologySpread and
 * InterPodAffinity so that a scheduling cycle never scans every pod.
 *
 * Topology keys ("topology.kubernetes.io/zone") are interned on first use;
 * each node's value of an interned key is interned too, giving a dense
 * domain id per (key, node). Pods of one owner share their labels and
 * namespace in ksim, so "how many pods matching a selector are in a domain"
 * reduces to sums of per-owner counts, which cluster.c keeps up to date on
 * every bind and unbind once the index exists:
 *
 *   owner_on_node(o, n)          bound pods of owner o on node n
 *   owner_in_domain(o, k, d)     bound pods of owner o on alive nodes whose
 *                                key k has domain d
 *
 * Complexity: domain lookup O(1) (nodes added after a key was interned are
 * read lazily); pod bind/unbind O(interned keys) hash updates; interning a
 * key O(nodes + bound pods) once.
 */
#include <stddef.h>
#include <stdint.h>

struct cluster;
struct topoindex;

/*
 * The cluster's index, built on first use (O(bound pods)) and owned by the
 * cluster (freed by cluster_free). It is a cache: building it and interning
 * keys change no state anyone else reads, which is why a const cluster (what
 * scheduler plugins see) may hand it out.
 */
struct topoindex *topoindex_of(const struct cluster *c);
/* For cluster.c: a node stopped being alive (its domains lose it). */
void topoindex_node_removed(struct topoindex *ti, int32_t node);
/* Alive nodes per domain of key k (length topoindex_ndomains; same validity as below). */
const int32_t *topoindex_domain_nodes(struct topoindex *ti, int k);
/* Alive nodes carrying key k (the sum of topoindex_domain_nodes), kept as nodes come and go. */
size_t topoindex_labelled(struct topoindex *ti, int k);
/* For cluster.c: a bound pod of owner arrived on (delta +1) or left (-1) node. */
void topoindex_pod_moved(struct topoindex *ti, int32_t owner, int32_t node, int delta);
void topoindex_free(struct topoindex *ti);

/* The id of topology key `key`, interning it (and counting its domains) on first use. */
int topoindex_key(struct topoindex *ti, const char *key);
/* The node's domain for key k, or -1 when the node lacks the label. */
int32_t topoindex_domain(struct topoindex *ti, int k, int32_t node);
/* Upper bound (exclusive) of domain ids of key k so far. */
size_t topoindex_ndomains(const struct topoindex *ti, int k);
/* The number of interned keys (ids 0 .. n-1). */
size_t topoindex_nkeys(const struct topoindex *ti);

int32_t topoindex_owner_on_node(const struct topoindex *ti, int32_t owner, int32_t node);
/*
 * Array forms for loops over many nodes, valid until the next node is added
 * or pod moves (the scheduler's cycle does neither): the domain of key k for
 * every node (-1: no label), and owner's bound pods on every node (kept
 * dense from the first call on, O(nodes) memory per owner asked about).
 */
const int32_t *topoindex_domains(struct topoindex *ti, int k);
const int32_t *topoindex_owner_nodes(struct topoindex *ti, int32_t owner);
int32_t topoindex_owner_in_domain(const struct topoindex *ti, int32_t owner, int k, int32_t dom);
/* Bound pods of owner on nodes that carry key k (any domain). */
int32_t topoindex_owner_with_key(const struct topoindex *ti, int32_t owner, int k);

#endif
