/* Unit tests for the table model (sort, filter, selection, search), the row table and the registry,
 * over a small fake view whose rows the test controls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode.h"
#include "client/store.h"
#include "client/version.h"
#include "views/model.h"
#include "views/rows.h"

/* ---- a fake view: rows come from a table the test edits, then refresh() */

typedef struct fake_row {
    const char *name;
    const char *version;
    int64_t count;
    bool heading;
} fake_row;

static fake_row fake_rows[32];
static size_t n_fake;

enum { F_NAME, F_VERSION, F_COUNT, F_NOTE, F_COLS };
static const view_column fake_columns[F_COLS] = {
    {"name", "NAME", 4, 0, 0, false},
    {"version", "VERSION", 4, 0, 0, false},
    {"count", "COUNT", 3, 0, 0, true},
    {"note", "NOTE", 4, 0, 1, false},
};

static void *fake_create(void)
{
    return rowtab_new(F_COLS);
}

static bool fake_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    (void)st;
    (void)scope;
    (void)now;
    rowtab *rt = priv;
    rowtab_begin(rt);
    for (size_t i = 0; i < n_fake; i++) {
        view_object o;
        view_object_set(&o, fake_rows[i].heading ? RES_HOSTEDCLUSTER : RES_NODEPOOL, "ns", fake_rows[i].name, NULL, NULL);
        rowtab_add(rt, &o, fake_rows[i].heading, ROLE_DEFAULT);
        rowtab_set_text(rt, F_NAME, ROLE_DEFAULT, fake_rows[i].name);
        if (fake_rows[i].heading)
            continue;
        rowtab_set_text(rt, F_VERSION, ROLE_DEFAULT, fake_rows[i].version);
        rowtab_set_version_key(rt, F_VERSION, fake_rows[i].version);
        rowtab_set(rt, F_COUNT, ROLE_DEFAULT, "%lld", (long long)fake_rows[i].count);
        rowtab_set_num_key(rt, F_COUNT, fake_rows[i].count);
        rowtab_set(rt, F_NOTE, ROLE_DEFAULT, "Note-%s", fake_rows[i].count % 2 ? "Odd" : "even");
    }
    return rowtab_end(rt);
}

static const view_ops fake_ops = {
    .name = "fake",
    .title = "Fake",
    .columns = fake_columns,
    .n_columns = F_COLS,
    .flags = VIEW_PANE,
    .default_sort = -1,
    .create = fake_create,
    .refresh = fake_refresh,
    ROWTAB_QUERY_OPS,
};

static void fake_set(const fake_row *rows, size_t n)
{
    memcpy(fake_rows, rows, n * sizeof *rows);
    n_fake = n;
}

static const fake_row flat[] = {
    {"alpha", "4.19.3", 10, false}, {"bravo", "4.9.1", 2, false},   {"charlie", "4.19.10", 10, false},
    {"delta", "4.20.0-rc.1", 7, false}, {"echo", "4.20.0", 2, false},
};

/* The names of the visible rows, joined by spaces. */
static const char *names(const view_model *m)
{
    static char out[512];
    out[0] = '\0';
    view_cell c;
    for (size_t r = 0; r < view_model_rows(m); r++) {
        view_model_cell(m, r, F_NAME, &c);
        if (r)
            strcat(out, " ");
        strcat(out, c.text);
    }
    return out;
}

static view_model *fake_model(const fake_row *rows, size_t n)
{
    fake_set(rows, n);
    view_model *m = view_model_new(&fake_ops);
    view_model_refresh(m, NULL, NULL, 0);
    return m;
}

/* ---- sort */

