/* Label selectors follow the lexer and recursive-descent parser of k8s.io/apimachinery/pkg/labels
 * (same tokens, same error wording); field selectors follow pkg/fields (terms split on unescaped ',',
 * operators !=, ==, =, values unescaped). */
#include "sim/selector.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"

/* ---- label selectors ---------------------------------------------------------------------------- */

typedef enum { OP_EXISTS, OP_NOT_EXISTS, OP_IN, OP_NOT_IN, OP_EQ, OP_NE, OP_GT, OP_LT } label_op;

typedef struct requirement {
    char *key;
    label_op op;
    char **values;
    size_t nvalues;
} requirement;

struct sim_label_selector {
    requirement *reqs;
    size_t n;
};

typedef enum {
    T_ERROR,
    T_END,
    T_CLOSE,
    T_COMMA,
    T_NOT, /* "!" (does-not-exist) */
    T_DEQ,
    T_EQ,
    T_GT,
    T_IDENT,
    T_IN,
    T_NE,
    T_NOTIN,
    T_LT,
    T_OPEN
} token;

typedef struct lexer {
    const char *s;
    size_t pos;
    /* literal of the last token (points into s) */
    const char *lit;
    size_t litlen;
} lexer;

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_special(char c)
{
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

/* values_ctx: inside values the words "in"/"notin" are plain identifiers, as in the apiserver. */
static token lex(lexer *l, bool values_ctx)
{
    while (is_ws(l->s[l->pos]))
        l->pos++;
    const char *p = l->s + l->pos;
    l->lit = p;
    if (*p == '\0') {
        l->litlen = 0;
        return T_END;
    }
    if (is_special(*p)) {
        static const struct {
            const char *sym;
            token t;
        } syms[] = {{"!=", T_NE}, {"==", T_DEQ}, {"!", T_NOT}, {"(", T_OPEN}, {")", T_CLOSE},
                    {",", T_COMMA}, {"=", T_EQ}, {">", T_GT}, {"<", T_LT}};
        for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
            size_t n = strlen(syms[i].sym);
            if (strncmp(p, syms[i].sym, n) == 0) {
                l->litlen = n;
                l->pos += n;
                return syms[i].t;
            }
        }
        l->litlen = 1;
        l->pos++;
        return T_ERROR;
    }
    size_t n = 0;
    while (p[n] && !is_ws(p[n]) && !is_special(p[n]))
        n++;
    l->litlen = n;
    l->pos += n;
    if (!values_ctx && n == 2 && strncmp(p, "in", 2) == 0)
        return T_IN;
    if (!values_ctx && n == 5 && strncmp(p, "notin", 5) == 0)
        return T_NOTIN;
    return T_IDENT;
}

static token peek(lexer *l, bool values_ctx, const char **lit, size_t *litlen)
{
    lexer save = *l;
    token t = lex(l, values_ctx);
    if (lit) {
        *lit = l->lit;
        *litlen = l->litlen;
    }
    *l = save;
    return t;
}

/* Echoed literals are cut so that a hostile 10 KB selector gives a readable message. */
#define LIT_MAX 200
#define LITF(p, n) (int)((n) > LIT_MAX ? LIT_MAX : (n)), (p)

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], at most 63: a label value (may be empty) or a name part. */
static bool valid_label_part(const char *s, size_t n, bool allow_empty)
{
    if (n == 0)
        return allow_empty;
    if (n > 63 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

/* A DNS-1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253. */
static bool valid_dns_subdomain(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok)
            return false;
    }
    return s[0] != '-' && s[0] != '.' && s[n - 1] != '-' && s[n - 1] != '.';
}

