/* Tests for sim/io/output/diff, sim/io/jsonflat and sim/io/csv: flattening, tolerances, what moved.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/io/csv.h"
#include "sim/io/output/diff.h"
#include "sim/io/jsonflat.h"

static void test_flatten(void **state)
{
    (void)state;
    struct jsonflat f;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(jsonflat_parse(&f,
                                    "{\"scenario\": \"q\", \"pods\": {\"created\": 756, \"x\": {}},"
                                    " \"lat\": {\"p50\": null}, \"ok\": true, \"l\": [1, [2.5]]}",
                                    "s.json", &d),
                     0);
    assert_int_equal(f.n, 6);
    const char *paths[] = {"scenario", "pods.created", "lat.p50", "ok", "l[0]", "l[1][0]"};
    enum jsonflat_kind kinds[] = {JSONFLAT_STRING, JSONFLAT_NUMBER, JSONFLAT_NULL,
                                  JSONFLAT_BOOL,   JSONFLAT_NUMBER, JSONFLAT_NUMBER};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(f.leaves[i].path, paths[i]);
        assert_int_equal(f.leaves[i].kind, kinds[i]);
    }
    assert_string_equal(f.leaves[0].text, "q");
    assert_string_equal(f.leaves[2].text, "null");
    assert_true(f.leaves[1].num == 756);
    assert_true(f.leaves[5].num == 2.5);
    assert_true(f.leaves[3].num == 1);
    assert_ptr_equal(jsonflat_find(&f, "l[1][0]"), &f.leaves[5]);
    assert_null(jsonflat_find(&f, "pods.x"));
    jsonflat_release(&f);

    diag_clear(&d);
    assert_int_equal(jsonflat_parse(&f, "{\n  \"a\": 1,\n  \"b\": ]\n}", "s.json", &d), -1);
    assert_string_equal(d.text, "s.json:3:8: not valid JSON");
    jsonflat_release(&f);
}

static void test_within(void **state)
{
    (void)state;
    /* rel = 0 is exact equality. */
    assert_true(diff_within(1.5, 1.5, 0));
    assert_false(diff_within(1.5, 1.5000001, 0));
    assert_true(diff_within(0, 0, 0));
    /* |a - b| <= rel * max(|a|, |b|), symmetric: 100 vs 110 differ by 10 = 0.0909 of 110. */
    assert_true(diff_within(100, 110, 0.1));
    assert_true(diff_within(110, 100, 0.1));
    assert_false(diff_within(100, 110, 0.09));
    assert_false(diff_within(110, 100, 0.09));
    assert_true(diff_within(-100, -110, 0.1));
    /* From zero, nothing but rel >= 1 accepts a change. */
    assert_false(diff_within(0, 1e-9, 0.5));
    assert_true(diff_within(0, 1e-9, 1));
    assert_false(diff_within(NAN, 1, 1));
}

static void test_change(void **state)
{
    (void)state;
    assert_true(diff_change(10, 12) == 0.2);
    assert_true(diff_change(-10, -12) == -0.2);
    assert_true(diff_change(4, 1) == -0.75);
    assert_true(diff_change(0, 0) == 0);
    assert_true(isinf(diff_change(0, 3)) && diff_change(0, 3) > 0);
    assert_true(isinf(diff_change(0, -3)) && diff_change(0, -3) < 0);
}

static void test_tolerance_for(void **state)
{
    (void)state;
    struct diff_tolerance t[] = {{"scheduling_latency_s.*", 0.05},
                                 {"scheduling_latency_s.max", 0.5},
                                 {"cpu_alloc_ratio", 0.01}};
    struct diff_options o = {t, 3, 0.001, 10};
    check_close(diff_tolerance_for(&o, "scheduling_latency_s.p95"), 0.05, 0);
    check_close(diff_tolerance_for(&o, "scheduling_latency_s.max"), 0.5, 0);
    check_close(diff_tolerance_for(&o, "cpu_alloc_ratio"), 0.01, 0);
    check_close(diff_tolerance_for(&o, "cpu_alloc_ratio.mean"), 0.001, 0);
    check_close(diff_tolerance_for(&o, "pods.created"), 0.001, 0);
}

/* Runs fn-style comparisons into a memory stream and returns the text (static). */
static char text[4096];

static size_t summaries(const char *a, const char *b, const struct diff_options *o)
{
    struct jsonflat fa, fb;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(jsonflat_parse(&fa, a, "a", &d), 0);
    assert_int_equal(jsonflat_parse(&fb, b, "b", &d), 0);
    FILE *out = fmemopen(text, sizeof text, "w");
    size_t n = diff_summaries(&fa, &fb, o, out);
    fclose(out);
    jsonflat_release(&fa);
    jsonflat_release(&fb);
    return n;
}

