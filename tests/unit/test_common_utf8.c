/* Unit tests for common/utf8: the strict decoder at every boundary, and the encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"

/* Decodes exactly the n bytes of s from a heap copy of that size, so that AddressSanitizer catches
 * any read past len. */
static size_t decode_exact(const char *s, size_t n, uint32_t *cp)
{
    unsigned char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, s, n);
    size_t used = utf8_decode(copy, n, cp);
    free(copy);
    return used;
}

static void assert_valid(const char *s, size_t n, uint32_t want)
{
    uint32_t cp = 0;
    assert_int_equal(decode_exact(s, n, &cp), n);
    assert_int_equal(cp, want);
}

static void assert_invalid(const char *s, size_t n)
{
    uint32_t cp = 0;
    assert_int_equal(decode_exact(s, n, &cp), 1);
    assert_int_equal(cp, UTF8_INVALID);
}

/* A reference written differently from the decoder: read the lead byte's length and the payload
 * bits loosely, then judge the value (shortest form, no surrogate, at most U+10FFFF). */
static int reference_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    static const struct {
        unsigned char mask, bits;
        int n;
        uint32_t min;
    } forms[] = {{0x80, 0x00, 1, 0}, {0xE0, 0xC0, 2, 0x80}, {0xF0, 0xE0, 3, 0x800}, {0xF8, 0xF0, 4, 0x10000}};
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        if ((s[0] & forms[f].mask) != forms[f].bits)
            continue;
        int n = forms[f].n;
        if (len < (size_t)n)
            return -1;
        uint32_t v = s[0] & (uint32_t)(~forms[f].mask & 0xFF);
        for (int i = 1; i < n; i++) {
            if (s[i] < 0x80 || s[i] > 0xBF)
                return -1;
            v = v << 6 | (s[i] & 0x3F);
        }
        if (v < forms[f].min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return -1;
        *cp = v;
        return n;
    }
    return -1;
}

static void assert_matches_reference(const unsigned char *s, size_t len)
{
    uint32_t want = 0, got = 0;
    int n = reference_decode(s, len, &want);
    size_t used = utf8_decode(s, len, &got);
    if (n < 0) {
        if (used != 1 || got != UTF8_INVALID)
            fail_msg("%02x %02x %02x %02x (len %zu): want invalid, got %zu bytes, U+%04X", s[0], s[1], s[2],
                     s[3], len, used, (unsigned)got);
    } else if (used != (size_t)n || got != want) {
        fail_msg("%02x %02x %02x %02x (len %zu): want U+%04X in %d bytes, got U+%04X in %zu", s[0], s[1],
                 s[2], s[3], len, (unsigned)want, n, (unsigned)got, used);
    }
}

static void test_boundaries(void **state)
{
    (void)state;
    assert_valid("\x00", 1, 0x00);
    assert_valid("\x7F", 1, 0x7F);
    assert_valid("\xC2\x80", 2, 0x80);
    assert_valid("\xDF\xBF", 2, 0x7FF);
    assert_valid("\xE0\xA0\x80", 3, 0x800);
    assert_valid("\xEF\xBF\xBF", 3, 0xFFFF);
    assert_valid("\xF0\x90\x80\x80", 4, 0x10000);
    assert_valid("\xF4\x8F\xBF\xBF", 4, 0x10FFFF);
    assert_invalid("\xF4\x90\x80\x80", 4); /* U+110000 */
    assert_invalid("\xF7\xBF\xBF\xBF", 4); /* U+1FFFFF */
    /* around the surrogates */
    assert_valid("\xED\x9F\xBF", 3, 0xD7FF);
    assert_invalid("\xED\xA0\x80", 3); /* U+D800 */
    assert_invalid("\xED\xAF\xBF", 3); /* U+DBFF */
    assert_invalid("\xED\xB0\x80", 3); /* U+DC00 */
    assert_invalid("\xED\xBF\xBF", 3); /* U+DFFF */
    assert_valid("\xEE\x80\x80", 3, 0xE000);
    assert_valid("\xEF\xBF\xBD", 3, 0xFFFD);
}

static void test_overlong_forms(void **state)
{
    (void)state;
    assert_invalid("\xC0\x80", 2); /* NUL */
    assert_invalid("\xC0\xAF", 2); /* '/' */
    assert_invalid("\xC1\xBF", 2); /* U+007F, the largest 2-byte overlong */
    assert_invalid("\xE0\x80\x80", 3);
    assert_invalid("\xE0\x80\xAF", 3); /* '/' */
    assert_invalid("\xE0\x9F\xBF", 3); /* U+07FF, the largest 3-byte overlong */
    assert_invalid("\xF0\x80\x80\x80", 4);
    assert_invalid("\xF0\x80\x80\xAF", 4); /* '/' */
    assert_invalid("\xF0\x8F\xBF\xBF", 4); /* U+FFFF, the largest 4-byte overlong */
    /* 5- and 6-byte forms are not UTF-8 at all */
    assert_invalid("\xF8\x88\x80\x80\x80", 5);
    assert_invalid("\xFC\x84\x80\x80\x80\x80", 6);
}

