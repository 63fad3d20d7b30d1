/* JSON merge patch (RFC 7386), JSON patch (RFC 6902) and the strategic-merge subset described in
 * patch.h. Error texts follow the json-patch library kube-apiserver uses, so that clients print
 * what they would print against a real cluster. */
#include "sim/patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/errfmt.h"

/* ---- RFC 7386 ------------------------------------------------------------------------------------- */

/* Adds or replaces key in obj, keeping the member's position when it exists. */
static void put_member(cJSON *obj, const char *key, cJSON *value)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value);
    else
        cJSON_AddItemToObject(obj, key, value);
}

/* Detaches obj[key] and reports its position, so that the merged value can go back in place (member
 * order is what a person sees in YAML, and it should not shuffle on every patch). */
static cJSON *detach_at(cJSON *obj, const char *key, int *pos)
{
    int i = 0;
    for (cJSON *c = obj->child; c; c = c->next, i++)
        if (c->string && strcmp(c->string, key) == 0) {
            *pos = i;
            return cJSON_DetachItemViaPointer(obj, c);
        }
    *pos = -1;
    return NULL;
}

/* Links item (already detached) into container before its pos-th child, or at the end. By hand:
 * Debian's cJSON_InsertItemInArray refuses positions past the first. */
static void link_at(cJSON *container, cJSON *item, int pos)
{
    cJSON *at = container->child;
    for (int i = 0; i < pos && at; i++)
        at = at->next;
    if (!at || pos < 0) {
        cJSON_AddItemToArray(container, item);
        return;
    }
    item->next = at;
    item->prev = at->prev;
    if (at == container->child)
        container->child = item;
    else
        item->prev->next = item;
    at->prev = item;
}

static void attach_at(cJSON *obj, const char *key, cJSON *item, int pos)
{
    cJSON_AddItemToObject(obj, key, item); /* sets the key; then move it from the end to pos */
    if (pos < 0 || pos >= cJSON_GetArraySize(obj) - 1)
        return;
    cJSON_DetachItemViaPointer(obj, item);
    link_at(obj, item, pos);
}

cJSON *sim_merge_patch(cJSON *target, const cJSON *patch)
{
    if (!cJSON_IsObject(patch)) {
        cJSON_Delete(target);
        return cJSON_Duplicate(patch, true);
    }
    if (!cJSON_IsObject(target)) {
        cJSON_Delete(target);
        target = cJSON_CreateObject();
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, patch)
    {
        if (cJSON_IsNull(m)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
            continue;
        }
        int pos;
        cJSON *cur = detach_at(target, m->string, &pos);
        attach_at(target, m->string, sim_merge_patch(cur, m), pos);
    }
    return target;
}

/* ---- RFC 6902 ------------------------------------------------------------------------------------- */

typedef struct pointer {
    char **tok;
    size_t n;
} pointer;

static void pointer_free(pointer *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->tok[i]);
    free(p->tok);
    p->tok = NULL;
    p->n = 0;
}

/* RFC 6901: "" is the whole document; "/a~1b/~0c" is ["a/b", "~c"]. */
static bool pointer_parse(const char *s, pointer *p)
{
    p->tok = NULL;
    p->n = 0;
    if (*s == '\0')
        return true;
    if (*s != '/')
        return false;
    while (*s == '/') {
        s++;
        buf t = BUF_INIT;
        buf_puts(&t, "");
        for (; *s && *s != '/'; s++) {
            if (*s != '~') {
                buf_putc(&t, *s);
                continue;
            }
            if (s[1] == '0')
                buf_putc(&t, '~');
            else if (s[1] == '1')
                buf_putc(&t, '/');
            else {
                buf_free(&t);
                pointer_free(p);
                return false;
            }
            s++;
        }
        p->tok = xrealloc(p->tok, (p->n + 1) * sizeof *p->tok);
        p->tok[p->n++] = buf_steal(&t);
    }
    return true;
}

