/* Unit tests for the simulator's HTTP layer without a socket: path routing, the printer-column
 * JSONPath subset, Accept parsing, Table rows, discovery shapes, the protobuf SelfSubjectAccessReview
 * reader, and requests through sim_api_handle on a small store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "sim/discovery.h"
#include "sim/httpapi.h"
#include "sim/httpproto.h"
#include "sim/httproute.h"
#include "sim/table.h"
#include "tests/unit/sim_hc_fixture.h"

static void test_routes(void **state)
{
    (void)state;
    sim_route r;
    sim_route_parse("/version", &r);
    assert_int_equal(r.type, SIM_ROUTE_VERSION);
    sim_route_parse("/api", &r);
    assert_int_equal(r.type, SIM_ROUTE_API);
    sim_route_parse("/apis/", &r);
    assert_int_equal(r.type, SIM_ROUTE_APIS);
    sim_route_parse("/api/v1", &r);
    assert_int_equal(r.type, SIM_ROUTE_RESOURCES);
    assert_string_equal(r.group, "");
    sim_route_parse("/apis/hypershift.openshift.io", &r);
    assert_int_equal(r.type, SIM_ROUTE_GROUP);
    sim_route_parse("/apis/hypershift.openshift.io/v1beta1", &r);
    assert_int_equal(r.type, SIM_ROUTE_RESOURCES);
    sim_route_parse("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", &r);
    assert_int_equal(r.type, SIM_ROUTE_SSAR);

    sim_route_parse("/apis/hypershift.openshift.io/v1beta1/hostedclusters", &r);
    assert_int_equal(r.type, SIM_ROUTE_COLLECTION);
    assert_int_equal(r.kind->id, SIM_HOSTEDCLUSTER);
    assert_string_equal(r.ns, "");
    sim_route_parse("/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools/np1/scale", &r);
    assert_int_equal(r.type, SIM_ROUTE_OBJECT);
    assert_int_equal(r.kind->id, SIM_NODEPOOL);
    assert_string_equal(r.ns, "clusters");
    assert_string_equal(r.name, "np1");
    assert_string_equal(r.sub, "scale");
    sim_route_parse("/api/v1/namespaces/clusters-a/pods/etcd-0/log", &r);
    assert_int_equal(r.type, SIM_ROUTE_OBJECT);
    assert_string_equal(r.sub, "log");
    sim_route_parse("/api/v1/namespaces/clusters", &r);
    assert_int_equal(r.type, SIM_ROUTE_OBJECT);
    assert_int_equal(r.kind->id, SIM_NAMESPACE);
    assert_string_equal(r.name, "clusters");
    sim_route_parse("/api/v1/namespaces/clusters/status", &r);
    assert_int_equal(r.type, SIM_ROUTE_OBJECT);
    assert_int_equal(r.kind->id, SIM_NAMESPACE);
    assert_string_equal(r.sub, "status");
    sim_route_parse("/api/v1/namespaces", &r);
    assert_int_equal(r.type, SIM_ROUTE_COLLECTION);
    sim_route_parse("/apis/apps/v1/namespaces/x/statefulsets/etcd", &r);
    assert_int_equal(r.type, SIM_ROUTE_OBJECT);
    assert_int_equal(r.kind->id, SIM_STATEFULSET);

    /* not served, or malformed */
    const char *bad[] = {
        "", "/", "//", "/openapi/v2", "/openapi/v3", "/version/x", "/api/v2", "/apis/hypershift.openshift.io/v1alpha1/hostedclusters",
        "/apis/hypershift.openshift.io/v1beta1/widgets", "/apis/hypershift.openshift.io/v1beta1/hostedclusters/x",
        "/apis/hypershift.openshift.io/v1beta1/namespaces/a/hostedclusters/x/scale",
        "/apis/hypershift.openshift.io/v1beta1/namespaces/a/hostedclusters/x/status/y",
        "/api/v1/namespaces/a/namespaces", "/api/v1/namespaces/a/pods/p/exec", "/api/v1//pods",
        "/apis/authorization.k8s.io/v1/subjectaccessreviews", "/api/v1/namespaces/a/bogus", "/hcpsim/v1/faults",
        "/apis/hypershift.openshift.io/v1beta1/namespaces//hostedclusters", "relative/path",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_route_parse(bad[i], &r);
        if (r.type != SIM_ROUTE_NOT_FOUND)
            fail_msg("path \"%s\" routed to %d", bad[i], r.type);
    }
    sim_route_parse(NULL, &r);
    assert_int_equal(r.type, SIM_ROUTE_NOT_FOUND);
    /* a name longer than Kubernetes allows, and too many segments */
    char longp[600] = "/api/v1/namespaces/";
    memset(longp + strlen(longp), 'a', 300);
    sim_route_parse(longp, &r);
    assert_int_equal(r.type, SIM_ROUTE_NOT_FOUND);
    sim_route_parse("/api/v1/a/b/c/d/e/f/g/h/i/j/k/l", &r);
    assert_int_equal(r.type, SIM_ROUTE_NOT_FOUND);
}

