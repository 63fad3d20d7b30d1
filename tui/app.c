/* The interactive console (see app.h).
 *
 * Handlers (keys, timers, network progress) only change state and set dirty flags; paint() draws
 * what is dirty into its window with wnoutrefresh and ends with one doupdate, and draws nothing
 * when nothing is dirty, so an idle console writes no bytes. Store changes are coalesced to at most
 * one repaint per REPAINT_MIN_MS; keys are answered in the turn they arrive. */
#include "tui/app.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "tui/cmdline.h"
#include "tui/help.h"
#include "tui/keyq.h"
#include "tui/keys.h"
#include "tui/loop.h"
#include "tui/prompt.h"
#include "tui/sanitize.h"
#include "tui/stats.h"
#include "tui/table.h"
#include "tui/term.h"
#include "views/model.h"

#define MAX_PANES 8
#define MAX_DETAILS 8
#define MIN_COLS 80
#define MIN_LINES 24
#define WIDE_COLS 150 /* clusters above the node pools of the selected cluster */
#define WIDE_LINES 40
#define REPAINT_MIN_MS 100 /* data-driven repaints: at most ~10 a second */

#define STATS_REFRESH_MS 2000 /* the open statistics table moves at most this often */

#define INDICATOR_MIN_MS 60000 /* the hint bar's request counts move at most this often by themselves */
#define KEY_HOLD_MAX_MS 3000 /* typed-ahead keys wait at most this long for a loading view */

enum { TIMER_COALESCE, TIMER_MINUTE, TIMER_FRESHNESS, TIMER_STATS, TIMER_KEYHOLD };

typedef enum app_mode { MODE_NORMAL, MODE_FILTER, MODE_COMMAND, MODE_HELP } app_mode;

typedef struct pane {
    view_model *m;
    table_state ts;
} pane;

typedef struct app {
    const app_config *cfg;
    client *cl;
    loop_timers timers;
    bool quit;
    bool net_failed; /* client_poll() reported a fatal error */

    pane panes[MAX_PANES];
    size_t n_panes, cur;
    pane sub; /* wide screens: node pools of the cluster selected on the clusters pane */
    view_object sub_cluster;

    bool detail_open;
    view_object target;
    const view_ops *details[MAX_DETAILS];
    size_t n_details, dcur;
    pane detail;

    bool stats_open; /* the request statistics, over the pane or detail view */
    pane stats;
    transport_counter indicator; /* the request counts on the hint bar, as last taken */
    int64_t indicator_ms;         /* when they were taken */

    char scope_cluster_ns[VIEW_NAME_MAX], scope_cluster_name[VIEW_NAME_MAX];
    char scope_ns[VIEW_NAME_MAX];

    app_mode mode;
    char prompt[256];
    char search[256];
    char msg[512];
    bool msg_error;
    buf help;          /* help lines, '\n'-separated */
    int help_top;

    uint64_t seen_changes, seen_focus;
    int64_t last_data_paint_ms;
    bool data_pending;  /* the store moved; refresh at the next allowed moment */
    bool force_refresh; /* scope, pane or clock changed: refresh the visible views */
    bool sub_refresh;   /* the wide layout's selected cluster changed: refresh the lower pane only */

    /* screen */
    WINDOW *w_header, *w_main, *w_hint, *w_msg;
    int cols, lines;
    bool relayout, too_small, clear_screen;
    bool d_header, d_main, d_hint, d_msg;
    char last_header[1400];
    keyq held; /* keys typed while the view they act on was loading (see on_key) */
    keyq_sync front_sync; /* what the front view's model was last computed from (see models_catch_up) */
    char status[320]; /* the message line when no message: why the active view's data is not live */
} app;

/* ---- small helpers ------------------------------------------------------------------------------ */

static void app_message(app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void app_message(app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_error = error;
    a->d_msg = true;
}

static bool is_wide(const app *a)
{
    return !a->detail_open && !a->stats_open && a->cols >= WIDE_COLS && a->lines >= WIDE_LINES && a->n_panes > 0 &&
           strcmp(view_model_ops(a->panes[a->cur].m)->name, "clusters") == 0 && a->sub.m;
}

/* The detail keymap applies in a detail view, not in the statistics shown over one. */
static bool keys_detail(const app *a)
{
    return a->detail_open && !a->stats_open;
}

static pane *active_pane(app *a)
{
    if (a->stats_open)
        return &a->stats;
    if (a->detail_open)
        return &a->detail;
    return a->n_panes ? &a->panes[a->cur] : NULL;
}

static const view_ops *active_ops(app *a)
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

static bool res_kind_of(const char *name, res_kind *out)
{
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        if (strcmp(res_kind_name((res_kind)k), name) == 0) {
            *out = (res_kind)k;
            return true;
        }
    }
    return false;
}

