/* Drawing text into a curses window: every string passes the one sanitizer on its way. */
#ifndef HCP_TUI_DRAW_H
#define HCP_TUI_DRAW_H

#include <curses.h>

/* Writes sanitized text at the cursor within width cells; returns the cells used. */
int draw_text(WINDOW *w, const char *text, int width, int attr);
/* Fills the cells from used to width with blanks. */
void draw_fill(WINDOW *w, int used, int width, int attr);

/* A region drawn line by line: lines that do not fit the width wrap (at UTF-8 boundaries), the
 * first skip lines are scrolled away, and nothing is drawn past h. */
typedef struct draw_lines {
    WINDOW *w;
    int y, h, cols, skip, line;
} draw_lines;

/* One line, indented by indent cells, wrapped to the width. */
void draw_wrapped(draw_lines *L, int indent, const char *text, int attr);
/* A '\n'-separated block, each line as draw_wrapped. */
void draw_block(draw_lines *L, int indent, const char *text, int attr);

#endif
