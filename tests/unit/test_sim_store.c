/* Unit tests for the simulator's object store: CRUD semantics, subresources, optimistic locking,
 * finalizers, paging, watches and thread safety, checked against kube-apiserver's answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/store.h"
#include "tests/unit/sim_store_fixture.h"

static void add_hc(sim_store *s, const char *ns, const char *name, const char *app)
{
    char js[300];
    snprintf(js, sizeof js, HC, name, app);
    assert_int_equal(create(s, SIM_HOSTEDCLUSTER, ns, js), 201);
}

/* ---- create / get ---------------------------------------------------------------------------------- */

static void test_create_and_get(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "clusters");
    cJSON *o = J("{'metadata':{'name':'hc1'},'spec':{'release':{'image':'x'}}}");
    sim_reply r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "clusters", o, NULL);
    cJSON_Delete(o);
    assert_int_equal(r.code, 201);
    assert_string_equal(json_str_at(r.body, "apiVersion", NULL), "hypershift.openshift.io/v1beta1");
    assert_string_equal(json_str_at(r.body, "kind", NULL), "HostedCluster");
    assert_string_equal(cJSON_GetArrayItem(r.body, 0)->string, "apiVersion");
    assert_string_equal(json_str_at(r.body, "metadata", "namespace", NULL), "clusters");
    assert_string_equal(json_str_at(r.body, "metadata", "creationTimestamp", NULL), "2026-07-04T00:00:00Z");
    const char *uid = json_str_at(r.body, "metadata", "uid", NULL);
    assert_non_null(uid);
    assert_int_equal(strlen(uid), 36);
    assert_int_equal(uid[14], '4');
    assert_non_null(strchr("89ab", uid[19]));
    int64_t gen = 0;
    assert_true(json_int_at(&gen, r.body, "metadata", "generation", NULL));
    assert_int_equal(gen, 1);
    char want_rv[24];
    snprintf(want_rv, sizeof want_rv, "%" PRIu64, sim_store_rv(s));
    assert_string_equal(json_str_at(r.body, "metadata", "resourceVersion", NULL), want_rv);
    cJSON_Delete(r.body);

    r = sim_store_get(s, K(SIM_HOSTEDCLUSTER), "clusters", "hc1", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "name", NULL), "hc1");
    cJSON_Delete(r.body);

    /* namespace got its phase; a configmap (no status subresource) has no generation */
    r = sim_store_get(s, K(SIM_NAMESPACE), NULL, "clusters", SIM_SUB_NONE);
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "Active");
    cJSON_Delete(r.body);
    assert_int_equal(create(s, SIM_CONFIGMAP, "clusters", "{'metadata':{'name':'cm'},'data':{'a':'b'}}"), 201);
    assert_int_equal(get_int(s, SIM_CONFIGMAP, "clusters", "cm", "metadata", "generation"), -1);

    assert_status(sim_store_get(s, K(SIM_HOSTEDCLUSTER), "clusters", "nope", SIM_SUB_NONE), 404, "NotFound",
                  "hostedclusters.hypershift.openshift.io \"nope\" not found");
    r = sim_store_get(s, K(SIM_POD), "clusters", "nope", SIM_SUB_NONE);
    assert_string_equal(json_str_at(r.body, "message", NULL), "pods \"nope\" not found");
    assert_null(json_at(r.body, "details", "group", NULL)); /* core group is omitted */
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "pods");
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_create_errors(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "ns1");
    add_hc(s, "ns1", "conf-hc", "a");
    cJSON *o = J("{'metadata':{'name':'conf-hc'}}");
    sim_reply r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "ns1", o, NULL);
    cJSON_Delete(o);
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "hostedclusters");
    assert_string_equal(json_str_at(r.body, "details", "group", NULL), "hypershift.openshift.io");
    assert_status(r, 409, "AlreadyExists", "hostedclusters.hypershift.openshift.io \"conf-hc\" already exists");

    o = J("{'metadata':{'name':'x'}}");
    r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "missing", o, NULL);
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "namespaces");
    assert_status(r, 404, "NotFound", "namespaces \"missing\" not found");
    cJSON_Delete(o);

    o = J("{'metadata':{'name':'x','namespace':'other'}}");
    assert_status(sim_store_create(s, K(SIM_HOSTEDCLUSTER), "ns1", o, NULL), 400, "BadRequest",
                  "the namespace of the provided object does not match the namespace sent on the request");
    cJSON_Delete(o);

    o = J("{'metadata':{'labels':{}}}");
    r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "ns1", o, NULL);
    assert_status(r, 422, "Invalid",
                  "HostedCluster.hypershift.openshift.io \"\" is invalid: metadata.name: Required value: name or "
                  "generateName is required");
    cJSON_Delete(o);

    o = J("{'kind':'NodePool','metadata':{'name':'y'}}");
    r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "ns1", o, NULL);
    assert_int_equal(r.code, 400);
    cJSON_Delete(r.body);
    cJSON_Delete(o);

    o = J("{'metadata':{'name':'Bad/Name'}}");
    r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "ns1", o, NULL);
    assert_int_equal(r.code, 422);
    cJSON_Delete(r.body);
    cJSON_Delete(o);

    /* generateName appends five characters */
    o = J("{'metadata':{'generateName':'etcd-'}}");
    r = sim_store_create(s, K(SIM_POD), "ns1", o, NULL);
    assert_int_equal(r.code, 201);
    const char *name = json_str_at(r.body, "metadata", "name", NULL);
    assert_int_equal(strlen(name), 10);
    assert_memory_equal(name, "etcd-", 5);
    for (int i = 5; i < 10; i++)
        assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz0123456789", name[i]));
    cJSON_Delete(r.body);
    cJSON_Delete(o);

    /* a resourceVersion on create (an exported object sent back) */
    o = J("{'metadata':{'name':'z','resourceVersion':'5'}}");
    assert_status(sim_store_create(s, K(SIM_POD), "ns1", o, NULL), 400, "BadRequest",
                  "resourceVersion should not be set on objects to be created");
    cJSON_Delete(o);

    /* not an object */
    o = J("[1,2]");
    r = sim_store_create(s, K(SIM_POD), "ns1", o, NULL);
    assert_int_equal(r.code, 400);
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    sim_store_free(s);
}

static cJSON *reject_bogus(const sim_kind *k, const cJSON *obj, const cJSON *old, void *ctx)
{
    (void)old;
    (*(int *)ctx)++;
    const char *type = json_str_at(obj, "spec", "platform", "type", NULL);
    if (type && strcmp(type, "Bogus") == 0) {
        cJSON *st = sim_status_invalid(k, json_str_at(obj, "metadata", "name", NULL), "spec.platform.type",
                                       "FieldValueNotSupported", "Unsupported value: \"Bogus\"");
        sim_status_add_cause(st, "spec.pullSecret", "FieldValueRequired", "Required value");
        return st;
    }
    return NULL;
}

