/* Unit tests for client/credentials: exec credential plugins (a shell script written by the test acts
 * as the plugin), expiry caching, forced refresh, failures, time limit, and tokenFile re-reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "client/credentials.h"
#include "client/kubeconfig.h"
#include "client/subprocess.h"
#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "tests/fixtures/kubeconfig/testkit.h"

extern char **environ;

/* Counts its runs, records what it was given, then behaves as MODE says. */
static const char plugin_script[] =
    "#!/bin/sh\n"
    "d=\"$PLUGIN_DIR\"\n"
    "n=$(cat \"$d/count\" 2>/dev/null || echo 0)\n"
    "n=$((n + 1))\n"
    "echo \"$n\" > \"$d/count\"\n"
    "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$d/info.json\"\n"
    "printf '%s\\n' \"$@\" > \"$d/args\"\n"
    "echo \"plugin says hello on stderr\" >&2\n"
    "case \"$MODE\" in\n"
    "ok) printf '{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"s3cr3t-%s\","
    "\"expirationTimestamp\":\"%s\"}}\\n' \"$API\" \"$n\" \"$EXP\" ;;\n"
    "noexp) printf '{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"s3cr3t-%s\"}}' "
    "\"$API\" \"$n\" ;;\n"
    "file) cat \"$d/output.json\" ;;\n"
    "fail) echo \"login failed\" >&2; exit 3 ;;\n"
    "garbage) echo 's3cr3t-garbage {not json' ;;\n"
    "hang) sleep 30 ;;\n"
    "slow) sleep 0.3; printf '{\"apiVersion\":\"%s\",\"status\":{\"token\":\"s3cr3t-slow\"}}' \"$API\" ;;\n"
    "big) head -c 3000000 /dev/zero | tr '\\000' x ;;\n"
    "esac\n";

static struct {
    char *dir;
    char *plugin;
    char *cert_pem, *key_pem, *other_key_pem, *ca_pem;
} fx;

static int setup(void **state)
{
    (void)state;
    fx.dir = tk_tmpdir();
    fx.plugin = tk_writes(fx.dir, "plugin.sh", plugin_script);
    chmod(fx.plugin, 0700);
    EVP_PKEY *key = tk_key(), *other = tk_key();
    X509 *cert = tk_cert(key, NULL, NULL, "exec-user", "system:masters", -60, 3600, 0);
    fx.cert_pem = tk_cert_pem(cert);
    fx.ca_pem = tk_cert_pem(cert);
    fx.key_pem = tk_key_pem(key);
    fx.other_key_pem = tk_key_pem(other);
    X509_free(cert);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tk_rmtree(fx.dir);
    free(fx.dir);
    free(fx.plugin);
    free(fx.cert_pem);
    free(fx.key_pem);
    free(fx.other_key_pem);
    free(fx.ca_pem);
    return 0;
}

/* Each test starts with a fresh run counter. */
static int reset_count(void **state)
{
    (void)state;
    char *p = NULL;
    if (asprintf(&p, "%s/count", fx.dir) < 0)
        abort();
    unlink(p);
    free(p);
    return 0;
}

static int run_count(void)
{
    char *p = NULL, *text = NULL;
    size_t len;
    if (asprintf(&p, "%s/count", fx.dir) < 0)
        abort();
    int n = kube_read_file(p, 64, &text, &len) == 0 ? atoi(text) : 0;
    free(p);
    free(text);
    return n;
}

static cJSON *read_json(const char *name)
{
    char *p = NULL, *text = NULL;
    size_t len;
    if (asprintf(&p, "%s/%s", fx.dir, name) < 0)
        abort();
    assert_int_equal(kube_read_file(p, 1 << 20, &text, &len), 0);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    free(p);
    free(text);
    return j;
}

