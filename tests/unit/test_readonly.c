/* Read-only mode: no code path can send a mutating request.
 * 1. the rule (transport_read_only_allows) on every method and on paths that try to look like the
 *    SelfSubjectAccessReview probe;
 * 2. against a real listening socket: refused requests complete with the words, hand nothing to
 *    curl and open no connection, while a GET does connect (so the check can fail);
 * 3. the source: curl_multi_add_handle is called in exactly one place, hand_to_curl() in
 *    client/transport.c, after the read-only check, and nothing calls curl_easy_perform. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/transport.h"
#include "common/buf.h"
#include "common/timeutil.h"

static void test_rule(void **state)
{
    (void)state;
    assert_true(transport_read_only_allows("GET", "/api/v1/pods"));
    assert_true(transport_read_only_allows(NULL, "/api/v1/pods"));
    assert_true(transport_read_only_allows("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"));
    assert_true(transport_read_only_allows("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews?dryRun=All"));
    const char *methods[] = {"PATCH", "PUT", "DELETE", "POST", "HEAD", "OPTIONS", "CONNECT", "get", "Get", "", "GET ", "PATCH\r\n"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        assert_false(transport_read_only_allows(methods[i], "/apis/hypershift.openshift.io/v1beta1/hostedclusters"));
    const char *fake_ssar[] = {
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/../../../../api/v1/namespaces/x/pods",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviewsX",
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "/apis/authorization.k8s.io/v1/subjectaccessreviews",
        "//apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "/api/v1/namespaces/x/pods",
        "",
    };
    for (size_t i = 0; i < sizeof fake_ssar / sizeof fake_ssar[0]; i++)
        assert_false(transport_read_only_allows("POST", fake_ssar[i]));
    assert_false(transport_read_only_allows("POST", NULL));
    assert_false(transport_read_only_allows("PATCH", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"));
}

typedef struct outcome {
    int done;
    transport_error_kind kind;
    char error[512];
    long code;
} outcome;

static void on_done(void *ud, const transport_response *r)
{
    outcome *o = ud;
    o->done++;
    o->kind = r->error_kind;
    o->code = r->http_code;
    snprintf(o->error, sizeof o->error, "%s", r->error ? r->error : "");
}

static int listen_local(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    *port = ntohs(a.sin_port);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static void test_nothing_leaves(void **state)
{
    (void)state;
    int port;
    int lfd = listen_local(&port);
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    transport_config cfg = {.server = url, .read_only = true, .token = "t"};
    transport *t = transport_new(&cfg, err, sizeof err);
    assert_non_null(t);
    assert_true(transport_read_only(t));

    struct {
        const char *method, *path;
    } mut[] = {
        {"PATCH", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/prod1"},
        {"PUT", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools/np1/scale"},
        {"DELETE", "/api/v1/namespaces/clusters-prod1/pods/etcd-0"},
        {"POST", "/api/v1/namespaces/clusters/secrets"},
        {"POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/../../../api/v1/namespaces/x/secrets"},
    };
    size_t n = sizeof mut / sizeof mut[0];
    outcome o[8] = {{0}};
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        transport_request rq = {.method = mut[i].method, .path = mut[i].path, .body = "{}", .body_len = 2,
                                .label = "action", .on_done = on_done, .ud = &o[i]};
        transport_submit(t, &rq);
    }
    int64_t end = now_ms_monotonic() + 1000;
    while (now_ms_monotonic() < end) {
        transport_poll(t, -1, 20, NULL);
        total = 0;
        for (size_t i = 0; i < n; i++)
            total += o[i].done;
        if (total == (int)n)
            break;
    }
    assert_int_equal(total, (int)n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(o[i].kind, TRANSPORT_ERR_READ_ONLY);
        assert_int_equal(o[i].code, 0);
        char want[512];
        snprintf(want, sizeof want, "read-only mode: refused to send %s %s", mut[i].method, mut[i].path);
        assert_string_equal(o[i].error, want);
    }
    assert_int_equal(transport_handed_count(t), 0);
    assert_int_equal(transport_counter_find(t, "action")->refused, n);
    assert_int_equal(transport_counter_find(t, "action")->count, 0);
    /* keep polling a little: still no connection arrives */
    for (int i = 0; i < 5; i++)
        transport_poll(t, -1, 20, NULL);
    int c = accept(lfd, NULL, NULL);
    assert_int_equal(c, -1);
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);

    /* The control: the SSAR probe and a GET are sent, and the socket sees a connection. */
    outcome g = {0};
    transport_request get = {.path = "/api/v1/pods", .no_retry = true, .timeout_ms = 300, .on_done = on_done, .ud = &g};
    transport_submit(t, &get);
    transport_request ssar = {.method = "POST", .path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                              .body = "{}", .body_len = 2, .timeout_ms = 300, .on_done = on_done, .ud = &g};
    transport_submit(t, &ssar);
    int accepted = 0;
    end = now_ms_monotonic() + 3000;
    while (now_ms_monotonic() < end && (g.done < 2 || accepted < 1)) {
        transport_poll(t, -1, 20, NULL);
        int a = accept(lfd, NULL, NULL);
        if (a >= 0) {
            accepted++;
            close(a);
        }
    }
    assert_true(accepted >= 1);
    assert_int_equal(transport_handed_count(t), 2);
    assert_int_equal(g.done, 2);
    assert_int_not_equal(g.kind, TRANSPORT_ERR_READ_ONLY);
    transport_free(t);
    close(lfd);
}

