/* The console's drawing (see console.h): the header, tab line, panes (and the wide split), the top
 * layer, hint bar and message line, each into its window when dirty; a paint ends with one
 * doupdate. It reads the pane set, the layers and the message line and changes none of them. */
#include "tui/console.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/timeutil.h"
#include "tui/draw.h"
#include "tui/keymap.h"
#include "tui/keys.h"
#include "tui/sanitize.h"
#include "tui/stats.h"
#include "tui/term.h"

void screen_free(screen *sc)
{
    WINDOW **ws[] = {&sc->w_header, &sc->w_main, &sc->w_hint, &sc->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        if (*ws[i])
            delwin(*ws[i]);
        *ws[i] = NULL;
    }
}

static void relayout(console *c)
{
    screen *sc = &c->sc;
    screen_free(sc);
    getmaxyx(stdscr, sc->lines, sc->cols);
    sc->too_small = sc->cols < MIN_COLS || sc->lines < MIN_LINES;
    werase(stdscr);
    wnoutrefresh(stdscr); /* stdscr is the key window: keep it clean so getch never repaints it */
    if (!sc->too_small) {
        sc->w_header = newwin(1, sc->cols, 0, 0);
        sc->w_main = newwin(sc->lines - 3, sc->cols, 1, 0);
        sc->w_hint = newwin(1, sc->cols, sc->lines - 2, 0);
        sc->w_msg = newwin(1, sc->cols, sc->lines - 1, 0);
    }
    sc->dirty = RD_ALL;
    sc->last_header[0] = '\0';
    sc->relayout = false;
    c->ps.wide_screen = sc->cols >= WIDE_COLS && sc->lines >= WIDE_LINES;
    paneset_force(&c->ps);
}

static void header_text(console *c, char *out, size_t outlen)
{
    const app_identity *id = c->cfg->id;
    const char *sep = term_glyphs()->sep;
    buf b = BUF_INIT;
    /* Most important first: a narrow terminal cuts from the right. */
    buf_printf(&b, " hcptui %s ctx %s %s ns %s", sep, id->context[0] ? id->context : "-", sep,
               c->ps.scope_ns[0] ? c->ps.scope_ns : "all");
    if (c->ps.scope_cluster_name[0])
        buf_printf(&b, " %s cluster %s/%s", sep, c->ps.scope_cluster_ns, c->ps.scope_cluster_name);
    /* freshness per kind: "live" when all are, else the ones that are not */
    bool all_live = true, polling = false;
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        client_freshness f;
        if (!client_freshness_get(c->cl, (res_kind)k, &f) || f.state == FRESH_OFF)
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
    if (all_live && polling && c->cfg->refresh_seconds > 0)
        buf_printf(&b, " %s polling %ds", sep, c->cfg->refresh_seconds);
    else if (all_live)
        buf_printf(&b, " %s %s", sep, polling ? "polling" : "live");
    buf_printf(&b, " %s %s", sep, id->server);
    if (id->user[0])
        buf_printf(&b, " %s user %s", sep, id->user);
    snprintf(out, outlen, "%s", buf_str(&b));
    buf_free(&b);
}

static bool draw_header(console *c)
{
    char text[1024];
    header_text(c, text, sizeof text);
    char badge[320] = "";
    if (c->cfg->read_only)
        snprintf(badge, sizeof badge, " READ-ONLY ");
    else if (c->identity_read_only) /* the identity may not write: say why nothing can act */
        snprintf(badge, sizeof badge, " READ-ONLY (this identity may only read) ");
    if (c->cfg->id->warning[0])
        snprintf(badge + strlen(badge), sizeof badge - strlen(badge), " %s ", c->cfg->id->warning);
    char key[sizeof text + sizeof badge + 16];
    snprintf(key, sizeof key, "%d|%s|%s", c->sc.cols, text, badge);
    if (!(c->sc.dirty & RD_HEADER) || strcmp(key, c->sc.last_header) == 0) {
        c->sc.dirty &= ~RD_HEADER;
        return false;
    }
    snprintf(c->sc.last_header, sizeof c->sc.last_header, "%s", key);
    WINDOW *w = c->sc.w_header;
    int bw = badge[0] ? text_width(badge, term_san_flags()) : 0;
    if (bw > c->sc.cols / 2)
        bw = c->sc.cols / 2;
    wmove(w, 0, 0);
    int used = draw_text(w, text, c->sc.cols - bw, term_ui_attr(UI_HEADER));
    draw_fill(w, used, c->sc.cols - bw, term_ui_attr(UI_HEADER));
    if (bw)
        draw_text(w, badge, bw, term_ui_attr(UI_BADGE));
    wnoutrefresh(w);
    c->sc.dirty &= ~RD_HEADER;
    return true;
}

