/* Detail view: recent Events about the object on a row, newest first. */
#include <string.h>

#include "client/store.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"

enum { COL_TYPE, COL_REASON, COL_AGE, COL_COUNT, COL_MESSAGE, N_COLS };

static const view_column columns[N_COLS] = {
    [COL_TYPE] = {"type", "TYPE", 6, 8, 2, false},
    [COL_REASON] = {"reason", "REASON", 6, 30, 0, false},
    [COL_AGE] = {"age", "LAST SEEN", 4, 9, 0, true},
    [COL_COUNT] = {"count", "COUNT", 3, 6, 1, true},
    [COL_MESSAGE] = {"message", "MESSAGE", 10, 0, 0, false},
};

static const char *const aliases[] = {"events", "ev", NULL};

static void *events_create(void)
{
    return rowtab_new(N_COLS);
}

static bool events_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    if (st && scope && scope->target) {
        size_t n = 0;
        record *const *evs = store_events_of(st, res_kind_name(scope->target->kind), scope->target->ns, scope->target->name, &n);
        for (size_t i = 0; i < n; i++) {
            const event_record *ev = &evs[i]->u.ev;
            bool warning = ev->type && strcmp(ev->type, "Warning") == 0;
            view_object o;
            fmt_object(&o, evs[i], scope->target->cluster_ns, scope->target->cluster_name);
            rowtab_add(rt, &o, false, warning ? ROLE_WARN : ROLE_DEFAULT);
            fmt_text_or_dash(rt, COL_TYPE, warning ? ROLE_WARN : ROLE_DEFAULT, ev->type);
            fmt_text_or_dash(rt, COL_REASON, warning ? ROLE_WARN : ROLE_DEFAULT, ev->reason);
            fmt_age_cell(rt, COL_AGE, ev->last_timestamp, now);
            rowtab_set(rt, COL_COUNT, ROLE_DEFAULT, "%lld", (long long)ev->count);
            rowtab_set_num_key(rt, COL_COUNT, ev->count);
            fmt_text_or_dash(rt, COL_MESSAGE, ROLE_DEFAULT, ev->message);
        }
        /* Events outlive their object: they still show after a delete; without any, say it is gone. */
        if (n == 0)
            fmt_detail_target(rt, st, scope);
    }
    return rowtab_end(rt);
}

const view_ops view_events_ops = {
    .name = "events",
    .title = "Events",
    .aliases = aliases,
    .help = "Recent Events about the object: type, reason, last seen, count, message; newest first",
    .empty_text = "No events",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_DETAIL | VIEW_FOCUS,
    .depends = VIEW_DEP_EVENTS,
    .default_sort = -1,
    .create = events_create,
    .refresh = events_refresh,
    ROWTAB_QUERY_OPS,
};
