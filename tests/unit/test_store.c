/* The store: watch event application, re-list, bookmarks, counters, ordering, lookups, focus, and a
 * memory measurement at a fraction of the fleet budget (5,000 HC / 20,000 NP / 15,000 pods). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode.h"
#include "client/store.h"
#include "common/buf.h"
#include "common/jsonutil.h"
#include "json_fixture.h"

static record *mk_hc(const char *ns, const char *name, const char *rv)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"metadata\":{\"namespace\":\"%s\",\"name\":\"%s\",\"resourceVersion\":\"%s\"},"
             "\"spec\":{\"controllerAvailabilityPolicy\":\"HighlyAvailable\"}}",
             ns, name, rv);
    return decode_json_text(RES_HOSTEDCLUSTER, text, strlen(text));
}

static record *mk_np(const char *ns, const char *name, const char *cluster, const char *rv)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"metadata\":{\"namespace\":\"%s\",\"name\":\"%s\",\"resourceVersion\":\"%s\"},"
             "\"spec\":{\"clusterName\":\"%s\"}}",
             ns, name, rv, cluster);
    return decode_json_text(RES_NODEPOOL, text, strlen(text));
}

static record *mk_simple(res_kind kind, const char *ns, const char *name, const char *rv)
{
    char text[512];
    snprintf(text, sizeof text, "{\"metadata\":{\"namespace\":\"%s\",\"name\":\"%s\",\"resourceVersion\":\"%s\"}}", ns,
             name, rv);
    return decode_json_text(kind, text, strlen(text));
}

static record *mk_event(const char *name, const char *kind, const char *ns, const char *obj, const char *last)
{
    char text[768];
    snprintf(text, sizeof text,
             "{\"metadata\":{\"namespace\":\"%s\",\"name\":\"%s\",\"resourceVersion\":\"1\"},"
             "\"involvedObject\":{\"kind\":\"%s\",\"namespace\":\"%s\",\"name\":\"%s\"},"
             "\"lastTimestamp\":\"%s\",\"reason\":\"R\"}",
             ns, name, kind, ns, obj, last);
    return decode_json_text(RES_EVENT, text, strlen(text));
}

static record *mk_bookmark(res_kind kind, const char *rv)
{
    char text[256];
    snprintf(text, sizeof text, "{\"kind\":\"X\",\"metadata\":{\"resourceVersion\":\"%s\"}}", rv);
    return decode_json_text(kind, text, strlen(text));
}

static void test_event_type_parse(void **state)
{
    (void)state;
    watch_event_type t;
    assert_true(watch_event_type_parse("ADDED", &t));
    assert_int_equal(t, WATCH_ADDED);
    assert_true(watch_event_type_parse("MODIFIED", &t));
    assert_int_equal(t, WATCH_MODIFIED);
    assert_true(watch_event_type_parse("DELETED", &t));
    assert_int_equal(t, WATCH_DELETED);
    assert_true(watch_event_type_parse("BOOKMARK", &t));
    assert_int_equal(t, WATCH_BOOKMARK);
    assert_false(watch_event_type_parse("ERROR", &t));
    assert_false(watch_event_type_parse("added", &t));
    assert_false(watch_event_type_parse("", &t));
    assert_false(watch_event_type_parse(NULL, &t));
}

static void test_apply(void **state)
{
    (void)state;
    store *s = store_new();
    assert_null(store_resource_version(s, RES_HOSTEDCLUSTER));
    assert_true(store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, mk_hc("clusters", "a", "10")));
    assert_int_equal(store_changes(s), 1);
    assert_int_equal(store_kind_changes(s, RES_HOSTEDCLUSTER), 1);
    assert_int_equal(store_kind_changes(s, RES_NODEPOOL), 0);
    assert_string_equal(store_resource_version(s, RES_HOSTEDCLUSTER), "10");
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), 1);

    /* same resourceVersion again: not a change */
    assert_false(store_apply(s, RES_HOSTEDCLUSTER, WATCH_MODIFIED, mk_hc("clusters", "a", "10")));
    assert_int_equal(store_changes(s), 1);
    /* a new version replaces */
    assert_true(store_apply(s, RES_HOSTEDCLUSTER, WATCH_MODIFIED, mk_hc("clusters", "a", "11")));
    assert_int_equal(store_changes(s), 2);
    assert_string_equal(store_get(s, RES_HOSTEDCLUSTER, "clusters", "a")->meta.resource_version, "11");
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), 1);
    /* MODIFIED of an unknown object inserts it (the watch may have started after its ADDED) */
    assert_true(store_apply(s, RES_HOSTEDCLUSTER, WATCH_MODIFIED, mk_hc("clusters", "b", "12")));
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), 2);
    /* same name, other namespace: another object */
    assert_true(store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, mk_hc("other", "a", "13")));
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), 3);
    assert_string_equal(store_get(s, RES_HOSTEDCLUSTER, "other", "a")->meta.resource_version, "13");

    /* bookmark: resourceVersion moves, nothing else */
    uint64_t before = store_changes(s);
    assert_false(store_apply(s, RES_HOSTEDCLUSTER, WATCH_BOOKMARK, mk_bookmark(RES_HOSTEDCLUSTER, "20")));
    assert_string_equal(store_resource_version(s, RES_HOSTEDCLUSTER), "20");
    assert_int_equal(store_changes(s), before);
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), 3);

    /* delete */
    assert_true(store_apply(s, RES_HOSTEDCLUSTER, WATCH_DELETED, mk_hc("clusters", "a", "21")));
    assert_null(store_get(s, RES_HOSTEDCLUSTER, "clusters", "a"));
    assert_non_null(store_get(s, RES_HOSTEDCLUSTER, "other", "a"));
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), 2);
    assert_string_equal(store_resource_version(s, RES_HOSTEDCLUSTER), "21");
    /* deleting what is not there: no change */
    before = store_changes(s);
    assert_false(store_apply(s, RES_HOSTEDCLUSTER, WATCH_DELETED, mk_hc("clusters", "zz", "22")));
    assert_int_equal(store_changes(s), before);

    /* refused: no name, wrong kind, NULL */
    assert_false(store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, decode_json_text(RES_HOSTEDCLUSTER, "{}", 2)));
    assert_false(store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_hc("clusters", "c", "30")));
    assert_false(store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, NULL));
    assert_false(store_apply(s, RES_KIND_COUNT, WATCH_ADDED, mk_hc("clusters", "c", "30")));
    assert_int_equal(store_changes(s), before);
    assert_int_equal(store_count(s, RES_NODEPOOL), 0);
    store_free(s);
    store_free(NULL);
}

