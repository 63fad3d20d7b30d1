/* The line splitter behind streaming jobs (watches): feed it the body's chunks as they arrive,
 * however they are cut, and it calls fn with each complete line (the CR before an LF stripped;
 * lines may hold NUL bytes, so they come with their length). A line longer than max is skipped
 * without being stored (its bytes are counted and reported as fn(ud, NULL, lost)), so a hostile
 * stream cannot make it grow beyond max; so is a partial line left at the end of the stream. */
#ifndef HCP_CLIENT_TRANSPORT_LINES_H
#define HCP_CLIENT_TRANSPORT_LINES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct transport_lines {
    char *buf;
    size_t len, cap;
    size_t max;
    bool overflow;             /* inside an oversize line: skipping to its end */
    size_t overflow_len;
} transport_lines;

void transport_lines_init(transport_lines *ls, size_t max);
/* fn may return false to stop (job cancelled): the rest of the chunk is discarded. */
typedef bool (*transport_lines_fn)(void *ud, const char *line, size_t len);
void transport_lines_feed(transport_lines *ls, const char *data, size_t len, transport_lines_fn fn, void *ud);
/* End of stream: a pending partial line is reported as dropped. */
void transport_lines_finish(transport_lines *ls, transport_lines_fn fn, void *ud);
void transport_lines_free(transport_lines *ls);

#endif
