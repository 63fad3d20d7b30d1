/* The authenticated HTTPS transport: one libcurl multi handle, driven by the UI loop, never blocking.
 *
 * A request is a job: submit it, and its done callback runs exactly once from a later transport_poll()
 * (never from inside transport_submit), unless it is cancelled first. A streaming job (a watch) also
 * gets each complete line of the body as it arrives.
 *
 * Every job reaches libcurl through one function (hand_to_curl in transport.c), which is where
 * read-only mode is enforced: with read_only set, a method other than GET (except the
 * SelfSubjectAccessReview POST) is refused there, before any byte leaves the process, and the job
 * completes with error TRANSPORT_ERR_READ_ONLY and the text
 *   "read-only mode: refused to send PATCH /apis/..."
 *
 * GET jobs are retried with exponential backoff and full jitter on 429 (honouring Retry-After), 5xx
 * and connection errors; other methods are never retried. Streaming jobs are never retried by the
 * transport (the informer resumes watches itself, from the last resourceVersion it saw). */
#ifndef HCP_CLIENT_TRANSPORT_H
#define HCP_CLIENT_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/kinds.h"
#include "client/transport_lines.h"

#define TRANSPORT_USER_AGENT_PREFIX "hcptui/"
#define TRANSPORT_MAX_LINE (16u * 1024u * 1024u)   /* a watch line longer than this is dropped */
#define TRANSPORT_MAX_BODY (512u * 1024u * 1024u)  /* a response body larger than this fails the job */
#define TRANSPORT_DEFAULT_TIMEOUT_MS 30000
#define TRANSPORT_CONNECT_TIMEOUT_MS 10000
#define TRANSPORT_DEFAULT_RETRIES 3

typedef struct transport transport;

/* Where and how to connect; strings are copied at transport_new(). Built by client.c from a
 * kube_target; tests build it directly. */
typedef struct transport_config {
    const char *server;            /* "https://host:port[/prefix]" (http:// is accepted for tests) */
    const char *ca_pem;            /* CA bundle; NULL = system trust store */
    size_t ca_pem_len;
    bool insecure_skip_tls_verify; /* the caller shows a warning */
    const char *tls_server_name;   /* name to verify and send as SNI instead of the URL's host */
    const char *proxy_url;
    const char *client_cert_pem, *client_key_pem;
    size_t client_cert_pem_len, client_key_pem_len;
    const char *token;             /* bearer token; never logged */
    const char *username, *password;
    bool read_only;                /* see above; cannot be turned off later */
    const char *version;           /* for the User-Agent "hcptui/<version>"; NULL = "dev" */
    uint64_t seed;                 /* jitter seed (0: derived from time and pid) */
    /* Called when a GET got 401: refresh credentials (force) and, if they changed, update them with
     * transport_set_token()/transport_set_client_cert() and return true: the GET is then sent once
     * more. NULL = no refresh. Runs from transport_poll(). */
    bool (*on_unauthorized)(void *ud, transport *t);
    void *on_unauthorized_ud;
} transport_config;

/* Why a job failed below HTTP (response.error_kind). */
typedef enum transport_error_kind {
    TRANSPORT_OK = 0,          /* an HTTP answer arrived (look at http_code) */
    TRANSPORT_ERR_READ_ONLY,   /* refused by read-only mode; nothing was sent */
    TRANSPORT_ERR_INVALID,     /* the request itself is malformed (no path, bad method) */
    TRANSPORT_ERR_RESOLVE,     /* host (or proxy) name did not resolve */
    TRANSPORT_ERR_CONNECT,     /* connection refused / unreachable */
    TRANSPORT_ERR_TIMEOUT,     /* connect or request timeout */
    TRANSPORT_ERR_TLS_UNKNOWN_CA,  /* the server's certificate does not chain to the trusted CA */
    TRANSPORT_ERR_TLS_HOSTNAME,    /* the certificate does not name the host */
    TRANSPORT_ERR_TLS_EXPIRED,     /* the server's certificate expired (or is not yet valid) */
    TRANSPORT_ERR_TLS_CLIENT_CERT, /* our client certificate or key was unusable or rejected */
    TRANSPORT_ERR_TLS,             /* another TLS failure */
    TRANSPORT_ERR_TOO_LARGE,   /* body above TRANSPORT_MAX_BODY */
    TRANSPORT_ERR_NETWORK,     /* connection dropped mid-transfer, anything else from curl */
} transport_error_kind;

/* What a job's done callback sees; valid only during the callback. */
typedef struct transport_response {
    uint64_t id;
    long http_code;            /* 0 when no HTTP answer arrived */
    transport_error_kind error_kind;
    const char *error;         /* words (curl's error text, or the read-only refusal); NULL when TRANSPORT_OK */
    const char *body;          /* NUL-terminated; "" when none. For streams: only a non-2xx body */
    size_t body_len;
    const char *content_type;  /* response header, NULL when absent */
    const char *retry_after;   /* response header, NULL when absent */
    const char *method, *path; /* as submitted */
    unsigned attempts;         /* 1 + retries done */
    int64_t latency_ms;        /* of the last attempt: total time (streams: time to first byte) */
    uint64_t lines;            /* streams: complete lines delivered */
    uint64_t lines_dropped;    /* streams: oversize lines and a truncated last line */
} transport_response;

