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

/* One reconcile of one NodePool: what its steps share. */
typedef struct np_pass {
    sim_controllers *c;
    np_info *n;
    hc_info *h; /* NULL when the cluster does not exist */
    cJSON *np, *status, *conds;
    int64_t gen;
    const char *now;
    pause_state ps; /* the pool's own pausedUntil */
    bool paused;    /* by its own pausedUntil or its cluster's */
    char pmsg[96];
    char image[512];
    sim_version target; /* the version of image */
    char tv[32];
    const char *problem; /* why the release is refused (in problem_buf), or NULL */
    char problem_buf[700];
    int64_t cur, want; /* nodes now and wanted */
    char version[64];  /* status.version: what the nodes run ("" before the first) */
    bool rolling, draining;
    int pace; /* ticks per node of a rollout */
} np_pass;

/* One node more, or one more tick of draining the node that goes. */
static void scale_step(np_pass *p)
{
    sim_controllers *c = p->c;
    np_info *n = p->n;
    np_state *st = n->st;
    if (p->want > p->cur) {
        p->cur++;
        st->drain_ticks = 0;
        ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "ScalingUp", "nodepool-controller",
                      "Scaled node pool from %lld to %lld replicas (target %lld)", (long long)p->cur - 1,
                      (long long)p->cur, (long long)p->want);
    } else if (p->want < p->cur) {
        if (st->drain_ticks == 0)
            ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "DrainingNode", "nodepool-controller",
                          "Draining node %s-%05llx (nodeDrainTimeout %s)", n->name,
                          (unsigned long long)(ctl_fnv_str(n->uid, FNV_SEED) + (uint64_t)p->cur) & 0xfffff,
                          str_or(json_str_at(p->np, "spec", "nodeDrainTimeout", NULL), "0s"));
        if (++st->drain_ticks >= drain_ticks_for(p->np)) {
            p->cur--;
            st->drain_ticks = 0;
            ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "ScalingDown", "nodepool-controller",
                          "Scaled node pool from %lld to %lld replicas (target %lld)", (long long)p->cur + 1,
                          (long long)p->cur, (long long)p->want);
        } else {
            p->draining = true;
        }
    }
}

/* A new pool takes its version once its nodes are up; a changed release rolls one node per pace. */
static void rollout_step(np_pass *p)
{
    sim_controllers *c = p->c;
    np_info *n = p->n;
    np_state *st = n->st;
    if (!*p->version) {
        if (p->cur == p->want)
            snprintf(p->version, sizeof p->version, "%s", p->tv);
    } else if (strcmp(p->version, p->tv) != 0) {
        if (st->roll_ticks == 0)
            ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "UpdatingVersion", "nodepool-controller",
                          "Rolling out version %s (from %s)", p->tv, p->version);
        st->roll_ticks++;
        if (st->roll_ticks > p->cur * p->pace) {
            ctl_event_add(c, SIM_NODEPOOL, n->ns, n->name, n->uid, "Normal", "VersionUpdated", "nodepool-controller",
                          "Nodes now run version %s", p->tv);
            snprintf(p->version, sizeof p->version, "%s", p->tv);
            st->roll_ticks = 0;
        } else {
            p->rolling = true;
        }
    }
}

