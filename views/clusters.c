/* The Hosted clusters pane: one row per HostedCluster (see docs/panes.md for every column). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

#include "client/derive.h"
#include "client/store.h"
#include "views/catalog.h"
#include "client/permissions.h"
#include "views/commands.h"
#include "views/fmt.h"
#include "views/rows.h"
#include "views/scope.h"

enum {
    COL_NAMESPACE,
    COL_NAME,
    COL_VERSION,
    COL_DESIRED,
    COL_AVAILABLE,
    COL_PROGRESSING,
    COL_DEGRADED,
    COL_PAUSED,
    COL_POLICY,
    COL_PLATFORM,
    COL_NODES,
    COL_ETCD,
    COL_STATUS,
    COL_AGE,
    N_COLS
};

/* At 80 columns the identity (namespace, name), the versions and the reason for the row's symbol
 * (STATUS) stay; the progress bar gives way to the percentage (DESIRED's minimum fits
 * "4.19.5 Partial 56%"), and the condition and etcd columns that STATUS sums up drop first. */
static const view_column columns[N_COLS] = {
    [COL_NAMESPACE] = {"namespace", "NAMESPACE", 9, 24, 0, false},
    [COL_NAME] = {"name", "NAME", 8, 40, 0, false},
    [COL_VERSION] = {"version", "VERSION", 7, 16, 0, false},
    [COL_DESIRED] = {"desired", "DESIRED/PROGRESS", 18, 26, 0, false},
    [COL_AVAILABLE] = {"available", "AVAIL", 5, 9, 4, false},
    [COL_PROGRESSING] = {"progressing", "PROGRESSING", 5, 15, 9, false},
    [COL_DEGRADED] = {"degraded", "DEGRADED", 5, 9, 3, false},
    [COL_PAUSED] = {"paused", "PAUSED", 6, 18, 2, false},
    [COL_POLICY] = {"policy", "POLICY", 6, 6, 8, false},
    [COL_PLATFORM] = {"platform", "PLATFORM", 4, 10, 6, false},
    [COL_NODES] = {"nodes", "NODES", 5, 9, 5, true},
    [COL_ETCD] = {"etcd", "ETCD", 4, 9, 1, false},
    [COL_STATUS] = {"status", "STATUS", 14, 48, 0, false},
    [COL_AGE] = {"age", "AGE", 3, 6, 7, true},
};

static const char *const aliases[] = {"hc", "hcs", "hostedclusters", "hostedcluster", "clusters", NULL};

static void *clusters_create(void)
{
    return rowtab_new(N_COLS);
}

/* Ready and total nodes over a cluster's pools: ready from nodesInfo when reported (else the pool's
 * available replicas), total from spec.replicas (else what the pool reports, for autoscaled pools). */
static void node_totals(record *const *pools, size_t n, int64_t *ready, int64_t *total)
{
    *ready = *total = 0;
    for (size_t i = 0; i < n; i++) {
        const np_record *np = &pools[i]->u.np;
        int64_t r = 0, unready = 0;
        if (np->n_node_versions) {
            for (size_t k = 0; k < np->n_node_versions; k++) {
                r += np->node_versions[k].ready;
                unready += np->node_versions[k].unready;
            }
        } else if (np->has_status_replicas) {
            r = np->status_replicas;
        }
        *ready += r;
        *total += np->has_replicas ? np->replicas : r + unready;
    }
}

/* The desired version and the upgrade's state. While a rollout runs: "4.19.5 Partial 56%" with a bar.
 * When an upgrade gate holds the release that spec.release.image asks for: "4.20.1 blocked". When the
 * spec asks for a release the status does not show yet: "4.20.1 pending". Else "4.19.3 Completed". */
