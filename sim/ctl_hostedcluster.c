/* The HostedCluster controller (the hypershift-operator and the hosted CVO as a console sees them):
 * conditions in the operator's order, pausedUntil, release validation, upgrade gates and progress,
 * the update graph, deletion (NodePools and the control-plane namespace go first), and the
 * resources a new cluster needs. A cluster is reconciled only when an input changed (a fingerprint)
 * or it has an upgrade in progress. */
#include "sim/ctl_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/jsonutil.h"

typedef struct hc_ctx {
    sim_controllers *c;
    hc_info *h;
} hc_ctx;

void ctl_ensure_control_plane(sim_controllers *c, hc_info *h)
{
    ctl_create_obj(c, SIM_NAMESPACE, sim_build_namespace(h->cpns, true));
    sim_reply r = sim_store_get(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, SIM_SUB_NONE);
    if (r.code == 200) {
        ctl_create_obj(c, SIM_HOSTEDCONTROLPLANE, sim_build_hcp(r.body, h->cpns));
        ctl_create_obj(
            c, SIM_SECRET,
            sim_build_admin_kubeconfig(h->ns, h->name, json_str_at(r.body, "spec", "dns", "baseDomain", NULL)));
        if (!json_at(r.body, "spec", "configuration", "oauth", NULL))
            ctl_create_obj(c, SIM_SECRET, sim_build_kubeadmin_password(h->ns, h->name));
    }
    cJSON_Delete(r.body);
    h->st->ensured = true;
}

/* What blocks a release change (fact sheet §6), in the operator's order. Returns NULL when nothing
 * does, else the Progressing message (written into msg). */
static const char *upgrade_gate(const cJSON *hc, const cJSON *conds, const char *image, bool vri_ok,
                                const char *vri_msg, sim_version next, char *msg, size_t msglen)
{
    if (!vri_ok) {
        snprintf(msg, msglen, "ValidReleaseImage condition is false: %s", vri_msg);
        return msg;
    }
    const char *desired_image = json_str_at(hc, "status", "version", "desired", "image", NULL);
    sim_version cur;
    if (!desired_image || strcmp(desired_image, image) == 0 ||
        !sim_version_parse(json_str_at(hc, "status", "version", "desired", "version", NULL), &cur))
        return NULL; /* nothing pending */
    const char *up = ctl_cond_status(conds, "ClusterVersionUpgradeable");
    if (!up || strcmp(up, "False") != 0)
        return NULL;
    if (cur.major == next.major && cur.minor == next.minor)
        return NULL; /* z-stream changes pass */
    if (json_str_at(hc, "spec", "controlPlaneRelease", "image", NULL))
        return NULL; /* counted as forced */
    const char *force = json_str_at(hc, "metadata", "annotations", FORCE_UPGRADE_ANNOTATION, NULL);
    if (force && strcmp(force, image) == 0)
        return NULL;
    snprintf(msg, msglen, "ClusterVersionUpgradeable condition is false: %s",
             force ? "force upgrade annotation is present but does not match desired release image"
                   : "cluster version is not upgradeable");
    return msg;
}

/* One reconcile of one HostedCluster: what its steps share. */
typedef struct hc_pass {
    sim_controllers *c;
    hc_info *h;
    cJSON *hc, *status, *conds, *spec;
    int64_t gen;
    const char *now;
    char image[512];  /* the release the control plane is to run */
    sim_version next; /* its version */
    bool vri_ok;      /* ValidReleaseImage */
    char vri_msg[512];
    const char *gate; /* what blocks a release change (the text in gate_msg), or NULL */
    char gate_msg[700];
    int total_ticks;  /* how long an upgrade takes here */
    bool progressing; /* the newest history entry is Partial */
    int replicas;     /* etcd members wanted */
    bool quorum;
    char cvd[32], dv[32]; /* the completed and the desired version ("" when none) */
} hc_pass;

/* The release to run (controlPlaneRelease wins over release) and HyperShift's verdict on it. */
static void check_release(hc_pass *p)
{
    const char *image = json_str_at(p->spec, "controlPlaneRelease", "image", NULL);
    if (!image)
        image = str_or(json_str_at(p->spec, "release", "image", NULL), "");
    snprintf(p->image, sizeof p->image, "%s", image);
    sim_version cur;
    if (!sim_release_version_of(p->image, &p->next)) {
        p->vri_ok = false;
        snprintf(p->vri_msg, sizeof p->vri_msg,
                 "failed to look up release image metadata: unknown release image \"%.400s\"", p->image);
    } else if (p->h->skip_validation) {
        p->vri_ok = true;
    } else {
        bool has_cur = sim_version_parse(json_str_at(p->status, "version", "desired", "version", NULL), &cur);
        p->vri_ok = sim_release_validate(has_cur ? &cur : NULL, p->next, p->vri_msg, sizeof p->vri_msg);
    }
}

