/*
 * arrival-trace: replay of per-request arrival timestamps (one CSV row per
 * request, e.g. the Azure LLM inference traces), binned into a rate.
 * Bins are binWidth long (60s by default) and start at `from`, which defaults
 * to the first timestamp (set it to a whole minute to count calendar
 * minutes); `to` defaults to the end of the bin holding the last timestamp. Bin k covers [from + k
 * binWidth, from + (k + 1) binWidth) and its rate is (requests in it) / binWidth per second; the
 * bins are then played as replay.h describes (step by default: each bin's rate holds through the
 * bin).
 */
#include "models/load/load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/load/replay.h"
#include "sim/base/xalloc.h"

struct arrival_params {
    struct replay_params common;
    simtime bin_width;
};

static const struct load_param params[] = {
    {.key = "*", .type = LOAD_P_INLINE, .elem = replay_params},
    {.key = "binWidth",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct arrival_params, bin_width),
     .def_time = SIMTIME_MIN,
     .dmin = SIMTIME_US},
    {0},
};

static int arrival_init(void *state, const void *params_, struct load_init *ctx)
{
    const struct arrival_params *p = params_;
    const struct load_series *s = &p->common.series;
    double *t = replay_times(&p->common);
    double bw = simtime_seconds(p->bin_width);
    double from = t[0], to;
    int rc = 0;
    if (p->common.from.set)
        rc = replay_instant(&p->common, &p->common.from, "from", &from, ctx);
    to = from + (floor((t[s->n - 1] - from) / bw) + 1) * bw;
    if (rc == 0 && p->common.to.set)
        rc = replay_instant(&p->common, &p->common.to, "to", &to, ctx);
    struct replay *r = NULL;
    if (rc == 0 && !(to > from)) {
        snprintf(ctx->err, sizeof ctx->err, "to: must be after from");
        ctx->err_param = "to";
    } else if (rc == 0) {
        size_t nb = (size_t)ceil((to - from) / bw);
        double *start = xmalloc(nb * sizeof *start);
        double *rate = xcalloc(nb, sizeof *rate);
        for (size_t k = 0; k < nb; k++)
            start[k] = from + (double)k * bw;
        for (size_t i = 0; i < s->n; i++) {
            if (t[i] < from || t[i] >= to)
                continue;
            size_t k = (size_t)floor((t[i] - from) / bw);
            rate[k < nb ? k : nb - 1] += 1;
        }
        for (size_t k = 0; k < nb; k++)
            rate[k] /= bw;
        r = replay_new(start, rate, nb, from, to, &p->common, ctx);
        free(start);
        free(rate);
    }
    free(t);
    *(struct replay **)state = r;
    return r ? 0 : -1;
}

const struct load_ops load_arrival_trace_ops = {
    .name = "arrival-trace",
    .summary = "per-request CSV timestamps counted into binWidth bins, replayed as a rate",
    .params = params,
    .params_size = sizeof(struct arrival_params),
    .state_size = sizeof(struct replay *),
    .flags = LOAD_SERIES_T,
    .series_offset = offsetof(struct arrival_params, common.series),
    .init = arrival_init,
    .value = replay_state_value,
    .release = replay_state_release,
};
