/* The simulator's object store. Per kind, a sorted array of (key, object) with binary search: keys are
 * "namespace/name" (cluster-scoped: "name"), which is also the order etcd and so kube-apiserver list in.
 * Every write bumps one global resourceVersion and appends exactly one event to a ring of the last
 * event_window events, so event i sits at ring[rv % cap] and the ring is contiguous in rv. Watches read
 * that ring; they wait on one condition variable. One mutex guards everything.
 *
 * Objects are copied on write: the stored tree is replaced, never edited in place, so the previous
 * state can go to the event (watches with selectors need it to turn a MODIFIED into ADDED/DELETED).
 *
 * Not emulated (kube-apiserver does these): managedFields, garbage collection by ownerReferences, a Terminating phase for namespaces (their
 * contents go at once). A status sent on create is kept, so that a fleet can be seeded in one write
 * (the apiserver drops it for custom resources). Continue tokens list from the current state. */
#ifndef HCP_SIM_STORE_INTERNAL_H
#define HCP_SIM_STORE_INTERNAL_H

/* Shared by the store's modules (store*.c) only; everyone else uses sim/store.h. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/selector.h"
#include "sim/store.h"

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
    size_t deleting[SIM_KIND_COUNT]; /* objects with a deletionTimestamp, per kind */
    int urandom;
    unsigned char rnd[512];
    size_t rnd_pos;
};

static inline void lock(sim_store *s)
{
    pthread_mutex_lock(&s->mu);
}

static inline void unlock(sim_store *s)
{
    pthread_mutex_unlock(&s->mu);
}

static inline const char *meta_str(const cJSON *obj, const char *field)
{
    return json_str_at(obj, "metadata", field, NULL);
}

static inline void store_set_rv(cJSON *obj, uint64_t rv)
{
    char txt[24];
    snprintf(txt, sizeof txt, "%" PRIu64, rv);
    json_set_str(json_obj_child(obj, "metadata"), "resourceVersion", txt);
}

static inline time_t store_now(sim_store *s)
{
    return s->opts.now ? s->opts.now(s->opts.clock) : time(NULL);
}

static inline void now_rfc3339(sim_store *s, char out[21])
{
    rfc3339_format(store_now(s), out);
}

static inline bool has_generation(const sim_kind *k)
{
    return k->has_status || k->custom;
}

static inline sim_reply reply_obj(int code, cJSON *body)
{
    sim_reply r = {code, body};
    return r;
}

/* store_table.c: the sorted per-kind tables */
void store_make_key(const sim_kind *k, const char *ns, const char *name, buf *out);
size_t store_lower_bound(const table *t, const char *key);
entry *store_table_find(table *t, const char *key);
void store_table_insert(table *t, char *key, cJSON *obj);
cJSON *store_table_remove(table *t, entry *e);
void store_table_range(const table *t, const sim_kind *k, const char *ns, size_t *begin, size_t *end);
entry *store_lookup(sim_store *s, const sim_kind *k, const char *ns, const char *name);

/* store_reply.c: the Status replies */
sim_reply store_not_found(const sim_kind *k, const char *name);
sim_reply store_conflict_modified(const sim_kind *k, const char *name);
sim_reply store_no_such_resource(void);
sim_reply store_bad_request(const char *msg);
sim_reply store_reply_from_status(cJSON *st);
sim_reply store_expired(const char *msg);

/* store_watch.c: the event history */
void store_event_clear(event *e);
char *store_print_or_die(const cJSON *obj);
void store_emit(sim_store *s, const sim_kind *k, event_type type, const cJSON *obj, cJSON *old);
uint64_t store_history_floor(sim_store *s);

/* store_list.c: both selectors of a list or watch, parsed once */
/* Both selectors of a list or watch, parsed once. */
typedef struct store_filter {
    sim_label_selector *ls;
    sim_field_selector *fs;
} store_filter;
bool store_filter_parse(const sim_kind *k, const sim_list_opts *o, store_filter *f, sim_reply *err);

/* store.c: the write path shared by update, patch, mutate and the scale subresource */
/* Which part of an object a write may change. */
typedef enum {
    SCOPE_MAIN,   /* the resource itself: with a status subresource, status changes are ignored */
    SCOPE_STATUS, /* /status: only status changes */
    SCOPE_ALL     /* controllers: everything but identity */
} write_scope;
/* dry: everything but the store (dryRun=All): the answer is what would be stored, with the stored
 * resourceVersion. */
sim_reply store_commit_write(sim_store *s, const sim_kind *k, entry *e, cJSON *next, write_scope scope,
                             bool validate, bool dry);
cJSON *store_remove_object(sim_store *s, const sim_kind *k, entry *e);
/* Puts next in e's place (the caller frees or keeps the old object), counting deletions. */
void store_replace(sim_store *s, const sim_kind *k, entry *e, cJSON *next);
bool store_finalizers_empty(const cJSON *obj);
bool store_rv_matches(const cJSON *obj, const char *want);

/* store_create.c: what create, update and patch all check and set */
const char *store_shape_error(const cJSON *obj);
void store_set_type_meta(const sim_kind *k, cJSON *obj);

/* store_scale.c: the Scale document of a kind with a scale subresource */
cJSON *store_scale_of(const sim_kind *k, const cJSON *obj);
sim_reply store_write_scale(sim_store *s, const sim_kind *k, entry *e, const cJSON *scale, bool dry);

/* store_admit.c: what admission and defaulting add to a new object (PVC protection, pod defaults) */
void store_admit_create(const sim_kind *k, cJSON *obj);

/* store_fields.c: fieldValidation and defaults. Prunes obj's unknown fields (not when wo is NULL: the
 * simulator's own writes) and sets its schema's defaults; false (and *err) when Strict refuses. */
bool store_check_fields(const sim_kind *k, cJSON *obj, const sim_write_opts *wo, bool patch, sim_reply *err);

static inline bool store_dry(const sim_write_opts *wo)
{
    return wo && wo->dry_run;
}

#endif
