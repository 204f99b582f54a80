#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/cluster/quantity.h"

struct qcase {
    const char *in;
    int64_t scale;
    int64_t want;
};

/*
 * Worked values. Entries marked "upstream" are taken from TestQuantityParse,
 * TestQuantityParseEmit and TestQuantityString in
 * k8s.io/apimachinery/pkg/api/resource/quantity_test.go (v0.33), converted to
 * what Value() (scale 1) or MilliValue() (scale 1000) returns: both round up.
 */
static const struct qcase cases[] = {
    /* The common forms. */
    {"100m", 1000, 100},
    {"100m", 1, 1},
    {"0.5", 1000, 500},
    {"0.5", 1, 1},
    {"2", 1000, 2000},
    {"2", 1, 2},
    {"1Gi", 1, 1073741824},
    {"512Mi", 1, 536870912},
    {"100Mi", 1, 104857600},
    {"1G", 1, 1000000000},
    {"1e3", 1, 1000},
    {"1.5Ki", 1, 1536},
    {"0.1m", 1000, 1},
    {"1E-3", 1000, 1},
    {"1E-3", 1, 1},
    {".5", 1000, 500},
    {"+1", 1, 1},
    {"1.0", 1, 1},
    {"1.0", 1000, 1000},
    {"1000000000n", 1000, 1000},
    {"1Ki", 1000, 1024000},
    {"250m", 1000, 250},
    /* upstream: zeros and suffixes */
    {"0", 1, 0},
    {"0n", 1000, 0},
    {"0Ki", 1, 0},
    {"0T", 1, 0},
    {"8Ki", 1, 8192},
    {"7Mi", 1, 7340032},
    {"6Gi", 1, 6442450944},
    {"5Ti", 1, 5497558138880},
    {"4Pi", 1, 4503599627370496},
    {"3Ei", 1, 3458764513820540928},
    {"5n", 1000, 1},
    {"4u", 1000, 1},
    {"3m", 1000, 3},
    {"8k", 1, 8000},
    {"50k", 1, 50000},
    {"7M", 1, 7000000},
    {"6G", 1, 6000000000},
    {"5T", 1, 5000000000000},
    {"2P", 1, 2000000000000000},
    {"1E", 1, 1000000000000000000},
    /* upstream: exponents and decimals */
    {"1E6", 1, 1000000},
    {"1e9", 1, 1000000000},
    {"1E18", 1, 1000000000000000000},
    {"100.035k", 1, 100035},
    {"0.001", 1000, 1},
    {"0.0005k", 1000, 500},
    {"0.5e-1", 1000, 50},
    {"0.5e-2", 1000, 5},
    {"1.2e3", 1, 1200},
    {"1.3E+6", 1, 1300000},
    {"1.53E12", 1, 1530000000000},
    {"1.7E18", 1, 1700000000000000000},
    {"7.123456M", 1, 7123456},
    {"6.987654321G", 1, 6987654321},
    {"2.5P", 1, 2500000000000000},
    {"1.01E", 1, 1010000000000000000},
    /* upstream: things that round */
    {"3.001n", 1, 1},
    {"0.00000012345", 1000, 1},
    {"100.035Ki", 1, 102436},
    {"100.035Ki", 1000, 102435840},
    {"0.5Mi", 1, 524288},
    {"0.05Gi", 1, 53687092},
    {"0.025Ti", 1, 27487790695},
    {"0.000000000001Ki", 1, 1},
    {".001Ki", 1, 2},
    {".001Ki", 1000, 1024},
    {".000001Ki", 1000, 2},
    /* upstream: things written by trolls */
    {".001", 1000, 1},
    {".0001k", 1000, 100},
    {"1.", 1, 1},
    {"1.G", 1, 1000000000},
    /* Limits, signs and exactness beyond 64 bits. */
    {"7Ei", 1, 8070450532247928832},
    {"9223372036854775807", 1, INT64_MAX},
    {"9223372036854775806.5", 1, INT64_MAX},
    {"-9223372036854775807", 1, -INT64_MAX},
    {"-100m", 1000, -100},
    {"-0.5", 1, 0},
    {"-1.5", 1, -1},
    {"-0", 1, 0},
    {"1e-999999999999", 1, 1},
    {"0e99999999999", 1, 0},
    {"0.000000000000000000000000000000000000000001", 1, 1},
    {"1.0000000000000000000000000000001", 1, 2},
    {"1.0000000000000000000000000000001", 1000, 1001},
    {"123456789012345678901234567890e-20", 1, 1234567891},
    {"123456789012345678901234567890e-20", 1000, 1234567890124},
    {"0.3333333333333333333333333333333333333333Ei", 1, 384307168202282326},
    {"00000000000000000000000000001k", 1, 1000},
    {"1000000000000000000000000n", 1, 1000000000000000},
};

