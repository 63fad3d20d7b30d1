/* The Kubernetes REST API over the simulator's store, independent of the HTTP library: a parsed
 * request in, a response (or an open watch to stream) out. Authentication happens before (the
 * server knows the TLS session); authorization, routing, verbs, Table output, pods/log and
 * SelfSubjectAccessReview happen here. */
#ifndef HCP_SIM_HTTPAPI_H
#define HCP_SIM_HTTPAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sim/store.h"
#include "sim/table.h"
#include "sim/world.h"

#define SIM_BODY_MAX (3u * 1024 * 1024) /* larger request bodies get 413 */

typedef enum { SIM_ID_ANONYMOUS, SIM_ID_ADMIN, SIM_ID_ADMIN_TOKEN, SIM_ID_READONLY } sim_identity;

#define SIM_ADMIN_USER "hcpsim-admin"
#define SIM_READONLY_USER "hcpsim-readonly"

/* "admin", "admin-token", "readonly", "anonymous": the request log's words. */
const char *sim_identity_name(sim_identity id);

typedef struct sim_query_param {
    const char *key;
    const char *value;
} sim_query_param;

typedef struct sim_http_request {
    const char *method;
    const char *path; /* decoded, without the query */
    const sim_query_param *query;
    size_t n_query;
    const char *content_type; /* may be NULL */
    const char *accept;       /* may be NULL */
    const char *body;
    size_t body_len;
    sim_identity identity;
} sim_http_request;

/* An open watch for the server to stream. */
typedef struct sim_watch_stream {
    sim_watch *watch;
    const sim_kind *kind;
    long timeout_s;
    bool bookmarks;
    bool table;
    sim_table_include include;
} sim_watch_stream;

typedef struct sim_http_response {
    int code;
    const char *content_type; /* static string */
    char *body;               /* owned; NUL-terminated */
    size_t body_len;
    bool is_watch;            /* stream: HTTP 200, chunked, body (if any) is the first event line(s) */
    char *warnings;           /* owned; NULL or warning texts, one a line: each a `Warning: 299 - "..."` header */
    sim_watch_stream stream;  /* valid when is_watch and stream.watch != NULL */
} sim_http_response;

typedef struct sim_api {
    sim_store *store;
    sim_world *world;           /* for pods/log; may be NULL */
    const struct sim_openapi *openapi; /* OpenAPI v3 documents; NULL: none (404) */
    const char *server_address; /* "127.0.0.1:PORT" */
} sim_api;

const char *sim_query_get(const sim_http_request *req, const char *key);

/* Answers one authenticated request (anonymous ones get 401 here too). */
void sim_api_handle(const sim_api *api, const sim_http_request *req, sim_http_response *resp);
/* One watch event line as the stream sends it (a Table row when the watch asked for Tables);
 * takes ownership of line; the result ends with "\n". */
char *sim_api_watch_line(const sim_api *api, const sim_watch_stream *ws, char *line);
/* {"type":"BOOKMARK",...} plus "\n". */
char *sim_api_bookmark_line(const sim_watch_stream *ws);
/* Frees the body and an unstreamed watch. */
void sim_http_response_free(sim_http_response *resp);
/* A response holding a Status (takes ownership of status). */
void sim_response_status(sim_http_response *resp, int code, cJSON *status);
void sim_response_json(sim_http_response *resp, int code, cJSON *doc);
/* Sets a Status's details (taking ownership), placed before "code" as kube-apiserver writes it. */
void sim_status_put_details(cJSON *status, cJSON *details);

#endif
