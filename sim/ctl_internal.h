/* What the controllers' modules share (not a public interface: only sim/controllers.c and
 * sim/ctl_*.c include it). The controllers are split by job:
 *   controllers.c       the tick: catch up, build records, etcd, HostedCluster, NodePool, Events;
 *   ctl_helpers.c       object helpers the jobs share (create, uid, pace, member index, finalizer);
 *   ctl_map.c           a string-keyed hash map and the FNV hash the fingerprints use;
 *   ctl_cache.c         per-object facts fed by store watches, and each tick's records built from them;
 *   ctl_conditions.c    write-only-on-change JSON setters and status conditions;
 *   ctl_pause.c         HyperShift's pausedUntil parser and the ReconciliationActive condition;
 *   ctl_events.c        core v1 Events (a repeat bumps count);
 *   ctl_etcd.c          the StatefulSet controller and kubelet for etcd: PVCs, pods, crash loops;
 *   ctl_kubelet.c       graceful pod deletion: the kubelet's final DELETE once the grace period passed;
 *   ctl_volumes.c       the pvc-protection controller: a deleted claim goes once no pod uses it;
 *   ctl_version.c       status.version / controlPlaneVersion history and the update lists;
 *   ctl_hostedcluster.c HostedCluster conditions, pause, upgrade gates and progress, deletion;
 *   ctl_hcp.c           the HostedControlPlane mirror of its HostedCluster;
 *   ctl_nodepool.c      NodePool scaling, drains, version rollouts and version rules.
 * Calls go one way: controllers.c calls the jobs, the jobs call the helpers (ctl_helpers, ctl_map,
 * ctl_conditions, ctl_pause, ctl_events, ctl_version), and no helper calls back into a job.
 * Beside them, with public headers of their own: ctl_objects.c (the objects the operators build, shared
 * with the fleets) and ctl_podlog.c (container logs). */
#ifndef HCP_SIM_CTL_INTERNAL_H
#define HCP_SIM_CTL_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sim/controllers.h"
#include "sim/ctl_objects.h"
#include "sim/kinds.h"
#include "sim/releases.h"
#include "sim/store.h"

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

static inline const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

/* ---- ctl_map.c: a small string-keyed hash map (open addressing, owns its keys) ---- */

typedef struct map_slot {
    char *key;
    void *val;
} map_slot;

typedef struct strmap {
    map_slot *slots;
    size_t cap, n;
} strmap;

#define FNV_SEED 1469598103934665603ULL

uint64_t ctl_fnv(const void *data, size_t len, uint64_t h);
/* The string including its NUL (NULL hashes like ""). */
uint64_t ctl_fnv_str(const char *s, uint64_t h);
void *ctl_map_get(const strmap *m, const char *key);
/* Adds a key that is not in the map yet (ctl_map_clear frees the values it is given a free for). */
void ctl_map_add(strmap *m, const char *key, void *val);
/* Points key at val, adding the key when new (values not owned: the maps that use this borrow). */
void ctl_map_set(strmap *m, const char *key, void *val);
void ctl_map_clear(strmap *m, void (*free_value)(void *));

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
    uint64_t seen_tick; /* the tick that last saw the object, and its index in that tick's records */
    size_t index;
    uint64_t fp;       /* fingerprint of the inputs at the last reconcile */
    bool active;       /* work in progress: reconcile every tick */
    int upgrade_ticks; /* ticks since the current upgrade or install began */
    uint64_t hcp_rv;   /* HostedCluster resourceVersion last mirrored into the HostedControlPlane */
    bool ensured;      /* control-plane namespace, HCP and secrets exist */
    int sts_ready, sts_current;
    /* The tick at which a crash-looping etcd member's CrashLoopBackOff ends (0: none known). */
    uint64_t crash_until[MAX_MEMBERS];
    char updates_key[96]; /* version|channel the update lists were computed for */
} hc_state;

/* A cached lookup of the cluster an object belongs to, valid while gen equals the controllers'
 * hc_index_gen (which moves whenever a cluster is indexed), so that a tick resolves it by hash only
 * after a cluster came. */
typedef struct hc_ref {
    hc_state *st;
    uint64_t gen;
} hc_ref;

typedef struct np_state {
    uint64_t rv; /* of the parsed fields below */
    char *ns, *name, *uid, *cluster, *hc_key;
    bool live, deleting;
    int64_t replicas;
    uint64_t fp;
    bool active;
    int drain_ticks; /* ticks the node being removed has drained */
    int roll_ticks;  /* ticks into a version rollout */
    hc_ref owner;    /* the cluster under hc_key */
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
    hc_ref owner; /* the cluster whose control-plane namespace is ns */
} member_facts;

typedef struct event_rec {
    char name[300];
    char ns[256];
} event_rec;
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

/* The live states of a cache in a fixed order, sorted again only when one comes or goes. */
typedef struct live_order {
    void **items;
    size_t n;
    bool dirty;
} live_order;

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
    uint64_t hc_index_gen;        /* moves when hc_by_key / hc_by_cpns change (see hc_ref) */
    sim_watch *watch[WATCHED];    /* NULL: resync that kind from a full read first */
    /* the live clusters and pools in namespace/name order, rebuilt when one comes or goes */
    live_order hc_order; /* hc_state * */
    live_order np_order; /* np_state * */
    uint64_t event_seq;
    strmap terminating; /* pod uid -> the tick (uint64_t *) the kubelet first saw it terminating */
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

/* ---- ctl_helpers.c: object helpers every job uses (they call no controller) ---- */

