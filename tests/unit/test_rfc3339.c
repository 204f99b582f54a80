/*
 * sim/io/rfc3339: exact instants (epoch values computed independently with
 * Python's datetime), Go's zero time, offsets, fractions, and every range
 * and syntax error; formatting back to UTC.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/io/rfc3339.h"

static simtime parse_ok(const char *s)
{
    simtime t = 0;
    char err[256] = "";
    int rc = rfc3339_parse(s, &t, err, sizeof err);
    if (rc != 0)
        fail_msg("%s: %s", s, err);
    return t;
}

static void parse_fails(const char *s, const char *want)
{
    simtime t = 0;
    char err[256] = "";
    assert_int_equal(rfc3339_parse(s, &t, err, sizeof err), -1);
    assert_string_equal(err, want);
}

static void test_instants(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_ok("2024-05-01T12:00:00Z"), 1714564800 * SIMTIME_S);
    assert_int_equal(parse_ok("2000-02-29T00:00:00Z"), 951782400 * SIMTIME_S);
    assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), 253402300799 * SIMTIME_S);
    /* Go's zero time, as kubectl prints an unset-but-present metav1.Time. */
    assert_int_equal(parse_ok("0001-01-01T00:00:00Z"), RFC3339_ZERO_TIME);
    assert_int_equal(RFC3339_ZERO_TIME, (simtime)-62135596800 * SIMTIME_S);
}

static void test_offsets_and_fractions(void **state)
{
    (void)state;
    /* 2024-02-29T23:59:59+01:30 is 22:29:59 UTC. */
    assert_int_equal(parse_ok("2024-02-29T23:59:59+01:30"), 1709245799 * SIMTIME_S);
    assert_int_equal(parse_ok("2024-02-29T21:59:59-00:30"), 1709245799 * SIMTIME_S);
    assert_int_equal(parse_ok("2024-05-01t12:00:00z"), 1714564800 * SIMTIME_S);
    assert_int_equal(parse_ok("1970-01-01T00:00:00.5Z"), 500000);
    assert_int_equal(parse_ok("1970-01-01T00:00:00.000001Z"), 1);
    /* Nanoseconds below a microsecond are dropped (rounded toward the past). */
    assert_int_equal(parse_ok("1970-01-01T00:00:00.123456789Z"), 123456);
    assert_int_equal(parse_ok("1969-12-31T23:59:59.25Z"), -750000);
}

static void test_errors(void **state)
{
    (void)state;
    parse_fails("2024-02-30T00:00:00Z",
                "invalid timestamp '2024-02-30T00:00:00Z': day out of range");
    parse_fails("2023-02-29T00:00:00Z",
                "invalid timestamp '2023-02-29T00:00:00Z': day out of range");
    parse_fails("1900-02-29T00:00:00Z",
                "invalid timestamp '1900-02-29T00:00:00Z': day out of range");
    parse_fails("2024-04-31T00:00:00Z",
                "invalid timestamp '2024-04-31T00:00:00Z': day out of range");
    parse_fails("2024-13-01T00:00:00Z",
                "invalid timestamp '2024-13-01T00:00:00Z': month out of range");
    parse_fails("2024-00-01T00:00:00Z",
                "invalid timestamp '2024-00-01T00:00:00Z': month out of range");
    parse_fails("2024-05-01T24:00:00Z",
                "invalid timestamp '2024-05-01T24:00:00Z': hour out of range");
    parse_fails("2024-05-01T12:60:00Z",
                "invalid timestamp '2024-05-01T12:60:00Z': minute out of range");
    parse_fails("2024-05-01T12:00:60Z",
                "invalid timestamp '2024-05-01T12:00:60Z': second out of range");
    parse_fails("2024-05-01T12:00:00+24:00",
                "invalid timestamp '2024-05-01T12:00:00+24:00': time zone offset out of range");
    const char *syntax[] = {"yesterday",
                            "",
                            "2024-05-01 12:00:00Z",
                            "2024-05-01T12:00:00",
                            "2024-05-01T12:00Z",
                            "2024-5-01T12:00:00Z",
                            "2024-05-01T12:00:00.Z",
                            "2024-05-01T12:00:00.1234567890Z",
                            "2024-05-01T12:00:00+0100",
                            "2024-05-01T12:00:00Zjunk",
                            NULL};
    for (int i = 0; syntax[i]; i++) {
        char want[256];
        snprintf(want, sizeof want,
                 "invalid timestamp '%s': expected RFC 3339, e.g. 2024-05-01T12:00:00Z", syntax[i]);
        parse_fails(syntax[i], want);
    }
}

static void test_format(void **state)
{
    (void)state;
    char buf[48];
    rfc3339_format(1714564800 * SIMTIME_S, buf, sizeof buf);
    assert_string_equal(buf, "2024-05-01T12:00:00Z");
    rfc3339_format(RFC3339_ZERO_TIME, buf, sizeof buf);
    assert_string_equal(buf, "0001-01-01T00:00:00Z");
    rfc3339_format(-1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999999Z");
    rfc3339_format(1709245799 * SIMTIME_S + 250000, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29T22:29:59.25Z");
    /* Round trip over a spread of instants, leap days included. */
    for (simtime t = RFC3339_ZERO_TIME; t < 253402300799 * SIMTIME_S;
         t += 86399 * SIMTIME_S * 37 + 123457) {
        rfc3339_format(t, buf, sizeof buf);
        assert_int_equal(parse_ok(buf), t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instants),
        cmocka_unit_test(test_offsets_and_fractions),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
