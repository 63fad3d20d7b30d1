/* Unit tests for the detail views: conditions, YAML (from the focus slot), events, version history
 * and update risks, for an object chosen as the target. */
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

static time_t now_fixed; /* 2026-07-03T20:48:00Z */

static const char HC_JSON[] =
    "{\"kind\":\"HostedCluster\",\"metadata\":{\"name\":\"prod1\",\"namespace\":\"clusters\",\"resourceVersion\":\"5\"},"
    "\"spec\":{\"controllerAvailabilityPolicy\":\"HighlyAvailable\"},"
    "\"status\":{\"version\":{\"desired\":{\"version\":\"4.19.5\"},\"history\":["
    "{\"state\":\"Partial\",\"version\":\"4.19.5\",\"image\":\"quay.io/r:4.19.5\",\"startedTime\":\"2026-07-03T20:00:00Z\","
    "\"completionTime\":null},"
    "{\"state\":\"Completed\",\"version\":\"4.19.3\",\"image\":\"quay.io/r:4.19.3\",\"startedTime\":\"2026-05-02T10:11:40Z\","
    "\"completionTime\":\"2026-05-02T10:39:05Z\"}],"
    "\"availableUpdates\":null,\"conditionalUpdates\":["
    "{\"release\":{\"version\":\"4.19.4\"},\"risks\":[{\"name\":\"OVNRouteLeak\",\"message\":\"Routes may be dropped.\","
    "\"url\":\"https://issues.example/OCPBUGS-1\"}],\"conditions\":[{\"type\":\"Recommended\",\"status\":\"False\"}]},"
    "{\"release\":{\"version\":\"4.19.6\"},\"risks\":[{\"name\":\"A\",\"message\":\"m-a\",\"url\":\"u-a\"},"
    "{\"name\":\"B\",\"message\":\"m-b\",\"url\":\"u-b\"}]}]},"
    "\"controlPlaneVersion\":{\"desired\":{\"version\":\"4.19.5\"},\"history\":[{\"state\":\"Completed\","
    "\"version\":\"4.19.5\",\"startedTime\":\"2026-07-03T20:00:00Z\",\"completionTime\":\"2026-07-03T20:14:28Z\"}]},"
    "\"conditions\":["
    "{\"type\":\"Available\",\"status\":\"True\",\"reason\":\"AsExpected\",\"message\":\"ok\","
    "\"lastTransitionTime\":\"2026-07-03T20:38:00Z\"},"
    "{\"type\":\"Progressing\",\"status\":\"True\",\"reason\":\"Progressing\",\"message\":\"upgrading\","
    "\"lastTransitionTime\":\"2026-07-03T20:00:00Z\"},"
    "{\"type\":\"Degraded\",\"status\":\"True\",\"reason\":\"Broken\",\"message\":\"something\\nbroke\","
    "\"lastTransitionTime\":\"2026-07-03T19:48:00Z\"},"
    "{\"type\":\"SomethingNew\",\"status\":\"False\",\"reason\":\"\",\"message\":\"\"},"
    "{\"type\":\"EtcdAvailable\",\"status\":\"False\",\"reason\":\"EtcdWaitingForQuorum\",\"message\":\"\"}]}}";

static void put(store *st, res_kind kind, const char *json)
{
    record *r = decode_json_text(kind, json, strlen(json));
    assert_non_null(r);
    assert_true(store_apply(st, kind, WATCH_ADDED, r));
}

