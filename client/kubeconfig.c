/* Kubeconfig resolution, merging and loading into a kube_target (see kubeconfig.h).
 *
 * Files are parsed into YAML trees (kubeyaml.h), their clusters/users/contexts collected with the file
 * that defined them (relative paths resolve against that file's folder, as kubectl does), merged with
 * "first definition wins", and then only the selected context's cluster and user are decoded. */
#include "client/kubeconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "client/credentials.h"
#include "client/kubeyaml.h"
#include "client/tlsinfo.h"
#include "common/buf.h"
#include "common/timeutil.h"

#define KC_MAX_FILE ((size_t)16 << 20)  /* kubeconfigs with many embedded certificates stay far below */
#define KC_MAX_PEM ((size_t)4 << 20)
#define KC_HAVE_LIST 5                  /* names listed in "not found (have: ...)" */

/* ---- files ---------------------------------------------------------------------------------- */

int kube_read_file(const char *path, size_t cap, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return EISDIR;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            buf_free(&b);
            return e;
        }
        if (n == 0)
            break;
        if (b.len + (size_t)n > cap) {
            close(fd);
            buf_free(&b);
            return EFBIG;
        }
        buf_append(&b, chunk, (size_t)n);
    }
    close(fd);
    *len = b.len;
    *data = buf_steal(&b);
    return 0;
}

typedef struct kc_file {
    char *path;   /* as given (or the origin of in-memory text) */
    char *dir;    /* folder for relative paths */
    ky_doc doc;
} kc_file;

typedef struct kc_entry {
    const char *name;
    const ky_node *body;   /* the cluster/user/context map, NULL when absent */
    const kc_file *file;
    int line;
    size_t order;          /* position over all files, for "first wins" and file order */
} kc_entry;

typedef struct kc_list {
    kc_entry *v;
    size_t n, cap;
} kc_list;

typedef struct kc_config {
    kc_file **files;
    size_t nfiles;
    kc_list clusters, users, contexts;
    const char *current;            /* current-context from the first file that sets it */
    const kc_file *current_file;
    size_t next_order;
    buf origin;                     /* the loaded files joined by ':' */
} kc_config;

static void config_free(kc_config *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        ky_free(&c->files[i]->doc);
        free(c->files[i]->path);
        free(c->files[i]->dir);
        free(c->files[i]);
    }
    free(c->files);
    free(c->clusters.v);
    free(c->users.v);
    free(c->contexts.v);
    buf_free(&c->origin);
    memset(c, 0, sizeof *c);
}

static void list_push(kc_list *l, kc_entry e)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = e;
}

/* ---- errors --------------------------------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "kubeconfig FILE: " + the problem. The problem text never holds credential values. */
static int fail(char *err, size_t errlen, const char *file, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "kubeconfig %s: %s", file, msg);
    return -1;
}

/* ---- collecting entries --------------------------------------------------------------------- */

static int collect_section(kc_config *c, const kc_file *f, const char *section, const char *field,
                           kc_list *list, char *err, size_t errlen)
{
    const ky_node *seq = ky_get(f->doc.root, section);
    if (ky_is_null(seq))
        return 0;
    if (seq->type != KY_SEQ)
        return fail(err, errlen, f->path, "line %d: \"%s\" must be a list, got %s", seq->line, section,
                    ky_type_name(seq));
    for (size_t i = 0; i < seq->n; i++) {
        const ky_node *item = seq->vals[i];
        if (item->type != KY_MAP)
            return fail(err, errlen, f->path, "line %d: %s entries must be maps, got %s", item->line,
                        section, ky_type_name(item));
        const ky_node *name = ky_get(item, "name");
        if (!name || name->type != KY_SCALAR || ky_is_null(name))
            return fail(err, errlen, f->path, "line %d: a %s entry has no name", item->line, field);
        if (strlen(name->str) != name->len)
            return fail(err, errlen, f->path, "line %d: a %s name contains a NUL byte", name->line, field);
        const ky_node *body = ky_get(item, field);
        if (ky_is_null(body))
            body = NULL;
        else if (body->type != KY_MAP)
            return fail(err, errlen, f->path, "line %d: %s \"%s\": \"%s\" must be a map, got %s",
                        body->line, field, name->str, field, ky_type_name(body));
        list_push(list, (kc_entry){name->str, body, f, item->line, c->next_order++});
    }
    return 0;
}