static void test_accept(void **state)
{
    (void)state;
    assert_true(sim_accept_wants_table("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;"
                                       "v=v1beta1;g=meta.k8s.io,application/json"));
    assert_true(sim_accept_wants_table("application/json; as=Table; g=meta.k8s.io; v=v1beta1"));
    assert_false(sim_accept_wants_table("application/json"));
    assert_false(sim_accept_wants_table("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
    assert_false(sim_accept_wants_table("application/json;as=Table;v=v2;g=meta.k8s.io"));
    assert_false(sim_accept_wants_table(NULL));
    assert_false(sim_accept_wants_table(";;;,,,"));
    sim_table_include inc;
    assert_true(sim_table_include_parse(NULL, &inc) && inc == SIM_TABLE_METADATA);
    assert_true(sim_table_include_parse("Object", &inc) && inc == SIM_TABLE_OBJECT);
    assert_true(sim_table_include_parse("None", &inc) && inc == SIM_TABLE_NONE);
    assert_false(sim_table_include_parse("object", &inc));
}

static void test_table_rows(void **state)
{
    (void)state;
    cJSON *list = cJSON_CreateObject();
    json_set_str(json_obj_child(list, "metadata"), "resourceVersion", "42");
    cJSON *items = cJSON_AddArrayToObject(list, "items");
    cJSON_AddItemToArray(items, cJSON_Parse(hc_json));
    time_t now = 1767225600 + 3600; /* an hour after creation */
    cJSON *t = sim_table_of_list(sim_kind_get(SIM_HOSTEDCLUSTER), list, SIM_TABLE_METADATA, now);
    assert_string_equal(json_str_at(t, "kind", NULL), "Table");
    assert_string_equal(json_str_at(t, "metadata", "resourceVersion", NULL), "42");
    cJSON *cols = cJSON_GetObjectItem(t, "columnDefinitions");
    assert_int_equal(cJSON_GetArraySize(cols), 10);
    assert_string_equal(json_str_at(cJSON_GetArrayItem(cols, 0), "format", NULL), "name");
    assert_string_equal(json_str_at(cJSON_GetArrayItem(cols, 2), "name", NULL), "CP Version");
    int64_t prio;
    assert_true(json_int_at(&prio, cJSON_GetArrayItem(cols, 9), "priority", NULL) && prio == 1);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "rows"), 0);
    cJSON *cells = cJSON_GetObjectItem(row, "cells");
    assert_string_equal(cJSON_GetArrayItem(cells, 0)->valuestring, "hc1");
    assert_string_equal(cJSON_GetArrayItem(cells, 1)->valuestring, "4.16.9");
    assert_true(cJSON_IsNull(cJSON_GetArrayItem(cells, 2))); /* no controlPlaneVersion */
    assert_string_equal(cJSON_GetArrayItem(cells, 4)->valuestring, "Partial");
    assert_string_equal(cJSON_GetArrayItem(cells, 5)->valuestring, "False");
    assert_string_equal(cJSON_GetArrayItem(cells, 7)->valuestring, "waiting");
    assert_string_equal(json_str_at(row, "object", "kind", NULL), "PartialObjectMetadata");
    assert_string_equal(json_str_at(row, "object", "metadata", "namespace", NULL), "clusters");
    assert_null(json_at(row, "object", "spec", NULL));
    cJSON_Delete(t);

    /* a CRD without printer columns: Name and an Age computed from the timestamp */
    t = sim_table_of_list(sim_kind_get(SIM_HOSTEDCONTROLPLANE), list, SIM_TABLE_NONE, now);
    row = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "rows"), 0);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(row, "cells"), 1)->valuestring, "60m");
    assert_null(cJSON_GetObjectItem(row, "object"));
    cJSON_Delete(t);
    cJSON_Delete(list);

    /* a pod: readiness, the container's waiting reason, restarts with their age */
    cJSON *pod = cJSON_Parse(
        "{\"metadata\":{\"name\":\"etcd-1\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
        "\"spec\":{\"containers\":[{\"name\":\"etcd\"},{\"name\":\"healthz\"}],\"nodeName\":\"n1\"},"
        "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.5\",\"containerStatuses\":["
        "{\"name\":\"etcd\",\"ready\":false,\"restartCount\":6,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
        "\"lastState\":{\"terminated\":{\"finishedAt\":\"2026-01-01T00:58:00Z\"}}},"
        "{\"name\":\"healthz\",\"ready\":true,\"restartCount\":0}]}}");
    t = sim_table_of_object(sim_kind_get(SIM_POD), pod, SIM_TABLE_OBJECT, now);
    cells = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(t, "rows"), 0), "cells");
    assert_int_equal(cJSON_GetArraySize(cells), 9);
    assert_string_equal(cJSON_GetArrayItem(cells, 1)->valuestring, "1/2");
    assert_string_equal(cJSON_GetArrayItem(cells, 2)->valuestring, "CrashLoopBackOff");
    assert_string_equal(cJSON_GetArrayItem(cells, 3)->valuestring, "6 (2m ago)");
    assert_string_equal(cJSON_GetArrayItem(cells, 4)->valuestring, "60m");
    assert_string_equal(cJSON_GetArrayItem(cells, 5)->valuestring, "10.0.0.5");
    assert_string_equal(cJSON_GetArrayItem(cells, 6)->valuestring, "n1");
    assert_string_equal(json_str_at(cJSON_GetArrayItem(cJSON_GetObjectItem(t, "rows"), 0), "object", "spec",
                                    "nodeName", NULL),
                        "n1");
    cJSON_Delete(t);
    cJSON_Delete(pod);

    /* hostile objects: wrong types everywhere still give a row */
    cJSON *junk = cJSON_Parse("{\"metadata\":{\"name\":5,\"creationTimestamp\":\"yesterday\"},\"spec\":[],"
                              "\"status\":{\"containerStatuses\":\"x\",\"version\":{\"history\":{}}}}");
    for (int id = 0; id < SIM_KIND_COUNT; id++) {
        t = sim_table_of_object(sim_kind_get((sim_kind_id)id), junk, SIM_TABLE_METADATA, now);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "rows")), 1);
        cJSON_Delete(t);
    }
    cJSON_Delete(junk);
}

