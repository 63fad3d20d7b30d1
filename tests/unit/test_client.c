/* Unit tests for client/client: API paths, freshness words, and the facade against a closed port
 * (first lists fail in words, nothing blocks). The integration tests (tests/integration/client_*.sh)
 * run it against hcpsim. Also the client's task list. */
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
#include <fcntl.h>
#include <sys/wait.h>
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

/* The kind table: one row per kind, in enum order, with the names the header, the counters and the
 * Events field selector use. */
static void test_kind_table(void **state)
{
    (void)state;
    static const char *const kinds[] = {"HostedCluster", "NodePool", "Pod", "PersistentVolumeClaim", "ConfigMap", "Event"};
    static const char *const labels[] = {"HC", "NP", "etcd", "PVC", "versions", "events"};
    static const char *const counters[] = {"hostedclusters", "nodepools", "etcd pods", "etcd pvcs",
                                           "supported-versions", "events"};
    assert_int_equal(RES_KIND_COUNT, 6);
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        const kind_info *ki = kind_info_of((res_kind)k);
        assert_non_null(ki);
        assert_int_equal(ki->kind, k);
        assert_string_equal(ki->name, kinds[k]);
        assert_string_equal(res_kind_name((res_kind)k), kinds[k]);
        assert_string_equal(ki->label, labels[k]);
        assert_string_equal(ki->counter, counters[k]);
        assert_non_null(ki->decode);
        assert_int_equal(RES_KIND_BIT(k) & RES_KIND_ALL, RES_KIND_BIT(k));
    }
    assert_null(kind_info_of(RES_KIND_COUNT));
    assert_null(kind_info_of((res_kind)-1));
    assert_string_equal(res_kind_name(RES_KIND_COUNT), "?");
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

/* ---- client tasks (client/task.h, client_task_add): stepped around every wait, their timeouts and
 * descriptors bound it, a finished task is freed once, client_close frees the rest ---------------- */

typedef struct probe {
    int steps;
    int frees;
    int timeout_ms;   /* what next_timeout_ms answers */
    int fd;           /* -1: none */
    int finish_after; /* > 0: step returns false at that step */
    bool saw_input;
} probe;

static bool probe_step(void *self)
{
    probe *p = self;
    p->steps++;
    if (p->fd >= 0) {
        char ch;
        if (read(p->fd, &ch, 1) == 1)
            p->saw_input = true;
    }
    return !(p->finish_after > 0 && p->steps >= p->finish_after);
}

static int probe_timeout(const void *self)
{
    return ((const probe *)self)->timeout_ms;
}

static size_t probe_fds(const void *self, int *out, size_t max)
{
    const probe *p = self;
    if (p->fd < 0 || max == 0)
        return 0;
    out[0] = p->fd;
    return 1;
}

static void probe_free(void *self)
{
    ((probe *)self)->frees++;
}

static const client_task_ops probe_ops = {
    .name = "probe", .step = probe_step, .next_timeout_ms = probe_timeout, .fds = probe_fds, .free = probe_free};

static client *open_client(kube_target *t)
{
    char err[256];
    client_options o = {.target = t, .read_only = true, .seed = 1};
    client *c = client_open(&o, err, sizeof err);
    assert_non_null(c);
    return c;
}

static void test_stepped_and_timeout_honoured(void **state)
{
    (void)state;
    kube_target *t = target_for("https://127.0.0.1:1");
    client *c = open_client(t);
    assert_int_equal(client_next_timeout_ms(c), -1); /* nothing started: only the network */
    probe p = {.timeout_ms = 80, .fd = -1};
    client_task_add(c, &probe_ops, &p);
    assert_int_equal(client_next_timeout_ms(c), 80);
    /* the caller asks for 5 s, the task needs a step in 80 ms: the wait ends at the task's time */
    int64_t start = now_ms_monotonic();
    assert_int_equal(client_poll(c, -1, 5000, NULL), 0);
    int64_t took = now_ms_monotonic() - start;
    assert_true(took >= 60 && took < 2000);
    assert_int_equal(p.steps, 2); /* before and after the wait */
    /* a task without a timer does not shorten the wait */
    p.timeout_ms = -1;
    assert_int_equal(client_next_timeout_ms(c), -1);
    start = now_ms_monotonic();
    assert_int_equal(client_poll(c, -1, 150, NULL), 0);
    assert_true(now_ms_monotonic() - start >= 120);
    assert_int_equal(p.steps, 4);
    client_close(c);
    assert_int_equal(p.frees, 1); /* client_close frees what is left */
    kube_target_free(t);
}