/* The tab line: the four panes by number, the current one marked, then the pane's state. */
static void draw_tabs(console *c, WINDOW *w)
{
    wmove(w, 0, 0);
    int used = 0;
    for (size_t i = 0; i < c->ps.n_panes; i++) {
        const view_ops *ops = view_model_ops(c->ps.panes[i].m);
        bool cur = !c->ps.detail_open && !c->ps.stats_open && i == c->ps.cur;
        char t[128];
        snprintf(t, sizeof t, cur ? "[%zu %s]" : " %zu %s ", i + 1, ops->title);
        used += draw_text(w, t, c->sc.cols - used, term_ui_attr(cur ? UI_TAB_ACTIVE : UI_TAB));
        used += draw_text(w, " ", c->sc.cols - used, 0);
    }
    pane *p = paneset_active(&c->ps);
    if (p && p->m && used < c->sc.cols) {
        const view_ops *ops = view_model_ops(p->m);
        buf b = BUF_INIT;
        if (c->ps.detail_open || c->ps.stats_open)
            buf_printf(&b, " %s ", ops->title);
        size_t shown, total;
        pane_counts(p, &shown, &total);
        buf_printf(&b, " %zu/%zu", shown, total);
        if (view_model_filter(p->m)[0])
            buf_printf(&b, "  filter: %s", view_model_filter(p->m));
        used += draw_text(w, buf_str(&b), c->sc.cols - used, 0);
        buf_free(&b);
        char why[256];
        freshness_state fs = paneset_freshness(&c->ps, ops, why, sizeof why);
        if (fs == FRESH_STALE || fs == FRESH_ERROR || fs == FRESH_FORBIDDEN) {
            char t[300];
            snprintf(t, sizeof t, "  %s %s", term_role_glyph(ROLE_STALE), why);
            used += draw_text(w, t, c->sc.cols - used, term_role_attr(fs == FRESH_STALE ? ROLE_STALE : ROLE_BAD));
        }
    }
    draw_fill(w, used, c->sc.cols, 0);
}

static void draw_detail_tabs(console *c, WINDOW *w, int y)
{
    wmove(w, y, 0);
    char t[600];
    snprintf(t, sizeof t, " %s %s/%s ", res_kind_name(c->ps.target.kind), c->ps.target.ns, c->ps.target.name);
    int used = draw_text(w, t, c->sc.cols, term_role_attr(ROLE_ACCENT));
    for (size_t i = 0; i < c->ps.n_details && used < c->sc.cols; i++) {
        bool cur = i == c->ps.dcur;
        snprintf(t, sizeof t, cur ? "[%s]" : " %s ", c->ps.details[i]->title);
        used += draw_text(w, t, c->sc.cols - used, term_ui_attr(cur ? UI_TAB_ACTIVE : UI_TAB));
        used += draw_text(w, " ", c->sc.cols - used, 0);
    }
    draw_fill(w, used, c->sc.cols, 0);
}

