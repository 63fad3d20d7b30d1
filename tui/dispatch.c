/* The console's input (see app_internal.h): commands, the key dispatch with type-ahead held while
 * a view loads, and the filter, search and command-line prompts. */
#include "tui/app_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "tui/cmdline.h"
#include "tui/command.h"
#include "tui/keymap.h"
#include "tui/keys.h"
#include "tui/prompt.h"
#include "tui/term.h"

/* ---- commands ----------------------------------------------------------------------------------- */

static void run_command(app *a, const command *c);

static void do_cmdline(app *a)
{
    cmdline_result r;
    cmdline_parse(a->prompt, &r);
    switch (r.kind) {
    case CL_EMPTY:
        break;
    case CL_QUIT:
        a->quit = true;
        break;
    case CL_VIEW: {
        command c = {CMD_VIEW, r.view};
        run_command(a, &c);
        break;
    }
    case CL_COMMAND:
        run_command(a, &r.cmd);
        break;
    case CL_NAMESPACE:
        snprintf(a->scope_ns, sizeof a->scope_ns, "%.*s", (int)sizeof a->scope_ns - 1, r.arg);
        a->force_refresh = true;
        a->d_main = a->d_header = true;
        app_message(a, false, "namespace: %s", r.arg[0] ? r.arg : "all");
        break;
    case CL_CONTEXT: {
        if (!a->cfg->reconnect) {
            app_message(a, true, ":ctx is not available here");
            break;
        }
        char err[512];
        detail_close(a);
        client *nc = a->cfg->reconnect(a->cfg->reconnect_arg, a->cl, r.arg, err, sizeof err);
        if (!nc) {
            app_message(a, true, "%s", err);
            break;
        }
        a->cl = nc;
        models_invalidate(a);
        a->seen_changes = a->seen_focus = (uint64_t)-1;
        a->force_refresh = true;
        a->d_main = a->d_header = true;
        a->last_header[0] = '\0';
        app_message(a, false, "context: %s", r.arg);
        break;
    }
    case CL_ERROR:
        app_message(a, true, "%s", r.err);
        break;
    }
}

static void move_cursor(app *a, long delta)
{
    pane *p = active_pane(a);
    if (!p || !p->m)
        return;
    size_t before = view_model_selected(p->m);
    view_model_move(p->m, delta);
    if (view_model_selected(p->m) != before)
        a->d_main = true; /* the lower pane of a wide screen follows in settle_after_key() */
}

static int page_rows(app *a)
{
    pane *p = active_pane(a);
    int h = a->lines - 3 - 1 - (keys_detail(a) ? 1 : 0);
    if (is_wide(a))
        h = (a->lines - 5) / 2;
    return p && p->m ? table_page_rows(p->m, h) : 1;
}