/* Creates obj (consumed); an existing object is kept (409 ignored). */
void ctl_create_obj(sim_controllers *c, sim_kind_id kind, cJSON *obj);
/* An object's uid for an Event's involvedObject ("" when it is gone), into out. */
const char *ctl_uid_of(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, char *out,
                       size_t outlen);
/* A positive tick count from an annotation, or dflt. */
int ctl_pace_of(const cJSON *obj, const char *annotation, int dflt);
/* "etcd-N" / "data-etcd-N" -> N, or -1. */
int ctl_member_index(const char *name, const char *prefix);
/* A sim_store_mutate callback: drops the finalizer ctx (a string) from metadata.finalizers. */
bool ctl_remove_finalizer(cJSON *obj, void *ctx);

/* ---- ctl_conditions.c ---- */

/* Setters that leave the object untouched when the value is already there. */
void ctl_set_str(cJSON *obj, const char *key, const char *value);
void ctl_set_num(cJSON *obj, const char *key, double value);
/* parent[key] as an array, created (or replacing a non-array) when needed. */
cJSON *ctl_array_child(cJSON *parent, const char *key);
cJSON *ctl_cond_find(const cJSON *conds, const char *type);
const char *ctl_cond_status(const cJSON *conds, const char *type);
/* What a reconcile starts from: obj's status.conditions (created when missing), its status into
 * *status and metadata.generation (1 when unset) into *gen. */
cJSON *ctl_status_conditions(cJSON *obj, int64_t *gen, cJSON **status);
/* Sets a condition. lastTransitionTime changes only when the status does. message NULL: no message
 * (NodePool conditions may lack one); severity NULL: none. */
void ctl_cond_set(cJSON *conds, const char *type, const char *status, const char *reason, const char *message,
                  const char *severity, int64_t gen, const char *now);

/* ---- ctl_pause.c ---- */

typedef enum { PAUSE_NONE, PAUSE_ACTIVE, PAUSE_INVALID } pause_state;
/* spec.pausedUntil (NULL: none) as of now; msg gets the ReconciliationActive message when active. */
pause_state ctl_pause_eval(const char *value, time_t now, char *msg, size_t msglen);
/* The ReconciliationActive condition for a pause state (msg: the paused message). active_reason: the
 * reason when not paused, which the HostedCluster and NodePool controllers word differently. */
void ctl_cond_reconciliation_active(cJSON *conds, pause_state ps, const char *msg, const char *active_reason,
                                    int64_t gen, const char *now);

/* ---- ctl_events.c ---- */

/* Queues an Event for the end of the tick. uid NULL: "". */
void ctl_event_add(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, const char *uid,
                   const char *type, const char *reason, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* Writes the tick's events; a repeat of the same reason and message for an object bumps count. */
void ctl_events_flush(sim_controllers *c);
void ctl_events_free(sim_controllers *c);

/* ---- ctl_cache.c ---- */

/* Applies the store's events since the last tick to the cache of kind w (a full read when needed). */
void ctl_catch_up(sim_controllers *c, int w);
/* This tick's records: c->hcs (with etcd members and node counts) and c->nps, from the cache. */
void ctl_build_records(sim_controllers *c);
void ctl_cache_free(sim_controllers *c);

/* ---- ctl_etcd.c ---- */

/* One step of a managed-etcd cluster's StatefulSet, PVCs and pods; sets h->ready. */
void ctl_etcd_step(sim_controllers *c, hc_info *h);

/* ---- ctl_version.c ---- */

/* Starts a rollout in status.version or status.controlPlaneVersion (key): new desired, a Partial entry
 * in front, the previous entry's completionTime set to now. */
void ctl_version_begin(cJSON *status, const char *key, sim_version v, const char *image, const char *now, int64_t gen);
bool ctl_version_partial(const cJSON *status, const char *key);
void ctl_version_complete(cJSON *status, const char *key, const char *now);
/* The first Completed version in status.version.history (what `oc get hc` shows as VERSION). */
const char *ctl_completed_version(const cJSON *status);
/* The newest history entry of a HostedCluster that has a completionTime (what a NodePool may not run
 * ahead of). */
bool ctl_newest_completed(const cJSON *hc, sim_version *out);
/* availableUpdates / conditionalUpdates for the desired version and channel, recomputed only when
 * either changed since st->updates_key. */
void ctl_refresh_updates(cJSON *status, const char *channel, const char *now, hc_state *st);

/* ---- ctl_hostedcluster.c ---- */

/* Creates what a new HostedCluster needs beside etcd: its control-plane namespace, the
 * HostedControlPlane, the admin kubeconfig and kubeadmin password. Existing ones are kept (409). */
void ctl_ensure_control_plane(sim_controllers *c, hc_info *h);
/* Reconciles one cluster (or tears a deleted one down) and mirrors it into its HCP. */
void ctl_hc_step(sim_controllers *c, hc_info *h);

/* ---- ctl_hcp.c ---- */

/* Mirrors the HostedCluster as stored now into its HostedControlPlane (spec and status). */
void ctl_hcp_mirror(sim_controllers *c, hc_info *h);

/* ---- ctl_kubelet.c, ctl_volumes.c: the node and volume side of deletions (every namespace) ---- */

/* Removes (DELETE with grace 0) the terminating scheduled pods whose grace period has passed. */
void ctl_kubelet_step(sim_controllers *c);
void ctl_kubelet_free(sim_controllers *c);
/* Drops kubernetes.io/pvc-protection from the claims being deleted that no scheduled pod uses. */
void ctl_volumes_step(sim_controllers *c);

/* ---- ctl_nodepool.c ---- */

void ctl_np_step(sim_controllers *c, np_info *n);

#endif