static void test_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        int64_t v = -12345;
        int rc = quantity_parse(cases[i].in, cases[i].scale, &v, err, sizeof err);
        if (rc != 0 || v != cases[i].want) {
            print_error("'%s' x%lld: rc %d, got %lld, want %lld (%s)\n", cases[i].in,
                        (long long)cases[i].scale, rc, (long long)v, (long long)cases[i].want, err);
            fail();
        }
    }
}

/* Each upstream value parses to its negation with a '-' and unchanged with a '+'. */
static void test_signs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *in = cases[i].in;
        if (in[0] == '-' || in[0] == '+')
            continue;
        char buf[128];
        int64_t pos, neg, plain;
        assert_int_equal(quantity_parse(in, cases[i].scale, &plain, NULL, 0), 0);
        snprintf(buf, sizeof buf, "+%s", in);
        assert_int_equal(quantity_parse(buf, cases[i].scale, &pos, NULL, 0), 0);
        assert_int_equal(pos, plain);
        /* Negative values round towards +inf too, so only exact ones mirror. */
        snprintf(buf, sizeof buf, "-%s", in);
        assert_int_equal(quantity_parse(buf, cases[i].scale, &neg, NULL, 0), 0);
        assert_true(neg <= 0 && -neg <= plain && plain + neg <= 1);
    }
}

struct ecase {
    const char *in;
    int64_t scale;
    const char *msg;
};

static const struct ecase errors[] = {
    {"12Q", 1, "invalid quantity '12Q': unknown suffix 'Q'"},
    {"", 1, "invalid quantity '': empty"},
    {"1.2.3", 1, "invalid quantity '1.2.3': unknown suffix '.3'"},
    {"Ki", 1, "invalid quantity 'Ki': missing number"},
    {"1 Gi", 1, "invalid quantity '1 Gi': unexpected space"},
    {" 1", 1, "invalid quantity ' 1': unexpected space"},
    {"1 ", 1, "invalid quantity '1 ': unexpected space"},
    {"--1", 1, "invalid quantity '--1': missing number"},
    {"+-1", 1, "invalid quantity '+-1': missing number"},
    {"1e", 1, "invalid quantity '1e': missing exponent after 'e'"},
    {"1E+", 1, "invalid quantity '1E+': missing exponent after 'E'"},
    {"-3.01e-", 1, "invalid quantity '-3.01e-': missing exponent after 'e'"},
    {"1e3.5", 1, "invalid quantity '1e3.5': unknown suffix 'e3.5'"},
    {".", 1, "invalid quantity '.': missing number"},
    {"-", 1, "invalid quantity '-': missing number"},
    {"aoeu", 1, "invalid quantity 'aoeu': missing number"},
    {"1.1.M", 1, "invalid quantity '1.1.M': unknown suffix '.M'"},
    {"1+1.0M", 1, "invalid quantity '1+1.0M': unknown suffix '+1.0M'"},
    {".5i", 1, "invalid quantity '.5i': unknown suffix 'i'"},
    {"0x10", 1, "invalid quantity '0x10': unknown suffix 'x10'"},
    {"0.1mi", 1, "invalid quantity '0.1mi': unknown suffix 'mi' (did you mean 'Mi'?)"},
    {"1gi", 1, "invalid quantity '1gi': unknown suffix 'gi' (did you mean 'Gi'?)"},
    {"1GB", 1, "invalid quantity '1GB': unknown suffix 'GB' (did you mean 'G' or 'Gi'?)"},
    {"1GiB", 1, "invalid quantity '1GiB': unknown suffix 'GiB' (did you mean 'G' or 'Gi'?)"},
    {"1K", 1, "invalid quantity '1K': unknown suffix 'K' (did you mean 'k' or 'Ki'?)"},
    {"9Ei", 1, "quantity '9Ei' is too large"},
    {"8Ei", 1, "quantity '8Ei' is too large"},
    {"12E", 1, "quantity '12E' is too large"},
    {"9223372036854775808", 1, "quantity '9223372036854775808' is too large"},
    {"-9223372036854775808", 1, "quantity '-9223372036854775808' is too large"},
    {"9223372036854775807.1", 1, "quantity '9223372036854775807.1' is too large"},
    {"9223372036854775807", 1000, "quantity '9223372036854775807' is too large"},
    {"9223372036854775807Ki", 1, "quantity '9223372036854775807Ki' is too large"},
    {"1e99999999999999", 1, "quantity '1e99999999999999' is too large"},
    {"0.3333333333333333333333333333333333333333Ei", 1000,
     "quantity '0.3333333333333333333333333333333333333333Ei' is too large"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        char err[256] = "";
        int64_t v = 42;
        int rc = quantity_parse(errors[i].in, errors[i].scale, &v, err, sizeof err);
        if (rc != -1 || strcmp(err, errors[i].msg) != 0 || v != 42) {
            print_error("'%s': rc %d, v %lld, message '%s', want '%s'\n", errors[i].in, rc,
                        (long long)v, err, errors[i].msg);
            fail();
        }
    }
}

