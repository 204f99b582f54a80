#ifndef KSIM_ENGINE_RNG_H
#define KSIM_ENGINE_RNG_H
/*
 * Named random streams. Every consumer of randomness (batch arrivals, batch
 * durations, the random placement policy, ...) asks for its own stream by
 * name; each stream is a GSL generator (mt19937) seeded from the scenario
 * seed and the name through a fixed hash, so adding a new consumer never
 * shifts the numbers another consumer sees, and nothing depends on the
 * environment or the clock (gsl_rng_env_setup is never called).
 */
#include <stdint.h>

#include <gsl/gsl_rng.h>

struct rng;

struct rng *rng_new(uint64_t seed);
void rng_free(struct rng *r);
/* The stream called name, created on first use; owned by r. */
gsl_rng *rng_stream(struct rng *r, const char *name);
/* The seed a named stream gets (exposed for tests). */
uint64_t rng_stream_seed(uint64_t seed, const char *name);

#endif
