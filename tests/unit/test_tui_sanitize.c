/* Unit tests for tui/sanitize: hostile cluster strings must never reach the terminal as controls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tui/sanitize.h"

static char out[4096];

static const char *san(const char *in, int width)
{
    sanitize_text(in, out, sizeof out, width, 0);
    return out;
}

static const char *san_ascii(const char *in, int width)
{
    sanitize_text(in, out, sizeof out, width, SAN_ASCII);
    return out;
}

/* No byte below 0x20, no DEL, no UTF-8-encoded C1, and valid UTF-8 throughout. */
static void assert_harmless(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; p[i]; i++) {
        assert_true(p[i] >= 0x20);
        assert_true(p[i] != 0x7F);
        if (p[i] == 0xC2 && p[i + 1])
            assert_false(p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
    }
    assert_true(mbstowcs(NULL, s, 0) != (size_t)-1);
}

static void test_plain_text_unchanged(void **state)
{
    (void)state;
    assert_string_equal(san("cluster-a", -1), "cluster-a");
    assert_string_equal(san("", -1), "");
    assert_string_equal(san(NULL, -1), "");
    assert_string_equal(san("4.17.3 → 4.18.1", -1), "4.17.3 → 4.18.1");
    assert_string_equal(san("  indented yaml: x", -1), "  indented yaml: x");
}

static void test_csi_consumed_whole(void **state)
{
    (void)state;
    assert_string_equal(san("a\x1b[2Jb", -1), "ab");
    assert_string_equal(san("\x1b[1;31mred\x1b[0m", -1), "red");
    assert_string_equal(san("x\x1b[?1049hy", -1), "xy");
    /* 7-bit reset and charset selection */
    assert_string_equal(san("a\x1b" "cb\x1b(Bc", -1), "abc");
    assert_harmless(san("\x1b[", -1));
    assert_string_equal(san("end\x1b", -1), "end");
}

static void test_osc_dcs_consumed_whole(void **state)
{
    (void)state;
    /* OSC 52 would write the user's clipboard; OSC 0 would set the window title. */
    assert_string_equal(san("a\x1b]52;c;ZXZpbA==\x07" "b", -1), "ab");
    assert_string_equal(san("a\x1b]0;pwned\x1b\\b", -1), "ab");
    assert_string_equal(san("a\x1bPq#0;2;0;0;0\x1b\\b", -1), "ab");
    assert_string_equal(san("a\x1b_apc\x1b\\b", -1), "ab");
    /* unterminated: everything after the introducer is swallowed */
    assert_string_equal(san("a\x1b]52;c;AAAA", -1), "a");
}

static void test_c1_controls(void **state)
{
    (void)state;
    /* U+009B (CSI) as UTF-8: a UTF-8 terminal would act on it. */
    assert_string_equal(san("a\xc2\x9b" "2Jb", -1), "ab");
    assert_string_equal(san("a\xc2\x9d" "52;c;QQ==\xc2\x9c" "b", -1), "ab");
    assert_string_equal(san("a\xc2\x85" "b", -1), "ab");
    /* a raw 8-bit C1 byte is invalid UTF-8: it becomes U+FFFD, never a raw 0x9B */
    const char *s = san("a\x9b" "2Jb", -1);
    assert_string_equal(s, "a\xef\xbf\xbd" "2Jb");
    assert_harmless(s);
    assert_string_equal(san_ascii("a\x9b" "2Jb", -1), "a?2Jb");
}

static void test_c0_and_whitespace(void **state)
{
    (void)state;
    assert_string_equal(san("a\tb\nc\r\nd", -1), "a b c d");
    assert_string_equal(san("\n\nlead", -1), "lead");
    assert_string_equal(san("trail\n", -1), "trail");
    assert_string_equal(san("a\bb\x07" "c\x7f" "d\x01", -1), "abcd");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* overlong encodings of '/' and NUL, a surrogate, beyond U+10FFFF, truncated sequence */
    const char *cases[] = {"\xc0\xaf", "\xe0\x80\xaf", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                           "\xe2\x82", "\xff\xfe", "\xf8\x88\x80\x80\x80"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = san(cases[i], -1);
        assert_harmless(s);
        assert_null(strchr(s, '/'));
        assert_non_null(strstr(s, "\xef\xbf\xbd"));
    }
    assert_string_equal(san_ascii("\xc0\xaf" "x", -1), "??x");
}