static void test_error_buffer(void **state)
{
    (void)state;
    int64_t v;
    /* No buffer, or a tiny one, must still be safe. */
    assert_int_equal(quantity_parse("12Q", 1, &v, NULL, 0), -1);
    char small[8];
    assert_int_equal(quantity_parse("12Q", 1, &v, small, sizeof small), -1);
    assert_string_equal(small, "invalid");
}

static void test_long_input(void **state)
{
    (void)state;
    /* A million fraction digits: exact, and linear in the input. */
    size_t n = 1000000;
    char *s = test_malloc(n + 8);
    strcpy(s, "0.");
    memset(s + 2, '3', n);
    strcpy(s + 2 + n, "Ki");
    int64_t v;
    assert_int_equal(quantity_parse(s, 1000, &v, NULL, 0), 0);
    assert_int_equal(v, 341334); /* ceil(1024000 / 3 - a hair) */
    s[0] = '1';
    s[1] = '0';
    memset(s + 2, '0', n);
    strcpy(s + 2 + n, "n");
    assert_int_equal(quantity_parse(s, 1, &v, NULL, 0), -1); /* 10^(10^6+1) n */
    test_free(s);
}

static void test_format_milli(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        const char *want;
    } t[] = {
        {2000, "2"},
        {500, "500m"},
        {0, "0"},
        {1, "1m"},
        {1000, "1"},
        {1500, "1500m"},
        {80, "80m"},
        {1080, "1080m"},
        {1234000, "1234"},
        {1000000, "1k"},
        {-9010, "-9010m"},
        {-2000, "-2"},
        {INT64_MAX, "9223372036854775807m"},
        {1000000000000000000, "1P"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char buf[64];
        quantity_format_milli(t[i].v, buf, sizeof buf);
        assert_string_equal(buf, t[i].want);
        int64_t back;
        assert_int_equal(quantity_parse(buf, 1000, &back, NULL, 0), 0);
        assert_int_equal(back, t[i].v);
    }
}

static void test_format_bytes(void **state)
{
    (void)state;
    /* upstream TestQuantityString: BinarySI cases */
    static const struct {
        int64_t v;
        const char *want;
    } t[] = {
        {1073741824, "1Gi"},
        {300LL * 1024 * 1024, "300Mi"},
        {6 * 1024, "6Ki"},
        {1001LL * 1024 * 1024 * 1024, "1001Gi"},
        {1024LL * 1024 * 1024 * 1024, "1Ti"},
        {5, "5"},
        {1025, "1025"},
        {0, "0"},
        {1536, "1536"},
        {1000, "1000"},
        {-1024, "-1Ki"},
        {1LL << 62, "4Ei"},
        {INT64_MAX, "9223372036854775807"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char buf[64];
        quantity_format_bytes(t[i].v, buf, sizeof buf);
        assert_string_equal(buf, t[i].want);
        int64_t back;
        assert_int_equal(quantity_parse(buf, 1, &back, NULL, 0), 0);
        assert_int_equal(back, t[i].v);
    }
    char tiny[4];
    quantity_format_bytes(1536, tiny, sizeof tiny);
    assert_string_equal(tiny, "153");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),       cmocka_unit_test(test_signs),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_error_buffer),
        cmocka_unit_test(test_long_input),   cmocka_unit_test(test_format_milli),
        cmocka_unit_test(test_format_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
