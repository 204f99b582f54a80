/* Tests for sim/io/output/report's base64 and sim/io/yemit's round trip. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/io/output/report.h"
#include "sim/io/textfile.h"
#include "sim/io/yemit.h"
#include "sim/io/ytree.h"

static void test_base64(void **state)
{
    (void)state;
    /* The test vectors of RFC 4648, section 10. */
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *b = report_base64((const unsigned char *)in[i], strlen(in[i]));
        assert_string_equal(b, out[i]);
        free(b);
    }
    const unsigned char bin[] = {0xff, 0x00, 0xfe};
    char *b = report_base64(bin, 3);
    assert_string_equal(b, "/wD+");
    free(b);
}

static void test_yemit_round_trip(void **state)
{
    (void)state;
    struct diag d;
    diag_clear(&d);
    const char *src = testutil_write_temp("in.yaml", "a: {cpu: \"8\", n: 8}\n"
                                                     "list: [x, 'y z', \"\"]\n"
                                                     "text: \"line\\nnext: #\"\n");
    struct ytree *t = ytree_load_file(src, &d);
    assert_non_null(t);
    const char *out = testutil_write_temp("out.yaml", "");
    assert_int_equal(yemit_file(t->docs[0], "# saved\n", out, &d), 0);
    char *text = textfile_read(out, NULL, &d);
    assert_string_equal(text, "# saved\n"
                              "a:\n"
                              "  cpu: \"8\"\n"
                              "  n: 8\n"
                              "list:\n"
                              "- x\n"
                              "- \"y z\"\n"
                              "- \"\"\n"
                              "text: \"line\\nnext: #\"\n");
    free(text);
    /* And it reads back the same: the quoted "8" is still not plain. */
    struct ytree *back = ytree_load_file(out, &d);
    assert_non_null(back);
    const struct ynode *cpu = ynode_get(ynode_get(back->docs[0], "a"), "cpu");
    assert_string_equal(cpu->str, "8");
    assert_false(cpu->plain);
    assert_true(ynode_get(ynode_get(back->docs[0], "a"), "n")->plain);
    assert_string_equal(ynode_get(back->docs[0], "text")->str, "line\nnext: #");
    ytree_free(back);
    ytree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_yemit_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
