/* Tests for sim/base/diag: the one-line error format and typo suggestions. */
#include "testutil.h"

#include <string.h>

#include "sim/base/diag.h"

static void test_format(void **state)
{
    (void)state;
    struct diag d;
    diag_clear(&d);
    diag_set(&d, "s.yaml", 3, 7, "unknown key '%s'", "x");
    assert_true(d.set);
    assert_string_equal(d.text, "s.yaml:3:7: unknown key 'x'");
    /* The first error wins. */
    diag_set(&d, "other.yaml", 1, 1, "later");
    assert_string_equal(d.text, "s.yaml:3:7: unknown key 'x'");
    diag_clear(&d);
    diag_set(&d, "f.yaml", 0, 0, "cannot open");
    assert_string_equal(d.text, "f.yaml: cannot open");
    diag_clear(&d);
    diag_set(&d, NULL, 0, 0, "bare %d", 5);
    assert_string_equal(d.text, "bare 5");
    /* One line, always. */
    diag_clear(&d);
    diag_set(&d, "f", 1, 1, "a\nb\rc");
    assert_string_equal(d.text, "f:1:1: a b c");
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(diag_edit_distance("", ""), 0);
    assert_int_equal(diag_edit_distance("abc", ""), 3);
    assert_int_equal(diag_edit_distance("kitten", "sitting"), 3);
    /* An adjacent transposition is one edit. */
    assert_int_equal(diag_edit_distance("sede", "seed"), 1);
    assert_int_equal(diag_edit_distance("frist-fit", "first-fit"), 1);
    assert_int_equal(diag_edit_distance("ab", "ba"), 1);
}

static void test_suggest(void **state)
{
    (void)state;
    static const char *const keys[] = {"seed", "duration", "metrics", "scheduler", NULL};
    assert_string_equal(diag_suggest("sede", keys), "seed");
    assert_string_equal(diag_suggest("duraton", keys), "duration");
    assert_string_equal(diag_suggest("Seed", keys), "seed");
    assert_null(diag_suggest("zzzz", keys));
    assert_null(diag_suggest("x", keys));
    assert_null(diag_suggest("seed", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
