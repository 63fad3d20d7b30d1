#include "sim/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/secret.h"
#include "common/timeutil.h"
#include "sim/faults.h"
#include "sim/httpapi.h"
#include "sim/httpkubeconfig.h"
#include "sim/httpstream.h"
#include "sim/openapi.h"
#include "sim/pki.h"
#include "sim/world.h"

#define TOKEN_HEX 48
#define CONTROL_PREFIX "/hcpsim/v1/"

struct sim_server {
    sim_world *world;
    sim_store *store;
    sim_pki pki;
    char admin_token[TOKEN_HEX + 1];
    char readonly_token[TOKEN_HEX + 1];
    struct MHD_Daemon *daemon;
    char address[80]; /* "127.0.0.1:PORT" */
    char url[96];
    char *admin_kubeconfig;
    char *readonly_kubeconfig;
    uint64_t seed;
    pthread_mutex_t faults_lock;
    sim_faults *faults;
    pthread_mutex_t log_lock;
    FILE *log;
    atomic_bool stopping;
    sim_api api;
    sim_openapi *openapi; /* --crds: the OpenAPI v3 documents, or NULL */
};

/* ---------------------------------------------------------------------------------------------- */
/* helpers                                                                                         */

/* ---------------------------------------------------------------------------------------------- */
/* request log                                                                                     */

typedef struct request_ctx {
    sim_server *srv;
    char *uri; /* raw, with the query: what the log prints */
    char method[16];
    int64_t start_ms;
    bool started;
    buf body;
    bool too_large;
    int status; /* 0: no response (reset) */
    sim_identity identity;
    bool logged;
} request_ctx;

/* Logged when the answer is queued (a watch's line appears when it opens, not when it ends), or at
 * the end for a request that got no answer. */
static void log_request(sim_server *s, request_ctx *rc)
{
    if (!s->log || rc->logged)
        return;
    rc->logged = true;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    char status[16];
    if (rc->status)
        snprintf(status, sizeof status, "%d", rc->status);
    else
        strcpy(status, "reset");
    pthread_mutex_lock(&s->log_lock);
    fprintf(s->log, "%s.%03ldZ %s %s %s %s %lld\n", when, ts.tv_nsec / 1000000L, sim_identity_name(rc->identity),
            rc->method[0] ? rc->method : "-", rc->uri ? rc->uri : "-", status,
            (long long)(now_ms_monotonic() - rc->start_ms));
    fflush(s->log);
    pthread_mutex_unlock(&s->log_lock);
}

/* MHD calls this first for every request: the context it returns follows the request. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)conn;
    request_ctx *rc = xcalloc(1, sizeof *rc);
    rc->srv = cls;
    rc->uri = xstrdup(uri ? uri : "");
    rc->start_ms = now_ms_monotonic();
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    request_ctx *rc = *req_cls;
    if (!rc)
        return;
    log_request(rc->srv, rc);
    buf_free(&rc->body);
    free(rc->uri);
    free(rc);
    *req_cls = NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* authentication                                                                                  */

/* The admin is whoever shows a client certificate that our CA signed for CN hcpsim-admin. */
static bool has_admin_certificate(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (!ci || !ci->tls_session)
        return false;
    gnutls_session_t session = (gnutls_session_t)ci->tls_session;
    unsigned int status = 0;
    if (gnutls_certificate_type_get(session) != GNUTLS_CRT_X509 ||
        gnutls_certificate_verify_peers2(session, &status) != GNUTLS_E_SUCCESS || status != 0)
        return false;
    unsigned int n = 0;
    const gnutls_datum_t *peers = gnutls_certificate_get_peers(session, &n);
    if (!peers || n == 0)
        return false;
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS)
        return false;
    char cn[128];
    size_t cn_len = sizeof cn;
    bool ok = gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS &&
              gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &cn_len) == GNUTLS_E_SUCCESS &&
              strcmp(cn, SIM_PKI_ADMIN_CN) == 0;
    gnutls_x509_crt_deinit(crt);
    return ok;
}

/* Compares without an early exit, so the time taken says nothing about the token. */
static bool token_equal(const char *given, const char *want)
{
    size_t n = strlen(want);
    if (strlen(given) != n)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ want[i]);
    return diff == 0;
}