static void test_discovery(void **state)
{
    (void)state;
    cJSON *l = sim_discovery_resources("hypershift.openshift.io", "v1beta1");
    assert_string_equal(json_str_at(l, "groupVersion", NULL), "hypershift.openshift.io/v1beta1");
    bool scale = false, np = false;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(l, "resources"))
    {
        const char *name = json_str_at(r, "name", NULL);
        if (strcmp(name, "nodepools/scale") == 0) {
            scale = true;
            assert_string_equal(json_str_at(r, "group", NULL), "autoscaling");
            assert_string_equal(json_str_at(r, "kind", NULL), "Scale");
        }
        if (strcmp(name, "hostedclusters") == 0) /* the value a real cluster serves */
            assert_string_equal(json_str_at(r, "storageVersionHash", NULL), "a5BEmIIbrYI=");
        if (strcmp(name, "hostedcontrolplanes") == 0)
            assert_string_equal(json_str_at(r, "storageVersionHash", NULL), "g+LarKFuBIU=");
        if (strcmp(name, "nodepools") == 0) {
            np = true;
            assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "shortNames"), 0)->valuestring, "np");
        }
    }
    assert_true(scale && np);
    cJSON_Delete(l);
    l = sim_discovery_resources("", "v1");
    assert_null(cJSON_GetObjectItem(l, "apiVersion")); /* the core list has none, as kube-apiserver writes it */
    cJSON_Delete(l);
    assert_null(sim_discovery_resources("apps", "v2"));
    assert_null(sim_discovery_resources("", "v2"));
    assert_null(sim_discovery_group("example.com"));
    l = sim_discovery_group_list();
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(l, "groups")), 3);
    cJSON_Delete(l);
    l = sim_discovery_version();
    assert_string_equal(json_str_at(l, "gitVersion", NULL), SIM_K8S_GIT_VERSION);
    cJSON_Delete(l);
}