static void test_sort_columns_both_directions(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 5);
    assert_string_equal(names(m), "alpha bravo charlie delta echo");
    assert_int_equal(view_model_sort_column(m, NULL), -1);

    view_model_set_sort(m, F_NAME, true);
    assert_string_equal(names(m), "echo delta charlie bravo alpha");
    /* versions as versions: 4.9 < 4.19.3 < 4.19.10 < 4.20.0-rc.1 < 4.20.0 */
    view_model_set_sort(m, F_VERSION, false);
    assert_string_equal(names(m), "bravo alpha charlie delta echo");
    view_model_set_sort(m, F_VERSION, true);
    assert_string_equal(names(m), "echo delta charlie alpha bravo");
    /* numbers as numbers, ties stable (view order) in both directions */
    view_model_set_sort(m, F_COUNT, false);
    assert_string_equal(names(m), "bravo echo delta alpha charlie");
    view_model_set_sort(m, F_COUNT, true);
    assert_string_equal(names(m), "alpha charlie delta bravo echo");
    /* text: case-insensitive ("Note-even" < "Note-Odd") */
    view_model_set_sort(m, F_NOTE, false);
    assert_string_equal(names(m), "alpha bravo charlie echo delta");
    /* back to the natural order; an out-of-range column means natural */
    view_model_set_sort(m, 99, true);
    assert_int_equal(view_model_sort_column(m, NULL), -1);
    assert_string_equal(names(m), "alpha bravo charlie delta echo");
    view_model_free(m);
}

static void test_sort_cycle_and_reverse(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 5);
    bool desc = true;
    view_model_sort_next(m);
    assert_int_equal(view_model_sort_column(m, &desc), 0);
    assert_false(desc);
    view_model_sort_reverse(m);
    assert_int_equal(view_model_sort_column(m, &desc), 0);
    assert_true(desc);
    assert_string_equal(names(m), "echo delta charlie bravo alpha");
    for (int i = 1; i < F_COLS; i++) {
        view_model_sort_next(m);
        assert_int_equal(view_model_sort_column(m, NULL), i);
    }
    view_model_sort_next(m); /* past the last column: natural order */
    assert_int_equal(view_model_sort_column(m, NULL), -1);
    view_model_sort_prev(m);
    assert_int_equal(view_model_sort_column(m, NULL), F_COLS - 1);
    view_model_free(m);
}

static void test_sort_keeps_blocks(void **state)
{
    (void)state;
    static const fake_row blocks[] = {
        {"B-head", NULL, 0, true},  {"b2", "1", 1, false}, {"b1", "2", 3, false},
        {"A-head", NULL, 0, true},  {"a9", "1", 2, false}, {"a1", "1", 5, false}, {"a5", "1", 4, false},
    };
    view_model *m = fake_model(blocks, 7);
    view_model_set_sort(m, F_NAME, false);
    /* blocks keep their order (the view's: unhealthy first); rows sort inside their block */
    assert_string_equal(names(m), "B-head b1 b2 A-head a1 a5 a9");
    view_model_set_sort(m, F_COUNT, true);
    assert_string_equal(names(m), "B-head b1 b2 A-head a1 a5 a9");
    assert_true(view_model_row_is_heading(m, 0));
    assert_true(view_model_row_is_heading(m, 3));
    assert_false(view_model_row_is_heading(m, 1));
    view_model_free(m);
}

/* ---- filter */

static void test_filter(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 5);
    view_model_set_filter(m, "ALPHA");
    assert_string_equal(names(m), "alpha");
    assert_int_equal(view_model_total(m), 5);
    /* any cell matches: "4.19" is in two versions */
    view_model_set_filter(m, "4.19");
    assert_string_equal(names(m), "alpha charlie");
    view_model_set_filter(m, "!4.19");
    assert_string_equal(names(m), "bravo delta echo");
    view_model_set_filter(m, "odd");
    assert_string_equal(names(m), "delta");
    view_model_set_filter(m, "nothing-matches");
    assert_int_equal(view_model_rows(m), 0);
    assert_int_equal(view_model_selected(m), 0);
    view_model_set_filter(m, "");
    assert_string_equal(names(m), "alpha bravo charlie delta echo");
    view_model_set_filter(m, "!");
    assert_string_equal(names(m), "alpha bravo charlie delta echo");
    assert_string_equal(view_model_filter(m), "!");
    view_model_set_filter(m, NULL);
    assert_string_equal(view_model_filter(m), "");
    /* filter and sort together */
    view_model_set_filter(m, "4.2");
    view_model_set_sort(m, F_NAME, true);
    assert_string_equal(names(m), "echo delta");
    view_model_free(m);
}

