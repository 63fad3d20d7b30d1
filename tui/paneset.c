/* The pane set (see paneset.h). */
#include "tui/paneset.h"

#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "tui/stats.h"
#include "tui/term.h"

void paneset_init(paneset *ps, client *cl, loop_timers *timers, const char *start_pane, const char *ns, bool watch)
{
    memset(ps, 0, sizeof *ps);
    ps->cl = cl;
    ps->timers = timers;
    ps->seen_changes = ps->seen_focus = (uint64_t)-1;
    if (ns)
        snprintf(ps->scope_ns, sizeof ps->scope_ns, "%s", ns);
    const view_ops *ops[MAX_PANES];
    ps->n_panes = watch ? 1 : view_panes(ops, MAX_PANES);
    if (watch)
        ops[0] = view_find("watch");
    for (size_t i = 0; i < ps->n_panes; i++) {
        ps->panes[i].m = view_model_new(ops[i]);
        if (start_pane && strcmp(ops[i]->name, start_pane) == 0)
            ps->cur = i;
    }
    const view_ops *np = view_find("nodepools");
    if (np && !watch) /* the wide split is the clusters pane's */
        ps->sub.m = view_model_new(np);
}

static void pane_reset(pane *p, const view_ops *ops)
{
    view_model_free(p->m);
    memset(p, 0, sizeof *p);
    if (ops)
        p->m = view_model_new(ops);
}

void paneset_free(paneset *ps)
{
    if (ps->detail_open)
        client_unfocus(ps->cl);
    for (size_t i = 0; i < ps->n_panes; i++)
        pane_reset(&ps->panes[i], NULL);
    pane_reset(&ps->sub, NULL);
    pane_reset(&ps->detail, NULL);
    pane_reset(&ps->stats, NULL);
    stats_view_bind(NULL);
}

/* Every model recomputes at its next refresh: the new store could sit at the old one's address
 * with the same change counters. */
void paneset_set_client(paneset *ps, client *cl)
{
    ps->cl = cl;
    pane *all[MAX_PANES + 3];
    size_t n = 0;
    for (size_t i = 0; i < ps->n_panes; i++)
        all[n++] = &ps->panes[i];
    all[n++] = &ps->sub;
    all[n++] = &ps->detail;
    all[n++] = &ps->stats;
    for (size_t i = 0; i < n; i++)
        if (all[i]->m)
            view_model_invalidate(all[i]->m);
    ps->seen_changes = ps->seen_focus = (uint64_t)-1;
    ps->force_refresh = true;
}

bool paneset_is_wide(const paneset *ps)
{
    return ps->wide_screen && !ps->detail_open && !ps->stats_open && ps->n_panes > 0 &&
           strcmp(view_model_ops(ps->panes[ps->cur].m)->name, "clusters") == 0 && ps->sub.m;
}

/* The detail keymap applies in a detail view, not in the statistics shown over one. */
bool paneset_keys_detail(const paneset *ps)
{
    return ps->detail_open && !ps->stats_open;
}

pane *paneset_active(paneset *ps)
{
    if (ps->stats_open)
        return &ps->stats;
    if (ps->detail_open)
        return &ps->detail;
    return ps->n_panes ? &ps->panes[ps->cur] : NULL;
}

const view_ops *paneset_active_ops(paneset *ps)
{
    pane *p = paneset_active(ps);
    return p && p->m ? view_model_ops(p->m) : NULL;
}

bool paneset_selected(paneset *ps, view_object *out)
{
    if (ps->detail_open && !ps->stats_open) {
        *out = ps->target;
        return true;
    }
    pane *p = paneset_active(ps);
    return p && p->m && view_model_selected_object(p->m, out);
}

static void scope_for(const paneset *ps, view_scope *s, bool detail)
{
    memset(s, 0, sizeof *s);
    s->ns = ps->scope_ns[0] ? ps->scope_ns : NULL;
    if (ps->scope_cluster_name[0]) {
        s->cluster_ns = ps->scope_cluster_ns;
        s->cluster_name = ps->scope_cluster_name;
    }
    if (detail)
        s->target = &ps->target;
}

