/* The help screen's text: every key of a view from the active keymap, grouped by command, with the
 * command's name and one line of help (pure: no curses, tested without a terminal). */
#ifndef HCP_TUI_HELP_H
#define HCP_TUI_HELP_H

#include <stdbool.h>

#include "common/buf.h"
#include "tui/keymap.h"

/* Appends the help lines ('\n'-separated, no trailing newline) for the view to out: a title line,
 * then "  KEYS  COMMAND  HELP" per command in keymap order, then the command-line summary. */
void help_text(const keymap *km, const char *view_name, const char *view_title, bool is_detail, buf *out);

/* The same, with a note after a command's help where note(e, arg) gives one ("not permitted:
 * cannot patch hostedclusters in every namespace"); NULL or "" for none. */
typedef const char *(*help_note_fn)(const cmd_entry *e, void *arg);
void help_text_noted(const keymap *km, const char *view_name, const char *view_title, bool is_detail, help_note_fn note,
                     void *arg, buf *out);

#endif
