#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/io/ytree.h"

static struct ytree *load(const char *text, struct diag *d)
{
    diag_clear(d);
    return ytree_load_string("t.yaml", text, strlen(text), d);
}

/* Loads text that must fail, and checks the one-line message. */
static void check_error(const char *text, size_t len, const char *want)
{
    struct diag d;
    diag_clear(&d);
    struct ytree *t = ytree_load_string("t.yaml", text, len, &d);
    if (t || strcmp(d.text, want) != 0) {
        print_error("got '%s'\nwant '%s'\n", t ? "(success)" : d.text, want);
        ytree_free(t);
        fail();
    }
}

#define check_error_str(text, want) check_error((text), strlen(text), (want))

static void check_pos(const struct ynode *n, int line, int col)
{
    assert_non_null(n);
    if (n->line != line || n->col != col) {
        print_error("node '%s' at %d:%d, want %d:%d\n", n->str, n->line, n->col, line, col);
        fail();
    }
}

static void test_block_positions(void **state)
{
    (void)state;
    struct diag d;
    struct ytree *t = load("apiVersion: ksim/v1\n"
                           "spec:\n"
                           "  seed: 42\n"
                           "  name: 'web'\n"
                           "  pools:\n"
                           "    - name: a\n"
                           "      count: 3\n"
                           "  empty:\n"
                           "  text: |\n"
                           "    hello\n",
                           &d);
    assert_non_null(t);
    assert_int_equal(t->ndocs, 1);
    const struct ynode *root = t->docs[0];
    assert_int_equal(root->kind, YNODE_MAP);
    check_pos(root, 1, 1);
    check_pos(root->pairs[0].key, 1, 1);
    check_pos(root->pairs[0].value, 1, 13);
    assert_string_equal(root->file, "t.yaml");

    const struct ynode *spec = ynode_get(root, "spec");
    check_pos(spec, 3, 3);
    check_pos(spec->pairs[0].key, 3, 3);
    const struct ynode *seed = ynode_get(spec, "seed");
    check_pos(seed, 3, 9);
    assert_string_equal(seed->str, "42");
    assert_int_equal(seed->len, 2);
    assert_true(seed->plain);
    const struct ynode *name = ynode_get(spec, "name");
    check_pos(name, 4, 9);
    assert_string_equal(name->str, "web");
    assert_false(name->plain);

    const struct ynode *pools = ynode_get(spec, "pools");
    assert_int_equal(pools->kind, YNODE_SEQ);
    check_pos(pools, 6, 5);
    assert_int_equal(pools->n, 1);
    check_pos(pools->items[0], 6, 7);
    check_pos(ynode_get(pools->items[0], "count"), 7, 14);

    /* An empty value sits just after its colon. */
    const struct ynode *empty = ynode_get(spec, "empty");
    check_pos(empty, 8, 9);
    assert_true(ynode_is_null(empty));

    const struct ynode *text = ynode_get(spec, "text");
    assert_string_equal(text->str, "hello\n");
    assert_false(text->plain);
    check_pos(text, 9, 9);
    ytree_free(t);
}

static void test_flow_and_json(void **state)
{
    (void)state;
    struct diag d;
    struct ytree *t = load("a: {b: [1, 'two', {c: d}], e: }\nf: [ ]\n", &d);
    assert_non_null(t);
    const struct ynode *a = ynode_get(t->docs[0], "a");
    check_pos(a, 1, 4);
    const struct ynode *b = ynode_get(a, "b");
    check_pos(b, 1, 8);
    assert_int_equal(b->n, 3);
    check_pos(b->items[0], 1, 9);
    check_pos(b->items[1], 1, 12);
    assert_string_equal(b->items[1]->str, "two");
    check_pos(ynode_get(b->items[2], "c"), 1, 23);
    assert_true(ynode_is_null(ynode_get(a, "e")));
    const struct ynode *f = ynode_get(t->docs[0], "f");
    assert_int_equal(f->kind, YNODE_SEQ);
    assert_int_equal(f->n, 0);
    ytree_free(t);

    t = load("{\"kind\": \"Node\",\n \"n\": [1, 2.5, true, null],\n \"s\": \"x\\u00e9\\ty\"}", &d);
    assert_non_null(t);
    const struct ynode *root = t->docs[0];
    assert_int_equal(root->kind, YNODE_MAP);
    check_pos(root->pairs[0].key, 1, 2);
    assert_false(root->pairs[0].key->plain);
    const struct ynode *n = ynode_get(root, "n");
    check_pos(n, 2, 7);
    assert_int_equal(n->n, 4);
    assert_true(n->items[2]->plain);
    assert_true(ynode_is_null(n->items[3]));
    check_pos(n->items[3], 2, 22);
    assert_string_equal(ynode_get(root, "s")->str, "x\xc3\xa9\ty");
    ytree_free(t);
}

