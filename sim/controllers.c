/* The controllers. Each tick:
 *   1. gather: read every HostedCluster, NodePool, etcd pod, PVC and StatefulSet once (foreach, under
 *      the store lock) into small per-cluster records;
 *   2. etcd: move each member's PVC and pod one step (create, bind, start, become ready, crash);
 *   3. HostedCluster: conditions, pause, upgrade gates and progress, update graph; then mirror into
 *      the HostedControlPlane;
 *   4. NodePool: one node per tick towards the wanted count, drains, version rollouts;
 *   5. Events for what happened.
 * A fleet of thousands must tick in milliseconds, and sim_store_mutate copies the object, so an
 * object is only reconciled when something it depends on changed (a fingerprint of its
 * resourceVersion and inputs) or it has work in progress. */
#include "sim/controllers.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/fleet.h"
#include "sim/releases.h"

#define MAX_MEMBERS 3
#define FORCE_UPGRADE_ANNOTATION "hypershift.openshift.io/force-upgrade-to"
#define SKIP_VALIDATION_ANNOTATION "hypershift.openshift.io/skip-release-image-validation"
#define HS_FINALIZER "hypershift.openshift.io/finalizer"
/* Simulator knobs (not HyperShift's): slow one cluster's upgrade or one pool's rollout down, so that
 * a demo stays in motion for minutes at a one-second tick. */
#define PACE_UPGRADE_ANNOTATION "hcpsim.hypershift.openshift.io/upgrade-ticks"
#define PACE_NODE_ANNOTATION "hcpsim.hypershift.openshift.io/ticks-per-node"
/* The kinds the controllers keep caches of (fed by watches). */
enum { W_HC, W_POD, W_PVC, W_STS, W_NP, WATCHED };

/* ---- a small string-keyed hash map (open addressing, owns keys and values) ---- */

typedef struct map_slot {
    char *key;
    void *val;
} map_slot;

typedef struct strmap {
    map_slot *slots;
    size_t cap, n;
} strmap;

static uint64_t fnv(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#define FNV_SEED 1469598103934665603ULL

static uint64_t fnv_str(const char *s, uint64_t h)
{
    return fnv(s ? s : "", s ? strlen(s) + 1 : 1, h);
}

static void *map_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = fnv_str(key, FNV_SEED) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (strcmp(m->slots[i].key, key) == 0)
            return m->slots[i].val;
    }
}

static void map_put_slot(map_slot *slots, size_t cap, char *key, void *val)
{
    size_t i = fnv_str(key, FNV_SEED) & (cap - 1);
    while (slots[i].key)
        i = (i + 1) & (cap - 1);
    slots[i].key = key;
    slots[i].val = val;
}

/* Adds a key that is not in the map yet; the map owns val (freed with free()). */
static void map_add(strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        map_slot *slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                map_put_slot(slots, cap, m->slots[i].key, m->slots[i].val);
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    map_put_slot(m->slots, m->cap, xstrdup(key), val);
    m->n++;
}

static void map_clear(strmap *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        if (free_value && m->slots[i].key)
            free_value(m->slots[i].val);
    }
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* Points key at val, adding the key when new (values not owned: the maps that use this borrow). */
static void map_set(strmap *m, const char *key, void *val)
{
    for (size_t i = m->cap ? fnv_str(key, FNV_SEED) & (m->cap - 1) : 0; m->cap; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            break;
        if (strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].val = val;
            return;
        }
    }
    map_add(m, key, val);
}

/* ---- per-object memory of the controllers (keyed by uid) ---- */

/* What a HostedCluster said when last parsed; parsed again only when its resourceVersion changes,
 * so that a tick over a large fleet reads little more than two metadata fields per object. */
typedef struct hc_facts {
    uint64_t rv;
    char *ns, *name, *uid, *cpns, *paused_until;
    bool live; /* in the store as far as the controllers know */
    bool managed, ha, deleting, installed, has_completed, skip_validation;
    sim_version completed; /* newest history entry with a completionTime */
    char size[32];
    int upgrade_ticks; /* how long an upgrade takes here */
} hc_facts;

typedef struct hc_state {
    hc_facts f;
    uint64_t seen_tick;   /* the tick that last saw the object, and its index in that tick's records */
    size_t index;
    uint64_t fp;          /* fingerprint of the inputs at the last reconcile */
    bool active;          /* work in progress: reconcile every tick */
    int upgrade_ticks;    /* ticks since the current upgrade or install began */
    uint64_t hcp_rv;      /* HostedCluster resourceVersion last mirrored into the HostedControlPlane */
    bool ensured;         /* control-plane namespace, HCP and secrets exist */
    int sts_ready, sts_current;
    char updates_key[96]; /* version|channel the update lists were computed for */
} hc_state;

typedef struct np_state {
    uint64_t rv; /* of the parsed fields below */
    char *ns, *name, *uid, *cluster, *hc_key;
    bool live, deleting;
    int64_t replicas;
    uint64_t fp;
    bool active;
    int drain_ticks; /* ticks the node being removed has drained */
    int roll_ticks;  /* ticks into a version rollout */
} np_state;

/* An etcd pod, PVC or StatefulSet as last parsed. */
typedef struct member_facts {
    uint64_t rv;
    char *ns;
    int member; /* N of etcd-N / data-etcd-N (0 for the StatefulSet etcd), -1: not etcd's */
    bool live, deleting;
    sim_pod_stage stage;
    int restarts;
    bool bound, corrupt;
} member_facts;

typedef struct event_rec {
    char name[300];
    char ns[256];
} event_rec;

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

/* ---- per-tick records ---- */

typedef struct member {
    bool pod, pod_deleting;
    sim_pod_stage stage;
    int restarts;
    bool pvc, pvc_deleting, pvc_bound, corrupt;
} member;

typedef struct hc_info {
    const char *ns, *name, *uid, *cpns; /* borrowed from the state */
    uint64_t rv;
    hc_state *st;
    bool managed, ha, deleting, installed;
    const char *size;
    bool sts;
    member m[MAX_MEMBERS];
    int nodes;
    /* pause as of now */
    bool paused, paused_invalid;
    char paused_msg[96];
    /* newest history entry with a completionTime */
    bool has_completed;
    sim_version completed;
    bool skip_validation;
    /* etcd after this tick's step */
    int ready;
    char pending_pvc[32];
} hc_info;

typedef struct np_info {
    const char *ns, *name, *uid, *cluster; /* borrowed from the state */
    uint64_t rv;
    bool deleting;
    np_state *st;
    int hc; /* index into hcs, or -1 */
} np_info;

typedef struct pending_event {
    const sim_kind *kind;
    char *ns, *name, *uid;
    const char *type, *reason, *component;
    char *message;
} pending_event;

struct sim_controllers {
    sim_store *s;
    uint64_t ticks;
    strmap hc_states, np_states, events, pod_facts, pvc_facts, sts_facts;
    strmap hc_by_key, hc_by_cpns; /* "ns/name" and control-plane namespace -> hc_state (borrowed) */
    sim_watch *watch[WATCHED]; /* NULL: resync that kind from a full read first */
    /* the live clusters and pools in namespace/name order, rebuilt when one comes or goes */
    void **hc_order; /* hc_state * */
    void **np_order; /* np_state * */
    size_t n_hc_order, n_np_order;
    bool hc_order_dirty, np_order_dirty;
    uint64_t event_seq;
    /* this tick */
    hc_info *hcs;
    size_t nhc, caphc;
    np_info *nps;
    size_t nnp, capnp;
    pending_event *evs;
    size_t nev, capev;
    time_t now;
    char nowts[21];
};

sim_controllers *sim_controllers_new(sim_store *s)
{
    sim_controllers *c = xcalloc(1, sizeof *c);
    c->s = s;
    return c;
}

void sim_controllers_free(sim_controllers *c)
{
    if (!c)
        return;
    for (int i = 0; i < WATCHED; i++)
        if (c->watch[i])
            sim_watch_free(c->watch[i]);
    free(c->hcs);
    free(c->nps);
    free(c->evs);
    free(c->hc_order);
    free(c->np_order);
    map_clear(&c->hc_by_key, NULL);
    map_clear(&c->hc_by_cpns, NULL);
    map_clear(&c->hc_states, free_hc_state);
    map_clear(&c->np_states, free_np_state);
    map_clear(&c->pod_facts, free_member_facts);
    map_clear(&c->pvc_facts, free_member_facts);
    map_clear(&c->sts_facts, free_member_facts);
    map_clear(&c->events, free);
    free(c);
}

uint64_t sim_controllers_ticks(const sim_controllers *c)
{
    return c->ticks;
}

/* ---- small JSON helpers ---- */

static const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

static void set_str(cJSON *obj, const char *key, const char *value)
{
    const char *cur = json_str_at(obj, key, NULL);
    if (!cur || strcmp(cur, value) != 0)
        json_set_str(obj, key, value);
}

