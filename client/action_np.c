/* NodePool actions: scale (to zero and back, or to a count) and upgrade a pool (see action.h; the
 * procedures are in docs/operations.md). */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/action_internal.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

static int drain_timeout_ok(const char *d, char *err, size_t errlen)
{
    int64_t ms;
    if (d && !duration_parse_ms(d, &ms))
        return set_err(err, errlen, "nodeDrainTimeout \"%.40s\" is no duration (0s, 5m, 1h30m)", d);
    return 0;
}

static void drain_note(action *a, const char *d)
{
    int64_t ms = 0;
    if (!d)
        return;
    duration_parse_ms(d, &ms);
    if (ms == 0)
        action_note(a, "nodeDrainTimeout 0s: each node drains without a time limit (a PodDisruptionBudget that "
                       "never allows an eviction holds the node forever).");
    else
        action_note(a, "nodeDrainTimeout %s: a node still draining after %s is removed anyway.", d, d);
}

/* PUT .../scale: an autoscaling/v1 Scale with the pool's resourceVersion (a 409 when it moved). */
static int put_scale(action *a, const record *r, int64_t replicas, int64_t before, bool rv_from_previous,
                     bool needs_previous)
{
    cJSON *root = cJSON_CreateObject();
    json_set_str(root, "apiVersion", "autoscaling/v1");
    json_set_str(root, "kind", "Scale");
    cJSON *meta = json_obj_child(root, "metadata");
    json_set_str(meta, "name", r->meta.name);
    json_set_str(meta, "namespace", r->meta.namespace);
    if (r->meta.resource_version)
        json_set_str(meta, "resourceVersion", r->meta.resource_version);
    json_set_num(json_obj_child(root, "spec"), "replicas", (double)replicas);
    char *body = patch_text(root);
    char summary[700];
    snprintf(summary, sizeof summary, "NodePool %s/%s: scale to %" PRId64 " replicas (was %" PRId64 ")",
             r->meta.namespace, r->meta.name, replicas, before);
    action_call *c = action_add_call(a, "PUT", RES_NODEPOOL, r->meta.namespace, r->meta.name, "scale", CT_JSON, body,
                                     summary);
    free(body);
    if (!c)
        return -1;
    c->rv_from_previous = rv_from_previous;
    c->needs_previous = needs_previous;
    char target[600], count[40];
    snprintf(target, sizeof target, "nodepool/%s", r->meta.name);
    snprintf(count, sizeof count, "--replicas=%" PRId64, replicas);
    const char *words[] = {"scale", target, "-n", r->meta.namespace, count};
    action_oc(a, words, sizeof words / sizeof words[0]);
    return 0;
}

/* The count remembered before a scale to zero, or -1. */
static int64_t remembered(const record *r)
{
    const char *v = rec_annotation(r, ANNOTATION_PREVIOUS_REPLICAS);
    if (!v || !*v)
        return -1;
    char *end;
    long long n = strtoll(v, &end, 10);
    return *end || n < 0 || n > INT32_MAX ? -1 : (int64_t)n;
}

