#ifndef KSIM_IO_AUTOSCALE_H
#define KSIM_IO_AUTOSCALE_H
/*
 * The autoscaling part of a scenario (scenarios/README.md, "Autoscaling"):
 *
 *   spec.autoscaling:
 *     controller: {syncPeriod, tolerance, cpuInitializationPeriod,
 *                  initialReadinessDelay, downscaleStabilizationWindow,
 *                  scaleUpLimitFactor, scaleUpLimitMinimum}
 *     metricsServer: {resolution}
 *     horizontalPodAutoscalers: [autoscaling/v2 HorizontalPodAutoscaler...]
 *     include: [files of HorizontalPodAutoscaler manifests]
 *   spec.traffic: [{deployment, load, loadScale, usage: {...}, latency: {...}}]
 *
 * Read after the workloads, so HPA targets and traffic deployments are
 * checked against the scenario's Deployments. Every metric is mapped to a
 * simulated quantity here (sim/control/hpactl.h); a metric nothing simulates
 * is an error at its name.
 */
#include <stddef.h>

#include "sim/base/diag.h"
#include "sim/control/hpactl.h"
#include "sim/io/ytree.h"

struct scenario;
struct simulation;
struct hpaobj;
struct rng;

struct scn_autoscaling {
    struct hpactl_config cfg; /* points into the arrays below */
    struct hpaobj **specs;
    struct hpactl_hpa *hpas;
    enum hpactl_source **sources;
    size_t nhpas;
    struct hpactl_traffic *traffic;
    struct load **loads; /* already multiplied by loadScale */
    double *load_scales; /* per traffic: its loadScale (1 when absent) */
    size_t ntraffic;
    int32_t *hpa_of;      /* per scenario deployment: its HPA's index, or -1 */
    int32_t *traffic_of;  /* per scenario deployment: its traffic's index, or -1 */
    struct rng *rng;      /* the load models' random streams */
    struct ytree **trees; /* included HPA files */
    size_t ntrees;
};

/*
 * Reads spec.autoscaling (n, may be NULL) and spec.traffic (traffic, may be
 * NULL) of scenario s, whose deployments are already read; dir is the
 * scenario's directory for includes and data files. Returns NULL when both
 * are absent; sets *failed and d on error.
 */
struct scn_autoscaling *autoscale_read(const struct ynode *n, const struct ynode *traffic,
                                       const struct scenario *s, const char *dir, int *failed,
                                       struct diag *d);
void autoscale_free(struct scn_autoscaling *a);

/*
 * Adds the HPA controller to a built simulation (no-op for NULL); end is the
 * run's end, where the traffic integrals stop (hpactl_config.end).
 */
void autoscale_attach(struct scn_autoscaling *a, struct simulation *sim, simtime end);

#endif
