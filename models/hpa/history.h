#ifndef KSIM_MODELS_HPA_HISTORY_H
#define KSIM_MODELS_HPA_HISTORY_H
/*
 * What the HPA controller remembers about one HPA between syncs: the
 * unstabilized recommendations (HorizontalController.recommendations) and the
 * scale events (scaleUpEvents, scaleDownEvents), both kept in memory only by
 * kube-controller-manager. A controller keeps one struct hpa_history per HPA
 * and hands it to every hpa_sync, which updates it in place.
 *
 * Upstream never deletes an entry: each sync overwrites the last entry that
 * has aged out of every window (or appends when none has), and each scale
 * event overwrites the last event marked outdated. The arrays therefore stay
 * as long as the longest window holds entries; this module reproduces that
 * bookkeeping exactly, entry order included, because stabilization reads the
 * entries in order.
 *
 * Lifecycle: hpa_history_init / hpa_history_release (embedded struct); the
 * arrays are heap memory owned by the history.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

/* timestampedRecommendation */
struct hpa_recommendation {
    int32_t replicas;
    simtime time;
};

/* timestampedScaleEvent: change is the absolute number of replicas added or removed. */
struct hpa_scale_event {
    int32_t change;
    simtime time;
    int outdated;
};

struct hpa_history {
    /* recommendations[key] != nil: false until the first sync records the
     * current replica count (recordInitialRecommendation). An initialized
     * history may hold no recommendation at all. */
    int initialized;
    struct hpa_recommendation *recs;
    size_t nrecs, caprecs;
    struct hpa_scale_event *up;
    size_t nup, capup;
    struct hpa_scale_event *down;
    size_t ndown, capdown;
};

void hpa_history_init(struct hpa_history *h);
void hpa_history_release(struct hpa_history *h);

/* Appends a recommendation (and marks the history initialized). */
void hpa_history_add_recommendation(struct hpa_history *h, int32_t replicas, simtime time);

/* Appends a scale event to the up (up != 0) or down list. */
void hpa_history_add_event(struct hpa_history *h, int up, int32_t change, simtime time,
                           int outdated);

#endif
