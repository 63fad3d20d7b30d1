/* The simulator's JSON reader: Go's rules over cJSON (lone surrogates and bad UTF-8 become U+FFFD,
 * \u0000 in a string is refused rather than cut short, raw control characters are refused), and
 * hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "sim/jsonread.h"

#define FFFD "\xEF\xBF\xBD"

/* The string at "a" of body as read, into out; the read's verdict. */
static sim_json_error read_a(const char *body, size_t len, char *out, size_t outlen)
{
    sim_json_error why = SIM_JSON_OK;
    cJSON *j = sim_json_read(body, len, &why);
    out[0] = '\0';
    if (j) {
        const char *a = json_str_at(j, "a", NULL);
        snprintf(out, outlen, "%s", a ? a : "<none>");
    }
    assert_true((j != NULL) == (why == SIM_JSON_OK));
    cJSON_Delete(j);
    return why;
}

static void test_surrogates_as_go_reads_them(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"{\"a\":\"\\ud800\"}", FFFD},
        {"{\"a\":\"x\\uD800y\"}", "x" FFFD "y"},
        {"{\"a\":\"\\udc00\"}", FFFD},                       /* a low one alone */
        {"{\"a\":\"\\ud800\\u0041\"}", FFFD "A"},            /* high, then not a low one */
        {"{\"a\":\"\\ud83d\\ude00\"}", "\xF0\x9F\x98\x80"},   /* a pair: U+1F600 */
        {"{\"a\":\"\\ud800\\ud800\\udc00\"}", FFFD "\xF0\x90\x80\x80"},
        {"{\"a\":\"\\ud800\\\\udc00\"}", FFFD "\\udc00"},    /* an escaped backslash is not an escape */
        {"{\"a\":\"q\\\"\\ud800\"}", "q\"" FFFD},             /* an escaped quote does not end the string */
        {"{\"a\":\"\\u00e9\\u20ac\"}", "\xC3\xA9\xE2\x82\xAC"},
        {"{\"\\ud800\":1,\"a\":\"k\"}", "k"},                 /* keys are strings too */
    };
    char got[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(read_a(cases[i].in, strlen(cases[i].in), got, sizeof got), SIM_JSON_OK);
        assert_string_equal(got, cases[i].want);
    }
    /* the replacement survives a round trip through the printer */
    cJSON *j = sim_json_read("{\"a\":\"\\ud800\"}", 14, NULL);
    char *txt = cJSON_PrintUnformatted(j);
    assert_string_equal(txt, "{\"a\":\"" FFFD "\"}");
    free(txt);
    cJSON_Delete(j);
}

static void test_bad_utf8_becomes_replacement(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"{\"a\":\"\xff\"}", FFFD},
        {"{\"a\":\"x\xC0\x80y\"}", "x" FFFD FFFD "y"},         /* overlong NUL */
        {"{\"a\":\"\xED\xA0\x80\"}", FFFD FFFD FFFD},          /* a surrogate in UTF-8 */
        {"{\"a\":\"\xE2\x82\"}", FFFD FFFD},                   /* cut short by the quote */
        {"{\"a\":\"\xF4\x90\x80\x80\"}", FFFD FFFD FFFD FFFD}, /* above U+10FFFF */
        {"{\"a\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}", "caf\xC3\xA9 \xF0\x9F\x98\x80"},
    };
    char got[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(read_a(cases[i].in, strlen(cases[i].in), got, sizeof got), SIM_JSON_OK);
        assert_string_equal(got, cases[i].want);
    }
}

/* At each boundary of strict UTF-8 the reader keeps what Go keeps and replaces, byte by byte, what Go
 * replaces. */
