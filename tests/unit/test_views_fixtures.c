/* The panes over the shared fixture objects of tests/fixtures/json/ (the fact sheet's examples),
 * decoded by the client's decoders into a real store: what an SRE sees for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode.h"
#include "client/store.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "views/model.h"

static time_t now_fixed; /* 2026-07-03T20:48:00Z: 3h12m before dev.team1's pause ends */

static void load(store *st, res_kind kind, const char *name)
{
    const char *root = getenv("HCPTUI_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/json/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    record *r = decode_json_text(kind, b.data, b.len);
    if (!r)
        fail_msg("fixture %s does not decode", name);
    store_apply(st, kind, WATCH_ADDED, r);
    buf_free(&b);
}

static int setup(void **state)
{
    assert_true(rfc3339_parse("2026-07-03T20:48:00Z", &now_fixed));
    store *st = store_new();
    load(st, RES_HOSTEDCLUSTER, "hc_healthy.json");  /* clusters/prod1 4.19.3 */
    load(st, RES_HOSTEDCLUSTER, "hc_blocked.json");  /* clusters/prod2, asks for 4.20.1 */
    load(st, RES_HOSTEDCLUSTER, "hc_paused.json");   /* clusters/dev.team1 until 2026-07-04 */
    load(st, RES_HOSTEDCLUSTER, "hostile_controls.json");
    load(st, RES_NODEPOOL, "np_healthy.json");
    load(st, RES_NODEPOOL, "np_autoscaled.json");
    load(st, RES_ETCD_POD, "pod_etcd_running.json");   /* etcd-0 */
    load(st, RES_ETCD_POD, "pod_etcd_crashloop.json"); /* etcd-1 */
    load(st, RES_ETCD_POD, "pod_etcd_pending.json");   /* etcd-2 */
    load(st, RES_ETCD_PVC, "pvc_etcd.json");           /* data-etcd-0 */
    load(st, RES_SUPPORTED_VERSIONS, "cm_supported_versions.json");
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_free(*state);
    return 0;
}

static const char *cell_text(const view_model *m, const char *name, const char *col)
{
    static view_cell c;
    const view_ops *ops = view_model_ops(m);
    size_t ci = ops->n_columns;
    for (size_t i = 0; i < ops->n_columns; i++)
        if (strcmp(ops->columns[i].id, col) == 0)
            ci = i;
    assert_true(ci < ops->n_columns);
    view_object o;
    for (size_t r = 0; r < view_model_rows(m); r++) {
        if (!view_model_row_is_heading(m, r) && view_model_row_object(m, r, &o) && strcmp(o.name, name) == 0) {
            view_model_cell(m, r, ci, &c);
            return c.text;
        }
    }
    fail_msg("no row %s", name);
    return NULL;
}

static view_model *open_view(const char *name, store *st)
{
    view_model *m = view_model_new(view_find(name));
    view_model_refresh(m, st, NULL, now_fixed);
    return m;
}

static void test_fixture_clusters(void **state)
{
    view_model *m = open_view("clusters", *state);
    assert_int_equal(view_model_rows(m), 4);
    assert_string_equal(cell_text(m, "prod1", "version"), "4.19.3");
    assert_string_equal(cell_text(m, "prod1", "desired"), "4.19.3 Completed");
    assert_string_equal(cell_text(m, "prod1", "available"), "True");
    /* etcd-0 running, etcd-1 crash-looping, etcd-2 pending */
    assert_string_equal(cell_text(m, "prod1", "etcd"), "1/3 LOST");
    /* one pool of 3 ready (nodesInfo) and one autoscaled pool with 3 available */
    assert_string_equal(cell_text(m, "prod1", "nodes"), "6/6");
    assert_string_equal(cell_text(m, "prod2", "desired"), "4.20.1 blocked");
    assert_string_equal(cell_text(m, "prod2", "progressing"), "False (Blocked)");
    assert_string_equal(cell_text(m, "dev.team1", "paused"), "\u23f8 3h12m left");
    assert_string_equal(cell_text(m, "dev.team1", "policy"), "Single");
    assert_string_equal(cell_text(m, "evil\x1b[2J\x07", "available"), "False");
    view_model_free(m);
}

static void test_fixture_nodepools(void **state)
{
    view_model *m = open_view("nodepools", *state);
    assert_string_equal(cell_text(m, "prod1-us-east-1a", "nodes"), "3/3");
    assert_string_equal(cell_text(m, "prod1-us-east-1a", "drain"), "10m");
    assert_string_equal(cell_text(m, "prod1-us-east-1a", "skew"), "same");
    assert_string_equal(cell_text(m, "prod1-workers", "nodes"), "auto 2\u20136 (3)");
    assert_string_equal(cell_text(m, "prod1-workers", "updating-version"), "True");
    assert_string_equal(cell_text(m, "prod1-workers", "ready"), "False");
    assert_string_equal(cell_text(m, "prod1-workers", "paused"), "\u23f8 until removed");
    view_model_free(m);
}

static void test_fixture_etcd(void **state)
{
    view_model *m = open_view("etcd", *state);
    /* quorum lost first (ordered by namespace), then the cluster that says nothing about etcd */
    const char *headings[] = {"clusters/dev.team1 \u2014 0/1 healthy: QUORUM LOST (clusters-dev-team1)",
                              "clusters/prod1 \u2014 1/3 healthy: QUORUM LOST (clusters-prod1)",
                              "clusters/prod2 \u2014 0/3 healthy: QUORUM LOST (clusters-prod2)",
                              "clusters/evil\x1b[2J\x07 \u2014 no etcd members seen (clusters-evil\x1b[2J\x07)"};
    const view_role roles[] = {ROLE_BAD, ROLE_BAD, ROLE_BAD, ROLE_DIM};
    size_t seen = 0;
    view_cell c;
    for (size_t r = 0; r < view_model_rows(m); r++) {
        if (!view_model_row_is_heading(m, r))
            continue;
        assert_true(seen < 4);
        view_model_cell(m, r, 0, &c);
        assert_string_equal(c.text, headings[seen]);
        assert_int_equal(c.role, roles[seen]);
        seen++;
    }
    assert_int_equal(seen, 4);
    assert_string_equal(cell_text(m, "etcd-0", "pvc-phase"), "Bound");
    assert_string_equal(cell_text(m, "etcd-1", "reason"), "CrashLoopBackOff");
    assert_string_equal(cell_text(m, "etcd-1", "restarts"), "12");
    assert_string_equal(cell_text(m, "etcd-1", "node"), "ip-10-0-2-7.ec2.internal");
    assert_string_equal(cell_text(m, "etcd-2", "phase"), "Pending");
    view_model_free(m);
}

static void test_fixture_updates(void **state)
{
    view_model *m = open_view("updates", *state);
    assert_string_equal(cell_text(m, "prod1", "available"), "4.19.5");
    assert_string_equal(cell_text(m, "prod1", "conditional"), "4.19.4 (OVNRouteLeak)");
    assert_string_equal(cell_text(m, "prod1", "supported"), "yes (4.14\u20135.1)");
    assert_string_equal(cell_text(m, "prod2", "desired"), "4.20.1");
    view_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fixture_clusters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixture_nodepools, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixture_etcd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixture_updates, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
