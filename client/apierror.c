/* API errors in words (see apierror.h). */
#include "client/apierror.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/backoff.h"
#include "common/buf.h"
#include "common/jsonutil.h"

#define BODY_EXCERPT 200 /* of a non-Status body, for 5xx and unknown answers */

static char *str_or_null(const cJSON *obj, const char *key)
{
    const char *s = json_str_at(obj, key, NULL);
    return s ? xstrdup(s) : NULL;
}

bool api_status_from_json(const cJSON *obj, api_status *out)
{
    memset(out, 0, sizeof *out);
    const char *kind = json_str_at(obj, "kind", NULL);
    if (!cJSON_IsObject(obj) || !kind || strcmp(kind, "Status") != 0)
        return false;
    int64_t v;
    if (json_int_at(&v, obj, "code", NULL) && v >= 0 && v < 1000)
        out->code = (long)v;
    out->status = str_or_null(obj, "status");
    out->reason = str_or_null(obj, "reason");
    out->message = str_or_null(obj, "message");
    const cJSON *details = json_at(obj, "details", NULL);
    if (details) {
        out->name = str_or_null(details, "name");
        out->group = str_or_null(details, "group");
        out->kind = str_or_null(details, "kind");
        if (json_int_at(&v, details, "retryAfterSeconds", NULL) && v > 0)
            out->retry_after_seconds = v;
        const cJSON *causes = cJSON_GetObjectItemCaseSensitive(details, "causes");
        if (cJSON_IsArray(causes)) {
            int n = cJSON_GetArraySize(causes);
            if (n > 64)
                n = 64; /* enough to act on; a hostile list stays bounded */
            out->causes = n > 0 ? xcalloc((size_t)n, sizeof *out->causes) : NULL;
            const cJSON *c;
            cJSON_ArrayForEach(c, causes)
            {
                if ((int)out->ncauses >= n)
                    break;
                if (!cJSON_IsObject(c))
                    continue;
                api_cause *dst = &out->causes[out->ncauses++];
                dst->reason = str_or_null(c, "reason");
                dst->message = str_or_null(c, "message");
                dst->field = str_or_null(c, "field");
            }
        }
    }
    return true;
}

bool api_status_parse(const char *body, size_t len, api_status *out)
{
    memset(out, 0, sizeof *out);
    if (!body || len == 0)
        return false;
    cJSON *root = json_parse_len(body, len);
    if (!root)
        return false;
    bool ok = api_status_from_json(root, out);
    cJSON_Delete(root);
    return ok;
}

void api_status_free(api_status *s)
{
    if (!s)
        return;
    free(s->status);
    free(s->reason);
    free(s->message);
    free(s->name);
    free(s->group);
    free(s->kind);
    for (size_t i = 0; i < s->ncauses; i++) {
        free(s->causes[i].reason);
        free(s->causes[i].message);
        free(s->causes[i].field);
    }
    free(s->causes);
    memset(s, 0, sizeof *s);
}

/* ---- pieces of the request path ------------------------------------------------------------------ */

/* The segment after "/namespaces/" in path, into out; false when there is none. */
static bool path_namespace(const char *path, char *out, size_t outlen)
{
    const char *p = path ? strstr(path, "/namespaces/") : NULL;
    if (!p)
        return false;
    p += strlen("/namespaces/");
    size_t n = strcspn(p, "/?");
    if (n == 0 || n >= outlen)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

/* A quoted value following marker in s ("User \"" -> alice), into out. */
static bool quoted_after(const char *s, const char *marker, char *out, size_t outlen)
{
    const char *p = s ? strstr(s, marker) : NULL;
    if (!p)
        return false;
    p += strlen(marker);
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= outlen)
        return false;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return true;
}

/* kube-apiserver's RBAC denial: `... is forbidden: User "u" cannot VERB resource "R" in API group "G"
 * in the namespace "N"` or `... at the cluster scope`, possibly followed by ": reason". */