/* Protobuf as client-go writes it: length-delimited fields (all short here), varints for bools. */
static size_t put_field(unsigned char *out, int number, const void *data, size_t len)
{
    size_t n = 0;
    out[n++] = (unsigned char)(number << 3 | 2);
    out[n++] = (unsigned char)len; /* < 128 in these tests */
    memcpy(out + n, data, len);
    return n + len;
}

static size_t put_str(unsigned char *out, int number, const char *s)
{
    return put_field(out, number, s, strlen(s));
}

/* A map entry {1: key, 2: value} as field number. */
static size_t put_entry(unsigned char *out, int number, const char *key, const void *value, size_t vlen)
{
    unsigned char e[100];
    size_t n = put_str(e, 1, key);
    n += put_field(e + n, 2, value, vlen);
    return put_field(out, number, e, n);
}

/* "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw} */
static size_t envelope(unsigned char *out, const char *api_version, const char *kind, const unsigned char *raw,
                       size_t raw_len)
{
    unsigned char tm[100], unknown[400];
    size_t t = put_str(tm, 1, api_version);
    t += put_str(tm + t, 2, kind);
    size_t u = put_field(unknown, 1, tm, t);
    unknown[u++] = 2 << 3 | 2; /* raw may pass 127 bytes: a two-byte length */
    unknown[u++] = (unsigned char)(0x80 | (raw_len & 0x7f));
    unknown[u++] = (unsigned char)(raw_len >> 7);
    memcpy(unknown + u, raw, raw_len);
    u += raw_len;
    memcpy(out, "k8s\0", 4);
    memcpy(out + 4, unknown, u);
    return 4 + u;
}

