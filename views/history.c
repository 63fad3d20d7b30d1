/* Detail view for a cluster: its version history (status.version) and, when the operator reports it,
 * the control-plane version history (status.controlPlaneVersion), newest first as the API keeps them. */
#include <string.h>

#include "client/store.h"
#include "common/timeutil.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"

enum { COL_STATE, COL_VERSION, COL_STARTED, COL_COMPLETED, COL_DURATION, COL_IMAGE, N_COLS };

static const view_column columns[N_COLS] = {
    [COL_STATE] = {"state", "STATE", 7, 60, 0, false},
    [COL_VERSION] = {"version", "VERSION", 7, 16, 0, false},
    [COL_STARTED] = {"started", "STARTED (UTC)", 19, 19, 2, false},
    [COL_COMPLETED] = {"completed", "COMPLETED (UTC)", 19, 19, 3, false},
    [COL_DURATION] = {"duration", "DURATION", 4, 12, 1, true},
    [COL_IMAGE] = {"image", "IMAGE", 10, 0, 4, false},
};

static const char *const aliases[] = {"history", "versions", NULL};

static void *history_create(void)
{
    return rowtab_new(N_COLS);
}

static void add_entry(rowtab *rt, const rec_history *h, time_t now)
{
    bool completed = h->state && strcmp(h->state, "Completed") == 0;
    bool partial = h->state && strcmp(h->state, "Partial") == 0;
    view_role role = completed ? ROLE_OK : partial ? ROLE_WARN : ROLE_DEFAULT;
    rowtab_add(rt, NULL, false, role);
    fmt_text_or_dash(rt, COL_STATE, role, h->state);
    fmt_text_or_dash(rt, COL_VERSION, ROLE_DEFAULT, h->version);
    rowtab_set_version_key(rt, COL_VERSION, h->version);
    fmt_time_cell(rt, COL_STARTED, h->started);
    fmt_time_cell(rt, COL_COMPLETED, h->completed);
    char dur[32];
    if (h->started != REC_TIME_UNKNOWN && h->completed != REC_TIME_UNKNOWN && h->completed >= h->started) {
        age_format((int64_t)(h->completed - h->started), dur, sizeof dur);
        rowtab_set_text(rt, COL_DURATION, ROLE_DEFAULT, dur);
        rowtab_set_num_key(rt, COL_DURATION, (int64_t)(h->completed - h->started));
    } else if (h->started != REC_TIME_UNKNOWN && h->completed == REC_TIME_UNKNOWN && now >= h->started) {
        age_format((int64_t)(now - h->started), dur, sizeof dur);
        rowtab_set(rt, COL_DURATION, ROLE_WARN, "running %s", dur);
        rowtab_set_num_key(rt, COL_DURATION, (int64_t)(now - h->started));
    } else {
        rowtab_set_text(rt, COL_DURATION, ROLE_DIM, "-");
    }
    fmt_text_or_dash(rt, COL_IMAGE, ROLE_DIM, h->image);
}

static void add_block(rowtab *rt, const char *title, const rec_version_status *v, time_t now)
{
    rowtab_add(rt, NULL, true, ROLE_HEADING);
    if (v->n_history == 0)
        rowtab_set(rt, COL_STATE, ROLE_HEADING, "%s: no history reported", title);
    else
        rowtab_set_text(rt, COL_STATE, ROLE_HEADING, title);
    for (size_t i = 0; i < v->n_history; i++)
        add_entry(rt, &v->history[i], now);
}

static bool history_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    record *r = fmt_detail_target(rt, st, scope);
    if (r && r->kind == RES_HOSTEDCLUSTER) {
        add_block(rt, "Version history (status.version)", &r->u.hc.version, now);
        if (r->u.hc.cp_version.present)
            add_block(rt, "Control-plane version history (status.controlPlaneVersion)", &r->u.hc.cp_version, now);
    }
    return rowtab_end(rt);
}

const view_ops view_history_ops = {
    .name = "history",
    .title = "Version history",
    .aliases = aliases,
    .help = "A cluster's version history and control-plane version history: state, times, duration, image",
    .empty_text = "No version history (not a hosted cluster?)",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_DETAIL,
    .depends = VIEW_DEP_HOSTEDCLUSTERS,
    .default_sort = -1,
    .create = history_create,
    .refresh = history_refresh,
    ROWTAB_QUERY_OPS,
};
