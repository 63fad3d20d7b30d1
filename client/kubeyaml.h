/* A small read-only YAML tree for kubeconfig files, built from libyaml events: maps, sequences and
 * scalars with their line numbers, so errors can say "line 7: ...". Aliases share the anchored node
 * (no copying, so alias bombs cost nothing); merge keys ("<<") are honoured by ky_get. Only the first
 * document of a stream is read (as kubectl does). Nesting is limited to KY_MAX_DEPTH. */
#ifndef HCP_CLIENT_KUBEYAML_H
#define HCP_CLIENT_KUBEYAML_H

#include <stdbool.h>
#include <stddef.h>

#define KY_MAX_DEPTH 100

typedef enum ky_type { KY_SCALAR, KY_MAP, KY_SEQ } ky_type;

typedef struct ky_node ky_node;
struct ky_node {
    ky_type type;
    int line;               /* 1-based line where the node starts */
    char *str;              /* scalars: the value (NUL-terminated; may hold NULs, see len) */
    size_t len;
    bool plain;             /* scalars: written without quotes (so "null", "true" are special) */
    size_t n;               /* maps: number of pairs; sequences: number of items */
    ky_node **keys;         /* maps: scalar keys */
    ky_node **vals;         /* maps: values; sequences: items */
    size_t cap;
    ky_node *next_owned;    /* every node of a document, for freeing */
};

typedef struct ky_doc {
    ky_node *root;          /* NULL for an empty document */
    ky_node *owned;
} ky_doc;

/* Parses text (len bytes, need not be NUL-terminated). 0 on success; -1 with "line N: problem" in
 * err (libyaml's words for syntax errors). On failure doc is left empty. */
int ky_parse(const char *text, size_t len, ky_doc *doc, char *err, size_t errlen);
void ky_free(ky_doc *doc);

/* The value of key in a map (NULL when map is NULL, not a map, or lacks it); the last one when the
 * key repeats (kubectl's reading); "<<" merges are searched after the map's own keys. */
const ky_node *ky_get(const ky_node *map, const char *key);
/* True for a missing node and for plain null scalars ("", "~", "null", "Null", "NULL"). */
bool ky_is_null(const ky_node *n);
/* Reads a plain boolean (true/false, yes/no, on/off in any of YAML's spellings); false when not one. */
bool ky_bool(const ky_node *n, bool *out);
/* "a map", "a list", "a string": for "must be a map, got a list" messages. */
const char *ky_type_name(const ky_node *n);

#endif
