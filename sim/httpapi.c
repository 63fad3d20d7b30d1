#include "sim/httpapi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/discovery.h"
#include "sim/httproute.h"
#include "sim/httpopts.h"
#include "sim/httpproto.h"
#include "sim/jsonread.h"
#include "sim/openapi.h"
#include "sim/rbac.h"

#define JSON_TYPE "application/json"
#define DEFAULT_WATCH_TIMEOUT_S 1800L /* kube-apiserver's --min-request-timeout */

const char *sim_identity_name(sim_identity id)
{
    switch (id) {
    case SIM_ID_ADMIN: return "admin";
    case SIM_ID_ADMIN_TOKEN: return "admin-token";
    case SIM_ID_READONLY: return "readonly";
    default: return "anonymous";
    }
}

const char *sim_query_get(const sim_http_request *req, const char *key)
{
    for (size_t i = 0; i < req->n_query; i++)
        if (strcmp(req->query[i].key, key) == 0)
            return req->query[i].value ? req->query[i].value : "";
    return NULL;
}

static bool query_true(const sim_http_request *req, const char *key)
{
    const char *v = sim_query_get(req, key);
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "True") == 0);
}

/* ---------------------------------------------------------------------------------------------- */
/* responses                                                                                       */

void sim_response_json(sim_http_response *resp, int code, cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc); /* cJSON allocates with malloc: realloc is fine */
    cJSON_Delete(doc);
    if (!text)
        abort(); /* cJSON fails only when out of memory */
    size_t len = strlen(text);
    text = xrealloc(text, len + 2); /* grown in place, not copied: lists of a big fleet are large */
    text[len] = '\n';               /* kube-apiserver ends every JSON body with a newline */
    text[len + 1] = '\0';
    resp->code = code;
    resp->content_type = JSON_TYPE;
    resp->body_len = len + 1;
    resp->body = text;
}

void sim_response_status(sim_http_response *resp, int code, cJSON *status)
{
    sim_response_json(resp, code, status);
}

static void respond_reply(sim_http_response *resp, sim_reply r)
{
    sim_response_json(resp, r.code, r.body ? r.body : cJSON_CreateObject());
}

static void respond_error(sim_http_response *resp, int code, const char *reason, const char *message)
{
    sim_response_status(resp, code, sim_status(code, reason, message, NULL, NULL));
}

void sim_status_put_details(cJSON *status, cJSON *details)
{
    /* kube-apiserver writes details before code */
    cJSON_DeleteItemFromObjectCaseSensitive(status, "details");
    cJSON *code = cJSON_DetachItemFromObjectCaseSensitive(status, "code");
    cJSON_AddItemToObject(status, "details", details);
    if (code)
        cJSON_AddItemToObject(status, "code", code);
}

static void respond_not_found(sim_http_response *resp)
{
    cJSON *st = sim_status(404, "NotFound", "the server could not find the requested resource", NULL, NULL);
    sim_status_put_details(st, cJSON_CreateObject()); /* this one carries an empty details object */
    sim_response_status(resp, 404, st);
}