static void test_summaries(void **state)
{
    (void)state;
    struct diff_tolerance t[] = {{"lat.*", 0.1}};
    struct diff_options o = {t, 1, 0, 10};
    const char *a = "{\"name\": \"x\", \"pods\": {\"pending\": 10, \"created\": 5},"
                    " \"lat\": {\"p95\": 100, \"p99\": null}, \"gone\": 1}";
    assert_int_equal(summaries(a, a, &o), 0);
    assert_string_equal(text, "");
    /* Strings are not metrics; p95 moves within its 10%; the rest are differences. */
    const char *b = "{\"name\": \"y\", \"pods\": {\"pending\": 12, \"created\": 5},"
                    " \"lat\": {\"p95\": 109, \"p99\": 3}, \"new\": 0}";
    assert_int_equal(summaries(a, b, &o), 4);
    assert_string_equal(text, "summary.json pods.pending: 10 -> 12 (+20%)\n"
                              "summary.json lat.p99: null -> 3\n"
                              "summary.json gone: 1 in A, missing in B\n"
                              "summary.json new: missing in A, 0 in B\n");
}

static struct csv load_csv(const char *name, const char *body)
{
    struct csv c;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(csv_load(&c, testutil_write_temp(name, body), &d), 0);
    return c;
}

static void test_timeseries(void **state)
{
    (void)state;
    struct diff_options o = {NULL, 0, 0, 2};
    struct csv a = load_csv("a.csv", "time_s,nodes,x\n0,3,1\n60,3,2\n120,4,3\n180,4,4\n");
    struct csv b = load_csv("b.csv", "time_s,y,nodes\n0,9,3\n60,9,4\n120,9,2\n");
    FILE *out = fmemopen(text, sizeof text, "w");
    size_t n = diff_timeseries(&a, &b, &o, out);
    fclose(out);
    /* rows, nodes at 60 and 120, x missing in B, y missing in A */
    assert_int_equal(n, 5);
    assert_string_equal(text, "timeseries.csv rows: 4 in A, 3 in B\n"
                              "timeseries.csv nodes at time_s=60: 3 -> 4 (+33.3%)\n"
                              "timeseries.csv nodes at time_s=120: 4 -> 2 (-50%)\n"
                              "timeseries.csv column x: in A, missing in B\n"
                              "timeseries.csv column y: missing in A, in B\n");
    /* More differing cells than max_cells: a count line with the largest change. */
    struct csv c = load_csv("c.csv", "time_s,nodes,x\n0,4,1\n60,6,2\n120,5,3\n180,4,4\n");
    out = fmemopen(text, sizeof text, "w");
    assert_int_equal(diff_timeseries(&a, &c, &o, out), 3);
    fclose(out);
    assert_string_equal(text, "timeseries.csv nodes at time_s=0: 3 -> 4 (+33.3%)\n"
                              "timeseries.csv nodes at time_s=60: 3 -> 6 (+100%)\n"
                              "timeseries.csv nodes: 3 of 4 rows differ, the largest change "
                              "+100%\n");
    /* With a 50% tolerance for nodes all pass, 3 -> 6 exactly at the bound: 3 <= 0.5 * 6. */
    struct diff_tolerance t[] = {{"nodes", 0.5}};
    struct diff_options lax = {t, 1, 0, 2};
    out = fmemopen(text, sizeof text, "w");
    assert_int_equal(diff_timeseries(&a, &c, &lax, out), 0);
    fclose(out);
    csv_release(&a);
    csv_release(&b);
    csv_release(&c);
}

static void test_csv_errors(void **state)
{
    (void)state;
    struct csv c;
    struct diag d;
    diag_clear(&d);
    assert_int_equal(csv_load(&c, testutil_write_temp("r.csv", "a,b\n1,2\n3\n"), &d), -1);
    assert_non_null(strstr(d.text, "r.csv:3:1: row has 1 fields, the header has 2"));
    csv_release(&c);
    diag_clear(&d);
    assert_int_equal(csv_load(&c, testutil_write_temp("e.csv", ""), &d), -1);
    assert_non_null(strstr(d.text, "e.csv:1:1: empty file, expected a header row"));
    csv_release(&c);
    double v;
    assert_int_equal(csv_number("1.5e3", &v), 0);
    assert_true(v == 1500);
    assert_int_equal(csv_number("", &v), -1);
    assert_int_equal(csv_number("12abc", &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flatten),    cmocka_unit_test(test_within),
        cmocka_unit_test(test_change),     cmocka_unit_test(test_tolerance_for),
        cmocka_unit_test(test_summaries),  cmocka_unit_test(test_timeseries),
        cmocka_unit_test(test_csv_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