static res_kind dep_kinds[] = {RES_HOSTEDCLUSTER, RES_NODEPOOL, RES_ETCD_POD, RES_ETCD_PVC,
                               RES_SUPPORTED_VERSIONS, RES_EVENT};
static const unsigned dep_bits[] = {VIEW_DEP_HOSTEDCLUSTERS, VIEW_DEP_NODEPOOLS, VIEW_DEP_ETCD_PODS,
                                    VIEW_DEP_ETCD_PVCS, VIEW_DEP_SUPPORTED, VIEW_DEP_EVENTS};
static const char *const dep_short[] = {"HC", "NP", "etcd", "PVC", "versions", "events"};

/* The worst freshness among a view's inputs, with its words. */
static freshness_state view_freshness(app *a, const view_ops *ops, char *why, size_t whylen)
{
    freshness_state worst = FRESH_LIVE;
    static const int rank[] = {[FRESH_OFF] = 0, [FRESH_LIVE] = 1, [FRESH_STALE] = 2,
                               [FRESH_LOADING] = 3, [FRESH_FORBIDDEN] = 4, [FRESH_ERROR] = 5};
    why[0] = '\0';
    for (size_t i = 0; i < sizeof dep_bits / sizeof dep_bits[0]; i++) {
        if (!(ops->depends & dep_bits[i]))
            continue;
        client_freshness f;
        if (!client_freshness_get(a->cl, dep_kinds[i], &f) || f.state == FRESH_OFF)
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
static void pane_counts(const pane *p, size_t *shown, size_t *total)
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

static void sub_scope_update(app *a)
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
static bool sync_due(const app *a)
{
    return a->force_refresh || a->sub_refresh;
}

/* Every model recomputes at its next refresh: after the store was replaced (a new context), whose
 * successor could sit at the same address with the same change counters. */
static void models_invalidate(app *a)
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

static bool front_waits_for_data(app *a);

/* Refreshes what is on screen when its inputs moved (or when forced). A selection move in the wide
 * layout only sets sub_refresh: the upper pane's rows did not change, so only the lower pane, whose
 * scope moved, is refreshed (the upper one costs ~15 ms at 5,000 clusters). Notes what the front
 * view was computed from, for keys that arrive before the next repaint (models_catch_up). */
static void sync_views(app *a)
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

/* ---- screen ------------------------------------------------------------------------------------- */

static void windows_free(app *a)
{
    WINDOW **ws[] = {&a->w_header, &a->w_main, &a->w_hint, &a->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        if (*ws[i])
            delwin(*ws[i]);
        *ws[i] = NULL;
    }
}

static void relayout(app *a)
{
    windows_free(a);
    getmaxyx(stdscr, a->lines, a->cols);
    a->too_small = a->cols < MIN_COLS || a->lines < MIN_LINES;
    werase(stdscr);
    wnoutrefresh(stdscr); /* stdscr is the key window: keep it clean so getch never repaints it */
    if (!a->too_small) {
        a->w_header = newwin(1, a->cols, 0, 0);
        a->w_main = newwin(a->lines - 3, a->cols, 1, 0);
        a->w_hint = newwin(1, a->cols, a->lines - 2, 0);
        a->w_msg = newwin(1, a->cols, a->lines - 1, 0);
    }
    a->d_header = a->d_main = a->d_hint = a->d_msg = true;
    a->last_header[0] = '\0';
    a->relayout = false;
    a->force_refresh = true;
}

/* Writes sanitized text at the cursor within width cells; returns the cells used. */
static int put_text(WINDOW *w, const char *text, int width, int attr)
{
    if (width <= 0)
        return 0;
    char out[2048];
    san_result r = sanitize_text(text, out, sizeof out, width, term_san_flags());
    wattrset(w, attr);
    waddstr(w, out);
    return r.width;
}

static void fill_rest(WINDOW *w, int used, int width, int attr)
{
    wattrset(w, attr);
    for (int i = used; i < width; i++)
        waddch(w, ' ');
}

static void header_text(app *a, char *out, size_t outlen)
{
    const app_identity *id = a->cfg->id;
    const char *sep = term_glyphs()->sep;
    buf b = BUF_INIT;
    /* Most important first: a narrow terminal cuts from the right. */
    buf_printf(&b, " hcptui %s ctx %s %s ns %s", sep, id->context[0] ? id->context : "-", sep,
               a->scope_ns[0] ? a->scope_ns : "all");
    if (a->scope_cluster_name[0])
        buf_printf(&b, " %s cluster %s/%s", sep, a->scope_cluster_ns, a->scope_cluster_name);
    /* freshness per kind: "live" when all are, else the ones that are not */
    bool all_live = true, polling = false;
    for (size_t i = 0; i < sizeof dep_kinds / sizeof dep_kinds[0]; i++) {
        client_freshness f;
        if (!client_freshness_get(a->cl, dep_kinds[i], &f) || f.state == FRESH_OFF)
            continue;
        polling |= f.polling;
        if (f.state == FRESH_LIVE)
            continue;
        char t[160];
        client_freshness_text(&f, now_ms_monotonic(), t, sizeof t);
        buf_printf(&b, " %s %s %s", sep, dep_short[i], t);
        all_live = false;
    }
    /* --refresh N lists every N seconds: "live" would promise a watch that is not there. */
    if (all_live && polling && a->cfg->refresh_seconds > 0)
        buf_printf(&b, " %s polling %ds", sep, a->cfg->refresh_seconds);
    else if (all_live)
        buf_printf(&b, " %s %s", sep, polling ? "polling" : "live");
    buf_printf(&b, " %s %s", sep, id->server);
    if (id->user[0])
        buf_printf(&b, " %s user %s", sep, id->user);
    snprintf(out, outlen, "%s", buf_str(&b));
    buf_free(&b);
}

static bool draw_header(app *a)
{
    char text[1024];
    header_text(a, text, sizeof text);
    char badge[320] = "";
    if (a->cfg->read_only)
        snprintf(badge, sizeof badge, " READ-ONLY ");
    if (a->cfg->id->warning[0])
        snprintf(badge + strlen(badge), sizeof badge - strlen(badge), " %s ", a->cfg->id->warning);
    char key[sizeof text + sizeof badge + 16];
    snprintf(key, sizeof key, "%d|%s|%s", a->cols, text, badge);
    if (!a->d_header || strcmp(key, a->last_header) == 0) {
        a->d_header = false;
        return false;
    }
    snprintf(a->last_header, sizeof a->last_header, "%s", key);
    WINDOW *w = a->w_header;
    int bw = badge[0] ? text_width(badge, term_san_flags()) : 0;
    if (bw > a->cols / 2)
        bw = a->cols / 2;
    wmove(w, 0, 0);
    int used = put_text(w, text, a->cols - bw, term_ui_attr(UI_HEADER));
    fill_rest(w, used, a->cols - bw, term_ui_attr(UI_HEADER));
    if (bw)
        put_text(w, badge, bw, term_ui_attr(UI_BADGE));
    wnoutrefresh(w);
    a->d_header = false;
    return true;
}

/* The tab line: the four panes by number, the current one marked, then the pane's state. */
static void draw_tabs(app *a, WINDOW *w)
{
    wmove(w, 0, 0);
    int used = 0;
    for (size_t i = 0; i < a->n_panes; i++) {
        const view_ops *ops = view_model_ops(a->panes[i].m);
        bool cur = !a->detail_open && !a->stats_open && i == a->cur;
        char t[128];
        snprintf(t, sizeof t, cur ? "[%zu %s]" : " %zu %s ", i + 1, ops->title);
        used += put_text(w, t, a->cols - used, term_ui_attr(cur ? UI_TAB_ACTIVE : UI_TAB));
        used += put_text(w, " ", a->cols - used, 0);
    }
    pane *p = active_pane(a);
    if (p && p->m && used < a->cols) {
        const view_ops *ops = view_model_ops(p->m);
        buf b = BUF_INIT;
        if (a->detail_open || a->stats_open)
            buf_printf(&b, " %s ", ops->title);
        size_t shown, total;
        pane_counts(p, &shown, &total);
        buf_printf(&b, " %zu/%zu", shown, total);
        if (view_model_filter(p->m)[0])
            buf_printf(&b, "  filter: %s", view_model_filter(p->m));
        used += put_text(w, buf_str(&b), a->cols - used, 0);
        buf_free(&b);
        char why[256];
        freshness_state fs = view_freshness(a, ops, why, sizeof why);
        if (fs == FRESH_STALE || fs == FRESH_ERROR || fs == FRESH_FORBIDDEN) {
            char t[300];
            snprintf(t, sizeof t, "  %s %s", term_role_glyph(ROLE_STALE), why);
            used += put_text(w, t, a->cols - used, term_role_attr(fs == FRESH_STALE ? ROLE_STALE : ROLE_BAD));
        }
    }
    fill_rest(w, used, a->cols, 0);
}

static void draw_detail_tabs(app *a, WINDOW *w, int y)
{
    wmove(w, y, 0);
    char t[600];
    snprintf(t, sizeof t, " %s %s/%s ", a->target.kind, a->target.ns, a->target.name);
    int used = put_text(w, t, a->cols, term_role_attr(ROLE_ACCENT));
    for (size_t i = 0; i < a->n_details && used < a->cols; i++) {
        bool cur = i == a->dcur;
        snprintf(t, sizeof t, cur ? "[%s]" : " %s ", a->details[i]->title);
        used += put_text(w, t, a->cols - used, term_ui_attr(cur ? UI_TAB_ACTIVE : UI_TAB));
        used += put_text(w, " ", a->cols - used, 0);
    }
    fill_rest(w, used, a->cols, 0);
}

static const char *empty_text_for(app *a, pane *p, view_role *role)
{
    static char text[400];
    const view_ops *ops = view_model_ops(p->m);
    char why[256];
    freshness_state fs = view_freshness(a, ops, why, sizeof why);
    *role = ROLE_DIM;
    if (fs == FRESH_LOADING)
        return term_san_flags() & SAN_ASCII ? "loading..." : "loading\xE2\x80\xA6";
    if (fs == FRESH_ERROR || fs == FRESH_FORBIDDEN) {
        *role = ROLE_BAD;
        snprintf(text, sizeof text, "%s", why);
        return text;
    }
    if (view_model_filter(p->m)[0]) {
        snprintf(text, sizeof text, "no rows match the filter \"%s\" (Esc clears it)", view_model_filter(p->m));
        return text;
    }
    return view_model_empty_text(p->m); /* a detail view whose object was deleted says so */
}

static void draw_pane(app *a, pane *p, WINDOW *w, int y, int h, bool focused)
{
    view_role role;
    const char *empty = empty_text_for(a, p, &role);
    char why[256];
    freshness_state fs = view_freshness(a, view_model_ops(p->m), why, sizeof why);
    bool stale = fs == FRESH_STALE || fs == FRESH_ERROR || fs == FRESH_FORBIDDEN;
    table_draw(w, y, 0, h, a->cols, p->m, &p->ts, focused, stale, empty, role);
}

static void draw_help(app *a, WINDOW *w, int y, int h)
{
    const char *s = buf_str(&a->help);
    int line = 0, skip = a->help_top;
    while (*s && line < h) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (skip > 0) {
            skip--;
        } else {
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), s);
            wmove(w, y + line, 0);
            int used = put_text(w, one, a->cols, line == 0 && a->help_top == 0 ? term_ui_attr(UI_COLUMN) : 0);
            fill_rest(w, used, a->cols, 0);
            line++;
        }
        s += n + (nl ? 1 : 0);
    }
    for (; line < h; line++) {
        wmove(w, y + line, 0);
        fill_rest(w, 0, a->cols, 0);
    }
}

