/* OpenAPI v3 of the custom resources, built from the CRDs as apiextensions-apiserver's builder does
 * (pkg/controller/openapi/builder): for each served group-version, one document with the kinds'
 * schemas (the CRD's openAPIV3Schema, named by the reversed group, io.openshift.hypershift.v1beta1.
 * HostedCluster, with x-kubernetes-group-version-kind; metadata a $ref to ObjectMeta), their List
 * kinds, and the resource paths with their operations and query parameters (the PATCH operation
 * naming fieldValidation is how kubectl learns the server validates fields). The index /openapi/v3
 * lists the documents with a hash of each. */
#include "sim/openapi.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"
#include "sim/yamljson.h"

#define MAX_DOCS 8

typedef struct gv_doc {
    char *gv;   /* "hypershift.openshift.io/v1beta1" */
    cJSON *doc; /* the OpenAPI document */
    char *text; /* and its text, served as is */
    char hash[17];
} gv_doc;

struct sim_openapi {
    gv_doc docs[MAX_DOCS];
    size_t n;
    char *index;
};

static const char *const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

/* "hypershift.openshift.io" -> "io.openshift.hypershift" */
static void reverse_group(const char *group, buf *out)
{
    const char *end = group + strlen(group);
    while (end > group) {
        const char *dot = end;
        while (dot > group && dot[-1] != '.')
            dot--;
        buf_printf(out, "%s%.*s", out->len ? "." : "", (int)(end - dot), dot);
        end = dot > group ? dot - 1 : group;
    }
}

static cJSON *ref_to(const char *name)
{
    cJSON *r = cJSON_CreateObject();
    char *t = xasprintf("#/components/schemas/%s", name);
    cJSON_AddStringToObject(r, "$ref", t);
    free(t);
    return r;
}

static cJSON *gvk_of(const char *group, const char *version, const char *kind)
{
    cJSON *g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "group", group);
    cJSON_AddStringToObject(g, "kind", kind);
    cJSON_AddStringToObject(g, "version", version);
    return g;
}

/* A schema's x-kubernetes-group-version-kind: a list of them. */
static cJSON *gvk_ext(const char *group, const char *version, const char *kind)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, gvk_of(group, version, kind));
    return a;
}

static cJSON *string_schema(const char *description)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "description", description);
    cJSON_AddStringToObject(s, "type", "string");
    return s;
}

/* The CRD schema as the builder publishes it: apiVersion, kind and metadata as every object has them. */
static cJSON *kind_schema(const cJSON *crd_schema, const char *group, const char *version, const char *kind)
{
    cJSON *s = cJSON_Duplicate(crd_schema, true);
    cJSON *props = json_obj_child(s, "properties");
    json_set_item(props, "apiVersion",
                  string_schema("APIVersion defines the versioned schema of this representation of an object. "
                                "Servers should convert recognized schemas to the latest internal value, and may "
                                "reject unrecognized values."));
    json_set_item(props, "kind",
                  string_schema("Kind is a string value representing the REST resource this object represents. "
                                "Servers may infer this from the endpoint the client submits requests to. Cannot be "
                                "updated. In CamelCase."));
    cJSON *md = cJSON_CreateObject();
    cJSON *all = cJSON_AddArrayToObject(md, "allOf");
    char *meta = xasprintf("%sObjectMeta", META);
    cJSON_AddItemToArray(all, ref_to(meta));
    free(meta);
    cJSON_AddItemToObject(md, "default", cJSON_CreateObject());
    cJSON_AddStringToObject(md, "description", "Standard object's metadata. More info: "
                                               "https://git.k8s.io/community/contributors/devel/sig-architecture/"
                                               "api-conventions.md#metadata");
    json_set_item(props, "metadata", md);
    json_set_item(s, "x-kubernetes-group-version-kind", gvk_ext(group, version, kind));
    return s;
}

/* ObjectMeta, ListMeta, Status and Patch, as far as the kinds' documents refer to them. */
static void add_meta_schemas(cJSON *schemas)
{
    static const char *const strings[] = {"name", "generateName", "namespace", "uid", "resourceVersion",
                                          "creationTimestamp", "deletionTimestamp", NULL};
    cJSON *om = cJSON_CreateObject();
    cJSON_AddStringToObject(om, "description", "ObjectMeta is metadata that all persisted resources must have, which "
                                               "includes all objects users must create.");
    cJSON_AddStringToObject(om, "type", "object");
    cJSON *p = cJSON_AddObjectToObject(om, "properties");
    for (const char *const *f = strings; *f; f++)
        cJSON_AddStringToObject(cJSON_AddObjectToObject(p, *f), "type", "string");
    cJSON *labels = cJSON_AddObjectToObject(p, "labels");
    cJSON_AddStringToObject(labels, "type", "object");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(labels, "additionalProperties"), "type", "string");
    json_set_item(p, "annotations", cJSON_Duplicate(labels, true));
    cJSON *fin = cJSON_AddObjectToObject(p, "finalizers");
    cJSON_AddStringToObject(fin, "type", "array");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(fin, "items"), "type", "string");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "generation"), "type", "integer");
    char *name = xasprintf("%sObjectMeta", META);
    cJSON_AddItemToObject(schemas, name, om);
    free(name);
    static const char *const others[] = {"ListMeta", "Status", "Patch", "DeleteOptions", NULL};
    for (const char *const *o = others; *o; o++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "type", "object");
        name = xasprintf("%s%s", META, *o);
        cJSON_AddItemToObject(schemas, name, s);
        free(name);
    }
}

