/* crdcheck: validates Kubernetes objects against a CRD's v1beta1 openAPIV3Schema.
 *
 *   crdcheck CRD.yaml < objects.json
 *
 * objects.json is one object, a JSON array of objects, or a List (`kubectl get -o json`). Only the
 * objects whose kind is the CRD's kind are checked. Checked: type (with nullable and
 * x-kubernetes-int-or-string), properties, unknown fields (the apiserver would prune them),
 * additionalProperties, x-kubernetes-preserve-unknown-fields, required, enum, pattern,
 * minLength/maxLength, minimum/maximum, minItems/maxItems, items, anyOf, format date-time and int32.
 * Not checked: CEL rules (x-kubernetes-validations) and patterns POSIX regex cannot express (counted).
 * Prints one line per violation with its path; the last line sums up. Exit 0 when clean, 1 on
 * violations, 2 on bad input. */
#include <cjson/cJSON.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/yamljson.h"

/* ---- patterns: the ECMA/RE2 dialect of the CRDs translated to POSIX ERE ---- */

/* False when the pattern uses what ERE lacks (\p{..}, lookarounds, lazy quantifiers). */
static bool translate_pattern(const char *in, buf *out)
{
    bool in_class = false, class_dash = false;
    for (const char *p = in; *p; p++) {
        if (*p == '\\' && p[1]) {
            char c = *++p;
            const char *rep = NULL;
            char lit[3] = {0};
            switch (c) {
            case 'd': rep = in_class ? "0-9" : "[0-9]"; break;
            case 'w': rep = in_class ? "A-Za-z0-9_" : "[A-Za-z0-9_]"; break;
            case 's': rep = in_class ? "[:space:]" : "[[:space:]]"; break;
            case 'S': if (in_class) return false; rep = "[^[:space:]]"; break;
            case 'p': case 'P': case 'b': case 'B': return false;
            case '-':
                if (in_class) {
                    class_dash = true;
                    rep = "";
                } else {
                    rep = "-";
                }
                break;
            default:
                if (in_class) {
                    lit[0] = c; /* inside brackets a backslash is literal in ERE: drop it */
                } else if (strchr(".[]()*+?{}|^$\\", c)) {
                    lit[0] = '\\';
                    lit[1] = c;
                } else {
                    lit[0] = c;
                }
                rep = lit;
            }
            buf_puts(out, rep);
            continue;
        }
        if (!in_class && *p == '(' && p[1] == '?')
            return false;
        if (!in_class && (*p == '*' || *p == '+' || *p == '?' || *p == '}') && p[1] == '?')
            return false;
        if (!in_class && *p == '[') {
            in_class = true;
            class_dash = false;
            buf_putc(out, '[');
            if (p[1] == '^')
                buf_putc(out, *++p);
            if (p[1] == ']')
                buf_putc(out, *++p);
            continue;
        }
        if (in_class && *p == ']') {
            if (class_dash)
                buf_putc(out, '-');
            in_class = false;
        }
        buf_putc(out, *p);
    }
    return !in_class;
}

/* ---- the checker ---- */

typedef struct checker {
    int violations;
    int unchecked_patterns;
    bool quiet; /* trying anyOf branches */
    const char *object;
} checker;

static void violation(checker *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void violation(checker *c, const char *path, const char *fmt, ...)
{
    c->violations++;
    if (c->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("%s: %s: ", c->object, *path ? path : "<root>");
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static const char *str_type(const char *t)
{
    return t ? t : "any";
}

static const char *or_empty(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

static const char *type_of(const cJSON *v)
{
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsNumber(v))
        return v->valuedouble == (double)(long long)v->valuedouble ? "integer" : "number";
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsArray(v))
        return "array";
    return "object";
}

static bool type_ok(const cJSON *schema, const cJSON *v)
{
    const char *want = json_str_at(schema, "type", NULL);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "x-kubernetes-int-or-string")))
        return cJSON_IsString(v) || strcmp(type_of(v), "integer") == 0;
    if (!want)
        return true;
    const char *have = type_of(v);
    if (strcmp(want, "number") == 0)
        return cJSON_IsNumber(v);
    return strcmp(want, have) == 0;
}

