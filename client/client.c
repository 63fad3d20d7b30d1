/* The client facade (see client.h): transport + informers + store + focus. */
#include "client/client.h"
#include "common/diaglog.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apierror.h"
#include "client/credentials.h"
#include "client/task.h"
#include "common/buf.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

#define TOKEN_FILE_CHECK_MS 30000
#define FOCUS_RELOAD_MIN_MS 1000

struct client {
    kube_target *target;
    transport *t;
    store *st;
    informer *inf[RES_KIND_COUNT];
    unsigned kinds;
    char *namespace;          /* NULL: all namespaces */
    char *operator_ns;
    int refresh_seconds, watch_timeout_s;
    uint64_t seed;
    bool started;
    task_list tasks; /* the jobs client_poll runs: credentials, informers, focus, then added ones */
    int64_t last_cred_check_ms;
    /* credentials: an exec plugin run in progress (requests are held meanwhile), and the words of the
     * last failed refresh (NULL after a success) */
    kube_refresh *cred_job;
    char *cred_error;
    /* focus */
    res_kind focus_kind;
    char *focus_ns, *focus_name;
    uint64_t focus_job;
    char *focus_rv;           /* resourceVersion of the JSON held in the store's focus slot */
    char *focus_error;
    int64_t focus_fetched_ms;
};

/* ---- paths --------------------------------------------------------------------------------------- */

static bool path_segment_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '.' || *s == '_' || *s == ':'))
            return false;
    return true;
}

/* "/apis/<group>/<version>" or "/api/v1", the namespace, the resource (kind in range). */
static void put_prefix(buf *b, res_kind kind, const char *ns)
{
    const kind_info *k = kind_info_of(kind);
    buf_printf(b, "%s/%s", strchr(k->api_version, '/') ? "/apis" : "/api", k->api_version);
    if (ns && *ns)
        buf_printf(b, "/namespaces/%s", ns);
    buf_printf(b, "/%s", k->plural);
}

static bool copy_out(buf *b, char *out, size_t outlen)
{
    bool fits = b->len < outlen;
    if (fits)
        memcpy(out, buf_str(b), b->len + 1);
    else if (outlen)
        out[0] = '\0';
    buf_free(b);
    return fits;
}

bool client_collection_path(res_kind kind, const char *ns, char *out, size_t outlen)
{
    if ((unsigned)kind >= RES_KIND_COUNT || (ns && *ns && !path_segment_ok(ns))) {
        if (outlen)
            out[0] = '\0';
        return false;
    }
    buf b = BUF_INIT;
    put_prefix(&b, kind, ns);
    return copy_out(&b, out, outlen);
}

bool client_object_path(res_kind kind, const char *ns, const char *name, char *out, size_t outlen)
{
    if ((unsigned)kind >= RES_KIND_COUNT || !path_segment_ok(name) || (ns && *ns && !path_segment_ok(ns))) {
        if (outlen)
            out[0] = '\0';
        return false;
    }
    buf b = BUF_INIT;
    put_prefix(&b, kind, ns);
    buf_printf(&b, "/%s", name);
    return copy_out(&b, out, outlen);
}

/* The watched collection of a kind, with its selector; NULL for a kind that follows the focus. */
static char *watch_path(const client *c, res_kind kind)
{
    const kind_info *k = kind_info_of(kind);
    const char *ns;
    switch (k->scope) {
    case KIND_SCOPE_CLIENT_NS: ns = c->namespace; break;
    case KIND_SCOPE_ALL: ns = NULL; break;
    case KIND_SCOPE_OPERATOR_NS: ns = c->operator_ns; break;
    default: return NULL;
    }
    buf b = BUF_INIT;
    put_prefix(&b, kind, ns);
    if (k->selector)
        buf_printf(&b, "?%s", k->selector);
    return buf_steal(&b);
}

/* ---- transport glue ------------------------------------------------------------------------------ */

static uint64_t io_submit(void *ud, const transport_request *req)
{
    return transport_submit(ud, req);
}