freshness_state paneset_freshness(const paneset *ps, const view_ops *ops, char *why, size_t whylen)
{
    freshness_state worst = FRESH_LIVE;
    static const int rank[] = {[FRESH_OFF] = 0, [FRESH_LIVE] = 1, [FRESH_STALE] = 2,
                               [FRESH_LOADING] = 3, [FRESH_FORBIDDEN] = 4, [FRESH_ERROR] = 5};
    why[0] = '\0';
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        if (!(ops->depends & RES_KIND_BIT(k)))
            continue;
        client_freshness f;
        if (!client_freshness_get(ps->cl, (res_kind)k, &f) || f.state == FRESH_OFF)
            continue;
        if (rank[f.state] > rank[worst]) {
            worst = f.state;
            client_freshness_text(&f, now_ms_monotonic(), why, whylen);
        }
    }
    return worst;
}

bool paneset_any_not_live(const paneset *ps)
{
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        client_freshness f;
        if (client_freshness_get(ps->cl, (res_kind)k, &f) && f.state != FRESH_OFF && f.state != FRESH_LIVE)
            return true;
    }
    return false;
}

bool paneset_any_failing(const paneset *ps)
{
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        client_freshness f;
        if (client_freshness_get(ps->cl, (res_kind)k, &f) &&
            (f.state == FRESH_STALE || f.state == FRESH_ERROR || f.state == FRESH_FORBIDDEN))
            return true;
    }
    return false;
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

static bool pane_refresh(paneset *ps, pane *p, const view_scope *scope)
{
    if (!p->m)
        return false;
    bool changed = view_model_refresh(p->m, client_store(ps->cl), scope, time(NULL));
    if (changed || !p->ts.measured)
        table_measure(&p->ts, p->m, term_san_flags());
    return changed;
}

void paneset_follow_selection(paneset *ps)
{
    if (!paneset_is_wide(ps))
        return;
    view_object o;
    memset(&o, 0, sizeof o);
    if (ps->n_panes)
        view_model_selected_object(ps->panes[ps->cur].m, &o);
    if (strcmp(o.cluster_ns, ps->sub_cluster.cluster_ns) != 0 ||
        strcmp(o.cluster_name, ps->sub_cluster.cluster_name) != 0) {
        ps->sub_cluster = o;
        ps->sub_refresh = true; /* the upper pane's rows did not change: it keeps them */
    }
}

bool paneset_sync_due(const paneset *ps)
{
    return ps->force_refresh || ps->sub_refresh;
}

void paneset_force(paneset *ps)
{
    ps->force_refresh = true;
}

/* The view in front: the statistics, a detail view or the current pane. */
static unsigned refresh_front(paneset *ps)
{
    view_scope s;
    pane *p = NULL;
    if (ps->stats_open) {
        return pane_refresh(ps, &ps->stats, NULL) ? RD_MAIN : RD_NONE;
    } else if (ps->detail_open) {
        scope_for(ps, &s, true);
        p = &ps->detail;
    } else if (ps->n_panes) {
        scope_for(ps, &s, false);
        p = &ps->panes[ps->cur];
    }
    return p && pane_refresh(ps, p, &s) ? RD_MAIN : RD_NONE;
}

/* The wide layout's lower pane: the node pools of the cluster selected above. */
static unsigned refresh_sub(paneset *ps)
{
    view_scope s;
    scope_for(ps, &s, false);
    s.cluster_ns = ps->sub_cluster.cluster_name[0] ? ps->sub_cluster.cluster_ns : NULL;
    s.cluster_name = ps->sub_cluster.cluster_name[0] ? ps->sub_cluster.cluster_name : NULL;
    return pane_refresh(ps, &ps->sub, &s) ? RD_MAIN : RD_NONE;
}