static void run_command(app *a, const command *c)
{
    pane *p = active_pane(a);
    view_model *m = p ? p->m : NULL;
    if ((command_flags(c) & CMDF_MUTATING) && a->cfg->read_only) {
        /* Policy rides on the command table; the transport refuses writes as well. */
        char name[96];
        command_name(c, name, sizeof name);
        app_message(a, true, "%s changes the cluster: refused in read-only mode", name);
        return;
    }
    switch (c->id) {
    case CMD_NONE:
    case CMD_COUNT:
        break;
    case CMD_QUIT:
        a->quit = true;
        break;
    case CMD_VIEW:
        if (c->view->flags & VIEW_PANE) {
            for (size_t i = 0; i < a->n_panes; i++)
                if (view_model_ops(a->panes[i].m) == c->view)
                    switch_pane(a, i);
        } else if (c->view->flags & VIEW_DETAIL) {
            stats_close(a);
            if (a->detail_open) {
                size_t i;
                for (i = 0; i < a->n_details && a->details[i] != c->view; i++)
                    ;
                if (i < a->n_details)
                    detail_show(a, i);
                else
                    app_message(a, true, "%s has no %s view", res_kind_name(a->target.kind), c->view->title);
            } else {
                detail_open(a, c->view);
            }
        }
        break;
    case CMD_VIEW_NEXT:
    case CMD_VIEW_PREV:
        if (a->n_panes) {
            size_t step = c->id == CMD_VIEW_NEXT ? 1 : a->n_panes - 1;
            switch_pane(a, a->detail_open ? a->cur : (a->cur + step) % a->n_panes);
        }
        break;
    case CMD_CURSOR_DOWN:
        move_cursor(a, 1);
        break;
    case CMD_CURSOR_UP:
        move_cursor(a, -1);
        break;
    case CMD_PAGE_DOWN:
        move_cursor(a, page_rows(a));
        break;
    case CMD_PAGE_UP:
        move_cursor(a, -page_rows(a));
        break;
    case CMD_CURSOR_TOP:
        move_cursor(a, -(long)(m ? view_model_rows(m) : 0) - 1);
        break;
    case CMD_CURSOR_BOTTOM:
        move_cursor(a, (long)(m ? view_model_rows(m) : 0) + 1);
        break;
    case CMD_SORT_NEXT:
    case CMD_SORT_PREV:
    case CMD_SORT_REVERSE:
        if (!m || (view_model_ops(m)->flags & VIEW_TEXT))
            break;
        if (c->id == CMD_SORT_NEXT)
            view_model_sort_next(m);
        else if (c->id == CMD_SORT_PREV)
            view_model_sort_prev(m);
        else
            view_model_sort_reverse(m);
        table_measure(&p->ts, m, term_san_flags());
        {
            bool desc;
            int col = view_model_sort_column(m, &desc);
            if (col < 0)
                app_message(a, false, "sort: natural order");
            else
                app_message(a, false, "sort: %s %s", view_model_ops(m)->columns[col].title,
                            desc ? "descending" : "ascending");
        }
        a->d_main = true;
        break;
    case CMD_FILTER:
        if (!m)
            break;
        a->mode = MODE_FILTER;
        if (view_model_ops(m)->flags & VIEW_TEXT)
            a->prompt[0] = '\0';
        else
            snprintf(a->prompt, sizeof a->prompt, "%s", view_model_filter(m));
        a->d_msg = a->d_hint = true;
        break;
    case CMD_SEARCH_NEXT:
    case CMD_SEARCH_PREV:
        if (!m || !a->search[0])
            break;
        if (view_model_search(m, a->search, c->id == CMD_SEARCH_NEXT))
            a->d_main = true;
        else
            app_message(a, true, "not found: %s", a->search);
        break;
    case CMD_HELP:
        help_build(a);
        a->mode = MODE_HELP;
        a->d_main = a->d_hint = true;
        break;
    case CMD_COMMAND:
        a->mode = MODE_COMMAND;
        a->prompt[0] = '\0';
        a->d_msg = a->d_hint = true;
        break;
    case CMD_DETAIL:
        if (!a->detail_open)
            detail_open(a, NULL);
        break;
    case CMD_DETAIL_NEXT:
    case CMD_DETAIL_PREV:
        if (a->detail_open && a->n_details)
            detail_show(a, (a->dcur + (c->id == CMD_DETAIL_NEXT ? 1 : a->n_details - 1)) % a->n_details);
        break;
    case CMD_SCOPE_SET: {
        view_object o;
        if (a->detail_open)
            o = a->target;
        else if (!m || !view_model_selected_object(m, &o)) {
            app_message(a, true, "no row selected");
            break;
        }
        if (!o.cluster_name[0]) {
            app_message(a, true, "this row belongs to no hosted cluster");
            break;
        }
        scope_set(a, o.cluster_ns, o.cluster_name);
        app_message(a, false, "scoped to cluster %s/%s (0 shows the fleet again)", o.cluster_ns, o.cluster_name);
        break;
    }
    case CMD_SCOPE_CLEAR:
        if (a->scope_cluster_name[0]) {
            scope_set(a, NULL, NULL);
            app_message(a, false, "scope cleared: the whole fleet");
        }
        break;
    case CMD_BACK:
        if (a->stats_open)
            stats_close(a);
        else if (a->detail_open)
            detail_close(a);
        else if (m && view_model_filter(m)[0]) {
            view_model_set_filter(m, "");
            table_measure(&p->ts, m, term_san_flags());
            a->d_main = true;
        } else if (a->scope_cluster_name[0]) {
            scope_set(a, NULL, NULL);
            app_message(a, false, "scope cleared: the whole fleet");
        }
        break;
    case CMD_STATS:
        if (a->stats_open)
            stats_close(a);
        else
            stats_open(a);
        break;
    case CMD_REDRAW:
        a->clear_screen = true;
        a->d_header = a->d_main = a->d_hint = a->d_msg = true;
        a->last_header[0] = '\0';
        break;
    }
}

/* ---- keys --------------------------------------------------------------------------------------- */