/* An array index: decimal, no leading zeros, no sign. -1 when not one. */
static long parse_index(const char *t)
{
    if (!*t || (t[0] == '0' && t[1]) || strlen(t) > 9)
        return -1;
    long v = 0;
    for (; *t; t++) {
        if (*t < '0' || *t > '9')
            return -1;
        v = v * 10 + (*t - '0');
    }
    return v;
}

static cJSON *child(cJSON *container, const char *tok)
{
    if (cJSON_IsObject(container))
        return cJSON_GetObjectItemCaseSensitive(container, tok);
    if (cJSON_IsArray(container)) {
        long i = parse_index(tok);
        if (i < 0 || i >= cJSON_GetArraySize(container))
            return NULL;
        return cJSON_GetArrayItem(container, (int)i);
    }
    return NULL;
}

/* The container that holds the pointer's last token; NULL when a step is missing. */
static cJSON *parent_of(cJSON *doc, const pointer *p)
{
    cJSON *cur = doc;
    for (size_t i = 0; i + 1 < p->n && cur; i++)
        cur = child(cur, p->tok[i]);
    return cur;
}

static cJSON *resolve(cJSON *doc, const pointer *p)
{
    cJSON *parent = parent_of(doc, p);
    return p->n == 0 ? doc : (parent ? child(parent, p->tok[p->n - 1]) : NULL);
}

/* add: value is consumed on success. */
static bool op_add(cJSON **doc, const pointer *p, cJSON *value)
{
    if (p->n == 0) {
        cJSON_Delete(*doc);
        *doc = value;
        return true;
    }
    cJSON *parent = parent_of(*doc, p);
    const char *last = p->tok[p->n - 1];
    if (cJSON_IsObject(parent)) {
        put_member(parent, last, value);
        return true;
    }
    if (cJSON_IsArray(parent)) {
        int size = cJSON_GetArraySize(parent);
        long i = strcmp(last, "-") == 0 ? size : parse_index(last);
        if (i < 0 || i > size)
            return false;
        link_at(parent, value, (int)i);
        return true;
    }
    return false;
}

/* Detaches the value at p (not the root); NULL when missing. */
static cJSON *op_detach(cJSON *doc, const pointer *p)
{
    if (p->n == 0)
        return NULL;
    cJSON *parent = parent_of(doc, p);
    const char *last = p->tok[p->n - 1];
    if (cJSON_IsObject(parent))
        return cJSON_DetachItemFromObjectCaseSensitive(parent, last);
    if (cJSON_IsArray(parent)) {
        long i = parse_index(last);
        if (i < 0 || i >= cJSON_GetArraySize(parent))
            return NULL;
        return cJSON_DetachItemFromArray(parent, (int)i);
    }
    return NULL;
}

/* "from" may not be a proper prefix of "path" (a value cannot move into itself). */
static bool is_proper_prefix(const pointer *a, const pointer *b)
{
    if (a->n >= b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->tok[i], b->tok[i]) != 0)
            return false;
    return true;
}