static bool validate_key(const char *k, size_t n, char *err, size_t errlen)
{
    const char *slash = memchr(k, '/', n);
    const char *name = slash ? slash + 1 : k;
    size_t namelen = slash ? n - (size_t)(slash - k) - 1 : n;
    if (slash && !valid_dns_subdomain(k, (size_t)(slash - k))) {
        set_err(err, errlen,
                "key: Invalid value: \"%.*s\": prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                LITF(k, n));
        return false;
    }
    if (namelen == 0) {
        set_err(err, errlen, "key: Invalid value: \"%.*s\": name part must be non-empty", LITF(k, n));
        return false;
    }
    if (namelen > 63) {
        set_err(err, errlen, "key: Invalid value: \"%.*s\": name part must be no more than 63 characters",
                LITF(k, n));
        return false;
    }
    if (!valid_label_part(name, namelen, false)) {
        set_err(err, errlen,
                "key: Invalid value: \"%.*s\": name part must consist of alphanumeric characters, '-', '_' or '.', "
                "and must start and end with an alphanumeric character",
                LITF(k, n));
        return false;
    }
    return true;
}

static bool validate_value(const char *v, size_t n, char *err, size_t errlen)
{
    if (n > 63) {
        set_err(err, errlen, "values[0][value]: Invalid value: \"%.*s\": must be no more than 63 characters",
                LITF(v, n));
        return false;
    }
    if (!valid_label_part(v, n, true)) {
        set_err(err, errlen,
                "values[0][value]: Invalid value: \"%.*s\": a valid label must be an empty string or consist of "
                "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                LITF(v, n));
        return false;
    }
    return true;
}

static void req_add_value(requirement *r, const char *v, size_t n)
{
    for (size_t i = 0; i < r->nvalues; i++) /* a set, as in the apiserver */
        if (strlen(r->values[i]) == n && memcmp(r->values[i], v, n) == 0)
            return;
    r->values = xrealloc(r->values, (r->nvalues + 1) * sizeof *r->values);
    r->values[r->nvalues++] = xstrndup(v, n);
}

static void req_clear(requirement *r)
{
    free(r->key);
    for (size_t i = 0; i < r->nvalues; i++)
        free(r->values[i]);
    free(r->values);
    memset(r, 0, sizeof *r);
}

/* "(a, b)" after in/notin. */
static bool parse_values(lexer *l, requirement *r, char *err, size_t errlen)
{
    token t = lex(l, true);
    if (t != T_OPEN) {
        set_err(err, errlen, "found '%.*s' expected: '('", LITF(l->lit, l->litlen));
        return false;
    }
    const char *lit;
    size_t litlen;
    t = peek(l, true, &lit, &litlen);
    if (t == T_CLOSE) {
        lex(l, true);
        req_add_value(r, "", 0);
        return true;
    }
    if (t != T_IDENT && t != T_COMMA) {
        set_err(err, errlen, "found '%.*s', expected: ',', ')' or identifier", LITF(lit, litlen));
        return false;
    }
    for (;;) {
        t = lex(l, true);
        if (t == T_IDENT) {
            if (!validate_value(l->lit, l->litlen, err, errlen))
                return false;
            req_add_value(r, l->lit, l->litlen);
            token t2 = peek(l, true, &lit, &litlen);
            if (t2 == T_COMMA)
                continue;
            if (t2 == T_CLOSE)
                break;
            set_err(err, errlen, "found '%.*s', expected: ',' or ')'", LITF(lit, litlen));
            return false;
        } else if (t == T_COMMA) { /* "(,a)", "(a,,b)", "(a,)" mean an empty value too */
            req_add_value(r, "", 0);
            token t2 = peek(l, true, NULL, NULL);
            if (t2 == T_CLOSE)
                break;
            if (t2 == T_COMMA)
                lex(l, true);
        } else {
            set_err(err, errlen, "found '%.*s', expected: ',', or identifier", LITF(l->lit, l->litlen));
            return false;
        }
    }
    t = lex(l, true);
    if (t != T_CLOSE) {
        set_err(err, errlen, "found '%.*s', expected: ')'", LITF(l->lit, l->litlen));
        return false;
    }
    return true;
}

static bool parse_int64(const char *s, long long *out)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool parse_requirement(lexer *l, requirement *r, char *err, size_t errlen)
{
    token t = lex(l, true);
    bool negated = false;
    if (t == T_NOT) {
        negated = true;
        t = lex(l, true);
    }
    if (t != T_IDENT) {
        set_err(err, errlen, "found '%.*s', expected: identifier", LITF(l->lit, l->litlen));
        return false;
    }
    if (!validate_key(l->lit, l->litlen, err, errlen))
        return false;
    r->key = xstrndup(l->lit, l->litlen);
    token next = peek(l, true, NULL, NULL);
    if (negated || next == T_END || next == T_COMMA) {
        r->op = negated ? OP_NOT_EXISTS : OP_EXISTS;
        return true;
    }
    t = lex(l, false);
    switch (t) {
    case T_IN: r->op = OP_IN; break;
    case T_NOTIN: r->op = OP_NOT_IN; break;
    case T_EQ:
    case T_DEQ: r->op = OP_EQ; break;
    case T_NE: r->op = OP_NE; break;
    case T_GT: r->op = OP_GT; break;
    case T_LT: r->op = OP_LT; break;
    default:
        set_err(err, errlen, "found '%.*s', expected: in, notin, =, ==, !=, gt, lt", LITF(l->lit, l->litlen));
        return false;
    }
    if (r->op == OP_IN || r->op == OP_NOT_IN)
        return parse_values(l, r, err, errlen);
    /* an exact value; "k=" (nothing before ',' or the end) means the empty value */
    const char *lit;
    size_t litlen;
    next = peek(l, true, &lit, &litlen);
    if (next == T_END || next == T_COMMA) {
        req_add_value(r, "", 0);
    } else if (next == T_IDENT) {
        lex(l, true);
        if (!validate_value(l->lit, l->litlen, err, errlen))
            return false;
        req_add_value(r, l->lit, l->litlen);
    } else {
        set_err(err, errlen, "found '%.*s', expected: identifier", LITF(lit, litlen));
        return false;
    }
    long long dummy;
    if ((r->op == OP_GT || r->op == OP_LT) && !parse_int64(r->values[0], &dummy)) {
        set_err(err, errlen, "values[0]: Invalid value: \"%.*s\": for 'Gt', 'Lt' operators, the value must be an integer",
                LITF(r->values[0], strlen(r->values[0])));
        return false;
    }
    return true;
}

void sim_label_selector_free(sim_label_selector *sel)
{
    if (!sel)
        return;
    for (size_t i = 0; i < sel->n; i++)
        req_clear(&sel->reqs[i]);
    free(sel->reqs);
    free(sel);
}

sim_label_selector *sim_label_selector_parse(const char *text, char *err, size_t errlen)
{
    sim_label_selector *sel = xcalloc(1, sizeof *sel);
    lexer l = {text ? text : "", 0, NULL, 0};
    char why[512];
    for (;;) {
        const char *lit;
        size_t litlen;
        token t = peek(&l, true, &lit, &litlen);
        if (t == T_END)
            return sel;
        if (t != T_IDENT && t != T_NOT) {
            set_err(err, errlen, "found '%.*s', expected: !, identifier, or 'end of string'", LITF(lit, litlen));
            goto fail;
        }
        requirement r = {0};
        if (!parse_requirement(&l, &r, why, sizeof why)) {
            req_clear(&r);
            set_err(err, errlen, "unable to parse requirement: %s", why);
            goto fail;
        }
        sel->reqs = xrealloc(sel->reqs, (sel->n + 1) * sizeof *sel->reqs);
        sel->reqs[sel->n++] = r;
        t = lex(&l, true);
        if (t == T_END)
            return sel;
        if (t != T_COMMA) {
            set_err(err, errlen, "found '%.*s', expected: ',' or 'end of string'", LITF(l.lit, l.litlen));
            goto fail;
        }
        token t2 = peek(&l, true, &lit, &litlen);
        if (t2 != T_IDENT && t2 != T_NOT) {
            set_err(err, errlen, "found '%.*s', expected: identifier after ','", LITF(lit, litlen));
            goto fail;
        }
    }
fail:
    sim_label_selector_free(sel);
    return NULL;
}

static bool req_has_value(const requirement *r, const char *v)
{
    for (size_t i = 0; i < r->nvalues; i++)
        if (strcmp(r->values[i], v) == 0)
            return true;
    return false;
}

static bool req_matches(const requirement *r, const cJSON *labels)
{
    const char *v = json_str_at(labels, r->key, NULL);
    switch (r->op) {
    case OP_EXISTS: return v != NULL;
    case OP_NOT_EXISTS: return v == NULL;
    case OP_IN:
    case OP_EQ: return v && req_has_value(r, v);
    case OP_NOT_IN:
    case OP_NE: return !v || !req_has_value(r, v);
    case OP_GT:
    case OP_LT: {
        long long have, want;
        if (!v || !parse_int64(v, &have) || !parse_int64(r->values[0], &want))
            return false;
        return r->op == OP_GT ? have > want : have < want;
    }
    }
    return false;
}

bool sim_label_selector_matches(const sim_label_selector *sel, const cJSON *obj)
{
    if (!sel)
        return true;
    const cJSON *labels = json_at(obj, "metadata", "labels", NULL);
    for (size_t i = 0; i < sel->n; i++)
        if (!req_matches(&sel->reqs[i], labels))
            return false;
    return true;
}

/* ---- field selectors ------------------------------------------------------------------------------ */

typedef struct field_term {
    const char *const *path; /* JSON path of the field, NULL-terminated */
    char *value;
    bool negate;
} field_term;

struct sim_field_selector {
    field_term *terms;
    size_t n;
};

typedef struct field_def {
    const char *label;
    const char *path[4];
} field_def;

static const field_def common_fields[] = {
    {"metadata.name", {"metadata", "name", NULL}},
    {"metadata.namespace", {"metadata", "namespace", NULL}},
};
static const field_def pod_fields[] = {
    {"spec.nodeName", {"spec", "nodeName", NULL}},
    {"spec.restartPolicy", {"spec", "restartPolicy", NULL}},
    {"spec.schedulerName", {"spec", "schedulerName", NULL}},
    {"spec.serviceAccountName", {"spec", "serviceAccountName", NULL}},
    {"status.phase", {"status", "phase", NULL}},
    {"status.podIP", {"status", "podIP", NULL}},
    {"status.nominatedNodeName", {"status", "nominatedNodeName", NULL}},
};
static const field_def event_fields[] = {
    {"involvedObject.kind", {"involvedObject", "kind", NULL}},
    {"involvedObject.namespace", {"involvedObject", "namespace", NULL}},
    {"involvedObject.name", {"involvedObject", "name", NULL}},
    {"involvedObject.uid", {"involvedObject", "uid", NULL}},
    {"involvedObject.apiVersion", {"involvedObject", "apiVersion", NULL}},
    {"involvedObject.resourceVersion", {"involvedObject", "resourceVersion", NULL}},
    {"involvedObject.fieldPath", {"involvedObject", "fieldPath", NULL}},
    {"reason", {"reason", NULL}},
    {"reportingComponent", {"reportingComponent", NULL}},
    {"source", {"source", "component", NULL}},
    {"type", {"type", NULL}},
};

static const field_def *find_field(const field_def *defs, size_t n, const char *label, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(defs[i].label) == len && memcmp(defs[i].label, label, len) == 0)
            return &defs[i];
    return NULL;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const field_def *field_for_kind(const sim_kind *k, const char *label, size_t len)
{
    const field_def *d = find_field(common_fields, NELEM(common_fields), label, len);
    if (!d && k && k->id == SIM_POD)
        d = find_field(pod_fields, NELEM(pod_fields), label, len);
    if (!d && k && k->id == SIM_EVENT)
        d = find_field(event_fields, NELEM(event_fields), label, len);
    return d;
}

/* Unescapes \\ \, \= ; anything else after a backslash is an error, as in fields.UnescapeValue. */
static char *unescape_value(const char *s, size_t n, char *err, size_t errlen)
{
    buf b = BUF_INIT;
    buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            buf_putc(&b, s[i]);
            continue;
        }
        if (i + 1 == n) {
            set_err(err, errlen, "unterminated escape sequence at end of '%.*s'", LITF(s, n));
            buf_free(&b);
            return NULL;
        }
        char c = s[++i];
        if (c != '\\' && c != ',' && c != '=') {
            set_err(err, errlen, "invalid escape sequence: '\\%c' in '%.*s'", c, LITF(s, n));
            buf_free(&b);
            return NULL;
        }
        buf_putc(&b, c);
    }
    return buf_steal(&b);
}

