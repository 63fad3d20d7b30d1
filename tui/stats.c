/* The request statistics view and indicator (see stats.h). */
#include "tui/stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

#define FRESH_TEXT_MAX 160

enum { COL_KIND, COL_REQUESTS, COL_ERRORS, COL_RETRIES, COL_IN, COL_OUT, COL_MEAN, COL_MAX, COL_FRESHNESS, N_COLS };

typedef struct stats_row {
    transport_counter c;
    bool watched;  /* feeds a watched kind: fresh holds its words */
    bool not_live;
    char fresh[FRESH_TEXT_MAX];
} stats_row;

typedef struct stats_priv {
    stats_row rows[STATS_MAX_KINDS + 1]; /* the kinds, then "all kinds" */
    size_t n;
} stats_priv;

static stats_source bound;
static bool is_bound;

void stats_view_bind(const stats_source *src)
{
    is_bound = src != NULL;
    if (src)
        bound = *src;
    else
        memset(&bound, 0, sizeof bound);
}

/* v scaled by 1000 (counts) or 1024 (bytes): "999", "1.2k", "12k", "123k". */
static void scaled(uint64_t v, unsigned base, const char *const *units, size_t nunits, const char *sep, char *out,
                   size_t outlen)
{
    if (v < base) {
        snprintf(out, outlen, "%" PRIu64 "%s%s", v, units[0][0] ? sep : "", units[0]);
        return;
    }
    size_t u = 0;
    uint64_t whole = v, rem = 0;
    while (whole >= base && u + 1 < nunits) {
        rem = whole % base;
        whole /= base;
        u++;
    }
    if (whole < 10) /* one decimal while it says something: 1.2k, not 1k */
        snprintf(out, outlen, "%" PRIu64 ".%" PRIu64 "%s%s", whole, rem * 10 / base, sep, units[u]);
    else
        snprintf(out, outlen, "%" PRIu64 "%s%s", whole, sep, units[u]);
}

void stats_count_text(uint64_t v, char *out, size_t outlen)
{
    static const char *const units[] = {"", "k", "M", "G", "T", "P", "E"};
    scaled(v, 1000, units, sizeof units / sizeof units[0], "", out, outlen);
}

void stats_bytes_text(uint64_t v, char *out, size_t outlen)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    scaled(v, 1024, units, sizeof units / sizeof units[0], " ", out, outlen);
}

static void latency_text(int64_t ms, char *out, size_t outlen)
{
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        snprintf(out, outlen, "%" PRId64 " ms", ms);
    else if (ms < 10000)
        snprintf(out, outlen, "%" PRId64 ".%" PRId64 " s", ms / 1000, ms % 1000 / 100);
    else
        snprintf(out, outlen, "%" PRId64 " s", ms / 1000);
}

void stats_indicator(const transport_counter *total, bool short_form, char *out, size_t outlen)
{
    char req[16], err[16];
    stats_count_text(total->count, req, sizeof req);
    stats_count_text(total->errors, err, sizeof err);
    if (short_form && total->errors)
        snprintf(out, outlen, "%s err", err);
    else if (total->errors)
        snprintf(out, outlen, "%s req %s err", req, err);
    else
        snprintf(out, outlen, "%s req", req);
}

/* ---- the view ----------------------------------------------------------------------------------- */

static const view_column columns[N_COLS] = {
    [COL_KIND] = {"kind", "REQUEST KIND", 12, 28, 0, false},
    [COL_REQUESTS] = {"requests", "REQUESTS", 4, 0, 0, true},
    [COL_ERRORS] = {"errors", "ERRORS", 4, 0, 0, true},
    [COL_RETRIES] = {"retries", "RETRIES", 4, 0, 5, true},
    [COL_IN] = {"bytes-in", "BYTES IN", 6, 0, 4, true},
    [COL_OUT] = {"bytes-out", "BYTES OUT", 6, 0, 6, true},
    [COL_MEAN] = {"latency-mean", "MEAN LAT", 5, 0, 3, true},
    [COL_MAX] = {"latency-max", "MAX LAT", 5, 0, 2, true},
    [COL_FRESHNESS] = {"freshness", "FRESHNESS", 9, 0, 0, false},
};

static void *stats_create(void)
{
    return xcalloc(1, sizeof(stats_priv));
}

static void stats_destroy(void *priv)
{
    free(priv);
}

static bool rows_equal(const stats_row *a, const stats_row *b)
{
    const transport_counter *x = &a->c, *y = &b->c;
    return strcmp(x->label, y->label) == 0 && x->count == y->count && x->errors == y->errors &&
           x->retries == y->retries && x->bytes_in == y->bytes_in && x->bytes_out == y->bytes_out &&
           x->latency_sum_ms == y->latency_sum_ms && x->latency_max_ms == y->latency_max_ms &&
           a->watched == b->watched && a->not_live == b->not_live && strcmp(a->fresh, b->fresh) == 0;
}

