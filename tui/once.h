/* `--once`: a pane as plain text (no escape sequences), through the same layout and sanitizer as
 * the screen, for scripts and for a quick look over a slow link. */
#ifndef HCP_TUI_ONCE_H
#define HCP_TUI_ONCE_H

#include <stdio.h>

#include "views/model.h"

/* Prints the header row and every row of m, laid out for `width` columns (no trailing spaces).
 * Heading rows print as one line. An empty view prints its empty text. */
void once_print(FILE *f, const view_model *m, int width, unsigned san_flags);

/* The width to lay out for: $COLUMNS when it is a number from 20 to 1000, else 200. */
int once_width(void);

#endif
