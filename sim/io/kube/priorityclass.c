#include "sim/io/kube/priorityclass.h"

#include <string.h>

#include "sim/cluster/cluster.h"
#include "sim/io/schema.h"
#include "sim/io/ytree.h"

/* pkg/apis/scheduling/types.go (v1.35). */
#define HIGHEST_USER_DEFINABLE_PRIORITY 1000000000
static const struct priorityclass system_classes[] = {
    {"system-node-critical", 2000001000, 0, 0},
    {"system-cluster-critical", 2000000000, 0, 0},
};

static const char *const class_keys[] = {
    "apiVersion",       "kind",        "metadata", "value", "globalDefault",
    "preemptionPolicy", "description", NULL};

int priorityclass_read(const struct ynode *obj, struct priorityclass *out, struct diag *d)
{
    memset(out, 0, sizeof *out);
    const struct ynode *v;
    if (schema_check_keys(obj, "PriorityClass", class_keys, d))
        return -1;
    const struct ynode *md = schema_require(obj, "PriorityClass", "metadata", d);
    if (!md || schema_expect_map(md, "metadata", d))
        return -1;
    if (!(v = schema_require(md, "metadata", "name", d)) || schema_name(v, "name", &out->name, d))
        return -1;
    int64_t value;
    if (!(v = schema_require(obj, "PriorityClass", "value", d)) ||
        schema_int64(v, "value", INT32_MIN, HIGHEST_USER_DEFINABLE_PRIORITY, &value, d))
        return -1;
    out->value = (int32_t)value;
    if ((v = ynode_get(obj, "globalDefault")) &&
        schema_bool(v, "globalDefault", &out->global_default, d))
        return -1;
    static const char *const policies[] = {"PreemptLowerPriority", "Never", NULL};
    int pol = 0;
    if ((v = ynode_get(obj, "preemptionPolicy")) &&
        schema_enum(v, "preemptionPolicy", policies, &pol, d))
        return -1;
    out->preempt_never = pol == 1;
    return 0;
}

const struct priorityclass *priorityclass_find(const struct priorityclass *classes, size_t n,
                                               const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(classes[i].name, name) == 0)
            return &classes[i];
    for (size_t i = 0; i < sizeof system_classes / sizeof *system_classes; i++)
        if (strcmp(system_classes[i].name, name) == 0)
            return &system_classes[i];
    return NULL;
}

int priorityclass_check(const struct priorityclass *classes, size_t n,
                        const struct priorityclass *added, const struct ynode *at, struct diag *d)
{
    if (priorityclass_find(classes, n, added->name))
        return schema_fail(d, at, "duplicate PriorityClass '%s'", added->name);
    for (size_t i = 0; added->global_default && i < n; i++)
        if (classes[i].global_default)
            return schema_fail(
                d, at, "PriorityClass %s is already marked as default. Only one default can exist",
                classes[i].name);
    return 0;
}

int priorityclass_resolve(const struct priorityclass *classes, size_t n, const struct ynode *name,
                          const struct ynode *priority, struct podspec *ps, struct diag *d)
{
    const struct priorityclass *pc = NULL;
    if (name && !ynode_is_null(name)) {
        const char *cname;
        if (schema_string(name, "priorityClassName", &cname, d))
            return -1;
        if (!(pc = priorityclass_find(classes, n, cname)))
            return schema_fail(d, name, "no PriorityClass with name %s was found", cname);
    } else {
        for (size_t i = 0; i < n && !pc; i++)
            if (classes[i].global_default)
                pc = &classes[i];
    }
    if (!pc)
        return 0; /* the explicit priority (already read) or 0 */
    if (priority && !ynode_is_null(priority) && ps->priority != pc->value)
        return schema_fail(d, priority,
                           "the integer value of priority (%d) must not be provided in pod spec; "
                           "priority admission controller computed %d from the given "
                           "PriorityClass name",
                           (int)ps->priority, (int)pc->value);
    ps->priority = pc->value;
    ps->preempt_never = pc->preempt_never;
    return 0;
}
