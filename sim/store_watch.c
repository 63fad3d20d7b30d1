/* The event history (a ring contiguous in resourceVersion, see store_internal.h) and the watches that
 * read it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/store_internal.h"

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

/* ---- events --------------------------------------------------------------------------------------- */

void store_event_clear(event *e)
{
    free(e->ns);
    free(e->objtxt);
    free(e->oldtxt);
    memset(e, 0, sizeof *e);
}

char *store_print_or_die(const cJSON *obj)
{
    char *txt = cJSON_PrintUnformatted(obj);
    if (!txt) {
        fprintf(stderr, "hcpsim: out of memory\n");
        abort();
    }
    return txt;
}

/* Records the write that just got resourceVersion s->rv. obj is only read; old (may be NULL) is freed. */
void store_emit(sim_store *s, const sim_kind *k, event_type type, const cJSON *obj, cJSON *old)
{
    event *e = &s->ring[s->rv % s->ring_cap];
    store_event_clear(e);
    e->rv = s->rv;
    e->k = k;
    e->type = type;
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    e->ns = ns ? xstrdup(ns) : NULL;
    e->objtxt = store_print_or_die(obj);
    e->oldtxt = old ? store_print_or_die(old) : NULL;
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
        store_event_clear(&s->ring[i]);
    s->oldest = s->rv + 1;
}

/* The first rv a resume can still start from; anything older has left the history. */
uint64_t store_history_floor(sim_store *s)
{
    return s->oldest > s->rv ? s->rv : s->oldest - 1;
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
    store_set_rv(prev, ev->rv);
    char *txt = store_print_or_die(prev);
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
        return store_bad_request(msg);
    }
    store_filter f;
    if (!store_filter_parse(k, o, &f, &r))
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
        store_table_range(t, k, w->ns, &b, &e);
        for (size_t i = b; i < e; i++) {
            if (!watch_selects(w, t->v[i].obj))
                continue;
            char *txt = store_print_or_die(t->v[i].obj);
            w->pending = xrealloc(w->pending, (w->npending + 1) * sizeof *w->pending);
            w->pending[w->npending++] = event_line("ADDED", txt);
            free(txt);
        }
        w->next = s->rv + 1;
    } else if (from < store_history_floor(s)) {
        /* the apiserver's watch cache words it so, with its oldest deliverable version minus one */
        char msg[160];
        snprintf(msg, sizeof msg, "too old resource version: %" PRIu64 " (%" PRIu64 ")", from, store_history_floor(s));
        unlock(s);
        sim_watch_free(w);
        return store_expired(msg);
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
