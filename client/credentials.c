/* Exec credential plugins and tokenFile refresh (see credentials.h).
 *
 * The plugin is started with posix_spawn (no shell, safe in a threaded process), gets the kubeconfig's
 * env entries and KUBERNETES_EXEC_INFO, and runs under a time limit in its own process group so that
 * a hung plugin and its children can be killed together. Only when it may use the terminal does it
 * stay in the console's process group (to be able to read the tty). */
#include "client/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "client/tlsinfo.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

extern char **environ;

#define TOKEN_FILE_MAX (1024 * 1024)
#define STDERR_MAX (64 * 1024)

static int fail(const kube_target *t, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "kubeconfig ORIGIN: user \"u\": " + problem. Problems never quote credential values. */
static int fail(const kube_target *t, char *err, size_t errlen, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "kubeconfig %s: user \"%s\": %s", t->origin ? t->origin : "?", t->user ? t->user : "",
             msg);
    return -1;
}

static void free_secret(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

/* ---- tokenFile ------------------------------------------------------------------------------ */

int kube_credentials_read_token_file(kube_target *t, char *err, size_t errlen)
{
    char *text;
    size_t len;
    struct stat st;
    int e = kube_read_file(t->token_file, TOKEN_FILE_MAX, &text, &len);
    if (e) {
        snprintf(err, errlen, "tokenFile %s: %s", t->token_file, e == EFBIG ? "file too large" : strerror(e));
        return -1;
    }
    char *token = kube_trimmed_dup(text, len);
    int rc = 0;
    if (!*token) {
        snprintf(err, errlen, "tokenFile %s is empty", t->token_file);
        rc = -1;
    } else if (kube_has_control_chars(token, strlen(token)) || strlen(text) != len) {
        snprintf(err, errlen, "tokenFile %s contains control characters or NUL bytes", t->token_file);
        rc = -1;
    } else {
        free_secret(t->token);
        t->token = token;
        token = NULL;
        if (stat(t->token_file, &st) == 0) {
            t->token_file_mtime = st.st_mtime;
            t->token_file_size = (long long)st.st_size;
        }
    }
    free_secret(token);
    explicit_bzero(text, len);
    free(text);
    return rc;
}

static bool token_file_changed(const kube_target *t)
{
    struct stat st;
    if (stat(t->token_file, &st) != 0)
        return true; /* let the read report the problem */
    return st.st_mtime != t->token_file_mtime || (long long)st.st_size != t->token_file_size;
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
    for (size_t j = 0; j < x->nenv; j++)
        envp[k++] = x->env[j];
    char *info = NULL;
    if (asprintf(&info, "KUBERNETES_EXEC_INFO=%s", info_json) < 0)
        abort();
    envp[k++] = info;
    envp[k] = NULL;
    return envp;
}

/* ---- exec: running -------------------------------------------------------------------------- */

typedef struct plugin_run {
    buf out;
    buf errtext;
    int status;           /* waitpid status */
    bool timed_out;
    bool too_much_output;
    int spawn_errno;
} plugin_run;

static void kill_plugin(pid_t pid, bool own_group)
{
    kill(own_group ? -pid : pid, SIGKILL);
}

/* Waits for exit until the deadline (the pipes may close before the process ends). */
static void reap(pid_t pid, bool own_group, int64_t deadline, plugin_run *r)
{
    for (;;) {
        pid_t w = waitpid(pid, &r->status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            return;
        if (now_ms_monotonic() >= deadline) {
            r->timed_out = true;
            kill_plugin(pid, own_group);
            while (waitpid(pid, &r->status, 0) < 0 && errno == EINTR)
                ;
            return;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* Reads stdout (and stderr when captured) until both close, the output cap or the deadline. */
static void pump(int out_fd, int err_fd, int64_t deadline, plugin_run *r)
{
    struct pollfd pfd[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    char chunk[4096];
    while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
        int64_t left = deadline - now_ms_monotonic();
        if (left <= 0) {
            r->timed_out = true;
            return;
        }
        int n = poll(pfd, 2, left > INT_MAX ? INT_MAX : (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return;
        for (int i = 0; i < 2; i++) {
            if (pfd[i].fd < 0 || !pfd[i].revents)
                continue;
            ssize_t got = read(pfd[i].fd, chunk, sizeof chunk);
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (got <= 0) {
                pfd[i].fd = -1;
                continue;
            }
            if (i == 0) {
                if (r->out.len + (size_t)got > KUBE_EXEC_MAX_OUTPUT) {
                    r->too_much_output = true;
                    return;
                }
                buf_append(&r->out, chunk, (size_t)got);
            } else if (r->errtext.len < STDERR_MAX) {
                size_t room = STDERR_MAX - r->errtext.len;
                buf_append(&r->errtext, chunk, (size_t)got < room ? (size_t)got : room);
            }
        }
    }
}

static void run_plugin(const kube_exec *x, char **envp, bool interactive, int timeout_ms, plugin_run *r)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1};
    if (pipe2(outp, O_CLOEXEC) < 0 || (!interactive && pipe2(errp, O_CLOEXEC) < 0)) {
        r->spawn_errno = errno;
        goto out;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, outp[1], STDOUT_FILENO);
    if (!interactive) {
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
    }
    /* The console may ignore SIGPIPE or block signals; the plugin starts clean. */
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGCHLD);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (!interactive) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attr, 0);
    }
    posix_spawnattr_setflags(&attr, flags);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);

    char **argv = xcalloc(x->nargs + 2, sizeof *argv);
    argv[0] = x->command;
    for (size_t i = 0; i < x->nargs; i++)
        argv[i + 1] = x->args[i];
    pid_t pid;
    int rc = strchr(x->command, '/') ? posix_spawn(&pid, x->command, &fa, &attr, argv, envp)
                                     : posix_spawnp(&pid, x->command, &fa, &attr, argv, envp);
    free(argv);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(outp[1]);
    outp[1] = -1;
    if (errp[1] >= 0) {
        close(errp[1]);
        errp[1] = -1;
    }
    if (rc != 0) {
        r->spawn_errno = rc;
        goto out;
    }
    int64_t deadline = now_ms_monotonic() + timeout_ms;
    pump(outp[0], errp[0], deadline, r);
    if (r->timed_out || r->too_much_output)
        kill_plugin(pid, !interactive);
    reap(pid, !interactive, deadline, r);
out:
    for (int i = 0; i < 2; i++) {
        if (outp[i] >= 0)
            close(outp[i]);
        if (errp[i] >= 0)
            close(errp[i]);
    }
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
    free_secret(res->token);
    free(res->cert);
    free_secret(res->key);
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
            explicit_bzero(p, strlen(p));
        p = (char *)json_str_at(root, "status", "clientKeyData", NULL);
        if (p)
            explicit_bzero(p, strlen(p));
        cJSON_Delete(root);
    }
    if (rc < 0)
        exec_result_free(res);
    return rc;
}

