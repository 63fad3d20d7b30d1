/* Unit tests for tui/stats: number words, the hint-bar indicator and the
 * request statistics view over a fake counter source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tui/stats.h"
#include "views/model.h"

static void test_number_words(void **state)
{
    (void)state;
    char t[32];
    static const struct {
        uint64_t v;
        const char *count, *bytes;
    } cases[] = {
        {0, "0", "0 B"},
        {999, "999", "999 B"},
        {1000, "1.0k", "1000 B"},
        {1024, "1.0k", "1.0 KiB"},
        {1234, "1.2k", "1.2 KiB"},
        {12345, "12k", "12 KiB"},
        {999999, "999k", "976 KiB"},
        {1000000, "1.0M", "976 KiB"},
        {UINT64_C(5) * 1024 * 1024 * 1024, "5.3G", "5.0 GiB"},
        {UINT64_MAX, "18E", "15 EiB"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stats_count_text(cases[i].v, t, sizeof t);
        assert_string_equal(t, cases[i].count);
        stats_bytes_text(cases[i].v, t, sizeof t);
        assert_string_equal(t, cases[i].bytes);
    }
    char tiny[4];
    stats_bytes_text(123456789, tiny, sizeof tiny); /* cut, still terminated */
    assert_int_equal(strlen(tiny), 3);
}

static void test_indicator(void **state)
{
    (void)state;
    transport_counter t = {.count = 152};
    char s[48];
    stats_indicator(&t, false, s, sizeof s);
    assert_string_equal(s, "152 req");
    stats_indicator(&t, true, s, sizeof s);
    assert_string_equal(s, "152 req");
    t.count = 12345;
    t.errors = 3;
    stats_indicator(&t, false, s, sizeof s);
    assert_string_equal(s, "12k req 3 err");
    stats_indicator(&t, true, s, sizeof s);
    assert_string_equal(s, "3 err");
}

/* ---- the view over a fake source */

typedef struct fake {
    transport_counter c[STATS_MAX_KINDS + 8];
    size_t n;
    bool stale_nodepools;
} fake;

static size_t fake_counters(void *ud, transport_counter *out, size_t max)
{
    fake *f = ud;
    size_t n = f->n < max ? f->n : max;
    memcpy(out, f->c, n * sizeof *out);
    return n;
}

static void fake_total(void *ud, transport_counter *out)
{
    fake *f = ud;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < f->n; i++) {
        out->count += f->c[i].count;
        if (f->c[i].latency_max_ms > out->latency_max_ms)
            out->latency_max_ms = f->c[i].latency_max_ms;
    }
}

static bool fake_freshness(void *ud, res_kind kind, char *out, size_t outlen, bool *not_live)
{
    fake *f = ud;
    if (kind == RES_EVENT)
        return false; /* not watched */
    *not_live = kind == RES_NODEPOOL && f->stale_nodepools;
    snprintf(out, outlen, "%s", *not_live ? "stale 40s, connection refused" : "live");
    return true;
}

static void cell(view_model *m, size_t row, size_t col, char *out, size_t outlen, view_role *role)
{
    view_cell c;
    view_model_cell(m, row, col, &c);
    snprintf(out, outlen, "%s", c.text);
    if (role)
        *role = c.role;
}

static void test_view(void **state)
{
    (void)state;
    fake f;
    memset(&f, 0, sizeof f);
    f.c[0] = (transport_counter){.label = "hostedclusters list", .has_kind = true, .kind = RES_HOSTEDCLUSTER, .count = 2, .errors = 1, .retries = 1,
                                 .bytes_in = 2048, .bytes_out = 300, .latency_sum_ms = 30, .latency_max_ms = 20};
    f.c[1] = (transport_counter){.label = "nodepools watch", .has_kind = true, .kind = RES_NODEPOOL, .count = 4, .bytes_in = 100, .latency_sum_ms = 4000,
                                 .latency_max_ms = 12500};
    f.c[2] = (transport_counter){.label = "focus get"};
    f.n = 3;
    stats_source src = {fake_counters, fake_total, fake_freshness, &f};

    view_model *m = view_model_new(stats_view());
    /* unbound: no rows, no crash */
    stats_view_bind(NULL);
    view_model_refresh(m, NULL, NULL, 0);
    assert_int_equal(view_model_rows(m), 0);

    stats_view_bind(&src);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_int_equal(view_model_rows(m), 4); /* three kinds and "all kinds" */
    char t[VIEW_CELL_MAX];
    view_role role;
    cell(m, 0, 0, t, sizeof t, NULL);
    assert_string_equal(t, "hostedclusters list");
    cell(m, 0, 2, t, sizeof t, &role);
    assert_string_equal(t, "1");
    assert_int_equal(role, ROLE_BAD);
    cell(m, 0, 4, t, sizeof t, NULL);
    assert_string_equal(t, "2.0 KiB");
    cell(m, 0, 6, t, sizeof t, NULL);
    assert_string_equal(t, "15 ms"); /* mean: 30 ms over 2 */
    cell(m, 1, 7, t, sizeof t, NULL);
    assert_string_equal(t, "12 s");
    cell(m, 1, 6, t, sizeof t, NULL);
    assert_string_equal(t, "1.0 s");
    cell(m, 1, 8, t, sizeof t, &role);
    assert_string_equal(t, "live");
    assert_int_equal(role, ROLE_OK);
    cell(m, 2, 6, t, sizeof t, NULL);
    assert_string_equal(t, "-"); /* no requests: no latency */
    cell(m, 2, 8, t, sizeof t, NULL);
    assert_string_equal(t, "-"); /* feeds no watched kind */
    cell(m, 3, 0, t, sizeof t, NULL);
    assert_string_equal(t, "all kinds");
    cell(m, 3, 1, t, sizeof t, NULL);
    assert_string_equal(t, "6");
    cell(m, 3, 7, t, sizeof t, NULL);
    assert_string_equal(t, "12 s");

    /* nothing moved: no change; a freshness that moved is a change */
    assert_false(view_model_refresh(m, NULL, NULL, 0));
    f.stale_nodepools = true;
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    cell(m, 1, 8, t, sizeof t, &role);
    assert_string_equal(t, "stale 40s, connection refused");
    assert_int_equal(role, ROLE_WARN);
    assert_int_equal(view_model_row_role(m, 1), ROLE_WARN);

    /* sorting by requests is numeric: 0 < 2 < 4 < 6 */
    view_model_set_sort(m, 1, false);
    cell(m, 0, 0, t, sizeof t, NULL);
    assert_string_equal(t, "focus get");
    cell(m, 3, 0, t, sizeof t, NULL);
    assert_string_equal(t, "all kinds");

    /* hostile: a kind label without its NUL, and more kinds than the table holds */
    memset(f.c[2].label, 'x', sizeof f.c[2].label);
    for (size_t i = 3; i < sizeof f.c / sizeof f.c[0]; i++)
        f.c[i] = (transport_counter){.label = "other", .count = 1};
    f.n = sizeof f.c / sizeof f.c[0];
    view_model_set_sort(m, -1, false);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_int_equal(view_model_rows(m), STATS_MAX_KINDS + 1);
    cell(m, 2, 0, t, sizeof t, NULL);
    assert_int_equal(strlen(t), sizeof f.c[2].label - 1);
    stats_view_bind(NULL);
    view_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_words),
                cmocka_unit_test(test_indicator),
        cmocka_unit_test(test_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
