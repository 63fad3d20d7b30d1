/* The table model: filter, sort and selection over a view's rows (see model.h). */
#include "views/model.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/store.h"
#include "common/buf.h"

#define FILTER_MAX 256

/* What the view's rows were last computed from. A view with store dependencies reads nothing but
 * the store, the scope and the clock (minute-grained: ages and time left), so with the same inputs
 * its refresh would compute the same rows: view_model_refresh skips it. Strings are copied, as the
 * caller may edit its scope buffers in place. */
typedef struct refresh_inputs {
    bool valid;
    const struct store *st;
    uint64_t changes, focus_changes;
    long long minute;
    bool has_ns, has_cluster_ns, has_cluster_name, has_target;
    char ns[VIEW_NAME_MAX];
    char cluster_ns[VIEW_NAME_MAX];
    char cluster_name[VIEW_NAME_MAX];
    view_object target;
} refresh_inputs;

struct view_model {
    const view_ops *ops;
    void *priv;
    size_t *vis; /* visible rows: indexes into the view's rows */
    size_t n_vis, cap_vis;
    size_t total;
    int sort_col; /* -1: natural order */
    bool sort_desc;
    char filter[FILTER_MAX];
    size_t sel;          /* index into vis */
    view_object sel_obj; /* identity of the selected row, to find it again */
    bool has_sel_obj;
    refresh_inputs last; /* of the last refresh that ran */
};

/* ---- helpers */

/* Case-insensitive (ASCII) substring search; bytes >= 0x80 compare exactly. */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return true;
    for (const char *h = hay; *h; h++) {
        size_t i = 0;
        while (i < nl && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == nl)
            return true;
    }
    return false;
}

static bool row_matches(const view_model *m, size_t row, const char *needle)
{
    view_cell cell;
    for (size_t c = 0; c < m->ops->n_columns; c++) {
        view_cell_clear(&cell);
        m->ops->cell(m->priv, row, c, &cell);
        if (contains_ci(cell.text, needle))
            return true;
    }
    return false;
}

static bool is_heading(const view_model *m, size_t row)
{
    return m->ops->row_is_heading && m->ops->row_is_heading(m->priv, row);
}

static void vis_push(view_model *m, size_t row)
{
    if (m->n_vis == m->cap_vis) {
        size_t cap = m->cap_vis ? m->cap_vis * 2 : 64;
        m->vis = xrealloc(m->vis, cap * sizeof *m->vis);
        m->cap_vis = cap;
    }
    m->vis[m->n_vis++] = row;
}

/* ---- sorting: within each block (rows between headings), stable in both directions */

typedef struct sort_ctx {
    const view_model *m;
    size_t col;
    bool desc;
} sort_ctx;

/* Compares two of the view's rows (not visible positions) by a column, ascending. */
static int compare_view_rows(const view_model *m, size_t a, size_t b, size_t col)
{
    const view_ops *ops = m->ops;
    if (ops->compare)
        return ops->compare(m->priv, a, b, col);
    view_cell ca, cb;
    view_cell_clear(&ca);
    view_cell_clear(&cb);
    ops->cell(m->priv, a, col, &ca);
    ops->cell(m->priv, b, col, &cb);
    return strcasecmp(ca.text, cb.text);
}

static int compare_rows(const void *pa, const void *pb, void *arg)
{
    const sort_ctx *ctx = arg;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = compare_view_rows(ctx->m, a, b, ctx->col);
    if (ctx->desc)
        c = -c;
    if (c == 0) /* ties keep the view's order, whatever the direction: a stable sort */
        c = (a > b) - (a < b);
    return c;
}

static void sort_visible(view_model *m)
{
    if (m->sort_col < 0 || (size_t)m->sort_col >= m->ops->n_columns)
        return;
    sort_ctx ctx = {m, (size_t)m->sort_col, m->sort_desc};
    size_t start = 0;
    while (start < m->n_vis) {
        if (is_heading(m, m->vis[start]))
            start++;
        size_t end = start;
        while (end < m->n_vis && !is_heading(m, m->vis[end]))
            end++;
        if (end - start > 1)
            qsort_r(m->vis + start, end - start, sizeof *m->vis, compare_rows, &ctx);
        start = end;
    }
}