static void set_num(cJSON *obj, const char *key, double value)
{
    cJSON *cur = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(cur) || cur->valuedouble != value)
        json_set_num(obj, key, value);
}

static cJSON *array_child(cJSON *parent, const char *key)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!cJSON_IsArray(a)) {
        a = cJSON_CreateArray();
        json_set_item(parent, key, a);
    }
    return a;
}

static cJSON *cond_find(const cJSON *conds, const char *type)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, conds)
    {
        const char *t = json_str_at(c, "type", NULL);
        if (t && strcmp(t, type) == 0)
            return (cJSON *)c;
    }
    return NULL;
}

static const char *cond_status(const cJSON *conds, const char *type)
{
    return json_str_at(cond_find(conds, type), "status", NULL);
}

/* Sets a condition. lastTransitionTime changes only when the status does. message NULL: no message
 * (NodePool conditions may lack one); severity NULL: none. */
static void cond_set(cJSON *conds, const char *type, const char *status, const char *reason, const char *message,
                     const char *severity, int64_t gen, const char *now)
{
    cJSON *c = cond_find(conds, type);
    if (!c) {
        c = cJSON_CreateObject();
        json_set_str(c, "type", type);
        json_set_str(c, "status", status);
        cJSON_AddItemToArray(conds, c);
        json_set_str(c, "lastTransitionTime", now);
    } else {
        const char *cur = json_str_at(c, "status", NULL);
        if (!cur || strcmp(cur, status) != 0) {
            json_set_str(c, "status", status);
            json_set_str(c, "lastTransitionTime", now);
        }
    }
    set_str(c, "reason", reason);
    if (message)
        set_str(c, "message", message);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(c, "message");
    if (severity)
        set_str(c, "severity", severity);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(c, "severity");
    set_num(c, "observedGeneration", (double)gen);
}

/* ---- pausedUntil (HyperShift's parser: Go ParseBool, then RFC 3339, else invalid) ---- */

typedef enum { PAUSE_NONE, PAUSE_ACTIVE, PAUSE_INVALID } pause_state;