static void test_validation_hook(void **state)
{
    (void)state;
    int calls = 0;
    sim_store_opts o = {0};
    o.validate = reject_bogus;
    o.validate_ctx = &calls;
    sim_store *s = sim_store_new(&o);
    mkns(s, "n");
    cJSON *bad = J("{'metadata':{'name':'hc'},'spec':{'platform':{'type':'Bogus'}}}");
    sim_reply r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "n", bad, NULL);
    cJSON_Delete(bad);
    assert_int_equal(cJSON_GetArraySize(json_at(r.body, "details", "causes", NULL)), 2);
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "HostedCluster");
    assert_status(r, 422, "Invalid",
                  "HostedCluster.hypershift.openshift.io \"hc\" is invalid: [spec.platform.type: Unsupported value: "
                  "\"Bogus\", spec.pullSecret: Required value]");
    assert_int_equal(sim_store_count(s, K(SIM_HOSTEDCLUSTER)), 0);
    add_hc(s, "n", "hc", "a");
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
                                "{'spec':{'platform':{'type':'Bogus'}}}", SIM_SUB_NONE),
                     422);
    int before = calls;
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
                                "{'spec':{'platform':{'type':'AWS'}}}", SIM_SUB_NONE),
                     200);
    assert_int_equal(calls, before + 1);
    sim_store_free(s);
}

/* ---- list ----------------------------------------------------------------------------------------- */

static void test_list_order_and_namespaces(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "b");
    mkns(s, "a");
    mkns(s, "a-x");
    add_hc(s, "b", "z", "one");
    add_hc(s, "a", "m", "two");
    add_hc(s, "a", "c", "one");
    add_hc(s, "a-x", "q", "one");
    sim_list_opts lo = {0};
    sim_reply r = sim_store_list(s, K(SIM_HOSTEDCLUSTER), &lo);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "HostedClusterList");
    assert_string_equal(json_str_at(r.body, "apiVersion", NULL), "hypershift.openshift.io/v1beta1");
    char rv[24];
    snprintf(rv, sizeof rv, "%" PRIu64, sim_store_rv(s));
    assert_string_equal(json_str_at(r.body, "metadata", "resourceVersion", NULL), rv);
    cJSON *items = json_at(r.body, "items", NULL);
    assert_int_equal(cJSON_GetArraySize(items), 4);
    /* etcd key order: "a-x/" sorts before "a/" */
    const char *want[] = {"q", "c", "m", "z"};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(json_str_at(cJSON_GetArrayItem(items, i), "metadata", "name", NULL), want[i]);
        assert_string_equal(json_str_at(cJSON_GetArrayItem(items, i), "kind", NULL), "HostedCluster");
    }
    assert_null(json_at(r.body, "metadata", "continue", NULL));
    cJSON_Delete(r.body);

    lo.ns = "a";
    r = sim_store_list(s, K(SIM_HOSTEDCLUSTER), &lo);
    items = json_at(r.body, "items", NULL);
    assert_int_equal(cJSON_GetArraySize(items), 2);
    assert_string_equal(json_str_at(cJSON_GetArrayItem(items, 0), "metadata", "name", NULL), "c");
    cJSON_Delete(r.body);

    lo.ns = NULL;
    lo.label_selector = "app=one";
    lo.field_selector = "metadata.namespace!=b";
    r = sim_store_list(s, K(SIM_HOSTEDCLUSTER), &lo);
    items = json_at(r.body, "items", NULL);
    assert_int_equal(cJSON_GetArraySize(items), 2);
    cJSON_Delete(r.body);

    lo.label_selector = "app in (one";
    assert_status(sim_store_list(s, K(SIM_HOSTEDCLUSTER), &lo), 400, "BadRequest", NULL);
    lo.label_selector = NULL;
    lo.field_selector = "spec.nodeName=x";
    assert_status(sim_store_list(s, K(SIM_HOSTEDCLUSTER), &lo), 400, "BadRequest",
                  "field label not supported: spec.nodeName");
    sim_store_free(s);
}

/* Walks all pages with the given limit and checks that every object comes exactly once, in order. */
static void page_through(sim_store *s, const sim_list_opts *base, int expect_total, long limit)
{
    sim_list_opts lo = *base;
    lo.limit = limit;
    char *token = NULL;
    char last[64] = "";
    int seen = 0, pages = 0;
    for (;;) {
        lo.continue_token = token;
        sim_reply r = sim_store_list(s, K(SIM_POD), &lo);
        assert_int_equal(r.code, 200);
        cJSON *items = json_at(r.body, "items", NULL);
        assert_true(cJSON_GetArraySize(items) <= limit);
        const cJSON *it;
        cJSON_ArrayForEach(it, items)
        {
            char key[64];
            snprintf(key, sizeof key, "%s/%s", json_str_at(it, "metadata", "namespace", NULL),
                     json_str_at(it, "metadata", "name", NULL));
            assert_true(strcmp(last, key) < 0);
            snprintf(last, sizeof last, "%s", key);
            seen++;
        }
        pages++;
        free(token);
        token = NULL;
        const char *next = json_str_at(r.body, "metadata", "continue", NULL);
        int64_t remaining = -1;
        bool has_count = json_int_at(&remaining, r.body, "metadata", "remainingItemCount", NULL);
        if (next) {
            token = xstrdup(next);
            if (!lo.label_selector)
                assert_int_equal(remaining, expect_total - seen);
            else
                assert_false(has_count);
        } else {
            assert_false(has_count);
        }
        cJSON_Delete(r.body);
        if (!token)
            break;
    }
    assert_int_equal(seen, expect_total);
    assert_int_equal(pages, expect_total == 0 ? 1 : (expect_total + limit - 1) / limit);
}

