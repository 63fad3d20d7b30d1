/* The controllers' cache: what they last read of every HostedCluster, NodePool, etcd pod, PVC and
 * StatefulSet, kept by uid and parsed again only when an object's resourceVersion moves. It is fed by
 * the store's own watch events (a full read at the start and after a watch falls behind or is
 * compacted), and turns into each tick's records: c->hcs (with their etcd members and node counts)
 * and c->nps, in namespace/name order like the store's. */
#include "sim/ctl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"

static void free_hc_state(void *p)
{
    hc_state *st = p;
    free(st->f.ns);
    free(st->f.name);
    free(st->f.uid);
    free(st->f.cpns);
    free(st->f.paused_until);
    free(st);
}

static void free_np_state(void *p)
{
    np_state *st = p;
    free(st->ns);
    free(st->name);
    free(st->uid);
    free(st->cluster);
    free(st->hc_key);
    free(st);
}

static void free_member_facts(void *p)
{
    member_facts *f = p;
    free(f->ns);
    free(f);
}

static void *state_for(strmap *m, const char *uid, size_t size)
{
    void *st = ctl_map_get(m, uid);
    if (!st) {
        st = xcalloc(1, size);
        ctl_map_add(m, uid, st);
    }
    return st;
}

/* metadata.uid, and metadata.resourceVersion into *rv. */
static const char *uid_rv(const cJSON *obj, uint64_t *rv)
{
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    const char *v = json_str_at(md, "resourceVersion", NULL);
    *rv = v ? strtoull(v, NULL, 10) : 0;
    return json_str_at(md, "uid", NULL);
}

/* Sets *dst to a copy of src, keeping the old copy when it is equal: a re-parse then allocates nothing,
 * and the records of a tick that borrow these strings never see them freed. */
static void replace_str(char **dst, const char *src)
{
    if (*dst && src && strcmp(*dst, src) == 0)
        return;
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

static void parse_hc(sim_controllers *c, hc_state *st, const cJSON *obj, uint64_t rv)
{
    hc_facts *f = &st->f;
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    const char *name = json_str_at(obj, "metadata", "name", NULL);
    if (!f->ns) { /* identity never changes: index it once */
        replace_str(&f->ns, ns);
        replace_str(&f->name, name);
        replace_str(&f->uid, json_str_at(obj, "metadata", "uid", NULL));
        char cpns[600], key[600];
        sim_cp_namespace(ns, name, cpns, sizeof cpns);
        replace_str(&f->cpns, cpns);
        snprintf(key, sizeof key, "%s/%s", ns, name);
        ctl_map_set(&c->hc_by_key, key, st);
        ctl_map_set(&c->hc_by_cpns, cpns, st);
        c->hc_index_gen++;
    }
    f->rv = rv;
    const char *mt = json_str_at(obj, "spec", "etcd", "managementType", NULL);
    f->managed = !mt || strcmp(mt, "Managed") == 0;
    const char *policy = json_str_at(obj, "spec", "controllerAvailabilityPolicy", NULL);
    f->ha = !policy || strcmp(policy, "SingleReplica") != 0;
    const char *size = json_str_at(obj, "spec", "etcd", "managed", "storage", "persistentVolume", "size", NULL);
    snprintf(f->size, sizeof f->size, "%s", size && strlen(size) < sizeof f->size ? size : "8Gi");
    f->deleting = json_str_at(obj, "metadata", "deletionTimestamp", NULL) != NULL;
    f->installed = json_at(obj, "status", "version", NULL) != NULL;
    replace_str(&f->paused_until, json_str_at(obj, "spec", "pausedUntil", NULL));
    f->has_completed = ctl_newest_completed(obj, &f->completed);
    f->skip_validation = json_at(obj, "metadata", "annotations", SKIP_VALIDATION_ANNOTATION, NULL) != NULL;
    f->upgrade_ticks = ctl_pace_of(obj, PACE_UPGRADE_ANNOTATION, SIM_UPGRADE_TICKS);
}

static void apply_hc(sim_controllers *c, const cJSON *obj, bool deleted)
{
    uint64_t rv;
    const char *uid = uid_rv(obj, &rv);
    if (!uid || !json_str_at(obj, "metadata", "namespace", NULL) || !json_str_at(obj, "metadata", "name", NULL))
        return;
    hc_state *st = ctl_map_get(&c->hc_states, uid);
    if (!st) {
        if (deleted)
            return;
        st = xcalloc(1, sizeof *st);
        st->sts_ready = st->sts_current = -1; /* unknown: the first step writes the StatefulSet */
        ctl_map_add(&c->hc_states, uid, st);
    }
    if (deleted) {
        c->hc_order.dirty |= st->f.live;
        st->f.live = false;
    } else {
        if (!st->f.ns || rv > st->f.rv || (!st->f.live && rv != st->f.rv))
            parse_hc(c, st, obj, rv);
        c->hc_order.dirty |= !st->f.live;
        st->f.live = true;
    }
}

/* The bool at live_offset of a cache state (hc_state, np_state, member_facts). */
static bool is_live(const void *state, size_t live_offset)
{
    return *(const bool *)((const char *)state + live_offset);
}

/* The values of a state map whose bool at live_offset is set, sorted with cmp (again only when one
 * came or went since the last call). */
static void live_order_refresh(live_order *o, const strmap *m, size_t live_offset,
                               int (*cmp)(const void *, const void *))
{
    if (!o->dirty && o->items)
        return;
    o->items = xrealloc(o->items, (m->n + 1) * sizeof *o->items);
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && is_live(m->slots[i].val, live_offset))
            o->items[n++] = m->slots[i].val;
    qsort(o->items, n, sizeof *o->items, cmp);
    o->n = n;
    o->dirty = false;
}

