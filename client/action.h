/* Actions are data: a pure builder turns the store's records and the user's choices into the exact
 * HTTP calls an operation sends (method, path, content type, body), the equivalent `oc` command
 * lines, and what the confirmation must say (warnings, refusals, the name to type). Nothing here
 * sends anything: the executor does, after the user confirmed what is shown. Every builder follows
 * the documented HyperShift procedure (docs/operations.md) and is tested call by call.
 *
 * Lost updates: a merge patch carries metadata.resourceVersion (a 409 when the object changed
 * since the store saw it); a call that follows another on the same object takes the
 * resourceVersion of the previous call's answer (rv_from_previous); a JSON patch tests the value
 * it replaces. */
#ifndef HCP_CLIENT_ACTION_H
#define HCP_CLIENT_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "client/records.h"
#include "common/buf.h"

#define ACTION_MAX_CALLS 256

#define CT_MERGE_PATCH "application/merge-patch+json"
#define CT_JSON_PATCH "application/json-patch+json"
#define CT_JSON "application/json"

/* The annotation of this project's own that keeps a pool's replica count while it is scaled to
 * zero, on the NodePool itself, so another SRE on another machine can scale it back. */
#define ANNOTATION_PREVIOUS_REPLICAS "hcptui.io/replicas-before-scale-to-zero"
#define ANNOTATION_FORCE_UPGRADE "hypershift.openshift.io/force-upgrade-to"

typedef struct action_call {
    const char *method;       /* "PATCH", "PUT", "DELETE" */
    char *path;               /* the API path, without query */
    const char *content_type; /* NULL: no body */
    char *body;               /* JSON text, NULL when none */
    char *summary;            /* one line: what the call changes, in words */
    res_kind kind;            /* the object it changes (to reload it after a 409) */
    char *ns, *name;
    /* The body's metadata.resourceVersion is a placeholder for the resourceVersion the previous
     * call's answer carried (the same object, changed by that call). */
    bool rv_from_previous;
    /* The server can judge it only after the calls before it are applied (a scale after autoscaling
     * was turned off): its dry run is left out, and it is checked when sent. */
    bool needs_previous;
} action_call;

typedef struct action {
    char *title;         /* "Pause reconciliation of clusters/prod-east" */
    action_call *calls;
    size_t n_calls;
    buf oc;              /* the equivalent oc command lines, '\n'-separated */
    buf notes;           /* what the dialog says besides the calls, one line each */
    char *confirm_name;  /* non-NULL: a costly mistake: the user types this name to confirm */
} action;

void action_free(action *a); /* the contents; NULL is fine */

/* ---- building blocks (action.c) ---------------------------------------------------------------- */

/* Adds a call (strings copied); returns it, NULL when the action is full. */
action_call *action_add_call(action *a, const char *method, res_kind kind, const char *ns, const char *name,
                             const char *subresource, const char *content_type, const char *body,
                             const char *summary);
/* A word quoted for a POSIX shell ('...' with ' as '\''), appended to out. */
void action_shell_quote(buf *out, const char *s);
/* One oc command line: "oc" then the words, each quoted when it needs it. */
void action_oc(action *a, const char *const *words, size_t n);
/* A note for the dialog (printf-like). */
void action_note(action *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the operations (action_hc.c, action_np.c, action_etcd.c) ---------------------------------- */

/* pausedUntil from what the user typed: "" or "true" (until removed), a duration ("2h", "90m")
 * from now, or an RFC 3339 time in the future. The value for the body goes to out ("true" or
 * "2026-12-24T08:00:00Z"). -1 with a message for anything else or a time not in the future. */
int action_paused_until(const char *typed, time_t now, char *out, size_t outlen, char *err, size_t errlen);

/* Pause (until is the typed text, see above) or resume the clusters' reconciliation, and with
 * pools non-NULL their node pools in the same action. 0, or -1 with a message. */
int action_pause(action *a, record *const *clusters, size_t n_clusters, record *const *pools, size_t n_pools,
                 const char *until, time_t now, char *err, size_t errlen);
int action_resume(action *a, record *const *clusters, size_t n_clusters, record *const *pools, size_t n_pools,
                  char *err, size_t errlen);

typedef struct scale_choice {
    int64_t replicas;         /* the count to set (see back) */
    bool back;                /* the count remembered in ANNOTATION_PREVIOUS_REPLICAS */
    const char *drain_timeout; /* NULL: leave it; "0s": drain without limit; a duration */
    bool disable_autoscaling; /* an autoscaled pool: turn autoscaling off first (a call of its own) */
} scale_choice;

/* Scale node pools. To zero, the count each had is remembered on the pool first; an autoscaled
 * pool is refused unless disable_autoscaling. 0, or -1 with a message. */
int action_scale(action *a, record *const *pools, size_t n_pools, const scale_choice *choice, char *err,
                 size_t errlen);

typedef struct upgrade_choice {
    const char *target; /* a version ("4.17.9") or a release image */
    bool force;         /* send hypershift.openshift.io/force-upgrade-to */
} upgrade_choice;

/* Upgrade a control plane: the target from availableUpdates / conditionalUpdates (a version) or as
 * given (an image); warnings for a target outside the operator's supported versions (sv may be
 * NULL), a downgrade, a jump of more than one minor, a conditional update's risks; whether the
 * upgrade is blocked and whether forcing changes that. 0, or -1 with a message. */
int action_upgrade(action *a, const record *hc, const record *sv, const upgrade_choice *choice, char *err,
                   size_t errlen);
/* Upgrade a node pool to the image (a version is looked up in its cluster's history and updates);
 * refused when its minor is newer than the control plane's. drain_timeout may be NULL. */
int action_upgrade_pool(action *a, const record *np, const record *hc, const char *target, const char *drain_timeout,
                        char *err, size_t errlen);
/* Set the update channel: stable-, fast-, candidate- or eus- (even minors only) of the cluster's
 * minor. 0, or -1 with a message. */
int action_channel(action *a, const record *hc, const char *channel, char *err, size_t errlen);
/* Recover a failed etcd member: delete its PVC, then its pod, without waiting; refused when the
 * member is healthy or the others do not hold quorum without it. pods are the control plane's
 * etcd pods, hc its HostedCluster (may be NULL). The user types the member's name. */
int action_recover_etcd(action *a, const record *member, record *const *pods, size_t n_pods, const record *hc,
                        char *err, size_t errlen);

#endif
