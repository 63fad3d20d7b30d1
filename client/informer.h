/* One informer per watched kind: paginated list, then watch from the list's resourceVersion, into the
 * store; or, with a refresh interval, a list every N seconds (polling).
 *
 *   list (limit=500, continue)  --ok-->  store re-list  -->  watch ?watch=1&resourceVersion=RV
 *                                                             &allowWatchBookmarks=true&timeoutSeconds=N
 *   watch line ADDED/MODIFIED/DELETED -> store_apply; BOOKMARK -> advances RV
 *   watch ends normally (timeoutSeconds)            -> watch again from the last RV seen
 *   ERROR event 410 / HTTP 410                      -> list again
 *   malformed, truncated or oversize line           -> dropped, counted, list again (resync)
 *   broken stream, 5xx, 429, connection error       -> STALE, watch again from RV after backoff
 *                                                      (at most 30 s, whatever a Retry-After says)
 *   403                                             -> FORBIDDEN, list again after a slow delay
 *   no line (event or bookmark) for stall_seconds   -> STALE "no data for Ns", watch again
 *
 * The informer never talks to libcurl: it sends requests through an informer_io (the transport in
 * production, a fake in tests) and reads the time from a clock function, so its state machine is
 * driven entirely by what the tests feed it. */
#ifndef HCP_CLIENT_INFORMER_H
#define HCP_CLIENT_INFORMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "client/records.h"
#include "client/store.h"
#include "client/transport.h"

typedef enum freshness_state {
    FRESH_OFF,       /* not watched */
    FRESH_LOADING,   /* the first list is not done */
    FRESH_LIVE,      /* watch open (or last poll succeeded) */
    FRESH_STALE,     /* data kept, but the watch is down: why says why ("connection refused, ...") */
    FRESH_FORBIDDEN, /* 403: the user may not list this kind (retried slowly) */
    FRESH_ERROR,     /* the first list failed; detail holds the message (retried with backoff) */
} freshness_state;

typedef struct client_freshness {
    freshness_state state;
    bool polling;           /* --refresh mode */
    int64_t since_ms;       /* monotonic ms (now_ms_monotonic) when the state began */
    time_t last_sync;       /* wall time of the last successful list or watch event; 0 = never */
    uint64_t relists;       /* lists completed (the first one included) */
    uint64_t dropped_lines; /* malformed, truncated or oversize watch lines dropped */
    uint64_t events;        /* watch events applied */
    char why[64];           /* short: "connection refused, retrying in 8s", "error 503, retrying",
                             * "resyncing"; "" when LIVE/LOADING. A failure's words come from
                             * apierror_brief(); informer_freshness() adds the countdown to the next try */
    char detail[256];       /* the full words of the last failure ("" when none); sanitize to show */
    /* The last failure's HTTP status (0: none, or no HTTP answer) and transport error, so that a
     * caller can tell a transient failure (5xx, 429, a reset) from a lasting one (401, 403, TLS). */
    long fail_http_code;
    transport_error_kind fail_error_kind;
    bool credentials_failed; /* the client's last credential refresh failed (client_freshness_get) */
} client_freshness;

typedef struct informer informer;

/* How requests leave: submit returns a job id (> 0); callbacks run later, as with transport_submit. */
typedef struct informer_io {
    uint64_t (*submit)(void *ud, const transport_request *req);
    void (*cancel)(void *ud, uint64_t id);
    void *ud;
} informer_io;

typedef struct informer_config {
    res_kind kind;
    const char *path;          /* collection path, may carry a query: "/api/v1/pods?labelSelector=app%3Detcd" */
    const char *name;          /* counter label prefix ("hostedclusters" -> "hostedclusters list"/"... watch") */
    int watch_timeout_s;       /* 0: 300; each watch adds up to 20% jitter */
    int poll_seconds;          /* 0: watch; N > 0: list every N s */
    int stall_seconds;         /* 0: 180. A watch (bookmarks requested: the server sends one every
                                * few seconds) that delivers no line for this long has stalled
                                * silently: STALE "no data for Ns, reconnecting", and watched again */
    int page_limit;            /* 0: 500 */
    uint64_t seed;             /* jitter */
    int64_t (*clock)(void);    /* monotonic ms; NULL: now_ms_monotonic */
    const char *origin, *server; /* for error words (apierror_ctx) */
    bool ca_from_kubeconfig;
} informer_config;

informer *informer_new(const informer_config *cfg, const informer_io *io, store *st);
/* Cancels its requests; NULL is fine. The store keeps what it holds. */
void informer_free(informer *inf);

/* Sends the first list (state LOADING). */
void informer_start(informer *inf);
/* Cancels every request and timer (state OFF). */
void informer_stop(informer *inf);
/* Runs due timers (re-list, re-watch, LIVE after a quiet resumed watch). */
void informer_tick(informer *inf);
/* Monotonic ms of the next timer, or -1. */
int64_t informer_next_deadline_ms(const informer *inf);

void informer_freshness(const informer *inf, client_freshness *out);
/* True once the first list succeeded or failed (for --once). */
bool informer_initial_done(const informer *inf);
/* True when the first list failed (then detail says why). */
bool informer_initial_failed(const informer *inf);
/* The last resourceVersion seen ("" before the first list). */
const char *informer_resource_version(const informer *inf);

#endif
