/* Unit tests for tui/loop: the timers and one turn of the loop with fake hooks (no terminal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "common/timeutil.h"
#include "tui/keyq.h"
#include "tui/loop.h"

static void test_keyq(void **state)
{
    (void)state;
    keyq q;
    memset(&q, 0, sizeof q);
    int k;
    assert_false(keyq_pop(&q, &k));
    /* full refuses; the order holds across the ring's wrap */
    int next_in = 0, next_out = 0;
    for (int i = 0; i < KEYQ_CAP; i++)
        assert_true(keyq_push(&q, next_in++));
    assert_false(keyq_push(&q, -1));
    assert_int_equal(keyq_len(&q), KEYQ_CAP);
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < KEYQ_CAP / 3; i++) {
            assert_true(keyq_pop(&q, &k));
            assert_int_equal(k, next_out++);
        }
        for (int i = 0; i < KEYQ_CAP / 3; i++)
            assert_true(keyq_push(&q, next_in++));
    }
    while (keyq_pop(&q, &k))
        assert_int_equal(k, next_out++);
    assert_int_equal(next_out, next_in);
    assert_true(keyq_push(&q, 7));
    keyq_clear(&q);
    assert_int_equal(keyq_len(&q), 0);
    assert_false(keyq_pop(&q, &k));
}

/* The failure this guards: the front view's model was computed while its list was loading; the
 * list then arrived (the store moved) but the repaint that would recompute the model waited for its
 * slot, and a typed-ahead Enter ran on the empty model: "no object selected" next to the one row
 * the filter showed. Such a key must let the model catch up first. */
static void test_keyq_sync_catches_up_after_loading(void **state)
{
    (void)state;
    keyq_sync s;
    memset(&s, 0, sizeof s);
    assert_true(keyq_sync_behind(&s, 0, 0)); /* never computed: catch up */
    keyq_sync_note(&s, true, 5, 2);          /* computed while loading ("loading…") */
    assert_false(keyq_sync_behind(&s, 5, 2)); /* nothing arrived since: nothing to catch up */
    assert_true(keyq_sync_behind(&s, 6, 2));  /* the list arrived */
    assert_true(keyq_sync_behind(&s, 5, 3));  /* the focused object's JSON arrived (YAML view) */
    /* counters compare by value, so a wrap or a new store at lower counters still counts as a move */
    assert_true(keyq_sync_behind(&s, 4, 2));
    keyq_sync_note(&s, true, UINT64_MAX, 0);
    assert_true(keyq_sync_behind(&s, 0, 0));
    /* caught up while still loading another input (node pools behind the clusters): again behind
     * when that one arrives */
    keyq_sync_note(&s, true, 6, 2);
    assert_true(keyq_sync_behind(&s, 7, 2));
    /* caught up with everything loaded: now the model is what the screen shows */
    keyq_sync_note(&s, false, 7, 2);
    assert_false(keyq_sync_behind(&s, 7, 2));
}

/* Once loaded, watch events do not make every key recompute the views (that is the repaint slot's
 * job, and a key acts on the rows the screen shows). */
static void test_keyq_sync_loaded_is_not_behind(void **state)
{
    (void)state;
    keyq_sync s;
    memset(&s, 0, sizeof s);
    keyq_sync_note(&s, false, 10, 0);
    for (uint64_t c = 10; c < 50; c++)
        assert_false(keyq_sync_behind(&s, c, c / 7));
    /* a view switched to one that still loads: noted at the next refresh, then behind on arrival */
    keyq_sync_note(&s, true, 50, 7);
    assert_true(keyq_sync_behind(&s, 51, 7));
}