/* records with room for n of size bytes (capacity *cap). */
static void *reserve_records(void *records, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return records;
    *cap = n;
    return xrealloc(records, n * size);
}

static int by_hc_key(const void *a, const void *b)
{
    const hc_state *x = *(hc_state *const *)a, *y = *(hc_state *const *)b;
    int d = strcmp(x->f.ns, y->f.ns);
    return d ? d : strcmp(x->f.name, y->f.name);
}

/* This tick's cluster records, in namespace/name order like the store's. */
static void build_hcs(sim_controllers *c)
{
    live_order_refresh(&c->hc_order, &c->hc_states, offsetof(hc_state, f.live), by_hc_key);
    void **live = c->hc_order.items;
    size_t n = c->hc_order.n;
    c->hcs = reserve_records(c->hcs, &c->caphc, n, sizeof *c->hcs);
    for (size_t i = 0; i < n; i++) {
        hc_state *st = live[i];
        hc_info *h = &c->hcs[i];
        memset(h, 0, sizeof *h);
        const hc_facts *f = &st->f;
        h->ns = f->ns;
        h->name = f->name;
        h->uid = f->uid;
        h->cpns = f->cpns;
        h->rv = f->rv;
        h->st = st;
        h->managed = f->managed;
        h->ha = f->ha;
        h->size = f->size;
        h->deleting = f->deleting;
        h->installed = f->installed;
        h->has_completed = f->has_completed;
        h->completed = f->completed;
        h->skip_validation = f->skip_validation;
        pause_state ps = ctl_pause_eval(f->paused_until, c->now, h->paused_msg, sizeof h->paused_msg);
        h->paused = ps == PAUSE_ACTIVE;
        h->paused_invalid = ps == PAUSE_INVALID;
        st->seen_tick = c->ticks;
        st->index = i;
    }
    c->nhc = n;
}

/* The cluster seen this tick under that key, or NULL; ref caches the lookup. */
static hc_info *hc_lookup(sim_controllers *c, const strmap *m, const char *key, hc_ref *ref)
{
    if (ref->gen != c->hc_index_gen) {
        ref->st = ctl_map_get(m, key ? key : "");
        ref->gen = c->hc_index_gen;
    }
    hc_state *st = ref->st;
    return st && st->seen_tick == c->ticks ? &c->hcs[st->index] : NULL;
}

