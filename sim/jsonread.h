/* Request bodies read as Go's encoding/json reads them, on top of cJSON.
 *
 * kube-apiserver decodes JSON with Go, which is more forgiving than cJSON in two ways a client can
 * trip over: a lone UTF-16 surrogate escape ("\ud800") and invalid UTF-8 bytes inside a string are
 * accepted and become U+FFFD. cJSON refuses the first and keeps the second as raw bytes; this reader
 * rewrites both before cJSON sees the text. Go also keeps "\u0000" inside a string, which cJSON's
 * NUL-terminated strings cannot hold: rather than cut such a string short, the reader refuses it
 * (SIM_JSON_NUL) so the server can answer 400 in clear words. Raw control characters inside a string
 * are refused, as Go refuses them. */
#ifndef HCP_SIM_JSONREAD_H
#define HCP_SIM_JSONREAD_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef enum sim_json_error {
    SIM_JSON_OK,
    SIM_JSON_INVALID, /* not one JSON document (syntax, trailing data, raw control characters) */
    SIM_JSON_NUL,     /* a \u0000 inside a string */
} sim_json_error;

/* The message a 400 carries for SIM_JSON_NUL. */
#define SIM_JSON_NUL_MESSAGE "the body has a NUL character (\\u0000) inside a string, which this simulator cannot store"

/* Parses exactly len bytes as one JSON document (only white space may follow). NULL on failure, with
 * *why saying which (why may be NULL). */
cJSON *sim_json_read(const char *data, size_t len, sim_json_error *why);

#endif