static void test_utf8_boundaries_as_go_reads_them(void **state)
{
    (void)state;
    static const char *kept[] = {
        "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
    };
    static const struct {
        const char *in, *want;
    } replaced[] = {
        {"\xC1\xBF", FFFD FFFD},                           /* overlong U+007F */
        {"\xE0\x9F\xBF", FFFD FFFD FFFD},                  /* overlong U+07FF */
        {"\xF0\x8F\xBF\xBF", FFFD FFFD FFFD FFFD},         /* overlong U+FFFF */
        {"\xED\xBF\xBF", FFFD FFFD FFFD},                  /* U+DFFF */
        {"\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD},         /* U+110000 */
        {"\x80x\xBF", FFFD "x" FFFD},                      /* lone continuation bytes */
        {"\xF5\x80", FFFD FFFD},
        {"a\xF0\x9F\x98" "b", "a" FFFD FFFD FFFD "b"},     /* cut short after 3 of 4 bytes */
        {"\xF0\x9F", FFFD FFFD},                           /* cut short by the closing quote */
    };
    char body[64], got[64];
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        int n = snprintf(body, sizeof body, "{\"a\":\"%s\"}", kept[i]);
        assert_int_equal(read_a(body, (size_t)n, got, sizeof got), SIM_JSON_OK);
        assert_string_equal(got, kept[i]);
    }
    for (size_t i = 0; i < sizeof replaced / sizeof replaced[0]; i++) {
        int n = snprintf(body, sizeof body, "{\"a\":\"%s\"}", replaced[i].in);
        assert_int_equal(read_a(body, (size_t)n, got, sizeof got), SIM_JSON_OK);
        assert_string_equal(got, replaced[i].want);
    }
}

static void test_nul_refused_not_truncated(void **state)
{
    (void)state;
    char got[64];
    assert_int_equal(read_a("{\"a\":\"b\\u0000c\"}", 16, got, sizeof got), SIM_JSON_NUL);
    assert_int_equal(read_a("{\"\\u0000\":\"c\"}", 14, got, sizeof got), SIM_JSON_NUL);
    /* a raw NUL byte inside a string is a control character: not JSON at all */
    static const char raw[] = "{\"a\":\"b\0c\"}";
    assert_int_equal(read_a(raw, sizeof raw - 1, got, sizeof got), SIM_JSON_INVALID);
    /* an escaped backslash followed by u0000 is text, not a NUL */
    assert_int_equal(read_a("{\"a\":\"\\\\u0000\"}", 15, got, sizeof got), SIM_JSON_OK);
    assert_string_equal(got, "\\u0000");
}

static void test_invalid_documents(void **state)
{
    (void)state;
    static const char *bad[] = {
        "{\"a\":\"tab\there\"}", /* raw control character in a string */
        "{\"a\":\"line\nbreak\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\uZZZZ\"}",
        "{\"a\":\"\\u00",
        "{\"a\":\"\\",
        "{\"a\":\"open",
        "{}{}",
        "{} x",
        "",
        "   ",
        "\"\\ud800",
        "{\"a\":\"\\q\"}",
    };
    char got[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(read_a(bad[i], strlen(bad[i]), got, sizeof got), SIM_JSON_INVALID);
    assert_null(sim_json_read(NULL, 3, NULL));
    /* white space around the document, and tabs outside strings, are fine */
    assert_int_equal(read_a("\t{ \"a\" :\t\"v\" }\r\n", 16, got, sizeof got), SIM_JSON_OK);
    assert_string_equal(got, "v");
    /* only len bytes count */
    assert_int_equal(read_a("{\"a\":\"v\"}garbage", 9, got, sizeof got), SIM_JSON_OK);
}

/* Random bytes and random cuts of a tricky document: never a crash, never a read past len. */
static void test_hostile_bytes(void **state)
{
    (void)state;
    const char *doc = "{\"a\":\"\\ud800\\udc00\xE2\x82\xAC\\u0041\\\\\\\"\",\"b\":[1,{\"c\":\"\\udbff\"}]}";
    size_t n = strlen(doc);
    for (size_t cut = 0; cut <= n; cut++) {
        char *copy = malloc(cut ? cut : 1); /* exactly cut bytes: ASan sees any over-read */
        memcpy(copy, doc, cut);
        cJSON_Delete(sim_json_read(copy, cut, NULL));
        free(copy);
    }
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 40) + 1;
        char *p = malloc(len);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            static const char alphabet[] = "{}[]\":,\\u0dD8cCfF \x80\xff\xed\xc3\xf4";
            p[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        cJSON_Delete(sim_json_read(p, len, NULL));
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surrogates_as_go_reads_them), cmocka_unit_test(test_bad_utf8_becomes_replacement),
        cmocka_unit_test(test_utf8_boundaries_as_go_reads_them),
        cmocka_unit_test(test_nul_refused_not_truncated),   cmocka_unit_test(test_invalid_documents),
        cmocka_unit_test(test_hostile_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
