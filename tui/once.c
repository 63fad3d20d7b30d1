/* --once as text: the pane's table (see once.h). */
#include "tui/once.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/buf.h"
#include "tui/layout.h"
#include "tui/sanitize.h"

bool once_format_parse(const char *name, once_format *out)
{
    static const struct {
        const char *name;
        once_format format;
    } formats[] = {{"text", ONCE_TEXT}, {"wide", ONCE_WIDE}, {"json", ONCE_JSON}, {"yaml", ONCE_YAML},
                   {"name", ONCE_NAME}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = formats[i].format;
            return true;
        }
    return false;
}

int once_width(int fd)
{
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long v = strtol(c, &end, 10);
        if (!*end && v >= 20 && v <= 1000)
            return (int)v;
    }
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col > 1000 ? 1000 : ws.ws_col;
    return 200;
}

static void put_trimmed(FILE *f, char *line)
{
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        n--;
    line[n] = '\0';
    fputs(line, f);
    fputc('\n', f);
}

static void append(char *line, size_t cap, const char *s)
{
    size_t len = strlen(line), n = strlen(s);
    if (len + n + 1 > cap)
        n = cap - len - 1;
    memcpy(line + len, s, n);
    line[len + n] = '\0';
}

/* One line of the table into line (capacity cap): the titles when row < 0, else the row's cells,
 * each fitted to its column, separated like the screen. */
static void row_text(const view_model *m, long row, const int *widths, size_t nc, unsigned san_flags, char *line,
                     char *cellbuf, size_t cap)
{
    const view_ops *ops = view_model_ops(m);
    line[0] = '\0';
    bool first = true;
    for (size_t c = 0; c < nc; c++) {
        if (!widths[c])
            continue;
        if (!first)
            append(line, cap, "  ");
        first = false;
        view_cell cell = {.role = ROLE_DEFAULT, .progress_pct = -1};
        if (row < 0)
            view_copy_text(cell.text, sizeof cell.text, ops->columns[c].title);
        else
            view_model_cell(m, (size_t)row, c, &cell);
        append(line, cap, layout_cell_text(&cell, widths[c], ops->columns[c].align_right, san_flags, cellbuf, cap));
    }
}

void once_print(FILE *f, const view_model *m, int width, int pick_width, bool all_columns, unsigned san_flags)
{
    const view_ops *ops = view_model_ops(m);
    size_t nc = ops->n_columns < LAYOUT_MAX_COLUMNS ? ops->n_columns : LAYOUT_MAX_COLUMNS;
    int natural[LAYOUT_MAX_COLUMNS] = {0}, widths[LAYOUT_MAX_COLUMNS] = {0};
    size_t rows = view_model_rows(m);
    view_cell cell;
    layout_measure(m, san_flags, natural);
    if (width > 0) {
        layout_columns(ops->columns, nc, natural, width, widths);
    } else {
        /* Uncut: the columns the layout keeps (or all), each at its widest cell. */
        if (!all_columns)
            layout_columns(ops->columns, nc, natural, pick_width > 0 ? pick_width : 200, widths);
        for (size_t c = 0; c < nc; c++)
            if (all_columns || widths[c])
                widths[c] = natural[c] > 0 ? natural[c] : 1;
    }
    int line_width = layout_total(widths, nc);
    size_t cap = (size_t)(line_width > width ? line_width : width) * 4 + VIEW_CELL_MAX * 8 + 64;
    char *line = xmalloc(cap);
    char *cellbuf = xmalloc(cap);
    line[0] = '\0';
    row_text(m, -1, widths, nc, san_flags, line, cellbuf, cap);
    put_trimmed(f, line);
    if (rows == 0) {
        snprintf(line, cap, "%s", view_model_empty_text(m));
        sanitize_text(line, cellbuf, cap, width > 0 ? width : -1, san_flags);
        put_trimmed(f, cellbuf);
    }
    for (size_t r = 0; r < rows; r++) {
        line[0] = '\0';
        if (view_model_row_is_heading(m, r)) {
            char joined[VIEW_CELL_MAX * 4] = "";
            for (size_t c = 0; c < ops->n_columns; c++) {
                view_model_cell(m, r, c, &cell);
                if (!cell.text[0])
                    continue;
                if (joined[0])
                    append(joined, sizeof joined, "  ");
                append(joined, sizeof joined, cell.text);
            }
            sanitize_text(joined, line, cap, width > 0 ? width : -1, san_flags);
            put_trimmed(f, line);
            continue;
        }
        row_text(m, (long)r, widths, nc, san_flags, line, cellbuf, cap);
        put_trimmed(f, line);
    }
    free(line);
    free(cellbuf);
}
