/* The console's state (see app_internal.h): which pane, detail view and statistics are open, the
 * scope, and the views' data: what is refreshed when, and how fresh its inputs are. */
#include "tui/app_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "tui/help.h"
#include "tui/stats.h"
#include "tui/term.h"

/* ---- small helpers ------------------------------------------------------------------------------ */

void app_message(app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_error = error;
    a->d_msg = true;
}

bool is_wide(const app *a)
{
    return !a->detail_open && !a->stats_open && a->cols >= WIDE_COLS && a->lines >= WIDE_LINES && a->n_panes > 0 &&
           strcmp(view_model_ops(a->panes[a->cur].m)->name, "clusters") == 0 && a->sub.m;
}

/* The detail keymap applies in a detail view, not in the statistics shown over one. */
bool keys_detail(const app *a)
{
    return a->detail_open && !a->stats_open;
}

pane *active_pane(app *a)
{
    if (a->stats_open)
        return &a->stats;
    if (a->detail_open)
        return &a->detail;
    return a->n_panes ? &a->panes[a->cur] : NULL;
}

const view_ops *active_ops(app *a)
{
    pane *p = active_pane(a);
    return p && p->m ? view_model_ops(p->m) : NULL;
}

static void scope_for(const app *a, view_scope *s, bool detail)
{
    memset(s, 0, sizeof *s);
    s->ns = a->scope_ns[0] ? a->scope_ns : NULL;
    if (a->scope_cluster_name[0]) {
        s->cluster_ns = a->scope_cluster_ns;
        s->cluster_name = a->scope_cluster_name;
    }
    if (detail)
        s->target = &a->target;
}

/* The worst freshness among a view's inputs, with its words. */
freshness_state view_freshness(app *a, const view_ops *ops, char *why, size_t whylen)
{
    freshness_state worst = FRESH_LIVE;
    static const int rank[] = {[FRESH_OFF] = 0, [FRESH_LIVE] = 1, [FRESH_STALE] = 2,
                               [FRESH_LOADING] = 3, [FRESH_FORBIDDEN] = 4, [FRESH_ERROR] = 5};
    why[0] = '\0';
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        if (!(ops->depends & RES_KIND_BIT(k)))
            continue;
        client_freshness f;
        if (!client_freshness_get(a->cl, (res_kind)k, &f) || f.state == FRESH_OFF)
            continue;
        if (rank[f.state] > rank[worst]) {
            worst = f.state;
            client_freshness_text(&f, now_ms_monotonic(), why, whylen);
        }
    }
    return worst;
}

/* ---- data --------------------------------------------------------------------------------------- */

/* Rows that stand for objects: the heading rows (etcd: one per control plane) are not counted. */
static size_t object_rows(const view_model *m)
{
    size_t n = view_model_rows(m), objects = 0;
    for (size_t r = 0; r < n; r++)
        objects += !view_model_row_is_heading(m, r);
    return objects;
}

/* For the tab line: objects shown, and objects before the filter. */
void pane_counts(const pane *p, size_t *shown, size_t *total)
{
    *shown = object_rows(p->m);
    *total = view_model_filter(p->m)[0] ? view_model_total_objects(p->m) : *shown;
}

static bool pane_refresh(app *a, pane *p, const view_scope *scope)
{
    if (!p->m)
        return false;
    bool changed = view_model_refresh(p->m, client_store(a->cl), scope, time(NULL));
    if (changed || !p->ts.measured)
        table_measure(&p->ts, p->m, term_san_flags());
    return changed;
}

void sub_scope_update(app *a)
{
    view_object o;
    memset(&o, 0, sizeof o);
    if (a->n_panes)
        view_model_selected_object(a->panes[a->cur].m, &o);
    if (strcmp(o.cluster_ns, a->sub_cluster.cluster_ns) != 0 ||
        strcmp(o.cluster_name, a->sub_cluster.cluster_name) != 0) {
        a->sub_cluster = o;
        a->sub_refresh = true; /* the upper pane's rows did not change: it keeps them */
    }
}

