/* The transport's insides, shared by its files (transport.c: setup, submit, the one door to libcurl,
 * the poll; transport_finish.c: what an attempt's end means; transport_job.c: a job's memory and
 * lines; transport_counters.c). Nothing outside
 * client/transport*.c includes this. The files call one way: transport.c -> transport_finish.c ->
 * transport_job.c, transport_counters.c. */
#ifndef HCP_CLIENT_TRANSPORT_INTERNAL_H
#define HCP_CLIENT_TRANSPORT_INTERNAL_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/backoff.h"
#include "client/transport.h"
#include "common/buf.h"

#define STREAM_ERROR_BODY_MAX (1024u * 1024u) /* a non-2xx answer to a watch is a small Status */
#define RETRY_MAX_WAIT_MS 60000               /* a hostile Retry-After cannot stall a GET longer */
#define MAX_HOST_CONNECTIONS 16               /* HTTP/1.1 servers: each watch holds one connection */
#define SSAR_PATH "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

typedef enum job_state {
    JOB_QUEUED,     /* waiting for hand_to_curl */
    JOB_RUNNING,    /* inside the multi handle */
    JOB_WAIT_RETRY, /* backing off; hand_to_curl again at retry_at_ms */
    JOB_COMPLETE,   /* finished without curl (refused, invalid): on_done at the next poll */
} job_state;

typedef struct job {
    struct job *next;
    transport *t;
    uint64_t id;
    job_state state;
    bool cancelled;
    /* the request, copied */
    char *method, *path, *accept, *content_type, *body;
    size_t body_len;
    long timeout_ms;
    bool stream, no_retry;
    size_t counter;
    transport_done_fn on_done;
    transport_line_fn on_line;
    void *ud;
    /* the attempt in flight */
    CURL *easy;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
    buf resp;
    char *hdr_content_type, *hdr_retry_after;
    transport_lines lines;
    bool status_checked, stream_ok, too_large;
    unsigned attempts;
    bool auth_retried;
    uint64_t cred_gen;       /* the transport's credentials generation this attempt was sent with */
    int64_t retry_at_ms;
    uint64_t nlines, ndropped;
    backoff bo;
    /* a completion without curl */
    transport_error_kind err_kind;
    char *err_text;
} job;

struct transport {
    CURLM *multi;
    job *jobs;
    uint64_t next_id;
    bool in_curl; /* inside curl_multi_perform: curl calls may not be made, cancel is deferred */
    /* connection settings */
    char *url_base;          /* scheme://host:port[/prefix], host replaced by tls-server-name if set */
    char *host_header;       /* "Host: original-authority" when tls-server-name is set */
    struct curl_slist *connect_to;
    char *ca, *cert, *key;
    size_t ca_len, cert_len, key_len;
    bool insecure;
    char *proxy;
    char *token, *username, *password;
    bool read_only;
    char *user_agent;
    bool (*on_unauthorized)(void *ud, transport *t);
    void *on_unauthorized_ud;
    backoff seeder;          /* seeds each job's schedule */
    uint64_t cred_gen;       /* moves when the token or client certificate changes */
    bool held;               /* transport_hold: new attempts wait for fresh credentials */
    uint64_t handed;
    transport_counter *counters;
    size_t ncounters, capcounters;
};

/* transport_job.c */
void transport_job_detach_easy(transport *t, job *j);  /* the easy handle and headers go */
void transport_job_unlink(transport *t, job *j);       /* off the job list (not freed) */
void transport_job_free(transport *t, job *j);
bool transport_deliver_line(void *ud, const char *line, size_t len); /* a transport_lines_fn for a job */

/* transport_finish.c */
/* An attempt ended (curl said rc): count it, classify it, then re-authenticate, retry or deliver. */
void transport_finish_attempt(transport *t, job *j, CURLcode rc);
/* Delivers the jobs that completed without curl (refused, invalid). */
void transport_deliver_completed(transport *t);

/* transport_counters.c */
/* The counter of a request's label (created on first use). */
size_t transport_counter_index(transport *t, const transport_request *req);

#endif
