/* Request options over the REST layer (sim/httpopts.c, sim/httpapi.c): dryRun on every write verb, and
 * the refusal of an unknown value worded as k8s.io/apiserver pkg/endpoints/handlers/{create,update,
 * patch,delete}.go build it (errors.NewInvalid of meta.k8s.io CreateOptions/UpdateOptions/PatchOptions/
 * DeleteOptions with ValidateDryRun's cause); DeleteOptions from the body, else from the query. The
 * dryRun=Maybe answer is the op-dry-run example of the reference answers, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "sim/httpapi.h"

#define HC_PATH "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters"
#define NP_PATH "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools"
#define POD_PATH "/api/v1/namespaces/clusters/pods"

static sim_store *store;
static sim_api api;

/* One request as the admin; the answer's code must be want; returns the body text (owned). */
static char *send(const char *method, const char *path, const char *query_key, const char *query_value,
                  const char *ctype, const char *body, int want)
{
    sim_query_param q[1] = {{query_key, query_value}};
    size_t nq = query_key ? 1 : 0;
    sim_http_request req = {.method = method, .path = path, .query = q, .n_query = nq, .content_type = ctype,
                            .body = body, .body_len = body ? strlen(body) : 0, .identity = SIM_ID_ADMIN};
    sim_http_response resp;
    sim_api_handle(&api, &req, &resp);
    if (resp.code != want)
        fail_msg("%s %s?%s=%s: %d, want %d: %s", method, path, query_key ? query_key : "",
                 query_value ? query_value : "", resp.code, want, resp.body ? resp.body : "");
    char *text = resp.body;
    resp.body = NULL;
    sim_http_response_free(&resp);
    return text;
}

static void expect(const char *method, const char *path, const char *qk, const char *qv, const char *ctype,
                   const char *body, int want)
{
    free(send(method, path, qk, qv, ctype, body, want));
}

static int setup(void **state)
{
    (void)state;
    sim_store_opts o = {.event_window = 100};
    store = sim_store_new(&o);
    api = (sim_api){.store = store, .world = NULL, .server_address = "127.0.0.1:1"};
    expect("POST", "/api/v1/namespaces", NULL, NULL, "application/json",
           "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"clusters\"}}", 201);
    expect("POST", HC_PATH, NULL, NULL, "application/json",
           "{\"metadata\":{\"name\":\"hc\"},\"spec\":{\"channel\":\"stable-4.17\"}}", 201);
    expect("POST", NP_PATH, NULL, NULL, "application/json", "{\"metadata\":{\"name\":\"np\"},\"spec\":{\"replicas\":4}}",
           201);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_store_free(store);
    return 0;
}