static void test_filter_blocks(void **state)
{
    (void)state;
    static const fake_row blocks[] = {
        {"prod-head", NULL, 0, true}, {"etcd-0", "x", 1, false}, {"etcd-1", "crash", 2, false},
        {"dev-head", NULL, 0, true},  {"etcd-0", "y", 1, false},
    };
    view_model *m = fake_model(blocks, 5);
    /* a member matches: its heading shows with it */
    view_model_set_filter(m, "crash");
    assert_string_equal(names(m), "prod-head etcd-1");
    /* a heading matches: its whole block shows */
    view_model_set_filter(m, "dev");
    assert_string_equal(names(m), "dev-head etcd-0");
    /* negated: a matching heading hides its block */
    view_model_set_filter(m, "!dev");
    assert_string_equal(names(m), "prod-head etcd-0 etcd-1");
    view_model_set_filter(m, "!crash");
    assert_string_equal(names(m), "prod-head etcd-0 dev-head etcd-0");
    /* the objects before the filter ("3/3" on the tab line), whatever the filter hides */
    assert_int_equal(view_model_total_objects(m), 3);
    view_model_set_filter(m, "nothing matches this");
    assert_int_equal(view_model_rows(m), 0);
    assert_int_equal(view_model_total_objects(m), 3);
    view_model_free(m);
    /* a view without headings: every row is an object */
    m = fake_model(flat, 5);
    view_model_set_filter(m, "alpha");
    assert_int_equal(view_model_total_objects(m), 5);
    view_model_free(m);
}

/* ---- selection */

static void test_selection_survives_refresh_and_sort(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 5);
    view_object o;
    view_model_select(m, 2);
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "charlie");
    /* re-sort: still on charlie */
    view_model_set_sort(m, F_NAME, true);
    assert_int_equal(view_model_selected(m), 2);
    view_model_set_sort(m, F_COUNT, false);
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "charlie");
    assert_int_equal(view_model_selected(m), 4);
    /* refresh with new rows ahead of it: still on charlie */
    static const fake_row more[] = {
        {"aaa", "1", 0, false}, {"alpha", "4.19.3", 10, false}, {"bravo", "4.9.1", 2, false},
        {"charlie", "4.19.10", 10, false}, {"delta", "4.20.0-rc.1", 7, false}, {"echo", "4.20.0", 2, false},
    };
    fake_set(more, 6);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "charlie");
    /* filtered out and back: the position is kept, clamped */
    view_model_set_filter(m, "alpha");
    assert_int_equal(view_model_selected(m), 0);
    view_model_set_filter(m, "");
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "alpha");
    /* the selected object disappears: the selection stays in place (clamped) */
    view_model_set_sort(m, -1, false);
    view_model_select_last(m);
    fake_set(flat, 3);
    view_model_refresh(m, NULL, NULL, 0);
    assert_int_equal(view_model_selected(m), 2);
    view_model_free(m);
}

/* The model's half of "a filtered view that shows rows has a selected row": a filter typed while
 * the view had no rows yet, then the rows, then a change to the one row it shows (a watch event
 * that rewrote its conditions), then rows added ahead of it: the row stays selected throughout. */
static void test_filter_before_rows_then_changes_keep_a_selection(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 0);
    view_model_set_filter(m, "echo");
    assert_int_equal(view_model_rows(m), 0);
    view_object o;
    assert_false(view_model_selected_object(m, &o));
    fake_set(flat, 5);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_int_equal(view_model_rows(m), 1);
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "echo");
    static const fake_row changed[] = {
        {"aaa", "1", 0, false},         {"echo-2", "4.20.0", 3, false}, {"alpha", "4.19.3", 10, false},
        {"bravo", "4.9.1", 2, false},   {"echo", "4.20.1", 9, false},
    };
    fake_set(changed, 5);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_string_equal(names(m), "echo-2 echo");
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "echo");
    assert_int_equal(view_model_selected(m), 1);
    /* the selected row goes away: the one left is selected, never a position past the end */
    fake_set(changed, 2);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_int_equal(view_model_rows(m), 1);
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "echo-2");
    view_model_free(m);
}

/* ---- a refresh is skipped when nothing it reads moved */

static int counted_refreshes;