static void test_proto(void **state)
{
    (void)state;
    char err[256];
    bool unsupported;
    /* kubectl auth can-i patch hostedclusters -n clusters */
    unsigned char attrs[128], spec[160], review[200], body[600];
    size_t a = put_str(attrs, 1, "clusters");
    a += put_str(attrs + a, 2, "patch");
    a += put_str(attrs + a, 3, "hypershift.openshift.io");
    a += put_str(attrs + a, 5, "hostedclusters");
    size_t sp = put_field(spec, 1, attrs, a);
    size_t rv = put_field(review, 2, spec, sp);
    size_t len = envelope(body, "authorization.k8s.io/v1", "SelfSubjectAccessReview", review, rv);
    cJSON *j = sim_proto_decode(body, len, &unsupported, err, sizeof err);
    if (!j)
        fail_msg("ssar: %s", err);
    assert_string_equal(json_str_at(j, "kind", NULL), "SelfSubjectAccessReview");
    assert_string_equal(json_str_at(j, "spec", "resourceAttributes", "verb", NULL), "patch");
    assert_string_equal(json_str_at(j, "spec", "resourceAttributes", "resource", NULL), "hostedclusters");
    assert_string_equal(json_str_at(j, "spec", "resourceAttributes", "namespace", NULL), "clusters");
    cJSON_Delete(j);

    /* kubectl create configmap c -n ns --from-literal=a=1 (plus a label, binary data, immutable) */
    unsigned char meta[100], cm[300];
    size_t m = put_str(meta, 1, "c");
    m += put_str(meta + m, 3, "ns");
    m += put_entry(meta + m, 11, "app", "etcd", 4);
    size_t c = put_field(cm, 1, meta, m);
    c += put_entry(cm + c, 2, "a", "1", 1);
    c += put_entry(cm + c, 2, "b", "two", 3);
    c += put_entry(cm + c, 3, "bin", "\x00\x01", 2);
    cm[c++] = 4 << 3 | 0; /* immutable: true */
    cm[c++] = 1;
    cm[c++] = 15 << 3 | 2; /* an unknown field is skipped */
    cm[c++] = 0;
    len = envelope(body, "v1", "ConfigMap", cm, c);
    j = sim_proto_decode(body, len, &unsupported, err, sizeof err);
    if (!j)
        fail_msg("configmap: %s", err);
    char *text = cJSON_PrintUnformatted(j);
    assert_string_equal(text, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":"
                              "\"ns\",\"labels\":{\"app\":\"etcd\"}},\"data\":{\"a\":\"1\",\"b\":\"two\"},"
                              "\"binaryData\":{\"bin\":\"AAE=\"},\"immutable\":true}");
    free(text);
    cJSON_Delete(j);

    /* a Secret's data are bytes: base64 in JSON */
    unsigned char sec[200];
    size_t sl = put_field(sec, 1, meta, m);
    sl += put_entry(sec + sl, 2, "password", "hunter2", 7);
    sl += put_str(sec + sl, 3, "Opaque");
    len = envelope(body, "v1", "Secret", sec, sl);
    j = sim_proto_decode(body, len, &unsupported, err, sizeof err);
    assert_non_null(j);
    assert_string_equal(json_str_at(j, "data", "password", NULL), "aHVudGVyMg==");
    assert_string_equal(json_str_at(j, "type", NULL), "Opaque");
    cJSON_Delete(j);

    /* a kind hcpsim does not read */
    len = envelope(body, "apps/v1", "Deployment", cm, c);
    assert_null(sim_proto_decode(body, len, &unsupported, err, sizeof err));
    assert_non_null(strstr(err, "not apps/v1 Deployment"));
    assert_true(unsupported);

    /* hostile: no envelope, cut at every length, a length past the end, a huge varint, a NUL in a
     * string, a string where a bool belongs */
    assert_null(sim_proto_decode("{}", 2, &unsupported, err, sizeof err));
    len = envelope(body, "v1", "ConfigMap", cm, c);
    for (size_t cut = 0; cut < len; cut++) {
        j = sim_proto_decode(body, cut, &unsupported, err, sizeof err);
        cJSON_Delete(j); /* must not crash or leak; most cuts are errors */
    }
    unsigned char evil[] = {'k', '8', 's', 0, 0x12, 0x7f, 0x12};
    assert_null(sim_proto_decode(evil, sizeof evil, &unsupported, err, sizeof err));
    assert_false(unsupported);
    unsigned char varint[] = {'k', '8', 's', 0, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    assert_null(sim_proto_decode(varint, sizeof varint, &unsupported, err, sizeof err));
    unsigned char nul_meta[20];
    size_t nm = put_field(nul_meta, 1, "a\0b", 3);
    size_t nc = put_field(cm, 1, nul_meta, nm);
    len = envelope(body, "v1", "ConfigMap", cm, nc);
    assert_null(sim_proto_decode(body, len, &unsupported, err, sizeof err));
    nc = put_str(cm, 4, "yes");
    len = envelope(body, "v1", "ConfigMap", cm, nc);
    assert_null(sim_proto_decode(body, len, &unsupported, err, sizeof err));
    /* nesting deeper than any real object */
    unsigned char deep[300];
    size_t dl = 0;
    for (int i = 0; i < 40; i++) {
        unsigned char tmp[300];
        size_t tl = put_field(tmp, 1, deep, dl);
        memcpy(deep, tmp, tl);
        dl = tl;
        if (dl > 120)
            break;
    }
    len = envelope(body, "v1", "Namespace", deep, dl);
    j = sim_proto_decode(body, len, &unsupported, err, sizeof err);
    cJSON_Delete(j);
}

/* Requests through the API layer against a real store. */
static sim_store *small_store(void)
{
    sim_store_opts o = {.event_window = 100};
    sim_store *s = sim_store_new(&o);
    cJSON *ns = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"clusters\"}}");
    sim_reply r = sim_store_create(s, sim_kind_get(SIM_NAMESPACE), NULL, ns, NULL);
    assert_int_equal(r.code, 201);
    cJSON_Delete(r.body);
    cJSON_Delete(ns);
    return s;
}

static cJSON *call(const sim_api *api, sim_identity id, const char *method, const char *path, const char *ctype,
                   const char *body, int want_code)
{
    sim_http_request req = {.method = method, .path = path, .content_type = ctype, .body = body,
                            .body_len = body ? strlen(body) : 0, .identity = id};
    sim_http_response resp;
    sim_api_handle(api, &req, &resp);
    if (resp.code != want_code)
        fail_msg("%s %s: %d, want %d: %s", method, path, resp.code, want_code, resp.body ? resp.body : "");
    assert_non_null(resp.body);
    assert_int_equal(resp.body[resp.body_len - 1], '\n');
    cJSON *doc = cJSON_Parse(resp.body);
    sim_http_response_free(&resp);
    return doc;
}

