/* OpenAPI v3 built from the real CRDs (tests/fixtures/crds) as apiextensions-apiserver's builder
 * publishes it (pkg/controller/openapi/builder): the index with one hashed URL per group-version, the
 * kinds' schemas under reversed-group names with x-kubernetes-group-version-kind, metadata as a $ref
 * to ObjectMeta, and PATCH operations that name fieldValidation (what kubectl's QueryParamVerifierV3
 * looks for before it sends fieldValidation=Strict). Needs HCPTUI_ROOT (else the current folder). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "sim/openapi.h"

static sim_openapi *load(void)
{
    const char *root = getenv("HCPTUI_ROOT");
    char dir[1024], err[256] = "";
    snprintf(dir, sizeof dir, "%s/tests/fixtures/crds", root ? root : ".");
    sim_openapi *o = sim_openapi_load(dir, err, sizeof err);
    if (!o)
        fail_msg("load %s: %s", dir, err);
    return o;
}

static void test_index_and_documents(void **state)
{
    (void)state;
    sim_openapi *o = load();
    cJSON *index = cJSON_Parse(sim_openapi_get(o, "/openapi/v3"));
    const char *url = json_str_at(index, "paths", "apis/hypershift.openshift.io/v1beta1", "serverRelativeURL", NULL);
    assert_non_null(url);
    assert_memory_equal(url, "/openapi/v3/apis/hypershift.openshift.io/v1beta1?hash=", 54);
    assert_int_equal(cJSON_GetArraySize(json_at(index, "paths", NULL)), 1); /* the CRDs serve v1beta1 only */
    cJSON_Delete(index);
    assert_null(sim_openapi_get(o, "/openapi/v3/apis/apps/v1"));
    assert_null(sim_openapi_get(o, "/openapi/v2"));

    cJSON *doc = cJSON_Parse(sim_openapi_get(o, "/openapi/v3/apis/hypershift.openshift.io/v1beta1"));
    assert_string_equal(json_str_at(doc, "openapi", NULL), "3.0.0");
    const cJSON *hc = json_at(doc, "components", "schemas", "io.openshift.hypershift.v1beta1.HostedCluster", NULL);
    assert_non_null(hc);
    const cJSON *gvk = cJSON_GetArrayItem(json_at(hc, "x-kubernetes-group-version-kind", NULL), 0);
    assert_string_equal(json_str_at(gvk, "group", NULL), "hypershift.openshift.io");
    assert_string_equal(json_str_at(gvk, "kind", NULL), "HostedCluster");
    assert_string_equal(json_str_at(gvk, "version", NULL), "v1beta1");
    /* the CRD's own schema, descriptions included, and metadata as ObjectMeta */
    assert_non_null(strstr(json_str_at(hc, "properties", "spec", "properties", "release", "description", NULL),
                           "release specifies the desired OCP release payload"));
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(hc, "properties", "metadata", "allOf", NULL), 0), "$ref",
                                    NULL),
                        "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    assert_non_null(json_at(doc, "components", "schemas", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", NULL));
    assert_non_null(json_at(doc, "components", "schemas", "io.openshift.hypershift.v1beta1.NodePoolList", NULL));
    /* the PATCH of a NodePool names fieldValidation among its query parameters */
    const cJSON *patch =
        json_at(doc, "paths", "/apis/hypershift.openshift.io/v1beta1/namespaces/{namespace}/nodepools/{name}", "patch",
                NULL);
    assert_string_equal(json_str_at(patch, "x-kubernetes-group-version-kind", "kind", NULL), "NodePool");
    bool found = false;
    const cJSON *p;
    cJSON_ArrayForEach(p, json_at(patch, "parameters", NULL))
    {
        found |= strcmp(json_str_at(p, "name", NULL), "fieldValidation") == 0 &&
                 strcmp(json_str_at(p, "in", NULL), "query") == 0;
    }
    assert_true(found);
    cJSON_Delete(doc);
    sim_openapi_free(o);
}

static void test_unreadable_folder(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(sim_openapi_load("/nonexistent-crds-folder", err, sizeof err));
    assert_non_null(strstr(err, "--crds /nonexistent-crds-folder"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_and_documents),
        cmocka_unit_test(test_unreadable_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
