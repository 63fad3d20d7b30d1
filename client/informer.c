/* List + watch per kind (see informer.h for the state machine). */
#include "client/informer.h"
#include "common/diaglog.h"

#include <ctype.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/apierror.h"
#include "client/backoff.h"
#include "client/decode.h"
#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

#define DEFAULT_WATCH_TIMEOUT_S 300
#define DEFAULT_PAGE_LIMIT 500
#define FORBIDDEN_RETRY_MS 60000  /* a 403 will not fix itself soon: do not hammer */
#define RECONNECT_CAP_MS 30000    /* a console must notice a recovered server quickly: no retry waits
                                   * longer, whatever the backoff or a Retry-After says (403 aside) */
#define QUIET_WATCH_LIVE_MS 3000  /* a resumed watch that stays open this long is live */
#define SHORT_WATCH_MS 2000       /* a watch that ends sooner without events counts as broken */
#define LIST_TIMEOUT_MS 60000
#define DEFAULT_STALL_S 180       /* silence that means a stalled watch (bookmarks come every ~10 s) */

typedef enum timer_action { TIMER_NONE, TIMER_RELIST, TIMER_REWATCH } timer_action;

struct informer {
    res_kind kind;
    char *path, *name, *list_label, *watch_label;
    char *origin, *server;
    bool ca_from_kubeconfig;
    int watch_timeout_s, poll_seconds, page_limit;
    int64_t stall_ms;
    int64_t (*clock)(void);
    informer_io io;
    store *st;
    backoff bo;

    bool running;
    uint64_t list_job, watch_job;
    bool relisting;          /* store_relist_begin was called, end/abort pending */
    char *continue_token;
    char *rv;                /* last resourceVersion seen */
    int64_t watch_started_ms;
    int64_t watch_data_ms;   /* when the current watch last delivered a line (or started) */
    bool await_data;         /* restarted after a stall: live again only once data flows */
    uint64_t watch_events;   /* events of the current watch */
    timer_action timer;
    int64_t timer_at;

    bool listed_once, initial_failed;
    bool why_is_failure;     /* fresh.why names a failure that a retry follows ("connection refused") */
    client_freshness fresh;
};

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

informer *informer_new(const informer_config *cfg, const informer_io *io, store *st)
{
    informer *inf = xcalloc(1, sizeof *inf);
    inf->kind = cfg->kind;
    inf->path = dup_or_empty(cfg->path);
    inf->name = dup_or_empty(cfg->name && *cfg->name ? cfg->name : res_kind_name(cfg->kind));
    inf->list_label = xasprintf("%s list", inf->name);
    inf->watch_label = xasprintf("%s watch", inf->name);
    inf->origin = cfg->origin ? xstrdup(cfg->origin) : NULL;
    inf->server = cfg->server ? xstrdup(cfg->server) : NULL;
    inf->ca_from_kubeconfig = cfg->ca_from_kubeconfig;
    inf->watch_timeout_s = cfg->watch_timeout_s > 0 ? cfg->watch_timeout_s : DEFAULT_WATCH_TIMEOUT_S;
    inf->poll_seconds = cfg->poll_seconds > 0 ? cfg->poll_seconds : 0;
    inf->page_limit = cfg->page_limit > 0 ? cfg->page_limit : DEFAULT_PAGE_LIMIT;
    inf->stall_ms = (int64_t)(cfg->stall_seconds > 0 ? cfg->stall_seconds : DEFAULT_STALL_S) * 1000;
    inf->clock = cfg->clock ? cfg->clock : now_ms_monotonic;
    inf->io = *io;
    inf->st = st;
    backoff_init(&inf->bo, 1000, 2.0, RECONNECT_CAP_MS, cfg->seed ^ (uint64_t)cfg->kind);
    inf->rv = xstrdup("");
    inf->fresh.state = FRESH_OFF;
    inf->fresh.polling = inf->poll_seconds > 0;
    return inf;
}

