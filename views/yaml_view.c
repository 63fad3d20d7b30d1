/* Detail view: the focused object as YAML, one row per line (a text view: `/` searches, no sort). */
#include <stdlib.h>
#include <string.h>

#include "client/store.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"
#include "views/yaml.h"

static const view_column columns[1] = {{"line", "YAML", 20, 0, 0, false}};

static const char *const aliases[] = {"yaml", "y", NULL};

static void *yaml_create(void)
{
    return rowtab_new(1);
}

/* The store's focus slot holds the target's JSON (the client GETs it after client_focus). */
static const char *focused_json(store *st, const view_scope *scope)
{
    res_kind kind;
    const char *ns = NULL, *name = NULL;
    if (!st || !scope || !scope->target)
        return NULL;
    const char *json = store_focus_json(st, &kind, &ns, &name);
    if (!json || kind != scope->target->kind || strcmp(ns ? ns : "", scope->target->ns) != 0 ||
        strcmp(name ? name : "", scope->target->name) != 0)
        return NULL;
    return json;
}

static bool yaml_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    (void)now;
    rowtab *rt = priv;
    rowtab_begin(rt);
    /* A deleted object has no YAML to fetch any more: say so rather than "Loading the object...". */
    res_kind kind;
    bool gone = !fmt_detail_target(rt, st, scope) && st && fmt_target_kind(scope, &kind);
    const char *json = gone ? NULL : focused_json(st, scope);
    if (json) {
        char *text = yaml_from_json_text(json, strlen(json));
        if (!text) {
            rowtab_add(rt, NULL, false, ROLE_BAD);
            rowtab_set_text(rt, 0, ROLE_BAD, "(the object's JSON could not be parsed)");
        } else {
            /* Lines beyond VIEW_CELL_MAX bytes are cut (rare: long images or messages). */
            for (char *line = text; *line;) {
                char *nl = strchr(line, '\n');
                if (nl)
                    *nl = '\0';
                rowtab_add(rt, NULL, false, ROLE_DEFAULT);
                rowtab_set_text(rt, 0, ROLE_DEFAULT, line);
                if (!nl)
                    break;
                line = nl + 1;
            }
            free(text);
        }
    }
    return rowtab_end(rt);
}

const view_ops view_yaml_ops = {
    .name = "yaml",
    .title = "YAML",
    .aliases = aliases,
    .help = "The object as YAML (fetched when opened); `/` searches",
    .empty_text = "Loading the object...",
    .columns = columns,
    .n_columns = 1,
    .flags = VIEW_DETAIL | VIEW_TEXT | VIEW_FOCUS,
    .depends = VIEW_DEP_FOCUS,
    .default_sort = -1,
    .create = yaml_create,
    .refresh = yaml_refresh,
    ROWTAB_QUERY_OPS,
};
