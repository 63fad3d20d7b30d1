#include "sim/httpproto.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

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
    const unsigned char *data;
    size_t len;
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
    uint64_t v;
    switch (f->wire) {
    case 0: return read_varint(r, &v);
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

/* Finds the first length-delimited field number n in the message. */
static bool find_bytes(const unsigned char *data, size_t len, uint64_t n, field *out, bool *malformed)
{
    reader r = {data, data + len};
    field f;
    while (r.p < r.end) {
        if (!next_field(&r, &f)) {
            *malformed = true;
            return false;
        }
        if (f.number == n && f.wire == 2) {
            *out = f;
            return true;
        }
    }
    return false;
}

/* Copies the string fields of a message into obj under the given names (index = field number). */
static bool strings_into(cJSON *obj, const unsigned char *data, size_t len, const char *const *names, size_t n_names)
{
    reader r = {data, data + len};
    field f;
    while (r.p < r.end) {
        if (!next_field(&r, &f))
            return false;
        if (f.wire != 2 || f.number >= n_names || !names[f.number])
            continue;
        if (memchr(f.data, '\0', f.len))
            return false;
        char *s = xstrndup((const char *)f.data, f.len);
        cJSON_AddStringToObject(obj, names[f.number], s);
        free(s);
    }
    return true;
}

cJSON *sim_proto_decode_ssar(const void *data, size_t len, char *err, size_t errlen)
{
    static const char *const resource_names[] = {NULL, "namespace", "verb", "group", "version",
                                                 "resource", "subresource", "name"};
    static const char *const nonresource_names[] = {NULL, "path", "verb"};
    const unsigned char *p = data;
    bool malformed = false;
    field raw, spec, attrs;
    if (len < 4 || memcmp(p, "k8s\0", 4) != 0) {
        snprintf(err, errlen, "the protobuf body lacks the Kubernetes envelope");
        return NULL;
    }
    /* runtime.Unknown: 1 typeMeta, 2 raw; SelfSubjectAccessReview: 2 spec; spec: 1 resource, 2 non-resource */
    if (!find_bytes(p + 4, len - 4, 2, &raw, &malformed) || !find_bytes(raw.data, raw.len, 2, &spec, &malformed)) {
        snprintf(err, errlen, "%s", malformed ? "malformed protobuf body" : "the review has no spec");
        return NULL;
    }
    cJSON *review = cJSON_CreateObject();
    cJSON_AddStringToObject(review, "apiVersion", "authorization.k8s.io/v1");
    cJSON_AddStringToObject(review, "kind", "SelfSubjectAccessReview");
    cJSON *js = cJSON_AddObjectToObject(review, "spec");
    bool ok = true;
    if (find_bytes(spec.data, spec.len, 1, &attrs, &malformed))
        ok = strings_into(cJSON_AddObjectToObject(js, "resourceAttributes"), attrs.data, attrs.len, resource_names,
                          sizeof resource_names / sizeof resource_names[0]);
    else if (find_bytes(spec.data, spec.len, 2, &attrs, &malformed))
        ok = strings_into(cJSON_AddObjectToObject(js, "nonResourceAttributes"), attrs.data, attrs.len,
                          nonresource_names, sizeof nonresource_names / sizeof nonresource_names[0]);
    if (!ok || malformed) {
        snprintf(err, errlen, "malformed protobuf body");
        cJSON_Delete(review);
        return NULL;
    }
    return review;
}
