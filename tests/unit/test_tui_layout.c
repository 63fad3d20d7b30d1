/* Unit tests for tui/layout: column widths at 80/120/160/200 columns, cell text with progress bars. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <string.h>

#include "tui/layout.h"
#include "tui/sanitize.h"

/* Shaped like the hosted clusters pane: name and state never drop; details drop first. */
static const view_column cols[] = {
    {"namespace", "NAMESPACE", 9, 20, 6, false},  {"name", "NAME", 8, 40, 0, false},
    {"version", "VERSION", 7, 12, 0, false},      {"desired", "DESIRED", 12, 40, 3, false},
    {"available", "AVAILABLE", 5, 9, 0, false},   {"progressing", "PROGRESSING", 5, 11, 4, false},
    {"degraded", "DEGRADED", 5, 8, 2, false},     {"paused", "PAUSED", 6, 16, 5, false},
    {"policy", "POLICY", 6, 18, 8, false},        {"platform", "PLATFORM", 4, 9, 7, false},
    {"nodes", "NODES", 5, 9, 1, true},            {"etcd", "ETCD", 4, 12, 3, false},
    {"age", "AGE", 3, 5, 1, true},
};
#define NCOLS (sizeof cols / sizeof cols[0])
static const int natural[NCOLS] = {14, 22, 7, 30, 9, 11, 8, 12, 18, 8, 7, 10, 3};

static void check_layout(int avail)
{
    int w[NCOLS];
    size_t visible = layout_columns(cols, NCOLS, natural, avail, w);
    assert_true(visible >= 1);
    assert_true(layout_total(w, NCOLS) <= avail);
    for (size_t i = 0; i < NCOLS; i++) {
        if (w[i] == 0)
            continue;
        assert_true(w[i] >= cols[i].min_width);
        assert_true(cols[i].max_width == 0 || w[i] <= cols[i].max_width);
    }
    /* never-dropped columns stay whenever their minimums fit */
    assert_true(w[1] > 0 && w[2] > 0 && w[4] > 0);
    /* a column is only dropped when every column with a higher drop order is gone */
    for (size_t i = 0; i < NCOLS; i++)
        for (size_t j = 0; j < NCOLS; j++)
            if (w[i] == 0 && cols[i].drop_order > 0 && cols[j].drop_order > cols[i].drop_order)
                assert_int_equal(w[j], 0);
}

static void test_layout_widths(void **state)
{
    (void)state;
    check_layout(80);
    check_layout(120);
    check_layout(160);
    check_layout(200);
    int w[NCOLS];
    /* 200 columns: everything at its natural width (capped by max) */
    assert_int_equal(layout_columns(cols, NCOLS, natural, 200, w), NCOLS);
    assert_int_equal(w[1], 22);
    assert_int_equal(w[3], 30);
    /* 80 columns: the policy and platform columns (drop order 8, 7) are the first to go */
    layout_columns(cols, NCOLS, natural, 80, w);
    assert_int_equal(w[8], 0);
    assert_int_equal(w[9], 0);
    assert_int_equal(w[0], 0);
}

static void test_layout_shrinks_before_cutting(void **state)
{
    (void)state;
    static const view_column two[] = {{"a", "A", 4, 0, 0, false}, {"b", "B", 4, 0, 0, false}};
    int nat[2] = {30, 30}, w[2];
    assert_int_equal(layout_columns(two, 2, nat, 40, w), 2);
    assert_int_equal(w[0] + w[1] + LAYOUT_SEP, 40);
    assert_true(w[0] >= 18 && w[1] >= 18); /* space is shared evenly */
    /* minimums do not fit: the rightmost never-drop column goes */
    assert_int_equal(layout_columns(two, 2, nat, 6, w), 1);
    assert_int_equal(w[1], 0);
    assert_true(w[0] >= 4 && w[0] <= 6);
}

