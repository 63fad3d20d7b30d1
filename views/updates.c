/* The Update channels pane: per hosted cluster its channel, versions, available and conditional
 * updates, and whether its version is one the operator supports (see docs/panes.md). */
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
    COL_CHANNEL,
    COL_VERSION,
    COL_DESIRED,
    COL_AVAILABLE,
    COL_CONDITIONAL,
    COL_SUPPORTED,
    N_COLS
};

static const view_column columns[N_COLS] = {
    [COL_NAMESPACE] = {"namespace", "NAMESPACE", 9, 24, 0, false}, /* same-named clusters differ by it */
    [COL_NAME] = {"name", "NAME", 8, 40, 0, false},
    [COL_CHANNEL] = {"channel", "CHANNEL", 7, 20, 0, false},
    [COL_VERSION] = {"version", "VERSION", 7, 16, 0, false},
    [COL_DESIRED] = {"desired", "DESIRED", 7, 16, 2, false},
    [COL_AVAILABLE] = {"available", "AVAILABLE UPDATES", 9, 40, 0, false},
    [COL_CONDITIONAL] = {"conditional", "CONDITIONAL (RISKS)", 11, 60, 1, false},
    [COL_SUPPORTED] = {"supported", "SUPPORTED", 9, 32, 0, false},
};

static const char *const aliases[] = {"updates", "channels", "upgrades", "update", NULL};

static void *updates_create(void)
{
    return rowtab_new(N_COLS);
}

/* Newest first, whatever order the API gave. */
static int compare_release_desc(const void *pa, const void *pb)
{
    const rec_release *a = pa, *b = pb;
    return -version_order(a->version, b->version);
}

static int compare_conditional_desc(const void *pa, const void *pb)
{
    const rec_conditional_update *a = pa, *b = pb;
    return -version_order(a->release.version, b->release.version);
}