static bool go_parse_bool(const char *s, bool *out)
{
    static const char *yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, yes[i]) == 0)
            return *out = true, true;
        if (strcmp(s, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

static pause_state pause_eval(const char *value, time_t now, char *msg, size_t msglen)
{
    if (!value)
        return PAUSE_NONE;
    bool b;
    if (go_parse_bool(value, &b)) {
        if (!b)
            return PAUSE_NONE;
        snprintf(msg, msglen, "Reconciliation paused until field removed");
        return PAUSE_ACTIVE;
    }
    time_t until;
    if (rfc3339_parse(value, &until)) {
        if (now >= until)
            return PAUSE_NONE;
        snprintf(msg, msglen, "Reconciliation paused until: %.40s", value);
        return PAUSE_ACTIVE;
    }
    return PAUSE_INVALID;
}

/* ---- events ---- */

static void event_add(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, const char *uid,
                      const char *type, const char *reason, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

static void event_add(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, const char *uid,
                      const char *type, const char *reason, const char *component, const char *fmt, ...)
{
    if (c->nev == c->capev) {
        c->capev = c->capev ? c->capev * 2 : 32;
        c->evs = xrealloc(c->evs, c->capev * sizeof *c->evs);
    }
    pending_event *e = &c->evs[c->nev++];
    e->kind = sim_kind_get(kind);
    e->ns = xstrdup(ns);
    e->name = xstrdup(name);
    e->uid = xstrdup(str_or(uid, ""));
    e->type = type;
    e->reason = reason;
    e->component = component;
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    e->message = buf_steal(&b);
}

static bool event_bump(cJSON *ev, void *ctx)
{
    const char *now = ctx;
    int64_t count = 1;
    json_int_at(&count, ev, "count", NULL);
    json_set_num(ev, "count", (double)(count + 1));
    json_set_str(ev, "lastTimestamp", now);
    return true;
}

/* Writes the tick's events; a repeat of the same reason and message for an object bumps count. */
static void events_flush(sim_controllers *c)
{
    const sim_kind *k = sim_kind_get(SIM_EVENT);
    for (size_t i = 0; i < c->nev; i++) {
        pending_event *e = &c->evs[i];
        buf key = BUF_INIT;
        buf_printf(&key, "%s|%s|%s|%s|%s", e->ns, e->name, e->uid, e->reason, e->message);
        event_rec *rec = map_get(&c->events, buf_str(&key));
        if (!rec || !sim_store_mutate(c->s, k, rec->ns, rec->name, event_bump, c->nowts)) {
            char name[300];
            snprintf(name, sizeof name, "%.200s.%016llx", e->name,
                     (unsigned long long)(fnv_str(e->uid, FNV_SEED) ^ (++c->event_seq * 0x9e3779b97f4a7c15ULL)));
            cJSON *ev = cJSON_CreateObject();
            json_set_str(ev, "apiVersion", "v1");
            json_set_str(ev, "kind", "Event");
            cJSON *md = json_obj_child(ev, "metadata");
            json_set_str(md, "name", name);
            json_set_str(md, "namespace", e->ns);
            cJSON *io = json_obj_child(ev, "involvedObject");
            json_set_str(io, "apiVersion", sim_kind_api_version(e->kind));
            json_set_str(io, "kind", e->kind->kind);
            json_set_str(io, "namespace", e->ns);
            json_set_str(io, "name", e->name);
            json_set_str(io, "uid", e->uid);
            json_set_str(ev, "reason", e->reason);
            json_set_str(ev, "message", e->message);
            json_set_str(ev, "type", e->type);
            json_set_num(ev, "count", 1);
            json_set_str(ev, "firstTimestamp", c->nowts);
            json_set_str(ev, "lastTimestamp", c->nowts);
            json_set_str(json_obj_child(ev, "source"), "component", e->component);
            json_set_str(ev, "reportingComponent", e->component);
            json_set_str(ev, "reportingInstance", "");
            sim_reply r = sim_store_create(c->s, k, e->ns, ev);
            if (r.code == 201 || r.code == 200) {
                if (rec) {
                    snprintf(rec->name, sizeof rec->name, "%s", name);
                } else {
                    rec = xcalloc(1, sizeof *rec);
                    snprintf(rec->name, sizeof rec->name, "%s", name);
                    snprintf(rec->ns, sizeof rec->ns, "%s", e->ns);
                    map_add(&c->events, buf_str(&key), rec);
                }
            }
            cJSON_Delete(r.body);
            cJSON_Delete(ev);
        }
        buf_free(&key);
        free(e->ns);
        free(e->name);
        free(e->uid);
        free(e->message);
    }
    c->nev = 0;
}

/* ---- gather ---- */

static void *state_for(strmap *m, const char *uid, size_t size)
{
    void *st = map_get(m, uid);
    if (!st) {
        st = xcalloc(1, size);
        map_add(m, uid, st);
    }
    return st;
}

/* A positive tick count from an annotation, or dflt. */
static int pace_of(const cJSON *obj, const char *annotation, int dflt)
{
    const char *v = json_str_at(obj, "metadata", "annotations", annotation, NULL);
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    return v && *v && !*end && n >= 1 && n <= 1000000 ? (int)n : dflt;
}

/* metadata.uid, and metadata.resourceVersion into *rv. */
static const char *uid_rv(const cJSON *obj, uint64_t *rv)
{
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    const char *v = json_str_at(md, "resourceVersion", NULL);
    *rv = v ? strtoull(v, NULL, 10) : 0;
    return json_str_at(md, "uid", NULL);
}

static void replace_str(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

/* The newest history entry that has a completionTime (what a NodePool may not run ahead of). */
static bool newest_completed(const cJSON *hc, sim_version *out)
{
    const cJSON *h;
    const cJSON *hist = json_at(hc, "status", "version", "history", NULL);
    cJSON_ArrayForEach(h, hist)
    {
        if (json_str_at(h, "completionTime", NULL) && sim_version_parse(json_str_at(h, "version", NULL), out))
            return true;
    }
    return false;
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
        map_set(&c->hc_by_key, key, st);
        map_set(&c->hc_by_cpns, cpns, st);
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
    f->has_completed = newest_completed(obj, &f->completed);
    f->skip_validation = json_at(obj, "metadata", "annotations", SKIP_VALIDATION_ANNOTATION, NULL) != NULL;
    f->upgrade_ticks = pace_of(obj, PACE_UPGRADE_ANNOTATION, SIM_UPGRADE_TICKS);
}

static void apply_hc(sim_controllers *c, const cJSON *obj, bool deleted)
{
    uint64_t rv;
    const char *uid = uid_rv(obj, &rv);
    if (!uid || !json_str_at(obj, "metadata", "namespace", NULL) || !json_str_at(obj, "metadata", "name", NULL))
        return;
    hc_state *st = map_get(&c->hc_states, uid);
    if (!st) {
        if (deleted)
            return;
        st = xcalloc(1, sizeof *st);
        st->sts_ready = st->sts_current = -1; /* unknown: the first step writes the StatefulSet */
        map_add(&c->hc_states, uid, st);
    }
    if (deleted) {
        c->hc_order_dirty |= st->f.live;
        st->f.live = false;
    } else {
        if (!st->f.ns || !st->f.live || rv > st->f.rv)
            parse_hc(c, st, obj, rv);
        c->hc_order_dirty |= !st->f.live;
        st->f.live = true;
    }
}

/* The values of a state map whose bool at live_offset is set, sorted with cmp, into *order. */
static size_t sorted_live(const strmap *m, size_t live_offset, int (*cmp)(const void *, const void *), void ***order)
{
    *order = xrealloc(*order, (m->n + 1) * sizeof **order);
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && *(const bool *)((const char *)m->slots[i].val + live_offset))
            (*order)[n++] = m->slots[i].val;
    qsort(*order, n, sizeof **order, cmp);
    return n;
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
    if (c->hc_order_dirty || !c->hc_order) {
        c->n_hc_order = sorted_live(&c->hc_states, offsetof(hc_state, f.live), by_hc_key, &c->hc_order);
        c->hc_order_dirty = false;
    }
    void **live = c->hc_order;
    size_t n = c->n_hc_order;
    if (n > c->caphc) {
        c->caphc = n;
        c->hcs = xrealloc(c->hcs, c->caphc * sizeof *c->hcs);
    }
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
        pause_state ps = pause_eval(f->paused_until, c->now, h->paused_msg, sizeof h->paused_msg);
        h->paused = ps == PAUSE_ACTIVE;
        h->paused_invalid = ps == PAUSE_INVALID;
        st->seen_tick = c->ticks;
        st->index = i;
    }
    c->nhc = n;
}

/* The cluster seen this tick under that key, or NULL. */
static hc_info *hc_lookup(sim_controllers *c, const strmap *m, const char *key)
{
    hc_state *st = map_get(m, key ? key : "");
    return st && st->seen_tick == c->ticks ? &c->hcs[st->index] : NULL;
}

/* "etcd-N" / "data-etcd-N" → N, or -1. */
static int member_index(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!name || strncmp(name, prefix, n) != 0 || name[n] < '0' || name[n] > '9' || name[n + 1])
        return -1;
    int i = name[n] - '0';
    return i < MAX_MEMBERS ? i : -1;
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
    const char *name = json_str_at(obj, "metadata", "name", NULL);
    f->deleting = json_str_at(obj, "metadata", "deletionTimestamp", NULL) != NULL;
    if (kind == FACTS_POD) {
        const char *app = json_str_at(obj, "metadata", "labels", "app", NULL);
        f->member = app && strcmp(app, "etcd") == 0 ? member_index(name, "etcd-") : -1;
        f->stage = pod_stage(obj, &f->restarts);
    } else if (kind == FACTS_PVC) {
        f->member = member_index(name, "data-etcd-");
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
    member_facts *f = map_get(cache, uid);
    if (!f) {
        if (deleted)
            return;
        f = state_for(cache, uid, sizeof *f);
    }
    if (deleted) {
        f->live = false;
    } else {
        if (!f->ns || !f->live || rv > f->rv)
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
        hc_info *h = hc_lookup(c, &c->hc_by_cpns, f->ns);
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

static int64_t np_wanted(const cJSON *np, int64_t current)
{
    const cJSON *as = json_at(np, "spec", "autoScaling", NULL);
    if (as) {
        int64_t mn = 0, mx = 0;
        json_int_at(&mn, as, "min", NULL);
        json_int_at(&mx, as, "max", NULL);
        /* The autoscaler keeps the pool inside [min, max] and otherwise leaves it be. */
        return current < mn ? mn : current > mx ? mx : current;
    }
    int64_t r = 0;
    json_int_at(&r, np, "spec", "replicas", NULL);
    return r < 0 ? 0 : r;
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
    np_state *st = map_get(&c->np_states, uid);
    if (!st) {
        if (deleted)
            return;
        st = state_for(&c->np_states, uid, sizeof *st);
    }
    if (deleted) {
        c->np_order_dirty |= st->live;
        st->live = false;
    } else {
        if (!st->ns || !st->live || rv > st->rv)
            parse_np(st, obj, rv);
        c->np_order_dirty |= !st->live;
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
    if (c->np_order_dirty || !c->np_order) {
        c->n_np_order = sorted_live(&c->np_states, offsetof(np_state, live), by_np_key, &c->np_order);
        c->np_order_dirty = false;
    }
    void **live = c->np_order;
    size_t n = c->n_np_order;
    if (n > c->capnp) {
        c->capnp = n;
        c->nps = xrealloc(c->nps, c->capnp * sizeof *c->nps);
    }
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
        hc_info *h = hc_lookup(c, &c->hc_by_key, st->hc_key);
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
    c->hc_order_dirty = c->np_order_dirty = true;
    switch (w) {
    case W_HC: mark_gone(&c->hc_states, offsetof(hc_state, f.live)); break;
    case W_NP: mark_gone(&c->np_states, offsetof(np_state, live)); break;
    default: mark_gone(member_cache(c, w == W_POD ? FACTS_POD : w == W_PVC ? FACTS_PVC : FACTS_STS),
                       offsetof(member_facts, live));
    }
    char rv[32];
    snprintf(rv, sizeof rv, "%llu", (unsigned long long)sim_store_rv(c->s));
    resync_ctx r = {c, w};
    sim_store_foreach(c->s, watched_kind(w), NULL, resync_visit, &r);
    sim_list_opts o = {0};
    sim_reply rep = sim_store_watch(c->s, watched_kind(w), &o, rv, &c->watch[w]);
    cJSON_Delete(rep.body);
    if (rep.code != 200)
        c->watch[w] = NULL; /* try again next tick */
}

/* Applies the events since the last tick; a watch that ended (history compacted or overrun) means a
 * full read again. */
static void catch_up(sim_controllers *c, int w)
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

/* ---- etcd ---- */

typedef struct pod_step {
    sim_controllers *c;
    hc_info *h;
    int member;
    sim_pod_stage stage;
    int restarts;
} pod_step;

static bool pod_restage(cJSON *pod, void *ctx)
{
    pod_step *p = ctx;
    sim_etcd_pod_set_stage(pod, p->stage, p->restarts, p->c->now);
    return true;
}

static bool pvc_bind(cJSON *pvc, void *ctx)
{
    const char *size = ctx;
    cJSON *fresh = sim_build_etcd_pvc(json_str_at(pvc, "metadata", "namespace", NULL),
                                      member_index(json_str_at(pvc, "metadata", "name", NULL), "data-etcd-"), size,
                                      true, false);
    json_set_item(pvc, "status", cJSON_DetachItemFromObjectCaseSensitive(fresh, "status"));
    const char *vol = json_str_at(fresh, "spec", "volumeName", NULL);
    json_set_str(json_obj_child(pvc, "spec"), "volumeName", str_or(vol, ""));
    cJSON_Delete(fresh);
    return true;
}

static bool drop_finalizers(cJSON *obj, void *ctx)
{
    (void)ctx;
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj_child(obj, "metadata"), "finalizers");
    return true;
}

static void create_obj(sim_controllers *c, sim_kind_id kind, cJSON *obj)
{
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    sim_reply r = sim_store_create(c->s, sim_kind_get(kind), ns, obj);
    cJSON_Delete(r.body);
    cJSON_Delete(obj);
}

/* An object's uid for an Event's involvedObject ("" when it is gone). */
static const char *uid_of(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, char *out,
                          size_t outlen)
{
    sim_reply r = sim_store_get(c->s, sim_kind_get(kind), ns, name, SIM_SUB_NONE);
    snprintf(out, outlen, "%s", str_or(json_str_at(r.body, "metadata", "uid", NULL), ""));
    cJSON_Delete(r.body);
    return out;
}

/* One step of one member: PVC first (the pod needs it), then the pod's life stage. */
static void etcd_member_step(sim_controllers *c, hc_info *h, int i)
{
    member *m = &h->m[i];
    const sim_kind *pvck = sim_kind_get(SIM_PVC), *podk = sim_kind_get(SIM_POD);
    char pvc[32], pod[32], uid[64];
    snprintf(pvc, sizeof pvc, "data-etcd-%d", i);
    snprintf(pod, sizeof pod, "etcd-%d", i);
    bool pvc_ready = m->pvc && m->pvc_bound && !m->pvc_deleting;

    if (m->pvc && m->pvc_deleting && !m->pod) {
        /* pvc-protection: the claim goes once no pod uses it */
        sim_store_mutate(c->s, pvck, h->cpns, pvc, drop_finalizers, NULL);
        m->pvc = false;
    } else if (!m->pvc) {
        create_obj(c, SIM_PVC, sim_build_etcd_pvc(h->cpns, i, h->size, false, false));
        event_add(c, SIM_STATEFULSET, h->cpns, "etcd", uid_of(c, SIM_STATEFULSET, h->cpns, "etcd", uid, sizeof uid),
                  "Normal", "SuccessfulCreate", "statefulset-controller",
                  "create Claim %s Pod %s in StatefulSet etcd success", pvc, pod);
        snprintf(h->pending_pvc, sizeof h->pending_pvc, "%s", pvc);
    } else if (!m->pvc_bound && !m->pvc_deleting) {
        sim_store_mutate(c->s, pvck, h->cpns, pvc, pvc_bind, (void *)h->size);
        event_add(c, SIM_PVC, h->cpns, pvc, uid_of(c, SIM_PVC, h->cpns, pvc, uid, sizeof uid), "Normal",
                  "ProvisioningSucceeded",
                  "ebs.csi.aws.com_aws-ebs-csi-driver-controller",
                  "Successfully provisioned volume for claim \"%s/%s\"", h->cpns, pvc);
    }
    if (m->pvc && !m->pvc_bound && !m->pvc_deleting)
        snprintf(h->pending_pvc, sizeof h->pending_pvc, "%s", pvc);

    if (!m->pod) {
        if (m->pvc_deleting)
            return; /* the StatefulSet waits for the old claim to go */
        uid_of(c, SIM_STATEFULSET, h->cpns, "etcd", uid, sizeof uid);
        create_obj(c, SIM_POD, sim_build_etcd_pod(h->cpns, i, h->ha, SIM_POD_PENDING, 0, c->now, uid));
        event_add(c, SIM_STATEFULSET, h->cpns, "etcd", uid,
                  "Normal", "SuccessfulCreate", "statefulset-controller", "create Pod %s in StatefulSet etcd successful",
                  pod);
        return;
    }
    if (m->pod_deleting)
        return;
    pod_step step = {c, h, i, m->stage, m->restarts};
    switch (m->stage) {
    case SIM_POD_PENDING:
        if (!pvc_ready)
            return;
        step.stage = SIM_POD_STARTING;
        event_add(c, SIM_POD, h->cpns, pod, uid_of(c, SIM_POD, h->cpns, pod, uid, sizeof uid), "Normal", "Started",
                  "kubelet", "Started container etcd");
        break;
    case SIM_POD_STARTING:
    case SIM_POD_READY:
        if (m->corrupt) {
            step.stage = SIM_POD_CRASHING;
            step.restarts++;
        } else {
            step.stage = SIM_POD_READY;
        }
        break;
    case SIM_POD_CRASHING:
        if (!m->corrupt) {
            step.stage = SIM_POD_STARTING;
            step.restarts++;
        } else if ((c->ticks + (uint64_t)i) % SIM_CRASH_PERIOD == 0) {
            step.restarts++;
        }
        break;
    }
    if (step.stage == SIM_POD_CRASHING && step.restarts != m->restarts)
        event_add(c, SIM_POD, h->cpns, pod, uid_of(c, SIM_POD, h->cpns, pod, uid, sizeof uid), "Warning", "BackOff",
                  "kubelet", "Back-off restarting failed container etcd in pod %s_%s(%s)", pod, h->cpns, uid);
    if (step.stage != m->stage || step.restarts != m->restarts) {
        sim_store_mutate(c->s, podk, h->cpns, pod, pod_restage, &step);
        m->stage = step.stage;
        m->restarts = step.restarts;
    }
}

typedef struct sts_counts {
    int ready, current;
} sts_counts;

static bool sts_set_status(cJSON *sts, void *ctx)
{
    const sts_counts *n = ctx;
    cJSON *st = json_obj_child(sts, "status");
    set_num(st, "replicas", n->current);
    set_num(st, "currentReplicas", n->current);
    set_num(st, "updatedReplicas", n->current);
    set_num(st, "readyReplicas", n->ready);
    set_num(st, "availableReplicas", n->ready);
    return true;
}

/* Creates what a new HostedCluster needs beside etcd: its control-plane namespace, the
 * HostedControlPlane, the admin kubeconfig and kubeadmin password. Existing ones are kept (409). */
static void ensure_control_plane(sim_controllers *c, hc_info *h)
{
    create_obj(c, SIM_NAMESPACE, sim_build_namespace(h->cpns, true));
    sim_reply r = sim_store_get(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, SIM_SUB_NONE);
    if (r.code == 200) {
        create_obj(c, SIM_HOSTEDCONTROLPLANE, sim_build_hcp(r.body, h->cpns));
        create_obj(c, SIM_SECRET, sim_build_admin_kubeconfig(h->ns, h->name,
                                                             json_str_at(r.body, "spec", "dns", "baseDomain", NULL)));
        if (!json_at(r.body, "spec", "configuration", "oauth", NULL))
            create_obj(c, SIM_SECRET, sim_build_kubeadmin_password(h->ns, h->name));
    }
    cJSON_Delete(r.body);
    h->st->ensured = true;
}

static void etcd_step(sim_controllers *c, hc_info *h)
{
    if (!h->managed || h->deleting)
        return;
    int replicas = h->ha ? 3 : 1;
    if (!h->sts) {
        create_obj(c, SIM_STATEFULSET, sim_build_etcd_statefulset(h->cpns, replicas, h->size));
        h->st->sts_ready = h->st->sts_current = 0;
        h->sts = true;
    }
    sts_counts n = {0, 0};
    for (int i = 0; i < replicas; i++) {
        etcd_member_step(c, h, i);
        if (h->m[i].pod)
            n.current++;
        if (h->m[i].pod && h->m[i].stage == SIM_POD_READY)
            n.ready++;
    }
    h->ready = n.ready;
    if (n.ready != h->st->sts_ready || n.current != h->st->sts_current) {
        sim_store_mutate(c->s, sim_kind_get(SIM_STATEFULSET), h->cpns, "etcd", sts_set_status, &n);
        h->st->sts_ready = n.ready;
        h->st->sts_current = n.current;
    }
}

/* ---- HostedCluster ---- */

typedef struct hc_ctx {
    sim_controllers *c;
    hc_info *h;
} hc_ctx;

static cJSON *history_entry(sim_version v, const char *image, const char *now, bool cv)
{
    char ver[32];
    sim_version_format(v, ver, sizeof ver);
    cJSON *e = cJSON_CreateObject();
    json_set_str(e, "state", "Partial");
    json_set_str(e, "startedTime", now);
    /* ClusterVersion history has a nullable completionTime; controlPlaneVersion omits it. */
    if (cv)
        json_set_item(e, "completionTime", cJSON_CreateNull());
    json_set_str(e, "version", ver);
    json_set_str(e, "image", image);
    if (cv)
        json_set_bool(e, "verified", false);
    return e;
}

/* Starts a rollout in status.version or status.controlPlaneVersion: new desired, a Partial entry in
 * front, the previous entry's completionTime set to now. */
static void version_begin(cJSON *status, const char *key, sim_version v, const char *image, const char *now,
                          int64_t gen)
{
    bool cv = strcmp(key, "version") == 0;
    cJSON *ver = json_obj_child(status, key);
    json_set_item(ver, "desired", sim_release_desired(v, image));
    cJSON *hist = array_child(ver, "history");
    cJSON *prev = cJSON_GetArrayItem(hist, 0);
    if (prev)
        json_set_str(prev, "completionTime", now);
    cJSON_InsertItemInArray(hist, 0, history_entry(v, image, now, cv));
    /* The API caps history at 100 entries. */
    while (cJSON_GetArraySize(hist) > 100)
        cJSON_DeleteItemFromArray(hist, cJSON_GetArraySize(hist) - 1);
    set_num(ver, "observedGeneration", (double)gen);
    if (cv && !cJSON_GetObjectItemCaseSensitive(ver, "availableUpdates"))
        json_set_item(ver, "availableUpdates", cJSON_CreateNull());
}

static bool version_partial(const cJSON *status, const char *key)
{
    const char *state = json_str_at(cJSON_GetArrayItem(json_at(status, key, "history", NULL), 0), "state", NULL);
    return state && strcmp(state, "Partial") == 0;
}

static void version_complete(cJSON *status, const char *key, const char *now)
{
    cJSON *e = cJSON_GetArrayItem(json_at(status, key, "history", NULL), 0);
    if (!e)
        return;
    json_set_str(e, "state", "Completed");
    json_set_str(e, "completionTime", now);
}

/* The first Completed version in status.version.history (what `oc get hc` shows as VERSION). */
static const char *completed_version(const cJSON *status)
{
    const cJSON *e;
    const cJSON *hist = json_at(status, "version", "history", NULL);
    cJSON_ArrayForEach(e, hist)
    {
        const char *st = json_str_at(e, "state", NULL);
        if (st && strcmp(st, "Completed") == 0)
            return json_str_at(e, "version", NULL);
    }
    return NULL;
}

static void refresh_updates(cJSON *status, const char *channel, const char *now, hc_state *st)
{
    cJSON *ver = json_at(status, "version", NULL);
    sim_version cur;
    if (!ver || !sim_version_parse(json_str_at(ver, "desired", "version", NULL), &cur))
        return;
    char key[sizeof st->updates_key];
    snprintf(key, sizeof key, "%d.%d.%d|%.60s", cur.major, cur.minor, cur.patch, str_or(channel, ""));
    if (strcmp(key, st->updates_key) == 0 && cJSON_GetObjectItemCaseSensitive(ver, "availableUpdates"))
        return;
    snprintf(st->updates_key, sizeof st->updates_key, "%s", key);
    cJSON *available, *conditional;
    sim_release_updates(cur, channel, now, &available, &conditional);
    json_set_item(ver, "availableUpdates", available);
    if (conditional)
        json_set_item(ver, "conditionalUpdates", conditional);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(ver, "conditionalUpdates");
}

/* What blocks a release change (fact sheet §6), in the operator's order. Returns NULL when nothing
 * does, else the Progressing message (written into msg). */
static const char *upgrade_gate(const cJSON *hc, const cJSON *conds, const char *image, bool vri_ok,
                                const char *vri_msg, sim_version next, char *msg, size_t msglen)
{
    if (!vri_ok) {
        snprintf(msg, msglen, "ValidReleaseImage condition is false: %s", vri_msg);
        return msg;
    }
    const char *desired_image = json_str_at(hc, "status", "version", "desired", "image", NULL);
    sim_version cur;
    if (!desired_image || strcmp(desired_image, image) == 0 ||
        !sim_version_parse(json_str_at(hc, "status", "version", "desired", "version", NULL), &cur))
        return NULL; /* nothing pending */
    const char *up = cond_status(conds, "ClusterVersionUpgradeable");
    if (!up || strcmp(up, "False") != 0)
        return NULL;
    if (cur.major == next.major && cur.minor == next.minor)
        return NULL; /* z-stream changes pass */
    if (json_str_at(hc, "spec", "controlPlaneRelease", "image", NULL))
        return NULL; /* counted as forced */
    const char *force = json_str_at(hc, "metadata", "annotations", FORCE_UPGRADE_ANNOTATION, NULL);
    if (force && strcmp(force, image) == 0)
        return NULL;
    snprintf(msg, msglen, "ClusterVersionUpgradeable condition is false: %s",
             force ? "force upgrade annotation is present but does not match desired release image"
                   : "cluster version is not upgradeable");
    return msg;
}

static bool hc_reconcile(cJSON *hc, void *vctx)
{
    hc_ctx *x = vctx;
    sim_controllers *c = x->c;
    hc_info *h = x->h;
    hc_state *st = h->st;
    const char *now = c->nowts;
    int64_t gen = 1;
    json_int_at(&gen, hc, "metadata", "generation", NULL);
    cJSON *status = json_obj_child(hc, "status");
    cJSON *conds = array_child(status, "conditions");
    cJSON *spec = json_obj_child(hc, "spec");

    const char *image = json_str_at(spec, "controlPlaneRelease", "image", NULL);
    if (!image)
        image = str_or(json_str_at(spec, "release", "image", NULL), "");
    char imgcopy[512];
    snprintf(imgcopy, sizeof imgcopy, "%s", image);
    image = imgcopy;

    /* Release validation */
    sim_version next = {0, 0, 0}, cur;
    char vri_msg[512] = "";
    bool vri_ok;
    if (!sim_release_version_of(image, &next)) {
        vri_ok = false;
        snprintf(vri_msg, sizeof vri_msg, "failed to look up release image metadata: unknown release image \"%.400s\"",
                 image);
    } else if (h->skip_validation) {
        vri_ok = true;
    } else {
        bool has_cur = sim_version_parse(json_str_at(status, "version", "desired", "version", NULL), &cur);
        vri_ok = sim_release_validate(has_cur ? &cur : NULL, next, vri_msg, sizeof vri_msg);
    }

    /* etcd and the control plane */
    int replicas = h->ha ? 3 : 1;
    bool quorum = !h->managed || h->ready >= replicas / 2 + 1;

    /* Upgrade gates and progress; the control plane finishes at 40% of the way */
    int total_ticks = st->f.upgrade_ticks > 0 ? st->f.upgrade_ticks : SIM_UPGRADE_TICKS;
    int cp_ticks = total_ticks * SIM_CP_UPGRADE_TICKS / SIM_UPGRADE_TICKS;
    if (cp_ticks < 1)
        cp_ticks = 1;
    char gate_msg[700];
    const char *gate = upgrade_gate(hc, conds, image, vri_ok, vri_msg, next, gate_msg, sizeof gate_msg);
    const char *old_prog = json_str_at(cond_find(conds, "Progressing"), "message", NULL);
    bool was_blocked_same = gate && old_prog && strcmp(old_prog, gate) == 0;
    if (!h->paused && !gate && !h->deleting) {
        const char *desired_image = json_str_at(status, "version", "desired", "image", NULL);
        if (!desired_image || strcmp(desired_image, image) != 0) {
            char from[32] = "";
            const char *cv = completed_version(status);
            snprintf(from, sizeof from, "%s", str_or(cv, ""));
            version_begin(status, "version", next, image, now, gen);
            version_begin(status, "controlPlaneVersion", next, image, now, gen);
            st->upgrade_ticks = 0;
            char nv[32];
            sim_version_format(next, nv, sizeof nv);
            if (*from)
                event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "UpgradeStarted",
                          "hypershift-operator", "Upgrading from %s to %s (%s)", from, nv, image);
            else
                event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "InstallStarted",
                          "hypershift-operator", "Installing %s (%s)", nv, image);
        } else if (version_partial(status, "version")) {
            st->upgrade_ticks++;
        }
        if (version_partial(status, "controlPlaneVersion") && st->upgrade_ticks >= cp_ticks)
            version_complete(status, "controlPlaneVersion", now);
        if (version_partial(status, "version") && st->upgrade_ticks >= total_ticks) {
            version_complete(status, "version", now);
            if (version_partial(status, "controlPlaneVersion"))
                version_complete(status, "controlPlaneVersion", now);
            const char *done = str_or(json_str_at(status, "version", "desired", "version", NULL), "");
            event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "UpgradeCompleted",
                      "hypershift-operator", "Cluster version is %s", done);
            /* The CVO re-evaluates its admin-ack gates for the new version. */
            cJSON *upc = cond_find(conds, "ClusterVersionUpgradeable");
            const char *ups = json_str_at(upc, "status", NULL);
            if (ups && strcmp(ups, "False") == 0)
                cond_set(conds, "ClusterVersionUpgradeable", "True", "FromClusterVersion", "", NULL, gen, now);
        }
    }
    if (gate && !was_blocked_same && !h->paused)
        event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Warning", "UpgradeBlocked", "hypershift-operator",
                  "%s", gate);
    bool progressing = version_partial(status, "version");
    st->active = progressing && !h->paused && !gate;

    const char *cv_done = completed_version(status);
    char cvd[32];
    snprintf(cvd, sizeof cvd, "%s", str_or(cv_done, ""));
    const char *desired_v = str_or(json_str_at(status, "version", "desired", "version", NULL), "");
    char dv[32];
    snprintf(dv, sizeof dv, "%s", desired_v);

    /* Conditions, in the operator's order */
    char msg[800];
    if (quorum && *cvd) {
        cond_set(conds, "Available", "True", "AsExpected", "The hosted control plane is available", NULL, gen, now);
        /* the operator marks a cluster the first time it becomes available */
        cJSON *ann = json_obj_child(json_obj_child(hc, "metadata"), "annotations");
        if (!cJSON_GetObjectItemCaseSensitive(ann, "hypershift.openshift.io/HasBeenAvailable"))
            json_set_str(ann, "hypershift.openshift.io/HasBeenAvailable", "true");
    } else
        cond_set(conds, "Available", "False", "WaitingForAvailable", "Waiting for hosted control plane to be healthy",
                 NULL, gen, now);
    if (h->paused) {
        snprintf(msg, sizeof msg, "ReconciliationActive condition is false: %s", h->paused_msg);
        cond_set(conds, "Progressing", "False", "Blocked", msg, NULL, gen, now);
    } else if (gate) {
        cond_set(conds, "Progressing", "False", "Blocked", gate, NULL, gen, now);
    } else if (progressing) {
        cond_set(conds, "Progressing", "True", "Progressing", "HostedCluster is deploying, upgrading, or reconfiguring",
                 NULL, gen, now);
    } else {
        cond_set(conds, "Progressing", "False", "AsExpected", "HostedCluster is at expected version", NULL, gen, now);
    }
    int unready = h->managed ? replicas - h->ready : 0;
    if (unready > 0 && h->installed) {
        snprintf(msg, sizeof msg, "[etcd statefulset has %d unavailable replicas]", unready);
        cond_set(conds, "Degraded", "True", "UnavailableReplicas", msg, NULL, gen, now);
    } else {
        cond_set(conds, "Degraded", "False", "AsExpected", "The hosted cluster is not degraded", NULL, gen, now);
    }
    const char *ra_before = cond_status(conds, "ReconciliationActive");
    if (h->paused && ra_before && strcmp(ra_before, "True") == 0)
        event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "ReconciliationPaused",
                  "hypershift-operator", "%s", h->paused_msg);
    else if (!h->paused && ra_before && strcmp(ra_before, "False") == 0)
        event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "ReconciliationResumed",
                  "hypershift-operator", "Reconciliation active on resource");
    if (h->paused)
        cond_set(conds, "ReconciliationActive", "False", "ReconciliationPaused", h->paused_msg, NULL, gen, now);
    else if (h->paused_invalid)
        cond_set(conds, "ReconciliationActive", "True", "InvalidPausedUntilValue",
                 "Invalid value provided for PausedUntil field", NULL, gen, now);
    else
        cond_set(conds, "ReconciliationActive", "True", "AsExpected", "Reconciliation active on resource", NULL, gen,
                 now);
    cond_set(conds, "ReconciliationSucceeded", "True", "ReconciliatonSucceeded", "Reconciliation completed successfully",
             NULL, gen, now);
    cond_set(conds, "ValidConfiguration", "True", "AsExpected", "Configuration passes validation", NULL, gen, now);
    cond_set(conds, "SupportedHostedCluster", "True", "AsExpected",
             "HostedCluster is supported by operator configuration", NULL, gen, now);
    if (vri_ok)
        cond_set(conds, "ValidReleaseImage", "True", "AsExpected", "Release image is valid", NULL, gen, now);
    else
        cond_set(conds, "ValidReleaseImage", "False", "InvalidImage", vri_msg, NULL, gen, now);
    cond_set(conds, "ValidReleaseInfo", "True", "AsExpected", "All is well", NULL, gen, now);
    cond_set(conds, "IgnitionEndpointAvailable", "True", "AsExpected", "Ignition server deployment is available", NULL,
             gen, now);
    cond_set(conds, "InfrastructureReady", "True", "AsExpected", "All is well", NULL, gen, now);
    if (quorum)
        cond_set(conds, "KubeAPIServerAvailable", "True", "AsExpected", "Kube APIServer deployment is available", NULL,
                 gen, now);
    else
        cond_set(conds, "KubeAPIServerAvailable", "False", "WaitingForAvailable",
                 "Waiting for Kube APIServer deployment to become available", NULL, gen, now);
    if (!h->managed) {
        cond_set(conds, "EtcdAvailable", "True", "EtcdRunning", "", NULL, gen, now);
    } else if (!h->sts) {
        cond_set(conds, "EtcdAvailable", "False", "StatefulSetNotFound", "Etcd StatefulSet not found", NULL, gen, now);
    } else if (quorum) {
        cond_set(conds, "EtcdAvailable", "True", "QuorumAvailable", "", NULL, gen, now);
    } else {
        if (*h->pending_pvc)
            snprintf(msg, sizeof msg, "Waiting for etcd to reach quorum: PersistentVolumeClaim %s is Pending",
                     h->pending_pvc);
        else
            snprintf(msg, sizeof msg, "Waiting for etcd to reach quorum: %d of %d members ready", h->ready, replicas);
        cond_set(conds, "EtcdAvailable", "False", "EtcdWaitingForQuorum", msg, NULL, gen, now);
    }
    cond_set(conds, "PlatformCredentialsFound", "True", "AsExpected", "Required platform credentials are found", NULL,
             gen, now);
    cond_set(conds, "ClusterVersionSucceeding", "True", "FromClusterVersion", "", NULL, gen, now);
    if (!*cvd) {
        cond_set(conds, "ClusterVersionAvailable", "False", "FromClusterVersion", "", NULL, gen, now);
    } else if (h->nodes == 0) {
        snprintf(msg, sizeof msg, "Cluster version %s is applied, but no worker nodes are available", cvd);
        cond_set(conds, "ClusterVersionAvailable", "False", "FromClusterVersion", msg, NULL, gen, now);
    } else {
        snprintf(msg, sizeof msg, "Done applying %s", cvd);
        cond_set(conds, "ClusterVersionAvailable", "True", "FromClusterVersion", msg, NULL, gen, now);
    }
    if (progressing) {
        int k = st->upgrade_ticks > total_ticks ? total_ticks : st->upgrade_ticks;
        snprintf(msg, sizeof msg, "Working towards %s: %d of 905 done (%d%% complete)", dv,
                 (int)(905LL * k / total_ticks), (int)(100LL * k / total_ticks));
        cond_set(conds, "ClusterVersionProgressing", "True", "FromClusterVersion", msg, NULL, gen, now);
    } else {
        snprintf(msg, sizeof msg, "Cluster version is %s", cvd);
        cond_set(conds, "ClusterVersionProgressing", "False", "FromClusterVersion", msg, NULL, gen, now);
    }
    if (*dv) {
        snprintf(msg, sizeof msg, "Payload loaded version=\"%s\" image=\"%.400s\" architecture=\"Multi\"", dv,
                 str_or(json_str_at(status, "version", "desired", "image", NULL), ""));
        cond_set(conds, "ClusterVersionReleaseAccepted", "True", "FromClusterVersion", msg, NULL, gen, now);
    }
    if (!cond_find(conds, "ClusterVersionUpgradeable"))
        cond_set(conds, "ClusterVersionUpgradeable", "True", "FromClusterVersion", "", NULL, gen, now);
    else
        set_num(cond_find(conds, "ClusterVersionUpgradeable"), "observedGeneration", (double)gen);
    const char *channel = json_str_at(spec, "channel", NULL);
    if (!channel) {
        cond_set(conds, "ClusterVersionRetrievedUpdates", "False", "NoChannel",
                 "The update channel has not been configured.", NULL, gen, now);
    } else if (*dv && sim_version_parse(dv, &cur) && !sim_release_in_channel(cur, channel)) {
        snprintf(msg, sizeof msg,
                 "Unable to retrieve available updates: currently reconciling cluster version %s not found in the "
                 "\"%.100s\" channel",
                 dv, channel);
        cond_set(conds, "ClusterVersionRetrievedUpdates", "False", "VersionNotFound", msg, NULL, gen, now);
    } else {
        cond_set(conds, "ClusterVersionRetrievedUpdates", "True", "AsExpected", "", NULL, gen, now);
    }

    if (json_at(status, "version", NULL)) {
        set_num(json_at(status, "version", NULL), "observedGeneration", (double)gen);
        refresh_updates(status, channel, now, st);
    }
    if (json_at(status, "controlPlaneVersion", NULL))
        set_num(json_at(status, "controlPlaneVersion", NULL), "observedGeneration", (double)gen);
    char name[300];
    snprintf(name, sizeof name, "%s-admin-kubeconfig", h->name);
    set_str(json_obj_child(status, "kubeconfig"), "name", name);
    if (!json_at(spec, "configuration", "oauth", NULL)) {
        snprintf(name, sizeof name, "%s-kubeadmin-password", h->name);
        set_str(json_obj_child(status, "kubeadminPassword"), "name", name);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(status, "kubeadminPassword");
    }
    if (!json_at(status, "controlPlaneEndpoint", NULL)) {
        cJSON *ep = json_obj_child(status, "controlPlaneEndpoint");
        snprintf(msg, sizeof msg, "api.%.100s.%.100s", h->name,
                 str_or(json_str_at(spec, "dns", "baseDomain", NULL), "example.com"));
        json_set_str(ep, "host", msg);
        json_set_num(ep, "port", 443);
    }
    if (!json_str_at(status, "payloadArch", NULL))
        json_set_str(status, "payloadArch", "Multi");

    h->has_completed = newest_completed(hc, &h->completed);
    return true;
}

