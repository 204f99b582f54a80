#ifndef KSIM_MODELS_LOAD_REPLAY_H
#define KSIM_MODELS_LOAD_REPLAY_H
/*
 * Replay of a rate series: what the trace and arrival-trace generators share.
 *
 * A window [from, to) of the series, in the trace's own seconds, is played
 * from simulated time `offset` on, each trace second lasting timeScale
 * simulated seconds:
 *   tau(t) = from + (t - offset) / timeScale
 *   rate(t) = valueScale x series(tau)    offset <= t and tau < to
 *           = 0                           before offset; after `to` unless looping
 * With loop, tau wraps: from + ((t - offset) / timeScale mod (to - from)).
 * series(tau) between rows is the earlier row's value (step) or a straight
 * line to the next row (linear, gsl_interp_linear). The value at `from` is
 * the series' value there (the row at or before it, or the line through it);
 * after the last row the last value holds until `to`, except that a looping
 * linear replay runs its last segment back to the value at `from`, so the
 * wrap is continuous.
 */
#include <stddef.h>

#include "models/load/load.h"

struct replay;

/* Parameters common to every replayed series (the keys in replay_params). */
struct replay_params {
    struct load_series series;
    simtime time_unit; /* what one unit of a numeric time column is */
    int linear;
    double time_scale, value_scale;
    simtime offset;
    int loop;
    struct load_instant from, to;
};

/* Their keys, included in a generator's table with {.key = "*", .type = LOAD_P_INLINE}. */
extern const struct load_param replay_params[];

/* The instant in trace seconds (numeric times count in time_unit). -1 and ctx->err on a kind
 * mismatch. */
int replay_instant(const struct replay_params *p, const struct load_instant *in, const char *key,
                   double *out, struct load_init *ctx);
/* The series' times in seconds: a fresh array of p->series.n values. */
double *replay_times(const struct replay_params *p);

/*
 * A replay of rows (t[i], v[i]), i < n, t strictly increasing (seconds),
 * over [from, to). NULL with ctx->err set when from precedes the first row
 * or to is not after from. Arrays are copied.
 */
struct replay *replay_new(const double *t, const double *v, size_t n, double from, double to,
                          const struct replay_params *p, struct load_init *ctx);
double replay_rate(struct replay *r, simtime t);
void replay_free(struct replay *r);
/* load_ops value and release for generators whose state is one struct replay *. */
double replay_state_value(void *state, simtime t);
void replay_state_release(void *state);

#endif
