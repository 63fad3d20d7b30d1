/* The NodePool controller (CAPI and the nodepool-controller as a console sees them): one node per
 * tick towards the wanted count (autoscaling pools held inside [min, max]), drains before a node
 * goes, version rollouts one node at a time, HyperShift's version rules, pause, and the conditions. */
#include "sim/ctl_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/timeutil.h"

typedef struct np_ctx {
    sim_controllers *c;
    np_info *n;
    hc_info *h; /* NULL when the cluster does not exist */
} np_ctx;

static int64_t np_wanted(const cJSON *np, int64_t current)
{
    const cJSON *as = json_at(np, "spec", "autoScaling", NULL);
    if (as) {
        int64_t mn = 0, mx = 0;
        json_int_at(&mn, as, "min", NULL);
        json_int_at(&mx, as, "max", NULL);
        /* The autoscaler keeps the pool inside [min, max] and otherwise leaves it be. */
        return current < mn ? mn : current > mx ? mx : current;
    }
    int64_t r = 0;
    json_int_at(&r, np, "spec", "replicas", NULL);
    return r < 0 ? 0 : r;
}

static int drain_ticks_for(const cJSON *np)
{
    int64_t ms = 0;
    const char *t = json_str_at(np, "spec", "nodeDrainTimeout", NULL);
    if (!t || !duration_parse_ms(t, &ms) || ms <= 0)
        return SIM_DRAIN_TICKS;
    int64_t ticks = (ms + 9999) / 10000;
    return ticks < 1 ? 1 : ticks > SIM_DRAIN_MAX_TICKS ? SIM_DRAIN_MAX_TICKS : (int)ticks;
}

/* Why the pool's release is refused (fact sheet §6), or NULL. */
static const char *np_release_problem(const cJSON *np, const hc_info *h, const char *image, sim_version *target,
                                      char *msg, size_t msglen)
{
    if (!sim_release_version_of(image, target)) {
        snprintf(msg, msglen, "Failed to get release image: unknown release image \"%.400s\"", image);
        return msg;
    }
    if (h && h->skip_validation)
        return NULL;
    char tv[32], why[400];
    sim_version_format(*target, tv, sizeof tv);
    if (h && h->has_completed && target->major == h->completed.major && target->minor > h->completed.minor) {
        char hv[32];
        sim_version_format(h->completed, hv, sizeof hv);
        snprintf(msg, msglen,
                 "Failed to get release image: NodePool version %s minor version can't be higher than the "
                 "HostedCluster minor version %s",
                 tv, hv);
        return msg;
    }
    sim_version cur;
    bool has_cur = sim_version_parse(json_str_at(np, "status", "version", NULL), &cur);
    if (!sim_release_validate(has_cur ? &cur : NULL, *target, why, sizeof why)) {
        snprintf(msg, msglen, "Failed to get release image: %s", why);
        return msg;
    }
    return NULL;
}

static cJSON *node_versions(const char *ver, int ready, int unready)
{
    sim_version v;
    char kubelet[32] = "v1.30.3";
    if (sim_version_parse(ver, &v))
        sim_release_kubelet(v, kubelet, sizeof kubelet);
    cJSON *e = cJSON_CreateObject();
    json_set_str(e, "ocpVersion", ver);
    json_set_str(e, "kubeletVersion", kubelet);
    json_set_num(e, "readyNodeCount", ready);
    json_set_num(e, "unreadyNodeCount", unready);
    return e;
}

