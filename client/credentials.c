/* Exec credential plugins and tokenFile refresh (see credentials.h).
 *
 * The plugin gets the kubeconfig's env entries and KUBERNETES_EXEC_INFO and runs as a subprocess
 * (no shell, time limit, killed with its children); its output is parsed as an ExecCredential here. */
#include "client/credentials.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "client/kubeconfig_entry.h" /* kc_vfail */
#include "client/subprocess.h"
#include "client/tlsinfo.h"
#include "common/buf.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"
#include "common/secret.h"
#include "common/timeutil.h"

extern char **environ;

#define STDERR_MAX (64 * 1024)

static int fail(const kube_target *t, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "kubeconfig ORIGIN: user \"u\": " + problem. Problems never quote credential values. */
static int fail(const kube_target *t, char *err, size_t errlen, const char *fmt, ...)
{
    char where[300];
    snprintf(where, sizeof where, "user \"%s\": ", t->user ? t->user : "");
    va_list ap;
    va_start(ap, fmt);
    kc_vfail(err, errlen, t->origin ? t->origin : "?", where, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- tokenFile ------------------------------------------------------------------------------ */

static bool token_file_changed(const kube_target *t)
{
    struct stat st;
    if (stat(t->token_file, &st) != 0)
        return true; /* let the read report the problem */
    return st.st_mtim.tv_sec != t->token_file_mtime || st.st_mtim.tv_nsec != t->token_file_mtime_ns ||
           (long long)st.st_size != t->token_file_size;
}

/* ---- exec: input ---------------------------------------------------------------------------- */

static char *b64_encode(const char *data, size_t len)
{
    if (len > (size_t)INT_MAX / 2)
        return xstrdup("");
    char *out = xmalloc((len + 2) / 3 * 4 + 1);
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data, (int)len);
    return out;
}

/* The ExecCredential the plugin receives in KUBERNETES_EXEC_INFO. */
static char *exec_info_json(const kube_target *t, bool interactive)
{
    cJSON *root = cJSON_CreateObject();
    json_set_str(root, "apiVersion", t->exec->api_version);
    json_set_str(root, "kind", "ExecCredential");
    cJSON *spec = json_obj_child(root, "spec");
    json_set_bool(spec, "interactive", interactive);
    if (t->exec->provide_cluster_info) {
        cJSON *cl = json_obj_child(spec, "cluster");
        json_set_str(cl, "server", t->server);
        if (t->tls_server_name)
            json_set_str(cl, "tls-server-name", t->tls_server_name);
        if (t->insecure_skip_tls_verify)
            json_set_bool(cl, "insecure-skip-tls-verify", true);
        if (t->ca_pem) {
            char *b64 = b64_encode(t->ca_pem, t->ca_pem_len);
            json_set_str(cl, "certificate-authority-data", b64);
            free(b64);
        }
        if (t->proxy_url)
            json_set_str(cl, "proxy-url", t->proxy_url);
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s)
        abort();
    return s;
}

static bool env_name_is(const char *kv, const char *name_eq)
{
    return strncmp(kv, name_eq, strcspn(name_eq, "=") + 1) == 0;
}

/* The process environment, minus names the kubeconfig sets, plus those and KUBERNETES_EXEC_INFO. */
static char **exec_envp(const kube_exec *x, const char *info_json)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **envp = xcalloc(n + x->nenv + 2, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool overridden = env_name_is(environ[i], "KUBERNETES_EXEC_INFO=");
        for (size_t j = 0; j < x->nenv && !overridden; j++)
            overridden = env_name_is(environ[i], x->env[j]);
        if (!overridden)
            envp[k++] = environ[i];
    }
    for (size_t j = 0; j < x->nenv; j++) {
        bool later = false; /* a name given twice: the last one wins, as with Go's os/exec */
        for (size_t j2 = j + 1; j2 < x->nenv && !later; j2++)
            later = env_name_is(x->env[j2], x->env[j]);
        if (!later)
            envp[k++] = x->env[j];
    }
    char *info = xasprintf("KUBERNETES_EXEC_INFO=%s", info_json);
    envp[k++] = info;
    envp[k] = NULL;
    return envp;
}

/* ---- exec: output --------------------------------------------------------------------------- */

typedef struct exec_result {
    char *token;
    char *cert, *key;
    size_t cert_len, key_len;
    time_t expiry;
    tls_cert_info info;
} exec_result;

static void exec_result_free(exec_result *res)
{
    secret_free(res->token, 0);
    free(res->cert);
    secret_free(res->key, 0);
}

/* Problems are phrases about the output; the output itself (it holds credentials) is never quoted. */
static int parse_exec_credential(const kube_exec *x, const char *text, size_t len, exec_result *res,
                                 char *why, size_t whylen)
{
    memset(res, 0, sizeof *res);
    cJSON *root = json_parse_len(text, len);
    int rc = -1;
    if (!root || !cJSON_IsObject(root)) {
        snprintf(why, whylen, "printed no valid ExecCredential JSON");
        goto done;
    }
    const char *api = json_str_at(root, "apiVersion", NULL);
    const char *kind = json_str_at(root, "kind", NULL);
    if (!api || strcmp(api, x->api_version) != 0) {
        snprintf(why, whylen, "returned a different apiVersion than %s", x->api_version);
        goto done;
    }
    if (kind && strcmp(kind, "ExecCredential") != 0) {
        snprintf(why, whylen, "returned a kind other than ExecCredential");
        goto done;
    }
    cJSON *status = json_at(root, "status", NULL);
    if (!cJSON_IsObject(status)) {
        snprintf(why, whylen, "returned no status");
        goto done;
    }
    const char *token = json_str_at(status, "token", NULL);
    const char *cert = json_str_at(status, "clientCertificateData", NULL);
    const char *key = json_str_at(status, "clientKeyData", NULL);
    const char *exp = json_str_at(status, "expirationTimestamp", NULL);
    if (token && !*token)
        token = NULL;
    if (cert && !*cert)
        cert = NULL;
    if (key && !*key)
        key = NULL;
    if (!token && !cert && !key) {
        snprintf(why, whylen, "returned neither a token nor a client certificate and key");
        goto done;
    }
    if (!cert != !key) {
        snprintf(why, whylen, "returned %s without %s", cert ? "clientCertificateData" : "clientKeyData",
                 cert ? "clientKeyData" : "clientCertificateData");
        goto done;
    }
    if (token && kube_has_control_chars(token, strlen(token))) {
        snprintf(why, whylen, "returned a token with control characters");
        goto done;
    }
    if (exp && !rfc3339_parse(exp, &res->expiry)) {
        snprintf(why, whylen, "returned an expirationTimestamp that is not RFC 3339");
        goto done;
    }
    if (cert) {
        char tlswhy[128];
        if (tls_check_client_pair(cert, strlen(cert), key, strlen(key), &res->info, tlswhy, sizeof tlswhy) < 0) {
            snprintf(why, whylen, "returned an unusable certificate: %s", tlswhy);
            goto done;
        }
        res->cert = xstrdup(cert);
        res->cert_len = strlen(cert);
        res->key = xstrdup(key);
        res->key_len = strlen(key);
    }
    if (token)
        res->token = xstrdup(token);
    rc = 0;
done:
    if (root) {
        /* The parsed tree holds the credential too. */
        char *p = (char *)json_str_at(root, "status", "token", NULL);
        if (p)
            secret_wipe(p, strlen(p));
        p = (char *)json_str_at(root, "status", "clientKeyData", NULL);
        if (p)
            secret_wipe(p, strlen(p));
        cJSON_Delete(root);
    }
    if (rc < 0)
        exec_result_free(res);
    return rc;
}

static void adopt_result(kube_target *t, exec_result *res)
{
    secret_free(t->token, 0);
    t->token = res->token;
    res->token = NULL;
    if (res->cert) {
        free(t->client_cert_pem);
        secret_free(t->client_key_pem, 0);
        t->client_cert_pem = res->cert;
        t->client_cert_pem_len = res->cert_len;
        t->client_key_pem = res->key;
        t->client_key_pem_len = res->key_len;
        res->cert = res->key = NULL;
        t->cert_not_after = res->info.not_after;
        free(t->cert_subject);
        t->cert_subject = xstrdup(res->info.subject);
    }
    t->token_expiry = res->expiry;
    t->exec_fetched = true;
}

/* ---- public --------------------------------------------------------------------------------- */

bool kube_credentials_stale(const kube_target *t, time_t now)
{
    if (!t->exec)
        return false;
    if (now == 0)
        now = time(NULL);
    if (t->exec_retry_at && now < t->exec_retry_at)
        return false;
    if (!t->exec_fetched)
        return true;
    return t->token_expiry != 0 && now >= t->token_expiry;
}

/* 10 s after the first failure, doubling, at most 5 min. */
static void note_exec_result(kube_target *t, bool ok, time_t now)
{
    if (ok) {
        t->exec_failures = 0;
        t->exec_retry_at = 0;
        return;
    }
    if (t->exec_failures < 16)
        t->exec_failures++;
    long wait = 10L << (t->exec_failures - 1);
    t->exec_retry_at = now + (wait > 300 ? 300 : wait);
}

bool kube_credentials_needs_terminal(const kube_target *t)
{
    return t->exec && t->exec->interactive_mode == KUBE_INTERACTIVE_ALWAYS;
}

/* What the tokenFile and exec parts of a refresh decide before anything runs. */
static int refresh_token_file(kube_target *t, const kube_refresh_opts *o, char *err, size_t errlen)
{
    if (!t->token_file || t->exec || !(o->force || token_file_changed(t)))
        return 0;
    char why[512];
    if (kube_read_token_file(t, why, sizeof why) < 0)
        return fail(t, err, errlen, "%s", why);
    return 0;
}

struct kube_refresh {
    kube_target *t;
    subprocess *proc;
    buf *log;
    time_t fixed_now;   /* the caller's clock (tests), 0 = time(NULL) */
    int timeout_ms;
    bool done;
    int rc;
    char err[512];      /* the outcome, for a step after the end */
};

static subprocess *spawn_plugin(kube_target *t, bool interactive, int timeout_ms, int *error_number)
{
    const kube_exec *x = t->exec;
    char *info = exec_info_json(t, interactive);
    char **envp = exec_envp(x, info);
    free(info);
    char **argv = xcalloc(x->nargs + 2, sizeof *argv);
    argv[0] = x->command;
    for (size_t i = 0; i < x->nargs; i++)
        argv[i + 1] = x->args[i];
    subprocess_opts so = {
        .command = x->command,
        .argv = argv,
        .envp = envp,
        .share_terminal = interactive,
        .timeout_ms = timeout_ms,
        .max_stdout = KUBE_EXEC_MAX_OUTPUT,
        .max_stderr = STDERR_MAX,
    };
    subprocess *p = subprocess_start(&so, error_number);
    /* posix_spawn has copied them. The last envp entry is our KUBERNETES_EXEC_INFO; others are borrowed. */
    size_t k = 0;
    while (envp[k])
        k++;
    free(envp[k - 1]);
    free(envp);
    free(argv);
    return p;
}

kube_refresh *kube_credentials_refresh_start(kube_target *t, const kube_refresh_opts *o, int *rc, char *err,
                                             size_t errlen)
{
    time_t now = o->now ? o->now : time(NULL);
    *rc = refresh_token_file(t, o, err, errlen);
    if (*rc < 0 || !t->exec)
        return NULL;
    const kube_exec *x = t->exec;
    if (!o->force && !kube_credentials_stale(t, now)) {
        if (!t->exec_fetched)
            *rc = fail(t, err, errlen, "exec plugin \"%s\" failed recently; next try in %lld s", x->command,
                       (long long)(t->exec_retry_at - now));
        return NULL;
    }
    /* Not the plugin's failure: no wait is started; the console can hand over the terminal. */
    if (x->interactive_mode == KUBE_INTERACTIVE_ALWAYS && !o->terminal_available) {
        *rc = fail(t, err, errlen, "exec plugin \"%s\" needs a terminal (interactiveMode Always), and none is "
                   "available", x->command);
        return NULL;
    }
    bool interactive = x->interactive_mode != KUBE_INTERACTIVE_NEVER && o->terminal_available;
    int timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : KUBE_EXEC_DEFAULT_TIMEOUT_MS;
    int e;
    subprocess *p = spawn_plugin(t, interactive, timeout_ms, &e);
    if (!p) {
        if (e == ENOENT)
            *rc = fail(t, err, errlen, "exec plugin \"%s\" not found%s%.300s", x->command,
                       x->install_hint ? ": " : "", x->install_hint ? x->install_hint : "");
        else
            *rc = fail(t, err, errlen, "exec plugin \"%s\" could not start: %s", x->command, strerror(e));
        note_exec_result(t, false, now);
        return NULL;
    }
    kube_refresh *r = xcalloc(1, sizeof *r);
    r->t = t;
    r->proc = p;
    r->log = o->log;
    r->fixed_now = o->now;
    r->timeout_ms = timeout_ms;
    *rc = 1;
    return r;
}

int kube_refresh_fds(const kube_refresh *r, int fds[2])
{
    return r->done ? 0 : subprocess_fds(r->proc, fds);
}

int kube_refresh_timeout_ms(const kube_refresh *r)
{
    return r->done ? 0 : subprocess_timeout_ms(r->proc);
}

/* Turns the finished plugin run into the new credential, or into one line of error. */
static int conclude(kube_refresh *r, const subprocess_result *res, char *err, size_t errlen)
{
    kube_target *t = r->t;
    const kube_exec *x = t->exec;
    if (r->log && res->err->len)
        buf_append(r->log, res->err->data, res->err->len);
    exec_result cred;
    char why[256];
    if (res->timed_out)
        return fail(t, err, errlen, "exec plugin \"%s\" did not finish within %d s and was killed", x->command,
                    r->timeout_ms / 1000);
    if (res->too_much_output)
        return fail(t, err, errlen, "exec plugin \"%s\" printed more than %d KiB and was killed", x->command,
                    KUBE_EXEC_MAX_OUTPUT / 1024);
    if (WIFSIGNALED(res->status))
        return fail(t, err, errlen, "exec plugin \"%s\" was killed by signal %d", x->command,
                    WTERMSIG(res->status));
    if (!WIFEXITED(res->status) || WEXITSTATUS(res->status) != 0)
        return fail(t, err, errlen, "exec plugin \"%s\" failed (exit status %d)", x->command,
                    WEXITSTATUS(res->status));
    if (parse_exec_credential(x, buf_str(res->out), res->out->len, &cred, why, sizeof why) < 0)
        return fail(t, err, errlen, "exec plugin \"%s\" %s", x->command, why);
    adopt_result(t, &cred);
    exec_result_free(&cred);
    return 0;
}

int kube_refresh_step(kube_refresh *r, char *err, size_t errlen)
{
    if (!r->done) {
        if (!subprocess_step(r->proc))
            return 1;
        r->rc = conclude(r, subprocess_result_get(r->proc), r->err, sizeof r->err);
        r->done = true;
        note_exec_result(r->t, r->rc == 0, r->fixed_now ? r->fixed_now : time(NULL));
    }
    if (r->rc < 0)
        set_err(err, errlen, "%s", r->err);
    return r->rc;
}

void kube_refresh_free(kube_refresh *r)
{
    if (!r)
        return;
    subprocess_free(r->proc);
    free(r);
}

int kube_credentials_refresh_opts(kube_target *t, const kube_refresh_opts *o, char *err, size_t errlen)
{
    int rc;
    kube_refresh *r = kube_credentials_refresh_start(t, o, &rc, err, errlen);
    if (!r)
        return rc;
    subprocess_wait(r->proc);
    rc = kube_refresh_step(r, err, errlen);
    kube_refresh_free(r);
    return rc;
}

int kube_credentials_refresh(kube_target *t, bool force, char *err, size_t errlen)
{
    kube_refresh_opts o = {.force = force};
    return kube_credentials_refresh_opts(t, &o, err, errlen);
}
