/* The commands that move around the panes and views: panes, the cursor, sorting, searching,
 * details, scope, and the views' own commands (see command.h). Each returns its redraw bits. */
#include "tui/console.h"

#include <stdio.h>
#include <string.h>

#include "client/permissions.h"
#include "tui/term.h"

unsigned cmd_view(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    paneset *ps = &c->ps;
    if (e->view->flags & VIEW_PANE) {
        for (size_t i = 0; i < ps->n_panes; i++)
            if (view_model_ops(ps->panes[i].m) == e->view)
                return paneset_switch(ps, i);
        return RD_NONE;
    }
    if (!(e->view->flags & VIEW_DETAIL))
        return RD_NONE;
    unsigned rd = paneset_stats_close(ps);
    if (ps->detail_open) {
        for (size_t i = 0; i < ps->n_details; i++)
            if (ps->details[i] == e->view)
                return rd | paneset_detail_show(ps, i);
        return rd | console_error(c, "%s has no %s view", res_kind_name(ps->target.kind), e->view->title);
    }
    char err[300];
    if (!paneset_detail_open(ps, e->view, err, sizeof err))
        return rd | console_error(c, "%s", err);
    return rd | RD_MAIN | RD_HINT | RD_HEADER;
}

unsigned cmd_view_next(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    paneset *ps = &c->ps;
    return ps->n_panes ? paneset_switch(ps, ps->detail_open ? ps->cur : (ps->cur + 1) % ps->n_panes) : RD_NONE;
}

unsigned cmd_view_prev(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    paneset *ps = &c->ps;
    return ps->n_panes ? paneset_switch(ps, ps->detail_open ? ps->cur : (ps->cur + ps->n_panes - 1) % ps->n_panes)
                       : RD_NONE;
}

unsigned cmd_cursor(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    pane *p = paneset_active(&c->ps);
    if (!p || !p->m)
        return RD_NONE;
    long rows = (long)view_model_rows(p->m), delta;
    if (strcmp(e->name, "cursor.down") == 0)
        delta = 1;
    else if (strcmp(e->name, "cursor.up") == 0)
        delta = -1;
    else if (strcmp(e->name, "cursor.page-down") == 0)
        delta = paneset_page_rows(&c->ps, c->sc.lines);
    else if (strcmp(e->name, "cursor.page-up") == 0)
        delta = -paneset_page_rows(&c->ps, c->sc.lines);
    else if (strcmp(e->name, "cursor.top") == 0)
        delta = -rows - 1;
    else
        delta = rows + 1;
    size_t before = view_model_selected(p->m);
    view_model_move(p->m, delta);
    /* the lower pane of a wide screen follows when the keys are done (dispatch) */
    return view_model_selected(p->m) != before ? RD_MAIN : RD_NONE;
}

unsigned cmd_sort(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    pane *p = paneset_active(&c->ps);
    view_model *m = p ? p->m : NULL;
    if (!m || (view_model_ops(m)->flags & VIEW_TEXT))
        return RD_NONE;
    if (strcmp(e->name, "sort.next") == 0)
        view_model_sort_next(m);
    else if (strcmp(e->name, "sort.prev") == 0)
        view_model_sort_prev(m);
    else
        view_model_sort_reverse(m);
    table_measure(&p->ts, m, term_san_flags());
    bool desc;
    int col = view_model_sort_column(m, &desc);
    if (col < 0)
        return RD_MAIN | console_say(c, "sort: natural order");
    return RD_MAIN | console_say(c, "sort: %s %s", view_model_ops(m)->columns[col].title,
                                 desc ? "descending" : "ascending");
}

unsigned cmd_search(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    pane *p = paneset_active(&c->ps);
    if (!p || !p->m || !c->ps.search[0])
        return RD_NONE;
    if (view_model_search(p->m, c->ps.search, strcmp(e->name, "search.next") == 0))
        return RD_MAIN;
    return console_error(c, "not found: %s", c->ps.search);
}

unsigned cmd_detail(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    if (c->ps.detail_open)
        return RD_NONE;
    char err[300];
    if (!paneset_detail_open(&c->ps, NULL, err, sizeof err))
        return console_error(c, "%s", err);
    return RD_MAIN | RD_HINT | RD_HEADER;
}

unsigned cmd_detail_step(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)a;
    paneset *ps = &c->ps;
    if (!ps->detail_open || !ps->n_details)
        return RD_NONE;
    size_t step = strcmp(e->name, "detail.next") == 0 ? 1 : ps->n_details - 1;
    return paneset_detail_show(ps, (ps->dcur + step) % ps->n_details);
}

unsigned cmd_scope_set(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    view_object o;
    if (!paneset_selected(&c->ps, &o))
        return console_error(c, "no row selected");
    if (!o.cluster_name[0])
        return console_error(c, "this row belongs to no hosted cluster");
    return paneset_scope_set(&c->ps, o.cluster_ns, o.cluster_name) |
           console_say(c, "scoped to cluster %s/%s (0 shows the fleet again)", o.cluster_ns, o.cluster_name);
}

unsigned cmd_scope_clear(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    if (!c->ps.scope_cluster_name[0])
        return RD_NONE;
    return paneset_scope_set(&c->ps, NULL, NULL) | console_say(c, "scope cleared: the whole fleet");
}

/* Esc: the innermost thing that is open closes. */
unsigned cmd_back(console *c, const cmd_entry *e, const cmd_args *a)
{
    paneset *ps = &c->ps;
    if (ps->stats_open)
        return paneset_stats_close(ps);
    if (ps->detail_open)
        return paneset_detail_close(ps);
    pane *p = paneset_active(ps);
    if (p && p->m && view_model_filter(p->m)[0])
        return paneset_filter(ps, "");
    return cmd_scope_clear(c, e, a);
}

/* A view's own command: it reads the store and the selected row and says what it found, or builds
 * an action that the confirmation shows before anything is sent. */
unsigned cmd_view_command(console *c, const cmd_entry *e, const cmd_args *a)
{
    if (e->flags & CMDF_CONFIRM) {
        char why[300];
        if (client_permissions_denied(c->cl, e->vcmd->perms, why, sizeof why))
            return console_error(c, "%s: not permitted: %s", e->name, why);
        return confirm_open(c, e, a);
    }
    view_cmd_out out;
    console_view_command(c, e, a, 0, &out);
    if (!out.msg[0])
        return RD_NONE;
    return out.error ? console_error(c, "%s", out.msg) : console_say(c, "%s", out.msg);
}
