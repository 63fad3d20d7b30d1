/* How decoders build records: one arena per record, so a record is freed in one sweep and a hostile
 * object cannot leak half-built pieces. Internal to client/ (decode.c and its tests). */
#ifndef HCP_CLIENT_RECORD_ARENA_H
#define HCP_CLIENT_RECORD_ARENA_H

#include <stdbool.h>
#include <stddef.h>

#include "client/records.h"

/* A zeroed record of that kind, living in its own fresh arena. Aborts on out-of-memory. */
record *record_new(res_kind kind);

/* The next record_new() on this thread reserves exactly `bytes` in its first chunk (a decoder's
 * second pass, sized by the first: see decode.c). */
void record_size_hint(size_t bytes);
/* Tells record_new() what a record of that kind just needed: later ones start with that much. */
void record_size_learn(res_kind kind, size_t used);
/* Bytes the record's arena actually holds (what a second pass needs). */
size_t record_used_bytes(const record *r);

/* True once the record has reached REC_MAX_BYTES: decoders stop adding entries. */
bool record_full(const record *r);
/* Counts n dropped entries or strings in r->meta.truncated (saturating). */
void record_truncated(record *r, size_t n);

/* Zeroed, aligned memory owned by the record. n*size overflow aborts. */
void *record_alloc(record *r, size_t n, size_t size);

/* A copy owned by the record (or a static constant for well-known values such as "True",
 * "AsExpected", condition types), cut to REC_MAX_STRING bytes at a UTF-8 boundary; a cut counts in
 * r->meta.truncated. NULL stays NULL. */
const char *record_str(record *r, const char *s);

#endif
