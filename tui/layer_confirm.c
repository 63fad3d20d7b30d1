/* The confirmation of an action, as a layer (see layer.h): it shows exactly what will be sent
 * (each call's method, path, content type and body), the equivalent oc lines, what the builder
 * noted, and the server's verdict on a dry run of the same calls, sent as the dialog opens. y or
 * Enter sends; n or Esc cancels; where a mistake is costly the user types the object's name and
 * presses Enter. Toggles (force, the node pools too, autoscaling off) rebuild the action and ask
 * the server again. A 409 (the object changed since the dialog opened) waits for the new version,
 * rebuilds the calls from it, shows what changed and asks again. Nothing is sent twice: the
 * executor never retries. */
#include "tui/console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/prompt.h"
#include "tui/term.h"

typedef enum confirm_phase {
    CF_DRY_RUN, /* the dry run is out */
    CF_READY,   /* the verdict is in: waiting for the user */
    CF_SENDING,
    CF_STALE,   /* a 409: waiting for the object's new version */
    CF_FAILED,  /* the send failed (said which call) */
} confirm_phase;

#define MAX_WATCHED 16

/* An object the calls change, and the resourceVersion they were built from. */
typedef struct watched_object {
    res_kind kind;
    char ns[VIEW_NAME_MAX], name[VIEW_NAME_MAX], rv[64];
} watched_object;

typedef struct confirm {
    action *a;
    const cmd_entry *e;
    cmd_args args;
    unsigned options;
    confirm_phase phase;
    bool verdict_ok;
    char verdict[1024];
    uint64_t seen;
    char typed[LAYER_TEXT_MAX];
    buf changed; /* what a rebuild after a 409 changed, for the dialog */
    watched_object watched[MAX_WATCHED];
    size_t n_watched;
} confirm;

static confirm *top_confirm(console *c)
{
    layer *l = layer_top(&c->layers);
    return l && l->ops == &confirm_layer ? l->priv : NULL;
}

static void note_objects(console *c, confirm *cf)
{
    cf->n_watched = 0;
    store *st = client_store(c->cl);
    for (size_t i = 0; i < cf->a->n_calls && cf->n_watched < MAX_WATCHED; i++) {
        const action_call *call = &cf->a->calls[i];
        bool dup = false;
        for (size_t j = 0; j < cf->n_watched; j++)
            dup |= cf->watched[j].kind == call->kind && strcmp(cf->watched[j].ns, call->ns) == 0 &&
                   strcmp(cf->watched[j].name, call->name) == 0;
        if (dup)
            continue;
        record *r = store_get(st, call->kind, call->ns, call->name);
        watched_object *w = &cf->watched[cf->n_watched++];
        w->kind = call->kind;
        snprintf(w->ns, sizeof w->ns, "%s", call->ns);
        snprintf(w->name, sizeof w->name, "%s", call->name);
        snprintf(w->rv, sizeof w->rv, "%s", r && r->meta.resource_version ? r->meta.resource_version : "");
    }
}

/* Sends the dry run of the current calls. */
static void dry_run(console *c, confirm *cf)
{
    char err[400];
    executor *ex = console_executor(c, err, sizeof err);
    cf->phase = CF_DRY_RUN;
    cf->verdict[0] = '\0';
    if (cf->a->n_calls == 0) {
        cf->phase = CF_READY;
        cf->verdict_ok = false;
        snprintf(cf->verdict, sizeof cf->verdict, "nothing to send as it stands (see the notes; a toggles the option)");
        return;
    }
    if (!ex || executor_run(ex, cf->a, true, err, sizeof err) < 0) {
        cf->phase = CF_READY;
        cf->verdict_ok = false;
        snprintf(cf->verdict, sizeof cf->verdict, "%s", err);
        return;
    }
    cf->seen = executor_status(ex)->changes;
}

/* The action anew from the store (a toggle, or the object's new version after a 409). */
static bool rebuild(console *c, confirm *cf, char *err, size_t errlen)
{
    view_cmd_out out;
    console_view_command(c, cf->e, &cf->args, cf->options, &out);
    view_choices_free(out.choices, out.n_choices);
    if (!out.action) {
        snprintf(err, errlen, "%s", out.msg[0] ? out.msg : "the action cannot be built");
        return false;
    }
    buf_reset(&cf->changed);
    for (size_t i = 0; i < out.action->n_calls && i < cf->a->n_calls; i++) {
        const char *before = cf->a->calls[i].body, *after = out.action->calls[i].body;
        if (before && after && strcmp(before, after) != 0)
            buf_printf(&cf->changed, "call %zu was: %s\n", i + 1, before);
    }
    action_free(cf->a);
    free(cf->a);
    cf->a = out.action;
    note_objects(c, cf);
    cf->typed[0] = '\0';
    dry_run(c, cf);
    return true;
}