static void test_paging(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "p1");
    mkns(s, "p2");
    for (int i = 0; i < 23; i++) {
        char js[200];
        snprintf(js, sizeof js, "{'metadata':{'name':'pod-%02d','labels':{'odd':'%s'}}}", i, i % 2 ? "y" : "n");
        assert_int_equal(create(s, SIM_POD, i < 10 ? "p1" : "p2", js), 201);
    }
    sim_list_opts lo = {0};
    page_through(s, &lo, 23, 1);
    page_through(s, &lo, 23, 5);
    page_through(s, &lo, 23, 23);
    page_through(s, &lo, 23, 100);
    lo.ns = "p2";
    page_through(s, &lo, 13, 4);
    lo.ns = NULL;
    lo.label_selector = "odd=y";
    page_through(s, &lo, 11, 3);

    /* the token format is the apiserver's: base64url of {"v":..,"rv":..,"start":"<name>\u0000"} */
    sim_list_opts one = {0};
    one.ns = "p1";
    one.limit = 1;
    sim_reply r = sim_store_list(s, K(SIM_POD), &one);
    const char *tok = json_str_at(r.body, "metadata", "continue", NULL);
    assert_non_null(tok);
    assert_null(strchr(tok, '='));
    assert_null(strchr(tok, '+'));
    assert_null(strchr(tok, '/'));
    /* "{"v":"meta.k8s.io/v1","rv":" in base64url */
    assert_memory_equal(tok, "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6", 36);
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_continue_token_errors(void **state)
{
    (void)state;
    sim_store *s = new_store(8);
    mkns(s, "n");
    for (int i = 0; i < 3; i++) {
        char js[100];
        snprintf(js, sizeof js, "{'metadata':{'name':'p%d'}}", i);
        assert_int_equal(create(s, SIM_POD, "n", js), 201);
    }
    sim_list_opts lo = {0};
    lo.continue_token = "!!!not base64";
    sim_reply r = sim_store_list(s, K(SIM_POD), &lo);
    assert_non_null(strstr(json_str_at(r.body, "message", NULL), "continue key is not valid"));
    assert_status(r, 400, "BadRequest", NULL);
    lo.continue_token = "eyJhIjoxfQ"; /* {"a":1} */
    assert_status(sim_store_list(s, K(SIM_POD), &lo), 400, "BadRequest", NULL);

    lo.limit = 1;
    lo.continue_token = NULL;
    r = sim_store_list(s, K(SIM_POD), &lo);
    char *tok = xstrdup(json_str_at(r.body, "metadata", "continue", NULL));
    cJSON_Delete(r.body);
    /* more writes than the window holds: the token's rv leaves the history */
    for (int i = 0; i < 20; i++) {
        char js[100];
        snprintf(js, sizeof js, "{'metadata':{'name':'q%d'}}", i);
        assert_int_equal(create(s, SIM_CONFIGMAP, "n", js), 201);
    }
    lo.continue_token = tok;
    assert_status(sim_store_list(s, K(SIM_POD), &lo), 410, "Expired",
                  "The provided continue parameter is too old to display a consistent list result. You can start a "
                  "new list without the continue parameter.");
    free(tok);
    sim_store_free(s);
}

static void test_list_large(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "fleet");
    /* created in reverse order so that inserts are not all appends */
    for (int i = 20000; i > 0; i--) {
        char js[120];
        snprintf(js, sizeof js, "{'metadata':{'name':'np-%05d'},'spec':{'replicas':2}}", i);
        cJSON *o = J(js);
        sim_reply r = sim_store_create(s, K(SIM_NODEPOOL), "fleet", o, NULL);
        assert_int_equal(r.code, 201);
        cJSON_Delete(r.body);
        cJSON_Delete(o);
    }
    int64_t t0 = now_ms_monotonic();
    sim_list_opts lo = {0};
    sim_reply r = sim_store_list(s, K(SIM_NODEPOOL), &lo);
    int64_t ms = now_ms_monotonic() - t0;
    assert_int_equal(cJSON_GetArraySize(json_at(r.body, "items", NULL)), 20000);
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(r.body, "items", NULL), 0), "metadata", "name", NULL),
                        "np-00001");
    /* the budget is "well under a second"; sanitizers slow everything down several times */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    assert_true(ms < 4000);
#else
    assert_true(ms < 1000);
#endif
    cJSON_Delete(r.body);
    sim_store_free(s);
}

/* ---- update / patch ------------------------------------------------------------------------------- */

static void test_generation_and_rv(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    add_hc(s, "n", "hc", "a");
    char *rv1 = get_rv(s, SIM_HOSTEDCLUSTER, "n", "hc");
    /* metadata change: new rv, same generation */
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
                                "{'metadata':{'labels':{'x':'y'}}}", SIM_SUB_NONE),
                     200);
    char *rv2 = get_rv(s, SIM_HOSTEDCLUSTER, "n", "hc");
    assert_true(strtoull(rv2, NULL, 10) > strtoull(rv1, NULL, 10));
    assert_int_equal(get_int(s, SIM_HOSTEDCLUSTER, "n", "hc", "metadata", "generation"), 1);
    /* spec change: generation 2 */
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'spec':{'channel':'c'}}",
                                SIM_SUB_NONE),
                     200);
    assert_int_equal(get_int(s, SIM_HOSTEDCLUSTER, "n", "hc", "metadata", "generation"), 2);
    /* a no-op patch returns 200 and keeps the resourceVersion */
    char *rv3 = get_rv(s, SIM_HOSTEDCLUSTER, "n", "hc");
    uint64_t store_rv = sim_store_rv(s);
    sim_reply r = patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'spec':{'channel':'c'}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "resourceVersion", NULL), rv3);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_rv(s), store_rv);
    /* identity cannot be patched away */
    char *uid = NULL;
    r = sim_store_get(s, K(SIM_HOSTEDCLUSTER), "n", "hc", SIM_SUB_NONE);
    uid = xstrdup(json_str_at(r.body, "metadata", "uid", NULL));
    cJSON_Delete(r.body);
    r = patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
              "{'metadata':{'uid':'other','creationTimestamp':'2000-01-01T00:00:00Z','generation':99}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "uid", NULL), uid);
    assert_string_equal(json_str_at(r.body, "metadata", "creationTimestamp", NULL), "2026-07-04T00:00:00Z");
    cJSON_Delete(r.body);
    assert_int_equal(get_int(s, SIM_HOSTEDCLUSTER, "n", "hc", "metadata", "generation"), 2);
    /* renaming is refused */
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'metadata':{'name':'other'}}",
                                SIM_SUB_NONE),
                     400);
    free(uid);
    free(rv1);
    free(rv2);
    free(rv3);
    sim_store_free(s);
}