/* A target whose user runs the plugin; extra goes into the exec map (indented by 6). */
static kube_target *exec_target(const char *api, const char *mode, const char *exp, const char *extra)
{
    char *y = NULL;
    char *ca_b64 = tk_b64(fx.ca_pem);
    if (asprintf(&y,
                 "current-context: x\n"
                 "clusters:\n- name: c\n  cluster:\n    server: https://api.example:6443\n"
                 "    certificate-authority-data: %s\n    tls-server-name: api.internal\n"
                 "users:\n- name: u\n  user:\n    exec:\n      apiVersion: %s\n      command: %s\n"
                 "      args: [get-token, --cluster=x]\n"
                 "      env:\n      - {name: PLUGIN_DIR, value: '%s'}\n      - {name: MODE, value: %s}\n"
                 "      - {name: API, value: %s}\n      - {name: EXP, value: '%s'}\n%s"
                 "contexts:\n- name: x\n  context: {cluster: c, user: u}\n",
                 ca_b64, api, fx.plugin, fx.dir, mode, api, exp ? exp : "", extra ? extra : "") < 0)
        abort();
    kube_target *t = NULL;
    char err[512];
    if (kubeconfig_load_text(y, strlen(y), "exec.yaml", NULL, NULL, &t, err, sizeof err) < 0)
        fail_msg("load: %s", err);
    free(y);
    free(ca_b64);
    return t;
}

static void set_env(kube_target *t, const char *name, const char *value)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < t->exec->nenv; i++) {
        if (strncmp(t->exec->env[i], name, n) == 0 && t->exec->env[i][n] == '=') {
            free(t->exec->env[i]);
            if (asprintf(&t->exec->env[i], "%s=%s", name, value) < 0)
                abort();
            return;
        }
    }
    fail_msg("no env %s", name);
}

static void assert_no_secret(const char *err)
{
    assert_null(strstr(err, "s3cr3t"));
    assert_null(strstr(err, "PRIVATE KEY"));
}

static void test_exec_v1_cache_and_force(void **state)
{
    (void)state;
    kube_target *t = exec_target(KUBE_EXEC_API_V1, "fail", "2030-01-01T00:00:00Z", "      interactiveMode: Never\n");
    /* MODE given twice: the last one counts, as with kubectl. */
    t->exec->env = xrealloc(t->exec->env, (t->exec->nenv + 2) * sizeof *t->exec->env);
    t->exec->env[t->exec->nenv++] = xstrdup("MODE=ok");
    t->exec->env[t->exec->nenv] = NULL;
    time_t before, expiry;
    assert_true(rfc3339_parse("2029-12-31T23:00:00Z", &before));
    assert_true(rfc3339_parse("2030-01-01T00:00:00Z", &expiry));
    assert_true(kube_credentials_stale(t, before));
    assert_false(kube_credentials_needs_terminal(t));
    buf log = BUF_INIT;
    kube_refresh_opts o = {.now = before, .log = &log};
    char err[512];
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0);
    assert_string_equal(t->token, "s3cr3t-1");
    assert_int_equal(t->token_expiry, expiry);
    assert_true(t->exec_fetched);
    assert_int_equal(run_count(), 1);
    assert_non_null(strstr(buf_str(&log), "plugin says hello on stderr"));

    /* Cached until the expiry. */
    assert_false(kube_credentials_stale(t, before));
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0);
    assert_int_equal(run_count(), 1);
    assert_string_equal(t->token, "s3cr3t-1");
    /* Expired: runs again. */
    o.now = expiry;
    assert_true(kube_credentials_stale(t, expiry));
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0);
    assert_int_equal(run_count(), 2);
    assert_string_equal(t->token, "s3cr3t-2");
    /* Forced (after a 401) even though still valid. */
    o.now = before;
    o.force = true;
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0);
    assert_int_equal(run_count(), 3);
    assert_string_equal(t->token, "s3cr3t-3");

    /* What the plugin was given: args, env, and KUBERNETES_EXEC_INFO without cluster info. */
    cJSON *info = read_json("info.json");
    assert_string_equal(json_str_at(info, "apiVersion", NULL), KUBE_EXEC_API_V1);
    assert_string_equal(json_str_at(info, "kind", NULL), "ExecCredential");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(json_at(info, "spec", NULL), "interactive")));
    assert_null(json_at(info, "spec", "cluster", NULL));
    cJSON_Delete(info);
    char *p = NULL, *args = NULL;
    size_t len;
    if (asprintf(&p, "%s/args", fx.dir) < 0)
        abort();
    assert_int_equal(kube_read_file(p, 4096, &args, &len), 0);
    assert_string_equal(args, "get-token\n--cluster=x\n");
    free(p);
    free(args);
    buf_free(&log);
    kube_target_free(t);
}

