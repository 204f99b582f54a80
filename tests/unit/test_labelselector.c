/*
 * metav1.LabelSelector semantics (apimachinery/pkg/apis/meta/v1/helpers.go
 * LabelSelectorAsSelector, pkg/labels/selector.go Requirement.Matches) and
 * the matchLabelKeys / namespace rules of sim/cluster/podaffinity.c.
 */
#include "testutil.h"

#include <stdlib.h>

#include "sim/cluster/labelselector.h"
#include "sim/cluster/podaffinity.h"

static struct labelset set2(const char *k1, const char *v1, const char *k2, const char *v2)
{
    struct labelset ls;
    labelset_init(&ls);
    if (k1)
        labelset_set(&ls, k1, v1);
    if (k2)
        labelset_set(&ls, k2, v2);
    return ls;
}

static void test_nothing_and_everything(void **state)
{
    (void)state;
    struct labelselector s;
    struct labelset ls = set2("app", "web", NULL, NULL), none = set2(NULL, NULL, NULL, NULL);
    labelselector_init(&s); /* nil selector: labels.Nothing() */
    assert_false(labelselector_matches(&s, &ls));
    assert_false(labelselector_matches(&s, &none));
    assert_false(labelselector_empty(&s));
    s.kind = LSEL_EVERYTHING; /* {}: labels.Everything(), and Empty() */
    assert_true(labelselector_matches(&s, &ls));
    assert_true(labelselector_matches(&s, &none));
    assert_true(labelselector_empty(&s));
    labelselector_release(&s);
    labelset_release(&ls);
    labelset_release(&none);
}

static void test_operators(void **state)
{
    (void)state;
    const char *ab[] = {"a", "b"};
    struct labelset a = set2("app", "a", "tier", "x"), c = set2("app", "c", NULL, NULL),
                    none = set2(NULL, NULL, NULL, NULL);
    struct labelselector in, notin, ex, dne;
    labelselector_init(&in);
    labelselector_add(&in, "app", LSEL_IN, ab, 2);
    labelselector_init(&notin);
    labelselector_add(&notin, "app", LSEL_NOT_IN, ab, 2);
    labelselector_init(&ex);
    labelselector_add(&ex, "tier", LSEL_EXISTS, NULL, 0);
    labelselector_init(&dne);
    labelselector_add(&dne, "tier", LSEL_DOES_NOT_EXIST, NULL, 0);
    assert_true(labelselector_matches(&in, &a));
    assert_false(labelselector_matches(&in, &c));
    assert_false(labelselector_matches(&in, &none));
    assert_false(labelselector_matches(&notin, &a));
    assert_true(labelselector_matches(&notin, &c));
    assert_true(labelselector_matches(&notin, &none)); /* an absent key satisfies NotIn */
    assert_true(labelselector_matches(&ex, &a));
    assert_false(labelselector_matches(&ex, &c));
    assert_false(labelselector_matches(&dne, &a));
    assert_true(labelselector_matches(&dne, &none));
    /* Requirements are ANDed. */
    labelselector_add(&in, "tier", LSEL_EXISTS, NULL, 0);
    assert_true(labelselector_matches(&in, &a));
    labelselector_add(&in, "tier", LSEL_NOT_IN, (const char *[]){"x"}, 1);
    assert_false(labelselector_matches(&in, &a));
    assert_false(labelselector_empty(&in));
    labelselector_release(&in);
    labelselector_release(&notin);
    labelselector_release(&ex);
    labelselector_release(&dne);
    labelset_release(&a);
    labelset_release(&c);
    labelset_release(&none);
}

/* Values NewRequirement rejects make the selector match nothing. */
static void test_invalid(void **state)
{
    (void)state;
    struct labelset none = set2(NULL, NULL, NULL, NULL);
    struct labelselector s;
    labelselector_init(&s);
    labelselector_add(&s, "app", LSEL_NOT_IN, (const char *[]){"{{.bad-value.}}"}, 1);
    assert_true(s.invalid);
    assert_false(labelselector_matches(&s, &none)); /* NotIn would match an absent key */
    labelselector_release(&s);
    labelselector_init(&s);
    labelselector_add(&s, "app", LSEL_IN, NULL, 0);
    assert_true(s.invalid);
    labelselector_release(&s);
    labelselector_init(&s);
    labelselector_add(&s, "app", LSEL_EXISTS, (const char *[]){"x"}, 1);
    assert_true(s.invalid);
    labelselector_release(&s);
    assert_true(label_value_valid(""));
    assert_true(label_value_valid("a-b_c.d"));
    assert_false(label_value_valid("-a"));
    assert_false(label_value_valid("a b"));
    assert_false(
        label_value_valid("0123456789012345678901234567890123456789012345678901234567890123"));
    labelset_release(&none);
}

/*
 * AffinityTerm.Matches: the pod's own namespace by default, the listed ones,
 * or those a namespaceSelector picks; matchLabelKeys adds `key In (own value)`
 * and mismatchLabelKeys `key NotIn (own value)`, only for keys the owner has.
 */
