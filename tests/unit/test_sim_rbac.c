/* The two roles (sim/rbac.c) and the SelfSubjectAccessReviews that ask about them, for everything the
 * console's actions ask: patch hostedclusters and nodepools, update nodepools/scale, delete pods and
 * persistentvolumeclaims, get pods/log, list secrets. The read-only user has Kubernetes' view role
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go: read verbs, no secrets); a request it may
 * not make gets the 403 kube-apiserver words (the ro-patch example of the reference answers). The
 * admin is in system:masters, which kube-apiserver's privileged-group authorizer allows with no reason
 * (k8s.io/apiserver pkg/authorization/authorizerfactory/builtin.go). */
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
#include "sim/rbac.h"

typedef struct ask {
    const char *verb, *group, *resource, *sub;
    bool readonly; /* what view answers; cluster-admin answers yes to all */
} ask;

static const ask console_asks[] = {
    {"patch", "hypershift.openshift.io", "hostedclusters", "", false},
    {"patch", "hypershift.openshift.io", "nodepools", "", false},
    {"update", "hypershift.openshift.io", "nodepools", "scale", false},
    {"patch", "hypershift.openshift.io", "nodepools", "scale", false},
    {"delete", "", "pods", "", false},
    {"delete", "", "persistentvolumeclaims", "", false},
    {"get", "", "pods", "log", true},
    {"list", "", "secrets", "", false},
    {"get", "", "secrets", "", false},
    {"watch", "", "secrets", "", false},
    {"get", "hypershift.openshift.io", "hostedclusters", "", true},
    {"list", "hypershift.openshift.io", "nodepools", "", true},
    {"watch", "", "pods", "", true},
    {"get", "apps", "statefulsets", "scale", true},
    {"list", "", "persistentvolumeclaims", "", true},
    {"create", "authorization.k8s.io", "selfsubjectaccessreviews", "", true},
    {"*", "*", "*", "", false},
    {"get", "", "pods", "exec", false},
    {"get", "", "nodes", "", false},
};

static void test_roles(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof console_asks / sizeof console_asks[0]; i++) {
        const ask *a = &console_asks[i];
        if (!sim_rbac_allows(SIM_ID_ADMIN, a->verb, a->group, a->resource, a->sub) ||
            !sim_rbac_allows(SIM_ID_ADMIN_TOKEN, a->verb, a->group, a->resource, a->sub))
            fail_msg("admin may not %s %s/%s", a->verb, a->resource, a->sub);
        if (sim_rbac_allows(SIM_ID_READONLY, a->verb, a->group, a->resource, a->sub) != a->readonly)
            fail_msg("read-only %s %s %s/%s: want %d", a->verb, a->group, a->resource, a->sub, a->readonly);
        assert_false(sim_rbac_allows(SIM_ID_ANONYMOUS, a->verb, a->group, a->resource, a->sub));
    }
    assert_non_null(strstr(sim_rbac_decide_path(SIM_ID_READONLY, "get", "/version"), "\"system:discovery\""));
    assert_non_null(strstr(sim_rbac_decide_path(SIM_ID_READONLY, "get", "/healthz"), "\"system:public-info-viewer\""));
    assert_non_null(sim_rbac_decide_path(SIM_ID_READONLY, "get", "/apis/hypershift.openshift.io"));
    assert_null(sim_rbac_decide_path(SIM_ID_READONLY, "post", "/version"));
    assert_null(sim_rbac_decide_path(SIM_ID_READONLY, "get", "/metrics"));
    assert_string_equal(sim_rbac_decide_path(SIM_ID_ADMIN, "get", "/metrics"), "");
}

static sim_store *store;
static sim_api api;

static char *handle(sim_identity id, const char *method, const char *path, const char *body, int want)
{
    sim_http_request req = {.method = method, .path = path, .content_type = "application/json", .body = body,
                            .body_len = body ? strlen(body) : 0, .identity = id};
    sim_http_response resp;
    sim_api_handle(&api, &req, &resp);
    if (resp.code != want)
        fail_msg("%s %s: %d, want %d: %s", method, path, resp.code, want, resp.body ? resp.body : "");
    char *t = resp.body;
    resp.body = NULL;
    sim_http_response_free(&resp);
    return t;
}

