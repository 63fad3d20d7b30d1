/* A YAML tree from libyaml events (see kubeyaml.h). */
#include "client/kubeyaml.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "common/buf.h"
#include "common/errfmt.h"

typedef struct anchor {
    char *name;
    ky_node *node;
} anchor;

typedef struct builder {
    ky_doc *doc;
    ky_node *stack[KY_MAX_DEPTH];
    ky_node *pending_key[KY_MAX_DEPTH]; /* maps: the key waiting for its value */
    int depth;
    anchor *anchors;
    size_t nanchors, capanchors;
    char *err;
    size_t errlen;
} builder;

static ky_node *node_new(builder *b, ky_type type, int line)
{
    ky_node *n = xcalloc(1, sizeof *n);
    n->type = type;
    n->line = line;
    n->next_owned = b->doc->owned;
    b->doc->owned = n;
    return n;
}

static void node_push_child(ky_node *parent, ky_node *key, ky_node *val)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 4;
        parent->vals = xrealloc(parent->vals, cap * sizeof *parent->vals);
        if (parent->type == KY_MAP)
            parent->keys = xrealloc(parent->keys, cap * sizeof *parent->keys);
        parent->cap = cap;
    }
    if (parent->type == KY_MAP)
        parent->keys[parent->n] = key;
    parent->vals[parent->n++] = val;
}

/* Attaches a finished or opened node to the current container (or makes it the root). */
static int attach(builder *b, ky_node *n)
{
    if (b->depth == 0) {
        if (!b->doc->root)
            b->doc->root = n;
        return 0;
    }
    ky_node *top = b->stack[b->depth - 1];
    if (top->type == KY_SEQ) {
        node_push_child(top, NULL, n);
        return 0;
    }
    ky_node **pending = &b->pending_key[b->depth - 1];
    if (!*pending) {
        if (n->type != KY_SCALAR) {
            snprintf(b->err, b->errlen, "line %d: a map key must be a plain value, not %s", n->line,
                     ky_type_name(n));
            return -1;
        }
        *pending = n;
        return 0;
    }
    node_push_child(top, *pending, n);
    *pending = NULL;
    return 0;
}

static void remember_anchor(builder *b, const yaml_char_t *name, ky_node *n)
{
    if (!name)
        return;
    if (b->nanchors == b->capanchors) {
        b->capanchors = b->capanchors ? b->capanchors * 2 : 8;
        b->anchors = xrealloc(b->anchors, b->capanchors * sizeof *b->anchors);
    }
    b->anchors[b->nanchors].name = xstrdup((const char *)name);
    b->anchors[b->nanchors].node = n;
    b->nanchors++;
}

static int resolve_alias(builder *b, const char *name, int line)
{
    ky_node *n = NULL;
    for (size_t i = b->nanchors; i > 0; i--) {
        if (strcmp(b->anchors[i - 1].name, name) == 0) {
            n = b->anchors[i - 1].node;
            break;
        }
    }
    if (!n) {
        snprintf(b->err, b->errlen, "line %d: unknown alias *%.64s", line, name);
        return -1;
    }
    /* An alias to a container that is still open would make a cycle. */
    for (int i = 0; i < b->depth; i++) {
        if (b->stack[i] == n) {
            snprintf(b->err, b->errlen, "line %d: alias *%.64s refers to a node that contains it", line, name);
            return -1;
        }
    }
    return attach(b, n);
}

static int open_container(builder *b, ky_type type, const yaml_char_t *anchor_name, int line)
{
    if (b->depth >= KY_MAX_DEPTH) {
        snprintf(b->err, b->errlen, "line %d: nesting deeper than %d levels", line, KY_MAX_DEPTH);
        return -1;
    }
    ky_node *n = node_new(b, type, line);
    if (attach(b, n) < 0)
        return -1;
    remember_anchor(b, anchor_name, n);
    b->pending_key[b->depth] = NULL;
    b->stack[b->depth++] = n;
    return 0;
}

static int close_container(builder *b, int line)
{
    if (b->depth == 0)
        return 0;
    if (b->pending_key[b->depth - 1]) {
        snprintf(b->err, b->errlen, "line %d: a map key has no value", line);
        return -1;
    }
    b->depth--;
    return 0;
}