static int setup(void **state)
{
    assert_true(rfc3339_parse("2026-07-03T20:48:00Z", &now_fixed));
    store *st = store_new();
    put(st, RES_HOSTEDCLUSTER, HC_JSON);
    put(st, RES_NODEPOOL,
        "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"pool\",\"namespace\":\"clusters\",\"resourceVersion\":\"6\"},"
        "\"spec\":{\"clusterName\":\"prod1\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
        "\"reason\":\"\",\"message\":\"Minimum availability requires 4 replicas\"}]}}");
    put(st, RES_EVENT,
        "{\"kind\":\"Event\",\"metadata\":{\"name\":\"e1\",\"namespace\":\"clusters\",\"resourceVersion\":\"7\"},"
        "\"involvedObject\":{\"kind\":\"HostedCluster\",\"namespace\":\"clusters\",\"name\":\"prod1\"},"
        "\"reason\":\"ReconciliationError\",\"message\":\"timeout\",\"type\":\"Warning\",\"count\":7,"
        "\"firstTimestamp\":\"2026-07-03T20:00:00Z\",\"lastTimestamp\":\"2026-07-03T20:45:00Z\"}");
    put(st, RES_EVENT,
        "{\"kind\":\"Event\",\"metadata\":{\"name\":\"e2\",\"namespace\":\"clusters\",\"resourceVersion\":\"8\"},"
        "\"involvedObject\":{\"kind\":\"HostedCluster\",\"namespace\":\"clusters\",\"name\":\"prod1\"},"
        "\"reason\":\"Upgrading\",\"message\":\"to 4.19.5\",\"type\":\"Normal\",\"count\":1,"
        "\"firstTimestamp\":\"2026-07-03T20:47:00Z\",\"lastTimestamp\":\"2026-07-03T20:47:00Z\"}");
    put(st, RES_EVENT,
        "{\"kind\":\"Event\",\"metadata\":{\"name\":\"e3\",\"namespace\":\"clusters\",\"resourceVersion\":\"9\"},"
        "\"involvedObject\":{\"kind\":\"NodePool\",\"namespace\":\"clusters\",\"name\":\"prod1\"},"
        "\"reason\":\"Other\",\"message\":\"not about the cluster\",\"type\":\"Normal\","
        "\"lastTimestamp\":\"2026-07-03T20:48:00Z\"}");
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_free(*state);
    return 0;
}

static view_object hc_target;

static view_model *open_detail(const char *name, store *st, res_kind kind, const char *obj_name)
{
    view_object_set(&hc_target, kind, "clusters", obj_name, "clusters", "prod1");
    view_scope scope = {.target = &hc_target};
    view_model *m = view_model_new(view_find(name));
    view_model_refresh(m, st, &scope, now_fixed);
    return m;
}

static void expect_row(const view_model *m, size_t row, const char *const *texts, const view_role *roles)
{
    const view_ops *ops = view_model_ops(m);
    view_cell c;
    for (size_t col = 0; col < ops->n_columns; col++) {
        view_model_cell(m, row, col, &c);
        if (strcmp(c.text, texts[col]) != 0 || (roles && c.role != roles[col]))
            print_error("row %zu col %s: got \"%s\" role %d, want \"%s\" role %d\n", row, ops->columns[col].id,
                        c.text, (int)c.role, texts[col], roles ? (int)roles[col] : -1);
        assert_string_equal(c.text, texts[col]);
        if (roles)
            assert_int_equal(c.role, roles[col]);
    }
}

static void test_conditions_bad_first(void **state)
{
    view_model *m = open_detail("conditions", *state, RES_HOSTEDCLUSTER, "prod1");
    assert_int_equal(view_model_rows(m), 5);
    /* the unhealthy (Degraded=True, EtcdAvailable=False) first, each group in API order */
    expect_row(m, 0, (const char *const[]){"Degraded", "True", "Broken", "something\nbroke", "60m"},
               (const view_role[]){ROLE_BAD, ROLE_BAD, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DEFAULT});
    expect_row(m, 1, (const char *const[]){"EtcdAvailable", "False", "EtcdWaitingForQuorum", "-", "-"},
               (const view_role[]){ROLE_BAD, ROLE_BAD, ROLE_DEFAULT, ROLE_DIM, ROLE_DIM});
    expect_row(m, 2, (const char *const[]){"Available", "True", "AsExpected", "ok", "10m"},
               (const view_role[]){ROLE_DEFAULT, ROLE_OK, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DEFAULT});
    expect_row(m, 3, (const char *const[]){"Progressing", "True", "Progressing", "upgrading", "48m"},
               (const view_role[]){ROLE_DEFAULT, ROLE_WARN, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DEFAULT});
    /* a type the console does not know: shown, not judged */
    expect_row(m, 4, (const char *const[]){"SomethingNew", "False", "-", "-", "-"},
               (const view_role[]){ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DIM, ROLE_DIM, ROLE_DIM});
    /* sort by type, selection by condition type survives */
    view_model_select(m, 2);
    view_model_set_sort(m, 0, false);
    view_object o;
    assert_true(view_model_selected_object(m, &o));
    assert_string_equal(o.name, "Available");
    assert_int_equal(view_model_selected(m), 0);
    view_model_free(m);

    m = open_detail("conditions", *state, RES_NODEPOOL, "pool");
    assert_int_equal(view_model_rows(m), 1);
    expect_row(m, 0, (const char *const[]){"Ready", "False", "-", "Minimum availability requires 4 replicas", "-"},
               NULL);
    view_model_free(m);

    /* a target the store does not have: empty, no crash */
    m = open_detail("conditions", *state, RES_HOSTEDCLUSTER, "gone");
    assert_int_equal(view_model_rows(m), 0);
    view_model_free(m);
    m = open_detail("conditions", *state, RES_ETCD_PVC, "x");
    assert_int_equal(view_model_rows(m), 0);
    view_model_free(m);
}