static void test_columns_count_characters(void **state)
{
    (void)state;
    struct diag d;
    /* Columns count characters, as libyaml's marks do, and CRLF is one break. */
    struct ytree *t = load("\xc3\xa9t\xc3\xa9: \xe2\x82\xac\r\nb: 2\r\n", &d);
    assert_non_null(t);
    check_pos(t->docs[0]->pairs[0].value, 1, 6);
    check_pos(ynode_get(t->docs[0], "b"), 2, 4);
    ytree_free(t);
}

static void test_multi_document(void **state)
{
    (void)state;
    struct diag d;
    struct ytree *t = load("a: 1\n---\n- x\n---\n--- ~\n---\nb: 2\n...\n", &d);
    assert_non_null(t);
    assert_int_equal(t->ndocs, 5);
    check_pos(ynode_get(t->docs[0], "a"), 1, 4);
    assert_int_equal(t->docs[1]->kind, YNODE_SEQ);
    check_pos(t->docs[1], 3, 1);
    assert_null(t->docs[2]); /* "---" with nothing: an empty document */
    assert_non_null(t->docs[3]);
    assert_true(ynode_is_null(t->docs[3])); /* "--- ~" is an explicit null */
    check_pos(ynode_get(t->docs[4], "b"), 7, 4);
    ytree_free(t);

    /* Anchors do not cross documents. */
    check_error_str("a: &x 1\n---\nb: *x\n", "t.yaml:3:4: unknown anchor 'x'");
}

static void test_empty_inputs(void **state)
{
    (void)state;
    struct diag d;
    const char *empties[] = {"", "\n\n", "# only a comment\n", "   \n \n"};
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        struct ytree *t = load(empties[i], &d);
        assert_non_null(t);
        assert_int_equal(t->ndocs, 0);
        ytree_free(t);
    }
    struct ytree *t = ytree_load_string("t.yaml", NULL, 0, &d);
    assert_non_null(t);
    assert_int_equal(t->ndocs, 0);
    ytree_free(t);

    const char *path = testutil_write_temp("empty.yaml", "");
    t = ytree_load_file(path, &d);
    assert_non_null(t);
    assert_int_equal(t->ndocs, 0);
    ytree_free(t);
}

static void test_aliases_share(void **state)
{
    (void)state;
    struct diag d;
    struct ytree *t = load("base: &b {cpu: 1, mem: 2Gi}\n"
                           "x: *b\n"
                           "y: [*b, *b]\n"
                           "name: &n web\n"
                           "*n : again\n",
                           &d);
    assert_non_null(t);
    const struct ynode *root = t->docs[0];
    const struct ynode *base = ynode_get(root, "base");
    assert_ptr_equal(ynode_get(root, "x"), base);
    assert_ptr_equal(ynode_get(root, "y")->items[1], base);
    /* A shared node keeps its own position, which starts at its anchor. */
    check_pos(ynode_get(root, "x"), 1, 7);
    assert_string_equal(ynode_get(root, "web")->str, "again");
    ytree_free(t);

    /* A later anchor of the same name replaces the earlier one. */
    t = load("- &a 1\n- &a 2\n- *a\n", &d);
    assert_non_null(t);
    assert_string_equal(t->docs[0]->items[2]->str, "2");
    ytree_free(t);

    check_error_str("a: *nope\n", "t.yaml:1:4: unknown anchor 'nope'");
    check_error_str("a: &x [1, *x]\n", "t.yaml:1:11: alias 'x' refers to its own enclosing node");
    check_error_str("a: &x {b: {c: *x}}\n",
                    "t.yaml:1:15: alias 'x' refers to its own enclosing node");
}

