#ifndef KSIM_CLI_SNAPOPT_H
#define KSIM_CLI_SNAPOPT_H
/*
 * Options shared by the commands that read a cluster snapshot (sim/io/kube/snapshot:
 * `ksim score`, `ksim plan fit-count`), parsed one way so they read and fail
 * the same in both:
 *   --pod NAME|NAMESPACE/NAME    --config FILE    --seed N    FILE...   -- FILE...
 * Each command parses its own remaining options (score's -o table|json,
 * fit-count's --max, --format, -o DIR, --no-plots).
 */
#include <stddef.h>
#include <stdint.h>

struct snapopt {
    const char *pod;    /* --pod; NULL: the only pod without spec.nodeName */
    const char *config; /* --config; NULL when not given */
    uint64_t seed;      /* --seed; 0 when not given */
    const char **files; /* the FILE arguments, in order (argv's strings) */
    size_t nfiles;
};

/* Sets defaults and makes room for every argument of argv as a file. */
void snapopt_init(struct snapopt *o, int argc);
void snapopt_release(struct snapopt *o);

/*
 * If argv[*i] is a shared option or a FILE, consumes it (with its value;
 * after "--", every remaining argument as a FILE) and returns 1; returns 0
 * for any other argument starting with '-'; on a bad value prints the usage
 * error for cmd and returns -1.
 */
int snapopt_parse(struct snapopt *o, const char *cmd, int argc, char **argv, int *i);

/* After the arguments: a usage error (CLI_USAGE) when no FILE was given, else CLI_OK. */
int snapopt_finish(const struct snapopt *o, const char *cmd);

#endif
