/* The row table behind every view (see rows.h for why it is built this way). */
#include "views/rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/version.h"
#include "common/buf.h"

#define CELL_NUM 0x01u
#define CELL_VER 0x02u

/* Offsets into the generation's string pool; offset 0 is always "". Structs are zeroed whole before
 * they are filled so that padding compares equal under memcmp. */
typedef struct rt_cell {
    size_t text;
    size_t sort; /* version key (CELL_VER) */
    int64_t key; /* numeric key (CELL_NUM) */
    unsigned char role;
    signed char pct;
    unsigned char flags;
} rt_cell;

typedef struct rt_row {
    size_t ns, name, cluster_ns, cluster_name;
    res_kind kind;
    unsigned char has_obj;
    unsigned char heading;
    unsigned char role;
} rt_row;

typedef struct rt_gen {
    buf pool;
    rt_cell *cells; /* n_rows * n_columns */
    rt_row *rows;
    size_t n_rows, cap_rows;
    char note[VIEW_CELL_MAX]; /* what to say instead of the view's empty text; "" for none */
} rt_gen;

struct rowtab {
    size_t n_columns;
    rt_gen gen[2];
    int cur; /* the generation queries read */
};

rowtab *rowtab_new(size_t n_columns)
{
    rowtab *rt = xcalloc(1, sizeof *rt);
    rt->n_columns = n_columns ? n_columns : 1;
    for (int i = 0; i < 2; i++)
        buf_append(&rt->gen[i].pool, "", 1);
    return rt;
}

void rowtab_free(rowtab *rt)
{
    if (!rt)
        return;
    for (int i = 0; i < 2; i++) {
        buf_free(&rt->gen[i].pool);
        free(rt->gen[i].cells);
        free(rt->gen[i].rows);
    }
    free(rt);
}

static rt_gen *building(rowtab *rt)
{
    return &rt->gen[1 - rt->cur];
}

void rowtab_begin(rowtab *rt)
{
    rt_gen *g = building(rt);
    buf_reset(&g->pool);
    buf_append(&g->pool, "", 1);
    g->n_rows = 0;
    g->note[0] = '\0';
}

static size_t intern(rt_gen *g, const char *s)
{
    if (!s || !*s)
        return 0;
    char tmp[VIEW_CELL_MAX];
    view_copy_text(tmp, sizeof tmp, s);
    size_t off = g->pool.len;
    buf_append(&g->pool, tmp, strlen(tmp) + 1);
    return off;
}

void rowtab_add(rowtab *rt, const view_object *obj, bool heading, view_role row_role)
{
    rt_gen *g = building(rt);
    if (g->n_rows == g->cap_rows) {
        size_t cap = g->cap_rows ? g->cap_rows * 2 : 64;
        if (cap > SIZE_MAX / (sizeof(rt_cell) * rt->n_columns)) {
            fputs("hcptui: row table too large\n", stderr);
            abort();
        }
        g->rows = xrealloc(g->rows, cap * sizeof *g->rows);
        g->cells = xrealloc(g->cells, cap * rt->n_columns * sizeof *g->cells);
        g->cap_rows = cap;
    }
    rt_row *r = &g->rows[g->n_rows];
    memset(r, 0, sizeof *r);
    r->heading = heading;
    r->role = (unsigned char)row_role;
    if (obj) {
        r->has_obj = 1;
        r->kind = obj->kind;
        r->ns = intern(g, obj->ns);
        r->name = intern(g, obj->name);
        r->cluster_ns = intern(g, obj->cluster_ns);
        r->cluster_name = intern(g, obj->cluster_name);
    }
    rt_cell *c = &g->cells[g->n_rows * rt->n_columns];
    memset(c, 0, rt->n_columns * sizeof *c);
    for (size_t i = 0; i < rt->n_columns; i++)
        c[i].pct = -1;
    g->n_rows++;
}

static rt_cell *last_cell(rowtab *rt, size_t col)
{
    rt_gen *g = building(rt);
    if (g->n_rows == 0 || col >= rt->n_columns)
        return NULL;
    return &g->cells[(g->n_rows - 1) * rt->n_columns + col];
}

void rowtab_set_text(rowtab *rt, size_t col, view_role role, const char *text)
{
    rt_cell *c = last_cell(rt, col);
    if (!c)
        return;
    c->text = intern(building(rt), text);
    c->role = (unsigned char)role;
}