static void test_api_requests(void **state)
{
    (void)state;
    sim_store *s = small_store();
    sim_api api = {.store = s, .world = NULL, .server_address = "127.0.0.1:1"};
    const char *np = "{\"apiVersion\":\"hypershift.openshift.io/v1beta1\",\"kind\":\"NodePool\","
                     "\"metadata\":{\"name\":\"np1\"},\"spec\":{\"clusterName\":\"hc\",\"replicas\":2}}";
    const char *base = "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools";
    cJSON *d = call(&api, SIM_ID_ANONYMOUS, "GET", "/version", NULL, NULL, 401);
    assert_string_equal(json_str_at(d, "message", NULL), "Unauthorized");
    cJSON_Delete(d);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", base, "application/json", np, 201));
    d = call(&api, SIM_ID_READONLY, "POST", base, "application/json", np, 403);
    assert_string_equal(json_str_at(d, "message", NULL),
                        "nodepools.hypershift.openshift.io is forbidden: User \"hcpsim-readonly\" cannot create "
                        "resource \"nodepools\" in API group \"hypershift.openshift.io\" in the namespace \"clusters\"");
    cJSON_Delete(d);
    char path[256];
    snprintf(path, sizeof path, "%s/np1/scale", base);
    d = call(&api, SIM_ID_READONLY, "PATCH", path, "application/merge-patch+json", "{\"spec\":{\"replicas\":1}}", 403);
    assert_non_null(strstr(json_str_at(d, "message", NULL), "cannot patch resource \"nodepools/scale\""));
    cJSON_Delete(d);
    d = call(&api, SIM_ID_ADMIN_TOKEN, "PATCH", path, "application/merge-patch+json", "{\"spec\":{\"replicas\":1}}",
             200);
    assert_string_equal(json_str_at(d, "kind", NULL), "Scale");
    cJSON_Delete(d);
    snprintf(path, sizeof path, "%s/np1", base);
    d = call(&api, SIM_ID_ADMIN, "PATCH", path, "application/strategic-merge-patch+json", "{}", 415);
    assert_string_equal(json_str_at(d, "reason", NULL), "UnsupportedMediaType");
    cJSON_Delete(d);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "PATCH", path, "application/apply-patch+yaml", "{}", 415));
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "PATCH", path, NULL, "{}", 415));
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "PUT", path, "application/json", "not json", 400));
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", path, "application/json", np, 405));
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", base, "application/vnd.kubernetes.protobuf", "k8s", 400));
    d = call(&api, SIM_ID_ADMIN, "GET", "/apis/hypershift.openshift.io/v1beta1/widgets", NULL, NULL, 404);
    assert_string_equal(json_str_at(d, "message", NULL), "the server could not find the requested resource");
    assert_non_null(cJSON_GetObjectItem(d, "details"));
    cJSON_Delete(d);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "DELETE", "/version", NULL, NULL, 405));
    d = call(&api, SIM_ID_READONLY, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
             "{\"spec\":{\"resourceAttributes\":{\"verb\":\"delete\",\"resource\":\"pods\"}}}", 201);
    assert_true(cJSON_IsFalse(json_at(d, "status", "allowed", NULL)));
    cJSON_Delete(d);
    d = call(&api, SIM_ID_READONLY, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
             "{\"spec\":{\"resourceAttributes\":{\"verb\":\"watch\",\"resource\":\"pods\"}}}", 201);
    assert_true(cJSON_IsTrue(json_at(d, "status", "allowed", NULL)));
    cJSON_Delete(d);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      "application/json", "{\"spec\":{}}", 422));
    /* pods/log without a world: the pod must exist first */
    d = call(&api, SIM_ID_ADMIN, "GET", "/api/v1/namespaces/clusters/pods/etcd-0/log", NULL, NULL, 404);
    assert_string_equal(json_str_at(d, "message", NULL), "pods \"etcd-0\" not found");
    cJSON_Delete(d);
    /* pods/log: a container that never started has no log yet; a missing container is named */
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", "/api/v1/namespaces/clusters/pods", "application/json",
                      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"etcd-0\"},"
                      "\"spec\":{\"containers\":[{\"name\":\"etcd\"}]},\"status\":{\"containerStatuses\":"
                      "[{\"name\":\"etcd\",\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}}",
                      201));
    d = call(&api, SIM_ID_READONLY, "GET", "/api/v1/namespaces/clusters/pods/etcd-0/log", NULL, NULL, 400);
    assert_string_equal(json_str_at(d, "message", NULL),
                        "container \"etcd\" in pod \"etcd-0\" is waiting to start: ContainerCreating");
    cJSON_Delete(d);
    sim_query_param cq[] = {{"container", "nope"}};
    sim_http_request lr = {.method = "GET", .path = "/api/v1/namespaces/clusters/pods/etcd-0/log", .query = cq,
                           .n_query = 1, .identity = SIM_ID_ADMIN};
    sim_http_response lresp;
    sim_api_handle(&api, &lr, &lresp);
    assert_int_equal(lresp.code, 400);
    assert_non_null(strstr(lresp.body, "container nope is not valid for pod etcd-0"));
    sim_http_response_free(&lresp);
    /* DELETE on a collection removes what the selector matches and answers with it */
    const char *cms = "/api/v1/namespaces/clusters/configmaps";
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", cms, "application/json",
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"1\"}}}", 201));
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", cms, "application/json",
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}", 201));
    sim_query_param sel[] = {{"labelSelector", "x=1"}};
    sim_http_request dc = {.method = "DELETE", .path = cms, .query = sel, .n_query = 1, .identity = SIM_ID_ADMIN};
    sim_http_response dcr;
    sim_api_handle(&api, &dc, &dcr);
    assert_int_equal(dcr.code, 200);
    d = cJSON_Parse(dcr.body);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "items")), 1);
    cJSON_Delete(d);
    sim_http_response_free(&dcr);
    dc.identity = SIM_ID_READONLY;
    sim_api_handle(&api, &dc, &dcr);
    assert_int_equal(dcr.code, 403);
    assert_non_null(strstr(dcr.body, "cannot deletecollection resource \\\"configmaps\\\""));
    sim_http_response_free(&dcr);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "GET", "/api/v1/namespaces/clusters/configmaps/a", NULL, NULL, 404));
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "GET", "/api/v1/namespaces/clusters/configmaps/b", NULL, NULL, 200));
    /* a dry-run delete answers as the delete would and leaves the object (more in test_sim_httpopts.c) */
    sim_query_param dry[] = {{"dryRun", "All"}};
    sim_http_request dr = {.method = "DELETE", .path = path, .query = dry, .n_query = 1, .identity = SIM_ID_ADMIN};
    sim_http_response dresp;
    sim_api_handle(&api, &dr, &dresp);
    assert_int_equal(dresp.code, 200);
    assert_non_null(strstr(dresp.body, "\"status\":\"Success\""));
    sim_http_response_free(&dresp);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "GET", path, NULL, NULL, 200));
    /* a bad limit, a bad selector */
    sim_query_param q[] = {{"limit", "-3"}};
    sim_http_request req = {.method = "GET", .path = base, .query = q, .n_query = 1, .identity = SIM_ID_ADMIN};
    sim_http_response resp;
    sim_api_handle(&api, &req, &resp);
    assert_int_equal(resp.code, 400);
    sim_http_response_free(&resp);
    sim_store_free(s);
}

