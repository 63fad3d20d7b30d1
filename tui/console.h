/* One console: what tui/app.c runs in the loop and tests drive headless. Internal to tui/.
 *
 * It owns three parts, each with its own state and file: the pane set (paneset.h: panes, details,
 * scope, the views' data), the layer stack (layer.h: prompts, help, dialogs) and the screen
 * (screen.c: windows and what is dirty). Keys go to dispatch.c, which looks them up in the top
 * layer's keymap, the view's and generic, and runs the command they name; a command's exec
 * (cmd_*.c) changes the pane set or the layers and returns redraw bits, which dispatch hands to the
 * screen. Calls go one way: dispatch -> commands -> layers, pane set, message line; the screen
 * only reads them. */
#ifndef HCP_TUI_CONSOLE_H
#define HCP_TUI_CONSOLE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/audit.h"
#include "client/executor.h"
#include "tui/app.h"
#include "tui/command.h"
#include "tui/keyq.h"
#include "tui/layer.h"
#include "tui/loop.h"
#include "tui/msgline.h"
#include "tui/paneset.h"

#define MIN_COLS 80
#define MIN_LINES 24
#define WIDE_COLS 150 /* clusters above the node pools of the selected cluster */
#define WIDE_LINES 40
#define REPAINT_MIN_MS 100 /* data-driven repaints: at most ~10 a second */
#define INDICATOR_MIN_MS 60000 /* the hint bar's request counts move at most this often by themselves */
#define KEY_HOLD_MAX_MS 3000 /* typed-ahead keys wait at most this long for a loading view */

/* The terminal's side: windows, size, and what is to be repainted. */
typedef struct screen {
    WINDOW *w_header, *w_main, *w_hint, *w_msg;
    int cols, lines;
    bool relayout, too_small, clear;
    unsigned dirty;         /* RD_* bits waiting for the next paint */
    char last_header[1400]; /* the header is redrawn only when its text changed */
    char status[320];       /* the message line when no message: why the view's data is not live */
    transport_counter indicator; /* the request counts on the hint bar, as last taken */
    int64_t indicator_ms;         /* when they were taken */
} screen;

struct console {
    const app_config *cfg;
    client *cl;
    loop_timers timers;
    bool quit;
    bool net_failed; /* client_poll() reported a fatal error */
    bool headless;   /* no terminal (tests): nothing is drawn */

    paneset ps;
    layer_stack layers;
    screen sc;
    msgline msg;

    keyq held; /* keys typed while the view they act on was loading */
    int64_t last_data_paint_ms;
    bool data_pending; /* the store moved; refresh at the next allowed moment */
    char deferred[LAYER_TEXT_MAX]; /* a `:` line the prompt accepted, run once its key is done */
    bool has_deferred;

    struct player *player; /* --play (play.c) */
    bool identity_read_only; /* the access reviews say the identity may only read (the badge) */

    /* what the last action sent, until the watch shows it (actions.c) */
    struct observed *observe;
    size_t n_observe;
    char observe_title[256];
};

/* console.c: life and the loop's work, without a terminal */
console *console_new(const app_config *cfg, bool headless);
void console_free(console *c); /* the screen's windows are the caller's (screen_free) */
void console_after_wait(console *c);         /* the network may have moved the store */
void console_timer(console *c, int id);
/* Before a paint: the views catch up with the store when their repaint slot has come. */
void console_sync(console *c);

/* dispatch.c: keys and commands */
void console_key(console *c, int key);
/* Runs a command with its arguments as typed; the redraw bits. */
unsigned console_run(console *c, const command *cmd);
/* Parses and runs a `:` line (the view in front's own commands first); the redraw bits. */
unsigned console_run_line(console *c, const char *line);
void console_held_keys_run(console *c, bool force);

/* redraw.c: redraw bits to the screen (RD_QUIT quits); messages set the message line and return
 * RD_MSG, for `return console_error(c, ...)`. */
void console_apply(console *c, unsigned rd);
unsigned console_say(console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned console_error(console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* actions.c: the connection's executor (the client's task, with its audit log, made at first
 * use); NULL with a message when the log cannot be opened. */
executor *console_executor(console *c, char *err, size_t errlen);
/* Runs a view's own command on the selected (or marked) rows with its arguments and options. */
void console_view_command(console *c, const cmd_entry *e, const cmd_args *a, unsigned options, view_cmd_out *out);
/* After a send: watch the store for the objects the calls changed, and say when every change is
 * seen there (console_observe_tick, after each wait). */
void console_observe_start(console *c, const action *a, const executor *ex);
unsigned console_observe_tick(console *c);
/* layer_confirm.c: builds the action of a mutating view command and opens its confirmation. */
unsigned confirm_open(console *c, const cmd_entry *e, const cmd_args *a);
/* The confirmation on top waits for the server (a dry run or the send is out). */
bool confirm_busy(console *c);
/* layer_picker.c: a missing argument picked from the command's choices (out's are taken). */
unsigned picker_open(console *c, const cmd_entry *e, const cmd_args *a, view_cmd_out *out);
unsigned cmd_picker_move(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_picker_choose(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_picker_cancel(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_picker_erase(console *c, const cmd_entry *e, const cmd_args *a);
/* The marks of the active pane (a mark toggles with mark.toggle). */
unsigned cmd_mark_toggle(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_marks_clear(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_confirm_yes(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_confirm_no(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_confirm_toggle(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_confirm_scroll(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_confirm_erase(console *c, const cmd_entry *e, const cmd_args *a);

/* play.c: a playback script through the command layer, one statement per paint */
void player_start(console *c);
void player_free(console *c);
void player_timer(console *c);       /* TIMER_PLAY */
void player_after_paint(console *c); /* runs the statement that is due */
/* A key from the person: true when the player took it (it pauses or resumes the playback). */
bool player_person_key(console *c, int key);

/* cmd_session.c: a new connection to the same context (the kubeconfig changed on disk); why
 * opens the message. */
unsigned console_reconnect(console *c, const char *why);

/* screen.c */
/* The screen as plain text, one line each, trailing blanks dropped (what is on the terminal). */
void screen_text(const console *c, buf *out);
void screen_free(screen *s);
void screen_paint(console *c);

/* The commands' exec functions (cmd_view.c, cmd_session.c, layer_prompt.c, layer_help.c). */
unsigned cmd_none(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_quit(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_view(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_view_next(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_view_prev(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_cursor(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_sort(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_filter(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_search(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_detail(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_detail_step(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_scope_set(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_scope_clear(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_back(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_view_command(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_help(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_command(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_redraw(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_stats(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_context(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_namespace(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_prompt_accept(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_prompt_cancel(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_prompt_complete(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_prompt_erase(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_prompt_clear(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_help_scroll(console *c, const cmd_entry *e, const cmd_args *a);
unsigned cmd_help_close(console *c, const cmd_entry *e, const cmd_args *a);

#endif
