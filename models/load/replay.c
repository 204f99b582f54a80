#include "models/load/replay.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_interp.h>

#include "sim/base/xalloc.h"

static const char *const interpolations[] = {"step", "linear", NULL};

const struct load_param replay_params[] = {
    {.key = "file",
     .type = LOAD_P_STRING,
     .offset = offsetof(struct replay_params, series.file),
     .required = 1},
    {.key = "timeColumn",
     .type = LOAD_P_COLUMN,
     .offset = offsetof(struct replay_params, series.time_col)},
    {.key = "header",
     .type = LOAD_P_BOOL,
     .offset = offsetof(struct replay_params, series.header),
     .def_enum = 1},
    {.key = "timeUnit",
     .type = LOAD_P_DURATION,
     .offset = offsetof(struct replay_params, time_unit),
     .def_time = SIMTIME_S,
     .dmin = SIMTIME_US},
    {.key = "interpolation",
     .type = LOAD_P_ENUM,
     .offset = offsetof(struct replay_params, linear),
     .choices = interpolations},
    {.key = "timeScale",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct replay_params, time_scale),
     .def = 1,
     .max = HUGE_VAL},
    {.key = "valueScale",
     .type = LOAD_P_NUMBER,
     .offset = offsetof(struct replay_params, value_scale),
     .def = 1,
     .max = HUGE_VAL},
    {.key = "offset", .type = LOAD_P_DURATION, .offset = offsetof(struct replay_params, offset)},
    {.key = "loop", .type = LOAD_P_BOOL, .offset = offsetof(struct replay_params, loop)},
    {.key = "from", .type = LOAD_P_INSTANT, .offset = offsetof(struct replay_params, from)},
    {.key = "to", .type = LOAD_P_INSTANT, .offset = offsetof(struct replay_params, to)},
    {0},
};

/*
 * The window's points relative to `from`, with a last point at the window's
 * end: it closes the last linear segment, and for step lookups it keeps
 * gsl_interp_accel_find (which never returns the last index) honest.
 */
struct replay {
    double *x, *v;
    size_t n;
    double span; /* to - from, trace seconds */
    int linear, loop;
    double time_scale, value_scale;
    simtime offset;
    gsl_interp *interp;
    gsl_interp_accel *acc;
};

static int fail(struct load_init *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct load_init *ctx, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err, sizeof ctx->err, fmt, ap);
    va_end(ap);
    ctx->err_param = key;
    return -1;
}

int replay_instant(const struct replay_params *p, const struct load_instant *in, const char *key,
                   double *out, struct load_init *ctx)
{
    if (in->date != p->series.dates)
        return fail(ctx, key,
                    in->date ? "%s: is a date-time but the time column holds numbers"
                             : "%s: is a number but the time column holds date-times",
                    key);
    *out = in->date ? in->s : in->s * simtime_seconds(p->time_unit);
    return 0;
}

double *replay_times(const struct replay_params *p)
{
    const struct load_series *s = &p->series;
    double unit = s->dates ? 1 : simtime_seconds(p->time_unit);
    double *t = xmalloc((s->n ? s->n : 1) * sizeof *t);
    for (size_t i = 0; i < s->n; i++)
        t[i] = s->time[i] * unit;
    return t;
}

/* The series at x >= t[0]: the row at or before x, or the line to the next row. */
static double value_at(const double *t, const double *v, size_t n, double x, int linear)
{
    size_t j = 0;
    while (j + 1 < n && t[j + 1] <= x)
        j++;
    if (!linear || j + 1 == n || x == t[j])
        return v[j];
    return v[j] + (v[j + 1] - v[j]) * ((x - t[j]) / (t[j + 1] - t[j]));
}

struct replay *replay_new(const double *t, const double *v, size_t n, double from, double to,
                          const struct replay_params *p, struct load_init *ctx)
{
    if (n == 0 || from < t[0]) {
        fail(ctx, "from", "from: is before the first row");
        return NULL;
    }
    if (!(to > from)) {
        fail(ctx, "to", "to: must be after from");
        return NULL;
    }
    if (!(p->time_scale > 0)) {
        fail(ctx, "timeScale", "timeScale: must be greater than 0");
        return NULL;
    }
    struct replay *r = xcalloc(1, sizeof *r);
    r->x = xmalloc((n + 2) * sizeof *r->x);
    r->v = xmalloc((n + 2) * sizeof *r->v);
    r->x[0] = 0;
    r->v[0] = value_at(t, v, n, from, p->linear);
    r->n = 1;
    for (size_t i = 0; i < n; i++) {
        if (t[i] > from && t[i] < to) {
            r->x[r->n] = t[i] - from;
            r->v[r->n++] = v[i];
        }
    }
    r->span = to - from;
    r->x[r->n] = r->span;
    r->v[r->n++] = p->loop && p->linear ? r->v[0] : value_at(t, v, n, to, p->linear);
    r->linear = p->linear;
    r->loop = p->loop;
    r->time_scale = p->time_scale;
    r->value_scale = p->value_scale;
    r->offset = p->offset;
    r->acc = gsl_interp_accel_alloc();
    if (r->linear) {
        r->interp = gsl_interp_alloc(gsl_interp_linear, r->n);
        gsl_interp_init(r->interp, r->x, r->v, r->n);
    }
    return r;
}

double replay_rate(struct replay *r, simtime t)
{
    if (t < r->offset)
        return 0;
    double tau = simtime_seconds(t - r->offset) / r->time_scale;
    if (r->loop)
        tau = fmod(tau, r->span);
    else if (tau >= r->span)
        return 0;
    if (r->linear)
        return r->value_scale * gsl_interp_eval(r->interp, r->x, r->v, tau, r->acc);
    return r->value_scale * r->v[gsl_interp_accel_find(r->acc, r->x, r->n, tau)];
}

void replay_free(struct replay *r)
{
    if (!r)
        return;
    if (r->interp)
        gsl_interp_free(r->interp);
    gsl_interp_accel_free(r->acc);
    free(r->x);
    free(r->v);
    free(r);
}

double replay_state_value(void *state, simtime t)
{
    return replay_rate(*(struct replay **)state, t);
}

void replay_state_release(void *state)
{
    replay_free(*(struct replay **)state);
}
