#include "sim/kinds.h"

#include <stdio.h>
#include <string.h>

#define HS "hypershift.openshift.io"

static const sim_kind kinds[SIM_KIND_COUNT] = {
    [SIM_HOSTEDCLUSTER] = {SIM_HOSTEDCLUSTER, HS, "v1beta1", "hostedclusters", "hostedcluster", "HostedCluster",
                           {"hc", "hcs"}, {NULL}, true, true, true, false, false},
    [SIM_NODEPOOL] = {SIM_NODEPOOL, HS, "v1beta1", "nodepools", "nodepool", "NodePool", {"np", "nps"}, {NULL}, true,
                      true, true, true, false},
    [SIM_HOSTEDCONTROLPLANE] = {SIM_HOSTEDCONTROLPLANE, HS, "v1beta1", "hostedcontrolplanes", "hostedcontrolplane",
                                "HostedControlPlane", {"hcp", "hcps"}, {"cluster-api"}, true, true, true, false, false},
    [SIM_NAMESPACE] = {SIM_NAMESPACE, "", "v1", "namespaces", "namespace", "Namespace", {"ns"}, {NULL}, false, false,
                       true, false, false, true},
    [SIM_POD] = {SIM_POD, "", "v1", "pods", "pod", "Pod", {"po"}, {"all"}, true, false, true, false, true, true},
    [SIM_PVC] = {SIM_PVC, "", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim",
                 {"pvc"}, {NULL}, true, false, true, false, false, true},
    [SIM_CONFIGMAP] = {SIM_CONFIGMAP, "", "v1", "configmaps", "configmap", "ConfigMap", {"cm"}, {NULL}, true, false,
                       false, false, false},
    [SIM_SECRET] = {SIM_SECRET, "", "v1", "secrets", "secret", "Secret", {NULL}, {NULL}, true, false, false, false,
                    false},
    [SIM_SERVICE] = {SIM_SERVICE, "", "v1", "services", "service", "Service", {"svc"}, {"all"}, true, false, true,
                     false, false, true},
    [SIM_EVENT] = {SIM_EVENT, "", "v1", "events", "event", "Event", {"ev"}, {NULL}, true, false, false, false, false},
    [SIM_STATEFULSET] = {SIM_STATEFULSET, "apps", "v1", "statefulsets", "statefulset", "StatefulSet", {"sts"},
                         {"all"}, true, false, true, true, false},
    [SIM_DEPLOYMENT] = {SIM_DEPLOYMENT, "apps", "v1", "deployments", "deployment", "Deployment", {"deploy"},
                        {"all"}, true, false, true, true, false},
};

const sim_kind *sim_kind_get(sim_kind_id id)
{
    return (unsigned)id < SIM_KIND_COUNT ? &kinds[id] : NULL;
}

const sim_kind *sim_kind_find(const char *group, const char *version, const char *plural)
{
    for (size_t i = 0; i < SIM_KIND_COUNT; i++)
        if (strcmp(kinds[i].group, group) == 0 && strcmp(kinds[i].version, version) == 0 &&
            strcmp(kinds[i].plural, plural) == 0)
            return &kinds[i];
    return NULL;
}

void sim_kind_qualified(const sim_kind *k, char *out, size_t outlen)
{
    if (k->group[0])
        snprintf(out, outlen, "%s.%s", k->plural, k->group);
    else
        snprintf(out, outlen, "%s", k->plural);
}

const char *sim_kind_api_version(const sim_kind *k)
{
    static const char *versions[SIM_KIND_COUNT] = {
        [SIM_HOSTEDCLUSTER] = HS "/v1beta1", [SIM_NODEPOOL] = HS "/v1beta1", [SIM_HOSTEDCONTROLPLANE] = HS "/v1beta1",
        [SIM_NAMESPACE] = "v1", [SIM_POD] = "v1", [SIM_PVC] = "v1", [SIM_CONFIGMAP] = "v1", [SIM_SECRET] = "v1",
        [SIM_SERVICE] = "v1", [SIM_EVENT] = "v1", [SIM_STATEFULSET] = "apps/v1", [SIM_DEPLOYMENT] = "apps/v1",
    };
    return versions[k->id];
}
