/* One way to report a failure into a caller's message buffer: every layer writes its one-line
 * errors through this, so a NULL or zero-sized buffer is always safe and the result is -1. */
#ifndef HCP_COMMON_ERRFMT_H
#define HCP_COMMON_ERRFMT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into err (when err and errlen allow) and returns -1, for `return set_err(...)`. */
int set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int set_verr(char *err, size_t errlen, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

#endif
