/* What the views' action commands share (see commands.h). */
#include "views/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/action.h"
#include "client/store.h"

void cmd_fail(view_cmd_out *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    view_vformat(out->msg, sizeof out->msg, fmt, ap);
    va_end(ap);
    out->error = true;
}

void cmd_take(view_cmd_out *out, action *a, int rc, const char *err)
{
    if (rc == 0) {
        out->action = a;
        return;
    }
    cmd_fail(out, "%s", err);
    action_free(a);
    free(a);
}

static bool seen(record *const *rs, size_t n, const record *r)
{
    for (size_t i = 0; i < n; i++)
        if (rs[i] == r)
            return true;
    return false;
}

/* The rows to act on: the marks, else the selected row. */
static size_t targets(const view_cmd_ctx *ctx, const view_object **out)
{
    if (ctx->n_marks) {
        *out = ctx->marks;
        return ctx->n_marks;
    }
    *out = ctx->row;
    return ctx->row ? 1 : 0;
}

size_t cmd_clusters(const view_cmd_ctx *ctx, record **recs, size_t max, view_cmd_out *out)
{
    const view_object *os;
    size_t n = targets(ctx, &os), got = 0;
    for (size_t i = 0; i < n && got < max; i++) {
        record *r = ctx->st && os[i].cluster_name[0]
                        ? store_get(ctx->st, RES_HOSTEDCLUSTER, os[i].cluster_ns, os[i].cluster_name)
                        : NULL;
        if (!r) {
            cmd_fail(out, "%s/%s: its hosted cluster is not in the store", os[i].ns, os[i].name);
            return 0;
        }
        if (!seen(recs, got, r))
            recs[got++] = r;
    }
    if (!got)
        cmd_fail(out, "no hosted cluster selected");
    return got;
}

size_t cmd_nodepools(const view_cmd_ctx *ctx, record **recs, size_t max, view_cmd_out *out)
{
    const view_object *os;
    size_t n = targets(ctx, &os), got = 0;
    for (size_t i = 0; i < n && got < max; i++) {
        record *r = ctx->st && os[i].kind == RES_NODEPOOL
                        ? store_get(ctx->st, RES_NODEPOOL, os[i].ns, os[i].name)
                        : NULL;
        if (!r) {
            cmd_fail(out, "%s/%s is not a node pool (this acts on the Node pools pane's rows)", os[i].ns, os[i].name);
            return 0;
        }
        if (!seen(recs, got, r))
            recs[got++] = r;
    }
    if (!got)
        cmd_fail(out, "no node pool selected");
    return got;
}
