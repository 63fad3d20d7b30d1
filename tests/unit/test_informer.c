/* Unit tests for client/informer: the list + watch state machine, driven by fake responses through a
 * fake informer_io and a fake clock (no network). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/informer.h"
#include "client/store.h"
#include "common/buf.h"
#include "common/timeutil.h"

/* ---- fakes ------------------------------------------------------------------------------------- */

typedef struct sent {
    uint64_t id;
    char path[512];
    char label[64];
    bool has_kind;
    res_kind kind;
    bool stream;
    bool cancelled;
    transport_done_fn on_done;
    transport_line_fn on_line;
    void *ud;
} sent;

typedef struct fake_io {
    sent reqs[64];
    size_t n;
} fake_io;

static int64_t fake_now;
static int64_t fake_clock(void)
{
    return fake_now;
}

static uint64_t fake_submit(void *ud, const transport_request *req)
{
    fake_io *f = ud;
    assert_true(f->n < 64);
    sent *s = &f->reqs[f->n++];
    memset(s, 0, sizeof *s);
    s->id = f->n;
    snprintf(s->path, sizeof s->path, "%s", req->path);
    snprintf(s->label, sizeof s->label, "%s", req->label ? req->label : "");
    s->has_kind = req->has_kind;
    s->kind = req->kind;
    s->stream = req->stream;
    s->on_done = req->on_done;
    s->on_line = req->on_line;
    s->ud = req->ud;
    return s->id;
}

static void fake_cancel(void *ud, uint64_t id)
{
    fake_io *f = ud;
    if (id >= 1 && id <= f->n)
        f->reqs[id - 1].cancelled = true;
}

static sent *last(fake_io *f)
{
    assert_true(f->n > 0);
    return &f->reqs[f->n - 1];
}

static void respond(fake_io *f, sent *s, long code, const char *body)
{
    (void)f;
    assert_false(s->cancelled);
    transport_response r = {.id = s->id, .http_code = code, .body = body ? body : "",
                            .body_len = body ? strlen(body) : 0, .method = "GET", .path = s->path};
    s->on_done(s->ud, &r);
}

static void respond_error(sent *s, transport_error_kind kind)
{
    transport_response r = {.id = s->id, .error_kind = kind, .error = "Connection reset by peer", .body = "",
                            .method = "GET", .path = s->path};
    s->on_done(s->ud, &r);
}

static void line(sent *s, const char *text)
{
    assert_false(s->cancelled);
    s->on_line(s->ud, text, text ? strlen(text) : 7);
}

#define HC(name, rv) "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"clusters\",\"resourceVersion\":\"" rv "\"},\"spec\":{}}"
#define LIST(rv, cont, ...) "{\"kind\":\"HostedClusterList\",\"metadata\":{\"resourceVersion\":\"" rv "\"" cont "},\"items\":[" __VA_ARGS__ "]}"
#define EVENT(type, obj) "{\"type\":\"" type "\",\"object\":" obj "}"

typedef struct fixture {
    fake_io io;
    store *st;
    informer *inf;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->st = store_new();
    fake_now = 1000000;
    informer_io io = {.submit = fake_submit, .cancel = fake_cancel, .ud = &fx->io};
    informer_config cfg = {.kind = RES_HOSTEDCLUSTER, .path = "/apis/hypershift.openshift.io/v1beta1/hostedclusters",
                           .name = "hostedclusters", .watch_timeout_s = 300, .seed = 5, .clock = fake_clock};
    fx->inf = informer_new(&cfg, &io, fx->st);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    informer_free(fx->inf);
    store_free(fx->st);
    free(fx);
    return 0;
}

static freshness_state fstate(fixture *fx, client_freshness *f)
{
    informer_freshness(fx->inf, f);
    return f->state;
}

/* list with a and b at rv 10, watch opened */
static sent *list_ab(fixture *fx)
{
    informer_start(fx->inf);
    sent *l = last(&fx->io);
    assert_false(l->stream);
    assert_string_equal(l->path, "/apis/hypershift.openshift.io/v1beta1/hostedclusters?limit=500");
    respond(&fx->io, l, 200, LIST("10", "", HC("a", "3") "," HC("b", "4")));
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 2);
    sent *w = last(&fx->io);
    assert_true(w->stream);
    return w;
}