static void test_update_conflicts(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    add_hc(s, "n", "conf-hc", "a");
    sim_reply r = sim_store_get(s, K(SIM_HOSTEDCLUSTER), "n", "conf-hc", SIM_SUB_NONE);
    cJSON *obj = r.body;
    char *rv = xstrdup(json_str_at(obj, "metadata", "resourceVersion", NULL));
    json_set_str(json_obj_child(obj, "spec"), "channel", "stable-4.17");
    r = sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "conf-hc", obj, SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "spec", "channel", NULL), "stable-4.17");
    cJSON_Delete(r.body);
    /* the same body again carries the old resourceVersion: 409 */
    const char *msg = "Operation cannot be fulfilled on hostedclusters.hypershift.openshift.io \"conf-hc\": the object "
                      "has been modified; please apply your changes to the latest version and try again";
    assert_status(sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "conf-hc", obj, SIM_SUB_NONE, NULL), 409, "Conflict", msg);
    /* a stale rv inside a merge patch: 409 too */
    char js[200];
    snprintf(js, sizeof js, "{'metadata':{'resourceVersion':'%s'},'spec':{'channel':'candidate-4.17'}}", rv);
    assert_status(patch(s, SIM_HOSTEDCLUSTER, "n", "conf-hc", SIM_PATCH_MERGE, js, SIM_SUB_NONE), 409, "Conflict",
                  msg);
    /* and in a JSON patch */
    snprintf(js, sizeof js, "[{'op':'replace','path':'/metadata/resourceVersion','value':'%s'}]", rv);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "conf-hc", SIM_PATCH_JSON, js, SIM_SUB_NONE), 409);
    /* custom resources need a resourceVersion on PUT */
    cJSON_DeleteItemFromObject(json_at(obj, "metadata", NULL), "resourceVersion");
    r = sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "conf-hc", obj, SIM_SUB_NONE, NULL);
    assert_string_equal(json_str_at(r.body, "message", NULL),
                        "HostedCluster.hypershift.openshift.io \"conf-hc\" is invalid: metadata.resourceVersion: "
                        "Invalid value: 0x0: must be specified for an update");
    assert_status(r, 422, "Invalid", NULL);
    /* PUT of a missing object */
    json_set_str(json_at(obj, "metadata", NULL), "name", "gone");
    assert_status(sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "gone", obj, SIM_SUB_NONE, NULL), 404, "NotFound", NULL);
    /* name in the body differs from the URL */
    assert_status(sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "conf-hc", obj, SIM_SUB_NONE, NULL), 400, "BadRequest",
                  NULL);
    /* core kinds allow an unconditional update */
    assert_int_equal(create(s, SIM_CONFIGMAP, "n", "{'metadata':{'name':'cm'},'data':{'a':'1'}}"), 201);
    cJSON *cm = J("{'metadata':{'name':'cm'},'data':{'a':'2'}}");
    r = sim_store_update(s, K(SIM_CONFIGMAP), "n", "cm", cm, SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "data", "a", NULL), "2");
    cJSON_Delete(r.body);
    cJSON_Delete(cm);
    cJSON_Delete(obj);
    free(rv);
    sim_store_free(s);
}

static void test_patch_types(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    add_hc(s, "n", "conf-hc", "a");
    sim_reply r = patch(s, SIM_HOSTEDCLUSTER, "n", "conf-hc", SIM_PATCH_STRATEGIC, "{'spec':{}}", SIM_SUB_NONE);
    assert_null(json_at(r.body, "details", NULL));
    assert_status(r, 415, "UnsupportedMediaType",
                  "the body of the request was in an unknown format - accepted media types include: "
                  "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    assert_status(patch(s, SIM_HOSTEDCLUSTER, "n", "conf-hc", SIM_PATCH_MERGE, "{'spec':", SIM_SUB_NONE), 400,
                  "BadRequest", NULL);
    assert_status(patch(s, SIM_HOSTEDCLUSTER, "n", "missing", SIM_PATCH_MERGE, "{}", SIM_SUB_NONE), 404, "NotFound",
                  NULL);
    r = patch(s, SIM_HOSTEDCLUSTER, "n", "conf-hc", SIM_PATCH_JSON, "[{'op':'remove','path':'/spec/nothing'}]",
              SIM_SUB_NONE);
    assert_non_null(json_str_at(cJSON_GetArrayItem(json_at(r.body, "details", "causes", NULL), 0), "message", NULL));
    assert_status(r, 422, "Invalid", "the server rejected our request due to an error in our request");
    r = patch(s, SIM_HOSTEDCLUSTER, "n", "conf-hc", SIM_PATCH_JSON,
              "[{'op':'add','path':'/metadata/annotations','value':{}},"
              "{'op':'add','path':'/metadata/annotations/hypershift.openshift.io~1force-upgrade-to','value':'4.18'}]",
              SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(
        json_str_at(r.body, "metadata", "annotations", "hypershift.openshift.io/force-upgrade-to", NULL), "4.18");
    cJSON_Delete(r.body);
    /* strategic merge on a core kind merges containers by name */
    assert_int_equal(create(s, SIM_POD, "n",
                            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'1'},"
                            "{'name':'b','image':'1'}]}}"),
                     201);
    r = patch(s, SIM_POD, "n", "p", SIM_PATCH_STRATEGIC,
              "{'spec':{'containers':[{'name':'b','image':'2'},{'name':'a','$patch':'delete'}]}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    cJSON *cs = json_at(r.body, "spec", "containers", NULL);
    assert_int_equal(cJSON_GetArraySize(cs), 1);
    assert_string_equal(json_str_at(cJSON_GetArrayItem(cs, 0), "image", NULL), "2");
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_status_subresource(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    add_hc(s, "n", "hc", "a");
    /* the main resource ignores status */
    sim_reply r = patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
                        "{'spec':{'channel':'c'},'status':{'version':{'desired':{'image':'x'}}}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_null(json_at(r.body, "status", NULL));
    assert_string_equal(json_str_at(r.body, "spec", "channel", NULL), "c");
    cJSON_Delete(r.body);
    /* /status changes only status */
    r = patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
              "{'spec':{'channel':'other'},'metadata':{'labels':{'z':'1'}},'status':{'phase':'x'}}", SIM_SUB_STATUS);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "x");
    assert_string_equal(json_str_at(r.body, "spec", "channel", NULL), "c");
    assert_null(json_at(r.body, "metadata", "labels", "z", NULL));
    cJSON_Delete(r.body);
    assert_int_equal(get_int(s, SIM_HOSTEDCLUSTER, "n", "hc", "metadata", "generation"), 2);
    /* PUT to /status */
    r = sim_store_get(s, K(SIM_HOSTEDCLUSTER), "n", "hc", SIM_SUB_NONE);
    cJSON *obj = r.body;
    json_set_str(json_obj_child(obj, "status"), "phase", "y");
    json_set_str(json_obj_child(obj, "spec"), "channel", "ignored");
    r = sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "hc", obj, SIM_SUB_STATUS, NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "y");
    assert_string_equal(json_str_at(r.body, "spec", "channel", NULL), "c");
    cJSON_Delete(r.body);
    cJSON_Delete(obj);
    sim_store_free(s);
}

static void test_scale_subresource(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_NODEPOOL, "n", "{'metadata':{'name':'np'},'spec':{'replicas':2}}"), 201);
    assert_int_equal(patch_code(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'status':{'replicas':1}}",
                                SIM_SUB_STATUS),
                     200);
    sim_reply r = sim_store_get(s, K(SIM_NODEPOOL), "n", "np", SIM_SUB_SCALE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Scale");
    assert_string_equal(json_str_at(r.body, "apiVersion", NULL), "autoscaling/v1");
    assert_string_equal(json_str_at(r.body, "metadata", "name", NULL), "np");
    assert_non_null(json_str_at(r.body, "metadata", "uid", NULL));
    int64_t v;
    assert_true(json_int_at(&v, r.body, "spec", "replicas", NULL));
    assert_int_equal(v, 2);
    assert_true(json_int_at(&v, r.body, "status", "replicas", NULL));
    assert_int_equal(v, 1);
    assert_null(json_at(r.body, "status", "selector", NULL));
    cJSON_Delete(r.body);
    /* patching the Scale writes spec.replicas */
    r = patch(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'spec':{'replicas':5}}", SIM_SUB_SCALE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Scale");
    assert_true(json_int_at(&v, r.body, "spec", "replicas", NULL));
    assert_int_equal(v, 5);
    cJSON_Delete(r.body);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "np", "spec", "replicas"), 5);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "np", "metadata", "generation"), 2);
    /* PUT of a Scale, then a negative count */
    assert_int_equal(update_code(s, SIM_NODEPOOL, "n", "np", "{'kind':'Scale','metadata':{'name':'np'},'spec':{'replicas':0}}",
                                 SIM_SUB_SCALE),
                     200);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "np", "spec", "replicas"), 0);
    assert_int_equal(patch_code(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_JSON,
                                "[{'op':'replace','path':'/spec/replicas','value':-1}]", SIM_SUB_SCALE),
                     422);
    /* kinds without scale */
    r = sim_store_get(s, K(SIM_HOSTEDCLUSTER), "n", "np", SIM_SUB_SCALE);
    assert_int_equal(r.code, 404);
    cJSON_Delete(r.body);
    sim_store_free(s);
}

