#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "sim/io/schema.h"

/*
 * Each test loads one small document into `tree` and reads its keys; the
 * document is freed by the group teardown so a failing assertion leaks
 * nothing.
 */
static struct ytree *tree;
static struct diag d;

static const struct ynode *doc(const char *text)
{
    ytree_free(tree);
    diag_clear(&d);
    tree = ytree_load_string("s.yaml", text, strlen(text), &d);
    if (!tree)
        fail_msg("cannot load test input: %s", d.text);
    diag_clear(&d);
    return tree->docs[0];
}

static int teardown(void **state)
{
    (void)state;
    ytree_free(tree);
    tree = NULL;
    return 0;
}

/* The value of key in a one-document input. */
static const struct ynode *val(const char *text, const char *key)
{
    const struct ynode *v = ynode_get(doc(text), key);
    if (!v)
        fail_msg("no key %s", key);
    return v;
}

static void check_msg(int rc, const char *want)
{
    if (rc != -1 || !d.set || strcmp(d.text, want) != 0) {
        print_error("rc %d\ngot  '%s'\nwant '%s'\n", rc, d.set ? d.text : "(nothing)", want);
        fail();
    }
    diag_clear(&d);
}

static const char *const spec_keys[] = {"seed", "duration", "cluster", NULL};

static void test_check_keys(void **state)
{
    (void)state;
    const struct ynode *spec = ynode_get(doc("spec:\n  seed: 1\n  duration: 2h\n"), "spec");
    assert_int_equal(schema_check_keys(spec, "spec", spec_keys, &d), 0);
    assert_false(d.set);

    spec = val("spec:\n  seed: 1\n  seeed: 2\n", "spec");
    check_msg(schema_check_keys(spec, "spec", spec_keys, &d),
              "s.yaml:3:3: unknown key 'seeed' in spec (did you mean 'seed'?)");
    spec = val("spec:\n  Seed: 1\n", "spec");
    check_msg(schema_check_keys(spec, "spec", spec_keys, &d),
              "s.yaml:2:3: unknown key 'Seed' in spec (did you mean 'seed'?)");
    spec = val("spec: {replicas: 1}\n", "spec");
    check_msg(schema_check_keys(spec, "spec", spec_keys, &d),
              "s.yaml:1:8: unknown key 'replicas' in spec");
    spec = val("spec: [1]\n", "spec");
    check_msg(schema_check_keys(spec, "spec", spec_keys, &d),
              "s.yaml:1:7: spec: expected a mapping, got a list");
    spec = val("spec:\n", "spec");
    check_msg(schema_check_keys(spec, "spec", spec_keys, &d),
              "s.yaml:1:6: spec: expected a mapping, got null");
}

static void test_expect(void **state)
{
    (void)state;
    assert_int_equal(schema_expect_map(val("a: {}\n", "a"), "a", &d), 0);
    check_msg(schema_expect_map(val("a: x\n", "a"), "a", &d),
              "s.yaml:1:4: a: expected a mapping, got a string");
    check_msg(schema_expect_map(val("a: [x]\n", "a"), "a", &d),
              "s.yaml:1:4: a: expected a mapping, got a list");
    check_msg(schema_expect_map(NULL, "spec", &d), "spec: missing value");

    assert_int_equal(schema_expect_seq(val("a: [x]\n", "a"), "a", &d), 0);
    assert_int_equal(schema_expect_seq(val("a:\n", "a"), "a", &d), 0);
    assert_int_equal(schema_expect_seq(val("a: ~\n", "a"), "a", &d), 0);
    assert_int_equal(schema_expect_seq(NULL, "a", &d), 0);
    assert_false(d.set);
    check_msg(schema_expect_seq(val("pools:\n  name: a\n", "pools"), "nodePools", &d),
              "s.yaml:2:3: nodePools: expected a list, got a mapping");
    check_msg(schema_expect_seq(val("a: ''\n", "a"), "a", &d),
              "s.yaml:1:4: a: expected a list, got a string");
}

static void test_require(void **state)
{
    (void)state;
    const struct ynode *spec = val("spec:\n  seed: 7\n", "spec");
    const struct ynode *v = schema_require(spec, "spec", "seed", &d);
    assert_non_null(v);
    assert_string_equal(v->str, "7");

    assert_null(schema_require(spec, "spec", "duration", &d));
    check_msg(-1, "s.yaml:2:3: missing required key 'duration' in spec");
    spec = val("spec:\n  seed: 7\n  duration:\n", "spec");
    assert_null(schema_require(spec, "spec", "duration", &d));
    check_msg(-1, "s.yaml:3:12: missing value for required key 'duration' in spec");
    spec = val("spec: 3\n", "spec");
    assert_null(schema_require(spec, "spec", "seed", &d));
    check_msg(-1, "s.yaml:1:7: spec: expected a mapping, got a string");
}