/* True when sync_views has something to do. */
bool sync_due(const app *a)
{
    return a->force_refresh || a->sub_refresh;
}

/* Every model recomputes at its next refresh: after the store was replaced (a new context), whose
 * successor could sit at the same address with the same change counters. */
void models_invalidate(app *a)
{
    pane *ps[MAX_PANES + 3];
    size_t n = 0;
    for (size_t i = 0; i < a->n_panes; i++)
        ps[n++] = &a->panes[i];
    ps[n++] = &a->sub;
    ps[n++] = &a->detail;
    ps[n++] = &a->stats;
    for (size_t i = 0; i < n; i++)
        if (ps[i]->m)
            view_model_invalidate(ps[i]->m);
}

/* The view in front: the statistics, a detail view or the current pane. */
static void refresh_front(app *a)
{
    view_scope s;
    if (a->stats_open) {
        if (pane_refresh(a, &a->stats, NULL))
            a->d_main = true;
    } else if (a->detail_open) {
        scope_for(a, &s, true);
        if (pane_refresh(a, &a->detail, &s))
            a->d_main = true;
    } else if (a->n_panes) {
        scope_for(a, &s, false);
        if (pane_refresh(a, &a->panes[a->cur], &s))
            a->d_main = true;
    }
}

/* The wide layout's lower pane: the node pools of the cluster selected above. */
static void refresh_sub(app *a)
{
    view_scope s;
    scope_for(a, &s, false);
    s.cluster_ns = a->sub_cluster.cluster_name[0] ? a->sub_cluster.cluster_ns : NULL;
    s.cluster_name = a->sub_cluster.cluster_name[0] ? a->sub_cluster.cluster_name : NULL;
    if (pane_refresh(a, &a->sub, &s))
        a->d_main = true;
}


/* Refreshes what is on screen when its inputs moved (or when forced). A selection move in the wide
 * layout only sets sub_refresh: the upper pane's rows did not change, so only the lower pane, whose
 * scope moved, is refreshed (the upper one costs ~15 ms at 5,000 clusters). Notes what the front
 * view was computed from, for keys that arrive before the next repaint (models_catch_up). */
void sync_views(app *a)
{
    store *st = client_store(a->cl);
    uint64_t ch = store_changes(st), fc = store_focus_changes(st);
    bool all = ch != a->seen_changes || fc != a->seen_focus || a->force_refresh;
    bool sub = all || a->sub_refresh;
    a->sub_refresh = false;
    if (!sub)
        return;
    a->seen_changes = ch;
    a->seen_focus = fc;
    a->force_refresh = false;
    if (all) {
        refresh_front(a);
        keyq_sync_note(&a->front_sync, front_waits_for_data(a), ch, fc);
    }
    if (is_wide(a))
        refresh_sub(a);
    a->d_header = true; /* counts and freshness may have moved */
}

bool any_not_live(app *a)
{
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        client_freshness f;
        if (client_freshness_get(a->cl, (res_kind)k, &f) && f.state != FRESH_OFF && f.state != FRESH_LIVE)
            return true;
    }
    return false;
}

/* ---- views and details -------------------------------------------------------------------------- */

void pane_reset(pane *p, const view_ops *ops)
{
    view_model_free(p->m);
    memset(p, 0, sizeof *p);
    if (ops)
        p->m = view_model_new(ops);
}


void switch_pane(app *a, size_t i)
{
    if (i >= a->n_panes)
        return;
    stats_close(a);
    if (a->detail_open) {
        a->detail_open = false;
        client_unfocus(a->cl);
        pane_reset(&a->detail, NULL);
    }
    a->cur = i;
    a->mode = MODE_NORMAL;
    a->force_refresh = true;
    a->d_main = a->d_hint = a->d_header = true;
}

/* ---- the request statistics ---------------------------------------------------------------------- */

