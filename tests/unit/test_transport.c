/* Unit tests for client/transport: real HTTP exchanges against a scripted server in a child process
 * on 127.0.0.1 (plain HTTP: TLS is covered by the integration tests). The line splitter has its own
 * tests (test_transport_lines.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/transport.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "lines_fixture.h"

/* ---- a scripted HTTP server in a child process ---------------------------------------------------- */

typedef struct server {
    pid_t pid;
    int port;
    int log_fd; /* read end: each request head, then a line "--\n" */
} server;

/* Serves responses[i] to the i-th connection (one request per connection), then exits.
 * A response may contain "\x01" to mean "flush and pause 100 ms" (to split chunks). */
static server server_start(const char *const *responses, size_t n)
{
    server s = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    s.port = ntohs(a.sin_port);
    int p[2];
    assert_int_equal(pipe(p), 0);
    s.pid = fork();
    assert_true(s.pid >= 0);
    if (s.pid == 0) {
        close(p[0]);
        alarm(20);
        for (size_t i = 0; i < n; i++) {
            int c = accept(fd, NULL, NULL);
            if (c < 0)
                _exit(1);
            char req[65536];
            size_t got = 0;
            while (got < sizeof req - 1) {
                ssize_t r = read(c, req + got, sizeof req - 1 - got);
                if (r <= 0)
                    break;
                got += (size_t)r;
                req[got] = '\0';
                char *end = strstr(req, "\r\n\r\n");
                if (end) {
                    const char *cl = strcasestr(req, "content-length:");
                    size_t body = cl ? (size_t)atol(cl + 15) : 0;
                    if (got >= (size_t)(end + 4 - req) + body)
                        break;
                }
            }
            if (write(p[1], req, got) < 0 || write(p[1], "--\n", 3) < 0)
                _exit(1);
            const char *r = responses[i];
            while (*r) {
                const char *pause = strchr(r, '\x01');
                size_t len = pause ? (size_t)(pause - r) : strlen(r);
                if (len && write(c, r, len) < 0)
                    break;
                r += len;
                if (pause) {
                    usleep(100 * 1000);
                    r++;
                }
            }
            close(c);
        }
        _exit(0);
    }
    close(p[1]);
    close(fd);
    s.log_fd = p[0];
    return s;
}

static char *server_stop(server *s)
{
    int st;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, &st, 0);
    buf b = BUF_INIT;
    char tmp[4096];
    ssize_t r;
    while ((r = read(s->log_fd, tmp, sizeof tmp)) > 0)
        buf_append(&b, tmp, (size_t)r);
    close(s->log_fd);
    return buf_steal(&b);
}

typedef struct result {
    int done;
    long code;
    transport_error_kind kind;
    char error[256];
    char body[4096];
    char content_type[64];
    unsigned attempts;
    collected lines;
    transport *t;
    uint64_t cancel_id; /* cancel this job from the first line callback */
} result;

static void on_done(void *ud, const transport_response *r)
{
    result *res = ud;
    res->done++;
    res->code = r->http_code;
    res->kind = r->error_kind;
    snprintf(res->error, sizeof res->error, "%s", r->error ? r->error : "");
    snprintf(res->body, sizeof res->body, "%s", r->body);
    snprintf(res->content_type, sizeof res->content_type, "%s", r->content_type ? r->content_type : "");
    res->attempts = r->attempts;
}

static void on_line(void *ud, const char *line, size_t len)
{
    result *res = ud;
    collect(&res->lines, line, len);
    if (res->cancel_id) {
        transport_cancel(res->t, res->cancel_id);
        res->cancel_id = 0;
    }
}

static transport *new_transport(int port, bool read_only)
{
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    transport_config cfg = {.server = url, .read_only = read_only, .token = "sekrit", .seed = 1, .version = "test"};
    transport *t = transport_new(&cfg, err, sizeof err);
    assert_non_null(t);
    return t;
}

static void run_until(transport *t, const int *flag, int want, int limit_ms)
{
    int64_t end = now_ms_monotonic() + limit_ms;
    while (*flag < want && now_ms_monotonic() < end)
        assert_int_equal(transport_poll(t, -1, 50, NULL), 0);
}

