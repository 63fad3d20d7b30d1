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

static bool hc_reconcile(cJSON *hc, void *vctx)
{
    hc_ctx *x = vctx;
    sim_controllers *c = x->c;
    hc_info *h = x->h;
    hc_state *st = h->st;
    const char *now = c->nowts;
    int64_t gen;
    cJSON *status;
    cJSON *conds = ctl_status_conditions(hc, &gen, &status);
    cJSON *spec = json_obj_child(hc, "spec");

    const char *image = json_str_at(spec, "controlPlaneRelease", "image", NULL);
    if (!image)
        image = str_or(json_str_at(spec, "release", "image", NULL), "");
    char imgcopy[512];
    snprintf(imgcopy, sizeof imgcopy, "%s", image);
    image = imgcopy;

    /* Release validation */
    sim_version next = {0, 0, 0}, cur;
    char vri_msg[512] = "";
    bool vri_ok;
    if (!sim_release_version_of(image, &next)) {
        vri_ok = false;
        snprintf(vri_msg, sizeof vri_msg, "failed to look up release image metadata: unknown release image \"%.400s\"",
                 image);
    } else if (h->skip_validation) {
        vri_ok = true;
    } else {
        bool has_cur = sim_version_parse(json_str_at(status, "version", "desired", "version", NULL), &cur);
        vri_ok = sim_release_validate(has_cur ? &cur : NULL, next, vri_msg, sizeof vri_msg);
    }

    /* etcd and the control plane */
    int replicas = h->ha ? 3 : 1;
    bool quorum = !h->managed || h->ready >= replicas / 2 + 1;

    /* Upgrade gates and progress; the control plane finishes at 40% of the way */
    int total_ticks = st->f.upgrade_ticks > 0 ? st->f.upgrade_ticks : SIM_UPGRADE_TICKS;
    int cp_ticks = total_ticks * SIM_CP_UPGRADE_TICKS / SIM_UPGRADE_TICKS;
    if (cp_ticks < 1)
        cp_ticks = 1;
    char gate_msg[700];
    const char *gate = upgrade_gate(hc, conds, image, vri_ok, vri_msg, next, gate_msg, sizeof gate_msg);
    const char *old_prog = json_str_at(ctl_cond_find(conds, "Progressing"), "message", NULL);
    bool was_blocked_same = gate && old_prog && strcmp(old_prog, gate) == 0;
    if (!h->paused && !gate && !h->deleting) {
        const char *desired_image = json_str_at(status, "version", "desired", "image", NULL);
        if (!desired_image || strcmp(desired_image, image) != 0) {
            char from[32] = "";
            const char *cv = ctl_completed_version(status);
            snprintf(from, sizeof from, "%s", str_or(cv, ""));
            ctl_version_begin(status, "version", next, image, now, gen);
            ctl_version_begin(status, "controlPlaneVersion", next, image, now, gen);
            st->upgrade_ticks = 0;
            char nv[32];
            sim_version_format(next, nv, sizeof nv);
            if (*from)
                ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "UpgradeStarted",
                              "hypershift-operator", "Upgrading from %s to %s (%s)", from, nv, image);
            else
                ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "InstallStarted",
                              "hypershift-operator", "Installing %s (%s)", nv, image);
        } else if (ctl_version_partial(status, "version")) {
            st->upgrade_ticks++;
        }
        if (ctl_version_partial(status, "controlPlaneVersion") && st->upgrade_ticks >= cp_ticks)
            ctl_version_complete(status, "controlPlaneVersion", now);
        if (ctl_version_partial(status, "version") && st->upgrade_ticks >= total_ticks) {
            ctl_version_complete(status, "version", now);
            if (ctl_version_partial(status, "controlPlaneVersion"))
                ctl_version_complete(status, "controlPlaneVersion", now);
            const char *done = str_or(json_str_at(status, "version", "desired", "version", NULL), "");
            ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "UpgradeCompleted",
                          "hypershift-operator", "Cluster version is %s", done);
            /* The CVO re-evaluates its admin-ack gates for the new version. */
            cJSON *upc = ctl_cond_find(conds, "ClusterVersionUpgradeable");
            const char *ups = json_str_at(upc, "status", NULL);
            if (ups && strcmp(ups, "False") == 0)
                ctl_cond_set(conds, "ClusterVersionUpgradeable", "True", "FromClusterVersion", "", NULL, gen, now);
        }
    }
    if (gate && !was_blocked_same && !h->paused)
        ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Warning", "UpgradeBlocked", "hypershift-operator",
                      "%s", gate);
    bool progressing = ctl_version_partial(status, "version");
    st->active = progressing && !h->paused && !gate;

    const char *cv_done = ctl_completed_version(status);
    char cvd[32];
    snprintf(cvd, sizeof cvd, "%s", str_or(cv_done, ""));
    const char *desired_v = str_or(json_str_at(status, "version", "desired", "version", NULL), "");
    char dv[32];
    snprintf(dv, sizeof dv, "%s", desired_v);

    /* Conditions, in the operator's order */
    char msg[800];
    if (quorum && *cvd) {
        ctl_cond_set(conds, "Available", "True", "AsExpected", "The hosted control plane is available", NULL, gen, now);
        /* the operator marks a cluster the first time it becomes available */
        cJSON *ann = json_obj_child(json_obj_child(hc, "metadata"), "annotations");
        if (!cJSON_GetObjectItemCaseSensitive(ann, "hypershift.openshift.io/HasBeenAvailable"))
            json_set_str(ann, "hypershift.openshift.io/HasBeenAvailable", "true");
    } else
        ctl_cond_set(conds, "Available", "False", "WaitingForAvailable",
                     "Waiting for hosted control plane to be healthy", NULL, gen, now);
    if (h->paused) {
        snprintf(msg, sizeof msg, "ReconciliationActive condition is false: %s", h->paused_msg);
        ctl_cond_set(conds, "Progressing", "False", "Blocked", msg, NULL, gen, now);
    } else if (gate) {
        ctl_cond_set(conds, "Progressing", "False", "Blocked", gate, NULL, gen, now);
    } else if (progressing) {
        ctl_cond_set(conds, "Progressing", "True", "Progressing",
                     "HostedCluster is deploying, upgrading, or reconfiguring", NULL, gen, now);
    } else {
        ctl_cond_set(conds, "Progressing", "False", "AsExpected", "HostedCluster is at expected version", NULL, gen,
                     now);
    }
    int unready = h->managed ? replicas - h->ready : 0;
    if (unready > 0 && h->installed) {
        snprintf(msg, sizeof msg, "[etcd statefulset has %d unavailable replicas]", unready);
        ctl_cond_set(conds, "Degraded", "True", "UnavailableReplicas", msg, NULL, gen, now);
    } else {
        ctl_cond_set(conds, "Degraded", "False", "AsExpected", "The hosted cluster is not degraded", NULL, gen, now);
    }
    const char *ra_before = ctl_cond_status(conds, "ReconciliationActive");
    if (h->paused && ra_before && strcmp(ra_before, "True") == 0)
        ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "ReconciliationPaused",
                      "hypershift-operator", "%s", h->paused_msg);
    else if (!h->paused && ra_before && strcmp(ra_before, "False") == 0)
        ctl_event_add(c, SIM_HOSTEDCLUSTER, h->ns, h->name, h->uid, "Normal", "ReconciliationResumed",
                      "hypershift-operator", "Reconciliation active on resource");
    ctl_cond_reconciliation_active(conds, h->paused ? PAUSE_ACTIVE : h->paused_invalid ? PAUSE_INVALID : PAUSE_NONE,
                                   h->paused_msg, "AsExpected", gen, now);
    ctl_cond_set(conds, "ReconciliationSucceeded", "True", "ReconciliatonSucceeded",
                 "Reconciliation completed successfully", NULL, gen, now);
    ctl_cond_set(conds, "ValidConfiguration", "True", "AsExpected", "Configuration passes validation", NULL, gen, now);
    ctl_cond_set(conds, "SupportedHostedCluster", "True", "AsExpected",
                 "HostedCluster is supported by operator configuration", NULL, gen, now);
    if (vri_ok)
        ctl_cond_set(conds, "ValidReleaseImage", "True", "AsExpected", "Release image is valid", NULL, gen, now);
    else
        ctl_cond_set(conds, "ValidReleaseImage", "False", "InvalidImage", vri_msg, NULL, gen, now);
    ctl_cond_set(conds, "ValidReleaseInfo", "True", "AsExpected", "All is well", NULL, gen, now);
    ctl_cond_set(conds, "IgnitionEndpointAvailable", "True", "AsExpected", "Ignition server deployment is available",
                 NULL, gen, now);
    ctl_cond_set(conds, "InfrastructureReady", "True", "AsExpected", "All is well", NULL, gen, now);
    if (quorum)
        ctl_cond_set(conds, "KubeAPIServerAvailable", "True", "AsExpected", "Kube APIServer deployment is available",
                     NULL, gen, now);
    else
        ctl_cond_set(conds, "KubeAPIServerAvailable", "False", "WaitingForAvailable",
                     "Waiting for Kube APIServer deployment to become available", NULL, gen, now);
    if (!h->managed) {
        ctl_cond_set(conds, "EtcdAvailable", "True", "EtcdRunning", "", NULL, gen, now);
    } else if (!h->sts) {
        ctl_cond_set(conds, "EtcdAvailable", "False", "StatefulSetNotFound", "Etcd StatefulSet not found", NULL, gen,
                     now);
    } else if (quorum) {
        ctl_cond_set(conds, "EtcdAvailable", "True", "QuorumAvailable", "", NULL, gen, now);
    } else {
        if (*h->pending_pvc)
            snprintf(msg, sizeof msg, "Waiting for etcd to reach quorum: PersistentVolumeClaim %s is Pending",
                     h->pending_pvc);
        else
            snprintf(msg, sizeof msg, "Waiting for etcd to reach quorum: %d of %d members ready", h->ready, replicas);
        ctl_cond_set(conds, "EtcdAvailable", "False", "EtcdWaitingForQuorum", msg, NULL, gen, now);
    }
    ctl_cond_set(conds, "PlatformCredentialsFound", "True", "AsExpected", "Required platform credentials are found",
                 NULL, gen, now);
    ctl_cond_set(conds, "ClusterVersionSucceeding", "True", "FromClusterVersion", "", NULL, gen, now);
    if (!*cvd) {
        ctl_cond_set(conds, "ClusterVersionAvailable", "False", "FromClusterVersion", "", NULL, gen, now);
    } else if (h->nodes == 0) {
        snprintf(msg, sizeof msg, "Cluster version %s is applied, but no worker nodes are available", cvd);
        ctl_cond_set(conds, "ClusterVersionAvailable", "False", "FromClusterVersion", msg, NULL, gen, now);
    } else {
        snprintf(msg, sizeof msg, "Done applying %s", cvd);
        ctl_cond_set(conds, "ClusterVersionAvailable", "True", "FromClusterVersion", msg, NULL, gen, now);
    }
    if (progressing) {
        int k = st->upgrade_ticks > total_ticks ? total_ticks : st->upgrade_ticks;
        snprintf(msg, sizeof msg, "Working towards %s: %d of 905 done (%d%% complete)", dv,
                 (int)(905LL * k / total_ticks), (int)(100LL * k / total_ticks));
        ctl_cond_set(conds, "ClusterVersionProgressing", "True", "FromClusterVersion", msg, NULL, gen, now);
    } else {
        snprintf(msg, sizeof msg, "Cluster version is %s", cvd);
        ctl_cond_set(conds, "ClusterVersionProgressing", "False", "FromClusterVersion", msg, NULL, gen, now);
    }
    if (*dv) {
        snprintf(msg, sizeof msg, "Payload loaded version=\"%s\" image=\"%.400s\" architecture=\"Multi\"", dv,
                 str_or(json_str_at(status, "version", "desired", "image", NULL), ""));
        ctl_cond_set(conds, "ClusterVersionReleaseAccepted", "True", "FromClusterVersion", msg, NULL, gen, now);
    }
    if (!ctl_cond_find(conds, "ClusterVersionUpgradeable"))
        ctl_cond_set(conds, "ClusterVersionUpgradeable", "True", "FromClusterVersion", "", NULL, gen, now);
    else
        ctl_set_num(ctl_cond_find(conds, "ClusterVersionUpgradeable"), "observedGeneration", (double)gen);
    const char *channel = json_str_at(spec, "channel", NULL);
    if (!channel) {
        ctl_cond_set(conds, "ClusterVersionRetrievedUpdates", "False", "NoChannel",
                     "The update channel has not been configured.", NULL, gen, now);
    } else if (*dv && sim_version_parse(dv, &cur) && !sim_release_in_channel(cur, channel)) {
        snprintf(msg, sizeof msg,
                 "Unable to retrieve available updates: currently reconciling cluster version %s not found in the "
                 "\"%.100s\" channel",
                 dv, channel);
        ctl_cond_set(conds, "ClusterVersionRetrievedUpdates", "False", "VersionNotFound", msg, NULL, gen, now);
    } else {
        ctl_cond_set(conds, "ClusterVersionRetrievedUpdates", "True", "AsExpected", "", NULL, gen, now);
    }

    if (json_at(status, "version", NULL)) {
        ctl_set_num(json_at(status, "version", NULL), "observedGeneration", (double)gen);
        ctl_refresh_updates(status, channel, now, st);
    }
    if (json_at(status, "controlPlaneVersion", NULL))
        ctl_set_num(json_at(status, "controlPlaneVersion", NULL), "observedGeneration", (double)gen);
    char name[300];
    snprintf(name, sizeof name, "%s-admin-kubeconfig", h->name);
    ctl_set_str(json_obj_child(status, "kubeconfig"), "name", name);
    if (!json_at(spec, "configuration", "oauth", NULL)) {
        snprintf(name, sizeof name, "%s-kubeadmin-password", h->name);
        ctl_set_str(json_obj_child(status, "kubeadminPassword"), "name", name);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(status, "kubeadminPassword");
    }
    if (!json_at(status, "controlPlaneEndpoint", NULL)) {
        cJSON *ep = json_obj_child(status, "controlPlaneEndpoint");
        snprintf(msg, sizeof msg, "api.%.100s.%.100s", h->name,
                 str_or(json_str_at(spec, "dns", "baseDomain", NULL), "example.com"));
        json_set_str(ep, "host", msg);
        json_set_num(ep, "port", 443);
    }
    if (!json_str_at(status, "payloadArch", NULL))
        json_set_str(status, "payloadArch", "Multi");

    h->has_completed = ctl_newest_completed(hc, &h->completed);
    return true;
}

bool ctl_remove_hs_finalizer(cJSON *obj, void *ctx)
{
    (void)ctx;
    cJSON *fin = json_at(obj, "metadata", "finalizers", NULL);
    for (int i = cJSON_GetArraySize(fin) - 1; i >= 0; i--) {
        cJSON *it = cJSON_GetArrayItem(fin, i);
        if (cJSON_IsString(it) && strcmp(it->valuestring, HS_FINALIZER) == 0)
            cJSON_DeleteItemFromArray(fin, i);
    }
    if (fin && cJSON_GetArraySize(fin) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(json_obj_child(obj, "metadata"), "finalizers");
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
    sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, ctl_remove_hs_finalizer, NULL);
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
