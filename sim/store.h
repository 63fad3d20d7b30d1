/* The simulator's object store: Kubernetes objects as cJSON, a global resourceVersion, and an event
 * history that watches read from. Thread-safe: every call takes the store's lock. The HTTP layer and
 * the controllers both go through these calls, so a controller's write looks to a client exactly
 * like a user's.
 *
 * Every call that answers a client returns a sim_reply: the HTTP code and a body that is either the
 * object (or list, or Scale) or a Kubernetes Status. The caller owns reply.body. */
#ifndef HCP_SIM_STORE_H
#define HCP_SIM_STORE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sim/kinds.h"

typedef struct sim_store sim_store;

typedef struct sim_reply {
    int code;    /* HTTP status: 200, 201, 404, 409, 410, 422, ... */
    cJSON *body; /* the object, list or Status; owned by the caller */
} sim_reply;

typedef enum { SIM_SUB_NONE, SIM_SUB_STATUS, SIM_SUB_SCALE } sim_subresource;
typedef enum { SIM_PATCH_MERGE, SIM_PATCH_JSON, SIM_PATCH_STRATEGIC } sim_patch_type;

typedef struct sim_store_opts {
    size_t event_window;           /* how many events a watch can resume from (older: 410 Expired) */
    time_t (*now)(void *clock);    /* the simulated wall clock for timestamps; NULL = time(NULL) */
    void *clock;
    /* Optional validation (create, update, patch): return NULL when valid, or a 422 Status (owned by
     * the caller) built with sim_status_invalid(). old is NULL on create. */
    cJSON *(*validate)(const sim_kind *k, const cJSON *obj, const cJSON *old, void *ctx);
    void *validate_ctx;
} sim_store_opts;

typedef struct sim_list_opts {
    const char *ns;             /* NULL or "" = all namespaces */
    const char *label_selector; /* "app=etcd,tier!=x,env in (a,b),!k,k" (NULL = all) */
    const char *field_selector; /* "metadata.name=x,metadata.namespace!=y" */
    long limit;                 /* 0 = no limit */
    const char *continue_token; /* from a previous page */
} sim_list_opts;

/* fieldValidation: what a write does with fields the kind's schema does not declare. */
typedef enum {
    SIM_FIELDS_WARN,   /* the server's default: dropped, one warning each */
    SIM_FIELDS_STRICT, /* refused: 400 on a create or update, 422 on a patch */
    SIM_FIELDS_IGNORE, /* dropped silently */
} sim_field_validation;

/* Per-request options of a write (create, update, patch). NULL: the simulator's own write (no field
 * validation). */
typedef struct sim_write_opts {
    /* dryRun=All: checked, defaulted and answered exactly as if stored (an update keeps the stored
     * resourceVersion, a create has none), and nothing is stored: no new resourceVersion, no watch event. */
    bool dry_run;
    sim_field_validation fields;
    cJSON *warnings; /* not NULL: an array the write appends its warnings to (`unknown field "spec.x"`) */
} sim_write_opts;

sim_store *sim_store_new(const sim_store_opts *opts);
void sim_store_free(sim_store *s);
uint64_t sim_store_rv(sim_store *s);
time_t sim_store_now(sim_store *s);

sim_reply sim_store_get(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_subresource sub);
sim_reply sim_store_list(sim_store *s, const sim_kind *k, const sim_list_opts *o);
/* The finalizer admission puts on every new PersistentVolumeClaim. */
#define SIM_PVC_PROTECTION_FINALIZER "kubernetes.io/pvc-protection"

/* POST. As kube-apiserver's admission does, a PVC gets the kubernetes.io/pvc-protection finalizer and
 * a Pod the defaults of its spec (terminationGracePeriodSeconds 30, ...). */
sim_reply sim_store_create(sim_store *s, const sim_kind *k, const char *ns, const cJSON *obj,
                           const sim_write_opts *wo);
/* PUT. A stale metadata.resourceVersion in obj gives 409 Conflict; an empty one is an unconditional update
 * for core kinds and 422 for custom resources (as kube-apiserver). sub SIM_SUB_STATUS writes only status,
 * SIM_SUB_SCALE takes a Scale and answers one. */
sim_reply sim_store_update(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *obj,
                           sim_subresource sub, const sim_write_opts *wo);
