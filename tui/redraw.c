/* Redraw bits and messages on their way to the screen (see console.h): what every handler returns
 * into, calling nothing but the message line. */
#include "tui/console.h"

#include <stdarg.h>

void console_apply(console *c, unsigned rd)
{
    c->sc.dirty |= rd & RD_ALL;
    if (rd & RD_CLEAR) {
        c->sc.clear = true;
        c->sc.last_header[0] = '\0';
    }
    if (rd & RD_QUIT)
        c->quit = true;
}

unsigned console_say(console *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    unsigned rd = msgline_vset(&c->msg, false, fmt, ap);
    va_end(ap);
    return rd;
}

unsigned console_error(console *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    unsigned rd = msgline_vset(&c->msg, true, fmt, ap);
    va_end(ap);
    return rd;
}

