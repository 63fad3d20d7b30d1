/* --cast FILE: the session's terminal output as an asciicast v2 file (a header with width, height,
 * timestamp and env TERM/SHELL, then one [time, "o", data] line per write, and [time, "r", "WxH"]
 * when the terminal is resized), for `asciinema play`. The cast holds only what the terminal showed:
 * no credential is ever on the screen (kubeconfig data never is; the header shows the user's name
 * only), so none is in the cast. */
#ifndef HCP_TUI_CAST_H
#define HCP_TUI_CAST_H

#include <stddef.h>

/* Starts recording: forks; the parent relays the terminal to the child's pseudo-terminal and writes
 * the cast, and exits with the child's status when it ends; the child returns 0 and goes on as the
 * console. -1 with a message (not a terminal, the file cannot be written), nothing forked. Call it
 * before any thread or connection exists. */
int cast_start(const char *path, char *err, size_t errlen);

#endif
