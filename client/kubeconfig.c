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

#include "client/credentials.h"
#include "client/kubeconfig_entry.h"
#include "client/kubeyaml.h"
#include "client/tlsinfo.h"
#include "common/buf.h"
#include "common/errfmt.h"
#include "common/secret.h"
#include "common/timeutil.h"

#define KC_MAX_FILE ((size_t)16 << 20)  /* kubeconfigs with many embedded certificates stay far below */
#define KC_HAVE_LIST 5                  /* names listed in "not found (have: ...)" */

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

/* ---- collecting entries --------------------------------------------------------------------- */

static int collect_section(kc_config *c, const kc_file *f, const char *section, const char *field,
                           kc_list *list, char *err, size_t errlen)
{
    const ky_node *seq = ky_get(f->doc.root, section);
    if (ky_is_null(seq))
        return 0;
    if (seq->type != KY_SEQ)
        return kc_fail(err, errlen, f->path, "line %d: \"%s\" must be a list, got %s", seq->line, section,
                    ky_type_name(seq));
    for (size_t i = 0; i < seq->n; i++) {
        const ky_node *item = seq->vals[i];
        if (item->type != KY_MAP)
            return kc_fail(err, errlen, f->path, "line %d: %s entries must be maps, got %s", item->line,
                        section, ky_type_name(item));
        const ky_node *name = ky_get(item, "name");
        if (!name || name->type != KY_SCALAR || ky_is_null(name))
            return kc_fail(err, errlen, f->path, "line %d: a %s entry has no name", item->line, field);
        if (strlen(name->str) != name->len)
            return kc_fail(err, errlen, f->path, "line %d: a %s name contains a NUL byte", name->line, field);
        const ky_node *body = ky_get(item, field);
        if (ky_is_null(body))
            body = NULL;
        else if (body->type != KY_MAP)
            return kc_fail(err, errlen, f->path, "line %d: %s \"%s\": \"%s\" must be a map, got %s",
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
    kc_entry prev = l->v[0];
    for (size_t r = 1; r < l->n; r++) {
        kc_entry cur = l->v[r];
        bool same_name = strcmp(prev.name, cur.name) == 0;
        /* Same name and file sort next to each other (order grows file by file). */
        if (same_name && prev.file == cur.file)
            return kc_fail(err, errlen, cur.file->path, "line %d: %s \"%s\" is defined twice", cur.line, what,
                           cur.name);
        prev = cur;
        if (!same_name)
            l->v[w++] = cur;
    }
    l->n = w;
    return 0;
}

static const kc_entry *find_entry(const kc_list *l, const char *name)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(name, l->v[mid].name);
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
        return kc_fail(err, errlen, path, "%s", why);
    const ky_node *root = f->doc.root;
    if (ky_is_null(root))
        return 0; /* an empty file is an empty config */
    if (root->type != KY_MAP)
        return kc_fail(err, errlen, path, "line %d: a kubeconfig must be a map, got %s", root->line,
                    ky_type_name(root));
    if (collect_section(c, f, "clusters", "cluster", &c->clusters, err, errlen) < 0 ||
        collect_section(c, f, "users", "user", &c->users, err, errlen) < 0 ||
        collect_section(c, f, "contexts", "context", &c->contexts, err, errlen) < 0)
        return -1;
    const ky_node *cur = ky_get(root, "current-context");
    if (!ky_is_null(cur)) {
        if (cur->type != KY_SCALAR)
            return kc_fail(err, errlen, path, "line %d: current-context must be a string, got %s", cur->line,
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
        return kc_fail(err, errlen, path, "larger than %zu MiB", KC_MAX_FILE >> 20);
    if (e)
        return kc_fail(err, errlen, path, "%s", strerror(e));
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
        char *path = xasprintf("%s/.kube/config", o->home);
        int rc = add_file(c, path, true, err, errlen);
        free(path);
        if (rc < 0)
            return -1;
        if (rc == 0)
            *files_loaded = 1;
    }
    return finish_merge(c, err, errlen);
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

static int build_target(const kc_config *c, const char *want, const char *ns_override, kube_target **out,
                        char *err, size_t errlen)
{
    const char *origin = buf_str(&c->origin);
    char have[512];
    have_list(&c->contexts, have, sizeof have);
    const char *name = want && *want ? want : c->current;
    if (!name)
        return kc_fail(err, errlen, origin, "no current-context is set; pass --context (have: %s)", have);
    const kc_entry *ctx = find_entry(&c->contexts, name);
    if (!ctx)
        return kc_fail(err, errlen, origin, "context \"%.200s\" not found (have: %s)", name, have);
    const char *cluster_name, *user_name, *ns;
    if (kc_context_refs(ctx, &cluster_name, &user_name, &ns, err, errlen) < 0)
        return -1;
    if (!cluster_name)
        return kc_fail(err, errlen, ctx->file->path, "line %d: context \"%s\" names no cluster", ctx->line, name);
    const kc_entry *cl = find_entry(&c->clusters, cluster_name);
    if (!cl)
        return kc_fail(err, errlen, ctx->file->path, "line %d: context \"%s\" refers to cluster \"%s\", which is "
                    "not defined", ctx->line, name, cluster_name);
    const kc_entry *us = user_name ? find_entry(&c->users, user_name) : NULL;
    if (user_name && !us)
        return kc_fail(err, errlen, ctx->file->path, "line %d: context \"%s\" refers to user \"%s\", which is not "
                    "defined", ctx->line, name, user_name);

    const char *namespace = ns_override && *ns_override ? ns_override : ns ? ns : "default";
    if (kube_has_control_chars(namespace, strlen(namespace)))
        return kc_fail(err, errlen, ctx->file->path, "line %d: context \"%s\": the namespace contains control "
                       "characters", ctx->line, name);

    kube_target *t = xcalloc(1, sizeof *t);
    t->origin = xstrdup(us ? us->file->path : ctx->file->path);
    t->context = xstrdup(name);
    t->cluster = xstrdup(cluster_name);
    t->user = xstrdup(user_name ? user_name : "");
    t->namespace_from_override = ns_override && *ns_override;
    t->namespace = xstrdup(namespace);
    if (kc_load_cluster(cl, t, err, errlen) < 0 || (us && kc_load_user(us, t, err, errlen) < 0)) {
        kube_target_free(t);
        return -1;
    }
    t->auth = auth_kind_of(t);
    *out = t;
    return 0;
}

/* ---- in-cluster ----------------------------------------------------------------------------- */

static int load_incluster(const kube_load_opts *o, kube_target **out, char *err, size_t errlen)
{
    const char *root = o->incluster_root ? o->incluster_root : KUBE_INCLUSTER_ROOT;
    const char *host = o->incluster_host;
    const char *port = o->incluster_port && *o->incluster_port ? o->incluster_port : "443";
    if (kube_has_control_chars(host, strlen(host)) || kube_has_control_chars(port, strlen(port)) || strchr(host, '/') ||
        strchr(port, '/'))
        return kc_fail(err, errlen, "in-cluster", "KUBERNETES_SERVICE_HOST/PORT are not a host and port");
    kube_target *t = xcalloc(1, sizeof *t);
    t->in_cluster = true;
    t->origin = xstrdup("in-cluster");
    t->context = xstrdup("");
    t->cluster = xstrdup("in-cluster");
    t->user = xstrdup("serviceaccount");
    bool v6 = strchr(host, ':') != NULL;
    t->server = xasprintf("https://%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "", port);
    t->token_file = xasprintf("%s/token", root);
    char why[512];
    if (kube_read_token_file(t, why, sizeof why) < 0) {
        kube_target_free(t);
        return kc_fail(err, errlen, "in-cluster", "%s", why);
    }
    char *ca_path = xasprintf("%s/ca.crt", root);
    int e = kube_read_file(ca_path, KC_MAX_PEM, &t->ca_pem, &t->ca_pem_len);
    size_t count = 0;
    if (e)
        kc_fail(err, errlen, "in-cluster", "%s: %s", ca_path, e == EFBIG ? "file too large" : strerror(e));
    else if (tls_ca_bundle_count(t->ca_pem, t->ca_pem_len, &count, why, sizeof why) < 0)
        kc_fail(err, errlen, "in-cluster", "%s %s", ca_path, why);
    free(ca_path);
    if (e || count == 0) {
        kube_target_free(t);
        return -1;
    }
    if (o->namespace_override && *o->namespace_override) {
        t->namespace = xstrdup(o->namespace_override);
        t->namespace_from_override = true;
    } else {
        char *ns_path = xasprintf("%s/namespace", root), *text = NULL;
        size_t len = 0;
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
        set_err(err, errlen, "kubeconfig: none of the KUBECONFIG files exist (%.300s) and not running in a "
                 "cluster", o->env_kubeconfig);
    else
        set_err(err, errlen, "kubeconfig: no configuration found: pass --kubeconfig, set KUBECONFIG or "
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
    /* As client-go: an empty merged config (no entries, no current-context) falls back to in-cluster. */
    bool empty = c.clusters.n == 0 && c.users.n == 0 && c.contexts.n == 0 && !c.current;
    bool in_cluster_possible = o->incluster_host && *o->incluster_host;
    int rc;
    if (loaded > 0 && !(empty && in_cluster_possible))
        rc = build_target(&c, o->context, o->namespace_override, out, err, errlen);
    else if (in_cluster_possible)
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

/* ---- context names of text ---------------------------------------------------------------- */

#define CONTEXTS_TEXT_MAX 4096 /* completion lists beyond this help nobody */

static bool name_listed(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* Lenient where loading is strict: completion must offer what it can, so an entry without a usable
 * name is skipped instead of failing the whole text. */
int kubeconfig_contexts_text(const char *yaml, size_t len, char ***names, size_t *n, char *err, size_t errlen)
{
    *names = NULL;
    *n = 0;
    ky_doc doc;
    char why[256];
    if (!yaml || ky_parse(yaml, len, &doc, why, sizeof why) < 0)
        return set_err(err, errlen, "kubeconfig: %s", yaml ? why : "no text");
    if (!doc.root || doc.root->type != KY_MAP) {
        set_err(err, errlen, "kubeconfig: must be a map, got %s", doc.root ? ky_type_name(doc.root) : "nothing");
        ky_free(&doc);
        return -1;
    }
    const ky_node *list = ky_get(doc.root, "contexts");
    if (!ky_is_null(list) && list->type != KY_SEQ) {
        set_err(err, errlen, "kubeconfig: line %d: contexts must be a list, got %s", list->line, ky_type_name(list));
        ky_free(&doc);
        return -1;
    }
    size_t items = ky_is_null(list) ? 0 : list->n;
    if (items > CONTEXTS_TEXT_MAX)
        items = CONTEXTS_TEXT_MAX;
    char **v = xcalloc(items + 1, sizeof *v);
    size_t count = 0;
    for (size_t i = 0; i < items; i++) {
        const ky_node *name = ky_get(list->vals[i], "name");
        if (!name || name->type != KY_SCALAR || ky_is_null(name) || name->len == 0 || strlen(name->str) != name->len ||
            kube_has_control_chars(name->str, name->len) || name_listed(v, count, name->str))
            continue;
        v[count++] = xstrdup(name->str);
    }
    ky_free(&doc);
    *names = v;
    *n = count;
    return 0;
}

int kube_target_warnings(const kube_target *t, time_t now, char *out, size_t outlen)
{
    buf b = BUF_INIT;
    int count = 0;
    if (t->insecure_skip_tls_verify) {
        buf_puts(&b, "TLS verification disabled (insecure-skip-tls-verify)");
        count++;
    }
    if (t->auth != KUBE_AUTH_NONE && t->server && strncmp(t->server, "http://", 7) == 0) {
        buf_printf(&b, "%splain HTTP: credentials are sent unencrypted", count ? "; " : "");
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
    secret_free(t->client_key_pem, t->client_key_pem_len);
    free(t->cert_subject);
    secret_free(t->token, 0);
    free(t->token_file);
    free(t->username);
    secret_free(t->password, 0);
    kc_exec_free(t->exec);
    free(t);
}
