/* The etcd command: recover a failed member (see commands.h; docs/operations.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/action.h"
#include "client/store.h"
#include "views/commands.h"

void cmd_etcd_recover(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    const view_object *o = ctx->row;
    record *pod = o && ctx->st && o->kind == RES_ETCD_POD ? store_get(ctx->st, RES_ETCD_POD, o->ns, o->name) : NULL;
    if (!pod) {
        cmd_fail(out, "select an etcd member on the etcd pane");
        return;
    }
    size_t n = 0;
    record *const *pods = store_etcd_pods(ctx->st, o->ns, &n);
    record *hc = store_hc_by_cp_namespace(ctx->st, o->ns);
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = action_recover_etcd(a, pod, pods, n, hc, err, sizeof err);
    cmd_take(out, a, rc, err);
}