static int setup(void **state)
{
    (void)state;
    sim_store_opts o = {.event_window = 100};
    store = sim_store_new(&o);
    api = (sim_api){.store = store, .server_address = "127.0.0.1:1"};
    free(handle(SIM_ID_ADMIN, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"clusters\"}}", 201));
    free(handle(SIM_ID_ADMIN, "POST", "/api/v1/namespaces/clusters/secrets",
                "{\"metadata\":{\"name\":\"pull-secret\"},\"data\":{}}", 201));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_store_free(store);
    return 0;
}

#define SSAR "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

static bool review(sim_identity id, const ask *a)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{"
             "\"resourceAttributes\":{\"namespace\":\"clusters\",\"verb\":\"%s\",\"group\":\"%s\",\"resource\":\"%s\","
             "\"subresource\":\"%s\"}}}",
             a->verb, a->group, a->resource, a->sub);
    char *t = handle(id, "POST", SSAR, body, 201);
    cJSON *d = cJSON_Parse(t);
    bool allowed = cJSON_IsTrue(json_at(d, "status", "allowed", NULL));
    const char *reason = json_str_at(d, "status", "reason", NULL);
    if (allowed && id == SIM_ID_READONLY)
        assert_non_null(strstr(reason, "RBAC: allowed by ClusterRoleBinding"));
    else
        assert_null(reason); /* the admin's system:masters needs no RBAC rule: no reason; a denial has none */
    assert_string_equal(json_str_at(d, "spec", "resourceAttributes", "resource", NULL), a->resource);
    cJSON_Delete(d);
    free(t);
    return allowed;
}

static void test_reviews_agree_with_requests(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof console_asks / sizeof console_asks[0]; i++) {
        assert_true(review(SIM_ID_ADMIN, &console_asks[i]));
        if (review(SIM_ID_READONLY, &console_asks[i]) != console_asks[i].readonly)
            fail_msg("review of %s %s/%s", console_asks[i].verb, console_asks[i].resource, console_asks[i].sub);
    }
    char *t = handle(SIM_ID_READONLY, "POST", SSAR,
                     "{\"spec\":{\"nonResourceAttributes\":{\"path\":\"/version\",\"verb\":\"get\"}}}", 201);
    assert_non_null(strstr(t, "\"allowed\":true"));
    free(t);
    t = handle(SIM_ID_READONLY, "POST", SSAR, "{\"spec\":{}}", 422);
    assert_non_null(strstr(t, "SelfSubjectAccessReview.authorization.k8s.io \\\"\\\" is invalid: spec.resourceAttributes: "
                              "Invalid value: \\\"null\\\": exactly one of nonResourceAttributes or resourceAttributes "
                              "must be specified"));
    free(t);
}

static void test_secrets_forbidden_to_view(void **state)
{
    (void)state;
    char *t = handle(SIM_ID_READONLY, "GET", "/api/v1/namespaces/clusters/secrets/pull-secret", NULL, 403);
    assert_string_equal(t, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                           "\"message\":\"secrets \\\"pull-secret\\\" is forbidden: User \\\"hcpsim-readonly\\\" cannot "
                           "get resource \\\"secrets\\\" in API group \\\"\\\" in the namespace \\\"clusters\\\"\","
                           "\"reason\":\"Forbidden\",\"details\":{\"name\":\"pull-secret\",\"kind\":\"secrets\"},"
                           "\"code\":403}\n");
    free(t);
    t = handle(SIM_ID_READONLY, "GET", "/api/v1/secrets", NULL, 403);
    assert_non_null(strstr(t, "\"message\":\"secrets is forbidden: User \\\"hcpsim-readonly\\\" cannot list resource "
                              "\\\"secrets\\\" in API group \\\"\\\" at the cluster scope\""));
    free(t);
    /* what view does give */
    free(handle(SIM_ID_READONLY, "GET", "/api/v1/namespaces/clusters/configmaps", NULL, 200));
    free(handle(SIM_ID_READONLY, "GET", "/api/v1/namespaces", NULL, 200));
    free(handle(SIM_ID_ADMIN, "GET", "/api/v1/namespaces/clusters/secrets/pull-secret", NULL, 200));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test_setup_teardown(test_reviews_agree_with_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secrets_forbidden_to_view, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
