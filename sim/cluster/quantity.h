#ifndef KSIM_CLUSTER_QUANTITY_H
#define KSIM_CLUSTER_QUANTITY_H
/*
 * Kubernetes resource.Quantity strings parsed into exact integers.
 * Follows k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity):
 *   <quantity> ::= <signedNumber><suffix>
 *   suffix: binary Ki Mi Gi Ti Pi Ei | decimal n u m "" k M G T P E |
 *           exponent e<int> / E<int>
 * Examples: "100m", "0.5", "2", "1Gi", "512Mi", "1G", "1e3", "1.5Ki", "+1", ".5".
 * Values are exact rationals until the final rounding, which, like
 * Quantity.Value() and Quantity.MilliValue(), rounds up (towards +inf) to the
 * next integer: "0.1m" of CPU is 1 milli-core; "0.5" bytes is 1 byte.
 */
#include <stddef.h>
#include <stdint.h>

/*
 * Parses s and returns its value times scale (1 for Value(), 1000 for
 * MilliValue()), rounded up. Returns 0, or -1 with a message naming the value
 * in err ("invalid quantity '12Q': unknown suffix 'Q'", "quantity '9Ei' is
 * too large"). Negative values are parsed (callers reject them where needed).
 * The messages:
 *   invalid quantity '': empty
 *   invalid quantity 'Ki': missing number
 *   invalid quantity '1 Gi': unexpected space
 *   invalid quantity '1e': missing exponent after 'e'
 *   invalid quantity '12Q': unknown suffix 'Q'
 *   invalid quantity '1GB': unknown suffix 'GB' (did you mean 'G' or 'Gi'?)
 *   quantity '9Ei' is too large            (the result does not fit int64)
 * Unlike upstream, which silently caps binary-suffixed values at 2^63-1 and
 * reads "." or a bare suffix ("Ki") as 0, those are errors here. err may be
 * NULL.
 */
int quantity_parse(const char *s, int64_t scale, int64_t *out, char *err, size_t errlen);

/*
 * Formats CPU milli-cores canonically, with the largest decimal suffix that
 * keeps the number whole, as Quantity.String does: 2000 -> "2",
 * 500 -> "500m", 1500 -> "1500m", 1000000 -> "1k".
 */
void quantity_format_milli(int64_t milli, char *buf, size_t len);
/*
 * Formats bytes canonically with the largest exact binary suffix:
 * 1073741824 -> "1Gi", 1536 -> "1536", 1000 -> "1000".
 */
void quantity_format_bytes(int64_t bytes, char *buf, size_t len);

#endif