static void filter_apply(app *a)
{
    pane *p = active_pane(a);
    if (!p || !p->m || (view_model_ops(p->m)->flags & VIEW_TEXT))
        return;
    view_model_set_filter(p->m, a->prompt);
    table_measure(&p->ts, p->m, term_san_flags());
    a->d_main = true;
}

static void key_prompt(app *a, int key)
{
    pane *p = active_pane(a);
    bool text_view = p && p->m && (view_model_ops(p->m)->flags & VIEW_TEXT);
    a->d_msg = true;
    if (key == HK_ESC) {
        if (a->mode == MODE_FILTER && !text_view) {
            a->prompt[0] = '\0';
            filter_apply(a);
        }
        a->mode = MODE_NORMAL;
        a->d_hint = true;
        a->msg[0] = '\0';
        return;
    }
    if (key == HK_ENTER) {
        app_mode mode = a->mode;
        a->mode = MODE_NORMAL;
        a->d_hint = true;
        a->msg[0] = '\0';
        if (mode == MODE_COMMAND) {
            do_cmdline(a);
        } else if (text_view) {
            snprintf(a->search, sizeof a->search, "%s", a->prompt);
            if (a->search[0] && p) {
                if (view_model_search(p->m, a->search, true))
                    a->d_main = true;
                else
                    app_message(a, true, "not found: %s", a->search);
            }
        } else {
            filter_apply(a);
        }
        return;
    }
    if (a->msg[0] && key != HK_TAB) { /* the candidates of the last Tab are out of date */
        a->msg[0] = '\0';
        a->d_hint = true;
    }
    if (key == HK_BACKSPACE) {
        if (!a->prompt[0]) {
            a->mode = MODE_NORMAL;
            a->d_hint = true;
            return;
        }
        prompt_backspace(a->prompt);
    } else if (key == HK_TAB && a->mode == MODE_COMMAND) {
        char shown[400];
        cmdline_sources src = {a->cfg->contexts, a->cfg->n_contexts, NULL, 0};
        size_t n = cmdline_complete(a->prompt, sizeof a->prompt, &src, shown, sizeof shown);
        if (n > 1)
            app_message(a, false, "%s", shown);
        else
            a->msg[0] = '\0';
        a->d_hint = true;
        return;
    } else if (!prompt_insert(a->prompt, sizeof a->prompt, key)) {
        return;
    }
    if (a->mode == MODE_FILTER && !text_view)
        filter_apply(a); /* live, as you type */
}

/* Brings the models up to what the key changed (a pane shown for the first time, a detail view,
 * a scope), so the next key of a typed-ahead batch acts on the state this one left, exactly as if
 * the keys had been typed slowly with a paint in between. Painting still waits for the batch end. */
static void settle_after_key(app *a)
{
    if (a->too_small)
        return;
    if (is_wide(a))
        sub_scope_update(a);
    if (sync_due(a))
        sync_views(a);
}

static void key_dispatch(app *a, int key);

/* True while the active view waits for its first data in the store (its first list, or the focused
 * object's JSON for the YAML view). */
bool front_waits_for_data(app *a)
{
    pane *p = active_pane(a);
    if (!p || !p->m)
        return false;
    const view_ops *ops = view_model_ops(p->m);
    char why[8];
    if (view_freshness(a, ops, why, sizeof why) == FRESH_LOADING)
        return true;
    if (a->detail_open && !a->stats_open && (ops->depends & VIEW_DEP_FOCUS) && !client_focus_error(a->cl)) {
        const char *ns = NULL, *name = NULL;
        const char *json = store_focus_json(client_store(a->cl), NULL, &ns, &name);
        return !json || !ns || !name || strcmp(ns, a->target.ns) != 0 || strcmp(name, a->target.name) != 0;
    }
    return false;
}

/* True while a key now would act on "loading…" rather than on the rows a slow typist would have
 * waited for. Prompts are not held: typing a filter needs no data. */
static bool keys_must_wait(app *a)
{
    return a->mode == MODE_NORMAL && !a->too_small && front_waits_for_data(a);
}

/* Before a key acts: the front view's model was computed while its data was loading and the store
 * has moved since, so its data may be in the store while the model (repaints wait for their slot)
 * still shows "loading…". Refresh it now, or the key would act on no rows. */