static sim_pod_stage pod_stage(const cJSON *pod, int *restarts)
{
    *restarts = 0;
    const char *phase = json_str_at(pod, "status", "phase", NULL);
    const cJSON *cs;
    sim_pod_stage stage = SIM_POD_STARTING;
    const cJSON *statuses = json_at(pod, "status", "containerStatuses", NULL);
    cJSON_ArrayForEach(cs, statuses)
    {
        const char *n = json_str_at(cs, "name", NULL);
        if (!n || strcmp(n, "etcd") != 0)
            continue;
        int64_t rc = 0;
        json_int_at(&rc, cs, "restartCount", NULL);
        *restarts = rc > 0 && rc < 1000000 ? (int)rc : 0;
        const char *waiting = json_str_at(cs, "state", "waiting", "reason", NULL);
        if (waiting && strcmp(waiting, "CrashLoopBackOff") == 0)
            stage = SIM_POD_CRASHING;
        else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "ready")))
            stage = SIM_POD_READY;
    }
    if (!phase || strcmp(phase, "Pending") == 0)
        return SIM_POD_PENDING;
    return stage;
}

typedef enum { FACTS_POD, FACTS_PVC, FACTS_STS } facts_kind;

static void parse_member(member_facts *f, facts_kind kind, const cJSON *obj, uint64_t rv)
{
    f->rv = rv;
    replace_str(&f->ns, json_str_at(obj, "metadata", "namespace", NULL));
    f->owner.gen = 0; /* look the cluster up again */
    const char *name = json_str_at(obj, "metadata", "name", NULL);
    f->deleting = json_str_at(obj, "metadata", "deletionTimestamp", NULL) != NULL;
    if (kind == FACTS_POD) {
        const char *app = json_str_at(obj, "metadata", "labels", "app", NULL);
        f->member = app && strcmp(app, "etcd") == 0 ? ctl_member_index(name, "etcd-") : -1;
        f->stage = pod_stage(obj, &f->restarts);
    } else if (kind == FACTS_PVC) {
        f->member = ctl_member_index(name, "data-etcd-");
        const char *phase = json_str_at(obj, "status", "phase", NULL);
        f->bound = phase && strcmp(phase, "Bound") == 0;
        const char *corrupt = json_str_at(obj, "metadata", "annotations", SIM_CORRUPT_ANNOTATION, NULL);
        f->corrupt = corrupt && strcmp(corrupt, "true") == 0;
    } else {
        f->member = name && strcmp(name, "etcd") == 0 ? 0 : -1;
    }
}

static strmap *member_cache(sim_controllers *c, facts_kind kind)
{
    return kind == FACTS_POD ? &c->pod_facts : kind == FACTS_PVC ? &c->pvc_facts : &c->sts_facts;
}

static void apply_member(sim_controllers *c, facts_kind kind, const cJSON *obj, bool deleted)
{
    uint64_t rv;
    const char *uid = uid_rv(obj, &rv);
    if (!uid)
        return;
    strmap *cache = member_cache(c, kind);
    member_facts *f = ctl_map_get(cache, uid);
    if (!f) {
        if (deleted)
            return;
        f = state_for(cache, uid, sizeof *f);
    }
    if (deleted) {
        f->live = false;
    } else {
        if (!f->ns || rv > f->rv || (!f->live && rv != f->rv))
            parse_member(f, kind, obj, rv);
        f->live = true;
    }
}

/* Adds what the cache knows of pods, PVCs and StatefulSets to this tick's cluster records. */
static void build_members(sim_controllers *c, facts_kind kind)
{
    strmap *cache = member_cache(c, kind);
    for (size_t i = 0; i < cache->cap; i++) {
        member_facts *f = cache->slots[i].key ? cache->slots[i].val : NULL;
        if (!f || !f->live || f->member < 0)
            continue;
        hc_info *h = hc_lookup(c, &c->hc_by_cpns, f->ns, &f->owner);
        if (!h)
            continue;
        member *m = &h->m[f->member];
        if (kind == FACTS_POD) {
            m->pod = true;
            m->pod_deleting = f->deleting;
            m->stage = f->stage;
            m->restarts = f->restarts;
        } else if (kind == FACTS_PVC) {
            m->pvc = true;
            m->pvc_deleting = f->deleting;
            m->pvc_bound = f->bound;
            m->corrupt = f->corrupt;
        } else {
            h->sts = true;
        }
    }
}

