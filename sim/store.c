/* The simulator's object store. Per kind, a sorted array of (key, object) with binary search: keys are
 * "namespace/name" (cluster-scoped: "name"), which is also the order etcd and so kube-apiserver list in.
 * Every write bumps one global resourceVersion and appends exactly one event to a ring of the last
 * event_window events, so event i sits at ring[rv % cap] and the ring is contiguous in rv. Watches read
 * that ring; they wait on one condition variable. One mutex guards everything.
 *
 * Objects are copied on write: the stored tree is replaced, never edited in place, so the previous
 * state can go to the event (watches with selectors need it to turn a MODIFIED into ADDED/DELETED).
 *
 * Not emulated (kube-apiserver does these): managedFields, dryRun, graceful pod deletion
 * (gracePeriodSeconds), garbage collection by ownerReferences, a Terminating phase for namespaces (their
 * contents go at once). A status sent on create is kept, so that a fleet can be seeded in one write
 * (the apiserver drops it for custom resources). Continue tokens list from the current state. */
#include "sim/store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/jsonread.h"
#include "sim/patch.h"
#include "sim/selector.h"

#define DEFAULT_EVENT_WINDOW 1024

typedef struct entry {
    char *key;
    cJSON *obj;
} entry;

typedef struct table {
    entry *v;
    size_t n, cap;
} table;

typedef enum { EV_ADDED, EV_MODIFIED, EV_DELETED } event_type;

/* Events keep text, not trees: a ring of thousands of full trees would cost more memory than the
 * objects themselves. Watches without selectors need only the namespace; those with selectors parse
 * the text of the events of their kind. */
typedef struct event {
    uint64_t rv; /* 0: empty slot */
    const sim_kind *k;
    event_type type;
    char *ns;     /* the object's namespace (NULL for cluster-scoped kinds) */
    char *objtxt; /* the state after the write (DELETED: the last state, with the delete's rv) */
    char *oldtxt; /* MODIFIED: the state before, for selector transitions; else NULL */
} event;

struct sim_store {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    sim_store_opts opts;
    uint64_t rv;
    table t[SIM_KIND_COUNT];
    event *ring;
    size_t ring_cap;
    uint64_t oldest;    /* rv of the oldest retained event; > rv when none is */
    uint64_t close_gen; /* bumped to end every open watch */
    int urandom;
    unsigned char rnd[512];
    size_t rnd_pos;
};

struct sim_watch {
    sim_store *s;
    const sim_kind *k;
    char *ns;
    sim_label_selector *ls;
    sim_field_selector *fs;
    uint64_t next; /* the next rv to look at */
    uint64_t gen;
    char **pending; /* synthetic ADDED lines, sent first */
    size_t npending, ipending;
};

/* ---- small helpers -------------------------------------------------------------------------------- */

static void lock(sim_store *s)
{
    pthread_mutex_lock(&s->mu);
}

static void unlock(sim_store *s)
{
    pthread_mutex_unlock(&s->mu);
}

static void random_bytes(sim_store *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s->rnd_pos >= sizeof s->rnd) {
            ssize_t got = s->urandom >= 0 ? read(s->urandom, s->rnd, sizeof s->rnd) : -1;
            if (got != (ssize_t)sizeof s->rnd && getrandom(s->rnd, sizeof s->rnd, 0) != (ssize_t)sizeof s->rnd) {
                fprintf(stderr, "hcpsim: no randomness available\n");
                abort();
            }
            s->rnd_pos = 0;
        }
        out[i] = s->rnd[s->rnd_pos++];
    }
}

static void new_uid(sim_store *s, char out[37])
{
    unsigned char b[16];
    random_bytes(s, b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
             b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static time_t store_now(sim_store *s)
{
    return s->opts.now ? s->opts.now(s->opts.clock) : time(NULL);
}

static void now_rfc3339(sim_store *s, char out[21])
{
    rfc3339_format(store_now(s), out);
}

static bool has_generation(const sim_kind *k)
{
    return k->has_status || k->custom;
}

static const char *meta_str(const cJSON *obj, const char *field)
{
    return json_str_at(obj, "metadata", field, NULL);
}

static void make_key(const sim_kind *k, const char *ns, const char *name, buf *out)
{
    buf_reset(out);
    if (k->namespaced)
        buf_printf(out, "%s/%s", ns ? ns : "", name);
    else
        buf_puts(out, name);
}

static void set_rv(cJSON *obj, uint64_t rv)
{
    char txt[24];
    snprintf(txt, sizeof txt, "%" PRIu64, rv);
    json_set_str(json_obj_child(obj, "metadata"), "resourceVersion", txt);
}

/* ---- tables ---------------------------------------------------------------------------------------- */

/* First index whose key is >= key. */
static size_t lower_bound(const table *t, const char *key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static entry *table_find(table *t, const char *key)
{
    size_t i = lower_bound(t, key);
    return i < t->n && strcmp(t->v[i].key, key) == 0 ? &t->v[i] : NULL;
}

static void table_insert(table *t, char *key, cJSON *obj)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        if (cap < t->cap || cap > SIZE_MAX / sizeof *t->v) {
            fprintf(stderr, "hcpsim: store table overflow\n");
            abort();
        }
        t->v = xrealloc(t->v, cap * sizeof *t->v);
        t->cap = cap;
    }
    /* Fleets are mostly created in key order: appending is the common case. */
    size_t i = (t->n == 0 || strcmp(t->v[t->n - 1].key, key) < 0) ? t->n : lower_bound(t, key);
    memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof *t->v);
    t->v[i] = (entry){key, obj};
    t->n++;
}

/* Removes the entry and hands back its object. */
static cJSON *table_remove(table *t, entry *e)
{
    size_t i = (size_t)(e - t->v);
    cJSON *obj = e->obj;
    free(e->key);
    memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof *t->v);
    t->n--;
    return obj;
}

/* [begin, end) of the keys in namespace ns ("ns/..."); the whole table when ns is empty. */
static void table_range(const table *t, const sim_kind *k, const char *ns, size_t *begin, size_t *end)
{
    if (!k->namespaced || !ns || !*ns) {
        *begin = 0;
        *end = t->n;
        return;
    }
    buf lo = BUF_INIT, hi = BUF_INIT;
    buf_printf(&lo, "%s/", ns);
    buf_printf(&hi, "%s0", ns); /* '0' follows '/' in ASCII: the first key past the namespace */
    *begin = lower_bound(t, buf_str(&lo));
    *end = lower_bound(t, buf_str(&hi));
    buf_free(&lo);
    buf_free(&hi);
}

/* ---- events --------------------------------------------------------------------------------------- */

static void event_clear(event *e)
{
    free(e->ns);
    free(e->objtxt);
    free(e->oldtxt);
    memset(e, 0, sizeof *e);
}

