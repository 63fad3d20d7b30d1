/* Column layout and cell text (see layout.h). */
#include "tui/layout.h"

#include <stdio.h>
#include <string.h>

#include "tui/sanitize.h"

#define BAR_MAX 10
#define BAR_MIN 3

static int desired_width(const view_column *c, int natural)
{
    int w = natural;
    if (c->max_width > 0 && w > c->max_width)
        w = c->max_width;
    if (w < c->min_width)
        w = c->min_width;
    return w < 1 ? 1 : w;
}

static int min_width(const view_column *c)
{
    return c->min_width < 1 ? 1 : c->min_width;
}

int layout_total(const int *widths, size_t n)
{
    int total = 0, visible = 0;
    for (size_t i = 0; i < n; i++) {
        if (widths[i] > 0) {
            total += widths[i];
            visible++;
        }
    }
    return visible > 1 ? total + (visible - 1) * LAYOUT_SEP : total;
}

/* Sum over visible columns (shown[i]) of want[i], plus separators. */
static long sum_shown(const bool *shown, const int *want, size_t n)
{
    long total = 0;
    int visible = 0;
    for (size_t i = 0; i < n; i++) {
        if (shown[i]) {
            total += want[i];
            visible++;
        }
    }
    return visible > 1 ? total + (long)(visible - 1) * LAYOUT_SEP : total;
}

/* Drops the shown column with the highest drop_order (the rightmost of equals); false when none. */
static bool drop_one(const view_column *cols, bool *shown, size_t n)
{
    size_t best = n;
    for (size_t i = 0; i < n; i++)
        if (shown[i] && cols[i].drop_order > 0 && (best == n || cols[i].drop_order >= cols[best].drop_order))
            best = i;
    if (best == n)
        return false;
    shown[best] = false;
    return true;
}

size_t layout_columns(const view_column *cols, size_t n, const int *natural, int avail, int *widths)
{
    if (n == 0)
        return 0;
    if (n > LAYOUT_MAX_COLUMNS) {
        for (size_t i = LAYOUT_MAX_COLUMNS; i < n; i++)
            widths[i] = 0;
        n = LAYOUT_MAX_COLUMNS;
    }
    bool shown[LAYOUT_MAX_COLUMNS];
    int want[LAYOUT_MAX_COLUMNS], low[LAYOUT_MAX_COLUMNS];
    for (size_t i = 0; i < n; i++) {
        shown[i] = true;
        want[i] = desired_width(&cols[i], natural ? natural[i] : 0);
        low[i] = min_width(&cols[i]);
        if (low[i] > want[i])
            low[i] = want[i];
        widths[i] = 0;
    }
    /* A column counts as fitting with LAYOUT_COMFORT cells (or its minimum): a long message column
     * shrinks before any other column is dropped for it. */
    int comfy[LAYOUT_MAX_COLUMNS];
    for (size_t i = 0; i < n; i++) {
        comfy[i] = want[i] < LAYOUT_COMFORT ? want[i] : LAYOUT_COMFORT;
        if (comfy[i] < low[i])
            comfy[i] = low[i];
    }
    while (sum_shown(shown, comfy, n) > avail && drop_one(cols, shown, n))
        ;
    /* Columns that never drop are cut from the right when even their minimums do not fit. */
    for (size_t i = n; i-- > 1 && sum_shown(shown, low, n) > avail;)
        shown[i] = false;
    size_t visible = 0;
    for (size_t i = 0; i < n; i++) {
        if (shown[i]) {
            widths[i] = low[i];
            visible++;
        }
    }
    /* Hand out what is left one cell at a time, evenly, up to each column's desired width. */
    long spare = avail - sum_shown(shown, low, n);
    bool grew = true;
    while (spare > 0 && grew) {
        grew = false;
        for (size_t i = 0; i < n && spare > 0; i++) {
            if (shown[i] && widths[i] < want[i]) {
                widths[i]++;
                spare--;
                grew = true;
            }
        }
    }
    if (visible == 1 && avail > 0) {
        for (size_t i = 0; i < n; i++)
            if (shown[i] && widths[i] > avail)
                widths[i] = avail;
    }
    return visible;
}

static int pct_clamp(int pct)
{
    return pct < 0 ? 0 : pct > 100 ? 100 : pct;
}

int layout_cell_natural(const view_cell *c, unsigned san_flags)
{
    char tmp[VIEW_CELL_MAX * 2];
    san_result r = sanitize_text(c->text, tmp, sizeof tmp, -1, san_flags);
    int w = r.width;
    if (c->progress_pct >= 0) {
        w += (w > 0 ? 1 : 0) + 2 + BAR_MAX; /* " [##########]" */
        if (!strchr(c->text, '%'))
            w += 5; /* " 100%" */
    }
    return w;
}