static void test_get_ok(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                          "Connection: close\r\n\r\n{\"kind\":1}\n"};
    server s = server_start(resp, 1);
    transport *t = new_transport(s.port, false);
    result res = {0};
    transport_request rq = {.path = "/api/v1/pods?limit=500", .label = "pods list", .has_kind = true, .kind = RES_ETCD_POD, .on_done = on_done, .ud = &res};
    uint64_t id = transport_submit(t, &rq);
    assert_true(id > 0);
    assert_int_equal(res.done, 0); /* never called from submit */
    assert_int_equal(transport_next_timeout_ms(t), 0);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.done, 1);
    assert_int_equal(res.code, 200);
    assert_int_equal(res.kind, TRANSPORT_OK);
    assert_string_equal(res.body, "{\"kind\":1}\n");
    assert_string_equal(res.content_type, "application/json");
    const transport_counter *c = transport_counter_find(t, "pods list");
    assert_non_null(c);
    assert_true(c->has_kind); /* the counter says which watched kind its requests feed */
    assert_int_equal(c->kind, RES_ETCD_POD);
    assert_int_equal(c->count, 1);
    assert_int_equal(c->errors, 0);
    assert_true(c->bytes_in >= 11);
    assert_true(c->bytes_out > 0);
    assert_int_equal(transport_pending(t), 0);
    transport_free(t);
    char *log = server_stop(&s);
    assert_non_null(strstr(log, "GET /api/v1/pods?limit=500 HTTP/1.1"));
    assert_non_null(strstr(log, "Authorization: Bearer sekrit"));
    assert_non_null(strstr(log, "User-Agent: hcptui/test"));
    assert_non_null(strstr(log, "Accept: application/json"));
    assert_non_null(strstr(log, "Accept-Encoding: ")); /* gzip offered */
    free(log);
}

/* tls-server-name: the URL names it, CONNECT_TO routes to the real address, Host keeps the real one. */
static void test_server_name_routing(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"};
    server s = server_start(resp, 1);
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
    transport_config cfg = {.server = url, .tls_server_name = "api.mgmt.example"};
    transport *t = transport_new(&cfg, err, sizeof err);
    assert_non_null(t);
    result res = {0};
    transport_request rq = {.path = "/version", .on_done = on_done, .ud = &res};
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.code, 200);
    transport_free(t);
    char *log = server_stop(&s);
    char host[64];
    snprintf(host, sizeof host, "Host: 127.0.0.1:%d\r\n", s.port);
    assert_non_null(strstr(log, host));
    free(log);
}

/* proxy-url: the request goes to the proxy, in absolute form. */
static void test_proxy(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"};
    server s = server_start(resp, 1);
    char proxy[64], err[256];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", s.port);
    transport_config cfg = {.server = "http://api.mgmt.example:6443", .proxy_url = proxy};
    transport *t = transport_new(&cfg, err, sizeof err);
    assert_non_null(t);
    result res = {0};
    transport_request rq = {.path = "/api/v1/pods", .on_done = on_done, .ud = &res};
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.code, 200);
    transport_free(t);
    char *log = server_stop(&s);
    assert_non_null(strstr(log, "GET http://api.mgmt.example:6443/api/v1/pods HTTP/1.1"));
    free(log);
}

static void test_retry_503_then_ok(void **state)
{
    (void)state;
    const char *resp[] = {
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    };
    server s = server_start(resp, 3);
    transport *t = new_transport(s.port, false);
    result res = {0};
    transport_request rq = {.path = "/x", .label = "x", .on_done = on_done, .ud = &res};
    transport_submit(t, &rq);
    int64_t start = now_ms_monotonic();
    run_until(t, &res.done, 1, 10000);
    assert_int_equal(res.done, 1);
    assert_int_equal(res.code, 200);
    assert_int_equal(res.attempts, 3);
    assert_true(now_ms_monotonic() - start >= 1000); /* Retry-After: 1 honoured */
    assert_int_equal(transport_counter_find(t, "x")->retries, 2);
    assert_false(transport_counter_find(t, "x")->has_kind); /* feeds no watched kind */
    transport_free(t);
    free(server_stop(&s));
}

static void test_no_retry_for_mutations(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"};
    server s = server_start(resp, 1);
    transport *t = new_transport(s.port, false);
    result res = {0};
    transport_request rq = {.method = "PATCH", .path = "/apis/x", .body = "{}", .body_len = 2,
                            .content_type = "application/merge-patch+json", .on_done = on_done, .ud = &res};
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.code, 503);
    assert_int_equal(res.attempts, 1);
    transport_free(t);
    char *log = server_stop(&s);
    assert_non_null(strstr(log, "PATCH /apis/x HTTP/1.1"));
    assert_non_null(strstr(log, "Content-Type: application/merge-patch+json"));
    free(log);
}

static void test_stream_lines(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                          "{\"type\":\"ADDED\"}\n{\"type\":\"MOD\x01IFIED\"}\r\n\x01{\"type\":\"BOOKMARK\"}\n{\"trunc"};
    server s = server_start(resp, 1);
    transport *t = new_transport(s.port, false);
    result res = {0};
    transport_request rq = {.path = "/w?watch=1", .stream = true, .on_done = on_done, .on_line = on_line, .ud = &res};
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.done, 1);
    assert_int_equal(res.code, 200);
    assert_int_equal(res.lines.n, 3);
    assert_string_equal(res.lines.lines[1], "{\"type\":\"MODIFIED\"}");
    assert_int_equal(res.lines.dropped, 1); /* the truncated last line */
    assert_string_equal(res.body, "");      /* a 2xx stream body goes to lines only */
    transport_free(t);
    free(server_stop(&s));
}

