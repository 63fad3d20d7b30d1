/* The user's config file, $XDG_CONFIG_HOME/hcptui/config (default ~/.config/hcptui/config): what a
 * bastion wants every time, without flags. One setting a line, '#' comments:
 *     read-only = true          as --read-only (a flag cannot turn it off again)
 *     keymap = /path/file       as --keymap (the flag wins)
 *     color = never             as --no-color (or: auto)
 *     ascii = true              as --ascii
 *     refresh = 30              as --refresh 30 (the flag wins)
 * A bad line is an error with its line; the console does not start on a broken config. */
#ifndef HCP_TUI_CONFIG_H
#define HCP_TUI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "tui/options.h"

typedef struct tui_config {
    bool read_only, no_color, ascii;
    char *keymap;
    int refresh_seconds;
} tui_config;

/* Parses text; the number of bad lines ("ORIGIN:LINE: message\n" in errs). */
int config_parse(const char *text, size_t len, const char *origin, tui_config *out, buf *errs);
/* Loads the user's config when it exists (none: no error, all off). */
int config_load(tui_config *out, buf *errs);
/* The config under the flags: the flags win where they were given. */
void config_apply(const tui_config *cfg, tui_options *o);
void config_free(tui_config *cfg);

#endif