/* Insert and delete many, in an order that exercises probing and backward-shift deletion. */
static void test_hash_churn(void **state)
{
    (void)state;
    store *s = store_new();
    char name[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "np-%d", i);
        assert_true(store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", name, "c", "1")));
    }
    for (int i = 0; i < 3000; i += 3) {
        snprintf(name, sizeof name, "np-%d", i);
        assert_true(store_apply(s, RES_NODEPOOL, WATCH_DELETED, mk_np("clusters", name, "c", "2")));
    }
    assert_int_equal(store_count(s, RES_NODEPOOL), 2000);
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "np-%d", i);
        record *r = store_get(s, RES_NODEPOOL, "clusters", name);
        if (i % 3 == 0)
            assert_null(r);
        else
            assert_non_null(r);
    }
    size_t n;
    record *const *all = store_sorted(s, RES_NODEPOOL, &n);
    assert_int_equal(n, 2000);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(all[i - 1]->meta.name, all[i]->meta.name) < 0);
    store_free(s);
}

static void test_relist(void **state)
{
    (void)state;
    store *s = store_new();
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "a", "c", "1"));
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "b", "c", "2"));
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "c", "c", "3"));
    uint64_t before = store_kind_changes(s, RES_NODEPOOL);

    /* a re-list that finds exactly the same content changes nothing */
    store_relist_begin(s, RES_NODEPOOL);
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "a", "c", "1"));
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "b", "c", "2"));
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "c", "c", "3"));
    store_relist_end(s, RES_NODEPOOL, "3");
    assert_int_equal(store_kind_changes(s, RES_NODEPOOL), before);
    assert_int_equal(store_count(s, RES_NODEPOOL), 3);

    /* "a" was deleted while the watch was down, "c" changed, "d" is new */
    store_relist_begin(s, RES_NODEPOOL);
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "b", "c", "2"));
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "c", "c", "7"));
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "d", "c", "8"));
    store_relist_add(s, RES_NODEPOOL, decode_json_text(RES_NODEPOOL, "{}", 2)); /* nameless: dropped */
    /* old content stays visible until the end */
    assert_non_null(store_get(s, RES_NODEPOOL, "clusters", "a"));
    store_relist_end(s, RES_NODEPOOL, "9");
    assert_null(store_get(s, RES_NODEPOOL, "clusters", "a"));
    assert_string_equal(store_get(s, RES_NODEPOOL, "clusters", "c")->meta.resource_version, "7");
    assert_non_null(store_get(s, RES_NODEPOOL, "clusters", "d"));
    assert_int_equal(store_count(s, RES_NODEPOOL), 3);
    assert_string_equal(store_resource_version(s, RES_NODEPOOL), "9");
    assert_true(store_kind_changes(s, RES_NODEPOOL) > before);

    /* an aborted re-list drops nothing */
    store_relist_begin(s, RES_NODEPOOL);
    store_relist_add(s, RES_NODEPOOL, mk_np("clusters", "b", "c", "2"));
    store_relist_abort(s, RES_NODEPOOL);
    assert_int_equal(store_count(s, RES_NODEPOOL), 3);
    assert_string_equal(store_resource_version(s, RES_NODEPOOL), "9");

    /* a re-list to empty removes everything (a large table: removal shifts entries) */
    for (int i = 0; i < 500; i++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", i);
        store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", name, "c", "1"));
    }
    store_relist_begin(s, RES_NODEPOOL);
    store_relist_end(s, RES_NODEPOOL, "100");
    assert_int_equal(store_count(s, RES_NODEPOOL), 0);
    size_t n;
    store_sorted(s, RES_NODEPOOL, &n);
    assert_int_equal(n, 0);

    /* clear */
    store_apply(s, RES_EVENT, WATCH_ADDED, mk_event("e1", "Pod", "ns", "p", "2026-01-01T00:00:00Z"));
    before = store_changes(s);
    store_clear_kind(s, RES_EVENT);
    assert_int_equal(store_count(s, RES_EVENT), 0);
    assert_true(store_changes(s) > before);
    before = store_changes(s);
    store_clear_kind(s, RES_EVENT);
    assert_int_equal(store_changes(s), before);
    store_free(s);
}

