/* JSON → YAML, kubectl style (see yaml.h). The quoting rules follow what go-yaml (behind kubectl)
 * does: a string is written plain unless plain text would read back as something else (a bool, a
 * number, null, a timestamp) or would not parse (indicators, ": ", " #", edge spaces); then single
 * quotes, or double quotes with escapes when it holds characters that are not printable. */
#include "views/yaml.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/utf8.h"

typedef enum str_style { STYLE_PLAIN, STYLE_SINGLE, STYLE_DOUBLE, STYLE_LITERAL } str_style;

/* Bidirectional formatting characters: printable to YAML, but they reorder what a reader sees. */
static bool bidi_control(unsigned cp)
{
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* YAML's printable set (as go-yaml has it), newline excluded, minus bidi controls: what may appear
 * unescaped. */
static bool printable(unsigned cp)
{
    if (bidi_control(cp))
        return false;
    return (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF && cp != 0x2028 && cp != 0x2029) ||
           (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* ---- what a plain scalar would resolve to */

static bool all_of(const char *s, const char *set)
{
    return *s && strspn(s, set) == strlen(s);
}

static bool is_null_or_bool(const char *s)
{
    static const char *const words[] = {"~",  "null", "Null", "NULL", "y",   "Y",     "yes",   "Yes",   "YES",
                                        "n",  "N",    "no",   "No",   "NO",  "true",  "True",  "TRUE",  "false",
                                        "False", "FALSE", "on", "On", "ON",  "off",   "Off",   "OFF",   NULL};
    for (size_t i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

static bool is_int(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return all_of(s + 2, "0123456789abcdefABCDEF_");
    if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        return all_of(s + 2, "01_");
    if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
        return all_of(s + 2, "01234567_");
    return isdigit((unsigned char)*s) && all_of(s, "0123456789_");
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?  and .inf / .nan */
static bool is_float(const char *s)
{
    static const char *const special[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", NULL};
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    for (size_t i = 0; special[i]; i++)
        if (strcmp(p, special[i]) == 0 && (p == s || (special[i][1] != 'n' && special[i][1] != 'N')))
            return true;
    size_t digits = 0;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (*p == '.') {
        p++;
        size_t frac = 0;
        while (isdigit((unsigned char)*p))
            p++, frac++;
        if (digits == 0 && frac == 0)
            return false;
    } else if (digits == 0) {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == '\0';
}

/* YAML 1.1 sexagesimal: [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)? ("1:20" is a number there). */
static bool is_base60(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s) || *s == '_')
        s++;
    if (*s != ':')
        return false;
    while (*s == ':') {
        s++;
        if (!isdigit((unsigned char)*s))
            return false;
        if (isdigit((unsigned char)s[1])) {
            if (*s > '5')
                return false;
            s++;
        }
        s++;
    }
    if (*s == '.') {
        s++;
        while (isdigit((unsigned char)*s) || *s == '_')
            s++;
    }
    return *s == '\0';
}

/* A date (YYYY-M-D) alone or followed by a time: go-yaml reads these as timestamps. */
static bool is_timestamp(const char *s)
{
    size_t i = 0;
    while (i < 4 && isdigit((unsigned char)s[i]))
        i++;
    if (i != 4 || s[i] != '-')
        return false;
    i++;
    for (int part = 0; part < 2; part++) {
        size_t d = 0;
        while (d < 2 && isdigit((unsigned char)s[i]))
            i++, d++;
        if (d == 0)
            return false;
        if (part == 0 && s[i++] != '-')
            return false;
    }
    if (s[i] == '\0')
        return true;
    return (s[i] == 'T' || s[i] == 't' || s[i] == ' ') && isdigit((unsigned char)s[i + 1]);
}

static bool resolves_to_non_string(const char *s)
{
    return *s == '\0' || is_null_or_bool(s) || is_int(s) || is_float(s) || is_base60(s) || is_timestamp(s);
}

/* ---- choosing a style */

static bool blank_or_end(char c)
{
    return c == ' ' || c == '\t' || c == '\0' || c == '\n';
}

static str_style choose_style(const char *s, bool is_key)
{
    size_t n = strlen(s);
    bool has_newline = false, special = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp == UTF8_INVALID) {
            special = true;
            break;
        }
        if (cp == '\n')
            has_newline = true;
        else if (!printable(cp))
            special = true;
        i += len;
    }
    if (special)
        return STYLE_DOUBLE;
    if (has_newline) {
        if (is_key || s[0] == ' ' || s[0] == '\n')
            return STYLE_DOUBLE;
        for (size_t i = 0; i < n; i++)
            if (s[i] == ' ' && (s[i + 1] == '\n' || s[i + 1] == '\0'))
                return STYLE_DOUBLE; /* trailing spaces on a line would be lost in a block */
        return STYLE_LITERAL;
    }
    if (resolves_to_non_string(s))
        return STYLE_DOUBLE;
    if (s[0] == ' ' || s[n - 1] == ' ')
        return STYLE_SINGLE;
    if (strchr("#,[]{}&*!|>'\"%@`", s[0]))
        return STYLE_SINGLE;
    if (strchr("-?:", s[0]) && blank_or_end(s[1]))
        return STYLE_SINGLE;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':' && blank_or_end(s[i + 1]))
            return STYLE_SINGLE;
        if (s[i] == '#' && i > 0 && s[i - 1] == ' ')
            return STYLE_SINGLE;
    }
    return STYLE_PLAIN;
}

/* ---- writing scalars */

static void put_indent(buf *out, int indent)
{
    for (int i = 0; i < indent; i++)
        buf_putc(out, ' ');
}

static void put_double_quoted(buf *out, const char *s)
{
    size_t n = strlen(s);
    buf_putc(out, '"');
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp == UTF8_INVALID) {
            buf_printf(out, "\\x%02X", (unsigned char)s[i]); /* a byte that is not UTF-8 */
            i++;
            continue;
        }
        switch (cp) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\0': buf_puts(out, "\\0"); break;
        case '\a': buf_puts(out, "\\a"); break;
        case '\b': buf_puts(out, "\\b"); break;
        case '\t': buf_puts(out, "\\t"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\v': buf_puts(out, "\\v"); break;
        case '\f': buf_puts(out, "\\f"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case 0x1B: buf_puts(out, "\\e"); break;
        default:
            if (printable(cp))
                buf_append(out, s + i, len);
            else if (cp <= 0xFF)
                buf_printf(out, "\\x%02X", cp);
            else
                buf_printf(out, "\\u%04X", cp);
        }
        i += len;
    }
    buf_putc(out, '"');
}

static void put_single_quoted(buf *out, const char *s)
{
    buf_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_putc(out, '\'');
        buf_putc(out, *s);
    }
    buf_putc(out, '\'');
}

