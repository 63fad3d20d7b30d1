/* The client's store: decoded records keyed by kind/namespace/name, fed by the informers, read by the
 * views.
 *
 * Ownership: store_apply() and store_relist_add() take the record whatever they answer. Pointers the
 * store hands out (records, slices) stay valid until the next mutating call (apply, relist, clear).
 * Lookups build their indexes lazily after a change, so they take a non-const store.
 *
 * Change counters only move on real changes: a MODIFIED event that carries the resourceVersion the
 * store already holds, a BOOKMARK, or a re-list that finds everything as it was do not move them. */
#ifndef HCP_CLIENT_STORE_H
#define HCP_CLIENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/records.h"

typedef struct store store;

typedef enum watch_event_type { WATCH_ADDED, WATCH_MODIFIED, WATCH_DELETED, WATCH_BOOKMARK } watch_event_type;

/* "ADDED" / "MODIFIED" / "DELETED" / "BOOKMARK" (exact, as the API server sends them). False for
 * anything else ("ERROR" is not a store event: the informer handles it). */
bool watch_event_type_parse(const char *s, watch_event_type *out);

store *store_new(void);
void store_free(store *s); /* NULL is fine */

/* Applies one watch event. ADDED/MODIFIED insert or replace, DELETED removes (by namespace/name of
 * the record given), BOOKMARK only advances the kind's resourceVersion. Every event that carries a
 * resourceVersion advances the kind's resourceVersion. Takes ownership of rec in every case.
 * Returns true when the store's content changed. A record without a name, or of another kind than
 * `kind`, is refused (false, freed). */
bool store_apply(store *s, res_kind kind, watch_event_type type, record *rec);

/* Re-list: after a (paginated) list, the list's items replace the kind's content, so objects deleted
 * while the watch was down disappear. Between begin and end the old content stays visible.
 *   store_relist_begin(s, kind);
 *   for each item: store_relist_add(s, kind, rec);   (takes ownership)
 *   store_relist_end(s, kind, list_resource_version);
 * Items unchanged (same resourceVersion) are kept as they were and do not count as changes.
 * store_relist_abort() (the list failed half way) keeps the old content and drops nothing. */
void store_relist_begin(store *s, res_kind kind);
void store_relist_add(store *s, res_kind kind, record *rec);
void store_relist_end(store *s, res_kind kind, const char *resource_version);
void store_relist_abort(store *s, res_kind kind);

/* Removes every record of the kind and forgets its resourceVersion (e.g. events when the focus
 * moves). Bumps the counters if there was anything. */
void store_clear_kind(store *s, res_kind kind);

/* The kind's resourceVersion to watch from (the last list or event); NULL before the first list. */
const char *store_resource_version(const store *s, res_kind kind);

/* Change counters: the global one moves on any change, the per-kind one on changes of that kind. */
uint64_t store_changes(const store *s);
uint64_t store_kind_changes(const store *s, res_kind kind);

/* Number of records of the kind. */
size_t store_count(const store *s, res_kind kind);

/* All records of the kind in stable (namespace, name) order, without copying: a slice of *n
 * pointers, valid until the next mutation (may be NULL when *n is 0). */
record *const *store_sorted(store *s, res_kind kind, size_t *n);

/* One record by namespace/name (namespace "" or NULL for cluster-scoped). NULL when absent. */
record *store_get(store *s, res_kind kind, const char *ns, const char *name);

/* The HostedCluster whose control-plane namespace is cp_ns ("clusters-prod1"). */
record *store_hc_by_cp_namespace(store *s, const char *cp_ns);

/* Node pools of a cluster (same namespace, spec.clusterName == name), sorted by name. */
record *const *store_nodepools_of(store *s, const char *ns, const char *cluster_name, size_t *n);
/* The HostedCluster a node pool belongs to, or NULL. */
record *store_hc_of_nodepool(store *s, const record *np);

/* etcd pods / PVCs in a control-plane namespace, sorted by name. */
record *const *store_etcd_pods(store *s, const char *cp_ns, size_t *n);
record *const *store_etcd_pvcs(store *s, const char *cp_ns, size_t *n);

/* Events whose involvedObject is kind/ns/name (kind NULL: any kind), newest last-seen first. The
 * slice is valid until the next mutation or the next store_events_of call. */
record *const *store_events_of(store *s, const char *kind, const char *ns, const char *name, size_t *n);

/* The supported-versions ConfigMap record, or NULL when not (yet) seen. */
record *store_supported_versions(store *s);

/* The focus slot: the raw JSON text of the one object on screen (for the YAML view), set by the
 * client after it GETs the object. The store copies the text. NULL json clears the slot. */
void store_set_focus(store *s, res_kind kind, const char *ns, const char *name, const char *json, size_t len);
/* The focused object's text or NULL, and its identity (any out pointer may be NULL). */
const char *store_focus_json(const store *s, res_kind *kind, const char **ns, const char **name);
/* Moves whenever the focus slot changes. */
uint64_t store_focus_changes(const store *s);

/* Memory the records hold (arena bytes plus index overhead), for the status line and benchmarks. */
size_t store_memory_bytes(const store *s);

#endif