static bool stats_refresh(void *priv, struct store *st, const view_scope *scope, time_t now)
{
    (void)st;
    (void)scope;
    (void)now;
    stats_priv *p = priv;
    stats_priv *next = xcalloc(1, sizeof *next);
    if (is_bound && bound.counters) {
        transport_counter *cs = xcalloc(STATS_MAX_KINDS, sizeof *cs);
        size_t n = bound.counters(bound.ud, cs, STATS_MAX_KINDS);
        if (n > STATS_MAX_KINDS)
            n = STATS_MAX_KINDS;
        stats_row *total = &next->rows[n];
        if (bound.total)
            bound.total(bound.ud, &total->c);
        snprintf(total->c.label, sizeof total->c.label, "all kinds");
        for (size_t i = 0; i < n; i++) {
            stats_row *r = &next->rows[i];
            r->c = cs[i];
            r->c.label[sizeof r->c.label - 1] = '\0';
            if (bound.freshness && r->c.has_kind)
                r->watched = bound.freshness(bound.ud, r->c.kind, r->fresh, sizeof r->fresh, &r->not_live);
        }
        next->n = n + 1;
        free(cs);
    }
    bool changed = next->n != p->n;
    for (size_t i = 0; i < next->n && !changed; i++)
        changed = !rows_equal(&next->rows[i], &p->rows[i]);
    if (changed)
        memcpy(p, next, sizeof *p);
    free(next);
    return changed;
}

static size_t stats_row_count(const void *priv)
{
    return ((const stats_priv *)priv)->n;
}

static uint64_t mean_ms(const transport_counter *c)
{
    return c->count ? (uint64_t)(c->latency_sum_ms > 0 ? c->latency_sum_ms : 0) / c->count : 0;
}

static void stats_cell(const void *priv, size_t row, size_t col, view_cell *out)
{
    const stats_priv *p = priv;
    if (row >= p->n)
        return;
    const stats_row *r = &p->rows[row];
    const transport_counter *c = &r->c;
    char t[64];
    switch (col) {
    case COL_KIND:
        view_cell_set(out, ROLE_DEFAULT, "%s", c->label);
        break;
    case COL_REQUESTS:
        view_cell_set(out, ROLE_DEFAULT, "%" PRIu64, c->count);
        break;
    case COL_ERRORS:
        view_cell_set(out, c->errors ? ROLE_BAD : ROLE_DIM, "%" PRIu64, c->errors);
        break;
    case COL_RETRIES:
        view_cell_set(out, c->retries ? ROLE_WARN : ROLE_DIM, "%" PRIu64, c->retries);
        break;
    case COL_IN:
    case COL_OUT:
        stats_bytes_text(col == COL_IN ? c->bytes_in : c->bytes_out, t, sizeof t);
        view_cell_set(out, ROLE_DEFAULT, "%s", t);
        break;
    case COL_MEAN:
    case COL_MAX:
        if (!c->count) {
            view_cell_set(out, ROLE_DIM, "-");
            break;
        }
        latency_text(col == COL_MEAN ? (int64_t)mean_ms(c) : c->latency_max_ms, t, sizeof t);
        view_cell_set(out, ROLE_DEFAULT, "%s", t);
        break;
    case COL_FRESHNESS:
        if (r->watched)
            view_cell_set(out, r->not_live ? ROLE_WARN : ROLE_OK, "%s", r->fresh);
        else
            view_cell_set(out, ROLE_DIM, "-");
        break;
    default:
        break;
    }
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int stats_compare(const void *priv, size_t a, size_t b, size_t col)
{
    const stats_priv *p = priv;
    const transport_counter *x = &p->rows[a].c, *y = &p->rows[b].c;
    switch (col) {
    case COL_REQUESTS:
        return cmp_u64(x->count, y->count);
    case COL_ERRORS:
        return cmp_u64(x->errors, y->errors);
    case COL_RETRIES:
        return cmp_u64(x->retries, y->retries);
    case COL_IN:
        return cmp_u64(x->bytes_in, y->bytes_in);
    case COL_OUT:
        return cmp_u64(x->bytes_out, y->bytes_out);
    case COL_MEAN:
        return cmp_u64(mean_ms(x), mean_ms(y));
    case COL_MAX:
        return cmp_u64((uint64_t)(x->latency_max_ms > 0 ? x->latency_max_ms : 0),
                       (uint64_t)(y->latency_max_ms > 0 ? y->latency_max_ms : 0));
    case COL_FRESHNESS:
        return strcmp(p->rows[a].fresh, p->rows[b].fresh);
    default:
        return strcmp(x->label, y->label);
    }
}

static view_role stats_row_role(const void *priv, size_t row)
{
    const stats_priv *p = priv;
    if (row >= p->n || !p->rows[row].watched)
        return ROLE_DEFAULT;
    return p->rows[row].not_live ? ROLE_WARN : ROLE_OK;
}

static const view_ops ops = {
    .name = "stats",
    .title = "Requests",
    .help = "API requests per kind: count, errors, retries, bytes, latency, freshness",
    .empty_text = "no requests yet",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = 0,
    .depends = 0,
    .default_sort = -1,
    .create = stats_create,
    .destroy = stats_destroy,
    .refresh = stats_refresh,
    .row_count = stats_row_count,
    .cell = stats_cell,
    .compare = stats_compare,
    .row_role = stats_row_role,
};

const view_ops *stats_view(void)
{
    return &ops;
}