/* The classic "billion laughs": 9 levels of 9 aliases, 9^9 nodes expanded. */
static void test_alias_bomb(void **state)
{
    (void)state;
    char buf[4096];
    size_t off = (size_t)snprintf(buf, sizeof buf,
                                  "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                                  "\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%c: &%c [", c, c);
        for (int i = 0; i < 9; i++)
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s*%c", i ? "," : "", c - 1);
        off += (size_t)snprintf(buf + off, sizeof buf - off, "]\n");
    }
    clock_t start = clock();
    check_error(buf, off, "t.yaml:7:8: alias expansion exceeds 1000000 nodes (YAML alias bomb?)");
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    assert_true(secs < 0.5);

    /* Below the limit the same shape loads: 1 + 9 + 81 + ... nodes. */
    struct diag d;
    struct ytree *t = load("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", &d);
    assert_non_null(t);
    ytree_free(t);
}

static void test_too_many_nodes(void **state)
{
    (void)state;
    size_t n = YTREE_MAX_NODES + 10;
    char *buf = test_malloc(2 * n + 3);
    size_t off = 0;
    buf[off++] = '[';
    for (size_t i = 0; i < n; i++) {
        buf[off++] = '1';
        buf[off++] = ',';
    }
    buf[off - 1] = ']';
    char want[128];
    /* The root list is node 1, so item 1000000 (at column 2 * 1000000) is one too many. */
    snprintf(want, sizeof want, "t.yaml:1:%d: too many nodes (more than 1000000)",
             2 * YTREE_MAX_NODES);
    check_error(buf, off, want);
    test_free(buf);
}

static void test_depth(void **state)
{
    (void)state;
    size_t n = 10000;
    char *buf = test_malloc(2 * n + 1);
    memset(buf, '[', n);
    memset(buf + n, ']', n);
    clock_t start = clock();
    check_error(buf, 2 * n, "t.yaml:1:257: too deeply nested (more than 256 levels)");
    /* Unclosed, too: the limit trips before libyaml notices the missing ']'. */
    check_error(buf, n, "t.yaml:1:257: too deeply nested (more than 256 levels)");
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 0.5);

    /* Exactly the limit is fine. */
    struct diag d;
    memset(buf, '[', YTREE_MAX_DEPTH);
    memset(buf + YTREE_MAX_DEPTH, ']', YTREE_MAX_DEPTH);
    struct ytree *t = ytree_load_string("t.yaml", buf, 2 * YTREE_MAX_DEPTH, &d);
    assert_non_null(t);
    ytree_free(t);
    test_free(buf);

    /* An alias counts the anchored node's depth where it is used. */
    char deep[1024];
    int off = snprintf(deep, sizeof deep, "a: &a ");
    for (int i = 0; i < 200; i++)
        deep[off++] = '[';
    for (int i = 0; i < 200; i++)
        deep[off++] = ']';
    off += snprintf(deep + off, sizeof deep - (size_t)off, "\nb: ");
    for (int i = 0; i < 60; i++)
        deep[off++] = '[';
    off += snprintf(deep + off, sizeof deep - (size_t)off, "*a");
    for (int i = 0; i < 60; i++)
        deep[off++] = ']';
    check_error(deep, (size_t)off, "t.yaml:2:64: too deeply nested (more than 256 levels)");
}