/* The HostedControlPlane mirrors the cluster's release, pause and version status. */
typedef struct hcp_ctx {
    const cJSON *hc;
} hcp_ctx;

static bool hcp_mirror(cJSON *hcp, void *vctx)
{
    const cJSON *hc = ((hcp_ctx *)vctx)->hc;
    cJSON *spec = json_obj_child(hcp, "spec");
    static const struct {
        const char *from[3];
        const char *to;
    } fields[] = {
        {{"release", "image", NULL}, "releaseImage"},
        {{"controlPlaneRelease", "image", NULL}, "controlPlaneReleaseImage"},
        {{"pausedUntil", NULL, NULL}, "pausedUntil"},
        {{"channel", NULL, NULL}, "channel"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *v = json_str_at(json_at(hc, "spec", NULL), fields[i].from[0], fields[i].from[1], NULL);
        if (v)
            set_str(spec, fields[i].to, v);
        else if (i > 0)
            cJSON_DeleteItemFromObjectCaseSensitive(spec, fields[i].to);
    }
    cJSON *st = json_obj_child(hcp, "status");
    const cJSON *hst = json_at(hc, "status", NULL);
    const char *avail = cond_status(cJSON_GetObjectItemCaseSensitive(hst, "conditions"), "Available");
    json_set_bool(st, "initialized", true);
    json_set_bool(st, "ready", avail && strcmp(avail, "True") == 0);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(hst, "version");
    if (ver)
        json_set_item(st, "versionStatus", cJSON_Duplicate(ver, true));
    const cJSON *cpv = cJSON_GetObjectItemCaseSensitive(hst, "controlPlaneVersion");
    if (cpv)
        json_set_item(st, "controlPlaneVersion", cJSON_Duplicate(cpv, true));
    const cJSON *ep = cJSON_GetObjectItemCaseSensitive(hst, "controlPlaneEndpoint");
    if (ep)
        json_set_item(st, "controlPlaneEndpoint", cJSON_Duplicate(ep, true));
    const char *image = json_str_at(hc, "spec", "release", "image", NULL);
    if (image)
        set_str(st, "releaseImage", image);
    const char *cv = completed_version(hst);
    if (cv)
        set_str(st, "version", cv);
    cJSON *kc = json_obj_child(st, "kubeConfig");
    set_str(kc, "name", "admin-kubeconfig");
    set_str(kc, "key", "kubeconfig");
    static const char *copied[] = {"Available", "Degraded", "EtcdAvailable", "KubeAPIServerAvailable",
                                   "InfrastructureReady", "ValidReleaseInfo", "ClusterVersionAvailable",
                                   "ClusterVersionProgressing", "ClusterVersionUpgradeable",
                                   "ClusterVersionReleaseAccepted", "ClusterVersionRetrievedUpdates"};
    cJSON *conds = cJSON_CreateArray();
    const cJSON *hconds = cJSON_GetObjectItemCaseSensitive(hst, "conditions");
    for (size_t i = 0; i < sizeof copied / sizeof *copied; i++) {
        const cJSON *c = cond_find(hconds, copied[i]);
        if (c)
            cJSON_AddItemToArray(conds, cJSON_Duplicate(c, true));
    }
    /* The HCP carries the CVO's Failing; the HostedCluster shows its inverse as Succeeding. */
    const cJSON *succ = cond_find(hconds, "ClusterVersionSucceeding");
    if (succ) {
        cJSON *f = cJSON_Duplicate(succ, true);
        json_set_str(f, "type", "ClusterVersionFailing");
        const char *s = json_str_at(succ, "status", NULL);
        json_set_str(f, "status", s && strcmp(s, "True") == 0 ? "False" : "True");
        cJSON_AddItemToArray(conds, f);
    }
    json_set_item(st, "conditions", conds);
    return true;
}

static bool remove_hs_finalizer(cJSON *obj, void *ctx)
{
    (void)ctx;
    cJSON *fin = json_at(obj, "metadata", "finalizers", NULL);
    for (int i = cJSON_GetArraySize(fin) - 1; i >= 0; i--) {
        cJSON *it = cJSON_GetArrayItem(fin, i);
        if (cJSON_IsString(it) && strcmp(it->valuestring, HS_FINALIZER) == 0)
            cJSON_DeleteItemFromArray(fin, i);
    }
    if (fin && cJSON_GetArraySize(fin) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(json_obj_child(obj, "metadata"), "finalizers");
    return true;
}

/* A deleted HostedCluster takes its NodePools and control-plane namespace with it, then lets go. */
static void hc_teardown(sim_controllers *c, hc_info *h)
{
    for (size_t i = 0; i < c->nnp; i++) {
        np_info *n = &c->nps[i];
        if (n->hc >= 0 && &c->hcs[n->hc] == h && !n->deleting) {
            sim_reply r = sim_store_delete(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, NULL);
            cJSON_Delete(r.body);
        }
    }
    sim_reply r = sim_store_delete(c->s, sim_kind_get(SIM_NAMESPACE), NULL, h->cpns, NULL);
    cJSON_Delete(r.body);
    sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, remove_hs_finalizer, NULL);
    event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "Deleted", "hypershift-operator",
              "Deleted hosted cluster and its control plane namespace %s", h->cpns);
}

