/* Unit tests for the four panes: every column's text and role for representative records, built by
 * decoding JSON into a real store (no curses, a fixed clock). */
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
#include "tui/layout.h"
#include "views/model.h"

/* 2026-07-03T20:48:00Z: 3h12m before the pause in hc_paused ends. */
static time_t now_fixed;

/* ---- building the store */

static int rv_counter;

static void put(store *st, res_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(store *st, res_kind kind, const char *fmt, ...)
{
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    record *r = decode_json_text(kind, b.data, b.len);
    if (!r)
        fail_msg("fixture does not decode: %s", b.data);
    assert_true(store_apply(st, kind, WATCH_ADDED, r));
    buf_free(&b);
}

#define COND(t, s, r, m) "{\"type\":\"" t "\",\"status\":\"" s "\",\"reason\":\"" r "\",\"message\":\"" m "\"," \
                         "\"lastTransitionTime\":\"2026-07-03T18:48:00Z\"}"
#define HEALTHY_CONDS COND("Available", "True", "AsExpected", "ok") "," COND("Progressing", "False", "AsExpected", "") \
    "," COND("Degraded", "False", "AsExpected", "")

/* A HostedCluster in namespace "clusters". */
static void put_hc_image(store *st, const char *name, const char *image, const char *policy, const char *spec_extra,
                         const char *version_json, const char *conditions)
{
    put(st, RES_HOSTEDCLUSTER,
        "{\"kind\":\"HostedCluster\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"clusters\",\"resourceVersion\":\"%d\","
        "\"creationTimestamp\":\"2026-06-30T20:48:00Z\"},\"spec\":{\"release\":{\"image\":\"%s\"},"
        "\"channel\":\"stable-4.19\",\"controllerAvailabilityPolicy\":\"%s\",\"platform\":{\"type\":\"AWS\"},"
        "\"etcd\":{\"managementType\":\"Managed\"}%s},\"status\":{\"version\":%s,\"conditions\":[%s]}}",
        name, ++rv_counter, image, policy, spec_extra, version_json, conditions);
}

/* The release image by digest: no version to read from it. */
static void put_hc(store *st, const char *name, const char *policy, const char *spec_extra, const char *version_json,
                   const char *conditions)
{
    put_hc_image(st, name, "quay.io/r@sha256:0123abcd", policy, spec_extra, version_json, conditions);
}

#define V_COMPLETED(v)                                                                                      \
    "{\"desired\":{\"version\":\"" v "\"},\"history\":[{\"state\":\"Completed\",\"version\":\"" v "\","       \
    "\"startedTime\":\"2026-07-01T10:00:00Z\",\"completionTime\":\"2026-07-01T10:30:00Z\"}],"                 \
    "\"availableUpdates\":null}"

/* An etcd member: healthy, crash-looping, or pending. */
typedef enum { POD_OK, POD_CRASH, POD_PENDING } pod_kind;

static void put_pod(store *st, const char *cp_ns, int index, pod_kind kind)
{
    const char *status;
    if (kind == POD_OK)
        status = "\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
                 "\"containerStatuses\":[{\"name\":\"etcd\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}},"
                 "{\"name\":\"etcd-metrics\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}},"
                 "{\"name\":\"healthz\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}},"
                 "{\"name\":\"etcd-defrag\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]";
    else if (kind == POD_CRASH)
        status = "\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}],"
                 "\"containerStatuses\":[{\"name\":\"etcd\",\"ready\":false,\"restartCount\":12,"
                 "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},\"lastState\":{\"terminated\":"
                 "{\"reason\":\"Error\",\"exitCode\":1,\"finishedAt\":\"2026-07-03T20:43:00Z\"}}},"
                 "{\"name\":\"etcd-metrics\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}},"
                 "{\"name\":\"healthz\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}},"
                 "{\"name\":\"etcd-defrag\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]";
    else
        status = "\"phase\":\"Pending\"";
    put(st, RES_ETCD_POD,
        "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"etcd-%d\",\"namespace\":\"%s\",\"resourceVersion\":\"%d\","
        "\"creationTimestamp\":\"2026-07-01T20:48:00Z\",\"labels\":{\"app\":\"etcd\"}},\"spec\":{\"nodeName\":"
        "\"node-%d\",\"volumes\":[{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data-etcd-%d\"}}]},"
        "\"status\":{%s}}",
        index, cp_ns, ++rv_counter, index, index, status);
}

static void put_pvc(store *st, const char *cp_ns, int index, const char *phase)
{
    put(st, RES_ETCD_PVC,
        "{\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data-etcd-%d\",\"namespace\":\"%s\","
        "\"resourceVersion\":\"%d\",\"labels\":{\"app\":\"etcd\"}},\"status\":{\"phase\":\"%s\"}}",
        index, cp_ns, ++rv_counter, phase);
}

static void put_np(store *st, const char *name, const char *cluster, const char *spec_extra, const char *status)
{
    put(st, RES_NODEPOOL,
        "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"clusters\",\"resourceVersion\":\"%d\","
        "\"creationTimestamp\":\"2026-07-02T20:48:00Z\"},\"spec\":{\"clusterName\":\"%s\",\"management\":"
        "{\"upgradeType\":\"Replace\"},\"release\":{\"image\":\"x\"}%s},\"status\":{%s}}",
        name, ++rv_counter, cluster, spec_extra, status);
}

/* ---- reading a pane */

static int col_index(const view_ops *ops, const char *id)
{
    for (size_t i = 0; i < ops->n_columns; i++)
        if (strcmp(ops->columns[i].id, id) == 0)
            return (int)i;
    fail_msg("no column %s in %s", id, ops->name);
    return -1;
}

/* The visible row whose object name is name (or whose first cell starts with it, for headings). */
static size_t row_named(const view_model *m, const char *name)
{
    view_object o;
    for (size_t r = 0; r < view_model_rows(m); r++)
        if (view_model_row_object(m, r, &o) && !view_model_row_is_heading(m, r) && strcmp(o.name, name) == 0)
            return r;
    fail_msg("no row %s", name);
    return 0;
}

static void expect_cell(const view_model *m, size_t row, const char *col, const char *text, view_role role)
{
    view_cell c;
    view_model_cell(m, row, (size_t)col_index(view_model_ops(m), col), &c);
    if (strcmp(c.text, text) != 0 || c.role != role)
        print_error("column %s: got \"%s\" role %d, want \"%s\" role %d\n", col, c.text, c.role, text, role);
    assert_string_equal(c.text, text);
    assert_int_equal(c.role, role);
}

static view_model *open_view(const char *name, store *st, const view_scope *scope)
{
    const view_ops *ops = view_find(name);
    assert_non_null(ops);
    view_model *m = view_model_new(ops);
    view_model_refresh(m, st, scope, now_fixed);
    return m;
}

/* ---- the fleet used by most tests */

static store *fleet(void)
{
    store *st = store_new();
    /* prod1: healthy, HA, 3/3 etcd, one pool of 3 */
    put_hc_image(st, "prod1", "quay.io/r:4.19.3-multi", "HighlyAvailable", "", V_COMPLETED("4.19.3"), HEALTHY_CONDS);
    for (int i = 0; i < 3; i++) {
        put_pod(st, "clusters-prod1", i, POD_OK);
        put_pvc(st, "clusters-prod1", i, "Bound");
    }
    put_np(st, "prod1-a", "prod1", ",\"replicas\":3,\"nodeDrainTimeout\":\"10m\"",
           "\"replicas\":3,\"version\":\"4.19.3\",\"conditions\":[" COND("Ready", "True", "AsExpected", "")
           "," COND("UpdatingVersion", "False", "AsExpected", "") "," COND("UpdatingConfig", "False", "AsExpected", "")
           "]");
    /* upgrading: Partial 4.19.5 at 56%, etcd 2/3 with a crash loop */
    put_hc_image(st, "upgrading", "quay.io/r:4.19.5-multi", "HighlyAvailable", "",
           "{\"desired\":{\"version\":\"4.19.5\"},\"history\":[{\"state\":\"Partial\",\"version\":\"4.19.5\","
           "\"startedTime\":\"2026-07-03T20:00:00Z\",\"completionTime\":null},{\"state\":\"Completed\",\"version\":"
           "\"4.19.3\",\"startedTime\":\"2026-07-01T10:00:00Z\",\"completionTime\":\"2026-07-01T10:30:00Z\"}],"
           "\"availableUpdates\":null}",
           COND("Available", "True", "AsExpected", "") "," COND("Progressing", "True", "Progressing", "")
           "," COND("Degraded", "False", "AsExpected", "") "," COND("ClusterVersionProgressing", "True",
           "FromClusterVersion", "Working towards 4.19.5: 512 of 905 done (56% complete)"));
    put_pod(st, "clusters-upgrading", 0, POD_OK);
    put_pod(st, "clusters-upgrading", 1, POD_CRASH);
    put_pod(st, "clusters-upgrading", 2, POD_OK);
    put_pvc(st, "clusters-upgrading", 1, "Pending");
    /* blocked: minor upgrade held by ClusterVersionUpgradeable=False; etcd 1/3 */
    put_hc_image(st, "blocked", "quay.io/r:4.20.1-multi", "HighlyAvailable", "",
           "{\"desired\":{\"version\":\"4.19.5\"},\"history\":[{\"state\":\"Completed\",\"version\":\"4.19.5\"}],"
           "\"availableUpdates\":[{\"version\":\"4.19.6\"},{\"version\":\"4.19.10\"},{\"version\":\"4.19.7\"}],"
           "\"conditionalUpdates\":[{\"release\":{\"version\":\"4.20.1\"},\"risks\":[{\"name\":\"AdminAck\","
           "\"message\":\"APIs removed\",\"url\":\"https://issues.example/1\"},{\"name\":\"OVNRouteLeak\"}],"
           "\"conditions\":[{\"type\":\"Recommended\",\"status\":\"False\"}]}]}",
           COND("ClusterVersionUpgradeable", "False", "AdminAckRequired", "admin ack")
           "," COND("Progressing", "False", "Blocked",
                    "ClusterVersionUpgradeable condition is false: cluster version is not upgradeable")
           "," COND("Available", "True", "AsExpected", "") "," COND("Degraded", "False", "AsExpected", ""));
    put_pod(st, "clusters-blocked", 0, POD_OK);
    put_pod(st, "clusters-blocked", 1, POD_CRASH);
    put_pod(st, "clusters-blocked", 2, POD_PENDING);
    /* paused until a time (3h12m left), single replica */
    put_hc(st, "paused", "SingleReplica", ",\"pausedUntil\":\"2026-07-04T00:00:00Z\"", V_COMPLETED("4.18.9"),
           HEALTHY_CONDS);
    put_pod(st, "clusters-paused", 0, POD_OK);
    /* paused until removed; Degraded */
    put_hc(st, "frozen", "HighlyAvailable", ",\"pausedUntil\":\"true\"", V_COMPLETED("4.21.0"),
           COND("Available", "True", "AsExpected", "") "," COND("Degraded", "True", "Broken", "bad"));
    /* supported-versions ConfigMap: 4.14 .. 4.20 */
    put(st, RES_SUPPORTED_VERSIONS,
        "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"supported-versions\",\"namespace\":\"hypershift\","
        "\"resourceVersion\":\"7\"},\"data\":{\"supported-versions\":\"{\\\"versions\\\":[\\\"4.20\\\",\\\"4.19\\\","
        "\\\"4.18\\\",\\\"4.17\\\",\\\"4.16\\\",\\\"4.15\\\",\\\"4.14\\\"]}\",\"server-version\":\"abc\"}}");
    return st;
}

static int setup(void **state)
{
    assert_true(rfc3339_parse("2026-07-03T20:48:00Z", &now_fixed));
    *state = fleet();
    view_set_ascii(false);
    return 0;
}

static int teardown(void **state)
{
    store_free(*state);
    view_set_ascii(false);
    return 0;
}

/* ---- clusters */

static void test_clusters_healthy(void **state)
{
    view_model *m = open_view("hc", *state, NULL);
    assert_int_equal(view_model_rows(m), 5);
    size_t r = row_named(m, "prod1");
    expect_cell(m, r, "namespace", "clusters", ROLE_DEFAULT);
    expect_cell(m, r, "name", "prod1", ROLE_ACCENT);
    expect_cell(m, r, "version", "4.19.3", ROLE_DEFAULT);
    expect_cell(m, r, "desired", "4.19.3 Completed", ROLE_OK);
    expect_cell(m, r, "available", "True", ROLE_OK);
    expect_cell(m, r, "progressing", "False", ROLE_OK);
    expect_cell(m, r, "degraded", "False", ROLE_OK);
    expect_cell(m, r, "paused", "-", ROLE_DIM);
    expect_cell(m, r, "policy", "HA", ROLE_DEFAULT);
    expect_cell(m, r, "platform", "AWS", ROLE_DEFAULT);
    expect_cell(m, r, "nodes", "3/3", ROLE_OK);
    expect_cell(m, r, "etcd", "3/3", ROLE_OK);
    expect_cell(m, r, "age", "3d", ROLE_DEFAULT);
    assert_int_equal(view_model_row_role(m, r), ROLE_OK);
    view_object o;
    assert_true(view_model_row_object(m, r, &o));
    assert_int_equal(o.kind, RES_HOSTEDCLUSTER);
    assert_string_equal(o.cluster_ns, "clusters");
    assert_string_equal(o.cluster_name, "prod1");
    view_model_free(m);
}

/* Before the etcd pods have been listed once, a cluster's quorum is unknown, not lost: no false
 * alarm while loading (or when pods cannot be read). The first list, even an empty one, decides. */
static void test_clusters_etcd_not_listed_yet(void **state)
{
    (void)state;
    store *st = store_new();
    put_hc(st, "fresh", "HighlyAvailable", "", "{\"history\":[]}", HEALTHY_CONDS);
    view_model *m = open_view("hc", st, NULL);
    size_t r = row_named(m, "fresh");
    expect_cell(m, r, "etcd", "-", ROLE_DIM);
    assert_int_not_equal(view_model_row_role(m, r), ROLE_BAD);
    uint64_t before = store_kind_changes(st, RES_ETCD_POD);
    store_relist_begin(st, RES_ETCD_POD);
    store_relist_end(st, RES_ETCD_POD, "42");
    assert_true(store_kind_changes(st, RES_ETCD_POD) > before);
    assert_true(view_model_refresh(m, st, NULL, now_fixed));
    r = row_named(m, "fresh");
    expect_cell(m, r, "etcd", "0/3 LOST", ROLE_BAD);
    view_model_free(m);
    store_free(st);
}

static void test_clusters_upgrading_and_blocked(void **state)
{
    view_model *m = open_view("clusters", *state, NULL);
    size_t r = row_named(m, "upgrading");
    expect_cell(m, r, "version", "4.19.3", ROLE_DEFAULT);
    expect_cell(m, r, "desired", "4.19.5 Partial 56%", ROLE_WARN);
    view_cell c;
    view_model_cell(m, r, (size_t)col_index(view_model_ops(m), "desired"), &c);
    assert_int_equal(c.progress_pct, 56);
    expect_cell(m, r, "progressing", "True", ROLE_WARN);
    expect_cell(m, r, "etcd", "2/3 !", ROLE_WARN);
    expect_cell(m, r, "nodes", "-", ROLE_DIM);
    assert_int_equal(view_model_row_role(m, r), ROLE_WARN);

    r = row_named(m, "blocked");
    expect_cell(m, r, "version", "4.19.5", ROLE_DEFAULT);
    expect_cell(m, r, "desired", "4.20.1 blocked", ROLE_BAD);
    view_model_cell(m, r, (size_t)col_index(view_model_ops(m), "desired"), &c);
    assert_int_equal(c.progress_pct, -1);
    expect_cell(m, r, "progressing", "False (Blocked)", ROLE_BAD);
    expect_cell(m, r, "etcd", "1/3 LOST", ROLE_BAD);
    assert_int_equal(view_model_row_role(m, r), ROLE_BAD);
    view_model_free(m);
}

static void test_clusters_paused(void **state)
{
    view_model *m = open_view("clusters", *state, NULL);
    size_t r = row_named(m, "paused");
    expect_cell(m, r, "paused", "\u23f8 3h12m left", ROLE_PAUSED);
    expect_cell(m, r, "policy", "Single", ROLE_DEFAULT);
    expect_cell(m, r, "etcd", "1/1", ROLE_OK);
    assert_int_equal(view_model_row_role(m, r), ROLE_PAUSED);
    r = row_named(m, "frozen");
    expect_cell(m, r, "paused", "\u23f8 until removed", ROLE_PAUSED);
    expect_cell(m, r, "degraded", "True", ROLE_BAD);
    expect_cell(m, r, "progressing", "-", ROLE_DIM);
    expect_cell(m, r, "etcd", "0/3 LOST", ROLE_BAD);
    assert_int_equal(view_model_row_role(m, r), ROLE_BAD);
    view_model_free(m);

    /* ASCII mode: the symbol becomes "||" */
    view_set_ascii(true);
    m = open_view("clusters", *state, NULL);
    expect_cell(m, row_named(m, "paused"), "paused", "|| 3h12m left", ROLE_PAUSED);
    view_model_free(m);
    view_set_ascii(false);
}

static void test_clusters_unknown_fields(void **state)
{
    (void)state;
    store *st = store_new();
    put(st, RES_HOSTEDCLUSTER, "{\"kind\":\"HostedCluster\",\"metadata\":{\"name\":\"bare\",\"namespace\":\"x\"}}");
    put(st, RES_HOSTEDCLUSTER,
        "{\"kind\":\"HostedCluster\",\"metadata\":{\"name\":\"odd\",\"namespace\":\"x\"},\"spec\":"
        "{\"pausedUntil\":\"soon\",\"controllerAvailabilityPolicy\":42,\"platform\":[]},\"status\":{\"version\":"
        "{\"history\":[{\"state\":\"Weird\"}]},\"conditions\":[{\"type\":\"Available\",\"status\":\"Maybe\"}]}}");
    /* the spec asks for a release the status does not show yet; a paused cluster is not "blocked" */
    put_hc_image(st, "asked", "registry.local:5000/r:4.19.6-x86_64", "HighlyAvailable", "", V_COMPLETED("4.19.5"),
                 HEALTHY_CONDS);
    put_hc_image(st, "held", "quay.io/r:4.19.6", "HighlyAvailable", ",\"pausedUntil\":\"true\"", V_COMPLETED("4.19.5"),
                 COND("Progressing", "False", "Blocked", "ReconciliationActive condition is false: paused"));
    /* the spec was just unpaused; the operator still reports paused */
    put_hc(st, "thawing", "HighlyAvailable", "", V_COMPLETED("4.19.5"),
           COND("ReconciliationActive", "False", "ReconciliationPaused", "Reconciliation paused until field removed"));
    view_model *m = open_view("clusters", st, NULL);
    assert_int_equal(view_model_rows(m), 5);
    expect_cell(m, row_named(m, "thawing"), "paused", "\u23f8 paused", ROLE_PAUSED);
    expect_cell(m, row_named(m, "asked"), "desired", "4.19.6 pending", ROLE_WARN);
    expect_cell(m, row_named(m, "held"), "desired", "4.19.6 pending", ROLE_WARN);
    /* Blocked by the pause, not by an upgrade gate: paused, not failing */
    expect_cell(m, row_named(m, "held"), "progressing", "False (paused)", ROLE_PAUSED);

    size_t r = row_named(m, "bare");
    expect_cell(m, r, "version", "-", ROLE_DIM);
    expect_cell(m, r, "desired", "-", ROLE_DIM);
    expect_cell(m, r, "available", "-", ROLE_DIM);
    expect_cell(m, r, "paused", "-", ROLE_DIM);
    expect_cell(m, r, "policy", "-", ROLE_DIM);
    expect_cell(m, r, "platform", "-", ROLE_DIM);
    expect_cell(m, r, "nodes", "-", ROLE_DIM);
    expect_cell(m, r, "etcd", "-", ROLE_DIM);
    expect_cell(m, r, "age", "-", ROLE_DIM);
    r = row_named(m, "odd");
    expect_cell(m, r, "paused", "invalid value", ROLE_WARN);
    expect_cell(m, r, "available", "Unknown", ROLE_WARN);
    expect_cell(m, r, "version", "-", ROLE_DIM);
    view_model_free(m);
    store_free(st);
}

/* ---- node pools */

static void test_nodepools(void **state)
{
    store *st = *state;
    put_np(st, "auto", "prod1", ",\"autoScaling\":{\"min\":2,\"max\":6}", "\"replicas\":3,\"version\":\"4.18.2\"");
    put_np(st, "zero", "prod1", ",\"replicas\":0", "\"replicas\":0,\"version\":\"4.19.3\"");
    put_np(st, "ahead", "prod1", ",\"replicas\":2", "\"replicas\":1,\"version\":\"4.20.0\"");
    put_np(st, "ancient", "prod1", ",\"replicas\":1,\"pausedUntil\":\"2026-07-03T21:18:00Z\"",
           "\"replicas\":1,\"version\":\"4.14.8\"");
    put_np(st, "orphan", "nosuch", "", "");
    view_model *m = open_view("np", st, NULL);
    assert_int_equal(view_model_rows(m), 6);

    size_t r = row_named(m, "prod1-a");
    expect_cell(m, r, "cluster", "prod1", ROLE_DEFAULT);
    expect_cell(m, r, "nodes", "3/3", ROLE_OK);
    expect_cell(m, r, "autoscaling", "-", ROLE_DIM);
    expect_cell(m, r, "version", "4.19.3", ROLE_DEFAULT);
    expect_cell(m, r, "skew", "same", ROLE_OK);
    expect_cell(m, r, "upgrade", "Replace", ROLE_DEFAULT);
    expect_cell(m, r, "drain", "10m", ROLE_DEFAULT);
    expect_cell(m, r, "ready", "True", ROLE_OK);
    expect_cell(m, r, "updating-version", "False", ROLE_OK);
    expect_cell(m, r, "updating-config", "False", ROLE_OK);
    expect_cell(m, r, "paused", "-", ROLE_DIM);

    r = row_named(m, "auto");
    expect_cell(m, r, "nodes", "auto 2\u20136 (3)", ROLE_OK);
    expect_cell(m, r, "autoscaling", "2\u20136", ROLE_DEFAULT);
    expect_cell(m, r, "skew", "1 minor behind", ROLE_DEFAULT);
    expect_cell(m, r, "drain", "-", ROLE_DIM);
    expect_cell(m, r, "ready", "-", ROLE_DIM);

    r = row_named(m, "zero");
    expect_cell(m, r, "nodes", "0/0", ROLE_DEFAULT);

    r = row_named(m, "ahead");
    expect_cell(m, r, "nodes", "2/1", ROLE_WARN);
    expect_cell(m, r, "skew", "1 minor ahead: not allowed", ROLE_BAD);

    r = row_named(m, "ancient");
    expect_cell(m, r, "skew", "5 minors behind: unsupported", ROLE_BAD);
    expect_cell(m, r, "paused", "\u23f8 30m left", ROLE_PAUSED);
    assert_int_equal(view_model_row_role(m, r), ROLE_PAUSED);

    r = row_named(m, "orphan");
    expect_cell(m, r, "cluster", "nosuch", ROLE_WARN);
    expect_cell(m, r, "nodes", "-", ROLE_DIM); /* neither spec nor status says */
    expect_cell(m, r, "version", "-", ROLE_DIM);
    expect_cell(m, r, "skew", "pool version unknown", ROLE_DIM);
    view_model_free(m);

    /* ASCII ranges */
    view_set_ascii(true);
    m = open_view("np", st, NULL);
    expect_cell(m, row_named(m, "auto"), "nodes", "auto 2-6 (3)", ROLE_OK);
    view_model_free(m);
    view_set_ascii(false);
}

/* ---- etcd */

static void test_etcd_blocks(void **state)
{
    store *st = *state;
    /* etcd pods in a namespace no cluster claims */
    put_pod(st, "clusters-ghost", 0, POD_OK);
    view_model *m = open_view("etcd", st, NULL);
    /* blocks: LOST (blocked, frozen) < AT_RISK (upgrading) < HEALTHY (ghost, paused, prod1) */
    const char *order[] = {"clusters/blocked \u2014 1/3 healthy: QUORUM LOST (clusters-blocked)",
                           "clusters/frozen \u2014 0/3 healthy: QUORUM LOST (clusters-frozen)",
                           "clusters/upgrading \u2014 2/3 healthy: quorum held, one failure from loss (clusters-upgrading)",
                           "clusters-ghost (no hosted cluster) \u2014 1/1 healthy: a single member, no fault tolerance",
                           "clusters/paused \u2014 1/1 healthy: a single member, no fault tolerance (clusters-paused)",
                           "clusters/prod1 \u2014 3/3 healthy (clusters-prod1)"};
    size_t seen = 0;
    view_cell c;
    for (size_t r = 0; r < view_model_rows(m); r++) {
        if (!view_model_row_is_heading(m, r))
            continue;
        assert_true(seen < 6);
        view_model_cell(m, r, 0, &c);
        assert_string_equal(c.text, order[seen]);
        seen++;
    }
    assert_int_equal(seen, 6);
    assert_int_equal(view_model_rows(m), 6 + 3 + 3 + 1 + 1 + 3); /* frozen has no pods */

    /* the heading of a block in trouble carries its role; the heading is the cluster */
    assert_true(view_model_row_is_heading(m, 0));
    view_model_cell(m, 0, 0, &c);
    assert_int_equal(c.role, ROLE_BAD);
    view_object o;
    assert_true(view_model_row_object(m, 0, &o));
    assert_int_equal(o.kind, RES_HOSTEDCLUSTER);
    assert_string_equal(o.name, "blocked");

    /* the crash-looping member of "upgrading" */
    size_t r = 0;
    for (; r < view_model_rows(m); r++)
        if (view_model_row_object(m, r, &o) && strcmp(o.ns, "clusters-upgrading") == 0 && strcmp(o.name, "etcd-1") == 0)
            break;
    assert_true(r < view_model_rows(m));
    assert_int_equal(o.kind, RES_ETCD_POD);
    assert_string_equal(o.cluster_name, "upgrading");
    expect_cell(m, r, "pod", "etcd-1", ROLE_DEFAULT);
    expect_cell(m, r, "phase", "Running", ROLE_BAD);
    expect_cell(m, r, "ready", "3/4", ROLE_WARN);
    expect_cell(m, r, "restarts", "12", ROLE_WARN);
    expect_cell(m, r, "reason", "CrashLoopBackOff", ROLE_BAD);
    expect_cell(m, r, "last-restart", "5m", ROLE_DEFAULT);
    expect_cell(m, r, "node", "node-1", ROLE_DEFAULT);
    expect_cell(m, r, "pvc", "data-etcd-1", ROLE_DEFAULT);
    expect_cell(m, r, "pvc-phase", "Pending", ROLE_WARN);
    expect_cell(m, r, "age", "2d", ROLE_DEFAULT);
    assert_int_equal(view_model_row_role(m, r), ROLE_BAD);
    /* a healthy member right before it */
    expect_cell(m, r - 1, "pod", "etcd-0", ROLE_DEFAULT);
    expect_cell(m, r - 1, "phase", "Running", ROLE_OK);
    expect_cell(m, r - 1, "ready", "4/4", ROLE_OK);
    expect_cell(m, r - 1, "restarts", "0", ROLE_DEFAULT);
    expect_cell(m, r - 1, "reason", "-", ROLE_DIM);
    expect_cell(m, r - 1, "last-restart", "-", ROLE_DIM);
    expect_cell(m, r - 1, "pvc-phase", "-", ROLE_DIM);
    view_model_free(m);

    /* a pending member of "blocked" */
    view_scope scope = {.cluster_ns = "clusters", .cluster_name = "blocked"};
    m = open_view("etcd", st, &scope);
    assert_int_equal(view_model_rows(m), 4);
    r = row_named(m, "etcd-2");
    expect_cell(m, r, "phase", "Pending", ROLE_WARN);
    expect_cell(m, r, "ready", "-", ROLE_DIM);
    view_model_free(m);
}

/* ---- updates */

static void test_updates(void **state)
{
    view_model *m = open_view("updates", *state, NULL);
    size_t r = row_named(m, "blocked");
    expect_cell(m, r, "channel", "stable-4.19", ROLE_DEFAULT);
    expect_cell(m, r, "version", "4.19.5", ROLE_DEFAULT);
    expect_cell(m, r, "desired", "4.20.1", ROLE_WARN);
    expect_cell(m, r, "available", "4.19.10, 4.19.7, 4.19.6", ROLE_ACCENT);
    expect_cell(m, r, "conditional", "4.20.1 (AdminAck, OVNRouteLeak)", ROLE_WARN);
    expect_cell(m, r, "supported", "yes (4.14\u20134.20)", ROLE_OK);

    r = row_named(m, "prod1");
    expect_cell(m, r, "available", "-", ROLE_DIM); /* the API said null: no update data */
    expect_cell(m, r, "conditional", "none", ROLE_DIM);
    expect_cell(m, r, "desired", "4.19.3", ROLE_DEFAULT);

    /* 4.21 is beyond what the operator supports: flagged on the row */
    r = row_named(m, "frozen");
    expect_cell(m, r, "supported", "NO: too new (4.14\u20134.20)", ROLE_BAD);
    expect_cell(m, r, "name", "frozen", ROLE_BAD);
    expect_cell(m, r, "version", "4.21.0", ROLE_BAD);
    assert_int_equal(view_model_row_role(m, r), ROLE_BAD);
    view_model_free(m);

    /* no ConfigMap: unknown, never flagged */
    store *st = store_new();
    put_hc(st, "solo", "HighlyAvailable", "",
           "{\"desired\":{\"version\":\"4.19.3\"},\"history\":[{\"state\":\"Completed\",\"version\":\"4.19.3\"}],"
           "\"availableUpdates\":[]}",
           HEALTHY_CONDS);
    m = open_view("updates", st, NULL);
    expect_cell(m, 0, "supported", "unknown", ROLE_DIM);
    expect_cell(m, 0, "available", "none", ROLE_DIM);
    view_model_free(m);
    store_free(st);
}

/* ---- pauses, the reason for a row's symbol, narrow terminals (the acceptance audit) */

static void expect_role(const view_model *m, const char *name, view_role role)
{
    view_role got = view_model_row_role(m, row_named(m, name));
    if (got != role)
        print_error("row %s: role %d, want %d\n", name, (int)got, (int)role);
    assert_int_equal(got, role);
}

#define RA_PAUSED COND("ReconciliationActive", "False", "ReconciliationPaused", "Reconciliation paused until field removed")

/* A pool paused by its own spec, by its cluster's, or still reported paused is paused (⏸), not
 * failing: ReconciliationActive=False/ReconciliationPaused is no failure. */
static void test_nodepools_paused(void **state)
{
    store *st = *state;
    put_np(st, "own", "prod1", ",\"replicas\":1,\"pausedUntil\":\"true\"",
           "\"replicas\":1,\"version\":\"4.19.3\",\"conditions\":[" RA_PAUSED "," COND("Ready", "True", "AsExpected", "") "]");
    put_np(st, "with-cluster", "paused", ",\"replicas\":1",
           "\"replicas\":1,\"conditions\":[" RA_PAUSED "," COND("Ready", "True", "AsExpected", "") "]");
    put_np(st, "with-frozen", "frozen", ",\"replicas\":1", "\"replicas\":1");
    put_np(st, "thawing", "prod1", ",\"replicas\":1", "\"replicas\":1,\"conditions\":[" RA_PAUSED "]");
    put_np(st, "paused-but-broken", "paused", ",\"replicas\":1",
           "\"replicas\":1,\"conditions\":[" RA_PAUSED "," COND("Ready", "False", "NotReady", "") "]");
    view_model *m = open_view("np", st, NULL);

    size_t r = row_named(m, "own");
    expect_role(m, "own", ROLE_PAUSED);
    expect_cell(m, r, "paused", "\u23f8 until removed", ROLE_PAUSED);
    expect_cell(m, r, "status", "\u23f8 paused (spec.pausedUntil)", ROLE_PAUSED);
    expect_cell(m, r, "name", "own", ROLE_ACCENT);

    r = row_named(m, "with-cluster");
    expect_role(m, "with-cluster", ROLE_PAUSED);
    expect_cell(m, r, "paused", "\u23f8 cluster 3h12m", ROLE_PAUSED);
    expect_cell(m, r, "status", "\u23f8 paused with its cluster", ROLE_PAUSED);

    /* the cluster's pause holds the pool before the operator has said anything */
    r = row_named(m, "with-frozen");
    expect_role(m, "with-frozen", ROLE_PAUSED);
    expect_cell(m, r, "paused", "\u23f8 cluster", ROLE_PAUSED);

    r = row_named(m, "thawing");
    expect_role(m, "thawing", ROLE_PAUSED);
    expect_cell(m, r, "paused", "\u23f8 paused", ROLE_PAUSED);
    expect_cell(m, r, "status", "\u23f8 paused (operator reports it)", ROLE_PAUSED);

    /* a failure still wins over a pause, and says which */
    r = row_named(m, "paused-but-broken");
    expect_role(m, "paused-but-broken", ROLE_BAD);
    expect_cell(m, r, "status", "Ready=False: NotReady", ROLE_BAD);
    expect_cell(m, r, "name", "paused-but-broken", ROLE_BAD);
    view_model_free(m);

    /* the pool's conditions: the pause first, paused (⏸ marker), not failing */
    view_object target;
    view_object_set(&target, RES_NODEPOOL, "clusters", "with-cluster", "clusters", "paused");
    view_scope scope = {.target = &target};
    m = open_view("conditions", st, &scope);
    assert_int_equal(view_model_rows(m), 2);
    expect_cell(m, 0, "type", "ReconciliationActive", ROLE_DEFAULT);
    expect_cell(m, 0, "status", "False", ROLE_PAUSED);
    assert_int_equal(view_model_row_role(m, 0), ROLE_PAUSED);
    view_model_free(m);
}

/* A paused cluster's Progressing=False/Blocked comes from the pause: paused, not an upgrade gate. */
static void test_cluster_pause_conditions(void **state)
{
    store *st = *state;
    put_hc(st, "held", "SingleReplica", ",\"pausedUntil\":\"true\"", V_COMPLETED("4.19.3"),
           COND("Available", "True", "AsExpected", "") "," RA_PAUSED ","
           COND("Progressing", "False", "Blocked", "ReconciliationActive condition is false: paused"));
    put_pod(st, "clusters-held", 0, POD_OK);
    view_model *m = open_view("clusters", st, NULL);
    size_t r = row_named(m, "held");
    expect_role(m, "held", ROLE_PAUSED);
    expect_cell(m, r, "progressing", "False (paused)", ROLE_PAUSED);
    expect_cell(m, r, "status", "\u23f8 paused until removed", ROLE_PAUSED);
    view_model_free(m);

    view_object target;
    view_object_set(&target, RES_HOSTEDCLUSTER, "clusters", "held", "clusters", "held");
    view_scope scope = {.target = &target};
    m = open_view("conditions", st, &scope);
    assert_int_equal(view_model_rows(m), 3);
    expect_cell(m, 0, "type", "ReconciliationActive", ROLE_DEFAULT);
    expect_cell(m, 0, "status", "False", ROLE_PAUSED);
    expect_cell(m, 1, "type", "Progressing", ROLE_DEFAULT);
    expect_cell(m, 1, "status", "False (paused)", ROLE_PAUSED);
    expect_cell(m, 2, "type", "Available", ROLE_DEFAULT);
    view_model_free(m);
}

/* Every row whose symbol is not ● says why in its STATUS cell; a healthy row says "-". */
static void expect_status_explains(const view_model *m)
{
    size_t col = (size_t)col_index(view_model_ops(m), "status");
    for (size_t r = 0; r < view_model_rows(m); r++) {
        view_cell c;
        view_model_cell(m, r, col, &c);
        view_role role = view_model_row_role(m, r);
        if (role == ROLE_OK) {
            assert_string_equal(c.text, "-");
            continue;
        }
        if (strcmp(c.text, "-") == 0 || !c.text[0])
            print_error("row %zu (role %d) does not say why\n", r, (int)role);
        assert_string_not_equal(c.text, "-");
        assert_true(c.text[0]);
    }
}

/* A condition no column shows (ValidReleaseImage) turns a row ✖ or ▲: STATUS names it. */
static void test_status_says_why(void **state)
{
    store *st = *state;
    put_np(st, "bad-image", "prod1", ",\"replicas\":3",
           "\"replicas\":3,\"version\":\"4.19.3\",\"conditions\":[" COND("Ready", "True", "AsExpected", "")
           "," COND("ValidReleaseImage", "False", "ValidationFailed", "minor above the cluster's")
           "," COND("UpdatingVersion", "False", "AsExpected", "") "]");
    put_np(st, "rolling", "prod1", ",\"replicas\":3",
           "\"replicas\":3,\"version\":\"4.19.3\",\"conditions\":[" COND("Ready", "True", "AsExpected", "")
           "," COND("UpdatingVersion", "True", "AsExpected", "Updating version in progress. Target version: 4.19.5")
           "]");
    put_hc_image(st, "badrel", "quay.io/r:4.19.3", "HighlyAvailable", "", V_COMPLETED("4.19.3"),
                 HEALTHY_CONDS "," COND("ValidReleaseImage", "False", "InvalidImage", "no such image"));
    for (int i = 0; i < 3; i++)
        put_pod(st, "clusters-badrel", i, POD_OK);

    view_model *m = open_view("np", st, NULL);
    size_t r = row_named(m, "bad-image");
    expect_role(m, "bad-image", ROLE_BAD);
    expect_cell(m, r, "ready", "True", ROLE_OK);
    expect_cell(m, r, "status", "ValidReleaseImage=False: ValidationFailed", ROLE_BAD);
    r = row_named(m, "rolling");
    expect_role(m, "rolling", ROLE_WARN);
    expect_cell(m, r, "status", "UpdatingVersion: Updating version in progress. Target version: 4.19.5", ROLE_WARN);
    expect_cell(m, row_named(m, "prod1-a"), "status", "-", ROLE_DIM);
    expect_status_explains(m);
    view_model_free(m);

    m = open_view("clusters", st, NULL);
    expect_cell(m, row_named(m, "badrel"), "status", "ValidReleaseImage=False: InvalidImage", ROLE_WARN);
    expect_cell(m, row_named(m, "frozen"), "status", "Degraded: Broken", ROLE_BAD);
    expect_cell(m, row_named(m, "blocked"), "status", "etcd 1/3 healthy: QUORUM LOST", ROLE_BAD);
    expect_cell(m, row_named(m, "paused"), "status", "\u23f8 paused (3h12m left)", ROLE_PAUSED);
    expect_cell(m, row_named(m, "prod1"), "status", "-", ROLE_DIM);
    expect_status_explains(m);
    /* sorted by STATUS: the worst first, then warnings, pauses, the healthy last */
    view_model_set_sort(m, col_index(view_model_ops(m), "status"), false);
    static const view_role order[] = {ROLE_BAD, ROLE_WARN, ROLE_PAUSED, ROLE_DEFAULT, ROLE_OK};
    size_t at = 0;
    for (size_t row = 0; row < view_model_rows(m); row++) {
        view_role role = view_model_row_role(m, row);
        while (at < 5 && order[at] != role)
            at++;
        if (at == 5)
            print_error("row %zu (role %d) out of severity order\n", row, (int)role);
        assert_true(at < 5);
    }
    assert_int_equal(view_model_row_role(m, 0), ROLE_BAD);
    assert_int_equal(view_model_row_role(m, view_model_rows(m) - 1), ROLE_OK);
    view_model_free(m);
}

/* Column widths as the screen lays them out (the tui's layout over the view's own cells). */
static void layout_at(const view_model *m, int avail, int *widths)
{
    int natural[LAYOUT_MAX_COLUMNS] = {0};
    layout_measure(m, 0, natural);
    layout_columns(view_model_ops(m)->columns, view_model_ops(m)->n_columns, natural, avail, widths);
}

/* A column that must stay on screen, and how wide it must at least be there. */
typedef struct kept_column {
    const char *id;
    int min;
} kept_column;

/* Lays the pane out at avail cells and checks that it fits and keeps every column of kept[]. */
static void expect_kept(store *st, const char *pane, int avail, const kept_column *kept, size_t n)
{
    view_model *m = open_view(pane, st, NULL);
    int widths[LAYOUT_MAX_COLUMNS];
    layout_at(m, avail, widths);
    assert_true(layout_total(widths, view_model_ops(m)->n_columns) <= avail);
    for (size_t i = 0; i < n; i++) {
        int w = widths[col_index(view_model_ops(m), kept[i].id)];
        if (w < kept[i].min)
            print_error("%s at %d: %s is %d wide, want %d\n", pane, avail, kept[i].id, w, kept[i].min);
        assert_true(w >= kept[i].min);
    }
    if (strcmp(pane, "clusters") == 0) {
        /* the upgrade's percentage survives, the bar may not */
        size_t col = (size_t)col_index(view_model_ops(m), "desired");
        view_cell c;
        char out[512];
        view_model_cell(m, row_named(m, "upgrading"), col, &c);
        layout_cell_text(&c, widths[col], false, 0, out, sizeof out);
        if (!strstr(out, "4.19.5 Partial 56%"))
            print_error("at %d: desired cell \"%s\"\n", avail, out);
        assert_non_null(strstr(out, "4.19.5 Partial 56%"));
    }
    view_model_free(m);
}

/* At 80 columns (78 beside the row marker) and wider, every pane keeps the row's identity and the
 * reason for its symbol; an upgrade keeps its percentage. */
static void test_narrow_layouts(void **state)
{
    store *st = *state;
    put_np(st, "bad-image", "prod1", ",\"replicas\":3",
           "\"replicas\":3,\"version\":\"4.19.3\",\"conditions\":[" COND("ValidReleaseImage", "False", "ValidationFailed", "") "]");
    static const kept_column clusters[] = {{"namespace", 8}, {"name", 9}, {"version", 6}, {"desired", 18}, {"status", 14}};
    static const kept_column pools[] = {{"namespace", 8}, {"name", 9}, {"nodes", 3}, {"status", 10}};
    static const kept_column updates[] = {{"namespace", 8}, {"name", 9}, {"supported", 9}};
    /* etcd: the block heading names the cluster; a member's symbol comes from PHASE and REASON */
    static const kept_column etcd[] = {{"pod", 6}, {"phase", 7}, {"ready", 3}, {"reason", 16}};
    static const int avails[] = {78, 98, 118, 158};
    for (size_t i = 0; i < sizeof avails / sizeof avails[0]; i++) {
        expect_kept(st, "clusters", avails[i], clusters, sizeof clusters / sizeof clusters[0]);
        expect_kept(st, "nodepools", avails[i], pools, sizeof pools / sizeof pools[0]);
        expect_kept(st, "updates", avails[i], updates, sizeof updates / sizeof updates[0]);
        expect_kept(st, "etcd", avails[i], etcd, sizeof etcd / sizeof etcd[0]);
    }
}

/* ---- scope */

static void test_cluster_scope(void **state)
{
    store *st = *state;
    put_np(st, "up-a", "upgrading", ",\"replicas\":1", "\"replicas\":1");
    view_scope scope = {.cluster_ns = "clusters", .cluster_name = "prod1"};
    view_model *m = open_view("nodepools", st, &scope);
    assert_int_equal(view_model_rows(m), 1);
    row_named(m, "prod1-a");
    view_model_free(m);

    m = open_view("etcd", st, &scope);
    assert_int_equal(view_model_rows(m), 4);
    view_model_free(m);

    m = open_view("updates", st, &scope);
    assert_int_equal(view_model_rows(m), 1);
    view_model_free(m);

    /* the clusters pane keeps showing every cluster under a cluster scope */
    m = open_view("clusters", st, &scope);
    assert_int_equal(view_model_rows(m), 5);
    view_model_free(m);

    /* a namespace scope narrows everything */
    view_scope ns = {.ns = "elsewhere"};
    m = open_view("clusters", st, &ns);
    assert_int_equal(view_model_rows(m), 0);
    view_model_free(m);
    m = open_view("etcd", st, &ns);
    assert_int_equal(view_model_rows(m), 0);
    view_model_free(m);
}

/* A scoped refresh goes through the store's lookups: it must show exactly the rows an unscoped
 * pane shows that pass the scope, in the same order. The fleet has the same cluster name in two
 * namespaces, pools of a cluster that does not exist, and a pool named like a cluster. */
static void put_in(store *st, const char *ns, const char *cluster, const char *pool)
{
    if (!pool) {
        put(st, RES_HOSTEDCLUSTER,
            "{\"kind\":\"HostedCluster\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"resourceVersion\":\"%d\"},"
            "\"spec\":{\"release\":{\"image\":\"quay.io/r:4.19.3\"},\"etcd\":{\"managementType\":\"Managed\"}}}",
            cluster, ns, ++rv_counter);
        char cp[300];
        snprintf(cp, sizeof cp, "%s-%s", ns, cluster);
        for (int i = 0; i < 3; i++)
            put_pod(st, cp, i, POD_OK);
        return;
    }
    put(st, RES_NODEPOOL,
        "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"resourceVersion\":\"%d\"},"
        "\"spec\":{\"clusterName\":\"%s\",\"release\":{\"image\":\"x\"}}}",
        pool, ns, ++rv_counter, cluster);
}

/* "ns/name" of every visible row that is an object, one per line. */
static void rows_text(const view_model *m, buf *out)
{
    buf_reset(out);
    view_object o;
    for (size_t r = 0; r < view_model_rows(m); r++)
        if (view_model_row_object(m, r, &o))
            buf_printf(out, "%s/%s %s/%s\n", o.ns, o.name, o.cluster_ns, o.cluster_name);
}

/* What the pane shows unscoped, kept to the rows whose object passes the scope (the same rule as
 * views/fmt.c, written out here independently). */
static void expected_rows(const char *pane, store *st, const view_scope *sc, buf *out)
{
    view_model *m = open_view(pane, st, NULL);
    buf_reset(out);
    view_object o;
    for (size_t r = 0; r < view_model_rows(m); r++) {
        if (!view_model_row_object(m, r, &o))
            continue;
        if (sc->ns && strcmp(o.cluster_ns, sc->ns) != 0)
            continue;
        if (sc->cluster_name && (strcmp(o.cluster_name, sc->cluster_name) != 0 ||
                                 (sc->cluster_ns && strcmp(o.cluster_ns, sc->cluster_ns) != 0)))
            continue;
        buf_printf(out, "%s/%s %s/%s\n", o.ns, o.name, o.cluster_ns, o.cluster_name);
    }
    view_model_free(m);
}

static void test_scoped_rows_exact(void **state)
{
    (void)state;
    store *st = store_new();
    const char *nss[] = {"team-a", "team-b", "team-c"};
    for (size_t i = 0; i < 3; i++) {
        if (i < 2) {
            put_in(st, nss[i], "web", NULL);
            put_in(st, nss[i], "db", NULL);
        }
        put_in(st, nss[i], "web", "web-1");
        put_in(st, nss[i], "web", "web-2");
        put_in(st, nss[i], "db", "db-1");
        put_in(st, nss[i], "ghost", "ghost-1"); /* no such cluster */
        put_in(st, nss[i], "db", "web");        /* a pool named like a cluster */
    }
    const view_scope scopes[] = {
        {.cluster_ns = "team-a", .cluster_name = "web"},
        {.cluster_ns = "team-b", .cluster_name = "web"},
        {.cluster_ns = "team-c", .cluster_name = "ghost"},
        {.cluster_ns = "team-a", .cluster_name = "nothing"},
        {.ns = "team-b"},
        {.ns = "team-z"},
        {.ns = "team-a", .cluster_ns = "team-b", .cluster_name = "web"}, /* contradicting: nothing */
        {.ns = "team-b", .cluster_name = "db"},                          /* cluster namespace from :ns */
        {.cluster_name = "db"},                                          /* no namespace: every "db" */
    };
    const char *panes[] = {"nodepools", "updates", "etcd"};
    size_t expected_pools[] = {2, 2, 1, 0, 5, 0, 0, 2, 6};
    buf got = BUF_INIT, want = BUF_INIT;
    for (size_t p = 0; p < 3; p++) {
        for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
            view_model *m = open_view(panes[p], st, &scopes[i]);
            rows_text(m, &got);
            expected_rows(panes[p], st, &scopes[i], &want);
            if (strcmp(buf_str(&got), buf_str(&want)) != 0)
                print_error("%s, scope %zu:\ngot\n%swant\n%s", panes[p], i, buf_str(&got), buf_str(&want));
            assert_string_equal(buf_str(&got), buf_str(&want));
            if (p == 0)
                assert_int_equal(view_model_rows(m), expected_pools[i]);
            view_model_free(m);
        }
    }
    /* the etcd pane scoped to one cluster shows its heading and its three members, nothing else */
    view_model *m = open_view("etcd", st, &scopes[1]);
    assert_int_equal(view_model_rows(m), 4);
    rows_text(m, &got);
    assert_non_null(strstr(buf_str(&got), "team-b-web/etcd-2 team-b/web"));
    view_model_free(m);
    buf_free(&got);
    buf_free(&want);
    store_free(st);
}