static void confirm_close(console *c, layer *l)
{
    (void)c;
    confirm *cf = l->priv;
    if (!cf)
        return;
    action_free(cf->a);
    free(cf->a);
    buf_free(&cf->changed);
    free(cf);
    l->priv = NULL;
}

unsigned confirm_open(console *c, const cmd_entry *e, const cmd_args *a)
{
    view_cmd_out out;
    console_view_command(c, e, a, 0, &out);
    if (!out.action && out.choose_title[0]) /* an argument is missing: pick it */
        return picker_open(c, e, a, &out);
    if (!out.action)
        return out.msg[0] ? console_error(c, "%s", out.msg) : RD_NONE;
    confirm *cf = xcalloc(1, sizeof *cf);
    cf->a = out.action;
    cf->e = e;
    cf->args = *a;
    /* typed flags count as toggles already on: ":upgrade 4.20.2 --force" opens with force on */
    for (int i = 0; i < a->argc; i++)
        if (strcmp(a->argv[i], "--force") == 0)
            cf->options |= VIEW_OPT_FORCE;
    layer *l = layer_push(&c->layers, &confirm_layer);
    if (!l) {
        confirm_close(c, &(layer){.priv = cf});
        return console_error(c, "too many dialogs open");
    }
    l->priv = cf;
    note_objects(c, cf);
    dry_run(c, cf);
    return RD_MAIN | RD_HINT | RD_MSG;
}

bool confirm_busy(console *c)
{
    confirm *cf = top_confirm(c);
    return cf && (cf->phase == CF_DRY_RUN || cf->phase == CF_SENDING || cf->phase == CF_STALE);
}

/* ---- the loop: answers of the executor --------------------------------------------------------- */

static bool watched_moved(console *c, const confirm *cf)
{
    store *st = client_store(c->cl);
    for (size_t i = 0; i < cf->n_watched; i++) {
        record *r = store_get(st, cf->watched[i].kind, cf->watched[i].ns, cf->watched[i].name);
        const char *rv = r && r->meta.resource_version ? r->meta.resource_version : "";
        if (strcmp(rv, cf->watched[i].rv) != 0)
            return true;
    }
    return false;
}

static unsigned confirm_tick(console *c, layer *l)
{
    confirm *cf = l->priv;
    if (cf->phase == CF_STALE) {
        if (!watched_moved(c, cf))
            return RD_NONE;
        char err[600];
        if (!rebuild(c, cf, err, sizeof err)) {
            cf->phase = CF_FAILED;
            snprintf(cf->verdict, sizeof cf->verdict, "the object changed and the action no longer applies: %s", err);
        }
        return RD_MAIN | RD_HINT;
    }
    char err[300];
    executor *ex = cf->phase == CF_DRY_RUN || cf->phase == CF_SENDING ? console_executor(c, err, sizeof err) : NULL;
    if (!ex)
        return RD_NONE;
    const exec_status *st = executor_status(ex);
    if (st->changes == cf->seen || st->state == EXEC_RUNNING)
        return RD_NONE;
    cf->seen = st->changes;
    if (cf->phase == CF_DRY_RUN) {
        cf->phase = CF_READY;
        cf->verdict_ok = st->state == EXEC_DONE;
        snprintf(cf->verdict, sizeof cf->verdict, "%s", st->message);
        if (st->conflict) { /* stale already: wait for the object's new version */
            cf->phase = CF_STALE;
            snprintf(cf->verdict, sizeof cf->verdict, "%s", "the object changed since it was read: waiting for its new version");
        }
        return RD_MAIN | RD_HINT;
    }
    /* the send */
    if (st->state == EXEC_DONE) {
        console_observe_start(c, cf->a, ex);
        char title[400];
        snprintf(title, sizeof title, "%s", cf->a->title ? cf->a->title : "action");
        size_t n = cf->a->n_calls;
        unsigned rd = layer_pop(c, &c->layers);
        return rd | console_say(c, "sent (%zu call%s): %s; waiting to see it in the watch", n, n == 1 ? "" : "s", title);
    }
    if (st->conflict) {
        cf->phase = CF_STALE;
        snprintf(cf->verdict, sizeof cf->verdict,
                 "%s: nothing was changed; waiting for the object's new version to show it and ask again",
                 st->message);
    } else {
        cf->phase = CF_FAILED;
        snprintf(cf->verdict, sizeof cf->verdict, "%s", st->message);
    }
    cf->verdict_ok = false;
    return RD_MAIN | RD_HINT;
}

