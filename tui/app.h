/* The interactive console: screen layout, panes, detail views, prompts and command dispatch, on
 * top of the loop, the table widget and the keymap. main.c builds the connection and the keymap,
 * starts the terminal, and calls app_run(). */
#ifndef HCP_TUI_APP_H
#define HCP_TUI_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/client.h"
#include "tui/keymap.h"

/* What the header shows about the connection (main keeps it current across :ctx). */
typedef struct app_identity {
    char context[128];
    char server[256];
    char user[128];
    char warning[256]; /* kube_target_warnings text, "" when none */
} app_identity;

typedef struct app_config {
    client *cl;                    /* the connection (replaced by reconnect) */
    const keymap *km;
    app_identity *id;
    bool read_only;
    bool watch;                    /* --watch: the fleet's problems, for a wall (tui/paneset.c) */
    int refresh_seconds;           /* --refresh N (0: watching): the header says "polling Ns" */
    const char *start_pane;        /* NULL: clusters */
    const char *start_message;     /* shown on the message line at start (keymap warnings), may be NULL */
    const char *ns;                /* -n: the initial namespace scope, NULL: all */
    const char *const *contexts;   /* for :ctx completion */
    size_t n_contexts;
    /* :ctx NAME: closes the old client and opens one for that context (updating *id). Returns the
     * new client or NULL with a message (the old one then stays). NULL hook: :ctx is refused. */
    client *(*reconnect)(void *arg, client *old, const char *context, char *err, size_t errlen);
    void *reconnect_arg;
    /* True when the kubeconfig changed on disk since the connection was made (reconnect_arg);
     * the console then reconnects by itself while its data is not live. NULL: never. */
    bool (*kubeconfig_changed)(void *arg);
    volatile sig_atomic_t *stop;   /* set by a signal handler (SIGTERM, SIGHUP, SIGINT): quit */
    /* --play SCRIPT: run it through the command layer (tui/play.c); NULL: none */
    const struct script *play;
    double play_speed;             /* sleeps are divided by it (1: as written) */
    bool play_only;                /* a key from the person does not pause the playback */
    int *play_status;              /* set: 0 every statement held, 1 one did not (the report says which) */
    struct buf *play_report;       /* the failing line, the statement, the screen; notes */
    struct recorder *record;       /* --record FILE: the person's keys (tui/record.h); NULL: none */
} app_config;

/* Runs the console until the user quits. The terminal must be started. Returns the client in use
 * at the end (it may have been replaced by :ctx), for the caller to close. */
client *app_run(const app_config *cfg);

#endif
