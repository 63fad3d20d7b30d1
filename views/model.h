/* The table model: one open view with its visible rows (filtered, sorted), its sort column and
 * direction, its filter and its selection. Pure data; the tui renders it and turns keys into calls.
 *
 * Rows are addressed by their position in the visible list (0 .. view_model_rows()-1). The selection
 * follows the selected object's identity across refreshes, re-sorts and filter changes; when the
 * object goes away the selection stays at the same position (clamped). */
#ifndef HCP_VIEWS_MODEL_H
#define HCP_VIEWS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "views/view.h"

typedef struct view_model view_model;

/* ---- the registry of panes and detail views (one table: commands, `:` aliases and help come from it) */

/* All views in display order: the panes first (Tab order), then the detail views. */
const view_ops *const *view_registry(size_t *n_out);
/* By name ("clusters") or alias ("hc", "hostedclusters"), case-insensitive; NULL when unknown. */
const view_ops *view_find(const char *name_or_alias);
/* The panes in Tab order (VIEW_PANE), and the detail views (VIEW_DETAIL) in the order Enter offers them. */
size_t view_panes(const view_ops **out, size_t max);
size_t view_details(const view_ops **out, size_t max);
/* The detail views that apply to an object kind (a HostedCluster gets history and risks, a Pod does not). */
size_t view_details_for(res_kind kind, const view_ops **out, size_t max);
/* Completion for `:`: calls fn for every name and alias starting with prefix (case-insensitive). */
void view_complete(const char *prefix, void (*fn)(const char *word, void *arg), void *arg);

/* ---- an open view */

view_model *view_model_new(const view_ops *ops);
void view_model_free(view_model *m); /* NULL is fine */
const view_ops *view_model_ops(const view_model *m);

/* Refreshes from the store and re-applies filter and sort, keeping the selection on its object.
 * True when what the view shows changed (rows, cells or selection).
 * A view that reads the store (ops->depends != 0) is not recomputed when nothing it reads moved
 * since its last refresh: the same store with the same change and focus counters, the same scope
 * (compared by value) and the same minute of `now` (ages are minute-grained). Then it returns false. */
bool view_model_refresh(view_model *m, struct store *st, const view_scope *scope, time_t now);
/* The next view_model_refresh recomputes whatever its inputs: for a store that was replaced by
 * another (a new context), which could sit at the same address with the same counters. */
void view_model_invalidate(view_model *m);

size_t view_model_rows(const view_model *m);  /* visible rows */
size_t view_model_total(const view_model *m); /* rows before filtering (for "12/40" in the title) */
/* Rows before filtering that stand for objects: view_model_total without the heading rows. */
size_t view_model_total_objects(const view_model *m);
void view_model_cell(const view_model *m, size_t row, size_t col, view_cell *out);
bool view_model_row_is_heading(const view_model *m, size_t row);
bool view_model_row_object(const view_model *m, size_t row, view_object *out);
view_role view_model_row_role(const view_model *m, size_t row);
/* The text to show when there are no rows: the view's note for now (a detail view whose object was
 * deleted says so), else ops->empty_text, else "nothing to show". Never NULL. */
const char *view_model_empty_text(const view_model *m);

/* ---- sort: a column and a direction; -1 is the view's natural order */
void view_model_set_sort(view_model *m, int col, bool descending);
int view_model_sort_column(const view_model *m, bool *descending);
/* The sort key cycles: natural → column 0 ascending → column 1 ... → natural. */
void view_model_sort_next(view_model *m);
void view_model_sort_prev(view_model *m);
void view_model_sort_reverse(view_model *m); /* flips the direction (no-op in natural order) */
/* How two visible rows order by a column, ascending (<0, 0, >0): the comparison sorting uses. */
int view_model_compare(const view_model *m, size_t row_a, size_t row_b, size_t col);

/* ---- filter: substring over the row's cell texts, case-insensitive; a leading `!` negates; ""
 * clears. Heading rows stay when any row of their block matches (or they match themselves: then the
 * whole block shows). Text views (VIEW_TEXT) are not filtered: use view_model_search. */
void view_model_set_filter(view_model *m, const char *text);
const char *view_model_filter(const view_model *m); /* "" when none */

/* ---- selection */
size_t view_model_selected(const view_model *m); /* 0 when there are no rows */
void view_model_select(view_model *m, size_t row); /* clamped */
void view_model_move(view_model *m, long delta);  /* clamped: j/k, PgUp/PgDn */
void view_model_select_first(view_model *m);      /* g */
void view_model_select_last(view_model *m);       /* G */
bool view_model_select_object(view_model *m, const view_object *o); /* false when not visible */
/* The selected row's object; false when there is none (empty, heading without object, text line). */
bool view_model_selected_object(const view_model *m, view_object *out);

/* Finds the next (or previous) visible row after the selection whose cells contain needle
 * (case-insensitive), wrapping around, and selects it. False when none does. For text views. */
bool view_model_search(view_model *m, const char *needle, bool forward);

#endif
