/* The table widget (see table.h). */
#include "tui/table.h"

#include <stdio.h>
#include <string.h>

#include "tui/sanitize.h"
#include "tui/term.h"

#define MARKER_WIDTH 2 /* row state symbol and a space */

void table_measure(table_state *ts, const view_model *m, unsigned san_flags)
{
    const view_ops *ops = view_model_ops(m);
    size_t nc = ops->n_columns < LAYOUT_MAX_COLUMNS ? ops->n_columns : LAYOUT_MAX_COLUMNS;
    bool descending;
    int sort = view_model_sort_column(m, &descending);
    layout_measure(m, san_flags, ts->natural);
    /* room for the sort arrow after the title */
    if (sort >= 0 && (size_t)sort < nc) {
        int tw = text_width(ops->columns[sort].title, san_flags) + 2;
        if (ts->natural[sort] < tw)
            ts->natural[sort] = tw;
    }
    ts->measured = true;
}

static bool is_text_view(const view_model *m)
{
    return (view_model_ops(m)->flags & VIEW_TEXT) != 0;
}

int table_page_rows(const view_model *m, int h)
{
    int rows = is_text_view(m) ? h : h - 1;
    return rows < 1 ? 1 : rows;
}

/* Writes sanitized text at the cursor, at most width cells, padded with spaces. */
static void put_fit(WINDOW *w, const char *text, int width, int attr)
{
    char out[2048];
    layout_fit(text, width, term_san_flags(), out, sizeof out);
    wattrset(w, attr);
    waddstr(w, out);
}

static void draw_header(WINDOW *w, int y, int x, int width, const view_model *m, const int *widths, size_t nc)
{
    const view_ops *ops = view_model_ops(m);
    const glyphs *g = term_glyphs();
    bool descending;
    int sort = view_model_sort_column(m, &descending);
    int attr = term_ui_attr(UI_COLUMN);
    wmove(w, y, x);
    wattrset(w, attr);
    for (int i = 0; i < MARKER_WIDTH; i++)
        waddch(w, ' ');
    int used = MARKER_WIDTH;
    bool first = true;
    for (size_t c = 0; c < nc && used < width; c++) {
        if (!widths[c])
            continue;
        if (!first) {
            put_fit(w, "", LAYOUT_SEP, attr);
            used += LAYOUT_SEP;
        }
        first = false;
        int cw = widths[c] < width - used ? widths[c] : width - used;
        char title[256];
        layout_header_title(ops->columns[c].title, (int)c == sort ? (descending ? g->sort_down : g->sort_up) : NULL,
                            cw, term_san_flags(), title, sizeof title);
        if (ops->columns[c].align_right) {
            int tw = text_width(title, term_san_flags());
            int pad = cw - tw;
            for (int i = 0; i < pad; i++)
                waddch(w, ' ');
            put_fit(w, title, cw - (pad > 0 ? pad : 0), attr);
        } else {
            put_fit(w, title, cw, attr);
        }
        used += cw;
    }
    if (used < width)
        put_fit(w, "", width - used, attr);
}

static bool row_marked(const table_state *ts, const view_model *m, size_t row)
{
    view_object o;
    if (!ts->n_marks || !view_model_row_object(m, row, &o))
        return false;
    for (size_t i = 0; i < ts->n_marks; i++)
        if (view_object_equal(&ts->marks[i], &o))
            return true;
    return false;
}