static char *print_or_die(const cJSON *obj)
{
    char *txt = cJSON_PrintUnformatted(obj);
    if (!txt) {
        fprintf(stderr, "hcpsim: out of memory\n");
        abort();
    }
    return txt;
}

/* Records the write that just got resourceVersion s->rv. obj is only read; old (may be NULL) is freed. */
static void emit(sim_store *s, const sim_kind *k, event_type type, const cJSON *obj, cJSON *old)
{
    event *e = &s->ring[s->rv % s->ring_cap];
    event_clear(e);
    e->rv = s->rv;
    e->k = k;
    e->type = type;
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    e->ns = ns ? xstrdup(ns) : NULL;
    e->objtxt = print_or_die(obj);
    e->oldtxt = old ? print_or_die(old) : NULL;
    cJSON_Delete(old);
    if (s->oldest > s->rv)
        s->oldest = s->rv;
    if (s->rv - s->oldest >= s->ring_cap)
        s->oldest = s->rv - s->ring_cap + 1;
    pthread_cond_broadcast(&s->cond);
}

static void ring_drop_all(sim_store *s)
{
    for (size_t i = 0; i < s->ring_cap; i++)
        event_clear(&s->ring[i]);
    s->oldest = s->rv + 1;
}

/* ---- replies -------------------------------------------------------------------------------------- */

static sim_reply reply_obj(int code, cJSON *body)
{
    sim_reply r = {code, body};
    return r;
}

static sim_reply not_found(const sim_kind *k, const char *name)
{
    char q[160];
    sim_kind_qualified(k, q, sizeof q);
    buf m = BUF_INIT;
    buf_printf(&m, "%s \"%s\" not found", q, name);
    sim_reply r = sim_reply_status(404, "NotFound", buf_str(&m), k, name);
    buf_free(&m);
    return r;
}

static sim_reply conflict_modified(const sim_kind *k, const char *name)
{
    char q[160];
    sim_kind_qualified(k, q, sizeof q);
    buf m = BUF_INIT;
    buf_printf(&m,
               "Operation cannot be fulfilled on %s \"%s\": the object has been modified; please apply your changes "
               "to the latest version and try again",
               q, name);
    sim_reply r = sim_reply_status(409, "Conflict", buf_str(&m), k, name);
    buf_free(&m);
    return r;
}

/* A subresource the kind does not have: the apiserver's answer for an unknown path. */
static bool lacks_subresource(const sim_kind *k, sim_subresource sub)
{
    return (sub == SIM_SUB_SCALE && !k->has_scale) || (sub == SIM_SUB_STATUS && !k->has_status);
}

static sim_reply no_such_resource(void)
{
    return sim_reply_status(404, "NotFound", "the server could not find the requested resource", NULL, NULL);
}

static sim_reply bad_request(const char *msg)
{
    return sim_reply_status(400, "BadRequest", msg, NULL, NULL);
}

/* A Status from the validation hook: its own code (422 normally). */
static sim_reply reply_from_status(cJSON *st)
{
    int64_t code = 422;
    json_int_at(&code, st, "code", NULL);
    return reply_obj((int)code, st);
}

/* ---- lifecycle ------------------------------------------------------------------------------------ */

sim_store *sim_store_new(const sim_store_opts *opts)
{
    sim_store *s = xcalloc(1, sizeof *s);
    if (opts)
        s->opts = *opts;
    s->ring_cap = s->opts.event_window ? s->opts.event_window : DEFAULT_EVENT_WINDOW;
    s->ring = xcalloc(s->ring_cap, sizeof *s->ring);
    s->rv = 1; /* like etcd, which starts at revision 1: "0" means "any" to clients */
    s->oldest = s->rv + 1;
    s->urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    s->rnd_pos = sizeof s->rnd; /* empty: the first use reads */
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    return s;
}

void sim_store_free(sim_store *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < SIM_KIND_COUNT; k++) {
        for (size_t i = 0; i < s->t[k].n; i++) {
            free(s->t[k].v[i].key);
            cJSON_Delete(s->t[k].v[i].obj);
        }
        free(s->t[k].v);
    }
    for (size_t i = 0; i < s->ring_cap; i++)
        event_clear(&s->ring[i]);
    free(s->ring);
    if (s->urandom >= 0)
        close(s->urandom);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

uint64_t sim_store_rv(sim_store *s)
{
    lock(s);
    uint64_t rv = s->rv;
    unlock(s);
    return rv;
}

time_t sim_store_now(sim_store *s)
{
    return store_now(s);
}

size_t sim_store_count(sim_store *s, const sim_kind *k)
{
    lock(s);
    size_t n = s->t[k->id].n;
    unlock(s);
    return n;
}

void sim_store_foreach(sim_store *s, const sim_kind *k, const char *ns, sim_visit_fn fn, void *ctx)
{
    lock(s);
    table *t = &s->t[k->id];
    size_t b, e;
    table_range(t, k, ns, &b, &e);
    for (size_t i = b; i < e; i++)
        fn(t->v[i].obj, ctx);
    unlock(s);
}

/* ---- scale ---------------------------------------------------------------------------------------- */

static cJSON *scale_of(const sim_kind *k, const cJSON *obj)
{
    cJSON *sc = cJSON_CreateObject();
    cJSON_AddStringToObject(sc, "kind", "Scale");
    cJSON_AddStringToObject(sc, "apiVersion", "autoscaling/v1");
    cJSON *md = cJSON_AddObjectToObject(sc, "metadata");
    static const char *const fields[] = {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = meta_str(obj, fields[i]);
        if (v)
            cJSON_AddStringToObject(md, fields[i], v);
    }
    int64_t spec = 0, status = 0;
    json_int_at(&spec, obj, "spec", "replicas", NULL);
    json_int_at(&status, obj, "status", "replicas", NULL);
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(sc, "spec"), "replicas", (double)spec);
    cJSON *st = cJSON_AddObjectToObject(sc, "status");
    cJSON_AddNumberToObject(st, "replicas", (double)status);
    /* Deployments and StatefulSets report their pod selector; NodePools have none. */
    const cJSON *ml = json_at(obj, "spec", "selector", "matchLabels", NULL);
    if (k->id != SIM_NODEPOOL && cJSON_IsObject(ml) && ml->child) {
        buf sel = BUF_INIT;
        const cJSON *l;
        cJSON_ArrayForEach(l, ml)
        {
            if (cJSON_IsString(l))
                buf_printf(&sel, "%s%s=%s", sel.len ? "," : "", l->string, l->valuestring);
        }
        cJSON_AddStringToObject(st, "selector", buf_str(&sel));
        buf_free(&sel);
    }
    return sc;
}

