/* `--once`: a pane printed once and exit, for scripts, cron and a quick look over a slow link.
 * Text goes through the same layout and sanitizer as the screen; json and yaml carry the rows'
 * fields and derived facts as data (docs/once.md); `--check` sums the fleet up as a monitoring
 * plugin does. */
#ifndef HCP_TUI_ONCE_H
#define HCP_TUI_ONCE_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "views/facts.h"
#include "views/model.h"

struct store;
struct client;

typedef enum once_format {
    ONCE_TEXT, /* the pane's table */
    ONCE_WIDE, /* every column, no cell cut */
    ONCE_JSON,
    ONCE_YAML,
    ONCE_NAME, /* kind/namespace/name lines */
} once_format;

/* "text", "wide", "json", "yaml", "name" to a format; false when unknown. */
bool once_format_parse(const char *name, once_format *out);

/* Prints the header row and every row of m (no trailing spaces). width > 0: laid out for that many
 * columns, cells cut to fit as on the screen. width <= 0: the columns kept at `pick_width`
 * (ONCE_TEXT) or all of them (wide), each as wide as its widest cell, so nothing is cut. Heading
 * rows print as one line. An empty view prints its empty text. */
void once_print(FILE *f, const view_model *m, int width, int pick_width, bool all_columns, unsigned san_flags);

/* The width a terminal lays out for: $COLUMNS when it is a number from 20 to 1000, else the
 * terminal's width, else 200. */
int once_width(int fd);

/* The header of a json/yaml document (who and when). */
typedef struct once_source {
    const char *context;
    const char *server;
    time_t now;
} once_source;

/* The rows of m as one JSON document (docs/once.md): each object row's kind, namespace, name,
 * cluster, its cells by column id ("fields", uncut and unsanitized) and its facts. Caller frees. */
cJSON *once_document(const view_model *m, struct store *st, const once_source *src);
/* m as JSON (pretty, one document) or YAML, written to f. */
void once_print_json(FILE *f, const view_model *m, struct store *st, const once_source *src);
void once_print_yaml(FILE *f, const view_model *m, struct store *st, const once_source *src);
/* One "kind/namespace/name" line per object row (kind in lower case: hostedcluster, nodepool, pod). */
void once_print_names(FILE *f, const view_model *m);

/* --check: the fleet's hosted clusters (as the store holds them) summed up in one line ("CRITICAL:
 * 1 of 8 hosted clusters critical (team-a/etcd-degraded: Degraded: ...), 1 warning (...)"), the
 * worst level returned. line is sanitized with san_flags. */
check_level once_check(struct store *st, time_t now, unsigned san_flags, char *line, size_t linelen);

/* How the first lists went (once_wait). */
typedef enum once_read {
    ONCE_READ_OK,
    ONCE_READ_FAILED,      /* unreachable, refused, forbidden, or still failing at the timeout */
    ONCE_READ_CREDENTIALS, /* 401, or the credentials could not be renewed */
} once_read;

/* Runs the client until every kind of `required` and `optional` (bit masks of 1u << res_kind) has
 * been listed once, or timeout_ms passed. A transient failure (5xx, 429, a reset, a timeout, a
 * malformed answer) is retried by the informers with their backoff and Retry-After, and waited
 * for; a lasting one (401, 403, 404, TLS, refused, unresolvable) of a required kind ends the wait at
 * once. An optional kind that fails is done without. err says why in words. */
once_read once_wait(struct client *c, unsigned required, unsigned optional, int timeout_ms, char *err,
                    size_t errlen);

#endif