/* Appends n bytes if they fit (leaving room for the NUL). */
static void put(char *out, size_t outsz, size_t *len, const char *s, size_t n)
{
    if (*len + n + 1 > outsz)
        return;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

static void put_spaces(char *out, size_t outsz, size_t *len, int n)
{
    for (int i = 0; i < n; i++)
        put(out, outsz, len, " ", 1);
}

/* " [####----] 56%" in exactly suffix_width cells, or "" when not even " 56%" fits. */
static int progress_suffix(int pct, int room, bool has_text, bool text_has_pct, unsigned san_flags, char *out,
                           size_t outsz)
{
    char num[8] = "";
    int nw = text_has_pct ? 0 : snprintf(num, sizeof num, "%d%%", pct_clamp(pct));
    int num_lead = nw ? 1 : 0;
    int lead = has_text ? 1 : 0;
    size_t len = 0;
    out[0] = '\0';
    int bar = room - lead - 2 - num_lead - nw;
    if (bar > BAR_MAX)
        bar = BAR_MAX;
    if (bar >= BAR_MIN) {
        int filled = (pct_clamp(pct) * bar + 50) / 100;
        bool ascii = san_flags & SAN_ASCII;
        put_spaces(out, outsz, &len, lead);
        put(out, outsz, &len, "[", 1);
        for (int i = 0; i < bar; i++) {
            const char *g = i < filled ? (ascii ? "#" : "\xE2\x96\x88") : (ascii ? "-" : "\xE2\x96\x91");
            put(out, outsz, &len, g, strlen(g));
        }
        put(out, outsz, &len, num_lead ? "] " : "]", num_lead ? 2 : 1);
        put(out, outsz, &len, num, (size_t)nw);
        return lead + 2 + bar + num_lead + nw;
    }
    if (nw && room >= lead + nw) {
        put_spaces(out, outsz, &len, lead);
        put(out, outsz, &len, num, (size_t)nw);
        return lead + nw;
    }
    return 0;
}

char *layout_cell_text(const view_cell *c, int width, bool align_right, unsigned san_flags, char *out,
                       size_t outsz)
{
    if (!out || outsz == 0)
        return out;
    out[0] = '\0';
    if (width <= 0)
        return out;
    char text[VIEW_CELL_MAX * 2];
    char suffix[BAR_MAX * 3 + 16];
    int sw = 0;
    san_result r = sanitize_text(c->text, text, sizeof text, width, san_flags);
    suffix[0] = '\0';
    if (c->progress_pct >= 0) {
        /* The text keeps its width when it can; the bar takes the rest of the column. */
        int room = width - r.width;
        bool has_pct = strchr(c->text, '%') != NULL; /* the view already shows the number */
        sw = progress_suffix(c->progress_pct, room, r.width > 0, has_pct, san_flags, suffix, sizeof suffix);
        if (sw == 0 && !has_pct) {
            /* Not even the number fits after the text: shorten the text to show the number. */
            char num[8];
            int tw = width - 1 - snprintf(num, sizeof num, "%d%%", pct_clamp(c->progress_pct));
            if (tw > 0) {
                r = sanitize_text(c->text, text, sizeof text, tw, san_flags);
                sw = progress_suffix(c->progress_pct, width - r.width, r.width > 0, false, san_flags, suffix,
                                     sizeof suffix);
            }
        }
    }
    int pad = width - r.width - sw;
    if (pad < 0)
        pad = 0;
    size_t len = 0;
    if (align_right)
        put_spaces(out, outsz, &len, pad);
    put(out, outsz, &len, text, r.bytes);
    put(out, outsz, &len, suffix, strlen(suffix));
    if (!align_right)
        put_spaces(out, outsz, &len, pad);
    return out;
}

char *layout_header_title(const char *title, const char *arrow, int width, unsigned san_flags, char *out,
                          size_t outsz)
{
    if (!out || outsz == 0)
        return out;
    if (width < 0)
        width = 0;
    int arrow_w = arrow ? text_width(arrow, san_flags) + 1 : 0; /* " ▲" */
    int title_w = text_width(title ? title : "", san_flags);
    if (!arrow || title_w + arrow_w <= width || width <= arrow_w) {
        char joined[256];
        snprintf(joined, sizeof joined, "%s%s%s", title ? title : "", arrow ? " " : "", arrow ? arrow : "");
        sanitize_text(joined, out, outsz, width, san_flags);
        return out;
    }
    san_result r = sanitize_text(title, out, outsz, width - arrow_w, san_flags);
    size_t len = r.bytes;
    put(out, outsz, &len, " ", 1);
    put(out, outsz, &len, arrow, strlen(arrow));
    return out;
}

char *layout_fit(const char *text, int width, unsigned san_flags, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return out;
    san_result r = sanitize_text(text, out, outsz, width < 0 ? 0 : width, san_flags);
    size_t len = r.bytes;
    put_spaces(out, outsz, &len, width - r.width);
    return out;
}

void layout_measure(const view_model *m, unsigned san_flags, int *natural)
{
    const view_ops *ops = view_model_ops(m);
    size_t nc = ops->n_columns < LAYOUT_MAX_COLUMNS ? ops->n_columns : LAYOUT_MAX_COLUMNS;
    for (size_t c = 0; c < nc; c++)
        natural[c] = text_width(ops->columns[c].title, san_flags);
    size_t rows = view_model_rows(m);
    view_cell cell;
    for (size_t r = 0; r < rows; r++) {
        if (view_model_row_is_heading(m, r))
            continue;
        for (size_t c = 0; c < nc; c++) {
            view_model_cell(m, r, c, &cell);
            int w = layout_cell_natural(&cell, san_flags);
            if (w > natural[c])
                natural[c] = w;
        }
    }
}