static const char *empty_text_for(console *c, pane *p, view_role *role)
{
    static char text[400];
    const view_ops *ops = view_model_ops(p->m);
    char why[256];
    freshness_state fs = paneset_freshness(&c->ps, ops, why, sizeof why);
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

static void draw_pane(console *c, pane *p, WINDOW *w, int y, int h, bool focused)
{
    view_role role;
    const char *empty = empty_text_for(c, p, &role);
    char why[256];
    freshness_state fs = paneset_freshness(&c->ps, view_model_ops(p->m), why, sizeof why);
    bool stale = fs == FRESH_STALE || fs == FRESH_ERROR || fs == FRESH_FORBIDDEN;
    table_draw(w, y, 0, h, c->sc.cols, p->m, &p->ts, focused, stale, empty, role);
}

static void draw_main(console *c)
{
    if (!(c->sc.dirty & RD_MAIN))
        return;
    WINDOW *w = c->sc.w_main;
    int h = c->sc.lines - 3;
    draw_tabs(c, w);
    const layer *top = layer_top_const(&c->layers);
    if (top && top->ops->draw_main) {
        top->ops->draw_main(c, top, w, 1, h - 1, c->sc.cols);
    } else if (c->ps.stats_open) {
        draw_pane(c, &c->ps.stats, w, 1, h - 1, true);
    } else if (c->ps.detail_open) {
        draw_detail_tabs(c, w, 1);
        draw_pane(c, &c->ps.detail, w, 2, h - 2, true);
    } else if (c->ps.n_panes && paneset_is_wide(&c->ps)) {
        int top_h = (h - 2) / 2;
        draw_pane(c, &c->ps.panes[c->ps.cur], w, 1, top_h, true);
        wmove(w, 1 + top_h, 0);
        char t[600];
        const glyphs *g = term_glyphs();
        if (c->ps.sub_cluster.cluster_name[0])
            snprintf(t, sizeof t, "%s%s %s of %s/%s ", g->hline, g->hline, view_model_ops(c->ps.sub.m)->title,
                     c->ps.sub_cluster.cluster_ns, c->ps.sub_cluster.cluster_name);
        else
            snprintf(t, sizeof t, "%s%s %s ", g->hline, g->hline, view_model_ops(c->ps.sub.m)->title);
        int used = draw_text(w, t, c->sc.cols, term_ui_attr(UI_COLUMN));
        wattrset(w, 0);
        for (; used < c->sc.cols; used++)
            waddstr(w, g->hline);
        draw_pane(c, &c->ps.sub, w, 2 + top_h, h - 2 - top_h, false);
    } else if (c->ps.n_panes) {
        draw_pane(c, &c->ps.panes[c->ps.cur], w, 1, h - 1, true);
    }
    wattrset(w, A_NORMAL);
    wnoutrefresh(w);
    c->sc.dirty &= ~RD_MAIN;
}

/* The request counts for the hint bar. They ride on paints that happen anyway (never waking the
 * screen) and move at most once a minute unless the hint bar is redrawn for its own reasons (a key,
 * a mode): a busy fleet repaints every second, and a counter ticking along would be noise. */
static void indicator_update(console *c)
{
    int64_t now = now_ms_monotonic();
    if (!(c->sc.dirty & RD_HINT) && c->sc.indicator.count && now - c->sc.indicator_ms < INDICATOR_MIN_MS)
        return; /* (until the first requests are counted, any paint may show them) */
    transport *t = client_transport(c->cl);
    transport_counter total;
    memset(&total, 0, sizeof total);
    if (t)
        transport_counter_total(t, &total);
    c->sc.indicator_ms = now;
    if (total.count != c->sc.indicator.count || total.errors != c->sc.indicator.errors) {
        c->sc.indicator = total;
        c->sc.dirty |= RD_HINT;
    }
}

/* The indicator at the right end of the hint bar, after `used` cells of hints; the short form
 * (errors only) when the long one does not fit, nothing when neither does. Returns the cells used. */
static int draw_indicator(console *c, WINDOW *w, int used)
{
    if (!c->sc.indicator.count || c->layers.n)
        return used;
    char text[48];
    stats_indicator(&c->sc.indicator, false, text, sizeof text);
    int tw = text_width(text, term_san_flags());
    if (used + 2 + tw + 1 > c->sc.cols) {
        stats_indicator(&c->sc.indicator, true, text, sizeof text);
        tw = text_width(text, term_san_flags());
    }
    if (used + 2 + tw + 1 > c->sc.cols)
        return used;
    draw_fill(w, used, c->sc.cols - tw - 1, term_ui_attr(UI_HINT));
    used = c->sc.cols - tw - 1;
    used += draw_text(w, text, tw, term_ui_attr(UI_HINT));
    return used;
}

typedef struct hint {
    const char *command;
    const char *label;
} hint;

static const hint normal_hints[] = {{"help", "help"},     {"view.next", "pane"},  {"filter", "filter"},
                                    {"sort.next", "sort"}, {"detail", "details"}, {"scope.set", "scope"},
                                    {"command", "cmd"},    {"quit", "quit"}};
static const hint detail_hints[] = {{"help", "help"},         {"detail.next", "next tab"}, {"filter", "filter"},
                                    {"search.next", "next"}, {"back", "back"},            {"quit", "quit"}};
static const hint stats_hints[] = {{"help", "help"}, {"sort.next", "sort"}, {"filter", "filter"},
                                   {"back", "back"}, {"quit", "quit"}};

/* The keys of the view in front, by the active keymap: "? help Tab pane / filter ...". */
static int draw_view_hints(console *c, WINDOW *w)
{
    const paneset *ps = &c->ps;
    const hint *hs = ps->stats_open ? stats_hints : ps->detail_open ? detail_hints : normal_hints;
    size_t n = ps->stats_open    ? sizeof stats_hints / sizeof stats_hints[0]
               : ps->detail_open ? sizeof detail_hints / sizeof detail_hints[0]
                                 : sizeof normal_hints / sizeof normal_hints[0];
    const view_ops *ops = paneset_active_ops(&c->ps);
    int used = 0;
    for (size_t i = 0; i < n && used < c->sc.cols; i++) {
        int key;
        if (!keymap_key_for(c->cfg->km, ops ? ops->name : NULL, paneset_keys_detail(ps), hs[i].command, &key))
            continue;
        char kn[32], t[64];
        key_to_name(key, kn, sizeof kn);
        const char *label = hs[i].label;
        if (strcmp(hs[i].command, "filter") == 0)
            label = ops && (ops->flags & VIEW_TEXT) ? "search" : "filter";
        used += draw_text(w, " ", c->sc.cols - used, term_ui_attr(UI_HINT));
        used += draw_text(w, kn, c->sc.cols - used, term_ui_attr(UI_HINT_KEY));
        snprintf(t, sizeof t, " %s", label);
        used += draw_text(w, t, c->sc.cols - used, term_ui_attr(UI_HINT));
    }
    return used;
}

static void draw_hint(console *c)
{
    if (!(c->sc.dirty & RD_HINT))
        return;
    WINDOW *w = c->sc.w_hint;
    wmove(w, 0, 0);
    int used = 0;
    const layer *top = layer_top_const(&c->layers);
    if (top && top->ops->hint) {
        char text[600];
        bool emphasis = top->ops->hint(c, top, text, sizeof text);
        used += draw_text(w, " ", c->sc.cols, term_ui_attr(UI_HINT));
        used += draw_text(w, text, c->sc.cols - used, term_ui_attr(emphasis ? UI_HINT_KEY : UI_HINT));
    } else {
        used = draw_view_hints(c, w);
    }
    used = draw_indicator(c, w, used);
    draw_fill(w, used, c->sc.cols, term_ui_attr(UI_HINT));
    wnoutrefresh(w);
    c->sc.dirty &= ~RD_HINT;
}

static void draw_msg(console *c)
{
    if (!(c->sc.dirty & RD_MSG))
        return;
    WINDOW *w = c->sc.w_msg;
    wmove(w, 0, 0);
    const layer *top = layer_top_const(&c->layers);
    if (top && top->ops->draw_msg) {
        top->ops->draw_msg(c, top, w, c->sc.cols);
    } else {
        int used = 0;
        if (c->msg.text[0])
            used += draw_text(w, c->msg.text, c->sc.cols, term_ui_attr(c->msg.error ? UI_ERROR : UI_MESSAGE));
        else if (c->sc.status[0])
            used += draw_text(w, c->sc.status, c->sc.cols, term_role_attr(ROLE_STALE));
        draw_fill(w, used, c->sc.cols, 0);
    }
    wnoutrefresh(w);
    c->sc.dirty &= ~RD_MSG;
}

/* The freshness words of the active view in full ("stale 40s, connection refused, retrying in
 * 8s"): the header and tab line cut them on a narrow terminal, the otherwise empty message line
 * does not. Marks the message line dirty only when the words changed. */
static void status_update(console *c)
{
    char text[sizeof c->sc.status] = "";
    const view_ops *ops = paneset_active_ops(&c->ps);
    if (ops) {
        char why[256];
        freshness_state fs = paneset_freshness(&c->ps, ops, why, sizeof why);
        if (fs == FRESH_STALE) {
            snprintf(text, sizeof text, "%s %s (the last data is shown)", term_role_glyph(ROLE_STALE), why);
            if (text_width(text, term_san_flags()) > c->sc.cols) /* the reason matters more than the note */
                snprintf(text, sizeof text, "%s %s", term_role_glyph(ROLE_STALE), why);
        } else if (fs == FRESH_ERROR || fs == FRESH_FORBIDDEN)
            snprintf(text, sizeof text, "%s %s", term_role_glyph(ROLE_STALE), why);
    }
    if (strcmp(text, c->sc.status) != 0) {
        snprintf(c->sc.status, sizeof c->sc.status, "%s", text);
        if (!c->msg.text[0])
            c->sc.dirty |= RD_MSG;
    }
}

static void draw_too_small(console *c)
{
    werase(stdscr);
    char t[128];
    snprintf(t, sizeof t, "terminal too small: %dx%d, hcptui needs at least %dx%d", c->sc.cols, c->sc.lines, MIN_COLS,
             MIN_LINES);
    int y = c->sc.lines / 2, x = (c->sc.cols - (int)strlen(t)) / 2;
    mvwaddnstr(stdscr, y < 0 ? 0 : y, x < 0 ? 0 : x, t, c->sc.cols > 0 ? c->sc.cols : 0);
    mvwaddnstr(stdscr, (y < 0 ? 0 : y) + 1, 0, "  (q quits)", c->sc.cols > 0 ? c->sc.cols : 0);
    wnoutrefresh(stdscr);
}

void screen_paint(console *c)
{
    if (c->headless)
        return;
    if (c->sc.relayout) {
        relayout(c);
        if (c->sc.too_small) {
            draw_too_small(c);
            doupdate();
            return;
        }
    }
    if (c->sc.too_small)
        return;
    console_sync(c);
    status_update(c);
    if (!(c->sc.dirty & RD_ALL))
        return;
    indicator_update(c); /* rides on a paint that happens anyway: it never wakes the screen */
    bool drew = (c->sc.dirty & (RD_MAIN | RD_HINT | RD_MSG)) != 0;
    drew |= draw_header(c); /* only when its text changed */
    draw_main(c);
    draw_hint(c);
    draw_msg(c);
    if (c->sc.clear) {
        clearok(curscr, TRUE);
        c->sc.clear = false;
    }
    if (drew)
        doupdate();
}

void screen_text(const console *c, buf *out)
{
    if (c->headless || !curscr)
        return;
    int lines, cols;
    getmaxyx(curscr, lines, cols);
    wchar_t *w = xcalloc((size_t)cols + 1, sizeof *w);
    for (int y = 0; y < lines; y++) {
        int n = mvwinnwstr(curscr, y, 0, w, cols);
        size_t start = out->len;
        mbstate_t st;
        memset(&st, 0, sizeof st);
        for (int i = 0; i < n && w[i]; i++) {
            char mb[MB_LEN_MAX];
            size_t k = wcrtomb(mb, w[i], &st);
            if (k == (size_t)-1) { /* not in this locale's charset (ASCII mode): a placeholder */
                memset(&st, 0, sizeof st);
                buf_putc(out, '?');
            } else {
                buf_append(out, mb, k);
            }
        }
        while (out->len > start && out->data[out->len - 1] == ' ')
            out->data[--out->len] = '\0';
        buf_putc(out, '\n');
    }
    free(w);
}