static void set_desired(rowtab *rt, const hc_record *hc, const upgrade_info *up)
{
    char buf_requested[64];
    const char *requested = fmt_requested_version(hc, buf_requested, sizeof buf_requested);
    bool has_requested = requested != NULL;
    bool upgrade_gate = up->blocked && strcmp(up->blocked_by, "ReconciliationActive") != 0; /* not a pause */
    const char *desired = up->in_progress && up->target ? up->target : up->desired;
    if (up->in_progress) {
        if (up->percent >= 0) {
            rowtab_set(rt, COL_DESIRED, ROLE_WARN, "%s Partial %d%%", desired, up->percent);
            rowtab_set_pct(rt, COL_DESIRED, up->percent);
        } else {
            rowtab_set(rt, COL_DESIRED, ROLE_WARN, "%s Partial", desired);
        }
    } else if (upgrade_gate && has_requested && (!up->current || version_order(requested, up->current) != 0)) {
        desired = requested;
        rowtab_set(rt, COL_DESIRED, ROLE_BAD, "%s blocked", desired);
    } else if (upgrade_gate && desired && (!up->current || strcmp(desired, up->current) != 0)) {
        rowtab_set(rt, COL_DESIRED, ROLE_BAD, "%s blocked", desired);
    } else if (has_requested && desired && version_order(requested, desired) != 0 &&
               (!up->current || version_order(requested, up->current) != 0)) {
        desired = requested;
        rowtab_set(rt, COL_DESIRED, ROLE_WARN, "%s pending", desired);
    } else if (!desired || !*desired) {
        rowtab_set_text(rt, COL_DESIRED, ROLE_DIM, "-");
        return;
    } else if (up->progress && *up->progress) {
        bool done = strcmp(up->progress, "Completed") == 0;
        rowtab_set(rt, COL_DESIRED, done ? ROLE_OK : ROLE_DEFAULT, "%s %s", desired, up->progress);
    } else {
        rowtab_set_text(rt, COL_DESIRED, ROLE_DEFAULT, desired);
    }
    rowtab_set_version_key(rt, COL_DESIRED, desired);
}

static void set_policy(rowtab *rt, const char *policy)
{
    if (policy && strcmp(policy, "HighlyAvailable") == 0)
        rowtab_set_text(rt, COL_POLICY, ROLE_DEFAULT, "HA");
    else if (policy && strcmp(policy, "SingleReplica") == 0)
        rowtab_set_text(rt, COL_POLICY, ROLE_DEFAULT, "Single");
    else
        fmt_text_or_dash(rt, COL_POLICY, ROLE_DEFAULT, policy);
}

/* "3/3" healthy, "2/3 !" one failure from loss, "1/3 LOST"; "external" for unmanaged etcd. */
static void set_etcd(rowtab *rt, const hc_record *hc, const etcd_quorum *q)
{
    if (hc->etcd_management && strcmp(hc->etcd_management, "Unmanaged") == 0) {
        rowtab_set_text(rt, COL_ETCD, ROLE_DIM, "external");
        return;
    }
    switch (q->state) {
    case QUORUM_HEALTHY:
        rowtab_set(rt, COL_ETCD, ROLE_OK, "%d/%d", q->healthy, q->expected);
        break;
    case QUORUM_DEGRADED:
        rowtab_set(rt, COL_ETCD, ROLE_WARN, "%d/%d", q->healthy, q->expected);
        break;
    case QUORUM_AT_RISK:
        rowtab_set(rt, COL_ETCD, ROLE_WARN, "%d/%d !", q->healthy, q->expected);
        break;
    case QUORUM_LOST:
        rowtab_set(rt, COL_ETCD, ROLE_BAD, "%d/%d LOST", q->healthy, q->expected);
        break;
    case QUORUM_UNKNOWN:
    default:
        rowtab_set_text(rt, COL_ETCD, ROLE_DIM, "-");
        return;
    }
    /* Sort worst first in ascending order: lost < at risk < degraded < healthy. */
    rowtab_set_num_key(rt, COL_ETCD, (int64_t)(q->state == QUORUM_LOST ? 0 : q->state == QUORUM_AT_RISK ? 1
                                               : q->state == QUORUM_DEGRADED ? 2 : 3) * 1000 + q->healthy);
}