static uint64_t hc_fingerprint(const hc_info *h)
{
    uint64_t fp = fnv(&h->rv, sizeof h->rv, FNV_SEED);
    int v[6] = {h->ready, h->paused, h->paused_invalid, h->nodes > 0, h->sts, (int)strlen(h->pending_pvc)};
    fp = fnv(v, sizeof v, fp);
    return fnv_str(h->paused_msg, fp) | 1;
}

static void hc_step(sim_controllers *c, hc_info *h)
{
    if (h->deleting) {
        hc_teardown(c, h);
        return;
    }
    bool ran = false;
    uint64_t fp = hc_fingerprint(h);
    if (h->st->active || fp != h->st->fp) {
        hc_ctx x = {c, h};
        if (sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, hc_reconcile, &x))
            h->rv = sim_store_rv(c->s);
        h->st->fp = hc_fingerprint(h);
        ran = true;
    }
    if (ran && h->rv != h->st->hcp_rv) {
        sim_reply r = sim_store_get(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, SIM_SUB_NONE);
        if (r.code == 200) {
            hcp_ctx hx = {r.body};
            sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCONTROLPLANE), h->cpns, h->name, hcp_mirror, &hx);
            h->st->hcp_rv = h->rv;
        }
        cJSON_Delete(r.body);
    }
}

