/* Unit tests for client/apierror: Status bodies recorded from a real kube-apiserver
 * (tests/fixtures/status/), non-Status and hostile bodies, and failures below HTTP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apierror.h"
#include "common/buf.h"

static char *fixture(const char *name, size_t *len)
{
    const char *root = getenv("HCPTUI_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/status/%s", root ? root : ".", name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("fixture %s missing (run from the repo root or set HCPTUI_ROOT)", path);
    buf b = BUF_INIT;
    char tmp[4096];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, r);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

static void expect_words(const char *file, long code, const char *method, const char *path, const char *want)
{
    size_t len;
    char *body = fixture(file, &len);
    char *w = apierror_words(code, TRANSPORT_OK, NULL, body, len, method, path, NULL, NULL);
    assert_non_null(w);
    if (strcmp(w, want) != 0)
        fail_msg("%s:\n  got  %s\n  want %s", file, w, want);
    free(w);
    free(body);
}

#define HC_PATH "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters"
#define NP_PATH "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools"

static void test_recorded_statuses(void **state)
{
    (void)state;
    expect_words("403-forbidden.json", 403, "PATCH", HC_PATH "/conf-hc",
                 "forbidden: user realk8s-readonly cannot patch hostedclusters in namespace clusters");
    expect_words("403-forbidden-list-cluster.json", 403, "GET", "/apis/hypershift.openshift.io/v1beta1/hostedclusters",
                 "forbidden: user system:serviceaccount:sre:viewer cannot list hostedclusters at the cluster scope");
    expect_words("409-conflict.json", 409, "PATCH", HC_PATH "/conf-hc",
                 "conflict: someone else changed clusters/conf-hc since it was read; reload and try again");
    expect_words("409-conflict-uid.json", 409, "DELETE", NP_PATH "/conf-np-b",
                 "conflict: clusters/conf-np-b was deleted and created again since it was read; reload and try again");
    expect_words("409-alreadyexists.json", 409, "POST", HC_PATH,
                 "already exists: hostedclusters.hypershift.openshift.io \"conf-hc\" already exists");
    expect_words("404-notfound.json", 404, "GET", HC_PATH "/conf-missing",
                 "not found: hostedclusters conf-missing in namespace clusters does not exist (deleted meanwhile?)");
    expect_words("404-notfound-nodepool.json", 404, "DELETE", NP_PATH "/conf-np-b",
                 "not found: nodepools conf-np-b in namespace clusters does not exist (deleted meanwhile?)");
    expect_words("401-unauthorized.json", 401, "GET", HC_PATH,
                 "unauthorized: the credentials were refused (token expired?)");
    expect_words("410-expired.json", 410, "GET", HC_PATH "?watch=1", "expired: too old resource version: 1 (20483)");
    expect_words("415-unsupportedmediatype.json", 415, "PATCH", HC_PATH "/conf-hc",
                 "error 415 (UnsupportedMediaType): the body of the request was in an unknown format - accepted "
                 "media types include: application/json-patch+json, application/merge-patch+json, "
                 "application/apply-patch+yaml");
    expect_words("422-invalid.json", 422, "POST", HC_PATH,
                 "invalid: spec.platform.type: Unsupported value: \"Bogus\": supported values: \"AWS\", \"Azure\", "
                 "\"IBMCloud\", \"KubeVirt\", \"Agent\", \"PowerVS\", \"None\"; spec.pullSecret: Required value; "
                 "Invalid value: null: some validation rules were not checked because the object was invalid; "
                 "correct the existing errors to complete validation");
}

static void test_status_parse(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture("422-invalid.json", &len);
    api_status st;
    assert_true(api_status_parse(body, len, &st));
    assert_int_equal(st.code, 422);
    assert_string_equal(st.reason, "Invalid");
    assert_string_equal(st.name, "conf-hc-invalid");
    assert_string_equal(st.kind, "HostedCluster");
    assert_int_equal(st.ncauses, 3);
    assert_string_equal(st.causes[1].field, "spec.pullSecret");
    api_status_free(&st);
    free(body);
    /* not Status */
    assert_false(api_status_parse("{\"kind\":\"HostedCluster\"}", 24, &st));
    assert_false(api_status_parse("[1,2]", 5, &st));
    assert_false(api_status_parse("", 0, &st));
    assert_false(api_status_parse(NULL, 0, &st));
    assert_false(api_status_parse("{\"kind\":\"Status\"", 16, &st)); /* truncated */
}

