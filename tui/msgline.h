/* The message line's state: the last thing the console said, and whether it was an error. A leaf
 * every console module may write to; the screen draws it. */
#ifndef HCP_TUI_MSGLINE_H
#define HCP_TUI_MSGLINE_H

#include <stdarg.h>
#include <stdbool.h>

#include "tui/redraw.h"

typedef struct msgline {
    char text[512];
    bool error;
} msgline;

/* Sets the message; returns RD_MSG (the part to repaint). */
unsigned msgline_set(msgline *m, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
unsigned msgline_vset(msgline *m, bool error, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
/* Clears it; RD_MSG when there was one, else RD_NONE. */
unsigned msgline_clear(msgline *m);

#endif
