/*
 * Reading load specs: trace and arrival-trace replay of small CSV files
 * (values worked by hand), path resolution, and every error class with its
 * exact message.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "loadtest.h"
#include "sim/io/scenario/trace.h"

/* A load spec with %s replaced by path; the result lives until the next call. */
static const char *with(const char *fmt, const char *path)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, fmt, path);
    return buf;
}

static void check_error(const char *text, const char *want)
{
    struct load *l = try_load(text, 1);
    if (l || strcmp(d.text, want) != 0) {
        print_error("input %s\ngot  '%s'\nwant '%s'\n", text, l ? "(a load)" : d.text, want);
        load_free(l);
        fail();
    }
}

static const char rows[] = "t,rps\n0,10\n60,20\n120,40\n";

static void test_trace_step_linear(void **state)
{
    (void)state;
    const char *f = testutil_write_temp("rows.csv", rows);
    /* Step: a row holds until the next; the last holds one sampling interval (60 s), then 0. */
    CHECK(load_of(with("load: {trace: {file: %s}}\n", f)), {0, 10}, {59 * S, 10}, {60 * S, 20},
          {119 * S, 20}, {120 * S, 40}, {179 * S, 40}, {180 * S, 0}, {H, 0});
    /* Linear: straight lines between rows (gsl_interp_linear), the last value held to the end. */
    CHECK(load_of(with("load: {trace: {file: %s, interpolation: linear}}\n", f)), {0, 10},
          {30 * S, 15}, {45 * S, 17.5}, {60 * S, 20}, {90 * S, 30}, {120 * S, 40}, {150 * S, 40},
          {180 * S, 0});
    /* Columns by name and by index give the same. */
    CHECK(load_of(with("load: {trace: {file: %s, timeColumn: t, valueColumn: rps}}\n", f)),
          {60 * S, 20});
    CHECK(load_of(with("load: {trace: {file: %s, timeColumn: 0, valueColumn: 1}}\n", f)),
          {60 * S, 20});
    /* sampleInterval: a row counts for one interval; the absent row at 120 s reads as 0. */
    const char *g = testutil_write_temp("gap.csv", "t,rps\n0,10\n60,20\n180,40\n");
    CHECK(load_of(with("load: {trace: {file: %s, sampleInterval: 1m}}\n", g)), {60 * S, 20},
          {120 * S, 0}, {179 * S, 0}, {180 * S, 40}, {239 * S, 40}, {240 * S, 0});
    CHECK(load_of(with("load: {trace: {file: %s}}\n", g)), {120 * S, 20}, {299 * S, 40},
          {300 * S, 0});
}

static void test_trace_loop_scale_offset(void **state)
{
    (void)state;
    const char *f = testutil_write_temp("rows.csv", rows);
    /* Loop: the 180 s window repeats; 250 s is 70 s into the second pass. */
    CHECK(load_of(with("load: {trace: {file: %s, loop: true}}\n", f)), {179 * S, 40}, {180 * S, 10},
          {250 * S, 20}, {3 * 180 * S + 130 * S, 40});
    /* Looping linear closes the circle: from 40 at 120 s back to 10 at 180 s. */
    CHECK(load_of(with("load: {trace: {file: %s, loop: true, interpolation: linear}}\n", f)),
          {150 * S, 25}, {180 * S, 10}, {210 * S, 15});
    /* timeScale 2: each trace second lasts two simulated seconds. */
    CHECK(load_of(with("load: {trace: {file: %s, timeScale: 2}}\n", f)), {60 * S, 10},
          {120 * S, 20}, {240 * S, 40}, {359 * S, 40}, {360 * S, 0});
    CHECK(load_of(with("load: {trace: {file: %s, timeScale: 0.5, interpolation: linear}}\n", f)),
          {15 * S, 15}, {45 * S, 30});
    /* valueScale multiplies, valuePer divides: 20 per minute is 1/3 per second, times 3. */
    CHECK(load_of(with("load: {trace: {file: %s, valueScale: 3, valuePer: 1m}}\n", f)), {0, 0.5},
          {60 * S, 1});
    /* offset: nothing before it, then the trace from its start. */
    CHECK(load_of(with("load: {trace: {file: %s, offset: 1h}}\n", f)), {0, 0}, {H - 1, 0}, {H, 10},
          {H + 60 * S, 20});
    /* A window: from 60 to 120 plays the middle row only. */
    CHECK(load_of(with("load: {trace: {file: %s, from: 60, to: 120, loop: true}}\n", f)), {0, 20},
          {59 * S, 20}, {60 * S, 20}, {100 * S, 20});
    /* from between rows: linear starts on the line through it. */
    CHECK(load_of(with("load: {trace: {file: %s, from: 30, interpolation: linear}}\n", f)), {0, 15},
          {30 * S, 20});
    /* timeUnit: numeric times in minutes. */
    const char *m = testutil_write_temp("minutes.csv", "0,1\n1,2\n2,3\n");
    CHECK(load_of(with("load: {trace: {file: %s, header: false, timeUnit: 1m}}\n", m)), {0, 1},
          {60 * S, 2}, {179 * S, 3}, {180 * S, 0});
}