/* ---- tests ------------------------------------------------------------------------------------- */

static void test_list_then_watch(void **state)
{
    fixture *fx = *state;
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_OFF);
    informer_start(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_LOADING);
    assert_false(informer_initial_done(fx->inf));
    fx->io.n = 0;
    informer_stop(fx->inf);
    sent *w = list_ab(fx);
    assert_non_null(strstr(w->path, "?watch=1&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds="));
    int secs = atoi(strstr(w->path, "timeoutSeconds=") + 15);
    assert_true(secs >= 300 && secs <= 360); /* jittered */
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    assert_int_equal(f.relists, 1);
    assert_true(informer_initial_done(fx->inf));
    assert_false(informer_initial_failed(fx->inf));
    assert_string_equal(informer_resource_version(fx->inf), "10");
    /* the requests' counters say which kind they feed (the statistics show its freshness) */
    assert_string_equal(fx->io.reqs[0].label, "hostedclusters list");
    assert_string_equal(w->label, "hostedclusters watch");
    assert_true(fx->io.reqs[0].has_kind && w->has_kind);
    assert_int_equal(w->kind, RES_HOSTEDCLUSTER);
}

static void test_watch_events_and_bookmark(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    uint64_t changes = store_kind_changes(fx->st, RES_HOSTEDCLUSTER);
    line(w, EVENT("ADDED", HC("c", "11")));
    line(w, EVENT("MODIFIED", HC("a", "12")));
    line(w, EVENT("DELETED", HC("b", "13")));
    line(w, "");
    line(w, "   ");
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 2);
    assert_non_null(store_get(fx->st, RES_HOSTEDCLUSTER, "clusters", "c"));
    assert_null(store_get(fx->st, RES_HOSTEDCLUSTER, "clusters", "b"));
    assert_string_equal(store_get(fx->st, RES_HOSTEDCLUSTER, "clusters", "a")->meta.resource_version, "12");
    assert_true(store_kind_changes(fx->st, RES_HOSTEDCLUSTER) > changes);
    line(w, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"HostedCluster\",\"metadata\":{\"resourceVersion\":\"20\"}}}");
    assert_string_equal(informer_resource_version(fx->inf), "20");
    client_freshness f;
    fstate(fx, &f);
    assert_int_equal(f.events, 3);
    assert_int_equal(f.dropped_lines, 0);
    /* the stream ends at timeoutSeconds: watch again from the bookmark, no list */
    size_t before = fx->io.n;
    fake_now += 300000;
    respond(&fx->io, w, 200, NULL);
    assert_int_equal(fx->io.n, before + 1);
    sent *w2 = last(&fx->io);
    assert_true(w2->stream);
    assert_non_null(strstr(w2->path, "resourceVersion=20&"));
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
}

static void test_error_410_relists(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    line(w, "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            "\"message\":\"too old resource version: 1 (20483)\",\"reason\":\"Expired\",\"code\":410}}");
    assert_true(w->cancelled);
    sent *l = last(&fx->io);
    assert_false(l->stream);
    assert_non_null(strstr(l->path, "limit=500"));
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    assert_string_equal(f.why, "resyncing");
    assert_non_null(strstr(f.detail, "too old resource version"));
    /* b was deleted while we were away: the re-list removes it */
    respond(&fx->io, l, 200, LIST("30", "", HC("a", "3")));
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 1);
    assert_null(store_get(fx->st, RES_HOSTEDCLUSTER, "clusters", "b"));
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    assert_int_equal(f.relists, 2);
    assert_non_null(strstr(last(&fx->io)->path, "resourceVersion=30&"));
}

static void test_http_410_relists(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    respond(&fx->io, w, 410, "{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\"}");
    sent *l = last(&fx->io);
    assert_false(l->stream);
    assert_non_null(strstr(l->path, "limit=500"));
}

