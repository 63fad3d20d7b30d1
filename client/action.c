/* Actions: the call list and the oc lines (see action.h). */
#include "client/action.h"
#include "client/action_internal.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"

void action_free(action *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_calls; i++) {
        action_call *c = &a->calls[i];
        free(c->path);
        free(c->body);
        free(c->summary);
        free(c->ns);
        free(c->name);
    }
    free(a->calls);
    free(a->title);
    free(a->confirm_name);
    buf_free(&a->oc);
    buf_free(&a->notes);
    memset(a, 0, sizeof *a);
}

action_call *action_add_call(action *a, const char *method, res_kind kind, const char *ns, const char *name,
                             const char *subresource, const char *content_type, const char *body,
                             const char *summary)
{
    char path[1024];
    if (a->n_calls >= ACTION_MAX_CALLS || !client_object_path(kind, ns, name, path, sizeof path))
        return NULL;
    a->calls = xrealloc(a->calls, (a->n_calls + 1) * sizeof *a->calls);
    action_call *c = &a->calls[a->n_calls++];
    memset(c, 0, sizeof *c);
    c->method = method;
    c->path = subresource ? xasprintf("%s/%s", path, subresource) : xstrdup(path);
    c->content_type = content_type;
    c->body = body ? xstrdup(body) : NULL;
    c->summary = xstrdup(summary ? summary : "");
    c->kind = kind;
    c->ns = xstrdup(ns ? ns : "");
    c->name = xstrdup(name);
    return c;
}

/* Words made of these need no quotes in a shell. */
static bool shell_plain(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%", *s))
            return false;
    return true;
}

void action_shell_quote(buf *out, const char *s)
{
    if (shell_plain(s)) {
        buf_puts(out, s);
        return;
    }
    buf_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_puts(out, "'\\''");
        else
            buf_putc(out, *s);
    }
    buf_putc(out, '\'');
}

void action_oc(action *a, const char *const *words, size_t n)
{
    if (a->oc.len)
        buf_putc(&a->oc, '\n');
    buf_puts(&a->oc, "oc");
    for (size_t i = 0; i < n; i++) {
        buf_putc(&a->oc, ' ');
        action_shell_quote(&a->oc, words[i]);
    }
}

void action_note(action *a, const char *fmt, ...)
{
    if (a->notes.len)
        buf_putc(&a->notes, '\n');
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&a->notes, fmt, ap);
    va_end(ap);
}

/* ---- the builders' shared pieces (action_internal.h) -------------------------------------------- */

cJSON *patch_new(const char *rv)
{
    cJSON *root = cJSON_CreateObject();
    if (rv)
        json_set_str(json_obj_child(root, "metadata"), "resourceVersion", rv);
    return root;
}

char *patch_text(cJSON *root)
{
    char *s = cJSON_PrintUnformatted(root);
    if (!s)
        abort(); /* out of memory, as everywhere */
    char *out = xstrdup(s);
    cJSON_free(s);
    cJSON_Delete(root);
    return out;
}

/* The body without metadata.resourceVersion, for the oc line (which a runbook replays later). */
static char *body_without_rv(const char *body)
{
    cJSON *root = cJSON_Parse(body);
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");
    cJSON_DeleteItemFromObjectCaseSensitive(meta, "resourceVersion");
    if (meta && !meta->child)
        cJSON_DeleteItemFromObjectCaseSensitive(root, "metadata");
    return patch_text(root);
}

int merge_patch(action *a, const record *r, cJSON *root, bool rv_from_previous, const char *summary)
{
    const char *type = r->kind == RES_HOSTEDCLUSTER ? "hostedcluster" : "nodepool";
    char *body = patch_text(root);
    action_call *c = action_add_call(a, "PATCH", r->kind, r->meta.namespace, r->meta.name, NULL, CT_MERGE_PATCH,
                                     body, summary);
    if (!c) {
        free(body);
        return -1;
    }
    c->rv_from_previous = rv_from_previous;
    char *plain = body_without_rv(body);
    char target[600];
    snprintf(target, sizeof target, "%s/%s", type, r->meta.name);
    const char *words[] = {"patch", target, "-n", r->meta.namespace, "--type=merge", "-p", plain};
    action_oc(a, words, sizeof words / sizeof words[0]);
    free(plain);
    free(body);
    return 0;
}

int too_many(char *err, size_t errlen)
{
    return set_err(err, errlen, "too many objects for one action (at most %d calls)", ACTION_MAX_CALLS);
}

bool is_image(const char *t)
{
    return strchr(t, '/') || strchr(t, '@');
}

bool version_of_image(const char *image, ocp_version *v)
{
    const char *colon = strrchr(image, ':');
    const char *slash = strrchr(image, '/');
    if (!colon || (slash && colon < slash) || strchr(image, '@'))
        return false;
    return version_parse(colon + 1, v);
}