static void draw_main(app *a)
{
    if (!a->d_main)
        return;
    WINDOW *w = a->w_main;
    int h = a->lines - 3;
    draw_tabs(a, w);
    if (a->mode == MODE_HELP) {
        draw_help(a, w, 1, h - 1);
    } else if (a->stats_open) {
        draw_pane(a, &a->stats, w, 1, h - 1, true);
    } else if (a->detail_open) {
        draw_detail_tabs(a, w, 1);
        draw_pane(a, &a->detail, w, 2, h - 2, true);
    } else if (a->n_panes && is_wide(a)) {
        int top_h = (h - 2) / 2;
        draw_pane(a, &a->panes[a->cur], w, 1, top_h, true);
        wmove(w, 1 + top_h, 0);
        char t[600];
        const glyphs *g = term_glyphs();
        if (a->sub_cluster.cluster_name[0])
            snprintf(t, sizeof t, "%s%s %s of %s/%s ", g->hline, g->hline, view_model_ops(a->sub.m)->title,
                     a->sub_cluster.cluster_ns, a->sub_cluster.cluster_name);
        else
            snprintf(t, sizeof t, "%s%s %s ", g->hline, g->hline, view_model_ops(a->sub.m)->title);
        int used = put_text(w, t, a->cols, term_ui_attr(UI_COLUMN));
        wattrset(w, 0);
        for (; used < a->cols; used++)
            waddstr(w, g->hline);
        draw_pane(a, &a->sub, w, 2 + top_h, h - 2 - top_h, false);
    } else if (a->n_panes) {
        draw_pane(a, &a->panes[a->cur], w, 1, h - 1, true);
    }
    wattrset(w, A_NORMAL);
    wnoutrefresh(w);
    a->d_main = false;
}

