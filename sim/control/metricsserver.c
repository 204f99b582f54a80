#include "sim/control/metricsserver.h"

int metricsserver_window(const struct metricsserver_params *p, simtime scrape, simtime start,
                         simtime *window)
{
    simtime age = scrape - start;
    /* pod.go Store: the start time stands in for the missing older point. */
    if (start < scrape && age < p->resolution && age >= METRICSSERVER_FRESH_MIN) {
        *window = age;
        return 1;
    }
    /* Otherwise the previous scrape's point is the older one: the container must have been
     * running then, and started before it (StartTime.Before(lastContainer.Timestamp)). */
    if (start < scrape - p->resolution) {
        *window = p->resolution;
        return 1;
    }
    return 0;
}