static void adopt_result(kube_target *t, exec_result *res)
{
    free_secret(t->token);
    t->token = res->token;
    res->token = NULL;
    if (res->cert) {
        free(t->client_cert_pem);
        free_secret(t->client_key_pem);
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

static int run_exec(kube_target *t, const kube_refresh_opts *o, char *err, size_t errlen)
{
    const kube_exec *x = t->exec;
    bool interactive = x->interactive_mode != KUBE_INTERACTIVE_NEVER && o->terminal_available;
    char *info = exec_info_json(t, interactive);
    char **envp = exec_envp(x, info);
    free(info);
    plugin_run r = {BUF_INIT, BUF_INIT, 0, false, false, 0};
    run_plugin(x, envp, interactive, o->timeout_ms > 0 ? o->timeout_ms : KUBE_EXEC_DEFAULT_TIMEOUT_MS, &r);
    /* The last entry is our KUBERNETES_EXEC_INFO string; the rest are borrowed. */
    size_t k = 0;
    while (envp[k])
        k++;
    free(envp[k - 1]);
    free(envp);
    if (o->log && r.errtext.len)
        buf_append(o->log, r.errtext.data, r.errtext.len);

    int rc = -1;
    exec_result res;
    char why[256];
    if (r.spawn_errno == ENOENT)
        fail(t, err, errlen, "exec plugin \"%s\" not found%s%.300s", x->command, x->install_hint ? ": " : "",
             x->install_hint ? x->install_hint : "");
    else if (r.spawn_errno)
        fail(t, err, errlen, "exec plugin \"%s\" could not start: %s", x->command, strerror(r.spawn_errno));
    else if (r.timed_out)
        fail(t, err, errlen, "exec plugin \"%s\" did not finish within %d s and was killed", x->command,
             (o->timeout_ms > 0 ? o->timeout_ms : KUBE_EXEC_DEFAULT_TIMEOUT_MS) / 1000);
    else if (r.too_much_output)
        fail(t, err, errlen, "exec plugin \"%s\" printed more than %d KiB and was killed", x->command,
             KUBE_EXEC_MAX_OUTPUT / 1024);
    else if (WIFSIGNALED(r.status))
        fail(t, err, errlen, "exec plugin \"%s\" was killed by signal %d", x->command, WTERMSIG(r.status));
    else if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
        fail(t, err, errlen, "exec plugin \"%s\" failed (exit status %d)", x->command, WEXITSTATUS(r.status));
    else if (parse_exec_credential(x, buf_str(&r.out), r.out.len, &res, why, sizeof why) < 0)
        fail(t, err, errlen, "exec plugin \"%s\" %s", x->command, why);
    else {
        adopt_result(t, &res);
        exec_result_free(&res);
        rc = 0;
    }
    if (r.out.data)
        explicit_bzero(r.out.data, r.out.len);
    buf_free(&r.out);
    buf_free(&r.errtext);
    return rc;
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

int kube_credentials_refresh_opts(kube_target *t, const kube_refresh_opts *o, char *err, size_t errlen)
{
    time_t now = o->now ? o->now : time(NULL);
    if (t->token_file && !t->exec && (o->force || token_file_changed(t))) {
        char why[512];
        if (kube_credentials_read_token_file(t, why, sizeof why) < 0)
            return fail(t, err, errlen, "%s", why);
    }
    if (!t->exec)
        return 0;
    if (o->force || kube_credentials_stale(t, now)) {
        /* Not the plugin's failure: no wait is started; the console can hand over the terminal. */
        if (t->exec->interactive_mode == KUBE_INTERACTIVE_ALWAYS && !o->terminal_available)
            return fail(t, err, errlen, "exec plugin \"%s\" needs a terminal (interactiveMode Always), and none "
                        "is available", t->exec->command);
        int rc = run_exec(t, o, err, errlen);
        note_exec_result(t, rc == 0, now);
        return rc;
    }
    if (!t->exec_fetched)
        return fail(t, err, errlen, "exec plugin \"%s\" failed recently; next try in %lld s", t->exec->command,
                    (long long)(t->exec_retry_at - now));
    return 0;
}

int kube_credentials_refresh(kube_target *t, bool force, char *err, size_t errlen)
{
    kube_refresh_opts o = {.force = force};
    return kube_credentials_refresh_opts(t, &o, err, errlen);
}