static void respond_method_not_allowed(sim_http_response *resp)
{
    respond_error(resp, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

static void respond_text(sim_http_response *resp, int code, char *text)
{
    resp->code = code;
    resp->content_type = "text/plain";
    resp->body_len = strlen(text);
    resp->body = text;
}

void sim_http_response_free(sim_http_response *resp)
{
    free(resp->body);
    free(resp->warnings);
    if (resp->is_watch && resp->stream.watch)
        sim_watch_free(resp->stream.watch);
    memset(resp, 0, sizeof *resp);
}

/* ---------------------------------------------------------------------------------------------- */
/* authorization                                                                                   */

static const char *user_of(sim_identity id)
{
    return id == SIM_ID_READONLY ? SIM_READONLY_USER : id == SIM_ID_ANONYMOUS ? "system:anonymous" : SIM_ADMIN_USER;
}

/* kube-apiserver's wording: `pods "x" is forbidden: User "u" cannot delete resource "pods" in API group ""
 * in the namespace "ns"`; without a name (create, list) the quoted name is left out. */
static void respond_forbidden(sim_http_response *resp, const sim_route *r, const char *verb, sim_identity id)
{
    char qualified[128], resource[96];
    sim_kind_qualified(r->kind, qualified, sizeof qualified);
    snprintf(resource, sizeof resource, "%s%s%s", r->kind->plural, r->sub[0] ? "/" : "", r->sub);
    /* for the Namespace kind, the object's name is also the request's namespace */
    const char *ns = r->ns[0] ? r->ns : (r->kind->id == SIM_NAMESPACE && r->name[0] ? r->name : "");
    buf m = BUF_INIT;
    buf_puts(&m, qualified);
    if (r->name[0])
        buf_printf(&m, " \"%s\"", r->name);
    buf_printf(&m, " is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\"", user_of(id), verb,
               resource, r->kind->group);
    if (ns[0])
        buf_printf(&m, " in the namespace \"%s\"", ns);
    else
        buf_puts(&m, " at the cluster scope");
    sim_response_status(resp, 403, sim_status(403, "Forbidden", buf_str(&m), r->kind, r->name[0] ? r->name : NULL));
    buf_free(&m);
}

/* ---------------------------------------------------------------------------------------------- */
/* discovery, SSAR                                                                                 */

static void handle_discovery(const sim_api *api, const sim_route *r, sim_http_response *resp)
{
    cJSON *doc = NULL;
    switch (r->type) {
    case SIM_ROUTE_VERSION: doc = sim_discovery_version(); break;
    case SIM_ROUTE_API: doc = sim_discovery_api_versions(api->server_address); break;
    case SIM_ROUTE_APIS: doc = sim_discovery_group_list(); break;
    case SIM_ROUTE_GROUP: doc = sim_discovery_group(r->group); break;
    case SIM_ROUTE_RESOURCES: doc = sim_discovery_resources(r->group, r->version); break;
    default: break;
    }
    if (doc)
        sim_response_json(resp, 200, doc);
    else
        respond_not_found(resp);
}

/* The media type without parameters ("application/merge-patch+json; charset=utf-8"). */
static void media_type(const char *ct, char *out, size_t outlen)
{
    size_t n = ct ? strcspn(ct, ";") : 0;
    while (n && ct[n - 1] == ' ')
        n--;
    if (n >= outlen)
        n = 0;
    if (n)
        memcpy(out, ct, n);
    out[n] = '\0';
}

static bool is_protobuf(const sim_http_request *req)
{
    char mt[96];
    media_type(req->content_type, mt, sizeof mt);
    return strcasecmp(mt, SIM_PROTOBUF_TYPE) == 0;
}

static cJSON *parse_body(const sim_http_request *req, sim_http_response *resp)
{
    cJSON *obj;
    if (is_protobuf(req)) { /* what kubectl's typed clients send */
        char err[256];
        bool unsupported;
        if (!(obj = sim_proto_decode(req->body, req->body_len, &unsupported, err, sizeof err)))
            respond_error(resp, unsupported ? 415 : 400, unsupported ? "UnsupportedMediaType" : "BadRequest", err);
        return obj;
    }
    sim_json_error why = SIM_JSON_INVALID;
    obj = req->body_len ? sim_json_read(req->body, req->body_len, &why) : NULL;
    if (why == SIM_JSON_NUL) {
        respond_error(resp, 400, "BadRequest", SIM_JSON_NUL_MESSAGE);
        return NULL;
    }
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        respond_error(resp, 400, "BadRequest",
                      req->body_len ? "the request body is not a JSON object" : "the request body is empty");
        return NULL;
    }
    return obj;
}

static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

/* The review answered as RBAC would answer the request it describes (sim/rbac.c). */
static void handle_ssar(const sim_http_request *req, sim_http_response *resp)
{
    cJSON *review = parse_body(req, resp); /* JSON, or the protobuf kubectl auth can-i sends */
    if (!review)
        return;
    const cJSON *spec = json_at(review, "spec", NULL);
    const cJSON *ra = cJSON_GetObjectItemCaseSensitive(spec, "resourceAttributes");
    const cJSON *nra = cJSON_GetObjectItemCaseSensitive(spec, "nonResourceAttributes");
    if (cJSON_IsObject(ra) == cJSON_IsObject(nra)) {
        /* pkg/apis/authorization/validation ValidateSelfSubjectAccessReviewSpec */
        static const sim_kind ssar = {.group = "authorization.k8s.io", .kind = "SelfSubjectAccessReview"};
        bool both = cJSON_IsObject(ra);
        sim_response_status(resp, 422,
                            both ? sim_status_invalid(&ssar, "", "spec.nonResourceAttributes", "FieldValueInvalid",
                                                      "Invalid value: \"object\": cannot be specified in combination "
                                                      "with resourceAttributes")
                                 : sim_status_invalid(&ssar, "", "spec.resourceAttributes", "FieldValueInvalid",
                                                      "Invalid value: \"null\": exactly one of nonResourceAttributes "
                                                      "or resourceAttributes must be specified"));
        cJSON_Delete(review);
        return;
    }
    const char *why = cJSON_IsObject(ra)
                          ? sim_rbac_decide(req->identity, str_or_empty(json_str_at(ra, "verb", NULL)),
                                            str_or_empty(json_str_at(ra, "group", NULL)),
                                            str_or_empty(json_str_at(ra, "resource", NULL)),
                                            str_or_empty(json_str_at(ra, "subresource", NULL)))
                          : sim_rbac_decide_path(req->identity, str_or_empty(json_str_at(nra, "verb", NULL)),
                                                 str_or_empty(json_str_at(nra, "path", NULL)));
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "kind", "SelfSubjectAccessReview");
    cJSON_AddStringToObject(out, "apiVersion", "authorization.k8s.io/v1");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(out, "metadata"), "creationTimestamp", cJSON_CreateNull());
    cJSON_AddItemToObject(out, "spec", spec ? cJSON_Duplicate(spec, true) : cJSON_CreateObject());
    cJSON *status = cJSON_AddObjectToObject(out, "status");
    cJSON_AddBoolToObject(status, "allowed", why != NULL);
    if (why && *why)
        cJSON_AddStringToObject(status, "reason", why);
    cJSON_Delete(review);
    sim_response_json(resp, 201, out);
}

