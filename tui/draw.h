/* Drawing text into a curses window: every string passes the one sanitizer on its way. */
#ifndef HCP_TUI_DRAW_H
#define HCP_TUI_DRAW_H

#include <curses.h>

/* Writes sanitized text at the cursor within width cells; returns the cells used. */
int draw_text(WINDOW *w, const char *text, int width, int attr);
/* Fills the cells from used to width with blanks. */
void draw_fill(WINDOW *w, int used, int width, int attr);

#endif
