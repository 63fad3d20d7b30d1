/* Playback scripts: the parser (pure; tui/play.c runs them). Two formats, one statement a line,
 * '#' comments:
 *
 * hcptui's own (any file but *.tape):
 *     key NAME [xN]                 a key as keymaps name it (Enter, C-c, S-Tab, j), N times
 *     type TEXT                     literal text, quoted ("...", '...') when it has spaces
 *     command NAME [ARGS]           a named command, as on the `:` line
 *     sleep DURATION                300ms, 2s (scaled by --play-speed)
 *     wait-for "TEXT"|/REGEX/ [timeout DURATION]   until it is on the screen (default 10s)
 *     wait-idle [timeout DURATION]  until the data is live and nothing is pending (default 5s)
 *     expect "TEXT"|/REGEX/         on the screen now;  expect-not the same, not on it
 *     expect-row "TEXT"|/REGEX/     the selected row holds it
 *     snapshot FILE                 the screen as plain text
 *     resize COLSxLINES             80x24
 *     quit
 *
 * A vhs tape (*.tape): Type, Enter, Tab, Backspace, Escape, Up, Down, Left, Right, Space, PageUp,
 * PageDown, Home, End, Delete (each with an optional @SPEED and a count), Ctrl+X and Alt+X, Sleep,
 * Wait /re/, Wait+Screen /re/ and Wait+Line /re/ (with an optional @TIMEOUT), Screenshot FILE (a
 * text snapshot); Output, Set, Hide, Show, Require and Source are accepted and ignored with a note.
 * Anything else is an error with its line; every bad line is reported, and a script with one does
 * not run. */
#ifndef HCP_TUI_SCRIPT_H
#define HCP_TUI_SCRIPT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

typedef enum stmt_kind {
    ST_KEY,
    ST_TYPE,
    ST_COMMAND,
    ST_SLEEP,
    ST_WAIT_FOR,
    ST_WAIT_IDLE,
    ST_EXPECT,
    ST_EXPECT_NOT,
    ST_EXPECT_ROW,
    ST_SNAPSHOT,
    ST_RESIZE,
    ST_QUIT,
    ST_NOTE, /* a tape statement accepted and ignored: its note is said once, at the start */
} stmt_kind;

typedef struct stmt {
    stmt_kind kind;
    int line;
    char *source;  /* the line as written (for messages) */
    char *text;    /* TYPE, COMMAND, the text to find, the snapshot's file, a note */
    bool is_regex; /* the text is a regular expression (compiled in re) */
    regex_t re;
    int key;       /* KEY */
    int repeat;    /* KEY: how many times (>= 1) */
    int64_t ms;    /* SLEEP: how long; WAIT_*: the timeout; KEY/TYPE: the pause between keys (tape @SPEED) */
    int cols, lines; /* RESIZE */
} stmt;

typedef struct script {
    stmt *s;
    size_t n;
    char *origin; /* the file, for messages */
} script;

/* Parses text (tape when is_tape). Returns the number of bad lines, each reported in errs as
 * "ORIGIN:LINE: message\n"; 0 and the statements in out otherwise (free with script_free either
 * way). */
int script_parse(const char *text, size_t len, const char *origin, bool is_tape, script *out, buf *errs);
/* Reads and parses a file (a *.tape is a tape). Bad lines as above; an unreadable file is one. */
int script_load(const char *path, script *out, buf *errs);
void script_free(script *s);

/* Parses a --play-speed ("2x", "0.5x", "1.5"): the factor, or 0 when it is no speed. */
double script_speed_parse(const char *s);

#endif