/* ---------------------------------------------------------------------------------------------- */
/* objects                                                                                         */

static const char *ns_of(const sim_route *r)
{
    return r->ns[0] ? r->ns : NULL;
}

static bool want_table(const sim_http_request *req, const sim_route *r, sim_table_include *inc,
                       sim_http_response *resp)
{
    if (r->sub[0] || !sim_accept_wants_table(req->accept))
        return false;
    if (!sim_table_include_parse(sim_query_get(req, "includeObject"), inc)) {
        respond_error(resp, 400, "BadRequest", "includeObject must be one of None, Metadata or Object");
        return false;
    }
    return true;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s || strspn(s, "-0123456789") != strlen(s))
        return false;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool list_opts_of(const sim_http_request *req, const sim_route *r, sim_list_opts *o, sim_http_response *resp)
{
    memset(o, 0, sizeof *o);
    o->ns = ns_of(r);
    o->label_selector = sim_query_get(req, "labelSelector");
    o->field_selector = sim_query_get(req, "fieldSelector");
    o->continue_token = sim_query_get(req, "continue");
    const char *limit = sim_query_get(req, "limit");
    if (limit && *limit && !parse_long(limit, 0, 1000000000L, &o->limit)) {
        respond_error(resp, 400, "BadRequest", "limit must be a non-negative integer");
        return false;
    }
    return true;
}

/* Watches and deletecollection see every match: paging does not apply to them. */
static void unpaged(sim_list_opts *o)
{
    o->limit = 0;
    o->continue_token = NULL;
}

static void handle_list(const sim_api *api, const sim_http_request *req, const sim_route *r,
                        sim_http_response *resp)
{
    sim_list_opts o;
    if (!list_opts_of(req, r, &o, resp))
        return;
    sim_table_include inc;
    bool table = want_table(req, r, &inc, resp);
    if (resp->body)
        return;
    sim_reply rep = sim_store_list(api->store, r->kind, &o);
    if (table && rep.code == 200) {
        cJSON *t = sim_table_of_list(r->kind, rep.body, inc, sim_store_now(api->store));
        cJSON_Delete(rep.body);
        rep.body = t;
    }
    respond_reply(resp, rep);
}

static void handle_get(const sim_api *api, const sim_http_request *req, const sim_route *r, sim_subresource sub,
                       sim_http_response *resp)
{
    sim_table_include inc;
    bool table = want_table(req, r, &inc, resp);
    if (resp->body)
        return;
    sim_reply rep = sim_store_get(api->store, r->kind, ns_of(r), r->name, sub);
    if (table && rep.code == 200) {
        cJSON *t = sim_table_of_object(r->kind, rep.body, inc, sim_store_now(api->store));
        cJSON_Delete(rep.body);
        rep.body = t;
    }
    respond_reply(resp, rep);
}