static void io_cancel(void *ud, uint64_t id)
{
    transport_cancel(ud, id);
}

static void push_credentials(client *c)
{
    kube_target *kt = c->target;
    transport_set_token(c->t, kt->token);
    if (kt->client_cert_pem && kt->client_key_pem)
        transport_set_client_cert(c->t, kt->client_cert_pem, kt->client_cert_pem_len, kt->client_key_pem,
                                  kt->client_key_pem_len);
}

static void set_cred_error(client *c, const char *words)
{
    free(c->cred_error);
    c->cred_error = words ? xstrdup(words) : NULL;
    /* the words of a credential failure name the file and the field, never a value */
    diaglog("credentials: %s", words ? words : "renewed");
}

/* The end of a refresh: the new credential goes to the transport, and the held requests go out. */
static void finish_refresh(client *c, int rc, const char *err)
{
    if (rc == 0) {
        push_credentials(c);
        set_cred_error(c, NULL);
    } else {
        set_cred_error(c, err);
    }
    transport_hold(c->t, false);
}

/* Starts a refresh without waiting for it. An exec plugin runs in the background: requests are held
 * until it ends (see step_refresh). A token file is re-read at once. Returns 1 when a plugin runs,
 * 0 when credentials are current (possibly re-read), -1 on failure. */
static int start_refresh(client *c, bool force)
{
    if (c->cred_job)
        return 1;
    kube_refresh_opts o = {.force = force};
    char err[512] = "";
    int rc = 0;
    c->cred_job = kube_credentials_refresh_start(c->target, &o, &rc, err, sizeof err);
    if (c->cred_job) {
        transport_hold(c->t, true);
        return 1;
    }
    finish_refresh(c, rc, err);
    return rc;
}

/* Reads what the plugin wrote, never blocking; ends the refresh when the plugin is done. */
static void step_refresh(client *c)
{
    if (!c->cred_job)
        return;
    char err[512] = "";
    int rc = kube_refresh_step(c->cred_job, err, sizeof err);
    if (rc == 1)
        return;
    kube_refresh_free(c->cred_job);
    c->cred_job = NULL;
    finish_refresh(c, rc, err);
}

/* A GET got 401: run the exec plugin again (or re-read the token file); the GET goes again once that
 * is done. A plugin that failed lately is not run on every 401 (its retry wait applies). */
static bool on_unauthorized(void *ud, transport *t)
{
    client *c = ud;
    (void)t;
    kube_target *kt = c->target;
    if (kt->auth != KUBE_AUTH_EXEC && kt->auth != KUBE_AUTH_TOKEN_FILE)
        return false;
    if (c->cred_job)
        return true; /* a run is under way: this request waits for its credential */
    if (kt->auth == KUBE_AUTH_EXEC && kt->exec_retry_at && time(NULL) < kt->exec_retry_at)
        return false;
    return start_refresh(c, true) >= 0;
}

/* Exec credentials expire; token files rotate (projected service-account tokens). */
static void keep_credentials_fresh(client *c)
{
    kube_target *kt = c->target;
    int64_t now = now_ms_monotonic();
    bool due = (kt->auth == KUBE_AUTH_EXEC && kube_credentials_stale(kt, 0)) ||
               (kt->auth == KUBE_AUTH_TOKEN_FILE && now - c->last_cred_check_ms >= TOKEN_FILE_CHECK_MS);
    if (!due || c->cred_job)
        return;
    c->last_cred_check_ms = now;
    start_refresh(c, false);
}

/* ---- the loop: a list of tasks ------------------------------------------------------------------ */

/* Credentials: renew before expiry (or a token file's rotation), and read a running plugin's output. */
static bool credentials_step(void *self)
{
    client *c = self;
    keep_credentials_fresh(c);
    step_refresh(c);
    return true;
}

static int credentials_timeout_ms(const void *self)
{
    const client *c = self;
    return c->cred_job ? kube_refresh_timeout_ms(c->cred_job) : -1; /* the plugin's time limit */
}

