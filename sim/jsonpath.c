/* The JSONPath subset of printer columns, evaluated with the CRD table converter's first-match rule
 * (k8s.io/apiextensions-apiserver pkg/registry/customresource/tableconvertor: the first result of
 * the first match is the cell). */
#include "sim/jsonpath.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32

static const cJSON *eval(const cJSON *node, const char *p, int depth);

/* Reads an identifier ([A-Za-z0-9_-]+) into out; returns the characters consumed (0: none). */
static size_t read_ident(const char *p, char *out, size_t outlen)
{
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-')
        n++;
    if (n == 0 || n >= outlen)
        return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return n;
}

/* Parses a filter "?(@.a.b OP "lit")]" at p (p after '['). On success fills the parts and returns the
 * length up to and including ']'; 0 when malformed. */
typedef struct filter {
    char key[256]; /* "a.b" */
    bool negate;
    char lit[256];
    bool lit_is_string;
} filter;

static size_t parse_filter(const char *p, filter *f)
{
    const char *s = p;
    if (strncmp(s, "?(@.", 4) != 0)
        return 0;
    s += 4;
    size_t k = 0;
    while ((isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.') && k + 1 < sizeof f->key)
        f->key[k++] = *s++;
    f->key[k] = '\0';
    if (k == 0)
        return 0;
    while (*s == ' ')
        s++;
    if (strncmp(s, "==", 2) == 0)
        f->negate = false;
    else if (strncmp(s, "!=", 2) == 0)
        f->negate = true;
    else
        return 0;
    s += 2;
    while (*s == ' ')
        s++;
    size_t l = 0;
    if (*s == '"' || *s == '\'') {
        char q = *s++;
        while (*s && *s != q && l + 1 < sizeof f->lit)
            f->lit[l++] = *s++;
        if (*s != q)
            return 0;
        s++;
        f->lit_is_string = true;
    } else {
        while ((isalnum((unsigned char)*s) || *s == '.' || *s == '-') && l + 1 < sizeof f->lit)
            f->lit[l++] = *s++;
        f->lit_is_string = false;
    }
    f->lit[l] = '\0';
    while (*s == ' ')
        s++;
    if (s[0] != ')' || s[1] != ']')
        return 0;
    return (size_t)(s + 2 - p);
}

static bool filter_holds(const cJSON *elem, const filter *f)
{
    const cJSON *v = elem;
    char key[256];
    strcpy(key, f->key);
    for (char *save = NULL, *tok = strtok_r(key, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
        if (!cJSON_IsObject(v))
            return false;
        v = cJSON_GetObjectItemCaseSensitive(v, tok);
    }
    if (!v) /* a missing key matches neither == nor != (the apiserver skips the element) */
        return false;
    bool eq;
    if (cJSON_IsString(v))
        eq = f->lit_is_string && strcmp(v->valuestring, f->lit) == 0;
    else if (cJSON_IsBool(v))
        eq = !f->lit_is_string && strcmp(f->lit, cJSON_IsTrue(v) ? "true" : "false") == 0;
    else if (cJSON_IsNumber(v)) {
        char num[64];
        snprintf(num, sizeof num, "%.17g", v->valuedouble);
        eq = !f->lit_is_string && strcmp(num, f->lit) == 0;
    } else
        eq = false;
    return f->negate ? !eq : eq;
}

static const cJSON *eval_bracket(const cJSON *node, const char *p, int depth)
{
    if (!cJSON_IsArray(node))
        return NULL;
    if (p[0] == '*' && p[1] == ']') {
        const cJSON *e;
        cJSON_ArrayForEach(e, node)
        {
            const cJSON *r = eval(e, p + 2, depth + 1);
            if (r)
                return r;
        }
        return NULL;
    }
    if (isdigit((unsigned char)p[0])) {
        size_t n = strspn(p, "0123456789");
        if (n > 6 || p[n] != ']')
            return NULL;
        int idx = atoi(p);
        const cJSON *e = cJSON_GetArrayItem(node, idx);
        return e ? eval(e, p + n + 1, depth + 1) : NULL;
    }
    filter f;
    size_t used = parse_filter(p, &f);
    if (!used)
        return NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, node)
    {
        if (!filter_holds(e, &f))
            continue;
        const cJSON *r = eval(e, p + used, depth + 1);
        if (r)
            return r;
    }
    return NULL;
}

static const cJSON *eval(const cJSON *node, const char *p, int depth)
{
    if (!node || depth > MAX_DEPTH)
        return NULL;
    if (*p == '\0')
        return node;
    if (*p == '.') {
        char key[256];
        size_t n = read_ident(p + 1, key, sizeof key);
        if (!n || !cJSON_IsObject(node))
            return NULL;
        return eval(cJSON_GetObjectItemCaseSensitive(node, key), p + 1 + n, depth + 1);
    }
    if (*p == '[')
        return eval_bracket(node, p + 1, depth);
    return NULL;
}

const cJSON *sim_jsonpath_first(const cJSON *root, const char *path)
{
    if (!path)
        return NULL;
    /* "{.a.b}" is how kubectl writes them; CRDs write ".a.b". */
    size_t n = strlen(path);
    if (n >= 2 && path[0] == '{' && path[n - 1] == '}') {
        char inner[512];
        if (n - 2 >= sizeof inner)
            return NULL;
        memcpy(inner, path + 1, n - 2);
        inner[n - 2] = '\0';
        return eval(root, inner, 0);
    }
    return eval(root, path, 0);
}