/* The request counts for the hint bar. They ride on paints that happen anyway (never waking the
 * screen) and move at most once a minute unless the hint bar is redrawn for its own reasons (a key,
 * a mode): a busy fleet repaints every second, and a counter ticking along would be noise. */
static void indicator_update(app *a)
{
    int64_t now = now_ms_monotonic();
    if (!a->d_hint && a->indicator.count && now - a->indicator_ms < INDICATOR_MIN_MS)
        return; /* (until the first requests are counted, any paint may show them) */
    transport *t = client_transport(a->cl);
    transport_counter total;
    memset(&total, 0, sizeof total);
    if (t)
        transport_counter_total(t, &total);
    a->indicator_ms = now;
    if (total.count != a->indicator.count || total.errors != a->indicator.errors) {
        a->indicator = total;
        a->d_hint = true;
    }
}

/* The indicator at the right end of the hint bar, after `used` cells of hints; the short form
 * (errors only) when the long one does not fit, nothing when neither does. Returns the cells used. */
static int draw_indicator(app *a, WINDOW *w, int used)
{
    if (!a->indicator.count || a->mode != MODE_NORMAL)
        return used;
    char text[48];
    stats_indicator(&a->indicator, false, text, sizeof text);
    int tw = text_width(text, term_san_flags());
    if (used + 2 + tw + 1 > a->cols) {
        stats_indicator(&a->indicator, true, text, sizeof text);
        tw = text_width(text, term_san_flags());
    }
    if (used + 2 + tw + 1 > a->cols)
        return used;
    fill_rest(w, used, a->cols - tw - 1, term_ui_attr(UI_HINT));
    used = a->cols - tw - 1;
    used += put_text(w, text, tw, term_ui_attr(UI_HINT));
    return used;
}

