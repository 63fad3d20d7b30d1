/* The etcd pane: one block per hosted control plane, a heading row with the quorum line, then one row
 * per etcd member. Blocks in trouble come first (see docs/panes.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "client/store.h"
#include "common/buf.h"
#include "client/permissions.h"
#include "views/commands.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"
#include "views/scope.h"

enum {
    COL_POD,
    COL_PHASE,
    COL_READY,
    COL_RESTARTS,
    COL_REASON,
    COL_LAST_RESTART,
    COL_NODE,
    COL_PVC,
    COL_PVC_PHASE,
    COL_AGE,
    N_COLS
};

static const view_column columns[N_COLS] = {
    [COL_POD] = {"pod", "POD", 6, 24, 0, false},
    [COL_PHASE] = {"phase", "PHASE", 5, 12, 0, false},
    [COL_READY] = {"ready", "READY", 5, 5, 0, true},
    [COL_RESTARTS] = {"restarts", "RESTARTS", 3, 8, 2, true},
    [COL_REASON] = {"reason", "REASON", 6, 24, 0, false},
    [COL_LAST_RESTART] = {"last-restart", "LAST RESTART", 4, 12, 3, true},
    [COL_NODE] = {"node", "NODE", 4, 30, 5, false},
    [COL_PVC] = {"pvc", "PVC", 3, 24, 6, false},
    [COL_PVC_PHASE] = {"pvc-phase", "PVC PHASE", 5, 9, 4, false},
    [COL_AGE] = {"age", "AGE", 3, 6, 7, true},
};

static const char *const aliases[] = {"etcd", "members", NULL};

typedef struct etcd_block {
    char cp_ns[CP_NAMESPACE_MAX];
    const record *hc; /* NULL: etcd pods in a namespace no HostedCluster claims */
    etcd_quorum quorum;
} etcd_block;

static void *etcd_create(void)
{
    return rowtab_new(N_COLS);
}

static int severity(quorum_state s)
{
    switch (s) {
    case QUORUM_LOST: return 0;
    case QUORUM_AT_RISK: return 1;
    case QUORUM_DEGRADED: return 2;
    case QUORUM_UNKNOWN: return 3;
    case QUORUM_HEALTHY:
    default: return 4;
    }
}

static int compare_blocks(const void *pa, const void *pb)
{
    const etcd_block *a = pa, *b = pb;
    int c = severity(a->quorum.state) - severity(b->quorum.state);
    return c ? c : strcmp(a->cp_ns, b->cp_ns);
}

static view_role quorum_role(quorum_state s)
{
    switch (s) {
    case QUORUM_HEALTHY: return ROLE_OK;
    case QUORUM_DEGRADED:
    case QUORUM_AT_RISK: return ROLE_WARN;
    case QUORUM_LOST: return ROLE_BAD;
    case QUORUM_UNKNOWN:
    default: return ROLE_DIM;
    }
}

static void add_heading(rowtab *rt, const etcd_block *b)
{
    view_role role = quorum_role(b->quorum.state);
    const char *words = b->quorum.words[0] ? b->quorum.words : "no etcd members seen";
    if (b->hc) {
        view_object o;
        fmt_object(&o, b->hc, b->hc->meta.namespace, b->hc->meta.name);
        rowtab_add(rt, &o, true, role);
        /* The cluster and its quorum first, so a narrow terminal cuts the namespace, not the reason. */
        rowtab_set(rt, COL_POD, role, "%s/%s %s %s (%s)", b->hc->meta.namespace, b->hc->meta.name,
                   fmt_sym_str(SYM_DASH), words, b->cp_ns);
    } else {
        rowtab_add(rt, NULL, true, role);
        rowtab_set(rt, COL_POD, role, "%s (no hosted cluster) %s %s", b->cp_ns, fmt_sym_str(SYM_DASH), words);
    }
}

static void set_phase(rowtab *rt, const record *pod, const etcd_member *m)
{
    const char *phase = pod->meta.deleted != REC_TIME_UNKNOWN ? "Terminating" : pod->u.pod.phase;
    view_role role = m->healthy ? ROLE_OK : m->crashlooping ? ROLE_BAD : ROLE_WARN;
    fmt_text_or_dash(rt, COL_PHASE, role, phase);
}

static void set_pvc(rowtab *rt, store *st, const etcd_block *b, const pod_record *pod)
{
    fmt_text_or_dash(rt, COL_PVC, ROLE_DEFAULT, pod->data_claim);
    const record *pvc = pod->data_claim ? store_get(st, RES_ETCD_PVC, b->cp_ns, pod->data_claim) : NULL;
    const char *phase = pvc ? pvc->u.pvc.phase : NULL;
    view_role role = ROLE_DEFAULT;
    if (phase && strcmp(phase, "Bound") == 0)
        role = ROLE_OK;
    else if (phase && strcmp(phase, "Pending") == 0)
        role = ROLE_WARN;
    else if (phase && strcmp(phase, "Lost") == 0)
        role = ROLE_BAD;
    fmt_text_or_dash(rt, COL_PVC_PHASE, role, phase);
}

