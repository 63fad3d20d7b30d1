/* HostedCluster actions: pause and resume reconciliation, upgrade the control plane, set the
 * update channel (see action.h; the procedures are in docs/operations.md). */
#include "client/action.h"
#include "client/action_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

/* ---- pause / resume ------------------------------------------------------------------------------ */

int action_paused_until(const char *typed, time_t now, char *out, size_t outlen, char *err, size_t errlen)
{
    const char *t = typed ? typed : "";
    if (!t[0] || strcmp(t, "true") == 0) {
        snprintf(out, outlen, "true");
        return 0;
    }
    time_t until;
    int64_t ms;
    if (rfc3339_parse(t, &until)) {
        if (until <= now)
            return set_err(err, errlen, "%.40s is not in the future", t);
    } else if (duration_parse_ms(t, &ms)) {
        if (ms < 1000)
            return set_err(err, errlen, "pause for at least a second, not %.40s", t);
        until = now + (time_t)(ms / 1000);
    } else {
        return set_err(err, errlen,
                       "\"%.40s\" is neither a duration (2h, 90m) nor an RFC 3339 time (2026-12-24T08:00:00Z)", t);
    }
    char when[21];
    rfc3339_format(until, when); /* an absolute time: another SRE reads the same moment */
    snprintf(out, outlen, "%s", when);
    return 0;
}

static int pause_one(action *a, const record *r, const char *value)
{
    cJSON *root = patch_new(r->meta.resource_version);
    cJSON *spec = json_obj_child(root, "spec");
    if (value)
        json_set_str(spec, "pausedUntil", value);
    else
        json_set_item(spec, "pausedUntil", cJSON_CreateNull());
    char summary[700];
    if (value)
        snprintf(summary, sizeof summary, "%s %s/%s: spec.pausedUntil = \"%s\"",
                 r->kind == RES_HOSTEDCLUSTER ? "HostedCluster" : "NodePool", r->meta.namespace, r->meta.name, value);
    else
        snprintf(summary, sizeof summary, "%s %s/%s: remove spec.pausedUntil",
                 r->kind == RES_HOSTEDCLUSTER ? "HostedCluster" : "NodePool", r->meta.namespace, r->meta.name);
    return merge_patch(a, r, root, false, summary);
}

static int pause_all(action *a, record *const *clusters, size_t n_clusters, record *const *pools, size_t n_pools,
                     const char *value, char *err, size_t errlen)
{
    if (n_clusters == 0)
        return set_err(err, errlen, "no hosted cluster selected");
    for (size_t i = 0; i < n_clusters; i++)
        if (pause_one(a, clusters[i], value) < 0)
            return too_many(err, errlen);
    for (size_t i = 0; pools && i < n_pools; i++)
        if (pause_one(a, pools[i], value) < 0)
            return too_many(err, errlen);
    return 0;
}

static void name_objects(char *out, size_t outlen, record *const *rs, size_t n)
{
    if (n == 1)
        snprintf(out, outlen, "%s/%s", rs[0]->meta.namespace, rs[0]->meta.name);
    else
        snprintf(out, outlen, "%zu hosted clusters", n);
}

int action_pause(action *a, record *const *clusters, size_t n_clusters, record *const *pools, size_t n_pools,
                 const char *until, time_t now, char *err, size_t errlen)
{
    char value[40];
    if (action_paused_until(until, now, value, sizeof value, err, errlen) < 0)
        return -1;
    if (pause_all(a, clusters, n_clusters, pools, n_pools, value, err, errlen) < 0)
        return -1;
    char who[300];
    name_objects(who, sizeof who, clusters, n_clusters);
    a->title = strcmp(value, "true") == 0 ? xasprintf("Pause reconciliation of %s until resumed", who)
                                           : xasprintf("Pause reconciliation of %s until %s", who, value);
    action_note(a, "While paused the HyperShift operator stops reconciling (it still updates status); the "
                   "HostedControlPlane gets the same pausedUntil, and machine management of every node pool stops.");
    if (pools && n_pools)
        action_note(a, "The %zu node pool(s) are paused too, each by its own spec.pausedUntil.", n_pools);
    return 0;
}