static void test_long_message_shrinks_first(void **state)
{
    (void)state;
    /* Shaped like the conditions view: a long message must not push the other columns out. */
    static const view_column cond[] = {
        {"type", "TYPE", 8, 40, 0, false},    {"status", "STATUS", 6, 7, 0, false},
        {"reason", "REASON", 6, 30, 2, false}, {"message", "MESSAGE", 20, 0, 1, false},
        {"age", "AGE", 3, 6, 3, true},
    };
    int nat[5] = {30, 6, 22, 300, 4}, w[5];
    assert_int_equal(layout_columns(cond, 5, nat, 120, w), 5);
    assert_int_equal(w[0], 30);
    assert_int_equal(w[2], 22);
    assert_int_equal(layout_total(w, 5), 120); /* the message takes the rest */
    /* at 80 the age (highest drop order) goes first */
    layout_columns(cond, 5, nat, 80, w);
    assert_true(layout_total(w, 5) <= 80);
    assert_true(w[3] >= 20);
}

static void cell(view_cell *c, const char *text, int pct)
{
    memset(c, 0, sizeof *c);
    strcpy(c->text, text);
    c->progress_pct = pct;
}

static void test_cell_text(void **state)
{
    (void)state;
    char out[512];
    view_cell c;
    cell(&c, "prod-eu-1", -1);
    assert_string_equal(layout_cell_text(&c, 12, false, 0, out, sizeof out), "prod-eu-1   ");
    assert_string_equal(layout_cell_text(&c, 12, true, 0, out, sizeof out), "   prod-eu-1");
    assert_string_equal(layout_cell_text(&c, 6, false, 0, out, sizeof out), "prod-\xe2\x80\xa6");
    assert_string_equal(layout_cell_text(&c, 6, false, SAN_ASCII, out, sizeof out), "prod-~");
    cell(&c, "4.18.1", 56);
    assert_string_equal(layout_cell_text(&c, 23, false, SAN_ASCII, out, sizeof out), "4.18.1 [######----] 56%");
    assert_string_equal(layout_cell_text(&c, 17, false, SAN_ASCII, out, sizeof out), "4.18.1 [##--] 56%");
    assert_string_equal(layout_cell_text(&c, 10, false, SAN_ASCII, out, sizeof out), "4.18.1 56%");
    assert_string_equal(layout_cell_text(&c, 8, false, SAN_ASCII, out, sizeof out), "4.1~ 56%");
    assert_string_equal(layout_cell_text(&c, 23, false, 0, out, sizeof out),
                        "4.18.1 [\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
                        "\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91] 56%");
    assert_int_equal(layout_cell_natural(&c, 0), 6 + 18);
    /* hostile text is sanitized on the way */
    cell(&c, "a\x1b[2Jb", -1);
    assert_string_equal(layout_cell_text(&c, 3, false, 0, out, sizeof out), "ab ");
    assert_string_equal(layout_fit("abc", 5, 0, out, sizeof out), "abc  ");
}

/* The sort arrow survives a column narrower than its title and the arrow. */
static void test_header_title_keeps_sort_arrow(void **state)
{
    (void)state;
    char out[256];
    const char *up = "\xe2\x96\xb2"; /* ▲ */
    assert_string_equal(layout_header_title("NAME", up, 10, 0, out, sizeof out), "NAME \xe2\x96\xb2");
    assert_string_equal(layout_header_title("NAME", NULL, 10, 0, out, sizeof out), "NAME");
    assert_string_equal(layout_header_title("RESTARTS", up, 8, 0, out, sizeof out),
                        "RESTA\xe2\x80\xa6 \xe2\x96\xb2");
    assert_string_equal(layout_header_title("RESTARTS", "v", 8, SAN_ASCII, out, sizeof out), "RESTA~ v");
    assert_string_equal(layout_header_title("RESTARTS", NULL, 8, SAN_ASCII, out, sizeof out), "RESTARTS");
    /* too narrow for anything but the arrow: plain truncation, never past the width */
    assert_string_equal(layout_header_title("RESTARTS", "^", 2, SAN_ASCII, out, sizeof out), "R~");
    /* hostile titles are sanitized like cells */
    assert_string_equal(layout_header_title("A\x1b[2JB", "^", 10, SAN_ASCII, out, sizeof out), "AB ^");
    assert_string_equal(layout_header_title("ABCDEFGHIJ", "^", 6, SAN_ASCII, out, sizeof out), "ABC~ ^");
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_widths),
        cmocka_unit_test(test_layout_shrinks_before_cutting),
        cmocka_unit_test(test_long_message_shrinks_first),
        cmocka_unit_test(test_cell_text),
        cmocka_unit_test(test_header_title_keeps_sort_arrow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
