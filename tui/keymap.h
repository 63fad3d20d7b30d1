/* Keymaps: which key runs which command, per view.
 *
 * Text format, one statement per line ('#' at the start of a line begins a comment):
 *     bind KEYMAP KEY COMMAND [ARGS...]
 * KEYMAP is "generic" (every view), "detail" (every detail view), a view name ("clusters",
 * "yaml", ...) or a layer's ("prompt", "help"); KEY a key name (keys.h); COMMAND a command name
 * (command.h) with its arguments as the `:` line takes them, or "none" to unbind. A key is looked
 * up in the top layer's keymap (a modal layer stops there), then the view's own, then "detail"
 * (for detail views), then "generic".
 * A later bind of the same keymap and key replaces the earlier one, so a user file loaded after the
 * built-in default only needs the lines it changes. Errors name file:line; the other lines load. */
#ifndef HCP_TUI_KEYMAP_H
#define HCP_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "tui/command.h"

typedef struct keymap keymap;

/* The built-in default keymap: the text of keymaps/default.keymap, compiled in. */
extern const char keymap_default_text[];

keymap *keymap_new(void);
void keymap_free(keymap *km); /* NULL is fine */

/* Loads statements; each bad line appends "origin:LINE: message\n" to errs (may be NULL).
 * Returns the number of bad lines. */
int keymap_load_text(keymap *km, const char *text, size_t len, const char *origin, buf *errs);
/* The same from a file; an unreadable file is one error ("path: No such file or directory"). */
int keymap_load_file(keymap *km, const char *path, buf *errs);
/* The user's keymap: $XDG_CONFIG_HOME/hcptui/keymap (default ~/.config/hcptui/keymap); false when
 * neither variable is set. */
bool keymap_user_path(char *out, size_t outlen);
/* Loads the user's keymap when it exists (none is no error), then explicit_path (--keymap, may be
 * NULL) on top; bad lines as keymap_load_text. Returns the number of bad lines. */
int keymap_load_user(keymap *km, const char *explicit_path, buf *errs);
/* The problems of a load ("f:1: ...\n" lines) on one line for the message line: "keymap (2
 * problems): f:1: ...; f:4: ...". */
void keymap_errors_line(const char *errs, char *out, size_t outlen);
/* A keymap holding the built-in default (aborts if the compiled-in text is broken: a build bug). */
keymap *keymap_default(void);

/* The keymaps consulted, most specific first: the layer's (NULL: none; a modal one alone), the
 * view's, "detail", "generic". Returns how many (at most 4). */
size_t keymap_chain(const char *layer, bool modal, const char *view_name, bool is_detail, const char *chain[4]);
bool keymap_lookup_in(const keymap *km, const char *const *chain, size_t n, int key, command *out);
size_t keymap_each_in(const keymap *km, const char *const *chain, size_t n,
                      void (*fn)(int key, const command *c, const char *map, void *arg), void *arg);

/* The command for a key in a view (view_name NULL: generic only). False when unbound. */
bool keymap_lookup(const keymap *km, const char *view_name, bool is_detail, int key, command *out);

/* Every binding effective in that view, most specific keymap first, each key once (unbound keys
 * skipped): fn(key, command, keymap name, arg). Returns the count. For the help screen and docs. */
size_t keymap_each_effective(const keymap *km, const char *view_name, bool is_detail,
                             void (*fn)(int key, const command *c, const char *map, void *arg), void *arg);

/* A key bound to a command (without arguments) in that view, for the hint bar: the first that is
 * no control chord when one is bound (Q before C-c), else the first; false when none. */
bool keymap_key_for(const keymap *km, const char *view_name, bool is_detail, const char *command_name, int *key);

#endif
