/* --record FILE: what the person types, with the pauses between keys, written as a playback
 * script (docs/playback.md): keys typed as text into a prompt or a dialog are grouped into `type`,
 * the others are `key NAME`, and a pause of more than a fifth of a second is a `sleep`. Pure but for
 * the file. */
#ifndef HCP_TUI_RECORD_H
#define HCP_TUI_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct recorder recorder;

/* Opens (truncates) path; NULL with a message. */
recorder *record_open(const char *path, char *err, size_t errlen);
/* One key at now_ms (monotonic); as_text: it types into a line (a prompt, a name to type). */
void record_key(recorder *r, int key, bool as_text, int64_t now_ms);
/* Writes what is pending and a final quit, and closes; NULL is fine. */
void record_close(recorder *r);
/* The same on any stream, for tests: the recorder writes there and closes nothing. */
recorder *record_on(FILE *f);

#endif
