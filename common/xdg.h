/* Where a user's files go, as the XDG base directories say: $VAR/REL when VAR holds an absolute
 * path, else $HOME/FALLBACK/REL. */
#ifndef HCP_COMMON_XDG_H
#define HCP_COMMON_XDG_H

#include <stdbool.h>
#include <stddef.h>

/* xdg_path("XDG_STATE_HOME", ".local/state", "hcptui/audit.log", ...); false when neither VAR nor
 * HOME is set, or the path does not fit. */
bool xdg_path(const char *var, const char *fallback, const char *rel, char *out, size_t outlen);

#endif
