/* Unit tests for views/yaml.c: JSON → YAML the way kubectl prints it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "views/yaml.h"

/* Converts JSON text and compares with the expected YAML. */
static void check(const char *json, const char *expected)
{
    char *yaml = yaml_from_json_text(json, strlen(json));
    assert_non_null(yaml);
    if (strcmp(yaml, expected) != 0)
        print_error("JSON:\n%s\nGOT:\n%s\nWANT:\n%s\n", json, yaml, expected);
    assert_string_equal(yaml, expected);
    free(yaml);
}

static void test_scalars_and_nesting(void **state)
{
    (void)state;
    check("{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":null,\"e\":false,\"f\":1.5,\"g\":-3}",
          "a: 1\nb: x\nc: true\nd: null\ne: false\nf: 1.5\ng: -3\n");
    check("{\"metadata\":{\"name\":\"prod1\",\"labels\":{\"app\":\"etcd\"}}}",
          "metadata:\n  name: prod1\n  labels:\n    app: etcd\n");
    /* keys stay in object order (not sorted) */
    check("{\"z\":1,\"a\":2}", "z: 1\na: 2\n");
    check("\"just a string\"", "just a string\n");
    check("42", "42\n");
    check("1e+300", "1e+300\n");
    check("0.1", "0.1\n");
}

static void test_arrays(void **state)
{
    (void)state;
    /* sequences sit at their key's indent, like kubectl */
    check("{\"finalizers\":[\"a\",\"b\"]}", "finalizers:\n- a\n- b\n");
    check("{\"status\":{\"conditions\":[{\"type\":\"Available\",\"status\":\"True\"},{\"type\":\"Degraded\","
          "\"status\":\"False\"}]}}",
          "status:\n  conditions:\n  - type: Available\n    status: \"True\"\n  - type: Degraded\n    status: \"False\"\n");
    check("[[1,2],[3]]", "- - 1\n  - 2\n- - 3\n");
    check("[{\"a\":{\"b\":[1]}}]", "- a:\n    b:\n    - 1\n");
    check("{\"x\":[{\"w\":[{\"z\":1}]}]}", "x:\n- w:\n  - z: 1\n");
    /* "y" is a YAML 1.1 boolean: go-yaml (and so kubectl) quotes it even as a key */
    check("{\"y\":1}", "\"y\": 1\n");
}

static void test_empty_containers(void **state)
{
    (void)state;
    check("{}", "{}\n");
    check("[]", "[]\n");
    check("{\"a\":{},\"b\":[],\"c\":[{}],\"d\":[[]]}", "a: {}\nb: []\nc:\n- {}\nd:\n- []\n");
}

static void test_quoting(void **state)
{
    (void)state;
    /* strings that would read back as something else are double-quoted */
    check("{\"a\":\"true\",\"b\":\"123\",\"c\":\"null\",\"d\":\"\",\"e\":\"yes\",\"f\":\"1.5\",\"g\":\"0x1F\",\"h\":\"~\"}",
          "a: \"true\"\nb: \"123\"\nc: \"null\"\nd: \"\"\ne: \"yes\"\nf: \"1.5\"\ng: \"0x1F\"\nh: \"~\"\n");
    check("{\"t\":\"2026-05-02T10:11:40Z\",\"d\":\"2026-05-02\",\"s\":\"1:20\",\"o\":\"Off\",\"i\":\".inf\"}",
          "t: \"2026-05-02T10:11:40Z\"\nd: \"2026-05-02\"\ns: \"1:20\"\no: \"Off\"\ni: \".inf\"\n");
    /* versions, images and names stay plain */
    check("{\"v\":\"4.19.3\",\"i\":\"quay.io/ocp-release:4.19.3-multi\",\"u\":\"https://x.example/a?b=c\"}",
          "v: 4.19.3\ni: quay.io/ocp-release:4.19.3-multi\nu: https://x.example/a?b=c\n");
    /* strings that would not parse as plain get single quotes */
    check("{\"a\":\"a: b\",\"b\":\" lead\",\"c\":\"trail \",\"d\":\"#x\",\"e\":\"x #y\",\"f\":\"- item\","
          "\"g\":\"it's\",\"h\":\"*star\",\"i\":\"end:\",\"j\":\"{flow}\",\"k\":\"@at\"}",
          "a: 'a: b'\nb: ' lead'\nc: 'trail '\nd: '#x'\ne: 'x #y'\nf: '- item'\ng: it's\nh: '*star'\n"
          "i: 'end:'\nj: '{flow}'\nk: '@at'\n");
    check("{\"q\":\"'quoted'\"}", "q: '''quoted'''\n");
    check("{\"a\":\"x#y\",\"b\":\"a:b\",\"c\":\"-x\"}", "a: x#y\nb: a:b\nc: -x\n");
    /* keys are quoted by the same rules */
    check("{\"true\":1,\"a: b\":2,\"hypershift.openshift.io/x\":3}",
          "\"true\": 1\n'a: b': 2\nhypershift.openshift.io/x: 3\n");
}