/* Each byte that starts no valid sequence becomes one U+FFFD of width 1, and the bytes after it are
 * read afresh, so a cut-short character cannot swallow the text that follows. */
static void test_invalid_utf8_replaced_byte_by_byte(void **state)
{
    (void)state;
#define R "\xef\xbf\xbd"
    static const struct {
        const char *in, *want;
        int width;
    } cases[] = {
        {"\x80x\xbf", R "x" R, 3},                    /* lone continuation bytes */
        {"\xf0\x8f\xbf\xbf", R R R R, 4},             /* overlong U+FFFF */
        {"\xed\xbf\xbf", R R R, 3},                   /* U+DFFF */
        {"a\xf0\x9f\x98" "b", "a" R R R "b", 5},      /* 3 of 4 bytes, then ASCII */
        {"\xe2\x82" "\xe2\x82\xac", R R "\xe2\x82\xac", 3}, /* cut short, then a whole euro sign */
        {"\xc2\xa9 \xf0\x9f\x98\x80", "\xc2\xa9 \xf0\x9f\x98\x80", 4}, /* valid: kept */
    };
#undef R
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(san(cases[i].in, -1), cases[i].want);
        assert_int_equal(text_width(cases[i].in, 0), cases[i].width);
    }
}

static void test_bidi_overrides_dropped(void **state)
{
    (void)state;
    /* RLO ... PDF, and isolates: "admin" must not be displayed reversed */
    assert_string_equal(san("ab\xe2\x80\xae" "cd\xe2\x80\xac", -1), "abcd");
    assert_string_equal(san("\xe2\x81\xa6x\xe2\x81\xa9", -1), "x");
    assert_string_equal(san("\xe2\x80\x8fy", -1), "y");
}

static void test_truncation_with_ellipsis(void **state)
{
    (void)state;
    san_result r = sanitize_text("hostedcluster", out, sizeof out, 8, 0);
    assert_string_equal(out, "hostedc\xe2\x80\xa6");
    assert_int_equal(r.width, 8);
    assert_true(r.truncated);
    r = sanitize_text("exactly8", out, sizeof out, 8, 0);
    assert_string_equal(out, "exactly8");
    assert_false(r.truncated);
    assert_string_equal(san_ascii("hostedcluster", 8), "hostedc~");
    assert_string_equal(san("abc", 0), "");
    assert_string_equal(san("abc", 1), "\xe2\x80\xa6");
    /* escape sequences do not count toward the width */
    assert_string_equal(san("\x1b[31mabcdef\x1b[0m", 6), "abcdef");
}

static void test_wide_chars_at_the_cut(void **state)
{
    (void)state;
    /* each CJK character is two columns */
    san_result r = sanitize_text("日本語テキスト", out, sizeof out, 6, 0);
    assert_true(r.truncated);
    assert_true(r.width <= 6);
    assert_string_equal(out, "日本\xe2\x80\xa6");
    assert_int_equal(r.width, 5);
    r = sanitize_text("日本語", out, sizeof out, 6, 0);
    assert_false(r.truncated);
    assert_int_equal(r.width, 6);
    r = sanitize_text("a日本語", out, sizeof out, 6, 0);
    assert_int_equal(r.width, 6);
    assert_string_equal(out, "a日本\xe2\x80\xa6");
    assert_int_equal(text_width("日本a", 0), 5);
    assert_string_equal(san_ascii("日本", -1), "??");
}

static void test_buffer_limit(void **state)
{
    (void)state;
    char small[8];
    san_result r = sanitize_text("abcdefghijklmnop", small, sizeof small, -1, 0);
    assert_true(r.truncated);
    assert_true(r.bytes < sizeof small);
    assert_string_equal(small, "abcd\xe2\x80\xa6");
    /* never split a multi-byte character */
    r = sanitize_text("ééééééé", small, sizeof small, -1, 0);
    assert_true(mbstowcs(NULL, small, 0) != (size_t)-1);
    char one[1];
    r = sanitize_text("abc", one, 1, -1, 0);
    assert_string_equal(one, "");
}

