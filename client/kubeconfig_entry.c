/* Decoding one kubeconfig entry (cluster, user, context) into a kube_target: strict types with line
 * numbers in messages, base64 and PEM checks, relative paths against the defining file's folder, exec
 * plugin configuration. Values may be credentials: messages name fields, never values. */
#include "client/kubeconfig_entry.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/evp.h>

#include "client/credentials.h"
#include "client/tlsinfo.h"
#include "common/buf.h"
#include "common/errfmt.h"
#include "common/secret.h"

int kc_vfail(char *err, size_t errlen, const char *file, const char *where, const char *fmt, va_list ap)
{
    char *msg = xvasprintf(fmt, ap);
    set_err(err, errlen, "kubeconfig %s: %s%s", file, where ? where : "", msg);
    free(msg);
    return -1;
}

int kc_fail(char *err, size_t errlen, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kc_vfail(err, errlen, file, NULL, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- field decoding ------------------------------------------------------------------------- */

/* Where a field lives, for messages: the file and "cluster \"c\"" / "user \"u\"". */
typedef struct field_ctx {
    const kc_file *file;
    char what[160];
    char *err;
    size_t errlen;
} field_ctx;

static int field_fail(field_ctx *fc, const ky_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int field_fail(field_ctx *fc, const ky_node *at, const char *fmt, ...)
{
    char where[200];
    if (at)
        snprintf(where, sizeof where, "line %d: %s: ", at->line, fc->what);
    else
        snprintf(where, sizeof where, "%s: ", fc->what);
    va_list ap;
    va_start(ap, fmt);
    kc_vfail(fc->err, fc->errlen, fc->file->path, where, fmt, ap);
    va_end(ap);
    return -1;
}

/* A string field: *out NULL when absent or null. Values may be secrets: never print them. */
static int get_str(field_ctx *fc, const ky_node *map, const char *key, const ky_node **out)
{
    const ky_node *v = ky_get(map, key);
    *out = NULL;
    if (ky_is_null(v))
        return 0;
    if (v->type != KY_SCALAR)
        return field_fail(fc, v, "%s must be a string, got %s", key, ky_type_name(v));
    *out = v;
    return 0;
}

/* Strings that go into URLs or headers must be free of NULs and control characters. */
static int get_clean_str(field_ctx *fc, const ky_node *map, const char *key, char **out)
{
    const ky_node *v;
    *out = NULL;
    if (get_str(fc, map, key, &v) < 0)
        return -1;
    if (!v || v->len == 0)
        return 0;
    if (kube_has_control_chars(v->str, v->len))
        return field_fail(fc, v, "%s contains control characters or NUL bytes", key);
    *out = xstrndup(v->str, v->len);
    return 0;
}

static int get_bool(field_ctx *fc, const ky_node *map, const char *key, bool *out)
{
    const ky_node *v = ky_get(map, key);
    *out = false;
    if (ky_is_null(v))
        return 0;
    if (!ky_bool(v, out))
        return field_fail(fc, v, "%s must be true or false", key);
    return 0;
}

static bool is_b64_char(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' ||
           ch == '/';
}

static bool is_b64_space(unsigned char ch)
{
    return ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t';
}

/* Strict base64 (standard alphabet, padded; line breaks allowed) decoded with OpenSSL's EVP.
 * The check comes first because EVP_DecodeUpdate treats '-' as an end marker and stops quietly. */
static int b64_decode(const char *in, size_t len, char **out, size_t *outlen)
{
    size_t chars = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (is_b64_space(ch))
            continue;
        if (ch == '=') {
            pad++;
        } else if (!is_b64_char(ch) || pad > 0) {
            return -1;
        }
        chars++;
    }
    if (chars == 0 || chars % 4 != 0 || pad > 2 || len > INT_MAX)
        return -1;
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    if (!ctx)
        abort();
    char *o = xmalloc(len / 4 * 3 + 4);
    int n = 0, m = 0;
    EVP_DecodeInit(ctx);
    int rc = EVP_DecodeUpdate(ctx, (unsigned char *)o, &n, (const unsigned char *)in, (int)len);
    if (rc >= 0)
        rc = EVP_DecodeFinal(ctx, (unsigned char *)o + n, &m);
    EVP_ENCODE_CTX_free(ctx);
    if (rc < 0) {
        free(o);
        return -1;
    }
    o[n + m] = '\0';
    *out = o;
    *outlen = (size_t)(n + m);
    return 0;
}

static char *resolve_path(const kc_file *f, const char *p)
{
    if (p[0] == '/' || strcmp(f->dir, ".") == 0)
        return xstrdup(p);
    while (p[0] == '.' && p[1] == '/') /* "./x" reads better in messages as "DIR/x" */
        p += 2;
    char *full = xasprintf("%s/%s", f->dir, p);
    return full;
}

/* A PEM blob from "<key>-data" (base64) or "<key>" (a file, relative to the kubeconfig's folder).
 * Both set is an error (kubectl refuses it too). *pem NULL when neither is set. */
static int get_pem(field_ctx *fc, const ky_node *map, const char *key, const char *data_key, char **pem,
                   size_t *len, const char **used)
{
    const ky_node *data, *file;
    *pem = NULL;
    *len = 0;
    *used = NULL;
    if (get_str(fc, map, data_key, &data) < 0 || get_str(fc, map, key, &file) < 0)
        return -1;
    if (data && data->len == 0)
        data = NULL;
    if (file && file->len == 0)
        file = NULL;
    if (data && file)
        return field_fail(fc, file, "both %s and %s are set; use one", key, data_key);
    if (data) {
        *used = data_key;
        if (b64_decode(data->str, data->len, pem, len) < 0)
            return field_fail(fc, data, "%s is not valid base64", data_key);
        return 0;
    }
    if (file) {
        *used = key;
        if (strlen(file->str) != file->len)
            return field_fail(fc, file, "%s contains a NUL byte", key);
        char *path = resolve_path(fc->file, file->str);
        int e = kube_read_file(path, KC_MAX_PEM, pem, len);
        if (e)
            field_fail(fc, file, "%s %s: %s", key, path, e == EFBIG ? "file too large" : strerror(e));
        free(path);
        return e ? -1 : 0;
    }
    return 0;
}

/* ---- cluster -------------------------------------------------------------------------------- */

static int normalize_server(field_ctx *fc, const ky_node *at, char **server)
{
    char *s = *server;
    if (!strstr(s, "://")) {
        char *with = xasprintf("https://%s", s);
        free(s);
        s = with;
    }
    /* The URL may carry userinfo: never print it. */
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) {
        free(s);
        *server = NULL;
        return field_fail(fc, at, "server must be an https:// (or http://) URL");
    }
    size_t host_at = (size_t)(strstr(s, "://") - s) + 3, n = strlen(s);
    /* The server URL is shown in the header and in errors, so a password in it would be too. */
    if (memchr(s + host_at, '@', strcspn(s + host_at, "/?#"))) {
        secret_wipe(s, n);
        free(s);
        *server = NULL;
        return field_fail(fc, at, "server must not carry credentials (user:password@): "
                                  "put them in the user's username and password");
    }
    while (n > host_at && s[n - 1] == '/')
        s[--n] = '\0';
    if (s[host_at] == '\0') {
        free(s);
        *server = NULL;
        return field_fail(fc, at, "server has no host");
    }
    *server = s;
    return 0;
}

int kc_load_cluster(const kc_entry *e, kube_target *t, char *err, size_t errlen)
{
    field_ctx fc = {.file = e->file, .err = err, .errlen = errlen};
    snprintf(fc.what, sizeof fc.what, "cluster \"%s\"", e->name);
    const ky_node *m = e->body;
    const ky_node *srv = ky_get(m, "server");
    if (get_clean_str(&fc, m, "server", &t->server) < 0)
        return -1;
    if (!t->server)
        return kc_fail(err, errlen, e->file->path, "line %d: %s has no server", e->line, fc.what);
    if (normalize_server(&fc, srv, &t->server) < 0)
        return -1;
    if (get_bool(&fc, m, "insecure-skip-tls-verify", &t->insecure_skip_tls_verify) < 0 ||
        get_clean_str(&fc, m, "tls-server-name", &t->tls_server_name) < 0 ||
        get_clean_str(&fc, m, "proxy-url", &t->proxy_url) < 0)
        return -1;
    /* The schemes client-go accepts; the URL may hold a password, so it is never printed. */
    if (t->proxy_url && strncmp(t->proxy_url, "http://", 7) != 0 && strncmp(t->proxy_url, "https://", 8) != 0 &&
        strncmp(t->proxy_url, "socks5://", 9) != 0)
        return field_fail(&fc, ky_get(m, "proxy-url"), "proxy-url must be an http://, https:// or socks5:// URL");
    const char *used;
    if (get_pem(&fc, m, "certificate-authority", "certificate-authority-data", &t->ca_pem, &t->ca_pem_len, &used) < 0)
        return -1;
    if (t->ca_pem) {
        if (t->insecure_skip_tls_verify)
            return field_fail(&fc, ky_get(m, used), "insecure-skip-tls-verify cannot be combined with %s",
                              used);
        size_t count;
        char why[128];
        if (tls_ca_bundle_count(t->ca_pem, t->ca_pem_len, &count, why, sizeof why) < 0)
            return field_fail(&fc, ky_get(m, used), "%s %s", used, why);
    }
    return 0;
}

/* ---- user ----------------------------------------------------------------------------------- */

static char **str_list_new(void)
{
    return xcalloc(1, sizeof(char *));
}

static void str_list_push(char ***v, size_t *n, char *s)
{
    *v = xrealloc(*v, (*n + 2) * sizeof **v);
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
}

void kc_exec_free(kube_exec *x)
{
    if (!x)
        return;
    free(x->command);
    kube_strv_free(x->args, x->nargs);
    for (size_t i = 0; i < x->nenv; i++)
        secret_wipe(x->env[i], strlen(x->env[i]));  /* env values often hold secrets */
    kube_strv_free(x->env, x->nenv);
    free(x->api_version);
    free(x->install_hint);
    free(x);
}

static int load_exec_env(field_ctx *fc, const ky_node *envs, kube_exec *x)
{
    if (ky_is_null(envs))
        return 0;
    if (envs->type != KY_SEQ)
        return field_fail(fc, envs, "exec env must be a list, got %s", ky_type_name(envs));
    for (size_t i = 0; i < envs->n; i++) {
        const ky_node *item = envs->vals[i];
        if (item->type != KY_MAP)
            return field_fail(fc, item, "exec env entries must be maps with name and value");
        const ky_node *name, *value;
        if (get_str(fc, item, "name", &name) < 0 || get_str(fc, item, "value", &value) < 0)
            return -1;
        if (!name || name->len == 0 || strlen(name->str) != name->len || strchr(name->str, '='))
            return field_fail(fc, item, "exec env entry needs a name without '=' or NUL");
        if (value && strlen(value->str) != value->len)
            return field_fail(fc, item, "exec env %s contains a NUL byte", name->str);
        char *kv = xasprintf("%s=%s", name->str, value ? value->str : "");
        str_list_push(&x->env, &x->nenv, kv);
    }
    return 0;
}

static int load_exec(field_ctx *fc, const ky_node *m, kube_exec **out)
{
    kube_exec *x = xcalloc(1, sizeof *x);
    x->args = str_list_new();
    x->env = str_list_new();
    *out = x;
    if (m->type != KY_MAP)
        return field_fail(fc, m, "exec must be a map, got %s", ky_type_name(m));
    const ky_node *api, *cmd, *mode, *hint;
    if (get_str(fc, m, "apiVersion", &api) < 0 || get_str(fc, m, "command", &cmd) < 0 ||
        get_str(fc, m, "interactiveMode", &mode) < 0 || get_str(fc, m, "installHint", &hint) < 0)
        return -1;
    if (!api || api->len == 0)
        return field_fail(fc, m, "exec apiVersion is required");
    if (strcmp(api->str, KUBE_EXEC_API_V1) != 0 && strcmp(api->str, KUBE_EXEC_API_V1BETA1) != 0)
        return field_fail(fc, api, "exec apiVersion \"%.80s\" is not supported (use %s or %s)", api->str,
                          KUBE_EXEC_API_V1, KUBE_EXEC_API_V1BETA1);
    x->api_version = xstrdup(api->str);
    if (!cmd || cmd->len == 0 || strlen(cmd->str) != cmd->len)
        return field_fail(fc, m, "exec command is required");
    /* kubectl resolves a command with a path separator against the kubeconfig's folder. */
    x->command = strchr(cmd->str, '/') ? resolve_path(fc->file, cmd->str) : xstrdup(cmd->str);
    if (!mode || mode->len == 0) {
        if (strcmp(x->api_version, KUBE_EXEC_API_V1) == 0)
            return field_fail(fc, m, "exec interactiveMode is required for %s (Never, IfAvailable or Always)",
                              KUBE_EXEC_API_V1);
        x->interactive_mode = KUBE_INTERACTIVE_IF_AVAILABLE;
    } else if (strcmp(mode->str, "Never") == 0) {
        x->interactive_mode = KUBE_INTERACTIVE_NEVER;
    } else if (strcmp(mode->str, "IfAvailable") == 0) {
        x->interactive_mode = KUBE_INTERACTIVE_IF_AVAILABLE;
    } else if (strcmp(mode->str, "Always") == 0) {
        x->interactive_mode = KUBE_INTERACTIVE_ALWAYS;
    } else {
        return field_fail(fc, mode, "exec interactiveMode must be Never, IfAvailable or Always");
    }
    if (get_bool(fc, m, "provideClusterInfo", &x->provide_cluster_info) < 0)
        return -1;
    if (hint && hint->len)
        x->install_hint = xstrndup(hint->str, hint->len);
    const ky_node *args = ky_get(m, "args");
    if (!ky_is_null(args)) {
        if (args->type != KY_SEQ)
            return field_fail(fc, args, "exec args must be a list, got %s", ky_type_name(args));
        for (size_t i = 0; i < args->n; i++) {
            const ky_node *a = args->vals[i];
            if (a->type != KY_SCALAR || strlen(a->str) != a->len)
                return field_fail(fc, a, "exec args must be strings without NUL bytes");
            str_list_push(&x->args, &x->nargs, xstrdup(a->str));
        }
    }
    return load_exec_env(fc, ky_get(m, "env"), x);
}

static int load_client_cert(field_ctx *fc, const ky_node *m, kube_target *t)
{
    const char *cert_field, *key_field;
    if (get_pem(fc, m, "client-certificate", "client-certificate-data", &t->client_cert_pem,
                &t->client_cert_pem_len, &cert_field) < 0 ||
        get_pem(fc, m, "client-key", "client-key-data", &t->client_key_pem, &t->client_key_pem_len,
                &key_field) < 0)
        return -1;
    if (!t->client_cert_pem && !t->client_key_pem)
        return 0;
    if (!t->client_key_pem)
        return field_fail(fc, ky_get(m, cert_field), "%s is set but client-key(-data) is not", cert_field);
    if (!t->client_cert_pem)
        return field_fail(fc, ky_get(m, key_field), "%s is set but client-certificate(-data) is not",
                          key_field);
    tls_cert_info info;
    char why[160];
    if (tls_check_client_pair(t->client_cert_pem, t->client_cert_pem_len, t->client_key_pem,
                              t->client_key_pem_len, &info, why, sizeof why) < 0) {
        if (strstr(why, "does not match"))
            return field_fail(fc, ky_get(m, key_field), "%s does not match %s", key_field, cert_field);
        return field_fail(fc, ky_get(m, cert_field), "%s / %s: %s", cert_field, key_field, why);
    }
    t->cert_not_after = info.not_after;
    t->cert_subject = xstrdup(info.subject);
    return 0;
}

/* ---- tokenFile ------------------------------------------------------------------------------ */

#define TOKEN_FILE_MAX (1024 * 1024)

int kube_read_token_file(kube_target *t, char *err, size_t errlen)
{
    char *text;
    size_t len;
    struct stat st;
    int e = kube_read_file(t->token_file, TOKEN_FILE_MAX, &text, &len);
    if (e)
        return set_err(err, errlen, "tokenFile %s: %s", t->token_file, e == EFBIG ? "file too large" : strerror(e));
    char *token = kube_trimmed_dup(text, len);
    int rc = 0;
    if (!*token) {
        set_err(err, errlen, "tokenFile %s is empty", t->token_file);
        rc = -1;
    } else if (kube_has_control_chars(token, strlen(token)) || strlen(text) != len) {
        set_err(err, errlen, "tokenFile %s contains control characters or NUL bytes", t->token_file);
        rc = -1;
    } else {
        secret_free(t->token, 0);
        t->token = token;
        token = NULL;
        if (stat(t->token_file, &st) == 0) {
            t->token_file_mtime = st.st_mtim.tv_sec;
            t->token_file_mtime_ns = st.st_mtim.tv_nsec;
            t->token_file_size = (long long)st.st_size;
        }
    }
    secret_free(token, 0);
    secret_free(text, len);
    return rc;
}


/* ---- users ---------------------------------------------------------------------------------- */

int kc_load_user(const kc_entry *e, kube_target *t, char *err, size_t errlen)
{
    field_ctx fc = {.file = e->file, .err = err, .errlen = errlen};
    snprintf(fc.what, sizeof fc.what, "user \"%s\"", e->name);
    const ky_node *m = e->body;
    if (!m)
        return 0;
    const ky_node *ap = ky_get(m, "auth-provider");
    if (!ky_is_null(ap)) {
        const ky_node *apname = ap->type == KY_MAP ? ky_get(ap, "name") : NULL;
        return field_fail(&fc, ap,
                          "auth-provider%s%.40s%s is not supported (kubectl removed it); use an exec "
                          "credential plugin such as kubelogin",
                          apname && apname->type == KY_SCALAR ? " \"" : "",
                          apname && apname->type == KY_SCALAR ? apname->str : "",
                          apname && apname->type == KY_SCALAR ? "\"" : "");
    }
    static const char *const impersonation[] = {"as", "as-uid", "as-groups", "as-user-extra"};
    for (size_t i = 0; i < sizeof impersonation / sizeof impersonation[0]; i++) {
        const ky_node *v = ky_get(m, impersonation[i]);
        if (!ky_is_null(v))
            return field_fail(&fc, v, "impersonation (%s) is not supported by hcptui", impersonation[i]);
    }
    if (load_client_cert(&fc, m, t) < 0)
        return -1;
    char *token_file = NULL;
    if (get_clean_str(&fc, m, "token", &t->token) < 0 || get_clean_str(&fc, m, "tokenFile", &token_file) < 0 ||
        get_clean_str(&fc, m, "username", &t->username) < 0 || get_clean_str(&fc, m, "password", &t->password) < 0)
        return -1;
    if (token_file) {
        t->token_file = resolve_path(e->file, token_file);
        free(token_file);
    }
    if ((t->token || t->token_file) && (t->username || t->password))
        return field_fail(&fc, NULL, "more than one authentication method (token and username/password); "
                                     "only one is allowed");
    const ky_node *exec = ky_get(m, "exec");
    if (!ky_is_null(exec)) {
        if (t->username || t->password)
            return field_fail(&fc, exec, "exec cannot be combined with username/password");
        if (load_exec(&fc, exec, &t->exec) < 0)
            return -1;
    }
    if (t->token_file) {
        /* tokenFile wins over token, as in client-go (the file is the one that rotates). */
        char why[512];
        if (kube_read_token_file(t, why, sizeof why) < 0)
            return field_fail(&fc, ky_get(m, "tokenFile"), "%s", why);
    }
    return 0;
}

/* ---- context ---------------------------------------------------------------------------------- */

int kc_context_refs(const kc_entry *ctx, const char **cluster, const char **user, const char **ns, char *err,
                    size_t errlen)
{
    field_ctx fc = {.file = ctx->file, .err = err, .errlen = errlen};
    snprintf(fc.what, sizeof fc.what, "context \"%s\"", ctx->name);
    const char *const keys[] = {"cluster", "user", "namespace"};
    const char **outs[] = {cluster, user, ns};
    for (int i = 0; i < 3; i++) {
        const ky_node *v;
        if (get_str(&fc, ctx->body, keys[i], &v) < 0)
            return -1;
        *outs[i] = v && v->len ? v->str : NULL;
    }
    return 0;
}
