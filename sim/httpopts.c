#include "sim/httpopts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"

/* The values of a dryRun list, as Go's field.NotSupported prints a []string: ["a","b"]. */
static void dry_run_list(const cJSON *values, buf *out)
{
    buf_putc(out, '[');
    const cJSON *v;
    int i = 0;
    cJSON_ArrayForEach(v, values)
    {
        char *q = cJSON_PrintUnformatted(v);
        buf_printf(out, "%s%s", i++ ? "," : "", q ? q : "\"\"");
        free(q);
    }
    buf_putc(out, ']');
}

/* ValidateDryRun (k8s.io/apimachinery pkg/api/validation): every value must be "All". Answers the 422
 * and returns false when one is not. */
static bool dry_run_valid(const cJSON *values, const char *options_kind, sim_http_response *resp)
{
    const cJSON *v;
    bool ok = true;
    cJSON_ArrayForEach(v, values)
    {
        ok &= cJSON_IsString(v) && strcmp(v->valuestring, "All") == 0;
    }
    if (ok)
        return true;
    buf m = BUF_INIT;
    buf_puts(&m, "Unsupported value: ");
    dry_run_list(values, &m);
    buf_puts(&m, ": supported values: \"All\"");
    static sim_kind meta_kind = {.group = "meta.k8s.io"};
    sim_kind k = meta_kind;
    k.kind = options_kind;
    sim_response_status(resp, 422, sim_status_invalid(&k, "", "dryRun", "FieldValueNotSupported", buf_str(&m)));
    buf_free(&m);
    return false;
}

/* Every dryRun=... of the query, as a JSON array of strings. */
static cJSON *query_dry_run(const sim_http_request *req)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < req->n_query; i++)
        if (strcmp(req->query[i].key, "dryRun") == 0)
            cJSON_AddItemToArray(a, cJSON_CreateString(req->query[i].value ? req->query[i].value : ""));
    return a;
}

static bool dry_run_all(const cJSON *values)
{
    return cJSON_GetArraySize(values) > 0; /* valid values are all "All" */
}

/* ValidateFieldValidation: "", Ignore, Warn or Strict (the empty value is the default, Warn). */
static bool field_validation_of(const char *v, const char *options_kind, sim_field_validation *out,
                                sim_http_response *resp)
{
    if (!v || !*v || strcmp(v, "Warn") == 0)
        *out = SIM_FIELDS_WARN;
    else if (strcmp(v, "Strict") == 0)
        *out = SIM_FIELDS_STRICT;
    else if (strcmp(v, "Ignore") == 0)
        *out = SIM_FIELDS_IGNORE;
    else {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "Unsupported value: \"%.100s\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", v);
        sim_kind k = {.group = "meta.k8s.io", .kind = options_kind};
        sim_response_status(resp, 422, sim_status_invalid(&k, "", "fieldValidation", "FieldValueNotSupported", msg));
        return false;
    }
    return true;
}

bool sim_write_opts_of(const sim_http_request *req, const char *options_kind, sim_write_opts *wo,
                       sim_http_response *resp)
{
    memset(wo, 0, sizeof *wo);
    cJSON *dry = query_dry_run(req);
    bool ok = dry_run_valid(dry, options_kind, resp) &&
              field_validation_of(sim_query_get(req, "fieldValidation"), options_kind, &wo->fields, resp);
    wo->dry_run = ok && dry_run_all(dry);
    cJSON_Delete(dry);
    if (ok)
        wo->warnings = cJSON_CreateArray();
    return ok;
}

void sim_write_opts_done(sim_write_opts *wo, sim_http_response *resp)
{
    buf b = BUF_INIT;
    const cJSON *w;
    cJSON_ArrayForEach(w, wo->warnings)
    {
        buf_printf(&b, "%s%s", b.len ? "\n" : "", w->valuestring);
    }
    cJSON_Delete(wo->warnings);
    wo->warnings = NULL;
    if (b.len)
        resp->warnings = buf_steal(&b);
    else
        buf_free(&b);
}