/* The whole file as text (NULL when unreadable). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    buf b = BUF_INIT;
    char tmp[8192];
    size_t r;
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, r);
    fclose(f);
    return buf_steal(&b);
}

/* Counts occurrences of needle in every .c file of a folder; remembers the file of the last hit. */
static int count_in_dir(const char *dir, const char *needle, char *where, size_t wlen)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int hits = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 3 || strcmp(e->d_name + l - 2, ".c") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = slurp(path);
        if (!text)
            continue;
        for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle)) {
            hits++;
            snprintf(where, wlen, "%s", e->d_name);
        }
        free(text);
    }
    closedir(d);
    return hits;
}

static void test_one_door_in_source(void **state)
{
    (void)state;
    const char *root = getenv("HCPTUI_ROOT");
    if (!root)
        root = ".";
    char dir[4096], where[256] = "";
    int add = 0, perform = 0;
    const char *layers[] = {"client", "views", "tui", "common"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(dir, sizeof dir, "%s/%s", root, layers[i]);
        int n = count_in_dir(dir, "curl_multi_add_handle(", where, sizeof where);
        if (i == 0)
            assert_true(n >= 0); /* client/ must be found: run from the repo root or set HCPTUI_ROOT */
        add += n > 0 ? n : 0;
        char w2[256];
        n = count_in_dir(dir, "curl_easy_perform(", w2, sizeof w2);
        perform += n > 0 ? n : 0;
    }
    assert_int_equal(add, 1);
    assert_string_equal(where, "transport.c");
    assert_int_equal(perform, 0);

    /* and in transport.c the call sits in hand_to_curl, after the read-only check */
    snprintf(dir, sizeof dir, "%s/client/transport.c", root);
    char *s = slurp(dir);
    assert_non_null(s);
    const char *fn = strstr(s, "static void hand_to_curl(transport *t, job *j)\n{");
    assert_non_null(fn);
    const char *next_fn = strstr(fn + 1, "\n}\n");
    const char *check = strstr(fn, "transport_read_only_allows(j->method, j->path)");
    const char *add_call = strstr(fn, "curl_multi_add_handle(");
    assert_non_null(check);
    assert_non_null(add_call);
    assert_true(check < add_call);
    assert_true(add_call < next_fn);
    free(s);
}

int main(void)
{
    /* the tests talk to 127.0.0.1: a proxy from the environment must not get in between */
    const char *proxies[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_nothing_leaves),
        cmocka_unit_test(test_one_door_in_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