/* Upgrade gates and progress: starts a release change, moves it one tick, completes it (the control
 * plane at 40% of the way), with the operator's Events. */
static void upgrade_step(hc_pass *p)
{
    sim_controllers *c = p->c;
    hc_info *h = p->h;
    hc_state *st = h->st;
    p->total_ticks = st->f.upgrade_ticks > 0 ? st->f.upgrade_ticks : SIM_UPGRADE_TICKS;
    int cp_ticks = p->total_ticks * SIM_CP_UPGRADE_TICKS / SIM_UPGRADE_TICKS;
    if (cp_ticks < 1)
        cp_ticks = 1;
    p->gate = upgrade_gate(p->hc, p->conds, p->image, p->vri_ok, p->vri_msg, p->next, p->gate_msg, sizeof p->gate_msg);
    const char *old_prog = json_str_at(ctl_cond_find(p->conds, "Progressing"), "message", NULL);
    bool was_blocked_same = p->gate && old_prog && strcmp(old_prog, p->gate) == 0;
    if (!h->paused && !p->gate && !h->deleting) {
        const char *desired_image = json_str_at(p->status, "version", "desired", "image", NULL);
        if (!desired_image || strcmp(desired_image, p->image) != 0) {
            char from[32] = "";
            const char *cv = ctl_completed_version(p->status);
            snprintf(from, sizeof from, "%s", str_or(cv, ""));
            ctl_version_begin(p->status, "version", p->next, p->image, p->now, p->gen);
            ctl_version_begin(p->status, "controlPlaneVersion", p->next, p->image, p->now, p->gen);
            st->upgrade_ticks = 0;
            char nv[32];
            sim_version_format(p->next, nv, sizeof nv);
            if (*from)
                ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "UpgradeStarted",
                              "hypershift-operator", "Upgrading from %s to %s (%s)", from, nv, p->image);
            else
                ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "InstallStarted",
                              "hypershift-operator", "Installing %s (%s)", nv, p->image);
        } else if (ctl_version_partial(p->status, "version")) {
            st->upgrade_ticks++;
        }
        if (ctl_version_partial(p->status, "controlPlaneVersion") && st->upgrade_ticks >= cp_ticks)
            ctl_version_complete(p->status, "controlPlaneVersion", p->now);
        if (ctl_version_partial(p->status, "version") && st->upgrade_ticks >= p->total_ticks) {
            ctl_version_complete(p->status, "version", p->now);
            if (ctl_version_partial(p->status, "controlPlaneVersion"))
                ctl_version_complete(p->status, "controlPlaneVersion", p->now);
            const char *done = str_or(json_str_at(p->status, "version", "desired", "version", NULL), "");
            ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "UpgradeCompleted",
                          "hypershift-operator", "Cluster version is %s", done);
            /* The CVO re-evaluates its admin-ack gates for the new version. */
            cJSON *upc = ctl_cond_find(p->conds, "ClusterVersionUpgradeable");
            const char *ups = json_str_at(upc, "status", NULL);
            if (ups && strcmp(ups, "False") == 0)
                ctl_cond_set(p->conds, "ClusterVersionUpgradeable", "True", "FromClusterVersion", "", NULL, p->gen,
                             p->now);
        }
    }
    if (p->gate && !was_blocked_same && !h->paused)
        ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Warning", "UpgradeBlocked", "hypershift-operator",
                      "%s", p->gate);
    p->progressing = ctl_version_partial(p->status, "version");
    st->active = p->progressing && !h->paused && !p->gate;
}

