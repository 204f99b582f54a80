#ifndef KSIM_MODELS_LOAD_LOAD_H
#define KSIM_MODELS_LOAD_LOAD_H
/*
 * Load models: the offered load of a workload, in requests per second, as a
 * function of virtual time.
 *
 * A load is a tree: leaves are generators (constant, step, ramp, diurnal,
 * spike, poisson-noise, random-walk, trace, arrival-trace), inner nodes sum or
 * multiply their parts. Evaluate it with load_rate at non-decreasing times;
 * generators keep cursors (trace positions, random draws) that only move
 * forward. Random generators draw from their own named GSL stream, one draw
 * sequence per fixed time grid (intervals of the generator's own length), so
 * the value at t depends on the seed and t only, never on how often or where
 * a caller evaluated before.
 *
 * A generator is a const struct load_ops listed in load_registry (load.c) and
 * found by exact name. It declares a parameter table that sim/io/scenario/loadspec.c
 * reads generically from YAML, so adding a generator needs no loader code.
 *
 * How to add a generator:
 *   1. write models/load/<name>.c defining `const struct load_<name>_ops`
 *      with a kebab-case name (its YAML key is the camelCase form), a summary
 *      stating its formula, a params struct and its table, and init/value;
 *   2. declare it at the end of this header and add it to load_registry in
 *      load.c, in the order `ksim list` shows;
 *   3. add worked examples to tests/unit/test_load.c and document every key in
 *      scenarios/README.md ("Load models").
 *
 * Models do no I/O: data files are read by sim/io (sim/io/scenario/trace.c) and handed
 * over as arrays in struct load_series.
 */
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "sim/engine/simtime.h"

struct load;

/* ---------------------------------------------------------------- evaluation */

/*
 * The offered load at t (µs) in requests per second, never negative: a
 * composition whose parts sum to less than zero (noise, a negative drift)
 * offers 0. Calls must come at non-decreasing t.
 */
double load_rate(struct load *l, simtime t);
/* The same without the clamp at 0: what a part contributes to its parent. */
double load_value(struct load *l, simtime t);
/* Frees l and its parts. NULL is a no-op. */
void load_free(struct load *l);

/* --------------------------------------------------------------- generators */

enum load_param_type {
    LOAD_P_NUMBER,   /* double, within [min, max] */
    LOAD_P_DURATION, /* simtime, at least dmin */
    LOAD_P_STRING,   /* const char *, valid during init only (init copies what it keeps) */
    LOAD_P_ENUM,     /* int: index into choices */
    LOAD_P_BOOL,     /* int */
    LOAD_P_LIST,     /* a list of records read with elem: void * at offset, size_t at count */
    LOAD_P_GROUP,    /* a mapping whose keys (elem) write into the same params struct; int flag
                        at count set when present */
    LOAD_P_LOAD,     /* struct load *: a nested load spec; init owns it on success */
    LOAD_P_COLUMN,   /* struct load_column: a column name (string) or 0-based index (integer) */
    LOAD_P_INSTANT,  /* struct load_instant: a number or a date-time string */
    LOAD_P_INLINE,   /* no key of its own (write "*"): elem's keys belong to this mapping */
};

/* One key of a generator's YAML mapping. Tables end with an entry whose key is NULL. */
struct load_param {
    const char *key; /* camelCase, as written in scenarios */
    enum load_param_type type;
    size_t offset; /* of the field in the params struct */
    int required;
    double def; /* NUMBER default */
    double min; /* NUMBER bounds */
    double max;
    simtime def_time;              /* DURATION default */
    simtime dmin;                  /* DURATION lower bound */
    const char *const *choices;    /* ENUM: NULL-terminated */
    int def_enum;                  /* ENUM, BOOL, COLUMN (an index) default */
    const struct load_param *elem; /* LIST, GROUP, INLINE: the inner keys; GROUP and INLINE
                                      offsets count from this entry's offset */
    size_t elem_size;              /* LIST: size of one record */
    size_t count;                  /* LIST: offset of the size_t count; GROUP: of the int flag */
};

