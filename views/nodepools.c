/* The Node pools pane: one row per NodePool (see docs/panes.md for every column). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "client/store.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "client/permissions.h"
#include "views/commands.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"
#include "views/scope.h"

enum {
    COL_NAMESPACE,
    COL_NAME,
    COL_CLUSTER,
    COL_NODES,
    COL_AUTOSCALING,
    COL_VERSION,
    COL_SKEW,
    COL_UPGRADE,
    COL_DRAIN,
    COL_READY,
    COL_UPDATING_VERSION,
    COL_UPDATING_CONFIG,
    COL_PAUSED,
    COL_STATUS,
    COL_AGE,
    N_COLS
};

/* At 80 columns the identity (namespace, name), the nodes and the reason for the row's symbol
 * (STATUS) stay; the condition columns that STATUS sums up go before them. */
static const view_column columns[N_COLS] = {
    [COL_NAMESPACE] = {"namespace", "NAMESPACE", 9, 24, 0, false},
    [COL_NAME] = {"name", "NAME", 8, 40, 0, false},
    [COL_CLUSTER] = {"cluster", "CLUSTER", 7, 30, 5, false},
    [COL_NODES] = {"nodes", "NODES", 5, 14, 0, true},
    [COL_AUTOSCALING] = {"autoscaling", "AUTOSCALING", 4, 11, 11, false},
    [COL_VERSION] = {"version", "VERSION", 7, 16, 1, false},
    [COL_SKEW] = {"skew", "SKEW", 4, 32, 2, false},
    [COL_UPGRADE] = {"upgrade", "UPGRADE", 7, 7, 10, false},
    [COL_DRAIN] = {"drain", "DRAIN", 5, 8, 9, true},
    [COL_READY] = {"ready", "READY", 5, 7, 4, false},
    [COL_UPDATING_VERSION] = {"updating-version", "UPD-VERSION", 5, 11, 7, false},
    [COL_UPDATING_CONFIG] = {"updating-config", "UPD-CONFIG", 5, 10, 8, false},
    [COL_PAUSED] = {"paused", "PAUSED", 6, 18, 3, false},
    [COL_STATUS] = {"status", "STATUS", 10, 40, 0, false},
    [COL_AGE] = {"age", "AGE", 3, 6, 6, true},
};

static const char *const aliases[] = {"np", "nps", "nodepools", "nodepool", "pools", NULL};

static void *nodepools_create(void)
{
    return rowtab_new(N_COLS);
}

/* "3/3" desired/current, "0/0" scaled to zero, "auto 2–6 (3)" autoscaled. */
static void set_nodes(rowtab *rt, const np_record *np)
{
    long long cur = np->has_status_replicas ? (long long)np->status_replicas : -1;
    if (np->has_autoscaling) {
        long long lo = np->has_autoscaling_min ? (long long)np->autoscaling_min : 0;
        long long hi = np->has_autoscaling_max ? (long long)np->autoscaling_max : 0;
        bool within = cur >= lo && cur <= hi;
        if (cur >= 0)
            rowtab_set(rt, COL_NODES, within ? ROLE_OK : ROLE_WARN, "auto %lld%s%lld (%lld)", lo,
                       fmt_sym_str(SYM_RANGE), hi, cur);
        else
            rowtab_set(rt, COL_NODES, ROLE_WARN, "auto %lld%s%lld (?)", lo, fmt_sym_str(SYM_RANGE), hi);
        rowtab_set_num_key(rt, COL_NODES, cur);
        return;
    }
    if (!np->has_replicas && cur < 0) {
        rowtab_set_text(rt, COL_NODES, ROLE_DIM, "-");
        return;
    }
    long long want = np->has_replicas ? (long long)np->replicas : 0; /* the controller's default is 0 */
    char current[24];
    if (cur >= 0)
        snprintf(current, sizeof current, "%lld", cur);
    else
        snprintf(current, sizeof current, "?");
    view_role role = cur == want ? (want == 0 ? ROLE_DEFAULT : ROLE_OK) : ROLE_WARN;
    rowtab_set(rt, COL_NODES, role, "%lld/%s", want, current);
    rowtab_set_num_key(rt, COL_NODES, want);
}

static void set_autoscaling(rowtab *rt, const np_record *np)
{
    if (!np->has_autoscaling) {
        rowtab_set_text(rt, COL_AUTOSCALING, ROLE_DIM, "-");
        return;
    }
    long long lo = np->has_autoscaling_min ? (long long)np->autoscaling_min : 0;
    long long hi = np->has_autoscaling_max ? (long long)np->autoscaling_max : 0;
    rowtab_set(rt, COL_AUTOSCALING, ROLE_DEFAULT, "%lld%s%lld", lo, fmt_sym_str(SYM_RANGE), hi);
    rowtab_set_num_key(rt, COL_AUTOSCALING, hi);
}