/* ---- keys ---------------------------------------------------------------------------------------- */

unsigned cmd_confirm_yes(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    confirm *cf = top_confirm(c);
    if (!cf)
        return RD_NONE;
    if (cf->phase == CF_DRY_RUN)
        return console_say(c, "waiting for the server's verdict on the dry run");
    if (cf->phase == CF_SENDING)
        return console_say(c, "being sent");
    if (cf->phase == CF_STALE)
        return console_say(c, "waiting for the object's new version");
    if (cf->phase == CF_FAILED)
        return console_error(c, "it failed; Esc closes (nothing is sent again by itself)");
    if (!cf->verdict_ok)
        return console_error(c, "the server refused the dry run: nothing is sent");
    if (cf->a->confirm_name && strcmp(cf->typed, cf->a->confirm_name) != 0) {
        cf->typed[0] = '\0'; /* start again: half a name is no answer */
        return RD_MAIN | console_error(c, "type %s exactly, then Enter", cf->a->confirm_name);
    }
    char err[400];
    executor *ex = console_executor(c, err, sizeof err);
    if (!ex || executor_run(ex, cf->a, false, err, sizeof err) < 0)
        return console_error(c, "%s", err);
    cf->seen = executor_status(ex)->changes;
    cf->phase = CF_SENDING;
    return RD_MAIN | RD_HINT;
}

unsigned cmd_confirm_no(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    confirm *cf = top_confirm(c);
    if (!cf)
        return RD_NONE;
    if (cf->phase == CF_SENDING)
        return console_say(c, "being sent: the answer is awaited (the executor stops at the first failure)");
    return layer_pop(c, &c->layers) | console_say(c, "cancelled: nothing was sent");
}

unsigned cmd_confirm_toggle(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    confirm *cf = top_confirm(c);
    if (!cf || cf->phase == CF_SENDING || cf->phase == CF_DRY_RUN)
        return RD_NONE;
    unsigned offered = cf->e->vcmd ? cf->e->vcmd->options : 0;
    unsigned bit = strcmp(e->name, "confirm.force") == 0 ? VIEW_OPT_FORCE : (offered & ~VIEW_OPT_FORCE);
    if (!(offered & bit))
        return console_say(c, "this action has no such option");
    cf->options ^= bit;
    char err[600];
    if (!rebuild(c, cf, err, sizeof err)) {
        cf->options ^= bit;
        return console_error(c, "%s", err);
    }
    return RD_MAIN | RD_HINT;
}

unsigned cmd_confirm_scroll(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    layer *l = layer_top(&c->layers);
    if (!top_confirm(c))
        return RD_NONE;
    if (strcmp(e->name, "confirm.down") == 0)
        l->top++;
    else if (l->top > 0)
        l->top--;
    return RD_MAIN;
}

unsigned cmd_confirm_erase(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    confirm *cf = top_confirm(c);
    if (!cf || !prompt_backspace(cf->typed))
        return RD_NONE;
    return RD_MAIN;
}

static bool confirm_takes_text(const layer *l)
{
    const confirm *cf = l->priv;
    return cf && cf->a->confirm_name && cf->phase == CF_READY && cf->verdict_ok;
}

static unsigned confirm_key(console *c, layer *l, int key)
{
    (void)c;
    confirm *cf = l->priv;
    if (confirm_takes_text(l) && prompt_insert(cf->typed, sizeof cf->typed, key))
        return RD_MAIN;
    return RD_NONE;
}

/* ---- drawing ------------------------------------------------------------------------------------- */

static const char *phase_words(const confirm *cf)
{
    switch (cf->phase) {
    case CF_DRY_RUN:
        return "asking the server (dry run)...";
    case CF_SENDING:
        return "sending...";
    default:
        return cf->verdict;
    }
}