int action_resume(action *a, record *const *clusters, size_t n_clusters, record *const *pools, size_t n_pools,
                  char *err, size_t errlen)
{
    if (pause_all(a, clusters, n_clusters, pools, n_pools, NULL, err, errlen) < 0)
        return -1;
    char who[300];
    name_objects(who, sizeof who, clusters, n_clusters);
    a->title = xasprintf("Resume reconciliation of %s", who);
    return 0;
}

/* ---- upgrade ------------------------------------------------------------------------------------- */

typedef struct target_info {
    const char *image;
    const char *version; /* NULL when only the image is known */
    const rec_conditional_update *conditional; /* not recommended: its risks */
    bool recommended;
} target_info;

static bool find_target(const record *hc, const char *want, target_info *t)
{
    memset(t, 0, sizeof *t);
    const rec_version_status *vs = &hc->u.hc.version;
    for (size_t i = 0; i < vs->n_available_updates; i++) {
        const rec_release *r = &vs->available_updates[i];
        if ((r->version && strcmp(r->version, want) == 0) || (r->image && strcmp(r->image, want) == 0)) {
            t->image = r->image;
            t->version = r->version;
            t->recommended = true;
            return t->image != NULL;
        }
    }
    for (size_t i = 0; i < vs->n_conditional_updates; i++) {
        const rec_conditional_update *u = &vs->conditional_updates[i];
        if ((u->release.version && strcmp(u->release.version, want) == 0) ||
            (u->release.image && strcmp(u->release.image, want) == 0)) {
            t->image = u->release.image;
            t->version = u->release.version;
            t->conditional = u;
            return t->image != NULL;
        }
    }
    if (is_image(want)) {
        t->image = want;
        return true;
    }
    return false;
}

static void upgrade_warnings(action *a, const record *hc, const record *sv, const target_info *t,
                             const ocp_version *cur, bool have_cur, const ocp_version *to, bool have_to)
{
    if (t->conditional) {
        action_note(a, "NOT RECOMMENDED: %s is a conditional update with %zu known risk(s):", t->version ? t->version : "it",
                    t->conditional->n_risks);
        for (size_t i = 0; i < t->conditional->n_risks; i++) {
            const rec_risk *r = &t->conditional->risks[i];
            action_note(a, "  risk %s: %s%s%s", r->name ? r->name : "?", r->message ? r->message : "",
                        r->url ? " " : "", r->url ? r->url : "");
        }
    } else if (!t->recommended) {
        action_note(a, "The target is not among the cluster's available updates: it is a release image given by hand.");
    }
    if (!have_to) {
        action_note(a, "The target's version cannot be read from the image; the operator checks it (ValidReleaseImage).");
        return;
    }
    if (have_cur) {
        int dm = version_minor_index(to) - version_minor_index(cur);
        if (version_compare(to, cur) < 0)
            action_note(a, "A DOWNGRADE: HyperShift refuses a y-stream downgrade (ValidReleaseImage=False).");
        else if (dm > 1)
            action_note(a, "Crosses %d minors: OpenShift upgrades one minor at a time.", dm);
    }
    if (sv) {
        char words[160], v[32];
        snprintf(v, sizeof v, "%d.%d", to->major, to->minor);
        support_state s = derive_supported(sv, v, words, sizeof words);
        if (s != SUPPORT_OK && s != SUPPORT_UNKNOWN)
            action_note(a, "Outside the operator's supported versions: %s (ValidReleaseImage will be False).", words);
    }
    (void)hc;
}