/* ---- get / list ----------------------------------------------------------------------------------- */

static entry *lookup(sim_store *s, const sim_kind *k, const char *ns, const char *name)
{
    if (!name || !*name)
        return NULL;
    buf key = BUF_INIT;
    make_key(k, ns, name, &key);
    entry *e = table_find(&s->t[k->id], buf_str(&key));
    buf_free(&key);
    return e;
}

sim_reply sim_store_get(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_subresource sub)
{
    lock(s);
    entry *e = lookup(s, k, ns, name);
    sim_reply r;
    if (lacks_subresource(k, sub))
        r = no_such_resource();
    else if (!e)
        r = not_found(k, name ? name : "");
    else if (sub == SIM_SUB_SCALE)
        r = reply_obj(200, scale_of(k, e->obj));
    else
        r = reply_obj(200, cJSON_Duplicate(e->obj, true));
    unlock(s);
    return r;
}

/* Both selectors of a list or watch, parsed once. */
typedef struct filter {
    sim_label_selector *ls;
    sim_field_selector *fs;
} filter;

static bool filter_parse(const sim_kind *k, const sim_list_opts *o, filter *f, sim_reply *err)
{
    char why[512];
    f->ls = NULL;
    f->fs = NULL;
    if (o && o->label_selector && *o->label_selector) {
        f->ls = sim_label_selector_parse(o->label_selector, why, sizeof why);
        if (!f->ls) {
            *err = bad_request(why);
            return false;
        }
    }
    if (o && o->field_selector && *o->field_selector) {
        f->fs = sim_field_selector_parse(k, o->field_selector, why, sizeof why);
        if (!f->fs) {
            sim_label_selector_free(f->ls);
            f->ls = NULL;
            *err = bad_request(why);
            return false;
        }
    }
    return true;
}

static void filter_free(filter *f)
{
    sim_label_selector_free(f->ls);
    sim_field_selector_free(f->fs);
}

static bool filter_matches(const filter *f, const cJSON *obj)
{
    return sim_label_selector_matches(f->ls, obj) && sim_field_selector_matches(f->fs, obj);
}

/* base64url without padding, as Go's base64.RawURLEncoding (what the apiserver's tokens use). */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64url_encode(const unsigned char *in, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        buf_putc(out, b64[(v >> 18) & 63]);
        buf_putc(out, b64[(v >> 12) & 63]);
        if (i + 1 < n)
            buf_putc(out, b64[(v >> 6) & 63]);
        if (i + 2 < n)
            buf_putc(out, b64[v & 63]);
    }
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

/* Accepts both alphabets, with or without padding. False on anything else. */
static bool b64_decode(const char *in, buf *out)
{
    size_t n = strlen(in);
    while (n && in[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return false;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_putc(out, (char)((acc >> bits) & 0xff));
        }
    }
    return true;
}

/* {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}: the key is relative to the listed namespace. */
static void continue_encode(uint64_t rv, const char *start, buf *out)
{
    cJSON *str = cJSON_CreateString(start);
    char *quoted = print_or_die(str);
    cJSON_Delete(str);
    size_t ql = strlen(quoted);
    buf js = BUF_INIT;
    buf_printf(&js, "{\"v\":\"meta.k8s.io/v1\",\"rv\":%" PRIu64 ",\"start\":", rv);
    buf_append(&js, quoted, ql - 1); /* without the closing quote */
    buf_puts(&js, "\\u0000\"}");
    free(quoted);
    b64url_encode((const unsigned char *)js.data, js.len, out);
    buf_free(&js);
}

typedef struct cont {
    uint64_t rv;
    char *start;
    bool after; /* the key ended in NUL: list strictly after it */
} cont;

static bool continue_decode(const char *token, cont *c, char *why, size_t whylen)
{
    buf raw = BUF_INIT;
    bool ok = false;
    cJSON *js = NULL;
    if (!b64_decode(token, &raw) || raw.len == 0) {
        snprintf(why, whylen, "illegal base64 data");
        goto out;
    }
    js = json_parse_len(raw.data, raw.len);
    const char *v = json_str_at(js, "v", NULL);
    const char *start = json_str_at(js, "start", NULL);
    int64_t rv = 0;
    if (!js || !v || strcmp(v, "meta.k8s.io/v1") != 0) {
        snprintf(why, whylen, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        goto out;
    }
    if (!json_int_at(&rv, js, "rv", NULL) || rv <= 0 || !start) {
        snprintf(why, whylen, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        goto out;
    }
    c->rv = (uint64_t)rv;
    c->start = xstrdup(start);
    c->after = strstr(raw.data, "\\u0000\"") != NULL;
    ok = true;
out:
    cJSON_Delete(js);
    buf_free(&raw);
    return ok;
}

/* The first rv a resume can still start from; anything older has left the history. */
static uint64_t history_floor(sim_store *s)
{
    return s->oldest > s->rv ? s->rv : s->oldest - 1;
}

static sim_reply expired(const char *msg)
{
    return sim_reply_status(410, "Expired", msg, NULL, NULL);
}

/* Pages restart from the token's start key at the current state (etcd would serve the token's
 * snapshot): acceptable for a simulator, and no worse than what a client sees when writes race a list.
 * The reply's metadata.resourceVersion is the token's, as the apiserver answers. */
sim_reply sim_store_list(sim_store *s, const sim_kind *k, const sim_list_opts *o)
{
    sim_reply r;
    filter f;
    if (!filter_parse(k, o, &f, &r))
        return r;
    const char *ns = (k->namespaced && o && o->ns && *o->ns) ? o->ns : NULL;
    cont c = {0, NULL, false};
    if (o && o->continue_token && *o->continue_token) {
        char why[256];
        if (!continue_decode(o->continue_token, &c, why, sizeof why)) {
            buf m = BUF_INIT;
            if (strncmp(why, "continue key", 12) == 0)
                buf_puts(&m, why);
            else
                buf_printf(&m, "continue key is not valid: %s", why);
            r = bad_request(buf_str(&m));
            buf_free(&m);
            filter_free(&f);
            return r;
        }
    }
    lock(s);
    if (c.start && c.rv < history_floor(s)) {
        unlock(s);
        free(c.start);
        filter_free(&f);
        return expired("The provided continue parameter is too old to display a consistent list result. You can "
                       "start a new list without the continue parameter.");
    }
    table *t = &s->t[k->id];
    size_t b, e;
    table_range(t, k, ns, &b, &e);
    if (c.start) {
        buf key = BUF_INIT;
        if (ns)
            buf_printf(&key, "%s/%s", ns, c.start);
        else
            buf_puts(&key, c.start);
        size_t i = lower_bound(t, buf_str(&key));
        if (c.after && i < t->n && strcmp(t->v[i].key, buf_str(&key)) == 0)
            i++;
        if (i > b)
            b = i < e ? i : e;
        buf_free(&key);
    }
    uint64_t list_rv = c.start ? c.rv : s->rv;
    bool selective = f.ls || f.fs;
    cJSON *items = cJSON_CreateArray();
    long taken = 0;
    size_t i = b;
    const char *last = NULL;
    for (; i < e; i++) {
        if (o && o->limit > 0 && taken >= o->limit)
            break;
        if (selective && !filter_matches(&f, t->v[i].obj))
            continue;
        cJSON_AddItemToArray(items, cJSON_Duplicate(t->v[i].obj, true));
        last = t->v[i].key;
        taken++;
    }
    /* What is left after the page: counted exactly, so that no empty last page is ever promised. */
    size_t remaining = 0;
    if (i < e) {
        if (!selective)
            remaining = e - i;
        else
            for (size_t j = i; j < e; j++)
                remaining += filter_matches(&f, t->v[j].obj);
    }
    cJSON *list = cJSON_CreateObject();
    cJSON_AddStringToObject(list, "apiVersion", sim_kind_api_version(k));
    buf kind = BUF_INIT;
    buf_printf(&kind, "%sList", k->kind);
    cJSON_AddStringToObject(list, "kind", buf_str(&kind));
    buf_free(&kind);
    cJSON *md = cJSON_AddObjectToObject(list, "metadata");
    set_rv(list, list_rv);
    if (remaining && last) {
        buf tok = BUF_INIT;
        const char *rel = ns ? last + strlen(ns) + 1 : last;
        continue_encode(list_rv, rel, &tok);
        cJSON_AddStringToObject(md, "continue", buf_str(&tok));
        buf_free(&tok);
        /* The apiserver cannot count matches of a selector without reading them all; it omits the count. */
        if (!selective)
            cJSON_AddNumberToObject(md, "remainingItemCount", (double)remaining);
    }
    cJSON_AddItemToObject(list, "items", items);
    unlock(s);
    free(c.start);
    filter_free(&f);
    return reply_obj(200, list);
}

/* ---- create --------------------------------------------------------------------------------------- */

/* A DNS-1123 subdomain, the rule for most object names; it also keeps '/' out of store keys. */
static bool valid_name(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > 253)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    }
    return n[0] != '-' && n[0] != '.' && n[len - 1] != '-' && n[len - 1] != '.';
}

