/* The end of an attempt (see transport_internal.h): its statistics, its error class, then a second
 * try after re-authentication, a retry after backoff, or delivery to the caller. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/transport_internal.h"
#include "client/apierror.h"
#include "common/diaglog.h"
#include "common/timeutil.h"

static bool text_has(const char *s, const char *needle)
{
    return s && strcasestr(s, needle) != NULL;
}

static transport_error_kind classify(CURL *e, CURLcode rc, const char *text)
{
    long verify = 0;
    switch (rc) {
    case CURLE_OK:
        return TRANSPORT_OK;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return TRANSPORT_ERR_RESOLVE;
    case CURLE_COULDNT_CONNECT:
        return TRANSPORT_ERR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return TRANSPORT_ERR_TIMEOUT;
    case CURLE_PEER_FAILED_VERIFICATION:
        curl_easy_getinfo(e, CURLINFO_SSL_VERIFYRESULT, &verify);
        /* OpenSSL X509_V_ERR_*: 62 hostname mismatch, 9/10 not yet valid/expired */
        if (verify == 62 || text_has(text, "subject name") || text_has(text, "host name") ||
            text_has(text, "hostname"))
            return TRANSPORT_ERR_TLS_HOSTNAME;
        if (verify == 9 || verify == 10 || text_has(text, "expired"))
            return TRANSPORT_ERR_TLS_EXPIRED;
        return TRANSPORT_ERR_TLS_UNKNOWN_CA;
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CLIENTCERT:
        return TRANSPORT_ERR_TLS_CLIENT_CERT;
    case CURLE_SSL_CONNECT_ERROR:
        if (text_has(text, "certificate required") || text_has(text, "bad certificate") ||
            text_has(text, "unknown ca") || text_has(text, "key values mismatch"))
            return TRANSPORT_ERR_TLS_CLIENT_CERT;
        if (text_has(text, "certificate verify failed"))
            return TRANSPORT_ERR_TLS_UNKNOWN_CA;
        return TRANSPORT_ERR_TLS;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return TRANSPORT_ERR_TLS;
    default:
        return TRANSPORT_ERR_NETWORK;
    }
}

static bool retryable(transport_error_kind k, long code)
{
    switch (k) {
    case TRANSPORT_ERR_RESOLVE:
    case TRANSPORT_ERR_CONNECT:
    case TRANSPORT_ERR_TIMEOUT:
    case TRANSPORT_ERR_NETWORK:
        return true;
    case TRANSPORT_OK:
        return code == 429 || (code >= 500 && code != 501 && code != 505);
    default:
        return false;
    }
}

static void deliver(transport *t, job *j, const transport_response *r)
{
    transport_job_unlink(t, j);
    if (j->on_done)
        j->on_done(j->ud, r);
    transport_job_free(t, j);
}

/* curl 7.88 says only "Couldn't connect to server": add the system's words ("Connection refused"),
 * which tell a stopped server from an unreachable one. */
static void note_connect_errno(job *j)
{
    long oserr = 0;
    if (curl_easy_getinfo(j->easy, CURLINFO_OS_ERRNO, &oserr) != CURLE_OK || oserr <= 0)
        return;
    size_t n = strlen(j->errbuf);
    if (n == 0)
        n = (size_t)snprintf(j->errbuf, sizeof j->errbuf, "%s", curl_easy_strerror(CURLE_COULDNT_CONNECT));
    if (n < sizeof j->errbuf && !strstr(j->errbuf, strerror((int)oserr)))
        snprintf(j->errbuf + n, sizeof j->errbuf - n, " (%s)", strerror((int)oserr));
}