/* ---- NodePool ---- */

typedef struct np_ctx {
    sim_controllers *c;
    np_info *n;
    hc_info *h; /* NULL when the cluster does not exist */
} np_ctx;

static int drain_ticks_for(const cJSON *np)
{
    int64_t ms = 0;
    const char *t = json_str_at(np, "spec", "nodeDrainTimeout", NULL);
    if (!t || !duration_parse_ms(t, &ms) || ms <= 0)
        return SIM_DRAIN_TICKS;
    int64_t ticks = (ms + 9999) / 10000;
    return ticks < 1 ? 1 : ticks > SIM_DRAIN_MAX_TICKS ? SIM_DRAIN_MAX_TICKS : (int)ticks;
}

/* Why the pool's release is refused (fact sheet §6), or NULL. */
static const char *np_release_problem(const cJSON *np, const hc_info *h, const char *image, sim_version *target,
                                      char *msg, size_t msglen)
{
    if (!sim_release_version_of(image, target)) {
        snprintf(msg, msglen, "Failed to get release image: unknown release image \"%.400s\"", image);
        return msg;
    }
    if (h && h->skip_validation)
        return NULL;
    char tv[32], why[400];
    sim_version_format(*target, tv, sizeof tv);
    if (h && h->has_completed && target->major == h->completed.major && target->minor > h->completed.minor) {
        char hv[32];
        sim_version_format(h->completed, hv, sizeof hv);
        snprintf(msg, msglen,
                 "Failed to get release image: NodePool version %s minor version can't be higher than the "
                 "HostedCluster minor version %s",
                 tv, hv);
        return msg;
    }
    sim_version cur;
    bool has_cur = sim_version_parse(json_str_at(np, "status", "version", NULL), &cur);
    if (!sim_release_validate(has_cur ? &cur : NULL, *target, why, sizeof why)) {
        snprintf(msg, msglen, "Failed to get release image: %s", why);
        return msg;
    }
    return NULL;
}