static bool apply_op(cJSON **doc, const cJSON *op, char *err, size_t errlen)
{
    const cJSON *jop = cJSON_GetObjectItemCaseSensitive(op, "op");
    const cJSON *jpath = cJSON_GetObjectItemCaseSensitive(op, "path");
    if (!cJSON_IsObject(op) || !cJSON_IsString(jop)) {
        set_err(err, errlen, "invalid JSON patch operation: missing \"op\"");
        return false;
    }
    const char *name = jop->valuestring;
    if (!cJSON_IsString(jpath)) {
        set_err(err, errlen, "%s operation does not apply: missing \"path\"", name);
        return false;
    }
    pointer path, from = {NULL, 0};
    if (!pointer_parse(jpath->valuestring, &path)) {
        set_err(err, errlen, "%s operation does not apply: invalid JSON pointer: \"%.200s\"", name, jpath->valuestring);
        return false;
    }
    bool ok = false;
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
    const char *p = jpath->valuestring;
    if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0 || strcmp(name, "test") == 0) {
        if (!value) {
            set_err(err, errlen, "%s operation does not apply: missing value for path \"%.200s\"", name, p);
            goto out;
        }
    }
    if (strcmp(name, "add") == 0) {
        cJSON *v = cJSON_Duplicate(value, true);
        ok = op_add(doc, &path, v);
        if (!ok) {
            cJSON_Delete(v);
            set_err(err, errlen, "add operation does not apply: doc is missing path: \"%.200s\": missing value", p);
        }
    } else if (strcmp(name, "remove") == 0) {
        cJSON *old = op_detach(*doc, &path);
        ok = old != NULL;
        cJSON_Delete(old);
        if (!ok)
            set_err(err, errlen, "remove operation does not apply: doc is missing path: \"%.200s\": missing value", p);
    } else if (strcmp(name, "replace") == 0) {
        if (path.n == 0 || resolve(*doc, &path)) {
            cJSON *old = op_detach(*doc, &path);
            cJSON_Delete(old);
            cJSON *v = cJSON_Duplicate(value, true);
            ok = op_add(doc, &path, v);
            if (!ok)
                cJSON_Delete(v);
        }
        if (!ok)
            set_err(err, errlen, "replace operation does not apply: doc is missing key: %.200s: missing value", p);
    } else if (strcmp(name, "test") == 0) {
        cJSON *have = resolve(*doc, &path);
        ok = have && cJSON_Compare(have, value, true);
        if (!ok)
            set_err(err, errlen, "testing value %.200s failed: test failed", p);
    } else if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
        const cJSON *jfrom = cJSON_GetObjectItemCaseSensitive(op, "from");
        if (!cJSON_IsString(jfrom) || !pointer_parse(jfrom->valuestring, &from)) {
            set_err(err, errlen, "%s operation does not apply: missing or invalid \"from\"", name);
            goto out;
        }
        bool move = name[0] == 'm';
        cJSON *src = resolve(*doc, &from);
        if (!src) {
            set_err(err, errlen, "%s operation does not apply: doc is missing from path: %.200s", name,
                    jfrom->valuestring);
            goto out;
        }
        if (move && is_proper_prefix(&from, &path)) {
            set_err(err, errlen, "move operation does not apply: cannot move %.200s into its own child %.200s",
                    jfrom->valuestring, p);
            goto out;
        }
        cJSON *v = move ? (from.n == 0 ? NULL : op_detach(*doc, &from)) : cJSON_Duplicate(src, true);
        if (move && from.n == 0) { /* moving the root onto itself */
            ok = path.n == 0;
        } else {
            ok = op_add(doc, &path, v);
            if (!ok)
                cJSON_Delete(v);
        }
        if (!ok)
            set_err(err, errlen, "%s operation does not apply: doc is missing path: \"%.200s\": missing value", name,
                    p);
    } else {
        set_err(err, errlen, "Unexpected kind: %.100s", name);
    }
out:
    pointer_free(&path);
    pointer_free(&from);
    return ok;
}

bool sim_json_patch(cJSON **doc, const cJSON *ops, char *err, size_t errlen)
{
    if (!cJSON_IsArray(ops)) {
        set_err(err, errlen, "a JSON patch must be an array of operations");
        return false;
    }
    const cJSON *op;
    cJSON_ArrayForEach(op, ops)
    {
        if (!apply_op(doc, op, err, errlen))
            return false;
    }
    return true;
}

/* ---- strategic merge (subset) -------------------------------------------------------------------- */

/* The patchMergeKey of the core lists emulated, or NULL for a list that is replaced whole. Ports have
 * two: containerPort in a container, port in a Service; the patch's first item tells which. */