static void add_member(rowtab *rt, store *st, const etcd_block *b, const record *pod, time_t now)
{
    const pod_record *p = &pod->u.pod;
    etcd_member m = derive_etcd_member(pod);
    view_object o;
    fmt_object(&o, pod, b->hc ? b->hc->meta.namespace : NULL, b->hc ? b->hc->meta.name : NULL);
    view_role row_role = m.healthy ? ROLE_OK : m.crashlooping ? ROLE_BAD : ROLE_WARN;
    rowtab_add(rt, &o, false, row_role);

    rowtab_set_text(rt, COL_POD, ROLE_DEFAULT, pod->meta.name);
    set_phase(rt, pod, &m);
    size_t ready = 0;
    for (size_t i = 0; i < p->n_containers; i++)
        ready += p->containers[i].ready;
    if (p->n_containers) {
        rowtab_set(rt, COL_READY, ready == p->n_containers ? ROLE_OK : ROLE_WARN, "%zu/%zu", ready, p->n_containers);
        rowtab_set_num_key(rt, COL_READY, (int64_t)ready);
    } else {
        rowtab_set_text(rt, COL_READY, ROLE_DIM, "-");
    }
    rowtab_set(rt, COL_RESTARTS, m.restarts > 0 ? ROLE_WARN : ROLE_DEFAULT, "%lld", (long long)m.restarts);
    rowtab_set_num_key(rt, COL_RESTARTS, m.restarts);
    fmt_text_or_dash(rt, COL_REASON, m.crashlooping ? ROLE_BAD : ROLE_WARN, m.reason);
    fmt_age_cell(rt, COL_LAST_RESTART, m.last_restart, now);
    fmt_text_or_dash(rt, COL_NODE, ROLE_DEFAULT, p->node_name);
    set_pvc(rt, st, b, p);
    fmt_age_cell(rt, COL_AGE, pod->meta.created, now);
}

/* The blocks to show: every in-scope HostedCluster with managed etcd, plus namespaces holding etcd
 * pods that no HostedCluster claims (only when nothing narrows the scope). */
static etcd_block *collect_blocks(store *st, const view_scope *scope, size_t *n_out)
{
    size_t n_hc = 0, n_pods = 0, n = 0;
    record **hc_list = scope_clusters(st, scope, &n_hc);
    /* Pods no HostedCluster claims only show unscoped: a scoped pane never walks every pod. */
    record **pod_list = NULL;
    if (!scope_is_narrow(scope)) {
        record *const *pod_list_src = store_sorted(st, RES_ETCD_POD, &n_pods);
        pod_list = fmt_copy_slice(pod_list_src, n_pods);
    }

    etcd_block *blocks = xcalloc(n_hc + n_pods + 1, sizeof *blocks);
    for (size_t i = 0; i < n_hc; i++) {
        const record *hc = hc_list[i];
        const char *mgmt = hc->u.hc.etcd_management;
        if (mgmt && strcmp(mgmt, "Unmanaged") == 0)
            continue;
        if (!control_plane_namespace(hc->meta.namespace, hc->meta.name, blocks[n].cp_ns, sizeof blocks[n].cp_ns))
            continue;
        blocks[n++].hc = hc;
    }
    for (size_t i = 0; i < n_pods; i++) {
        const char *ns = pod_list[i]->meta.namespace;
        if (!ns || (i > 0 && pod_list[i - 1]->meta.namespace && strcmp(ns, pod_list[i - 1]->meta.namespace) == 0))
            continue; /* one block per namespace: pods come sorted by namespace */
        if (store_hc_by_cp_namespace(st, ns))
            continue;
        view_copy_text(blocks[n].cp_ns, sizeof blocks[n].cp_ns, ns);
        blocks[n++].hc = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t np = 0;
        record *const *members = store_etcd_pods(st, blocks[i].cp_ns, &np);
        blocks[i].quorum = derive_etcd_quorum(blocks[i].hc, members, np);
    }
    qsort(blocks, n, sizeof *blocks, compare_blocks);
    free(hc_list);
    free(pod_list);
    *n_out = n;
    return blocks;
}

static bool etcd_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    if (st) {
        size_t n = 0;
        etcd_block *blocks = collect_blocks(st, scope, &n);
        for (size_t i = 0; i < n; i++) {
            add_heading(rt, &blocks[i]);
            size_t np = 0;
            record *const *list_src = store_etcd_pods(st, blocks[i].cp_ns, &np);
            record **list = fmt_copy_slice(list_src, np);
            for (size_t k = 0; k < np; k++)
                add_member(rt, st, &blocks[i], list[k], now);
            free(list);
        }
        free(blocks);
    }
    return rowtab_end(rt);
}

static const char *const recover_aliases[] = {"recover", NULL};
static const view_command commands[] = {
    {"etcd.recover", recover_aliases, VIEW_CMD_NEEDS_ROW | VIEW_CMD_MUTATING,
     "Recover a failed member: delete its PVC and pod (the StatefulSet makes new ones); type its name to confirm",
     cmd_etcd_recover, {{0}}, 0, PERM_DELETE_PODS | PERM_DELETE_PVCS},
};

const view_ops view_etcd_ops = {
    .name = "etcd",
    .title = "etcd",
    .aliases = aliases,
    .help = "etcd members per hosted control plane, with the quorum line; unhealthy control planes first",
    .empty_text = "No etcd members",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_PANE,
    .depends = VIEW_DEP_ETCD_PODS | VIEW_DEP_ETCD_PVCS | VIEW_DEP_HOSTEDCLUSTERS,
    .default_sort = -1,
    .create = etcd_create,
    .refresh = etcd_refresh,
    .commands = commands,
    .n_commands = sizeof commands / sizeof commands[0],
    ROWTAB_QUERY_OPS,
};