static cJSON *node_versions(const char *ver, int ready, int unready)
{
    sim_version v;
    char kubelet[32] = "v1.30.3";
    if (sim_version_parse(ver, &v))
        sim_release_kubelet(v, kubelet, sizeof kubelet);
    cJSON *e = cJSON_CreateObject();
    json_set_str(e, "ocpVersion", ver);
    json_set_str(e, "kubeletVersion", kubelet);
    json_set_num(e, "readyNodeCount", ready);
    json_set_num(e, "unreadyNodeCount", unready);
    return e;
}

static bool np_reconcile(cJSON *np, void *vctx)
{
    np_ctx *x = vctx;
    sim_controllers *c = x->c;
    np_info *n = x->n;
    np_state *st = n->st;
    hc_info *h = x->h;
    const char *now = c->nowts;
    int64_t gen = 1;
    json_int_at(&gen, np, "metadata", "generation", NULL);
    cJSON *status = json_obj_child(np, "status");
    cJSON *conds = array_child(status, "conditions");

    char pmsg[96] = "";
    pause_state ps = pause_eval(json_str_at(np, "spec", "pausedUntil", NULL), c->now, pmsg, sizeof pmsg);
    bool paused = ps == PAUSE_ACTIVE;
    if (!paused && h && h->paused) {
        paused = true;
        snprintf(pmsg, sizeof pmsg, "%s", h->paused_msg);
    }
    char image[512];
    snprintf(image, sizeof image, "%s", str_or(json_str_at(np, "spec", "release", "image", NULL), ""));
    sim_version target = {0, 0, 0};
    char problem_buf[700];
    const char *problem = np_release_problem(np, h, image, &target, problem_buf, sizeof problem_buf);
    char tv[32];
    sim_version_format(target, tv, sizeof tv);

    int64_t cur = 0;
    json_int_at(&cur, status, "replicas", NULL);
    if (cur < 0)
        cur = 0;
    int64_t want = np_wanted(np, cur);
    char version[64];
    snprintf(version, sizeof version, "%s", str_or(json_str_at(status, "version", NULL), ""));
    bool rolling = false, draining = false;
    int pace = pace_of(np, PACE_NODE_ANNOTATION, 1);

    if (!paused && h && !problem) {
        if (want > cur) {
            cur++;
            st->drain_ticks = 0;
            event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "ScalingUp", "nodepool-controller",
                      "Scaled node pool from %lld to %lld replicas (target %lld)", (long long)cur - 1, (long long)cur,
                      (long long)want);
        } else if (want < cur) {
            if (st->drain_ticks == 0)
                event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "DrainingNode", "nodepool-controller",
                          "Draining node %s-%05llx (nodeDrainTimeout %s)", n->name,
                          (unsigned long long)(fnv_str(n->uid, FNV_SEED) + (uint64_t)cur) & 0xfffff,
                          str_or(json_str_at(np, "spec", "nodeDrainTimeout", NULL), "0s"));
            if (++st->drain_ticks >= drain_ticks_for(np)) {
                cur--;
                st->drain_ticks = 0;
                event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "ScalingDown", "nodepool-controller",
                          "Scaled node pool from %lld to %lld replicas (target %lld)", (long long)cur + 1,
                          (long long)cur, (long long)want);
            } else {
                draining = true;
            }
        }
        if (!*version) {
            /* A new pool takes its version once its nodes are up. */
            if (cur == want)
                snprintf(version, sizeof version, "%s", tv);
        } else if (strcmp(version, tv) != 0) {
            if (st->roll_ticks == 0)
                event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "UpdatingVersion", "nodepool-controller",
                          "Rolling out version %s (from %s)", tv, version);
            st->roll_ticks++;
            if (st->roll_ticks > cur * pace) {
                event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "VersionUpdated", "nodepool-controller",
                          "Nodes now run version %s", tv);
                snprintf(version, sizeof version, "%s", tv);
                st->roll_ticks = 0;
            } else {
                rolling = true;
            }
        }
    } else {
        rolling = *version && !problem && strcmp(version, tv) != 0;
        draining = st->drain_ticks > 0;
    }
    if (!rolling)
        st->roll_ticks = 0;
    st->active = !paused && h && !problem && (cur != want || rolling || draining || !*version);

    json_set_num(status, "replicas", (double)cur);
    if (*version)
        set_str(status, "version", version);

    /* Conditions */
    char msg[800];
    if (cur < want) {
        snprintf(msg, sizeof msg, "Minimum availability requires %lld replicas, current %lld available",
                 (long long)want, (long long)cur);
        cond_set(conds, "Ready", "False", "WaitingForAvailableMachines", msg, "Warning", gen, now);
        snprintf(msg, sizeof msg, "%lld of %lld machines are not ready", (long long)(want - cur), (long long)want);
        cond_set(conds, "AllMachinesReady", "False", "WaitingForNodeRef", msg, "Info", gen, now);
    } else {
        cond_set(conds, "Ready", "True", "AsExpected", "", NULL, gen, now);
        cond_set(conds, "AllMachinesReady", "True", "AsExpected", "All is well", NULL, gen, now);
    }
    if (draining)
        cond_set(conds, "AllNodesHealthy", "False", "NodeDraining", "A node is being drained (SchedulingDisabled)",
                 "Info", gen, now);
    else
        cond_set(conds, "AllNodesHealthy", "True", "AsExpected", "All is well", NULL, gen, now);
    if (problem)
        cond_set(conds, "ValidReleaseImage", "False", "ValidationFailed", problem, "Error", gen, now);
    else {
        snprintf(msg, sizeof msg, "Using release image: %.600s", image);
        cond_set(conds, "ValidReleaseImage", "True", "AsExpected", msg, NULL, gen, now);
    }
    if (h && h->has_completed && !problem && h->completed.minor - target.minor > 3) {
        snprintf(msg, sizeof msg, "NodePool minor version %d.%d is more than 3 minors behind the control plane",
                 target.major, target.minor);
        cond_set(conds, "SupportedVersionSkew", "False", "UnsupportedSkew", msg, "Warning", gen, now);
    } else {
        cond_set(conds, "SupportedVersionSkew", "True", "AsExpected", "", NULL, gen, now);
    }
    if (rolling) {
        snprintf(msg, sizeof msg, "Updating version in progress. Target version: %s", tv);
        cond_set(conds, "UpdatingVersion", "True", "AsExpected", msg, NULL, gen, now);
    } else {
        cond_set(conds, "UpdatingVersion", "False", "AsExpected", NULL, NULL, gen, now);
    }
    cond_set(conds, "UpdatingConfig", "False", "AsExpected", NULL, NULL, gen, now);
    cond_set(conds, "AutoscalingEnabled", json_at(np, "spec", "autoScaling", NULL) ? "True" : "False", "AsExpected",
             NULL, NULL, gen, now);
    cond_set(conds, "AutorepairEnabled",
             cJSON_IsTrue(json_at(np, "spec", "management", "autoRepair", NULL))
                 ? "True"
                 : "False",
             "AsExpected", NULL, NULL, gen, now);
    if (paused)
        cond_set(conds, "ReconciliationActive", "False", "ReconciliationPaused", pmsg, NULL, gen, now);
    else if (ps == PAUSE_INVALID)
        cond_set(conds, "ReconciliationActive", "True", "InvalidPausedUntilValue",
                 "Invalid value provided for PausedUntil field", NULL, gen, now);
    else
        cond_set(conds, "ReconciliationActive", "True", "ReconciliationActive", "Reconciliation active on resource",
                 NULL, gen, now);

    /* nodesInfo: nodes per version (the API wants at least one entry, so none without nodes) */
    if (cur > 0 && *version) {
        cJSON *nv = cJSON_CreateArray();
        int updated = rolling ? (st->roll_ticks / pace < cur ? st->roll_ticks / pace : (int)cur) : 0;
        if (updated > 0)
            cJSON_AddItemToArray(nv, node_versions(tv, updated, 0));
        if (cur - updated > 0)
            cJSON_AddItemToArray(nv, node_versions(version, (int)(cur - updated), 0));
        json_set_item(json_obj_child(status, "nodesInfo"), "nodeVersions", nv);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(status, "nodesInfo");
    }
    return true;
}

