/* What the console's modules share (see app.h): the state of one console, and the functions they
 * call across files. app.c starts the console and runs the loop's hooks, screen.c draws, panes.c
 * holds the pane, detail, scope and statistics state, dispatch.c turns keys and prompts into
 * commands. Internal to those four files: everything else uses app.h. */
#ifndef HCP_TUI_APP_INTERNAL_H
#define HCP_TUI_APP_INTERNAL_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "tui/app.h"
#include "tui/keyq.h"
#include "tui/loop.h"
#include "tui/table.h"
#include "views/model.h"

#define MAX_PANES 8
#define MAX_DETAILS 8
#define MIN_COLS 80
#define MIN_LINES 24
#define WIDE_COLS 150 /* clusters above the node pools of the selected cluster */
#define WIDE_LINES 40
#define REPAINT_MIN_MS 100 /* data-driven repaints: at most ~10 a second */

#define STATS_REFRESH_MS 2000 /* the open statistics table moves at most this often */

#define INDICATOR_MIN_MS 60000 /* the hint bar's request counts move at most this often by themselves */
#define KEY_HOLD_MAX_MS 3000 /* typed-ahead keys wait at most this long for a loading view */

enum { TIMER_COALESCE, TIMER_MINUTE, TIMER_FRESHNESS, TIMER_STATS, TIMER_KEYHOLD };

typedef enum app_mode { MODE_NORMAL, MODE_FILTER, MODE_COMMAND, MODE_HELP } app_mode;

typedef struct pane {
    view_model *m;
    table_state ts;
} pane;

typedef struct app {
    const app_config *cfg;
    client *cl;
    loop_timers timers;
    bool quit;
    bool net_failed; /* client_poll() reported a fatal error */

    pane panes[MAX_PANES];
    size_t n_panes, cur;
    pane sub; /* wide screens: node pools of the cluster selected on the clusters pane */
    view_object sub_cluster;

    bool detail_open;
    view_object target;
    const view_ops *details[MAX_DETAILS];
    size_t n_details, dcur;
    pane detail;

    bool stats_open; /* the request statistics, over the pane or detail view */
    pane stats;
    transport_counter indicator; /* the request counts on the hint bar, as last taken */
    int64_t indicator_ms;         /* when they were taken */

    char scope_cluster_ns[VIEW_NAME_MAX], scope_cluster_name[VIEW_NAME_MAX];
    char scope_ns[VIEW_NAME_MAX];

    app_mode mode;
    char prompt[256];
    char search[256];
    char msg[512];
    bool msg_error;
    buf help;          /* help lines, '\n'-separated */
    int help_top;

    uint64_t seen_changes, seen_focus;
    int64_t last_data_paint_ms;
    bool data_pending;  /* the store moved; refresh at the next allowed moment */
    bool force_refresh; /* scope, pane or clock changed: refresh the visible views */
    bool sub_refresh;   /* the wide layout's selected cluster changed: refresh the lower pane only */

    /* screen */
    WINDOW *w_header, *w_main, *w_hint, *w_msg;
    int cols, lines;
    bool relayout, too_small, clear_screen;
    bool d_header, d_main, d_hint, d_msg;
    char last_header[1400];
    keyq held; /* keys typed while the view they act on was loading (see on_key) */
    keyq_sync front_sync; /* what the front view's model was last computed from (see models_catch_up) */
    char status[320]; /* the message line when no message: why the active view's data is not live */
} app;


/* panes.c: state, data and the views on screen */
void app_message(app *a, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool is_wide(const app *a);
bool keys_detail(const app *a);
pane *active_pane(app *a);
const view_ops *active_ops(app *a);
freshness_state view_freshness(app *a, const view_ops *ops, char *why, size_t whylen);
void pane_counts(const pane *p, size_t *shown, size_t *total);
void sub_scope_update(app *a);
bool sync_due(const app *a);
void models_invalidate(app *a);
void sync_views(app *a);
bool any_not_live(app *a);
void pane_reset(pane *p, const view_ops *ops);
void switch_pane(app *a, size_t i);
void stats_open(app *a);
void stats_close(app *a);
void detail_show(app *a, size_t i);
void detail_open(app *a, const view_ops *want);
void detail_close(app *a);
void scope_set(app *a, const char *ns, const char *name);
void help_build(app *a);

/* screen.c: the windows and what is drawn in them */
void windows_free(app *a);
void relayout(app *a);
void paint(void *arg);

/* dispatch.c: keys, prompts and commands */
bool front_waits_for_data(app *a);
void models_catch_up(app *a);
void held_keys_run(app *a, bool force);
void on_key(void *arg, int key);

#endif