static void add_cluster(rowtab *rt, store *st, const record *r, time_t now)
{
    const hc_record *hc = &r->u.hc;
    etcd_quorum q;
    hc_health health = fmt_cluster_health(st, r, now, &q);
    upgrade_info up = derive_upgrade(r, now);
    pause_info pause = derive_paused(hc->paused_until, now);

    view_object o;
    fmt_object(&o, r, r->meta.namespace, r->meta.name);
    view_role row_role = fmt_health_role(health.level);
    /* Paused by the spec, or still reported paused by the operator: a pause, not a failure. */
    if ((pause_is_paused(&pause) || fmt_reconciliation_paused(&hc->conditions)) && row_role != ROLE_BAD)
        row_role = ROLE_PAUSED;
    rowtab_add(rt, &o, false, row_role);

    fmt_text_or_dash(rt, COL_NAMESPACE, ROLE_DEFAULT, r->meta.namespace);
    rowtab_set_text(rt, COL_NAME, row_role == ROLE_BAD ? ROLE_BAD : ROLE_ACCENT, r->meta.name);
    fmt_text_or_dash(rt, COL_VERSION, ROLE_DEFAULT, up.current);
    rowtab_set_version_key(rt, COL_VERSION, up.current);
    set_desired(rt, hc, &up);
    fmt_condition_cell(rt, COL_AVAILABLE, RES_HOSTEDCLUSTER, &hc->conditions, "Available");
    fmt_condition_cell(rt, COL_PROGRESSING, RES_HOSTEDCLUSTER, &hc->conditions, "Progressing");
    fmt_condition_cell(rt, COL_DEGRADED, RES_HOSTEDCLUSTER, &hc->conditions, "Degraded");
    fmt_paused_cell(rt, COL_PAUSED, hc->paused_until, &hc->conditions, now);
    set_policy(rt, hc->controller_availability);
    fmt_text_or_dash(rt, COL_PLATFORM, ROLE_DEFAULT, hc->platform);

    size_t n_pools = 0;
    record *const *pools = store_nodepools_of(st, r->meta.namespace, r->meta.name, &n_pools);
    if (n_pools == 0) {
        rowtab_set_text(rt, COL_NODES, ROLE_DIM, "-");
    } else {
        int64_t ready, total;
        node_totals(pools, n_pools, &ready, &total);
        rowtab_set(rt, COL_NODES, ready >= total ? ROLE_OK : ROLE_WARN, "%lld/%lld", (long long)ready,
                   (long long)total);
        rowtab_set_num_key(rt, COL_NODES, ready);
    }
    set_etcd(rt, hc, &q);
    /* Why the row has its symbol, whichever column would show it is dropped on a narrow terminal. */
    if (row_role == ROLE_OK)
        rowtab_set_text(rt, COL_STATUS, ROLE_DIM, "-");
    else if (row_role == ROLE_PAUSED)
        rowtab_set(rt, COL_STATUS, ROLE_PAUSED, "%s %s", fmt_sym_str(SYM_PAUSED), health.words);
    else
        rowtab_set_text(rt, COL_STATUS, row_role == ROLE_DEFAULT ? ROLE_DIM : row_role, health.words);
    fmt_status_key(rt, COL_STATUS, row_role);
    fmt_age_cell(rt, COL_AGE, r->meta.created, now);
}

static bool clusters_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    if (st) {
        size_t n = 0;
        /* A cluster scope narrows the other panes; this one keeps showing every cluster. */
        view_scope ns_only = {.ns = scope ? scope->ns : NULL};
        record **list = scope_clusters(st, &ns_only, &n);
        for (size_t i = 0; i < n; i++)
            add_cluster(rt, st, list[i], now);
        free(list);
    }
    return rowtab_end(rt);
}