/* Available … PlatformCredentialsFound, in the operator's order. */
static void set_health_conditions(hc_pass *p)
{
    sim_controllers *c = p->c;
    hc_info *h = p->h;
    char msg[800];
    if (p->quorum && *p->cvd) {
        ctl_cond_set(p->conds, "Available", "True", "AsExpected", "The hosted control plane is available", NULL, p->gen,
                     p->now);
        /* the operator marks a cluster the first time it becomes available */
        cJSON *ann = json_obj_child(json_obj_child(p->hc, "metadata"), "annotations");
        if (!cJSON_GetObjectItemCaseSensitive(ann, "hypershift.openshift.io/HasBeenAvailable"))
            json_set_str(ann, "hypershift.openshift.io/HasBeenAvailable", "true");
    } else
        ctl_cond_set(p->conds, "Available", "False", "WaitingForAvailable",
                     "Waiting for hosted control plane to be healthy", NULL, p->gen, p->now);
    if (h->paused) {
        snprintf(msg, sizeof msg, "ReconciliationActive condition is false: %s", h->paused_msg);
        ctl_cond_set(p->conds, "Progressing", "False", "Blocked", msg, NULL, p->gen, p->now);
    } else if (p->gate) {
        ctl_cond_set(p->conds, "Progressing", "False", "Blocked", p->gate, NULL, p->gen, p->now);
    } else if (p->progressing) {
        ctl_cond_set(p->conds, "Progressing", "True", "Progressing",
                     "HostedCluster is deploying, upgrading, or reconfiguring", NULL, p->gen, p->now);
    } else {
        ctl_cond_set(p->conds, "Progressing", "False", "AsExpected", "HostedCluster is at expected version", NULL,
                     p->gen, p->now);
    }
    int unready = h->managed ? p->replicas - h->ready : 0;
    if (unready > 0 && h->installed) {
        snprintf(msg, sizeof msg, "[etcd statefulset has %d unavailable replicas]", unready);
        ctl_cond_set(p->conds, "Degraded", "True", "UnavailableReplicas", msg, NULL, p->gen, p->now);
    } else {
        ctl_cond_set(p->conds, "Degraded", "False", "AsExpected", "The hosted cluster is not degraded", NULL, p->gen,
                     p->now);
    }
    const char *ra_before = ctl_cond_status(p->conds, "ReconciliationActive");
    if (h->paused && ra_before && strcmp(ra_before, "True") == 0)
        ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "ReconciliationPaused",
                      "hypershift-operator", "%s", h->paused_msg);
    else if (!h->paused && ra_before && strcmp(ra_before, "False") == 0)
        ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "ReconciliationResumed",
                      "hypershift-operator", "Reconciliation active on resource");
    ctl_cond_reconciliation_active(p->conds,
                                   h->paused           ? PAUSE_ACTIVE
                                   : h->paused_invalid ? PAUSE_INVALID
                                                       : PAUSE_NONE,
                                   h->paused_msg, "AsExpected", p->gen, p->now);
    ctl_cond_set(p->conds, "ReconciliationSucceeded", "True", "ReconciliatonSucceeded",
                 "Reconciliation completed successfully", NULL, p->gen, p->now);
    ctl_cond_set(p->conds, "ValidConfiguration", "True", "AsExpected", "Configuration passes validation", NULL, p->gen,
                 p->now);
    ctl_cond_set(p->conds, "SupportedHostedCluster", "True", "AsExpected",
                 "HostedCluster is supported by operator configuration", NULL, p->gen, p->now);
    if (p->vri_ok)
        ctl_cond_set(p->conds, "ValidReleaseImage", "True", "AsExpected", "Release image is valid", NULL, p->gen,
                     p->now);
    else
        ctl_cond_set(p->conds, "ValidReleaseImage", "False", "InvalidImage", p->vri_msg, NULL, p->gen, p->now);
    ctl_cond_set(p->conds, "ValidReleaseInfo", "True", "AsExpected", "All is well", NULL, p->gen, p->now);
    ctl_cond_set(p->conds, "IgnitionEndpointAvailable", "True", "AsExpected", "Ignition server deployment is available",
                 NULL, p->gen, p->now);
    ctl_cond_set(p->conds, "InfrastructureReady", "True", "AsExpected", "All is well", NULL, p->gen, p->now);
    if (p->quorum)
        ctl_cond_set(p->conds, "KubeAPIServerAvailable", "True", "AsExpected", "Kube APIServer deployment is available",
                     NULL, p->gen, p->now);
    else
        ctl_cond_set(p->conds, "KubeAPIServerAvailable", "False", "WaitingForAvailable",
                     "Waiting for Kube APIServer deployment to become available", NULL, p->gen, p->now);
    if (!h->managed) {
        ctl_cond_set(p->conds, "EtcdAvailable", "True", "EtcdRunning", "", NULL, p->gen, p->now);
    } else if (!h->sts) {
        ctl_cond_set(p->conds, "EtcdAvailable", "False", "StatefulSetNotFound", "Etcd StatefulSet not found", NULL,
                     p->gen, p->now);
    } else if (p->quorum) {
        ctl_cond_set(p->conds, "EtcdAvailable", "True", "QuorumAvailable", "", NULL, p->gen, p->now);
    } else {
        if (*h->pending_pvc)
            snprintf(msg, sizeof msg, "Waiting for etcd to reach quorum: PersistentVolumeClaim %s is Pending",
                     h->pending_pvc);
        else
            snprintf(msg, sizeof msg, "Waiting for etcd to reach quorum: %d of %d members ready", h->ready,
                     p->replicas);
        ctl_cond_set(p->conds, "EtcdAvailable", "False", "EtcdWaitingForQuorum", msg, NULL, p->gen, p->now);
    }
    ctl_cond_set(p->conds, "PlatformCredentialsFound", "True", "AsExpected", "Required platform credentials are found",
                 NULL, p->gen, p->now);
}

