/* The console's one entry point into client/: opens the transport for a kube_target, runs one
 * informer (list + watch, or polling) per watched kind into a store, focuses one object (its raw JSON
 * for the YAML view and its Events), and reports per-kind freshness and request counters.
 *
 * One thread: everything happens inside client_poll(), which the UI loop calls with standard input
 * as the extra descriptor and a timeout no longer than client_next_timeout_ms(). */
#ifndef HCP_CLIENT_CLIENT_H
#define HCP_CLIENT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "client/informer.h"
#include "client/kubeconfig.h"
#include "client/records.h"
#include "client/store.h"
#include "client/task.h"
#include "client/transport.h"

typedef struct client client;

typedef struct client_options {
    kube_target *target;        /* borrowed for the client's lifetime; credentials refreshes update it */
    bool read_only;             /* --read-only: enforced by the transport */
    const char *namespace;      /* NULL or "": all namespaces (the default); else HCs/NPs of that one */
    int refresh_seconds;        /* 0: watch; N > 0: list every N seconds instead (--refresh N) */
    int watch_timeout_seconds;  /* 0: 300 (jittered up to +20%) */
    unsigned kinds;             /* bit mask of (1u << res_kind) to watch; 0: all but RES_EVENT */
    const char *operator_namespace; /* where supported-versions lives; NULL: "hypershift" */
    const char *version;        /* for the User-Agent; NULL: "dev" */
    uint64_t seed;              /* jitter seed; 0: from time and pid */
} client_options;

/* Builds the client; no request is sent yet. NULL with a one-line message in err on failure
 * (credentials that cannot be obtained, curl that cannot be set up). An exec plugin runs here to the
 * end (blocking) the first time; later refreshes run in the background from client_poll(). */
client *client_open(const client_options *o, char *err, size_t errlen);
/* Starts the informers (first lists go out on the next client_poll). */
void client_start(client *c);
/* Cancels everything and frees; NULL is fine. */
void client_close(client *c);

/* See transport_poll(); also steps every client task (client/task.h) before and after the wait: the
 * credential renewal (a running exec plugin's output is waited on with the network and extra_fd, so a
 * slow plugin never holds the call past timeout_ms; requests wait, transport_hold, until it has
 * answered), the informers' timers (re-watch, backoff, polling), the focus fetch, and added tasks. */
int client_poll(client *c, int extra_fd, int timeout_ms, bool *fd_ready);
/* Milliseconds until the client needs client_poll() by itself (the transport's and every task's
 * nearest timeout, at most an hour); -1: only network wakes it. */
int client_next_timeout_ms(const client *c);

/* Adds a job to client_poll: its step runs before and after every wait (until it returns false),
 * its descriptors join the wait (up to TRANSPORT_POLL_FDS_MAX with the caller's), its timeout
 * bounds it, and its free runs when it ends, is removed, or at client_close (before the transport
 * goes: a task may cancel its requests there). ops is borrowed; self is the task's own state. */
void client_task_add(client *c, const client_task_ops *ops, void *self);
/* Ends a task now (its free runs); false when self is no task of c. Safe from inside a step. */
bool client_task_remove(client *c, void *self);
/* The state of c's live task run by ops, or NULL (for a job the client has one of: the executor). */
void *client_task_find(client *c, const client_task_ops *ops);

/* Runs the loop until every started informer finished its first list or failed (for --once).
 * 0 when all lists succeeded; -1 with a one-line message (the first failure, or "timed out") in err. */
int client_wait_initial(client *c, int timeout_ms, char *err, size_t errlen);
/* Same, but only the kinds in `required` (bit mask of 1u << res_kind) decide success: a pane that does
 * not need the supported-versions ConfigMap still prints when that one is forbidden. The wait still
 * covers every started informer (or the timeout). */
int client_wait_initial_for(client *c, unsigned required, int timeout_ms, char *err, size_t errlen);

store *client_store(client *c);
transport *client_transport(client *c);  /* for counters and for actions (transport_submit) */
bool client_read_only(const client *c);

/* ---- freshness per kind (freshness_state and client_freshness are in client/informer.h) ------- */

/* False when kind is out of range. */
bool client_freshness_get(const client *c, res_kind kind, client_freshness *out);
/* "live", "loading", "stale 40s, connection refused, retrying in 8s", "forbidden", "error: ..."
 * (now_ms monotonic). */
void client_freshness_text(const client_freshness *f, int64_t now_ms, char *out, size_t outlen);
const char *freshness_state_name(freshness_state s);

/* ---- the object in focus ------------------------------------------------------------------------- */

/* GETs kind/ns/name (raw JSON into the store's focus slot, see store_focus_json) and lists + watches
 * its Events into RES_EVENT (replacing the previous focus). 0, or -1 when kind has no API path. */
int client_focus(client *c, res_kind kind, const char *ns, const char *name);
/* Drops the focus: stops the Events watch, clears RES_EVENT and the focus slot. */
void client_unfocus(client *c);
/* Why the focused object could not be fetched (words), or NULL. */
const char *client_focus_error(const client *c);

/* The API path of a kind's collection (namespace NULL: all namespaces), e.g.
 * "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters"; and of one object.
 * Written into out; false when it does not fit or the kind is out of range. */
bool client_collection_path(res_kind kind, const char *ns, char *out, size_t outlen);
bool client_object_path(res_kind kind, const char *ns, const char *name, char *out, size_t outlen);

#endif