static void test_string(void **state)
{
    (void)state;
    const char *s = NULL;
    assert_int_equal(schema_string(val("a: hello\n", "a"), "a", &s, &d), 0);
    assert_string_equal(s, "hello");
    assert_int_equal(schema_string(val("a: '42'\n", "a"), "a", &s, &d), 0);
    assert_string_equal(s, "42");
    assert_int_equal(schema_string(val("a: 42\n", "a"), "a", &s, &d), 0);
    assert_string_equal(s, "42");
    assert_int_equal(schema_string(val("a: ''\n", "a"), "a", &s, &d), 0);
    assert_string_equal(s, "");
    check_msg(schema_string(val("image:\n", "image"), "image", &s, &d),
              "s.yaml:1:7: image: expected a string, got null");
    check_msg(schema_string(val("image: {a: 1}\n", "image"), "image", &s, &d),
              "s.yaml:1:8: image: expected a string, got a mapping");
    check_msg(schema_string(val("image: [a]\n", "image"), "image", &s, &d),
              "s.yaml:1:8: image: expected a string, got a list");
    check_msg(schema_string(val("a: \"x\\0y\"\n", "a"), "a", &s, &d),
              "s.yaml:1:4: a: contains a NUL character");
    check_msg(schema_string(NULL, "image", &s, &d), "image: missing value");
}

static void test_name(void **state)
{
    (void)state;
    const char *s = NULL;
    const char *good[] = {"web", "web-1", "a.b-c.d", "0", "x1"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "n: %s\n", good[i]);
        assert_int_equal(schema_name(val(text, "n"), "name", &s, &d), 0);
        assert_string_equal(s, good[i]);
    }
    check_msg(schema_name(val("n: Web_1\n", "n"), "metadata.name", &s, &d),
              "s.yaml:1:4: metadata.name: invalid name 'Web_1': must be lowercase letters, "
              "digits, '-' or '.'");
    check_msg(schema_name(val("n: 'a b'\n", "n"), "name", &s, &d),
              "s.yaml:1:4: name: invalid name 'a b': must be lowercase letters, digits, '-' or "
              "'.'");
    check_msg(schema_name(val("n: ''\n", "n"), "name", &s, &d),
              "s.yaml:1:4: name: invalid name '': must not be empty");
    check_msg(schema_name(val("n: -web\n", "n"), "name", &s, &d),
              "s.yaml:1:4: name: invalid name '-web': must start and end with a lowercase "
              "letter or digit");
    check_msg(schema_name(val("n: web.\n", "n"), "name", &s, &d),
              "s.yaml:1:4: name: invalid name 'web.': must start and end with a lowercase "
              "letter or digit");
    check_msg(schema_name(val("n: a..b\n", "n"), "name", &s, &d),
              "s.yaml:1:4: name: invalid name 'a..b': '.' must have a lowercase letter or digit "
              "on each side");
    check_msg(schema_name(val("n: a.-b\n", "n"), "name", &s, &d),
              "s.yaml:1:4: name: invalid name 'a.-b': '.' must have a lowercase letter or digit "
              "on each side");
    check_msg(schema_name(val("n:\n", "n"), "name", &s, &d),
              "s.yaml:1:3: name: expected a string, got null");

    /* 253 characters is the limit. */
    char text[300] = "n: ";
    memset(text + 3, 'a', 253);
    text[256] = '\0';
    assert_int_equal(schema_name(val(text, "n"), "name", &s, &d), 0);
    assert_int_equal(strlen(s), 253);
    strcat(text, "a");
    char want[400];
    snprintf(want, sizeof want,
             "s.yaml:1:4: name: invalid name '%s': must be at most 253 characters", text + 3);
    check_msg(schema_name(val(text, "n"), "name", &s, &d), want);
}

