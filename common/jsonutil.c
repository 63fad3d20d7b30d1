#include "common/jsonutil.h"

#include <math.h>
#include <stdarg.h>

static cJSON *walk(const cJSON *root, va_list ap)
{
    const cJSON *cur = root;
    const char *key;
    while ((key = va_arg(ap, const char *)) != NULL) {
        if (!cJSON_IsObject(cur))
            return NULL;
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        if (!cur)
            return NULL;
    }
    return (cJSON *)cur;
}

cJSON *json_at(const cJSON *root, ...)
{
    va_list ap;
    va_start(ap, root);
    cJSON *r = walk(root, ap);
    va_end(ap);
    return r;
}

const char *json_str_at(const cJSON *root, ...)
{
    va_list ap;
    va_start(ap, root);
    cJSON *r = walk(root, ap);
    va_end(ap);
    return cJSON_IsString(r) ? r->valuestring : NULL;
}

bool json_int_at(int64_t *out, const cJSON *root, ...)
{
    va_list ap;
    va_start(ap, root);
    cJSON *r = walk(root, ap);
    va_end(ap);
    if (!cJSON_IsNumber(r))
        return false;
    double v = r->valuedouble;
    if (!isfinite(v) || v != floor(v) || v > 9.007199254740992e15 || v < -9.007199254740992e15)
        return false;
    *out = (int64_t)v;
    return true;
}

cJSON *json_obj_child(cJSON *parent, const char *key)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (cJSON_IsObject(c))
        return c;
    cJSON *n = cJSON_CreateObject();
    if (c)
        cJSON_ReplaceItemInObjectCaseSensitive(parent, key, n);
    else
        cJSON_AddItemToObject(parent, key, n);
    return n;
}

void json_set_item(cJSON *obj, const char *key, cJSON *item)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    else
        cJSON_AddItemToObject(obj, key, item);
}

void json_set_str(cJSON *obj, const char *key, const char *value)
{
    json_set_item(obj, key, cJSON_CreateString(value));
}

void json_set_num(cJSON *obj, const char *key, double value)
{
    json_set_item(obj, key, cJSON_CreateNumber(value));
}

void json_set_bool(cJSON *obj, const char *key, bool value)
{
    json_set_item(obj, key, cJSON_CreateBool(value));
}

cJSON *json_parse_len(const char *data, size_t len)
{
    if (!data)
        return NULL;
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(data, len, &end, false);
    if (!j)
        return NULL;
    /* Only white space may follow the value: "{}{}" or "{} junk" is not one document. */
    for (const char *p = end; p && p < data + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            cJSON_Delete(j);
            return NULL;
        }
    }
    return j;
}