/* SIM_ID_ANONYMOUS also for a wrong token: both get 401. */
static sim_identity authenticate(sim_server *s, struct MHD_Connection *conn)
{
    if (has_admin_certificate(conn))
        return SIM_ID_ADMIN;
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return SIM_ID_ANONYMOUS;
    const char *token = auth + 7;
    while (*token == ' ')
        token++;
    if (token_equal(token, s->admin_token))
        return SIM_ID_ADMIN_TOKEN;
    if (token_equal(token, s->readonly_token))
        return SIM_ID_READONLY;
    return SIM_ID_ANONYMOUS;
}

/* ---------------------------------------------------------------------------------------------- */
/* query                                                                                           */

typedef struct query {
    sim_query_param items[64];
    size_t n;
} query;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query *q = cls;
    if (q->n < sizeof q->items / sizeof q->items[0] && key) {
        q->items[q->n].key = key;
        q->items[q->n].value = value ? value : "";
        q->n++;
    }
    return MHD_YES;
}

/* One `Warning: 299 - "text"` header per line, the text quoted as Go's strconv.Quote does
 * (k8s.io/apimachinery pkg/util/net NewWarningHeader). */
static void add_warning_headers(struct MHD_Response *r, const char *warnings)
{
    for (const char *p = warnings; p && *p;) {
        size_t n = strcspn(p, "\n");
        buf h = BUF_INIT;
        buf_puts(&h, "299 - \"");
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '"' || p[i] == '\\')
                buf_putc(&h, '\\');
            buf_putc(&h, p[i]);
        }
        buf_putc(&h, '"');
        MHD_add_response_header(r, "Warning", buf_str(&h));
        buf_free(&h);
        p += n;
        if (*p == '\n')
            p++;
    }
}

static enum MHD_Result send_response(request_ctx *rc, struct MHD_Connection *conn, sim_http_response *resp,
                                     const sim_fault_plan *plan, int retry_after_s)
{
    struct MHD_Response *r;
    if (resp->is_watch) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        r = sim_stream_watch(&rc->srv->api, &rc->srv->stopping, ci ? ci->connect_fd : -1, resp, plan);
    } else {
        r = sim_stream_plain(resp, plan);
    }
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type ? resp->content_type : "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache, private");
    add_warning_headers(r, resp->warnings);
    if (retry_after_s > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry_after_s);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    rc->status = resp->code;
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned int)resp->code, r);
    MHD_destroy_response(r);
    log_request(rc->srv, rc);
    return ok;
}

/* ---------------------------------------------------------------------------------------------- */
/* the control API (/hcpsim/v1/...): test hooks a real apiserver does not have                     */

static cJSON *faults_doc(sim_server *s)
{
    cJSON *doc = cJSON_CreateObject();
    pthread_mutex_lock(&s->faults_lock);
    cJSON_AddStringToObject(doc, "spec", s->faults ? s->faults->spec : "");
    pthread_mutex_unlock(&s->faults_lock);
    return doc;
}

