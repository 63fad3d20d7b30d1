/* Keys and commands (see console.h): a key is looked up in the top layer's keymap, the view's and
 * generic; the command it names runs with its arguments, and what it returns goes to the screen.
 * Keys typed while the view they act on loads wait for its data. */
#include "tui/console.h"

#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "tui/cmdline.h"
#include "tui/keymap.h"
#include "tui/keys.h"

/* The policy a command's flags carry, checked before it runs: a mutation in read-only mode, a
 * command that needs a row with none selected. The transport refuses writes again where requests
 * are sent. */
static unsigned refused(console *c, const cmd_entry *e)
{
    if ((e->flags & CMDF_MUTATING) && c->cfg->read_only)
        return console_error(c, "%s changes the cluster: refused in read-only mode", e->name);
    return RD_NONE;
}

unsigned console_run(console *c, const command *cmd)
{
    const cmd_entry *e = cmd->e;
    unsigned rd = refused(c, e);
    if (rd)
        return rd;
    cmd_args a;
    char err[200];
    if (!command_args_parse(e, cmd->args, &a, err, sizeof err))
        return console_error(c, "%s", err);
    rd = e->exec(c, e, &a);
    if (c->has_deferred) { /* a `:` line the prompt accepted */
        c->has_deferred = false;
        char line[sizeof c->deferred];
        snprintf(line, sizeof line, "%s", c->deferred);
        rd |= console_run_line(c, line);
    }
    return rd;
}

unsigned console_run_line(console *c, const char *line)
{
    cmdline_result r;
    cmdline_parse_in(line, paneset_active_ops(&c->ps), &r);
    if (r.kind == CL_EMPTY)
        return RD_NONE;
    if (r.kind == CL_ERROR)
        return console_error(c, "%s", r.err);
    return console_run(c, &r.cmd);
}

static bool console_key_command(console *c, int key, command *out)
{
    const layer *top = layer_top_const(&c->layers);
    const view_ops *ops = paneset_active_ops(&c->ps);
    const char *chain[4];
    size_t n = keymap_chain(top ? top->ops->name : NULL, top && top->ops->modal, ops ? ops->name : NULL,
                            paneset_keys_detail(&c->ps), chain);
    return keymap_lookup_in(c->cfg->km, chain, n, key, out);
}

/* True while a key now would act on "loading…" rather than on the rows a slow typist would have
 * waited for. Prompts and help are not held: typing a filter needs no data. */
static bool keys_must_wait(console *c)
{
    return !c->layers.n && !c->sc.too_small && paneset_front_waits(&c->ps);
}

static bool is_quit_key(console *c, int key)
{
    command cmd;
    return key == 3 /* C-c */ || (!c->layers.n && console_key_command(c, key, &cmd) && command_is(&cmd, "quit"));
}

/* Keys whose effect depends on the rows (moving, opening, scoping to, searching them) are the
 * ones worth holding; switching panes, sorting, help or the `:` line mean the same on "loading…". */
static bool key_acts_on_rows(console *c, int key)
{
    command cmd;
    return console_key_command(c, key, &cmd) && (cmd.e->flags & (CMDF_ROWS | CMDF_NEEDS_ROW));
}

/* Brings the models up to what the key changed (a pane shown for the first time, a detail view,
 * a scope), so the next key of a typed-ahead batch acts on the state this one left, exactly as if
 * the keys had been typed slowly with a paint in between. Painting still waits for the batch end. */
static void settle_after_key(console *c)
{
    if (c->sc.too_small)
        return;
    paneset_follow_selection(&c->ps);
    if (paneset_sync_due(&c->ps))
        console_apply(c, paneset_sync(&c->ps));
}

static void key_dispatch(console *c, int key)
{
    if (key == HK_RESIZE) {
        c->sc.relayout = true; /* coalesced: one relayout at the next paint */
        return;
    }
    if (c->sc.too_small) {
        if (key == 'q' || key == 3)
            c->quit = true;
        return;
    }
    layer *top = layer_top(&c->layers);
    command cmd;
    /* a layer that takes text (a name to type) has printable keys before its keymap */
    if (top && top->ops->takes_text && top->ops->takes_text(top) && key >= 32 && key != 127 && key < HK_SPECIAL &&
        top->ops->key) {
        console_apply(c, top->ops->key(c, top, key));
        return;
    }
    if (console_key_command(c, key, &cmd)) {
        if (!top)
            console_apply(c, msgline_clear(&c->msg));
        console_apply(c, console_run(c, &cmd));
        return;
    }
    if (top && top->ops->modal) {
        console_apply(c, top->ops->key ? top->ops->key(c, top, key) : RD_NONE);
        return;
    }
    console_apply(c, msgline_clear(&c->msg));
    char kn[32];
    key_to_name(key, kn, sizeof kn);
    console_apply(c, console_say(c, "%s is not bound here (? lists the keys)", kn));
}

/* Runs the held keys in order while nothing loads (all of them when forced: the wait is over),
 * each on models brought up to the data it waited for. */
void console_held_keys_run(console *c, bool force)
{
    if (!keyq_len(&c->held) || (!force && keys_must_wait(c)))
        return;
    paneset_force(&c->ps);
    console_apply(c, paneset_sync(&c->ps));
    int key;
    while (!c->quit && (force || !keys_must_wait(c)) && keyq_pop(&c->held, &key)) {
        key_dispatch(c, key);
        settle_after_key(c);
    }
    if (!keyq_len(&c->held))
        timers_clear(&c->timers, TIMER_KEYHOLD);
    else
        timers_set(&c->timers, TIMER_KEYHOLD, now_ms_monotonic() + KEY_HOLD_MAX_MS); /* a new wait */
}

void console_key(console *c, int key)
{
    if (!c->sc.too_small)
        paneset_catch_up(&c->ps); /* the hold below and the key itself judge the data the store has */
    /* A resize and quitting never wait; any other key waits behind held ones, and a key that acts
     * on rows waits for a loading view. */
    bool urgent = key == HK_RESIZE || is_quit_key(c, key);
    bool hold = keyq_len(&c->held) || (keys_must_wait(c) && key_acts_on_rows(c, key));
    if (!urgent && hold && keyq_push(&c->held, key)) {
        if (!timers_armed(&c->timers, TIMER_KEYHOLD))
            timers_set(&c->timers, TIMER_KEYHOLD, now_ms_monotonic() + KEY_HOLD_MAX_MS);
        return;
    }
    key_dispatch(c, key);
    settle_after_key(c);
}
