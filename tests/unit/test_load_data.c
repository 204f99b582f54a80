/*
 * Replays of the real traces in the data directory (KSIM_DATA_DIR, or
 * ../shared/data next to the checkout), asserting facts checked against the
 * files with awk and the READMEs beside them. Skipped when the data is absent.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "loadtest.h"

/* Points the loader at the data directory, or skips the test when file is not in it. */
static void need(const char *file)
{
    static char path[1024];
    data_dir = loadspec_default_data_dir();
    snprintf(path, sizeof path, "%s/%s", data_dir, file);
    if (access(path, R_OK) != 0) {
        print_message("skipped: %s is absent (set KSIM_DATA_DIR to the shared data folder)\n",
                      path);
        skip();
    }
}

/*
 * WorldCup98, the busiest stretch used by the dataset's own usage.py:
 * 1998-06-30 08:00 to 1998-07-01 08:00, 1,440 minutes, 76,307,958 requests,
 * peak 215,241 in the minute 21:42 (13h42m in), low 13,002 at 04:47 (20h47m).
 */
static void test_worldcup_day(void **state)
{
    (void)state;
    need("traces/worldcup98/invocation_count.csv");
    struct load *l = load_of("load: {trace: {file: $KSIM_DATA_DIR/traces/worldcup98/"
                             "invocation_count.csv, timeColumn: period, valueColumn: count,"
                             " valuePer: 1m, from: '1998-06-30 08:00:00',"
                             " to: '1998-07-01 08:00:00'}}\n");
    long long total = 0, peak = 0, low = -1;
    simtime peak_at = 0, low_at = 0;
    for (simtime t = 0; t < SIMTIME_DAY; t += MIN) {
        long long perminute = llround(load_rate(l, t) * 60);
        total += perminute;
        if (perminute > peak) {
            peak = perminute;
            peak_at = t;
        }
        if (low < 0 || perminute < low) {
            low = perminute;
            low_at = t;
        }
    }
    assert_true(load_rate(l, SIMTIME_DAY) == 0);
    load_free(l);
    assert_int_equal(total, 76307958);
    assert_int_equal(peak, 215241);
    assert_int_equal(peak_at, 13 * H + 42 * MIN);
    assert_int_equal(low, 13002);
    assert_int_equal(low_at, 20 * H + 47 * MIN);
}

/*
 * The whole WorldCup98 file: 125,300 rows whose counts sum to 1,352,804,107
 * (the ITA total); the maximum, 229,426, is 1998-07-07 21:41, which is
 * 68 days and 11 minutes after the first row (1998-04-30 21:30). Minutes
 * without requests have no row (1998-05-08 03:22 is one): with
 * sampleInterval: 1m they replay as 0, without it the previous count holds.
 */
static void test_worldcup_whole(void **state)
{
    (void)state;
    need("traces/worldcup98/invocation_count.csv");
    struct load *l = load_of("load: {trace: {file: $KSIM_DATA_DIR/traces/worldcup98/"
                             "invocation_count.csv, valuePer: 1m, sampleInterval: 1m}}\n");
    simtime peak_at = 68 * SIMTIME_DAY + 11 * MIN;
    check_close(load_rate(l, 0), 2.0 / 60, 1e-12);
    check_close(load_rate(l, peak_at), 229426.0 / 60, 1e-9);
    simtime gap = 7 * SIMTIME_DAY + 5 * H + 52 * MIN;
    check_close(load_rate(l, gap - MIN), 158.0 / 60, 1e-12);
    check_close(load_rate(l, gap), 0, 0);
    check_close(load_rate(l, gap + MIN), 79.0 / 60, 1e-12);
    /* The last row, 1998-07-26 21:59 (679 requests), is 87 days and 29 minutes in. */
    check_close(load_rate(l, 87 * SIMTIME_DAY + 29 * MIN), 679.0 / 60, 1e-12);
    check_close(load_rate(l, 87 * SIMTIME_DAY + 30 * MIN), 0, 0);
    load_free(l);
    l = load_of("load: {trace: {file: $KSIM_DATA_DIR/traces/worldcup98/invocation_count.csv,"
                " valuePer: 1m}}\n");
    check_close(load_rate(l, gap), 158.0 / 60, 1e-12);
    load_free(l);
}

/* Requests per one-minute bin of an arrival trace, over its first n bins. */
struct bins {
    long long total, peak, fewest; /* fewest: in a non-empty bin */
    int peak_bin, empty;
};

static struct bins count_bins(struct load *l, int n)
{
    struct bins b = {0, 0, -1, -1, 0};
    for (int k = 0; k < n; k++) {
        long long c = llround(load_rate(l, k * MIN) * 60);
        b.total += c;
        b.empty += c == 0;
        if (c > b.peak) {
            b.peak = c;
            b.peak_bin = k;
        }
        if (c > 0 && (b.fewest < 0 || c < b.fewest))
            b.fewest = c;
    }
    /* The replay ends with the last bin. */
    assert_true(load_rate(l, n * MIN) == 0);
    load_free(l);
    return b;
}

/*
 * Azure LLM inference 2023, 60 s bins from the first request. The code trace:
 * 8,819 request timestamps (the README says 8,818; the file has 8,819 rows
 * after its header) in 58 bins from 18:17:03.98, the busiest the 15th with
 * 632 requests, 12 bins empty and 15 the fewest in a non-empty bin. The
 * conversation trace: 19,366 requests in 59 bins, 37 to 507 per bin.
 */
static void test_azure(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int nbins;
        struct bins want;
    } cases[] = {
        {"AzureLLMInferenceTrace_code.csv", 58, {8819, 632, 15, 14, 12}},
        {"AzureLLMInferenceTrace_conv.csv", 59, {19366, 507, 37, 31, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], spec[512];
        snprintf(path, sizeof path, "traces/azure_llm_inference_2023/%s", cases[i].file);
        need(path);
        snprintf(spec, sizeof spec,
                 "load: {arrivalTrace: {file: $KSIM_DATA_DIR/%s, timeColumn: TIMESTAMP,"
                 " binWidth: 1m}}\n",
                 path);
        struct bins b = count_bins(load_of(spec), cases[i].nbins);
        assert_int_equal(b.total, cases[i].want.total);
        assert_int_equal(b.peak, cases[i].want.peak);
        assert_int_equal(b.peak_bin, cases[i].want.peak_bin);
        assert_int_equal(b.empty, cases[i].want.empty);
        assert_int_equal(b.fewest, cases[i].want.fewest);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_worldcup_day, teardown),
        cmocka_unit_test_teardown(test_worldcup_whole, teardown),
        cmocka_unit_test_teardown(test_azure, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
