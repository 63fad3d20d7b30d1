/* The line splitter of streaming bodies (see transport_lines.h). */
#include "client/transport_lines.h"

#include <stdlib.h>
#include <string.h>

#include "client/transport.h" /* TRANSPORT_MAX_LINE */
#include "common/buf.h"

void transport_lines_init(transport_lines *ls, size_t max)
{
    memset(ls, 0, sizeof *ls);
    ls->max = max ? max : TRANSPORT_MAX_LINE;
}

void transport_lines_free(transport_lines *ls)
{
    free(ls->buf);
    memset(ls, 0, sizeof *ls);
}

static void lines_append(transport_lines *ls, const char *data, size_t len)
{
    if (ls->len + len > ls->cap) {
        size_t cap = ls->cap ? ls->cap : 4096;
        while (cap < ls->len + len)
            cap *= 2;
        ls->buf = xrealloc(ls->buf, cap);
        ls->cap = cap;
    }
    memcpy(ls->buf + ls->len, data, len);
    ls->len += len;
}

void transport_lines_feed(transport_lines *ls, const char *data, size_t len, transport_lines_fn fn, void *ud)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t seg = nl ? (size_t)(nl - data) : len;
        if (ls->overflow) {
            ls->overflow_len += seg;
            if (!nl)
                return;
            size_t lost = ls->overflow_len;
            ls->overflow = false;
            ls->overflow_len = 0;
            data += seg + 1;
            len -= seg + 1;
            if (!fn(ud, NULL, lost))
                return;
            continue;
        }
        if (!nl) {
            if (ls->len + seg > ls->max + 1) { /* too long already (+1: a CR may end it): skip to its end */
                ls->overflow = true;
                ls->overflow_len = ls->len + seg;
                ls->len = 0;
            } else {
                lines_append(ls, data, seg);
            }
            return;
        }
        const char *line = data;
        size_t line_len = seg;
        if (ls->len > 0) {
            if (ls->len + seg > ls->max + 1) { /* +1: room for the CR that may end it */
                size_t lost = ls->len + seg;
                ls->len = 0;
                data += seg + 1;
                len -= seg + 1;
                if (!fn(ud, NULL, lost))
                    return;
                continue;
            }
            lines_append(ls, data, seg);
            line = ls->buf;
            line_len = ls->len;
        }
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--;
        data += seg + 1;
        len -= seg + 1;
        ls->len = 0;
        bool go_on = line_len > ls->max ? fn(ud, NULL, line_len) : fn(ud, line, line_len);
        if (!go_on)
            return;
    }
}

void transport_lines_finish(transport_lines *ls, transport_lines_fn fn, void *ud)
{
    size_t lost = ls->overflow ? ls->overflow_len : ls->len;
    ls->overflow = false;
    ls->overflow_len = 0;
    ls->len = 0;
    if (lost > 0)
        fn(ud, NULL, lost);
}
