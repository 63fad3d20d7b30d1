#include "tui/draw.h"

#include "tui/sanitize.h"
#include "tui/term.h"

int draw_text(WINDOW *w, const char *text, int width, int attr)
{
    if (width <= 0)
        return 0;
    char out[2048];
    san_result r = sanitize_text(text, out, sizeof out, width, term_san_flags());
    wattrset(w, attr);
    waddstr(w, out);
    return r.width;
}

void draw_fill(WINDOW *w, int used, int width, int attr)
{
    wattrset(w, attr);
    for (int i = used; i < width; i++)
        waddch(w, ' ');
}