/* Statistics of the attempt: bytes sent and latency (for streams, the time to the first byte). */
static int64_t attempt_stats(transport *t, job *j)
{
    transport_counter *c = &t->counters[j->counter];
    curl_off_t up = 0, micros = 0;
    long req_size = 0;
    curl_easy_getinfo(j->easy, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(j->easy, CURLINFO_REQUEST_SIZE, &req_size);
    curl_easy_getinfo(j->easy, j->stream ? CURLINFO_STARTTRANSFER_TIME_T : CURLINFO_TOTAL_TIME_T, &micros);
    int64_t latency = (int64_t)(micros / 1000);
    c->bytes_out += (uint64_t)req_size + (uint64_t)up;
    c->latency_last_ms = latency;
    c->latency_sum_ms += latency;
    if (latency > c->latency_max_ms)
        c->latency_max_ms = latency;
    return latency;
}

/* What kind of failure curl's rc is (a body over the limit is its own). */
static transport_error_kind attempt_error_class(job *j, CURLcode rc)
{
    if (rc == CURLE_COULDNT_CONNECT)
        note_connect_errno(j);
    transport_error_kind kind = classify(j->easy, rc, j->errbuf);
    if (rc == CURLE_WRITE_ERROR && j->too_large)
        kind = TRANSPORT_ERR_TOO_LARGE;
    return kind;
}

/* A stream's last partial line is reported as dropped. */
static void attempt_flush_stream(transport *t, job *j)
{
    if (!j->stream || !j->stream_ok)
        return;
    t->in_curl = true; /* a cancel from the line callback only marks the job */
    transport_lines_finish(&j->lines, transport_deliver_line, j);
    t->in_curl = false;
}

/* A GET answered 401: fresh credentials, and the GET goes once more. True when it was queued again;
 * false when it must be delivered as it is (then, if credentials could not be renewed, its easy
 * handle is already gone). */
static bool attempt_reauth(transport *t, job *j, transport_error_kind kind, long code)
{
    if (kind != TRANSPORT_OK || code != 401 || strcmp(j->method, "GET") != 0 || j->auth_retried ||
        !t->on_unauthorized)
        return false;
    j->auth_retried = true;
    transport_job_detach_easy(t, j);
    /* Requests sent together fail together: only the first one refreshes, the others just go
     * again with the credentials it got. */
    if (j->cred_gen != t->cred_gen || t->on_unauthorized(t->on_unauthorized_ud, t)) {
        j->state = JOB_QUEUED;
        t->counters[j->counter].retries++;
        return true;
    }
    j->state = JOB_COMPLETE; /* easy gone: report what we have */
    return false;
}

/* A GET that failed in a way worth retrying waits out its backoff (or the server's Retry-After)
 * and goes again. True when it was scheduled. */
static bool attempt_retry(transport *t, job *j, transport_error_kind kind, long code)
{
    if (strcmp(j->method, "GET") != 0 || j->stream || j->no_retry || j->attempts > TRANSPORT_DEFAULT_RETRIES ||
        !retryable(kind, code))
        return false;
    int64_t floor_ms = -1;
    if (code == 429 || code == 503)
        backoff_parse_retry_after(j->hdr_retry_after, time(NULL), &floor_ms);
    int64_t delay = backoff_next_with_floor_ms(&j->bo, floor_ms, RETRY_MAX_WAIT_MS);
    transport_job_detach_easy(t, j);
    j->state = JOB_WAIT_RETRY;
    j->retry_at_ms = now_ms_monotonic() + delay;
    t->counters[j->counter].retries++;
    return true;
}

/* The job's end: its done callback gets the response, then the job is freed. */
static void attempt_deliver(transport *t, job *j, CURLcode rc, transport_error_kind kind, long code,
                            int64_t latency)
{
    const char *err = NULL;
    if (kind != TRANSPORT_OK)
        err = j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc);
    if (kind == TRANSPORT_ERR_TOO_LARGE)
        err = "response body too large";
    transport_response r = {
        .id = j->id,
        .http_code = kind == TRANSPORT_OK ? code : 0,
        .error_kind = kind,
        .error = err,
        .body = buf_str(&j->resp),
        .body_len = j->resp.len,
        .content_type = j->hdr_content_type,
        .retry_after = j->hdr_retry_after,
        .method = j->method,
        .path = j->path,
        .attempts = j->attempts,
        .latency_ms = latency,
        .lines = j->nlines,
        .lines_dropped = j->ndropped,
    };
    if (j->easy && j->state == JOB_RUNNING) {
        curl_multi_remove_handle(t->multi, j->easy);
        j->state = JOB_COMPLETE;
    }
    deliver(t, j, &r);
}

void transport_finish_attempt(transport *t, job *j, CURLcode rc)
{
    long code = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
    int64_t latency = attempt_stats(t, j);
    transport_error_kind kind = attempt_error_class(j, rc);
    attempt_flush_stream(t, j);
    if (kind != TRANSPORT_OK || code >= 400)
        t->counters[j->counter].errors++;
    if (diaglog_active()) {
        char brief[96] = "";
        if (kind != TRANSPORT_OK || code >= 400)
            apierror_brief(code, kind, NULL, brief, sizeof brief);
        diaglog("request %s %s: %ld%s%s, %lld ms, attempt %u", j->method ? j->method : "GET", j->path, code,
                brief[0] ? " " : "", brief, (long long)latency, j->attempts);
    }
    if (j->cancelled) { /* a line callback cancelled it */
        transport_job_unlink(t, j);
        transport_job_free(t, j);
        return;
    }
    if (attempt_reauth(t, j, kind, code) || attempt_retry(t, j, kind, code))
        return;
    attempt_deliver(t, j, rc, kind, code, latency);
}

void transport_deliver_completed(transport *t)
{
    for (;;) {
        job *j = t->jobs;
        while (j && !(j->state == JOB_COMPLETE && !j->cancelled))
            j = j->next;
        if (!j)
            return;
        transport_response r = {
            .id = j->id,
            .error_kind = j->err_kind,
            .error = j->err_text,
            .body = "",
            .method = j->method,
            .path = j->path,
            .attempts = j->attempts,
        };
        deliver(t, j, &r);
    }
}