/* ---- refresh reports change only on change */

static void test_refresh_change_detection(void **state)
{
    store *st = *state;
    view_model *m = open_view("clusters", st, NULL);
    assert_false(view_model_refresh(m, st, NULL, now_fixed));
    /* ages move with the clock (a minute later the pause has 3h11m left) */
    assert_true(view_model_refresh(m, st, NULL, now_fixed + 60));
    assert_false(view_model_refresh(m, st, NULL, now_fixed + 60));
    put_hc(st, "new", "HighlyAvailable", "", V_COMPLETED("4.19.3"), HEALTHY_CONDS);
    assert_true(view_model_refresh(m, st, NULL, now_fixed + 60));
    assert_int_equal(view_model_rows(m), 6);
    /* no store yet: no rows, no crash */
    view_model *empty = view_model_new(view_find("etcd"));
    assert_false(view_model_refresh(empty, NULL, NULL, now_fixed));
    assert_int_equal(view_model_rows(empty), 0);
    view_model_free(empty);
    view_model_free(m);
}

/* ---- hostile strings pass through as data, bounded */

static void test_hostile_strings(void **state)
{
    (void)state;
    store *st = store_new();
    buf longname = BUF_INIT;
    for (int i = 0; i < 250; i++)
        buf_puts(&longname, "\xc3\xa9"); /* 500 bytes of é */
    put(st, RES_HOSTEDCLUSTER,
        "{\"kind\":\"HostedCluster\",\"metadata\":{\"name\":\"evil\\u001b[2J\\u0007\",\"namespace\":\"ns\"},"
        "\"spec\":{\"platform\":{\"type\":\"%s%s\"},\"channel\":\"c\\r\\n\\u001b]0;x\\u0007\"},\"status\":{}}",
        buf_str(&longname), buf_str(&longname));
    view_model *m = open_view("clusters", st, NULL);
    view_cell c;
    view_model_cell(m, 0, (size_t)col_index(view_model_ops(m), "name"), &c);
    assert_string_equal(c.text, "evil\x1b[2J\x07"); /* as data: the tui sanitizes at draw time */
    view_model_cell(m, 0, (size_t)col_index(view_model_ops(m), "platform"), &c);
    assert_true(strlen(c.text) < VIEW_CELL_MAX);
    assert_int_equal(strlen(c.text) % 2, 0); /* cut between characters, never inside one */
    view_model_free(m);
    m = open_view("updates", st, NULL);
    view_model_cell(m, 0, (size_t)col_index(view_model_ops(m), "channel"), &c);
    assert_string_equal(c.text, "c\r\n\x1b]0;x\x07");
    view_model_free(m);
    /* STATUS from hostile conditions: no type, no status, a reason longer than a cell */
    put(st, RES_NODEPOOL,
        "{\"kind\":\"NodePool\",\"metadata\":{\"name\":\"np\",\"namespace\":\"ns\"},\"spec\":{\"clusterName\":"
        "\"evil\"},\"status\":{\"conditions\":[{\"status\":\"False\"},{\"type\":\"Ready\"},"
        "{\"type\":\"ReconciliationActive\",\"status\":\"False\",\"reason\":\"ReconciliationPaused\"},"
        "{\"type\":\"AllNodesHealthy\",\"status\":\"False\",\"reason\":\"%s%s\"}]}}",
        buf_str(&longname), buf_str(&longname));
    m = open_view("np", st, NULL);
    assert_int_equal(view_model_row_role(m, 0), ROLE_BAD);
    view_model_cell(m, 0, (size_t)col_index(view_model_ops(m), "status"), &c);
    if (strncmp(c.text, "AllNodesHealthy=False: \xc3\xa9", 25) != 0)
        print_error("status \"%.40s\"\n", c.text);
    assert_int_equal(strncmp(c.text, "AllNodesHealthy=False: \xc3\xa9", 25), 0);
    assert_true(strlen(c.text) < VIEW_CELL_MAX);
    assert_int_equal((strlen(c.text) - strlen("AllNodesHealthy=False: ")) % 2, 0); /* whole characters */
    view_model_free(m);
    buf_free(&longname);
    store_free(st);
}