static void test_lookups(void **state)
{
    (void)state;
    store *s = store_new();
    store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, mk_hc("clusters", "prod1", "1"));
    store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, mk_hc("clusters", "dev.team1", "2"));
    store_apply(s, RES_HOSTEDCLUSTER, WATCH_ADDED, mk_hc("alpha", "prod1", "3"));
    record *hc = store_hc_by_cp_namespace(s, "clusters-dev-team1");
    assert_non_null(hc);
    assert_string_equal(hc->meta.name, "dev.team1");
    assert_string_equal(store_hc_by_cp_namespace(s, "alpha-prod1")->meta.namespace, "alpha");
    assert_null(store_hc_by_cp_namespace(s, "clusters-dev.team1"));
    assert_null(store_hc_by_cp_namespace(s, "nope"));

    size_t n;
    record *const *all = store_sorted(s, RES_HOSTEDCLUSTER, &n);
    assert_int_equal(n, 3);
    assert_string_equal(all[0]->meta.namespace, "alpha");
    assert_string_equal(all[1]->meta.name, "dev.team1");
    assert_string_equal(all[2]->meta.name, "prod1");
    /* the index follows changes */
    store_apply(s, RES_HOSTEDCLUSTER, WATCH_DELETED, mk_hc("clusters", "dev.team1", "4"));
    assert_null(store_hc_by_cp_namespace(s, "clusters-dev-team1"));

    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "prod1-b", "prod1", "1"));
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "prod1-a", "prod1", "1"));
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "other-a", "other", "1"));
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("alpha", "prod1-x", "prod1", "1"));
    record *const *nps = store_nodepools_of(s, "clusters", "prod1", &n);
    assert_int_equal(n, 2);
    assert_string_equal(nps[0]->meta.name, "prod1-a");
    assert_string_equal(nps[1]->meta.name, "prod1-b");
    nps = store_nodepools_of(s, "alpha", "prod1", &n);
    assert_int_equal(n, 1);
    assert_null(store_nodepools_of(s, "clusters", "nope", &n));
    assert_int_equal(n, 0);
    hc = store_hc_of_nodepool(s, store_get(s, RES_NODEPOOL, "alpha", "prod1-x"));
    assert_non_null(hc);
    assert_string_equal(hc->meta.namespace, "alpha");
    assert_null(store_hc_of_nodepool(s, store_get(s, RES_NODEPOOL, "clusters", "other-a")));
    store_apply(s, RES_NODEPOOL, WATCH_ADDED, mk_np("clusters", "prod1-c", "prod1", "1"));
    store_nodepools_of(s, "clusters", "prod1", &n);
    assert_int_equal(n, 3);

    /* MODIFIED keeps the views' order and patches them in place: they must show the new record */
    store_sorted(s, RES_NODEPOOL, &n);
    store_apply(s, RES_NODEPOOL, WATCH_MODIFIED, mk_np("clusters", "prod1-b", "prod1", "2"));
    nps = store_nodepools_of(s, "clusters", "prod1", &n);
    assert_int_equal(n, 3);
    assert_string_equal(nps[1]->meta.resource_version, "2");
    all = store_sorted(s, RES_NODEPOOL, &n);
    assert_int_equal(n, 5);
    assert_ptr_equal(all[3], store_get(s, RES_NODEPOOL, "clusters", "prod1-b"));
    /* a pool that moved to another cluster (not allowed by the API, but do not trust it) */
    store_apply(s, RES_NODEPOOL, WATCH_MODIFIED, mk_np("clusters", "prod1-b", "other", "3"));
    store_nodepools_of(s, "clusters", "prod1", &n);
    assert_int_equal(n, 2);
    nps = store_nodepools_of(s, "clusters", "other", &n);
    assert_int_equal(n, 2);
    assert_string_equal(nps[1]->meta.name, "prod1-b");
    assert_string_equal(store_sorted(s, RES_NODEPOOL, &n)[3]->meta.resource_version, "3");
    hc = store_hc_by_cp_namespace(s, "clusters-prod1");
    store_apply(s, RES_HOSTEDCLUSTER, WATCH_MODIFIED, mk_hc("clusters", "prod1", "9"));
    assert_string_equal(store_hc_by_cp_namespace(s, "clusters-prod1")->meta.resource_version, "9");

    const char *pods[][2] = {{"clusters-prod1", "etcd-1"}, {"clusters-prod1", "etcd-0"}, {"alpha-prod1", "etcd-0"},
                             {"clusters-prod1", "etcd-2"}, {"zeta", "etcd-0"}};
    for (size_t i = 0; i < 5; i++)
        store_apply(s, RES_ETCD_POD, WATCH_ADDED, mk_simple(RES_ETCD_POD, pods[i][0], pods[i][1], "1"));
    record *const *ps = store_etcd_pods(s, "clusters-prod1", &n);
    assert_int_equal(n, 3);
    assert_string_equal(ps[0]->meta.name, "etcd-0");
    assert_string_equal(ps[2]->meta.name, "etcd-2");
    store_etcd_pods(s, "zeta", &n);
    assert_int_equal(n, 1);
    assert_null(store_etcd_pods(s, "clusters", &n));
    store_apply(s, RES_ETCD_PVC, WATCH_ADDED, mk_simple(RES_ETCD_PVC, "clusters-prod1", "data-etcd-0", "1"));
    store_etcd_pvcs(s, "clusters-prod1", &n);
    assert_int_equal(n, 1);
    store_etcd_pvcs(s, "alpha-prod1", &n);
    assert_int_equal(n, 0);

    store_apply(s, RES_EVENT, WATCH_ADDED, mk_event("e1", "HostedCluster", "clusters", "prod1", "2026-06-10T09:00:00Z"));
    store_apply(s, RES_EVENT, WATCH_ADDED, mk_event("e2", "HostedCluster", "clusters", "prod1", "2026-06-10T10:00:00Z"));
    store_apply(s, RES_EVENT, WATCH_ADDED, mk_event("e3", "NodePool", "clusters", "prod1", "2026-06-10T11:00:00Z"));
    store_apply(s, RES_EVENT, WATCH_ADDED, mk_event("e4", "HostedCluster", "clusters", "prod2", "2026-06-10T12:00:00Z"));
    record *const *evs = store_events_of(s, "HostedCluster", "clusters", "prod1", &n);
    assert_int_equal(n, 2);
    assert_string_equal(evs[0]->meta.name, "e2"); /* newest first */
    assert_string_equal(evs[1]->meta.name, "e1");
    evs = store_events_of(s, NULL, "clusters", "prod1", &n);
    assert_int_equal(n, 3);
    assert_string_equal(evs[0]->meta.name, "e3");
    assert_null(store_events_of(s, "Pod", "clusters", "prod1", &n));

    assert_null(store_supported_versions(s));
    const char *cm = "{\"metadata\":{\"namespace\":\"hypershift\",\"name\":\"supported-versions\"},"
                     "\"data\":{\"supported-versions\":\"{\\\"versions\\\":[\\\"4.19\\\"]}\"}}";
    store_apply(s, RES_SUPPORTED_VERSIONS, WATCH_ADDED, decode_json_text(RES_SUPPORTED_VERSIONS, cm, strlen(cm)));
    assert_non_null(store_supported_versions(s));
    assert_int_equal(store_supported_versions(s)->u.sv.versions.n, 1);
    assert_true(store_memory_bytes(s) > 0);
    store_free(s);
}