static size_t credentials_fds(const void *self, int *out, size_t max)
{
    const client *c = self;
    int fds[2];
    int n = c->cred_job ? kube_refresh_fds(c->cred_job, fds) : 0;
    size_t k = 0;
    for (int i = 0; i < n && k < max; i++)
        out[k++] = fds[i];
    return k;
}

static const client_task_ops credentials_task = {
    .name = "credentials", .step = credentials_step, .next_timeout_ms = credentials_timeout_ms, .fds = credentials_fds};

/* Informers: re-watch, backoff and polling timers. */
static bool informers_step(void *self)
{
    client *c = self;
    for (int k = 0; k < RES_KIND_COUNT; k++)
        if (c->inf[k])
            informer_tick(c->inf[k]);
    return true;
}

static int informers_timeout_ms(const void *self)
{
    const client *c = self;
    int64_t now = now_ms_monotonic(), best = -1;
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        int64_t d = c->inf[k] ? informer_next_deadline_ms(c->inf[k]) : -1;
        if (d < 0)
            continue;
        d = d > now ? d - now : 0;
        if (best < 0 || d < best)
            best = d;
    }
    return best > INT_MAX ? INT_MAX : (int)best;
}

static const client_task_ops informers_task = {
    .name = "informers", .step = informers_step, .next_timeout_ms = informers_timeout_ms};

static void maybe_reload_focus(client *c);

/* The object in focus: fetched again when its watch shows it changed. */
static bool focus_step(void *self)
{
    maybe_reload_focus(self);
    return true;
}

static const client_task_ops focus_task = {.name = "focus", .step = focus_step};

void client_task_add(client *c, const client_task_ops *ops, void *self)
{
    task_list_add(&c->tasks, ops, self);
}

bool client_task_remove(client *c, void *self)
{
    return task_list_remove(&c->tasks, self);
}

void *client_task_find(client *c, const client_task_ops *ops)
{
    return task_list_find(&c->tasks, ops);
}

int client_next_timeout_ms(const client *c)
{
    int best = transport_next_timeout_ms(c->t);
    int d = task_list_next_timeout_ms(&c->tasks);
    if (d >= 0 && (best < 0 || d < best))
        best = d;
    return best > 3600000 ? 3600000 : best;
}

/* One wait covers the network, the caller's descriptor and the tasks' descriptors (a running
 * plugin's output), so a slow plugin (a browser login) never stops the loop from answering keys. */
int client_poll(client *c, int extra_fd, int timeout_ms, bool *fd_ready)
{
    task_list_step(&c->tasks);
    int own = client_next_timeout_ms(c);
    if (own >= 0 && (timeout_ms < 0 || own < timeout_ms))
        timeout_ms = own;
    int fds[TRANSPORT_POLL_FDS_MAX] = {extra_fd};
    size_t n = 1 + task_list_fds(&c->tasks, fds + 1, TRANSPORT_POLL_FDS_MAX - 1);
    bool ready[TRANSPORT_POLL_FDS_MAX];
    int rc = transport_poll_fds(c->t, fds, n, timeout_ms, ready);
    if (fd_ready)
        *fd_ready = extra_fd >= 0 && ready[0];
    task_list_step(&c->tasks);
    return rc;
}