/* ---- delete --------------------------------------------------------------------------------------- */

static void test_delete(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_NODEPOOL, "n", "{'metadata':{'name':'conf-np-b'},'spec':{'replicas':1}}"), 201);
    cJSON *opts = J("{'apiVersion':'v1','kind':'DeleteOptions','preconditions':{'uid':'00000000-0000-0000-0000-000000000000'}}");
    sim_reply r = sim_store_delete(s, K(SIM_NODEPOOL), "n", "conf-np-b", opts);
    const char *m = json_str_at(r.body, "message", NULL);
    assert_non_null(strstr(m, "Operation cannot be fulfilled on NodePool.hypershift.openshift.io \"conf-np-b\": the UID "
                              "in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in "
                              "record ("));
    assert_non_null(strstr(m, "). The object might have been deleted and then recreated"));
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "NodePool");
    assert_status(r, 409, "Conflict", NULL);
    cJSON_Delete(opts);
    opts = J("{'preconditions':{'resourceVersion':'1'}}");
    assert_status(sim_store_delete(s, K(SIM_NODEPOOL), "n", "conf-np-b", opts), 409, "Conflict", NULL);
    cJSON_Delete(opts);

    r = sim_store_delete(s, K(SIM_NODEPOOL), "n", "conf-np-b", NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "status", NULL), "Success");
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "nodepools");
    assert_string_equal(json_str_at(r.body, "details", "group", NULL), "hypershift.openshift.io");
    assert_non_null(json_str_at(r.body, "details", "uid", NULL));
    assert_null(json_at(r.body, "code", NULL));
    cJSON_Delete(r.body);
    assert_status(sim_store_delete(s, K(SIM_NODEPOOL), "n", "conf-np-b", NULL), 404, "NotFound",
                  "nodepools.hypershift.openshift.io \"conf-np-b\" not found");

    /* The registries with ReturnDeletedObject (pods, PVCs, services, namespaces:
     * pkg/registry/core/<kind>/storage/storage.go) answer with the object; the others, ConfigMaps
     * among them, with a Status (k8s.io/apiserver registry/store.go finalizeDelete). */
    assert_int_equal(create(s, SIM_CONFIGMAP, "n", "{'metadata':{'name':'cm'}}"), 201);
    r = sim_store_delete(s, K(SIM_CONFIGMAP), "n", "cm", NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Status");
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "configmaps");
    assert_string_equal(json_str_at(r.body, "details", "group", NULL), "");
    cJSON_Delete(r.body);
    assert_int_equal(create(s, SIM_SERVICE, "n", "{'metadata':{'name':'svc'}}"), 201);
    r = sim_store_delete(s, K(SIM_SERVICE), "n", "svc", NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Service");
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_finalizer_delete(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_HOSTEDCLUSTER, "n",
                            "{'metadata':{'name':'hc','finalizers':['hypershift.openshift.io/finalizer']}}"),
                     201);
    sim_watch *w;
    char *from = get_rv(s, SIM_HOSTEDCLUSTER, "n", "hc");
    sim_reply r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, from, &w);
    free(from);
    assert_int_equal(r.code, 200);
    r = sim_store_delete(s, K(SIM_HOSTEDCLUSTER), "n", "hc", NULL);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "deletionTimestamp", NULL), "2026-07-04T00:00:00Z");
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_HOSTEDCLUSTER)), 1);
    assert_int_equal(get_int(s, SIM_HOSTEDCLUSTER, "n", "hc", "metadata", "generation"), 2);
    /* a second delete changes nothing */
    uint64_t rv = sim_store_rv(s);
    r = sim_store_delete(s, K(SIM_HOSTEDCLUSTER), "n", "hc", NULL);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_rv(s), rv);
    /* the write that empties the finalizers completes the delete */
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'metadata':{'finalizers':null}}",
                                SIM_SUB_NONE),
                     200);
    assert_int_equal(sim_store_count(s, K(SIM_HOSTEDCLUSTER)), 0);
    char *line;
    assert_int_equal(sim_watch_next(w, 1000, &line), SIM_WATCH_EVENT);
    assert_non_null(strstr(line, "\"type\":\"MODIFIED\""));
    assert_non_null(strstr(line, "deletionTimestamp"));
    free(line);
    assert_int_equal(sim_watch_next(w, 1000, &line), SIM_WATCH_EVENT);
    assert_non_null(strstr(line, "\"type\":\"DELETED\""));
    free(line);
    sim_watch_free(w);
    sim_store_free(s);
}

static void test_namespace_cascade(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "doomed");
    mkns(s, "doomed-not");
    add_hc(s, "doomed", "a", "x");
    add_hc(s, "doomed", "b", "x");
    add_hc(s, "doomed-not", "c", "x");
    assert_int_equal(create(s, SIM_POD, "doomed", "{'metadata':{'name':'p'}}"), 201);
    sim_watch *w;
    char rv[24];
    snprintf(rv, sizeof rv, "%" PRIu64, sim_store_rv(s));
    sim_reply r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, rv, &w);
    assert_int_equal(r.code, 200);
    r = sim_store_delete(s, K(SIM_NAMESPACE), NULL, "doomed", NULL);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_HOSTEDCLUSTER)), 1);
    assert_int_equal(sim_store_count(s, K(SIM_POD)), 0);
    assert_int_equal(sim_store_count(s, K(SIM_NAMESPACE)), 1);
    char *line;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sim_watch_next(w, 1000, &line), SIM_WATCH_EVENT);
        assert_non_null(strstr(line, "\"type\":\"DELETED\""));
        free(line);
    }
    assert_int_equal(sim_watch_next(w, 10, &line), SIM_WATCH_TIMEOUT);
    sim_watch_free(w);
    sim_store_free(s);
}

/* ---- mutate / foreach ----------------------------------------------------------------------------- */

