#include "models/hpa/history.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

void hpa_history_init(struct hpa_history *h)
{
    memset(h, 0, sizeof *h);
}

void hpa_history_release(struct hpa_history *h)
{
    free(h->recs);
    free(h->up);
    free(h->down);
    memset(h, 0, sizeof *h);
}

void hpa_history_add_recommendation(struct hpa_history *h, int32_t replicas, simtime time)
{
    xgrow((void **)&h->recs, &h->caprecs, h->nrecs + 1, sizeof *h->recs);
    h->recs[h->nrecs++] = (struct hpa_recommendation){replicas, time};
    h->initialized = 1;
}

void hpa_history_add_event(struct hpa_history *h, int up, int32_t change, simtime time,
                           int outdated)
{
    struct hpa_scale_event **ev = up ? &h->up : &h->down;
    size_t *n = up ? &h->nup : &h->ndown;
    size_t *cap = up ? &h->capup : &h->capdown;
    xgrow((void **)ev, cap, *n + 1, sizeof **ev);
    (*ev)[(*n)++] = (struct hpa_scale_event){change, time, outdated};
}
