#ifndef KSIM_IO_SCHEMA_H
#define KSIM_IO_SCHEMA_H
/*
 * Strict typed reading of ytree nodes. Every function returns 0 on success
 * and -1 after filling d with "file:line:col: message" at the offending node.
 * `what` names the value for the message, usually the key ("replicas",
 * "spec.seed"); messages look like
 *   web.yaml:7:15: replicas: expected an integer, got 'five'
 *   web.yaml:7:15: replicas: must not be negative, got -2
 *   s.yaml:3:3: unknown key 'sede' in spec (did you mean 'seed'?)
 *   s.yaml:2:1: missing required key 'duration' in spec
 *
 * The full set, after "file:line:col: " (what = the `what` argument):
 *   what: expected a mapping, got a list     (kinds: ynode_kind_name)
 *   what: expected a list, got a mapping
 *   what: expected a string, got null        (string, name, enum)
 *   what: expected an integer, got 'abc'     (a scalar: quoted as written)
 *   what: expected an integer, got a mapping (not a scalar, or null)
 *   what: expected a number, got '.inf'      what: number '1e999' is too large
 *   what: expected true or false, got 'yes'
 *   what: expected a duration, got a list    what: expected a quantity, got null
 *   what: must be at least 1, got 0          (got: the value as written)
 *   what: must not be negative, got -2       (when min is 0)
 *   what: must be at most 10, got 11         (an int64 overflow reads the same)
 *   what: must be at least 1s, got 500ms     (durations, bounds as simtime_format)
 *   what: invalid duration '5 minutes': ...  (simtime_parse's message)
 *   what: invalid quantity '12Q': unknown suffix 'Q'  (quantity_parse's message)
 *   what: must not be negative, got '-1'     (quantities)
 *   what: unknown value 'frist-fit' (did you mean 'first-fit'?)
 *   what: unknown value 'x' (expected one of: a, b, c)
 *   what: invalid name 'Web_1': must be lowercase letters, digits, '-' or '.'
 *   what: invalid name '': must not be empty
 *   what: invalid name '-a': must start and end with a lowercase letter or digit
 *   what: invalid name 'a..b': '.' must have a lowercase letter or digit on each side
 *   what: invalid name '...': must be at most 253 characters
 *   what: contains a NUL character           (a "\0" escape in any scalar)
 *   unknown key 'x' in where [(did you mean 'y'?)]   (at the key)
 *   missing required key 'k' in where                (at the mapping)
 *   missing value for required key 'k' in where      (at the null value)
 * A NULL node (an absent key) is "what: missing value" without a position,
 * except for schema_expect_seq, where it is an empty list.
 */
#include <stdint.h>

#include "sim/base/diag.h"
#include "sim/engine/simtime.h"
#include "sim/io/ytree.h"

/*
 * Checks that n is a mapping whose keys are all in known (NULL-terminated);
 * `where` names the mapping in messages ("spec", "spec.cluster.nodePools[0]").
 * An unknown key is reported at the key with the closest known key suggested.
 */
int schema_check_keys(const struct ynode *n, const char *where, const char *const *known,
                      struct diag *d);
/* Checks that n is a mapping (any keys). */
int schema_expect_map(const struct ynode *n, const char *what, struct diag *d);
/* Checks that n is a sequence. A null node counts as an empty sequence: returns 0. */
int schema_expect_seq(const struct ynode *n, const char *what, struct diag *d);
/* Looks up a required key of mapping n: NULL (and d filled) when missing or null. */
const struct ynode *schema_require(const struct ynode *n, const char *where, const char *key,
                                   struct diag *d);

/* A scalar string (quoted or plain, but not null). The pointer lives as long as the tree. */
int schema_string(const struct ynode *n, const char *what, const char **out, struct diag *d);
/* A non-empty string that is a valid DNS-1123 subdomain name (metadata.name). */
int schema_name(const struct ynode *n, const char *what, const char **out, struct diag *d);
/* A decimal integer; plain or quoted ("5" and 5 both). Range [min, max]. */
int schema_int64(const struct ynode *n, const char *what, int64_t min, int64_t max, int64_t *out,
                 struct diag *d);
/* A number (integer or decimal, no inf/nan). Range [min, max]. */
int schema_double(const struct ynode *n, const char *what, double min, double max, double *out,
                  struct diag *d);
/* true/false (YAML 1.2 core: true, True, TRUE, false, False, FALSE). */
int schema_bool(const struct ynode *n, const char *what, int *out, struct diag *d);
/* A duration (simtime_parse syntax); range [min, max]. */
int schema_duration(const struct ynode *n, const char *what, simtime min, simtime max, simtime *out,
                    struct diag *d);
/*
 * A Kubernetes quantity, as an integer in milli-units when milli is set
 * (CPU) and in units otherwise (memory bytes, pods); rounding up as
 * Quantity.MilliValue/Value do. A plain YAML number is accepted as well as a
 * string. Negative quantities are errors.
 */
int schema_quantity(const struct ynode *n, const char *what, int milli, int64_t *out,
                    struct diag *d);
/*
 * Records "file:line:col: <message>" at n's position (just the message when n
 * is NULL) and returns -1, for readers built on these functions.
 */
int schema_fail(struct diag *d, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One of the NULL-terminated choices; suggests the closest on a miss. Returns the index. */
int schema_enum(const struct ynode *n, const char *what, const char *const *choices, int *out,
                struct diag *d);

#endif