static void set_state(informer *inf, freshness_state s, const char *why, const char *detail)
{
    if (inf->fresh.state != s) {
        inf->fresh.since_ms = inf->clock();
        static const char *const names[] = {[FRESH_OFF] = "off",         [FRESH_LOADING] = "loading",
                                            [FRESH_LIVE] = "live",       [FRESH_STALE] = "stale",
                                            [FRESH_FORBIDDEN] = "forbidden", [FRESH_ERROR] = "error"};
        diaglog("%s: %s%s%s", inf->name, names[s], why && why[0] ? ": " : "", why ? why : "");
    }
    inf->fresh.state = s;
    inf->why_is_failure = false;
    snprintf(inf->fresh.why, sizeof inf->fresh.why, "%s", why ? why : "");
    if (detail)
        snprintf(inf->fresh.detail, sizeof inf->fresh.detail, "%s", detail);
    else if (s == FRESH_LIVE || s == FRESH_LOADING)
        inf->fresh.detail[0] = '\0';
}

static void cancel_jobs(informer *inf)
{
    if (inf->list_job)
        inf->io.cancel(inf->io.ud, inf->list_job);
    if (inf->watch_job)
        inf->io.cancel(inf->io.ud, inf->watch_job);
    inf->list_job = inf->watch_job = 0;
    if (inf->relisting) {
        store_relist_abort(inf->st, inf->kind);
        inf->relisting = false;
    }
    free(inf->continue_token);
    inf->continue_token = NULL;
}

void informer_free(informer *inf)
{
    if (!inf)
        return;
    cancel_jobs(inf);
    free(inf->path);
    free(inf->name);
    free(inf->list_label);
    free(inf->watch_label);
    free(inf->origin);
    free(inf->server);
    free(inf->rv);
    free(inf);
}

static void set_timer(informer *inf, timer_action a, int64_t delay_ms)
{
    inf->timer = a;
    inf->timer_at = inf->clock() + (delay_ms > 0 ? delay_ms : 0);
}

static void set_rv(informer *inf, const char *rv)
{
    if (!rv || !*rv)
        return;
    free(inf->rv);
    inf->rv = xstrdup(rv);
}