static int by_name_then_order(const void *a, const void *b)
{
    const kc_entry *x = a, *y = b;
    int d = strcmp(x->name, y->name);
    if (d)
        return d;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int by_order(const void *a, const void *b)
{
    const kc_entry *x = a, *y = b;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* kubectl's merge: the first definition of a name wins as a whole; a name defined twice in one file
 * is an error. Leaves the list sorted by name for lookups. */
static int merge_list(kc_list *l, const char *what, char *err, size_t errlen)
{
    if (l->n == 0)
        return 0;
    qsort(l->v, l->n, sizeof *l->v, by_name_then_order);
    size_t w = 1;
    for (size_t r = 1; r < l->n; r++) {
        kc_entry *kept = &l->v[w - 1];
        if (strcmp(kept->name, l->v[r].name) == 0) {
            if (kept->file == l->v[r].file)
                return fail(err, errlen, l->v[r].file->path, "line %d: %s \"%s\" is defined twice",
                            l->v[r].line, what, l->v[r].name);
            continue;
        }
        l->v[w++] = l->v[r];
    }
    l->n = w;
    return 0;
}

static const kc_entry *find_entry(const kc_list *l, const char *name)
{
    kc_entry key = {.name = name, .order = 0};
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(key.name, l->v[mid].name);
        if (d == 0)
            return &l->v[mid];
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

/* Parses one file's text and collects its entries. Takes ownership of nothing. */
static int add_text(kc_config *c, const char *path, const char *dir, const char *text, size_t len,
                    char *err, size_t errlen)
{
    kc_file *f = xcalloc(1, sizeof *f);
    f->path = xstrdup(path);
    f->dir = xstrdup(dir);
    c->files = xrealloc(c->files, (c->nfiles + 1) * sizeof *c->files);
    c->files[c->nfiles++] = f;
    if (c->origin.len)
        buf_putc(&c->origin, ':');
    buf_puts(&c->origin, path);

    char why[256];
    if (ky_parse(text, len, &f->doc, why, sizeof why) < 0)
        return fail(err, errlen, path, "%s", why);
    const ky_node *root = f->doc.root;
    if (ky_is_null(root))
        return 0; /* an empty file is an empty config */
    if (root->type != KY_MAP)
        return fail(err, errlen, path, "line %d: a kubeconfig must be a map, got %s", root->line,
                    ky_type_name(root));
    if (collect_section(c, f, "clusters", "cluster", &c->clusters, err, errlen) < 0 ||
        collect_section(c, f, "users", "user", &c->users, err, errlen) < 0 ||
        collect_section(c, f, "contexts", "context", &c->contexts, err, errlen) < 0)
        return -1;
    const ky_node *cur = ky_get(root, "current-context");
    if (!ky_is_null(cur)) {
        if (cur->type != KY_SCALAR)
            return fail(err, errlen, path, "line %d: current-context must be a string, got %s", cur->line,
                        ky_type_name(cur));
        if (!c->current && cur->len > 0) {
            c->current = cur->str;
            c->current_file = f;
        }
    }
    return 0;
}

/* 0 loaded, 1 skipped (missing and missing_ok), -1 error. */
static int add_file(kc_config *c, const char *path, bool missing_ok, char *err, size_t errlen)
{
    char *text;
    size_t len;
    int e = kube_read_file(path, KC_MAX_FILE, &text, &len);
    if (e == ENOENT && missing_ok)
        return 1;
    if (e == EFBIG)
        return fail(err, errlen, path, "larger than %zu MiB", KC_MAX_FILE >> 20);
    if (e)
        return fail(err, errlen, path, "%s", strerror(e));
    char *dir = dir_of(path);
    int rc = add_text(c, path, dir, text, len, err, errlen);
    free(dir);
    free(text);
    return rc;
}

static int finish_merge(kc_config *c, char *err, size_t errlen)
{
    if (merge_list(&c->clusters, "cluster", err, errlen) < 0 ||
        merge_list(&c->users, "user", err, errlen) < 0 ||
        merge_list(&c->contexts, "context", err, errlen) < 0)
        return -1;
    return 0;
}

static bool path_seen(const kc_config *c, const char *path)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (strcmp(c->files[i]->path, path) == 0)
            return true;
    return false;
}

/* Loads the files kubectl would. *files_loaded = 0 means "none found": the caller may go in-cluster. */
static int load_config(const kube_load_opts *o, kc_config *c, size_t *files_loaded, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    *files_loaded = 0;
    if (o->explicit_path && *o->explicit_path) {
        if (add_file(c, o->explicit_path, false, err, errlen) < 0)
            return -1;
        *files_loaded = 1;
    } else if (o->env_kubeconfig && *o->env_kubeconfig) {
        char *list = xstrdup(o->env_kubeconfig);
        int rc = 0;
        for (char *save = NULL, *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
            if (path_seen(c, p))
                continue;
            rc = add_file(c, p, true, err, errlen);
            if (rc < 0)
                break;
            if (rc == 0)
                (*files_loaded)++;
        }
        free(list);
        if (rc < 0)
            return -1;
    } else if (o->home && *o->home) {
        char *path = NULL;
        if (asprintf(&path, "%s/.kube/config", o->home) < 0)
            abort();
        int rc = add_file(c, path, true, err, errlen);
        free(path);
        if (rc < 0)
            return -1;
        if (rc == 0)
            *files_loaded = 1;
    }
    return finish_merge(c, err, errlen);
}

/* ---- field decoding ------------------------------------------------------------------------- */

/* Where a field lives, for messages: the file and "cluster \"c\"" / "user \"u\"". */
typedef struct field_ctx {
    const kc_file *file;
    char what[160];
    char *err;
    size_t errlen;
} field_ctx;

static int field_fail(field_ctx *fc, const ky_node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int field_fail(field_ctx *fc, const ky_node *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at)
        return fail(fc->err, fc->errlen, fc->file->path, "line %d: %s: %s", at->line, fc->what, msg);
    return fail(fc->err, fc->errlen, fc->file->path, "%s: %s", fc->what, msg);
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

bool kube_has_control_chars(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
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
    char *full = NULL;
    if (asprintf(&full, "%s/%s", f->dir, p) < 0)
        abort();
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
        char *with = NULL;
        if (asprintf(&with, "https://%s", s) < 0)
            abort();
        free(s);
        s = with;
    }
    /* The URL may carry userinfo: never print it. */
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) {
        free(s);
        *server = NULL;
        return field_fail(fc, at, "server must be an https:// (or http://) URL");
    }
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        s[--n] = '\0';
    const char *host = strstr(s, "://") + 3;
    if (*host == '\0') {
        free(s);
        *server = NULL;
        return field_fail(fc, at, "server has no host");
    }
    *server = s;
    return 0;
}

static int load_cluster(const kc_entry *e, kube_target *t, char *err, size_t errlen)
{
    field_ctx fc = {.file = e->file, .err = err, .errlen = errlen};
    snprintf(fc.what, sizeof fc.what, "cluster \"%s\"", e->name);
    const ky_node *m = e->body;
    const ky_node *srv = ky_get(m, "server");
    if (get_clean_str(&fc, m, "server", &t->server) < 0)
        return -1;
    if (!t->server)
        return fail(err, errlen, e->file->path, "line %d: %s has no server", e->line, fc.what);
    if (normalize_server(&fc, srv, &t->server) < 0)
        return -1;
    if (get_bool(&fc, m, "insecure-skip-tls-verify", &t->insecure_skip_tls_verify) < 0 ||
        get_clean_str(&fc, m, "tls-server-name", &t->tls_server_name) < 0 ||
        get_clean_str(&fc, m, "proxy-url", &t->proxy_url) < 0)
        return -1;
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

static void exec_free(kube_exec *x)
{
    if (!x)
        return;
    free(x->command);
    kube_strv_free(x->args, x->nargs);
    for (size_t i = 0; i < x->nenv; i++)
        explicit_bzero(x->env[i], strlen(x->env[i]));  /* env values often hold secrets */
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
        char *kv = NULL;
        if (asprintf(&kv, "%s=%s", name->str, value ? value->str : "") < 0)
            abort();
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
    if (get_pem(fc, m, "client-certificate", "client-certificate-data", &t->client_cert_pem, &t->client_cert_pem_len, &cert_field) < 0 ||
        get_pem(fc, m, "client-key", "client-key-data", &t->client_key_pem, &t->client_key_pem_len, &key_field) < 0)
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

static int load_user(const kc_entry *e, kube_target *t, char *err, size_t errlen)
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
        if (kube_credentials_read_token_file(t, why, sizeof why) < 0)
            return field_fail(&fc, ky_get(m, "tokenFile"), "%s", why);
    }
    return 0;
}

/* ---- the target ----------------------------------------------------------------------------- */

static kube_auth_kind auth_kind_of(const kube_target *t)
{
    if (t->exec)
        return KUBE_AUTH_EXEC;
    if (t->token_file)
        return KUBE_AUTH_TOKEN_FILE;
    if (t->token)
        return KUBE_AUTH_TOKEN;
    if (t->username || t->password)
        return KUBE_AUTH_BASIC;
    if (t->client_cert_pem)
        return KUBE_AUTH_CLIENT_CERT;
    return KUBE_AUTH_NONE;
}

static void have_list(const kc_list *l, char *out, size_t outlen)
{
    kc_entry *sorted = xmalloc((l->n ? l->n : 1) * sizeof *sorted);
    if (l->n)
        memcpy(sorted, l->v, l->n * sizeof *sorted);
    qsort(sorted, l->n, sizeof *sorted, by_order);
    buf b = BUF_INIT;
    for (size_t i = 0; i < l->n && i < KC_HAVE_LIST; i++)
        buf_printf(&b, "%s%.60s", i ? ", " : "", sorted[i].name);
    if (l->n > KC_HAVE_LIST)
        buf_printf(&b, ", ... %zu more", l->n - KC_HAVE_LIST);
    snprintf(out, outlen, "%s", l->n ? buf_str(&b) : "none");
    buf_free(&b);
    free(sorted);
}

static int context_field(const kc_entry *ctx, const char *key, const char **out, char *err, size_t errlen)
{
    field_ctx fc = {.file = ctx->file, .err = err, .errlen = errlen};
    snprintf(fc.what, sizeof fc.what, "context \"%s\"", ctx->name);
    const ky_node *v;
    if (get_str(&fc, ctx->body, key, &v) < 0)
        return -1;
    *out = v && v->len ? v->str : NULL;
    return 0;
}

static int build_target(const kc_config *c, const char *want, const char *ns_override, kube_target **out,
                        char *err, size_t errlen)
{
    const char *origin = buf_str(&c->origin);
    char have[512];
    have_list(&c->contexts, have, sizeof have);
    const char *name = want && *want ? want : c->current;
    if (!name)
        return fail(err, errlen, origin, "no current-context is set; pass --context (have: %s)", have);
    const kc_entry *ctx = find_entry(&c->contexts, name);
    if (!ctx)
        return fail(err, errlen, origin, "context \"%.200s\" not found (have: %s)", name, have);
    const char *cluster_name, *user_name, *ns;
    if (context_field(ctx, "cluster", &cluster_name, err, errlen) < 0 ||
        context_field(ctx, "user", &user_name, err, errlen) < 0 ||
        context_field(ctx, "namespace", &ns, err, errlen) < 0)
        return -1;
    if (!cluster_name)
        return fail(err, errlen, ctx->file->path, "line %d: context \"%s\" names no cluster", ctx->line, name);
    const kc_entry *cl = find_entry(&c->clusters, cluster_name);
    if (!cl)
        return fail(err, errlen, ctx->file->path, "line %d: context \"%s\" refers to cluster \"%s\", which is "
                    "not defined", ctx->line, name, cluster_name);
    const kc_entry *us = user_name ? find_entry(&c->users, user_name) : NULL;
    if (user_name && !us)
        return fail(err, errlen, ctx->file->path, "line %d: context \"%s\" refers to user \"%s\", which is not "
                    "defined", ctx->line, name, user_name);

    kube_target *t = xcalloc(1, sizeof *t);
    t->origin = xstrdup(us ? us->file->path : ctx->file->path);
    t->context = xstrdup(name);
    t->cluster = xstrdup(cluster_name);
    t->user = xstrdup(user_name ? user_name : "");
    t->namespace_from_override = ns_override && *ns_override;
    t->namespace = xstrdup(t->namespace_from_override ? ns_override : ns ? ns : "default");
    if (load_cluster(cl, t, err, errlen) < 0 || (us && load_user(us, t, err, errlen) < 0)) {
        kube_target_free(t);
        return -1;
    }
    t->auth = auth_kind_of(t);
    *out = t;
    return 0;
}

/* ---- in-cluster ----------------------------------------------------------------------------- */

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

char *kube_trimmed_dup(const char *s, size_t len)
{
    while (len > 0 && is_space(s[len - 1]))
        len--;
    while (len > 0 && is_space(*s))
        s++, len--;
    return xstrndup(s, len);
}

static int load_incluster(const kube_load_opts *o, kube_target **out, char *err, size_t errlen)
{
    const char *root = o->incluster_root ? o->incluster_root : KUBE_INCLUSTER_ROOT;
    const char *host = o->incluster_host;
    const char *port = o->incluster_port && *o->incluster_port ? o->incluster_port : "443";
    if (kube_has_control_chars(host, strlen(host)) || kube_has_control_chars(port, strlen(port)) || strchr(host, '/') ||
        strchr(port, '/'))
        return fail(err, errlen, "in-cluster", "KUBERNETES_SERVICE_HOST/PORT are not a host and port");
    kube_target *t = xcalloc(1, sizeof *t);
    t->in_cluster = true;
    t->origin = xstrdup("in-cluster");
    t->context = xstrdup("");
    t->cluster = xstrdup("in-cluster");
    t->user = xstrdup("serviceaccount");
    bool v6 = strchr(host, ':') != NULL;
    if (asprintf(&t->server, "https://%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "", port) < 0)
        abort();
    if (asprintf(&t->token_file, "%s/token", root) < 0)
        abort();
    char why[512];
    if (kube_credentials_read_token_file(t, why, sizeof why) < 0) {
        kube_target_free(t);
        return fail(err, errlen, "in-cluster", "%s", why);
    }
    char *ca_path = NULL;
    if (asprintf(&ca_path, "%s/ca.crt", root) < 0)
        abort();
    int e = kube_read_file(ca_path, KC_MAX_PEM, &t->ca_pem, &t->ca_pem_len);
    size_t count;
    if (e)
        fail(err, errlen, "in-cluster", "%s: %s", ca_path, e == EFBIG ? "file too large" : strerror(e));
    else if (tls_ca_bundle_count(t->ca_pem, t->ca_pem_len, &count, why, sizeof why) < 0)
        fail(err, errlen, "in-cluster", "%s %s", ca_path, why);
    free(ca_path);
    if (e || count == 0) {
        kube_target_free(t);
        return -1;
    }
    if (o->namespace_override && *o->namespace_override) {
        t->namespace = xstrdup(o->namespace_override);
        t->namespace_from_override = true;
    } else {
        char *ns_path = NULL, *text = NULL;
        size_t len = 0;
        if (asprintf(&ns_path, "%s/namespace", root) < 0)
            abort();
        if (kube_read_file(ns_path, 4096, &text, &len) == 0)
            t->namespace = kube_trimmed_dup(text, len);
        free(text);
        free(ns_path);
        if (!t->namespace || !*t->namespace || kube_has_control_chars(t->namespace, strlen(t->namespace))) {
            free(t->namespace);
            t->namespace = xstrdup("default");
        }
    }
    t->auth = KUBE_AUTH_TOKEN_FILE;
    *out = t;
    return 0;
}

/* ---- public --------------------------------------------------------------------------------- */

void kube_load_opts_from_env(kube_load_opts *o)
{
    memset(o, 0, sizeof *o);
    o->env_kubeconfig = getenv("KUBECONFIG");
    o->home = getenv("HOME");
    o->incluster_host = getenv("KUBERNETES_SERVICE_HOST");
    o->incluster_port = getenv("KUBERNETES_SERVICE_PORT");
}

static int no_config(const kube_load_opts *o, char *err, size_t errlen)
{
    if (o->env_kubeconfig && *o->env_kubeconfig)
        snprintf(err, errlen, "kubeconfig: none of the KUBECONFIG files exist (%.300s) and not running in a "
                 "cluster", o->env_kubeconfig);
    else
        snprintf(err, errlen, "kubeconfig: no configuration found: pass --kubeconfig, set KUBECONFIG or "
                 "create ~/.kube/config");
    return -1;
}

int kubeconfig_resolve(const kube_load_opts *o, kube_target **out, char *err, size_t errlen)
{
    *out = NULL;
    kc_config c;
    size_t loaded;
    if (load_config(o, &c, &loaded, err, errlen) < 0) {
        config_free(&c);
        return -1;
    }
    int rc;
    if (loaded > 0)
        rc = build_target(&c, o->context, o->namespace_override, out, err, errlen);
    else if (o->incluster_host && *o->incluster_host)
        rc = load_incluster(o, out, err, errlen);
    else
        rc = no_config(o, err, errlen);
    config_free(&c);
    return rc;
}

int kubeconfig_load_text(const char *yaml, size_t len, const char *origin, const char *context,
                         const char *namespace_override, kube_target **out, char *err, size_t errlen)
{
    *out = NULL;
    kc_config c;
    memset(&c, 0, sizeof c);
    int rc = add_text(&c, origin ? origin : "<memory>", ".", yaml, len, err, errlen);
    if (rc == 0)
        rc = finish_merge(&c, err, errlen);
    if (rc == 0)
        rc = build_target(&c, context, namespace_override, out, err, errlen);
    config_free(&c);
    return rc;
}

int kubeconfig_contexts(const kube_load_opts *o, char ***names, size_t *n, char **current, char *err,
                        size_t errlen)
{
    *names = NULL;
    *n = 0;
    if (current)
        *current = NULL;
    kc_config c;
    size_t loaded;
    if (load_config(o, &c, &loaded, err, errlen) < 0) {
        config_free(&c);
        return -1;
    }
    qsort(c.contexts.v, c.contexts.n, sizeof *c.contexts.v, by_order);
    char **v = xcalloc(c.contexts.n + 1, sizeof *v);
    for (size_t i = 0; i < c.contexts.n; i++)
        v[i] = xstrdup(c.contexts.v[i].name);
    *names = v;
    *n = c.contexts.n;
    if (current && c.current)
        *current = xstrdup(c.current);
    config_free(&c);
    return 0;
}

void kube_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int kube_target_warnings(const kube_target *t, time_t now, char *out, size_t outlen)
{
    buf b = BUF_INIT;
    int count = 0;
    if (t->insecure_skip_tls_verify) {
        buf_puts(&b, "TLS verification disabled (insecure-skip-tls-verify)");
        count++;
    }
    if (t->cert_not_after) {
        if (now >= t->cert_not_after) {
            char when[21];
            rfc3339_format(t->cert_not_after, when);
            buf_printf(&b, "%sclient certificate expired %s", count ? "; " : "", when);
            count++;
        } else if (t->cert_not_after - now < 7 * 24 * 3600) {
            char left[16];
            age_format((int64_t)(t->cert_not_after - now), left, sizeof left);
            buf_printf(&b, "%sclient certificate expires in %s", count ? "; " : "", left);
            count++;
        }
    }
    snprintf(out, outlen, "%s", buf_str(&b));
    buf_free(&b);
    return count;
}

const char *kube_auth_kind_name(kube_auth_kind k)
{
    switch (k) {
    case KUBE_AUTH_CLIENT_CERT: return "client certificate";
    case KUBE_AUTH_TOKEN: return "token";
    case KUBE_AUTH_TOKEN_FILE: return "token file";
    case KUBE_AUTH_BASIC: return "basic auth";
    case KUBE_AUTH_EXEC: return "exec plugin";
    default: return "anonymous";
    }
}

static void free_secret(char *s, size_t len)
{
    if (!s)
        return;
    explicit_bzero(s, len);
    free(s);
}

void kube_target_free(kube_target *t)
{
    if (!t)
        return;
    free(t->origin);
    free(t->context);
    free(t->cluster);
    free(t->user);
    free(t->namespace);
    free(t->server);
    free(t->ca_pem);
    free(t->tls_server_name);
    free(t->proxy_url);
    free(t->client_cert_pem);
    free_secret(t->client_key_pem, t->client_key_pem_len);
    free(t->cert_subject);
    free_secret(t->token, t->token ? strlen(t->token) : 0);
    free(t->token_file);
    free(t->username);
    free_secret(t->password, t->password ? strlen(t->password) : 0);
    exec_free(t->exec);
    free(t);
}
