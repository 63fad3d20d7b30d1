/* Detail view for a cluster: its conditional updates, one row per risk with the message and URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/store.h"
#include "client/version.h"
#include "common/buf.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"

enum { COL_VERSION, COL_RISK, COL_RECOMMENDED, COL_MESSAGE, COL_URL, N_COLS };

static const view_column columns[N_COLS] = {
    [COL_VERSION] = {"version", "VERSION", 7, 16, 0, false},
    [COL_RISK] = {"risk", "RISK", 4, 32, 0, false},
    [COL_RECOMMENDED] = {"recommended", "RECOMMENDED", 5, 11, 2, false},
    [COL_MESSAGE] = {"message", "MESSAGE", 10, 0, 1, false},
    [COL_URL] = {"url", "URL", 10, 60, 0, false},
};

static const char *const aliases[] = {"risks", "conditional", NULL};

static void *risks_create(void)
{
    return rowtab_new(N_COLS);
}

static int compare_desc(const void *pa, const void *pb)
{
    const rec_conditional_update *const *a = pa, *const *b = pb;
    return -version_order((*a)->release.version, (*b)->release.version);
}

static void set_recommended(rowtab *rt, const rec_conditional_update *cu)
{
    const rec_condition *c = rec_condition_find(&cu->conditions, "Recommended");
    if (!c) {
        rowtab_set_text(rt, COL_RECOMMENDED, ROLE_DIM, "-");
        return;
    }
    view_role role = c->status == COND_TRUE ? ROLE_OK : c->status == COND_FALSE ? ROLE_WARN : ROLE_DIM;
    rowtab_set_text(rt, COL_RECOMMENDED, role, cond_status_name(c->status));
}

static void add_update(rowtab *rt, const view_scope *scope, const rec_conditional_update *cu)
{
    size_t n = cu->n_risks ? cu->n_risks : 1; /* an update with no risk named still gets its row */
    for (size_t k = 0; k < n; k++) {
        const rec_risk *risk = cu->n_risks ? &cu->risks[k] : NULL;
        view_object o;
        char id[VIEW_NAME_MAX];
        snprintf(id, sizeof id, "%s/%s", cu->release.version ? cu->release.version : "?",
                 risk && risk->name ? risk->name : "");
        view_object_set(&o, VIEW_KIND_PART, scope->target->ns, id, scope->target->cluster_ns,
                        scope->target->cluster_name);
        rowtab_add(rt, &o, false, ROLE_WARN);
        fmt_text_or_dash(rt, COL_VERSION, ROLE_DEFAULT, cu->release.version);
        rowtab_set_version_key(rt, COL_VERSION, cu->release.version);
        fmt_text_or_dash(rt, COL_RISK, ROLE_WARN, risk ? risk->name : NULL);
        set_recommended(rt, cu);
        fmt_text_or_dash(rt, COL_MESSAGE, ROLE_DEFAULT, risk ? risk->message : NULL);
        fmt_text_or_dash(rt, COL_URL, ROLE_ACCENT, risk ? risk->url : NULL);
    }
}

static bool risks_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    (void)now;
    rowtab *rt = priv;
    rowtab_begin(rt);
    record *r = fmt_detail_target(rt, st, scope);
    if (r && r->kind == RES_HOSTEDCLUSTER && r->u.hc.version.n_conditional_updates) {
        const rec_version_status *v = &r->u.hc.version;
        const rec_conditional_update **order = xcalloc(v->n_conditional_updates, sizeof *order);
        for (size_t i = 0; i < v->n_conditional_updates; i++)
            order[i] = &v->conditional_updates[i];
        qsort(order, v->n_conditional_updates, sizeof *order, compare_desc);
        for (size_t i = 0; i < v->n_conditional_updates; i++)
            add_update(rt, scope, order[i]);
        free(order);
    }
    return rowtab_end(rt);
}

const view_ops view_risks_ops = {
    .name = "risks",
    .title = "Update risks",
    .aliases = aliases,
    .help = "A cluster's conditional updates: each risk's name, whether recommended, message and URL",
    .empty_text = "No conditional updates",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_DETAIL,
    .depends = VIEW_DEP_HOSTEDCLUSTERS,
    .default_sort = -1,
    .create = risks_create,
    .refresh = risks_refresh,
    ROWTAB_QUERY_OPS,
};
