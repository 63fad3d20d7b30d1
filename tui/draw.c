#include "tui/draw.h"

#include <stdio.h>
#include <string.h>

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


/* One line, wrapped to the width (at UTF-8 boundaries), indented by indent cells. */
void draw_wrapped(draw_lines *L, int indent, const char *text, int attr)
{
    int room = L->cols - indent - 1;
    if (room < 10)
        room = 10;
    const char *s = text;
    do {
        size_t n = strlen(s);
        if ((int)n > room) {
            n = (size_t)room;
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
        }
        if (L->skip > 0) {
            L->skip--;
        } else if (L->line < L->h) {
            char chunk[1024];
            snprintf(chunk, sizeof chunk, "%*s%.*s", indent, "", (int)(n < 1000 ? n : 1000), s);
            wmove(L->w, L->y + L->line, 0);
            int used = draw_text(L->w, chunk, L->cols, attr);
            draw_fill(L->w, used, L->cols, 0);
            L->line++;
        }
        s += n;
    } while (*s);
}

/* A '\n'-separated block, line by line. */
void draw_block(draw_lines *L, int indent, const char *text, int attr)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        char one[4096];
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one - 1 ? n : sizeof one - 1), text);
        draw_wrapped(L, indent, one, attr);
        text += n + (nl ? 1 : 0);
    }
}