static void control(sim_server *s, const sim_http_request *req, sim_http_response *resp)
{
    const char *what = req->path + strlen(CONTROL_PREFIX);
    bool put = strcmp(req->method, "PUT") == 0, post = strcmp(req->method, "POST") == 0;
    if (strcmp(what, "faults") == 0 && (put || strcmp(req->method, "GET") == 0)) {
        if (put) {
            char *spec = xstrndup(req->body ? req->body : "", req->body_len);
            char err[256];
            sim_faults *f = strlen(spec) == req->body_len ? sim_faults_parse(spec, s->seed, err, sizeof err) : NULL;
            if (!f && strlen(spec) != req->body_len)
                snprintf(err, sizeof err, "faults: the spec contains a NUL byte");
            free(spec);
            if (!f) {
                sim_response_status(resp, 400, sim_status(400, "BadRequest", err, NULL, NULL));
                return;
            }
            pthread_mutex_lock(&s->faults_lock);
            sim_faults *old = s->faults;
            s->faults = f;
            pthread_mutex_unlock(&s->faults_lock);
            sim_faults_free(old);
        }
        sim_response_json(resp, 200, faults_doc(s));
        return;
    }
    if (strcmp(what, "compact") == 0 && post) {
        sim_store_compact(s->store);
        cJSON *doc = cJSON_CreateObject();
        char rv[32];
        snprintf(rv, sizeof rv, "%llu", (unsigned long long)sim_store_rv(s->store));
        cJSON_AddStringToObject(doc, "resourceVersion", rv);
        sim_response_json(resp, 200, doc);
        return;
    }
    if (strcmp(what, "tick") == 0 && post) {
        const char *n_text = sim_query_get(req, "n");
        long n = 1;
        char *end = NULL;
        if (n_text && *n_text)
            n = strtol(n_text, &end, 10);
        if ((end && *end) || n < 1 || n > 100000) {
            sim_response_status(resp, 400, sim_status(400, "BadRequest", "n must be an integer from 1 to 100000",
                                                      NULL, NULL));
            return;
        }
        sim_world_tick(s->world, (int)n);
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddNumberToObject(doc, "ticks", (double)n);
        char rv[32];
        snprintf(rv, sizeof rv, "%llu", (unsigned long long)sim_store_rv(s->store));
        cJSON_AddStringToObject(doc, "resourceVersion", rv);
        sim_response_json(resp, 200, doc);
        return;
    }
    sim_response_status(resp, 404,
                        sim_status(404, "NotFound", "the server could not find the requested resource", NULL, NULL));
}

/* The control API is for the admin only. */
static void control_request(sim_server *s, const sim_http_request *req, sim_http_response *resp)
{
    if (req->identity == SIM_ID_ANONYMOUS)
        sim_response_status(resp, 401, sim_status(401, "Unauthorized", "Unauthorized", NULL, NULL));
    else if (req->identity == SIM_ID_READONLY)
        sim_response_status(resp, 403,
                            sim_status(403, "Forbidden",
                                       "forbidden: User \"" SIM_READONLY_USER "\" cannot use the hcpsim control API",
                                       NULL, NULL));
    else
        control(s, req, resp);
}

/* An injected error, with the reason kube-apiserver gives that code (and, with a Retry-After, the
 * details.retryAfterSeconds it writes next to the header). */
static void fault_error(int code, int retry_after_s, sim_http_response *resp)
{
    static const struct { int code; const char *reason, *message; } errs[] = {
        {429, "TooManyRequests", "Too many requests, please try again later."},
        {500, "InternalError", "Internal error occurred: injected by hcpsim faults"},
        {502, "InternalError", "Bad Gateway: injected by hcpsim faults"},
        {503, "ServiceUnavailable", "The server is currently unable to handle the request (injected by hcpsim faults)"},
        {504, "Timeout", "The server was unable to return a response in the time allotted (injected by hcpsim faults)"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
        if (errs[i].code == code) {
            cJSON *st = sim_status(code, errs[i].reason, errs[i].message, NULL, NULL);
            if (retry_after_s > 0) {
                cJSON *details = cJSON_CreateObject();
                cJSON_AddNumberToObject(details, "retryAfterSeconds", retry_after_s);
                sim_status_put_details(st, details);
            }
            sim_response_status(resp, code, st);
            return;
        }
    sim_response_status(resp, 500, sim_status(500, "InternalError", "Internal error occurred", NULL, NULL));
}

/* ---------------------------------------------------------------------------------------------- */
/* the request handler                                                                             */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)version;
    sim_server *s = cls;
    request_ctx *rc = *req_cls;
    if (!rc) /* the URI callback always sets it; be safe */
        return MHD_NO;
    if (!rc->started) {
        rc->started = true;
        snprintf(rc->method, sizeof rc->method, "%s", method);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!rc->too_large && rc->body.len + *upload_data_size <= SIM_BODY_MAX)
            buf_append(&rc->body, upload_data, *upload_data_size);
        else
            rc->too_large = true; /* keep reading, answer 413 at the end */
        *upload_data_size = 0;
        return MHD_YES;
    }

    rc->identity = authenticate(s, conn);
    query q = {.n = 0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
    sim_http_request req = {
        .method = method,
        .path = url,
        .query = q.items,
        .n_query = q.n,
        .content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
        .accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
        .body = rc->body.data ? rc->body.data : "",
        .body_len = rc->body.len,
        .identity = rc->identity,
    };
    sim_http_response resp;
    memset(&resp, 0, sizeof resp);
    sim_fault_plan plan = {0};
    int retry_after = 0;

    if (strncmp(url, CONTROL_PREFIX, strlen(CONTROL_PREFIX)) == 0) {
        control_request(s, &req, &resp); /* never faulted */
    } else {
        const char *watch = sim_query_get(&req, "watch");
        bool is_watch = watch && (strcmp(watch, "1") == 0 || strcmp(watch, "true") == 0);
        pthread_mutex_lock(&s->faults_lock);
        plan = sim_faults_decide(s->faults, method, url, is_watch);
        pthread_mutex_unlock(&s->faults_lock);
        sim_sleep_ms(plan.latency_ms);
        if (plan.reset) {
            rc->status = 0;
            return MHD_NO; /* MHD closes the connection without a response */
        }
        if (plan.error_code) {
            fault_error(plan.error_code, plan.retry_after_s, &resp);
            retry_after = plan.retry_after_s;
            plan.truncate = plan.malformed = false;
        } else if (rc->too_large) {
            sim_response_status(&resp, 413, sim_status(413, "RequestEntityTooLarge",
                                                       "Request entity too large: limit is 3145728", NULL, NULL));
        } else {
            sim_api_handle(&s->api, &req, &resp);
        }
    }
    enum MHD_Result r = send_response(rc, conn, &resp, &plan, retry_after);
    sim_http_response_free(&resp);
    return r;
}

