/* Derived facts: pure functions from records (and a `now` given by the caller) to what the panes show.
 * No I/O, no clock reads, no store access: every rule is unit-tested with a fixed `now`.
 *
 * Result structs hold fixed-size `words` (the short text a row shows) and may point into the records
 * they were derived from (valid as long as those records are). See docs/store.md for the rules. */
#ifndef HCP_CLIENT_DERIVE_H
#define HCP_CLIENT_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "client/records.h"
#include "client/version.h" /* ocp_version, version_parse, version_compare, version_order */

/* ---- control-plane namespace -------------------------------------------------------------------- */

#define CP_NAMESPACE_MAX 320
/* "<ns>-<name with '.' → '-'>" into out. False when it does not fit or an input is NULL/empty. */
bool control_plane_namespace(const char *ns, const char *name, char *out, size_t outlen);

/* ---- conditions --------------------------------------------------------------------------------- */

typedef enum cond_polarity {
    POLARITY_UNKNOWN = 0, /* a type this console does not know: show, do not judge */
    POLARITY_GOOD_TRUE,   /* Available, ReconciliationActive, Ready, ... */
    POLARITY_GOOD_FALSE,  /* Degraded, Progressing, UpdatingVersion, ... */
    POLARITY_INFO         /* AutoscalingEnabled, AutorepairEnabled, ...: either value is fine */
} cond_polarity;

/* The healthy value of a condition type for HostedCluster or NodePool (from the fact sheet). */
cond_polarity derive_condition_polarity(res_kind kind, const char *type);
/* True when the condition holds its unhealthy value (Unknown is not "bad"). */
bool derive_condition_bad(res_kind kind, const rec_condition *c);

/* ---- pausedUntil -------------------------------------------------------------------------------- */

typedef enum pause_state {
    PAUSE_NONE,       /* unset, empty, or a ParseBool false */
    PAUSE_INDEFINITE, /* a ParseBool true: paused until the field is removed */
    PAUSE_UNTIL,      /* an RFC 3339 time in the future */
    PAUSE_EXPIRED,    /* an RFC 3339 time in the past: not paused any more */
    PAUSE_INVALID     /* anything else: the operator treats it as not paused */
} pause_state;

typedef struct pause_info {
    pause_state state;
    time_t until;         /* PAUSE_UNTIL / PAUSE_EXPIRED */
    int64_t seconds_left; /* PAUSE_UNTIL; 0 otherwise */
    char words[96];       /* "paused until 2026-07-04 02:00 CEST (3h12m left)", local time */
} pause_info;

pause_info derive_paused(const char *paused_until, time_t now);
/* PAUSE_INDEFINITE or PAUSE_UNTIL. */
bool pause_is_paused(const pause_info *p);

/* ---- etcd --------------------------------------------------------------------------------------- */

typedef struct etcd_member {
    bool healthy;       /* phase Running, not being deleted, Ready True (else the etcd container ready) */
    bool crashlooping;  /* a container waiting in CrashLoopBackOff/Error, or waiting with restarts */
    int64_t restarts;   /* sum of container restart counts */
    time_t last_restart; /* newest lastState.terminated.finishedAt; REC_TIME_UNKNOWN if none */
    const char *reason; /* the waiting/terminated reason that explains an unhealthy member, or NULL */
    char words[96];     /* "Running", "CrashLoopBackOff (12 restarts)", "Pending", "Terminating" */
} etcd_member;

etcd_member derive_etcd_member(const record *pod);

typedef enum quorum_state {
    QUORUM_UNKNOWN,  /* nothing to go on */
    QUORUM_HEALTHY,  /* every expected member healthy */
    QUORUM_DEGRADED, /* held, with more than one failure to spare */
    QUORUM_AT_RISK,  /* held, one failure from loss */
    QUORUM_LOST
} quorum_state;