static void test_multiline(void **state)
{
    (void)state;
    check("{\"m\":\"line1\\nline2\\n\"}", "m: |\n  line1\n  line2\n");
    check("{\"m\":\"line1\\nline2\"}", "m: |-\n  line1\n  line2\n");
    check("{\"m\":\"a\\n\\nb\\n\\n\"}", "m: |+\n  a\n\n  b\n\n");
    check("{\"s\":{\"m\":\"x\\n  y\"}}", "s:\n  m: |-\n    x\n      y\n");
    check("[\"a\\nb\"]", "- |-\n  a\n  b\n");
    /* a block cannot keep a leading space or trailing spaces: double quotes then */
    check("{\"m\":\" a\\nb\"}", "m: \" a\\nb\"\n");
    check("{\"m\":\"a \\nb\"}", "m: \"a \\nb\"\n");
    /* a key with a newline is double-quoted */
    check("{\"a\\nb\":1}", "\"a\\nb\": 1\n");
}

static void test_unicode_and_controls(void **state)
{
    (void)state;
    check("{\"u\":\"caf\\u00e9 \\u2192 \\ud83d\\ude00\"}", "u: caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\n");
    /* control characters, ESC, DEL, C1 and bidi overrides are escaped in double quotes */
    check("{\"e\":\"evil\\u001b[2J\\u0007\"}", "e: \"evil\\e[2J\\a\"\n");
    check("{\"t\":\"a\\tb\",\"r\":\"a\\rb\",\"d\":\"x\\u007f\",\"c\":\"\\u0085\",\"b\":\"\\u202e\"}",
          "t: \"a\\tb\"\nr: \"a\\rb\"\nd: \"x\\x7F\"\nc: \"\\x85\"\nb: \"\\u202E\"\n");
    check("{\"q\":\"say \\\"hi\\\" \\\\ \\u0001\"}", "q: \"say \\\"hi\\\" \\\\ \\x01\"\n");
    /* a newline among control characters: no block, one escaped line */
    check("{\"m\":\"a\\n\\u001b\"}", "m: \"a\\n\\e\"\n");
}

static void test_invalid_utf8_bytes(void **state)
{
    (void)state;
    /* cJSON passes raw bytes through: they must come out escaped, never raw */
    const char json[] = "{\"x\":\"a\xff\xc3(b\"}";
    char *yaml = yaml_from_json_text(json, sizeof json - 1);
    assert_non_null(yaml);
    assert_string_equal(yaml, "x: \"a\\xFF\\xC3(b\"\n");
    free(yaml);
}

static void test_not_json(void **state)
{
    (void)state;
    assert_null(yaml_from_json_text("{not json", 9));
    assert_null(yaml_from_json_text(NULL, 0));
    buf b = BUF_INIT;
    yaml_from_json(NULL, &b);
    assert_string_equal(buf_str(&b), "null\n");
    buf_free(&b);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    /* deep but legal nesting converts without trouble */
    buf j = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_puts(&j, "{\"k\":");
    buf_puts(&j, "1");
    for (int i = 0; i < 200; i++)
        buf_putc(&j, '}');
    char *yaml = yaml_from_json_text(j.data, j.len);
    assert_non_null(yaml);
    assert_non_null(strstr(yaml, "k: 1\n"));
    assert_int_equal(strncmp(yaml, "k:\n  k:\n", 8), 0);
    free(yaml);
    buf_free(&j);
}

/* Valid UTF-8 with no control character but newline, DEL or C1: safe to print. */
static bool output_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
                return false;
            p++;
            continue;
        }
        int len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0)
            return false;
        unsigned cp = *p & (0x7F >> len);
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp >= 0x80 && cp <= 0x9F)
            return false;
        p += len;
    }
    return true;
}

/* Random bytes in keys and values: the YAML is always clean text, never raw controls or bad UTF-8. */
static void test_random_bytes(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int round = 0; round < 500; round++) {
        cJSON *root = cJSON_CreateObject();
        for (int k = 0; k < 4; k++) {
            char key[16], val[64];
            for (size_t i = 0; i < sizeof key - 1; i++) {
                seed = seed * 1103515245u + 12345u;
                key[i] = (char)(1 + (seed >> 16) % 255);
            }
            key[sizeof key - 1] = '\0';
            for (size_t i = 0; i < sizeof val - 1; i++) {
                seed = seed * 1103515245u + 12345u;
                val[i] = (char)(1 + (seed >> 16) % 255);
            }
            val[sizeof val - 1] = '\0';
            cJSON *arr = cJSON_AddArrayToObject(root, key);
            cJSON_AddItemToArray(arr, cJSON_CreateString(val));
        }
        buf out = BUF_INIT;
        yaml_from_json(root, &out);
        if (!output_is_clean(buf_str(&out)))
            fail_msg("round %d produced unclean YAML:\n%s", round, buf_str(&out));
        buf_free(&out);
        cJSON_Delete(root);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars_and_nesting), cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_empty_containers),    cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_multiline),           cmocka_unit_test(test_unicode_and_controls),
        cmocka_unit_test(test_invalid_utf8_bytes),  cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_deep_nesting),       cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