static void test_malformed_line_resyncs(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    line(w, EVENT("ADDED", HC("c", "11")));
    line(w, "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"na");
    assert_true(w->cancelled);
    client_freshness f;
    fstate(fx, &f);
    assert_int_equal(f.dropped_lines, 1);
    assert_int_equal(f.state, FRESH_STALE);
    sent *l = last(&fx->io);
    assert_false(l->stream);
    /* old content stays visible while re-listing */
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 3);
    respond(&fx->io, l, 200, LIST("40", "", HC("a", "3") "," HC("b", "4") "," HC("c", "11")));
    sent *w2 = last(&fx->io);
    assert_true(w2->stream);
    /* the transport reports a dropped (oversize or truncated) line the same way */
    line(w2, NULL);
    fstate(fx, &f);
    assert_int_equal(f.dropped_lines, 2);
    assert_true(w2->cancelled);
    assert_false(last(&fx->io)->stream);
    /* and hostile shapes */
    respond(&fx->io, last(&fx->io), 200, LIST("41", "", HC("a", "3")));
    const char *bad[] = {"[1,2]", "{\"type\":7,\"object\":{}}", "{\"type\":\"ADDED\",\"object\":\"x\"}",
                         "{\"type\":\"NOPE\",\"object\":{}}", "{\"type\":\"ADDED\",\"object\":{\"metadata\":{}}}",
                         "\x01\x02\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sent *wi = last(&fx->io);
        assert_true(wi->stream);
        line(wi, bad[i]);
        assert_true(wi->cancelled);
        respond(&fx->io, last(&fx->io), 200, LIST("42", "", HC("a", "3")));
    }
    fstate(fx, &f);
    assert_int_equal(f.dropped_lines, 2 + 6);
}

static void test_forbidden(void **state)
{
    fixture *fx = *state;
    informer_start(fx->inf);
    respond(&fx->io, last(&fx->io), 403,
            "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\",\"message\":\"hostedclusters.hypershift.openshift.io "
            "is forbidden: User \\\"bob\\\" cannot list resource \\\"hostedclusters\\\" in API group "
            "\\\"hypershift.openshift.io\\\" at the cluster scope\"}");
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_FORBIDDEN);
    assert_string_equal(f.detail, "forbidden: user bob cannot list hostedclusters at the cluster scope");
    assert_int_equal(f.fail_http_code, 403);
    assert_true(informer_initial_done(fx->inf));
    assert_true(informer_initial_failed(fx->inf));
    /* no hammering: nothing for a minute */
    size_t n = fx->io.n;
    int64_t deadline = informer_next_deadline_ms(fx->inf);
    assert_true(deadline - fake_now >= 60000);
    fake_now += 30000;
    informer_tick(fx->inf);
    assert_int_equal(fx->io.n, n);
    fake_now = deadline;
    informer_tick(fx->inf);
    assert_int_equal(fx->io.n, n + 1);
    assert_false(last(&fx->io)->stream);
}

static void test_broken_stream_resumes_with_backoff(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    line(w, EVENT("MODIFIED", HC("a", "15")));
    respond_error(w, TRANSPORT_ERR_NETWORK);
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    assert_string_equal(f.why, "connection lost, retrying in 1s");
    assert_int_equal(f.fail_error_kind, TRANSPORT_ERR_NETWORK);
    assert_int_equal(f.fail_http_code, 0);
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 2); /* last good data kept */
    size_t n = fx->io.n;
    int64_t deadline = informer_next_deadline_ms(fx->inf);
    assert_true(deadline >= fake_now);
    assert_true(deadline - fake_now <= 1000); /* the first backoff ceiling */
    fake_now = deadline;
    informer_tick(fx->inf);
    assert_int_equal(fx->io.n, n + 1);
    sent *w2 = last(&fx->io);
    assert_true(w2->stream); /* resumed, not re-listed */
    assert_non_null(strstr(w2->path, "resourceVersion=15&"));
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    /* the resumed watch stays open and quiet: live again after a few seconds */
    fake_now += 3000;
    informer_tick(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    /* repeated failures back off further, within the cap */
    int64_t prev_ceiling = 0;
    for (int i = 0; i < 8; i++) {
        respond(&fx->io, last(&fx->io), 503, "");
        fstate(fx, &f);
        assert_int_equal(f.state, FRESH_STALE);
        assert_true(strncmp(f.why, "error 503, retrying in ", 23) == 0);
        int64_t d = informer_next_deadline_ms(fx->inf) - fake_now;
        assert_true(d >= 0 && d <= 30000);
        if (d > prev_ceiling)
            prev_ceiling = d;
        fake_now += d;
        informer_tick(fx->inf);
        assert_true(last(&fx->io)->stream);
    }
}