/* Adds key as the first member (cJSON_AddItemToObject appends; the list is relinked by hand). */
static void prepend_member(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObject(obj, key, item);
    if (obj->child == item)
        return;
    cJSON_DetachItemViaPointer(obj, item);
    cJSON *head = obj->child;
    item->next = head;
    item->prev = head->prev;
    head->prev = item;
    obj->child = item;
}

/* Puts apiVersion and kind first, as every object the apiserver serves starts. */
static void set_type_meta(const sim_kind *k, cJSON *obj)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, "apiVersion");
    cJSON_DeleteItemFromObjectCaseSensitive(obj, "kind");
    prepend_member(obj, "kind", cJSON_CreateString(k->kind));
    prepend_member(obj, "apiVersion", cJSON_CreateString(sim_kind_api_version(k)));
}

static void generate_name(sim_store *s, const char *prefix, buf *out)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789"; /* the apiserver's: no vowels, no 0/1/3 */
    unsigned char r[5];
    random_bytes(s, r, sizeof r);
    buf_reset(out);
    buf_puts(out, prefix);
    for (size_t i = 0; i < sizeof r; i++)
        buf_putc(out, alphabet[r[i] % (sizeof alphabet - 1)]);
}

static sim_reply create_locked(sim_store *s, const sim_kind *k, const char *path_ns, cJSON *obj)
{
    char msg[512];
    const char *kind = json_str_at(obj, "kind", NULL);
    if (kind && *kind && strcmp(kind, k->kind) != 0) {
        snprintf(msg, sizeof msg, "the kind in the object (%.100s) does not match the resource (%s)", kind, k->kind);
        cJSON_Delete(obj);
        return bad_request(msg);
    }
    const char *av = json_str_at(obj, "apiVersion", NULL);
    if (av && *av && strcmp(av, sim_kind_api_version(k)) != 0) {
        snprintf(msg, sizeof msg, "the API version in the data (%.100s) does not match the expected API version (%s)",
                 av, sim_kind_api_version(k));
        cJSON_Delete(obj);
        return bad_request(msg);
    }
    set_type_meta(k, obj);
    cJSON *md = json_obj_child(obj, "metadata");
    const char *body_rv = json_str_at(md, "resourceVersion", NULL);
    if (body_rv && *body_rv) {
        cJSON_Delete(obj);
        return bad_request("resourceVersion should not be set on objects to be created");
    }
    const char *body_ns = json_str_at(md, "namespace", NULL);
    char *ns = NULL;
    if (k->namespaced) {
        if (path_ns && *path_ns && body_ns && *body_ns && strcmp(path_ns, body_ns) != 0) {
            cJSON_Delete(obj);
            return bad_request("the namespace of the provided object does not match the namespace sent on the request");
        }
        ns = xstrdup(path_ns && *path_ns ? path_ns : (body_ns ? body_ns : ""));
        if (!*ns) {
            free(ns);
            cJSON_Delete(obj);
            return bad_request("an empty namespace may not be set during creation");
        }
        if (!table_find(&s->t[SIM_NAMESPACE], ns)) {
            snprintf(msg, sizeof msg, "namespaces \"%.200s\" not found", ns);
            sim_reply r = sim_reply_status(404, "NotFound", msg, sim_kind_get(SIM_NAMESPACE), ns);
            free(ns);
            cJSON_Delete(obj);
            return r;
        }
        json_set_str(md, "namespace", ns);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(md, "namespace");
    }
    sim_reply r = {0, NULL};
    buf key = BUF_INIT, name = BUF_INIT;
    const char *given = json_str_at(md, "name", NULL);
    const char *gen = json_str_at(md, "generateName", NULL);
    if (given && *given) {
        buf_puts(&name, given);
    } else if (gen && *gen) {
        for (int tries = 0; tries < 8; tries++) { /* a clash is retried, as the apiserver's client would */
            generate_name(s, gen, &name);
            make_key(k, ns, buf_str(&name), &key);
            if (!table_find(&s->t[k->id], buf_str(&key)))
                break;
        }
    } else {
        r = reply_obj(422, sim_status_invalid(k, "", "metadata.name", "FieldValueRequired",
                                              "Required value: name or generateName is required"));
        goto out;
    }
    if (!valid_name(buf_str(&name))) {
        snprintf(msg, sizeof msg,
                 "Invalid value: \"%.200s\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                 "characters, '-' or '.', and must start and end with an alphanumeric character",
                 buf_str(&name));
        r = reply_obj(422, sim_status_invalid(k, buf_str(&name), "metadata.name", "FieldValueInvalid", msg));
        goto out;
    }
    json_set_str(md, "name", buf_str(&name));
    make_key(k, ns, buf_str(&name), &key);
    if (table_find(&s->t[k->id], buf_str(&key))) {
        char q[160];
        sim_kind_qualified(k, q, sizeof q);
        snprintf(msg, sizeof msg, "%s \"%.200s\" already exists", q, buf_str(&name));
        r = sim_reply_status(409, "AlreadyExists", msg, k, buf_str(&name));
        goto out;
    }
    char uid[37], ts[21];
    new_uid(s, uid);
    now_rfc3339(s, ts);
    json_set_str(md, "uid", uid);
    json_set_str(md, "creationTimestamp", ts);
    cJSON_DeleteItemFromObjectCaseSensitive(md, "deletionTimestamp");
    cJSON_DeleteItemFromObjectCaseSensitive(md, "deletionGracePeriodSeconds");
    if (has_generation(k))
        json_set_num(md, "generation", 1);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(md, "generation");
    if (k->id == SIM_NAMESPACE)
        json_set_str(json_obj_child(obj, "status"), "phase", "Active");
    if (s->opts.validate) {
        cJSON *st = s->opts.validate(k, obj, NULL, s->opts.validate_ctx);
        if (st) {
            r = reply_from_status(st);
            goto out;
        }
    }
    s->rv++;
    set_rv(obj, s->rv);
    table_insert(&s->t[k->id], buf_steal(&key), obj);
    emit(s, k, EV_ADDED, obj, NULL);
    r = reply_obj(201, cJSON_Duplicate(obj, true));
    obj = NULL;
out:
    cJSON_Delete(obj);
    free(ns);
    buf_free(&key);
    buf_free(&name);
    return r;
}

