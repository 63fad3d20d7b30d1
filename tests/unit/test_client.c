/* Unit tests for client/client: API paths, freshness words, and the facade against a closed port
 * (first lists fail in words, nothing blocks). The integration tests (tests/integration/client_*.sh)
 * run it against hcpsim. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/timeutil.h"

static void test_paths(void **state)
{
    (void)state;
    char p[256];
    assert_true(client_collection_path(RES_HOSTEDCLUSTER, NULL, p, sizeof p));
    assert_string_equal(p, "/apis/hypershift.openshift.io/v1beta1/hostedclusters");
    assert_true(client_collection_path(RES_NODEPOOL, "clusters", p, sizeof p));
    assert_string_equal(p, "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools");
    assert_true(client_collection_path(RES_EVENT, "clusters", p, sizeof p));
    assert_string_equal(p, "/api/v1/namespaces/clusters/events");
    assert_true(client_object_path(RES_ETCD_POD, "clusters-prod1", "etcd-0", p, sizeof p));
    assert_string_equal(p, "/api/v1/namespaces/clusters-prod1/pods/etcd-0");
    assert_true(client_object_path(RES_ETCD_PVC, "clusters-prod1", "data-etcd-0", p, sizeof p));
    assert_string_equal(p, "/api/v1/namespaces/clusters-prod1/persistentvolumeclaims/data-etcd-0");
    assert_true(client_object_path(RES_SUPPORTED_VERSIONS, "hypershift", "supported-versions", p, sizeof p));
    assert_string_equal(p, "/api/v1/namespaces/hypershift/configmaps/supported-versions");
    /* hostile names never make a path */
    const char *bad[] = {"", "a/b", "../x", "a b", "a?b", "a%2F", "x\r\nHost: y", "a#b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(client_object_path(RES_HOSTEDCLUSTER, "clusters", bad[i], p, sizeof p));
        assert_string_equal(p, "");
        if (bad[i][0])
            assert_false(client_collection_path(RES_NODEPOOL, bad[i], p, sizeof p));
    }
    assert_false(client_object_path(RES_KIND_COUNT, "a", "b", p, sizeof p));
    assert_false(client_object_path(RES_HOSTEDCLUSTER, "clusters", "prod1", p, 10)); /* does not fit */
}

static void test_freshness_words(void **state)
{
    (void)state;
    char out[256];
    client_freshness f = {.state = FRESH_STALE, .since_ms = 1000};
    snprintf(f.why, sizeof f.why, "reconnecting");
    client_freshness_text(&f, 41000, out, sizeof out);
    assert_string_equal(out, "stale 40s, reconnecting");
    f.state = FRESH_LIVE;
    client_freshness_text(&f, 41000, out, sizeof out);
    assert_string_equal(out, "live");
    f.polling = true;
    client_freshness_text(&f, 41000, out, sizeof out);
    assert_string_equal(out, "polling");
    f.state = FRESH_FORBIDDEN;
    client_freshness_text(&f, 41000, out, sizeof out);
    assert_string_equal(out, "forbidden");
    f.state = FRESH_ERROR;
    snprintf(f.detail, sizeof f.detail, "cannot connect");
    client_freshness_text(&f, 41000, out, sizeof out);
    assert_string_equal(out, "error: cannot connect");
    f.state = FRESH_LOADING;
    client_freshness_text(&f, 0, out, sizeof out); /* a clock before since: no negative age */
    assert_string_equal(out, "loading");
    assert_string_equal(freshness_state_name(FRESH_OFF), "off");
}

static kube_target *target_for(const char *server)
{
    kube_target *t = xcalloc(1, sizeof *t);
    t->origin = xstrdup("<test>");
    t->context = xstrdup("test");
    t->cluster = xstrdup("test");
    t->user = xstrdup("");
    t->namespace = xstrdup("default");
    t->server = server ? xstrdup(server) : NULL;
    t->token = xstrdup("t0ken");
    t->auth = KUBE_AUTH_TOKEN;
    return t;
}

static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_open_errors(void **state)
{
    (void)state;
    char err[256];
    kube_target *t = target_for(NULL);
    client_options o = {.target = t};
    assert_null(client_open(&o, err, sizeof err));
    assert_true(strlen(err) > 0);
    kube_target_free(t);
    t = target_for("ftp://x");
    o.target = t;
    assert_null(client_open(&o, err, sizeof err));
    assert_non_null(strstr(err, "<test>"));
    kube_target_free(t);
    t = target_for("https://127.0.0.1:1");
    o.target = t;
    o.namespace = "bad/ns";
    assert_null(client_open(&o, err, sizeof err));
    kube_target_free(t);
}

static void test_unreachable(void **state)
{
    (void)state;
    char url[64], err[512];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", closed_port());
    kube_target *t = target_for(url);
    client_options o = {.target = t, .read_only = true, .seed = 3};
    client *c = client_open(&o, err, sizeof err);
    assert_non_null(c);
    assert_true(client_read_only(c));
    client_freshness f;
    assert_true(client_freshness_get(c, RES_HOSTEDCLUSTER, &f));
    assert_int_equal(f.state, FRESH_OFF);
    client_start(c);
    assert_true(client_freshness_get(c, RES_HOSTEDCLUSTER, &f));
    assert_int_equal(f.state, FRESH_LOADING);
    assert_int_equal(client_next_timeout_ms(c), 0); /* requests wait to go out */
    int64_t start = now_ms_monotonic();
    assert_int_equal(client_wait_initial(c, 5000, err, sizeof err), -1);
    assert_true(now_ms_monotonic() - start < 4000);
    assert_non_null(strstr(err, "cannot connect to"));
    /* a caller that needs no kind at all does not fail on them */
    assert_int_equal(client_wait_initial_for(c, 0, 100, err, sizeof err), 0);
    assert_int_equal(client_wait_initial_for(c, 1u << RES_NODEPOOL, 100, err, sizeof err), -1);
    assert_non_null(strstr(err, "NodePool: cannot connect to"));
    assert_true(client_freshness_get(c, RES_NODEPOOL, &f));
    assert_int_equal(f.state, FRESH_ERROR);
    assert_true(client_freshness_get(c, RES_EVENT, &f));
    assert_int_equal(f.state, FRESH_OFF); /* events only follow a focus */
    assert_false(client_freshness_get(c, RES_KIND_COUNT, &f));
    /* retries are scheduled, not spun: the next wake-up is in the future */
    int next = client_next_timeout_ms(c);
    assert_true(next > 0);
    /* a focus on a hostile name is refused; a good one sends a GET */
    assert_int_equal(client_focus(c, RES_HOSTEDCLUSTER, "clusters", "../etc"), -1);
    assert_int_equal(client_focus(c, RES_HOSTEDCLUSTER, "clusters", "prod1"), 0);
    int64_t end = now_ms_monotonic() + 10000; /* the GET is retried with backoff first */
    while (!client_focus_error(c) && now_ms_monotonic() < end)
        client_poll(c, -1, 50, NULL);
    assert_non_null(client_focus_error(c));
    assert_non_null(strstr(client_focus_error(c), "cannot connect"));
    client_unfocus(c);
    assert_null(client_focus_error(c));
    client_close(c);
    kube_target_free(t);
}

int main(void)
{
    /* the tests talk to 127.0.0.1: a proxy from the environment must not get in between */
    const char *proxies[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_freshness_words),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_unreachable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
