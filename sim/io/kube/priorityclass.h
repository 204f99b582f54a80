#ifndef KSIM_IO_PRIORITYCLASS_H
#define KSIM_IO_PRIORITYCLASS_H
/*
 * scheduling.k8s.io/v1 PriorityClass objects and the Priority admission
 * plugin's resolution of a pod's priority from them
 * (plugin/pkg/admission/priority/admission.go, v1.35):
 *
 *   - priorityClassName names a class: the pod gets its value and its
 *     preemptionPolicy; an unknown name is rejected; an explicit
 *     spec.priority that differs from the value is rejected;
 *   - no name: the globalDefault class's value and policy if there is one
 *     (an explicit spec.priority then must match it too), else the explicit
 *     spec.priority, else 0, with PreemptLowerPriority;
 *   - the two system classes system-cluster-critical (2000000000) and
 *     system-node-critical (2000001000) always exist
 *     (pkg/apis/scheduling/types.go).
 * A user class's value is at most 1000000000 (HighestUserDefinablePriority)
 * and at most one class may be globalDefault.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"

struct podspec;
struct ynode;

struct priorityclass {
    const char *name; /* points into the YAML tree */
    int32_t value;
    int global_default;
    int preempt_never; /* preemptionPolicy: Never */
};

/* Reads one PriorityClass object. Returns 0, or -1 with d set. */
int priorityclass_read(const struct ynode *obj, struct priorityclass *out, struct diag *d);

/*
 * Checks a newly read class against the ones before it (duplicate name, a
 * second globalDefault, a system class name). at positions the error.
 */
int priorityclass_check(const struct priorityclass *classes, size_t n,
                        const struct priorityclass *added, const struct ynode *at, struct diag *d);

/* The class named name among classes and the system classes, or NULL. */
const struct priorityclass *priorityclass_find(const struct priorityclass *classes, size_t n,
                                               const char *name);

/*
 * Admission: sets ps->priority and ps->preempt_never from the pod's
 * priorityClassName node (may be NULL) and explicit priority node (may be
 * NULL). Returns 0, or -1 with d set at the offending node.
 */
int priorityclass_resolve(const struct priorityclass *classes, size_t n, const struct ynode *name,
                          const struct ynode *priority, struct podspec *ps, struct diag *d);

#endif