static bool counted_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    counted_refreshes++;
    return fake_refresh(priv, st, scope, now);
}

static const view_ops counted_ops = {
    .name = "counted",
    .title = "Counted",
    .columns = fake_columns,
    .n_columns = F_COLS,
    .flags = VIEW_PANE,
    .depends = VIEW_DEP_HOSTEDCLUSTERS | VIEW_DEP_FOCUS,
    .default_sort = -1,
    .create = fake_create,
    .refresh = counted_refresh,
    ROWTAB_QUERY_OPS,
};

/* Refreshes m and says whether the view's own refresh ran. */
static bool ran(view_model *m, store *st, const view_scope *scope, time_t now)
{
    int before = counted_refreshes;
    view_model_refresh(m, st, scope, now);
    return counted_refreshes != before;
}

static void put_cluster(store *st, const char *name, const char *rv)
{
    char json[256];
    snprintf(json, sizeof json,
             "{\"kind\":\"HostedCluster\",\"metadata\":{\"namespace\":\"clusters\",\"name\":\"%s\","
             "\"resourceVersion\":\"%s\"}}",
             name, rv);
    record *r = decode_json_text(RES_HOSTEDCLUSTER, json, strlen(json));
    assert_non_null(r);
    assert_true(store_apply(st, RES_HOSTEDCLUSTER, WATCH_ADDED, r));
}

static void test_refresh_skipped_when_inputs_unchanged(void **state)
{
    (void)state;
    const time_t t0 = 1780000040; /* 20 s into a minute */
    store *st = store_new();
    store *other = store_new();
    fake_set(flat, 5);
    view_model *m = view_model_new(&counted_ops);
    char ns[VIEW_NAME_MAX] = "clusters";
    view_scope sc = {.ns = ns, .cluster_ns = "clusters", .cluster_name = "alpha"};

    assert_true(ran(m, st, &sc, t0));
    assert_false(ran(m, st, &sc, t0));
    assert_false(ran(m, st, &sc, t0 + 39)); /* the same minute */
    assert_true(ran(m, st, &sc, t0 + 40));  /* the next one: ages move */
    assert_false(ran(m, st, &sc, t0 + 41));

    /* the store moves: a new object, then the focus slot */
    put_cluster(st, "a", "1");
    assert_true(ran(m, st, &sc, t0 + 41));
    assert_false(ran(m, st, &sc, t0 + 41));
    store_set_focus(st, RES_HOSTEDCLUSTER, "clusters", "a", "{}", 2);
    assert_true(ran(m, st, &sc, t0 + 41));
    assert_false(ran(m, st, &sc, t0 + 41));

    /* another store, even with the same counters */
    assert_true(ran(m, other, &sc, t0 + 41));
    assert_true(ran(m, st, &sc, t0 + 41));

    /* the scope is compared by value: an edit in place counts, a copy elsewhere does not */
    strcpy(ns, "other");
    assert_true(ran(m, st, &sc, t0 + 41));
    view_scope same = {.ns = "other", .cluster_ns = "clusters", .cluster_name = "alpha"};
    assert_false(ran(m, st, &same, t0 + 41));
    view_scope bravo = same;
    bravo.cluster_name = "bravo";
    assert_true(ran(m, st, &bravo, t0 + 41));
    view_scope none_ns = bravo;
    none_ns.ns = NULL;
    assert_true(ran(m, st, &none_ns, t0 + 41));
    assert_false(ran(m, st, &none_ns, t0 + 41));
    assert_true(ran(m, st, NULL, t0 + 41)); /* no cluster scope at all */
    assert_false(ran(m, st, NULL, t0 + 41));

    /* a detail target: its identity counts */
    view_object target;
    view_object_set(&target, RES_HOSTEDCLUSTER, "clusters", "a", "clusters", "a");
    view_scope detail = {.target = &target};
    assert_true(ran(m, st, &detail, t0 + 41));
    assert_false(ran(m, st, &detail, t0 + 41));
    view_object_set(&target, RES_HOSTEDCLUSTER, "clusters", "b", "clusters", "b");
    assert_true(ran(m, st, &detail, t0 + 41));

    /* a scope string too long to keep cannot be compared: always refreshed */
    char *longns = malloc(VIEW_NAME_MAX + 10);
    assert_non_null(longns);
    memset(longns, 'n', VIEW_NAME_MAX + 9);
    longns[VIEW_NAME_MAX + 9] = '\0';
    view_scope hostile = {.ns = longns};
    assert_true(ran(m, st, &hostile, t0 + 41));
    assert_true(ran(m, st, &hostile, t0 + 41));
    free(longns);

    /* invalidated (the store was replaced): recomputed once */
    assert_true(ran(m, st, NULL, t0 + 41));
    view_model_invalidate(m);
    assert_true(ran(m, st, NULL, t0 + 41));
    assert_false(ran(m, st, NULL, t0 + 41));

    /* what the view shows stays as it was computed, and skipped refreshes report no change */
    assert_string_equal(names(m), "alpha bravo charlie delta echo");
    fake_set(flat, 2); /* not in the store: the view is not asked */
    assert_false(view_model_refresh(m, st, NULL, t0 + 41));
    assert_string_equal(names(m), "alpha bravo charlie delta echo");

    /* before 1970 the minute is floored too: -1 s and -60 s are the same minute, -61 s is not */
    assert_true(ran(m, st, NULL, -1));
    assert_false(ran(m, st, NULL, -60));
    assert_true(ran(m, st, NULL, -61));

    view_model_free(m);
    store_free(other);
    store_free(st);
}

