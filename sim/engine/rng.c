#include "sim/engine/rng.h"

#include <stdlib.h>
#include <string.h>

#include "sim/base/xalloc.h"

struct stream {
    char *name;
    gsl_rng *gen;
};

/*
 * A run asks for a handful of streams, so a linear search by name is as fast
 * as anything and keeps creation order, which is all that is ever iterated
 * (to free them).
 */
struct rng {
    uint64_t seed;
    struct stream *streams;
    size_t len, cap;
};

/* The splitmix64 output function (Steele, Lea, Flood 2014): a bijection that spreads every bit. */
static uint64_t mix(uint64_t x)
{
    uint64_t z = x + UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* 64-bit FNV-1a: fixed by its spec, so stream seeds never change between builds or platforms. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

uint64_t rng_stream_seed(uint64_t seed, const char *name)
{
    /* Mixing the hash before combining keeps similar names ("a", "b") far apart. */
    return mix(seed ^ mix(fnv1a(name)));
}

struct rng *rng_new(uint64_t seed)
{
    struct rng *r = xcalloc(1, sizeof *r);
    r->seed = seed;
    return r;
}

void rng_free(struct rng *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->len; i++) {
        free(r->streams[i].name);
        gsl_rng_free(r->streams[i].gen);
    }
    free(r->streams);
    free(r);
}

gsl_rng *rng_stream(struct rng *r, const char *name)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->streams[i].name, name) == 0)
            return r->streams[i].gen;

    /*
     * The type is named explicitly rather than taken from gsl_rng_default,
     * which gsl_rng_env_setup would let the GSL_RNG_TYPE variable change.
     * mt19937 seeds from the low 32 bits of the (well mixed) stream seed.
     */
    gsl_rng *gen = gsl_rng_alloc(gsl_rng_mt19937);
    if (!gen)
        BUG("gsl_rng_alloc failed");
    gsl_rng_set(gen, (unsigned long)rng_stream_seed(r->seed, name));
    xgrow((void **)&r->streams, &r->cap, r->len + 1, sizeof *r->streams);
    r->streams[r->len].name = xstrdup(name);
    r->streams[r->len].gen = gen;
    r->len++;
    return gen;
}
