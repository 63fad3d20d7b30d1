/* --log FILE: a diagnostics log for a console left running for days: one line per request
 * (method, path, status, latency, attempt), per change of a watched kind's freshness (stale,
 * live, forbidden, and why), per credential renewal. It never holds a credential: requests are
 * logged by method and path only (tokens, certificates and keys travel in headers and TLS, which
 * are not logged). The file is capped: past its size it moves to FILE.1 and starts again, so at
 * most twice the cap is on disk. Process-wide: one log, opened once. */
#ifndef HCP_COMMON_DIAGLOG_H
#define HCP_COMMON_DIAGLOG_H

#include <stdbool.h>
#include <stddef.h>

/* Opens (appends to) path, folders as they are, file 0600; false with a message. */
bool diaglog_open(const char *path, size_t max_bytes, char *err, size_t errlen);
void diaglog_close(void);
bool diaglog_active(void);
/* One line: the time (RFC 3339) and the text. Nothing when no log is open. */
void diaglog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
