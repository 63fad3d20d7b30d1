#include "sim/crdschema.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

typedef struct fnode fnode;
struct fnode {
    char mark;   /* 0: scalar, '{' object, '[' array, '%' map, '*' anything */
    fnode *elem; /* '[' and '%': the element */
    size_t n;    /* '{': the properties */
    char **names;
    fnode **kids;
};

/* ---- the tree grammar ---- */

static fnode *parse_mark(const char **p);

static fnode *new_node(char mark)
{
    fnode *f = xcalloc(1, sizeof *f);
    f->mark = mark;
    return f;
}

/* name mark ("," name mark)* up to "}" */
static void parse_props(fnode *f, const char **p)
{
    while (**p && **p != '}') {
        size_t len = strcspn(*p, "{[%*,}");
        f->names = xrealloc(f->names, (f->n + 1) * sizeof *f->names);
        f->kids = xrealloc(f->kids, (f->n + 1) * sizeof *f->kids);
        f->names[f->n] = xstrndup(*p, len);
        *p += len;
        f->kids[f->n] = parse_mark(p);
        f->n++;
        if (**p == ',')
            (*p)++;
    }
    if (**p == '}')
        (*p)++;
}

static fnode *parse_mark(const char **p)
{
    char c = **p;
    if (c == '{') {
        (*p)++;
        fnode *f = new_node('{');
        parse_props(f, p);
        return f;
    }
    if (c == '[' || c == '%') {
        (*p)++;
        fnode *f = new_node(c);
        f->elem = parse_mark(p);
        if (c == '[' && **p == ']')
            (*p)++;
        return f;
    }
    if (c == '*') {
        (*p)++;
        return new_node('*');
    }
    return new_node(0);
}

/* The server's own members come first: apiVersion and kind, and metadata (checked apart). */
static fnode *tree_of(const char *fields)
{
    char *text = xasprintf("apiVersion,kind,metadata*,%s", fields);
    const char *p = text;
    fnode *root = new_node('{');
    parse_props(root, &p);
    free(text);
    return root;
}

static fnode *trees[SIM_KIND_COUNT];
static pthread_once_t trees_once = PTHREAD_ONCE_INIT;

static void build_trees(void)
{
    trees[SIM_HOSTEDCLUSTER] = tree_of(sim_crd_fields_hostedcluster);
    trees[SIM_NODEPOOL] = tree_of(sim_crd_fields_nodepool);
    trees[SIM_HOSTEDCONTROLPLANE] = tree_of(sim_crd_fields_hostedcontrolplane);
}

/* ---- pruning ---- */

static void note(cJSON *unknown, const buf *path, const char *key)
{
    if (!unknown)
        return;
    buf b = BUF_INIT;
    buf_printf(&b, "%s%s%s", path->len ? buf_str(path) : "", path->len ? "." : "", key);
    cJSON_AddItemToArray(unknown, cJSON_CreateString(buf_str(&b)));
    buf_free(&b);
}

static const fnode *prop(const fnode *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0)
            return f->kids[i];
    return NULL;
}

static size_t prune(const fnode *f, cJSON *v, buf *path, cJSON *unknown);

/* Descends into child (a member key, or "[i]"), keeping path. */
static size_t prune_child(const fnode *f, cJSON *v, buf *path, const char *step, bool index, cJSON *unknown)
{
    size_t mark = path->len;
    if (index)
        buf_puts(path, step);
    else
        buf_printf(path, "%s%s", path->len ? "." : "", step);
    size_t n = prune(f, v, path, unknown);
    path->len = mark;
    path->data[mark] = '\0';
    return n;
}

static size_t prune(const fnode *f, cJSON *v, buf *path, cJSON *unknown)
{
    size_t n = 0;
    if (!f || f->mark == '*' || f->mark == 0)
        return 0;
    if (f->mark == '[' && cJSON_IsArray(v)) {
        int i = 0;
        cJSON *it;
        cJSON_ArrayForEach(it, v)
        {
            char step[24];
            snprintf(step, sizeof step, "[%d]", i++);
            n += prune_child(f->elem, it, path, step, true, unknown);
        }
    } else if (f->mark == '%' && cJSON_IsObject(v)) {
        cJSON *m;
        cJSON_ArrayForEach(m, v)
        {
            n += prune_child(f->elem, m, path, m->string, false, unknown);
        }
    } else if (f->mark == '{' && cJSON_IsObject(v)) {
        cJSON *m = v->child;
        while (m) {
            cJSON *next = m->next;
            const fnode *k = prop(f, m->string);
            if (!k) {
                note(unknown, path, m->string);
                cJSON_Delete(cJSON_DetachItemViaPointer(v, m));
                n++;
            } else {
                n += prune_child(k, m, path, m->string, false, unknown);
            }
            m = next;
        }
    }
    return n;
}