static void test_short_empty_watch_backs_off(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    size_t n = fx->io.n;
    respond(&fx->io, w, 200, NULL); /* closed at once, no events */
    assert_int_equal(fx->io.n, n);  /* not immediately again */
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    assert_true(informer_next_deadline_ms(fx->inf) >= fake_now);
}

static void test_first_list_errors(void **state)
{
    fixture *fx = *state;
    informer_start(fx->inf);
    respond(&fx->io, last(&fx->io), 503, "upstream connect error");
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_ERROR);
    assert_true(informer_initial_failed(fx->inf));
    assert_non_null(strstr(f.detail, "server error 503"));
    assert_int_equal(f.fail_http_code, 503); /* what --once reads to keep waiting */
    assert_int_equal(f.fail_error_kind, TRANSPORT_OK);
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    respond(&fx->io, last(&fx->io), 200, "<html>not json</html>");
    assert_int_equal(fstate(fx, &f), FRESH_ERROR);
    assert_non_null(strstr(f.detail, "not a JSON list"));
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    respond(&fx->io, last(&fx->io), 200, LIST("5", "", HC("a", "1")));
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    assert_false(informer_initial_failed(fx->inf));
    assert_string_equal(f.detail, "");
}

static void test_retry_after_honoured(void **state)
{
    fixture *fx = *state;
    informer_start(fx->inf);
    sent *l = last(&fx->io);
    transport_response r = {.id = l->id, .http_code = 429, .retry_after = "12", .body = "", .method = "GET", .path = l->path};
    l->on_done(l->ud, &r);
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_ERROR);
    assert_string_equal(f.why, "error 429, retrying in 13s"); /* 12 s asked, +0.2 s margin */
    assert_true(informer_next_deadline_ms(fx->inf) - fake_now >= 12000);
    /* a hostile Retry-After is bounded */
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    l = last(&fx->io);
    transport_response r2 = {.id = l->id, .http_code = 503, .retry_after = "999999999", .body = "", .method = "GET", .path = l->path};
    l->on_done(l->ud, &r2);
    assert_true(informer_next_deadline_ms(fx->inf) - fake_now <= 30000 + 200);
}

static void fail_with(sent *s, transport_error_kind kind, const char *text)
{
    assert_false(s->cancelled);
    transport_response r = {.id = s->id, .error_kind = kind, .error = text, .body = "", .method = "GET", .path = s->path};
    s->on_done(s->ud, &r);
}

/* The expected "stale" words at fake_now: the reason and the countdown to the informer's next try. */
static void expect_why(fixture *fx, const char *reason)
{
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    int64_t left = informer_next_deadline_ms(fx->inf) - fake_now;
    char want[96];
    snprintf(want, sizeof want, "%s, retrying in %llds", reason, (long long)((left + 999) / 1000));
    assert_string_equal(f.why, want);
}

/* The server died after data arrived: the stale words say why and when the next try is, every retry
 * waits at most ~30 s however long the outage, and a recovered server is live again at the next try. */