static void handle_watch(const sim_api *api, const sim_http_request *req, const sim_route *r,
                         sim_http_response *resp)
{
    sim_list_opts o;
    if (!list_opts_of(req, r, &o, resp))
        return;
    unpaged(&o);
    /* a watch on a name (the deprecated form) is a watch with metadata.name in the field selector */
    char *fields = NULL;
    if (r->name[0]) {
        buf f = BUF_INIT;
        buf_printf(&f, "metadata.name=%s", r->name);
        if (o.field_selector && *o.field_selector)
            buf_printf(&f, ",%s", o.field_selector);
        fields = buf_steal(&f);
        o.field_selector = fields;
    }
    sim_watch_stream ws = {0};
    ws.kind = r->kind;
    ws.bookmarks = query_true(req, "allowWatchBookmarks");
    ws.timeout_s = DEFAULT_WATCH_TIMEOUT_S;
    const char *timeout = sim_query_get(req, "timeoutSeconds");
    if (timeout && *timeout && !parse_long(timeout, 0, 7L * 24 * 3600, &ws.timeout_s)) {
        free(fields);
        respond_error(resp, 400, "BadRequest", "timeoutSeconds must be a non-negative integer");
        return;
    }
    if (ws.timeout_s == 0)
        ws.timeout_s = DEFAULT_WATCH_TIMEOUT_S;
    ws.table = want_table(req, r, &ws.include, resp);
    if (resp->body) {
        free(fields);
        return;
    }
    sim_reply rep = sim_store_watch(api->store, r->kind, &o, sim_query_get(req, "resourceVersion"), &ws.watch);
    free(fields);
    if (rep.code == 410) {
        /* a watch too far back: HTTP 200, one ERROR event, end of stream */
        cJSON *ev = cJSON_CreateObject();
        cJSON_AddStringToObject(ev, "type", "ERROR");
        cJSON_AddItemToObject(ev, "object", rep.body);
        sim_response_json(resp, 200, ev);
        resp->is_watch = true;
        return;
    }
    if (rep.code != 200) {
        respond_reply(resp, rep);
        return;
    }
    cJSON_Delete(rep.body);
    resp->code = 200;
    resp->content_type = JSON_TYPE;
    resp->is_watch = true;
    resp->stream = ws;
}

static bool body_namespace_matches(const cJSON *obj, const sim_route *r, sim_http_response *resp)
{
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    if (r->kind->namespaced && ns && *ns && r->ns[0] && strcmp(ns, r->ns) != 0) {
        respond_error(resp, 400, "BadRequest",
                      "the namespace of the provided object does not match the namespace sent on the request");
        return false;
    }
    return true;
}

static void handle_create(const sim_api *api, const sim_http_request *req, const sim_route *r,
                          sim_http_response *resp)
{
    if (r->kind->namespaced && !r->ns[0]) {
        respond_method_not_allowed(resp);
        return;
    }
    sim_write_opts wo;
    if (!sim_write_opts_of(req, "CreateOptions", &wo, resp))
        return;
    cJSON *obj = parse_body(req, resp);
    if (obj && body_namespace_matches(obj, r, resp))
        respond_reply(resp, sim_store_create(api->store, r->kind, ns_of(r), obj, &wo));
    cJSON_Delete(obj);
    sim_write_opts_done(&wo, resp);
}

static sim_subresource sub_of(const sim_route *r)
{
    return strcmp(r->sub, "status") == 0 ? SIM_SUB_STATUS : strcmp(r->sub, "scale") == 0 ? SIM_SUB_SCALE
                                                                                           : SIM_SUB_NONE;
}

static void handle_update(const sim_api *api, const sim_http_request *req, const sim_route *r,
                          sim_http_response *resp)
{
    sim_write_opts wo;
    if (!sim_write_opts_of(req, "UpdateOptions", &wo, resp))
        return;
    cJSON *obj = parse_body(req, resp);
    const char *name = json_str_at(obj, "metadata", "name", NULL);
    if (!obj) {
        /* parse_body answered */
    } else if (name && strcmp(name, r->name) != 0) {
        char msg[640];
        snprintf(msg, sizeof msg, "the name of the object (%s) does not match the name on the URL (%s)", name,
                 r->name);
        respond_error(resp, 400, "BadRequest", msg);
    } else if (body_namespace_matches(obj, r, resp)) {
        respond_reply(resp, sim_store_update(api->store, r->kind, ns_of(r), r->name, obj, sub_of(r), &wo));
    }
    cJSON_Delete(obj);
    sim_write_opts_done(&wo, resp);
}

