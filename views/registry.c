/* The one table of views: the tui generates view.<name> commands, `:` aliases, completion and help
 * from it, so a new view is one line here. */
#include <string.h>
#include <strings.h>

#include "views/catalog.h"
#include "views/model.h"

static const view_ops *const registry[] = {
    &view_clusters_ops,   &view_nodepools_ops, &view_etcd_ops,    &view_updates_ops, /* panes, Tab order */
    &view_conditions_ops, &view_yaml_ops,      &view_events_ops,  &view_history_ops,
    &view_risks_ops, /* detail views, in the order Enter offers them */
    &view_watch_ops, /* the --watch layout */
};

#define N_VIEWS (sizeof registry / sizeof registry[0])

const view_ops *const *view_registry(size_t *n_out)
{
    if (n_out)
        *n_out = N_VIEWS;
    return registry;
}

const view_ops *view_find(const char *name_or_alias)
{
    if (!name_or_alias || !*name_or_alias)
        return NULL;
    for (size_t i = 0; i < N_VIEWS; i++) {
        if (strcasecmp(registry[i]->name, name_or_alias) == 0)
            return registry[i];
        for (const char *const *a = registry[i]->aliases; a && *a; a++)
            if (strcasecmp(*a, name_or_alias) == 0)
                return registry[i];
    }
    return NULL;
}

static size_t with_flag(unsigned flag, const view_ops **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < N_VIEWS; i++) {
        if (!(registry[i]->flags & flag))
            continue;
        if (out && n < max)
            out[n] = registry[i];
        n++;
    }
    return n < max || !out ? n : max;
}

size_t view_panes(const view_ops **out, size_t max)
{
    return with_flag(VIEW_PANE, out, max);
}

size_t view_details(const view_ops **out, size_t max)
{
    return with_flag(VIEW_DETAIL, out, max);
}

size_t view_details_for(res_kind kind, const view_ops **out, size_t max)
{
    bool cluster = kind == RES_HOSTEDCLUSTER;
    bool known = cluster || kind == RES_NODEPOOL || kind == RES_ETCD_POD;
    if (!known)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < N_VIEWS && n < max; i++) {
        const view_ops *v = registry[i];
        if (!(v->flags & VIEW_DETAIL))
            continue;
        bool cluster_only = v == &view_history_ops || v == &view_risks_ops;
        if (cluster_only && !cluster)
            continue;
        if (out)
            out[n] = v;
        n++;
    }
    return n;
}

void view_complete(const char *prefix, void (*fn)(const char *word, void *arg), void *arg)
{
    size_t len = prefix ? strlen(prefix) : 0;
    for (size_t i = 0; i < N_VIEWS; i++) {
        if (strncasecmp(registry[i]->name, prefix ? prefix : "", len) == 0)
            fn(registry[i]->name, arg);
        for (const char *const *a = registry[i]->aliases; a && *a; a++)
            if (strcasecmp(*a, registry[i]->name) != 0 && strncasecmp(*a, prefix ? prefix : "", len) == 0)
                fn(*a, arg);
    }
}
