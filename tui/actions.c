/* The console's side of actions (see console.h): the connection's executor (the client owns it
 * and its audit log), running a view's own command on the selected or marked rows, and the marks. */
#include "tui/console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/store.h"

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

/* ---- seeing a change arrive -------------------------------------------------------------------- */

typedef struct observed {
    res_kind kind;
    char ns[VIEW_NAME_MAX], name[VIEW_NAME_MAX];
    char rv[64];  /* the answer's resourceVersion: the store holds it (or a later one) once seen */
    bool deleted; /* a DELETE: seen once the object is gone or being deleted */
} observed;

void console_observe_start(console *c, const action *a, const executor *ex)
{
    free(c->observe);
    c->observe = xcalloc(a->n_calls ? a->n_calls : 1, sizeof *c->observe);
    c->n_observe = 0;
    snprintf(c->observe_title, sizeof c->observe_title, "sent (%zu call%s): %s", a->n_calls, a->n_calls == 1 ? "" : "s",
             a->title ? a->title : "the change");
    for (size_t i = 0; i < a->n_calls; i++) {
        const action_call *call = &a->calls[i];
        observed *o = NULL;
        for (size_t j = 0; j < c->n_observe && !o; j++)
            if (c->observe[j].kind == call->kind && strcmp(c->observe[j].ns, call->ns) == 0 &&
                strcmp(c->observe[j].name, call->name) == 0)
                o = &c->observe[j]; /* the same object again: its last answer counts */
        if (!o) {
            o = &c->observe[c->n_observe++];
            o->kind = call->kind;
            snprintf(o->ns, sizeof o->ns, "%s", call->ns);
            snprintf(o->name, sizeof o->name, "%s", call->name);
        }
        o->deleted = strcmp(call->method, "DELETE") == 0;
        const char *rv = executor_answer_rv(ex, i);
        snprintf(o->rv, sizeof o->rv, "%s", rv ? rv : "");
    }
}

/* resourceVersions are opaque, but etcd's are decimal integers that only grow: a store version
 * at or past the answer's has the change. Anything else compares by equality. */
static bool rv_reached(const char *have, const char *want)
{
    char *e1, *e2;
    unsigned long long h = strtoull(have, &e1, 10), w = strtoull(want, &e2, 10);
    if (*have && *want && !*e1 && !*e2)
        return h >= w;
    return strcmp(have, want) == 0;
}

unsigned console_observe_tick(console *c)
{
    if (!c->n_observe)
        return RD_NONE;
    store *st = client_store(c->cl);
    for (size_t i = 0; i < c->n_observe; i++) {
        const observed *o = &c->observe[i];
        record *r = store_get(st, o->kind, o->ns, o->name);
        if (o->deleted) {
            if (r && r->meta.deleted == REC_TIME_UNKNOWN)
                return RD_NONE;
        } else if (!r || !r->meta.resource_version || !rv_reached(r->meta.resource_version, o->rv)) {
            return RD_NONE;
        }
    }
    c->n_observe = 0;
    return console_say(c, "%s; seen in the watch", c->observe_title);
}