static void test_unknown_dry_run_value(void **state)
{
    (void)state;
    char *b = send("PATCH", HC_PATH "/hc", "dryRun", "Maybe", "application/merge-patch+json",
                   "{\"spec\":{\"channel\":\"eus-4.18\"}}", 422);
    assert_string_equal(b, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                           "\"message\":\"PatchOptions.meta.k8s.io \\\"\\\" is invalid: dryRun: Unsupported value: "
                           "[\\\"Maybe\\\"]: supported values: \\\"All\\\"\",\"reason\":\"Invalid\",\"details\":{"
                           "\"group\":\"meta.k8s.io\",\"kind\":\"PatchOptions\",\"causes\":[{\"reason\":"
                           "\"FieldValueNotSupported\",\"message\":\"Unsupported value: [\\\"Maybe\\\"]: supported "
                           "values: \\\"All\\\"\",\"field\":\"dryRun\"}]},\"code\":422}\n");
    free(b);
    b = send("POST", NP_PATH, "dryRun", "true", "application/json", "{\"metadata\":{\"name\":\"np2\"}}", 422);
    assert_non_null(strstr(b, "CreateOptions.meta.k8s.io \\\"\\\" is invalid: dryRun: Unsupported value: [\\\"true\\\"]"));
    free(b);
    b = send("PUT", NP_PATH "/np", "dryRun", "", "application/json", "{\"metadata\":{\"name\":\"np\"}}", 422);
    assert_non_null(strstr(b, "UpdateOptions.meta.k8s.io"));
    free(b);
    b = send("DELETE", NP_PATH "/np", "dryRun", "x", NULL, NULL, 422);
    assert_non_null(strstr(b, "DeleteOptions.meta.k8s.io \\\"\\\" is invalid: dryRun: Unsupported value: [\\\"x\\\"]"));
    free(b);
    /* a DeleteOptions body is read instead of the query */
    b = send("DELETE", NP_PATH "/np", NULL, NULL, "application/json", "{\"dryRun\":[\"All\",\"Some\"]}", 422);
    assert_non_null(strstr(b, "Unsupported value: [\\\"All\\\",\\\"Some\\\"]"));
    free(b);
    b = send("DELETE", NP_PATH "/np", NULL, NULL, "application/json", "{\"propagationPolicy\":\"Sideways\"}", 422);
    assert_non_null(strstr(b, "propagationPolicy: Unsupported value: \\\"Sideways\\\": supported values: "
                              "\\\"Foreground\\\", \\\"Background\\\", \\\"Orphan\\\", \\\"nil\\\""));
    free(b);
    /* nothing of it was applied */
    b = send("GET", NP_PATH "/np", NULL, NULL, NULL, NULL, 200);
    free(b);
}

static void test_dry_run_writes_nothing(void **state)
{
    (void)state;
    uint64_t rv = sim_store_rv(store);
    char *b = send("PATCH", HC_PATH "/hc", "dryRun", "All", "application/merge-patch+json",
                   "{\"spec\":{\"channel\":\"eus-4.18\"}}", 200);
    assert_non_null(strstr(b, "\"channel\":\"eus-4.18\""));
    free(b);
    expect("PATCH", NP_PATH "/np/scale", "dryRun", "All", "application/merge-patch+json",
           "{\"spec\":{\"replicas\":0}}", 200);
    expect("PUT", NP_PATH "/np/scale", "dryRun", "All", "application/json",
           "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"metadata\":{\"name\":\"np\"},\"spec\":{\"replicas\":9}}",
           200);
    expect("POST", NP_PATH, "dryRun", "All", "application/json", "{\"metadata\":{\"name\":\"np3\"}}", 201);
    b = send("DELETE", NP_PATH "/np", "dryRun", "All", NULL, NULL, 200);
    assert_non_null(strstr(b, "\"status\":\"Success\""));
    free(b);
    expect("DELETE", NP_PATH "/np", NULL, NULL, "application/json",
           "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}", 200);
    assert_int_equal(sim_store_rv(store), rv);
    expect("GET", NP_PATH "/np3", NULL, NULL, NULL, NULL, 404);
    b = send("GET", HC_PATH "/hc", NULL, NULL, NULL, NULL, 200);
    assert_non_null(strstr(b, "\"channel\":\"stable-4.17\""));
    free(b);
}

/* gracePeriodSeconds from the query when there is no body (kubectl sends a body; curl may not) */
static void test_delete_options_from_query(void **state)
{
    (void)state;
    expect("POST", POD_PATH, NULL, NULL, "application/json",
           "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}",
           201);
    char *b = send("DELETE", POD_PATH "/p", "gracePeriodSeconds", "7", NULL, NULL, 200);
    assert_non_null(strstr(b, "\"deletionGracePeriodSeconds\":7"));
    free(b);
    expect("DELETE", POD_PATH "/p", "gracePeriodSeconds", "soon", NULL, NULL, 400);
    b = send("DELETE", POD_PATH "/p", "gracePeriodSeconds", "0", NULL, NULL, 200);
    assert_non_null(strstr(b, "\"kind\":\"Pod\""));
    free(b);
    expect("GET", POD_PATH "/p", NULL, NULL, NULL, NULL, 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unknown_dry_run_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_options_from_query, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