client *client_open(const client_options *o, char *err, size_t errlen)
{
    kube_target *kt = o->target;
    if (!kt || !kt->server) {
        set_err(err, errlen, "no API server to talk to");
        return NULL;
    }
    if (kt->auth == KUBE_AUTH_EXEC || kt->auth == KUBE_AUTH_TOKEN_FILE) {
        if (kube_credentials_refresh(kt, false, err, errlen) != 0)
            return NULL;
    }
    client *c = xcalloc(1, sizeof *c);
    c->target = kt;
    transport_config cfg = {
        .server = kt->server,
        .ca_pem = kt->ca_pem,
        .ca_pem_len = kt->ca_pem_len,
        .insecure_skip_tls_verify = kt->insecure_skip_tls_verify,
        .tls_server_name = kt->tls_server_name,
        .proxy_url = kt->proxy_url,
        .client_cert_pem = kt->client_cert_pem,
        .client_cert_pem_len = kt->client_cert_pem_len,
        .client_key_pem = kt->client_key_pem,
        .client_key_pem_len = kt->client_key_pem_len,
        .token = kt->token,
        .username = kt->username,
        .password = kt->password,
        .read_only = o->read_only,
        .version = o->version,
        .seed = o->seed,
        .on_unauthorized = on_unauthorized,
        .on_unauthorized_ud = c,
    };
    char terr[256];
    c->t = transport_new(&cfg, terr, sizeof terr);
    if (!c->t) {
        set_err(err, errlen, "%s: %s", kt->origin ? kt->origin : "kubeconfig", terr);
        free(c);
        return NULL;
    }
    c->st = store_new();
    c->namespace = o->namespace && *o->namespace ? xstrdup(o->namespace) : NULL;
    c->operator_ns = xstrdup(o->operator_namespace && *o->operator_namespace ? o->operator_namespace : "hypershift");
    c->kinds = (o->kinds ? o->kinds : RES_KIND_ALL) & RES_KIND_ALL;
    c->kinds &= ~(1u << RES_EVENT); /* events follow the focus */
    c->refresh_seconds = o->refresh_seconds > 0 ? o->refresh_seconds : 0;
    c->watch_timeout_s = o->watch_timeout_seconds;
    c->seed = o->seed;
    c->last_cred_check_ms = now_ms_monotonic();
    client_task_add(c, &credentials_task, c);
    client_task_add(c, &informers_task, c);
    client_task_add(c, &focus_task, c);
    if ((c->namespace && !path_segment_ok(c->namespace)) || !path_segment_ok(c->operator_ns)) {
        set_err(err, errlen, "namespace is not a valid name");
        client_close(c);
        return NULL;
    }
    return c;
}

static informer *make_informer(client *c, res_kind kind, const char *path)
{
    informer_io io = {.submit = io_submit, .cancel = io_cancel, .ud = c->t};
    informer_config cfg = {
        .kind = kind,
        .path = path,
        .name = kind_info_of(kind)->counter,
        .watch_timeout_s = c->watch_timeout_s,
        .poll_seconds = c->refresh_seconds,
        .seed = c->seed + (uint64_t)kind * 7919u,
        .origin = c->target->origin,
        .server = c->target->server,
        .ca_from_kubeconfig = c->target->ca_pem != NULL,
    };
    return informer_new(&cfg, &io, c->st);
}

void client_start(client *c)
{
    if (c->started)
        return;
    c->started = true;
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        if (!(c->kinds & (1u << k)))
            continue;
        char *path = watch_path(c, (res_kind)k);
        if (!path)
            continue;
        c->inf[k] = make_informer(c, (res_kind)k, path);
        free(path);
        informer_start(c->inf[k]);
    }
}

void client_close(client *c)
{
    if (!c)
        return;
    task_list_free(&c->tasks); /* added tasks first: they may cancel their requests */
    for (int k = 0; k < RES_KIND_COUNT; k++)
        informer_free(c->inf[k]);
    kube_refresh_free(c->cred_job); /* kills a plugin still running */
    free(c->cred_error);
    if (c->focus_job)
        transport_cancel(c->t, c->focus_job);
    transport_free(c->t);
    store_free(c->st);
    free(c->namespace);
    free(c->operator_ns);
    free(c->focus_ns);
    free(c->focus_name);
    free(c->focus_rv);
    free(c->focus_error);
    free(c);
}

store *client_store(client *c)
{
    return c->st;
}

transport *client_transport(client *c)
{
    return c->t;
}

bool client_read_only(const client *c)
{
    return transport_read_only(c->t);
}

int client_wait_initial(client *c, int timeout_ms, char *err, size_t errlen)
{
    return client_wait_initial_for(c, ~0u, timeout_ms, err, errlen);
}