/* Characters (code points) in a UTF-8 string, as the apiserver counts length. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

static void check(checker *c, const cJSON *schema, const cJSON *v, const char *path, int depth);

static void child_path(buf *b, const char *path, const char *key)
{
    buf_reset(b);
    buf_printf(b, "%s%s%s", path, *path ? "." : "", key);
}

static void check_string(checker *c, const cJSON *schema, const cJSON *v, const char *path)
{
    const char *s = v->valuestring;
    int64_t n;
    if (json_int_at(&n, schema, "minLength", NULL) && (int64_t)utf8_len(s) < n)
        violation(c, path, "should be at least %lld chars long (is %zu)", (long long)n, utf8_len(s));
    if (json_int_at(&n, schema, "maxLength", NULL) && (int64_t)utf8_len(s) > n)
        violation(c, path, "may not be more than %lld chars long (is %zu)", (long long)n, utf8_len(s));
    const char *fmt = json_str_at(schema, "format", NULL);
    time_t t;
    if (fmt && strcmp(fmt, "date-time") == 0 && !rfc3339_parse(s, &t))
        violation(c, path, "\"%.60s\" is not a date-time (RFC 3339)", s);
    const char *pat = json_str_at(schema, "pattern", NULL);
    if (pat) {
        buf ere = BUF_INIT;
        regex_t re;
        if (translate_pattern(pat, &ere) && regcomp(&re, buf_str(&ere), REG_EXTENDED | REG_NOSUB) == 0) {
            if (regexec(&re, s, 0, NULL, 0) != 0)
                violation(c, path, "\"%.80s\" does not match %s", s, pat);
            regfree(&re);
        } else {
            c->unchecked_patterns++;
        }
        buf_free(&ere);
    }
}

static void check_object(checker *c, const cJSON *schema, const cJSON *v, const char *path, int depth)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    bool preserve = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "x-kubernetes-preserve-unknown-fields"));
    buf p = BUF_INIT;
    const cJSON *req;
    cJSON_ArrayForEach(req, cJSON_GetObjectItemCaseSensitive(schema, "required"))
    {
        if (cJSON_IsString(req) && !cJSON_GetObjectItemCaseSensitive(v, req->valuestring)) {
            child_path(&p, path, req->valuestring);
            violation(c, buf_str(&p), "Required value");
        }
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, v)
    {
        child_path(&p, path, f->string);
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(props, f->string);
        if (depth == 0 && (strcmp(f->string, "metadata") == 0 || strcmp(f->string, "apiVersion") == 0 ||
                           strcmp(f->string, "kind") == 0))
            continue; /* the apiserver owns these */
        if (sub)
            check(c, sub, f, buf_str(&p), depth + 1);
        else if (cJSON_IsObject(addl))
            check(c, addl, f, buf_str(&p), depth + 1);
        else if (!preserve && !cJSON_IsTrue(addl))
            violation(c, buf_str(&p), "unknown field (the apiserver would prune it)");
    }
    int64_t n;
    int size = cJSON_GetArraySize(v);
    if (json_int_at(&n, schema, "minProperties", NULL) && size < n)
        violation(c, path, "should have at least %lld properties", (long long)n);
    if (json_int_at(&n, schema, "maxProperties", NULL) && size > n)
        violation(c, path, "should have at most %lld properties", (long long)n);
    buf_free(&p);
}

