/* The `:` command line: a line parses into a command and its arguments, the same (command,
 * arguments) a key binding holds, and Tab completes from each command's argument spec. Pure: no
 * curses.
 *
 *   :hc  :np  :etcd  :updates  (any view name or alias)   show that pane
 *   :ctx NAME                                              switch kubeconfig context
 *   :ns NAME    :ns (or :ns all)                           one namespace, or all namespaces
 *   :q  :quit                                              quit
 *   :COMMAND [ARGS]                                        any named command ("sort.next", "why") */
#ifndef HCP_TUI_CMDLINE_H
#define HCP_TUI_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "tui/command.h"

typedef enum cmdline_kind {
    CL_EMPTY,   /* nothing typed */
    CL_COMMAND, /* cmd (with its arguments) */
    CL_ERROR,   /* err: why */
} cmdline_kind;

typedef struct cmdline_result {
    cmdline_kind kind;
    command cmd;
    char err[200];
} cmdline_result;

void cmdline_parse(const char *line, cmdline_result *out);
/* The same, the view in front's own commands first (see command_find_word). */
void cmdline_parse_in(const char *line, const view_ops *view, cmdline_result *out);

/* Where completion candidates come from (any list may be empty). */
typedef struct cmdline_sources {
    const char *const *contexts;
    size_t n_contexts;
    const char *const *namespaces;
    size_t n_namespaces;
} cmdline_sources;

/* Completes the last word of line (NUL-terminated, capacity cap) in place: one candidate is
 * inserted whole (plus a space after a command word); several extend the word to their longest
 * common prefix and are listed, space-separated, in shown (may be NULL). Returns the number of
 * candidates. */
size_t cmdline_complete(char *line, size_t cap, const cmdline_sources *src, char *shown, size_t shownlen);

/* The words the `:` line takes ("hc np etcd updates q ctx ns why pause ... stats"), each with its
 * ':', space-separated: every command with all, else the panes and the commands with a short word
 * (for the unknown-command error). */
void cmdline_words(buf *out, bool all);

#endif
