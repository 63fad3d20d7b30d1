/* Unit tests for client/transport_lines: the splitter of watch streams, fed hostile splits (lines
 * across chunk boundaries, a line far over the limit, NUL bytes, no final newline, random cuts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "client/transport.h"
#include "client/transport_lines.h"
#include "common/buf.h"
#include "lines_fixture.h"

static void feed_str(transport_lines *ls, const char *s, collected *c)
{
    transport_lines_feed(ls, s, strlen(s), collect, c);
}

static void test_lines_partial_chunks(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    feed_str(&ls, "{\"type\":\"ADD", &c);
    assert_int_equal(c.n, 0);
    feed_str(&ls, "ED\"}\n{\"a\"", &c);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.lines[0], "{\"type\":\"ADDED\"}");
    feed_str(&ls, ":1}\nx\ny\n", &c);
    assert_int_equal(c.n, 4);
    assert_string_equal(c.lines[1], "{\"a\":1}");
    assert_string_equal(c.lines[3], "y");
    /* one byte at a time */
    const char *s = "hello\nworld\n";
    for (size_t i = 0; s[i]; i++)
        transport_lines_feed(&ls, s + i, 1, collect, &c);
    assert_int_equal(c.n, 6);
    assert_string_equal(c.lines[5], "world");
    transport_lines_finish(&ls, collect, &c);
    assert_int_equal(c.dropped, 0);
    transport_lines_free(&ls);
}

static void test_lines_crlf_and_empty(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    feed_str(&ls, "a\r\nb\r", &c);
    feed_str(&ls, "\n\n\r\n", &c);
    assert_int_equal(c.n, 4);
    assert_string_equal(c.lines[0], "a");
    assert_string_equal(c.lines[1], "b");
    assert_int_equal(c.lens[2], 0);
    assert_int_equal(c.lens[3], 0);
    transport_lines_free(&ls);
}

static void test_lines_nul_bytes(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    const char data[] = {'a', '\0', 'b', '\n', '\0', '\n'};
    transport_lines_feed(&ls, data, sizeof data, collect, &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.lens[0], 3);
    assert_memory_equal(c.lines[0], "a\0b", 3);
    assert_int_equal(c.lens[1], 1);
    transport_lines_free(&ls);
}

static void test_lines_giant_dropped(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 16);
    collected c = {0};
    /* a line of 40 bytes in three chunks, between two good ones */
    feed_str(&ls, "ok1\n0123456789012345", &c);
    feed_str(&ls, "6789012345678901", &c);
    feed_str(&ls, "23456789\nok2\n", &c);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.lines[0], "ok1");
    assert_string_equal(c.lines[1], "ok2");
    assert_int_equal(c.dropped, 1);
    assert_int_equal(c.dropped_bytes, 40);
    /* too long within one chunk */
    feed_str(&ls, "abcdefghijklmnopqrstuvwxyz\nok3\n", &c);
    assert_int_equal(c.dropped, 2);
    assert_int_equal(c.n, 3);
    /* exactly max is fine, and max with a CR too */
    feed_str(&ls, "0123456789abcdef\n0123456789ab", &c);
    feed_str(&ls, "cdef\r\n", &c);
    assert_int_equal(c.n, 5);
    assert_int_equal(c.lens[4], 16);
    /* the CR of a full-length line arrives before its LF, in another chunk */
    feed_str(&ls, "0123456789abcdef\r", &c);
    feed_str(&ls, "\n", &c);
    assert_int_equal(c.n, 6);
    assert_int_equal(c.lens[5], 16);
    assert_int_equal(c.dropped, 2);
    assert_true(ls.cap <= 4096); /* the buffer never grew with the giant line */
    transport_lines_free(&ls);
}

static void test_lines_truncated_tail_and_stop(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    feed_str(&ls, "one\n{\"type\":\"MODI", &c);
    transport_lines_finish(&ls, collect, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.dropped, 1);
    assert_int_equal(c.dropped_bytes, 13);
    collected s = {.stop_after = 2};
    feed_str(&ls, "a\nb\nc\nd\n", &s);
    assert_int_equal(s.n, 2); /* the callback said stop: the rest is discarded */
    transport_lines_free(&ls);
}

/* Property: however a stream is cut into chunks, the same lines come out. */
typedef struct joined {
    buf all;
    size_t lines, dropped;
} joined;

static bool join_line(void *ud, const char *line, size_t len)
{
    joined *j = ud;
    if (!line) {
        j->dropped++;
        return true;
    }
    buf_append(&j->all, line, len);
    buf_putc(&j->all, '|');
    j->lines++;
    return true;
}