static bool forbidden_words(const char *msg, buf *out)
{
    char user[256], res[256], ns[256], verb[64];
    if (!quoted_after(msg, "User \"", user, sizeof user))
        return false;
    const char *c = strstr(msg, "\" cannot ");
    if (!c)
        return false;
    c += strlen("\" cannot ");
    size_t vl = strcspn(c, " ");
    if (vl == 0 || vl >= sizeof verb)
        return false;
    memcpy(verb, c, vl);
    verb[vl] = '\0';
    if (!quoted_after(c, "resource \"", res, sizeof res))
        return false;
    buf_printf(out, "forbidden: user %s cannot %s %s", user, verb, res);
    if (quoted_after(c, "in the namespace \"", ns, sizeof ns))
        buf_printf(out, " in namespace %s", ns);
    else if (strstr(c, "at the cluster scope"))
        buf_puts(out, " at the cluster scope");
    return true;
}

static const char *verb_of(const char *method)
{
    if (!method || strcmp(method, "GET") == 0)
        return "read";
    if (strcmp(method, "PATCH") == 0)
        return "patch";
    if (strcmp(method, "PUT") == 0)
        return "update";
    if (strcmp(method, "DELETE") == 0)
        return "delete";
    if (strcmp(method, "POST") == 0)
        return "create";
    return method;
}

/* The object's "ns/name" for conflict words: details.name, namespace from the path. */
static void object_ref(const api_status *st, const char *path, buf *out)
{
    char ns[256];
    const char *name = st && st->name ? st->name : NULL;
    char from_path[256] = "";
    if (!name && path) {
        const char *q = path + strcspn(path, "?");
        const char *slash = q;
        while (slash > path && slash[-1] != '/')
            slash--;
        size_t n = (size_t)(q - slash);
        if (n > 0 && n < sizeof from_path) {
            memcpy(from_path, slash, n);
            from_path[n] = '\0';
            name = from_path;
        }
    }
    if (path_namespace(path, ns, sizeof ns))
        buf_printf(out, "%s/%s", ns, name ? name : "?");
    else
        buf_puts(out, name ? name : "the object");
}

static void retry_words(buf *out, const api_status *st, const char *retry_after)
{
    int64_t ms = -1;
    if (retry_after && backoff_parse_retry_after(retry_after, time(NULL), &ms))
        buf_printf(out, "; retry after %llds", (long long)(ms / 1000));
    else if (st && st->retry_after_seconds > 0)
        buf_printf(out, "; retry after %llds", (long long)st->retry_after_seconds);
}