typedef struct hint {
    cmd_id id;
    const char *label;
} hint;

static void draw_hint(app *a)
{
    if (!a->d_hint)
        return;
    WINDOW *w = a->w_hint;
    wmove(w, 0, 0);
    int used = 0;
    static const hint normal[] = {{CMD_HELP, "help"},     {CMD_VIEW_NEXT, "pane"},  {CMD_FILTER, "filter"},
                                  {CMD_SORT_NEXT, "sort"}, {CMD_DETAIL, "details"}, {CMD_SCOPE_SET, "scope"},
                                  {CMD_COMMAND, "cmd"},   {CMD_QUIT, "quit"}};
    static const hint detail[] = {{CMD_HELP, "help"},         {CMD_DETAIL_NEXT, "next tab"}, {CMD_FILTER, "filter"},
                                  {CMD_SEARCH_NEXT, "next"}, {CMD_BACK, "back"},           {CMD_QUIT, "quit"}};
    static const hint stats[] = {{CMD_HELP, "help"}, {CMD_SORT_NEXT, "sort"}, {CMD_FILTER, "filter"},
                                 {CMD_BACK, "back"}, {CMD_QUIT, "quit"}};
    const hint *hs = a->stats_open ? stats : a->detail_open ? detail : normal;
    size_t n = a->stats_open    ? sizeof stats / sizeof stats[0]
               : a->detail_open ? sizeof detail / sizeof detail[0]
                                : sizeof normal / sizeof normal[0];
    const view_ops *ops = active_ops(a);
    if (a->mode == MODE_COMMAND && a->msg[0]) {
        /* Tab found several candidates: list them here, the prompt keeps the message line */
        used += put_text(w, " ", a->cols, term_ui_attr(UI_HINT));
        used += put_text(w, a->msg, a->cols - used, term_ui_attr(UI_HINT_KEY));
    } else if (a->mode == MODE_FILTER || a->mode == MODE_COMMAND) {
        used += put_text(w, " Enter: apply  Esc: cancel  Tab: complete", a->cols, term_ui_attr(UI_HINT));
    } else if (a->mode == MODE_HELP) {
        used += put_text(w, " j/k: scroll  any other key: close help", a->cols, term_ui_attr(UI_HINT));
    } else {
        for (size_t i = 0; i < n && used < a->cols; i++) {
            int key;
            if (!keymap_key_for(a->cfg->km, ops ? ops->name : NULL, keys_detail(a), hs[i].id, &key))
                continue;
            char kn[32], t[64];
            key_to_name(key, kn, sizeof kn);
            const char *label = hs[i].label;
            if (hs[i].id == CMD_FILTER)
                label = ops && (ops->flags & VIEW_TEXT) ? "search" : "filter";
            used += put_text(w, " ", a->cols - used, term_ui_attr(UI_HINT));
            used += put_text(w, kn, a->cols - used, term_ui_attr(UI_HINT_KEY));
            snprintf(t, sizeof t, " %s", label);
            used += put_text(w, t, a->cols - used, term_ui_attr(UI_HINT));
        }
    }
    used = draw_indicator(a, w, used);
    fill_rest(w, used, a->cols, term_ui_attr(UI_HINT));
    wnoutrefresh(w);
    a->d_hint = false;
}

