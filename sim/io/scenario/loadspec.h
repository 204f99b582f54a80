#ifndef KSIM_IO_LOADSPEC_H
#define KSIM_IO_LOADSPEC_H
/*
 * Reading a load model (models/load/load.h) from YAML. The YAML shape is
 * documented in scenarios/README.md ("Load models"):
 *   load: 120                                   a constant
 *   load: {diurnal: {mean: 200, amplitude: 150, phase: 6h}}
 *   load: {sum: [{diurnal: {...}}, {poissonNoise: {interval: 15s}}]}
 *   load: {product: [{trace: {file: ...}}, {randomWalk: {...}}]}
 * A generator's key is its registry name in camelCase; its keys come from
 * the generator's parameter table, read generically here, so a new
 * generator needs no code in this file.
 *
 * Messages (after "file:line:col: "), besides schema.h's for each key:
 *   unknown load model 'diurnl' (did you mean 'diurnal'?)
 *   <where>: expected one load model, sum or product, got 2 keys ('a', 'b')
 *   <where>: expected a number or a mapping with one load model, got a list
 *   sum: needs at least one part
 *   steps: step 1 at 1h0m0s is not after step 0 at 2h0m0s    (and other generator checks)
 *   and sim/io/scenario/trace.h's for data files.
 */
#include "sim/base/diag.h"
#include "sim/io/ytree.h"

struct load;
struct rng;

struct loadspec_env {
    /* Where random parts take their streams. Streams are named
     * "<stream_prefix>/<path>", the path naming the part's position, e.g.
     * "load/web/sum[1].poissonNoise" (or "<stream_prefix>/<stream>" when the
     * part sets `stream:`), so adding a part at the end of a sum never shifts
     * the numbers another part sees. May be NULL when no part is random. */
    struct rng *rng;
    const char *stream_prefix; /* NULL: "load" */
    /* Relative data file paths resolve against base_dir (the scenario's
     * directory; NULL: the working directory); a path starting with
     * "$KSIM_DATA_DIR/" resolves against data_dir (NULL:
     * loadspec_default_data_dir()). */
    const char *base_dir;
    const char *data_dir;
};

/*
 * The load described by n. `where` names n in messages ("load",
 * "spec.workloads.deployments[0].load"). NULL with d set on bad input. The
 * load uses env->rng's streams: free it before the rng.
 */
struct load *loadspec_read(const struct ynode *n, const char *where, const struct loadspec_env *env,
                           struct diag *d);

/*
 * The data directory when a scenario sets none: $KSIM_DATA_DIR when set and
 * not empty, else ../shared/data relative to the source checkout ksim was
 * built from. The returned string is static or from the environment.
 */
const char *loadspec_default_data_dir(void);

#endif
