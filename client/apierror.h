/* API errors in words a user can act on.
 *
 * A kube-apiserver failure is a Status object ({"kind":"Status","reason":"Forbidden",...}); some
 * answers are not (a proxy's HTML page, "404 page not found", nothing at all), and some failures never
 * reach HTTP (connection refused, unknown CA). apierror_describe() turns any of them into one line:
 *   forbidden: user alice cannot patch hostedclusters in namespace clusters
 *   conflict: someone else changed clusters/prod1 since it was read; reload and try again
 *   the server's certificate is not signed by the CA in kubeconfig /home/u/.kube/config
 * Text from the server passes through as data: the console sanitizes before display. */
#ifndef HCP_CLIENT_APIERROR_H
#define HCP_CLIENT_APIERROR_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/transport.h"

typedef struct api_cause {
    char *reason, *message, *field; /* NULL when absent */
} api_cause;

/* A decoded metav1.Status. Strings are NULL when absent. */
typedef struct api_status {
    long code;
    char *status;  /* "Failure" / "Success" */
    char *reason;  /* "Forbidden", "Conflict", "NotFound", "Expired", "Invalid", ... */
    char *message;
    char *name, *group, *kind; /* details */
    api_cause *causes;
    size_t ncauses;
    int64_t retry_after_seconds; /* details.retryAfterSeconds, 0 = none */
} api_status;

/* True when body is a JSON object with "kind":"Status"; *out is filled (free with api_status_free).
 * False for anything else (out zeroed, nothing to free). Hostile input is fine. */
bool api_status_parse(const char *body, size_t len, api_status *out);
/* Same from an already parsed object (a watch ERROR event's "object"). */
bool api_status_from_json(const cJSON *obj, api_status *out);
void api_status_free(api_status *s);

typedef struct apierror_ctx {
    const char *origin;      /* the kubeconfig file, named in TLS words; NULL: "the kubeconfig" */
    const char *server;      /* the server URL, named in connection words; NULL: "the API server" */
    bool ca_from_kubeconfig; /* false: the system trust store was used */
} apierror_ctx;

/* One line for a failed request (malloc'd), or NULL when r is a success (no error, HTTP < 400).
 * ctx may be NULL. */
char *apierror_describe(const transport_response *r, const apierror_ctx *ctx);

/* The same from parts (tests, and watch ERROR events which carry a Status without a response):
 * http_code 0 with kind TRANSPORT_OK and no body gives "no answer". */
char *apierror_words(long http_code, transport_error_kind kind, const char *error_text, const char *body,
                     size_t body_len, const char *method, const char *path, const char *retry_after,
                     const apierror_ctx *ctx);

/* A few words for a failure, short enough for a status line: "connection refused", "timed out",
 * "TLS: certificate not trusted", "error 503", "no answer". The same cases as apierror_describe(), in
 * brief (the long words say which server and which kubeconfig). Always NUL-terminates out. */
void apierror_brief(long http_code, transport_error_kind kind, const char *error_text, char *out, size_t outlen);

/* Words for a Status alone (e.g. a watch ERROR event), given the request it answered. */
char *apierror_status_words(const api_status *st, long http_code, const char *method, const char *path,
                            const char *retry_after);

#endif