static cJSON *query_param(const char *name, const char *description)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "in", "query");
    cJSON_AddStringToObject(p, "description", description);
    cJSON_AddBoolToObject(p, "uniqueItems", true);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "schema"), "type", "string");
    return p;
}

static cJSON *path_param(const char *name)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "in", "path");
    cJSON_AddBoolToObject(p, "required", true);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "schema"), "type", "string");
    return p;
}

/* One operation: its verb, the kind it works on, and the write parameters when it writes. */
static cJSON *operation(const char *id, const char *action, const char *group, const char *version,
                        const char *kind, const char *result_schema, bool writes)
{
    cJSON *op = cJSON_CreateObject();
    cJSON_AddStringToObject(op, "operationId", id);
    cJSON *ps = cJSON_AddArrayToObject(op, "parameters");
    if (writes) {
        cJSON_AddItemToArray(ps, query_param("dryRun", "When present, indicates that modifications should not be "
                                                       "persisted. The only valid value is All."));
        cJSON_AddItemToArray(ps, query_param("fieldManager", "fieldManager is a name associated with the actor or "
                                                             "entity that is making these changes."));
        cJSON_AddItemToArray(ps, query_param("fieldValidation",
                                             "fieldValidation instructs the server on how to handle objects in the "
                                             "request containing unknown or duplicate fields: Ignore, Warn or Strict."));
    }
    cJSON *ok = cJSON_AddObjectToObject(cJSON_AddObjectToObject(op, "responses"), "200");
    cJSON_AddStringToObject(ok, "description", "OK");
    cJSON *schema = ref_to(result_schema);
    cJSON_AddItemToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(ok, "content"), "application/json"),
                          "schema", schema);
    cJSON_AddStringToObject(op, "x-kubernetes-action", action);
    json_set_item(op, "x-kubernetes-group-version-kind", gvk_of(group, version, kind));
    return op;
}

static void add_paths(cJSON *paths, const char *group, const char *version, const char *plural, const char *kind,
                      const char *schema_name, bool namespaced)
{
    buf base = BUF_INIT;
    buf_printf(&base, "/apis/%s/%s/%s%s", group, version, namespaced ? "namespaces/{namespace}/" : "", plural);
    char *list_schema = xasprintf("%sList", schema_name);
    cJSON *coll = cJSON_AddObjectToObject(paths, buf_str(&base));
    cJSON *cps = cJSON_AddArrayToObject(coll, "parameters");
    if (namespaced)
        cJSON_AddItemToArray(cps, path_param("namespace"));
    char *id = xasprintf("list%s", kind);
    cJSON_AddItemToObject(coll, "get", operation(id, "list", group, version, kind, list_schema, false));
    free(id);
    id = xasprintf("create%s", kind);
    cJSON_AddItemToObject(coll, "post", operation(id, "post", group, version, kind, schema_name, true));
    free(id);
    buf_puts(&base, "/{name}");
    cJSON *item = cJSON_AddObjectToObject(paths, buf_str(&base));
    cJSON *ips = cJSON_AddArrayToObject(item, "parameters");
    cJSON_AddItemToArray(ips, path_param("name"));
    if (namespaced)
        cJSON_AddItemToArray(ips, path_param("namespace"));
    static const struct {
        const char *method, *action, *prefix;
        bool writes;
    } ops[] = {{"get", "get", "read", false},
               {"put", "put", "replace", true},
               {"patch", "patch", "patch", true},
               {"delete", "delete", "delete", false}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        id = xasprintf("%s%s", ops[i].prefix, kind);
        cJSON_AddItemToObject(item, ops[i].method,
                              operation(id, ops[i].action, group, version, kind, schema_name, ops[i].writes));
        free(id);
    }
    free(list_schema);
    buf_free(&base);
}

static gv_doc *doc_for(sim_openapi *o, const char *group, const char *version)
{
    char *gv = xasprintf("%s/%s", group, version);
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->docs[i].gv, gv) == 0) {
            free(gv);
            return &o->docs[i];
        }
    if (o->n == MAX_DOCS) {
        free(gv);
        return NULL;
    }
    gv_doc *d = &o->docs[o->n++];
    d->gv = gv;
    d->doc = cJSON_CreateObject();
    cJSON_AddStringToObject(d->doc, "openapi", "3.0.0");
    cJSON *info = cJSON_AddObjectToObject(d->doc, "info");
    cJSON_AddStringToObject(info, "title", "Kubernetes CRD Swagger");
    cJSON_AddStringToObject(info, "version", "v0.1.0");
    cJSON_AddObjectToObject(d->doc, "paths");
    add_meta_schemas(cJSON_AddObjectToObject(cJSON_AddObjectToObject(d->doc, "components"), "schemas"));
    return d;
}

