/* Running a helper program (an exec credential plugin) without a shell and without blocking: start
 * it, poll its output descriptors in the console's loop, step it, read the result. Output is capped,
 * a time limit kills it (with its children: it gets its own process group unless it shares the
 * terminal), and it is always reaped. posix_spawn keeps this safe in a threaded process. */
#ifndef HCP_CLIENT_SUBPROCESS_H
#define HCP_CLIENT_SUBPROCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

typedef struct subprocess_opts {
    const char *command;     /* a path (with '/') or a name searched in PATH */
    char *const *argv;       /* argv[0] included, NULL-terminated */
    char *const *envp;       /* the whole environment, NULL-terminated */
    bool share_terminal;     /* stdin and stderr stay the console's, same process group (it may prompt) */
    int timeout_ms;          /* then SIGKILL */
    size_t max_stdout;       /* more is an error (and kills it) */
    size_t max_stderr;       /* more is dropped */
} subprocess_opts;

typedef struct subprocess_result {
    int status;              /* waitpid status, valid when neither flag below is set */
    bool timed_out;
    bool too_much_output;
    const buf *out;          /* stdout */
    const buf *err;          /* stderr (empty when shared with the terminal) */
} subprocess_result;

typedef struct subprocess subprocess;

/* NULL with an errno value in *error_number when it cannot start (ENOENT: command not found). */
subprocess *subprocess_start(const subprocess_opts *o, int *error_number);
/* The descriptors to poll for reading (0, 1 or 2 of them, into fds). */
int subprocess_fds(const subprocess *p, int fds[2]);
/* How long the loop may wait before calling subprocess_step without a ready descriptor. */
int subprocess_timeout_ms(const subprocess *p);
/* Reads what is there, enforces the limits, reaps. Never blocks (but a killed process is reaped at
 * once). True when finished. */
bool subprocess_step(subprocess *p);
/* Blocking convenience: steps until finished. */
void subprocess_wait(subprocess *p);
/* Valid once finished (NULL before). */
const subprocess_result *subprocess_result_get(const subprocess *p);
/* Kills it if still running, reaps, wipes and frees the captured output. NULL is fine. */
void subprocess_free(subprocess *p);

#endif