static bool set_ready(cJSON *obj, void *ctx)
{
    (void)ctx;
    json_set_str(json_obj_child(obj, "status"), "phase", "Ready");
    return true;
}

static bool change_nothing(cJSON *obj, void *ctx)
{
    (void)obj;
    (void)ctx;
    return true; /* claims a change that is not there */
}

static void count_visit(const cJSON *obj, void *ctx)
{
    (void)obj;
    (*(int *)ctx)++;
}

static void test_mutate_and_foreach(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    mkns(s, "m");
    add_hc(s, "n", "a", "x");
    add_hc(s, "n", "b", "x");
    add_hc(s, "m", "c", "x");
    uint64_t rv = sim_store_rv(s);
    assert_true(sim_store_mutate(s, K(SIM_HOSTEDCLUSTER), "n", "a", set_ready, NULL));
    assert_int_equal(sim_store_rv(s), rv + 1);
    sim_reply r = sim_store_get(s, K(SIM_HOSTEDCLUSTER), "n", "a", SIM_SUB_NONE);
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "Ready");
    cJSON_Delete(r.body);
    assert_false(sim_store_mutate(s, K(SIM_HOSTEDCLUSTER), "n", "a", set_ready, NULL)); /* already so */
    assert_false(sim_store_mutate(s, K(SIM_HOSTEDCLUSTER), "n", "a", change_nothing, NULL));
    assert_false(sim_store_mutate(s, K(SIM_HOSTEDCLUSTER), "n", "zzz", set_ready, NULL));
    assert_int_equal(sim_store_rv(s), rv + 1);
    int n = 0;
    sim_store_foreach(s, K(SIM_HOSTEDCLUSTER), "n", count_visit, &n);
    assert_int_equal(n, 2);
    n = 0;
    sim_store_foreach(s, K(SIM_HOSTEDCLUSTER), NULL, count_visit, &n);
    assert_int_equal(n, 3);
    assert_int_equal(sim_store_count(s, K(SIM_HOSTEDCLUSTER)), 3);
    sim_store_free(s);
}

/* ---- watch ---------------------------------------------------------------------------------------- */

static char *next_line(sim_watch *w)
{
    char *line = NULL;
    assert_int_equal(sim_watch_next(w, 2000, &line), SIM_WATCH_EVENT);
    return line;
}

static void expect_event(sim_watch *w, const char *type, const char *name)
{
    char *line = next_line(w);
    cJSON *ev = cJSON_Parse(line);
    assert_non_null(ev);
    assert_string_equal(json_str_at(ev, "type", NULL), type);
    assert_string_equal(json_str_at(ev, "object", "metadata", "name", NULL), name);
    cJSON_Delete(ev);
    free(line);
}

static void test_watch_resume_and_synthesis(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    add_hc(s, "n", "a", "x");
    char *rv_a = get_rv(s, SIM_HOSTEDCLUSTER, "n", "a");
    add_hc(s, "n", "b", "x");
    assert_int_equal(create(s, SIM_CONFIGMAP, "n", "{'metadata':{'name':'other-kind'}}"), 201);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "a", SIM_PATCH_MERGE, "{'spec':{'x':1}}", SIM_SUB_NONE),
                     200);
    /* resume after a's creation: b ADDED, a MODIFIED (the configmap is another kind) */
    sim_watch *w;
    sim_reply r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, rv_a, &w);
    assert_int_equal(r.code, 200);
    assert_null(r.body);
    expect_event(w, "ADDED", "b");
    expect_event(w, "MODIFIED", "a");
    char *line;
    assert_int_equal(sim_watch_next(w, 20, &line), SIM_WATCH_TIMEOUT);
    assert_null(line);
    assert_int_equal(sim_watch_rv(w), sim_store_rv(s));
    sim_watch_free(w);
    /* "" and "0" synthesize ADDED for what exists, then go on live */
    const char *starts[] = {"", "0", NULL};
    for (int i = 0; i < 3; i++) {
        r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, starts[i], &w);
        assert_int_equal(r.code, 200);
        expect_event(w, "ADDED", "a");
        expect_event(w, "ADDED", "b");
        assert_int_equal(sim_watch_next(w, 10, &line), SIM_WATCH_TIMEOUT);
        assert_int_equal(del(s, SIM_HOSTEDCLUSTER, "n", "b"), 200);
        add_hc(s, "n", "b", "x");
        expect_event(w, "DELETED", "b");
        expect_event(w, "ADDED", "b");
        sim_watch_free(w);
    }
    free(rv_a);
    /* a bad start */
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "abc", &w);
    assert_int_equal(r.code, 400);
    assert_null(w);
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_watch_expired(void **state)
{
    (void)state;
    sim_store *s = new_store(4);
    mkns(s, "n");
    for (int i = 0; i < 10; i++) {
        char name[16];
        snprintf(name, sizeof name, "h%d", i);
        add_hc(s, "n", name, "x");
    }
    /* rv is now 12 (1 + ns + 10); the window keeps 9..12, so resuming from 8 works and 7 does not */
    assert_int_equal(sim_store_rv(s), 12);
    sim_watch *w;
    sim_reply r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "8", &w);
    assert_int_equal(r.code, 200);
    expect_event(w, "ADDED", "h6"); /* h_i got rv 3+i */
    sim_watch_free(w);
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "7", &w);
    assert_null(w);
    assert_null(json_at(r.body, "details", NULL));
    assert_status(r, 410, "Expired", "too old resource version: 7 (8)");

    /* compaction ends open watches and makes older resumes fail */
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "12", &w);
    assert_int_equal(r.code, 200);
    sim_store_compact(s);
    char *line;
    assert_int_equal(sim_watch_next(w, 1000, &line), SIM_WATCH_CLOSED);
    sim_watch_free(w);
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "11", &w);
    assert_status(r, 410, "Expired", "too old resource version: 11 (12)");
    /* from the current rv nothing was lost */
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "12", &w);
    assert_int_equal(r.code, 200);
    add_hc(s, "n", "later", "x");
    expect_event(w, "ADDED", "later");
    sim_store_close_watches(s);
    assert_int_equal(sim_watch_next(w, 1000, &line), SIM_WATCH_CLOSED);
    sim_watch_free(w);

    /* a watcher that falls behind the window is ended (and then gets 410 on resume) */
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, "13", &w);
    assert_int_equal(r.code, 200);
    for (int i = 0; i < 6; i++) {
        char name[16];
        snprintf(name, sizeof name, "z%d", i);
        add_hc(s, "n", name, "x");
    }
    assert_int_equal(sim_watch_next(w, 1000, &line), SIM_WATCH_CLOSED);
    sim_watch_free(w);
    sim_store_free(s);
}

