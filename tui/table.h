/* The table widget: draws an open view (views/model.h) into a curses window region.
 *
 * Column widths come from layout.c for the region's width, from natural widths cached by
 * table_measure() (run when the model changed, not on every paint). Only visible rows are drawn;
 * every cell passes through the sanitizer on its way to the screen. */
#ifndef HCP_TUI_TABLE_H
#define HCP_TUI_TABLE_H

#include <curses.h>
#include <stdbool.h>

#include "tui/layout.h"
#include "views/model.h"

#define TABLE_MAX_MARKS 64

typedef struct table_state {
    int top;                          /* first visible row */
    int natural[LAYOUT_MAX_COLUMNS];  /* widest text per column, header included */
    bool measured;
    view_object marks[TABLE_MAX_MARKS]; /* marked rows, by identity (drawn with a mark) */
    size_t n_marks;
} table_state;

/* Recomputes the natural widths (after the model's rows changed). */
void table_measure(table_state *ts, const view_model *m, unsigned san_flags);

/* Rows that fit a region of height h (the header row takes one unless VIEW_TEXT). */
int table_page_rows(const view_model *m, int h);

/* Draws the model in w at (y, x) over h lines and width cells. empty_text is shown when there are
 * no rows ("loading…", an error, or the view's own). focused draws the selection bar; stale dims
 * every row (the last good data after an error; the words saying so are the caller's). */
void table_draw(WINDOW *w, int y, int x, int h, int width, const view_model *m, table_state *ts, bool focused,
                bool stale, const char *empty_text, view_role empty_role);

#endif