char *apierror_status_words(const api_status *st, long code, const char *method, const char *path,
                            const char *retry_after)
{
    buf out = BUF_INIT;
    const char *reason = st && st->reason ? st->reason : "";
    const char *msg = st && st->message && *st->message ? st->message : NULL;
    if (st && st->code > 0 && code == 0)
        code = st->code;

    if (code == 403 || strcmp(reason, "Forbidden") == 0) {
        if (!(msg && forbidden_words(msg, &out))) {
            if (msg)
                buf_printf(&out, "forbidden: %s", msg);
            else
                buf_printf(&out, "forbidden: not allowed to %s %s", verb_of(method), path ? path : "");
        }
    } else if (code == 401 || strcmp(reason, "Unauthorized") == 0) {
        buf_puts(&out, "unauthorized: the credentials were refused (token expired?)");
    } else if (strcmp(reason, "AlreadyExists") == 0) {
        buf_printf(&out, "already exists: %s", msg ? msg : "the object already exists");
    } else if (code == 409 || strcmp(reason, "Conflict") == 0) {
        buf_puts(&out, "conflict: ");
        if (msg && strstr(msg, "precondition")) {
            object_ref(st, path, &out);
            buf_puts(&out, " was deleted and created again since it was read; reload and try again");
        } else {
            buf_puts(&out, "someone else changed ");
            object_ref(st, path, &out);
            buf_puts(&out, " since it was read; reload and try again");
        }
    } else if (code == 404 || strcmp(reason, "NotFound") == 0) {
        if (st && st->name) {
            char ns[256];
            buf_printf(&out, "not found: %s %s", st->kind ? st->kind : "object", st->name);
            if (path_namespace(path, ns, sizeof ns))
                buf_printf(&out, " in namespace %s", ns);
            buf_puts(&out, " does not exist (deleted meanwhile?)");
        } else {
            buf_printf(&out, "not found: the server does not serve %s (is the API or CRD installed?)",
                       path ? path : "this path");
        }
    } else if (code == 410 || strcmp(reason, "Expired") == 0 || strcmp(reason, "Gone") == 0) {
        buf_printf(&out, "expired: %s", msg ? msg : "the resource version is too old");
    } else if (code == 422 || strcmp(reason, "Invalid") == 0) {
        buf_puts(&out, "invalid: ");
        size_t shown = 0;
        for (size_t i = 0; st && i < st->ncauses; i++) {
            const api_cause *c = &st->causes[i];
            if (!c->message)
                continue;
            if (shown++)
                buf_puts(&out, "; ");
            if (c->field && *c->field && strcmp(c->field, "<nil>") != 0)
                buf_printf(&out, "%s: ", c->field);
            buf_puts(&out, c->message);
        }
        if (!shown)
            buf_puts(&out, msg ? msg : "the server rejected the object");
    } else if (code == 429 || strcmp(reason, "TooManyRequests") == 0) {
        buf_puts(&out, "too many requests: the API server is throttling");
        if (msg)
            buf_printf(&out, " (%s)", msg);
        retry_words(&out, st, retry_after);
    } else if (code >= 500) {
        buf_printf(&out, "server error %ld", code);
        if (msg)
            buf_printf(&out, ": %s", msg);
        else if (*reason)
            buf_printf(&out, ": %s", reason);
        retry_words(&out, st, retry_after);
    } else {
        /* 400, 405, 406, 413, 415, ...: the server's own message says it best */
        buf_printf(&out, "error %ld", code);
        if (*reason)
            buf_printf(&out, " (%s)", reason);
        if (msg)
            buf_printf(&out, ": %s", msg);
    }
    return buf_steal(&out);
}

/* First line of a non-Status body, shortened: for 5xx pages from proxies and load balancers. */
static void body_excerpt(const char *body, size_t len, buf *out)
{
    size_t n = 0;
    while (n < len && n < BODY_EXCERPT && body[n] != '\n' && body[n] != '\r' && body[n] != '\0')
        n++;
    while (n > 0 && isspace((unsigned char)body[n - 1]))
        n--;
    buf_append(out, body, n);
    if (n < len && n == BODY_EXCERPT)
        buf_puts(out, "...");
}

static char *transport_words(transport_error_kind kind, const char *text, const apierror_ctx *ctx)
{
    buf out = BUF_INIT;
    const char *server = ctx && ctx->server ? ctx->server : "the API server";
    const char *origin = ctx && ctx->origin ? ctx->origin : NULL;
    const char *detail = text && *text ? text : "no details";
    switch (kind) {
    case TRANSPORT_ERR_READ_ONLY:
    case TRANSPORT_ERR_INVALID:
        buf_puts(&out, detail);
        break;
    case TRANSPORT_ERR_RESOLVE:
        buf_printf(&out, "cannot resolve the host name of %s (%s)", server, detail);
        break;
    case TRANSPORT_ERR_CONNECT:
        buf_printf(&out, "cannot connect to %s: refused or unreachable (%s)", server, detail);
        break;
    case TRANSPORT_ERR_TIMEOUT:
        buf_printf(&out, "timed out talking to %s (%s)", server, detail);
        break;
    case TRANSPORT_ERR_TLS_UNKNOWN_CA:
        if (ctx && ctx->ca_from_kubeconfig)
            buf_printf(&out, "the server's certificate is not signed by the CA in kubeconfig %s",
                       origin ? origin : "(certificate-authority)");
        else
            buf_printf(&out, "the server's certificate is not signed by a CA this system trusts "
                             "(add certificate-authority to kubeconfig %s)", origin ? origin : "");
        break;
    case TRANSPORT_ERR_TLS_HOSTNAME:
        buf_printf(&out, "the server's certificate does not name the host of %s (tls-server-name in kubeconfig %s?)",
                   server, origin ? origin : "");
        break;
    case TRANSPORT_ERR_TLS_EXPIRED:
        buf_printf(&out, "the server's certificate has expired or is not valid yet (%s)", detail);
        break;
    case TRANSPORT_ERR_TLS_CLIENT_CERT:
        buf_printf(&out, "the client certificate from kubeconfig %s was refused or is unusable (%s)",
                   origin ? origin : "", detail);
        break;
    case TRANSPORT_ERR_TLS:
        buf_printf(&out, "TLS with %s failed (%s)", server, detail);
        break;
    case TRANSPORT_ERR_TOO_LARGE:
        buf_printf(&out, "the answer from %s was too large (over %u MiB)", server, TRANSPORT_MAX_BODY >> 20);
        break;
    case TRANSPORT_ERR_NETWORK:
    default:
        buf_printf(&out, "connection to %s failed (%s)", server, detail);
        break;
    }
    return buf_steal(&out);
}