/* ---- sort: every column of every pane, both directions, ordered by the column and stable */

/* Position of a visible row's object in the natural order (names are unique within a test fleet). */
static size_t natural_pos(const view_object *natural, size_t n, const view_object *o)
{
    for (size_t i = 0; i < n; i++)
        if (view_object_equal(&natural[i], o))
            return i;
    fail_msg("object %s/%s not in the natural order", o->ns, o->name);
    return 0;
}

static void test_sort_every_column(void **state)
{
    store *st = *state;
    put_np(st, "auto", "prod1", ",\"autoScaling\":{\"min\":2,\"max\":6}", "\"replicas\":3,\"version\":\"4.18.2\"");
    put_np(st, "zero", "prod1", ",\"replicas\":0", "\"replicas\":0,\"version\":\"4.19.10\"");
    put_np(st, "ahead", "upgrading", ",\"replicas\":2", "\"replicas\":1,\"version\":\"4.20.0\"");
    static const char *const panes[] = {"clusters", "nodepools", "etcd", "updates"};
    for (size_t p = 0; p < 4; p++) {
        view_model *m = open_view(panes[p], st, NULL);
        size_t n = view_model_rows(m);
        assert_true(n >= 4);
        view_object *natural = calloc(n, sizeof *natural);
        bool *has = calloc(n, sizeof *has);
        for (size_t r = 0; r < n; r++)
            has[r] = view_model_row_object(m, r, &natural[r]);
        const view_ops *ops = view_model_ops(m);
        for (size_t col = 0; col < ops->n_columns; col++) {
            for (int desc = 0; desc < 2; desc++) {
                view_model_set_sort(m, (int)col, desc);
                assert_int_equal(view_model_rows(m), n);
                for (size_t r = 0; r + 1 < n; r++) {
                    if (view_model_row_is_heading(m, r) || view_model_row_is_heading(m, r + 1))
                        continue; /* blocks keep their order; rows sort inside them */
                    int c = view_model_compare(m, r, r + 1, col);
                    if (desc ? c < 0 : c > 0)
                        fail_msg("%s: column %s %s: rows %zu and %zu out of order", panes[p], ops->columns[col].id,
                                 desc ? "desc" : "asc", r, r + 1);
                    view_object a, b;
                    if (c == 0 && view_model_row_object(m, r, &a) && view_model_row_object(m, r + 1, &b))
                        assert_true(natural_pos(natural, n, &a) < natural_pos(natural, n, &b)); /* stable */
                }
            }
        }
        /* back to natural order: exactly the view's order again */
        view_model_set_sort(m, -1, false);
        for (size_t r = 0; r < n; r++) {
            view_object o;
            if (has[r]) {
                assert_true(view_model_row_object(m, r, &o));
                assert_true(view_object_equal(&o, &natural[r]));
            }
        }
        free(natural);
        free(has);
        view_model_free(m);
    }
}

