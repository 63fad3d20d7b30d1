/* A row's derived facts as data, for `hcptui --once -o json|yaml` and `--check`: the same derive.h
 * rules the panes show as words, kept as fields (health and why, etcd quorum, node pool skew, pause
 * and until when, upgrade state and progress, supported range). Pure over the store and `now`.
 * The field names are an interface: docs/once.md lists them, tests/unit/test_tui_once.c pins them. */
#ifndef HCP_VIEWS_FACTS_H
#define HCP_VIEWS_FACTS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <time.h>

#include "client/derive.h"
#include "views/view.h"

struct store;

/* The monitoring plugins' levels (Nagios): the exit status of `--check` is the enum value. */
typedef enum check_level { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 } check_level;

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *check_level_name(check_level level);

typedef struct cluster_facts {
    const record *hc;
    hc_health health;
    etcd_quorum quorum;
    bool quorum_known;        /* the etcd pods were listed and etcd is managed */
    pause_info pause;
    upgrade_info upgrade;
    support_state supported;
    char supported_words[96];
    np_skew worst_skew;       /* the pool furthest from its control plane (SKEW_UNKNOWN when none) */
    const char *worst_skew_pool;
    check_level check;        /* see facts_cluster(): what `--check` counts */
    char check_why[VIEW_CELL_MAX];      /* "Degraded: UnavailableReplicas: ..." ("" when OK) */
} cluster_facts;

/* Every fact of one HostedCluster. st is the store it came from (node pools, etcd pods, the
 * supported-versions ConfigMap are looked up there). The check level:
 *   CRITICAL  Available=False, Degraded=True, EtcdAvailable=False, etcd quorum lost
 *   WARNING   an upgrade blocked by a gate, etcd one failure from loss (or degraded), a node pool
 *             with an unsupported skew (ahead, or more than 3 minors behind), Available unknown
 *   OK        anything else: a pause is the operator's choice, not an alert */
void facts_cluster(struct store *st, const record *hc, time_t now, cluster_facts *out);

/* The facts of the object a row stands for, as a JSON object ("facts" of docs/once.md): a
 * HostedCluster's own, a NodePool's skew and pause with its cluster's health, an etcd pod's member
 * state with its control plane's quorum. NULL when the row's object is not in the store. */
cJSON *facts_json(struct store *st, const view_object *o, time_t now);

/* A HostedCluster's facts as JSON (the "facts" object of a clusters or updates row). */
cJSON *facts_cluster_json(const cluster_facts *f);

#endif