/* A view that reads no store (the request statistics) is refreshed every time. */
static void test_refresh_never_skipped_without_store_inputs(void **state)
{
    (void)state;
    fake_set(flat, 3);
    view_model *m = view_model_new(&fake_ops);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    fake_set(flat, 4);
    assert_true(view_model_refresh(m, NULL, NULL, 0));
    assert_string_equal(names(m), "alpha bravo charlie delta");
    view_model_free(m);
}

static void test_movement(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 5);
    view_model_move(m, 1);
    assert_int_equal(view_model_selected(m), 1);
    view_model_move(m, 100);
    assert_int_equal(view_model_selected(m), 4);
    view_model_move(m, -2);
    assert_int_equal(view_model_selected(m), 2);
    view_model_move(m, LONG_MIN);
    assert_int_equal(view_model_selected(m), 0);
    view_model_move(m, LONG_MAX);
    assert_int_equal(view_model_selected(m), 4);
    view_model_select_first(m);
    assert_int_equal(view_model_selected(m), 0);
    view_model_select_last(m);
    assert_int_equal(view_model_selected(m), 4);
    view_model_select(m, 1000);
    assert_int_equal(view_model_selected(m), 4);
    view_object o;
    view_object_set(&o, RES_NODEPOOL, "ns", "bravo", NULL, NULL);
    assert_true(view_model_select_object(m, &o));
    assert_int_equal(view_model_selected(m), 1);
    view_object_set(&o, RES_NODEPOOL, "ns", "zulu", NULL, NULL);
    assert_false(view_model_select_object(m, &o));
    /* an empty view */
    fake_set(flat, 0);
    view_model_refresh(m, NULL, NULL, 0);
    view_model_move(m, 3);
    view_model_select_last(m);
    assert_int_equal(view_model_selected(m), 0);
    assert_false(view_model_selected_object(m, &o));
    view_cell c;
    view_model_cell(m, 5, 0, &c);
    assert_string_equal(c.text, "");
    view_model_free(m);
}

static void test_search(void **state)
{
    (void)state;
    view_model *m = fake_model(flat, 5);
    assert_true(view_model_search(m, "4.20", true));
    assert_int_equal(view_model_selected(m), 3);
    assert_true(view_model_search(m, "4.20", true));
    assert_int_equal(view_model_selected(m), 4);
    assert_true(view_model_search(m, "4.20", true)); /* wraps */
    assert_int_equal(view_model_selected(m), 3);
    assert_true(view_model_search(m, "ALPHA", false));
    assert_int_equal(view_model_selected(m), 0);
    assert_false(view_model_search(m, "zulu", true));
    assert_int_equal(view_model_selected(m), 0);
    assert_false(view_model_search(m, "", true));
    view_model_free(m);
}

/* ---- row table */

