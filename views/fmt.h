/* Formatting shared by the views: symbols (UTF-8 or ASCII), condition words and roles, ages, pause
 * state, scope tests. Private to views/. */
#ifndef HCP_VIEWS_FMT_H
#define HCP_VIEWS_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "client/derive.h"
#include "client/records.h"
#include "client/store.h"
#include "views/rows.h"
#include "views/view.h"

typedef enum fmt_sym { SYM_PAUSED, SYM_ARROW, SYM_RANGE, SYM_DASH, SYM_COUNT } fmt_sym;
/* "⏸" "→" "–" "—", or "||" "->" "-" "--" in ASCII mode. */
const char *fmt_sym_str(fmt_sym s);

/* ReconciliationActive=False with reason ReconciliationPaused: the operator reports a pause. */
bool fmt_reconciliation_paused(const rec_conditions *conds);

/* The role of a condition's status given its polarity for the kind; ROLE_PAUSED for a pause. Progress-like conditions
 * (Progressing, Updating*) that are True are in progress (WARN), not failing. */
view_role fmt_condition_role(res_kind kind, const rec_condition *c);
/* Sets a cell to the status word of condition `type` ("True"/"False"/"Unknown", "-" when absent)
 * with its role; Progressing=False/Blocked reads "False (Blocked)", or "False (paused)" for a pause. */
void fmt_condition_cell(rowtab *rt, size_t col, res_kind kind, const rec_conditions *conds, const char *type);

/* "45s", "3h12m", "5d" since t; "-" when t is unknown. Key: the age in seconds (unknown: -1). */
void fmt_age_cell(rowtab *rt, size_t col, time_t t, time_t now);

/* The paused column: "⏸ 3h12m left", "⏸ until removed", "expired", "invalid value", "-"; and "⏸ paused"
 * when the spec no longer says so but ReconciliationActive still reports ReconciliationPaused (the
 * operator has not caught up yet). conds may be NULL. */
void fmt_paused_cell(rowtab *rt, size_t col, const char *paused_until, const rec_conditions *conds, time_t now);

/* The condition that explains a row's role: the first (in the API's order) holding its bad value,
 * else the first in progress or unknown (ROLE_WARN); NULL when every condition is fine. Pauses are
 * not chosen (the pause column and role say them). */
const rec_condition *fmt_worst_condition(res_kind kind, const rec_conditions *conds);
/* A condition in words for a STATUS column: "ValidReleaseImage=False: ValidationFailed",
 * "Degraded: EtcdQuorumLost" (a good-when-False type that is True needs no "=True"); the message
 * stands in for a missing or uninformative ("AsExpected") reason. */
void fmt_condition_words(res_kind kind, const rec_condition *c, char *out, size_t outlen);

/* A string or "-" (dim) when NULL or empty. */
void fmt_text_or_dash(rowtab *rt, size_t col, view_role role, const char *s);

/* Does an object of hosted-cluster namespace ns and cluster name pass the scope? */
bool fmt_scope_allows(const view_scope *scope, const char *ns, const char *cluster_name);

/* The version a cluster's spec asks for (spec.controlPlaneRelease.image, else spec.release.image), read
 * from the image tag into out; NULL when the image names no version (a digest). */
const char *fmt_requested_version(const hc_record *hc, char *out, size_t outlen);

/* Sorts a STATUS cell worst first in ascending order: failing, warning, paused, unknown, healthy. */
void fmt_status_key(rowtab *rt, size_t col, view_role row_role);

/* The row role for derive's health level. */
view_role fmt_health_role(health_level level);
/* A hosted cluster's health with its etcd quorum (from the store's etcd pods; unknown until they
 * were listed once), as the clusters pane, cluster.why and the watch say it. */
hc_health fmt_cluster_health(store *st, const record *r, time_t now, etcd_quorum *q);

/* The kind of a detail view's target when the store keeps its details (HostedCluster, NodePool, Pod); false otherwise. */
bool fmt_target_kind(const view_scope *scope, res_kind *out);
/* The target's record in the store for a detail view that is building rt, or NULL; when the store is
 * there but the target is not, sets rt's note to "HostedCluster clusters/prod1 was deleted" (the view's empty state). */
record *fmt_detail_target(rowtab *rt, struct store *st, const view_scope *scope);

/* A UTC time as "2026-05-02 10:11:40", "-" when unknown. */
void fmt_time_cell(rowtab *rt, size_t col, time_t t);

/* A private copy of a store slice (NULL when n is 0): later lookups may rebuild the store's indexes
 * that the slice points into. Free it with free(). */
record **fmt_copy_slice(record *const *slice, size_t n);

/* Record identity into a view_object. */
void fmt_object(view_object *o, const record *r, const char *cluster_ns, const char *cluster_name);

#endif