/* The hosted CVO's conditions (ClusterVersion*). */
static void set_version_conditions(hc_pass *p)
{
    hc_info *h = p->h;
    hc_state *st = h->st;
    sim_version cur;
    char msg[800];
    ctl_cond_set(p->conds, "ClusterVersionSucceeding", "True", "FromClusterVersion", "", NULL, p->gen, p->now);
    if (!*p->cvd) {
        ctl_cond_set(p->conds, "ClusterVersionAvailable", "False", "FromClusterVersion", "", NULL, p->gen, p->now);
    } else if (h->nodes == 0) {
        snprintf(msg, sizeof msg, "Cluster version %s is applied, but no worker nodes are available", p->cvd);
        ctl_cond_set(p->conds, "ClusterVersionAvailable", "False", "FromClusterVersion", msg, NULL, p->gen, p->now);
    } else {
        snprintf(msg, sizeof msg, "Done applying %s", p->cvd);
        ctl_cond_set(p->conds, "ClusterVersionAvailable", "True", "FromClusterVersion", msg, NULL, p->gen, p->now);
    }
    if (p->progressing) {
        int k = st->upgrade_ticks > p->total_ticks ? p->total_ticks : st->upgrade_ticks;
        snprintf(msg, sizeof msg, "Working towards %s: %d of 905 done (%d%% complete)", p->dv,
                 (int)(905LL * k / p->total_ticks), (int)(100LL * k / p->total_ticks));
        ctl_cond_set(p->conds, "ClusterVersionProgressing", "True", "FromClusterVersion", msg, NULL, p->gen, p->now);
    } else {
        snprintf(msg, sizeof msg, "Cluster version is %s", p->cvd);
        ctl_cond_set(p->conds, "ClusterVersionProgressing", "False", "FromClusterVersion", msg, NULL, p->gen, p->now);
    }
    if (*p->dv) {
        snprintf(msg, sizeof msg, "Payload loaded version=\"%s\" image=\"%.400s\" architecture=\"Multi\"", p->dv,
                 str_or(json_str_at(p->status, "version", "desired", "image", NULL), ""));
        ctl_cond_set(p->conds, "ClusterVersionReleaseAccepted", "True", "FromClusterVersion", msg, NULL, p->gen,
                     p->now);
    }
    if (!ctl_cond_find(p->conds, "ClusterVersionUpgradeable"))
        ctl_cond_set(p->conds, "ClusterVersionUpgradeable", "True", "FromClusterVersion", "", NULL, p->gen, p->now);
    else
        ctl_set_num(ctl_cond_find(p->conds, "ClusterVersionUpgradeable"), "observedGeneration", (double)p->gen);
    const char *channel = json_str_at(p->spec, "channel", NULL);
    if (!channel) {
        ctl_cond_set(p->conds, "ClusterVersionRetrievedUpdates", "False", "NoChannel",
                     "The update channel has not been configured.", NULL, p->gen, p->now);
    } else if (*p->dv && sim_version_parse(p->dv, &cur) && !sim_release_in_channel(cur, channel)) {
        snprintf(msg, sizeof msg,
                 "Unable to retrieve available updates: currently reconciling cluster version %s not found in the "
                 "\"%.100s\" channel",
                 p->dv, channel);
        ctl_cond_set(p->conds, "ClusterVersionRetrievedUpdates", "False", "VersionNotFound", msg, NULL, p->gen, p->now);
    } else {
        ctl_cond_set(p->conds, "ClusterVersionRetrievedUpdates", "True", "AsExpected", "", NULL, p->gen, p->now);
    }
}