void rowtab_set(rowtab *rt, size_t col, view_role role, const char *fmt, ...)
{
    char tmp[VIEW_CELL_MAX];
    va_list ap;
    va_start(ap, fmt);
    view_vformat(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    rowtab_set_text(rt, col, role, tmp);
}

void rowtab_set_pct(rowtab *rt, size_t col, int pct)
{
    rt_cell *c = last_cell(rt, col);
    if (!c)
        return;
    if (pct < 0)
        pct = -1;
    else if (pct > 100)
        pct = 100;
    c->pct = (signed char)pct;
}

void rowtab_set_num_key(rowtab *rt, size_t col, int64_t key)
{
    rt_cell *c = last_cell(rt, col);
    if (!c)
        return;
    c->key = key;
    c->flags = (unsigned char)((c->flags & ~CELL_VER) | CELL_NUM);
}

void rowtab_set_version_key(rowtab *rt, size_t col, const char *version)
{
    rt_cell *c = last_cell(rt, col);
    if (!c || !version || !*version)
        return;
    c->sort = intern(building(rt), version);
    c->flags = (unsigned char)((c->flags & ~CELL_NUM) | CELL_VER);
}

bool rowtab_end(rowtab *rt)
{
    rt_gen *old = &rt->gen[rt->cur];
    rt_gen *g = building(rt);
    bool changed = old->n_rows != g->n_rows || old->pool.len != g->pool.len ||
                   memcmp(old->pool.data, g->pool.data, g->pool.len) != 0 ||
                   (g->n_rows && (memcmp(old->rows, g->rows, g->n_rows * sizeof *g->rows) != 0 ||
                                  memcmp(old->cells, g->cells, g->n_rows * rt->n_columns * sizeof *g->cells) != 0)) ||
                   strcmp(old->note, g->note) != 0;
    rt->cur = 1 - rt->cur;
    return changed;
}

void rowtab_set_note(rowtab *rt, const char *fmt, ...)
{
    rt_gen *g = building(rt);
    va_list ap;
    va_start(ap, fmt);
    view_vformat(g->note, sizeof g->note, fmt, ap);
    va_end(ap);
}

/* ---- queries */

static const rt_gen *current(const rowtab *rt)
{
    return &rt->gen[rt->cur];
}

static const rt_cell *cell_at(const rowtab *rt, size_t row, size_t col)
{
    const rt_gen *g = current(rt);
    if (row >= g->n_rows || col >= rt->n_columns)
        return NULL;
    return &g->cells[row * rt->n_columns + col];
}

size_t rowtab_row_count(const rowtab *rt)
{
    return current(rt)->n_rows;
}

static const char *rowtab_note(const rowtab *rt)
{
    return current(rt)->note;
}

const char *rowtab_text(const rowtab *rt, size_t row, size_t col)
{
    const rt_cell *c = cell_at(rt, row, col);
    return c ? current(rt)->pool.data + c->text : "";
}

void rowtab_cell(const rowtab *rt, size_t row, size_t col, view_cell *out)
{
    view_cell_clear(out);
    const rt_cell *c = cell_at(rt, row, col);
    if (!c)
        return;
    view_copy_text(out->text, sizeof out->text, current(rt)->pool.data + c->text);
    out->role = (view_role)c->role;
    out->progress_pct = c->pct;
}

static bool rowtab_row_is_heading(const rowtab *rt, size_t row)
{
    const rt_gen *g = current(rt);
    return row < g->n_rows && g->rows[row].heading;
}

bool rowtab_row_object(const rowtab *rt, size_t row, view_object *out)
{
    const rt_gen *g = current(rt);
    if (row >= g->n_rows || !g->rows[row].has_obj)
        return false;
    const rt_row *r = &g->rows[row];
    const char *p = g->pool.data;
    view_object_set(out, r->kind, p + r->ns, p + r->name, p + r->cluster_ns, p + r->cluster_name);
    return true;
}

static view_role rowtab_row_role(const rowtab *rt, size_t row)
{
    const rt_gen *g = current(rt);
    return row < g->n_rows ? (view_role)g->rows[row].role : ROLE_DEFAULT;
}

static int rowtab_compare(const rowtab *rt, size_t a, size_t b, size_t col)
{
    const rt_cell *ca = cell_at(rt, a, col), *cb = cell_at(rt, b, col);
    if (!ca || !cb)
        return (ca != NULL) - (cb != NULL);
    const char *p = current(rt)->pool.data;
    bool ka = ca->flags & (CELL_NUM | CELL_VER), kb = cb->flags & (CELL_NUM | CELL_VER);
    if (ka != kb)
        return ka ? -1 : 1;
    if ((ca->flags & CELL_NUM) && (cb->flags & CELL_NUM))
        return (ca->key > cb->key) - (ca->key < cb->key);
    if ((ca->flags & CELL_VER) && (cb->flags & CELL_VER))
        return version_order(p + ca->sort, p + cb->sort);
    /* "-" (no value) sorts after every value, like a cell without a key. */
    bool na = strcmp(p + ca->text, "-") == 0, nb = strcmp(p + cb->text, "-") == 0;
    if (na != nb)
        return na ? 1 : -1;
    int c = strcasecmp(p + ca->text, p + cb->text);
    return c ? c : strcmp(p + ca->text, p + cb->text);
}

/* ---- view_ops adapters */

void rowtab_op_destroy(void *priv)
{
    rowtab_free(priv);
}

size_t rowtab_op_row_count(const void *priv)
{
    return rowtab_row_count(priv);
}

void rowtab_op_cell(const void *priv, size_t row, size_t col, view_cell *out)
{
    rowtab_cell(priv, row, col, out);
}

bool rowtab_op_row_is_heading(const void *priv, size_t row)
{
    return rowtab_row_is_heading(priv, row);
}

bool rowtab_op_row_object(const void *priv, size_t row, view_object *out)
{
    return rowtab_row_object(priv, row, out);
}

int rowtab_op_compare(const void *priv, size_t a, size_t b, size_t col)
{
    return rowtab_compare(priv, a, b, col);
}

view_role rowtab_op_row_role(const void *priv, size_t row)
{
    return rowtab_row_role(priv, row);
}

const char *rowtab_op_empty_note(const void *priv)
{
    return rowtab_note(priv);
}