/* Adds every served version of one CRD. */
static void add_crd(sim_openapi *o, const cJSON *crd)
{
    const char *group = json_str_at(crd, "spec", "group", NULL);
    const char *kind = json_str_at(crd, "spec", "names", "kind", NULL);
    const char *plural = json_str_at(crd, "spec", "names", "plural", NULL);
    const char *scope = json_str_at(crd, "spec", "scope", NULL);
    if (!group || !kind || !plural)
        return;
    const cJSON *v;
    cJSON_ArrayForEach(v, json_at(crd, "spec", "versions", NULL))
    {
        const char *version = json_str_at(v, "name", NULL);
        const cJSON *schema = json_at(v, "schema", "openAPIV3Schema", NULL);
        if (!version || !cJSON_IsObject(schema) || cJSON_IsFalse(json_at(v, "served", NULL)))
            continue;
        gv_doc *d = doc_for(o, group, version);
        if (!d)
            return;
        buf name = BUF_INIT;
        reverse_group(group, &name);
        buf_printf(&name, ".%s.%s", version, kind);
        cJSON *schemas = json_at(d->doc, "components", "schemas", NULL);
        cJSON_AddItemToObject(schemas, buf_str(&name), kind_schema(schema, group, version, kind));
        cJSON *list = cJSON_CreateObject();
        char *list_kind = xasprintf("%sList", kind);
        cJSON_AddStringToObject(list, "type", "object");
        cJSON *items = cJSON_AddObjectToObject(cJSON_AddObjectToObject(list, "properties"), "items");
        cJSON_AddStringToObject(items, "type", "array");
        cJSON_AddItemToObject(items, "items", ref_to(buf_str(&name)));
        json_set_item(list, "x-kubernetes-group-version-kind", gvk_ext(group, version, list_kind));
        char *list_name = xasprintf("%sList", buf_str(&name));
        cJSON_AddItemToObject(schemas, list_name, list);
        add_paths(json_at(d->doc, "paths", NULL), group, version, plural, kind, buf_str(&name),
                  !scope || strcmp(scope, "Cluster") != 0);
        free(list_name);
        free(list_kind);
        buf_free(&name);
    }
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

sim_openapi *sim_openapi_load(const char *dir, char *err, size_t errlen)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0) {
        set_err(err, errlen, "--crds %s: cannot read the folder", dir);
        return NULL;
    }
    sim_openapi *o = xcalloc(1, sizeof *o);
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        size_t len = strlen(nm);
        if (len > 5 && (strcmp(nm + len - 5, ".yaml") == 0 || strcmp(nm + len - 5, ".json") == 0)) {
            char *path = xasprintf("%s/%s", dir, nm);
            FILE *f = fopen(path, "r");
            cJSON *crd = f ? sim_yaml_load(f) : NULL;
            if (f)
                fclose(f);
            const char *k = json_str_at(crd, "kind", NULL);
            if (k && strcmp(k, "CustomResourceDefinition") == 0)
                add_crd(o, crd);
            cJSON_Delete(crd);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    cJSON *index = cJSON_CreateObject();
    cJSON *paths = cJSON_AddObjectToObject(index, "paths");
    for (size_t i = 0; i < o->n; i++) {
        gv_doc *d = &o->docs[i];
        d->text = cJSON_PrintUnformatted(d->doc);
        snprintf(d->hash, sizeof d->hash, "%016llX", (unsigned long long)fnv(d->text));
        char *key = xasprintf("apis/%s", d->gv);
        char *url = xasprintf("/openapi/v3/apis/%s?hash=%s", d->gv, d->hash);
        cJSON_AddStringToObject(cJSON_AddObjectToObject(paths, key), "serverRelativeURL", url);
        free(key);
        free(url);
    }
    o->index = cJSON_PrintUnformatted(index);
    cJSON_Delete(index);
    return o;
}

void sim_openapi_free(sim_openapi *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        free(o->docs[i].gv);
        cJSON_Delete(o->docs[i].doc);
        free(o->docs[i].text);
    }
    free(o->index);
    free(o);
}

const char *sim_openapi_get(const sim_openapi *o, const char *path)
{
    if (!o || !path)
        return NULL;
    if (strcmp(path, "/openapi/v3") == 0 || strcmp(path, "/openapi/v3/") == 0)
        return o->index;
    const char *prefix = "/openapi/v3/apis/";
    if (strncmp(path, prefix, strlen(prefix)) != 0)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(path + strlen(prefix), o->docs[i].gv) == 0)
            return o->docs[i].text;
    return NULL;
}