static void set_skew(rowtab *rt, const record *r, const record *hc)
{
    np_skew sk = derive_np_skew(r, hc);
    view_role role;
    switch (sk.kind) {
    case SKEW_SAME: role = ROLE_OK; break;
    case SKEW_BEHIND: role = sk.unsupported ? ROLE_BAD : ROLE_DEFAULT; break;
    case SKEW_AHEAD: role = ROLE_BAD; break;
    case SKEW_UNKNOWN:
    default: role = ROLE_DIM; break;
    }
    if (sk.unsupported)
        role = ROLE_BAD;
    fmt_text_or_dash(rt, COL_SKEW, role, sk.kind == SKEW_UNKNOWN && !sk.words[0] ? "unknown" : sk.words);
    int64_t key = sk.kind == SKEW_AHEAD ? -1000 - sk.minors : sk.kind == SKEW_BEHIND ? sk.minors : 0;
    if (sk.kind != SKEW_UNKNOWN)
        rowtab_set_num_key(rt, COL_SKEW, key);
}

/* Why a pool is paused: its own spec.pausedUntil, its cluster's (which freezes the pool's machines),
 * or the operator still reporting ReconciliationPaused. */
typedef enum pool_pause { POOL_RUNNING, POOL_PAUSED_SELF, POOL_PAUSED_BY_CLUSTER, POOL_PAUSED_REPORTED } pool_pause;

static pool_pause pool_pause_of(const np_record *np, const record *hc, time_t now, pause_info *why)
{
    *why = derive_paused(np->paused_until, now);
    if (pause_is_paused(why))
        return POOL_PAUSED_SELF;
    if (hc) {
        pause_info hp = derive_paused(hc->u.hc.paused_until, now);
        if (pause_is_paused(&hp)) {
            *why = hp;
            return POOL_PAUSED_BY_CLUSTER;
        }
    }
    return fmt_reconciliation_paused(&np->conditions) ? POOL_PAUSED_REPORTED : POOL_RUNNING;
}

/* "⏸ 30m left" for the pool's own pause; "⏸ cluster 3h12m" / "⏸ cluster" (until its field is removed)
 * when its cluster's pause holds it (short: STATUS says the rest). */
static void set_paused(rowtab *rt, const np_record *np, pool_pause pp, const pause_info *why, time_t now)
{
    if (pp != POOL_PAUSED_BY_CLUSTER) {
        fmt_paused_cell(rt, COL_PAUSED, np->paused_until, &np->conditions, now);
        return;
    }
    if (why->state == PAUSE_UNTIL) {
        char left[32];
        age_format(why->seconds_left, left, sizeof left);
        rowtab_set(rt, COL_PAUSED, ROLE_PAUSED, "%s cluster %s", fmt_sym_str(SYM_PAUSED), left);
        rowtab_set_num_key(rt, COL_PAUSED, why->seconds_left);
    } else {
        rowtab_set(rt, COL_PAUSED, ROLE_PAUSED, "%s cluster", fmt_sym_str(SYM_PAUSED));
        rowtab_set_num_key(rt, COL_PAUSED, INT64_MAX);
    }
}

/* The reason for the row's role in words: the failing (or in-progress) condition, or the pause. */
static void set_status(rowtab *rt, view_role row_role, pool_pause pp, const rec_condition *worst)
{
    char words[VIEW_CELL_MAX];
    if (row_role == ROLE_PAUSED) {
        static const char *const why[] = {
            [POOL_RUNNING] = "paused",
            [POOL_PAUSED_SELF] = "paused (spec.pausedUntil)",
            [POOL_PAUSED_BY_CLUSTER] = "paused with its cluster",
            [POOL_PAUSED_REPORTED] = "paused (operator reports it)",
        };
        rowtab_set(rt, COL_STATUS, ROLE_PAUSED, "%s %s", fmt_sym_str(SYM_PAUSED), why[pp]);
    } else if (worst) {
        fmt_condition_words(RES_NODEPOOL, worst, words, sizeof words);
        rowtab_set_text(rt, COL_STATUS, row_role, words);
    } else {
        rowtab_set_text(rt, COL_STATUS, ROLE_DIM, "-");
    }
    fmt_status_key(rt, COL_STATUS, row_role);
}