void sim_field_selector_free(sim_field_selector *sel)
{
    if (!sel)
        return;
    for (size_t i = 0; i < sel->n; i++)
        free(sel->terms[i].value);
    free(sel->terms);
    free(sel);
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_ws(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_ws((*s)[*n - 1]))
        (*n)--;
}

static bool parse_field_term(const sim_kind *k, const char *term, size_t n, const char *whole,
                             sim_field_selector *sel, char *err, size_t errlen)
{
    size_t i = 0, oplen = 0;
    bool negate = false;
    for (; i < n; i++) {
        if (term[i] == '!' && i + 1 < n && term[i + 1] == '=') {
            negate = true;
            oplen = 2;
            break;
        }
        if (term[i] == '=') {
            oplen = (i + 1 < n && term[i + 1] == '=') ? 2 : 1;
            break;
        }
    }
    if (oplen == 0) {
        set_err(err, errlen, "invalid selector: '%.*s'; can't understand '%.*s'", LITF(whole, strlen(whole)),
                LITF(term, n));
        return false;
    }
    const char *lhs = term;
    size_t lhslen = i;
    trim(&lhs, &lhslen);
    const field_def *d = field_for_kind(k, lhs, lhslen);
    if (!d) {
        set_err(err, errlen, "field label not supported: %.*s", LITF(lhs, lhslen));
        return false;
    }
    const char *rhs = term + i + oplen;
    size_t rhslen = n - i - oplen;
    trim(&rhs, &rhslen);
    char *value = unescape_value(rhs, rhslen, err, errlen);
    if (!value)
        return false;
    sel->terms = xrealloc(sel->terms, (sel->n + 1) * sizeof *sel->terms);
    sel->terms[sel->n++] = (field_term){d->path, value, negate};
    return true;
}