/* ---------------------------------------------------------------------------------------------- */
/* start and stop                                                                                  */

/* "127.0.0.1:0", "[::1]:8443", "localhost:0" into a socket address. */
static bool parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, bool *v6, char *err,
                         size_t errlen)
{
    char host[64];
    const char *port_text;
    memset(ss, 0, sizeof *ss);
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
            goto bad;
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        host[close - listen - 1] = '\0';
        port_text = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            goto bad;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port_text = colon + 1;
    }
    if (!*port_text || strspn(port_text, "0123456789") != strlen(port_text) || strlen(port_text) > 5 ||
        atol(port_text) > 65535)
        goto bad;
    uint16_t port = (uint16_t)atol(port_text);
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        *len = sizeof *in4;
        *v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        *len = sizeof *in6;
        *v6 = true;
        return true;
    }
bad:
    set_err(err, errlen, "bad listen address \"%s\" (want HOST:PORT with an IP address, e.g. 127.0.0.1:0)", listen);
    return false;
}

/* The listener accepts a TCP connection: the kubeconfig may be handed out. */
static bool port_answers(const struct sockaddr_storage *ss, socklen_t len)
{
    for (int attempt = 0; attempt < 50; attempt++) {
        int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return false;
        bool ok = connect(fd, (const struct sockaddr *)ss, len) == 0;
        close(fd);
        if (ok)
            return true;
        sim_sleep_ms(20);
    }
    return false;
}

static void free_server(sim_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    sim_world_free(s->world);
    sim_openapi_free(s->openapi);
    sim_faults_free(s->faults);
    sim_pki_free(&s->pki);
    secret_free(s->admin_kubeconfig, 0); /* they hold the admin key and the tokens */
    secret_free(s->readonly_kubeconfig, 0);
    secret_wipe(s->admin_token, sizeof s->admin_token);
    secret_wipe(s->readonly_token, sizeof s->readonly_token);
    if (s->log)
        fclose(s->log);
    pthread_mutex_destroy(&s->faults_lock);
    pthread_mutex_destroy(&s->log_lock);
    free(s);
}

static void mhd_quiet(void *cls, const char *fmt, va_list ap)
{
    /* TLS handshakes that fail (a client without our CA) are the client's business, not ours. */
    (void)cls;
    (void)fmt;
    (void)ap;
}