void apierror_brief(long http_code, transport_error_kind kind, const char *error_text, char *out, size_t outlen)
{
    const char *w;
    switch (kind) {
    case TRANSPORT_OK:
        if (http_code == 0)
            w = "no answer";
        else if (http_code < 400)
            w = "ok";
        else {
            snprintf(out, outlen, "error %ld", http_code);
            return;
        }
        break;
    case TRANSPORT_ERR_READ_ONLY: w = "refused by read-only mode"; break;
    case TRANSPORT_ERR_INVALID: w = "invalid request"; break;
    case TRANSPORT_ERR_RESOLVE: w = "host name not resolved"; break;
    case TRANSPORT_ERR_CONNECT:
        /* curl says "Connection refused" or "No route to host"/"Network is unreachable" */
        w = error_text && strcasestr(error_text, "refused") ? "connection refused" : "server unreachable";
        break;
    case TRANSPORT_ERR_TIMEOUT: w = "timed out"; break;
    case TRANSPORT_ERR_TLS_UNKNOWN_CA: w = "TLS: certificate not trusted"; break;
    case TRANSPORT_ERR_TLS_HOSTNAME: w = "TLS: certificate names another host"; break;
    case TRANSPORT_ERR_TLS_EXPIRED: w = "TLS: certificate expired"; break;
    case TRANSPORT_ERR_TLS_CLIENT_CERT: w = "TLS: client certificate refused"; break;
    case TRANSPORT_ERR_TLS: w = "TLS failed"; break;
    case TRANSPORT_ERR_TOO_LARGE: w = "answer too large"; break;
    case TRANSPORT_ERR_NETWORK:
    default: w = "connection lost"; break;
    }
    snprintf(out, outlen, "%s", w);
}

char *apierror_words(long http_code, transport_error_kind kind, const char *error_text, const char *body,
                     size_t body_len, const char *method, const char *path, const char *retry_after,
                     const apierror_ctx *ctx)
{
    if (kind != TRANSPORT_OK)
        return transport_words(kind, error_text, ctx);
    if (http_code == 0) {
        return xasprintf("no answer from %s", ctx && ctx->server ? ctx->server : "the API server");
    }
    if (http_code < 400)
        return NULL;
    api_status st;
    if (api_status_parse(body, body_len, &st)) {
        char *w = apierror_status_words(&st, http_code, method, path, retry_after);
        api_status_free(&st);
        return w;
    }
    /* Not a Status: words from the code, plus what the body says when it is short text. */
    api_status none = {.code = http_code};
    char *w = apierror_status_words(&none, http_code, method, path, retry_after);
    if (body && body_len > 0 && http_code != 404 && http_code != 401) {
        buf out = BUF_INIT;
        buf_puts(&out, w);
        buf_puts(&out, ": ");
        body_excerpt(body, body_len, &out);
        free(w);
        return buf_steal(&out);
    }
    return w;
}

char *apierror_describe(const transport_response *r, const apierror_ctx *ctx)
{
    if (r->error_kind == TRANSPORT_OK && r->http_code > 0 && r->http_code < 400)
        return NULL;
    return apierror_words(r->http_code, r->error_kind, r->error, r->body, r->body_len, r->method, r->path,
                          r->retry_after, ctx);
}