static void test_rowtab_change_detection(void **state)
{
    (void)state;
    rowtab *rt = rowtab_new(2);
    rowtab_begin(rt);
    assert_false(rowtab_end(rt)); /* empty → empty */
    for (int pass = 0; pass < 2; pass++) {
        rowtab_begin(rt);
        rowtab_add(rt, NULL, false, ROLE_OK);
        rowtab_set(rt, 0, ROLE_OK, "row %d", 1);
        rowtab_set_pct(rt, 1, 150);
        assert_true(rowtab_end(rt) == (pass == 0));
    }
    view_cell c;
    rowtab_cell(rt, 0, 1, &c);
    assert_int_equal(c.progress_pct, 100);
    rowtab_cell(rt, 0, 0, &c);
    assert_string_equal(c.text, "row 1");
    /* a role change alone is a change */
    rowtab_begin(rt);
    rowtab_add(rt, NULL, false, ROLE_OK);
    rowtab_set(rt, 0, ROLE_BAD, "row %d", 1);
    rowtab_set_pct(rt, 1, 150);
    assert_true(rowtab_end(rt));
    /* out of range: empty cells, no crash */
    rowtab_cell(rt, 7, 0, &c);
    assert_string_equal(c.text, "");
    rowtab_cell(rt, 0, 7, &c);
    assert_string_equal(c.text, "");
    assert_string_equal(rowtab_text(rt, 9, 9), "");
    view_object o;
    assert_false(rowtab_row_object(rt, 0, &o));
    /* setting cells before any row is ignored */
    rowtab_begin(rt);
    rowtab_set_text(rt, 0, ROLE_OK, "x");
    rowtab_set_num_key(rt, 0, 1);
    assert_true(rowtab_end(rt));
    assert_int_equal(rowtab_row_count(rt), 0);
    rowtab_free(rt);
}

static void test_rowtab_truncates_at_utf8(void **state)
{
    (void)state;
    char big[2000];
    size_t n = 0;
    while (n + 3 < sizeof big - 1) { /* "→" is 3 bytes: 511 is not a multiple of 3 */
        memcpy(big + n, "\xe2\x86\x92", 3);
        n += 3;
    }
    big[n] = '\0';
    rowtab *rt = rowtab_new(1);
    rowtab_begin(rt);
    rowtab_add(rt, NULL, false, ROLE_DEFAULT);
    rowtab_set_text(rt, 0, ROLE_DEFAULT, big);
    rowtab_end(rt);
    view_cell c;
    rowtab_cell(rt, 0, 0, &c);
    assert_int_equal(strlen(c.text), 510);
    rowtab_free(rt);

    char dst[4];
    view_copy_text(dst, sizeof dst, "\xe2\x86\x92x");
    assert_string_equal(dst, "\xe2\x86\x92");
    view_copy_text(dst, sizeof dst, "a\xe2\x86\x92");
    assert_string_equal(dst, "a");
    view_copy_text(dst, sizeof dst, NULL);
    assert_string_equal(dst, "");
}

static void test_version_compare(void **state)
{
    (void)state;
    assert_true(version_order("4.9", "4.19.3") < 0);
    assert_true(version_order("4.19.3", "4.19.10") < 0);
    assert_true(version_order("4.20.0-rc.1", "4.20.0") < 0);
    assert_true(version_order("4.20.0-rc.2", "4.20.0-rc.10") < 0);
    assert_true(version_order("4.20", "4.20.1") < 0);
    assert_true(version_order("v1.32.6", "1.32.6") == 0);
    assert_true(version_order(NULL, "4.1") < 0);
    assert_true(version_order("4.19.3", "4.19.3") == 0);
    assert_true(version_order("4.100.0", "4.99.0") > 0);
    assert_true(version_order("4.0000000000000000000001", "4.2") < 0);
}

/* ---- registry */

static void count_word(const char *word, void *arg)
{
    (void)word;
    (*(int *)arg)++;
}