static void test_focus(void **state)
{
    (void)state;
    store *s = store_new();
    assert_null(store_focus_json(s, NULL, NULL, NULL));
    assert_int_equal(store_focus_changes(s), 0);
    const char *json = "{\"kind\":\"HostedCluster\"}trailing";
    store_set_focus(s, RES_HOSTEDCLUSTER, "clusters", "prod1", json, 24);
    res_kind k;
    const char *ns, *name;
    assert_string_equal(store_focus_json(s, &k, &ns, &name), "{\"kind\":\"HostedCluster\"}");
    assert_int_equal(k, RES_HOSTEDCLUSTER);
    assert_string_equal(ns, "clusters");
    assert_string_equal(name, "prod1");
    assert_int_equal(store_focus_changes(s), 1);
    store_set_focus(s, RES_HOSTEDCLUSTER, NULL, NULL, NULL, 0);
    assert_null(store_focus_json(s, NULL, &ns, NULL));
    assert_null(ns);
    assert_int_equal(store_focus_changes(s), 2);
    store_set_focus(s, RES_NODEPOOL, "clusters", "np", "{}", 2);
    store_free(s); /* frees the slot */
}

/* Realistic records (the fact sheet's examples, renamed) at a fraction of the fleet budget. The
 * fraction is HCPTUI_STORE_SCALE percent (default 20); 100 measures the whole budget. */
