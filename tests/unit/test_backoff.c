/* Unit tests for client/backoff: the schedule's bounds, cap, jitter and Retry-After handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "client/backoff.h"

static void test_ceiling_grows_and_caps(void **state)
{
    (void)state;
    backoff b;
    backoff_init(&b, 100, 2.0, 5000, 1);
    assert_int_equal(backoff_ceiling_ms(&b, 0), 100);
    assert_int_equal(backoff_ceiling_ms(&b, 1), 200);
    assert_int_equal(backoff_ceiling_ms(&b, 5), 3200);
    assert_int_equal(backoff_ceiling_ms(&b, 6), 5000);
    assert_int_equal(backoff_ceiling_ms(&b, 4000000000u), 5000); /* no overflow, no endless loop */
}

static void test_jitter_within_range(void **state)
{
    (void)state;
    backoff b;
    backoff_init(&b, 100, 2.0, 1600, 42);
    int64_t max_seen[8] = {0};
    for (int round = 0; round < 500; round++) {
        backoff_reset(&b);
        for (unsigned a = 0; a < 8; a++) {
            int64_t ceiling = backoff_ceiling_ms(&b, a);
            int64_t d = backoff_next_ms(&b);
            assert_true(d >= 0);
            assert_true(d <= ceiling);
            if (d > max_seen[a])
                max_seen[a] = d;
        }
    }
    /* Full jitter really spreads: over 500 rounds the largest delay comes near the ceiling. */
    assert_true(max_seen[7] > 1400);
    assert_true(max_seen[0] > 80);
}

static void test_seeded_is_reproducible(void **state)
{
    (void)state;
    backoff a, b, c;
    backoff_init(&a, 50, 1.5, 10000, 7);
    backoff_init(&b, 50, 1.5, 10000, 7);
    backoff_init(&c, 50, 1.5, 10000, 8);
    int differs = 0;
    for (int i = 0; i < 20; i++) {
        int64_t x = backoff_next_ms(&a), y = backoff_next_ms(&b), z = backoff_next_ms(&c);
        assert_int_equal(x, y);
        differs += x != z;
    }
    assert_true(differs > 0);
}

static void test_reset_starts_over(void **state)
{
    (void)state;
    backoff b;
    backoff_init(&b, 10, 10.0, 100000, 3);
    for (int i = 0; i < 4; i++)
        backoff_next_ms(&b);
    assert_int_equal(b.attempt, 4);
    backoff_reset(&b);
    for (int i = 0; i < 100; i++) {
        backoff_reset(&b);
        assert_true(backoff_next_ms(&b) <= 10);
    }
}

static void test_clamps_nonsense(void **state)
{
    (void)state;
    backoff b;
    backoff_init(&b, -5, 0.1, -1, 0);
    assert_int_equal(b.base_ms, 1);
    assert_true(b.factor >= 1.0);
    assert_int_equal(b.cap_ms, 1);
    assert_true(backoff_next_ms(&b) <= 1);
}

static void test_retry_after_floor(void **state)
{
    (void)state;
    backoff b;
    backoff_init(&b, 100, 2.0, 1000, 9);
    for (int i = 0; i < 50; i++) {
        backoff_reset(&b);
        int64_t d = backoff_next_with_floor_ms(&b, 7000, 60000);
        assert_int_equal(d, 7000); /* server asked for 7 s: more than our cap, honoured */
    }
    backoff_reset(&b);
    assert_int_equal(backoff_next_with_floor_ms(&b, 3600000, 60000), 60000); /* hostile: bounded */
    backoff_reset(&b);
    assert_true(backoff_next_with_floor_ms(&b, -1, 60000) <= 100);
}

static void test_parse_retry_after(void **state)
{
    (void)state;
    int64_t ms = -1;
    assert_true(backoff_parse_retry_after("120", 0, &ms));
    assert_int_equal(ms, 120000);
    assert_true(backoff_parse_retry_after(" 0 \r\n", 0, &ms));
    assert_int_equal(ms, 0);
    assert_true(backoff_parse_retry_after("99999999999999999999999", 0, &ms));
    assert_true(ms > 0);
    /* Sun, 06 Nov 1994 08:49:37 GMT = 784111777 */
    assert_true(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111770, &ms));
    assert_int_equal(ms, 7000);
    assert_true(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111999, &ms));
    assert_int_equal(ms, 0); /* in the past: now */
    assert_false(backoff_parse_retry_after("", 0, &ms));
    assert_false(backoff_parse_retry_after(NULL, 0, &ms));
    assert_false(backoff_parse_retry_after("-5", 0, &ms));
    assert_false(backoff_parse_retry_after("12abc", 0, &ms));
    assert_false(backoff_parse_retry_after("soon", 0, &ms));
    assert_false(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:37 PST", 0, &ms));
    assert_false(backoff_parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", 0, &ms));
    assert_false(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT trailing", 0, &ms));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ceiling_grows_and_caps), cmocka_unit_test(test_jitter_within_range),
        cmocka_unit_test(test_seeded_is_reproducible), cmocka_unit_test(test_reset_starts_over),
        cmocka_unit_test(test_clamps_nonsense),        cmocka_unit_test(test_retry_after_floor),
        cmocka_unit_test(test_parse_retry_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