static void test_stream_error_body(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 410 Gone\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                          "{\"kind\":\"Status\",\"code\":410}\n"};
    server s = server_start(resp, 1);
    transport *t = new_transport(s.port, false);
    result res = {0};
    transport_request rq = {.path = "/w", .stream = true, .on_done = on_done, .on_line = on_line, .ud = &res};
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.code, 410);
    assert_int_equal(res.lines.n, 0);
    assert_non_null(strstr(res.body, "\"code\":410"));
    transport_free(t);
    free(server_stop(&s));
}

static void test_cancel_from_line_callback(void **state)
{
    (void)state;
    const char *resp[] = {"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nA\nB\nC\n\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"};
    server s = server_start(resp, 1);
    transport *t = new_transport(s.port, false);
    result res = {0};
    res.t = t;
    transport_request rq = {.path = "/w", .stream = true, .on_done = on_done, .on_line = on_line, .ud = &res};
    res.cancel_id = transport_submit(t, &rq);
    int64_t end = now_ms_monotonic() + 1500;
    while (now_ms_monotonic() < end && transport_pending(t) > 0)
        transport_poll(t, -1, 50, NULL);
    assert_int_equal(res.lines.n, 1); /* nothing after the cancel */
    assert_int_equal(res.done, 0);    /* a cancelled job never completes */
    assert_int_equal(transport_pending(t), 0);
    transport_free(t);
    free(server_stop(&s));
}

static void test_connection_refused(void **state)
{
    (void)state;
    /* a port that was free a moment ago and has no listener */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    int port = ntohs(a.sin_port);
    close(fd);
    transport *t = new_transport(port, false);
    result res = {0};
    transport_request rq = {.path = "/x", .no_retry = true, .on_done = on_done, .ud = &res};
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.done, 1);
    assert_int_equal(res.code, 0);
    assert_int_equal(res.kind, TRANSPORT_ERR_CONNECT);
    assert_true(strlen(res.error) > 0);
    assert_int_equal(res.attempts, 1);
    transport_free(t);
}

static int refreshes;
static bool refresh_token(void *ud, transport *t)
{
    (void)ud;
    refreshes++;
    transport_set_token(t, "fresh");
    return true;
}

static void test_401_refreshes_once(void **state)
{
    (void)state;
    const char *resp[] = {
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    };
    server s = server_start(resp, 2);
    char url[64], err[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
    transport_config cfg = {.server = url, .token = "old", .on_unauthorized = refresh_token};
    transport *t = transport_new(&cfg, err, sizeof err);
    result res = {0};
    transport_request rq = {.path = "/x", .on_done = on_done, .ud = &res};
    refreshes = 0;
    transport_submit(t, &rq);
    run_until(t, &res.done, 1, 5000);
    assert_int_equal(res.code, 401); /* refused again: reported, not retried forever */
    assert_int_equal(refreshes, 1);
    assert_int_equal(res.attempts, 2);
    transport_free(t);
    char *log = server_stop(&s);
    assert_non_null(strstr(log, "Bearer old"));
    assert_non_null(strstr(log, "Bearer fresh"));
    free(log);
}

static void test_invalid_requests(void **state)
{
    (void)state;
    transport *t = new_transport(1, false);
    result res = {0};
    transport_request bad[] = {
        {.path = "no-slash", .on_done = on_done, .ud = &res},
        {.path = "/a b", .on_done = on_done, .ud = &res},
        {.path = "/a\r\nX: y", .on_done = on_done, .ud = &res},
        {.method = "get", .path = "/a", .on_done = on_done, .ud = &res},
        {.method = "GET", .path = "/a", .body = "{}", .body_len = 2, .on_done = on_done, .ud = &res},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        transport_submit(t, &bad[i]);
    run_until(t, &res.done, 5, 2000);
    assert_int_equal(res.done, 5);
    assert_int_equal(res.kind, TRANSPORT_ERR_INVALID);
    assert_int_equal(transport_handed_count(t), 0);
    transport_free(t);
}

static void test_bad_server_urls(void **state)
{
    (void)state;
    char err[256];
    const char *bad[] = {"", "ftp://x", "https://", "https://a b:1", "localhost:6443"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        transport_config cfg = {.server = bad[i]};
        err[0] = '\0';
        assert_null(transport_new(&cfg, err, sizeof err));
        assert_true(strlen(err) > 0);
    }
    transport_config ok = {.server = "https://[::1]:6443/prefix/", .tls_server_name = "api.example"};
    transport *t = transport_new(&ok, err, sizeof err);
    assert_non_null(t);
    transport_free(t);
}

int main(void)
{
    /* the tests talk to 127.0.0.1: a proxy from the environment must not get in between */
    const char *proxies[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_ok),
        cmocka_unit_test(test_server_name_routing),
        cmocka_unit_test(test_proxy),
        cmocka_unit_test(test_retry_503_then_ok),
        cmocka_unit_test(test_no_retry_for_mutations),
        cmocka_unit_test(test_stream_lines),
        cmocka_unit_test(test_stream_error_body),
        cmocka_unit_test(test_cancel_from_line_callback),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_401_refreshes_once),
        cmocka_unit_test(test_invalid_requests),
        cmocka_unit_test(test_bad_server_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
