/*
 * sim/cluster/labelsel: matchLabels and the four matchExpressions operators
 * as k8s.io/apimachinery/pkg/labels/selector.go defines them, and the Go
 * %+v text of a *metav1.LabelSelector that upstream error messages embed.
 */
#include "testutil.h"

#include <stdlib.h>

#include "sim/cluster/labelsel.h"

static struct labelset pod(const char *app, const char *tier)
{
    struct labelset ls;
    labelset_init(&ls);
    if (app)
        labelset_set(&ls, "app", app);
    if (tier)
        labelset_set(&ls, "tier", tier);
    return ls;
}

static void test_match(void **state)
{
    (void)state;
    struct labelset web = pod("web", "front"), api = pod("api", NULL), none = pod(NULL, NULL);
    struct labelsel s;
    labelsel_init(&s);
    /* Empty: everything. */
    assert_true(labelsel_matches(&s, &none));
    labelset_set(&s.match_labels, "app", "web");
    assert_true(labelsel_matches(&s, &web));
    assert_false(labelsel_matches(&s, &api));
    labelsel_release(&s);

    const char *vals[] = {"front", "back"};
    labelsel_init(&s);
    labelsel_add(&s, "tier", LABELSEL_IN, vals, 2);
    assert_true(labelsel_matches(&s, &web));
    assert_false(labelsel_matches(&s, &api)); /* In needs the key */
    labelsel_release(&s);

    labelsel_init(&s);
    labelsel_add(&s, "tier", LABELSEL_NOT_IN, vals, 1);
    assert_false(labelsel_matches(&s, &web));
    assert_true(labelsel_matches(&s, &api)); /* NotIn holds without the key */
    labelsel_release(&s);

    labelsel_init(&s);
    labelsel_add(&s, "tier", LABELSEL_EXISTS, NULL, 0);
    assert_true(labelsel_matches(&s, &web));
    assert_false(labelsel_matches(&s, &api));
    labelsel_add(&s, "app", LABELSEL_DOES_NOT_EXIST, NULL, 0);
    assert_false(labelsel_matches(&s, &web)); /* every requirement must hold */
    labelsel_release(&s);

    labelset_release(&web);
    labelset_release(&api);
    labelset_release(&none);
}

static void test_go_string(void **state)
{
    (void)state;
    struct labelsel s;
    labelsel_init(&s);
    char *text = labelsel_go_string(&s);
    assert_string_equal(text, "&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]"
                              "LabelSelectorRequirement{},}");
    free(text);
    /* Keys sorted, as the generated String method sorts them. */
    labelset_set(&s.match_labels, "queue", "orders");
    labelset_set(&s.match_labels, "env", "prod");
    const char *vals[] = {"a", "b"};
    labelsel_add(&s, "zone", LABELSEL_IN, vals, 2);
    text = labelsel_go_string(&s);
    assert_string_equal(text, "&LabelSelector{MatchLabels:map[string]string{env: prod,queue: "
                              "orders,},MatchExpressions:[]LabelSelectorRequirement{"
                              "LabelSelectorRequirement{Key:zone,Operator:In,Values:[a b],},},}");
    free(text);
    labelsel_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_go_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
