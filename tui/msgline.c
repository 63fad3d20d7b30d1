#include "tui/msgline.h"

#include <stdio.h>

unsigned msgline_vset(msgline *m, bool error, const char *fmt, va_list ap)
{
    vsnprintf(m->text, sizeof m->text, fmt, ap);
    m->error = error;
    return RD_MSG;
}

unsigned msgline_set(msgline *m, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    unsigned rd = msgline_vset(m, error, fmt, ap);
    va_end(ap);
    return rd;
}

unsigned msgline_clear(msgline *m)
{
    if (!m->text[0])
        return RD_NONE;
    m->text[0] = '\0';
    return RD_MSG;
}
