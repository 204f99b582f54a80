#ifndef KSIM_IO_OUTPUT_H
#define KSIM_IO_OUTPUT_H
/*
 * The files a run writes (results/README.md documents them):
 *   events.jsonl    one JSON object per scheduling decision, scale action,
 *                   node change and eviction, in simulated-time order
 *   timeseries.csv  one row per metrics interval
 *   summary.json    the run's figures
 * All three depend only on the scenario and seed: no wall-clock value, host
 * name or path to the results folder goes into them (run.json has those).
 */
#include <stdio.h>

#include "sim/base/diag.h"
#include "sim/control/simevent.h"

struct simulation;
struct scenario;
struct output;

/* Opens events.jsonl and timeseries.csv at the given paths. NULL with d set on error. */
struct output *output_new(const char *events_path, const char *timeseries_path,
                          const struct scenario *s, struct diag *d);
/* Must be called once the simulation exists, before it starts. */
void output_attach(struct output *o, struct simulation *sim);
/* The observer that feeds this output. */
struct sim_observer output_observer(struct output *o);
/* Writes summary.json and closes the streams. 0, or -1 with d set (I/O error). */
int output_finish(struct output *o, const char *summary_path, struct diag *d);
void output_free(struct output *o);

#endif
