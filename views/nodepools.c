/* The Node pools pane: one row per NodePool (see docs/panes.md for every column). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "client/store.h"
#include "common/buf.h"
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
    COL_AGE,
    N_COLS
};

static const view_column columns[N_COLS] = {
    [COL_NAMESPACE] = {"namespace", "NAMESPACE", 9, 24, 6, false},
    [COL_NAME] = {"name", "NAME", 8, 40, 0, false},
    [COL_CLUSTER] = {"cluster", "CLUSTER", 7, 30, 5, false},
    [COL_NODES] = {"nodes", "NODES", 5, 14, 0, true},
    [COL_AUTOSCALING] = {"autoscaling", "AUTOSCALING", 4, 11, 8, false},
    [COL_VERSION] = {"version", "VERSION", 7, 16, 0, false},
    [COL_SKEW] = {"skew", "SKEW", 4, 32, 1, false},
    [COL_UPGRADE] = {"upgrade", "UPGRADE", 7, 7, 9, false},
    [COL_DRAIN] = {"drain", "DRAIN", 5, 8, 10, true},
    [COL_READY] = {"ready", "READY", 5, 7, 0, false},
    [COL_UPDATING_VERSION] = {"updating-version", "UPD-VERSION", 5, 11, 3, false},
    [COL_UPDATING_CONFIG] = {"updating-config", "UPD-CONFIG", 5, 10, 4, false},
    [COL_PAUSED] = {"paused", "PAUSED", 6, 18, 2, false},
    [COL_AGE] = {"age", "AGE", 3, 6, 7, true},
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

static void add_pool(rowtab *rt, store *st, const record *r, time_t now)
{
    const np_record *np = &r->u.np;
    const record *hc = store_hc_of_nodepool(st, r);
    pause_info pause = derive_paused(np->paused_until, now);

    bool bad = false, warn = false;
    for (size_t i = 0; i < np->conditions.n; i++) {
        view_role role = fmt_condition_role(RES_NODEPOOL, &np->conditions.items[i]);
        bad |= role == ROLE_BAD;
        warn |= role == ROLE_WARN;
    }
    view_role row_role = bad ? ROLE_BAD : pause_is_paused(&pause) ? ROLE_PAUSED : warn ? ROLE_WARN : ROLE_OK;

    view_object o;
    fmt_object(&o, r, r->meta.namespace, np->cluster_name);
    rowtab_add(rt, &o, false, row_role);
    fmt_text_or_dash(rt, COL_NAMESPACE, ROLE_DEFAULT, r->meta.namespace);
    rowtab_set_text(rt, COL_NAME, ROLE_ACCENT, r->meta.name);
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
    fmt_paused_cell(rt, COL_PAUSED, np->paused_until, &np->conditions, now);
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
    ROWTAB_QUERY_OPS,
};