/* ---- defaulting ---- */

/* Applies one default at path (below node): "a.b" sets b in node.a; "a[].b" in every item of node.a,
 * "a{}.b" in every value of the map node.a. */
static void default_at(cJSON *node, const char *path, const cJSON *value)
{
    if (!cJSON_IsObject(node))
        return;
    const char *dot = strchr(path, '.');
    if (!dot) {
        if (!cJSON_GetObjectItemCaseSensitive(node, path))
            cJSON_AddItemToObject(node, path, cJSON_Duplicate(value, true));
        return;
    }
    size_t len = (size_t)(dot - path);
    bool each = len > 2 && (strncmp(dot - 2, "[]", 2) == 0 || strncmp(dot - 2, "{}", 2) == 0);
    char *key = xstrndup(path, each ? len - 2 : len);
    cJSON *child = cJSON_GetObjectItemCaseSensitive(node, key);
    free(key);
    if (!each) {
        default_at(child, dot + 1, value);
        return;
    }
    cJSON *it;
    cJSON_ArrayForEach(it, child)
    {
        default_at(it, dot + 1, value);
    }
}

/* The defaults of each kind, their JSON parsed once (a fleet of thousands is defaulted at creation). */
typedef struct kind_defaults {
    const char *const *paths; /* path, JSON, path, JSON, ..., NULL */
    cJSON **values;
} kind_defaults;

static kind_defaults defaults[SIM_KIND_COUNT];
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void parse_defaults(void)
{
    defaults[SIM_HOSTEDCLUSTER].paths = sim_crd_defaults_hostedcluster;
    defaults[SIM_NODEPOOL].paths = sim_crd_defaults_nodepool;
    defaults[SIM_HOSTEDCONTROLPLANE].paths = sim_crd_defaults_hostedcontrolplane;
    for (size_t k = 0; k < SIM_KIND_COUNT; k++) {
        const char *const *d = defaults[k].paths;
        size_t n = 0;
        while (d && d[2 * n])
            n++;
        if (!n)
            continue;
        defaults[k].values = xcalloc(n, sizeof *defaults[k].values);
        for (size_t i = 0; i < n; i++)
            defaults[k].values[i] = cJSON_Parse(d[2 * i + 1]);
    }
}

void sim_schema_default(const sim_kind *k, cJSON *obj)
{
    pthread_once(&defaults_once, parse_defaults);
    const kind_defaults *kd = &defaults[k->id];
    for (size_t i = 0; kd->paths && kd->paths[2 * i]; i++)
        if (kd->values[i])
            default_at(obj, kd->paths[2 * i], kd->values[i]);
}

/* ObjectMeta's members (k8s.io/apimachinery pkg/apis/meta/v1 ObjectMeta). */
static bool object_meta_field(const char *name)
{
    static const char *const known[] = {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
                                        "generation", "creationTimestamp", "deletionTimestamp",
                                        "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences",
                                        "finalizers", "managedFields", NULL};
    for (const char *const *k = known; *k; k++)
        if (strcmp(*k, name) == 0)
            return true;
    return false;
}

size_t sim_schema_prune(const sim_kind *k, cJSON *obj, cJSON *unknown)
{
    pthread_once(&trees_once, build_trees);
    size_t n = 0;
    cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    if (cJSON_IsObject(md)) {
        cJSON *m = md->child;
        while (m) {
            cJSON *next = m->next;
            if (!object_meta_field(m->string)) {
                buf p = BUF_INIT;
                buf_puts(&p, "metadata");
                note(unknown, &p, m->string);
                buf_free(&p);
                cJSON_Delete(cJSON_DetachItemViaPointer(md, m));
                n++;
            }
            m = next;
        }
    }
    buf path = BUF_INIT;
    n += prune(trees[k->id], obj, &path, unknown);
    buf_free(&path);
    return n;
}