/* Numbers sort as numbers and versions as versions, "-" last when ascending. */
static void test_sort_semantics(void **state)
{
    store *st = *state;
    view_model *m = open_view("clusters", st, NULL);
    view_model_set_sort(m, col_index(view_model_ops(m), "version"), false);
    view_cell c;
    const char *want[] = {"4.18.9", "4.19.3", "4.19.3", "4.19.5", "4.21.0"};
    for (size_t r = 0; r < 5; r++) {
        view_model_cell(m, r, (size_t)col_index(view_model_ops(m), "version"), &c);
        assert_string_equal(c.text, want[r]);
    }
    /* the etcd badge sorts worst first */
    view_model_set_sort(m, col_index(view_model_ops(m), "etcd"), false);
    view_model_cell(m, 0, (size_t)col_index(view_model_ops(m), "etcd"), &c);
    assert_string_equal(c.text, "0/3 LOST");
    view_model_cell(m, 2, (size_t)col_index(view_model_ops(m), "etcd"), &c);
    assert_string_equal(c.text, "2/3 !");
    /* nodes: "-" (no pools) after numbers */
    view_model_set_sort(m, col_index(view_model_ops(m), "nodes"), false);
    view_model_cell(m, 0, (size_t)col_index(view_model_ops(m), "nodes"), &c);
    assert_string_equal(c.text, "3/3");
    view_model_cell(m, 4, (size_t)col_index(view_model_ops(m), "nodes"), &c);
    assert_string_equal(c.text, "-");
    /* text columns: "-" after every value too */
    view_model_set_sort(m, col_index(view_model_ops(m), "progressing"), false);
    view_model_cell(m, 4, (size_t)col_index(view_model_ops(m), "progressing"), &c);
    assert_string_equal(c.text, "-");
    view_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clusters_healthy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clusters_etcd_not_listed_yet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clusters_upgrading_and_blocked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clusters_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clusters_unknown_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nodepools, setup, teardown),
        cmocka_unit_test_setup_teardown(test_etcd_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_updates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nodepools_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cluster_pause_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_says_why, setup, teardown),
        cmocka_unit_test_setup_teardown(test_narrow_layouts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cluster_scope, setup, teardown),
        cmocka_unit_test(test_scoped_rows_exact),
        cmocka_unit_test_setup_teardown(test_refresh_change_detection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_every_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_semantics, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
