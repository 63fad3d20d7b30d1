/* --once -o json|yaml|name: a pane's rows as data (see once.h, docs/once.md). Strings from the
 * cluster are not sanitized here: cJSON and the YAML writer escape them as their format needs. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client/kinds.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "tui/once.h"
#include "views/yaml.h"

#define ONCE_API_VERSION "hcptui.io/v1"

/* "HostedCluster" -> "hostedcluster", kubectl's resource form for -o name. */
static void lower_kind(res_kind kind, char *out, size_t outlen)
{
    const char *k = res_kind_name(kind);
    size_t i = 0;
    for (; k && k[i] && i + 1 < outlen; i++)
        out[i] = (char)tolower((unsigned char)k[i]);
    out[i] = '\0';
}

static cJSON *row_json(const view_model *m, size_t row, const view_object *o, struct store *st, time_t now)
{
    const view_ops *ops = view_model_ops(m);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "kind", res_kind_name(o->kind));
    cJSON_AddStringToObject(item, "namespace", o->ns);
    cJSON_AddStringToObject(item, "name", o->name);
    cJSON *cluster = cJSON_AddObjectToObject(item, "cluster");
    if (o->cluster_name[0]) {
        cJSON_AddStringToObject(cluster, "namespace", o->cluster_ns);
        cJSON_AddStringToObject(cluster, "name", o->cluster_name);
    } else {
        cJSON_AddNullToObject(cluster, "namespace");
        cJSON_AddNullToObject(cluster, "name");
    }
    cJSON *fields = cJSON_AddObjectToObject(item, "fields");
    view_cell cell;
    for (size_t c = 0; c < ops->n_columns; c++) {
        view_model_cell(m, row, c, &cell);
        cJSON_AddStringToObject(fields, ops->columns[c].id, cell.text);
    }
    cJSON *facts = facts_json(st, o, now);
    cJSON_AddItemToObject(item, "facts", facts ? facts : cJSON_CreateNull());
    return item;
}

cJSON *once_document(const view_model *m, struct store *st, const once_source *src)
{
    const view_ops *ops = view_model_ops(m);
    cJSON *doc = cJSON_CreateObject();
    char when[21];
    rfc3339_format(src->now, when);
    cJSON_AddStringToObject(doc, "apiVersion", ONCE_API_VERSION);
    cJSON_AddStringToObject(doc, "pane", ops->name);
    cJSON_AddStringToObject(doc, "generatedAt", when);
    cJSON_AddStringToObject(doc, "context", src->context ? src->context : "");
    cJSON_AddStringToObject(doc, "server", src->server ? src->server : "");
    cJSON *columns = cJSON_AddArrayToObject(doc, "columns");
    for (size_t c = 0; c < ops->n_columns; c++) {
        cJSON *col = cJSON_CreateObject();
        cJSON_AddStringToObject(col, "id", ops->columns[c].id);
        cJSON_AddStringToObject(col, "title", ops->columns[c].title);
        cJSON_AddItemToArray(columns, col);
    }
    cJSON *items = cJSON_AddArrayToObject(doc, "items");
    size_t rows = view_model_rows(m);
    for (size_t r = 0; r < rows; r++) {
        view_object o;
        /* heading rows (an etcd block's title) are no object: each pod carries its block's facts */
        if (view_model_row_is_heading(m, r) || !view_model_row_object(m, r, &o) || o.kind >= RES_KIND_COUNT)
            continue;
        cJSON_AddItemToArray(items, row_json(m, r, &o, st, src->now));
    }
    return doc;
}

void once_print_json(FILE *f, const view_model *m, struct store *st, const once_source *src)
{
    cJSON *doc = once_document(m, st, src);
    char *text = cJSON_Print(doc);
    fputs(text ? text : "null", f);
    fputc('\n', f);
    free(text);
    cJSON_Delete(doc);
}

void once_print_yaml(FILE *f, const view_model *m, struct store *st, const once_source *src)
{
    cJSON *doc = once_document(m, st, src);
    buf out = BUF_INIT;
    yaml_from_json(doc, &out);
    fputs(buf_str(&out), f);
    buf_free(&out);
    cJSON_Delete(doc);
}

void once_print_names(FILE *f, const view_model *m)
{
    size_t rows = view_model_rows(m);
    for (size_t r = 0; r < rows; r++) {
        view_object o;
        if (view_model_row_is_heading(m, r) || !view_model_row_object(m, r, &o) || o.kind >= RES_KIND_COUNT)
            continue;
        char kind[64];
        lower_kind(o.kind, kind, sizeof kind);
        /* names are DNS labels as the API server admits them; printed as they are, like kubectl */
        fprintf(f, "%s/%s/%s\n", kind, o.ns, o.name);
    }
}
