#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/engine/simtime.h"

static void check_parse(const char *s, simtime want)
{
    char err[256] = "";
    simtime got = -12345;
    if (simtime_parse(s, &got, err, sizeof err) != 0)
        fail_msg("'%s': unexpected error: %s", s, err);
    if (got != want)
        fail_msg("'%s': got %lld, want %lld", s, (long long)got, (long long)want);
}

static void check_error(const char *s, const char *want)
{
    char err[256] = "";
    simtime got = -12345;
    if (simtime_parse(s, &got, err, sizeof err) != -1)
        fail_msg("'%s': parsed as %lld, want error", s, (long long)got);
    assert_string_equal(err, want);
    assert_true(got == -12345); /* *out is untouched on error */
}

static void test_parse_values(void **state)
{
    (void)state;
    check_parse("0", 0);
    check_parse("0s", 0);
    check_parse("0.0h", 0);
    check_parse("+5s", 5 * SIMTIME_S);
    check_parse("1us", 1);
    check_parse("250us", 250);
    check_parse("250\xc2\xb5s", 250); /* U+00B5 MICRO SIGN */
    check_parse("250\xce\xbcs", 250); /* U+03BC GREEK SMALL LETTER MU */
    check_parse("500ms", 500000);
    check_parse("0.5ms", 500);
    check_parse("1.001ms", 1001);
    check_parse("15s", 15000000);
    check_parse("00015s", 15000000);
    check_parse("1.5s", 1500000);
    check_parse(".5s", 500000);
    check_parse("5.s", 5000000);
    check_parse("1.000001s", 1000001);
    check_parse("1.50000000000000000000000000s", 1500000);
    check_parse("5m", 300000000);
    check_parse("1m30.25s", 90250000);
    check_parse("1h30m", 5400000000);
    check_parse("1.5h", 5400000000);
    check_parse("1h0m0s", 3600000000);
    check_parse("1h1m1s1ms1us", 3661001001);
    check_parse("1s1s", 2000000); /* Go allows repeated units and sums them */
    check_parse("7d", 604800000000);
    check_parse("1.5d", 129600000000);
    check_parse("2d12h", 216000000000);
    check_parse("0.000001d", 86400);
}

static void test_parse_limits(void **state)
{
    (void)state;
    check_parse("9223372036854775807us", INT64_MAX);
    check_parse("9223372036854.775807s", INT64_MAX);
    check_parse("106751991d", 106751991 * SIMTIME_DAY);
    check_parse("2562047788h54.775807s", INT64_MAX);
    check_error("9223372036854775808us", "invalid duration '9223372036854775808us': too large");
    check_error("99999999999999999999999s",
                "invalid duration '99999999999999999999999s': too large");
    check_error("106751992d", "invalid duration '106751992d': too large");
    check_error("106751991d1d", "invalid duration '106751991d1d': too large");
    check_error("9223372036854.775808s", "invalid duration '9223372036854.775808s': too large");
}

static void test_parse_errors(void **state)
{
    (void)state;
    check_error("", "invalid duration '': empty");
    check_error("15", "invalid duration '15': missing unit (use e.g. 15s)");
    check_error("1.5", "invalid duration '1.5': missing unit (use e.g. 1.5s)");
    check_error("1h15", "invalid duration '1h15': missing unit after '15'");
    check_error("5x", "invalid duration '5x': unknown unit 'x'");
    check_error("5 minutes", "invalid duration '5 minutes': unknown unit ' minutes'");
    check_error("5S", "invalid duration '5S': unknown unit 'S'");
    check_error("1e3s", "invalid duration '1e3s': unknown unit 'e'");
    check_error("-5s", "invalid duration '-5s': negative durations are not allowed");
    check_error("-0", "invalid duration '-0': negative durations are not allowed");
    check_error("5ns", "invalid duration '5ns': finer than a microsecond");
    check_error("1.5us", "invalid duration '1.5us': finer than a microsecond");
    check_error("1.0005ms", "invalid duration '1.0005ms': finer than a microsecond");
    check_error("0.0000001s", "invalid duration '0.0000001s': finer than a microsecond");
    check_error("0.00000000000001d",
                "invalid duration '0.00000000000001d': finer than a microsecond");
    check_error("s", "invalid duration 's': expected a number at 's'");
    check_error(".", "invalid duration '.': expected a number at '.'");
    check_error("1h.s", "invalid duration '1h.s': expected a number at '.s'");
    check_error("+", "invalid duration '+': expected a number after '+'");
    check_error(" 5s", "invalid duration ' 5s': expected a number at ' 5s'");
}