static uint64_t np_fingerprint(const np_info *n, const hc_info *h)
{
    uint64_t fp = fnv(&n->rv, sizeof n->rv, FNV_SEED);
    if (h) {
        int v[5] = {h->paused, h->has_completed, h->completed.minor, h->completed.patch, h->skip_validation};
        fp = fnv(v, sizeof v, fp);
        fp = fnv_str(h->paused_msg, fp);
    }
    return fp | 1;
}

static void np_step(sim_controllers *c, np_info *n)
{
    if (n->deleting) {
        sim_store_mutate(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, remove_hs_finalizer, NULL);
        return;
    }
    hc_info *h = n->hc >= 0 ? &c->hcs[n->hc] : NULL;
    if (h && h->deleting)
        return;
    uint64_t fp = np_fingerprint(n, h);
    if (!n->st->active && fp == n->st->fp)
        return;
    np_ctx x = {c, n, h};
    if (sim_store_mutate(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, np_reconcile, &x))
        n->rv = sim_store_rv(c->s);
    n->st->fp = np_fingerprint(n, h);
}

/* ---- the tick ---- */

void sim_controllers_tick(sim_controllers *c)
{
    c->ticks++;
    c->now = sim_store_now(c->s);
    rfc3339_format(c->now, c->nowts);
    for (int w = 0; w < WATCHED; w++)
        catch_up(c, w);
    build_hcs(c);
    build_members(c, FACTS_POD);
    build_members(c, FACTS_PVC);
    build_members(c, FACTS_STS);
    build_nps(c);

    for (size_t i = 0; i < c->nhc; i++) {
        hc_info *h = &c->hcs[i];
        if (!h->st->ensured && !h->deleting) {
            if (!h->installed)
                ensure_control_plane(c, h);
            h->st->ensured = true;
        }
        etcd_step(c, h);
        if (!h->managed || h->deleting)
            h->ready = 0;
        hc_step(c, h);
    }
    for (size_t i = 0; i < c->nnp; i++)
        np_step(c, &c->nps[i]);
    events_flush(c);
}