/* One pool: the calls, in the order that keeps what must not be lost. */
static int scale_one(action *a, const record *r, const scale_choice *ch, char *err, size_t errlen)
{
    const np_record *np = &r->u.np;
    int64_t to = ch->replicas;
    if (ch->back) {
        to = remembered(r);
        if (to < 0)
            return set_err(err, errlen, "%s/%s has no replica count remembered (%s): say how many (:scale N)",
                           r->meta.namespace, r->meta.name, ANNOTATION_PREVIOUS_REPLICAS);
    }
    if (to < 0 || to > INT32_MAX)
        return set_err(err, errlen, "replicas must be 0 or more, not %" PRId64, to);
    bool previous_call = false;
    if (np->has_autoscaling) {
        if (!ch->disable_autoscaling)
            return set_err(err, errlen,
                           "%s/%s is autoscaled (min %" PRId64 ", max %" PRId64 "): it has no replicas to set; turn "
                           "autoscaling off first (the dialog offers it)",
                           r->meta.namespace, r->meta.name, np->autoscaling_min, np->autoscaling_max);
        /* autoScaling and replicas may not both be set: replace one by the other, keeping the nodes
         * there now, so turning the autoscaler off alone changes nothing on the cluster */
        int64_t now_nodes = np->has_status_replicas ? np->status_replicas : np->autoscaling_min;
        cJSON *root = patch_new(r->meta.resource_version);
        cJSON *spec = json_obj_child(root, "spec");
        json_set_item(spec, "autoScaling", cJSON_CreateNull());
        json_set_num(spec, "replicas", (double)now_nodes);
        char summary[700];
        snprintf(summary, sizeof summary, "NodePool %s/%s: autoscaling off, replicas = %" PRId64 " (the nodes now)",
                 r->meta.namespace, r->meta.name, now_nodes);
        if (merge_patch(a, r, root, false, summary) < 0)
            return too_many(err, errlen);
        previous_call = true;
    } else if (np->has_replicas && np->replicas == to && !ch->drain_timeout) {
        return set_err(err, errlen, "%s/%s already has %" PRId64 " replicas", r->meta.namespace, r->meta.name, to);
    }
    int64_t before = np->has_autoscaling ? (np->has_status_replicas ? np->status_replicas : 0) : np->replicas;
    /* to zero: remember the count on the pool first (with the drain timeout, one patch), so it is
     * there before the pool is empty */
    if (to == 0 || ch->drain_timeout) {
        cJSON *root = patch_new(r->meta.resource_version);
        char summary[700];
        int w = snprintf(summary, sizeof summary, "NodePool %s/%s:", r->meta.namespace, r->meta.name);
        if (to == 0 && before > 0) {
            char count[32];
            snprintf(count, sizeof count, "%" PRId64, before);
            json_set_str(json_obj_child(json_obj_child(root, "metadata"), "annotations"), ANNOTATION_PREVIOUS_REPLICAS,
                         count);
            w += snprintf(summary + w, sizeof summary - (size_t)w, " remember %s replicas in %s", count,
                          ANNOTATION_PREVIOUS_REPLICAS);
        }
        if (ch->drain_timeout) {
            json_set_str(json_obj_child(root, "spec"), "nodeDrainTimeout", ch->drain_timeout);
            snprintf(summary + w, sizeof summary - (size_t)w, "%s spec.nodeDrainTimeout = %s",
                     to == 0 && before > 0 ? "," : "", ch->drain_timeout);
        }
        if (cJSON_GetObjectItemCaseSensitive(root, "spec") ||
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "metadata"), "annotations")) {
            if (merge_patch(a, r, root, previous_call, summary) < 0)
                return too_many(err, errlen);
            previous_call = true;
        } else {
            cJSON_Delete(root);
        }
    }
    if (put_scale(a, r, to, before, previous_call, np->has_autoscaling) < 0)
        return too_many(err, errlen);
    /* back from zero: the remembered count has done its job (after the scale, so a failed scale
     * keeps it) */
    if (ch->back) {
        cJSON *root = patch_new(r->meta.resource_version);
        json_set_item(json_obj_child(json_obj_child(root, "metadata"), "annotations"), ANNOTATION_PREVIOUS_REPLICAS,
                      cJSON_CreateNull());
        char summary[700];
        snprintf(summary, sizeof summary, "NodePool %s/%s: forget the remembered count (%s)", r->meta.namespace,
                 r->meta.name, ANNOTATION_PREVIOUS_REPLICAS);
        if (merge_patch(a, r, root, true, summary) < 0)
            return too_many(err, errlen);
    }
    if (to == 0 && np->has_status_replicas && np->status_replicas > 0 && !a->confirm_name)
        a->confirm_name = xstrdup(r->meta.name);
    return 0;
}

