/* The libcurl multi transport (see transport.h).
 *
 * Layout follows curl's multi-app.c and systemd's curl-util/pull-job: a transport owns the multi
 * handle and a list of jobs; each job owns its easy handle, headers, buffers and error text, and is
 * freed in one place (transport_job_free). Submitting only queues a job; hand_to_curl() is the single function
 * that passes a request to libcurl (the read-only check lives there), and it only runs from
 * transport_poll(), outside curl's callbacks, so callbacks may submit and cancel freely. What an
 * attempt's end means (statistics, error class, re-authentication, retry, delivery) is in
 * transport_finish.c, the counters in transport_counters.c, the line splitter in transport_lines.c;
 * the structures they share in transport_internal.h. */
#include "client/transport.h"
#include "client/transport_internal.h"

#include <curl/curl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/backoff.h"
#include "common/buf.h"
#include "common/errfmt.h"
#include "common/secret.h"
#include "common/timeutil.h"

/* ---- setup --------------------------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static char *dup_blob(const char *p, size_t len, size_t *len_out)
{
    if (!p) {
        *len_out = 0;
        return NULL;
    }
    if (len == 0)
        len = strlen(p);
    char *c = xmalloc(len + 1);
    memcpy(c, p, len);
    c[len] = '\0';
    *len_out = len;
    return c;
}

/* Splits the server URL and, for tls-server-name, points the URL at that name and tells curl where to
 * really connect (CURLOPT_CONNECT_TO): curl then sends that name as SNI and verifies the certificate
 * against it, exactly what Go's tls.Config.ServerName does, while the Host header keeps the server's
 * own authority as client-go sends it. */
static bool setup_url(transport *t, const char *server, const char *sni, char *err, size_t errlen)
{
    const char *sep = strstr(server, "://");
    if (!sep || (strncmp(server, "https://", 8) != 0 && strncmp(server, "http://", 7) != 0)) {
        set_err(err, errlen, "server URL must start with https:// (got %.200s)", server);
        return false;
    }
    bool https = server[4] == 's';
    const char *auth = sep + 3;
    size_t auth_len = strcspn(auth, "/?#");
    if (auth_len == 0) {
        set_err(err, errlen, "server URL has no host (%.200s)", server);
        return false;
    }
    const char *prefix = auth + auth_len;
    size_t prefix_len = strcspn(prefix, "?#");
    while (prefix_len > 0 && prefix[prefix_len - 1] == '/')
        prefix_len--;
    for (size_t i = 0; i < auth_len + prefix_len; i++) {
        unsigned char ch = (unsigned char)auth[i];
        if (ch <= ' ' || ch == 0x7f) {
            set_err(err, errlen, "server URL holds a space or control character");
            return false;
        }
    }
    buf b = BUF_INIT;
    if (!sni || !*sni) {
        buf_append(&b, server, (size_t)(auth - server) + auth_len);
        buf_append(&b, prefix, prefix_len);
        t->url_base = buf_steal(&b);
        return true;
    }
    /* host and port of the authority ("[::1]:6443", "10.0.0.1", "api.example:6443") */
    const char *host = auth;
    size_t host_len = auth_len;
    const char *port = NULL;
    size_t port_len = 0;
    if (auth[0] == '[') {
        const char *close = memchr(auth, ']', auth_len);
        if (!close) {
            set_err(err, errlen, "server URL has a malformed IPv6 address");
            return false;
        }
        host_len = (size_t)(close - auth) + 1;
        if (host_len < auth_len && auth[host_len] == ':') {
            port = auth + host_len + 1;
            port_len = auth_len - host_len - 1;
        }
    } else {
        const char *colon = memchr(auth, ':', auth_len);
        if (colon) {
            host_len = (size_t)(colon - auth);
            port = colon + 1;
            port_len = auth_len - host_len - 1;
        }
    }
    char portbuf[8];
    if (!port || port_len == 0) {
        snprintf(portbuf, sizeof portbuf, "%s", https ? "443" : "80");
    } else if (port_len >= sizeof portbuf) {
        set_err(err, errlen, "server URL has a malformed port");
        return false;
    } else {
        memcpy(portbuf, port, port_len);
        portbuf[port_len] = '\0';
    }
    for (const char *p = sni; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '/' || *p == ':' || *p == '@') {
            set_err(err, errlen, "tls-server-name is not a host name");
            return false;
        }
    buf_printf(&b, "%s://%s:%s", https ? "https" : "http", sni, portbuf);
    buf_append(&b, prefix, prefix_len);
    t->url_base = buf_steal(&b);
    buf_printf(&b, "%s:%s:%.*s:%s", sni, portbuf, (int)host_len, host, portbuf);
    t->connect_to = curl_slist_append(NULL, buf_str(&b));
    buf_free(&b);
    buf_printf(&b, "Host: %.*s", (int)auth_len, auth);
    t->host_header = buf_steal(&b);
    if (!t->connect_to) {
        set_err(err, errlen, "out of memory");
        return false;
    }
    return true;
}

