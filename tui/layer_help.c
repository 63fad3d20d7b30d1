/* Help as a layer (see layer.h): every key of the view in front, of the prompts and of help itself,
 * from the active keymap. Its keymap ("help") scrolls; any other key closes it. */
#include "tui/console.h"

#include <stdio.h>
#include <string.h>

#include "client/permissions.h"
#include "tui/draw.h"
#include "tui/help.h"
#include "tui/term.h"

static layer *top_help(console *c)
{
    layer *l = layer_top(&c->layers);
    return l && l->ops == &help_layer ? l : NULL;
}

/* What `?` says after an action the user may not perform, or refused in read-only mode. */
static const char *permission_note(const cmd_entry *e, void *arg)
{
    console *c = arg;
    static char why[300];
    if ((e->flags & CMDF_MUTATING) && c->cfg->read_only)
        return "read-only";
    if (!e->vcmd || !e->vcmd->perms || !client_permissions_denied(c->cl, e->vcmd->perms, why, sizeof why))
        return NULL;
    static char note[340];
    snprintf(note, sizeof note, "not permitted: %s", why);
    return note;
}

unsigned cmd_help(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    if (top_help(c))
        return RD_NONE;
    const view_ops *ops = paneset_active_ops(&c->ps);
    layer *l = layer_push(&c->layers, &help_layer);
    if (!l)
        return RD_NONE;
    help_text_noted(c->cfg->km, ops ? ops->name : NULL, ops ? ops->title : NULL, paneset_keys_detail(&c->ps),
                    permission_note, c, &l->lines);
    return RD_MAIN | RD_HINT;
}

static int help_lines(const layer *l)
{
    int lines = 0;
    for (const char *s = buf_str(&l->lines); *s; s++)
        lines += *s == '\n';
    return lines;
}

unsigned cmd_help_scroll(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    layer *l = top_help(c);
    if (!l)
        return RD_NONE;
    if (strcmp(e->name, "help.down") == 0 && l->top < help_lines(l))
        l->top++;
    else if (strcmp(e->name, "help.up") == 0 && l->top > 0)
        l->top--;
    return RD_MAIN;
}

unsigned cmd_help_close(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    return top_help(c) ? layer_pop(c, &c->layers) : RD_NONE;
}

static unsigned help_key(console *c, layer *l, int key)
{
    (void)l, (void)key;
    return layer_pop(c, &c->layers);
}

static void help_draw(const console *c, const layer *l, WINDOW *w, int y, int h, int cols)
{
    (void)c;
    const char *s = buf_str(&l->lines);
    int line = 0, skip = l->top;
    while (*s && line < h) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (skip > 0) {
            skip--;
        } else {
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
            wmove(w, y + line, 0);
            int used = draw_text(w, one, cols, line == 0 && l->top == 0 ? term_ui_attr(UI_COLUMN) : 0);
            draw_fill(w, used, cols, 0);
            line++;
        }
        s += n + (nl ? 1 : 0);
    }
    for (; line < h; line++) {
        wmove(w, y + line, 0);
        draw_fill(w, 0, cols, 0);
    }
}

static bool help_hint(const console *c, const layer *l, char *out, size_t outlen)
{
    (void)c, (void)l;
    snprintf(out, outlen, "j/k: scroll  any other key: close help");
    return false;
}

const layer_ops help_layer = {
    .name = "help",
    .modal = true,
    .key = help_key,
    .draw_main = help_draw,
    .hint = help_hint,
};
