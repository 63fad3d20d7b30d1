/* The picker, as a layer (see layer.h): a command whose argument is missing (an upgrade's target,
 * a channel) offers choices; Up/Down move, Enter takes the highlighted one, or what was typed (a
 * version or a release image by hand) when something was; Esc cancels. The printable keys type.
 * Then the command runs again with the argument, which opens its confirmation. */
#include "tui/console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/term.h"

typedef struct picker {
    const cmd_entry *e;
    cmd_args args; /* the command's other arguments (appended after the choice) */
    view_choice *choices;
    size_t n, sel;
    char title[VIEW_CELL_MAX];
    char typed[LAYER_TEXT_MAX];
} picker;

static picker *top_picker(console *c)
{
    layer *l = layer_top(&c->layers);
    return l && l->ops == &picker_layer ? l->priv : NULL;
}

static void picker_close(console *c, layer *l)
{
    (void)c;
    picker *p = l->priv;
    if (!p)
        return;
    view_choices_free(p->choices, p->n);
    free(p);
    l->priv = NULL;
}

unsigned picker_open(console *c, const cmd_entry *e, const cmd_args *a, view_cmd_out *out)
{
    picker *p = xcalloc(1, sizeof *p);
    p->e = e;
    p->args = *a;
    p->choices = out->choices;
    p->n = out->n_choices;
    out->choices = NULL;
    out->n_choices = 0;
    snprintf(p->title, sizeof p->title, "%s", out->choose_title[0] ? out->choose_title : e->help);
    layer *l = layer_push(&c->layers, &picker_layer);
    if (!l) {
        picker_close(c, &(layer){.priv = p});
        return console_error(c, "too many dialogs open");
    }
    l->priv = p;
    return RD_MAIN | RD_HINT | RD_MSG;
}

unsigned cmd_picker_move(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    picker *p = top_picker(c);
    if (!p || !p->n)
        return RD_NONE;
    if (strcmp(e->name, "picker.down") == 0 && p->sel + 1 < p->n)
        p->sel++;
    else if (strcmp(e->name, "picker.up") == 0 && p->sel > 0)
        p->sel--;
    return RD_MAIN;
}

unsigned cmd_picker_choose(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    picker *p = top_picker(c);
    if (!p)
        return RD_NONE;
    const char *value = p->typed[0] ? p->typed : p->n ? p->choices[p->sel].value : NULL;
    if (!value)
        return console_error(c, "nothing to choose: type a value");
    /* the choice first, then the arguments typed with the command (":upgrade --force") */
    cmd_args args = {0};
    snprintf(args.argv[args.argc++], CMD_ARGS_MAX, "%.*s", CMD_ARGS_MAX - 1, value);
    for (int i = 0; i < p->args.argc && args.argc < CMD_MAX_ARGS; i++)
        snprintf(args.argv[args.argc++], CMD_ARGS_MAX, "%s", p->args.argv[i]);
    const cmd_entry *cmd = p->e;
    unsigned rd = layer_pop(c, &c->layers);
    return rd | confirm_open(c, cmd, &args);
}

unsigned cmd_picker_cancel(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    if (!top_picker(c))
        return RD_NONE;
    return layer_pop(c, &c->layers) | console_say(c, "cancelled: nothing was sent");
}

unsigned cmd_picker_erase(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    picker *p = top_picker(c);
    return p && prompt_backspace(p->typed) ? RD_MAIN : RD_NONE;
}

static bool picker_takes_text(const layer *l)
{
    (void)l;
    return true;
}

static unsigned picker_key(console *c, layer *l, int key)
{
    (void)c;
    picker *p = l->priv;
    return prompt_insert(p->typed, sizeof p->typed, key) ? RD_MAIN : RD_NONE;
}

static void picker_draw(const console *c, const layer *l, WINDOW *w, int y, int h, int cols)
{
    (void)c;
    const picker *p = l->priv;
    /* keep the selection in view: start a little above it (the typed line stays at the end) */
    size_t first = p->sel > 3 ? p->sel - 3 : 0;
    draw_lines L = {w, y, h - 2, cols, 0, 0};
    char t[1200];
    draw_wrapped(&L, 0, p->title, term_ui_attr(UI_COLUMN));
    draw_wrapped(&L, 0, "", 0);
    if (!p->n)
        draw_wrapped(&L, 2, "(nothing listed: type a value)", term_role_attr(ROLE_DIM));
    for (size_t i = first; i < p->n; i++) {
        const view_choice *ch = &p->choices[i];
        bool sel = i == p->sel && !p->typed[0];
        snprintf(t, sizeof t, "%s %s", sel ? ">" : " ", ch->label);
        int attr = (sel ? term_ui_attr(UI_SELECTED) : 0) | (ch->warn ? term_role_attr(ROLE_WARN) : 0);
        draw_wrapped(&L, 0, t, attr);
        if (ch->detail)
            draw_block(&L, 6, ch->detail, term_role_attr(ROLE_DIM));
    }
    for (; L.line < L.h; L.line++) {
        wmove(w, y + L.line, 0);
        draw_fill(w, 0, cols, 0);
    }
    L.h = h;
    draw_wrapped(&L, 0, "", 0);
    snprintf(t, sizeof t, "Or type one: %s_", p->typed);
    draw_wrapped(&L, 0, t, term_ui_attr(UI_PROMPT));
}

static bool picker_hint(const console *c, const layer *l, char *out, size_t outlen)
{
    (void)c, (void)l;
    snprintf(out, outlen, "Up/Down: choose  Enter: take it (or what is typed)  Esc: cancel");
    return false;
}

const layer_ops picker_layer = {
    .name = "picker",
    .modal = true,
    .key = picker_key,
    .draw_main = picker_draw,
    .hint = picker_hint,
    .close = picker_close,
    .takes_text = picker_takes_text,
};
