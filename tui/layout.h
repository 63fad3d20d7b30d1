/* Column layout and cell text for tables, shared by the screen and `--once` (pure: no curses).
 *
 * Widths come from each column's min/max/drop order and the widest cell (header included) for the
 * available width: while the desired widths (each capped at LAYOUT_COMFORT cells) do not fit, the
 * column with the highest drop_order is dropped; then columns shrink toward their minimum (space is handed out evenly); columns that
 * never drop are cut from the right only when even their minimums do not fit. */
#ifndef HCP_TUI_LAYOUT_H
#define HCP_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "views/model.h"

#define LAYOUT_SEP 2 /* spaces between columns */
#define LAYOUT_COMFORT 24 /* cells that count as enough for a wide column when deciding what to drop */
#define LAYOUT_MAX_COLUMNS 64 /* columns past this are never shown */

/* widths[i] receives the width of column i, 0 when dropped. natural[i] is the widest text of the
 * column (header included). Returns the number of visible columns. */
size_t layout_columns(const view_column *cols, size_t n, const int *natural, int avail, int *widths);

/* Natural widths (widest sanitized text, header included) of every column of an open view, over
 * all its visible rows; natural must hold LAYOUT_MAX_COLUMNS entries. */
void layout_measure(const view_model *m, unsigned san_flags, int *natural);

/* Total width of a layout (visible widths plus separators). */
int layout_total(const int *widths, size_t n);

/* Natural width of a cell: its sanitized text, plus the progress bar when it has one. */
int layout_cell_natural(const view_cell *c, unsigned san_flags);

/* The text to draw for a cell in a column of `width` cells: sanitized, truncated with an ellipsis,
 * a progress bar appended when progress_pct >= 0 ("56% [####----]" / UTF-8 blocks), padded to the
 * width (right-aligned when align_right). out must hold at least width * 4 + 1 bytes (each column
 * cell is at most one 4-byte character); returns out. */
char *layout_cell_text(const view_cell *c, int width, bool align_right, unsigned san_flags, char *out,
                       size_t outsz);

/* A column title for the header row, at most width cells, not padded. With a sort arrow
 * ("NAME ▲") the title gives way first ("RESTAR… ▲"), so a narrow column still shows which
 * column sorts and which way; arrow NULL means the column does not sort. Returns out. */
char *layout_header_title(const char *title, const char *arrow, int width, unsigned san_flags, char *out,
                          size_t outsz);

/* Pads or truncates already sanitized text to exactly width cells (left-aligned). */
char *layout_fit(const char *text, int width, unsigned san_flags, char *out, size_t outsz);

#endif