/* Percent-encodes a query value (continue tokens are base64 with '=' and may hold '+' or '/'). */
static void put_query_value(buf *b, const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            buf_putc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

static void on_list_done(void *ud, const transport_response *r);
static void on_watch_done(void *ud, const transport_response *r);
static void on_watch_line(void *ud, const char *line, size_t len);

static void send_list_page(informer *inf)
{
    buf path = BUF_INIT;
    buf_puts(&path, inf->path);
    buf_printf(&path, "%slimit=%d", strchr(inf->path, '?') ? "&" : "?", inf->page_limit);
    if (inf->continue_token) {
        buf_puts(&path, "&continue=");
        put_query_value(&path, inf->continue_token);
    }
    transport_request rq = {
        .path = buf_str(&path),
        .label = inf->list_label,
        .has_kind = true,
        .kind = inf->kind,
        .timeout_ms = LIST_TIMEOUT_MS,
        .no_retry = true, /* the informer's own backoff, so freshness shows each failure */
        .on_done = on_list_done,
        .ud = inf,
    };
    inf->list_job = inf->io.submit(inf->io.ud, &rq);
    buf_free(&path);
}

static void start_list(informer *inf)
{
    cancel_jobs(inf);
    inf->timer = TIMER_NONE;
    store_relist_begin(inf->st, inf->kind);
    inf->relisting = true;
    send_list_page(inf);
}

static void start_watch(informer *inf)
{
    if (inf->watch_job)
        inf->io.cancel(inf->io.ud, inf->watch_job);
    inf->timer = TIMER_NONE;
    int timeout = inf->watch_timeout_s + (int)backoff_rand_upto(&inf->bo, (uint64_t)inf->watch_timeout_s / 5);
    buf path = BUF_INIT;
    buf_puts(&path, inf->path);
    buf_printf(&path, "%swatch=1&resourceVersion=", strchr(inf->path, '?') ? "&" : "?");
    put_query_value(&path, inf->rv);
    buf_printf(&path, "&allowWatchBookmarks=true&timeoutSeconds=%d", timeout);
    transport_request rq = {
        .path = buf_str(&path),
        .label = inf->watch_label,
        .has_kind = true,
        .kind = inf->kind,
        .stream = true,
        .timeout_ms = (long)(timeout + 30) * 1000, /* the server ends it at timeoutSeconds; this is the net */
        .on_done = on_watch_done,
        .on_line = on_watch_line,
        .ud = inf,
    };
    inf->watch_started_ms = inf->watch_data_ms = inf->clock();
    inf->watch_events = 0;
    inf->watch_job = inf->io.submit(inf->io.ud, &rq);
    buf_free(&path);
}

void informer_start(informer *inf)
{
    inf->running = true;
    inf->listed_once = inf->initial_failed = false;
    set_state(inf, FRESH_LOADING, "", NULL);
    start_list(inf);
}

void informer_stop(informer *inf)
{
    cancel_jobs(inf);
    inf->running = false;
    inf->timer = TIMER_NONE;
    set_state(inf, FRESH_OFF, "", NULL);
}

/* A failure: words into detail, and the state that keeps the last good data visible. */
static void fail(informer *inf, const transport_response *r, const char *why)
{
    apierror_ctx ctx = {.origin = inf->origin, .server = inf->server, .ca_from_kubeconfig = inf->ca_from_kubeconfig};
    char *words = r ? apierror_describe(r, &ctx) : NULL;
    const char *detail = words ? words : why;
    if (r && r->http_code == 403) {
        set_state(inf, FRESH_FORBIDDEN, "forbidden", detail);
    } else if (!inf->listed_once) {
        set_state(inf, FRESH_ERROR, why, detail);
    } else {
        /* keep the time it went stale when it fails again while stale */
        set_state(inf, FRESH_STALE, why, detail);
    }
    inf->why_is_failure = inf->fresh.state != FRESH_FORBIDDEN;
    inf->fresh.fail_http_code = r ? r->http_code : 0;
    inf->fresh.fail_error_kind = r ? r->error_kind : TRANSPORT_OK;
    if (!inf->listed_once)
        inf->initial_failed = true;
    free(words);
}

/* The next try after a failure: backoff, but never sooner than a Retry-After the server sent. */
static int64_t retry_delay(informer *inf, const transport_response *r)
{
    int64_t floor_ms = -1;
    if (r->http_code == 429 || r->http_code == 503)
        backoff_parse_retry_after(r->retry_after, time(NULL), &floor_ms);
    return backoff_next_with_floor_ms(&inf->bo, floor_ms, RECONNECT_CAP_MS);
}

/* Why in a few words ("connection refused", "timed out", "error 503"): the status line says it. */
static void why_of(const transport_response *r, char *out, size_t len)
{
    apierror_brief(r->http_code, r->error_kind, r->error, out, len);
}

static void on_list_done(void *ud, const transport_response *r)
{
    informer *inf = ud;
    if (r->id != inf->list_job)
        return;
    inf->list_job = 0;
    if (r->error_kind != TRANSPORT_OK || r->http_code != 200) {
        if (inf->relisting) {
            store_relist_abort(inf->st, inf->kind);
            inf->relisting = false;
        }
        bool had_continue = inf->continue_token != NULL;
        free(inf->continue_token);
        inf->continue_token = NULL;
        if (r->http_code == 410 && had_continue) { /* the continue token expired: list from the start */
            start_list(inf);
            return;
        }
        char why[48];
        why_of(r, why, sizeof why);
        fail(inf, r, why);
        if (r->http_code == 403)
            set_timer(inf, TIMER_RELIST, FORBIDDEN_RETRY_MS + (int64_t)backoff_rand_upto(&inf->bo, FORBIDDEN_RETRY_MS / 5));
        else
            set_timer(inf, TIMER_RELIST, retry_delay(inf, r) + 200);
        return;
    }
    cJSON *root = json_parse_len(r->body, r->body_len);
    const cJSON *items = root ? cJSON_GetObjectItemCaseSensitive(root, "items") : NULL;
    if (!cJSON_IsObject(root) || !(cJSON_IsArray(items) || cJSON_IsNull(items))) {
        cJSON_Delete(root);
        if (inf->relisting) {
            store_relist_abort(inf->st, inf->kind);
            inf->relisting = false;
        }
        free(inf->continue_token);
        inf->continue_token = NULL;
        fail(inf, NULL, "malformed list");
        snprintf(inf->fresh.detail, sizeof inf->fresh.detail, "the list answer of %s was not a JSON list", inf->name);
        inf->why_is_failure = true;
        set_timer(inf, TIMER_RELIST, backoff_next_ms(&inf->bo) + 200);
        return;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, items)
    {
        record *rec = decode_object(inf->kind, item);
        if (rec)
            store_relist_add(inf->st, inf->kind, rec);
    }
    const char *cont = json_str_at(root, "metadata", "continue", NULL);
    free(inf->continue_token);
    inf->continue_token = cont && *cont ? xstrdup(cont) : NULL;
    const char *rv = json_str_at(root, "metadata", "resourceVersion", NULL);
    if (inf->continue_token) {
        cJSON_Delete(root);
        send_list_page(inf);
        return;
    }
    set_rv(inf, rv);
    cJSON_Delete(root);
    store_relist_end(inf->st, inf->kind, inf->rv);
    inf->relisting = false;
    /* The pages' JSON trees are gone; give the freed heap back so that a big first list does not
     * leave the console's resident size at its peak. */
    malloc_trim(0);
    inf->listed_once = true;
    inf->await_data = false; /* a list is data */
    inf->fresh.relists++;
    inf->fresh.last_sync = time(NULL);
    backoff_reset(&inf->bo);
    set_state(inf, FRESH_LIVE, "", NULL);
    if (inf->poll_seconds > 0)
        set_timer(inf, TIMER_RELIST, (int64_t)inf->poll_seconds * 1000);
    else
        start_watch(inf);
}

/* Resync: the watch lost an event we cannot recover from the stream; list again now. */
static void resync(informer *inf, const char *why, const char *detail)
{
    if (inf->watch_job) {
        inf->io.cancel(inf->io.ud, inf->watch_job);
        inf->watch_job = 0;
    }
    set_state(inf, FRESH_STALE, why, detail);
    start_list(inf);
}

static void dropped_line(informer *inf, const char *what)
{
    inf->fresh.dropped_lines++;
    char detail[128];
    snprintf(detail, sizeof detail, "%s watch line of %s dropped; listing again", what, inf->name);
    resync(inf, "resyncing", detail);
}

static bool blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

static void on_watch_line(void *ud, const char *line, size_t len)
{
    informer *inf = ud;
    if (!inf->watch_job)
        return;
    inf->watch_data_ms = inf->clock();
    inf->await_data = false;
    if (!line) {
        dropped_line(inf, "a truncated or oversize");
        return;
    }
    if (blank(line, len))
        return;
    cJSON *ev = json_parse_len(line, len);
    const char *type = json_str_at(ev, "type", NULL);
    const cJSON *obj = ev ? cJSON_GetObjectItemCaseSensitive(ev, "object") : NULL;
    if (!type || !cJSON_IsObject(obj)) {
        cJSON_Delete(ev);
        dropped_line(inf, "a malformed");
        return;
    }
    if (strcmp(type, "ERROR") == 0) {
        api_status st;
        bool is_status = api_status_from_json(obj, &st);
        long code = is_status ? st.code : 0;
        char *words = is_status ? apierror_status_words(&st, code, "GET", inf->path, NULL) : xstrdup("watch error");
        bool gone = code == 410 || (is_status && st.reason &&
                                    (strcmp(st.reason, "Expired") == 0 || strcmp(st.reason, "Gone") == 0));
        if (is_status)
            api_status_free(&st);
        cJSON_Delete(ev);
        if (gone) {
            resync(inf, "resyncing", words);
        } else {
            inf->io.cancel(inf->io.ud, inf->watch_job);
            inf->watch_job = 0;
            char why[48];
            snprintf(why, sizeof why, "error %ld", code);
            set_state(inf, FRESH_STALE, why, words);
            inf->why_is_failure = true;
            set_timer(inf, TIMER_REWATCH, backoff_next_ms(&inf->bo));
        }
        free(words);
        return;
    }
    watch_event_type wt;
    if (!watch_event_type_parse(type, &wt)) {
        cJSON_Delete(ev);
        dropped_line(inf, "an unknown");
        return;
    }
    const char *rv = json_str_at(obj, "metadata", "resourceVersion", NULL);
    record *rec = decode_object(inf->kind, obj);
    if (!rec || (wt != WATCH_BOOKMARK && !json_str_at(obj, "metadata", "name", NULL))) {
        record_free(rec);
        cJSON_Delete(ev);
        dropped_line(inf, "an undecodable");
        return;
    }
    store_apply(inf->st, inf->kind, wt, rec);
    set_rv(inf, rv);
    cJSON_Delete(ev);
    inf->watch_events++;
    inf->fresh.events += wt != WATCH_BOOKMARK;
    inf->fresh.last_sync = time(NULL);
    backoff_reset(&inf->bo);
    if (inf->fresh.state != FRESH_LIVE)
        set_state(inf, FRESH_LIVE, "", NULL);
}

static void on_watch_done(void *ud, const transport_response *r)
{
    informer *inf = ud;
    if (r->id != inf->watch_job)
        return;
    inf->watch_job = 0;
    int64_t lasted = inf->clock() - inf->watch_started_ms;
    if (r->error_kind == TRANSPORT_OK && r->http_code == 200) {
        if (inf->watch_events > 0 || lasted >= SHORT_WATCH_MS) {
            start_watch(inf); /* timeoutSeconds reached: carry on from the last RV */
            return;
        }
        /* ended at once without a word: a proxy or a fault cutting streams; do not spin */
        set_state(inf, FRESH_STALE, "watch ended at once", "the watch ended at once; resuming");
        inf->why_is_failure = true;
        set_timer(inf, TIMER_REWATCH, backoff_next_ms(&inf->bo));
        return;
    }
    if (r->http_code == 410) {
        resync(inf, "resyncing", "the watch's resourceVersion expired; listing again");
        return;
    }
    char why[48];
    why_of(r, why, sizeof why);
    fail(inf, r, why);
    if (r->http_code == 403)
        set_timer(inf, TIMER_RELIST, FORBIDDEN_RETRY_MS);
    else
        set_timer(inf, TIMER_REWATCH, retry_delay(inf, r));
}

/* The watch is open but silent past the threshold: a proxy or server that stopped sending without
 * closing. Nothing else would notice before the request's net (timeoutSeconds + 30 s). */
static void restart_stalled_watch(informer *inf, int64_t now)
{
    char why[64];
    snprintf(why, sizeof why, "no data for %llds, reconnecting", (long long)((now - inf->watch_data_ms) / 1000));
    char detail[160];
    snprintf(detail, sizeof detail, "the %s watch sent nothing (no event, no bookmark) for %lld s; watching again",
             inf->name, (long long)((now - inf->watch_data_ms) / 1000));
    set_state(inf, FRESH_STALE, why, detail);
    inf->await_data = true;
    start_watch(inf);
}

void informer_tick(informer *inf)
{
    if (!inf->running)
        return;
    int64_t now = inf->clock();
    if (inf->watch_job && now - inf->watch_data_ms >= inf->stall_ms)
        restart_stalled_watch(inf, now);
    if (inf->watch_job && inf->fresh.state == FRESH_STALE && !inf->await_data &&
        now - inf->watch_started_ms >= QUIET_WATCH_LIVE_MS)
        set_state(inf, FRESH_LIVE, "", NULL); /* the resumed watch holds */
    if (inf->timer == TIMER_NONE || now < inf->timer_at)
        return;
    timer_action a = inf->timer;
    inf->timer = TIMER_NONE;
    if (a == TIMER_RELIST || !*inf->rv)
        start_list(inf);
    else
        start_watch(inf);
}

int64_t informer_next_deadline_ms(const informer *inf)
{
    if (!inf->running)
        return -1;
    int64_t best = inf->timer != TIMER_NONE ? inf->timer_at : -1;
    if (inf->watch_job && inf->fresh.state == FRESH_STALE && !inf->await_data) {
        int64_t live_at = inf->watch_started_ms + QUIET_WATCH_LIVE_MS;
        if (best < 0 || live_at < best)
            best = live_at;
    }
    if (inf->watch_job) {
        int64_t stall_at = inf->watch_data_ms + inf->stall_ms;
        if (best < 0 || stall_at < best)
            best = stall_at;
    }
    return best;
}

/* A failure's words say when the next try is ("connection refused, retrying in 8s"), counted down
 * from the timer at each call, or that it is under way ("..., retrying"). */
void informer_freshness(const informer *inf, client_freshness *out)
{
    *out = inf->fresh;
    if (!inf->running || !inf->why_is_failure || (out->state != FRESH_STALE && out->state != FRESH_ERROR))
        return;
    size_t n = strlen(out->why);
    if (inf->timer != TIMER_NONE) {
        int64_t left = inf->timer_at - inf->clock();
        long long secs = left > 0 ? (long long)((left + 999) / 1000) : 0;
        snprintf(out->why + n, sizeof out->why - n, ", retrying in %llds", secs);
    } else if (inf->list_job || inf->watch_job) {
        snprintf(out->why + n, sizeof out->why - n, ", retrying");
    }
}

bool informer_initial_done(const informer *inf)
{
    return inf->listed_once || inf->initial_failed;
}

bool informer_initial_failed(const informer *inf)
{
    return !inf->listed_once && inf->initial_failed;
}

const char *informer_resource_version(const informer *inf)
{
    return inf->rv;
}