/* ---- filtering */

static void filter_rows(view_model *m)
{
    m->n_vis = 0;
    size_t n = m->total;
    const char *f = m->filter;
    bool negate = f[0] == '!';
    if (negate)
        f++;
    if (!*f || (m->ops->flags & VIEW_TEXT)) {
        for (size_t r = 0; r < n; r++)
            vis_push(m, r);
        return;
    }
    size_t r = 0;
    while (r < n) {
        if (!is_heading(m, r)) {
            if (row_matches(m, r, f) != negate)
                vis_push(m, r);
            r++;
            continue;
        }
        /* A block: the heading, then its rows up to the next heading. */
        size_t head = r++;
        size_t first = r;
        while (r < n && !is_heading(m, r))
            r++;
        bool head_match = row_matches(m, head, f);
        if (head_match) {
            if (!negate)
                for (size_t i = head; i < r; i++)
                    vis_push(m, i);
            continue;
        }
        size_t mark = m->n_vis;
        vis_push(m, head);
        for (size_t i = first; i < r; i++)
            if (row_matches(m, i, f) != negate)
                vis_push(m, i);
        /* Keep the heading only with rows under it (or, negated, when the block is empty). */
        if (m->n_vis == mark + 1 && !(negate && first == r))
            m->n_vis = mark;
    }
}

/* ---- selection */

static void remember_selection(view_model *m)
{
    m->has_sel_obj = false;
    if (m->n_vis == 0 || m->sel >= m->n_vis)
        return;
    if (m->ops->row_object && m->ops->row_object(m->priv, m->vis[m->sel], &m->sel_obj))
        m->has_sel_obj = true;
}

static void clamp_selection(view_model *m)
{
    if (m->n_vis == 0)
        m->sel = 0;
    else if (m->sel >= m->n_vis)
        m->sel = m->n_vis - 1;
}

/* Rebuilds vis (filter + sort) and puts the selection back on its object when it is still there. */
static void rebuild(view_model *m)
{
    m->total = m->ops->row_count(m->priv);
    filter_rows(m);
    sort_visible(m);
    if (m->has_sel_obj && m->ops->row_object) {
        view_object o;
        for (size_t i = 0; i < m->n_vis; i++) {
            if (m->ops->row_object(m->priv, m->vis[i], &o) && view_object_equal(&o, &m->sel_obj)) {
                m->sel = i;
                return;
            }
        }
    }
    clamp_selection(m);
    remember_selection(m);
}

/* ---- skipping a refresh whose inputs did not move */

