#ifndef KSIM_ENGINE_SIMTIME_H
#define KSIM_ENGINE_SIMTIME_H
/*
 * Virtual time: int64 microseconds since the start of the run. Integers keep
 * week-long runs exact (no float drift in sums of intervals).
 */
#include <stddef.h>
#include <stdint.h>

typedef int64_t simtime;

#define SIMTIME_US    ((simtime)1)
#define SIMTIME_MS    ((simtime)1000)
#define SIMTIME_S     ((simtime)1000000)
#define SIMTIME_MIN   (60 * SIMTIME_S)
#define SIMTIME_HOUR  (60 * SIMTIME_MIN)
#define SIMTIME_DAY   (24 * SIMTIME_HOUR)
#define SIMTIME_NEVER INT64_MAX

/*
 * Parses a duration: Go's time.ParseDuration syntax ("500ms", "15s", "5m",
 * "1h30m", "1.5h", "250us"/"250µs") plus "d" for days ("7d"). A bare "0" is
 * zero. Negative durations and values finer than a microsecond or beyond
 * int64 are errors. Returns 0 on success; on error returns -1 and writes a
 * lower-case message naming the value into err (e.g. "invalid duration
 * '5 minutes': ...").
 */
int simtime_parse(const char *s, simtime *out, char *err, size_t errlen);

/*
 * Formats t the way Go's Duration.String does, with days folded into hours
 * ("1h30m0s", "500ms", "0s"). Writes at most len bytes including the NUL.
 */
void simtime_format(simtime t, char *buf, size_t len);

/* t in seconds as a double, for output only (never for arithmetic). */
double simtime_seconds(simtime t);

#endif
