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

/* The cluster's updates as choices: recommended first, then the conditional ones with their risks. */
static void update_choices(const record *hc, view_cmd_out *out)
{
    const rec_version_status *vs = &hc->u.hc.version;
    char label[300];
    for (size_t i = 0; i < vs->n_available_updates; i++) {
        const rec_release *r = &vs->available_updates[i];
        if (!r->version)
            continue;
        snprintf(label, sizeof label, "%s  recommended", r->version);
        view_choice_add(out, r->version, label, r->image, false);
    }
    for (size_t i = 0; i < vs->n_conditional_updates; i++) {
        const rec_conditional_update *u = &vs->conditional_updates[i];
        if (!u->release.version)
            continue;
        buf d = BUF_INIT;
        if (u->release.image)
            buf_puts(&d, u->release.image);
        for (size_t k = 0; k < u->n_risks; k++)
            buf_printf(&d, "\nrisk %s: %s%s%s", u->risks[k].name ? u->risks[k].name : "?",
                       u->risks[k].message ? u->risks[k].message : "", u->risks[k].url ? " " : "",
                       u->risks[k].url ? u->risks[k].url : "");
        snprintf(label, sizeof label, "%s  NOT RECOMMENDED (%zu risk%s)", u->release.version, u->n_risks,
                 u->n_risks == 1 ? "" : "s");
        view_choice_add(out, u->release.version, label, buf_str(&d), true);
        buf_free(&d);
    }
}

void cmd_cluster_upgrade(const view_cmd_ctx *ctx, view_cmd_out *out)
{
    record *hcs[1];
    /* one control plane at a time: each has its own targets */
    view_cmd_ctx one = *ctx;
    one.n_marks = 0;
    if (!cmd_clusters(&one, hcs, 1, out))
        return;
    /* VERSION|IMAGE and --force, in either order */
    const char *target = NULL;
    bool force = (ctx->options & VIEW_OPT_FORCE) != 0;
    for (int i = 0; i < ctx->argc; i++) {
        if (strcmp(ctx->argv[i], "--force") == 0) {
            force = true;
        } else if (!target) {
            target = ctx->argv[i];
        } else {
            cmd_fail(out, "usage: :upgrade VERSION|IMAGE [--force], not \"%.40s\"", ctx->argv[i]);
            return;
        }
    }
    if (!target) { /* pick one of its updates, or type a version or an image */
        update_choices(hcs[0], out);
        upgrade_info up = derive_upgrade(hcs[0], ctx->now);
        snprintf(out->choose_title, sizeof out->choose_title, "Upgrade the control plane of %s/%s (now %s) to",
                 hcs[0]->meta.namespace, hcs[0]->meta.name, up.current ? up.current : "an unknown version");
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
    if (!channel) { /* pick one of the channels of its minor */
        upgrade_info up = derive_upgrade(hcs[0], ctx->now);
        ocp_version v;
        const char *vt = up.current ? up.current : hcs[0]->u.hc.version.desired.version;
        if (!vt || !version_parse(vt, &v)) {
            cmd_fail(out, "%s/%s has no known version: :channel NAME", hcs[0]->meta.namespace, hcs[0]->meta.name);
            return;
        }
        static const char *const kinds[] = {"stable", "fast", "candidate", "eus"};
        for (size_t i = 0; i < 4; i++) {
            if (i == 3 && v.minor % 2)
                break; /* EUS only on even minors */
            char name[64], label[160];
            snprintf(name, sizeof name, "%s-%d.%d", kinds[i], v.major, v.minor);
            bool cur = hcs[0]->u.hc.channel && strcmp(hcs[0]->u.hc.channel, name) == 0;
            snprintf(label, sizeof label, "%s%s", name, cur ? "  (now)" : "");
            view_choice_add(out, name, label, NULL, false);
        }
        snprintf(out->choose_title, sizeof out->choose_title, "The update channel of %s/%s (now %s)",
                 hcs[0]->meta.namespace, hcs[0]->meta.name, hcs[0]->u.hc.channel ? hcs[0]->u.hc.channel : "none");
        return;
    }
    action *a = xcalloc(1, sizeof *a);
    char err[400];
    int rc = action_channel(a, hcs[0], channel, err, sizeof err);
    cmd_take(out, a, rc, err);
}