static void test_watch_selectors(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    mkns(s, "m");
    add_hc(s, "n", "a", "etcd");
    add_hc(s, "n", "b", "web");
    add_hc(s, "m", "c", "etcd");
    sim_list_opts lo = {0};
    lo.ns = "n";
    lo.label_selector = "app=etcd";
    sim_watch *w;
    sim_reply r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), &lo, "", &w);
    assert_int_equal(r.code, 200);
    expect_event(w, "ADDED", "a");
    /* b starts matching: ADDED; a stops: DELETED with its previous labels; c is in another namespace */
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "b", SIM_PATCH_MERGE, "{'metadata':{'labels':{'app':'etcd'}}}",
                                SIM_SUB_NONE),
                     200);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "m", "c", SIM_PATCH_MERGE, "{'spec':{'q':1}}", SIM_SUB_NONE),
                     200);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "a", SIM_PATCH_MERGE, "{'metadata':{'labels':{'app':'x'}}}",
                                SIM_SUB_NONE),
                     200);
    expect_event(w, "ADDED", "b");
    char *line = next_line(w);
    cJSON *ev = cJSON_Parse(line);
    assert_string_equal(json_str_at(ev, "type", NULL), "DELETED");
    assert_string_equal(json_str_at(ev, "object", "metadata", "labels", "app", NULL), "etcd");
    char rv[24];
    snprintf(rv, sizeof rv, "%" PRIu64, sim_store_rv(s));
    assert_string_equal(json_str_at(ev, "object", "metadata", "resourceVersion", NULL), rv);
    cJSON_Delete(ev);
    free(line);
    assert_int_equal(sim_watch_next(w, 10, &line), SIM_WATCH_TIMEOUT);
    sim_watch_free(w);

    lo.label_selector = "app in (";
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), &lo, "", &w);
    assert_null(w);
    assert_status(r, 400, "BadRequest", NULL);
    lo.label_selector = NULL;
    lo.field_selector = "status.phase=Running";
    r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), &lo, "", &w);
    assert_status(r, 400, "BadRequest", "field label not supported: status.phase");
    /* field selectors on pods */
    assert_int_equal(create(s, SIM_POD, "n", "{'metadata':{'name':'p1'},'status':{'phase':'Pending'}}"), 201);
    r = sim_store_watch(s, K(SIM_POD), &lo, "", &w);
    assert_int_equal(r.code, 200);
    assert_int_equal(sim_watch_next(w, 10, &line), SIM_WATCH_TIMEOUT);
    assert_int_equal(patch_code(s, SIM_POD, "n", "p1", SIM_PATCH_MERGE, "{'status':{'phase':'Running'}}",
                                SIM_SUB_STATUS),
                     200);
    expect_event(w, "ADDED", "p1");
    sim_watch_free(w);
    sim_store_free(s);
}

static void test_watch_timeout(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    sim_watch *w;
    sim_reply r = sim_store_watch(s, K(SIM_NAMESPACE), NULL, NULL, &w);
    assert_int_equal(r.code, 200);
    char *line = (char *)"x";
    int64_t t0 = now_ms_monotonic();
    assert_int_equal(sim_watch_next(w, 150, &line), SIM_WATCH_TIMEOUT);
    int64_t ms = now_ms_monotonic() - t0;
    assert_null(line);
    assert_true(ms >= 140 && ms < 1000);
    assert_int_equal(sim_watch_rv(w), sim_store_rv(s));
    sim_watch_free(w);
    sim_store_free(s);
}

/* A writer thread creates and patches; the watcher must see every resourceVersion, in order. */
typedef struct writer_ctx {
    sim_store *s;
    int n;
} writer_ctx;

static void *writer(void *arg)
{
    writer_ctx *c = arg;
    for (int i = 0; i < c->n; i++) {
        char js[120];
        snprintf(js, sizeof js, "{'metadata':{'name':'cm-%04d'},'data':{'i':'%d'}}", i, i);
        for (char *p = js; *p; p++)
            if (*p == '\'')
                *p = '"';
        cJSON *o = cJSON_Parse(js);
        sim_reply r = sim_store_create(c->s, sim_kind_get(SIM_CONFIGMAP), "n", o, NULL);
        cJSON_Delete(r.body);
        cJSON_Delete(o);
    }
    return NULL;
}

static void test_concurrency(void **state)
{
    (void)state;
    sim_store *s = new_store(100000);
    mkns(s, "n");
    char from[24];
    snprintf(from, sizeof from, "%" PRIu64, sim_store_rv(s));
    uint64_t expect = sim_store_rv(s) + 1;
    sim_watch *w;
    sim_reply r = sim_store_watch(s, K(SIM_CONFIGMAP), NULL, from, &w);
    assert_int_equal(r.code, 200);
    writer_ctx c = {s, 2000};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, writer, &c), 0);
    int got = 0;
    while (got < c.n) {
        char *line = NULL;
        sim_watch_result res = sim_watch_next(w, 5000, &line);
        assert_int_equal(res, SIM_WATCH_EVENT);
        cJSON *ev = cJSON_Parse(line);
        const char *rv = json_str_at(ev, "object", "metadata", "resourceVersion", NULL);
        assert_non_null(rv);
        assert_int_equal(strtoull(rv, NULL, 10), expect);
        expect++;
        got++;
        cJSON_Delete(ev);
        free(line);
    }
    pthread_join(t, NULL);
    sim_watch_free(w);
    sim_store_free(s);
}

/* ---- hostile input -------------------------------------------------------------------------------- */

