/* A compact row table that a view fills at refresh time and that answers every view_ops query.
 *
 * Why: views must redraw only on change and stay small with thousands of rows. A view rebuilds its
 * whole table from the store on each refresh (simple, no incremental bugs); the table keeps all text
 * in one string pool, so comparing the new generation with the previous one is a few memcmp calls,
 * and a cell costs its text plus ~24 bytes instead of a fixed 512-byte buffer. */
#ifndef HCP_VIEWS_ROWS_H
#define HCP_VIEWS_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "views/view.h"

typedef struct rowtab rowtab;

rowtab *rowtab_new(size_t n_columns);
void rowtab_free(rowtab *rt); /* NULL is fine */

/* Starts building the next generation (the previous one stays readable until rowtab_end). */
void rowtab_begin(rowtab *rt);
/* Appends a row; its cells start as "" / ROLE_DEFAULT. obj may be NULL (a row that is no object). */
void rowtab_add(rowtab *rt, const view_object *obj, bool heading, view_role row_role);
/* Sets a cell of the row added last (text truncated to VIEW_CELL_MAX-1 bytes at a UTF-8 boundary). */
void rowtab_set(rowtab *rt, size_t col, view_role role, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void rowtab_set_text(rowtab *rt, size_t col, view_role role, const char *text); /* NULL → "" */
void rowtab_set_pct(rowtab *rt, size_t col, int pct);                          /* 0..100 progress bar */
/* Sort keys of the last row's cell: a number (ages in seconds, counts), or a version string. Without
 * one, rows compare by text (case-insensitive, then byte order). Cells with a key sort before cells
 * without one, and "-" (no value) after any text, so unknowns land at the end in ascending order. */
void rowtab_set_num_key(rowtab *rt, size_t col, int64_t key);
void rowtab_set_version_key(rowtab *rt, size_t col, const char *version);
/* What the view says instead of its empty_text when it has no rows ("HostedCluster ns/x was deleted"),
 * for the generation being built; rowtab_begin clears it. */
void rowtab_set_note(rowtab *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finishes the generation; true when it differs from the previous one in anything shown. */
bool rowtab_end(rowtab *rt);

/* Queries on the current generation (the signatures of view_ops, priv being the rowtab). */
size_t rowtab_row_count(const rowtab *rt);
void rowtab_cell(const rowtab *rt, size_t row, size_t col, view_cell *out);
const char *rowtab_text(const rowtab *rt, size_t row, size_t col); /* "" when out of range */
bool rowtab_row_object(const rowtab *rt, size_t row, view_object *out);

/* Adapters for view_ops when a view's private state is its rowtab (the usual case):
 *   .destroy = rowtab_op_destroy, ROWTAB_QUERY_OPS */
void rowtab_op_destroy(void *priv);
size_t rowtab_op_row_count(const void *priv);
void rowtab_op_cell(const void *priv, size_t row, size_t col, view_cell *out);
bool rowtab_op_row_is_heading(const void *priv, size_t row);
bool rowtab_op_row_object(const void *priv, size_t row, view_object *out);
int rowtab_op_compare(const void *priv, size_t a, size_t b, size_t col);
view_role rowtab_op_row_role(const void *priv, size_t row);
const char *rowtab_op_empty_note(const void *priv);
#define ROWTAB_QUERY_OPS                                                                                     \
    .destroy = rowtab_op_destroy, .row_count = rowtab_op_row_count, .cell = rowtab_op_cell,                   \
    .row_is_heading = rowtab_op_row_is_heading, .row_object = rowtab_op_row_object,                          \
    .compare = rowtab_op_compare, .row_role = rowtab_op_row_role, .empty_note = rowtab_op_empty_note

#endif