static void parse_np(np_state *st, const cJSON *obj, uint64_t rv)
{
    st->rv = rv;
    replace_str(&st->ns, json_str_at(obj, "metadata", "namespace", NULL));
    replace_str(&st->name, json_str_at(obj, "metadata", "name", NULL));
    replace_str(&st->uid, json_str_at(obj, "metadata", "uid", NULL));
    replace_str(&st->cluster, str_or(json_str_at(obj, "spec", "clusterName", NULL), ""));
    char key[600];
    snprintf(key, sizeof key, "%s/%s", st->ns, st->cluster);
    replace_str(&st->hc_key, key);
    st->owner.gen = 0; /* look the cluster up again */
    st->deleting = json_str_at(obj, "metadata", "deletionTimestamp", NULL) != NULL;
    st->replicas = 0;
    json_int_at(&st->replicas, obj, "status", "replicas", NULL);
}

static void apply_np(sim_controllers *c, const cJSON *obj, bool deleted)
{
    uint64_t rv;
    const char *uid = uid_rv(obj, &rv);
    if (!uid || !json_str_at(obj, "metadata", "namespace", NULL) || !json_str_at(obj, "metadata", "name", NULL))
        return;
    np_state *st = ctl_map_get(&c->np_states, uid);
    if (!st) {
        if (deleted)
            return;
        st = state_for(&c->np_states, uid, sizeof *st);
    }
    if (deleted) {
        c->np_order.dirty |= st->live;
        st->live = false;
    } else {
        if (!st->ns || rv > st->rv || (!st->live && rv != st->rv))
            parse_np(st, obj, rv);
        c->np_order.dirty |= !st->live;
        st->live = true;
    }
}

static int by_np_key(const void *a, const void *b)
{
    const np_state *x = *(np_state *const *)a, *y = *(np_state *const *)b;
    int d = strcmp(x->ns, y->ns);
    return d ? d : strcmp(x->name, y->name);
}

static void build_nps(sim_controllers *c)
{
    live_order_refresh(&c->np_order, &c->np_states, offsetof(np_state, live), by_np_key);
    void **live = c->np_order.items;
    size_t n = c->np_order.n;
    c->nps = reserve_records(c->nps, &c->capnp, n, sizeof *c->nps);
    for (size_t i = 0; i < n; i++) {
        np_state *st = live[i];
        np_info *np = &c->nps[i];
        np->ns = st->ns;
        np->name = st->name;
        np->uid = st->uid;
        np->cluster = st->cluster;
        np->rv = st->rv;
        np->deleting = st->deleting;
        np->st = st;
        hc_info *h = hc_lookup(c, &c->hc_by_key, st->hc_key, &st->owner);
        np->hc = h ? (int)(h - c->hcs) : -1;
        if (h && st->replicas > 0 && st->replicas < 100000)
            h->nodes += (int)st->replicas;
    }
    c->nnp = n;
}

/* ---- keeping the caches current: a full read once, then the store's watch events ---- */

static const sim_kind *watched_kind(int w)
{
    static const sim_kind_id ids[WATCHED] = {SIM_HOSTEDCLUSTER, SIM_POD, SIM_PVC, SIM_STATEFULSET, SIM_NODEPOOL};
    return sim_kind_get(ids[w]);
}

static void apply(sim_controllers *c, int w, const cJSON *obj, bool deleted)
{
    switch (w) {
    case W_HC: apply_hc(c, obj, deleted); break;
    case W_POD: apply_member(c, FACTS_POD, obj, deleted); break;
    case W_PVC: apply_member(c, FACTS_PVC, obj, deleted); break;
    case W_STS: apply_member(c, FACTS_STS, obj, deleted); break;
    default: apply_np(c, obj, deleted); break;
    }
}

typedef struct resync_ctx {
    sim_controllers *c;
    int w;
} resync_ctx;

static void resync_visit(const cJSON *obj, void *ctx)
{
    resync_ctx *r = ctx;
    apply(r->c, r->w, obj, false);
}