/* cluster.why: the selected cluster's STATUS in full, which a narrow terminal cuts. */
static void cluster_why(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    const view_object *o = ctx->row;
    record *r = ctx->st && o->cluster_name[0]
                    ? store_get(ctx->st, RES_HOSTEDCLUSTER, o->cluster_ns, o->cluster_name)
                    : NULL;
    if (!r) {
        out->error = true;
        view_copy_text(out->msg, sizeof out->msg, "the selected row's hosted cluster is not in the store");
        return;
    }
    etcd_quorum q;
    hc_health h = fmt_cluster_health(ctx->st, r, ctx->now, &q);
    int n = snprintf(out->msg, sizeof out->msg, "%s/%s: %s (%s)", r->meta.namespace, r->meta.name,
                     h.level == HEALTH_OK ? "healthy" : h.words, health_level_name(h.level));
    /* a force-upgrade-to left on the cluster, and whether it is the image asked for */
    const char *force = rec_annotation(r, "hypershift.openshift.io/force-upgrade-to");
    if (force && n > 0 && (size_t)n < sizeof out->msg) {
        const char *img = r->u.hc.cp_release_image && r->u.hc.cp_release_image[0] ? r->u.hc.cp_release_image
                                                                                  : r->u.hc.release_image;
        snprintf(out->msg + n, sizeof out->msg - (size_t)n, "; force-upgrade-to %s the desired image (%s)",
                 img && strcmp(img, force) == 0 ? "matches" : "does NOT match", force);
    }
}

static const char *const why_aliases[] = {"why", NULL};
static const char *const pause_aliases[] = {"pause", NULL};
static const char *const resume_aliases[] = {"resume", NULL};
static const char *const upgrade_aliases[] = {"upgrade", NULL};
static const char *const channel_aliases[] = {"channel", NULL};
#define MUT (VIEW_CMD_NEEDS_ROW | VIEW_CMD_MUTATING)
static const view_command commands[] = {
    {"cluster.why", why_aliases, VIEW_CMD_NEEDS_ROW, "Say why the selected cluster has its status, in full", cluster_why,
     {{0}}, 0, 0},
    {"cluster.pause", pause_aliases, MUT,
     "Pause reconciliation (until resumed, for a DURATION, or until a TIME; a: the node pools too)", cmd_cluster_pause,
     {{"DURATION|TIME", true}}, VIEW_OPT_WITH_POOLS, PERM_PATCH_HOSTEDCLUSTERS},
    {"cluster.resume", resume_aliases, MUT, "Resume reconciliation (a: the node pools too)", cmd_cluster_resume, {{0}},
     VIEW_OPT_WITH_POOLS, PERM_PATCH_HOSTEDCLUSTERS},
    {"cluster.upgrade", upgrade_aliases, MUT,
     "Upgrade the control plane to a VERSION of its updates or a release IMAGE (f or --force: force-upgrade-to)",
     cmd_cluster_upgrade, {{"VERSION|IMAGE", true}, {"--force", true}}, VIEW_OPT_FORCE, PERM_PATCH_HOSTEDCLUSTERS},
    {"cluster.channel", channel_aliases, MUT, "Set the update channel (stable-, fast-, candidate-, eus- of its minor)",
     cmd_cluster_channel, {{"CHANNEL", true}}, 0, PERM_PATCH_HOSTEDCLUSTERS},
};

const view_ops view_clusters_ops = {
    .name = "clusters",
    .title = "Hosted clusters",
    .aliases = aliases,
    .help = "Every HostedCluster: versions, upgrade progress, conditions, pause, nodes, etcd quorum",
    .empty_text = "No hosted clusters",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_PANE,
    .depends = VIEW_DEP_HOSTEDCLUSTERS | VIEW_DEP_NODEPOOLS | VIEW_DEP_ETCD_PODS,
    .default_sort = -1,
    .create = clusters_create,
    .refresh = clusters_refresh,
    .commands = commands,
    .n_commands = sizeof commands / sizeof commands[0],
    ROWTAB_QUERY_OPS,
};