static bool np_reconcile(cJSON *np, void *vctx)
{
    np_ctx *x = vctx;
    sim_controllers *c = x->c;
    np_info *n = x->n;
    np_state *st = n->st;
    hc_info *h = x->h;
    const char *now = c->nowts;
    int64_t gen;
    cJSON *status;
    cJSON *conds = ctl_status_conditions(np, &gen, &status);

    char pmsg[96] = "";
    pause_state ps = ctl_pause_eval(json_str_at(np, "spec", "pausedUntil", NULL), c->now, pmsg, sizeof pmsg);
    bool paused = ps == PAUSE_ACTIVE;
    if (!paused && h && h->paused) {
        paused = true;
        snprintf(pmsg, sizeof pmsg, "%s", h->paused_msg);
    }
    char image[512];
    snprintf(image, sizeof image, "%s", str_or(json_str_at(np, "spec", "release", "image", NULL), ""));
    sim_version target = {0, 0, 0};
    char problem_buf[700];
    const char *problem = np_release_problem(np, h, image, &target, problem_buf, sizeof problem_buf);
    char tv[32];
    sim_version_format(target, tv, sizeof tv);

    int64_t cur = 0;
    json_int_at(&cur, status, "replicas", NULL);
    if (cur < 0)
        cur = 0;
    int64_t want = np_wanted(np, cur);
    char version[64];
    snprintf(version, sizeof version, "%s", str_or(json_str_at(status, "version", NULL), ""));
    bool rolling = false, draining = false;
    int pace = ctl_pace_of(np, PACE_NODE_ANNOTATION, 1);

    if (!paused && h && !problem) {
        if (want > cur) {
            cur++;
            st->drain_ticks = 0;
            ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "ScalingUp", "nodepool-controller",
                          "Scaled node pool from %lld to %lld replicas (target %lld)", (long long)cur - 1,
                          (long long)cur, (long long)want);
        } else if (want < cur) {
            if (st->drain_ticks == 0)
                ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "DrainingNode", "nodepool-controller",
                              "Draining node %s-%05llx (nodeDrainTimeout %s)", n->name,
                              (unsigned long long)(ctl_fnv_str(n->uid, FNV_SEED) + (uint64_t)cur) & 0xfffff,
                              str_or(json_str_at(np, "spec", "nodeDrainTimeout", NULL), "0s"));
            if (++st->drain_ticks >= drain_ticks_for(np)) {
                cur--;
                st->drain_ticks = 0;
                ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "ScalingDown", "nodepool-controller",
                              "Scaled node pool from %lld to %lld replicas (target %lld)", (long long)cur + 1,
                              (long long)cur, (long long)want);
            } else {
                draining = true;
            }
        }
        if (!*version) {
            /* A new pool takes its version once its nodes are up. */
            if (cur == want)
                snprintf(version, sizeof version, "%s", tv);
        } else if (strcmp(version, tv) != 0) {
            if (st->roll_ticks == 0)
                ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "UpdatingVersion",
                              "nodepool-controller", "Rolling out version %s (from %s)", tv, version);
            st->roll_ticks++;
            if (st->roll_ticks > cur * pace) {
                ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "VersionUpdated",
                              "nodepool-controller", "Nodes now run version %s", tv);
                snprintf(version, sizeof version, "%s", tv);
                st->roll_ticks = 0;
            } else {
                rolling = true;
            }
        }
    } else {
        rolling = *version && !problem && strcmp(version, tv) != 0;
        draining = st->drain_ticks > 0;
    }
    if (!rolling)
        st->roll_ticks = 0;
    st->active = !paused && h && !problem && (cur != want || rolling || draining || !*version);

    json_set_num(status, "replicas", (double)cur);
    if (*version)
        ctl_set_str(status, "version", version);

    /* Conditions */
    char msg[800];
    if (cur < want) {
        snprintf(msg, sizeof msg, "Minimum availability requires %lld replicas, current %lld available",
                 (long long)want, (long long)cur);
        ctl_cond_set(conds, "Ready", "False", "WaitingForAvailableMachines", msg, "Warning", gen, now);
        snprintf(msg, sizeof msg, "%lld of %lld machines are not ready", (long long)(want - cur), (long long)want);
        ctl_cond_set(conds, "AllMachinesReady", "False", "WaitingForNodeRef", msg, "Info", gen, now);
    } else {
        ctl_cond_set(conds, "Ready", "True", "AsExpected", "", NULL, gen, now);
        ctl_cond_set(conds, "AllMachinesReady", "True", "AsExpected", "All is well", NULL, gen, now);
    }
    if (draining)
        ctl_cond_set(conds, "AllNodesHealthy", "False", "NodeDraining", "A node is being drained (SchedulingDisabled)",
                     "Info", gen, now);
    else
        ctl_cond_set(conds, "AllNodesHealthy", "True", "AsExpected", "All is well", NULL, gen, now);
    if (problem)
        ctl_cond_set(conds, "ValidReleaseImage", "False", "ValidationFailed", problem, "Error", gen, now);
    else {
        snprintf(msg, sizeof msg, "Using release image: %.600s", image);
        ctl_cond_set(conds, "ValidReleaseImage", "True", "AsExpected", msg, NULL, gen, now);
    }
    if (h && h->has_completed && !problem && h->completed.minor - target.minor > 3) {
        snprintf(msg, sizeof msg, "NodePool minor version %d.%d is more than 3 minors behind the control plane",
                 target.major, target.minor);
        ctl_cond_set(conds, "SupportedVersionSkew", "False", "UnsupportedSkew", msg, "Warning", gen, now);
    } else {
        ctl_cond_set(conds, "SupportedVersionSkew", "True", "AsExpected", "", NULL, gen, now);
    }
    if (rolling) {
        snprintf(msg, sizeof msg, "Updating version in progress. Target version: %s", tv);
        ctl_cond_set(conds, "UpdatingVersion", "True", "AsExpected", msg, NULL, gen, now);
    } else {
        ctl_cond_set(conds, "UpdatingVersion", "False", "AsExpected", NULL, NULL, gen, now);
    }
    ctl_cond_set(conds, "UpdatingConfig", "False", "AsExpected", NULL, NULL, gen, now);
    ctl_cond_set(conds, "AutoscalingEnabled", json_at(np, "spec", "autoScaling", NULL) ? "True" : "False", "AsExpected",
                 NULL, NULL, gen, now);
    ctl_cond_set(conds, "AutorepairEnabled",
                 cJSON_IsTrue(json_at(np, "spec", "management", "autoRepair", NULL)) ? "True" : "False", "AsExpected",
                 NULL, NULL, gen, now);
    ctl_cond_reconciliation_active(conds, paused ? PAUSE_ACTIVE : ps, pmsg, "ReconciliationActive", gen, now);

    /* nodesInfo: nodes per version (the API wants at least one entry, so none without nodes) */
    if (cur > 0 && *version) {
        cJSON *nv = cJSON_CreateArray();
        int updated = rolling ? (st->roll_ticks / pace < cur ? st->roll_ticks / pace : (int)cur) : 0;
        if (updated > 0)
            cJSON_AddItemToArray(nv, node_versions(tv, updated, 0));
        if (cur - updated > 0)
            cJSON_AddItemToArray(nv, node_versions(version, (int)(cur - updated), 0));
        json_set_item(json_obj_child(status, "nodesInfo"), "nodeVersions", nv);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(status, "nodesInfo");
    }
    return true;
}

static uint64_t np_fingerprint(const np_info *n, const hc_info *h)
{
    uint64_t fp = ctl_fnv(&n->rv, sizeof n->rv, FNV_SEED);
    if (h) {
        int v[5] = {h->paused, h->has_completed, h->completed.minor, h->completed.patch, h->skip_validation};
        fp = ctl_fnv(v, sizeof v, fp);
        fp = ctl_fnv_str(h->paused_msg, fp);
    }
    return fp | 1;
}

void ctl_np_step(sim_controllers *c, np_info *n)
{
    if (n->deleting) {
        sim_store_mutate(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, ctl_remove_hs_finalizer, NULL);
        return;
    }
    hc_info *h = n->hc >= 0 ? &c->hcs[n->hc] : NULL;
    if (h && h->deleting)
        return;
    uint64_t fp = np_fingerprint(n, h);
    if (!n->st->active && fp == n->st->fp)
        return;
    np_ctx x = {c, n, h};
    if (sim_store_mutate(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, np_reconcile, &x))
        n->rv = sim_store_rv(c->s);
    n->st->fp = np_fingerprint(n, h);
}
