/* The hosted cluster commands: pause, resume, upgrade the control plane, set the channel (see
 * commands.h; docs/operations.md has the procedures). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/action.h"
#include "client/derive.h"
#include "client/store.h"
#include "common/buf.h"
#include "views/commands.h"

#define MAX_TARGETS 64
#define MAX_POOLS (ACTION_MAX_CALLS - MAX_TARGETS)

static const char *arg(const view_cmd_ctx *ctx, int i)
{
    return i < ctx->argc ? ctx->argv[i] : NULL;
}

/* Every node pool of the clusters, for "the node pools too". */
static size_t pools_of(const view_cmd_ctx *ctx, record *const *hcs, size_t n, record **pools, size_t max)
{
    size_t got = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        record *const *ps = store_nodepools_of(ctx->st, hcs[i]->meta.namespace, hcs[i]->meta.name, &k);
        for (size_t j = 0; j < k && got < max; j++)
            pools[got++] = ps[j];
    }
    return got;
}

static void pause_or_resume(const view_cmd_ctx *ctx, view_cmd_out *out, bool pause)
{
    record *hcs[MAX_TARGETS], *pools[MAX_POOLS];
    size_t n = cmd_clusters(ctx, hcs, MAX_TARGETS, out);
    if (!n)
        return;
    size_t np = (ctx->options & VIEW_OPT_WITH_POOLS) ? pools_of(ctx, hcs, n, pools, MAX_POOLS) : 0;
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = pause ? action_pause(a, hcs, n, np ? pools : NULL, np, arg(ctx, 0), ctx->now, err, sizeof err)
                   : action_resume(a, hcs, n, np ? pools : NULL, np, err, sizeof err);
    cmd_take(out, a, rc, err);
}

void cmd_cluster_pause(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    pause_or_resume(ctx, out, true);
}

void cmd_cluster_resume(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    pause_or_resume(ctx, out, false);
}

/* "4.19.5, 4.19.4 (not recommended)": what :upgrade can take, for a message. */
static void list_updates(const record *hc, buf *b)
{
    const rec_version_status *vs = &hc->u.hc.version;
    for (size_t i = 0; i < vs->n_available_updates; i++)
        if (vs->available_updates[i].version)
            buf_printf(b, "%s%s", b->len ? ", " : "", vs->available_updates[i].version);
    for (size_t i = 0; i < vs->n_conditional_updates; i++)
        if (vs->conditional_updates[i].release.version)
            buf_printf(b, "%s%s (not recommended)", b->len ? ", " : "", vs->conditional_updates[i].release.version);
}

void cmd_cluster_upgrade(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    record *hcs[1];
    /* one control plane at a time: each has its own targets */
    view_cmd_ctx one = *ctx;
    one.n_marks = 0;
    if (!cmd_clusters(&one, hcs, 1, out))
        return;
    const char *target = arg(ctx, 0);
    bool force = (ctx->options & VIEW_OPT_FORCE) || (arg(ctx, 1) && strcmp(arg(ctx, 1), "--force") == 0);
    if (arg(ctx, 1) && strcmp(arg(ctx, 1), "--force") != 0) {
        cmd_fail(out, "usage: :upgrade VERSION|IMAGE [--force], not \"%.40s\"", arg(ctx, 1));
        return;
    }
    if (!target) {
        buf b = BUF_INIT;
        list_updates(hcs[0], &b);
        cmd_fail(out, "upgrade %s/%s to which release? :upgrade VERSION or IMAGE [--force]; its updates: %s",
                 hcs[0]->meta.namespace, hcs[0]->meta.name, b.len ? buf_str(&b) : "none listed");
        buf_free(&b);
        return;
    }
    upgrade_choice ch = {.target = target, .force = force};
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = action_upgrade(a, hcs[0], store_supported_versions(ctx->st), &ch, err, sizeof err);
    cmd_take(out, a, rc, err);
}

void cmd_cluster_channel(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    record *hcs[1];
    view_cmd_ctx one = *ctx;
    one.n_marks = 0;
    if (!cmd_clusters(&one, hcs, 1, out))
        return;
    const char *channel = arg(ctx, 0);
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = action_channel(a, hcs[0], channel ? channel : "", err, sizeof err);
    if (!channel && rc < 0) {
        cmd_fail(out, "set which channel? :channel NAME (%s)", err);
        action_free(a);
        free(a);
        return;
    }
    cmd_take(out, a, rc, err);
}
