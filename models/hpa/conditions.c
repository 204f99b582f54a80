#include "models/hpa/conditions.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/base/xalloc.h"

/* snprintf(dst, n, "%s", src) without printf: the text is cut to fit, by design. */
static void copy_text(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Follows horizontal.go setConditionInList. */
void hpa_conditions_set(struct hpa_conditions *l, enum hpa_condition_type type,
                        enum hpa_condition_status status, const char *reason, simtime now,
                        const char *fmt, ...)
{
    struct hpa_condition *c = NULL;
    int fresh = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].type == type)
            c = &l->items[i];
    if (!c) {
        if (l->n >= sizeof l->items / sizeof l->items[0])
            BUG("more condition types than the list holds");
        c = &l->items[l->n++];
        memset(c, 0, sizeof *c);
        c->type = type;
        /* A new condition has no status yet (""), so it always transitions. */
        fresh = 1;
    }
    if (fresh || c->status != status)
        c->last_transition = now;
    c->status = status;
    copy_text(c->reason, sizeof c->reason, reason);
    /* An HPA sync sets three or four conditions; in a simulation that is tens of
     * millions of syncs, so the common messages (fixed text, or just "%s") skip
     * printf. */
    va_list ap;
    va_start(ap, fmt);
    if (!strchr(fmt, '%'))
        copy_text(c->message, sizeof c->message, fmt);
    else if (strcmp(fmt, "%s") == 0)
        copy_text(c->message, sizeof c->message, va_arg(ap, const char *));
    else
        vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

const struct hpa_condition *hpa_conditions_find(const struct hpa_conditions *l,
                                                enum hpa_condition_type type)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].type == type)
            return &l->items[i];
    return NULL;
}

const char *hpa_condition_type_name(enum hpa_condition_type type)
{
    switch (type) {
    case HPA_ABLE_TO_SCALE:
        return "AbleToScale";
    case HPA_SCALING_ACTIVE:
        return "ScalingActive";
    case HPA_SCALING_LIMITED:
        return "ScalingLimited";
    }
    return "?";
}

const char *hpa_condition_status_name(enum hpa_condition_status status)
{
    switch (status) {
    case HPA_CONDITION_TRUE:
        return "True";
    case HPA_CONDITION_FALSE:
        return "False";
    case HPA_CONDITION_UNKNOWN:
        return "Unknown";
    }
    return "?";
}
