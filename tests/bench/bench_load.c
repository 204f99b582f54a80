/*
 * Load model evaluation speed: a composed load (a weekly diurnal shape times
 * a random walk, plus a looping linear trace, a daily spike and Poisson
 * noise on top of them all) evaluated every 15 s over seven simulated days,
 * as an HPA simulation asks for it once per deployment per sync. The trace
 * is a generated week of per-minute rows written to a temporary file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "models/load/load.h"
#include "sim/engine/rng.h"
#include "sim/io/scenario/loadspec.h"

#define REPEATS 5
#define LOADS   20

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char spec_fmt[] =
    "load:\n"
    "  sum:\n"
    "    - product:\n"
    "        - diurnal: {mean: 200, amplitude: 150, phase: 6h, weekly: {weekend: 0.6}}\n"
    "        - randomWalk: {start: 1, sigma: 0.02, interval: 1m, min: 0.8, max: 1.2}\n"
    "    - trace: {file: %s, interpolation: linear, loop: true, valuePer: 1m}\n"
    "    - spike: {shape: triangle, start: 12h, duration: 20m, height: 300, every: 24h}\n"
    "%s";

/* The best evaluations per second over REPEATS passes of LOADS copies of spec. */
static double measure(const char *spec, long long *evals, double *checksum)
{
    struct diag d;
    diag_clear(&d);
    struct ytree *t = ytree_load_string("bench.yaml", spec, strlen(spec), &d);
    double best = 0;
    for (int rep = 0; rep < REPEATS; rep++) {
        struct rng *r = rng_new(1);
        struct load *loads[LOADS];
        for (int i = 0; i < LOADS; i++) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "load/%d", i);
            struct loadspec_env env = {r, prefix, NULL, NULL};
            loads[i] = loadspec_read(ynode_get(t->docs[0], "load"), "load", &env, &d);
            if (!loads[i]) {
                fprintf(stderr, "bench_load: %s\n", d.text);
                exit(1);
            }
        }
        double t0 = now_s();
        *evals = 0;
        for (simtime at = 0; at < 7 * SIMTIME_DAY; at += 15 * SIMTIME_S)
            for (int i = 0; i < LOADS; i++, ++*evals)
                *checksum += load_rate(loads[i], at);
        double per_s = (double)*evals / (now_s() - t0);
        best = per_s > best ? per_s : best;
        for (int i = 0; i < LOADS; i++)
            load_free(loads[i]);
        rng_free(r);
    }
    ytree_free(t);
    return best;
}

int main(void)
{
    char csv[] = "/tmp/ksim-bench-load-XXXXXX";
    int fd = mkstemp(csv);
    if (fd < 0)
        return 1;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "minute,count\n");
    for (int m = 0; m < 7 * 24 * 60; m++)
        fprintf(f, "%d,%d\n", m * 60, 600 + (m * 7919) % 1200);
    fclose(f);
    char spec[2048];

    double checksum = 0;
    long long evals = 0;
    snprintf(spec, sizeof spec, spec_fmt, csv, "");
    double plain = measure(spec, &evals, &checksum);
    snprintf(spec, sizeof spec, spec_fmt, csv, "    - poissonNoise: {interval: 15s}\n");
    double noisy = measure(spec, &evals, &checksum);
    unlink(csv);
    printf("load.composed_evals_per_s %.3g\nload.composed_noise_evals_per_s %.3g\n", plain, noisy);
    printf("# composed load (diurnal x walk + linear trace + spike): %.1fM evaluations/s, %.0f ns "
           "each\n",
           plain / 1e6, 1e9 / plain);
    printf("# the same plus Poisson noise drawn every 15 s (one gsl_ran_poisson per evaluation): "
           "%.2fM evaluations/s, %.0f ns each (%lld per pass, checksum %.6g)\n",
           noisy / 1e6, 1e9 / noisy, evals, checksum);
    return 0;
}