/* "|", "|-" or "|+" and the lines, each at indent (empty lines get no spaces). */
static void put_literal(buf *out, const char *s, int indent)
{
    size_t n = strlen(s), trailing = 0;
    while (trailing < n && s[n - 1 - trailing] == '\n')
        trailing++;
    buf_puts(out, trailing == 0 ? "|-\n" : trailing == 1 ? "|\n" : "|+\n");
    size_t body = n - trailing; /* lines up to the last non-newline character */
    size_t start = 0;
    while (start < body) {
        const char *nl = memchr(s + start, '\n', body - start);
        size_t end = nl ? (size_t)(nl - s) : body;
        if (end > start)
            put_indent(out, indent);
        buf_append(out, s + start, end - start);
        buf_putc(out, '\n');
        start = end + 1;
    }
    for (size_t i = 1; i < trailing; i++) /* kept by "|+" */
        buf_putc(out, '\n');
}

/* Writes a string scalar inline and ends the line (a literal block continues on the next lines). */
static void put_string(buf *out, const char *s, bool is_key, int block_indent)
{
    switch (choose_style(s, is_key)) {
    case STYLE_PLAIN: buf_puts(out, s); break;
    case STYLE_SINGLE: put_single_quoted(out, s); break;
    case STYLE_DOUBLE: put_double_quoted(out, s); break;
    case STYLE_LITERAL: put_literal(out, s, block_indent); return;
    }
    if (!is_key)
        buf_putc(out, '\n');
}

static void put_number(buf *out, double v)
{
    if (!isfinite(v)) {
        buf_puts(out, v != v ? ".nan" : v > 0 ? ".inf" : "-.inf");
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        buf_printf(out, "%lld", (long long)v);
        return;
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        snprintf(tmp, sizeof tmp, "%.17g", v);
    buf_puts(out, tmp);
}

/* ---- structure */

static bool is_container(const cJSON *v)
{
    return cJSON_IsObject(v) || cJSON_IsArray(v);
}

static void put_node(buf *out, const cJSON *v, int indent, bool continues_line);

/* A scalar or an empty container after "key: " or "- ", ending the line. */
static void put_inline(buf *out, const cJSON *v, int block_indent)
{
    if (cJSON_IsString(v))
        put_string(out, v->valuestring ? v->valuestring : "", false, block_indent);
    else if (cJSON_IsNumber(v))
        put_number(out, v->valuedouble), buf_putc(out, '\n');
    else if (cJSON_IsTrue(v))
        buf_puts(out, "true\n");
    else if (cJSON_IsFalse(v))
        buf_puts(out, "false\n");
    else if (cJSON_IsObject(v))
        buf_puts(out, "{}\n");
    else if (cJSON_IsArray(v))
        buf_puts(out, "[]\n");
    else
        buf_puts(out, "null\n");
}

static void put_mapping(buf *out, const cJSON *obj, int indent, bool continues_line)
{
    bool first = true;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!(first && continues_line))
            put_indent(out, indent);
        first = false;
        put_string(out, c->string ? c->string : "", true, indent);
        if (is_container(c) && c->child) {
            buf_puts(out, ":\n");
            /* kubectl writes a sequence at its key's indent, a mapping two further */
            put_node(out, c, cJSON_IsArray(c) ? indent : indent + 2, false);
        } else {
            buf_puts(out, ": ");
            put_inline(out, c, indent + 2);
        }
    }
}

static void put_sequence(buf *out, const cJSON *arr, int indent, bool continues_line)
{
    bool first = true;
    for (const cJSON *c = arr->child; c; c = c->next) {
        if (!(first && continues_line))
            put_indent(out, indent);
        first = false;
        buf_puts(out, "- ");
        if (is_container(c) && c->child)
            put_node(out, c, indent + 2, true);
        else
            put_inline(out, c, indent + 2);
    }
}

static void put_node(buf *out, const cJSON *v, int indent, bool continues_line)
{
    if (cJSON_IsObject(v) && v->child)
        put_mapping(out, v, indent, continues_line);
    else if (cJSON_IsArray(v) && v->child)
        put_sequence(out, v, indent, continues_line);
    else
        put_inline(out, v, indent + 2);
}

void yaml_from_json(const cJSON *root, buf *out)
{
    if (!root) {
        buf_puts(out, "null\n");
        return;
    }
    put_node(out, root, 0, false);
}

char *yaml_from_json_text(const char *json, size_t len)
{
    if (!json)
        return NULL;
    cJSON *root = json_parse_len(json, len);
    if (!root)
        return NULL;
    buf out = BUF_INIT;
    yaml_from_json(root, &out);
    cJSON_Delete(root);
    return buf_steal(&out);
}
