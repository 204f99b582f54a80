#ifndef KSIM_CONTROL_METRICSSERVER_H
#define KSIM_CONTROL_METRICSSERVER_H
/*
 * The metrics-server model: which pods the resource metrics API reports after
 * a scrape, with which timestamp and window.
 *
 * Follows kubernetes-sigs/metrics-server pkg/storage/pod.go (v0.7): every
 * `resolution` (--metric-resolution, default 15s) it scrapes every kubelet
 * and keeps the last two cumulative CPU points of each container. A pod is
 * reported only when both exist; its CPU is the rate between them, its
 * timestamp the newer point's and its window the time between the two, i.e.
 * one resolution for a pod seen by two scrapes. A fresh container whose
 * start is at least 10s (freshContainerMinMetricsResolution) but less than
 * one resolution before the scrape is reported from that single scrape, with
 * its start time as the older point: window = scrape - start. A container
 * that started less than 10s before its first scrape waits for the next.
 *
 * So in a run the HPA sees samples that lag: a pod becomes visible 10-30s
 * after its container starts, and the value describes the window before the
 * scrape. ksim does not model the kubelet's own cAdvisor housekeeping delay:
 * the point's timestamp is the scrape instant. Traffic is evaluated once per
 * resolution (sim/control/hpactl.c), so the usage over the window ending at
 * a scrape is the traffic state of the tick that started it: a change in load
 * shows in the scrape one resolution later, as it does on a real cluster.
 *
 * That state is the window's average, as upstream reports it: CPU is the rate
 * of the cumulative counter between the two points (pkg/storage/types.go
 * resourceUsage), memory the working set at the newer point. The traffic
 * ticks are the scrapes themselves, one event, and the simulated Service
 * re-spreads load only at a tick, so every pod's usage is constant between
 * two scrapes whatever the load model does in between and whenever a pod
 * turns Ready: a pod Ready at the window's start served its share all along,
 * any other pod ran at baseline, and the average equals the state set at the
 * window's start for every configuration. tests/unit/test_hpactl.c pins it
 * with a load step and a pod turning Ready inside one window. (The traffic
 * model samples the load at the tick, a left Riemann sum of a continuous
 * load model: a discretisation of the load, not of the scrape.)
 */
#include "sim/engine/simtime.h"

#define METRICSSERVER_FRESH_MIN (10 * SIMTIME_S) /* freshContainerMinMetricsResolution */

struct metricsserver_params {
    simtime resolution; /* --metric-resolution */
};

/*
 * Whether a container that started at `start` has a sample after the scrape
 * at time `scrape` (scrapes every p->resolution), and its window. Returns 1
 * and sets *window, or 0.
 */
int metricsserver_window(const struct metricsserver_params *p, simtime scrape, simtime start,
                         simtime *window);

#endif