static const char *merge_key(const char *list, const cJSON *patch_items)
{
    static const struct {
        const char *list, *key;
    } keys[] = {{"containers", "name"}, {"initContainers", "name"}, {"ephemeralContainers", "name"},
                {"volumes", "name"},    {"env", "name"},            {"imagePullSecrets", "name"},
                {"volumeMounts", "mountPath"}, {"conditions", "type"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(list, keys[i].list) == 0)
            return keys[i].key;
    if (strcmp(list, "ports") == 0) {
        const cJSON *first = cJSON_GetArrayItem(patch_items, 0);
        return cJSON_GetObjectItemCaseSensitive(first, "containerPort") ? "containerPort" : "port";
    }
    return NULL;
}

static bool is_directive(const char *key)
{
    return key[0] == '$';
}

static cJSON *smp(cJSON *target, const cJSON *patch, char *err, size_t errlen);

static cJSON *find_by_key(cJSON *list, const char *key, const cJSON *value)
{
    cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, key);
        if (v && cJSON_Compare(v, value, true))
            return it;
    }
    return NULL;
}

/* Merges the patch's items into list by their merge key; {"$patch":"delete"} removes an item. */
static bool merge_list(cJSON *list, const cJSON *patch, const char *list_name, const char *key, char *err,
                       size_t errlen)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, patch)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, key);
        if (!cJSON_IsObject(item) || !(cJSON_IsString(v) || cJSON_IsNumber(v))) {
            set_err(err, errlen, "map: %.100s does not contain declared merge key: %s", list_name, key);
            return false;
        }
        const char *directive = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "$patch"));
        cJSON *found = find_by_key(list, key, v);
        if (directive && strcmp(directive, "delete") == 0) {
            if (found)
                cJSON_Delete(cJSON_DetachItemViaPointer(list, found));
            continue;
        }
        if (found) {
            cJSON *copy = cJSON_Duplicate(found, true);
            cJSON *merged = smp(copy, item, err, errlen);
            if (!merged)
                return false;
            cJSON_ReplaceItemViaPointer(list, found, merged);
        } else {
            cJSON *merged = smp(NULL, item, err, errlen);
            if (!merged)
                return false;
            cJSON_AddItemToArray(list, merged);
        }
    }
    return true;
}

static cJSON *smp(cJSON *target, const cJSON *patch, char *err, size_t errlen)
{
    if (!cJSON_IsObject(patch)) {
        cJSON_Delete(target);
        return cJSON_Duplicate(patch, true);
    }
    const char *directive = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(patch, "$patch"));
    if (directive && strcmp(directive, "replace") == 0) {
        cJSON_Delete(target);
        target = NULL;
    }
    if (!cJSON_IsObject(target)) {
        cJSON_Delete(target);
        target = cJSON_CreateObject();
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, patch)
    {
        if (is_directive(m->string))
            continue;
        if (cJSON_IsNull(m)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
            continue;
        }
        int pos;
        cJSON *cur = detach_at(target, m->string, &pos);
        cJSON *merged;
        const char *key = cJSON_IsArray(m) ? merge_key(m->string, m) : NULL;
        if (key) {
            merged = cJSON_IsArray(cur) ? cur : cJSON_CreateArray();
            if (merged != cur)
                cJSON_Delete(cur);
            if (!merge_list(merged, m, m->string, key, err, errlen)) {
                cJSON_Delete(merged);
                cJSON_Delete(target);
                return NULL;
            }
        } else {
            merged = smp(cur, m, err, errlen);
            if (!merged) {
                cJSON_Delete(target);
                return NULL;
            }
        }
        attach_at(target, m->string, merged, pos);
    }
    return target;
}

cJSON *sim_strategic_merge_patch(cJSON *target, const cJSON *patch, char *err, size_t errlen)
{
    if (!cJSON_IsObject(patch)) {
        cJSON_Delete(target);
        set_err(err, errlen, "a strategic merge patch must be a JSON object");
        return NULL;
    }
    return smp(target, patch, err, errlen);
}