static void set_available(rowtab *rt, const rec_version_status *v)
{
    if (!v->present || (v->available_updates_null && v->n_available_updates == 0)) {
        rowtab_set_text(rt, COL_AVAILABLE, ROLE_DIM, "-");
        return;
    }
    if (v->n_available_updates == 0) {
        rowtab_set_text(rt, COL_AVAILABLE, ROLE_DIM, "none");
        rowtab_set_num_key(rt, COL_AVAILABLE, 0);
        return;
    }
    rec_release *sorted = xcalloc(v->n_available_updates, sizeof *sorted);
    memcpy(sorted, v->available_updates, v->n_available_updates * sizeof *sorted);
    qsort(sorted, v->n_available_updates, sizeof *sorted, compare_release_desc);
    buf b = BUF_INIT;
    for (size_t i = 0; i < v->n_available_updates && b.len < VIEW_CELL_MAX; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", sorted[i].version ? sorted[i].version : "?");
    rowtab_set_text(rt, COL_AVAILABLE, ROLE_ACCENT, buf_str(&b));
    rowtab_set_num_key(rt, COL_AVAILABLE, (int64_t)v->n_available_updates);
    buf_free(&b);
    free(sorted);
}

/* "4.19.4 (OVNRouteLeak), 4.19.6 (A, B)": each conditional update with its risks' names. */
static void set_conditional(rowtab *rt, const rec_version_status *v)
{
    if (!v->present || v->n_conditional_updates == 0) {
        rowtab_set_text(rt, COL_CONDITIONAL, ROLE_DIM, v->present ? "none" : "-");
        return;
    }
    rec_conditional_update *sorted = xcalloc(v->n_conditional_updates, sizeof *sorted);
    memcpy(sorted, v->conditional_updates, v->n_conditional_updates * sizeof *sorted);
    qsort(sorted, v->n_conditional_updates, sizeof *sorted, compare_conditional_desc);
    buf b = BUF_INIT;
    for (size_t i = 0; i < v->n_conditional_updates && b.len < VIEW_CELL_MAX; i++) {
        const rec_conditional_update *cu = &sorted[i];
        buf_printf(&b, "%s%s", i ? ", " : "", cu->release.version ? cu->release.version : "?");
        if (cu->n_risks) {
            buf_puts(&b, " (");
            for (size_t k = 0; k < cu->n_risks; k++)
                buf_printf(&b, "%s%s", k ? ", " : "", cu->risks[k].name ? cu->risks[k].name : "?");
            buf_putc(&b, ')');
        }
    }
    rowtab_set_text(rt, COL_CONDITIONAL, ROLE_WARN, buf_str(&b));
    rowtab_set_num_key(rt, COL_CONDITIONAL, (int64_t)v->n_conditional_updates);
    buf_free(&b);
    free(sorted);
}

/* "4.14–4.19" from the operator's list (newest first), or "" when there is none. */
static void supported_range(const record *sv, char *out, size_t outlen)
{
    out[0] = '\0';
    if (sv && sv->u.sv.versions_valid && sv->u.sv.versions.n) {
        const rec_strings *vs = &sv->u.sv.versions;
        snprintf(out, outlen, " (%s%s%s)", vs->items[vs->n - 1] ? vs->items[vs->n - 1] : "?",
                 fmt_sym_str(SYM_RANGE), vs->items[0] ? vs->items[0] : "?");
    }
}

/* Whether the cluster's version is in the operator's supported-versions, with the range shown. */
static void set_supported(rowtab *rt, const record *sv, support_state s)
{
    char range[96];
    supported_range(sv, range, sizeof range);
    switch (s) {
    case SUPPORT_OK: rowtab_set(rt, COL_SUPPORTED, ROLE_OK, "yes%s", range); break;
    case SUPPORT_TOO_NEW: rowtab_set(rt, COL_SUPPORTED, ROLE_BAD, "NO: too new%s", range); break;
    case SUPPORT_TOO_OLD: rowtab_set(rt, COL_SUPPORTED, ROLE_BAD, "NO: too old%s", range); break;
    case SUPPORT_UNLISTED: rowtab_set(rt, COL_SUPPORTED, ROLE_BAD, "NO: not listed%s", range); break;
    case SUPPORT_UNKNOWN:
    default: rowtab_set_text(rt, COL_SUPPORTED, ROLE_DIM, "unknown"); return;
    }
    rowtab_set_num_key(rt, COL_SUPPORTED, s == SUPPORT_OK ? 1 : 0);
}

static void add_cluster(rowtab *rt, const record *sv, const record *r, time_t now)
{
    const hc_record *hc = &r->u.hc;
    upgrade_info up = derive_upgrade(r, now);
    const char *version = up.current ? up.current : up.desired;
    support_state support = derive_supported(sv, version, NULL, 0);
    bool flagged = support != SUPPORT_OK && support != SUPPORT_UNKNOWN;

    view_object o;
    fmt_object(&o, r, r->meta.namespace, r->meta.name);
    rowtab_add(rt, &o, false, flagged ? ROLE_BAD : ROLE_DEFAULT);
    fmt_text_or_dash(rt, COL_NAMESPACE, ROLE_DEFAULT, r->meta.namespace);
    rowtab_set_text(rt, COL_NAME, flagged ? ROLE_BAD : ROLE_ACCENT, r->meta.name);
    fmt_text_or_dash(rt, COL_CHANNEL, ROLE_DEFAULT, hc->channel);
    fmt_text_or_dash(rt, COL_VERSION, flagged ? ROLE_BAD : ROLE_DEFAULT, up.current);
    rowtab_set_version_key(rt, COL_VERSION, up.current);
    /* What the spec asks for wins over the status while the status has not caught up (or is blocked). */
    char requested_buf[64];
    const char *requested = fmt_requested_version(hc, requested_buf, sizeof requested_buf);
    const char *desired = requested && (!up.desired || version_order(requested, up.desired) != 0) ? requested
                                                                                                      : up.desired;
    bool moving = desired && up.current && version_order(desired, up.current) != 0;
    fmt_text_or_dash(rt, COL_DESIRED, moving ? ROLE_WARN : ROLE_DEFAULT, desired);
    rowtab_set_version_key(rt, COL_DESIRED, desired);
    set_available(rt, &hc->version);
    set_conditional(rt, &hc->version);
    set_supported(rt, sv, support);
}

static bool updates_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    if (st) {
        const record *sv = store_supported_versions(st);
        size_t n = 0;
        record **hcs = scope_clusters(st, scope, &n);
        for (size_t i = 0; i < n; i++)
            add_cluster(rt, sv, hcs[i], now);
        free(hcs);
    }
    return rowtab_end(rt);
}

const view_ops view_updates_ops = {
    .name = "updates",
    .title = "Update channels",
    .aliases = aliases,
    .help = "Per cluster: channel, versions, available and conditional updates, operator-supported range",
    .empty_text = "No hosted clusters",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_PANE,
    .depends = VIEW_DEP_HOSTEDCLUSTERS | VIEW_DEP_SUPPORTED,
    .default_sort = -1,
    .create = updates_create,
    .refresh = updates_refresh,
    ROWTAB_QUERY_OPS,
};