static void test_term_rules(void **state)
{
    (void)state;
    struct podaffinity_term t = {0};
    labelselector_init(&t.sel);
    labelselector_init(&t.nssel);
    t.sel.kind = LSEL_EVERYTHING;
    struct labelset self = set2("rev", "1", "team", "t1"), same = set2("rev", "1", "team", "t1"),
                    other = set2("rev", "2", "team", "t2"), bare = set2(NULL, NULL, NULL, NULL);
    assert_true(podaffinity_term_matches(&t, &self, "default", &other, "default"));
    assert_false(podaffinity_term_matches(&t, &self, "default", &other, "ns1"));
    char *ns[] = {(char *)"ns1"};
    t.namespaces = ns;
    t.nnamespaces = 1;
    assert_true(podaffinity_term_matches(&t, &self, "default", &other, "ns1"));
    assert_false(podaffinity_term_matches(&t, &self, "default", &other, "default"));
    t.nnamespaces = 0;
    t.nssel.kind = LSEL_EVERYTHING; /* namespaceSelector: {} selects every namespace */
    assert_true(podaffinity_term_matches(&t, &self, "default", &other, "ns9"));
    t.nssel.kind = LSEL_NOTHING;
    char *mk[] = {(char *)"rev"}, *mm[] = {(char *)"team"};
    t.match_keys = mk;
    t.nmatch_keys = 1;
    assert_true(podaffinity_term_matches(&t, &self, "default", &same, "default"));
    assert_false(podaffinity_term_matches(&t, &self, "default", &other, "default"));
    assert_false(podaffinity_term_matches(&t, &self, "default", &bare, "default"));
    /* An owner without the key adds no requirement. */
    assert_true(podaffinity_term_matches(&t, &bare, "default", &other, "default"));
    t.nmatch_keys = 0;
    t.mismatch_keys = mm;
    t.nmismatch_keys = 1;
    assert_false(podaffinity_term_matches(&t, &self, "default", &same, "default"));
    assert_true(podaffinity_term_matches(&t, &self, "default", &other, "default"));
    assert_true(podaffinity_term_matches(&t, &self, "default", &bare, "default"));
    labelset_release(&self);
    labelset_release(&same);
    labelset_release(&other);
    labelset_release(&bare);
}

/* A present selector (kobj_selector, a Deployment's spec.selector, a metric's
 * selector) starts as Everything; matchLabels and matchExpressions narrow it. */
static void test_present_selector(void **state)
{
    (void)state;
    struct labelset web = set2("app", "web", "tier", "front"), api = set2("app", "api", NULL, NULL),
                    none = set2(NULL, NULL, NULL, NULL);
    struct labelselector s;
    labelselector_init(&s);
    s.kind = LSEL_EVERYTHING; /* {}: everything */
    assert_true(labelselector_matches(&s, &none));
    labelselector_add_label(&s, "app", "web");
    assert_true(labelselector_matches(&s, &web));
    assert_false(labelselector_matches(&s, &api));
    assert_false(labelselector_matches(&s, &none));
    labelselector_release(&s);

    const char *vals[] = {"front", "back"};
    labelselector_init(&s);
    s.kind = LSEL_EVERYTHING;
    labelselector_add(&s, "tier", LSEL_IN, vals, 2);
    assert_true(labelselector_matches(&s, &web));
    assert_false(labelselector_matches(&s, &api)); /* In needs the key */
    labelselector_release(&s);

    labelselector_init(&s);
    s.kind = LSEL_EVERYTHING;
    labelselector_add(&s, "tier", LSEL_NOT_IN, vals, 1);
    assert_false(labelselector_matches(&s, &web));
    assert_true(labelselector_matches(&s, &api)); /* NotIn holds without the key */
    labelselector_release(&s);

    labelselector_init(&s);
    s.kind = LSEL_EVERYTHING;
    labelselector_add(&s, "tier", LSEL_EXISTS, NULL, 0);
    assert_true(labelselector_matches(&s, &web));
    assert_false(labelselector_matches(&s, &api));
    labelselector_add(&s, "app", LSEL_DOES_NOT_EXIST, NULL, 0);
    assert_false(labelselector_matches(&s, &web)); /* every requirement must hold */
    labelselector_release(&s);

    labelset_release(&web);
    labelset_release(&api);
    labelset_release(&none);
}

static void test_go_string(void **state)
{
    (void)state;
    struct labelselector s;
    labelselector_init(&s);
    char *text = labelselector_go_string(&s);
    assert_string_equal(text, "&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]"
                              "LabelSelectorRequirement{},}");
    free(text);
    /* matchLabels keys sorted, as the generated String method sorts them,
     * and kept apart from the expressions although both are requirements. */
    s.kind = LSEL_EVERYTHING;
    labelselector_add_label(&s, "queue", "orders");
    const char *vals[] = {"a", "b"};
    labelselector_add(&s, "zone", LSEL_IN, vals, 2);
    labelselector_add_label(&s, "env", "prod");
    text = labelselector_go_string(&s);
    assert_string_equal(text, "&LabelSelector{MatchLabels:map[string]string{env: prod,queue: "
                              "orders,},MatchExpressions:[]LabelSelectorRequirement{"
                              "LabelSelectorRequirement{Key:zone,Operator:In,Values:[a b],},},}");
    free(text);
    /* A copy keeps the distinction. */
    struct labelselector c;
    labelselector_copy(&c, &s);
    text = labelselector_go_string(&c);
    assert_string_equal(text, "&LabelSelector{MatchLabels:map[string]string{env: prod,queue: "
                              "orders,},MatchExpressions:[]LabelSelectorRequirement{"
                              "LabelSelectorRequirement{Key:zone,Operator:In,Values:[a b],},},}");
    free(text);
    labelselector_release(&c);
    labelselector_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_and_everything),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_term_rules),
        cmocka_unit_test(test_present_selector),
        cmocka_unit_test(test_go_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
