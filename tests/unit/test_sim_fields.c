/* fieldValidation against the real CRDs' field trees (sim/crdschema.c, sim/store_fields.c): Strict
 * refuses unknown fields as kube-apiserver does (transformDecodeError's 400 on a create or update, the
 * 422 on "patch" of k8s.io/apiserver pkg/endpoints/handlers/patch.go), Warn (the default) and Ignore
 * prune them, Warn with one `unknown field "..."` warning each (addStrictDecodingWarnings); the paths are
 * the pruning's (apiextensions-apiserver pkg/apiserver/schema/pruning: "spec.services[0].x"); and the
 * CRDs' defaults (pkg/apiserver/schema/defaulting) on what is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sim/crdschema.h"
#include "sim/httpapi.h"
#include "tests/unit/sim_store_fixture.h"

#define NP_BODY                                                                                                   \
    "{'apiVersion':'hypershift.openshift.io/v1beta1','kind':'NodePool','metadata':{'name':'np'%s},'spec':{"      \
    "'clusterName':'hc','replicas':1,'platform':{'type':'AWS'%s}%s}}"

static cJSON *pool(const char *meta_extra, const char *platform_extra, const char *spec_extra)
{
    char *t = xasprintf(NP_BODY, meta_extra, platform_extra, spec_extra);
    cJSON *o = J(t);
    free(t);
    return o;
}

static void test_prune_paths(void **state)
{
    (void)state;
    cJSON *o = J("{'apiVersion':'x','kind':'HostedCluster','metadata':{'name':'a','color':'red'},'spec':{'channel':'c',"
                 "'bogus':1,'services':[{'service':'APIServer','extra':true},{'service':'OAuthServer'}],"
                 "'configuration':{'apiServer':{'tlsSecurityProfile':{'intermediate':{'anything':1}}}},"
                 "'nodeSelector':{'k':'v'}},'status':{'version':{'history':[{'state':'Completed','why':2}]}},"
                 "'extraTop':{}}");
    cJSON *unknown = cJSON_CreateArray();
    assert_int_equal(sim_schema_prune(sim_kind_get(SIM_HOSTEDCLUSTER), o, unknown), 5);
    char *list = cJSON_PrintUnformatted(unknown);
    assert_string_equal(list, "[\"metadata.color\",\"spec.bogus\",\"spec.services[0].extra\","
                              "\"status.version.history[0].why\",\"extraTop\"]");
    free(list);
    /* what is declared stays, and a preserve-unknown-fields node keeps whatever it holds */
    assert_non_null(json_at(o, "spec", "configuration", "apiServer", "tlsSecurityProfile", "intermediate", "anything",
                            NULL));
    assert_string_equal(json_str_at(o, "spec", "nodeSelector", "k", NULL), "v");
    assert_null(json_at(o, "spec", "bogus", NULL));
    cJSON_Delete(unknown);
    cJSON_Delete(o);
    /* core kinds: metadata only */
    o = J("{'metadata':{'name':'p','zone':'a'},'spec':{'whatever':1}}");
    assert_int_equal(sim_schema_prune(sim_kind_get(SIM_POD), o, NULL), 1);
    assert_non_null(json_at(o, "spec", "whatever", NULL));
    cJSON_Delete(o);
}

static void test_strict_create_and_update(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    sim_write_opts strict = {.fields = SIM_FIELDS_STRICT};
    cJSON *o = pool(",'bad':1", "", ",'zzz':2");
    assert_status(sim_store_create(s, K(SIM_NODEPOOL), "n", o, &strict), 400, "BadRequest",
                  "NodePool in version \"v1beta1\" cannot be handled as a NodePool: strict decoding error: unknown "
                  "field \"metadata.bad\", unknown field \"spec.zzz\"");
    assert_int_equal(sim_store_count(s, K(SIM_NODEPOOL)), 0);
    cJSON_Delete(o);
    /* Warn: created without them, one warning each */
    sim_write_opts warn = {.fields = SIM_FIELDS_WARN, .warnings = cJSON_CreateArray()};
    o = pool("", ",'gcp':{}", "");
    sim_reply r = sim_store_create(s, K(SIM_NODEPOOL), "n", o, &warn);
    assert_int_equal(r.code, 201);
    assert_null(json_at(r.body, "spec", "platform", "gcp", NULL));
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    assert_int_equal(cJSON_GetArraySize(warn.warnings), 1);
    assert_string_equal(cJSON_GetArrayItem(warn.warnings, 0)->valuestring, "unknown field \"spec.platform.gcp\"");
    cJSON_Delete(warn.warnings);
    /* an update: the same 400 under Strict, a silent prune under Ignore */
    char *rv = get_rv(s, SIM_NODEPOOL, "n", "np");
    char *t = xasprintf("{'metadata':{'name':'np','resourceVersion':'%s'},'spec':{'replicas':2,'nope':[]}}", rv);
    o = J(t);
    assert_status(sim_store_update(s, K(SIM_NODEPOOL), "n", "np", o, SIM_SUB_NONE, &strict), 400, "BadRequest",
                  "NodePool in version \"v1beta1\" cannot be handled as a NodePool: strict decoding error: unknown "
                  "field \"spec.nope\"");
    sim_write_opts ignore = {.fields = SIM_FIELDS_IGNORE};
    r = sim_store_update(s, K(SIM_NODEPOOL), "n", "np", o, SIM_SUB_NONE, &ignore);
    assert_int_equal(r.code, 200);
    assert_null(json_at(r.body, "spec", "nope", NULL));
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    free(t);
    free(rv);
    sim_store_free(s);
}