int client_wait_initial_for(client *c, unsigned required, int timeout_ms, char *err, size_t errlen)
{
    int64_t end = now_ms_monotonic() + (timeout_ms > 0 ? timeout_ms : 30000);
    for (;;) {
        bool all = true, all_required = true;
        for (int k = 0; k < RES_KIND_COUNT; k++) {
            if (!c->inf[k] || informer_initial_done(c->inf[k]))
                continue;
            all = false;
            if (required & (1u << k))
                all_required = false;
        }
        if (all)
            break;
        int64_t left = end - now_ms_monotonic();
        if (left <= 0) {
            if (all_required)
                break; /* only kinds the caller can do without are late */
            buf b = BUF_INIT;
            buf_printf(&b, "timed out after %d s waiting for the first list of", (timeout_ms > 0 ? timeout_ms : 30000) / 1000);
            for (int k = 0; k < RES_KIND_COUNT; k++)
                if (c->inf[k] && (required & (1u << k)) && !informer_initial_done(c->inf[k]))
                    buf_printf(&b, " %s", res_kind_name((res_kind)k));
            set_err(err, errlen, "%s", buf_str(&b));
            buf_free(&b);
            return -1;
        }
        if (client_poll(c, -1, left > 200 ? 200 : (int)left, NULL) != 0) {
            return set_err(err, errlen, "the network layer failed");
        }
    }
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        if (c->inf[k] && (required & (1u << k)) && informer_initial_failed(c->inf[k])) {
            client_freshness f;
            informer_freshness(c->inf[k], &f);
            return set_err(err, errlen, "%s: %s", res_kind_name((res_kind)k), f.detail[0] ? f.detail : f.why);
        }
    }
    return 0;
}

/* ---- freshness ----------------------------------------------------------------------------------- */

bool client_freshness_get(const client *c, res_kind kind, client_freshness *out)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)kind >= RES_KIND_COUNT)
        return false;
    if (!c->inf[kind]) {
        out->state = FRESH_OFF;
        return true;
    }
    informer_freshness(c->inf[kind], out);
    /* A kind that is not live while the last credential refresh failed is failing for that reason:
     * say so instead of the server's bare "Unauthorized". */
    if (c->cred_error && out->state != FRESH_LIVE) {
        out->state = FRESH_ERROR;
        out->credentials_failed = true;
        snprintf(out->why, sizeof out->why, "%s",
                 c->target->auth == KUBE_AUTH_EXEC ? "credential plugin failed" : "credentials failed");
        snprintf(out->detail, sizeof out->detail, "%s: %s", out->why, c->cred_error);
    }
    return true;
}

const char *freshness_state_name(freshness_state s)
{
    switch (s) {
    case FRESH_OFF: return "off";
    case FRESH_LOADING: return "loading";
    case FRESH_LIVE: return "live";
    case FRESH_STALE: return "stale";
    case FRESH_FORBIDDEN: return "forbidden";
    case FRESH_ERROR: return "error";
    }
    return "?";
}

void client_freshness_text(const client_freshness *f, int64_t now_ms, char *out, size_t outlen)
{
    char age[32];
    int64_t secs = now_ms > f->since_ms ? (now_ms - f->since_ms) / 1000 : 0;
    age_format(secs, age, sizeof age);
    switch (f->state) {
    case FRESH_LIVE:
        snprintf(out, outlen, "%s", f->polling ? "polling" : "live");
        break;
    case FRESH_STALE:
        snprintf(out, outlen, "stale %s%s%s", age, f->why[0] ? ", " : "", f->why);
        break;
    case FRESH_ERROR:
        snprintf(out, outlen, "error: %s", f->detail[0] ? f->detail : f->why);
        break;
    default:
        snprintf(out, outlen, "%s", freshness_state_name(f->state));
        break;
    }
}

/* ---- focus --------------------------------------------------------------------------------------- */

static void set_focus_error(client *c, char *words)
{
    free(c->focus_error);
    c->focus_error = words;
}