static void test_fd_wakes_and_finished_task_freed(void **state)
{
    (void)state;
    kube_target *t = target_for("https://127.0.0.1:1");
    client *c = open_client(t);
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    probe p = {.timeout_ms = -1, .fd = pfd[0], .finish_after = 4};
    probe q = {.timeout_ms = -1, .fd = -1};
    client_task_add(c, &probe_ops, &p);
    client_task_add(c, &probe_ops, &q);
    assert_int_equal(fcntl(pfd[0], F_SETFL, O_NONBLOCK), 0);
    /* a byte arrives 100 ms into the wait: the task's descriptor ends the wait, and the step reads it */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        usleep(100 * 1000);
        _exit(write(pfd[1], "x", 1) == 1 ? 0 : 1);
    }
    int64_t start = now_ms_monotonic();
    bool ready = true;
    assert_int_equal(client_poll(c, -1, 5000, &ready), 0);
    assert_true(now_ms_monotonic() - start < 2000);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_false(ready); /* no caller descriptor */
    assert_true(p.saw_input);
    /* the fourth step finishes p: it is freed once and stepped no more; q goes on */
    assert_int_equal(client_poll(c, -1, 0, NULL), 0);
    assert_int_equal(p.steps, 4);
    assert_int_equal(p.frees, 1);
    assert_int_equal(client_poll(c, -1, 0, NULL), 0);
    assert_int_equal(p.steps, 4);
    assert_int_equal(q.steps, 6);
    /* removing ends a task at once; removing it again finds nothing */
    assert_true(client_task_remove(c, &q));
    assert_int_equal(q.frees, 1);
    assert_false(client_task_remove(c, &q));
    assert_false(client_task_remove(c, &p));
    client_close(c);
    assert_int_equal(p.frees, 1);
    assert_int_equal(q.frees, 1);
    close(pfd[0]);
    close(pfd[1]);
    kube_target_free(t);
}

/* The list itself: order, additions during a step, removal from inside a step. */
typedef struct adder {
    task_list *l;
    probe *child;
    int steps;
} adder;

static bool adder_step(void *self)
{
    adder *a = self;
    a->steps++;
    if (a->steps == 1)
        task_list_add(a->l, &probe_ops, a->child); /* stepped from the next round on */
    if (a->steps == 2)
        assert_true(task_list_remove(a->l, a)); /* removes itself: freed after the round */
    return true;
}

static const client_task_ops adder_ops = {.name = "adder", .step = adder_step};

static void test_list_changes_during_step(void **state)
{
    (void)state;
    task_list l = TASK_LIST_INIT;
    probe child = {.timeout_ms = 30, .fd = -1};
    adder a = {.l = &l, .child = &child};
    task_list_add(&l, &adder_ops, &a);
    task_list_step(&l);
    assert_int_equal(a.steps, 1);
    assert_int_equal(child.steps, 0);
    assert_int_equal(task_list_count(&l), 2);
    assert_int_equal(task_list_next_timeout_ms(&l), 30);
    task_list_step(&l);
    assert_int_equal(a.steps, 2);
    assert_int_equal(child.steps, 1);
    assert_int_equal(task_list_count(&l), 1);
    task_list_step(&l);
    assert_int_equal(a.steps, 2);
    assert_int_equal(child.steps, 2);
    int fds[4];
    assert_int_equal(task_list_fds(&l, fds, 4), 0);
    task_list_free(&l);
    assert_int_equal(child.frees, 1);
    assert_int_equal(task_list_count(&l), 0);
}

int main(void)
{
    /* the tests talk to 127.0.0.1: a proxy from the environment must not get in between */
    const char *proxies[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_kind_table),
        cmocka_unit_test(test_freshness_words),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_stepped_and_timeout_honoured),
        cmocka_unit_test(test_fd_wakes_and_finished_task_freed),
        cmocka_unit_test(test_list_changes_during_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
