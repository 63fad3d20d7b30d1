/* The terminal: curses setup and teardown, themes (semantic roles to attributes), the glyph table
 * (UTF-8 or ASCII) and key input. The only module besides the drawing code that knows curses' setup.
 *
 * Colours: 256-colour, 16-colour and a mono theme; mono is used when the terminal has no colours,
 * NO_COLOR is set (non-empty) or --no-color is given, and keeps meaning through bold, underline,
 * reverse and the symbols of the glyph table. ESCDELAY: a short 25 ms by default (Esc answers at
 * once); the ESCDELAY environment variable, when set, wins (raise it on slow links). */
#ifndef HCP_TUI_TERM_H
#define HCP_TUI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "views/view.h"

/* Roles of the console's own chrome (cell roles are view_role). */
typedef enum ui_role {
    UI_HEADER,     /* the header line */
    UI_BADGE,      /* READ-ONLY, warnings */
    UI_TAB,        /* a pane name in the tab line */
    UI_TAB_ACTIVE, /* the current pane */
    UI_COLUMN,     /* table header row */
    UI_SELECTED,   /* the selection bar */
    UI_HINT,       /* key hint bar */
    UI_HINT_KEY,   /* a key in the hint bar */
    UI_MESSAGE,
    UI_ERROR,      /* an error on the message line */
    UI_PROMPT,     /* the `/` and `:` prompt */
    UI_COUNT
} ui_role;

typedef enum theme_kind { THEME_256, THEME_16, THEME_MONO } theme_kind;

/* Symbols and line drawing; every glyph is one terminal cell wide. */
typedef struct glyphs {
    const char *ok, *warn, *bad, *paused, *stale, *none; /* row markers: ● ▲ ✖ ⏸ ◌ (ASCII * ! x | ?) */
    const char *hline;                                   /* ─ / - */
    const char *vline;                                   /* │ / | */
    const char *sort_up, *sort_down;                     /* ▲ ▼ / ^ v */
    const char *sep;                                     /* · / | (between header fields) */
} glyphs;

typedef struct term_config {
    bool no_color; /* --no-color (NO_COLOR is read by term_start) */
    bool ascii;    /* --ascii (a non-UTF-8 locale implies it) */
} term_config;

/* Decides ASCII vs UTF-8 and the theme without touching the terminal (for --once and tests):
 * ascii when asked or when the locale's codeset is not UTF-8. setlocale() must have run. */
bool term_locale_is_utf8(void);

/* Starts curses on the controlling terminal. Parks stderr (replayed by term_stop). False with a
 * message when there is no usable terminal. */
bool term_start(const term_config *cfg, char *err, size_t errlen);
/* Restores the terminal and replays what was written to stderr meanwhile; idempotent. */
void term_stop(void);

const glyphs *term_glyphs(void);
unsigned term_san_flags(void); /* SAN_ASCII in ASCII mode */
/* Attributes (colour pair included) for a cell role / a chrome role. */
int term_role_attr(view_role role);
int term_ui_attr(ui_role role);
/* The marker glyph for a row role ("" for ROLE_DEFAULT). */
const char *term_role_glyph(view_role role);

/* Reads one key without waiting: true and *key (keys.h) when there was one. KEY_RESIZE comes back
 * as HK_RESIZE. Esc followed quickly by a key is M-key. */
bool term_read_key(int *key);

#endif