static void set_np_conditions(np_pass *p)
{
    hc_info *h = p->h;
    char msg[800];
    if (p->cur < p->want) {
        snprintf(msg, sizeof msg, "Minimum availability requires %lld replicas, current %lld available",
                 (long long)p->want, (long long)p->cur);
        ctl_cond_set(p->conds, "Ready", "False", "WaitingForAvailableMachines", msg, "Warning", p->gen, p->now);
        snprintf(msg, sizeof msg, "%lld of %lld machines are not ready", (long long)(p->want - p->cur),
                 (long long)p->want);
        ctl_cond_set(p->conds, "AllMachinesReady", "False", "WaitingForNodeRef", msg, "Info", p->gen, p->now);
    } else {
        ctl_cond_set(p->conds, "Ready", "True", "AsExpected", "", NULL, p->gen, p->now);
        ctl_cond_set(p->conds, "AllMachinesReady", "True", "AsExpected", "All is well", NULL, p->gen, p->now);
    }
    if (p->draining)
        ctl_cond_set(p->conds, "AllNodesHealthy", "False", "NodeDraining",
                     "A node is being drained (SchedulingDisabled)", "Info", p->gen, p->now);
    else
        ctl_cond_set(p->conds, "AllNodesHealthy", "True", "AsExpected", "All is well", NULL, p->gen, p->now);
    if (p->problem)
        ctl_cond_set(p->conds, "ValidReleaseImage", "False", "ValidationFailed", p->problem, "Error", p->gen, p->now);
    else {
        snprintf(msg, sizeof msg, "Using release image: %.600s", p->image);
        ctl_cond_set(p->conds, "ValidReleaseImage", "True", "AsExpected", msg, NULL, p->gen, p->now);
    }
    if (h && h->has_completed && !p->problem && h->completed.minor - p->target.minor > 3) {
        snprintf(msg, sizeof msg, "NodePool minor version %d.%d is more than 3 minors behind the control plane",
                 p->target.major, p->target.minor);
        ctl_cond_set(p->conds, "SupportedVersionSkew", "False", "UnsupportedSkew", msg, "Warning", p->gen, p->now);
    } else {
        ctl_cond_set(p->conds, "SupportedVersionSkew", "True", "AsExpected", "", NULL, p->gen, p->now);
    }
    if (p->rolling) {
        snprintf(msg, sizeof msg, "Updating version in progress. Target version: %s", p->tv);
        ctl_cond_set(p->conds, "UpdatingVersion", "True", "AsExpected", msg, NULL, p->gen, p->now);
    } else {
        ctl_cond_set(p->conds, "UpdatingVersion", "False", "AsExpected", NULL, NULL, p->gen, p->now);
    }
    ctl_cond_set(p->conds, "UpdatingConfig", "False", "AsExpected", NULL, NULL, p->gen, p->now);
    ctl_cond_set(p->conds, "AutoscalingEnabled", json_at(p->np, "spec", "autoScaling", NULL) ? "True" : "False",
                 "AsExpected", NULL, NULL, p->gen, p->now);
    ctl_cond_set(p->conds, "AutorepairEnabled",
                 cJSON_IsTrue(json_at(p->np, "spec", "management", "autoRepair", NULL)) ? "True" : "False",
                 "AsExpected", NULL, NULL, p->gen, p->now);
    ctl_cond_reconciliation_active(p->conds, p->paused ? PAUSE_ACTIVE : p->ps, p->pmsg, "ReconciliationActive", p->gen,
                                   p->now);
}

/* nodesInfo: nodes per version (the API wants at least one entry, so none without nodes) */
static void set_nodes_info(np_pass *p)
{
    np_state *st = p->n->st;
    if (p->cur > 0 && *p->version) {
        cJSON *nv = cJSON_CreateArray();
        int updated = p->rolling ? (st->roll_ticks / p->pace < p->cur ? st->roll_ticks / p->pace : (int)p->cur) : 0;
        if (updated > 0)
            cJSON_AddItemToArray(nv, node_versions(p->tv, updated, 0));
        if (p->cur - updated > 0)
            cJSON_AddItemToArray(nv, node_versions(p->version, (int)(p->cur - updated), 0));
        json_set_item(json_obj_child(p->status, "nodesInfo"), "nodeVersions", nv);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(p->status, "nodesInfo");
    }
}

static bool np_reconcile(cJSON *np, void *vctx)
{
    np_ctx *x = vctx;
    np_state *st = x->n->st;
    hc_info *h = x->h;
    np_pass p = {.c = x->c, .n = x->n, .h = h, .np = np, .now = x->c->nowts};
    p.conds = ctl_status_conditions(np, &p.gen, &p.status);
    p.ps = ctl_pause_eval(json_str_at(np, "spec", "pausedUntil", NULL), p.c->now, p.pmsg, sizeof p.pmsg);
    p.paused = p.ps == PAUSE_ACTIVE;
    if (!p.paused && h && h->paused) {
        p.paused = true;
        snprintf(p.pmsg, sizeof p.pmsg, "%s", h->paused_msg);
    }
    snprintf(p.image, sizeof p.image, "%s", str_or(json_str_at(np, "spec", "release", "image", NULL), ""));
    p.problem = np_release_problem(np, h, p.image, &p.target, p.problem_buf, sizeof p.problem_buf);
    sim_version_format(p.target, p.tv, sizeof p.tv);
    json_int_at(&p.cur, p.status, "replicas", NULL);
    if (p.cur < 0)
        p.cur = 0;
    p.want = np_wanted(np, p.cur);
    snprintf(p.version, sizeof p.version, "%s", str_or(json_str_at(p.status, "version", NULL), ""));
    p.pace = ctl_pace_of(np, PACE_NODE_ANNOTATION, 1);

    if (!p.paused && h && !p.problem) {
        scale_step(&p);
        rollout_step(&p);
    } else {
        p.rolling = *p.version && !p.problem && strcmp(p.version, p.tv) != 0;
        p.draining = st->drain_ticks > 0;
    }
    if (!p.rolling)
        st->roll_ticks = 0;
    st->active = !p.paused && h && !p.problem && (p.cur != p.want || p.rolling || p.draining || !*p.version);

    json_set_num(p.status, "replicas", (double)p.cur);
    if (*p.version)
        ctl_set_str(p.status, "version", p.version);
    set_np_conditions(&p);
    set_nodes_info(&p);
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
        sim_store_mutate(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, ctl_remove_finalizer, (void *)HS_FINALIZER);
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