static void on_focus_done(void *ud, const transport_response *r)
{
    client *c = ud;
    if (r->id != c->focus_job)
        return;
    c->focus_job = 0;
    c->focus_fetched_ms = now_ms_monotonic();
    apierror_ctx ctx = {.origin = c->target->origin, .server = c->target->server, .ca_from_kubeconfig = c->target->ca_pem != NULL};
    char *words = apierror_describe(r, &ctx);
    if (words) {
        set_focus_error(c, words);
        if (r->http_code == 404) { /* gone: the YAML view must not show a ghost */
            store_set_focus(c->st, c->focus_kind, c->focus_ns, c->focus_name, NULL, 0);
            free(c->focus_rv);
            c->focus_rv = NULL;
        }
        return;
    }
    set_focus_error(c, NULL);
    store_set_focus(c->st, c->focus_kind, c->focus_ns, c->focus_name, r->body, r->body_len);
    cJSON *obj = json_parse_len(r->body, r->body_len);
    const char *rv = json_str_at(obj, "metadata", "resourceVersion", NULL);
    free(c->focus_rv);
    c->focus_rv = rv ? xstrdup(rv) : NULL;
    cJSON_Delete(obj);
}

static void client_focus_reload(client *c)
{
    if (!c->focus_name)
        return;
    char path[1024];
    if (!client_object_path(c->focus_kind, c->focus_ns, c->focus_name, path, sizeof path))
        return;
    if (c->focus_job)
        transport_cancel(c->t, c->focus_job);
    transport_request rq = {.path = path, .label = "focus get", .on_done = on_focus_done, .ud = c};
    c->focus_job = transport_submit(c->t, &rq);
    c->focus_fetched_ms = now_ms_monotonic();
}

/* The watch shows the focused object changed: fetch its JSON again (at most once a second). */
static void maybe_reload_focus(client *c)
{
    if (!c->focus_name || c->focus_job || !c->inf[c->focus_kind])
        return;
    if (now_ms_monotonic() - c->focus_fetched_ms < FOCUS_RELOAD_MIN_MS)
        return;
    record *r = store_get(c->st, c->focus_kind, c->focus_ns, c->focus_name);
    if (!r) { /* deleted (once the kind is listed): fetch once more, the 404 clears the slot */
        informer *inf = c->inf[c->focus_kind];
        if (c->focus_rv && informer_initial_done(inf) && !informer_initial_failed(inf))
            client_focus_reload(c);
        return;
    }
    const char *rv = r->meta.resource_version;
    if (rv && (!c->focus_rv || strcmp(rv, c->focus_rv) != 0))
        client_focus_reload(c);
}

int client_focus(client *c, res_kind kind, const char *ns, const char *name)
{
    char path[1024];
    if (!client_object_path(kind, ns, name, path, sizeof path))
        return -1;
    client_unfocus(c);
    c->focus_kind = kind;
    c->focus_ns = ns ? xstrdup(ns) : NULL;
    c->focus_name = xstrdup(name);
    client_focus_reload(c);
    if (kind != RES_EVENT && ns && *ns) {
        buf p = BUF_INIT;
        put_prefix(&p, RES_EVENT, ns);
        buf_printf(&p, "?fieldSelector=involvedObject.name%%3D%s%%2CinvolvedObject.kind%%3D%s", name, res_kind_name(kind));
        c->inf[RES_EVENT] = make_informer(c, RES_EVENT, buf_str(&p));
        buf_free(&p);
        informer_start(c->inf[RES_EVENT]);
    }
    return 0;
}

void client_unfocus(client *c)
{
    if (c->focus_job)
        transport_cancel(c->t, c->focus_job);
    c->focus_job = 0;
    if (c->inf[RES_EVENT]) {
        informer_free(c->inf[RES_EVENT]);
        c->inf[RES_EVENT] = NULL;
        store_clear_kind(c->st, RES_EVENT);
    }
    if (c->focus_name)
        store_set_focus(c->st, c->focus_kind, c->focus_ns, c->focus_name, NULL, 0);
    free(c->focus_ns);
    free(c->focus_name);
    free(c->focus_rv);
    c->focus_ns = c->focus_name = c->focus_rv = NULL;
    set_focus_error(c, NULL);
}

const char *client_focus_error(const client *c)
{
    return c->focus_error;
}