static void test_registry(void **state)
{
    (void)state;
    size_t n = 0;
    const view_ops *const *all = view_registry(&n);
    assert_int_equal(n, 10); /* 4 panes, 5 detail views, the watch */
    assert_string_equal(all[0]->name, "clusters");
    assert_string_equal(all[9]->name, "watch");
    assert_ptr_equal(view_find("hc"), all[0]);
    assert_ptr_equal(view_find("HostedClusters"), all[0]);
    assert_ptr_equal(view_find("np")->name, view_find("nodepools")->name);
    assert_string_equal(view_find("etcd")->name, "etcd");
    assert_string_equal(view_find("updates")->name, "updates");
    assert_null(view_find("pods"));
    assert_null(view_find(""));
    assert_null(view_find(NULL));

    const view_ops *panes[8];
    assert_int_equal(view_panes(panes, 8), 4);
    assert_string_equal(panes[1]->name, "nodepools");
    assert_string_equal(panes[3]->name, "updates");
    assert_int_equal(view_details(NULL, 0), 5);
    const view_ops *d[8];
    assert_int_equal(view_details_for(RES_HOSTEDCLUSTER, d, 8), 5);
    assert_int_equal(view_details_for(RES_NODEPOOL, d, 8), 3);
    assert_string_equal(d[0]->name, "conditions");
    assert_string_equal(d[1]->name, "yaml");
    assert_string_equal(d[2]->name, "events");
    assert_int_equal(view_details_for(RES_ETCD_POD, d, 8), 3);
    assert_int_equal(view_details_for(RES_EVENT, d, 8), 0);
    assert_int_equal(view_details_for(VIEW_KIND_PART, d, 8), 0);
    assert_int_equal(view_details_for(RES_HOSTEDCLUSTER, d, 2), 2);
    /* every name and alias is unique across the registry, and every view is complete */
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(view_find(all[i]->name), all[i]);
        for (const char *const *a = all[i]->aliases; a && *a; a++)
            assert_ptr_equal(view_find(*a), all[i]);
        assert_non_null(all[i]->refresh);
        assert_non_null(all[i]->cell);
        assert_non_null(all[i]->help);
        assert_true(all[i]->n_columns > 0);
    }
    int words = 0;
    view_complete("e", count_word, &words); /* etcd, events, ev */
    assert_int_equal(words, 3);
    words = 0;
    view_complete("", count_word, &words);
    assert_true(words > 9);
}

/* What --once --pane waits for: the kinds each pane reads, and nothing it does not. */
static void test_kinds_mask(void **state)
{
    (void)state;
    const unsigned hc = 1u << RES_HOSTEDCLUSTER, np = 1u << RES_NODEPOOL, pod = 1u << RES_ETCD_POD,
                   pvc = 1u << RES_ETCD_PVC, sv = 1u << RES_SUPPORTED_VERSIONS, ev = 1u << RES_EVENT;
    assert_int_equal(view_kinds_mask(view_find("clusters")), hc | np | pod);
    assert_int_equal(view_kinds_mask(view_find("nodepools")), hc | np);
    assert_int_equal(view_kinds_mask(view_find("etcd")), hc | pod | pvc);
    assert_int_equal(view_kinds_mask(view_find("updates")), hc | sv);
    assert_true(view_kinds_mask(view_find("events")) & ev);
    assert_int_equal(view_kinds_mask(NULL), 0);
    view_ops focus_only = {.name = "x", .depends = VIEW_DEP_FOCUS};
    assert_int_equal(view_kinds_mask(&focus_only), 0);
    view_ops all = {.name = "y", .depends = ~0u};
    assert_int_equal(view_kinds_mask(&all), (1u << RES_KIND_COUNT) - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_columns_both_directions),
        cmocka_unit_test(test_sort_cycle_and_reverse),
        cmocka_unit_test(test_sort_keeps_blocks),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_filter_blocks),
        cmocka_unit_test(test_selection_survives_refresh_and_sort),
        cmocka_unit_test(test_filter_before_rows_then_changes_keep_a_selection),
        cmocka_unit_test(test_refresh_skipped_when_inputs_unchanged),
        cmocka_unit_test(test_refresh_never_skipped_without_store_inputs),
        cmocka_unit_test(test_movement),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_rowtab_change_detection),
        cmocka_unit_test(test_rowtab_truncates_at_utf8),
        cmocka_unit_test(test_version_compare),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_kinds_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
