/* Context names from kubeconfig text (see contexts.h). */
#include "tui/contexts.h"

#include <stdio.h>
#include <string.h>

#include "client/kubeconfig.h"
#include "client/kubeyaml.h"
#include "common/buf.h"

#define CONTEXTS_MAX 4096 /* completion lists beyond this help nobody */

static bool seen(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

int contexts_from_text(const char *yaml, size_t len, char ***names, size_t *n, char *err, size_t errlen)
{
    *names = NULL;
    *n = 0;
    ky_doc doc;
    char why[256];
    if (!yaml || ky_parse(yaml, len, &doc, why, sizeof why) < 0) {
        snprintf(err, errlen, "kubeconfig: %s", yaml ? why : "no text");
        return -1;
    }
    if (!doc.root || doc.root->type != KY_MAP) {
        snprintf(err, errlen, "kubeconfig: must be a map, got %s", doc.root ? ky_type_name(doc.root) : "nothing");
        ky_free(&doc);
        return -1;
    }
    const ky_node *list = ky_get(doc.root, "contexts");
    if (!ky_is_null(list) && list->type != KY_SEQ) {
        snprintf(err, errlen, "kubeconfig: line %d: contexts must be a list, got %s", list->line, ky_type_name(list));
        ky_free(&doc);
        return -1;
    }
    size_t items = ky_is_null(list) ? 0 : list->n;
    if (items > CONTEXTS_MAX)
        items = CONTEXTS_MAX;
    char **v = xcalloc(items + 1, sizeof *v);
    size_t count = 0;
    for (size_t i = 0; i < items; i++) {
        const ky_node *name = ky_get(list->vals[i], "name");
        if (!name || name->type != KY_SCALAR || ky_is_null(name) || name->len == 0 || strlen(name->str) != name->len ||
            kube_has_control_chars(name->str, name->len) || seen(v, count, name->str))
            continue;
        v[count++] = xstrdup(name->str);
    }
    ky_free(&doc);
    *names = v;
    *n = count;
    return 0;
}
