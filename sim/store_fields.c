/* fieldValidation on writes, as kube-apiserver's handlers apply it to what they decode
 * (k8s.io/apiserver pkg/endpoints/handlers create.go, update.go, patch.go; the unknown fields are
 * apiextensions-apiserver's pruning, sim/crdschema.c): Ignore drops unknown fields silently, Warn (the
 * server's default) drops them with one warning each, Strict refuses the write. A create or update
 * is a 400 (transformDecodeError: `HostedCluster in version "v1beta1" cannot be handled as a
 * HostedCluster: strict decoding error: unknown field "spec.foo"`); a patch a 422 on the field
 * "patch" whose value is the patched object (jsonPatcher.applyPatchToCurrentObject). What is decoded
 * then gets the schema's defaults (sim_schema_default), as the CRD decoder applies them. */
#include <stdlib.h>
#include <string.h>

#include "sim/crdschema.h"
#include "sim/store_internal.h"

/* "strict decoding error: unknown field \"a\", unknown field \"b\"" */
static void strict_error(const cJSON *unknown, buf *out)
{
    buf_puts(out, "strict decoding error: ");
    const cJSON *u;
    int i = 0;
    cJSON_ArrayForEach(u, unknown)
    {
        buf_printf(out, "%sunknown field \"%s\"", i++ ? ", " : "", u->valuestring);
    }
}

/* Go's %q of an ASCII-or-UTF-8 string: quotes, backslash escapes, printable text kept. */
static void go_quote(const char *s, buf *out)
{
    buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\t': buf_puts(out, "\\t"); break;
        case '\r': buf_puts(out, "\\r"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                buf_printf(out, "\\x%02x", *p);
            else
                buf_putc(out, (char)*p);
        }
    }
    buf_putc(out, '"');
}

bool store_check_fields(const sim_kind *k, cJSON *obj, const sim_write_opts *wo, bool patch, sim_reply *err)
{
    if (!wo) { /* the simulator's own writes: no unknown fields to look for, but defaulted as any */
        sim_schema_default(k, obj);
        return true;
    }
    cJSON *unknown = cJSON_CreateArray();
    bool ok = true;
    if (sim_schema_prune(k, obj, unknown) > 0) {
        if (wo->fields == SIM_FIELDS_STRICT) {
            buf m = BUF_INIT;
            if (patch) {
                char *txt = cJSON_PrintUnformatted(obj);
                buf_puts(&m, "Invalid value: ");
                go_quote(txt ? txt : "", &m);
                buf_puts(&m, ": ");
                free(txt);
                strict_error(unknown, &m);
                *err = reply_obj(422, sim_status_invalid(NULL, "", "patch", "FieldValueInvalid", buf_str(&m)));
            } else {
                buf_printf(&m, "%s in version \"%s\" cannot be handled as a %s: ", k->kind, k->version, k->kind);
                strict_error(unknown, &m);
                *err = store_bad_request(buf_str(&m));
            }
            buf_free(&m);
            ok = false;
        } else if (wo->fields == SIM_FIELDS_WARN && wo->warnings) {
            const cJSON *u;
            cJSON_ArrayForEach(u, unknown)
            {
                char *w = xasprintf("unknown field \"%s\"", u->valuestring);
                cJSON_AddItemToArray(wo->warnings, cJSON_CreateString(w));
                free(w);
            }
        }
    }
    cJSON_Delete(unknown);
    if (ok)
        sim_schema_default(k, obj);
    return ok;
}