/* Bodies are read as Go reads them: a lone surrogate becomes U+FFFD (created and patched alike); a
 * \u0000 that cJSON could not keep is refused with a 400 that says so, never stored cut short. */
static void test_api_json_as_go_reads_it(void **state)
{
    (void)state;
    sim_store *s = small_store();
    sim_api api = {.store = s, .world = NULL, .server_address = "127.0.0.1:1"};
    const char *cms = "/api/v1/namespaces/clusters/configmaps";
    cJSON *d = call(&api, SIM_ID_ADMIN, "POST", cms, "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"s\"},"
                    "\"data\":{\"k\":\"a\\ud800b\"}}",
                    201);
    assert_string_equal(json_str_at(d, "data", "k", NULL), "a\xEF\xBF\xBD" "b");
    cJSON_Delete(d);
    d = call(&api, SIM_ID_ADMIN, "PATCH", "/api/v1/namespaces/clusters/configmaps/s", "application/merge-patch+json",
             "{\"data\":{\"k\":\"\\udc00!\"}}", 200);
    assert_string_equal(json_str_at(d, "data", "k", NULL), "\xEF\xBF\xBD!");
    cJSON_Delete(d);
    d = call(&api, SIM_ID_ADMIN, "POST", cms, "application/json",
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n\"},"
             "\"data\":{\"k\":\"a\\u0000b\"}}",
             400);
    assert_string_equal(json_str_at(d, "reason", NULL), "BadRequest");
    assert_non_null(strstr(json_str_at(d, "message", NULL), "NUL character (\\u0000)"));
    cJSON_Delete(d);
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "GET", "/api/v1/namespaces/clusters/configmaps/n", NULL, NULL, 404));
    d = call(&api, SIM_ID_ADMIN, "PATCH", "/api/v1/namespaces/clusters/configmaps/s", "application/merge-patch+json",
             "{\"data\":{\"k\":\"x\\u0000y\"}}", 400);
    assert_non_null(strstr(json_str_at(d, "message", NULL), "error decoding patch: the body has a NUL character"));
    cJSON_Delete(d);
    d = call(&api, SIM_ID_ADMIN, "GET", "/api/v1/namespaces/clusters/configmaps/s", NULL, NULL, 200);
    assert_string_equal(json_str_at(d, "data", "k", NULL), "\xEF\xBF\xBD!"); /* unchanged */
    cJSON_Delete(d);
    sim_store_free(s);
}