static void test_history(void **state)
{
    view_model *m = open_detail("history", *state, RES_HOSTEDCLUSTER, "prod1");
    assert_int_equal(view_model_rows(m), 5);
    assert_true(view_model_row_is_heading(m, 0));
    expect_row(m, 0, (const char *const[]){"Version history (status.version)", "", "", "", "", ""}, NULL);
    expect_row(m, 1,
               (const char *const[]){"Partial", "4.19.5", "2026-07-03 20:00:00", "-", "running 48m", "quay.io/r:4.19.5"},
               (const view_role[]){ROLE_WARN, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DIM, ROLE_WARN, ROLE_DIM});
    expect_row(m, 2,
               (const char *const[]){"Completed", "4.19.3", "2026-05-02 10:11:40", "2026-05-02 10:39:05", "27m",
                                     "quay.io/r:4.19.3"},
               (const view_role[]){ROLE_OK, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DIM});
    assert_true(view_model_row_is_heading(m, 3));
    expect_row(m, 3,
               (const char *const[]){"Control-plane version history (status.controlPlaneVersion)", "", "", "", "", ""},
               NULL);
    expect_row(m, 4,
               (const char *const[]){"Completed", "4.19.5", "2026-07-03 20:00:00", "2026-07-03 20:14:28", "14m", "-"},
               NULL);
    /* sorting by version sorts within each block */
    view_model_set_sort(m, 1, false);
    view_cell c;
    view_model_cell(m, 1, 1, &c);
    assert_string_equal(c.text, "4.19.3");
    view_model_free(m);

    /* not for node pools */
    m = open_detail("history", *state, RES_NODEPOOL, "pool");
    assert_int_equal(view_model_rows(m), 0);
    view_model_free(m);
}

static void test_risks(void **state)
{
    view_model *m = open_detail("risks", *state, RES_HOSTEDCLUSTER, "prod1");
    assert_int_equal(view_model_rows(m), 3);
    /* newest update first; one row per risk */
    expect_row(m, 0, (const char *const[]){"4.19.6", "A", "-", "m-a", "u-a"}, NULL);
    expect_row(m, 1, (const char *const[]){"4.19.6", "B", "-", "m-b", "u-b"}, NULL);
    expect_row(m, 2,
               (const char *const[]){"4.19.4", "OVNRouteLeak", "False", "Routes may be dropped.",
                                     "https://issues.example/OCPBUGS-1"},
               (const view_role[]){ROLE_DEFAULT, ROLE_WARN, ROLE_WARN, ROLE_DEFAULT, ROLE_ACCENT});
    view_model_free(m);
}

static void test_events(void **state)
{
    view_model *m = open_detail("events", *state, RES_HOSTEDCLUSTER, "prod1");
    assert_int_equal(view_model_rows(m), 2);
    /* newest first; the NodePool's event with the same name is not the cluster's */
    expect_row(m, 0, (const char *const[]){"Normal", "Upgrading", "60s", "1", "to 4.19.5"}, NULL);
    expect_row(m, 1, (const char *const[]){"Warning", "ReconciliationError", "3m", "7", "timeout"},
               (const view_role[]){ROLE_WARN, ROLE_WARN, ROLE_DEFAULT, ROLE_DEFAULT, ROLE_DEFAULT});
    /* sort by count descending */
    view_model_set_sort(m, 3, true);
    view_cell c;
    view_model_cell(m, 0, 3, &c);
    assert_string_equal(c.text, "7");
    view_model_free(m);
}