/* PATCH. A metadata.resourceVersion carried in the patch is a precondition (409 when stale). */
sim_reply sim_store_patch(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_patch_type type,
                          const char *body, size_t len, sim_subresource sub, const sim_write_opts *wo);
/* DELETE, as kube-apiserver's generic registry does it (registry/store.go Delete, rest/delete.go
 * BeforeDelete). options is a DeleteOptions: preconditions.uid / .resourceVersion, gracePeriodSeconds,
 * dryRun ["All"]. NULL means gracePeriodSeconds 0, as the registry treats a nil DeleteOptions.
 *  - a Pod is deleted gracefully: deletionTimestamp = now + the grace period (gracePeriodSeconds, else
 *    spec.terminationGracePeriodSeconds; 0 when unscheduled or terminated) and
 *    deletionGracePeriodSeconds; it stays until a delete with grace 0 (the kubelet's). A second delete
 *    may only shorten the period.
 *  - an object with finalizers gets deletionTimestamp = now, deletionGracePeriodSeconds 0 and stays
 *    until its last finalizer goes.
 *  - the answer is the object while it lingers; once removed, the object for the kinds whose registry
 *    returns it (pods, PVCs, services, namespaces), else a Status with details (group, plural kind,
 *    name, uid). */
sim_reply sim_store_delete(sim_store *s, const sim_kind *k, const char *ns, const char *name,
                           const cJSON *options);

/* Controllers: fn runs under the lock on the stored object and returns true when it changed it; the
 * store then bumps resourceVersion and emits MODIFIED. No validation. fn must not call the store. */
typedef bool (*sim_mutate_fn)(cJSON *obj, void *ctx);
bool sim_store_mutate(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_mutate_fn fn,
                      void *ctx);
/* Read-only visit of every object of a kind, in key order, under the lock. fn must not call the store. */
typedef void (*sim_visit_fn)(const cJSON *obj, void *ctx);
void sim_store_foreach(sim_store *s, const sim_kind *k, const char *ns, sim_visit_fn fn, void *ctx);
size_t sim_store_count(sim_store *s, const sim_kind *k);
/* How many objects of a kind carry a deletionTimestamp (a controller with nothing to finish skips). */
size_t sim_store_deleting(sim_store *s, const sim_kind *k);

/* Watches. Opening checks the selectors and the starting version: resource_version NULL or "" starts
 * with a synthetic ADDED for every matching object; "0" likewise; a number resumes after it, or the
 * reply is 410 Expired when the history no longer reaches it. On success the reply code is 200 and
 * reply.body is NULL. */
typedef struct sim_watch sim_watch;
sim_reply sim_store_watch(sim_store *s, const sim_kind *k, const sim_list_opts *o, const char *resource_version,
                          sim_watch **out);
typedef enum { SIM_WATCH_EVENT, SIM_WATCH_TIMEOUT, SIM_WATCH_CLOSED } sim_watch_result;
/* Waits up to timeout_ms for the next matching event; *line gets one JSON event line
 * ({"type":"MODIFIED","object":{...}}, no newline), owned by the caller. */
sim_watch_result sim_watch_next(sim_watch *w, int timeout_ms, char **line);
/* The resourceVersion a BOOKMARK sent now would carry. */
uint64_t sim_watch_rv(sim_watch *w);
void sim_watch_free(sim_watch *w); /* every watch must be freed before its store */
/* Ends every open watch (SIM_WATCH_CLOSED) and forgets the history: the next resume gets 410. */
void sim_store_compact(sim_store *s);
/* Wakes every watch so that it returns SIM_WATCH_CLOSED; used at shutdown. */
void sim_store_close_watches(sim_store *s);

/* Status bodies, as kube-apiserver writes them (see docs/simulator.md). */
cJSON *sim_status(int code, const char *reason, const char *message, const sim_kind *k, const char *name);
cJSON *sim_status_invalid(const sim_kind *k, const char *name, const char *field, const char *cause_reason,
                          const char *cause_message); /* 422 with one cause; add more with sim_status_add_cause */
void sim_status_add_cause(cJSON *status, const char *field, const char *cause_reason, const char *cause_message);
sim_reply sim_reply_status(int code, const char *reason, const char *message, const sim_kind *k, const char *name);

#endif