static void test_bytes_that_lead_nothing(void **state)
{
    (void)state;
    for (unsigned b = 0x80; b <= 0xBF; b++) { /* lone continuation bytes */
        char s[2] = {(char)b, (char)0x80};
        assert_invalid(s, 1);
        assert_invalid(s, 2);
    }
    for (unsigned b = 0xF5; b <= 0xFF; b++) {
        char s[4] = {(char)b, (char)0x80, (char)0x80, (char)0x80};
        assert_invalid(s, 4);
    }
    assert_invalid("\xFE\xFF", 2); /* a UTF-16 byte order mark read as UTF-8 */
}

static void test_truncated_at_every_position(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        uint32_t cp;
    } seqs[] = {
        {"\xC2\x80", 2, 0x80},          {"\xDF\xBF", 2, 0x7FF},          {"\xE0\xA0\x80", 3, 0x800},
        {"\xE2\x82\xAC", 3, 0x20AC},    {"\xED\x9F\xBF", 3, 0xD7FF},     {"\xEF\xBF\xBF", 3, 0xFFFF},
        {"\xF0\x90\x80\x80", 4, 0x10000}, {"\xF0\x9F\x98\x80", 4, 0x1F600}, {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},
    };
    static const unsigned char breakers[] = {0x00, 0x41, 0x7F, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        size_t n = seqs[i].n;
        assert_valid(seqs[i].s, n, seqs[i].cp);
        for (size_t k = 1; k < n; k++) {
            assert_invalid(seqs[i].s, k); /* the input ends after k bytes */
            for (size_t b = 0; b < sizeof breakers; b++) { /* a byte that continues nothing at k */
                char s[4];
                memcpy(s, seqs[i].s, n);
                s[k] = (char)breakers[b];
                assert_invalid(s, n);
            }
        }
    }
}

static void test_resynchronises_after_a_bad_byte(void **state)
{
    (void)state;
    /* "\xE2\x82" cut short by 'A': each bad byte is one step, then 'A' reads as itself */
    const unsigned char s[] = {0xE2, 0x82, 'A', 0xE2, 0x82, 0xAC};
    uint32_t cps[4], cp;
    size_t steps = 0, i = 0;
    while (i < sizeof s) {
        i += utf8_decode(s + i, sizeof s - i, &cp);
        assert_true(steps < 4);
        cps[steps++] = cp;
    }
    assert_int_equal(steps, 4);
    assert_int_equal(cps[0], UTF8_INVALID);
    assert_int_equal(cps[1], UTF8_INVALID);
    assert_int_equal(cps[2], 'A');
    assert_int_equal(cps[3], 0x20AC);
}

static void test_empty_input(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(utf8_decode((const unsigned char *)"", 0, &cp), 0);
    assert_int_equal(cp, UTF8_INVALID);
}

/* Every 1- and 2-byte input, every 3-byte input with a 3-byte lead, and 4-byte inputs over every
 * lead and second byte, against the reference. */
static void test_agrees_with_reference(void **state)
{
    (void)state;
    unsigned char s[4] = {0};
    for (unsigned a = 0; a < 256; a++) {
        s[0] = (unsigned char)a;
        s[1] = s[2] = s[3] = 0;
        assert_matches_reference(s, 1);
        for (unsigned b = 0; b < 256; b++) {
            s[1] = (unsigned char)b;
            assert_matches_reference(s, 2);
        }
    }
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned b = 0; b < 256; b++)
            for (unsigned c = 0; c < 256; c++) {
                s[0] = (unsigned char)a, s[1] = (unsigned char)b, s[2] = (unsigned char)c;
                assert_matches_reference(s, 3);
            }
    static const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xA0, 0xBF, 0xC0, 0xFF};
    for (unsigned a = 0xF0; a <= 0xFF; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t c = 0; c < sizeof tails; c++)
                for (size_t d = 0; d < sizeof tails; d++) {
                    s[0] = (unsigned char)a, s[1] = (unsigned char)b, s[2] = tails[c], s[3] = tails[d];
                    assert_matches_reference(s, 4);
                    assert_matches_reference(s, 3);
                }
}

static void test_encode_round_trips_every_scalar(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char enc[4];
        size_t n = utf8_encode(cp, enc);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (n != want)
            fail_msg("U+%04X encoded in %zu bytes, want %zu", (unsigned)cp, n, want);
        uint32_t back;
        if (utf8_decode((const unsigned char *)enc, n, &back) != n || back != cp)
            fail_msg("U+%04X does not decode back", (unsigned)cp);
    }
}

static void test_encode_non_scalars_as_replacement(void **state)
{
    (void)state;
    static const uint32_t bad[] = {0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 0x7FFFFFFF, UTF8_INVALID};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char enc[4];
        assert_int_equal(utf8_encode(bad[i], enc), 3);
        assert_memory_equal(enc, "\xEF\xBF\xBD", 3);
    }
    char enc[4];
    assert_int_equal(utf8_encode(0x20AC, enc), 3);
    assert_memory_equal(enc, "\xE2\x82\xAC", 3);
    assert_int_equal(utf8_encode(0x1F600, enc), 4);
    assert_memory_equal(enc, "\xF0\x9F\x98\x80", 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_overlong_forms),
        cmocka_unit_test(test_bytes_that_lead_nothing),
        cmocka_unit_test(test_truncated_at_every_position),
        cmocka_unit_test(test_resynchronises_after_a_bad_byte),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_agrees_with_reference),
        cmocka_unit_test(test_encode_round_trips_every_scalar),
        cmocka_unit_test(test_encode_non_scalars_as_replacement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
