#ifndef KSIM_IO_HPAOUT_H
#define KSIM_IO_HPAOUT_H
/*
 * The autoscaling part of a run's outputs (results/README.md): extra
 * timeseries.csv columns per Deployment with an HPA or traffic, the
 * `hpa_sync` lines of events.jsonl and the "autoscaling" object of
 * summary.json. output.c calls these only when the scenario has autoscaling,
 * so other runs keep their bytes.
 */
#include <stdio.h>

#include <cjson/cJSON.h>

struct scenario;
struct simulation;
struct simevent;

/* Appends the column names (each with a leading comma). */
void hpaout_header(FILE *f, const struct scenario *s);
/* Appends one row's values for those columns. */
void hpaout_row(FILE *f, const struct scenario *s, const struct simulation *sim);
/* Fills an hpa_sync event object (time_s is already in it). */
void hpaout_event(cJSON *j, const struct simulation *sim, const struct simevent *ev);
/* The summary's "autoscaling" object. */
cJSON *hpaout_summary(const struct simulation *sim);

#endif