static void handle_patch(const sim_api *api, const sim_http_request *req, const sim_route *r,
                         sim_http_response *resp)
{
    char mt[96];
    media_type(req->content_type, mt, sizeof mt);
    sim_patch_type type;
    bool ok = true;
    if (strcasecmp(mt, "application/merge-patch+json") == 0)
        type = SIM_PATCH_MERGE;
    else if (strcasecmp(mt, "application/json-patch+json") == 0)
        type = SIM_PATCH_JSON;
    else if (strcasecmp(mt, "application/strategic-merge-patch+json") == 0 && !r->kind->custom)
        type = SIM_PATCH_STRATEGIC;
    else
        ok = false;
    if (!ok) {
        /* server-side apply is not emulated: it gets the same 415 as an unknown type */
        respond_error(resp, 415, "UnsupportedMediaType",
                      r->kind->custom ? "the body of the request was in an unknown format - accepted media types "
                                        "include: application/json-patch+json, application/merge-patch+json, "
                                        "application/apply-patch+yaml"
                                      : "the body of the request was in an unknown format - accepted media types "
                                        "include: application/json-patch+json, application/merge-patch+json, "
                                        "application/apply-patch+yaml, application/strategic-merge-patch+json");
        return;
    }
    sim_write_opts wo;
    if (!sim_write_opts_of(req, "PatchOptions", &wo, resp))
        return;
    respond_reply(resp,
                  sim_store_patch(api->store, r->kind, ns_of(r), r->name, type, req->body, req->body_len, sub_of(r), &wo));
    sim_write_opts_done(&wo, resp);
}

/* The DeleteOptions of a DELETE (its body, else its query), or NULL when resp got the error. */
static cJSON *delete_options(const sim_http_request *req, sim_http_response *resp)
{
    cJSON *body = NULL;
    if (req->body_len && !(body = parse_body(req, resp)))
        return NULL;
    return sim_delete_opts_of(req, body, resp);
}

static void handle_delete(const sim_api *api, const sim_http_request *req, const sim_route *r,
                          sim_http_response *resp)
{
    cJSON *options = delete_options(req, resp);
    if (!options)
        return;
    respond_reply(resp, sim_store_delete(api->store, r->kind, ns_of(r), r->name, options));
    cJSON_Delete(options);
}

/* DELETE on a collection: every object the selectors match; the answer is the list of them. */
static void handle_delete_collection(const sim_api *api, const sim_http_request *req, const sim_route *r,
                                     sim_http_response *resp)
{
    sim_list_opts o;
    if (!list_opts_of(req, r, &o, resp))
        return;
    unpaged(&o);
    cJSON *options = delete_options(req, resp);
    if (!options)
        return;
    sim_reply list = sim_store_list(api->store, r->kind, &o);
    if (list.code != 200) {
        cJSON_Delete(options);
        respond_reply(resp, list);
        return;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, json_at(list.body, "items", NULL))
    {
        const char *ns = json_str_at(item, "metadata", "namespace", NULL);
        const char *name = json_str_at(item, "metadata", "name", NULL);
        if (!name)
            continue;
        sim_reply d = sim_store_delete(api->store, r->kind, ns, name, options);
        cJSON_Delete(d.body);
    }
    cJSON_Delete(options);
    respond_reply(resp, list);
}

/* ---------------------------------------------------------------------------------------------- */
/* pods/log                                                                                        */

static char *tail_lines(char *text, long n)
{
    size_t len = strlen(text);
    if (n < 0)
        return text;
    size_t end = len, start = len;
    if (end && text[end - 1] == '\n')
        start = end - 1;
    long lines = 0;
    while (start > 0) {
        if (text[start - 1] == '\n' && ++lines == n)
            break;
        start--;
    }
    if (n == 0)
        start = len;
    memmove(text, text + start, len - start + 1);
    return text;
}

/* The waiting reason of a container that has never run (ContainerCreating, PodInitializing), or NULL.
 * A crash-looping container has run: its log is that of its last attempt. */