/* The shape every body must have before it can be an object: a JSON object whose metadata, when
 * present, is an object too. NULL when fine, else the reason. */
static const char *shape_error(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return "the body of the request must be a JSON object";
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    if (md && !cJSON_IsObject(md))
        return "metadata must be a JSON object";
    return NULL;
}

sim_reply sim_store_create(sim_store *s, const sim_kind *k, const char *ns, const cJSON *obj)
{
    const char *bad = shape_error(obj);
    if (bad)
        return bad_request(bad);
    cJSON *copy = cJSON_Duplicate(obj, true);
    lock(s);
    sim_reply r = create_locked(s, k, ns, copy);
    unlock(s);
    return r;
}

/* ---- the write path shared by update, patch and mutate -------------------------------------------- */

/* True when a and b agree on every top-level member except metadata and status. */
static bool same_spec(const cJSON *a, const cJSON *b)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, a)
    {
        if (strcmp(m->string, "metadata") == 0 || strcmp(m->string, "status") == 0)
            continue;
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, m->string);
        if (!o || !cJSON_Compare(m, o, true))
            return false;
    }
    cJSON_ArrayForEach(m, b)
    {
        if (strcmp(m->string, "metadata") == 0 || strcmp(m->string, "status") == 0)
            continue;
        if (!cJSON_GetObjectItemCaseSensitive(a, m->string))
            return false;
    }
    return true;
}

/* Copies member key of from into to (or removes it from to when from lacks it). */
static void carry_member(cJSON *to, const cJSON *from, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    if (v)
        json_set_item(to, key, cJSON_Duplicate(v, true));
    else
        cJSON_DeleteItemFromObjectCaseSensitive(to, key);
}

static bool finalizers_empty(const cJSON *obj)
{
    const cJSON *f = json_at(obj, "metadata", "finalizers", NULL);
    return !cJSON_IsArray(f) || cJSON_GetArraySize(f) == 0;
}

/* Removes the entry for good: bumps rv, emits DELETED with the last state. Returns that state. */
static cJSON *remove_object(sim_store *s, const sim_kind *k, entry *e)
{
    cJSON *obj = table_remove(&s->t[k->id], e);
    s->rv++;
    set_rv(obj, s->rv);
    emit(s, k, EV_DELETED, obj, NULL);
    return obj;
}

/* Which part of an object a write may change. */
typedef enum {
    SCOPE_MAIN,   /* the resource itself: with a status subresource, status changes are ignored */
    SCOPE_STATUS, /* /status: only status changes */
    SCOPE_ALL     /* controllers: everything but identity */
} write_scope;

/* Replaces e's object by next (taken). validate: run the hook. Returns the reply with the stored result
 * (200), or an error. */