/* What the ClusterVersionUpgradeable gate means for this upgrade (fact sheet, section 6). */
static void upgrade_gate(action *a, const record *r, const upgrade_choice *ch, const target_info *t, bool minor_change)
{
    const hc_record *hc = &r->u.hc;
    const rec_condition *up = rec_condition_find(&hc->conditions, "ClusterVersionUpgradeable");
    bool gate_closed = up && up->status == COND_FALSE;
    const char *present = rec_annotation(r, ANNOTATION_FORCE_UPGRADE);
    if (!gate_closed) {
        action_note(a, "Not blocked: ClusterVersionUpgradeable is not False%s.",
                    ch->force ? ", so forcing changes nothing" : "");
    } else if (!minor_change) {
        action_note(a, "ClusterVersionUpgradeable=False (%s), but a z-stream upgrade passes that gate%s.",
                    up->message ? up->message : "", ch->force ? ": forcing changes nothing" : "");
    } else if (hc->cp_release_image && hc->cp_release_image[0]) {
        action_note(a, "spec.controlPlaneRelease is set: the operator counts that as forced.");
    } else if (ch->force) {
        action_note(a, "ClusterVersionUpgradeable=False (%s): forced, the annotation lifts that gate for this image "
                       "only (it does not bypass ValidReleaseImage).",
                    up->message ? up->message : "");
    } else {
        action_note(a, "BLOCKED: ClusterVersionUpgradeable=False (%s). The minor upgrade will wait "
                       "(Progressing=False, Blocked) unless forced (--force).",
                    up->message ? up->message : "");
        if (present && strcmp(present, t->image) != 0)
            action_note(a, "The cluster carries %s=%s, which does not match this target: it has no effect.",
                        ANNOTATION_FORCE_UPGRADE, present);
    }
}

int action_upgrade(action *a, const record *r, const record *sv, const upgrade_choice *ch, char *err, size_t errlen)
{
    if (!r || r->kind != RES_HOSTEDCLUSTER)
        return set_err(err, errlen, "no hosted cluster selected");
    if (!ch->target || !ch->target[0])
        return set_err(err, errlen, "upgrade to which version or release image? (:upgrade 4.17.9)");
    target_info t;
    if (!find_target(r, ch->target, &t))
        return set_err(err, errlen,
                       "%.40s is not among %s/%s's available or conditional updates (give a release image to go "
                       "there anyway)",
                       ch->target, r->meta.namespace, r->meta.name);
    const hc_record *hc = &r->u.hc;
    if (hc->release_image && strcmp(hc->release_image, t.image) == 0)
        return set_err(err, errlen, "%s/%s already asks for %s", r->meta.namespace, r->meta.name, t.image);
    upgrade_info up = derive_upgrade(r, 0);
    ocp_version cur, to;
    bool have_cur = up.current && version_parse(up.current, &cur);
    bool have_to = t.version ? version_parse(t.version, &to) : version_of_image(t.image, &to);
    bool minor_change = !have_cur || !have_to || cur.major != to.major || cur.minor != to.minor;

    if (ch->force) {
        cJSON *root = patch_new(r->meta.resource_version);
        json_set_str(json_obj_child(json_obj_child(root, "metadata"), "annotations"), ANNOTATION_FORCE_UPGRADE,
                     t.image);
        char summary[900];
        snprintf(summary, sizeof summary, "HostedCluster %s/%s: annotate %s=%s", r->meta.namespace, r->meta.name,
                 ANNOTATION_FORCE_UPGRADE, t.image);
        if (merge_patch(a, r, root, false, summary) < 0)
            return too_many(err, errlen);
        /* the documented step is `oc annotate`; the call above is the same as a merge patch */
        char target[600], kv[1200];
        snprintf(target, sizeof target, "hostedcluster/%s", r->meta.name);
        snprintf(kv, sizeof kv, "%s=%s", ANNOTATION_FORCE_UPGRADE, t.image);
        buf_reset(&a->oc);
        const char *words[] = {"annotate", target, "-n", r->meta.namespace, kv, "--overwrite"};
        action_oc(a, words, sizeof words / sizeof words[0]);
    }
    cJSON *root = patch_new(r->meta.resource_version);
    json_set_str(json_obj_child(json_obj_child(root, "spec"), "release"), "image", t.image);
    char summary[900];
    snprintf(summary, sizeof summary, "HostedCluster %s/%s: spec.release.image = %s", r->meta.namespace, r->meta.name,
             t.image);
    if (merge_patch(a, r, root, ch->force, summary) < 0)
        return too_many(err, errlen);

    a->title = xasprintf("Upgrade the control plane of %s/%s to %s%s", r->meta.namespace, r->meta.name,
                         t.version ? t.version : t.image, ch->force ? " (forced)" : "");
    if (up.in_progress)
        action_note(a, "An upgrade to %s is still in progress.", up.target ? up.target : "another release");
    upgrade_warnings(a, r, sv, &t, &cur, have_cur, &to, have_to);
    upgrade_gate(a, r, ch, &t, minor_change);
    action_note(a, "Node pools keep their release until each is upgraded (:upgrade on the Node pools pane).");
    return 0;
}

