/* Small text files a person writes (keymaps, scripts, the config): read whole, with a size limit,
 * and walked line by line with the line numbers errors name. */
#ifndef HCP_COMMON_TEXTFILE_H
#define HCP_COMMON_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/buf.h"

/* Reads path into out (NUL-terminated). 0; or -1 with a message: "PATH: No such file or
 * directory", "PATH: larger than N KiB, not a WHAT", "PATH: read error". */
int textfile_read(const char *path, size_t max, const char *what, buf *out, char *err, size_t errlen);

/* Parses text line by line: fn gets each statement line (leading blanks skipped, a CR before the LF
 * dropped; blank lines and '#' comments are skipped) with its number from 1, and returns NULL when
 * the line is fine or why it is not. Every bad line, and every line of max_line bytes or more or
 * with a NUL, is reported as "ORIGIN:LINE: why\n" in errs (may be NULL). Returns the bad lines. */
typedef const char *(*textfile_line_fn)(char *line, int lineno, void *arg);
int textfile_parse(const char *text, size_t len, size_t max_line, const char *origin, buf *errs, textfile_line_fn fn,
                   void *arg);

/* Opens path for writing, emptied, as a private file: created 0600 whatever the umask (casts,
 * recordings and snapshots hold cluster names), an existing regular file made 0600 too (a device
 * or a pipe, such as /dev/stdout, is left as it is). NULL with errno set on failure. */
FILE *textfile_create(const char *path);

#endif
