/* MHD response bodies beyond a plain buffer: watch streams and the body faults (see httpstream.h). */
#include "sim/httpstream.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/timeutil.h"

#define BOOKMARK_EVERY_MS 10000
#define BOOKMARK_BEFORE_END_MS 2000
#define WAIT_SLICE_MS 500 /* how often a quiet watch checks for a gone client or a stop */

void sim_sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* ---------------------------------------------------------------------------------------------- */
/* watch streaming                                                                                 */

typedef struct watch_ctx {
    const sim_api *api;
    const atomic_bool *stopping;
    sim_watch_stream ws; /* ws.watch NULL: only the pending bytes, then the end (410 ERROR event) */
    int fd;
    int64_t deadline_ms, next_bookmark_ms, last_bookmark_ms, drop_at_ms;
    bool last_bookmark_sent, stall, ended;
    buf pending;
    size_t sent;
} watch_ctx;

/* The client closed its side (or the socket broke): stop waiting for events for it. */
static bool client_gone(int fd)
{
    if (fd < 0)
        return false;
    struct pollfd p = {fd, POLLRDHUP, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

static void watch_append(watch_ctx *w, char *text)
{
    if (w->sent == w->pending.len) {
        buf_reset(&w->pending);
        w->sent = 0;
    }
    buf_puts(&w->pending, text);
    free(text);
}

static ssize_t watch_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    watch_ctx *w = cls;
    for (;;) {
        if (w->sent < w->pending.len) {
            size_t n = w->pending.len - w->sent;
            if (n > max)
                n = max;
            memcpy(out, w->pending.data + w->sent, n);
            w->sent += n;
            return (ssize_t)n;
        }
        if (w->ended || !w->ws.watch || atomic_load(w->stopping))
            return MHD_CONTENT_READER_END_OF_STREAM;
        int64_t now = now_ms_monotonic();
        if (w->drop_at_ms && now >= w->drop_at_ms)
            return MHD_CONTENT_READER_END_WITH_ERROR; /* fault: cut, no final chunk */
        if (now >= w->deadline_ms)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (w->ws.bookmarks && !w->stall) {
            if (!w->last_bookmark_sent && now >= w->last_bookmark_ms) {
                w->last_bookmark_sent = true;
                watch_append(w, sim_api_bookmark_line(&w->ws));
                continue;
            }
            if (now >= w->next_bookmark_ms) {
                w->next_bookmark_ms = now + BOOKMARK_EVERY_MS;
                watch_append(w, sim_api_bookmark_line(&w->ws));
                continue;
            }
        }
        if (client_gone(w->fd))
            return MHD_CONTENT_READER_END_WITH_ERROR;
        int64_t until = w->deadline_ms;
        if (w->ws.bookmarks && w->next_bookmark_ms < until)
            until = w->next_bookmark_ms;
        if (w->ws.bookmarks && !w->last_bookmark_sent && w->last_bookmark_ms < until)
            until = w->last_bookmark_ms;
        if (w->drop_at_ms && w->drop_at_ms < until)
            until = w->drop_at_ms;
        int64_t wait = until - now;
        if (wait > WAIT_SLICE_MS)
            wait = WAIT_SLICE_MS;
        if (wait < 1)
            wait = 1;
        if (w->stall) { /* fault: the connection stays open and silent */
            sim_sleep_ms(wait);
            continue;
        }
        char *line = NULL;
        switch (sim_watch_next(w->ws.watch, (int)wait, &line)) {
        case SIM_WATCH_EVENT:
            watch_append(w, sim_api_watch_line(w->api, &w->ws, line));
            break;
        case SIM_WATCH_TIMEOUT:
            break;
        case SIM_WATCH_CLOSED:
            w->ended = true;
            break;
        }
    }
}

static void watch_free(void *cls)
{
    watch_ctx *w = cls;
    if (w->ws.watch)
        sim_watch_free(w->ws.watch);
    buf_free(&w->pending);
    free(w);
}

struct MHD_Response *sim_stream_watch(const sim_api *api, const atomic_bool *stopping, int fd,
                                      sim_http_response *resp, const sim_fault_plan *plan)
{
    watch_ctx *w = xcalloc(1, sizeof *w);
    w->api = api;
    w->stopping = stopping;
    w->ws = resp->stream;
    resp->stream.watch = NULL; /* the stream owns it now */
    w->fd = fd;
    int64_t now = now_ms_monotonic();
    long timeout_s = w->ws.timeout_s > 0 ? w->ws.timeout_s : 1800;
    w->deadline_ms = now + (int64_t)timeout_s * 1000;
    w->next_bookmark_ms = now + BOOKMARK_EVERY_MS;
    w->last_bookmark_ms = w->deadline_ms - BOOKMARK_BEFORE_END_MS;
    w->drop_at_ms = plan->drop_watch_ms ? now + plan->drop_watch_ms : 0;
    w->stall = plan->stall_watch;
    if (resp->body) { /* the ERROR event of a too-old resourceVersion */
        buf_puts(&w->pending, resp->body);
        free(resp->body);
        resp->body = NULL;
    }
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, watch_read, w, watch_free);
    if (!r)
        watch_free(w);
    return r;
}

/* ---------------------------------------------------------------------------------------------- */
/* plain responses and body faults                                                                 */

typedef struct truncated {
    char *body;
    size_t len, cut, off;
} truncated;

static ssize_t truncated_read(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    truncated *t = cls;
    if (t->off >= t->cut)
        return MHD_CONTENT_READER_END_WITH_ERROR; /* fault: close before Content-Length is reached */
    size_t n = t->cut - t->off;
    if (n > max)
        n = max;
    memcpy(out, t->body + t->off, n);
    t->off += n;
    return (ssize_t)n;
}

static void truncated_free(void *cls)
{
    truncated *t = cls;
    free(t->body);
    free(t);
}

/* The body stays complete in length but stops being JSON: its closing brace becomes a stray comma. */
static void make_malformed(char *body, size_t len)
{
    for (size_t i = len; i > 0; i--)
        if (body[i - 1] == '}') {
            body[i - 1] = ',';
            return;
        }
    if (len) /* not JSON to begin with (a log): an unclosed object is not JSON either */
        body[0] = '{';
}

struct MHD_Response *sim_stream_plain(sim_http_response *resp, const sim_fault_plan *plan)
{
    char *body = resp->body ? resp->body : xstrdup("");
    size_t len = resp->body ? resp->body_len : 0;
    resp->body = NULL;
    if (plan->malformed)
        make_malformed(body, len);
    if (plan->truncate && len > 1) {
        truncated *t = xcalloc(1, sizeof *t);
        t->body = body;
        t->len = len;
        t->cut = len / 2;
        struct MHD_Response *r = MHD_create_response_from_callback(len, 4096, truncated_read, t, truncated_free);
        if (!r)
            truncated_free(t);
        return r;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r)
        free(body);
    return r;
}