transport *transport_new(const transport_config *cfg, char *err, size_t errlen)
{
    if (!cfg || !cfg->server || !*cfg->server) {
        set_err(err, errlen, "no server URL");
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        set_err(err, errlen, "libcurl could not be initialised");
        return NULL;
    }
    /* CURLOPT_NOSIGNAL leaves SIGPIPE to us: a server closing a connection must not kill the console. */
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
    transport *t = xcalloc(1, sizeof *t);
    if (!setup_url(t, cfg->server, cfg->tls_server_name, err, errlen)) {
        transport_free(t);
        return NULL;
    }
    t->multi = curl_multi_init();
    if (!t->multi) {
        set_err(err, errlen, "libcurl could not create a multi handle");
        transport_free(t);
        return NULL;
    }
    curl_multi_setopt(t->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(t->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)MAX_HOST_CONNECTIONS);
    t->ca = dup_blob(cfg->ca_pem, cfg->ca_pem_len, &t->ca_len);
    t->cert = dup_blob(cfg->client_cert_pem, cfg->client_cert_pem_len, &t->cert_len);
    t->key = dup_blob(cfg->client_key_pem, cfg->client_key_pem_len, &t->key_len);
    t->insecure = cfg->insecure_skip_tls_verify;
    t->proxy = dup_or_null(cfg->proxy_url);
    t->token = cfg->token && *cfg->token ? xstrdup(cfg->token) : NULL;
    t->username = dup_or_null(cfg->username);
    t->password = dup_or_null(cfg->password);
    t->read_only = cfg->read_only;
    t->on_unauthorized = cfg->on_unauthorized;
    t->on_unauthorized_ud = cfg->on_unauthorized_ud;
    t->user_agent = xasprintf(TRANSPORT_USER_AGENT_PREFIX "%s", cfg->version && *cfg->version ? cfg->version : "dev");
    uint64_t seed = cfg->seed ? cfg->seed : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
    backoff_init(&t->seeder, 1, 1.0, 1, seed);
    t->next_id = 1;
    return t;
}

static void job_reset_attempt(job *j)
{
    buf_free(&j->resp);
    free(j->hdr_content_type);
    free(j->hdr_retry_after);
    j->hdr_content_type = j->hdr_retry_after = NULL;
    transport_lines_free(&j->lines);
    transport_lines_init(&j->lines, TRANSPORT_MAX_LINE);
    j->status_checked = j->stream_ok = j->too_large = false;
    j->errbuf[0] = '\0';
}

static job *job_find(transport *t, uint64_t id)
{
    for (job *j = t->jobs; j; j = j->next)
        if (j->id == id)
            return j;
    return NULL;
}

void transport_free(transport *t)
{
    if (!t)
        return;
    while (t->jobs) {
        job *j = t->jobs;
        t->jobs = j->next;
        transport_job_free(t, j);
    }
    if (t->multi)
        curl_multi_cleanup(t->multi);
    curl_slist_free_all(t->connect_to);
    free(t->url_base);
    free(t->host_header);
    free(t->ca);
    free(t->cert);
    secret_free(t->key, t->key_len);
    free(t->proxy);
    secret_free(t->token, 0);
    free(t->username);
    secret_free(t->password, 0);
    free(t->user_agent);
    free(t->counters);
    free(t);
    curl_global_cleanup();
}

void transport_set_token(transport *t, const char *token)
{
    secret_free(t->token, 0);
    t->token = token && *token ? xstrdup(token) : NULL;
    t->cred_gen++;
}

void transport_set_client_cert(transport *t, const char *cert_pem, size_t cert_len, const char *key_pem,
                               size_t key_len)
{
    free(t->cert);
    secret_free(t->key, t->key_len);
    t->cert = dup_blob(cert_pem, cert_len, &t->cert_len);
    t->key = dup_blob(key_pem, key_len, &t->key_len);
    t->cred_gen++;
}

