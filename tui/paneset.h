/* The pane set: which pane, detail view and statistics are open, the scope, and the views' data:
 * what is refreshed when, and how fresh its inputs are. It knows nothing of the screen: what it
 * changes it returns as redraw bits (tui/redraw.h) or as words for the message line. */
#ifndef HCP_TUI_PANESET_H
#define HCP_TUI_PANESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "tui/keyq.h"
#include "tui/loop.h"
#include "tui/redraw.h"
#include "tui/table.h"
#include "views/model.h"

#define MAX_PANES 8
#define MAX_DETAILS 8
#define STATS_REFRESH_MS 2000 /* the open statistics table moves at most this often */

enum { TIMER_COALESCE, TIMER_MINUTE, TIMER_FRESHNESS, TIMER_STATS, TIMER_KEYHOLD, TIMER_PLAY };

typedef struct pane {
    view_model *m;
    table_state ts;
} pane;

typedef struct paneset {
    client *cl;
    loop_timers *timers;

    pane panes[MAX_PANES];
    size_t n_panes, cur;
    pane sub; /* wide screens: node pools of the cluster selected on the clusters pane */
    view_object sub_cluster;
    bool wide_screen; /* the screen is large enough for the split (set by the screen) */

    bool detail_open;
    view_object target;
    const view_ops *details[MAX_DETAILS];
    size_t n_details, dcur;
    pane detail;

    bool stats_open; /* the request statistics, over the pane or detail view */
    pane stats;

    char scope_cluster_ns[VIEW_NAME_MAX], scope_cluster_name[VIEW_NAME_MAX];
    char scope_ns[VIEW_NAME_MAX];
    char search[256]; /* the last search of a text view (n, N) */

    uint64_t seen_changes, seen_focus;
    bool force_refresh;   /* scope, pane or clock changed: refresh the visible views */
    bool sub_refresh;     /* the wide layout's selected cluster changed: refresh the lower pane only */
    keyq_sync front_sync; /* what the front view's model was last computed from (paneset_catch_up) */
} paneset;

/* watch: the --watch layout, its one pane the fleet's problems. */
void paneset_init(paneset *ps, client *cl, loop_timers *timers, const char *start_pane, const char *ns, bool watch);
void paneset_free(paneset *ps);
/* A new connection (:ctx): every model recomputes from the new store. */
void paneset_set_client(paneset *ps, client *cl);

bool paneset_is_wide(const paneset *ps);
bool paneset_keys_detail(const paneset *ps); /* the detail keymap applies */
pane *paneset_active(paneset *ps);
const view_ops *paneset_active_ops(paneset *ps);
/* The selected row's object of the view in front (the detail target in a detail view). */
bool paneset_selected(paneset *ps, view_object *out);

/* The worst freshness among a view's inputs, with its words. */
freshness_state paneset_freshness(const paneset *ps, const view_ops *ops, char *why, size_t whylen);
bool paneset_any_not_live(const paneset *ps);
/* A kind lost its data's freshness (stale, error, forbidden): not merely still loading. */
bool paneset_any_failing(const paneset *ps);
void pane_counts(const pane *p, size_t *shown, size_t *total);

/* The wide layout's lower pane follows the selection above. */
void paneset_follow_selection(paneset *ps);
bool paneset_sync_due(const paneset *ps);
/* Refreshes what is on screen when its inputs moved (or when forced); the redraw bits. */
unsigned paneset_sync(paneset *ps);
void paneset_force(paneset *ps); /* the next sync refreshes the visible views */
/* True while the front view waits for its first data (its first list, or the focused JSON). */
bool paneset_front_waits(paneset *ps);
/* Brings the front model up to the store before a key acts (see tui/keyq.h). */
void paneset_catch_up(paneset *ps);

unsigned paneset_switch(paneset *ps, size_t i);
unsigned paneset_stats_open(paneset *ps);
unsigned paneset_stats_close(paneset *ps);
unsigned paneset_detail_show(paneset *ps, size_t i);
/* Opens the details of the selected row (want: that tab, NULL: the first); false with a message. */
bool paneset_detail_open(paneset *ps, const view_ops *want, char *err, size_t errlen);
unsigned paneset_detail_close(paneset *ps);
unsigned paneset_scope_set(paneset *ps, const char *cluster_ns, const char *cluster_name);
unsigned paneset_scope_ns(paneset *ps, const char *ns);
/* Rows a page move covers in the active view, on a screen of that many lines. */
int paneset_page_rows(paneset *ps, int screen_lines);
/* Sets the active table's filter ("" clears); RD_MAIN. */
unsigned paneset_filter(paneset *ps, const char *text);

#endif