static void draw_msg(app *a)
{
    if (!a->d_msg)
        return;
    WINDOW *w = a->w_msg;
    wmove(w, 0, 0);
    int used = 0;
    if (a->mode == MODE_FILTER || a->mode == MODE_COMMAND) {
        const view_ops *ops = active_ops(a);
        const char *lead = a->mode == MODE_COMMAND ? ":" : (ops && (ops->flags & VIEW_TEXT)) ? "search: " : "/";
        used += put_text(w, lead, a->cols, term_ui_attr(UI_PROMPT));
        used += put_text(w, a->prompt, a->cols - used - 1, term_ui_attr(UI_PROMPT));
        used += put_text(w, " ", a->cols - used, A_REVERSE); /* the cursor */
    } else if (a->msg[0]) {
        used += put_text(w, a->msg, a->cols, term_ui_attr(a->msg_error ? UI_ERROR : UI_MESSAGE));
    } else if (a->status[0]) {
        used += put_text(w, a->status, a->cols, term_role_attr(ROLE_STALE));
    }
    fill_rest(w, used, a->cols, 0);
    wnoutrefresh(w);
    a->d_msg = false;
}

/* The freshness words of the active view in full ("stale 40s, connection refused, retrying in
 * 8s"): the header and tab line cut them on a narrow terminal, the otherwise empty message line
 * does not. Marks the message line dirty only when the words changed. */
static void status_update(app *a)
{
    char text[sizeof a->status] = "";
    const view_ops *ops = active_ops(a);
    if (ops) {
        char why[256];
        freshness_state fs = view_freshness(a, ops, why, sizeof why);
        if (fs == FRESH_STALE) {
            snprintf(text, sizeof text, "%s %s (the last data is shown)", term_role_glyph(ROLE_STALE), why);
            if (text_width(text, term_san_flags()) > a->cols) /* the reason matters more than the note */
                snprintf(text, sizeof text, "%s %s", term_role_glyph(ROLE_STALE), why);
        } else if (fs == FRESH_ERROR || fs == FRESH_FORBIDDEN)
            snprintf(text, sizeof text, "%s %s", term_role_glyph(ROLE_STALE), why);
    }
    if (strcmp(text, a->status) != 0) {
        snprintf(a->status, sizeof a->status, "%s", text);
        if (!a->msg[0])
            a->d_msg = true;
    }
}

static void draw_too_small(app *a)
{
    werase(stdscr);
    char t[128];
    snprintf(t, sizeof t, "terminal too small: %dx%d, hcptui needs at least %dx%d", a->cols, a->lines, MIN_COLS,
             MIN_LINES);
    int y = a->lines / 2, x = (a->cols - (int)strlen(t)) / 2;
    mvwaddnstr(stdscr, y < 0 ? 0 : y, x < 0 ? 0 : x, t, a->cols > 0 ? a->cols : 0);
    mvwaddnstr(stdscr, (y < 0 ? 0 : y) + 1, 0, "  (q quits)", a->cols > 0 ? a->cols : 0);
    wnoutrefresh(stdscr);
}

static void paint(void *arg)
{
    app *a = arg;
    if (a->relayout) {
        relayout(a);
        if (a->too_small) {
            draw_too_small(a);
            doupdate();
            return;
        }
    }
    if (a->too_small)
        return;
    /* Store changes wait for their slot (REPAINT_MIN_MS); what a key asked for does not. */
    bool data_due = a->data_pending && !timers_armed(&a->timers, TIMER_COALESCE);
    if (data_due) {
        a->data_pending = false;
        a->last_data_paint_ms = now_ms_monotonic();
    }
    if (is_wide(a))
        sub_scope_update(a); /* the lower pane follows the selection, whatever moved it */
    if (data_due || sync_due(a))
        sync_views(a);
    status_update(a);
    bool any = a->d_header || a->d_main || a->d_hint || a->d_msg;
    if (!any)
        return;
    indicator_update(a); /* rides on a paint that happens anyway: it never wakes the screen */
    bool drew = a->d_main || a->d_hint || a->d_msg;
    drew |= draw_header(a); /* only when its text changed */
    draw_main(a);
    draw_hint(a);
    draw_msg(a);
    if (a->clear_screen) {
        clearok(curscr, TRUE);
        a->clear_screen = false;
    }
    if (drew)
        doupdate();
}

