/* The `:` and `/` prompts as a layer (see layer.h): the command line, the filter of a table (live,
 * as you type) and the search of a text view. Typed keys are inserted; Enter, Esc, Tab and
 * Backspace are the commands of its keymap ("prompt"). */
#include "tui/console.h"

#include <stdio.h>
#include <string.h>

#include "tui/cmdline.h"
#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/term.h"

static layer *top_prompt(console *c)
{
    layer *l = layer_top(&c->layers);
    return l && l->ops == &prompt_layer ? l : NULL;
}

static unsigned prompt_open(console *c, prompt_kind kind, const char *text)
{
    layer *l = layer_push(&c->layers, &prompt_layer);
    if (!l)
        return RD_NONE;
    l->kind = kind;
    snprintf(l->text, sizeof l->text, "%s", text ? text : "");
    l->selected = l->text[0] != '\0'; /* the filter there now: typing replaces it, Enter keeps it */
    return RD_MSG | RD_HINT;
}

unsigned cmd_command(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    return prompt_open(c, PROMPT_COMMAND, "");
}

unsigned cmd_filter(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    pane *p = paneset_active(&c->ps);
    if (!p || !p->m)
        return RD_NONE;
    if (view_model_ops(p->m)->flags & VIEW_TEXT)
        return prompt_open(c, PROMPT_SEARCH, "");
    return prompt_open(c, PROMPT_FILTER, view_model_filter(p->m));
}

/* A typed key: inserted when printable; a filter applies as you type. */
static unsigned prompt_key(console *c, layer *l, int key)
{
    unsigned rd = RD_MSG;
    if (l->note[0]) { /* the candidates of the last Tab are out of date */
        l->note[0] = '\0';
        rd |= RD_HINT;
    }
    char was[sizeof l->text];
    snprintf(was, sizeof was, "%s", l->text);
    if (l->selected)
        l->text[0] = '\0';
    if (!prompt_insert(l->text, sizeof l->text, key)) {
        snprintf(l->text, sizeof l->text, "%s", was); /* not a character: the selection stays */
        return rd;
    }
    l->selected = false;
    if (l->kind == PROMPT_FILTER)
        rd |= paneset_filter(&c->ps, l->text);
    return rd;
}

unsigned cmd_prompt_accept(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    layer *l = top_prompt(c);
    if (!l)
        return console_error(c, "no prompt is open");
    char text[sizeof l->text];
    snprintf(text, sizeof text, "%s", l->text);
    prompt_kind kind = (prompt_kind)l->kind;
    unsigned rd = layer_pop(c, &c->layers) | msgline_clear(&c->msg);
    if (kind == PROMPT_COMMAND) {
        /* run by dispatch once this key is done: the line may name any command, a prompt too */
        snprintf(c->deferred, sizeof c->deferred, "%s", text);
        c->has_deferred = true;
    } else if (kind == PROMPT_SEARCH) {
        snprintf(c->ps.search, sizeof c->ps.search, "%s", text);
        pane *p = paneset_active(&c->ps);
        if (text[0] && p && p->m) {
            if (view_model_search(p->m, text, true))
                rd |= RD_MAIN;
            else
                rd |= console_error(c, "not found: %s", text);
        }
    } else {
        rd |= paneset_filter(&c->ps, text);
    }
    return rd | RD_MSG;
}

unsigned cmd_prompt_cancel(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    layer *l = top_prompt(c);
    if (!l)
        return RD_NONE;
    unsigned rd = l->kind == PROMPT_FILTER ? paneset_filter(&c->ps, "") : RD_NONE;
    return rd | layer_pop(c, &c->layers) | msgline_clear(&c->msg);
}

unsigned cmd_prompt_complete(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    layer *l = top_prompt(c);
    if (!l || l->kind != PROMPT_COMMAND)
        return RD_NONE;
    cmdline_sources src = {c->cfg->contexts, c->cfg->n_contexts, NULL, 0};
    size_t n = cmdline_complete(l->text, sizeof l->text, &src, l->note, sizeof l->note);
    if (n <= 1)
        l->note[0] = '\0';
    return RD_MSG | RD_HINT;
}

unsigned cmd_prompt_clear(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    layer *l = top_prompt(c);
    if (!l)
        return RD_NONE;
    l->text[0] = '\0';
    l->selected = false;
    l->note[0] = '\0';
    return RD_MSG | RD_HINT | (l->kind == PROMPT_FILTER ? paneset_filter(&c->ps, "") : RD_NONE);
}

unsigned cmd_prompt_erase(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    layer *l = top_prompt(c);
    if (!l)
        return RD_NONE;
    if (!l->text[0])
        return layer_pop(c, &c->layers);
    unsigned rd = RD_MSG;
    if (l->selected) { /* Backspace on the selection erases it whole */
        l->selected = false;
        l->text[0] = '\0';
        return rd | (l->kind == PROMPT_FILTER ? paneset_filter(&c->ps, "") : RD_NONE);
    }
    if (l->note[0]) {
        l->note[0] = '\0';
        rd |= RD_HINT;
    }
    prompt_backspace(l->text);
    if (l->kind == PROMPT_FILTER)
        rd |= paneset_filter(&c->ps, l->text);
    return rd;
}

static void prompt_draw_msg(const console *c, const layer *l, WINDOW *w, int cols)
{
    (void)c;
    const char *lead = l->kind == PROMPT_COMMAND ? ":" : l->kind == PROMPT_SEARCH ? "search: " : "/";
    int used = draw_text(w, lead, cols, term_ui_attr(UI_PROMPT));
    used += draw_text(w, l->text, cols - used - 1, term_ui_attr(UI_PROMPT) | (l->selected ? A_REVERSE : 0));
    used += draw_text(w, " ", cols - used, A_REVERSE); /* the cursor */
    draw_fill(w, used, cols, 0);
}

/* Tab's candidates when it found several (the prompt holds the message line), else the keys. */
static bool prompt_hint(const console *c, const layer *l, char *out, size_t outlen)
{
    (void)c;
    if (l->note[0]) {
        snprintf(out, outlen, "%s", l->note);
        return true;
    }
    snprintf(out, outlen, "Enter: apply  Esc: cancel  Tab: complete");
    return false;
}

const layer_ops prompt_layer = {
    .name = "prompt",
    .modal = true,
    .key = prompt_key,
    .draw_msg = prompt_draw_msg,
    .hint = prompt_hint,
};
