/* The request statistics: a small local table view (the views/ contract, rendered by the same
 * table widget as the panes) of the transport's per-kind counters, and the compact indicator the
 * hint bar carries. Pure: no curses; the counters come through a source the console binds.
 *
 * One row per request kind ("hostedclusters list", "nodepools watch", "focus get", ...) and a last
 * row "all kinds": requests, errors, retries, bytes in and out, mean and max latency, and the
 * freshness of the watched kind the requests feed. */
#ifndef HCP_TUI_STATS_H
#define HCP_TUI_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/records.h"
#include "client/transport.h"
#include "views/view.h"

#define STATS_MAX_KINDS 64 /* request kinds beyond this are summed into the total only */

typedef struct stats_source {
    /* Copies up to max counters into out; returns how many. */
    size_t (*counters)(void *ud, transport_counter *out, size_t max);
    /* The sum over every kind (the "all kinds" row; transport_counter_total). */
    void (*total)(void *ud, transport_counter *out);
    /* The freshness words of the watched kind (kubectl-like "live", "stale 40s, ..."), and whether
     * that is not live; false when kind is not watched. */
    bool (*freshness)(void *ud, res_kind kind, char *out, size_t outlen, bool *not_live);
    void *ud;
} stats_source;

/* The view; its refresh ignores the store and reads the bound source (none: no rows). */
const view_ops *stats_view(void);
void stats_view_bind(const stats_source *src); /* copied; NULL unbinds */


/* "152", "1.2k", "12k", "3.4M", "5.6G" */
void stats_count_text(uint64_t v, char *out, size_t outlen);
/* "512 B", "1.2 KiB", "34 MiB", "1.0 GiB" */
void stats_bytes_text(uint64_t v, char *out, size_t outlen);
/* The hint bar's indicator from the totals: "152 req", "1.2k req 3 err"; with short, only the
 * errors when there are some ("3 err"), else the requests. */
void stats_indicator(const transport_counter *total, bool short_form, char *out, size_t outlen);

#endif
