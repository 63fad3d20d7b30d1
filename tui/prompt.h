/* Line editing for the `/` and `:` prompts (pure: a NUL-terminated UTF-8 buffer). */
#ifndef HCP_TUI_PROMPT_H
#define HCP_TUI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

/* Appends a typed key (keys.h) when it is a printable character and fits (cap includes the NUL);
 * false otherwise (controls, special keys, a full line). */
bool prompt_insert(char *line, size_t cap, int key);
/* Removes the last character (a whole UTF-8 sequence); false when the line was empty. */
bool prompt_backspace(char *line);

#endif