/* Copies an optional scope string; false when it does not fit (then it cannot be compared). */
static bool copy_scope_text(char *dst, size_t dstlen, bool *has, const char *src)
{
    *has = src != NULL;
    if (!src)
        return true;
    size_t n = strnlen(src, dstlen);
    if (n == dstlen)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

static long long minute_of(time_t now)
{
    long long t = (long long)now;
    return t >= 0 ? t / 60 : -((-(t + 1)) / 60) - 1; /* floor, also before 1970 */
}

/* Fills in; false when this refresh cannot be skipped, now or next time: a view without store
 * dependencies (the request statistics read counters, not the store), or a scope too long to keep. */
static bool inputs_capture(refresh_inputs *in, const view_model *m, struct store *st, const view_scope *scope,
                           time_t now)
{
    memset(in, 0, sizeof *in);
    if (m->ops->depends == 0)
        return false;
    in->st = st;
    in->changes = store_changes(st);
    in->focus_changes = store_focus_changes(st);
    in->minute = minute_of(now);
    if (!copy_scope_text(in->ns, sizeof in->ns, &in->has_ns, scope->ns) ||
        !copy_scope_text(in->cluster_ns, sizeof in->cluster_ns, &in->has_cluster_ns, scope->cluster_ns) ||
        !copy_scope_text(in->cluster_name, sizeof in->cluster_name, &in->has_cluster_name, scope->cluster_name))
        return false;
    if (scope->target) {
        in->has_target = true;
        in->target = *scope->target;
    }
    in->valid = true;
    return true;
}

static bool field_equal(const char *a, const char *b, size_t len)
{
    return strncmp(a, b, len) == 0;
}

static bool object_same(const view_object *a, const view_object *b)
{
    return a->kind == b->kind && field_equal(a->ns, b->ns, sizeof a->ns) &&
           field_equal(a->name, b->name, sizeof a->name) &&
           field_equal(a->cluster_ns, b->cluster_ns, sizeof a->cluster_ns) &&
           field_equal(a->cluster_name, b->cluster_name, sizeof a->cluster_name);
}

static bool inputs_same(const refresh_inputs *a, const refresh_inputs *b)
{
    if (!a->valid || !b->valid || a->st != b->st || a->changes != b->changes ||
        a->focus_changes != b->focus_changes || a->minute != b->minute || a->has_ns != b->has_ns ||
        a->has_cluster_ns != b->has_cluster_ns || a->has_cluster_name != b->has_cluster_name ||
        a->has_target != b->has_target)
        return false;
    return field_equal(a->ns, b->ns, sizeof a->ns) && field_equal(a->cluster_ns, b->cluster_ns, sizeof a->cluster_ns) &&
           field_equal(a->cluster_name, b->cluster_name, sizeof a->cluster_name) &&
           (!a->has_target || object_same(&a->target, &b->target));
}

/* ---- public */

view_model *view_model_new(const view_ops *ops)
{
    view_model *m = xcalloc(1, sizeof *m);
    m->ops = ops;
    m->priv = ops->create ? ops->create() : NULL;
    m->sort_col = ops->default_sort;
    if (m->sort_col >= (int)ops->n_columns)
        m->sort_col = -1;
    rebuild(m);
    return m;
}

void view_model_free(view_model *m)
{
    if (!m)
        return;
    if (m->ops->destroy)
        m->ops->destroy(m->priv);
    free(m->vis);
    free(m);
}

const view_ops *view_model_ops(const view_model *m)
{
    return m->ops;
}

bool view_model_refresh(view_model *m, struct store *st, const view_scope *scope, time_t now)
{
    view_scope none = {0};
    if (!scope)
        scope = &none;
    refresh_inputs in;
    inputs_capture(&in, m, st, scope, now);
    if (inputs_same(&in, &m->last))
        return false; /* the same rows again: nothing to recompute, nothing changed */
    bool changed = m->ops->refresh(m->priv, st, scope, now);
    m->last = in;
    if (!changed)
        return false;
    rebuild(m);
    return true;
}

void view_model_invalidate(view_model *m)
{
    m->last.valid = false;
}

size_t view_model_rows(const view_model *m)
{
    return m->n_vis;
}

size_t view_model_total(const view_model *m)
{
    return m->total;
}

size_t view_model_total_objects(const view_model *m)
{
    if (!m->ops->row_is_heading)
        return m->total;
    size_t objects = 0;
    for (size_t r = 0; r < m->total; r++)
        objects += !is_heading(m, r);
    return objects;
}

void view_model_cell(const view_model *m, size_t row, size_t col, view_cell *out)
{
    view_cell_clear(out);
    if (row < m->n_vis && col < m->ops->n_columns)
        m->ops->cell(m->priv, m->vis[row], col, out);
}

bool view_model_row_is_heading(const view_model *m, size_t row)
{
    return row < m->n_vis && is_heading(m, m->vis[row]);
}

bool view_model_row_object(const view_model *m, size_t row, view_object *out)
{
    return row < m->n_vis && m->ops->row_object && m->ops->row_object(m->priv, m->vis[row], out);
}

view_role view_model_row_role(const view_model *m, size_t row)
{
    if (row >= m->n_vis || !m->ops->row_role)
        return ROLE_DEFAULT;
    return m->ops->row_role(m->priv, m->vis[row]);
}

const char *view_model_empty_text(const view_model *m)
{
    const char *note = m->ops->empty_note ? m->ops->empty_note(m->priv) : NULL;
    if (note && *note)
        return note;
    return m->ops->empty_text ? m->ops->empty_text : "nothing to show";
}

/* ---- sort */

void view_model_set_sort(view_model *m, int col, bool descending)
{
    if (col < 0 || (size_t)col >= m->ops->n_columns || (m->ops->flags & VIEW_TEXT)) {
        col = -1;
        descending = false;
    }
    m->sort_col = col;
    m->sort_desc = descending;
    remember_selection(m);
    rebuild(m);
}

int view_model_sort_column(const view_model *m, bool *descending)
{
    if (descending)
        *descending = m->sort_desc;
    return m->sort_col;
}

void view_model_sort_next(view_model *m)
{
    int n = (int)m->ops->n_columns;
    int col = m->sort_col + 1;
    view_model_set_sort(m, col >= n ? -1 : col, m->sort_desc);
}

void view_model_sort_prev(view_model *m)
{
    int n = (int)m->ops->n_columns;
    int col = m->sort_col < 0 ? n - 1 : m->sort_col - 1;
    view_model_set_sort(m, col, m->sort_desc);
}

void view_model_sort_reverse(view_model *m)
{
    if (m->sort_col >= 0)
        view_model_set_sort(m, m->sort_col, !m->sort_desc);
}

int view_model_compare(const view_model *m, size_t row_a, size_t row_b, size_t col)
{
    if (row_a >= m->n_vis || row_b >= m->n_vis || col >= m->ops->n_columns)
        return 0;
    return compare_view_rows(m, m->vis[row_a], m->vis[row_b], col);
}

/* ---- filter */

void view_model_set_filter(view_model *m, const char *text)
{
    view_copy_text(m->filter, sizeof m->filter, text ? text : "");
    remember_selection(m);
    rebuild(m);
}

const char *view_model_filter(const view_model *m)
{
    return m->filter;
}

/* ---- selection */

size_t view_model_selected(const view_model *m)
{
    return m->sel;
}

void view_model_select(view_model *m, size_t row)
{
    m->sel = row;
    clamp_selection(m);
    remember_selection(m);
}

void view_model_move(view_model *m, long delta)
{
    if (m->n_vis == 0)
        return;
    size_t sel = m->sel;
    if (delta < 0) {
        size_t d = delta == LONG_MIN ? (size_t)LONG_MAX + 1 : (size_t)(-delta);
        sel = d > sel ? 0 : sel - d;
    } else {
        size_t d = (size_t)delta;
        sel = d > m->n_vis - 1 - sel ? m->n_vis - 1 : sel + d;
    }
    view_model_select(m, sel);
}

void view_model_select_first(view_model *m)
{
    view_model_select(m, 0);
}

void view_model_select_last(view_model *m)
{
    view_model_select(m, m->n_vis ? m->n_vis - 1 : 0);
}

bool view_model_select_object(view_model *m, const view_object *o)
{
    if (!m->ops->row_object)
        return false;
    view_object cur;
    for (size_t i = 0; i < m->n_vis; i++) {
        if (m->ops->row_object(m->priv, m->vis[i], &cur) && view_object_equal(&cur, o)) {
            view_model_select(m, i);
            return true;
        }
    }
    return false;
}

bool view_model_selected_object(const view_model *m, view_object *out)
{
    return view_model_row_object(m, m->sel, out);
}

bool view_model_search(view_model *m, const char *needle, bool forward)
{
    if (!needle || !*needle || m->n_vis == 0)
        return false;
    for (size_t step = 1; step <= m->n_vis; step++) {
        size_t i = forward ? (m->sel + step) % m->n_vis : (m->sel + m->n_vis - step) % m->n_vis;
        if (row_matches(m, m->vis[i], needle)) {
            view_model_select(m, i);
            return true;
        }
    }
    return false;
}