static sim_reply commit_write(sim_store *s, const sim_kind *k, entry *e, cJSON *next, write_scope scope,
                              bool validate)
{
    cJSON *old = e->obj;
    if (scope == SCOPE_STATUS) {
        /* /status changes the status and nothing else */
        cJSON *merged = cJSON_Duplicate(old, true);
        carry_member(merged, next, "status");
        cJSON_Delete(next);
        next = merged;
    } else if (k->has_status && scope == SCOPE_MAIN) {
        carry_member(next, old, "status");
    }
    set_type_meta(k, next);
    /* Identity and server-managed metadata are the server's: restore them whatever the client sent. */
    cJSON *md = json_obj_child(next, "metadata");
    const cJSON *omd = json_at(old, "metadata", NULL);
    static const char *const kept[] = {"name", "namespace", "uid", "creationTimestamp", "generation",
                                       "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        carry_member(md, omd, kept[i]);
    if (cJSON_Compare(next, old, true)) { /* nothing changed: no new resourceVersion, as the apiserver */
        cJSON_Delete(next);
        return reply_obj(200, cJSON_Duplicate(old, true));
    }
    if (has_generation(k) && !same_spec(next, old)) {
        int64_t g = 0;
        json_int_at(&g, old, "metadata", "generation", NULL);
        json_set_num(md, "generation", (double)(g + 1));
    }
    if (validate && s->opts.validate) {
        cJSON *st = s->opts.validate(k, next, old, s->opts.validate_ctx);
        if (st) {
            cJSON_Delete(next);
            return reply_from_status(st);
        }
    }
    if (meta_str(next, "deletionTimestamp") && finalizers_empty(next)) {
        /* the last finalizer is gone: the pending delete completes */
        e->obj = next;
        cJSON_Delete(old);
        cJSON *gone = remove_object(s, k, e);
        return reply_obj(200, gone);
    }
    s->rv++;
    set_rv(next, s->rv);
    e->obj = next;
    emit(s, k, EV_MODIFIED, next, old);
    return reply_obj(200, cJSON_Duplicate(next, true));
}

static bool rv_matches(const cJSON *obj, const char *want)
{
    const char *have = meta_str(obj, "resourceVersion");
    return have && strcmp(have, want) == 0;
}

/* PUT or PATCH of a Scale: spec.replicas goes into the object; the answer is the new Scale. */
static sim_reply write_scale(sim_store *s, const sim_kind *k, entry *e, const cJSON *scale)
{
    int64_t replicas;
    if (!json_int_at(&replicas, scale, "spec", "replicas", NULL) || replicas < 0 || replicas > INT32_MAX) {
        const cJSON *v = json_at(scale, "spec", "replicas", NULL);
        char *txt = v ? cJSON_PrintUnformatted(v) : NULL;
        char msg[256];
        snprintf(msg, sizeof msg, "Invalid value: %.100s: must be greater than or equal to 0", txt ? txt : "null");
        free(txt);
        /* the apiserver names the Scale kind here, not the scaled one */
        static const sim_kind scale_kind = {.group = "autoscaling", .version = "v1", .kind = "Scale"};
        cJSON *st = sim_status_invalid(&scale_kind, meta_str(e->obj, "name"), "spec.replicas", "FieldValueInvalid",
                                       msg);
        return reply_obj(422, st);
    }
    cJSON *next = cJSON_Duplicate(e->obj, true);
    json_set_num(json_obj_child(next, "spec"), "replicas", (double)replicas);
    sim_reply r = commit_write(s, k, e, next, SCOPE_MAIN, true);
    if (r.code == 200) {
        cJSON *sc = scale_of(k, r.body);
        cJSON_Delete(r.body);
        r.body = sc;
    }
    return r;
}

/* ---- update (PUT) --------------------------------------------------------------------------------- */

sim_reply sim_store_update(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *obj,
                           sim_subresource sub)
{
    const char *bad = shape_error(obj);
    if (bad)
        return bad_request(bad);
    if (lacks_subresource(k, sub))
        return no_such_resource();
    const char *body_name = meta_str(obj, "name");
    const char *body_ns = meta_str(obj, "namespace");
    char msg[600];
    if (body_name && *body_name && name && strcmp(body_name, name) != 0) {
        snprintf(msg, sizeof msg, "the name of the object (%.200s) does not match the name on the URL (%.200s)",
                 body_name, name);
        return bad_request(msg);
    }
    if (k->namespaced && body_ns && *body_ns && ns && *ns && strcmp(body_ns, ns) != 0)
        return bad_request("the namespace of the provided object does not match the namespace sent on the request");
    lock(s);
    sim_reply r;
    entry *e = lookup(s, k, ns, name);
    const char *want = meta_str(obj, "resourceVersion");
    if (!e) {
        r = not_found(k, name ? name : "");
    } else if ((!want || !*want) && k->custom && sub != SIM_SUB_SCALE) {
        /* custom resources do not allow unconditional updates */
        r = reply_obj(422, sim_status_invalid(k, name, "metadata.resourceVersion", "FieldValueInvalid",
                                              "Invalid value: 0x0: must be specified for an update"));
    } else if (want && *want && !rv_matches(e->obj, want)) {
        r = conflict_modified(k, name);
    } else if (sub == SIM_SUB_SCALE) {
        r = write_scale(s, k, e, obj);
    } else {
        r = commit_write(s, k, e, cJSON_Duplicate(obj, true), sub == SIM_SUB_STATUS ? SCOPE_STATUS : SCOPE_MAIN, true);
    }
    unlock(s);
    return r;
}

/* ---- patch ---------------------------------------------------------------------------------------- */

/* 422 as the apiserver's patch handler builds it (NewGenericServerResponse): fixed message, the
 * library's reason as the one cause. */
static sim_reply patch_failed(const char *why)
{
    cJSON *st = sim_status(422, "Invalid", "the server rejected our request due to an error in our request", NULL,
                           NULL);
    cJSON *d = cJSON_CreateObject();
    cJSON *causes = cJSON_AddArrayToObject(d, "causes");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "reason", "UnexpectedServerResponse");
    cJSON_AddStringToObject(c, "message", why);
    cJSON_AddItemToArray(causes, c);
    /* details goes before code */
    cJSON *code = cJSON_DetachItemFromObjectCaseSensitive(st, "code");
    cJSON_AddItemToObject(st, "details", d);
    cJSON_AddItemToObject(st, "code", code);
    return reply_obj(422, st);
}

sim_reply sim_store_patch(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_patch_type type,
                          const char *body, size_t len, sim_subresource sub)
{
    if (type == SIM_PATCH_STRATEGIC && k->custom)
        return sim_reply_status(415, "UnsupportedMediaType",
                                "the body of the request was in an unknown format - accepted media types include: "
                                "application/json-patch+json, application/merge-patch+json, "
                                "application/apply-patch+yaml",
                                NULL, NULL);
    if (lacks_subresource(k, sub))
        return no_such_resource();
    sim_json_error jerr;
    cJSON *patch = sim_json_read(body, len, &jerr); /* as Go reads it: lone surrogates become U+FFFD */
    if (!patch)
        return bad_request(jerr == SIM_JSON_NUL ? "error decoding patch: " SIM_JSON_NUL_MESSAGE
                                               : "error decoding patch: the body is not valid JSON");
    if (type != SIM_PATCH_JSON && !cJSON_IsObject(patch)) {
        cJSON_Delete(patch);
        return bad_request("error decoding patch: a merge patch must be a JSON object");
    }
    if (type == SIM_PATCH_JSON && !cJSON_IsArray(patch)) {
        cJSON_Delete(patch);
        return bad_request("error decoding patch: a JSON patch must be an array of operations");
    }
    lock(s);
    sim_reply r;
    entry *e = lookup(s, k, ns, name);
    if (!e) {
        r = not_found(k, name ? name : "");
        goto out;
    }
    cJSON *doc = sub == SIM_SUB_SCALE ? scale_of(k, e->obj) : cJSON_Duplicate(e->obj, true);
    char why[512] = "";
    switch (type) {
    case SIM_PATCH_MERGE: doc = sim_merge_patch(doc, patch); break;
    case SIM_PATCH_STRATEGIC: doc = sim_strategic_merge_patch(doc, patch, why, sizeof why); break;
    case SIM_PATCH_JSON:
        if (!sim_json_patch(&doc, patch, why, sizeof why)) {
            cJSON_Delete(doc);
            doc = NULL;
        }
        break;
    }
    if (!doc) {
        r = patch_failed(why);
        goto out;
    }
    const char *want = meta_str(doc, "resourceVersion");
    const char *new_name = meta_str(doc, "name");
    const char *new_ns = meta_str(doc, "namespace");
    char msg[600];
    if (shape_error(doc)) {
        r = patch_failed(shape_error(doc));
    } else if (want && *want && !rv_matches(e->obj, want)) {
        r = conflict_modified(k, name);
    } else if (new_name && strcmp(new_name, name) != 0) {
        /* a name or namespace the patch removed is simply restored; a changed one is refused */
        snprintf(msg, sizeof msg, "the name of the object (%.200s) does not match the name on the URL (%.200s)",
                 new_name, name);
        r = bad_request(msg);
    } else if (k->namespaced && new_ns && strcmp(new_ns, ns ? ns : "") != 0) {
        r = bad_request("the namespace of the provided object does not match the namespace sent on the request");
    } else if (sub == SIM_SUB_SCALE) {
        r = write_scale(s, k, e, doc);
    } else {
        r = commit_write(s, k, e, doc, sub == SIM_SUB_STATUS ? SCOPE_STATUS : SCOPE_MAIN, true);
        doc = NULL;
    }
    cJSON_Delete(doc);
out:
    unlock(s);
    cJSON_Delete(patch);
    return r;
}