static void add_pool(rowtab *rt, store *st, const record *r, time_t now)
{
    const np_record *np = &r->u.np;
    const record *hc = store_hc_of_nodepool(st, r);
    pause_info why;
    pool_pause pp = pool_pause_of(np, hc, now, &why);

    /* A pause is not a failure: ReconciliationActive=False/ReconciliationPaused counts as paused. */
    const rec_condition *worst = fmt_worst_condition(RES_NODEPOOL, &np->conditions);
    view_role worst_role = worst ? fmt_condition_role(RES_NODEPOOL, worst) : ROLE_OK;
    view_role row_role = worst_role == ROLE_BAD ? ROLE_BAD
                         : pp != POOL_RUNNING ? ROLE_PAUSED
                         : worst_role == ROLE_WARN ? ROLE_WARN : ROLE_OK;

    view_object o;
    fmt_object(&o, r, r->meta.namespace, np->cluster_name);
    rowtab_add(rt, &o, false, row_role);
    fmt_text_or_dash(rt, COL_NAMESPACE, ROLE_DEFAULT, r->meta.namespace);
    rowtab_set_text(rt, COL_NAME, row_role == ROLE_BAD ? ROLE_BAD : ROLE_ACCENT, r->meta.name);
    fmt_text_or_dash(rt, COL_CLUSTER, hc ? ROLE_DEFAULT : ROLE_WARN, np->cluster_name);
    set_nodes(rt, np);
    set_autoscaling(rt, np);
    fmt_text_or_dash(rt, COL_VERSION, ROLE_DEFAULT, np->version);
    rowtab_set_version_key(rt, COL_VERSION, np->version);
    set_skew(rt, r, hc);
    fmt_text_or_dash(rt, COL_UPGRADE, ROLE_DEFAULT, np->upgrade_type);
    fmt_text_or_dash(rt, COL_DRAIN, ROLE_DEFAULT, np->node_drain_timeout);
    fmt_condition_cell(rt, COL_READY, RES_NODEPOOL, &np->conditions, "Ready");
    fmt_condition_cell(rt, COL_UPDATING_VERSION, RES_NODEPOOL, &np->conditions, "UpdatingVersion");
    fmt_condition_cell(rt, COL_UPDATING_CONFIG, RES_NODEPOOL, &np->conditions, "UpdatingConfig");
    set_paused(rt, np, pp, &why, now);
    set_status(rt, row_role, pp, worst);
    fmt_age_cell(rt, COL_AGE, r->meta.created, now);
}

static bool nodepools_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    if (st) {
        size_t n = 0;
        record **list = scope_nodepools(st, scope, &n);
        for (size_t i = 0; i < n; i++)
            add_pool(rt, st, list[i], now);
        free(list);
    }
    return rowtab_end(rt);
}

static const char *const scale_aliases[] = {"scale", NULL};
static const char *const np_upgrade_aliases[] = {"upgrade", "upgrade-pool", NULL};
static const view_command commands[] = {
    {"nodepool.scale", scale_aliases, VIEW_CMD_NEEDS_ROW | VIEW_CMD_MUTATING,
     "Scale to COUNT, or back to the count it had before a scale to zero (a DRAIN-TIMEOUT first; a: autoscaling off)",
     cmd_nodepool_scale, {{"COUNT|back", false}, {"DRAIN-TIMEOUT", true}}, VIEW_OPT_NO_AUTOSCALE,
     PERM_PATCH_NODEPOOLS | PERM_UPDATE_NODEPOOLS_SCALE},
    {"nodepool.upgrade", np_upgrade_aliases, VIEW_CMD_NEEDS_ROW | VIEW_CMD_MUTATING,
     "Upgrade the pool to its control plane's release, or to a VERSION or IMAGE (a DRAIN-TIMEOUT with it)",
     cmd_nodepool_upgrade, {{"VERSION|IMAGE", true}, {"DRAIN-TIMEOUT", true}}, 0, PERM_PATCH_NODEPOOLS},
};

const view_ops view_nodepools_ops = {
    .name = "nodepools",
    .title = "Node pools",
    .aliases = aliases,
    .help = "Every NodePool: replicas, autoscaling, version skew against its cluster, rollout, pause",
    .empty_text = "No node pools",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_PANE,
    .depends = VIEW_DEP_NODEPOOLS | VIEW_DEP_HOSTEDCLUSTERS,
    .default_sort = -1,
    .create = nodepools_create,
    .refresh = nodepools_refresh,
    .commands = commands,
    .n_commands = sizeof commands / sizeof commands[0],
    ROWTAB_QUERY_OPS,
};