static void confirm_draw(const console *c, const layer *l, WINDOW *w, int y, int h, int cols)
{
    (void)c;
    const confirm *cf = l->priv;
    const action *a = cf->a;
    draw_lines L = {w, y, h, cols, l->top, 0};
    char t[1200];
    draw_wrapped(&L, 1, a->title ? a->title : "action", term_ui_attr(UI_COLUMN));
    draw_wrapped(&L, 0, "", 0);
    snprintf(t, sizeof t, "Sends %zu call%s, in order, stopping at the first failure:", a->n_calls,
             a->n_calls == 1 ? "" : "s");
    draw_wrapped(&L, 1, t, 0);
    for (size_t i = 0; i < a->n_calls; i++) {
        const action_call *call = &a->calls[i];
        snprintf(t, sizeof t, "%zu. %s %s", i + 1, call->method, call->path);
        draw_wrapped(&L, 3, t, term_role_attr(ROLE_ACCENT));
        if (call->content_type) {
            snprintf(t, sizeof t, "Content-Type: %s", call->content_type);
            draw_wrapped(&L, 6, t, 0);
        }
        if (call->body)
            draw_wrapped(&L, 6, call->body, 0);
        if (call->rv_from_previous)
            draw_wrapped(&L, 6, "(its resourceVersion: the one the previous call's answer carries)", term_role_attr(ROLE_DIM));
        if (call->needs_previous)
            draw_wrapped(&L, 6, "(no dry run: the server can judge it only after the calls before it)",
                     term_role_attr(ROLE_DIM));
        draw_wrapped(&L, 6, call->summary, term_role_attr(ROLE_DIM));
    }
    draw_wrapped(&L, 1, "The same with oc:", 0);
    draw_block(&L, 3, buf_str(&a->oc), 0);
    if (a->notes.len) {
        draw_wrapped(&L, 1, "Notes:", 0);
        draw_block(&L, 3, buf_str(&a->notes), 0);
    }
    if (cf->changed.len) {
        draw_wrapped(&L, 1, "The object changed since the dialog opened; the calls are rebuilt from its new version:",
                 term_role_attr(ROLE_WARN));
        draw_block(&L, 3, buf_str(&cf->changed), term_role_attr(ROLE_WARN));
    }
    unsigned offered = cf->e->vcmd ? cf->e->vcmd->options : 0;
    if (offered) {
        buf o = BUF_INIT;
        if (offered & VIEW_OPT_FORCE)
            buf_printf(&o, "f: force-upgrade-to [%s]  ", cf->options & VIEW_OPT_FORCE ? "on" : "off");
        if (offered & VIEW_OPT_WITH_POOLS)
            buf_printf(&o, "a: the node pools too [%s]  ", cf->options & VIEW_OPT_WITH_POOLS ? "on" : "off");
        if (offered & VIEW_OPT_NO_AUTOSCALE)
            buf_printf(&o, "a: autoscaling off first [%s]  ", cf->options & VIEW_OPT_NO_AUTOSCALE ? "on" : "off");
        draw_wrapped(&L, 1, buf_str(&o), 0);
        buf_free(&o);
    }
    bool ok = cf->phase == CF_READY && cf->verdict_ok;
    snprintf(t, sizeof t, "Server: %s", phase_words(cf));
    draw_wrapped(&L, 1, t,
             term_role_attr(ok ? ROLE_OK : (cf->phase == CF_DRY_RUN || cf->phase == CF_SENDING) ? ROLE_DIM : ROLE_BAD));
    if (ok && a->confirm_name) {
        snprintf(t, sizeof t, "Type %s and press Enter to send: %s_", a->confirm_name, cf->typed);
        draw_wrapped(&L, 1, t, term_ui_attr(UI_PROMPT));
    } else if (ok) {
        draw_wrapped(&L, 1, "y or Enter: send    n or Esc: cancel", term_ui_attr(UI_PROMPT));
    }
    for (; L.line < L.h; L.line++) {
        wmove(w, y + L.line, 0);
        draw_fill(w, 0, cols, 0);
    }
}

static bool confirm_hint(const console *c, const layer *l, char *out, size_t outlen)
{
    (void)c;
    const confirm *cf = l->priv;
    if (cf->a->confirm_name)
        snprintf(out, outlen, "type %s, Enter: send  Esc: cancel  j/k: scroll", cf->a->confirm_name);
    else
        snprintf(out, outlen, "y/Enter: send  n/Esc: cancel  f/a: options  j/k: scroll");
    return false;
}

const layer_ops confirm_layer = {
    .name = "confirm",
    .modal = true,
    .key = confirm_key,
    .draw_main = confirm_draw,
    .hint = confirm_hint,
    .close = confirm_close,
    .takes_text = confirm_takes_text,
    .tick = confirm_tick,
};