sim_server *sim_server_start(const sim_server_config *cfg, char *err, size_t errlen)
{
    const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:0";
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    bool v6 = false;
    if (!parse_listen(listen, &ss, &sslen, &v6, err, errlen))
        return NULL;
    if (cfg->tick_ms < 0) {
        set_err(err, errlen, "bad tick %d (milliseconds, 0 for manual ticks)", cfg->tick_ms);
        return NULL;
    }
    /* A client that hangs up mid-response must not kill the process (MHD's advice). */
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);

    sim_server *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->faults_lock, NULL);
    pthread_mutex_init(&s->log_lock, NULL);
    atomic_init(&s->stopping, false);
    s->seed = cfg->seed;
    char detail[256];
    if (!(s->faults = sim_faults_parse(cfg->faults, cfg->seed, detail, sizeof detail))) {
        set_err(err, errlen, "%s", detail);
        goto fail;
    }
    if (!(s->world = sim_world_new(cfg->fleet ? cfg->fleet : "demo", cfg->seed, cfg->tick_ms, detail, sizeof detail))) {
        set_err(err, errlen, "%s", detail);
        goto fail;
    }
    s->store = sim_world_store(s->world);
    if (cfg->crd_dir && !(s->openapi = sim_openapi_load(cfg->crd_dir, err, errlen)))
        goto fail;
    if (!sim_pki_generate(&s->pki, detail, sizeof detail)) {
        set_err(err, errlen, "%s", detail);
        goto fail;
    }
    if (!sim_random_hex(s->admin_token, TOKEN_HEX) || !sim_random_hex(s->readonly_token, TOKEN_HEX)) {
        set_err(err, errlen, "cannot read random bytes for the tokens");
        goto fail;
    }
    if (cfg->request_log && !(s->log = fopen(cfg->request_log, "ae"))) {
        set_err(err, errlen, "cannot open the request log %s: %s", cfg->request_log, strerror(errno));
        goto fail;
    }
    unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_TLS;
    if (v6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                 MHD_OPTION_HTTPS_MEM_KEY, s->pki.server_key_pem,
                                 MHD_OPTION_HTTPS_MEM_CERT, s->pki.server_cert_pem,
                                 MHD_OPTION_HTTPS_MEM_TRUST, s->pki.ca_cert_pem,
                                 MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)300,
                                 MHD_OPTION_EXTERNAL_LOGGER, mhd_quiet, NULL,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        set_err(err, errlen, "cannot listen on %s (address in use, or not a local address?)", listen);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    uint16_t port = di ? di->port : 0;
    if (!port) {
        set_err(err, errlen, "cannot learn the port the server listens on");
        goto fail;
    }
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (v6) {
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
        snprintf(s->address, sizeof s->address, "[%s]:%u", host, port);
    } else {
        ((struct sockaddr_in *)&ss)->sin_port = htons(port);
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
        snprintf(s->address, sizeof s->address, "%s:%u", host, port);
    }
    snprintf(s->url, sizeof s->url, "https://%s", s->address);
    s->api.store = s->store;
    s->api.world = s->world;
    s->api.openapi = s->openapi;
    s->api.server_address = s->address;
    s->admin_kubeconfig = sim_kubeconfig_admin(s->url, &s->pki, s->admin_token);
    s->readonly_kubeconfig = sim_kubeconfig_readonly(s->url, &s->pki, s->readonly_token);
    if (!port_answers(&ss, sslen)) {
        set_err(err, errlen, "the server does not answer on %s", s->address);
        goto fail;
    }
    sim_world_start(s->world);
    if ((cfg->kubeconfig_path && !sim_write_private_file(cfg->kubeconfig_path, s->admin_kubeconfig, err, errlen)) ||
        (cfg->readonly_kubeconfig_path &&
         !sim_write_private_file(cfg->readonly_kubeconfig_path, s->readonly_kubeconfig, err, errlen))) {
        sim_server_stop(s);
        return NULL;
    }
    return s;
fail:
    free_server(s);
    return NULL;
}

const char *sim_server_url(const sim_server *s)
{
    return s->url;
}

const char *sim_server_admin_kubeconfig(const sim_server *s)
{
    return s->admin_kubeconfig;
}

const char *sim_server_readonly_kubeconfig(const sim_server *s)
{
    return s->readonly_kubeconfig;
}

void sim_server_stop(sim_server *s)
{
    if (!s)
        return;
    atomic_store(&s->stopping, true);
    if (s->store)
        sim_store_close_watches(s->store);
    /* MHD_stop_daemon joins every connection thread; the watches above end within a wait slice. */
    free_server(s);
}