static void test_exec_v1beta1_cluster_info_no_expiry(void **state)
{
    (void)state;
    kube_target *t = exec_target(KUBE_EXEC_API_V1BETA1, "noexp", NULL, "      provideClusterInfo: true\n");
    assert_int_equal(t->exec->interactive_mode, KUBE_INTERACTIVE_IF_AVAILABLE);
    char err[512];
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_string_equal(t->token, "s3cr3t-1");
    assert_int_equal(t->token_expiry, 0);
    /* No expiry: cached until forced. */
    assert_false(kube_credentials_stale(t, time(NULL) + 86400L * 3650));
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_int_equal(run_count(), 1);
    cJSON *info = read_json("info.json");
    assert_string_equal(json_str_at(info, "apiVersion", NULL), KUBE_EXEC_API_V1BETA1);
    assert_string_equal(json_str_at(info, "spec", "cluster", "server", NULL), "https://api.example:6443");
    assert_string_equal(json_str_at(info, "spec", "cluster", "tls-server-name", NULL), "api.internal");
    char *ca_b64 = tk_b64(fx.ca_pem);
    assert_string_equal(json_str_at(info, "spec", "cluster", "certificate-authority-data", NULL), ca_b64);
    free(ca_b64);
    cJSON_Delete(info);
    kube_target_free(t);
}

static void test_exec_failures_keep_previous(void **state)
{
    (void)state;
    kube_target *t = exec_target(KUBE_EXEC_API_V1, "noexp", NULL, "      interactiveMode: IfAvailable\n");
    char err[512];
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_string_equal(t->token, "s3cr3t-1");

    buf log = BUF_INIT;
    kube_refresh_opts o = {.force = true, .log = &log};
    set_env(t, "MODE", "fail");
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "kubeconfig exec.yaml: user \"u\": exec plugin \""));
    assert_non_null(strstr(err, "failed (exit status 3)"));
    assert_non_null(strstr(buf_str(&log), "login failed"));
    assert_string_equal(t->token, "s3cr3t-1"); /* the previous credential stays */
    assert_no_secret(err);

    set_env(t, "MODE", "garbage");
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "printed no valid ExecCredential JSON"));
    assert_no_secret(err);

    set_env(t, "API", "client.authentication.k8s.io/v1alpha1");
    set_env(t, "MODE", "noexp");
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "returned a different apiVersion than client.authentication.k8s.io/v1"));
    assert_no_secret(err);
    set_env(t, "API", KUBE_EXEC_API_V1);

    set_env(t, "MODE", "big");
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "printed more than 1024 KiB and was killed"));

    /* A failing plugin is not re-run by a non-forced refresh for a while (10 s, then 20 s, ...). */
    time_t now = time(NULL);
    o.force = false;
    o.now = now;
    t->token_expiry = now - 1; /* the held credential has expired */
    assert_false(kube_credentials_stale(t, now));
    assert_false(kube_credentials_stale(t, now + 5));
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0); /* nothing to do yet */
    int runs = run_count();
    o.now = now + 400; /* well past the wait: runs (and fails) again */
    assert_true(kube_credentials_stale(t, o.now));
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), -1);
    assert_int_equal(run_count(), runs + 1);
    assert_int_equal(t->exec_retry_at - o.now, 160); /* 5th failure in a row */
    o.force = true;
    o.now = 0;

    set_env(t, "MODE", "hang");
    o.timeout_ms = 300;
    int64_t start = now_ms_monotonic();
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), -1);
    assert_true(now_ms_monotonic() - start < 5000);
    assert_non_null(strstr(err, "did not finish within 0 s and was killed"));
    assert_string_equal(t->token, "s3cr3t-1");
    assert_in_range(t->exec_retry_at - time(NULL), 295, 300); /* 6th: capped at 5 min */
    /* Success clears the wait. */
    set_env(t, "MODE", "noexp");
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0);
    assert_int_equal(t->exec_failures, 0);
    assert_int_equal(t->exec_retry_at, 0);
    buf_free(&log);
    kube_target_free(t);
}