static void fill_from_fixture(store *s, res_kind kind, const char *file, int count, bool cp_ns)
{
    size_t len;
    char *text = read_json_fixture(file, &len);
    cJSON *obj = json_parse_len(text, len);
    assert_non_null(obj);
    cJSON *meta = json_obj_child(obj, "metadata");
    for (int i = 0; i < count; i++) {
        char name[64], ns[64], rv[24], uid[40], val[96];
        snprintf(name, sizeof name, cp_ns ? "etcd-%d" : "c%06d", cp_ns ? i % 3 : i);
        snprintf(ns, sizeof ns, cp_ns ? "clusters-c%06d" : "clusters", i / 3);
        snprintf(rv, sizeof rv, "%d", 1000 + i);
        snprintf(uid, sizeof uid, "%08x-1111-4d2e-8f00-3c2d%08x", (unsigned)i * 2654435761u, (unsigned)i);
        json_set_str(meta, "name", name);
        json_set_str(meta, "namespace", ns);
        json_set_str(meta, "resourceVersion", rv);
        json_set_str(meta, "uid", uid);
        /* What differs between real objects besides identity: per-cluster names and endpoints, a
         * handful of release images, node names and pod IPs. */
        if (kind == RES_HOSTEDCLUSTER) {
            snprintf(val, sizeof val, "api.c%06d.example.net", i);
            json_set_str(json_at(obj, "status", "controlPlaneEndpoint", NULL), "host", val);
            snprintf(val, sizeof val, "c%06d-admin-kubeconfig", i);
            json_set_str(json_at(obj, "status", "kubeconfig", NULL), "name", val);
        } else if (kind == RES_NODEPOOL) {
            snprintf(val, sizeof val, "c%06d", i / 4);
            json_set_str(json_at(obj, "spec", NULL), "clusterName", val);
            snprintf(val, sizeof val, "quay.io/openshift-release-dev/ocp-release:4.19.%d-multi", i % 7);
            json_set_str(json_at(obj, "spec", "release", NULL), "image", val);
        } else {
            snprintf(val, sizeof val, "ip-10-0-%d-%d.ec2.internal", i % 50, i % 7);
            json_set_str(json_at(obj, "spec", NULL), "nodeName", val);
            snprintf(val, sizeof val, "10.%d.%d.%d", 128 + i / 65536, (i / 256) % 256, i % 256);
            json_set_str(json_at(obj, "status", NULL), "podIP", val);
            snprintf(val, sizeof val, "clusters-c%06d", i / 3);
            json_set_str(json_at(obj, "metadata", "labels", NULL), "hypershift.openshift.io/hosted-control-plane", val);
        }
        store_relist_add(s, kind, decode_object(kind, obj));
    }
    cJSON_Delete(obj);
    free(text);
}