sim_field_selector *sim_field_selector_parse(const sim_kind *k, const char *text, char *err, size_t errlen)
{
    sim_field_selector *sel = xcalloc(1, sizeof *sel);
    const char *s = text ? text : "";
    size_t start = 0, len = strlen(s);
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] == '\\' && i + 1 < len) {
            i++; /* an escaped character never splits terms */
            continue;
        }
        if (i < len && s[i] != ',')
            continue;
        const char *term = s + start;
        size_t n = i - start;
        trim(&term, &n);
        start = i + 1;
        if (n == 0)
            continue;
        if (!parse_field_term(k, term, n, s, sel, err, errlen)) {
            sim_field_selector_free(sel);
            return NULL;
        }
    }
    return sel;
}

static const char *field_value(const cJSON *obj, const char *const *path)
{
    const cJSON *cur = obj;
    for (size_t i = 0; path[i]; i++) {
        if (!cJSON_IsObject(cur))
            return "";
        cur = cJSON_GetObjectItemCaseSensitive(cur, path[i]);
    }
    return cJSON_IsString(cur) ? cur->valuestring : "";
}

bool sim_field_selector_matches(const sim_field_selector *sel, const cJSON *obj)
{
    if (!sel)
        return true;
    for (size_t i = 0; i < sel->n; i++) {
        bool eq = strcmp(field_value(obj, sel->terms[i].path), sel->terms[i].value) == 0;
        if (eq == sel->terms[i].negate)
            return false;
    }
    return true;
}
