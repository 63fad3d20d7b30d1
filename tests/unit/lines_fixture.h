/* What a line callback saw (the first 16 lines, 63 bytes of each, and the drops), for the tests of
 * the line splitter and of streaming jobs. */
#ifndef HCP_TESTS_LINES_FIXTURE_H
#define HCP_TESTS_LINES_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct collected {
    char lines[16][64];
    size_t lens[16];
    size_t n;
    size_t dropped, dropped_bytes;
    size_t stop_after; /* 0 = never stop */
} collected;

static inline bool collect(void *ud, const char *line, size_t len)
{
    collected *c = ud;
    if (!line) {
        c->dropped++;
        c->dropped_bytes += len;
        return true;
    }
    if (c->n < 16) {
        size_t n = len < 63 ? len : 63;
        memcpy(c->lines[c->n], line, n);
        c->lines[c->n][n] = '\0';
        c->lens[c->n] = len;
    }
    c->n++;
    return c->stop_after == 0 || c->n < c->stop_after;
}

#endif