static void bad_request(sim_http_response *resp, const char *msg)
{
    sim_response_status(resp, 400, sim_status(400, "BadRequest", msg, NULL, NULL));
}

/* The query parameters of a DeleteOptions (the ParameterCodec's): gracePeriodSeconds, dryRun,
 * propagationPolicy, orphanDependents. */
static cJSON *delete_opts_from_query(const sim_http_request *req, sim_http_response *resp)
{
    cJSON *o = cJSON_CreateObject();
    const char *grace = sim_query_get(req, "gracePeriodSeconds");
    if (grace) {
        errno = 0;
        char *end;
        long long g = strtoll(grace, &end, 10);
        if (!*grace || *end || errno) {
            char msg[200];
            snprintf(msg, sizeof msg, "strconv.ParseInt: parsing \"%.100s\": invalid syntax", grace);
            bad_request(resp, msg);
            cJSON_Delete(o);
            return NULL;
        }
        json_set_num(o, "gracePeriodSeconds", (double)g);
    }
    cJSON *dry = query_dry_run(req);
    if (cJSON_GetArraySize(dry) > 0)
        json_set_item(o, "dryRun", dry);
    else
        cJSON_Delete(dry);
    const char *pp = sim_query_get(req, "propagationPolicy");
    if (pp)
        json_set_str(o, "propagationPolicy", pp);
    const char *orphan = sim_query_get(req, "orphanDependents");
    if (orphan)
        json_set_bool(o, "orphanDependents", strcmp(orphan, "true") == 0);
    return o;
}

/* ValidateDeleteOptions: propagationPolicy and orphanDependents, then dryRun. */
static bool delete_opts_valid(const cJSON *o, sim_http_response *resp)
{
    const cJSON *pp = cJSON_GetObjectItemCaseSensitive(o, "propagationPolicy");
    static const sim_kind delete_options = {.group = "meta.k8s.io", .kind = "DeleteOptions"};
    cJSON *st = NULL;
    if (cJSON_IsString(pp) && cJSON_GetObjectItemCaseSensitive(o, "orphanDependents")) {
        char msg[300];
        snprintf(msg, sizeof msg, "Invalid value: \"%.100s\": orphanDependents and deletionPropagation cannot be both set",
                 pp->valuestring);
        st = sim_status_invalid(&delete_options, "", "propagationPolicy", "FieldValueInvalid", msg);
    }
    if (cJSON_IsString(pp) && strcmp(pp->valuestring, "Foreground") != 0 &&
        strcmp(pp->valuestring, "Background") != 0 && strcmp(pp->valuestring, "Orphan") != 0) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "Unsupported value: \"%.100s\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                 pp->valuestring);
        if (st)
            sim_status_add_cause(st, "propagationPolicy", "FieldValueNotSupported", msg);
        else
            st = sim_status_invalid(&delete_options, "", "propagationPolicy", "FieldValueNotSupported", msg);
    }
    if (st) {
        sim_response_status(resp, 422, st);
        return false;
    }
    return dry_run_valid(cJSON_GetObjectItemCaseSensitive(o, "dryRun"), "DeleteOptions", resp);
}

cJSON *sim_delete_opts_of(const sim_http_request *req, cJSON *body, sim_http_response *resp)
{
    cJSON *o = body ? body : delete_opts_from_query(req, resp); /* a body wins over the query */
    if (!o)
        return NULL;
    const cJSON *dry = cJSON_GetObjectItemCaseSensitive(o, "dryRun");
    if (dry && !cJSON_IsArray(dry)) {
        bad_request(resp, "json: cannot unmarshal into Go struct field DeleteOptions.dryRun of type []string");
        cJSON_Delete(o);
        return NULL;
    }
    if (!delete_opts_valid(o, resp)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