static void test_yaml_view(void **state)
{
    store *st = *state;
    /* nothing focused yet: empty (the tui shows "Loading the object...") */
    view_model *m = open_detail("yaml", st, RES_HOSTEDCLUSTER, "prod1");
    assert_int_equal(view_model_rows(m), 0);
    assert_true(view_model_ops(m)->flags & VIEW_TEXT);
    /* another object in focus: still empty */
    store_set_focus(st, RES_HOSTEDCLUSTER, "clusters", "other", "{}", 2);
    view_scope scope = {.target = &hc_target};
    view_model_refresh(m, st, &scope, now_fixed);
    assert_int_equal(view_model_rows(m), 0);
    /* the target in focus */
    store_set_focus(st, RES_HOSTEDCLUSTER, "clusters", "prod1", HC_JSON, strlen(HC_JSON));
    assert_true(view_model_refresh(m, st, &scope, now_fixed));
    view_cell c;
    view_model_cell(m, 0, 0, &c);
    assert_string_equal(c.text, "kind: HostedCluster");
    view_model_cell(m, 1, 0, &c);
    assert_string_equal(c.text, "metadata:");
    view_model_cell(m, 2, 0, &c);
    assert_string_equal(c.text, "  name: prod1");
    /* search jumps; the filter does not hide lines in a text view */
    assert_true(view_model_search(m, "OVNRouteLeak", true));
    view_model_cell(m, view_model_selected(m), 0, &c);
    assert_non_null(strstr(c.text, "OVNRouteLeak"));
    size_t rows = view_model_rows(m);
    view_model_set_filter(m, "zzz");
    assert_int_equal(view_model_rows(m), rows);
    /* sorting a text view is refused */
    view_model_set_sort(m, 0, false);
    assert_int_equal(view_model_sort_column(m, NULL), -1);
    /* the multi-line message became a literal block */
    bool block = false;
    for (size_t r = 0; r < rows; r++) {
        view_model_cell(m, r, 0, &c);
        if (strstr(c.text, "message: |-"))
            block = true;
    }
    assert_true(block);
    /* focus text that is not JSON: one line that says so */
    store_set_focus(st, RES_HOSTEDCLUSTER, "clusters", "prod1", "{oops", 5);
    assert_true(view_model_refresh(m, st, &scope, now_fixed));
    assert_int_equal(view_model_rows(m), 1);
    view_model_cell(m, 0, 0, &c);
    assert_int_equal(c.role, ROLE_BAD);
    view_model_free(m);
}

/* The target is deleted while its detail views are open: each says so instead of its usual empty
 * text ("No conditions reported" would read as a healthy object with nothing to report). */
static void test_deleted_target(void **state)
{
    store *st = *state;
    static const char *const views[] = {"conditions", "history", "risks", "yaml", "events"};
    view_model *m[5];
    for (size_t i = 0; i < 5; i++) {
        m[i] = open_detail(views[i], st, RES_HOSTEDCLUSTER, "prod1");
        assert_string_equal(view_model_empty_text(m[i]), view_model_ops(m[i])->empty_text);
    }
    view_scope scope = {.target = &hc_target};
    /* events of a deleted object outlive it: drop them too, as the apiserver eventually does */
    static const char *const events[] = {"e1", "e2"};
    for (size_t i = 0; i < 2; i++) {
        char json[256];
        snprintf(json, sizeof json, "{\"kind\":\"Event\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"clusters\","
                 "\"resourceVersion\":\"20\"}}", events[i]);
        assert_true(store_apply(st, RES_EVENT, WATCH_DELETED, decode_json_text(RES_EVENT, json, strlen(json))));
    }
    record *gone = decode_json_text(RES_HOSTEDCLUSTER, HC_JSON, strlen(HC_JSON));
    assert_true(store_apply(st, RES_HOSTEDCLUSTER, WATCH_DELETED, gone));
    for (size_t i = 0; i < 5; i++) {
        /* the change is news even when the view had no rows before (yaml: nothing focused) */
        bool changed = view_model_refresh(m[i], st, &scope, now_fixed);
        if (i != 3)
            assert_true(changed);
        assert_int_equal(view_model_rows(m[i]), 0);
        assert_string_equal(view_model_empty_text(m[i]), "HostedCluster clusters/prod1 was deleted");
        view_model_free(m[i]);
    }

    /* a node pool's conditions; an object of a kind the store does not keep says nothing of the sort */
    view_model *np = open_detail("conditions", st, RES_NODEPOOL, "nosuch");
    assert_string_equal(view_model_empty_text(np), "NodePool clusters/nosuch was deleted");
    view_model_free(np);
    view_model *other = open_detail("conditions", st, RES_ETCD_PVC, "x");
    assert_string_equal(view_model_empty_text(other), "No conditions reported");
    view_model_free(other);
    /* no store yet (nothing loaded): the usual empty text */
    other = view_model_new(view_find("conditions"));
    view_model_refresh(other, NULL, &scope, now_fixed);
    assert_string_equal(view_model_empty_text(other), "No conditions reported");
    view_model_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_conditions_bad_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_risks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yaml_view, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_target, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