static void test_int64(void **state)
{
    (void)state;
    int64_t v = 0;
    static const struct {
        const char *text;
        int64_t want;
    } ok[] = {
        {"r: 5\n", 5},
        {"r: '5'\n", 5},
        {"r: \"+5\"\n", 5},
        {"r: -3\n", -3},
        {"r: 007\n", 7},
        {"r: 0\n", 0},
        {"r: -0\n", 0},
        {"r: 10\n", 10},
        {"r: 9223372036854775807\n", INT64_MAX},
        {"r: -9223372036854775808\n", INT64_MIN},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(schema_int64(val(ok[i].text, "r"), "r", INT64_MIN, INT64_MAX, &v, &d), 0);
        assert_int_equal(v, ok[i].want);
    }
    static const struct {
        const char *text;
        int64_t min, max;
        const char *want;
    } bad[] = {
        {"r: five\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got 'five'"},
        {"r: abc\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got 'abc'"},
        {"r: 1.5\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got '1.5'"},
        {"r: '1.5'\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got '1.5'"},
        {"r: 1e3\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got '1e3'"},
        {"r: 0x10\n", 0, 100, "s.yaml:1:4: replicas: expected an integer, got '0x10'"},
        {"r: 1_000\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got '1_000'"},
        {"r: ''\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got ''"},
        {"r: ' 5'\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got ' 5'"},
        {"r: '-'\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got '-'"},
        {"r: true\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got 'true'"},
        {"r:\n", 0, 10, "s.yaml:1:3: replicas: expected an integer, got null"},
        {"r: {a: 1}\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got a mapping"},
        {"r: [1]\n", 0, 10, "s.yaml:1:4: replicas: expected an integer, got a list"},
        {"r: -2\n", 0, 10, "s.yaml:1:4: replicas: must not be negative, got -2"},
        {"r: 0\n", 1, 10, "s.yaml:1:4: replicas: must be at least 1, got 0"},
        {"r: -20\n", -10, 10, "s.yaml:1:4: replicas: must be at least -10, got -20"},
        {"r: 11\n", 0, 10, "s.yaml:1:4: replicas: must be at most 10, got 11"},
        {"r: 9223372036854775808\n", INT64_MIN, INT64_MAX,
         "s.yaml:1:4: replicas: must be at most 9223372036854775807, got 9223372036854775808"},
        {"r: 99999999999999999999\n", 0, 100,
         "s.yaml:1:4: replicas: must be at most 100, got 99999999999999999999"},
        {"r: -9223372036854775809\n", INT64_MIN, INT64_MAX,
         "s.yaml:1:4: replicas: must be at least -9223372036854775808, got "
         "-9223372036854775809"},
        {"r: -99999999999999999999\n", 0, 100,
         "s.yaml:1:4: replicas: must not be negative, got -99999999999999999999"},
        {"r: 99999999999999999999x\n", 0, 100,
         "s.yaml:1:4: replicas: expected an integer, got '99999999999999999999x'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 77;
        check_msg(schema_int64(val(bad[i].text, "r"), "replicas", bad[i].min, bad[i].max, &v, &d),
                  bad[i].want);
        assert_int_equal(v, 77);
    }
}

static void test_double(void **state)
{
    (void)state;
    double v = 0;
    static const struct {
        const char *text;
        double want;
    } ok[] = {
        {"x: 0.5\n", 0.5},   {"x: '0.5'\n", 0.5},  {"x: 3\n", 3},
        {"x: -1.5\n", -1.5}, {"x: .5\n", 0.5},     {"x: 5.\n", 5},
        {"x: 1e-3\n", 1e-3}, {"x: 2.5E+2\n", 250}, {"x: +7\n", 7},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(schema_double(val(ok[i].text, "x"), "x", -1e9, 1e9, &v, &d), 0);
        check_close(v, ok[i].want, 1e-12);
    }
    static const struct {
        const char *text;
        double min, max;
        const char *want;
    } bad[] = {
        {"x: abc\n", 0, 1, "s.yaml:1:4: rate: expected a number, got 'abc'"},
        {"x: .inf\n", 0, 1, "s.yaml:1:4: rate: expected a number, got '.inf'"},
        {"x: nan\n", 0, 1, "s.yaml:1:4: rate: expected a number, got 'nan'"},
        {"x: 0x1p3\n", 0, 1, "s.yaml:1:4: rate: expected a number, got '0x1p3'"},
        {"x: 1e\n", 0, 1, "s.yaml:1:4: rate: expected a number, got '1e'"},
        {"x: .\n", 0, 1, "s.yaml:1:4: rate: expected a number, got '.'"},
        {"x: 1,5\n", 0, 1, "s.yaml:1:4: rate: expected a number, got '1,5'"},
        {"x:\n", 0, 1, "s.yaml:1:3: rate: expected a number, got null"},
        {"x: [1]\n", 0, 1, "s.yaml:1:4: rate: expected a number, got a list"},
        {"x: 1e999\n", 0, 1, "s.yaml:1:4: rate: number '1e999' is too large"},
        {"x: -0.5\n", 0, 1, "s.yaml:1:4: rate: must not be negative, got -0.5"},
        {"x: 0.1\n", 0.5, 1, "s.yaml:1:4: rate: must be at least 0.5, got 0.1"},
        {"x: 1.5\n", 0, 1, "s.yaml:1:4: rate: must be at most 1, got 1.5"},
        {"x: 2e9\n", 0, 1e9, "s.yaml:1:4: rate: must be at most 1e+09, got 2e9"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_msg(schema_double(val(bad[i].text, "x"), "rate", bad[i].min, bad[i].max, &v, &d),
                  bad[i].want);
}

static void test_bool(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int want;
    } ok[] = {
        {"b: true\n", 1},  {"b: True\n", 1},  {"b: TRUE\n", 1},   {"b: false\n", 0},
        {"b: False\n", 0}, {"b: FALSE\n", 0}, {"b: 'true'\n", 1},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int v = -1;
        assert_int_equal(schema_bool(val(ok[i].text, "b"), "b", &v, &d), 0);
        assert_int_equal(v, ok[i].want);
    }
    int v;
    check_msg(schema_bool(val("b: yes\n", "b"), "unschedulable", &v, &d),
              "s.yaml:1:4: unschedulable: expected true or false, got 'yes'");
    check_msg(schema_bool(val("b: 1\n", "b"), "unschedulable", &v, &d),
              "s.yaml:1:4: unschedulable: expected true or false, got '1'");
    check_msg(schema_bool(val("b: tRUE\n", "b"), "unschedulable", &v, &d),
              "s.yaml:1:4: unschedulable: expected true or false, got 'tRUE'");
    check_msg(schema_bool(val("b: ~\n", "b"), "unschedulable", &v, &d),
              "s.yaml:1:4: unschedulable: expected true or false, got null");
    check_msg(schema_bool(val("b: {}\n", "b"), "unschedulable", &v, &d),
              "s.yaml:1:4: unschedulable: expected true or false, got a mapping");
}

static void test_duration(void **state)
{
    (void)state;
    simtime t = 0;
    assert_int_equal(schema_duration(val("d: 5m\n", "d"), "d", 0, SIMTIME_DAY, &t, &d), 0);
    assert_int_equal(t, 5 * SIMTIME_MIN);
    assert_int_equal(schema_duration(val("d: '1h30m'\n", "d"), "d", 0, SIMTIME_DAY, &t, &d), 0);
    assert_int_equal(t, 90 * SIMTIME_MIN);
    assert_int_equal(schema_duration(val("d: 0\n", "d"), "d", 0, SIMTIME_DAY, &t, &d), 0);
    assert_int_equal(t, 0);

    /* Parse errors are simtime_parse's own message, prefixed by what. */
    const char *bad[] = {"5 minutes", "30", "-1s", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64], err[256], want[400];
        snprintf(text, sizeof text, "d: '%s'\n", bad[i]);
        simtime ignored;
        assert_int_equal(simtime_parse(bad[i], &ignored, err, sizeof err), -1);
        assert_true(strncmp(err, "invalid duration '", 18) == 0);
        snprintf(want, sizeof want, "s.yaml:1:4: spec.duration: %s", err);
        check_msg(schema_duration(val(text, "d"), "spec.duration", 0, SIMTIME_DAY, &t, &d), want);
    }
    check_msg(schema_duration(val("d: 500ms\n", "d"), "start", SIMTIME_S, SIMTIME_DAY, &t, &d),
              "s.yaml:1:4: start: must be at least 1s, got 500ms");
    check_msg(schema_duration(val("d: 2h\n", "d"), "start", 0, SIMTIME_HOUR, &t, &d),
              "s.yaml:1:4: start: must be at most 1h0m0s, got 2h");
    check_msg(schema_duration(val("d:\n", "d"), "start", 0, SIMTIME_HOUR, &t, &d),
              "s.yaml:1:3: start: expected a duration, got null");
    check_msg(schema_duration(val("d: [1s]\n", "d"), "start", 0, SIMTIME_HOUR, &t, &d),
              "s.yaml:1:4: start: expected a duration, got a list");
}

static void test_quantity(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int milli;
        int64_t want;
    } ok[] = {
        {"q: 100m\n", 1, 100}, {"q: 0.5\n", 1, 500},        {"q: '2'\n", 1, 2000},
        {"q: 2\n", 1, 2000},   {"q: 1Gi\n", 0, 1073741824}, {"q: 512Mi\n", 0, 536870912},
        {"q: 110\n", 0, 110},  {"q: 0.1m\n", 1, 1},         {"q: -0\n", 1, 0},
        {"q: 1e3\n", 0, 1000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t v = -1;
        assert_int_equal(schema_quantity(val(ok[i].text, "q"), "cpu", ok[i].milli, &v, &d), 0);
        assert_int_equal(v, ok[i].want);
    }
    int64_t v;
    check_msg(schema_quantity(val("q: 12Q\n", "q"), "cpu", 1, &v, &d),
              "s.yaml:1:4: cpu: invalid quantity '12Q': unknown suffix 'Q'");
    check_msg(schema_quantity(val("q: ''\n", "q"), "memory", 0, &v, &d),
              "s.yaml:1:4: memory: invalid quantity '': empty");
    check_msg(schema_quantity(val("q: 9Ei\n", "q"), "memory", 0, &v, &d),
              "s.yaml:1:4: memory: quantity '9Ei' is too large");
    check_msg(schema_quantity(val("q: 2GB\n", "q"), "memory", 0, &v, &d),
              "s.yaml:1:4: memory: invalid quantity '2GB': unknown suffix 'GB' (did you mean 'G' "
              "or 'Gi'?)");
    check_msg(schema_quantity(val("q: -1\n", "q"), "cpu", 1, &v, &d),
              "s.yaml:1:4: cpu: must not be negative, got '-1'");
    /* Rounds up to 0, but is negative all the same. */
    check_msg(schema_quantity(val("q: -0.1m\n", "q"), "cpu", 1, &v, &d),
              "s.yaml:1:4: cpu: must not be negative, got '-0.1m'");
    check_msg(schema_quantity(val("q:\n", "q"), "cpu", 1, &v, &d),
              "s.yaml:1:3: cpu: expected a quantity, got null");
    check_msg(schema_quantity(val("q: {a: 1}\n", "q"), "cpu", 1, &v, &d),
              "s.yaml:1:4: cpu: expected a quantity, got a mapping");
}

static const char *const policies[] = {"first-fit", "best-fit", "worst-fit", NULL};

static void test_enum(void **state)
{
    (void)state;
    int v = -1;
    assert_int_equal(schema_enum(val("p: best-fit\n", "p"), "policy", policies, &v, &d), 0);
    assert_int_equal(v, 1);
    assert_int_equal(schema_enum(val("p: 'worst-fit'\n", "p"), "policy", policies, &v, &d), 0);
    assert_int_equal(v, 2);
    check_msg(schema_enum(val("p: frist-fit\n", "p"), "policy", policies, &v, &d),
              "s.yaml:1:4: policy: unknown value 'frist-fit' (did you mean 'first-fit'?)");
    check_msg(schema_enum(val("p: First-Fit\n", "p"), "policy", policies, &v, &d),
              "s.yaml:1:4: policy: unknown value 'First-Fit' (did you mean 'first-fit'?)");
    check_msg(schema_enum(val("p: x\n", "p"), "policy", policies, &v, &d),
              "s.yaml:1:4: policy: unknown value 'x' (expected one of: first-fit, best-fit, "
              "worst-fit)");
    check_msg(schema_enum(val("p: [first-fit]\n", "p"), "policy", policies, &v, &d),
              "s.yaml:1:4: policy: expected a string, got a list");
    check_msg(schema_enum(val("p:\n", "p"), "policy", policies, &v, &d),
              "s.yaml:1:3: policy: expected a string, got null");
    assert_int_equal(v, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_keys), cmocka_unit_test(test_expect),
        cmocka_unit_test(test_require),    cmocka_unit_test(test_string),
        cmocka_unit_test(test_name),       cmocka_unit_test(test_int64),
        cmocka_unit_test(test_double),     cmocka_unit_test(test_bool),
        cmocka_unit_test(test_duration),   cmocka_unit_test(test_quantity),
        cmocka_unit_test(test_enum),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