/* ---- delete --------------------------------------------------------------------------------------- */

/* 409 for a failed DeleteOptions precondition: the apiserver names the Kind here, not the resource. */
static sim_reply precondition_failed(const sim_kind *k, const char *name, const char *what, const char *want,
                                     const char *have, const char *tail)
{
    buf m = BUF_INIT;
    buf_printf(&m, "Operation cannot be fulfilled on %s%s%s \"%s\": the %s in the precondition (%s) does not match "
                   "the %s in record (%s). %s",
               k->kind, *k->group ? "." : "", k->group, name, what, want, what, have ? have : "", tail);
    sim_reply r = sim_reply_status(409, "Conflict", buf_str(&m), k, name);
    json_set_str(cJSON_GetObjectItemCaseSensitive(r.body, "details"), "kind", k->kind);
    buf_free(&m);
    return r;
}

/* Deletes every namespaced object in ns, each with its own DELETED event. */
static void delete_namespace_contents(sim_store *s, const char *ns)
{
    for (size_t id = 0; id < SIM_KIND_COUNT; id++) {
        const sim_kind *k = sim_kind_get((sim_kind_id)id);
        if (!k->namespaced)
            continue;
        table *t = &s->t[id];
        size_t b, e;
        table_range(t, k, ns, &b, &e);
        for (size_t n = e - b; n > 0; n--)
            cJSON_Delete(remove_object(s, k, &t->v[b]));
    }
}

static sim_reply delete_success(const sim_kind *k, cJSON *gone)
{
    if (!k->custom)
        return reply_obj(200, gone);
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "kind", "Status");
    cJSON_AddStringToObject(st, "apiVersion", "v1");
    cJSON_AddItemToObject(st, "metadata", cJSON_CreateObject());
    cJSON_AddStringToObject(st, "status", "Success");
    cJSON *d = cJSON_AddObjectToObject(st, "details");
    cJSON_AddStringToObject(d, "name", meta_str(gone, "name") ? meta_str(gone, "name") : "");
    cJSON_AddStringToObject(d, "group", k->group);
    cJSON_AddStringToObject(d, "kind", k->plural);
    cJSON_AddStringToObject(d, "uid", meta_str(gone, "uid") ? meta_str(gone, "uid") : "");
    cJSON_Delete(gone);
    return reply_obj(200, st);
}

sim_reply sim_store_delete(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *options)
{
    lock(s);
    sim_reply r;
    entry *e = lookup(s, k, ns, name);
    const char *want_uid = json_str_at(options, "preconditions", "uid", NULL);
    const char *want_rv = json_str_at(options, "preconditions", "resourceVersion", NULL);
    if (!e) {
        r = not_found(k, name ? name : "");
    } else if (want_uid && strcmp(want_uid, meta_str(e->obj, "uid") ? meta_str(e->obj, "uid") : "") != 0) {
        r = precondition_failed(k, name, "UID", want_uid, meta_str(e->obj, "uid"),
                                "The object might have been deleted and then recreated");
    } else if (want_rv && !rv_matches(e->obj, want_rv)) {
        r = precondition_failed(k, name, "ResourceVersion", want_rv, meta_str(e->obj, "resourceVersion"),
                                "The object might have been modified");
    } else if (k->id == SIM_NAMESPACE) {
        char *nsname = xstrdup(name);
        delete_namespace_contents(s, nsname);
        e = lookup(s, k, NULL, nsname);
        cJSON *gone = remove_object(s, k, e);
        json_set_str(json_obj_child(gone, "status"), "phase", "Terminating");
        r = delete_success(k, gone);
        free(nsname);
    } else if (!finalizers_empty(e->obj)) {
        if (meta_str(e->obj, "deletionTimestamp")) {
            r = reply_obj(200, cJSON_Duplicate(e->obj, true)); /* already going: nothing new */
        } else {
            cJSON *next = cJSON_Duplicate(e->obj, true);
            cJSON *md = json_obj_child(next, "metadata");
            char ts[21];
            now_rfc3339(s, ts);
            json_set_str(md, "deletionTimestamp", ts);
            json_set_num(md, "deletionGracePeriodSeconds", 0);
            if (has_generation(k)) {
                int64_t g = 0;
                json_int_at(&g, next, "metadata", "generation", NULL);
                json_set_num(md, "generation", (double)(g + 1));
            }
            cJSON *old = e->obj;
            s->rv++;
            set_rv(next, s->rv);
            e->obj = next;
            emit(s, k, EV_MODIFIED, next, old);
            r = reply_obj(200, cJSON_Duplicate(next, true));
        }
    } else {
        r = delete_success(k, remove_object(s, k, e));
    }
    unlock(s);
    return r;
}

/* ---- controllers ---------------------------------------------------------------------------------- */

bool sim_store_mutate(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_mutate_fn fn,
                      void *ctx)
{
    lock(s);
    bool changed = false;
    entry *e = lookup(s, k, ns, name);
    if (e) {
        cJSON *work = cJSON_Duplicate(e->obj, true);
        if (fn(work, ctx) && cJSON_IsObject(work)) {
            uint64_t before = s->rv;
            sim_reply r = commit_write(s, k, e, work, SCOPE_ALL, false);
            changed = s->rv != before;
            cJSON_Delete(r.body);
        } else {
            cJSON_Delete(work);
        }
    }
    unlock(s);
    return changed;
}

/* ---- watch ---------------------------------------------------------------------------------------- */

static const char *const event_names[] = {"ADDED", "MODIFIED", "DELETED"};

static char *event_line(const char *type, const char *objtxt)
{
    buf b = BUF_INIT;
    buf_printf(&b, "{\"type\":\"%s\",\"object\":%s}", type, objtxt);
    return buf_steal(&b);
}