static void test_one_megabyte_string(void **state)
{
    (void)state;
    size_t n = 1u << 20;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (i % 97 == 0) ? '\x1b' : (char)('a' + i % 26);
    big[n] = '\0';
    san_result r = sanitize_text(big, out, sizeof out, 40, 0);
    assert_true(r.truncated);
    assert_int_equal(r.width, 40);
    assert_harmless(out);
    r = sanitize_text(big, out, sizeof out, -1, 0);
    assert_true(r.truncated);
    assert_true(r.bytes < sizeof out);
    assert_harmless(out);
    free(big);
}

static void test_ascii_stand_ins(void **state)
{
    (void)state;
    assert_string_equal(san_ascii("4.16 \xe2\x86\x92 4.17 \xe2\x80\x94 \xe2\x80\x9cok\xe2\x80\x9d\xe2\x80\xa6", -1),
                        "4.16 -> 4.17 -- \"ok\"...");
    assert_string_equal(san_ascii("\xe2\x8f\xb8 paused", -1), "|| paused");
    /* a stand-in is cut whole, never half */
    san_result r = sanitize_text("ab\xe2\x86\x92", out, sizeof out, 3, SAN_ASCII);
    assert_true(r.width <= 3);
    assert_string_equal(out, "ab~");
}

/* Random bytes, weighted toward the dangerous ones: the output is always harmless, valid UTF-8,
 * within the width and the buffer. (A small deterministic fuzz: same seed, same inputs.) */
static void test_random_bytes(void **state)
{
    (void)state;
    static const unsigned char spicy[] = {0x1b, '[', ']', 'P', '\\', 0x07, 0x9b, 0xc2, 0x9c, 0xe2, 0x80, 0xae,
                                          0xff, 0xc0, 0xed, 0xf4, 0x90, '\n', '\t', 0x7f, 0xe6, 0x97, 0xa5};
    uint64_t seed = 42;
    char in[300];
    char small[32];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t n = (size_t)(seed >> 33) % sizeof in;
        for (; len < n; len++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(seed >> 33);
            in[len] = (char)((r & 1) ? spicy[(r >> 1) % sizeof spicy] : (unsigned char)(r >> 8));
        }
        int width = (int)(seed >> 40) % 40 - 1; /* -1 (unlimited) .. 38 */
        san_result r = sanitize_mem(in, len, out, sizeof out, width, (round & 1) ? SAN_ASCII : 0);
        assert_harmless(out);
        assert_true(r.bytes == strlen(out));
        assert_true(width < 0 || r.width <= width);
        assert_int_equal(text_width(out, 0), r.width);
        r = sanitize_mem(in, len, small, sizeof small, -1, 0);
        assert_true(r.bytes < sizeof small);
        assert_harmless(small);
    }
}

static void test_embedded_nul_ends_text(void **state)
{
    (void)state;
    san_result r = sanitize_mem("ab\0\x1b[2J", 7, out, sizeof out, -1, 0);
    assert_string_equal(out, "ab");
    assert_int_equal(r.bytes, 2);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged),  cmocka_unit_test(test_csi_consumed_whole),
        cmocka_unit_test(test_osc_dcs_consumed_whole), cmocka_unit_test(test_c1_controls),
        cmocka_unit_test(test_c0_and_whitespace),     cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_invalid_utf8_replaced_byte_by_byte),
        cmocka_unit_test(test_bidi_overrides_dropped), cmocka_unit_test(test_truncation_with_ellipsis),
        cmocka_unit_test(test_wide_chars_at_the_cut), cmocka_unit_test(test_buffer_limit),
        cmocka_unit_test(test_one_megabyte_string),   cmocka_unit_test(test_embedded_nul_ends_text),
        cmocka_unit_test(test_ascii_stand_ins),       cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