static void test_trace_dates(void **state)
{
    (void)state;
    const char *f = testutil_write_temp("dates.csv", "period,count\r\n"
                                                     "\"1998-06-30 23:58:00\",600\r\n"
                                                     "1998-06-30 23:59:00,1200\r\n"
                                                     "1998-07-01T00:00:00Z,60\r\n");
    CHECK(load_of(with("load: {trace: {file: %s, valuePer: 1m}}\n", f)), {0, 10}, {60 * S, 20},
          {120 * S, 1}, {180 * S, 0});
    CHECK(load_of(with("load: {trace: {file: %s, valuePer: 1m, from: '1998-06-30 23:59:00',"
                       " to: '1998-07-01 00:00:30'}}\n",
                       f)),
          {0, 20}, {59 * S, 20}, {60 * S, 1}, {90 * S, 0});
    double t;
    int date;
    assert_int_equal(trace_parse_instant("1970-01-02 00:00:01.5", &t, &date), 0);
    assert_true(t == 86401.5 && date == 1);
    assert_int_equal(trace_parse_instant("2023-11-16 18:17:03.9799600", &t, &date), 0);
    assert_true(t == 1700158623.97996);
    assert_int_equal(trace_parse_instant("2024-02-29 00:00:00", &t, &date), 0);
    assert_int_equal(trace_parse_instant("2023-02-29 00:00:00", &t, &date), -1);
    assert_int_equal(trace_parse_instant("12.5", &t, &date), 0);
    assert_true(t == 12.5 && date == 0);
    assert_int_equal(trace_parse_instant("nan", &t, &date), -1);
    assert_int_equal(trace_parse_instant("noon", &t, &date), -1);
}

static void test_arrival_binning(void **state)
{
    (void)state;
    const char *f = testutil_write_temp("arrivals.csv", "ts,tokens\n0.5,1\n1.0,1\n1.5,1\n"
                                                        "59.9,1\n60,1\n60,1\n61,1\n130,1\n");
    /* Bins of 60 s from the first timestamp: [0.5, 60.5) holds 6 requests, [60.5, 120.5) one,
     * [120.5, 180.5) one; the replay ends with the last bin. */
    CHECK(load_of(with("load: {arrivalTrace: {file: %s}}\n", f)), {0, 0.1}, {59 * S, 0.1},
          {60 * S, 1.0 / 60}, {125 * S, 1.0 / 60}, {179 * S, 1.0 / 60}, {180 * S, 0});
    /* Bins from 0 (whole minutes): 4, 3, 1 requests. */
    CHECK(load_of(with("load: {arrivalTrace: {file: %s, from: 0}}\n", f)), {0, 4.0 / 60},
          {60 * S, 3.0 / 60}, {120 * S, 1.0 / 60}, {180 * S, 0});
    /* 30 s bins from 0: 4 (0.5 .. 1.5), 1 (59.9), 3 (60, 60, 61), 0, 1 (130). */
    CHECK(load_of(with("load: {arrivalTrace: {file: %s, from: 0, binWidth: 30s}}\n", f)),
          {0, 3.0 / 30}, {30 * S, 1.0 / 30}, {60 * S, 3.0 / 30}, {90 * S, 0}, {120 * S, 1.0 / 30},
          {150 * S, 0});
}

