/* The one gate between cluster text and the terminal.
 *
 * Every string that came from the cluster (cells, messages, YAML lines, errors) passes through
 * sanitize_text() once, at the point where it is drawn or printed. It removes what could move the
 * cursor or talk to the terminal (C0, DEL, C1, whole CSI/OSC/DCS/APC/PM/SOS sequences, bidi
 * overrides), repairs invalid UTF-8, and fits the text to a display width with an ellipsis. */
#ifndef HCP_TUI_SANITIZE_H
#define HCP_TUI_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

enum {
    SAN_ASCII = 1u << 0, /* output only printable ASCII: other characters become '?' */
};

typedef struct san_result {
    size_t bytes;   /* bytes written to out, without the NUL */
    int width;      /* display columns of out */
    bool truncated; /* the text did not fit (width or buffer) and ends with the ellipsis */
} san_result;

/* Sanitizes len bytes of in (NUL bytes end the text) into out (outsz >= 1, always NUL-terminated).
 * max_width < 0 means no width limit (the buffer size still is one). Width uses wcwidth() of the
 * current locale, as curses does; characters it calls unprintable become U+FFFD. */
san_result sanitize_mem(const char *in, size_t len, char *out, size_t outsz, int max_width, unsigned flags);

/* The same for a NUL-terminated string (NULL is treated as ""). */
san_result sanitize_text(const char *in, char *out, size_t outsz, int max_width, unsigned flags);

/* Display width of text that is already sanitized (valid UTF-8, printable). */
int text_width(const char *s, unsigned flags);


#endif