static size_t stats_counters(void *ud, transport_counter *out, size_t max)
{
    app *a = ud;
    const transport *t = client_transport(a->cl);
    size_t n = t ? transport_counter_count(t) : 0;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        out[i] = *transport_counter_at(t, i);
    return n;
}

static void stats_total(void *ud, transport_counter *out)
{
    app *a = ud;
    const transport *t = client_transport(a->cl);
    memset(out, 0, sizeof *out);
    if (t)
        transport_counter_total(t, out);
}

static bool stats_freshness(void *ud, res_kind kind, char *out, size_t outlen, bool *not_live)
{
    app *a = ud;
    client_freshness f;
    if (!client_freshness_get(a->cl, kind, &f) || f.state == FRESH_OFF)
        return false;
    client_freshness_text(&f, now_ms_monotonic(), out, outlen);
    *not_live = f.state != FRESH_LIVE;
    return true;
}

void stats_open(app *a)
{
    stats_source src = {.counters = stats_counters, .total = stats_total, .freshness = stats_freshness, .ud = a};
    stats_view_bind(&src);
    pane_reset(&a->stats, stats_view());
    pane_refresh(a, &a->stats, NULL);
    a->stats_open = true;
    timers_set(&a->timers, TIMER_STATS, now_ms_monotonic() + STATS_REFRESH_MS);
    a->d_main = a->d_hint = a->d_header = true;
}

void stats_close(app *a)
{
    if (!a->stats_open)
        return;
    a->stats_open = false;
    pane_reset(&a->stats, NULL);
    stats_view_bind(NULL);
    timers_clear(&a->timers, TIMER_STATS);
    a->force_refresh = true; /* what is under it may have moved meanwhile */
    a->d_main = a->d_hint = a->d_header = true;
}

void detail_show(app *a, size_t i)
{
    if (i >= a->n_details)
        return;
    a->dcur = i;
    pane_reset(&a->detail, a->details[i]);
    a->force_refresh = true;
    a->d_main = a->d_hint = true;
}

void detail_open(app *a, const view_ops *want)
{
    pane *p = active_pane(a);
    view_object o;
    if (a->detail_open) {
        o = a->target;
    } else if (!p || !view_model_selected_object(p->m, &o)) {
        app_message(a, true, "no object selected");
        return;
    }
    const view_ops *ds[MAX_DETAILS];
    size_t n = view_details_for(o.kind, ds, MAX_DETAILS);
    if (n == 0) {
        app_message(a, true, "no details for a %s", res_kind_name(o.kind));
        return;
    }
    size_t start = 0;
    if (want) {
        for (start = 0; start < n && ds[start] != want; start++)
            ;
        if (start == n) {
            app_message(a, true, "%s has no %s view", res_kind_name(o.kind), want->title);
            return;
        }
    }
    if (!a->detail_open) {
        a->target = o;
        client_focus(a->cl, o.kind, o.ns, o.name);
        a->detail_open = true;
    }
    memcpy(a->details, ds, n * sizeof ds[0]);
    a->n_details = n;
    a->search[0] = '\0';
    detail_show(a, start);
    a->d_header = true;
}

void detail_close(app *a)
{
    if (!a->detail_open)
        return;
    a->detail_open = false;
    client_unfocus(a->cl);
    pane_reset(&a->detail, NULL);
    a->force_refresh = true;
    a->d_main = a->d_hint = a->d_header = true;
}

void scope_set(app *a, const char *ns, const char *name)
{
    snprintf(a->scope_cluster_ns, sizeof a->scope_cluster_ns, "%s", ns ? ns : "");
    snprintf(a->scope_cluster_name, sizeof a->scope_cluster_name, "%s", name ? name : "");
    a->force_refresh = true;
    a->d_main = a->d_header = true;
}

/* ---- help --------------------------------------------------------------------------------------- */

void help_build(app *a)
{
    const view_ops *ops = active_ops(a);
    buf_reset(&a->help);
    help_text(a->cfg->km, ops ? ops->name : NULL, ops ? ops->title : NULL, keys_detail(a), &a->help);
    a->help_top = 0;
}