static void test_paths(void **state)
{
    (void)state;
    char dir[512];
    const char *f = testutil_write_temp("rows.csv", rows);
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(f, '/') - f), f);
    data_dir = dir;
    CHECK(load_of("load: {trace: {file: $KSIM_DATA_DIR/rows.csv}}\n"), {60 * S, 20});
    data_dir = NULL;
    /* Relative paths resolve against the scenario's folder. */
    struct loadspec_env env = {NULL, NULL, dir, NULL};
    struct ytree *t = ytree_load_string("l.yaml", "load: {trace: rows.csv}\n", 24, &d);
    struct load *l = loadspec_read(ynode_get(t->docs[0], "load"), "load", &env, &d);
    assert_non_null(l);
    assert_true(load_rate(l, 60 * S) == 20);
    load_free(l);
    ytree_free(t);
}

static void test_spec_errors(void **state)
{
    (void)state;
    check_error("load: {diurnl: {mean: 1, amplitude: 1}}\n",
                "l.yaml:1:8: unknown load model 'diurnl' (did you mean 'diurnal'?)");
    check_error("load: {poisson-noise: {}}\n",
                "l.yaml:1:8: unknown load model 'poisson-noise' (did you mean 'poissonNoise'?)");
    check_error("load: {frobnicate: 1}\n",
                "l.yaml:1:8: unknown load model 'frobnicate' (see 'ksim list')");
    check_error("load: {sum: [1], product: [2]}\n",
                "l.yaml:1:7: load: expected one load model, sum or product, got 2 keys ('sum', "
                "'product')");
    check_error("load: [1]\n", "l.yaml:1:7: load: expected a number or a mapping with one load "
                               "model, sum or product, got a list");
    check_error("load: -5\n", "l.yaml:1:7: load: must not be negative, got -5");
    check_error("load: {sum: []}\n", "l.yaml:1:13: sum: needs at least one part");
    check_error("load: {sum: [1, {ramp: {from: 1, to: 2}}]}\n",
                "l.yaml:1:24: missing required key 'duration' in load.sum[1].ramp");
    check_error("load: {diurnal: {mean: 1, amplitud: 2}}\n",
                "l.yaml:1:27: unknown key 'amplitud' in load.diurnal (did you mean 'amplitude'?)");
    check_error("load: {diurnal: {mean: 1, amplitude: -2}}\n",
                "l.yaml:1:38: amplitude: must not be negative, got -2");
    check_error("load: {diurnal: {mean: 1, amplitude: 2, period: 0s}}\n",
                "l.yaml:1:49: period: must be at least 1µs, got 0s");
    check_error("load: {diurnal: {mean: 1, amplitude: 2, weekly: {weekend: 1, startDay: sun}}}\n",
                "l.yaml:1:72: startDay: unknown value 'sun' (expected one of: monday, tuesday, "
                "wednesday, thursday, friday, saturday, sunday)");
    check_error("load: {spike: {shape: sqare, duration: 1s, height: 1}}\n",
                "l.yaml:1:23: shape: unknown value 'sqare' (did you mean 'square'?)");
    check_error("load: {step: {steps: [{at: 2h, value: 1}, {at: 1h, value: 2}]}}\n",
                "l.yaml:1:22: steps: step 1 at 1h0m0s is not after step 0 at 2h0m0s");
    check_error("load: {step: {steps: [{at: 2h, valu: 1}]}}\n",
                "l.yaml:1:32: unknown key 'valu' in load.step.steps[0] (did you mean 'value'?)");
    check_error("load: {randomWalk: {sigma: 1, min: 5, max: 1}}\n",
                "l.yaml:1:44: max: must be at least min (5), got 1");
    check_error("load: {poissonNoise: {interval: 15s}}\n",
                "l.yaml:1:22: poissonNoise: needs a 'rate' unless it is a part of a sum");
    check_error("load: {product: [1, {poissonNoise: {}}]}\n",
                "l.yaml:1:36: poissonNoise: needs a 'rate' unless it is a part of a sum");
    check_error("load: {sum: [1, {poissonNoise: {}}, {poissonNoise: {}}]}\n",
                "l.yaml:1:13: sum: parts 1 and 2 both sample their siblings: give one of them its "
                "own 'rate'");
    check_error("load: {poissonNoise: {rate: {constant: x}}}\n",
                "l.yaml:1:40: value: expected a number, got 'x'");
}

