/* The console's drawing (see app_internal.h): the header, tab line, panes (and the wide split),
 * hint bar and message line, each into its window when dirty; paint() ends with one doupdate. */
#include "tui/app_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "tui/command.h"
#include "tui/keymap.h"
#include "tui/keys.h"
#include "tui/sanitize.h"
#include "tui/stats.h"
#include "tui/term.h"

void windows_free(app *a)
{
    WINDOW **ws[] = {&a->w_header, &a->w_main, &a->w_hint, &a->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        if (*ws[i])
            delwin(*ws[i]);
        *ws[i] = NULL;
    }
}

void relayout(app *a)
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
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        client_freshness f;
        if (!client_freshness_get(a->cl, (res_kind)k, &f) || f.state == FRESH_OFF)
            continue;
        polling |= f.polling;
        if (f.state == FRESH_LIVE)
            continue;
        char t[160];
        client_freshness_text(&f, now_ms_monotonic(), t, sizeof t);
        buf_printf(&b, " %s %s %s", sep, kind_info_of((res_kind)k)->label, t);
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
    snprintf(t, sizeof t, " %s %s/%s ", res_kind_name(a->target.kind), a->target.ns, a->target.name);
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

void paint(void *arg)
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