static void test_bad_bytes(void **state)
{
    (void)state;
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    check_error(all, sizeof all,
                "t.yaml:1:1: invalid YAML: control characters are not allowed (#x0)");
    check_error(all + 1, sizeof all - 1,
                "t.yaml:1:1: invalid YAML: control characters are not allowed (#x1)");
    check_error("a: 1\0b", 6, "t.yaml:1:5: invalid YAML: control characters are not allowed (#x0)");
    check_error_str("a: ok\nb: \xff\n",
                    "t.yaml:2:4: invalid YAML: invalid leading UTF-8 octet (#xFF)");
    check_error_str("a: \xc3(\n", "t.yaml:1:5: invalid YAML: invalid trailing UTF-8 octet (#x28)");
    check_error_str("a: \xe2\x82", "t.yaml:1:4: invalid YAML: incomplete UTF-8 octet sequence");
    check_error_str("a: \"x\x07\"\n",
                    "t.yaml:1:6: invalid YAML: control characters are not allowed (#x7)");

    /* A "\0" escape is fine: the NUL is part of the value and len counts it. */
    struct diag d;
    struct ytree *t = load("a: \"x\\0y\"\n", &d);
    assert_non_null(t);
    assert_int_equal(ynode_get(t->docs[0], "a")->len, 3);
    ytree_free(t);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    check_error_str("[1, 2\n",
                    "t.yaml:2:1: invalid YAML: did not find expected ',' or ']' while parsing a "
                    "flow sequence");
    check_error_str("a: b: c\n",
                    "t.yaml:1:5: invalid YAML: mapping values are not allowed in this context");
    check_error_str("a:\n  b: 1\n c: 2\n",
                    "t.yaml:3:2: invalid YAML: did not find expected key while parsing a block "
                    "mapping");
    check_error_str("a: \"open\n",
                    "t.yaml:2:1: invalid YAML: found unexpected end of stream while scanning a "
                    "quoted scalar");
    check_error_str("a: 1\n\tb: 2\n", "t.yaml:2:1: invalid YAML: found a tab character that "
                                      "violates indentation while scanning a plain scalar");
    check_error_str("   \n\t\n", "t.yaml:2:1: invalid YAML: found character that cannot "
                                 "start any token while scanning for the next token");
}

static void test_keys(void **state)
{
    (void)state;
    check_error_str("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a'");
    check_error_str("x:\n  a: 1\n  'a': 2\n", "t.yaml:3:3: duplicate key 'a'");
    check_error_str("{b: 1, a: 2, a: 3, b: 4}", "t.yaml:1:14: duplicate key 'a'");
    check_error_str("? [a]\n: 1\n", "t.yaml:1:3: complex mapping keys are not supported");
    check_error_str("{a: 1}: 2\n", "t.yaml:1:1: complex mapping keys are not supported");
    check_error_str("k: &m {a: 1}\n*m : 2\n", "t.yaml:2:1: complex mapping keys are not supported");

    /* Merge keys are not special: "<<" is an ordinary key. */
    struct diag d;
    struct ytree *t = load("a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n", &d);
    assert_non_null(t);
    const struct ynode *b = ynode_get(t->docs[0], "b");
    assert_int_equal(b->n, 2);
    assert_null(ynode_get(b, "x"));
    assert_non_null(ynode_get(b, "<<"));
    ytree_free(t);

    /* Many distinct keys load, and a repeat among them is still found. */
    size_t n = 20000;
    char *buf = test_malloc(n * 16 + 32);
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        off += (size_t)sprintf(buf + off, "k%zu: %zu\n", i, i);
    t = ytree_load_string("t.yaml", buf, off, &d);
    assert_non_null(t);
    assert_int_equal(t->docs[0]->n, n);
    assert_string_equal(ynode_get(t->docs[0], "k19999")->str, "19999");
    ytree_free(t);
    off += (size_t)sprintf(buf + off, "k7: again\n");
    char want[64];
    snprintf(want, sizeof want, "t.yaml:%zu:1: duplicate key 'k7'", n + 1);
    check_error(buf, off, want);
    test_free(buf);
}

static void test_files(void **state)
{
    (void)state;
    struct diag d;
    diag_clear(&d);
    assert_null(ytree_load_file("/nonexistent/ksim/x.yaml", &d));
    assert_string_equal(d.text, "/nonexistent/ksim/x.yaml: cannot open: No such file or directory");

    const char *path = testutil_write_temp("ok.yaml", "a: 1\n");
    diag_clear(&d);
    struct ytree *t = ytree_load_file(path, &d);
    assert_non_null(t);
    assert_string_equal(t->docs[0]->pairs[0].value->file, path);
    ytree_free(t);

    path = testutil_write_temp("bad.yaml", "a: [\n");
    diag_clear(&d);
    assert_null(ytree_load_file(path, &d));
    char want[600];
    snprintf(want, sizeof want,
             "%s:2:1: invalid YAML: did not find expected node content while parsing a flow "
             "node",
             path);
    assert_string_equal(d.text, want);
}