static int on_event(builder *b, const yaml_event_t *ev, bool *done)
{
    int line = (int)ev->start_mark.line + 1;
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        ky_node *n = node_new(b, KY_SCALAR, line);
        n->len = ev->data.scalar.length;
        n->str = xmalloc(n->len + 1);
        memcpy(n->str, ev->data.scalar.value, n->len);
        n->str[n->len] = '\0';
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        remember_anchor(b, ev->data.scalar.anchor, n);
        return attach(b, n);
    }
    case YAML_ALIAS_EVENT:
        return resolve_alias(b, (const char *)ev->data.alias.anchor, line);
    case YAML_MAPPING_START_EVENT:
        return open_container(b, KY_MAP, ev->data.mapping_start.anchor, line);
    case YAML_SEQUENCE_START_EVENT:
        return open_container(b, KY_SEQ, ev->data.sequence_start.anchor, line);
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        return close_container(b, line);
    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_END_EVENT:
        *done = true;
        return 0;
    default:
        return 0;
    }
}

static void parser_error(const yaml_parser_t *p, char *err, size_t errlen)
{
    const char *problem = p->problem ? p->problem : "malformed YAML";
    size_t line = p->problem_mark.line + 1;
    if (p->error == YAML_READER_ERROR) /* the reader reports a byte offset, not a mark */
        set_err(err, errlen, "byte %zu: %s", p->problem_offset, problem);
    else if (p->context)
        set_err(err, errlen, "line %zu: %s %s", line, problem, p->context);
    else
        set_err(err, errlen, "line %zu: %s", line, problem);
}

int ky_parse(const char *text, size_t len, ky_doc *doc, char *err, size_t errlen)
{
    memset(doc, 0, sizeof *doc);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        return set_err(err, errlen, "out of memory starting the YAML parser");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    builder b = {.doc = doc, .err = err, .errlen = errlen};
    int rc = 0;
    bool done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            parser_error(&parser, err, errlen);
            rc = -1;
            break;
        }
        rc = on_event(&b, &ev, &done);
        yaml_event_delete(&ev);
        if (rc < 0)
            break;
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < b.nanchors; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    if (rc < 0)
        ky_free(doc);
    return rc;
}

void ky_free(ky_doc *doc)
{
    ky_node *n = doc->owned;
    while (n) {
        ky_node *next = n->next_owned;
        free(n->str);
        free(n->keys);
        free(n->vals);
        free(n);
        n = next;
    }
    doc->owned = NULL;
    doc->root = NULL;
}

static bool scalar_is(const ky_node *n, const char *s)
{
    return n && n->type == KY_SCALAR && n->len == strlen(s) && memcmp(n->str, s, n->len) == 0;
}

/* Merge chains are bounded so that a hostile web of "<<" aliases cannot make a lookup explode. */
static const ky_node *get_bounded(const ky_node *map, const char *key, int *budget)
{
    if (!map || map->type != KY_MAP || --*budget < 0)
        return NULL;
    for (size_t i = map->n; i > 0; i--) /* a key given twice: the last wins, as kubectl reads it */
        if (scalar_is(map->keys[i - 1], key))
            return map->vals[i - 1];
    for (size_t i = 0; i < map->n; i++) {
        if (!(map->keys[i]->plain && scalar_is(map->keys[i], "<<")))
            continue;
        const ky_node *m = map->vals[i];
        if (m->type == KY_MAP) {
            const ky_node *v = get_bounded(m, key, budget);
            if (v)
                return v;
        } else if (m->type == KY_SEQ) {
            for (size_t j = 0; j < m->n; j++) {
                const ky_node *v = get_bounded(m->vals[j], key, budget);
                if (v)
                    return v;
            }
        }
    }
    return NULL;
}

const ky_node *ky_get(const ky_node *map, const char *key)
{
    int budget = 256;
    return get_bounded(map, key, &budget);
}

bool ky_is_null(const ky_node *n)
{
    if (!n)
        return true;
    if (n->type != KY_SCALAR || !n->plain)
        return false;
    return n->len == 0 || scalar_is(n, "~") || scalar_is(n, "null") || scalar_is(n, "Null") ||
           scalar_is(n, "NULL");
}

bool ky_bool(const ky_node *n, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    if (!n || n->type != KY_SCALAR || !n->plain)
        return false;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (scalar_is(n, yes[i])) {
            *out = true;
            return true;
        }
        if (scalar_is(n, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

const char *ky_type_name(const ky_node *n)
{
    if (ky_is_null(n))
        return "nothing";
    switch (n->type) {
    case KY_MAP: return "a map";
    case KY_SEQ: return "a list";
    default: return "a value";
    }
}