static void test_strict_patch(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_NODEPOOL, "n", "{'metadata':{'name':'np'},'spec':{'replicas':1}}"), 201);
    sim_write_opts strict = {.fields = SIM_FIELDS_STRICT};
    const char *body = "{\"spec\":{\"replicas\":3,\"replicaz\":3}}";
    sim_reply r = sim_store_patch(s, K(SIM_NODEPOOL), "n", "np", SIM_PATCH_MERGE, body, strlen(body), SIM_SUB_NONE,
                                  &strict);
    assert_int_equal(r.code, 422);
    const char *m = json_str_at(r.body, "message", NULL);
    assert_memory_equal(m, " \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":", 42);
    const char *tail = "}\": strict decoding error: unknown field \"spec.replicaz\"";
    assert_string_equal(m + strlen(m) - strlen(tail), tail);
    const cJSON *cause = cJSON_GetArrayItem(json_at(r.body, "details", "causes", NULL), 0);
    assert_string_equal(json_str_at(cause, "field", NULL), "patch");
    assert_string_equal(json_str_at(cause, "reason", NULL), "FieldValueInvalid");
    assert_null(json_at(r.body, "details", "kind", NULL));
    cJSON_Delete(r.body);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "np", "spec", "replicas"), 1);
    sim_store_free(s);
}

/* the CRD's defaults, parents before children, in array items too (structural defaulting) */
static void test_defaults(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    const sim_write_opts dry = {.dry_run = true};
    cJSON *o = J("{'metadata':{'name':'np'},'spec':{'clusterName':'hc','replicas':1,'management':{'upgradeType':'Replace'},"
                 "'config':[{'name':'cm'},{}],'platform':{'type':'AWS'}}}");
    sim_reply r = sim_store_create(s, K(SIM_NODEPOOL), "n", o, &dry);
    assert_int_equal(r.code, 201);
    assert_string_equal(json_str_at(r.body, "spec", "arch", NULL), "amd64");
    assert_true(cJSON_IsFalse(json_at(r.body, "spec", "management", "autoRepair", NULL)));
    assert_string_equal(json_str_at(r.body, "spec", "management", "replace", "strategy", NULL), "RollingUpdate");
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(r.body, "spec", "config", NULL), 0), "name", NULL), "cm");
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(r.body, "spec", "config", NULL), 1), "name", NULL), "");
    assert_null(json_at(r.body, "spec", "platform", "azure", NULL)); /* only where the parent is there */
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    o = J("{'metadata':{'name':'hc'},'spec':{'release':{'image':'x'}}}");
    r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "n", o, &dry);
    assert_string_equal(json_str_at(r.body, "spec", "controllerAvailabilityPolicy", NULL), "HighlyAvailable");
    assert_string_equal(json_str_at(r.body, "spec", "etcd", "managementType", NULL), "Managed");
    assert_string_equal(json_str_at(r.body, "spec", "etcd", "managed", "storage", "persistentVolume", "size", NULL), "8Gi");
    assert_string_equal(json_str_at(r.body, "spec", "networking", "networkType", NULL), "OVNKubernetes");
    /* a value given wins over the default */
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    o = J("{'metadata':{'name':'hc'},'spec':{'controllerAvailabilityPolicy':'SingleReplica'}}");
    r = sim_store_create(s, K(SIM_HOSTEDCLUSTER), "n", o, &dry);
    assert_string_equal(json_str_at(r.body, "spec", "controllerAvailabilityPolicy", NULL), "SingleReplica");
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    sim_store_free(s);
}

/* over the REST layer: an unknown fieldValidation value, and the warnings a response carries */
static void test_http_field_validation(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_NODEPOOL, "n", "{'metadata':{'name':'np'},'spec':{'replicas':1}}"), 201);
    sim_api api = {.store = s, .server_address = "127.0.0.1:1"};
    sim_query_param q[] = {{"fieldValidation", "Loose"}};
    const char *body = "{\"spec\":{\"replicaz\":3}}";
    sim_http_request req = {.method = "PATCH",
                            .path = "/apis/hypershift.openshift.io/v1beta1/namespaces/n/nodepools/np",
                            .query = q,
                            .n_query = 1,
                            .content_type = "application/merge-patch+json",
                            .body = body,
                            .body_len = strlen(body),
                            .identity = SIM_ID_ADMIN};
    sim_http_response resp;
    sim_api_handle(&api, &req, &resp);
    assert_int_equal(resp.code, 422);
    assert_non_null(strstr(resp.body, "PatchOptions.meta.k8s.io \\\"\\\" is invalid: fieldValidation: Unsupported value: "
                                      "\\\"Loose\\\": supported values: \\\"\\\", \\\"Ignore\\\", \\\"Strict\\\", \\\"Warn\\\""));
    sim_http_response_free(&resp);
    req.n_query = 0; /* the server's default is Warn */
    sim_api_handle(&api, &req, &resp);
    assert_int_equal(resp.code, 200);
    assert_string_equal(resp.warnings, "unknown field \"spec.replicaz\"");
    sim_http_response_free(&resp);
    sim_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prune_paths),
        cmocka_unit_test(test_strict_create_and_update),
        cmocka_unit_test(test_strict_patch),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_http_field_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