bool transport_read_only(const transport *t)
{
    return t->read_only;
}

uint64_t transport_handed_count(const transport *t)
{
    return t->handed;
}

bool transport_read_only_allows(const char *method, const char *path)
{
    if (!method || strcmp(method, "GET") == 0)
        return true;
    /* The permission probe: creating a SelfSubjectAccessReview changes nothing on the server. */
    if (strcmp(method, "POST") == 0 && path) {
        size_t n = strcspn(path, "?");
        return n == strlen(SSAR_PATH) && strncmp(path, SSAR_PATH, n) == 0;
    }
    return false;
}

/* ---- submit and cancel --------------------------------------------------------------------------- */

uint64_t transport_submit(transport *t, const transport_request *req)
{
    job *j = xcalloc(1, sizeof *j);
    j->t = t;
    j->id = t->next_id++;
    j->method = xstrdup(req->method ? req->method : "GET");
    j->path = xstrdup(req->path ? req->path : "");
    j->accept = xstrdup(req->accept ? req->accept : "application/json");
    if (req->body) {
        j->body = xmalloc(req->body_len + 1);
        memcpy(j->body, req->body, req->body_len);
        j->body[req->body_len] = '\0';
        j->body_len = req->body_len;
        j->content_type = xstrdup(req->content_type ? req->content_type : "application/json");
    }
    j->timeout_ms = req->timeout_ms;
    j->stream = req->stream;
    j->no_retry = req->no_retry;
    j->counter = transport_counter_index(t, req);
    j->on_done = req->on_done;
    j->on_line = req->on_line;
    j->ud = req->ud;
    j->state = JOB_QUEUED;
    transport_lines_init(&j->lines, TRANSPORT_MAX_LINE);
    backoff_init(&j->bo, 500, 2.0, 8000, backoff_rand_upto(&t->seeder, UINT64_MAX));
    /* append, so jobs start in submission order */
    job **pp = &t->jobs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = j;
    return j->id;
}

void transport_cancel(transport *t, uint64_t id)
{
    job *j = job_find(t, id);
    if (!j || j->cancelled)
        return;
    j->cancelled = true;
    if (j->state == JOB_RUNNING && t->in_curl)
        return; /* curl is using the handle: the write callback aborts it, sweep_cancelled frees it */
    transport_job_unlink(t, j);
    transport_job_free(t, j);
}

size_t transport_pending(const transport *t)
{
    size_t n = 0;
    for (const job *j = t->jobs; j; j = j->next)
        n += !j->cancelled;
    return n;
}

/* ---- curl callbacks ------------------------------------------------------------------------------ */

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
    job *j = ud;
    size_t len = size * nmemb;
    if (j->cancelled)
        return 0; /* aborts the transfer */
    j->t->counters[j->counter].bytes_in += len; /* as it arrives: watches are long */
    if (j->stream) {
        if (!j->status_checked) {
            long code = 0;
            curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
            j->stream_ok = code >= 200 && code < 300;
            j->status_checked = true;
        }
        if (j->stream_ok) {
            transport_lines_feed(&j->lines, data, len, transport_deliver_line, j);
            return j->cancelled ? 0 : len;
        }
        if (j->resp.len + len > STREAM_ERROR_BODY_MAX)
            return 0;
    } else if (j->resp.len + len > TRANSPORT_MAX_BODY) {
        j->too_large = true;
        return 0;
    }
    buf_append(&j->resp, data, len);
    return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return NULL;
    const char *v = line + n + 1;
    size_t vl = len - n - 1;
    while (vl > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        vl--;
    }
    while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
        vl--;
    return xstrndup(v, vl);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    job *j = ud;
    size_t len = size * nmemb;
    j->t->counters[j->counter].bytes_in += len;
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) { /* a new response (after 100 Continue) */
        free(j->hdr_content_type);
        free(j->hdr_retry_after);
        j->hdr_content_type = j->hdr_retry_after = NULL;
        return len;
    }
    char *v;
    if ((v = header_value(data, len, "content-type"))) {
        free(j->hdr_content_type);
        j->hdr_content_type = v;
    } else if ((v = header_value(data, len, "retry-after"))) {
        free(j->hdr_retry_after);
        j->hdr_retry_after = v;
    }
    return len;
}

/* ---- the one door to libcurl --------------------------------------------------------------------- */