int action_scale(action *a, record *const *pools, size_t n_pools, const scale_choice *ch, char *err, size_t errlen)
{
    if (n_pools == 0)
        return set_err(err, errlen, "no node pool selected");
    if (drain_timeout_ok(ch->drain_timeout, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < n_pools; i++)
        if (scale_one(a, pools[i], ch, err, errlen) < 0)
            return -1;
    char who[300];
    if (n_pools == 1)
        snprintf(who, sizeof who, "%s/%s", pools[0]->meta.namespace, pools[0]->meta.name);
    else
        snprintf(who, sizeof who, "%zu node pools", n_pools);
    if (ch->back)
        a->title = xasprintf("Scale %s back to the remembered count", who);
    else
        a->title = xasprintf("Scale %s to %" PRId64 " replicas", who, ch->replicas);
    if (n_pools > 1 && a->confirm_name) { /* several pools with workloads to zero: one word for all */
        free(a->confirm_name);
        a->confirm_name = xstrdup("scale-to-zero");
    }
    if (!ch->back && ch->replicas == 0)
        action_note(a, "Each node is drained (its pods evicted) and removed; the count is remembered on the pool "
                       "(%s) for :scale back.",
                    ANNOTATION_PREVIOUS_REPLICAS);
    if (ch->drain_timeout) {
        drain_note(a, ch->drain_timeout);
    } else if (n_pools == 1) { /* the documented choice, offered in words */
        const char *now = pools[0]->u.np.node_drain_timeout;
        char how[32];
        snprintf(how, sizeof how, ch->back ? "back" : "%" PRId64, ch->replicas);
        action_note(a, "Drain: nodeDrainTimeout is %s%s. To choose first: :scale %s 0s drains without a time limit, "
                       ":scale %s DURATION (10m) removes a node still draining after that long.",
                    now && now[0] ? now : "unset (no limit)",
                    now && now[0] ? " (a node still draining after it is removed anyway)" : "", how, how);
    }
    return 0;
}

/* ---- upgrade a pool ------------------------------------------------------------------------------ */

/* The control plane's minor: the newest history entry with a completion time (fact sheet, section 6). */
static bool cp_version(const record *hc, ocp_version *v)
{
    const rec_version_status *vs = &hc->u.hc.version;
    for (size_t i = 0; i < vs->n_history; i++)
        if (vs->history[i].completed != REC_TIME_UNKNOWN && vs->history[i].version)
            return version_parse(vs->history[i].version, v);
    return false;
}

/* The image for a target: itself when an image, else the release of that version the cluster knows. */
static const char *pool_target_image(const record *hc, const char *target, const char **version)
{
    *version = NULL;
    if (is_image(target))
        return target;
    const rec_version_status *vs = &hc->u.hc.version;
    for (size_t i = 0; i < vs->n_history; i++)
        if (vs->history[i].version && strcmp(vs->history[i].version, target) == 0 && vs->history[i].image) {
            *version = vs->history[i].version;
            return vs->history[i].image;
        }
    if (vs->desired.version && strcmp(vs->desired.version, target) == 0 && vs->desired.image) {
        *version = vs->desired.version;
        return vs->desired.image;
    }
    return NULL;
}

int action_upgrade_pool(action *a, const record *r, const record *hc, const char *target, const char *drain_timeout,
                        char *err, size_t errlen)
{
    if (!r || r->kind != RES_NODEPOOL)
        return set_err(err, errlen, "no node pool selected");
    if (!hc)
        return set_err(err, errlen, "%s/%s: its hosted cluster %s is not in the store", r->meta.namespace,
                       r->meta.name, r->u.np.cluster_name ? r->u.np.cluster_name : "?");
    if (drain_timeout_ok(drain_timeout, err, errlen) < 0)
        return -1;
    const char *version = NULL;
    const char *image = target && target[0] ? pool_target_image(hc, target, &version) : hc->u.hc.release_image;
    if (!target || !target[0]) {
        const rec_version_status *vs = &hc->u.hc.version;
        version = vs->desired.image && image && strcmp(vs->desired.image, image) == 0 ? vs->desired.version : NULL;
    }
    if (!image)
        return set_err(err, errlen, "%.40s is not a release %s/%s has run or asks for: give a release image",
                       target, hc->meta.namespace, hc->meta.name);
    if (r->u.np.release_image && strcmp(r->u.np.release_image, image) == 0)
        return set_err(err, errlen, "%s/%s already asks for %s", r->meta.namespace, r->meta.name, image);
    ocp_version to, cp;
    bool have_to = version ? version_parse(version, &to) : version_of_image(image, &to);
    if (!cp_version(hc, &cp))
        return set_err(err, errlen, "%s/%s has no completed control plane version yet: upgrade the pool after it",
                       hc->meta.namespace, hc->meta.name);
    if (have_to && version_minor_index(&to) > version_minor_index(&cp))
        return set_err(err, errlen,
                       "%d.%d is newer than the control plane's %d.%d: a node pool may not run ahead of its control "
                       "plane (ValidReleaseImage would fail); upgrade the control plane first",
                       to.major, to.minor, cp.major, cp.minor);
    cJSON *root = patch_new(r->meta.resource_version);
    cJSON *spec = json_obj_child(root, "spec");
    json_set_str(json_obj_child(spec, "release"), "image", image);
    if (drain_timeout)
        json_set_str(spec, "nodeDrainTimeout", drain_timeout);
    char summary[900];
    snprintf(summary, sizeof summary, "NodePool %s/%s: spec.release.image = %s%s%s", r->meta.namespace, r->meta.name,
             image, drain_timeout ? ", spec.nodeDrainTimeout = " : "", drain_timeout ? drain_timeout : "");
    if (merge_patch(a, r, root, false, summary) < 0)
        return too_many(err, errlen);
    a->title = xasprintf("Upgrade node pool %s/%s to %s", r->meta.namespace, r->meta.name, version ? version : image);
    if (!have_to)
        action_note(a, "The target's version cannot be read from the image; the operator checks it against the "
                       "control plane (ValidReleaseImage).");
    action_note(a, "The nodes roll to the new release by the pool's upgrade type (%s).",
                r->u.np.upgrade_type ? r->u.np.upgrade_type : "Replace");
    drain_note(a, drain_timeout);
    return 0;
}
