/* once_wait against the in-process simulator with faults: transient failures (503s among the
 * lists) are waited through, a lasting 503 fails at the timeout in words, a rejected token and a
 * refused connection fail at once, each with its once_read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "client/kubeconfig.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "sim/server.h"
#include "tui/once.h"

#define PANE_KINDS (RES_KIND_BIT(RES_HOSTEDCLUSTER) | RES_KIND_BIT(RES_NODEPOOL) | RES_KIND_BIT(RES_ETCD_POD))

typedef struct run {
    once_read result;
    char err[1024];
    int64_t elapsed_ms;
} run;

/* A client on kubeconfig text (context may be NULL), waited for with once_wait. */
static run wait_on(const char *kubeconfig, const char *context, int timeout_ms)
{
    run r = {0};
    kube_target *t = NULL;
    char err[512];
    assert_int_equal(kubeconfig_load_text(kubeconfig, strlen(kubeconfig), "<test>", context, NULL, &t, err, sizeof err),
                     0);
    client_options co = {.target = t, .read_only = true, .kinds = PANE_KINDS};
    client *c = client_open(&co, err, sizeof err);
    assert_non_null(c);
    client_start(c);
    int64_t start = now_ms_monotonic();
    r.result = once_wait(c, PANE_KINDS, 0, timeout_ms, r.err, sizeof r.err);
    r.elapsed_ms = now_ms_monotonic() - start;
    client_close(c);
    kube_target_free(t);
    return r;
}

static sim_server *start_sim(const char *faults, const char *request_log)
{
    char err[256];
    sim_server_config sc = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1, .tick_ms = 0, .faults = faults,
                            .request_log = request_log};
    sim_server *s = sim_server_start(&sc, err, sizeof err);
    if (!s)
        fail_msg("simulator: %s", err);
    return s;
}

static bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[2048];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void test_transient_503s_are_waited_through(void **state)
{
    (void)state;
    char log[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(log, sizeof log, "%s/hcptui-once-wait-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    close(fd);
    sim_server *s = start_sim("error=503@0.3,only=GET", log);
    run r = wait_on(sim_server_admin_kubeconfig(s), NULL, 30000);
    sim_server_stop(s);
    bool met_503 = file_has(log, " 503 ");
    unlink(log);
    if (r.result != ONCE_READ_OK)
        fail_msg("once_wait failed under transient faults: %s", r.err);
    assert_true(met_503); /* else the test proved nothing */
}

static void test_lasting_503_fails_at_the_timeout(void **state)
{
    (void)state;
    sim_server *s = start_sim("error=503@1", NULL);
    run r = wait_on(sim_server_admin_kubeconfig(s), NULL, 1500);
    sim_server_stop(s);
    assert_int_equal(r.result, ONCE_READ_FAILED);
    assert_true(r.elapsed_ms >= 1400); /* it waited: a 503 is worth retrying */
    assert_true(r.elapsed_ms < 5000);
    assert_non_null(strstr(r.err, "still failing after"));
    assert_non_null(strstr(r.err, "server error 503"));
    assert_non_null(strstr(r.err, "HostedCluster"));
}

static void test_rejected_token_fails_at_once(void **state)
{
    (void)state;
    sim_server *s = start_sim(NULL, NULL);
    /* the admin kubeconfig's token context, with a token the server does not know */
    buf kc = BUF_INIT;
    const char *yaml = sim_server_admin_kubeconfig(s);
    const char *tok = strstr(yaml, "token: ");
    assert_non_null(tok);
    buf_append(&kc, yaml, (size_t)(tok - yaml));
    buf_puts(&kc, "token: not-a-valid-token");
    buf_puts(&kc, strchr(tok, '\n'));
    run r = wait_on(buf_str(&kc), "hcpsim-token", 10000);
    buf_free(&kc);
    sim_server_stop(s);
    assert_int_equal(r.result, ONCE_READ_CREDENTIALS);
    assert_true(r.elapsed_ms < 5000);
}

static void test_refused_connection_fails_at_once(void **state)
{
    (void)state;
    sim_server *s = start_sim(NULL, NULL);
    char *yaml = xstrdup(sim_server_admin_kubeconfig(s));
    sim_server_stop(s); /* nothing listens on its port any more */
    run r = wait_on(yaml, NULL, 20000);
    free(yaml);
    assert_int_equal(r.result, ONCE_READ_FAILED);
    assert_true(r.elapsed_ms < 10000); /* not the whole timeout */
    assert_true(r.err[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transient_503s_are_waited_through),
        cmocka_unit_test(test_lasting_503_fails_at_the_timeout),
        cmocka_unit_test(test_rejected_token_fails_at_once),
        cmocka_unit_test(test_refused_connection_fails_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