static void test_queries(void **state)
{
    (void)state;
    struct diag d;
    struct ytree *t =
        load("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: 'null'\nh: nil\ni: [x]\nj: {}\n", &d);
    assert_non_null(t);
    const struct ynode *r = t->docs[0];
    const char *nulls[] = {"a", "b", "c", "d", "e"};
    for (size_t i = 0; i < 5; i++) {
        assert_true(ynode_is_null(ynode_get(r, nulls[i])));
        assert_string_equal(ynode_kind_name(ynode_get(r, nulls[i])), "null");
    }
    const char *strings[] = {"f", "g", "h"};
    for (size_t i = 0; i < 3; i++) {
        assert_false(ynode_is_null(ynode_get(r, strings[i])));
        assert_string_equal(ynode_kind_name(ynode_get(r, strings[i])), "a string");
    }
    assert_string_equal(ynode_kind_name(ynode_get(r, "i")), "a list");
    assert_string_equal(ynode_kind_name(ynode_get(r, "j")), "a mapping");
    assert_false(ynode_is_null(ynode_get(r, "j")));
    assert_true(ynode_is_null(NULL));
    assert_string_equal(ynode_kind_name(NULL), "null");
    assert_null(ynode_get(r, "zz"));
    assert_null(ynode_get(NULL, "a"));
    assert_null(ynode_get(ynode_get(r, "i"), "x"));
    ytree_free(t);
    ytree_free(NULL);
}

static void test_alloc_adopt(void **state)
{
    (void)state;
    struct diag d;
    struct ytree *t = load("a: 1\n", &d);
    struct ytree *v = ytree_load_string("--set b", "[x, y]", 6, &d);
    assert_non_null(t);
    assert_non_null(v);
    struct ynode *val = v->docs[0];
    ytree_adopt(t, v);
    /* Graft the adopted value under a new key, the way --set does. */
    struct ynode *root = t->docs[0];
    struct ypair *pairs = ytree_alloc(t, (root->n + 1) * sizeof *pairs);
    memcpy(pairs, root->pairs, root->n * sizeof *pairs);
    struct ynode *key = ytree_alloc(t, sizeof *key);
    assert_int_equal(key->kind, 0);
    assert_null(key->str); /* zeroed */
    key->kind = YNODE_SCALAR;
    key->str = "b";
    key->len = 1;
    pairs[root->n].key = key;
    pairs[root->n].value = val;
    root->pairs = pairs;
    root->n++;
    const struct ynode *b = ynode_get(root, "b");
    assert_string_equal(b->items[1]->str, "y");
    assert_string_equal(b->file, "--set b");
    /* Big blocks and many small ones. */
    char *big = ytree_alloc(t, 1 << 20);
    memset(big, 1, 1 << 20);
    for (int i = 0; i < 10000; i++)
        *(int *)ytree_alloc(t, sizeof(int)) = i;
    ytree_free(t);
}

/* Seeded random inputs: every outcome is a tree or one diagnostic, never a crash. */
static void test_random_inputs(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",  ":",   " ",    "\n",     "- ",          "[",   "]",   "{",        "}",
        ",",  "&x ", "*x",   "'",      "\"",          "#",   "---", "...",      "? ",
        "|",  ">",   "!",    "!!str ", "%YAML 1.2\n", "\t",  "\\",  "\xc3\xa9", "\xff",
        "\0", "  ",  "<<: ", "~",      "1e3",         "&y ", "*y",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    srand(12345);
    char buf[512];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int n = rand() % 40;
        for (int i = 0; i < n; i++) {
            if (rand() % 8 == 0) {
                buf[len++] = (char)(rand() % 256);
                continue;
            }
            const char *p = pieces[rand() % npieces];
            size_t pl = p[0] ? strlen(p) : 1;
            if (len + pl >= sizeof buf)
                break;
            memcpy(buf + len, p, pl);
            len += pl;
        }
        struct diag d;
        diag_clear(&d);
        struct ytree *t = ytree_load_string("r.yaml", buf, len, &d);
        if (t)
            assert_false(d.set);
        else
            assert_true(d.set && strncmp(d.text, "r.yaml:", 7) == 0);
        ytree_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_positions),
        cmocka_unit_test(test_flow_and_json),
        cmocka_unit_test(test_columns_count_characters),
        cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_aliases_share),
        cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_too_many_nodes),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_alloc_adopt),
        cmocka_unit_test(test_random_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