static void test_outage_words_and_cap(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    int64_t down_at = fake_now;
    fail_with(w, TRANSPORT_ERR_CONNECT, "Failed to connect to 127.0.0.1 port 6443: Connection refused");
    expect_why(fx, "connection refused");
    int64_t longest = 0;
    for (int i = 0; i < 40; i++) { /* a long outage: 40 refused reconnects */
        int64_t d = informer_next_deadline_ms(fx->inf) - fake_now;
        assert_true(d >= 0 && d <= 30000);
        if (d > longest)
            longest = d;
        fake_now += d / 2; /* the countdown moves with the clock */
        expect_why(fx, "connection refused");
        fake_now += d - d / 2;
        informer_tick(fx->inf);
        client_freshness f;
        fstate(fx, &f);
        assert_string_equal(f.why, "connection refused, retrying"); /* the try is under way */
        fail_with(last(&fx->io), TRANSPORT_ERR_CONNECT, "Connection refused");
    }
    assert_true(longest > 15000); /* the backoff did grow to the cap's range */
    /* the age counts from the first failure, not the last */
    client_freshness f;
    fstate(fx, &f);
    char text[160], want[160], age[32];
    client_freshness_text(&f, fake_now, text, sizeof text);
    age_format((fake_now - down_at) / 1000, age, sizeof age);
    snprintf(want, sizeof want, "stale %s, connection refused, retrying in ", age);
    assert_true(strncmp(text, want, strlen(want)) == 0);

    /* other reasons, in the same words as apierror's */
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    fail_with(last(&fx->io), TRANSPORT_ERR_TIMEOUT, "Operation timed out after 30000 milliseconds");
    expect_why(fx, "timed out");
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    fail_with(last(&fx->io), TRANSPORT_ERR_TLS_UNKNOWN_CA, "SSL certificate problem: unable to get local issuer");
    expect_why(fx, "TLS: certificate not trusted");
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    /* a 503 asking for ten minutes: still back within the cap */
    sent *s = last(&fx->io);
    transport_response r = {.id = s->id, .http_code = 503, .retry_after = "600", .body = "", .method = "GET", .path = s->path};
    s->on_done(s->ud, &r);
    expect_why(fx, "error 503");
    assert_true(informer_next_deadline_ms(fx->inf) - fake_now <= 30000);
    /* recovered: the next try opens a watch that holds, and the words go away */
    fake_now = informer_next_deadline_ms(fx->inf);
    informer_tick(fx->inf);
    line(last(&fx->io), EVENT("MODIFIED", HC("a", "20")));
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    assert_string_equal(f.why, "");
    /* 403 stays slow */
    respond(&fx->io, last(&fx->io), 403, "");
    assert_int_equal(fstate(fx, &f), FRESH_FORBIDDEN);
    assert_string_equal(f.why, "forbidden");
    assert_true(informer_next_deadline_ms(fx->inf) - fake_now >= 60000);
}

static void test_pagination(void **state)
{
    fixture *fx = *state;
    informer_start(fx->inf);
    respond(&fx->io, last(&fx->io), 200, LIST("50", ",\"continue\":\"eyJ2Ijo=+/\"", HC("a", "1")));
    sent *p2 = last(&fx->io);
    assert_false(p2->stream);
    assert_string_equal(p2->path, "/apis/hypershift.openshift.io/v1beta1/hostedclusters?limit=500&continue=eyJ2Ijo%3D%2B%2F");
    client_freshness f;
    assert_int_equal(fstate(fx, &f), FRESH_LOADING);
    respond(&fx->io, p2, 200, LIST("50", "", HC("b", "2")));
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 2);
    assert_true(last(&fx->io)->stream);
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
}

static void test_expired_continue_restarts(void **state)
{
    fixture *fx = *state;
    informer_start(fx->inf);
    respond(&fx->io, last(&fx->io), 200, LIST("50", ",\"continue\":\"tok\"", HC("a", "1")));
    respond(&fx->io, last(&fx->io), 410, "{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\"}");
    sent *again = last(&fx->io);
    assert_string_equal(again->path, "/apis/hypershift.openshift.io/v1beta1/hostedclusters?limit=500");
}

static void test_polling_mode(void **state)
{
    (void)state;
    fake_io io = {0};
    store *st = store_new();
    fake_now = 5000;
    informer_io fio = {.submit = fake_submit, .cancel = fake_cancel, .ud = &io};
    informer_config cfg = {.kind = RES_ETCD_POD, .path = "/api/v1/pods?labelSelector=app%3Detcd", .poll_seconds = 10,
                           .clock = fake_clock};
    informer *inf = informer_new(&cfg, &fio, st);
    informer_start(inf);
    assert_string_equal(last(&io)->path, "/api/v1/pods?labelSelector=app%3Detcd&limit=500");
    respond(&io, last(&io), 200,
            "{\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[{\"metadata\":{\"name\":\"etcd-0\",\"namespace\":\"clusters-a\","
            "\"resourceVersion\":\"9\"}}]}");
    assert_int_equal(store_count(st, RES_ETCD_POD), 1);
    assert_int_equal(io.n, 1); /* no watch */
    client_freshness f;
    informer_freshness(inf, &f);
    assert_int_equal(f.state, FRESH_LIVE);
    assert_true(f.polling);
    assert_int_equal(informer_next_deadline_ms(inf), 15000);
    fake_now = 14999;
    informer_tick(inf);
    assert_int_equal(io.n, 1);
    fake_now = 15000;
    informer_tick(inf);
    assert_int_equal(io.n, 2);
    respond(&io, last(&io), 200, "{\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[]}");
    assert_int_equal(store_count(st, RES_ETCD_POD), 0);
    informer_stop(inf);
    informer_freshness(inf, &f);
    assert_int_equal(f.state, FRESH_OFF);
    assert_int_equal(informer_next_deadline_ms(inf), -1);
    informer_free(inf);
    store_free(st);
}