static void test_api_watch(void **state)
{
    (void)state;
    sim_store *s = small_store();
    sim_api api = {.store = s, .server_address = "127.0.0.1:1"};
    const char *path = "/api/v1/namespaces/clusters/configmaps";
    cJSON_Delete(call(&api, SIM_ID_ADMIN, "POST", path, "application/json",
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c1\"},\"data\":{\"a\":\"b\"}}",
                      201));
    sim_query_param q[] = {{"watch", "true"}, {"allowWatchBookmarks", "true"}, {"timeoutSeconds", "5"}};
    sim_http_request req = {.method = "GET", .path = path, .query = q, .n_query = 3, .identity = SIM_ID_READONLY,
                            .accept = "application/json;as=Table;v=v1;g=meta.k8s.io"};
    sim_http_response resp;
    sim_api_handle(&api, &req, &resp);
    assert_int_equal(resp.code, 200);
    assert_true(resp.is_watch);
    assert_non_null(resp.stream.watch);
    assert_true(resp.stream.bookmarks && resp.stream.table);
    assert_int_equal(resp.stream.timeout_s, 5);
    char *line = NULL;
    assert_int_equal(sim_watch_next(resp.stream.watch, 1000, &line), SIM_WATCH_EVENT);
    char *out = sim_api_watch_line(&api, &resp.stream, line);
    cJSON *ev = cJSON_Parse(out);
    assert_string_equal(json_str_at(ev, "type", NULL), "ADDED");
    assert_string_equal(json_str_at(ev, "object", "kind", NULL), "Table");
    cJSON_Delete(ev);
    free(out);
    out = sim_api_bookmark_line(&resp.stream);
    ev = cJSON_Parse(out);
    assert_string_equal(json_str_at(ev, "type", NULL), "BOOKMARK");
    assert_string_equal(json_str_at(ev, "object", "kind", NULL), "ConfigMap");
    assert_non_null(json_str_at(ev, "object", "metadata", "resourceVersion", NULL));
    cJSON_Delete(ev);
    free(out);
    sim_http_response_free(&resp);

    /* too old: HTTP 200 and one ERROR event, no open watch */
    sim_store_compact(s);
    sim_query_param old[] = {{"watch", "1"}, {"resourceVersion", "1"}};
    req.query = old;
    req.n_query = 2;
    req.accept = NULL;
    sim_api_handle(&api, &req, &resp);
    assert_int_equal(resp.code, 200);
    assert_true(resp.is_watch);
    assert_null(resp.stream.watch);
    ev = cJSON_Parse(resp.body);
    assert_string_equal(json_str_at(ev, "type", NULL), "ERROR");
    assert_string_equal(json_str_at(ev, "object", "reason", NULL), "Expired");
    cJSON_Delete(ev);
    sim_http_response_free(&resp);
    sim_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),     cmocka_unit_test(test_accept),
        cmocka_unit_test(test_table_rows), cmocka_unit_test(test_discovery),    cmocka_unit_test(test_proto),
        cmocka_unit_test(test_api_requests), cmocka_unit_test(test_api_watch),
        cmocka_unit_test(test_api_json_as_go_reads_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
