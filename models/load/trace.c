/*
 * trace: replay of a rate series from a CSV file, one row per sample:
 * a time column (seconds as numbers, in timeUnit, or date-times) and a value
 * column holding requests per valuePer (1s by default; WorldCup98's per-minute
 * counts use valuePer: 1m). The rows are played as replay.h describes:
 *   rate(t) = valueScale x series(from + (t - offset) / timeScale) / valuePer
 * By default the window starts at the first row and ends one sampling
 * interval (the last gap between rows) after the last row.
 * With sampleInterval set, each row stands for that interval only: where the
 * next row comes later, the rate drops to 0 at t_i + sampleInterval (a zero
 * row is inserted there), so the minutes WorldCup98 leaves out because they
 * had no requests replay as 0 rather than as the previous minute's count;
 * the default window then ends one sampleInterval after the last row.
 */
#include "models/load/load.h"

#include <stdlib.h>

#include "models/load/replay.h"
#include "sim/base/xalloc.h"

struct trace_params {
    struct replay_params common;
    simtime value_per;
    simtime sample_interval;
};

static const struct load_param params[] = {
    {.key = "*", .type = LOAD_P_INLINE, .elem = replay_params},
    {.key = "valueColumn",
     .type = LOAD_P_COLUMN,
     .offset = offsetof(struct trace_params, common.series.value_col),
     .def_enum = 1},
    {.key = "valuePer",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct trace_params, value_per),
     .def_time = SIMTIME_S,
     .dmin = SIMTIME_US},
    {.key = "sampleInterval",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct trace_params, sample_interval)},
    {0},
};

/*
 * Copies the rows, inserting a zero row one sample interval after each row
 * that the next one does not follow within it (si = 0: no insertion).
 * Returns the new row count; *t and *v are fresh arrays.
 */
static size_t fill_gaps(const double *t0, const double *v0, size_t n, double si, double **t,
                        double **v)
{
    *t = xmalloc(2 * n * sizeof **t);
    *v = xmalloc(2 * n * sizeof **v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        (*t)[m] = t0[i];
        (*v)[m++] = v0[i];
        if (si > 0 && i + 1 < n && t0[i + 1] > t0[i] + si) {
            (*t)[m] = t0[i] + si;
            (*v)[m++] = 0;
        }
    }
    return m;
}

static int trace_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct trace_params *p = params_;
    const struct load_series *s = &p->common.series;
    double *t = replay_times(&p->common);
    double si = simtime_seconds(p->sample_interval);
    double from = t[0], to = t[s->n - 1] + si;
    if (si == 0 && s->n >= 2)
        to = t[s->n - 1] + (t[s->n - 1] - t[s->n - 2]);
    int rc = 0;
    if (p->common.from.set)
        rc = replay_instant(&p->common, &p->common.from, "from", &from, ctx);
    if (rc == 0 && p->common.to.set)
        rc = replay_instant(&p->common, &p->common.to, "to", &to, ctx);
    struct replay *r = NULL;
    if (rc == 0) {
        double *v = xmalloc(s->n * sizeof *v);
        double per = simtime_seconds(p->value_per);
        for (size_t i = 0; i < s->n; i++)
            v[i] = s->value[i] / per;
        double *gt, *gv;
        size_t m = fill_gaps(t, v, s->n, si, &gt, &gv);
        r = replay_new(gt, gv, m, from, to, &p->common, ctx);
        free(v);
        free(gt);
        free(gv);
    }
    free(t);
    *(struct replay **)state = r;
    return r ? 0 : -1;
}

const struct load_ops load_trace_ops = {
    .name = "trace",
    .summary = "valueScale x CSV rate series at from + (t - offset) / timeScale (step or linear, "
               "loop)",
    .params = params,
    .params_size = sizeof(struct trace_params),
    .state_size = sizeof(struct replay *),
    .flags = LOAD_SERIES,
    .series_offset = offsetof(struct trace_params, common.series),
    .init = trace_init,
    .value = replay_state_value,
    .release = replay_state_release,
};