typedef void (*transport_done_fn)(void *ud, const transport_response *r);
/* One complete line of a streaming body, without its "\n" or "\r\n" (may hold NUL bytes: use len).
 * line == NULL means a line was dropped: longer than TRANSPORT_MAX_LINE, or cut off by the end of
 * the stream; len is how many bytes were lost. Runs from inside transport_poll(). */
typedef void (*transport_line_fn)(void *ud, const char *line, size_t len);

typedef struct transport_request {
    const char *method;        /* NULL = "GET" */
    const char *path;          /* path and query, starting with '/'; appended to the server URL */
    const char *accept;        /* NULL = "application/json" */
    const char *content_type;  /* for a body; NULL = "application/json" when there is one */
    const char *body;          /* copied */
    size_t body_len;
    long timeout_ms;           /* whole request; 0 = TRANSPORT_DEFAULT_TIMEOUT_MS; streams: 0 = none */
    const char *label;         /* counter label, e.g. "hostedclusters list"; NULL = "other" */
    bool has_kind;             /* the request feeds a watched kind (list, watch): its counter says which */
    res_kind kind;
    bool stream;               /* deliver lines to on_line as they arrive (watch) */
    bool no_retry;             /* GET only: do not retry (the caller has its own schedule) */
    transport_done_fn on_done;
    transport_line_fn on_line;
    void *ud;
} transport_request;

/* Counters per request label, for the status line, the statistics view and the benchmarks. */
typedef struct transport_counter {
    char label[48];            /* "hostedclusters list", "focus get", "other" */
    bool has_kind;             /* the requests feed a watched kind: this one (else none) */
    res_kind kind;
    uint64_t count;            /* attempts handed to curl */
    uint64_t errors;           /* attempts that ended in a transport error or HTTP >= 400 */
    uint64_t refused;          /* refused by read-only mode */
    uint64_t retries;
    uint64_t bytes_in, bytes_out;  /* bodies and headers */
    uint64_t lines, lines_dropped;
    int64_t latency_sum_ms, latency_max_ms, latency_last_ms;
} transport_counter;

/* NULL with a message in err (errlen bytes) when curl cannot be set up. Sets SIGPIPE to ignored when
 * it is at its default (curl runs with CURLOPT_NOSIGNAL; a closed connection must not kill us). */
transport *transport_new(const transport_config *cfg, char *err, size_t errlen);
/* Cancels every job (no callbacks) and frees everything. NULL is fine. */
void transport_free(transport *t);

/* Queues a job; returns its id (> 0). The request is copied. on_done runs later, exactly once. */
uint64_t transport_submit(transport *t, const transport_request *req);
/* Forgets a job: no callback runs for it afterwards (also when called from one of its callbacks). */
void transport_cancel(transport *t, uint64_t id);

/* Waits up to timeout_ms (-1: until something happens; capped by the transport's own timers) for
 * network progress or for extra_fd (-1: none) to become readable, then runs the callbacks that are due.
 * *fd_ready (may be NULL) tells whether extra_fd is readable. EINTR counts as "no events".
 * Returns 0, or -1 when the multi handle failed (fatal). */
int transport_poll(transport *t, int extra_fd, int timeout_ms, bool *fd_ready);
#define TRANSPORT_POLL_FDS_MAX 8
/* The same with several extra descriptors (nfds <= TRANSPORT_POLL_FDS_MAX): ready[i] (ready may be NULL) tells whether
 * fds[i] is readable; a negative fds[i] is skipped. */
int transport_poll_fds(transport *t, const int *fds, size_t nfds, int timeout_ms, bool *ready);
/* Milliseconds until the transport needs transport_poll() again by itself (a retry deadline or a
 * queued completion), -1 when it only waits for the network. */
int transport_next_timeout_ms(const transport *t);
/* Jobs submitted and not yet completed (including those waiting to retry). */
size_t transport_pending(const transport *t);

/* Credentials may change after an exec plugin refresh; applied to requests handed to curl afterwards. */
void transport_set_token(transport *t, const char *token);
void transport_set_client_cert(transport *t, const char *cert_pem, size_t cert_len,
                               const char *key_pem, size_t key_len);

/* While credentials are being fetched (an exec plugin runs), requests wait: with hold on, queued jobs
 * and due retries are not handed to curl (transfers already running go on), so they leave with the
 * new credential once the caller turns hold off. */
void transport_hold(transport *t, bool hold);

bool transport_read_only(const transport *t);
/* The read-only rule itself: may this request be sent in read-only mode? */
bool transport_read_only_allows(const char *method, const char *path);
/* How many attempts were ever handed to libcurl (the seam the read-only tests count). */
uint64_t transport_handed_count(const transport *t);

size_t transport_counter_count(const transport *t);
const transport_counter *transport_counter_at(const transport *t, size_t i);
const transport_counter *transport_counter_find(const transport *t, const char *label);
void transport_counter_total(const transport *t, transport_counter *out);

#endif