/* A short buffer truncates the message but still terminates it. */
static void test_parse_error_truncated(void **state)
{
    (void)state;
    char err[12];
    simtime t;
    assert_int_equal(simtime_parse("15", &t, err, sizeof err), -1);
    assert_string_equal(err, "invalid dur");
    assert_int_equal(simtime_parse("15", &t, NULL, 0), -1);
}

static void check_format(simtime t, const char *want)
{
    char buf[64];
    memset(buf, 'x', sizeof buf);
    simtime_format(t, buf, sizeof buf);
    assert_string_equal(buf, want);
}

/* Expected strings are what Go's time.Duration(t * 1000).String() prints. */
static void test_format(void **state)
{
    (void)state;
    check_format(0, "0s");
    check_format(1, "1\xc2\xb5s");
    check_format(2, "2\xc2\xb5s");
    check_format(999, "999\xc2\xb5s");
    check_format(1000, "1ms");
    check_format(1001, "1.001ms");
    check_format(1500, "1.5ms");
    check_format(500000, "500ms");
    check_format(999999, "999.999ms");
    check_format(SIMTIME_S, "1s");
    check_format(1500000, "1.5s");
    check_format(1000001, "1.000001s");
    check_format(15 * SIMTIME_S, "15s");
    check_format(SIMTIME_MIN, "1m0s");
    check_format(90 * SIMTIME_S, "1m30s");
    check_format(SIMTIME_HOUR, "1h0m0s");
    check_format(SIMTIME_HOUR + 30 * SIMTIME_MIN, "1h30m0s");
    check_format(SIMTIME_HOUR + 1, "1h0m0.000001s");
    check_format(7 * SIMTIME_DAY, "168h0m0s");
    check_format(2 * SIMTIME_DAY + 12 * SIMTIME_HOUR, "60h0m0s");
    check_format(-1500000, "-1.5s");
    check_format(-1, "-1\xc2\xb5s");
    check_format(INT64_MAX, "2562047788h0m54.775807s");
    check_format(INT64_MIN, "-2562047788h0m54.775808s");
}

static void test_format_truncates(void **state)
{
    (void)state;
    char buf[4];
    simtime_format(SIMTIME_HOUR + 30 * SIMTIME_MIN, buf, sizeof buf);
    assert_string_equal(buf, "1h3");
    simtime_format(SIMTIME_HOUR, buf, 0); /* writes nothing */
}

static void check_round_trip(simtime t)
{
    char buf[64], err[256];
    simtime back = -1;
    simtime_format(t, buf, sizeof buf);
    if (simtime_parse(buf, &back, err, sizeof err) != 0)
        fail_msg("%lld formats as '%s', which does not parse: %s", (long long)t, buf, err);
    if (back != t)
        fail_msg("%lld formats as '%s', which parses as %lld", (long long)t, buf, (long long)back);
}

static void test_round_trip(void **state)
{
    (void)state;
    static const simtime fixed[] = {0,           1,         999,      1000,        1234,
                                    999999,      SIMTIME_S, 59999999, SIMTIME_MIN, SIMTIME_HOUR,
                                    SIMTIME_DAY, INT64_MAX};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_round_trip(fixed[i]);
    /* A fixed LCG walks every magnitude: deterministic, no wall clock. */
    uint64_t x = 12345;
    for (int i = 0; i < 100000; i++) {
        x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        check_round_trip((simtime)((x >> 1) >> (x % 62)));
    }
}

static void test_seconds(void **state)
{
    (void)state;
    check_close(simtime_seconds(1500000), 1.5, 0);
    check_close(simtime_seconds(-250), -0.00025, 1e-18);
    check_close(simtime_seconds(7 * SIMTIME_DAY), 604800.0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_values), cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_parse_error_truncated),
        cmocka_unit_test(test_format),       cmocka_unit_test(test_format_truncates),
        cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