static void draw_row(WINDOW *w, int y, int x, int width, const view_model *m, size_t row, const int *widths,
                     size_t nc, bool selected, bool text_view, bool stale, bool marked)
{
    const view_ops *ops = view_model_ops(m);
    int sel_attr = (selected ? term_ui_attr(UI_SELECTED) : 0) | (stale ? (int)A_DIM : 0);
    view_cell cell;
    wmove(w, y, x);
    if (view_model_row_is_heading(m, row)) {
        /* A heading spans the row: its cells joined. */
        char text[VIEW_CELL_MAX * 4] = "";
        size_t len = 0;
        for (size_t c = 0; c < ops->n_columns; c++) {
            view_model_cell(m, row, c, &cell);
            if (!cell.text[0])
                continue;
            int n = snprintf(text + len, sizeof text - len, "%s%s", len ? "  " : "", cell.text);
            if (n < 0 || (size_t)n >= sizeof text - len)
                break;
            len += (size_t)n;
        }
        put_fit(w, text, width, term_role_attr(ROLE_HEADING) | sel_attr);
        return;
    }
    int used = 0;
    if (!text_view) {
        view_role rr = view_model_row_role(m, row);
        char marker[16];
        snprintf(marker, sizeof marker, "%s", term_role_glyph(rr));
        put_fit(w, marker, 1, term_role_attr(rr) | sel_attr);
        put_fit(w, marked ? "*" : "", MARKER_WIDTH - 1, (marked ? term_role_attr(ROLE_ACCENT) : 0) | sel_attr);
        used = MARKER_WIDTH;
    }
    bool first = true;
    for (size_t c = 0; c < nc && used < width; c++) {
        if (!widths[c])
            continue;
        if (!first) {
            put_fit(w, "", LAYOUT_SEP, sel_attr);
            used += LAYOUT_SEP;
        }
        first = false;
        int cw = widths[c] < width - used ? widths[c] : width - used;
        view_model_cell(m, row, c, &cell);
        char out[4096];
        layout_cell_text(&cell, cw, ops->columns[c].align_right, term_san_flags(), out, sizeof out);
        wattrset(w, term_role_attr(cell.role) | sel_attr);
        waddstr(w, out);
        used += cw;
    }
    if (used < width)
        put_fit(w, "", width - used, sel_attr);
}

void table_draw(WINDOW *w, int y, int x, int h, int width, const view_model *m, table_state *ts, bool focused,
                bool stale, const char *empty_text, view_role empty_role)
{
    if (h <= 0 || width <= 0)
        return;
    const view_ops *ops = view_model_ops(m);
    bool text_view = is_text_view(m);
    size_t nc = ops->n_columns < LAYOUT_MAX_COLUMNS ? ops->n_columns : LAYOUT_MAX_COLUMNS;
    if (!ts->measured)
        table_measure(ts, m, term_san_flags());
    int widths[LAYOUT_MAX_COLUMNS] = {0};
    int avail = text_view ? width : width - MARKER_WIDTH;
    if (text_view && nc > 0) {
        widths[0] = width; /* one column: the line, cut at the edge */
        for (size_t c = 1; c < nc; c++)
            widths[c] = 0;
    } else {
        layout_columns(ops->columns, nc, ts->natural, avail, widths);
    }
    int line = 0;
    if (!text_view) {
        draw_header(w, y, x, width, m, widths, nc);
        line = 1;
    }
    size_t rows = view_model_rows(m);
    int page = h - line;
    if (rows == 0) {
        wmove(w, y + line, x);
        put_fit(w, "", 2, 0);
        put_fit(w, empty_text ? empty_text : "", width - 2, term_role_attr(empty_role));
        line++;
    } else {
        size_t sel = view_model_selected(m);
        if (ts->top < 0 || (size_t)ts->top > sel)
            ts->top = (int)sel;
        if (page > 0 && sel >= (size_t)ts->top + (size_t)page)
            ts->top = (int)(sel - (size_t)page + 1);
        if (ts->top > 0 && rows - (size_t)ts->top < (size_t)page)
            ts->top = rows > (size_t)page ? (int)(rows - (size_t)page) : 0;
        for (size_t r = (size_t)ts->top; r < rows && line < h; r++, line++)
            draw_row(w, y + line, x, width, m, r, widths, nc, focused && r == sel, text_view, stale, row_marked(ts, m, r));
    }
    for (; line < h; line++) {
        wmove(w, y + line, x);
        put_fit(w, "", width, 0);
    }
    wattrset(w, A_NORMAL);
}