static void test_hostile_input(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    add_hc(s, "n", "hc", "a");
    uint64_t rv = sim_store_rv(s);
    /* patches that would break the object's shape */
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'metadata':'x'}", SIM_SUB_NONE),
                     422);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_JSON,
                                "[{'op':'replace','path':'','value':[1]}]", SIM_SUB_NONE),
                     422);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "[1]", SIM_SUB_NONE), 400);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_JSON, "{'op':'add'}", SIM_SUB_NONE), 400);
    assert_int_equal(patch_code(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "", SIM_SUB_NONE), 400);
    sim_reply r = sim_store_patch(s, K(SIM_HOSTEDCLUSTER), "n", "hc", SIM_PATCH_MERGE, NULL, 0, SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 400);
    cJSON_Delete(r.body);
    /* a body with a NUL inside, and one nested deeper than the parser allows */
    r = sim_store_patch(s, K(SIM_HOSTEDCLUSTER), "n", "hc", SIM_PATCH_MERGE, "{}\0{}", 5, SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 400);
    cJSON_Delete(r.body);
    buf deep = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        buf_puts(&deep, "{\"a\":");
    buf_puts(&deep, "1");
    for (int i = 0; i < 5000; i++)
        buf_putc(&deep, '}');
    r = sim_store_patch(s, K(SIM_HOSTEDCLUSTER), "n", "hc", SIM_PATCH_MERGE, deep.data, deep.len, SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 400);
    cJSON_Delete(r.body);
    buf_free(&deep);
    assert_int_equal(sim_store_rv(s), rv); /* none of that wrote anything */
    /* a 10 KB name */
    buf big = BUF_INIT;
    buf_puts(&big, "{\"metadata\":{\"name\":\"");
    for (int i = 0; i < 10240; i++)
        buf_putc(&big, 'x');
    buf_puts(&big, "\"}}");
    cJSON *o = cJSON_Parse(big.data);
    r = sim_store_create(s, K(SIM_POD), "n", o, NULL);
    assert_int_equal(r.code, 422);
    assert_non_null(strstr(json_str_at(r.body, "message", NULL), "metadata.name: Invalid value"));
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    buf_free(&big);
    /* PUT with metadata of the wrong type */
    o = J("{'metadata':[1]}");
    assert_status(sim_store_update(s, K(SIM_HOSTEDCLUSTER), "n", "hc", o, SIM_SUB_NONE, NULL), 400, "BadRequest", NULL);
    cJSON_Delete(o);
    /* DeleteOptions with preconditions of the wrong type are ignored, not crashed on */
    o = J("{'preconditions':{'uid':5,'resourceVersion':[]}}");
    r = sim_store_delete(s, K(SIM_HOSTEDCLUSTER), "n", "hc", o);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    /* a forged continue token pointing outside the namespace */
    add_hc(s, "n", "a", "x");
    sim_list_opts lo = {0};
    lo.ns = "n";
    lo.continue_token = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Miwic3RhcnQiOiIuLi8uLi96In0"; /* start "../../z" */
    r = sim_store_list(s, K(SIM_HOSTEDCLUSTER), &lo);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    /* resourceVersions that are not numbers */
    sim_watch *w;
    const char *bad_rvs[] = {"-1", "1e3", "99999999999999999999", " 5", "5x"};
    for (size_t i = 0; i < sizeof bad_rvs / sizeof bad_rvs[0]; i++) {
        r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, bad_rvs[i], &w);
        assert_int_equal(r.code, 400);
        assert_null(w);
        cJSON_Delete(r.body);
    }
    sim_store_free(s);
}

/* ---- Status bodies, byte for byte as the recorded apiserver answers -------------------------------- */

static void assert_text(cJSON *j, const char *want)
{
    char *got = cJSON_PrintUnformatted(j);
    assert_string_equal(got, want);
    free(got);
    cJSON_Delete(j);
}

static void test_status_bodies(void **state)
{
    (void)state;
    const sim_kind *hc = K(SIM_HOSTEDCLUSTER);
    assert_text(sim_status(404, "NotFound", "hostedclusters.hypershift.openshift.io \"conf-missing\" not found", hc,
                           "conf-missing"),
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                "\"hostedclusters.hypershift.openshift.io \\\"conf-missing\\\" not found\",\"reason\":\"NotFound\","
                "\"details\":{\"name\":\"conf-missing\",\"group\":\"hypershift.openshift.io\",\"kind\":\"hostedclusters\"},"
                "\"code\":404}");
    assert_text(sim_status(401, "Unauthorized", "Unauthorized", NULL, NULL),
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                "\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
    cJSON *st = sim_status_invalid(hc, "conf-hc-invalid", "spec.platform.type", "FieldValueNotSupported",
                                   "Unsupported value: \"Bogus\"");
    assert_string_equal(json_str_at(st, "message", NULL),
                        "HostedCluster.hypershift.openshift.io \"conf-hc-invalid\" is invalid: spec.platform.type: "
                        "Unsupported value: \"Bogus\"");
    sim_status_add_cause(st, "spec.pullSecret", "FieldValueRequired", "Required value");
    sim_status_add_cause(st, "<nil>", "FieldValueInvalid", "Invalid value: null: some validation rules were not checked");
    assert_text(st, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                    "\"HostedCluster.hypershift.openshift.io \\\"conf-hc-invalid\\\" is invalid: [spec.platform.type: "
                    "Unsupported value: \\\"Bogus\\\", spec.pullSecret: Required value, <nil>: Invalid value: null: some "
                    "validation rules were not checked]\",\"reason\":\"Invalid\",\"details\":{\"name\":"
                    "\"conf-hc-invalid\",\"group\":\"hypershift.openshift.io\",\"kind\":\"HostedCluster\",\"causes\":"
                    "[{\"reason\":\"FieldValueNotSupported\",\"message\":\"Unsupported value: \\\"Bogus\\\"\",\"field\":"
                    "\"spec.platform.type\"},{\"reason\":\"FieldValueRequired\",\"message\":\"Required value\",\"field\":"
                    "\"spec.pullSecret\"},{\"reason\":\"FieldValueInvalid\",\"message\":\"Invalid value: null: some "
                    "validation rules were not checked\",\"field\":\"<nil>\"}]},\"code\":422}");
    /* core kinds: no group, the Kind alone */
    st = sim_status_invalid(K(SIM_POD), "p", "spec.containers", "FieldValueRequired", "Required value");
    assert_string_equal(json_str_at(st, "message", NULL), "Pod \"p\" is invalid: spec.containers: Required value");
    assert_null(json_at(st, "details", "group", NULL));
    cJSON_Delete(st);
    sim_reply r = sim_reply_status(409, "Conflict", "x", K(SIM_POD), "p");
    assert_int_equal(r.code, 409);
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "pods");
    cJSON_Delete(r.body);
}

static void collect_uid(const cJSON *obj, void *ctx)
{
    char **uids = ctx;
    size_t i = 0;
    while (uids[i])
        i++;
    uids[i] = xstrdup(json_str_at(obj, "metadata", "uid", NULL));
}

static void test_uids_unique(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    enum { N = 300 };
    for (int i = 0; i < N; i++) {
        char js[100];
        snprintf(js, sizeof js, "{'metadata':{'generateName':'cm-'}}");
        assert_int_equal(create(s, SIM_CONFIGMAP, "n", js), 201);
    }
    assert_int_equal(sim_store_count(s, K(SIM_CONFIGMAP)), N); /* no generated name clashed */
    char *uids[N + 1] = {0};
    sim_store_foreach(s, K(SIM_CONFIGMAP), "n", collect_uid, uids);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            assert_string_not_equal(uids[i], uids[j]);
    for (int i = 0; i < N; i++)
        free(uids[i]);
    sim_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_get),
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_validation_hook),
        cmocka_unit_test(test_list_order_and_namespaces),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_continue_token_errors),
        cmocka_unit_test(test_list_large),
        cmocka_unit_test(test_generation_and_rv),
        cmocka_unit_test(test_update_conflicts),
        cmocka_unit_test(test_patch_types),
        cmocka_unit_test(test_status_subresource),
        cmocka_unit_test(test_scale_subresource),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_finalizer_delete),
        cmocka_unit_test(test_namespace_cascade),
        cmocka_unit_test(test_mutate_and_foreach),
        cmocka_unit_test(test_watch_resume_and_synthesis),
        cmocka_unit_test(test_watch_expired),
        cmocka_unit_test(test_watch_selectors),
        cmocka_unit_test(test_watch_timeout),
        cmocka_unit_test(test_concurrency),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_status_bodies),
        cmocka_unit_test(test_uids_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