typedef struct etcd_quorum {
    quorum_state state;
    int expected; /* 3 HighlyAvailable / 1 SingleReplica from the HC, else the pods seen */
    int seen;
    int healthy;
    int majority; /* expected/2 + 1 */
    int crashlooping;
    const char *crashloop_member; /* name of the first crash-looping pod, or NULL */
    int64_t restarts;             /* sum over members */
    time_t last_restart;
    char words[96]; /* "3/3 healthy", "1/1 healthy: a single member, no fault tolerance",
                     * "2/3 healthy: quorum held, one failure from loss", "1/3 healthy: QUORUM LOST" */
} etcd_quorum;

/* hc may be NULL (expected then comes from the pods seen). pods are the control plane's etcd pods. */
etcd_quorum derive_etcd_quorum(const record *hc, record *const *pods, size_t n_pods);

/* ---- upgrades ----------------------------------------------------------------------------------- */

typedef struct upgrade_info {
    const char *current;    /* newest Completed status.version.history entry (the CRD's Version column) */
    const char *cp_current; /* same for status.controlPlaneVersion */
    const char *desired;    /* status.version.desired.version */
    const char *progress;   /* history[0].state: "Completed" / "Partial" (the Progress column) */
    bool in_progress;       /* history[0].state == "Partial" */
    const char *target;     /* history[0].version while in progress */
    int percent;            /* from ClusterVersionProgressing "n of m done (p% complete)"; -1 unknown */
    int64_t done;           /* n, or -1 */
    int64_t total;          /* m, or -1 */
    time_t started;         /* history[0].startedTime while in progress */
    int64_t elapsed_seconds; /* now - started, or -1 */
    bool blocked;            /* Progressing False with reason Blocked */
    char blocked_by[64];     /* the gate condition named in the message ("ClusterVersionUpgradeable"), or "" */
    const char *blocked_message; /* Progressing's message */
    char words[128]; /* "4.19.3 → 4.19.5 56% (512 of 905)", "4.19.3 → 4.19.5 running 12m", "blocked: ..." */
} upgrade_info;

upgrade_info derive_upgrade(const record *hc, time_t now);

/* ---- overall health ----------------------------------------------------------------------------- */

typedef enum health_level { HEALTH_UNKNOWN, HEALTH_OK, HEALTH_WARNING, HEALTH_FAILING } health_level;

typedef struct hc_health {
    health_level level;
    char words[128]; /* the reason a row shows: "Available=False: WaitingForAvailable", "paused (3h12m left)" */
} hc_health;

/* quorum may be NULL (etcd not considered). */
hc_health derive_hc_health(const record *hc, const etcd_quorum *quorum, time_t now);
/* "OK", "WARNING", "FAILING", "UNKNOWN". */
const char *health_level_name(health_level level);

/* ---- node pool skew ----------------------------------------------------------------------------- */

typedef enum skew_kind { SKEW_UNKNOWN, SKEW_SAME, SKEW_BEHIND, SKEW_AHEAD } skew_kind;

typedef struct np_skew {
    skew_kind kind;
    int minors;       /* how far behind (SKEW_BEHIND) or ahead (SKEW_AHEAD) */
    bool unsupported; /* ahead at all, or behind by more than 3 minors */
    char words[64];   /* "same", "1 minor behind", "5 minors behind: unsupported", "ahead: not allowed" */
} np_skew;

/* Pool status.version against the HC's newest completed version (status.version history). */
np_skew derive_np_skew(const record *np, const record *hc);

/* ---- supported versions ------------------------------------------------------------------------- */

typedef enum support_state {
    SUPPORT_UNKNOWN, /* no ConfigMap, or an unparsable version */
    SUPPORT_OK,      /* the major.minor is listed */
    SUPPORT_TOO_NEW, /* above the newest listed */
    SUPPORT_TOO_OLD, /* below the oldest listed */
    SUPPORT_UNLISTED /* within the range but not listed */
} support_state;

/* Is version ("4.19.3") within the operator's supported-versions (an sv_record)? words optional. */
support_state derive_supported(const record *sv, const char *version, char *words, size_t wordslen);

#endif
