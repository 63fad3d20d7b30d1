/* Small helpers every view uses to fill cells and identities without overflowing a buffer. */
#include "views/view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"


/* Largest length <= max that does not end inside a UTF-8 sequence of s (s has at least max bytes). */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = max;
    /* Step back over continuation bytes (10xxxxxx) to the lead byte, then decide whether the
     * sequence starting there fits entirely. */
    size_t lead = n;
    while (lead > 0 && ((unsigned char)s[lead] & 0xC0) == 0x80)
        lead--;
    if (lead == n)
        return n; /* s[n] starts a new sequence (or is ASCII): cutting here is clean */
    return lead;
}

void view_copy_text(char *dst, size_t dstlen, const char *src)
{
    if (!dst || dstlen == 0)
        return;
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t len = strlen(src);
    if (len >= dstlen)
        len = utf8_cut(src, dstlen - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

void view_cell_clear(view_cell *out)
{
    out->text[0] = '\0';
    out->role = ROLE_DEFAULT;
    out->progress_pct = -1;
}

void view_vformat(char *dst, size_t dstlen, const char *fmt, va_list ap)
{
    char tmp[VIEW_CELL_MAX * 2];
    if (vsnprintf(tmp, sizeof tmp, fmt, ap) < 0)
        tmp[0] = '\0';
    view_copy_text(dst, dstlen, tmp);
}

void view_cell_set(view_cell *out, view_role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_vformat(out->text, sizeof out->text, fmt, ap);
    va_end(ap);
    out->role = role;
}

void view_object_set(view_object *o, res_kind kind, const char *ns, const char *name, const char *cluster_ns,
                     const char *cluster_name)
{
    o->kind = kind;
    view_copy_text(o->ns, sizeof o->ns, ns);
    view_copy_text(o->name, sizeof o->name, name);
    view_copy_text(o->cluster_ns, sizeof o->cluster_ns, cluster_ns);
    view_copy_text(o->cluster_name, sizeof o->cluster_name, cluster_name);
}

bool view_object_equal(const view_object *a, const view_object *b)
{
    return a->kind == b->kind && strcmp(a->ns, b->ns) == 0 && strcmp(a->name, b->name) == 0;
}

unsigned view_kinds_mask(const view_ops *ops)
{
    return ops ? ops->depends & RES_KIND_ALL : 0;
}

void view_choice_add(view_cmd_out *out, const char *value, const char *label, const char *detail, bool warn)
{
    out->choices = xrealloc(out->choices, (out->n_choices + 1) * sizeof *out->choices);
    view_choice *c = &out->choices[out->n_choices++];
    c->value = xstrdup(value);
    c->label = xstrdup(label);
    c->detail = detail ? xstrdup(detail) : NULL;
    c->warn = warn;
}

void view_choices_free(view_choice *cs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(cs[i].value);
        free(cs[i].label);
        free(cs[i].detail);
    }
    free(cs);
}