/* A selection move in the wide layout only sets sub_refresh: the upper pane's rows did not change,
 * so only the lower pane, whose scope moved, is refreshed (the upper one costs ~15 ms at 5,000
 * clusters). Notes what the front view was computed from, for keys that arrive before the next
 * repaint (paneset_catch_up). */
unsigned paneset_sync(paneset *ps)
{
    store *st = client_store(ps->cl);
    uint64_t ch = store_changes(st), fc = store_focus_changes(st);
    bool all = ch != ps->seen_changes || fc != ps->seen_focus || ps->force_refresh;
    bool sub = all || ps->sub_refresh;
    ps->sub_refresh = false;
    if (!sub)
        return RD_NONE;
    ps->seen_changes = ch;
    ps->seen_focus = fc;
    ps->force_refresh = false;
    unsigned rd = RD_HEADER; /* counts and freshness may have moved */
    if (all) {
        rd |= refresh_front(ps);
        keyq_sync_note(&ps->front_sync, paneset_front_waits(ps), ch, fc);
    }
    if (paneset_is_wide(ps))
        rd |= refresh_sub(ps);
    return rd;
}

bool paneset_front_waits(paneset *ps)
{
    pane *p = paneset_active(ps);
    if (!p || !p->m)
        return false;
    const view_ops *ops = view_model_ops(p->m);
    char why[8];
    if (paneset_freshness(ps, ops, why, sizeof why) == FRESH_LOADING)
        return true;
    if (ps->detail_open && !ps->stats_open && (ops->depends & VIEW_DEP_FOCUS) && !client_focus_error(ps->cl)) {
        const char *ns = NULL, *name = NULL;
        const char *json = store_focus_json(client_store(ps->cl), NULL, &ns, &name);
        return !json || !ns || !name || strcmp(ns, ps->target.ns) != 0 || strcmp(name, ps->target.name) != 0;
    }
    return false;
}

/* The front view's model was computed while its data was loading and the store has moved since,
 * so its data may be in the store while the model (repaints wait for their slot) still shows
 * "loading…". Refresh it now, or the key would act on no rows. */
void paneset_catch_up(paneset *ps)
{
    store *st = client_store(ps->cl);
    if (keyq_sync_behind(&ps->front_sync, store_changes(st), store_focus_changes(st)))
        paneset_sync(ps);
}

/* ---- panes, details, statistics, scope ---------------------------------------------------------- */

static void unfocus(paneset *ps)
{
    if (!ps->detail_open)
        return;
    ps->detail_open = false;
    client_unfocus(ps->cl);
    pane_reset(&ps->detail, NULL);
}

unsigned paneset_switch(paneset *ps, size_t i)
{
    if (i >= ps->n_panes)
        return RD_NONE;
    paneset_stats_close(ps);
    unfocus(ps);
    ps->cur = i;
    ps->force_refresh = true;
    return RD_MAIN | RD_HINT | RD_HEADER;
}

static size_t stats_counters(void *ud, transport_counter *out, size_t max)
{
    paneset *ps = ud;
    const transport *t = client_transport(ps->cl);
    size_t n = t ? transport_counter_count(t) : 0;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        out[i] = *transport_counter_at(t, i);
    return n;
}

static void stats_total(void *ud, transport_counter *out)
{
    paneset *ps = ud;
    const transport *t = client_transport(ps->cl);
    memset(out, 0, sizeof *out);
    if (t)
        transport_counter_total(t, out);
}

static bool stats_freshness(void *ud, res_kind kind, char *out, size_t outlen, bool *not_live)
{
    paneset *ps = ud;
    client_freshness f;
    if (!client_freshness_get(ps->cl, kind, &f) || f.state == FRESH_OFF)
        return false;
    client_freshness_text(&f, now_ms_monotonic(), out, outlen);
    *not_live = f.state != FRESH_LIVE;
    return true;
}

unsigned paneset_stats_open(paneset *ps)
{
    stats_source src = {.counters = stats_counters, .total = stats_total, .freshness = stats_freshness, .ud = ps};
    stats_view_bind(&src);
    pane_reset(&ps->stats, stats_view());
    pane_refresh(ps, &ps->stats, NULL);
    ps->stats_open = true;
    timers_set(ps->timers, TIMER_STATS, now_ms_monotonic() + STATS_REFRESH_MS);
    return RD_MAIN | RD_HINT | RD_HEADER;
}