static void test_hostile_statuses(void **state)
{
    (void)state;
    const char *bodies[] = {
        "{\"kind\":\"Status\"}",
        "{\"kind\":\"Status\",\"code\":\"403\",\"message\":7,\"reason\":[],\"details\":\"x\"}",
        "{\"kind\":\"Status\",\"code\":1e300,\"details\":{\"causes\":[1,null,{\"field\":3},{}]}}",
        "{\"kind\":\"Status\",\"code\":-5,\"reason\":\"Forbidden\",\"message\":\"User \\\"unterminated\"}",
        "{\"kind\":\"Status\",\"message\":\"x is forbidden: User \\\"u\\\" cannot \"}",
        "{\"kind\":\"Status\",\"message\":\"\\u001b[31mred\\u0000\",\"reason\":\"Conflict\"}",
        "not json at all \x01\x02",
    };
    long codes[] = {403, 409, 422, 404, 500, 418, 429, 401, 410};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
            char *w = apierror_words(codes[k], TRANSPORT_OK, NULL, bodies[i], strlen(bodies[i]), "PATCH",
                                     "/apis/x/namespaces/ns/things/n", NULL, NULL);
            assert_non_null(w);
            assert_true(strlen(w) > 0);
            free(w);
        }
    /* deep nesting and a huge causes list stay bounded */
    buf b = BUF_INIT;
    buf_puts(&b, "{\"kind\":\"Status\",\"code\":422,\"reason\":\"Invalid\",\"details\":{\"causes\":[");
    for (int i = 0; i < 5000; i++)
        buf_printf(&b, "%s{\"field\":\"f%d\",\"message\":\"m\"}", i ? "," : "", i);
    buf_puts(&b, "]}}");
    api_status st;
    assert_true(api_status_parse(b.data, b.len, &st));
    assert_int_equal(st.ncauses, 64);
    api_status_free(&st);
    buf_free(&b);
}

static void test_non_status_bodies(void **state)
{
    (void)state;
    char *w = apierror_words(404, TRANSPORT_OK, NULL, "404 page not found\n", 19, "GET",
                             "/apis/hypershift.openshift.io/v1beta1/hostedclusters", NULL, NULL);
    assert_string_equal(w, "not found: the server does not serve /apis/hypershift.openshift.io/v1beta1/hostedclusters "
                           "(is the API or CRD installed?)");
    free(w);
    const char *html = "<html><body>502 Bad Gateway</body></html>\nmore";
    w = apierror_words(502, TRANSPORT_OK, NULL, html, strlen(html), "GET", "/api", NULL, NULL);
    assert_string_equal(w, "server error 502: <html><body>502 Bad Gateway</body></html>");
    free(w);
    w = apierror_words(503, TRANSPORT_OK, NULL, "", 0, "GET", "/api", "7", NULL);
    assert_string_equal(w, "server error 503; retry after 7s");
    free(w);
    w = apierror_words(429, TRANSPORT_OK, NULL, NULL, 0, "GET", "/api", "2", NULL);
    assert_string_equal(w, "too many requests: the API server is throttling; retry after 2s");
    free(w);
    w = apierror_words(403, TRANSPORT_OK, NULL, NULL, 0, "DELETE", "/api/v1/namespaces/a/pods/b", NULL, NULL);
    assert_string_equal(w, "forbidden: not allowed to delete /api/v1/namespaces/a/pods/b");
    free(w);
    assert_null(apierror_words(200, TRANSPORT_OK, NULL, "{}", 2, "GET", "/", NULL, NULL));
    w = apierror_words(0, TRANSPORT_OK, NULL, NULL, 0, "GET", "/", NULL, NULL);
    assert_string_equal(w, "no answer from the API server");
    free(w);
    /* a long body is cut */
    char big[1000];
    memset(big, 'x', sizeof big);
    w = apierror_words(500, TRANSPORT_OK, NULL, big, sizeof big, "GET", "/", NULL, NULL);
    assert_true(strlen(w) < 260);
    free(w);
}

