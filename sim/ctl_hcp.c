/* The HostedControlPlane in the control-plane namespace mirrors its HostedCluster: release image,
 * pausedUntil and channel into its spec; version status, endpoint and the control-plane conditions
 * (plus ClusterVersionFailing, the inverse of ClusterVersionSucceeding) into its status. */
#include "sim/ctl_internal.h"

#include <string.h>

#include "common/jsonutil.h"

typedef struct hcp_ctx {
    const cJSON *hc;
} hcp_ctx;

static bool hcp_mirror(cJSON *hcp, void *vctx)
{
    const cJSON *hc = ((hcp_ctx *)vctx)->hc;
    cJSON *spec = json_obj_child(hcp, "spec");
    static const struct {
        const char *from[3];
        const char *to;
    } fields[] = {
        {{"release", "image", NULL}, "releaseImage"},
        {{"controlPlaneRelease", "image", NULL}, "controlPlaneReleaseImage"},
        {{"pausedUntil", NULL, NULL}, "pausedUntil"},
        {{"channel", NULL, NULL}, "channel"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *v = json_str_at(json_at(hc, "spec", NULL), fields[i].from[0], fields[i].from[1], NULL);
        if (v)
            ctl_set_str(spec, fields[i].to, v);
        else if (i > 0)
            cJSON_DeleteItemFromObjectCaseSensitive(spec, fields[i].to);
    }
    cJSON *st = json_obj_child(hcp, "status");
    const cJSON *hst = json_at(hc, "status", NULL);
    const char *avail = ctl_cond_status(cJSON_GetObjectItemCaseSensitive(hst, "conditions"), "Available");
    json_set_bool(st, "initialized", true);
    json_set_bool(st, "ready", avail && strcmp(avail, "True") == 0);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(hst, "version");
    if (ver)
        json_set_item(st, "versionStatus", cJSON_Duplicate(ver, true));
    const cJSON *cpv = cJSON_GetObjectItemCaseSensitive(hst, "controlPlaneVersion");
    if (cpv)
        json_set_item(st, "controlPlaneVersion", cJSON_Duplicate(cpv, true));
    const cJSON *ep = cJSON_GetObjectItemCaseSensitive(hst, "controlPlaneEndpoint");
    if (ep)
        json_set_item(st, "controlPlaneEndpoint", cJSON_Duplicate(ep, true));
    const char *image = json_str_at(hc, "spec", "release", "image", NULL);
    if (image)
        ctl_set_str(st, "releaseImage", image);
    const char *cv = ctl_completed_version(hst);
    if (cv)
        ctl_set_str(st, "version", cv);
    cJSON *kc = json_obj_child(st, "kubeConfig");
    ctl_set_str(kc, "name", "admin-kubeconfig");
    ctl_set_str(kc, "key", "kubeconfig");
    static const char *copied[] = {"Available",
                                   "Degraded",
                                   "EtcdAvailable",
                                   "KubeAPIServerAvailable",
                                   "InfrastructureReady",
                                   "ValidReleaseInfo",
                                   "ClusterVersionAvailable",
                                   "ClusterVersionProgressing",
                                   "ClusterVersionUpgradeable",
                                   "ClusterVersionReleaseAccepted",
                                   "ClusterVersionRetrievedUpdates"};
    cJSON *conds = cJSON_CreateArray();
    const cJSON *hconds = cJSON_GetObjectItemCaseSensitive(hst, "conditions");
    for (size_t i = 0; i < sizeof copied / sizeof *copied; i++) {
        const cJSON *c = ctl_cond_find(hconds, copied[i]);
        if (c)
            cJSON_AddItemToArray(conds, cJSON_Duplicate(c, true));
    }
    /* The HCP carries the CVO's Failing; the HostedCluster shows its inverse as Succeeding. */
    const cJSON *succ = ctl_cond_find(hconds, "ClusterVersionSucceeding");
    if (succ) {
        cJSON *f = cJSON_Duplicate(succ, true);
        json_set_str(f, "type", "ClusterVersionFailing");
        const char *s = json_str_at(succ, "status", NULL);
        json_set_str(f, "status", s && strcmp(s, "True") == 0 ? "False" : "True");
        cJSON_AddItemToArray(conds, f);
    }
    json_set_item(st, "conditions", conds);
    return true;
}

void ctl_hcp_mirror(sim_controllers *c, hc_info *h)
{
    sim_reply r = sim_store_get(c->s, sim_kind_get(SIM_HOSTEDCLUSTER), h->ns, h->name, SIM_SUB_NONE);
    if (r.code == 200) {
        hcp_ctx hx = {r.body};
        sim_store_mutate(c->s, sim_kind_get(SIM_HOSTEDCONTROLPLANE), h->cpns, h->name, hcp_mirror, &hx);
        h->st->hcp_rv = h->rv;
    }
    cJSON_Delete(r.body);
}