void models_catch_up(app *a)
{
    if (a->too_small)
        return;
    store *st = client_store(a->cl);
    if (keyq_sync_behind(&a->front_sync, store_changes(st), store_focus_changes(st)))
        sync_views(a);
}

/* Runs the held keys in order while nothing loads (all of them when forced: the wait is over),
 * each on models brought up to the data it waited for. */
void held_keys_run(app *a, bool force)
{
    if (!keyq_len(&a->held) || (!force && keys_must_wait(a)))
        return;
    a->force_refresh = true;
    sync_views(a);
    int key;
    while (!a->quit && (force || !keys_must_wait(a)) && keyq_pop(&a->held, &key)) {
        key_dispatch(a, key);
        settle_after_key(a);
    }
    if (!keyq_len(&a->held))
        timers_clear(&a->timers, TIMER_KEYHOLD);
    else
        timers_set(&a->timers, TIMER_KEYHOLD, now_ms_monotonic() + KEY_HOLD_MAX_MS); /* a new wait */
}

/* The command a key runs in normal mode; false when it runs none (or a prompt is open). */
static bool key_command(app *a, int key, command *c)
{
    const view_ops *ops = active_ops(a);
    return a->mode == MODE_NORMAL && keymap_lookup(a->cfg->km, ops ? ops->name : NULL, keys_detail(a), key, c);
}

static bool is_quit_key(app *a, int key)
{
    command c;
    return key == 3 /* C-c */ || (key_command(a, key, &c) && c.id == CMD_QUIT);
}

/* Keys whose effect depends on the rows (moving, opening, scoping to, searching them) are the
 * ones worth holding; switching panes, sorting, help or the `:` line mean the same on "loading…". */
static bool key_acts_on_rows(app *a, int key)
{
    command c;
    if (!key_command(a, key, &c))
        return false;
    switch (c.id) {
    case CMD_CURSOR_DOWN:
    case CMD_CURSOR_UP:
    case CMD_CURSOR_TOP:
    case CMD_CURSOR_BOTTOM:
    case CMD_PAGE_DOWN:
    case CMD_PAGE_UP:
    case CMD_SEARCH_NEXT:
    case CMD_SEARCH_PREV:
        return true;
    default:
        return (command_flags(&c) & CMDF_NEEDS_ROW) != 0;
    }
}

void on_key(void *arg, int key)
{
    app *a = arg;
    models_catch_up(a); /* the hold below and the key itself judge the data the store has */
    /* A resize and quitting never wait; any other key waits behind held ones, and a key that acts
     * on rows waits for a loading view. */
    bool urgent = key == HK_RESIZE || is_quit_key(a, key);
    bool hold = keyq_len(&a->held) || (keys_must_wait(a) && key_acts_on_rows(a, key));
    if (!urgent && hold && keyq_push(&a->held, key)) {
        if (!timers_armed(&a->timers, TIMER_KEYHOLD))
            timers_set(&a->timers, TIMER_KEYHOLD, now_ms_monotonic() + KEY_HOLD_MAX_MS);
        return;
    }
    key_dispatch(a, key);
    settle_after_key(a);
}

static void key_dispatch(app *a, int key)
{
    if (key == HK_RESIZE) {
        a->relayout = true; /* coalesced: one relayout at the next paint */
        return;
    }
    if (a->too_small) {
        if (key == 'q' || key == 3)
            a->quit = true;
        return;
    }
    if (a->mode == MODE_FILTER || a->mode == MODE_COMMAND) {
        key_prompt(a, key);
        return;
    }
    if (a->mode == MODE_HELP) {
        int lines = 0;
        for (const char *s = buf_str(&a->help); *s; s++)
            lines += *s == '\n';
        if (key == 'j' || key == HK_DOWN) {
            if (a->help_top < lines)
                a->help_top++;
        } else if (key == 'k' || key == HK_UP) {
            if (a->help_top > 0)
                a->help_top--;
        } else {
            a->mode = MODE_NORMAL;
            a->d_hint = true;
        }
        a->d_main = true;
        return;
    }
    if (a->msg[0]) {
        a->msg[0] = '\0';
        a->d_msg = true;
    }
    const view_ops *ops = active_ops(a);
    command c;
    if (!keymap_lookup(a->cfg->km, ops ? ops->name : NULL, keys_detail(a), key, &c)) {
        char kn[32];
        key_to_name(key, kn, sizeof kn);
        app_message(a, false, "%s is not bound here (? lists the keys)", kn);
        return;
    }
    run_command(a, &c);
}

