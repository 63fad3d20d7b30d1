#include "sim/httpproto.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/pki.h"

typedef struct reader {
    const unsigned char *p, *end;
} reader;

static bool read_varint(reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return false;
        unsigned char b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* The next field: its number, wire type, and for length-delimited ones the bytes. */
typedef struct field {
    uint64_t number;
    int wire;
    const unsigned char *data; /* wire type 2 */
    size_t len;
    uint64_t varint;           /* wire type 0 */
} field;

static bool next_field(reader *r, field *f)
{
    uint64_t key;
    if (!read_varint(r, &key))
        return false;
    f->number = key >> 3;
    f->wire = (int)(key & 7);
    f->data = NULL;
    f->len = 0;
    f->varint = 0;
    uint64_t v;
    switch (f->wire) {
    case 0: return read_varint(r, &f->varint);
    case 1:
        if (r->end - r->p < 8)
            return false;
        r->p += 8;
        return true;
    case 5:
        if (r->end - r->p < 4)
            return false;
        r->p += 4;
        return true;
    case 2:
        if (!read_varint(r, &v) || v > (uint64_t)(r->end - r->p))
            return false;
        f->data = r->p;
        f->len = (size_t)v;
        r->p += v;
        return true;
    default: return false;
    }
}

/* A message's shape: which field numbers become which JSON members. Fields not listed are skipped. */
typedef enum { P_STRING, P_BOOL, P_MESSAGE, P_MAP_STRING, P_MAP_BYTES, P_REPEATED_STRING } ptype;

typedef struct pmsg pmsg;
typedef struct pfield {
    unsigned number;
    const char *json;
    ptype type;
    const pmsg *msg; /* P_MESSAGE */
} pfield;
struct pmsg {
    const pfield *fields;
    size_t n;
};
#define PMSG(f) {f, sizeof f / sizeof f[0]}

static const pfield object_meta_fields[] = {
    {1, "name", P_STRING, NULL},         {2, "generateName", P_STRING, NULL},
    {3, "namespace", P_STRING, NULL},    {6, "resourceVersion", P_STRING, NULL},
    {11, "labels", P_MAP_STRING, NULL},  {12, "annotations", P_MAP_STRING, NULL},
    {14, "finalizers", P_REPEATED_STRING, NULL},
};
static const pmsg object_meta = PMSG(object_meta_fields);

static const pfield configmap_fields[] = {
    {1, "metadata", P_MESSAGE, &object_meta}, {2, "data", P_MAP_STRING, NULL},
    {3, "binaryData", P_MAP_BYTES, NULL},     {4, "immutable", P_BOOL, NULL},
};
static const pfield secret_fields[] = {
    {1, "metadata", P_MESSAGE, &object_meta}, {2, "data", P_MAP_BYTES, NULL}, {3, "type", P_STRING, NULL},
    {4, "stringData", P_MAP_STRING, NULL},    {5, "immutable", P_BOOL, NULL},
};
static const pfield namespace_spec_fields[] = {{1, "finalizers", P_REPEATED_STRING, NULL}};
static const pmsg namespace_spec = PMSG(namespace_spec_fields);
static const pfield namespace_fields[] = {
    {1, "metadata", P_MESSAGE, &object_meta},
    {2, "spec", P_MESSAGE, &namespace_spec},
};
static const pfield resource_attr_fields[] = {
    {1, "namespace", P_STRING, NULL}, {2, "verb", P_STRING, NULL},        {3, "group", P_STRING, NULL},
    {4, "version", P_STRING, NULL},   {5, "resource", P_STRING, NULL},    {6, "subresource", P_STRING, NULL},
    {7, "name", P_STRING, NULL},
};
static const pmsg resource_attr = PMSG(resource_attr_fields);
static const pfield nonresource_attr_fields[] = {{1, "path", P_STRING, NULL}, {2, "verb", P_STRING, NULL}};
static const pmsg nonresource_attr = PMSG(nonresource_attr_fields);
static const pfield ssar_spec_fields[] = {
    {1, "resourceAttributes", P_MESSAGE, &resource_attr},
    {2, "nonResourceAttributes", P_MESSAGE, &nonresource_attr},
};
static const pmsg ssar_spec = PMSG(ssar_spec_fields);
static const pfield ssar_fields[] = {{1, "metadata", P_MESSAGE, &object_meta}, {2, "spec", P_MESSAGE, &ssar_spec}};

static const struct {
    const char *api_version, *kind;
    pmsg msg;
} known[] = {
    {"v1", "ConfigMap", PMSG(configmap_fields)},
    {"v1", "Secret", PMSG(secret_fields)},
    {"v1", "Namespace", PMSG(namespace_fields)},
    {"authorization.k8s.io/v1", "SelfSubjectAccessReview", PMSG(ssar_fields)},
};

#define MAX_DEPTH 8

static cJSON *string_of(const field *f)
{
    if (memchr(f->data, '\0', f->len))
        return NULL; /* Kubernetes strings hold no NUL; JSON ones would end there */
    char *s = xstrndup((const char *)f->data, f->len);
    cJSON *j = cJSON_CreateString(s);
    free(s);
    return j;
}

/* A map entry {1: key, 2: value} into obj. */
static bool map_entry(cJSON *obj, const field *f, bool bytes)
{
    reader r = {f->data, f->data + f->len};
    field kf = {0}, vf = {0}, x;
    bool has_key = false;
    while (r.p < r.end) {
        if (!next_field(&r, &x))
            return false;
        if (x.number == 1 && x.wire == 2) {
            kf = x;
            has_key = true;
        } else if (x.number == 2 && x.wire == 2) {
            vf = x;
        }
    }
    if (!has_key || memchr(kf.data, '\0', kf.len))
        return false;
    char *key = xstrndup((const char *)kf.data, kf.len);
    cJSON *value;
    if (bytes) {
        char *b64 = sim_base64(vf.data ? (const void *)vf.data : "", vf.len);
        value = cJSON_CreateString(b64);
        free(b64);
    } else {
        value = vf.data ? string_of(&vf) : cJSON_CreateString("");
    }
    bool ok = value != NULL;
    if (ok) {
        cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
        cJSON_AddItemToObject(obj, key, value);
    }
    free(key);
    return ok;
}

static bool decode_message(const unsigned char *data, size_t len, const pmsg *m, cJSON *obj, int depth)
{
    if (depth > MAX_DEPTH)
        return false;
    reader r = {data, data + len};
    field f;
    while (r.p < r.end) {
        if (!next_field(&r, &f))
            return false;
        const pfield *pf = NULL;
        for (size_t i = 0; i < m->n && !pf; i++)
            if (m->fields[i].number == f.number)
                pf = &m->fields[i];
        if (!pf)
            continue;
        bool want_varint = pf->type == P_BOOL;
        if ((f.wire == 0) != want_varint || (!want_varint && f.wire != 2))
            return false;
        cJSON *child = NULL;
        switch (pf->type) {
        case P_STRING:
            if (!(child = string_of(&f)))
                return false;
            cJSON_DeleteItemFromObjectCaseSensitive(obj, pf->json);
            cJSON_AddItemToObject(obj, pf->json, child);
            break;
        case P_BOOL:
            cJSON_DeleteItemFromObjectCaseSensitive(obj, pf->json);
            cJSON_AddBoolToObject(obj, pf->json, f.varint != 0);
            break;
        case P_MESSAGE:
            child = cJSON_GetObjectItemCaseSensitive(obj, pf->json);
            if (!child)
                child = cJSON_AddObjectToObject(obj, pf->json);
            if (!decode_message(f.data, f.len, pf->msg, child, depth + 1))
                return false;
            break;
        case P_MAP_STRING:
        case P_MAP_BYTES:
            child = cJSON_GetObjectItemCaseSensitive(obj, pf->json);
            if (!child)
                child = cJSON_AddObjectToObject(obj, pf->json);
            if (!map_entry(child, &f, pf->type == P_MAP_BYTES))
                return false;
            break;
        case P_REPEATED_STRING:
            child = cJSON_GetObjectItemCaseSensitive(obj, pf->json);
            if (!child)
                child = cJSON_AddArrayToObject(obj, pf->json);
            cJSON *item = string_of(&f);
            if (!item)
                return false;
            cJSON_AddItemToArray(child, item);
            break;
        }
    }
    return true;
}

/* runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType. */
cJSON *sim_proto_decode(const void *data, size_t len, bool *unsupported, char *err, size_t errlen)
{
    *unsupported = false;
    static const pfield type_meta_fields[] = {{1, "apiVersion", P_STRING, NULL}, {2, "kind", P_STRING, NULL}};
    static const pmsg type_meta = PMSG(type_meta_fields);
    const unsigned char *p = data;
    if (len < 4 || memcmp(p, "k8s\0", 4) != 0) {
        snprintf(err, errlen, "the protobuf body lacks the Kubernetes envelope");
        return NULL;
    }
    reader r = {p + 4, p + len};
    field f, raw = {0};
    cJSON *tm = cJSON_CreateObject();
    bool ok = true, has_raw = false;
    while (ok && r.p < r.end) {
        if (!next_field(&r, &f))
            ok = false;
        else if (f.number == 1 && f.wire == 2)
            ok = decode_message(f.data, f.len, &type_meta, tm, 0);
        else if (f.number == 2 && f.wire == 2) {
            raw = f;
            has_raw = true;
        }
    }
    const char *api_version = json_str_at(tm, "apiVersion", NULL), *kind = json_str_at(tm, "kind", NULL);
    const pmsg *m = NULL;
    for (size_t i = 0; ok && api_version && kind && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].api_version, api_version) == 0 && strcmp(known[i].kind, kind) == 0)
            m = &known[i].msg;
    if (!ok || !has_raw) {
        snprintf(err, errlen, "malformed protobuf body");
        cJSON_Delete(tm);
        return NULL;
    }
    if (!m) {
        *unsupported = true;
        snprintf(err, errlen,
                 "hcpsim reads protobuf only for ConfigMap, Secret, Namespace and SelfSubjectAccessReview, not %.60s %.60s",
                 api_version ? api_version : "(no apiVersion)", kind ? kind : "(no kind)");
        cJSON_Delete(tm);
        return NULL;
    }
    cJSON *obj = tm; /* apiVersion and kind first, as a JSON client writes them */
    if (!decode_message(raw.data, raw.len, m, obj, 0)) {
        snprintf(err, errlen, "malformed protobuf body");
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}