/* Writes output.json for MODE=file from a cJSON status object. */
static void plugin_output(cJSON *status)
{
    cJSON *root = cJSON_CreateObject();
    json_set_str(root, "apiVersion", KUBE_EXEC_API_V1);
    json_set_str(root, "kind", "ExecCredential");
    json_set_item(root, "status", status);
    char *s = cJSON_PrintUnformatted(root);
    free(tk_writes(fx.dir, "output.json", s));
    free(s);
    cJSON_Delete(root);
}

static void test_exec_output_forms(void **state)
{
    (void)state;
    kube_target *t = exec_target(KUBE_EXEC_API_V1, "file", NULL, "      interactiveMode: Never\n");
    char err[512];
    cJSON *st = cJSON_CreateObject();
    json_set_str(st, "clientCertificateData", fx.cert_pem);
    json_set_str(st, "clientKeyData", fx.key_pem);
    json_set_str(st, "expirationTimestamp", "2031-02-03T04:05:06Z");
    plugin_output(st);
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_string_equal(t->client_cert_pem, fx.cert_pem);
    assert_string_equal(t->client_key_pem, fx.key_pem);
    assert_int_equal(t->client_key_pem_len, strlen(fx.key_pem));
    assert_string_equal(t->cert_subject, "CN=exec-user,O=system:masters");
    assert_true(t->cert_not_after > time(NULL));
    assert_null(t->token);

    static const struct {
        const char *json, *want;
    } bad[] = {
        {"{\"token\":\"\"}", "returned neither a token nor a client certificate and key"},
        {"{\"token\":\"s3cr3t-x\",\"expirationTimestamp\":\"tomorrow\"}", "expirationTimestamp that is not RFC 3339"},
        {"{\"token\":\"s3cr3t-\\r\\nX: y\"}", "returned a token with control characters"},
        {"{\"clientKeyData\":\"s3cr3t\"}", "returned clientKeyData without clientCertificateData"},
        {"[]", "returned no status"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        plugin_output(cJSON_Parse(bad[i].json));
        if (kube_credentials_refresh(t, true, err, sizeof err) != -1 || !strstr(err, bad[i].want))
            fail_msg("case %zu: wanted \"%s\", got \"%s\"", i, bad[i].want, err);
        assert_no_secret(err);
    }
    st = cJSON_CreateObject();
    json_set_str(st, "clientCertificateData", fx.cert_pem);
    json_set_str(st, "clientKeyData", fx.other_key_pem);
    plugin_output(st);
    assert_int_equal(kube_credentials_refresh(t, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "returned an unusable certificate: client key does not match the client certificate"));
    assert_no_secret(err);
    assert_string_equal(t->client_key_pem, fx.key_pem); /* unchanged */
    kube_target_free(t);
}

static void test_exec_terminal_and_missing(void **state)
{
    (void)state;
    kube_target *t = exec_target(KUBE_EXEC_API_V1, "ok", "2099-01-01T00:00:00Z", "      interactiveMode: Always\n");
    assert_true(kube_credentials_needs_terminal(t));
    char err[512];
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "needs a terminal (interactiveMode Always)"));
    assert_int_equal(run_count(), 0);
    /* With the terminal handed over, the plugin is told it is interactive. */
    kube_refresh_opts o = {.terminal_available = true};
    assert_int_equal(kube_credentials_refresh_opts(t, &o, err, sizeof err), 0);
    cJSON *info = read_json("info.json");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(json_at(info, "spec", NULL), "interactive")));
    cJSON_Delete(info);
    kube_target_free(t);

    const char *y = "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
                    "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                    "      command: hcptui-test-no-such-plugin\n      interactiveMode: Never\n"
                    "      installHint: 'Install it with: dnf install the-plugin'\n"
                    "contexts:\n- name: x\n  context: {cluster: c, user: u}\n";
    assert_int_equal(kubeconfig_load_text(y, strlen(y), "exec.yaml", NULL, NULL, &t, err, sizeof err), 0);
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), -1);
    assert_string_equal(err, "kubeconfig exec.yaml: user \"u\": exec plugin \"hcptui-test-no-such-plugin\" not found: "
                             "Install it with: dnf install the-plugin");
    /* No credential and the wait is on: says so instead of running it again. */
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "failed recently; next try in 1"));
    kube_target_free(t);
}

