/* Unit tests for client/client with an exec credential plugin that is slow or fails, against an
 * in-process simulator: while the plugin runs, client_poll keeps returning within its timeout (keys
 * keep being answered), requests wait for the new credential, a credential about to expire is renewed
 * in the background, and a failing plugin is reported in the freshness words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "sim/server.h"

#define PLUGIN_SLOW_S 3

typedef struct fixture {
    sim_server *sim;
    char dir[64];
    char *good_token; /* the simulator's admin bearer token */
} fixture;

static int setup(void **state)
{
    fixture *f = xcalloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/hcptui-exec.XXXXXX", tmp && *tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    sim_server_config cfg = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1};
    char err[512];
    f->sim = sim_server_start(&cfg, err, sizeof err);
    if (!f->sim) {
        print_error("simulator: %s\n", err);
        return -1;
    }
    const char *kc = sim_server_admin_kubeconfig(f->sim);
    kube_target *t = NULL;
    if (kubeconfig_load_text(kc, strlen(kc), "<sim>", "hcpsim-token", NULL, &t, err, sizeof err) != 0 || !t->token) {
        print_error("admin kubeconfig: %s\n", err);
        return -1;
    }
    f->good_token = xstrdup(t->token);
    kube_target_free(t);
    *state = f;
    return 0;
}

static void remove_in(const char *dir, const char *name)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    unlink(p);
}

static int teardown(void **state)
{
    fixture *f = *state;
    sim_server_stop(f->sim);
    remove_in(f->dir, "plugin.sh");
    remove_in(f->dir, "calls");
    rmdir(f->dir);
    free(f->good_token);
    free(f);
    return 0;
}

typedef enum plugin_mode {
    PLUGIN_SLOW,    /* first run: a token the server refuses; later runs: PLUGIN_SLOW_S s, the good token */
    PLUGIN_FAILS,   /* first run: a refused token; later runs: 1 s, then exit 1 with words on stderr */
    PLUGIN_EXPIRES, /* first run: the good token, expiring in 2 s; later runs: PLUGIN_SLOW_S s, good, no expiry */
} plugin_mode;

