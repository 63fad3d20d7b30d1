/* Strict UTF-8 (RFC 3629): one decoder for every layer, so the simulator's JSON reader and the
 * console's sanitizer agree on which bytes are text. */
#ifndef HCP_COMMON_UTF8_H
#define HCP_COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* What utf8_decode stores when the bytes start no valid sequence (never a code point). */
#define UTF8_INVALID 0xFFFFFFFFu

/* Decodes the code point at the start of s (len bytes readable). Strict: overlong forms, UTF-16
 * surrogates (U+D800..U+DFFF), values past U+10FFFF, lone continuation bytes and sequences cut short
 * by len are invalid. Returns the bytes consumed and stores the code point in *cp; on invalid input
 * *cp is UTF8_INVALID and exactly one byte is consumed, so the caller can replace that byte and look
 * at the next afresh (the "maximal subpart" is not skipped). Returns 0 (with UTF8_INVALID) only when
 * len is 0. Bytes past len are never read. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Encodes cp into out and returns the byte count (1..4). out is not NUL-terminated. cp must be a
 * Unicode scalar value (at most U+10FFFF, not a surrogate); anything else is encoded as U+FFFD, so
 * the output is always valid UTF-8. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