static void test_timers(void **state)
{
    (void)state;
    loop_timers t;
    memset(&t, 0, sizeof t);
    assert_int_equal(timers_wait_ms(&t, 1000), -1);
    assert_int_equal(timers_pop_due(&t, 1000), -1);
    timers_set(&t, 2, 1500);
    timers_set(&t, 5, 1200);
    assert_int_equal(timers_wait_ms(&t, 1000), 200);
    assert_true(timers_armed(&t, 2));
    timers_arm_min(&t, 2, 1800); /* later: ignored */
    assert_int_equal(t.due[2], 1500);
    timers_arm_min(&t, 2, 1100); /* earlier: taken */
    assert_int_equal(timers_wait_ms(&t, 1000), 100);
    assert_int_equal(timers_wait_ms(&t, 5000), 0); /* overdue: no negative waits */
    /* due timers pop earliest first, each once */
    assert_int_equal(timers_pop_due(&t, 1300), 2);
    assert_int_equal(timers_pop_due(&t, 1300), 5);
    assert_int_equal(timers_pop_due(&t, 1300), -1);
    timers_set(&t, 1, 10);
    timers_clear(&t, 1);
    assert_false(timers_armed(&t, 1));
    /* out-of-range ids are ignored, not written */
    timers_set(&t, LOOP_MAX_TIMERS, 10);
    timers_set(&t, -1, 10);
    assert_int_equal(timers_wait_ms(&t, 0), -1);
}

typedef struct fake {
    int keys[8];
    int n_keys, next_key;
    int seen[8];
    int n_seen;
    int paints, waits, timer_fired;
    int last_timeout;
    loop_timers *t;
} fake;

static fake F;

static int fake_wait(void *arg, int timeout_ms, bool *ready)
{
    fake *f = arg;
    f->waits++;
    f->last_timeout = timeout_ms;
    *ready = f->next_key < f->n_keys;
    return 0;
}

static bool fake_read_key(int *key)
{
    if (F.next_key >= F.n_keys)
        return false;
    *key = F.keys[F.next_key++];
    return true;
}

static void fake_on_key(void *arg, int key)
{
    fake *f = arg;
    f->seen[f->n_seen++] = key;
    if (key == 't')
        timers_set(f->t, 3, now_ms_monotonic()); /* due at once */
}

static void fake_on_timer(void *arg, int id)
{
    fake *f = arg;
    assert_int_equal(id, 3);
    f->timer_fired++;
}

static void fake_after_wait(void *arg)
{
    (void)arg;
}

static void fake_paint(void *arg)
{
    ((fake *)arg)->paints++;
}

static bool fake_done(void *arg)
{
    fake *f = arg;
    return f->n_seen > 0 && f->seen[f->n_seen - 1] == 'q';
}

static void test_loop_drains_keys_and_fires_timers(void **state)
{
    (void)state;
    loop_timers t;
    memset(&t, 0, sizeof t);
    memset(&F, 0, sizeof F);
    F.t = &t;
    int keys[] = {'j', 'j', 't', 'q'};
    memcpy(F.keys, keys, sizeof keys);
    F.n_keys = 4;
    loop_hooks h = {
        .arg = &F,
        .wait = fake_wait,
        .read_key = fake_read_key,
        .on_key = fake_on_key,
        .on_timer = fake_on_timer,
        .after_wait = fake_after_wait,
        .paint = fake_paint,
        .done = fake_done,
    };
    loop_run(&h, &t);
    /* every key of the burst in one turn, in order; one paint before the one wait */
    assert_int_equal(F.n_seen, 4);
    assert_int_equal(F.seen[0], 'j');
    assert_int_equal(F.seen[3], 'q');
    assert_int_equal(F.waits, 1);
    assert_int_equal(F.paints, 1);
    assert_int_equal(F.timer_fired, 1);
    /* no timer armed: the wait is bounded, never forever */
    assert_int_equal(F.last_timeout, 60000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyq),
        cmocka_unit_test(test_keyq_sync_catches_up_after_loading),
        cmocka_unit_test(test_keyq_sync_loaded_is_not_behind),
        cmocka_unit_test(test_timers),
        cmocka_unit_test(test_loop_drains_keys_and_fires_timers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