static kube_target *exec_target(fixture *f, plugin_mode mode)
{
    char path[128];
    snprintf(path, sizeof path, "%s/plugin.sh", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    char expiry[80] = "";
    if (mode == PLUGIN_EXPIRES) {
        char when[21];
        rfc3339_format(time(NULL) + 2, when);
        snprintf(expiry, sizeof expiry, ",\"expirationTimestamp\":\"%s\"", when);
    }
    fprintf(fp,
            "#!/bin/sh\n"
            "n=$(cat '%s/calls' 2>/dev/null || echo 0)\n"
            "n=$((n + 1))\n"
            "echo $n >'%s/calls'\n"
            "tok='%s'\n"
            "exp='%s'\n"
            "if [ $n -gt 1 ]; then\n"
            "  sleep %d\n"
            "  %s\n"
            "  tok='%s'\n"
            "  exp=''\n"
            "fi\n"
            "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"%%s\"%%s}}\\n' \"$tok\" \"$exp\"\n",
            f->dir, f->dir, mode == PLUGIN_EXPIRES ? f->good_token : "stale-token", expiry,
            mode == PLUGIN_FAILS ? 1 : PLUGIN_SLOW_S,
            mode == PLUGIN_FAILS ? "echo 'login session expired' >&2; exit 1" : ":", f->good_token);
    fclose(fp);
    chmod(path, 0700);
    buf y = BUF_INIT;
    buf_printf(&y,
               "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: %s\n"
               "    insecure-skip-tls-verify: true\nusers:\n- name: sso\n  user:\n    exec:\n"
               "      apiVersion: client.authentication.k8s.io/v1\n      command: %s\n"
               "      interactiveMode: Never\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n"
               "    user: sso\ncurrent-context: sim\n",
               sim_server_url(f->sim), path);
    kube_target *t = NULL;
    char err[512];
    if (kubeconfig_load_text(buf_str(&y), y.len, "<test>", NULL, NULL, &t, err, sizeof err) != 0)
        fail_msg("exec kubeconfig: %s", err);
    buf_free(&y);
    return t;
}

static int plugin_calls(const fixture *f)
{
    char p[128];
    snprintf(p, sizeof p, "%s/calls", f->dir);
    FILE *fp = fopen(p, "r");
    int n = 0;
    if (fp) {
        if (fscanf(fp, "%d", &n) != 1)
            n = 0;
        fclose(fp);
    }
    return n;
}

static bool hc_live(client *c)
{
    client_freshness fr;
    return client_freshness_get(c, RES_HOSTEDCLUSTER, &fr) && fr.state == FRESH_LIVE;
}

static bool all_live(client *c)
{
    for (int k = 0; k < RES_EVENT; k++) {
        client_freshness fr;
        if (!client_freshness_get(c, (res_kind)k, &fr) || fr.state != FRESH_LIVE)
            return false;
    }
    return true;
}

static void test_slow_plugin_does_not_block(void **state)
{
    fixture *f = *state;
    kube_target *t = exec_target(f, PLUGIN_SLOW);
    client_options o = {.target = t, .seed = 5};
    char err[512];
    client *c = client_open(&o, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(plugin_calls(f), 1);
    client_start(c);

    /* a "keyboard": a pipe the test writes to while the plugin sleeps */
    int keys[2];
    assert_int_equal(pipe(keys), 0);
    int64_t start = now_ms_monotonic(), slowest = 0, plugin_seen_ms = -1;
    bool key_sent = false, key_answered = false;
    while (!all_live(c) && now_ms_monotonic() - start < 15000) {
        if (plugin_calls(f) >= 2 && plugin_seen_ms < 0)
            plugin_seen_ms = now_ms_monotonic();
        if (plugin_seen_ms >= 0 && !key_sent && now_ms_monotonic() - plugin_seen_ms > 1000) {
            assert_int_equal(write(keys[1], "j", 1), 1);
            key_sent = true;
        }
        bool ready = false;
        int64_t t0 = now_ms_monotonic();
        assert_int_equal(client_poll(c, keys[0], 100, &ready), 0);
        int64_t took = now_ms_monotonic() - t0;
        if (took > slowest)
            slowest = took;
        if (ready) {
            char k;
            assert_int_equal(read(keys[0], &k, 1), 1);
            key_answered = plugin_calls(f) == 2 && !hc_live(c); /* answered while the plugin ran */
        }
    }
    int64_t total = now_ms_monotonic() - start;
    close(keys[0]);
    close(keys[1]);
    assert_true(all_live(c));
    assert_int_equal(plugin_calls(f), 2); /* once at open, once after the 401 */
    assert_true(plugin_seen_ms >= 0);
    assert_true(total >= PLUGIN_SLOW_S * 1000 - 500); /* the lists did wait for the new credential */
    if (slowest > 1000)
        fail_msg("client_poll(timeout 100 ms) took %lld ms while the plugin ran", (long long)slowest);
    assert_true(key_answered);
    assert_true(store_count(client_store(c), RES_HOSTEDCLUSTER) > 0);
    char words[256];
    client_freshness fr;
    client_freshness_get(c, RES_NODEPOOL, &fr);
    client_freshness_text(&fr, now_ms_monotonic(), words, sizeof words);
    assert_string_equal(words, "live");
    client_close(c);
    kube_target_free(t);
}

static void test_failing_plugin_in_words(void **state)
{
    fixture *f = *state;
    kube_target *t = exec_target(f, PLUGIN_FAILS);
    client_options o = {.target = t, .seed = 6};
    char err[512];
    client *c = client_open(&o, err, sizeof err);
    assert_non_null(c);
    client_start(c);
    client_freshness fr = {0};
    int64_t start = now_ms_monotonic();
    while (now_ms_monotonic() - start < 15000) {
        assert_int_equal(client_poll(c, -1, 100, NULL), 0);
        client_freshness_get(c, RES_HOSTEDCLUSTER, &fr);
        if (fr.state == FRESH_ERROR && strstr(fr.detail, "credential plugin failed"))
            break;
    }
    char words[512];
    client_freshness_text(&fr, now_ms_monotonic(), words, sizeof words);
    if (!strstr(words, "error: credential plugin failed: ") || !strstr(words, "exit status 1"))
        fail_msg("freshness reads \"%s\"", words);
    /* the failing plugin ran once more after the 401, and is not re-run on every retry */
    int calls = plugin_calls(f);
    assert_int_equal(calls, 2);
    start = now_ms_monotonic();
    while (now_ms_monotonic() - start < 2000)
        client_poll(c, -1, 100, NULL);
    assert_int_equal(plugin_calls(f), 2);
    assert_int_equal(client_wait_initial(c, 1000, err, sizeof err), -1);
    client_close(c);
    kube_target_free(t);
}

/* An expiring credential is renewed in the background: the loop keeps answering while the plugin
 * runs, and the kinds stay live. */
static void test_expiring_credential_renewed(void **state)
{
    fixture *f = *state;
    kube_target *t = exec_target(f, PLUGIN_EXPIRES);
    assert_int_equal(t->auth, KUBE_AUTH_EXEC);
    client_options o = {.target = t, .seed = 7};
    char err[512];
    client *c = client_open(&o, err, sizeof err);
    assert_non_null(c);
    assert_true(t->token_expiry != 0);
    client_start(c);
    int64_t start = now_ms_monotonic(), slowest = 0;
    while (!(plugin_calls(f) == 2 && t->token_expiry == 0) && now_ms_monotonic() - start < 15000) {
        int64_t t0 = now_ms_monotonic();
        assert_int_equal(client_poll(c, -1, 100, NULL), 0);
        int64_t took = now_ms_monotonic() - t0;
        if (took > slowest)
            slowest = took;
    }
    assert_int_equal(plugin_calls(f), 2);
    assert_int_equal(t->token_expiry, 0); /* the renewed credential, without expiry */
    if (slowest > 1000)
        fail_msg("client_poll(timeout 100 ms) took %lld ms while the plugin ran", (long long)slowest);
    start = now_ms_monotonic();
    while (!all_live(c) && now_ms_monotonic() - start < 5000)
        client_poll(c, -1, 100, NULL);
    assert_true(all_live(c));
    assert_int_equal(plugin_calls(f), 2);
    client_close(c);
    kube_target_free(t);
}

int main(void)
{
    const char *proxies[] = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_slow_plugin_does_not_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_plugin_in_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiring_credential_renewed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
