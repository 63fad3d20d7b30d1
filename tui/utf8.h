/* UTF-8 encoding and strict decoding, shared by the sanitizer, key names and the prompt. */
#ifndef HCP_TUI_UTF8_H
#define HCP_TUI_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_INVALID 0xFFFFFFFFu

/* Decodes one code point strictly (no overlongs, surrogates or values past U+10FFFF). Returns the
 * bytes consumed (>= 1, len must be >= 1); *cp is UTF8_INVALID when s does not start a valid
 * sequence, and then exactly one byte is consumed. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Encodes cp (<= U+10FFFF) into out; returns the byte count (1..4). out is not NUL-terminated. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
