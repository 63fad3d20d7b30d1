/* Kubernetes Status bodies, shaped exactly as kube-apiserver writes them (field order included, since
 * clients and golden tests compare the text). */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/store.h"

/* {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":..,"reason":..} */
static cJSON *status_head(int code, const char *reason, const char *message)
{
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "kind", "Status");
    cJSON_AddStringToObject(st, "apiVersion", "v1");
    cJSON_AddItemToObject(st, "metadata", cJSON_CreateObject());
    cJSON_AddStringToObject(st, "status", code >= 200 && code < 300 ? "Success" : "Failure");
    if (message && *message)
        cJSON_AddStringToObject(st, "message", message);
    if (reason && *reason)
        cJSON_AddStringToObject(st, "reason", reason);
    return st;
}

/* details {name, group, kind}; the apiserver omits empty members (core group, no name). */
static cJSON *details_of(const char *name, const char *group, const char *kind)
{
    cJSON *d = cJSON_CreateObject();
    if (name && *name)
        cJSON_AddStringToObject(d, "name", name);
    if (group && *group)
        cJSON_AddStringToObject(d, "group", group);
    if (kind && *kind)
        cJSON_AddStringToObject(d, "kind", kind);
    return d;
}

cJSON *sim_status(int code, const char *reason, const char *message, const sim_kind *k, const char *name)
{
    cJSON *st = status_head(code, reason, message);
    if (k)
        cJSON_AddItemToObject(st, "details", details_of(name, k->group, k->plural));
    cJSON_AddNumberToObject(st, "code", code);
    return st;
}

sim_reply sim_reply_status(int code, const char *reason, const char *message, const sim_kind *k, const char *name)
{
    sim_reply r = {code, sim_status(code, reason, message, k, name)};
    return r;
}

/* "HostedCluster.hypershift.openshift.io" or "Pod": how Invalid and precondition messages name a kind. */
static void kind_qualified(const char *kind, const char *group, buf *out)
{
    buf_puts(out, kind);
    if (group && *group)
        buf_printf(out, ".%s", group);
}

/* Rebuilds the message from the causes: one cause reads "field: msg", several "[a: x, b: y]". */
static void invalid_rebuild_message(cJSON *st)
{
    cJSON *details = cJSON_GetObjectItemCaseSensitive(st, "details");
    cJSON *causes = cJSON_GetObjectItemCaseSensitive(details, "causes");
    buf m = BUF_INIT;
    const char *kind = json_str_at(details, "kind", NULL);
    kind_qualified(kind ? kind : "", json_str_at(details, "group", NULL), &m);
    const char *name = json_str_at(details, "name", NULL);
    buf_printf(&m, " \"%s\" is invalid: ", name ? name : "");
    int n = cJSON_GetArraySize(causes);
    if (n > 1)
        buf_putc(&m, '[');
    int i = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, causes)
    {
        const char *field = json_str_at(c, "field", NULL);
        const char *msg = json_str_at(c, "message", NULL);
        if (i++)
            buf_puts(&m, ", ");
        if (field && *field)
            buf_printf(&m, "%s: ", field);
        buf_puts(&m, msg ? msg : "");
    }
    if (n > 1)
        buf_putc(&m, ']');
    json_set_str(st, "message", buf_str(&m));
    buf_free(&m);
}

void sim_status_add_cause(cJSON *status, const char *field, const char *cause_reason, const char *cause_message)
{
    cJSON *details = json_obj_child(status, "details");
    cJSON *causes = cJSON_GetObjectItemCaseSensitive(details, "causes");
    if (!cJSON_IsArray(causes)) {
        causes = cJSON_CreateArray();
        json_set_item(details, "causes", causes);
    }
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "reason", cause_reason ? cause_reason : "FieldValueInvalid");
    cJSON_AddStringToObject(c, "message", cause_message ? cause_message : "");
    if (field && *field)
        cJSON_AddStringToObject(c, "field", field);
    cJSON_AddItemToArray(causes, c);
    invalid_rebuild_message(status);
}

cJSON *sim_status_invalid(const sim_kind *k, const char *name, const char *field, const char *cause_reason,
                          const char *cause_message)
{
    /* A placeholder message keeps the apiserver's member order; the rebuild fills it from the causes. */
    cJSON *st = status_head(422, "Invalid", "-");
    cJSON_AddItemToObject(st, "details", details_of(name, k ? k->group : "", k ? k->kind : ""));
    cJSON_AddNumberToObject(st, "code", 422);
    sim_status_add_cause(st, field, cause_reason, cause_message);
    return st;
}