/* ---- views and details -------------------------------------------------------------------------- */

static void pane_reset(pane *p, const view_ops *ops)
{
    view_model_free(p->m);
    memset(p, 0, sizeof *p);
    if (ops)
        p->m = view_model_new(ops);
}

static void stats_close(app *a);

static void switch_pane(app *a, size_t i)
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

static void stats_open(app *a)
{
    stats_source src = {.counters = stats_counters, .total = stats_total, .freshness = stats_freshness, .ud = a};
    stats_view_bind(&src);
    pane_reset(&a->stats, stats_view());
    pane_refresh(a, &a->stats, NULL);
    a->stats_open = true;
    timers_set(&a->timers, TIMER_STATS, now_ms_monotonic() + STATS_REFRESH_MS);
    a->d_main = a->d_hint = a->d_header = true;
}

static void stats_close(app *a)
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

static void detail_show(app *a, size_t i)
{
    if (i >= a->n_details)
        return;
    a->dcur = i;
    pane_reset(&a->detail, a->details[i]);
    a->force_refresh = true;
    a->d_main = a->d_hint = true;
}

static void detail_open(app *a, const view_ops *want)
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
        app_message(a, true, "no details for a %s", o.kind);
        return;
    }
    size_t start = 0;
    if (want) {
        for (start = 0; start < n && ds[start] != want; start++)
            ;
        if (start == n) {
            app_message(a, true, "%s has no %s view", o.kind, want->title);
            return;
        }
    }
    if (!a->detail_open) {
        a->target = o;
        res_kind k;
        if (res_kind_of(o.kind, &k))
            client_focus(a->cl, k, o.ns, o.name);
        a->detail_open = true;
    }
    memcpy(a->details, ds, n * sizeof ds[0]);
    a->n_details = n;
    a->search[0] = '\0';
    detail_show(a, start);
    a->d_header = true;
}

static void detail_close(app *a)
{
    if (!a->detail_open)
        return;
    a->detail_open = false;
    client_unfocus(a->cl);
    pane_reset(&a->detail, NULL);
    a->force_refresh = true;
    a->d_main = a->d_hint = a->d_header = true;
}

static void scope_set(app *a, const char *ns, const char *name)
{
    snprintf(a->scope_cluster_ns, sizeof a->scope_cluster_ns, "%s", ns ? ns : "");
    snprintf(a->scope_cluster_name, sizeof a->scope_cluster_name, "%s", name ? name : "");
    a->force_refresh = true;
    a->d_main = a->d_header = true;
}

/* ---- help --------------------------------------------------------------------------------------- */

static void help_build(app *a)
{
    const view_ops *ops = active_ops(a);
    buf_reset(&a->help);
    help_text(a->cfg->km, ops ? ops->name : NULL, ops ? ops->title : NULL, keys_detail(a), &a->help);
    a->help_top = 0;
}

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
                    app_message(a, true, "%s has no %s view", a->target.kind, c->view->title);
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
static bool front_waits_for_data(app *a)
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
static void models_catch_up(app *a)
{
    if (a->too_small)
        return;
    store *st = client_store(a->cl);
    if (keyq_sync_behind(&a->front_sync, store_changes(st), store_focus_changes(st)))
        sync_views(a);
}

/* Runs the held keys in order while nothing loads (all of them when forced: the wait is over),
 * each on models brought up to the data it waited for. */
static void held_keys_run(app *a, bool force)
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

static void on_key(void *arg, int key)
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

/* ---- the loop's hooks --------------------------------------------------------------------------- */

static int64_t ms_to_next_minute(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t into = (int64_t)(tv.tv_sec % 60) * 1000 + tv.tv_usec / 1000;
    return 60000 - into + 50; /* just past the boundary, so ages have ticked */
}