static void complete_without_curl(job *j, transport_error_kind kind, const char *what)
{
    free(j->err_text);
    j->err_text = xasprintf("%s %.16s %.1000s", what, j->method, j->path);
    j->err_kind = kind;
    j->state = JOB_COMPLETE;
}

static bool method_valid(const char *m)
{
    size_t n = strlen(m);
    if (n == 0 || n > 16)
        return false;
    for (; *m; m++)
        if (*m < 'A' || *m > 'Z')
            return false;
    return true;
}

static bool path_valid(const char *p)
{
    if (p[0] != '/')
        return false;
    for (; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static struct curl_slist *build_headers(const transport *t, const job *j)
{
    struct curl_slist *h = NULL;
    buf b = BUF_INIT;
    buf_printf(&b, "Accept: %s", j->accept);
    h = curl_slist_append(h, buf_str(&b));
    if (j->body) {
        buf_reset(&b);
        buf_printf(&b, "Content-Type: %s", j->content_type);
        h = curl_slist_append(h, buf_str(&b));
    }
    if (t->token) {
        buf_reset(&b);
        buf_printf(&b, "Authorization: Bearer %s", t->token);
        h = curl_slist_append(h, buf_str(&b));
        secret_wipe(b.data, b.len);
    }
    if (t->host_header)
        h = curl_slist_append(h, t->host_header);
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip for bodies */
    buf_free(&b);
    return h;
}

static void set_blob(CURL *e, CURLoption opt, char *data, size_t len)
{
    struct curl_blob blob = {.data = data, .len = len, .flags = CURL_BLOB_COPY};
    curl_easy_setopt(e, opt, &blob);
}

static CURL *build_easy(transport *t, job *j)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    buf url = BUF_INIT;
    buf_puts(&url, t->url_base);
    buf_puts(&url, j->path);
    curl_easy_setopt(e, CURLOPT_URL, buf_str(&url));
    buf_free(&url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_USERAGENT, t->user_agent);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)TRANSPORT_CONNECT_TIMEOUT_MS);
    if (j->stream) {
        if (j->timeout_ms > 0)
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, j->timeout_ms);
    } else {
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, j->timeout_ms > 0 ? j->timeout_ms : (long)TRANSPORT_DEFAULT_TIMEOUT_MS);
    }
    /* a peer that vanished without a FIN is noticed on an idle watch */
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 15L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    if (strcmp(j->method, "GET") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->method);
    if (j->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
    }
    j->headers = build_headers(t, j);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
    if (t->connect_to)
        curl_easy_setopt(e, CURLOPT_CONNECT_TO, t->connect_to);
    if (t->ca) {
        set_blob(e, CURLOPT_CAINFO_BLOB, t->ca, t->ca_len);
        curl_easy_setopt(e, CURLOPT_CAPATH, NULL); /* trust only the kubeconfig's CA, as client-go does */
    }
    if (t->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (t->cert && t->key) {
        set_blob(e, CURLOPT_SSLCERT_BLOB, t->cert, t->cert_len);
        curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
        set_blob(e, CURLOPT_SSLKEY_BLOB, t->key, t->key_len);
        curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (t->username && t->password && !t->token) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, t->username);
        curl_easy_setopt(e, CURLOPT_PASSWORD, t->password);
    }
    if (t->proxy) { /* an explicit proxy-url is always used, as client-go does: NO_PROXY does not apply */
        curl_easy_setopt(e, CURLOPT_PROXY, t->proxy);
        curl_easy_setopt(e, CURLOPT_NOPROXY, "");
    }
    return e;
}

/* Every request reaches libcurl here and nowhere else. */
static void hand_to_curl(transport *t, job *j)
{
    transport_counter *c = &t->counters[j->counter];
    if (!method_valid(j->method) || !path_valid(j->path) || (j->body && strcmp(j->method, "GET") == 0)) {
        complete_without_curl(j, TRANSPORT_ERR_INVALID, "invalid request:");
        c->errors++;
        return;
    }
    if (t->read_only && !transport_read_only_allows(j->method, j->path)) {
        complete_without_curl(j, TRANSPORT_ERR_READ_ONLY, "read-only mode: refused to send");
        c->refused++;
        return;
    }
    job_reset_attempt(j);
    j->easy = build_easy(t, j);
    if (!j->easy || curl_multi_add_handle(t->multi, j->easy) != CURLM_OK) {
        transport_job_detach_easy(t, j);
        complete_without_curl(j, TRANSPORT_ERR_NETWORK, "could not start");
        c->errors++;
        return;
    }
    j->state = JOB_RUNNING;
    j->cred_gen = t->cred_gen;
    j->attempts++;
    t->handed++;
    c->count++;
}