/* observedGeneration, the update lists, the secret references, the endpoint and payloadArch. */
static void set_status_fields(hc_pass *p)
{
    hc_info *h = p->h;
    hc_state *st = h->st;
    const char *channel = json_str_at(p->spec, "channel", NULL);
    char msg[800];
    if (json_at(p->status, "version", NULL)) {
        ctl_set_num(json_at(p->status, "version", NULL), "observedGeneration", (double)p->gen);
        ctl_refresh_updates(p->status, channel, p->now, st);
    }
    if (json_at(p->status, "controlPlaneVersion", NULL))
        ctl_set_num(json_at(p->status, "controlPlaneVersion", NULL), "observedGeneration", (double)p->gen);
    char name[300];
    snprintf(name, sizeof name, "%s-admin-kubeconfig", h->name);
    ctl_set_str(json_obj_child(p->status, "kubeconfig"), "name", name);
    if (!json_at(p->spec, "configuration", "oauth", NULL)) {
        snprintf(name, sizeof name, "%s-kubeadmin-password", h->name);
        ctl_set_str(json_obj_child(p->status, "kubeadminPassword"), "name", name);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(p->status, "kubeadminPassword");
    }
    if (!json_at(p->status, "controlPlaneEndpoint", NULL)) {
        cJSON *ep = json_obj_child(p->status, "controlPlaneEndpoint");
        snprintf(msg, sizeof msg, "api.%.100s.%.100s", h->name,
                 str_or(json_str_at(p->spec, "dns", "baseDomain", NULL), "example.com"));
        json_set_str(ep, "host", msg);
        json_set_num(ep, "port", 443);
    }
    if (!json_str_at(p->status, "payloadArch", NULL))
        json_set_str(p->status, "payloadArch", "Multi");
}

static bool hc_reconcile(cJSON *hc, void *vctx)
{
    hc_ctx *x = vctx;
    hc_info *h = x->h;
    hc_pass p = {.c = x->c, .h = h, .hc = hc, .now = x->c->nowts};
    p.conds = ctl_status_conditions(hc, &p.gen, &p.status);
    p.spec = json_obj_child(hc, "spec");
    check_release(&p);
    p.replicas = h->ha ? 3 : 1;
    p.quorum = !h->managed || h->ready >= p.replicas / 2 + 1;
    upgrade_step(&p);
    snprintf(p.cvd, sizeof p.cvd, "%s", str_or(ctl_completed_version(p.status), ""));
    snprintf(p.dv, sizeof p.dv, "%s", str_or(json_str_at(p.status, "version", "desired", "version", NULL), ""));
    set_health_conditions(&p);
    set_version_conditions(&p);
    set_status_fields(&p);
    h->has_completed = ctl_newest_completed(hc, &h->completed);
    return true;
}

/* A deleted HostedCluster takes its NodePools and control-plane namespace with it, then lets go. */
static void hc_teardown(sim_controllers *c, hc_info *h)
{
    for (size_t i = 0; i < c->nnp; i++) {
        np_info *n = &c->nps[i];
        if (n->hc >= 0 && &c->hcs[n->hc] == h && !n->deleting) {
            sim_reply r = sim_store_delete(c->s, sim_kind_get(SIM_NODEPOOL), n->ns, n->name, NULL);
            cJSON_Delete(r.body);
        }
    }
    sim_reply r = sim_store_delete(c->s, sim_kind_get(SIM_NAMESPACE), NULL, h->cpns, NULL);
    cJSON_Delete(r.body);
    sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, ctl_remove_finalizer, (void *)HS_FINALIZER);
    ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "Deleted", "hypershift-operator",
                  "Deleted hosted cluster and its control plane namespace %s", h->cpns);
}

static uint64_t hc_fingerprint(const hc_info *h)
{
    uint64_t fp = ctl_fnv(&h->rv, sizeof h->rv, FNV_SEED);
    int v[6] = {h->ready, h->paused, h->paused_invalid, h->nodes > 0, h->sts, (int)strlen(h->pending_pvc)};
    fp = ctl_fnv(v, sizeof v, fp);
    return ctl_fnv_str(h->paused_msg, fp) | 1;
}

void ctl_hc_step(sim_controllers *c, hc_info *h)
{
    if (h->deleting) {
        hc_teardown(c, h);
        return;
    }
    bool ran = false;
    uint64_t fp = hc_fingerprint(h);
    if (h->st->active || fp != h->st->fp) {
        hc_ctx x = {c, h};
        if (sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, hc_reconcile, &x))
            h->rv = sim_store_rv(c->s);
        h->st->fp = hc_fingerprint(h);
        ran = true;
    }
    if (ran && h->rv != h->st->hcp_rv)
        ctl_hcp_mirror(c, h);
}
