/* A growable byte buffer, always NUL-terminated, for building bodies and text. */
#ifndef HCP_COMMON_BUF_H
#define HCP_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;  /* NULL until something is appended; then NUL-terminated */
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

/* All appenders abort on out-of-memory: a console cannot do anything useful then. */
void buf_append(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_reset(buf *b);            /* length 0, keeps the memory */
void buf_free(buf *b);             /* releases the memory */
char *buf_steal(buf *b);           /* hands the string to the caller ("" when empty) */
const char *buf_str(const buf *b); /* "" when empty */

/* Allocation helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A new formatted string (aborts on failure, like the rest). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