static void hand_pending(transport *t)
{
    if (t->held)
        return;
    int64_t now = now_ms_monotonic();
    for (job *j = t->jobs; j; j = j->next) {
        if (j->cancelled)
            continue;
        if (j->state == JOB_QUEUED || (j->state == JOB_WAIT_RETRY && now >= j->retry_at_ms))
            hand_to_curl(t, j);
    }
}

static void sweep_cancelled(transport *t)
{
    job **pp = &t->jobs;
    while (*pp) {
        job *j = *pp;
        if (j->cancelled) {
            *pp = j->next;
            transport_job_free(t, j);
        } else {
            pp = &j->next;
        }
    }
}

typedef struct done_msg {
    uint64_t id;
    CURLcode rc;
} done_msg;

static void run_curl(transport *t)
{
    int running = 0;
    t->in_curl = true;
    curl_multi_perform(t->multi, &running);
    t->in_curl = false;

    /* Collect first (ids, not pointers), then act: callbacks may cancel or free any job. */
    done_msg *done = NULL;
    size_t ndone = 0, cap = 0;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(t->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        job *j = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        if (!j)
            continue;
        if (ndone == cap) {
            cap = cap ? cap * 2 : 8;
            done = xrealloc(done, cap * sizeof *done);
        }
        done[ndone++] = (done_msg){j->id, m->data.result};
    }
    sweep_cancelled(t);
    for (size_t i = 0; i < ndone; i++) {
        job *j = job_find(t, done[i].id);
        if (j && !j->cancelled && j->state == JOB_RUNNING)
            transport_finish_attempt(t, j, done[i].rc);
    }
    free(done);
    sweep_cancelled(t);
    transport_deliver_completed(t);
}

int transport_next_timeout_ms(const transport *t)
{
    int64_t now = now_ms_monotonic(), best = -1;
    for (const job *j = t->jobs; j; j = j->next) {
        if (j->cancelled)
            continue;
        if (j->state == JOB_COMPLETE)
            return 0;
        if (t->held) /* waiting jobs are due when the hold ends, not before */
            continue;
        if (j->state == JOB_QUEUED)
            return 0;
        if (j->state == JOB_WAIT_RETRY) {
            int64_t d = j->retry_at_ms - now;
            if (d < 0)
                d = 0;
            if (best < 0 || d < best)
                best = d;
        }
    }
    return best > INT_MAX ? INT_MAX : (int)best;
}

#define POLL_EXTRA_MAX TRANSPORT_POLL_FDS_MAX

int transport_poll_fds(transport *t, const int *fds, size_t nfds, int timeout_ms, bool *ready)
{
    struct curl_waitfd w[POLL_EXTRA_MAX];
    size_t map[POLL_EXTRA_MAX]; /* w[k] is fds[map[k]] */
    unsigned nw = 0;
    for (size_t i = 0; i < nfds; i++) {
        if (ready)
            ready[i] = false;
        if (fds[i] >= 0 && nw < POLL_EXTRA_MAX) {
            w[nw] = (struct curl_waitfd){.fd = fds[i], .events = CURL_WAIT_POLLIN, .revents = 0};
            map[nw++] = i;
        }
    }
    hand_pending(t);
    transport_deliver_completed(t); /* refusals complete without waiting for the network */
    int wait = timeout_ms < 0 ? 3600 * 1000 : timeout_ms;
    int own = transport_next_timeout_ms(t);
    if (own >= 0 && own < wait)
        wait = own;
    CURLMcode mc = curl_multi_poll(t->multi, nw ? w : NULL, nw, wait, NULL);
    if (mc != CURLM_OK)
        return -1;
    for (unsigned k = 0; ready && k < nw; k++)
        ready[map[k]] = w[k].revents != 0;
    run_curl(t);
    hand_pending(t);
    return 0;
}

int transport_poll(transport *t, int extra_fd, int timeout_ms, bool *fd_ready)
{
    bool ready = false;
    int rc = transport_poll_fds(t, &extra_fd, 1, timeout_ms, &ready);
    if (fd_ready)
        *fd_ready = ready;
    return rc;
}

void transport_hold(transport *t, bool hold)
{
    t->held = hold;
}

