#ifndef KSIM_IO_RFC3339_H
#define KSIM_IO_RFC3339_H
/*
 * RFC 3339 timestamps as Kubernetes writes them (metav1.Time marshals with
 * time.RFC3339, metav1.MicroTime with fractional seconds), converted to and
 * from simtime microseconds since the Unix epoch. Pure arithmetic (days from
 * the civil date), so the result never depends on the machine's time zone.
 *
 * Accepted, following the RFC 3339 grammar (section 5.6):
 *   YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
 * with 'T' or 't', 'Z' or 'z', year 0000-9999, real calendar days (leap
 * years included), hour < 24, minute and second < 60 (no leap second, which
 * Go's parser refuses too), offset hours < 24; a comma may stand for the
 * decimal point, as Go allows. A fraction has 1-9 digits; digits finer
 * than a microsecond are dropped (rounded toward the past), the only
 * precision simtime has. Go's zero time, 0001-01-01T00:00:00Z, is
 * -62135596800 s.
 */
#include <stddef.h>
#include <stdint.h>

#include "sim/engine/simtime.h"

/* The simtime of 0001-01-01T00:00:00Z (Go's time.Time{}). */
#define RFC3339_ZERO_TIME ((simtime)-62135596800 * SIMTIME_S)

/*
 * Parses s into *out. Returns 0, or -1 with a lower-case message in err,
 * e.g. "invalid timestamp '2024-02-30T00:00:00Z': day out of range" or
 * "invalid timestamp 'yesterday': expected RFC 3339, e.g. 2024-05-01T12:00:00Z".
 */
int rfc3339_parse(const char *s, simtime *out, char *err, size_t errlen);

/*
 * Days from 1970-01-01 to year-month-day (proleptic Gregorian; month 1-12,
 * day 1-31, not checked), for other readers of calendar dates.
 */
int64_t rfc3339_days_from_civil(int64_t year, int month, int day);

/*
 * Formats t in UTC as Go's time.RFC3339Nano does: seconds, then a fraction
 * only when non-zero, without trailing zeros, then "Z"
 * ("2024-05-01T12:00:00Z", "2024-05-01T12:00:00.25Z"). At least 32 bytes.
 */
void rfc3339_format(simtime t, char *buf, size_t len);

#endif