static void check(checker *c, const cJSON *schema, const cJSON *v, const char *path, int depth)
{
    if (!cJSON_IsObject(schema) || depth > 100)
        return;
    if (cJSON_IsNull(v)) {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "nullable")))
            violation(c, path, "null is not allowed (not nullable; expected %s)",
                      str_type(json_str_at(schema, "type", NULL)));
        return;
    }
    const cJSON *any = cJSON_GetObjectItemCaseSensitive(schema, "anyOf");
    if (cJSON_IsArray(any) && cJSON_GetArraySize(any) > 0) {
        bool was_quiet = c->quiet;
        int before = c->violations;
        bool matched = false;
        const cJSON *branch;
        cJSON_ArrayForEach(branch, any)
        {
            int v0 = c->violations;
            c->quiet = true;
            check(c, branch, v, path, depth);
            bool ok = c->violations == v0;
            c->violations = v0;
            if (ok) {
                matched = true;
                break;
            }
        }
        c->quiet = was_quiet;
        c->violations = before;
        if (!matched)
            violation(c, path, "matches none of the anyOf schemas");
    }
    if (!type_ok(schema, v)) {
        violation(c, path, "must be of type %s (is %s)", str_type(json_str_at(schema, "type", NULL)), type_of(v));
        return;
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(en)) {
        bool found = false;
        const cJSON *e;
        cJSON_ArrayForEach(e, en) found = found || cJSON_Compare(e, v, true);
        if (!found) {
            char *text = cJSON_PrintUnformatted(v);
            violation(c, path, "Unsupported value: %.80s", text);
            free(text);
        }
    }
    if (cJSON_IsNumber(v)) {
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(schema, "minimum");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(schema, "maximum");
        if (cJSON_IsNumber(mn) && v->valuedouble < mn->valuedouble)
            violation(c, path, "%g should be greater than or equal to %g", v->valuedouble, mn->valuedouble);
        if (cJSON_IsNumber(mx) && v->valuedouble > mx->valuedouble)
            violation(c, path, "%g should be less than or equal to %g", v->valuedouble, mx->valuedouble);
        const char *fmt = json_str_at(schema, "format", NULL);
        if (fmt && strcmp(fmt, "int32") == 0 && (v->valuedouble < -2147483648.0 || v->valuedouble > 2147483647.0))
            violation(c, path, "%g is out of the int32 range", v->valuedouble);
    } else if (cJSON_IsString(v)) {
        check_string(c, schema, v, path);
    } else if (cJSON_IsArray(v)) {
        int64_t n;
        int size = cJSON_GetArraySize(v);
        if (json_int_at(&n, schema, "minItems", NULL) && size < n)
            violation(c, path, "should have at least %lld items (has %d)", (long long)n, size);
        if (json_int_at(&n, schema, "maxItems", NULL) && size > n)
            violation(c, path, "should have at most %lld items (has %d)", (long long)n, size);
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
        buf p = BUF_INIT;
        int i = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, v)
        {
            buf_reset(&p);
            buf_printf(&p, "%s[%d]", path, i++);
            check(c, items, it, buf_str(&p), depth + 1);
        }
        buf_free(&p);
    } else if (cJSON_IsObject(v)) {
        check_object(c, schema, v, path, depth);
    }
}

static const cJSON *find_schema(const cJSON *crd, const char **kind)
{
    *kind = json_str_at(crd, "spec", "names", "kind", NULL);
    const cJSON *ver;
    cJSON_ArrayForEach(ver, json_at(crd, "spec", "versions", NULL))
    {
        const char *name = json_str_at(ver, "name", NULL);
        if (name && strcmp(name, "v1beta1") == 0)
            return json_at(ver, "schema", "openAPIV3Schema", NULL);
    }
    return NULL;
}

static char *read_all(FILE *f, size_t *len)
{
    buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    *len = b.len;
    return buf_steal(&b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: crdcheck CRD.yaml < objects.json\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "crdcheck: cannot open %s\n", argv[1]);
        return 2;
    }
    cJSON *crd = sim_yaml_load(f);
    fclose(f);
    const char *kind = NULL;
    const cJSON *schema = crd ? find_schema(crd, &kind) : NULL;
    if (!schema || !kind) {
        fprintf(stderr, "crdcheck: %s is not a CRD with a v1beta1 openAPIV3Schema\n", argv[1]);
        cJSON_Delete(crd);
        return 2;
    }
    size_t len;
    char *text = read_all(stdin, &len);
    cJSON *input = json_parse_len(text, len);
    free(text);
    if (!input) {
        fprintf(stderr, "crdcheck: standard input is not JSON\n");
        cJSON_Delete(crd);
        return 2;
    }
    const cJSON *items = cJSON_IsArray(input) ? input : cJSON_GetObjectItemCaseSensitive(input, "items");
    checker c = {0};
    int checked = 0;
    const cJSON *obj;
    if (!items) { /* a single object */
        cJSON *one = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(one, input);
        items = one;
        cJSON_AddItemToObject(crd, "__input_ref", one); /* freed with crd */
    }
    cJSON_ArrayForEach(obj, items)
    {
        const char *k = json_str_at(obj, "kind", NULL);
        if (!k || strcmp(k, kind) != 0)
            continue;
        char id[600];
        snprintf(id, sizeof id, "%s %s/%s", kind, or_empty(json_str_at(obj, "metadata", "namespace", NULL), ""),
                 or_empty(json_str_at(obj, "metadata", "name", NULL), "?"));
        c.object = id;
        check(&c, schema, obj, "", 0);
        checked++;
    }
    printf("crdcheck: %d %s object(s) checked, %d violation(s), %d pattern(s) not checkable\n", checked, kind,
           c.violations, c.unchecked_patterns);
    cJSON_Delete(input);
    cJSON_Delete(crd);
    return c.violations ? 1 : 0;
}