/* ---- channel ------------------------------------------------------------------------------------- */

int action_channel(action *a, const record *r, const char *channel, char *err, size_t errlen)
{
    if (!r || r->kind != RES_HOSTEDCLUSTER)
        return set_err(err, errlen, "no hosted cluster selected");
    upgrade_info up = derive_upgrade(r, 0);
    ocp_version cur;
    const char *vtext = up.current ? up.current : r->u.hc.version.desired.version;
    if (!vtext || !version_parse(vtext, &cur))
        return set_err(err, errlen, "%s/%s has no known version: its channel's minor cannot be chosen",
                       r->meta.namespace, r->meta.name);
    static const char *const prefixes[] = {"stable", "fast", "candidate", "eus"};
    char want[64];
    snprintf(want, sizeof want, "%d.%d", cur.major, cur.minor);
    const char *dash = channel ? strrchr(channel, '-') : NULL;
    bool known = false;
    for (size_t i = 0; dash && i < sizeof prefixes / sizeof prefixes[0]; i++)
        known |= strlen(prefixes[i]) == (size_t)(dash - channel) && strncmp(channel, prefixes[i], dash - channel) == 0;
    if (!known)
        return set_err(err, errlen, "channels are stable-%s, fast-%s, candidate-%s%s%s, not \"%.60s\"", want, want,
                       want, cur.minor % 2 == 0 ? " or eus-" : "", cur.minor % 2 == 0 ? want : "",
                       channel ? channel : "");
    if (strcmp(dash + 1, want) != 0)
        return set_err(err, errlen, "%s/%s runs %s: its channels are for %s, not %.20s", r->meta.namespace,
                       r->meta.name, vtext, want, dash + 1);
    if (strncmp(channel, "eus-", 4) == 0 && cur.minor % 2 != 0)
        return set_err(err, errlen, "EUS channels exist only for even minors; %s is odd", want);
    if (r->u.hc.channel && strcmp(r->u.hc.channel, channel) == 0)
        return set_err(err, errlen, "%s/%s is already on %s", r->meta.namespace, r->meta.name, channel);
    cJSON *root = patch_new(r->meta.resource_version);
    json_set_str(json_obj_child(root, "spec"), "channel", channel);
    char summary[700];
    snprintf(summary, sizeof summary, "HostedCluster %s/%s: spec.channel = %s", r->meta.namespace, r->meta.name,
             channel);
    if (merge_patch(a, r, root, false, summary) < 0)
        return too_many(err, errlen);
    a->title = xasprintf("Set the update channel of %s/%s to %s", r->meta.namespace, r->meta.name, channel);
    action_note(a, "The hosted cluster's CVO then fills availableUpdates and conditionalUpdates from %s (was %s).",
                channel, r->u.hc.channel ? r->u.hc.channel : "none");
    return 0;
}
