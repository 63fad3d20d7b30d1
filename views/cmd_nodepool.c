/* The node pool commands: scale (to zero and back, or to a count) and upgrade a pool (see
 * commands.h; docs/operations.md has the procedures). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/action.h"
#include "client/store.h"
#include "views/commands.h"

#define MAX_TARGETS 64

void cmd_nodepool_scale(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    const char *what = ctx->argc > 0 ? ctx->argv[0] : NULL;
    scale_choice ch = {.drain_timeout = ctx->argc > 1 ? ctx->argv[1] : NULL,
                       .disable_autoscaling = (ctx->options & VIEW_OPT_NO_AUTOSCALE) != 0};
    if (!what) {
        cmd_fail(out, "usage: :scale COUNT|back [DRAIN-TIMEOUT] (:scale 0, :scale back, :scale 5 10m)");
        return;
    }
    if (strcmp(what, "back") == 0) {
        ch.back = true;
    } else {
        char *end;
        long long n = strtoll(what, &end, 10);
        if (!what[0] || *end || n < 0 || n > 100000) {
            cmd_fail(out, "scale to how many? a count (0, 5) or \"back\", not \"%.40s\"", what);
            return;
        }
        ch.replicas = n;
    }
    record *pools[MAX_TARGETS];
    size_t n = cmd_nodepools(ctx, pools, MAX_TARGETS, out);
    if (!n)
        return;
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = action_scale(a, pools, n, &ch, err, sizeof err);
    if (rc < 0 && !ch.disable_autoscaling) {
        for (size_t i = 0; i < n; i++) {
            if (!pools[i]->u.np.has_autoscaling)
                continue;
            /* the dialog says so and offers to turn autoscaling off first, as a call of its own */
            action_free(a);
            a->title = xasprintf("Scale %s/%s: it is autoscaled", pools[i]->meta.namespace, pools[i]->meta.name);
            action_note(a, "%s.", err);
            action_note(a, "a: turn autoscaling off first (replicas = the nodes it has now), then scale.");
            out->action = a;
            return;
        }
    }
    cmd_take(out, a, rc, err);
}

void cmd_nodepool_upgrade(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    record *pools[1];
    view_cmd_ctx one = *ctx;
    one.n_marks = 0;
    if (!cmd_nodepools(&one, pools, 1, out))
        return;
    record *hc = store_hc_of_nodepool(ctx->st, pools[0]);
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = action_upgrade_pool(a, pools[0], hc, ctx->argc > 0 ? ctx->argv[0] : NULL,
                                 ctx->argc > 1 ? ctx->argv[1] : NULL, err, sizeof err);
    cmd_take(out, a, rc, err);
}