static void test_memory_budget(void **state)
{
    (void)state;
    const char *env = getenv("HCPTUI_STORE_SCALE");
    int pct = env ? atoi(env) : 20;
    if (pct <= 0 || pct > 100)
        pct = 20;
    struct mallinfo2 before = mallinfo2();
    store *s = store_new();
    int hcs = 5000 * pct / 100, nps = 20000 * pct / 100, pods = 15000 * pct / 100;
    for (int k = 0; k < 3; k++)
        store_relist_begin(s, (res_kind)(k == 0 ? RES_HOSTEDCLUSTER : k == 1 ? RES_NODEPOOL : RES_ETCD_POD));
    fill_from_fixture(s, RES_HOSTEDCLUSTER, "hc_healthy.json", hcs, false);
    fill_from_fixture(s, RES_NODEPOOL, "np_healthy.json", nps, false);
    fill_from_fixture(s, RES_ETCD_POD, "pod_etcd_running.json", pods, true);
    store_relist_end(s, RES_HOSTEDCLUSTER, "1");
    store_relist_end(s, RES_NODEPOOL, "1");
    store_relist_end(s, RES_ETCD_POD, "1");
    assert_int_equal(store_count(s, RES_HOSTEDCLUSTER), (size_t)hcs);
    size_t n;
    store_sorted(s, RES_NODEPOOL, &n);
    store_sorted(s, RES_ETCD_POD, &n);
    store_etcd_pods(s, "clusters-c000001", &n);
    assert_int_equal(n, 3);
    store_hc_by_cp_namespace(s, "clusters-c000001");
    store_nodepools_of(s, "clusters", "prod1", &n);
    struct mallinfo2 after = mallinfo2();
    size_t heap = after.uordblks + after.hblkhd - before.uordblks - before.hblkhd;
    size_t accounted = store_memory_bytes(s);
    print_message("store at %d%% of the fleet budget (%d HC, %d NP, %d pods): heap %.1f MiB, accounted %.1f MiB, "
                  "projected full fleet %.1f MiB\n",
                  pct, hcs, nps, pods, heap / 1048576.0, accounted / 1048576.0, heap / 1048576.0 * 100.0 / pct);
    /* The whole console gets 64 MiB resident. These fixture objects are richer than most (every
     * condition, history, updates and risks filled in); the figure is noted in docs/store.md and this
     * bound catches regressions. */
    assert_true(heap / 1048576.0 * 100.0 / pct < 50.0);
    store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_type_parse), cmocka_unit_test(test_apply),  cmocka_unit_test(test_hash_churn),
        cmocka_unit_test(test_relist),           cmocka_unit_test(test_lookups), cmocka_unit_test(test_focus),
        cmocka_unit_test(test_memory_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
