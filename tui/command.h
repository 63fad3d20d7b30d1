/* Named commands: what keys, the `:` line and playback scripts ask the console to do.
 *
 * A command is one row of a table, as tmux's cmd_entry is: its name, the words the `:` line also
 * knows it by, its arguments, its flags, one line of help and its own exec function, which does the
 * work and returns what it changed (the parts of the screen to repaint, or that the console quits).
 * Rows come from three places, looked up alike: the fixed table (cmd_table.c), one "view.<name>"
 * per registered view (show that pane or detail view), and the commands each view contributes
 * (view_ops.commands, e.g. "cluster.why"). Keymaps bind keys to a command with its arguments
 * ("bind generic P cluster.pause 2h"); the `:` line parses into the same (command, arguments).
 *
 * Adding a command: one row in cmd_table.c, its exec function (cmd_*.c), a keymap line, its help
 * text, and a test (tests/unit/test_tui_console.c drives commands through the key path). */
#ifndef HCP_TUI_COMMAND_H
#define HCP_TUI_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/redraw.h"
#include "views/view.h"

typedef struct console console; /* tui/console.h */

/* command flags */
#define CMDF_MUTATING 0x01u /* changes the cluster: refused in read-only mode */
#define CMDF_NEEDS_ROW 0x02u /* acts on the selected row */
#define CMDF_ROWS 0x04u      /* its effect depends on the rows (moving, searching): held while a view loads */
#define CMDF_CONFIRM 0x08u   /* asks before it sends anything */

#define CMD_MAX_ARGS 4
#define CMD_ARGS_MAX 160 /* the arguments as typed, in one string */

/* What an argument is: it decides validation and what Tab completes. */
typedef enum cmd_arg_kind {
    ARG_WORD,      /* any word */
    ARG_CONTEXT,   /* a kubeconfig context (completes from the kubeconfig) */
    ARG_NAMESPACE, /* a namespace, or "all" */
    ARG_COUNT,     /* a whole number >= 0 */
} cmd_arg_kind;

typedef struct cmd_arg_spec {
    const char *name; /* in usage lines: "NAME" */
    cmd_arg_kind kind;
    bool optional; /* this and every later argument may be left out */
} cmd_arg_spec;

/* The arguments of one run, split into words (quotes group words with spaces). */
typedef struct cmd_args {
    int argc;
    char argv[CMD_MAX_ARGS][CMD_ARGS_MAX];
} cmd_args;

typedef struct cmd_entry cmd_entry;
typedef unsigned (*cmd_exec_fn)(console *c, const cmd_entry *e, const cmd_args *a);

struct cmd_entry {
    const char *name;             /* "cursor.down", "context" */
    const char *const *aliases;   /* more words for the `:` line ("ctx"), NULL-terminated; may be NULL */
    cmd_arg_spec args[CMD_MAX_ARGS]; /* up to the first with name NULL */
    unsigned flags;
    const char *help;
    cmd_exec_fn exec;
    const view_ops *view;         /* view.<name>, and a view's own commands */
    const view_command *vcmd;     /* a view's own command */
};

/* A command with its arguments, as a key binding or a `:` line holds it. */
typedef struct command {
    const cmd_entry *e;
    char args[CMD_ARGS_MAX]; /* as typed, "" for none */
} command;

/* Finds a command by a word of the `:` line: a name, an alias, or a view's name or alias
 * ("hc" is view.clusters, "q" is quit). Case-insensitive; NULL when unknown. The commands of the
 * view prefer (may be NULL) come first: ":upgrade" on the node pools upgrades a pool. */
const cmd_entry *command_find_word(const char *word, const view_ops *prefer);
/* Parses "NAME [ARGS...]" (a keymap's command) into out; false with a message when the name is
 * unknown or the arguments do not fit its spec. */
bool command_parse(const char *text, command *out, char *err, size_t errlen);
/* Splits text into args and checks them against e's spec; false with a message ("usage: ..."). */
bool command_args_parse(const cmd_entry *e, const char *text, cmd_args *out, char *err, size_t errlen);
/* The command as a keymap or `:` line writes it: "cursor.down", "context prod". */
void command_text(const command *c, char *out, size_t outlen);
bool command_is(const command *c, const char *name);
/* Two bindings run the same thing (same entry, same arguments). */
bool command_same(const command *a, const command *b);

/* Calls fn for every command (the table, then view.<name> per view, then the views' commands). */
void command_each(void (*fn)(const cmd_entry *e, void *arg), void *arg);

/* The fixed table (cmd_table.c); n set to its length. */
const cmd_entry *cmd_table(size_t *n);

#endif
