/* The console's side of actions (see console.h): the connection's executor (the client owns it
 * and its audit log), running a view's own command on the selected or marked rows, and the marks. */
#include "tui/console.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

executor *console_executor(console *c, char *err, size_t errlen)
{
    const app_identity *id = c->cfg->id;
    audit_identity ai = {id ? id->context : "", id ? id->server : "", id ? id->user : ""};
    return client_executor(c->cl, &ai, err, errlen);
}

void console_view_command(console *c, const cmd_entry *e, const cmd_args *a, unsigned options, view_cmd_out *out)
{
    view_object o;
    bool have_row = paneset_selected(&c->ps, &o);
    pane *p = paneset_active(&c->ps);
    const char *argv[CMD_MAX_ARGS];
    for (int i = 0; i < a->argc; i++)
        argv[i] = a->argv[i];
    view_cmd_ctx ctx = {.st = client_store(c->cl),
                        .row = have_row ? &o : NULL,
                        .marks = p && !c->ps.detail_open ? p->ts.marks : NULL,
                        .n_marks = p && !c->ps.detail_open ? p->ts.n_marks : 0,
                        .now = time(NULL),
                        .argc = a->argc,
                        .argv = argv,
                        .options = options};
    memset(out, 0, sizeof *out);
    e->vcmd->exec(&ctx, out);
}

unsigned cmd_mark_toggle(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    pane *p = paneset_active(&c->ps);
    view_object o;
    if (!p || !p->m || c->ps.detail_open || c->ps.stats_open || !view_model_selected_object(p->m, &o))
        return console_error(c, "no row to mark here");
    table_state *ts = &p->ts;
    for (size_t i = 0; i < ts->n_marks; i++) {
        if (view_object_equal(&ts->marks[i], &o)) {
            ts->marks[i] = ts->marks[--ts->n_marks];
            return RD_MAIN | console_say(c, "%zu marked (m toggles, M clears)", ts->n_marks);
        }
    }
    if (ts->n_marks >= TABLE_MAX_MARKS)
        return console_error(c, "at most %d rows can be marked", TABLE_MAX_MARKS);
    ts->marks[ts->n_marks++] = o;
    /* the mark moves the cursor on, so marking a run of rows is one key per row */
    view_model_move(p->m, 1);
    return RD_MAIN | console_say(c, "%zu marked: pause, resume and scale act on them (m toggles, M clears)",
                                 ts->n_marks);
}

unsigned cmd_marks_clear(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    pane *p = paneset_active(&c->ps);
    if (!p || !p->ts.n_marks)
        return RD_NONE;
    p->ts.n_marks = 0;
    return RD_MAIN | console_say(c, "marks cleared");
}