static void test_lines_random_chunking(void **state)
{
    (void)state;
    buf stream = BUF_INIT;
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 400; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = x % 90; /* some lines longer than the 64-byte limit below */
        for (size_t k = 0; k < n; k++)
            buf_putc(&stream, (char)('a' + (x >> (k % 50)) % 26));
        buf_puts(&stream, x & 1 ? "\r\n" : "\n");
    }
    joined ref = {BUF_INIT, 0, 0};
    transport_lines ls;
    transport_lines_init(&ls, 64);
    transport_lines_feed(&ls, stream.data, stream.len, join_line, &ref);
    transport_lines_finish(&ls, join_line, &ref);
    transport_lines_free(&ls);
    assert_int_equal(ref.lines + ref.dropped, 400);
    assert_true(ref.dropped > 0);
    for (int round = 0; round < 50; round++) {
        joined got = {BUF_INIT, 0, 0};
        transport_lines_init(&ls, 64);
        for (size_t off = 0; off < stream.len;) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t n = 1 + x % 150;
            if (n > stream.len - off)
                n = stream.len - off;
            transport_lines_feed(&ls, stream.data + off, n, join_line, &got);
            off += n;
        }
        transport_lines_finish(&ls, join_line, &got);
        transport_lines_free(&ls);
        assert_int_equal(got.lines, ref.lines);
        assert_int_equal(got.dropped, ref.dropped);
        assert_string_equal(buf_str(&got.all), buf_str(&ref.all));
        buf_free(&got.all);
    }
    buf_free(&ref.all);
    buf_free(&stream);
}

/* ---- hostile splits --------------------------------------------------------------------------- */

/* A line that crosses many chunk boundaries, cut at every awkward place: right after its CR, right
 * before its LF, and a chunk that is nothing but the LF. */
static void test_lines_across_boundaries(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    const char *parts[] = {"{\"ty", "pe\":", "\"A\"}", "\r", "\n", "", "x", "\n", "\r\n"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        feed_str(&ls, parts[i], &c);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.lines[0], "{\"type\":\"A\"}");
    assert_int_equal(c.lens[0], 12);
    assert_string_equal(c.lines[1], "x");
    assert_int_equal(c.lens[2], 0);
    transport_lines_finish(&ls, collect, &c);
    assert_int_equal(c.dropped, 0);
    transport_lines_free(&ls);
}

/* A line far over the real limit (TRANSPORT_MAX_LINE), in 64 KiB chunks: dropped with its exact
 * length, never stored, and the line after it arrives intact. */
static void test_lines_huge_line(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 0); /* 0: the transport's limit */
    assert_int_equal(ls.max, TRANSPORT_MAX_LINE);
    collected c = {0};
    size_t chunk = 64 * 1024, total = TRANSPORT_MAX_LINE + 3 * chunk + 17;
    char *block = malloc(chunk);
    assert_non_null(block);
    memset(block, 'z', chunk);
    feed_str(&ls, "before\n", &c);
    for (size_t sent = 0; sent < total;) {
        size_t n = total - sent < chunk ? total - sent : chunk;
        transport_lines_feed(&ls, block, n, collect, &c);
        sent += n;
        assert_true(ls.cap <= TRANSPORT_MAX_LINE + chunk); /* held at most up to the limit */
    }
    feed_str(&ls, "\nafter\n", &c);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.lines[0], "before");
    assert_string_equal(c.lines[1], "after");
    assert_int_equal(c.dropped, 1);
    assert_int_equal(c.dropped_bytes, total);
    free(block);
    transport_lines_free(&ls);
}

/* NUL bytes are data, also when the line crosses a chunk boundary next to one. */
static void test_lines_nul_across_chunks(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    const char a[] = {'k', '\0'}, b[] = {'\0', 'v', '\r', '\n'};
    transport_lines_feed(&ls, a, sizeof a, collect, &c);
    assert_int_equal(c.n, 0);
    transport_lines_feed(&ls, b, sizeof b, collect, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.lens[0], 4);
    assert_memory_equal(c.lines[0], "k\0\0v", 4);
    transport_lines_free(&ls);
}

/* No final newline: the last line is never delivered as if complete; the end of the stream reports
 * it as dropped, once, and a second finish reports nothing. */
static void test_lines_no_final_newline(void **state)
{
    (void)state;
    transport_lines ls;
    transport_lines_init(&ls, 1024);
    collected c = {0};
    feed_str(&ls, "done\n{\"type\":\"ADDED\",\"object\":{}}", &c);
    assert_int_equal(c.n, 1);
    transport_lines_finish(&ls, collect, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.dropped, 1);
    assert_int_equal(c.dropped_bytes, 28);
    transport_lines_finish(&ls, collect, &c);
    assert_int_equal(c.dropped, 1);
    /* the same inside an oversize line: its bytes so far are what is lost */
    transport_lines ls2;
    transport_lines_init(&ls2, 4);
    feed_str(&ls2, "abcdefgh", &c);
    transport_lines_finish(&ls2, collect, &c);
    assert_int_equal(c.dropped, 2);
    assert_int_equal(c.dropped_bytes, 36);
    transport_lines_free(&ls2);
    transport_lines_free(&ls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_partial_chunks),
        cmocka_unit_test(test_lines_crlf_and_empty),
        cmocka_unit_test(test_lines_nul_bytes),
        cmocka_unit_test(test_lines_giant_dropped),
        cmocka_unit_test(test_lines_truncated_tail_and_stop),
        cmocka_unit_test(test_lines_random_chunking),
        cmocka_unit_test(test_lines_across_boundaries),
        cmocka_unit_test(test_lines_huge_line),
        cmocka_unit_test(test_lines_nul_across_chunks),
        cmocka_unit_test(test_lines_no_final_newline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