#define BOOKMARK(rv) "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"HostedCluster\",\"metadata\":{\"resourceVersion\":\"" rv "\"}}}"

/* A watch that goes silent (no event, no bookmark) past the threshold is restarted from the last
 * resourceVersion and reads STALE "no data for Ns" until data flows again. */
static void test_stalled_watch_restarts(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    client_freshness f;
    /* bookmarks every 10 s keep a quiet watch open and live for as long as they come */
    for (int i = 0; i < 30; i++) {
        fake_now += 10000;
        line(w, BOOKMARK("30"));
        informer_tick(fx->inf);
    }
    size_t n = fx->io.n;
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    assert_false(w->cancelled);
    /* the next wake-up is the stall deadline: 3 minutes after the last line */
    assert_int_equal(informer_next_deadline_ms(fx->inf), fake_now + 180000);
    fake_now += 179999;
    informer_tick(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    assert_int_equal(fx->io.n, n);
    fake_now += 1;
    informer_tick(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    assert_string_equal(f.why, "no data for 180s, reconnecting");
    assert_non_null(strstr(f.detail, "sent nothing"));
    assert_true(w->cancelled);
    assert_int_equal(fx->io.n, n + 1);
    sent *w2 = last(&fx->io);
    assert_true(w2->stream); /* watched again from the bookmark, no list */
    assert_non_null(strstr(w2->path, "resourceVersion=30&"));
    char words[128];
    client_freshness_text(&f, fake_now + 5000, words, sizeof words);
    assert_string_equal(words, "stale 5s, no data for 180s, reconnecting");
    /* an open but silent restarted watch is not taken for live after the usual quiet seconds */
    fake_now += 5000;
    informer_tick(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    /* data flows again: live */
    line(w2, BOOKMARK("31"));
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
    /* it stalls again: once more, counted from its last line */
    fake_now += 180000;
    informer_tick(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    assert_true(w2->cancelled);
    assert_int_equal(fx->io.n, n + 2);
    /* a watch that ends normally after a stall restart resumes, and its first event makes it live */
    sent *w3 = last(&fx->io);
    fake_now += 60000;
    respond(&fx->io, w3, 200, NULL);
    sent *w4 = last(&fx->io);
    assert_true(w4 != w3 && w4->stream);
    fake_now += 5000;
    informer_tick(fx->inf);
    assert_int_equal(fstate(fx, &f), FRESH_STALE);
    line(w4, EVENT("MODIFIED", HC("a", "40")));
    assert_int_equal(fstate(fx, &f), FRESH_LIVE);
}

/* The threshold is configurable; polling has no watch to stall. */
static void test_stall_threshold_configurable(void **state)
{
    (void)state;
    fake_io io = {0};
    store *st = store_new();
    fake_now = 5000;
    informer_io fio = {.submit = fake_submit, .cancel = fake_cancel, .ud = &io};
    informer_config cfg = {.kind = RES_HOSTEDCLUSTER, .path = "/x", .stall_seconds = 30, .clock = fake_clock};
    informer *inf = informer_new(&cfg, &fio, st);
    informer_start(inf);
    respond(&io, last(&io), 200, LIST("7", ""));
    assert_true(last(&io)->stream);
    assert_int_equal(informer_next_deadline_ms(inf), 5000 + 30000);
    fake_now += 30000;
    informer_tick(inf);
    client_freshness f;
    informer_freshness(inf, &f);
    assert_string_equal(f.why, "no data for 30s, reconnecting");
    assert_int_equal(io.n, 3);
    informer_free(inf);

    io.n = 0;
    cfg.poll_seconds = 10;
    inf = informer_new(&cfg, &fio, st);
    informer_start(inf);
    respond(&io, last(&io), 200, LIST("8", ""));
    fake_now += 600000;
    informer_tick(inf);
    informer_freshness(inf, &f);
    assert_int_equal(f.state, FRESH_LIVE); /* the poll went out; nothing stalled */
    assert_string_equal(f.why, "");
    assert_int_equal(io.n, 2);
    assert_false(last(&io)->stream);
    informer_free(inf);
    store_free(st);
}

/* Hostile streams: mutated event lines (flipped bytes, cuts, junk) never crash the informer, and
 * whatever they did, a re-list puts the store back to exactly the list. */
static void test_mutated_lines(void **state)
{
    fixture *fx = *state;
    list_ab(fx);
    const char *seeds[] = {
        EVENT("ADDED", HC("c", "11")),
        EVENT("MODIFIED", "{\"metadata\":{\"name\":\"a\",\"namespace\":\"clusters\",\"resourceVersion\":\"12\"},"
                          "\"spec\":{\"channel\":\"fast-4.17\",\"release\":{\"image\":\"x\"}},\"status\":{\"conditions\":"
                          "[{\"type\":\"Available\",\"status\":\"True\"}],\"version\":{\"history\":[{\"state\":\"Partial\"}]}}}"),
        EVENT("DELETED", HC("b", "13")),
        "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"14\"}}}",
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":500,\"message\":\"boom\"}}",
    };
    uint64_t x = 0x9E3779B97F4A7C15ull;
    char line[1024];
    for (int i = 0; i < 3000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const char *seed = seeds[x % 5];
        size_t len = strlen(seed);
        memcpy(line, seed, len + 1);
        switch ((x >> 8) % 4) {
        case 0: /* flip a few bytes */
            for (int k = 0; k < 3; k++)
                line[(x >> (16 + 8 * k)) % len] ^= (char)(1u << ((x >> (40 + k)) % 8));
            break;
        case 1: /* cut */
            len = (x >> 16) % len;
            line[len] = '\0';
            break;
        case 2: /* junk in the middle */
            line[(x >> 16) % len] = (char)((x >> 24) & 0xff);
            break;
        default: /* as is */
            break;
        }
        sent *w = last(&fx->io);
        if (w->cancelled) { /* an ERROR: the re-watch timer */
            fake_now = informer_next_deadline_ms(fx->inf);
            informer_tick(fx->inf);
            w = last(&fx->io);
        }
        if (!w->stream) { /* a resync: answer the list */
            respond(&fx->io, w, 200, LIST("100", "", HC("a", "3") "," HC("b", "4")));
            w = last(&fx->io);
        }
        assert_true(w->stream);
        w->on_line(w->ud, line, strlen(line));
        if (fx->io.n > 60) { /* keep the fake's request table small */
            informer_stop(fx->inf);
            fx->io.n = 0;
            list_ab(fx);
        }
    }
    informer_stop(fx->inf);
    fx->io.n = 0;
    list_ab(fx);
    assert_int_equal(store_count(fx->st, RES_HOSTEDCLUSTER), 2);
    assert_string_equal(store_get(fx->st, RES_HOSTEDCLUSTER, "clusters", "a")->meta.resource_version, "3");
}

static void test_stop_cancels(void **state)
{
    fixture *fx = *state;
    sent *w = list_ab(fx);
    informer_stop(fx->inf);
    assert_true(w->cancelled);
    /* a late completion for a cancelled job is ignored */
    informer_start(fx->inf);
    sent *l = last(&fx->io);
    transport_response r = {.id = w->id, .http_code = 410, .body = ""};
    w->on_done(w->ud, &r);
    assert_ptr_equal(last(&fx->io), l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_then_watch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_events_and_bookmark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_410_relists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_410_relists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_line_resyncs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forbidden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_stream_resumes_with_backoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_empty_watch_backs_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_list_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_after_honoured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outage_words_and_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_continue_restarts, setup, teardown),
        cmocka_unit_test(test_polling_mode),
        cmocka_unit_test_setup_teardown(test_mutated_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_cancels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stalled_watch_restarts, setup, teardown),
        cmocka_unit_test(test_stall_threshold_configurable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