static void on_timer(void *arg, int id)
{
    app *a = arg;
    if (id == TIMER_MINUTE) {
        a->force_refresh = true; /* ages and time left are minute-grained */
        timers_set(&a->timers, TIMER_MINUTE, now_ms_monotonic() + ms_to_next_minute());
    } else if (id == TIMER_FRESHNESS) {
        a->d_header = true;
        a->d_main = true;
    } else if (id == TIMER_KEYHOLD) {
        held_keys_run(a, true); /* waited long enough: the keys act on what is there */
    } else if (id == TIMER_STATS && a->stats_open) {
        a->force_refresh = true; /* redrawn only when a number moved */
        timers_set(&a->timers, TIMER_STATS, now_ms_monotonic() + STATS_REFRESH_MS);
    }
}

static int wait_hook(void *arg, int timeout_ms, bool *ready)
{
    app *a = arg;
    int rc = client_poll(a->cl, STDIN_FILENO, timeout_ms, ready);
    if (rc < 0) {
        /* The network layer failed for good: say so once, and still wait for keys rather than spin. */
        if (!a->net_failed) {
            a->net_failed = true;
            app_message(a, true, "network loop failed: data is no longer updated (q quits)");
        }
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        *ready = poll(&pfd, 1, timeout_ms) > 0;
    }
    return rc;
}

static int net_timeout_hook(void *arg)
{
    app *a = arg;
    return client_next_timeout_ms(a->cl);
}

static bool any_not_live(app *a)
{
    for (size_t i = 0; i < sizeof dep_kinds / sizeof dep_kinds[0]; i++) {
        client_freshness f;
        if (client_freshness_get(a->cl, dep_kinds[i], &f) && f.state != FRESH_OFF && f.state != FRESH_LIVE)
            return true;
    }
    return false;
}

static void after_wait(void *arg)
{
    app *a = arg;
    store *st = client_store(a->cl);
    if (store_changes(st) != a->seen_changes || store_focus_changes(st) != a->seen_focus) {
        int64_t now = now_ms_monotonic();
        if (!a->data_pending) {
            a->data_pending = true;
            int64_t due = a->last_data_paint_ms + REPAINT_MIN_MS;
            if (due > now)
                timers_arm_min(&a->timers, TIMER_COALESCE, due);
        }
    }
    /* Freshness words ("stale 40s") move while a watch is down: show them, at a gentle pace. */
    if (any_not_live(a)) {
        if (!timers_armed(&a->timers, TIMER_FRESHNESS))
            timers_set(&a->timers, TIMER_FRESHNESS, now_ms_monotonic() + 1000);
        a->d_header = true; /* redrawn only if its text changed */
    }
    held_keys_run(a, false); /* the data a held key waited for may be here now */
}

static bool done_hook(void *arg)
{
    app *a = arg;
    return a->quit || (a->cfg->stop && *a->cfg->stop);
}

client *app_run(const app_config *cfg)
{
    app *a = xcalloc(1, sizeof *a);
    a->cfg = cfg;
    a->cl = cfg->cl;
    a->seen_changes = a->seen_focus = (uint64_t)-1;
    if (cfg->ns)
        snprintf(a->scope_ns, sizeof a->scope_ns, "%s", cfg->ns);
    const view_ops *ps[MAX_PANES];
    a->n_panes = view_panes(ps, MAX_PANES);
    for (size_t i = 0; i < a->n_panes; i++) {
        a->panes[i].m = view_model_new(ps[i]);
        if (cfg->start_pane && strcmp(ps[i]->name, cfg->start_pane) == 0)
            a->cur = i;
    }
    const view_ops *np = view_find("nodepools");
    if (np)
        a->sub.m = view_model_new(np);
    if (cfg->start_message && cfg->start_message[0])
        app_message(a, true, "%s", cfg->start_message);
    a->relayout = true;
    timers_set(&a->timers, TIMER_MINUTE, now_ms_monotonic() + ms_to_next_minute());

    loop_hooks h = {
        .arg = a,
        .wait = wait_hook,
        .next_network_timeout = net_timeout_hook,
        .read_key = term_read_key,
        .on_key = on_key,
        .on_timer = on_timer,
        .after_wait = after_wait,
        .paint = paint,
        .done = done_hook,
    };
    loop_run(&h, &a->timers);

    client *cl = a->cl;
    if (a->detail_open)
        client_unfocus(cl);
    for (size_t i = 0; i < a->n_panes; i++)
        pane_reset(&a->panes[i], NULL);
    pane_reset(&a->sub, NULL);
    pane_reset(&a->detail, NULL);
    pane_reset(&a->stats, NULL);
    stats_view_bind(NULL);
    windows_free(a);
    buf_free(&a->help);
    free(a);
    return cl;
}