unsigned paneset_stats_close(paneset *ps)
{
    if (!ps->stats_open)
        return RD_NONE;
    ps->stats_open = false;
    pane_reset(&ps->stats, NULL);
    stats_view_bind(NULL);
    timers_clear(ps->timers, TIMER_STATS);
    ps->force_refresh = true; /* what is under it may have moved meanwhile */
    return RD_MAIN | RD_HINT | RD_HEADER;
}

unsigned paneset_detail_show(paneset *ps, size_t i)
{
    if (i >= ps->n_details)
        return RD_NONE;
    ps->dcur = i;
    pane_reset(&ps->detail, ps->details[i]);
    ps->force_refresh = true;
    return RD_MAIN | RD_HINT;
}

bool paneset_detail_open(paneset *ps, const view_ops *want, char *err, size_t errlen)
{
    pane *p = paneset_active(ps);
    view_object o;
    if (ps->detail_open) {
        o = ps->target;
    } else if (!p || !view_model_selected_object(p->m, &o)) {
        snprintf(err, errlen, "no object selected");
        return false;
    }
    const view_ops *ds[MAX_DETAILS];
    size_t n = view_details_for(o.kind, ds, MAX_DETAILS);
    if (n == 0) {
        snprintf(err, errlen, "no details for a %s", res_kind_name(o.kind));
        return false;
    }
    size_t start = 0;
    if (want) {
        for (start = 0; start < n && ds[start] != want; start++)
            ;
        if (start == n) {
            snprintf(err, errlen, "%s has no %s view", res_kind_name(o.kind), want->title);
            return false;
        }
    }
    if (!ps->detail_open) {
        ps->target = o;
        client_focus(ps->cl, o.kind, o.ns, o.name);
        ps->detail_open = true;
    }
    memcpy(ps->details, ds, n * sizeof ds[0]);
    ps->n_details = n;
    ps->search[0] = '\0';
    paneset_detail_show(ps, start);
    return true;
}

unsigned paneset_detail_close(paneset *ps)
{
    if (!ps->detail_open)
        return RD_NONE;
    unfocus(ps);
    ps->force_refresh = true;
    return RD_MAIN | RD_HINT | RD_HEADER;
}

unsigned paneset_scope_set(paneset *ps, const char *cluster_ns, const char *cluster_name)
{
    snprintf(ps->scope_cluster_ns, sizeof ps->scope_cluster_ns, "%s", cluster_ns ? cluster_ns : "");
    snprintf(ps->scope_cluster_name, sizeof ps->scope_cluster_name, "%s", cluster_name ? cluster_name : "");
    ps->force_refresh = true;
    return RD_MAIN | RD_HEADER;
}

unsigned paneset_scope_ns(paneset *ps, const char *ns)
{
    snprintf(ps->scope_ns, sizeof ps->scope_ns, "%.*s", (int)sizeof ps->scope_ns - 1, ns ? ns : "");
    ps->force_refresh = true;
    return RD_MAIN | RD_HEADER;
}

int paneset_page_rows(paneset *ps, int screen_lines)
{
    pane *p = paneset_active(ps);
    int h = screen_lines - 3 - 1 - (paneset_keys_detail(ps) ? 1 : 0); /* header, tabs, hint, message */
    if (paneset_is_wide(ps))
        h = (screen_lines - 5) / 2;
    return p && p->m ? table_page_rows(p->m, h) : 1;
}

unsigned paneset_filter(paneset *ps, const char *text)
{
    pane *p = paneset_active(ps);
    if (!p || !p->m || (view_model_ops(p->m)->flags & VIEW_TEXT))
        return RD_NONE;
    view_model_set_filter(p->m, text);
    table_measure(&p->ts, p->m, term_san_flags());
    return RD_MAIN;
}
