/* Tests for sim/io/experiment/sweep (numbering, ranges, errors) and sim/io/experiment/experiment
 * (goals, YAML text). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/io/experiment/experiment.h"
#include "sim/io/experiment/metrics.h"
#include "sim/io/experiment/sweep.h"
#include "sim/io/experiment/sweepmerge.h"
#include "sim/io/ytree.h"

static const char sweep_text[] = "apiVersion: ksim.io/v1alpha1\n"
                                 "kind: Sweep\n"
                                 "metadata: {name: s}\n"
                                 "spec:\n"
                                 "  scenario: base.yaml\n"
                                 "  axes:\n"
                                 "    - {path: a.b, range: {from: 1, to: 2, step: 0.5}}\n"
                                 "    - {policies: [first-fit, best-fit]}\n"
                                 "    - {seeds: {from: 7, to: 8}}\n";

static void test_numbering(void **state)
{
    (void)state;
    struct diag d;
    diag_clear(&d);
    const char *path = testutil_write_temp("s.yaml", sweep_text);
    struct sweep *s = sweep_load(path, &d);
    assert_non_null(s);
    assert_int_equal(s->naxes, 3);
    assert_int_equal(s->npoints, 12);
    assert_string_equal(s->axes[0].values[0], "1");
    assert_string_equal(s->axes[0].values[1], "1.5");
    assert_string_equal(s->axes[0].values[2], "2");
    assert_string_equal(s->axes[2].values[1], "8");
    /* The scenario is found beside the sweep file. */
    assert_non_null(strstr(s->scenario, "/base.yaml"));
    /* Last axis fastest: point 7 = (1, 1, 1) since 7 = 1*4 + 1*2 + 1. */
    size_t idx[3];
    sweep_point(s, 7, idx);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 1);
    sweep_point(s, 11, idx);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    assert_int_equal(idx[2], 1);
    char *pj = sweepmerge_point_json(s, 4);
    assert_string_equal(pj, "{\n\t\"point\":\t4,\n\t\"coordinates\":\t{\n\t\t\"a.b\":\t\"1.5\",\n"
                            "\t\t\"policy\":\t\"first-fit\",\n\t\t\"seed\":\t\"7\"\n\t}\n}\n");
    free(pj);
    sweep_free(s);
}

static void check_error(const char *axes, const char *want)
{
    char *text = malloc(strlen(axes) + 200);
    strcpy(text, "apiVersion: ksim.io/v1alpha1\nkind: Sweep\nmetadata: {name: s}\nspec:\n"
                 "  scenario: base.yaml\n  axes:\n");
    strcat(text, axes);
    const char *path = testutil_write_temp("bad.yaml", text);
    struct diag d;
    diag_clear(&d);
    assert_null(sweep_load(path, &d));
    const char *msg = strstr(d.text, "bad.yaml:");
    assert_non_null(msg);
    assert_string_equal(msg, want);
    free(text);
}

static void test_errors(void **state)
{
    (void)state;
    check_error("    - {path: a, values: [1], range: {from: 1, to: 2}}\n",
                "bad.yaml:7:7: axes[]: a path axis needs exactly one of 'values' or 'range'");
    check_error("    - {seeds: [1], policies: [a]}\n",
                "bad.yaml:7:7: axes[]: give exactly one of 'path', 'policies' or 'seeds'");
    check_error("    - {path: a, range: {from: 5, to: 1}}\n",
                "bad.yaml:7:24: range: step 1 never gets from 5 to 1");
    check_error("    - {seeds: [1, -2]}\n", "bad.yaml:7:19: seeds[]: must not be negative, got -2");
    check_error("    - {path: a, values: [1]}\n    - {path: a, values: [2]}\n",
                "bad.yaml:8:7: axes[]: 'a' is swept twice");
    check_error("    - {pathh: a}\n", "bad.yaml:7:8: unknown key 'pathh' in axes[] (did you mean "
                                      "'path'?)");
}

static void test_goals(void **state)
{
    (void)state;
    struct experiment e;
    memset(&e, 0, sizeof e);
    struct diag d;
    diag_clear(&d);
    assert_int_equal(experiment_parse_goal(&e, "pods.pending_at_end<=0", &d), 0);
    assert_int_equal(experiment_parse_goal(&e, "cpu_alloc_ratio.mean>=0.5", &d), 0);
    assert_int_equal(experiment_parse_goal(&e, "x=3", &d), -1);
    assert_string_equal(d.text, "--goal 'x=3': expected METRIC<=NUMBER or METRIC>=NUMBER");
    struct metrics m;
    metrics_init(&m);
    metrics_add(&m, "pods.pending_at_end", 0);
    metrics_add(&m, "cpu_alloc_ratio.mean", 0.6);
    diag_clear(&d);
    assert_int_equal(experiment_goals_met(&e, &m, &d), 1);
    m.values[1] = 0.4; /* below the min */
    assert_int_equal(experiment_goals_met(&e, &m, &d), 0);
    m.values[1] = 0.6;
    m.values[0] = 1; /* above the max */
    assert_int_equal(experiment_goals_met(&e, &m, &d), 0);
    assert_int_equal(experiment_parse_goal(&e, "pods.pending_at_nd<=0", &d), 0);
    assert_int_equal(experiment_goals_met(&e, &m, &d), -1);
    assert_string_equal(d.text, "goal metric 'pods.pending_at_nd' is not in summary.json (did you "
                                "mean 'pods.pending_at_end'?)");
    metrics_release(&m);
    experiment_release(&e);
}

static void test_yaml_text(void **state)
{
    (void)state;
    struct diag d;
    diag_clear(&d);
    const char src[] = "{a: 40, b: \"4\", c: [x, 'y z'], d: {e: null}, f: \"q\\\"\\n\"}";
    struct ytree *t = ytree_load_string("v", src, strlen(src), &d);
    assert_non_null(t);
    char *text = experiment_yaml_text(t->docs[0]);
    /* Plain scalars stay plain; quoted ones stay strings, escapes and all. */
    assert_string_equal(text, "{a: 40, b: \"4\", c: [x, \"y z\"], d: {e: null}, f: \"q\\\"\\n\"}");
    /* A top-level scalar is the bare value: no line end, no "..." document end. */
    char *forty = experiment_yaml_text(ynode_get(t->docs[0], "a"));
    char *four = experiment_yaml_text(ynode_get(t->docs[0], "b"));
    assert_string_equal(forty, "40");
    assert_string_equal(four, "\"4\"");
    free(forty);
    free(four);
    /* And the text reads back as the same value. */
    struct ytree *t2 = ytree_load_string("v2", text, strlen(text), &d);
    assert_non_null(t2);
    assert_string_equal(ynode_get(t2->docs[0], "f")->str, "q\"\n");
    assert_string_equal(ynode_get(t2->docs[0], "b")->str, "4");
    assert_false(ynode_get(t2->docs[0], "b")->plain);
    free(text);
    ytree_free(t2);
    ytree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_goals),
        cmocka_unit_test(test_yaml_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