static const char *waiting_reason(const cJSON *pod, const char *container)
{
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(pod, "status", "containerStatuses", NULL))
    {
        const char *n = json_str_at(cs, "name", NULL);
        if (!n || strcmp(n, container) != 0)
            continue;
        const char *reason = json_str_at(cs, "state", "waiting", "reason", NULL);
        int64_t restarts = 0;
        json_int_at(&restarts, cs, "restartCount", NULL);
        if (reason && restarts == 0 && !json_at(cs, "lastState", "terminated", NULL))
            return reason;
    }
    return NULL;
}

static void handle_log(const sim_api *api, const sim_http_request *req, const sim_route *r,
                       sim_http_response *resp)
{
    long tail = -1;
    const char *tl = sim_query_get(req, "tailLines");
    if (tl && *tl && !parse_long(tl, 0, 100000000L, &tail)) {
        respond_error(resp, 400, "BadRequest", "tailLines must be a non-negative integer");
        return;
    }
    sim_reply pod = sim_store_get(api->store, r->kind, ns_of(r), r->name, SIM_SUB_NONE);
    if (pod.code != 200) {
        respond_reply(resp, pod);
        return;
    }
    const cJSON *containers = json_at(pod.body, "spec", "containers", NULL);
    const char *container = sim_query_get(req, "container");
    char msg[1024];
    if (!container || !*container) {
        if (cJSON_GetArraySize(containers) == 1) {
            container = json_str_at(cJSON_GetArrayItem(containers, 0), "name", NULL);
        } else {
            buf names = BUF_INIT;
            const cJSON *c;
            cJSON_ArrayForEach(c, containers)
            {
                const char *n = json_str_at(c, "name", NULL);
                buf_printf(&names, "%s%s", names.len ? " " : "", n ? n : "");
            }
            snprintf(msg, sizeof msg, "a container name must be specified for pod %s, choose one of: [%s]", r->name,
                     buf_str(&names));
            buf_free(&names);
            cJSON_Delete(pod.body);
            respond_error(resp, 400, "BadRequest", msg);
            return;
        }
    }
    bool known = false;
    const cJSON *c;
    cJSON_ArrayForEach(c, containers)
    {
        const char *n = json_str_at(c, "name", NULL);
        known |= n && container && strcmp(n, container) == 0;
    }
    cJSON_ArrayForEach(c, json_at(pod.body, "spec", "initContainers", NULL))
    {
        const char *n = json_str_at(c, "name", NULL);
        known |= n && container && strcmp(n, container) == 0;
    }
    if (!known) {
        snprintf(msg, sizeof msg, "container %s is not valid for pod %s", container ? container : "", r->name);
        cJSON_Delete(pod.body);
        respond_error(resp, 400, "BadRequest", msg);
        return;
    }
    bool previous = query_true(req, "previous");
    char *log = api->world ? sim_world_pod_log(api->world, r->ns, r->name, container, previous) : NULL;
    if (!log && previous) {
        snprintf(msg, sizeof msg, "previous terminated container \"%s\" in pod \"%s\" not found", container, r->name);
        cJSON_Delete(pod.body);
        respond_error(resp, 400, "BadRequest", msg);
        return;
    }
    const char *waiting = log ? NULL : waiting_reason(pod.body, container);
    if (waiting) {
        /* kubelet's answer for a container that has not started: there is no log to read yet */
        snprintf(msg, sizeof msg, "container \"%s\" in pod \"%s\" is waiting to start: %s", container, r->name,
                 waiting);
        cJSON_Delete(pod.body);
        respond_error(resp, 400, "BadRequest", msg);
        return;
    }
    cJSON_Delete(pod.body);
    respond_text(resp, 200, tail_lines(log ? log : xstrdup(""), tail));
}

/* ---------------------------------------------------------------------------------------------- */
/* dispatch                                                                                        */

/* The verb kube-apiserver's authorizer would see. NULL: the method makes no sense on the path. */
static const char *verb_of(const sim_http_request *req, const sim_route *r)
{
    const char *m = req->method;
    bool object = r->type == SIM_ROUTE_OBJECT;
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
        return query_true(req, "watch") ? "watch" : object ? "get" : "list";
    if (strcmp(m, "POST") == 0)
        return object ? NULL : "create";
    if (strcmp(m, "PUT") == 0)
        return object ? "update" : NULL;
    if (strcmp(m, "PATCH") == 0)
        return object ? "patch" : NULL;
    if (strcmp(m, "DELETE") == 0)
        return object ? "delete" : "deletecollection";
    return NULL;
}

