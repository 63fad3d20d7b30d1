/* Named commands: what keys, the `:` line and (later) playback scripts ask the console to do.
 *
 * One table (command.c) gives each command its name, one line of help and its flags; keymaps bind
 * keys to these names and the help screen and docs are generated from the table. The panes and
 * detail views add one command each, "view.<name>", from the views registry. Adding a command (for
 * example an action such as cluster.pause) is one row in the table plus its handler. */
#ifndef HCP_TUI_COMMAND_H
#define HCP_TUI_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "views/view.h"

typedef enum cmd_id {
    CMD_NONE, /* "none": unbinds a key */
    CMD_QUIT,
    CMD_VIEW,  /* view.<name>: show a pane, or a detail view of the current object */
    CMD_VIEW_NEXT,
    CMD_VIEW_PREV,
    CMD_CURSOR_DOWN,
    CMD_CURSOR_UP,
    CMD_CURSOR_TOP,
    CMD_CURSOR_BOTTOM,
    CMD_PAGE_DOWN,
    CMD_PAGE_UP,
    CMD_SORT_NEXT,
    CMD_SORT_PREV,
    CMD_SORT_REVERSE,
    CMD_FILTER, /* tables: filter rows; text views: search */
    CMD_SEARCH_NEXT,
    CMD_SEARCH_PREV,
    CMD_HELP,
    CMD_COMMAND, /* the `:` line */
    CMD_DETAIL,  /* open the detail views of the selected row */
    CMD_DETAIL_NEXT,
    CMD_DETAIL_PREV,
    CMD_SCOPE_SET,   /* scope the panes to the selected row's hosted cluster */
    CMD_SCOPE_CLEAR,
    CMD_BACK,        /* close a detail view, else clear the filter, else clear the scope */
    CMD_REDRAW,
    CMD_STATS,       /* the request statistics (toggles) */
    CMD_COUNT
} cmd_id;

/* command flags */
#define CMDF_MUTATING 0x01u /* changes the cluster: refused in read-only mode (none yet) */
#define CMDF_NEEDS_ROW 0x02u /* acts on the selected row */

typedef struct command {
    cmd_id id;
    const view_ops *view; /* CMD_VIEW only */
} command;

/* Parses a command name ("cursor.down", "view.etcd"); false when unknown. */
bool command_parse(const char *name, command *out);
/* The command's name, as command_parse() accepts it. */
void command_name(const command *c, char *out, size_t outlen);
/* One line of help ("Move the cursor one row down"). */
const char *command_help(const command *c);
unsigned command_flags(const command *c);

/* Calls fn for every command name (fixed ones, then view.<name> for each registered view). */
void command_each(void (*fn)(const char *name, void *arg), void *arg);

#endif