static void test_transport_failures(void **state)
{
    (void)state;
    apierror_ctx ctx = {.origin = "/home/u/.kube/config", .server = "https://api.mgmt:6443", .ca_from_kubeconfig = true};
    char *w = apierror_words(0, TRANSPORT_ERR_TLS_UNKNOWN_CA, "SSL certificate problem: unable to get local issuer certificate",
                             NULL, 0, "GET", "/api", NULL, &ctx);
    assert_string_equal(w, "the server's certificate is not signed by the CA in kubeconfig /home/u/.kube/config");
    free(w);
    ctx.ca_from_kubeconfig = false;
    w = apierror_words(0, TRANSPORT_ERR_TLS_UNKNOWN_CA, "x", NULL, 0, "GET", "/api", NULL, &ctx);
    assert_non_null(strstr(w, "not signed by a CA this system trusts"));
    free(w);
    w = apierror_words(0, TRANSPORT_ERR_CONNECT, "Failed to connect to api.mgmt port 6443: Connection refused", NULL, 0,
                       "GET", "/api", NULL, &ctx);
    assert_string_equal(w, "cannot connect to https://api.mgmt:6443: refused or unreachable (Failed to connect to "
                           "api.mgmt port 6443: Connection refused)");
    free(w);
    w = apierror_words(0, TRANSPORT_ERR_TIMEOUT, "Connection timed out after 10001 milliseconds", NULL, 0, "GET",
                       "/api", NULL, &ctx);
    assert_non_null(strstr(w, "timed out talking to https://api.mgmt:6443"));
    free(w);
    w = apierror_words(0, TRANSPORT_ERR_TLS_HOSTNAME, "no alternative certificate subject name matches", NULL, 0,
                       "GET", "/api", NULL, &ctx);
    assert_non_null(strstr(w, "does not name the host"));
    free(w);
    w = apierror_words(0, TRANSPORT_ERR_READ_ONLY, "read-only mode: refused to send PATCH /apis/x", NULL, 0, "PATCH",
                       "/apis/x", NULL, NULL);
    assert_string_equal(w, "read-only mode: refused to send PATCH /apis/x");
    free(w);
    for (int k = TRANSPORT_ERR_READ_ONLY; k <= TRANSPORT_ERR_NETWORK; k++) {
        w = apierror_words(0, (transport_error_kind)k, NULL, NULL, 0, NULL, NULL, NULL, NULL);
        assert_non_null(w);
        assert_true(strlen(w) > 0);
        free(w);
    }
    transport_response r = {.http_code = 200};
    assert_null(apierror_describe(&r, NULL));
    transport_response r2 = {.http_code = 0, .error_kind = TRANSPORT_ERR_CONNECT, .error = "refused"};
    w = apierror_describe(&r2, NULL);
    assert_string_equal(w, "cannot connect to the API server: refused or unreachable (refused)");
    free(w);
}

/* The short reasons a stale status line carries ("stale 40s, connection refused, retrying in 8s"). */
static void test_brief_words(void **state)
{
    (void)state;
    static const struct {
        long code;
        transport_error_kind kind;
        const char *text, *want;
    } cases[] = {
        {0, TRANSPORT_ERR_CONNECT, "Failed to connect to 127.0.0.1 port 6443: Connection refused", "connection refused"},
        {0, TRANSPORT_ERR_CONNECT, "Couldn't connect to server (Connection refused)", "connection refused"},
        {0, TRANSPORT_ERR_CONNECT, "No route to host", "server unreachable"},
        {0, TRANSPORT_ERR_CONNECT, NULL, "server unreachable"},
        {0, TRANSPORT_ERR_TIMEOUT, "Operation timed out", "timed out"},
        {0, TRANSPORT_ERR_TLS_UNKNOWN_CA, "", "TLS: certificate not trusted"},
        {0, TRANSPORT_ERR_TLS_EXPIRED, "", "TLS: certificate expired"},
        {0, TRANSPORT_ERR_NETWORK, "Recv failure: Connection reset by peer", "connection lost"},
        {503, TRANSPORT_OK, NULL, "error 503"},
        {0, TRANSPORT_OK, NULL, "no answer"},
        {0, (transport_error_kind)999, NULL, "connection lost"},
    };
    char w[48];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        apierror_brief(cases[i].code, cases[i].kind, cases[i].text, w, sizeof w);
        assert_string_equal(w, cases[i].want);
    }
    char tiny[6];
    apierror_brief(0, TRANSPORT_ERR_TLS_UNKNOWN_CA, NULL, tiny, sizeof tiny);
    assert_string_equal(tiny, "TLS: "); /* cut, never overrun */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recorded_statuses), cmocka_unit_test(test_status_parse),
        cmocka_unit_test(test_hostile_statuses),  cmocka_unit_test(test_non_status_bodies),
        cmocka_unit_test(test_transport_failures), cmocka_unit_test(test_brief_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