static void handle_objects(const sim_api *api, const sim_http_request *req, const sim_route *r,
                           sim_http_response *resp)
{
    const char *verb = verb_of(req, r);
    bool is_log = strcmp(r->sub, "log") == 0;
    if (!verb || (is_log && strcmp(verb, "get") != 0) ||
        (r->sub[0] && strcmp(verb, "delete") == 0)) {
        respond_method_not_allowed(resp);
        return;
    }
    if (!sim_rbac_allows(req->identity, verb, r->kind->group, r->kind->plural, r->sub)) {
        respond_forbidden(resp, r, verb, req->identity);
        return;
    }
    if (is_log)
        handle_log(api, req, r, resp);
    else if (strcmp(verb, "watch") == 0)
        handle_watch(api, req, r, resp);
    else if (strcmp(verb, "list") == 0)
        handle_list(api, req, r, resp);
    else if (strcmp(verb, "get") == 0)
        handle_get(api, req, r, sub_of(r), resp);
    else if (strcmp(verb, "create") == 0)
        handle_create(api, req, r, resp);
    else if (strcmp(verb, "update") == 0)
        handle_update(api, req, r, resp);
    else if (strcmp(verb, "patch") == 0)
        handle_patch(api, req, r, resp);
    else if (strcmp(verb, "delete") == 0)
        handle_delete(api, req, r, resp);
    else
        handle_delete_collection(api, req, r, resp);
}

void sim_api_handle(const sim_api *api, const sim_http_request *req, sim_http_response *resp)
{
    memset(resp, 0, sizeof *resp);
    if (req->identity == SIM_ID_ANONYMOUS) {
        respond_error(resp, 401, "Unauthorized", "Unauthorized");
        return;
    }
    bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    const char *doc = get ? sim_openapi_get(api->openapi, req->path) : NULL;
    if (doc) {
        resp->code = 200;
        resp->content_type = JSON_TYPE;
        resp->body = xstrdup(doc);
        resp->body_len = strlen(doc);
        return;
    }
    sim_route r;
    sim_route_parse(req->path, &r);
    switch (r.type) {
    case SIM_ROUTE_NOT_FOUND:
        respond_not_found(resp);
        return;
    case SIM_ROUTE_VERSION:
    case SIM_ROUTE_API:
    case SIM_ROUTE_APIS:
    case SIM_ROUTE_GROUP:
    case SIM_ROUTE_RESOURCES:
        if (get)
            handle_discovery(api, &r, resp);
        else
            respond_method_not_allowed(resp);
        return;
    case SIM_ROUTE_SSAR:
        if (strcmp(req->method, "POST") == 0)
            handle_ssar(req, resp);
        else
            respond_method_not_allowed(resp);
        return;
    case SIM_ROUTE_COLLECTION:
    case SIM_ROUTE_OBJECT:
        handle_objects(api, req, &r, resp);
        return;
    }
}

char *sim_api_watch_line(const sim_api *api, const sim_watch_stream *ws, char *line)
{
    buf b = BUF_INIT;
    if (ws->table) {
        cJSON *ev = cJSON_Parse(line);
        cJSON *obj = cJSON_GetObjectItemCaseSensitive(ev, "object");
        const char *type = json_str_at(ev, "type", NULL);
        if (obj && type && strcmp(type, "ERROR") != 0 && strcmp(type, "BOOKMARK") != 0) {
            cJSON *t = sim_table_of_object(ws->kind, obj, ws->include, sim_store_now(api->store));
            cJSON_ReplaceItemInObjectCaseSensitive(ev, "object", t);
            char *text = cJSON_PrintUnformatted(ev);
            if (text) {
                free(line);
                line = text;
            }
        }
        cJSON_Delete(ev);
    }
    buf_puts(&b, line);
    buf_putc(&b, '\n');
    free(line);
    return buf_steal(&b);
}

char *sim_api_bookmark_line(const sim_watch_stream *ws)
{
    return xasprintf("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":"
                     "{\"resourceVersion\":\"%llu\"}}}\n",
                     ws->kind->kind, sim_kind_api_version(ws->kind), (unsigned long long)sim_watch_rv(ws->watch));
}