static bool watch_selects(const sim_watch *w, const cJSON *obj)
{
    return sim_label_selector_matches(w->ls, obj) && sim_field_selector_matches(w->fs, obj);
}

/* Whether the object in text form passes the watch's selectors. */
static bool text_selected(const sim_watch *w, const char *txt)
{
    cJSON *obj = cJSON_Parse(txt);
    bool m = obj && watch_selects(w, obj);
    cJSON_Delete(obj);
    return m;
}

/* The line this watch should see for event ev, or NULL. As the apiserver's watch cache does, a MODIFIED
 * object that starts matching the selectors arrives as ADDED, one that stops as DELETED (with its
 * previous content and the event's resourceVersion). */
static char *watch_render(const sim_watch *w, const event *ev)
{
    if (ev->k != w->k)
        return NULL;
    if (w->ns && (!ev->ns || strcmp(ev->ns, w->ns) != 0))
        return NULL;
    if (!w->ls && !w->fs)
        return event_line(event_names[ev->type], ev->objtxt);
    bool now = text_selected(w, ev->objtxt);
    if (ev->type != EV_MODIFIED || !ev->oldtxt)
        return now ? event_line(event_names[ev->type], ev->objtxt) : NULL;
    bool before = text_selected(w, ev->oldtxt);
    if (now)
        return event_line(before ? "MODIFIED" : "ADDED", ev->objtxt);
    if (!before)
        return NULL;
    cJSON *prev = cJSON_Parse(ev->oldtxt);
    if (!prev)
        return NULL;
    set_rv(prev, ev->rv);
    char *txt = print_or_die(prev);
    cJSON_Delete(prev);
    char *line = event_line("DELETED", txt);
    free(txt);
    return line;
}

static bool parse_rv(const char *s, uint64_t *out)
{
    if (!s || !*s || strlen(s) > 19)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

sim_reply sim_store_watch(sim_store *s, const sim_kind *k, const sim_list_opts *o, const char *resource_version,
                          sim_watch **out)
{
    sim_reply r = {200, NULL};
    *out = NULL;
    uint64_t from = 0;
    bool synth = !resource_version || !*resource_version || strcmp(resource_version, "0") == 0;
    if (!synth && !parse_rv(resource_version, &from)) {
        char msg[160];
        snprintf(msg, sizeof msg, "invalid resource version: %.100s", resource_version);
        return bad_request(msg);
    }
    filter f;
    if (!filter_parse(k, o, &f, &r))
        return r;
    sim_watch *w = xcalloc(1, sizeof *w);
    w->s = s;
    w->k = k;
    w->ns = (k->namespaced && o && o->ns && *o->ns) ? xstrdup(o->ns) : NULL;
    w->ls = f.ls;
    w->fs = f.fs;
    lock(s);
    w->gen = s->close_gen;
    if (synth) {
        table *t = &s->t[k->id];
        size_t b, e;
        table_range(t, k, w->ns, &b, &e);
        for (size_t i = b; i < e; i++) {
            if (!watch_selects(w, t->v[i].obj))
                continue;
            char *txt = print_or_die(t->v[i].obj);
            w->pending = xrealloc(w->pending, (w->npending + 1) * sizeof *w->pending);
            w->pending[w->npending++] = event_line("ADDED", txt);
            free(txt);
        }
        w->next = s->rv + 1;
    } else if (from < history_floor(s)) {
        /* the apiserver's watch cache words it so, with its oldest deliverable version minus one */
        char msg[160];
        snprintf(msg, sizeof msg, "too old resource version: %" PRIu64 " (%" PRIu64 ")", from, history_floor(s));
        unlock(s);
        sim_watch_free(w);
        return expired(msg);
    } else {
        w->next = from + 1;
    }
    unlock(s);
    *out = w;
    return r;
}

static void deadline_after(int timeout_ms, struct timespec *ts)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    if (timeout_ms < 0)
        timeout_ms = 0;
    ts->tv_sec += timeout_ms / 1000;
    ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

sim_watch_result sim_watch_next(sim_watch *w, int timeout_ms, char **line)
{
    sim_store *s = w->s;
    *line = NULL;
    struct timespec deadline;
    deadline_after(timeout_ms, &deadline);
    lock(s);
    sim_watch_result res = SIM_WATCH_TIMEOUT;
    for (;;) {
        if (w->gen != s->close_gen) {
            res = SIM_WATCH_CLOSED;
            break;
        }
        if (w->ipending < w->npending) {
            *line = w->pending[w->ipending];
            w->pending[w->ipending++] = NULL;
            res = SIM_WATCH_EVENT;
            break;
        }
        /* Fell behind the history: the apiserver ends such a watch; the client resumes and gets 410. */
        if (w->next <= s->rv && w->next < s->oldest) {
            res = SIM_WATCH_CLOSED;
            break;
        }
        while (w->next <= s->rv && !*line)
            *line = watch_render(w, &s->ring[w->next++ % s->ring_cap]);
        if (*line) {
            res = SIM_WATCH_EVENT;
            break;
        }
        if (pthread_cond_timedwait(&s->cond, &s->mu, &deadline) == ETIMEDOUT) {
            /* one last look: an event may have come with the timeout */
            if (w->gen == s->close_gen && w->next <= s->rv && w->next >= s->oldest)
                continue;
            res = w->gen != s->close_gen ? SIM_WATCH_CLOSED : SIM_WATCH_TIMEOUT;
            break;
        }
    }
    unlock(s);
    return res;
}

uint64_t sim_watch_rv(sim_watch *w)
{
    sim_store *s = w->s;
    lock(s);
    /* Events of other kinds, or filtered out, do not hold a bookmark back: skip them. */
    if (w->ipending >= w->npending && w->gen == s->close_gen) {
        while (w->next <= s->rv && w->next >= s->oldest) {
            char *line = watch_render(w, &s->ring[w->next % s->ring_cap]);
            if (line) {
                free(line);
                break;
            }
            w->next++;
        }
    }
    uint64_t rv = w->next - 1;
    unlock(s);
    return rv;
}

void sim_watch_free(sim_watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->npending; i++)
        free(w->pending[i]);
    free(w->pending);
    free(w->ns);
    sim_label_selector_free(w->ls);
    sim_field_selector_free(w->fs);
    free(w);
}

void sim_store_compact(sim_store *s)
{
    lock(s);
    ring_drop_all(s);
    s->close_gen++;
    pthread_cond_broadcast(&s->cond);
    unlock(s);
}

void sim_store_close_watches(sim_store *s)
{
    lock(s);
    s->close_gen++;
    pthread_cond_broadcast(&s->cond);
    unlock(s);
}