static void test_csv_errors(void **state)
{
    (void)state;
    char want[1024];
    const char *f = testutil_write_temp("e.csv", rows);
    snprintf(want, sizeof want,
             "l.yaml:1:29: valueColumn: no column 'rsp' in %s (did you mean "
             "'rps'?)",
             f);
    check_error(with("load: {trace: {valueColumn: rsp, file: %s}}\n", f), want);
    snprintf(want, sizeof want,
             "l.yaml:1:29: valueColumn: column 5 does not exist: %s has 2 "
             "columns",
             f);
    check_error(with("load: {trace: {valueColumn: 5, file: %s}}\n", f), want);
    check_error("load: {trace: {file: /nonexistent/x.csv}}\n",
                "l.yaml:1:22: file: cannot open '/nonexistent/x.csv': No such file or directory");
    check_error("load: {trace: {fil: x.csv}}\n",
                "l.yaml:1:16: unknown key 'fil' in load.trace (did you mean 'file'?)");

    struct {
        const char *csv, *where, *msg;
    } cases[] = {
        {"t,v\n0,1\n60,abc\n", "3:4", "value: expected a number, got 'abc'"},
        {"t,v\n0,1\n60,-3\n", "3:4", "value: must not be negative, got -3"},
        {"t,v\n0,1\n60\n", "3:1", "expected at least 2 columns, got 1"},
        {"t,v\n0,1\n60,2\n30,3\n", "4:1", "time '30' is not after the previous row's (line 3)"},
        {"t,v\n0,1\n0,2\n", "3:1", "time '0' is not after the previous row's (line 2)"},
        {"t,v\nnoon,1\n", "2:1",
         "time: expected a number or a date-time (YYYY-MM-DD HH:MM:SS), got 'noon'"},
        {"t,v\n0,1\n2020-01-01 00:00:00,2\n", "3:1",
         "time: a date-time after numeric times in earlier rows"},
        {"t,v\n0,1\n\"60,2\n", "3:1", "unterminated quoted field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        f = testutil_write_temp("e.csv", cases[i].csv);
        snprintf(want, sizeof want, "%s:%s: %s", f, cases[i].where, cases[i].msg);
        check_error(with("load: {trace: {file: %s}}\n", f), want);
    }
    f = testutil_write_temp("e.csv", "t,v\n");
    snprintf(want, sizeof want, "%s: no data rows", f);
    check_error(with("load: {trace: {file: %s}}\n", f), want);
    /* Arrival timestamps may repeat but not go back. */
    f = testutil_write_temp("e.csv", "ts\n5\n5\n4\n");
    snprintf(want, sizeof want, "%s:4:1: time '4' is before the previous row's (line 3)", f);
    check_error(with("load: {arrivalTrace: {file: %s}}\n", f), want);
    /* Window checks point at the key. */
    f = testutil_write_temp("e.csv", rows);
    check_error(with("load: {trace: {from: -10, file: %s}}\n", f),
                "l.yaml:1:22: from: is before the first row");
    check_error(with("load: {trace: {from: 60, to: 60, file: %s}}\n", f),
                "l.yaml:1:30: to: must be after from");
    check_error(with("load: {trace: {from: '2020-01-01 00:00:00', file: %s}}\n", f),
                "l.yaml:1:22: from: is a date-time but the time column holds numbers");
    check_error(with("load: {trace: {timeScale: 0, file: %s}}\n", f),
                "l.yaml:1:27: timeScale: must be greater than 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_trace_step_linear, teardown),
        cmocka_unit_test_teardown(test_trace_loop_scale_offset, teardown),
        cmocka_unit_test_teardown(test_trace_dates, teardown),
        cmocka_unit_test_teardown(test_arrival_binning, teardown),
        cmocka_unit_test_teardown(test_paths, teardown),
        cmocka_unit_test_teardown(test_spec_errors, teardown),
        cmocka_unit_test_teardown(test_csv_errors, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