/* A CSV column: by header name when name is set, else by 0-based index. */
struct load_column {
    const char *name;
    long index;
};

/* A point in a trace's own time: seconds, or a date-time as seconds since 1970-01-01 UTC. */
struct load_instant {
    int set;  /* 0 when the key is absent */
    int date; /* 1 when written as a date-time */
    double s;
};

/*
 * Rows of a data file. The generator's params struct embeds one at
 * ops->series_offset; its file and columns are ordinary parameters, and the
 * loader fills the arrays before init (init copies what it keeps).
 */
struct load_series {
    const char *file; /* as written in the scenario */
    struct load_column time_col, value_col;
    int header;          /* whether the first line names the columns */
    const double *time;  /* seconds as written, or since 1970 for date-times; sorted */
    const double *value; /* NULL when the generator reads times only */
    const int *line;     /* each row's line in the file, for messages */
    size_t n;
    int dates; /* 1 when the time column holds date-times */
};

/* What init gets besides its parameters, and how it reports an error. */
struct load_init {
    gsl_rng *rng;          /* LOAD_RANDOM generators: their stream */
    int in_sum;            /* the generator is a direct part of a sum (LOAD_SIBLINGS) */
    char err[256];         /* on failure: the message, without position */
    const char *err_param; /* the key it is about (the loader points there), or NULL */
};

#define LOAD_RANDOM   1u /* takes a named random stream */
#define LOAD_SIBLINGS 2u /* may take the other parts of its sum as input (bind_siblings) */
#define LOAD_SERIES_T 4u /* embeds a struct load_series of times only */
#define LOAD_SERIES   8u /* embeds a struct load_series of (time, value) rows */

struct load_ops {
    const char
        *name; /* kebab-case; the YAML key is its camelCase ("poisson-noise" → poissonNoise) */
    const char *summary; /* one line with the formula, for `ksim list` */
    const struct load_param *params;
    size_t params_size;
    size_t state_size;
    unsigned flags;
    size_t series_offset; /* LOAD_SERIES / LOAD_SERIES_T: where struct load_series sits */
    /* Builds the state from params. 0, or -1 with ctx->err set (init frees nothing of params). */
    int (*init)(void *state, const void *params, struct load_init *ctx);
    double (*value)(void *state, simtime t);
    void (*release)(void *state); /* may be NULL */
    /*
     * LOAD_SIBLINGS: offered the other parts of the sum it is in (a view it
     * owns from then on, to free with load_free). Returns 1 if it took them,
     * 0 if it has its own input and does not want them.
     */
    int (*bind_siblings)(void *state, struct load *siblings);
};

/* The registry, NULL-terminated, in display order. */
extern const struct load_ops *const load_registry[];
/* The generator named name (kebab-case), or NULL. */
const struct load_ops *load_find(const char *name);

/*
 * A generator instance. On error returns NULL with ctx->err set; the LOAD
 * parameters stay the caller's to free.
 */
struct load *load_new(const struct load_ops *ops, const void *params, struct load_init *ctx);
/* A constant rate (the generator "constant"), for callers that build loads in C. */
struct load *load_constant_new(double rate);
/*
 * Sum and product of n parts (n >= 1); take ownership of parts (the array is
 * copied). load_sum_new offers each LOAD_SIBLINGS part the other parts and
 * evaluates parts that took them first, so those see their siblings at
 * earlier instants before the sum moves on. At most one part may take them:
 * returns NULL (parts freed) with a message in err otherwise.
 */
struct load *load_sum_new(struct load **parts, size_t n, char *err, size_t errlen);
struct load *load_product_new(struct load **parts, size_t n);

/* ------------------------------------------------------------ the generators */

struct load_constant_params {
    double value;
};

extern const struct load_ops load_constant_ops;
extern const struct load_ops load_step_ops;
extern const struct load_ops load_ramp_ops;
extern const struct load_ops load_diurnal_ops;
extern const struct load_ops load_spike_ops;
extern const struct load_ops load_poisson_noise_ops;
extern const struct load_ops load_random_walk_ops;
extern const struct load_ops load_trace_ops;
extern const struct load_ops load_arrival_trace_ops;

#endif
