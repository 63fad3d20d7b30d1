/* Detail view: the conditions of the object on a row, the unhealthy ones first. */
#include <string.h>

#include "client/derive.h"
#include "client/store.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"

enum { COL_TYPE, COL_STATUS, COL_REASON, COL_MESSAGE, COL_AGE, N_COLS };

static const view_column columns[N_COLS] = {
    [COL_TYPE] = {"type", "TYPE", 8, 36, 0, false},
    [COL_STATUS] = {"status", "STATUS", 6, 15, 0, false},
    [COL_REASON] = {"reason", "REASON", 6, 30, 2, false},
    [COL_MESSAGE] = {"message", "MESSAGE", 10, 0, 1, false},
    [COL_AGE] = {"age", "AGE", 3, 6, 3, true},
};

static const char *const aliases[] = {"conditions", "cond", NULL};

static void *conditions_create(void)
{
    return rowtab_new(N_COLS);
}

static void add_condition(rowtab *rt, res_kind kind, const view_object *target, const rec_condition *c, time_t now)
{
    view_role role = fmt_condition_role(kind, c);
    view_object o;
    /* A condition is identified by its type, so the selection stays on it across refreshes. */
    view_object_set(&o, VIEW_KIND_PART, target->ns, c->type, target->cluster_ns, target->cluster_name);
    rowtab_add(rt, &o, false, role);
    fmt_text_or_dash(rt, COL_TYPE, role == ROLE_BAD ? ROLE_BAD : ROLE_DEFAULT, c->type);
    if (c->status == COND_FALSE && c->reason && strcmp(c->reason, "Blocked") == 0)
        rowtab_set_text(rt, COL_STATUS, role, role == ROLE_PAUSED ? "False (paused)" : "False (Blocked)");
    else
        rowtab_set_text(rt, COL_STATUS, role, cond_status_name(c->status));
    fmt_text_or_dash(rt, COL_REASON, ROLE_DEFAULT, c->reason);
    fmt_text_or_dash(rt, COL_MESSAGE, ROLE_DEFAULT, c->message);
    fmt_age_cell(rt, COL_AGE, c->last_transition, now);
}

/* Pods carry only their Ready condition in the record. */
static void add_pod_ready(rowtab *rt, const view_object *target, const pod_record *pod, time_t now)
{
    rec_condition c = {.type = "Ready", .status = pod->ready, .last_transition = pod->ready_since};
    view_object o;
    view_object_set(&o, VIEW_KIND_PART, target->ns, c.type, target->cluster_ns, target->cluster_name);
    view_role role = pod->ready == COND_TRUE ? ROLE_OK : pod->ready == COND_FALSE ? ROLE_BAD : ROLE_WARN;
    rowtab_add(rt, &o, false, role);
    rowtab_set_text(rt, COL_TYPE, ROLE_DEFAULT, c.type);
    rowtab_set_text(rt, COL_STATUS, role, cond_status_name(c.status));
    rowtab_set_text(rt, COL_REASON, ROLE_DIM, "-");
    rowtab_set_text(rt, COL_MESSAGE, ROLE_DIM, "-");
    fmt_age_cell(rt, COL_AGE, c.last_transition, now);
}

static bool conditions_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    record *r = fmt_detail_target(rt, st, scope);
    const rec_conditions *conds = NULL;
    if (r && r->kind == RES_HOSTEDCLUSTER)
        conds = &r->u.hc.conditions;
    else if (r && r->kind == RES_NODEPOOL)
        conds = &r->u.np.conditions;
    else if (r && r->kind == RES_ETCD_POD)
        add_pod_ready(rt, scope->target, &r->u.pod, now);
    if (conds) {
        /* Three passes keep the API's order within each group: the failing first, then what reports a
         * pause (it explains a paused row), then the rest. */
        static const view_role first[] = {ROLE_BAD, ROLE_PAUSED};
        for (size_t pass = 0; pass < 3; pass++) {
            for (size_t i = 0; i < conds->n; i++) {
                view_role role = fmt_condition_role(r->kind, &conds->items[i]);
                bool early = role == first[0] || role == first[1];
                if (pass < 2 ? role == first[pass] : !early)
                    add_condition(rt, r->kind, scope->target, &conds->items[i], now);
            }
        }
    }
    return rowtab_end(rt);
}

const view_ops view_conditions_ops = {
    .name = "conditions",
    .title = "Conditions",
    .aliases = aliases,
    .help = "The object's conditions: type, status, reason, message, age; unhealthy ones first",
    .empty_text = "No conditions reported",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_DETAIL,
    .depends = VIEW_DEP_HOSTEDCLUSTERS | VIEW_DEP_NODEPOOLS | VIEW_DEP_ETCD_PODS,
    .default_sort = -1,
    .create = conditions_create,
    .refresh = conditions_refresh,
    ROWTAB_QUERY_OPS,
};