/* A command with a '/' in a kubeconfig file is relative to that file's folder. */
static void test_exec_relative_command(void **state)
{
    (void)state;
    char *y = NULL;
    if (asprintf(&y, "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
                     "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                     "      command: ./plugin.sh\n      env: [{name: PLUGIN_DIR, value: '%s'}, {name: MODE, value: noexp},"
                     " {name: API, value: client.authentication.k8s.io/v1beta1}]\n"
                     "contexts:\n- name: x\n  context: {cluster: c, user: u}\n",
                 fx.dir) < 0)
        abort();
    char *path = tk_writes(fx.dir, "kubeconfig", y);
    kube_load_opts lo = {.explicit_path = path};
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_resolve(&lo, &t, err, sizeof err), 0);
    assert_string_equal(t->exec->command, fx.plugin);
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_string_equal(t->token, "s3cr3t-1");
    kube_target_free(t);
    free(path);
    free(y);
}

static void test_token_file_reread(void **state)
{
    (void)state;
    char *tok = tk_writes(fx.dir, "sa-token", "first-token\n");
    char *y = NULL;
    if (asprintf(&y, "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://h'}\n"
                     "users:\n- name: u\n  user: {tokenFile: '%s'}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n",
                 tok) < 0)
        abort();
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_load_text(y, strlen(y), "tf.yaml", NULL, NULL, &t, err, sizeof err), 0);
    assert_string_equal(t->token, "first-token");
    assert_false(kube_credentials_stale(t, 0));
    /* Rotated (another size): picked up without force. */
    free(tk_writes(fx.dir, "sa-token", "the-second-token"));
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_string_equal(t->token, "the-second-token");
    /* Same size, same second: the nanoseconds of the change time tell. */
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    free(tk_writes(fx.dir, "sa-token", "the-second-tokeN"));
    assert_int_equal(kube_credentials_refresh(t, false, err, sizeof err), 0);
    assert_string_equal(t->token, "the-second-tokeN");
    /* An emptied file is an error and the token stays. */
    free(tk_writes(fx.dir, "sa-token", "\n"));
    assert_int_equal(kube_credentials_refresh(t, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "is empty"));
    assert_string_equal(t->token, "the-second-tokeN");
    unlink(tok);
    assert_int_equal(kube_credentials_refresh(t, true, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
    assert_null(strstr(err, "second"));
    kube_target_free(t);
    free(tok);
    free(y);
}

/* The non-blocking form: start returns at once, the loop polls the descriptors and steps. */
static void test_refresh_without_blocking(void **state)
{
    (void)state;
    kube_target *t = exec_target(KUBE_EXEC_API_V1, "slow", NULL, "      interactiveMode: Never\n");
    kube_refresh_opts o = {0};
    char err[512];
    int rc;
    int64_t start = now_ms_monotonic();
    kube_refresh *r = kube_credentials_refresh_start(t, &o, &rc, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(rc, 1);
    assert_true(now_ms_monotonic() - start < 200);
    assert_int_equal(kube_refresh_step(r, err, sizeof err), 1); /* still sleeping */
    assert_null(t->token);
    int steps = 0;
    while ((rc = kube_refresh_step(r, err, sizeof err)) == 1) {
        int fds[2];
        int n = kube_refresh_fds(r, fds);
        struct pollfd pfd[2];
        for (int i = 0; i < n; i++)
            pfd[i] = (struct pollfd){fds[i], POLLIN, 0};
        int timeout = kube_refresh_timeout_ms(r);
        assert_true(timeout >= 0 && timeout <= KUBE_EXEC_DEFAULT_TIMEOUT_MS);
        poll(pfd, (nfds_t)n, timeout);
        assert_true(++steps < 1000);
    }
    assert_int_equal(rc, 0);
    assert_string_equal(t->token, "s3cr3t-slow");
    assert_int_equal(kube_refresh_step(r, err, sizeof err), 0); /* stays done */
    kube_refresh_free(r);

    /* Nothing to do: no job. */
    assert_null(kube_credentials_refresh_start(t, &o, &rc, err, sizeof err));
    assert_int_equal(rc, 0);

    /* Cancelling a running plugin kills it at once. */
    set_env(t, "MODE", "hang");
    o.force = true;
    r = kube_credentials_refresh_start(t, &o, &rc, err, sizeof err);
    assert_non_null(r);
    start = now_ms_monotonic();
    kube_refresh_free(r);
    assert_true(now_ms_monotonic() - start < 1000);
    assert_string_equal(t->token, "s3cr3t-slow");
    kube_target_free(t);
}

/* The subprocess runner on its own: exit status, stderr cap, children killed with it, ENOENT. */
static void test_subprocess(void **state)
{
    (void)state;
    char *const fail_argv[] = {"sh", "-c", "printf out; head -c 100000 /dev/zero >&2; exit 7", NULL};
    subprocess_opts o = {.command = "sh", .argv = fail_argv, .envp = environ, .timeout_ms = 5000,
                         .max_stdout = 1024, .max_stderr = 100};
    int e;
    subprocess *p = subprocess_start(&o, &e);
    assert_non_null(p);
    assert_null(subprocess_result_get(p));
    subprocess_wait(p);
    const subprocess_result *r = subprocess_result_get(p);
    assert_non_null(r);
    assert_true(WIFEXITED(r->status));
    assert_int_equal(WEXITSTATUS(r->status), 7);
    assert_string_equal(buf_str(r->out), "out");
    assert_int_equal(r->err->len, 100);
    assert_false(r->timed_out);
    subprocess_free(p);

    /* A child that keeps the pipe open past the limit: the whole group is killed. */
    char *const bg_argv[] = {"sh", "-c", "sleep 30 & sleep 30", NULL};
    o.argv = bg_argv;
    o.timeout_ms = 200;
    int64_t start = now_ms_monotonic();
    p = subprocess_start(&o, &e);
    assert_non_null(p);
    subprocess_wait(p);
    assert_true(now_ms_monotonic() - start < 3000);
    assert_true(subprocess_result_get(p)->timed_out);
    subprocess_free(p);

    char *const none_argv[] = {"hcptui-test-no-such-program", NULL};
    o.command = none_argv[0];
    o.argv = none_argv;
    assert_null(subprocess_start(&o, &e));
    assert_int_equal(e, ENOENT);
    subprocess_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exec_v1_cache_and_force, reset_count),
        cmocka_unit_test_setup(test_exec_v1beta1_cluster_info_no_expiry, reset_count),
        cmocka_unit_test_setup(test_exec_failures_keep_previous, reset_count),
        cmocka_unit_test_setup(test_exec_output_forms, reset_count),
        cmocka_unit_test_setup(test_exec_terminal_and_missing, reset_count),
        cmocka_unit_test_setup(test_exec_relative_command, reset_count),
        cmocka_unit_test_setup(test_token_file_reread, reset_count),
        cmocka_unit_test_setup(test_refresh_without_blocking, reset_count),
        cmocka_unit_test(test_subprocess),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