/* Whether the live states of m are exactly those in o (o not dirty: it was the live set then). */
static bool same_live_set(const live_order *o, const strmap *m, size_t live_offset)
{
    if (!o->items)
        return false;
    size_t live = 0;
    for (size_t i = 0; i < m->cap; i++)
        live += m->slots[i].key && is_live(m->slots[i].val, live_offset);
    if (live != o->n)
        return false;
    for (size_t i = 0; i < o->n; i++)
        if (!is_live(o->items[i], live_offset))
            return false;
    return true;
}

static void mark_gone(strmap *m, size_t live_offset)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *(bool *)((char *)m->slots[i].val + live_offset) = false;
}

/* Reads every object of a kind and opens a watch from just before the read, so that no write falls
 * between the two (events the read already reflects are skipped by resourceVersion). */
static void resync(sim_controllers *c, int w)
{
    bool hc_dirty = c->hc_order.dirty, np_dirty = c->np_order.dirty;
    switch (w) {
    case W_HC: mark_gone(&c->hc_states, offsetof(hc_state, f.live)); break;
    case W_NP: mark_gone(&c->np_states, offsetof(np_state, live)); break;
    default:
        mark_gone(member_cache(c, w == W_POD   ? FACTS_POD
                                  : w == W_PVC ? FACTS_PVC
                                               : FACTS_STS),
                  offsetof(member_facts, live));
    }
    char rv[32];
    snprintf(rv, sizeof rv, "%llu", (unsigned long long)sim_store_rv(c->s));
    resync_ctx r = {c, w};
    sim_store_foreach(c->s, watched_kind(w), NULL, resync_visit, &r);
    /* Every state was marked gone and came back live: sort again only if the set of live ones moved. */
    if (w == W_HC)
        c->hc_order.dirty = hc_dirty || !same_live_set(&c->hc_order, &c->hc_states, offsetof(hc_state, f.live));
    else if (w == W_NP)
        c->np_order.dirty = np_dirty || !same_live_set(&c->np_order, &c->np_states, offsetof(np_state, live));
    sim_list_opts o = {0};
    sim_reply rep = sim_store_watch(c->s, watched_kind(w), &o, rv, &c->watch[w]);
    cJSON_Delete(rep.body);
    if (rep.code != 200)
        c->watch[w] = NULL; /* try again next tick */
}

/* A watch that ended (history compacted or overrun) means a full read again. */
void ctl_catch_up(sim_controllers *c, int w)
{
    if (!c->watch[w]) {
        resync(c, w);
        return;
    }
    char *line;
    sim_watch_result res;
    while ((res = sim_watch_next(c->watch[w], 0, &line)) == SIM_WATCH_EVENT) {
        cJSON *ev = cJSON_Parse(line);
        free(line);
        const char *type = json_str_at(ev, "type", NULL);
        const cJSON *obj = json_at(ev, "object", NULL);
        if (type && cJSON_IsObject(obj) && strcmp(type, "BOOKMARK") != 0 && strcmp(type, "ERROR") != 0)
            apply(c, w, obj, strcmp(type, "DELETED") == 0);
        cJSON_Delete(ev);
    }
    if (res == SIM_WATCH_CLOSED) {
        sim_watch_free(c->watch[w]);
        c->watch[w] = NULL;
        resync(c, w);
    }
}

void ctl_build_records(sim_controllers *c)
{
    build_hcs(c);
    build_members(c, FACTS_POD);
    build_members(c, FACTS_PVC);
    build_members(c, FACTS_STS);
    build_nps(c);
}

void ctl_cache_free(sim_controllers *c)
{
    for (int i = 0; i < WATCHED; i++)
        if (c->watch[i])
            sim_watch_free(c->watch[i]);
    free(c->hcs);
    free(c->nps);
    free(c->hc_order.items);
    free(c->np_order.items);
    ctl_map_clear(&c->hc_by_key, NULL);
    ctl_map_clear(&c->hc_by_cpns, NULL);
    ctl_map_clear(&c->hc_states, free_hc_state);
    ctl_map_clear(&c->np_states, free_np_state);
    ctl_map_clear(&c->pod_facts, free_member_facts);
    ctl_map_clear(&c->pvc_facts, free_member_facts);
    ctl_map_clear(&c->sts_facts, free_member_facts);
}
