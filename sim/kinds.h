/* The resource kinds the simulator serves: one static table that discovery, routing, the store and
 * Table output all read, so a kind is declared once. */
#ifndef HCP_SIM_KINDS_H
#define HCP_SIM_KINDS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    SIM_HOSTEDCLUSTER,
    SIM_NODEPOOL,
    SIM_HOSTEDCONTROLPLANE,
    SIM_NAMESPACE,
    SIM_POD,
    SIM_PVC,
    SIM_CONFIGMAP,
    SIM_SECRET,
    SIM_SERVICE,
    SIM_EVENT,
    SIM_STATEFULSET,
    SIM_DEPLOYMENT,
    SIM_KIND_COUNT
} sim_kind_id;

typedef struct sim_kind {
    sim_kind_id id;
    const char *group;    /* "" for the core group */
    const char *version;  /* "v1beta1", "v1" */
    const char *plural;   /* "hostedclusters" */
    const char *singular; /* "hostedcluster" */
    const char *kind;     /* "HostedCluster" */
    const char *short_names[3];
    const char *categories[3];
    bool namespaced;
    bool custom;         /* a CRD: no strategic merge patch, group-qualified error messages */
    bool has_status;     /* a status subresource: spec writes ignore status and vice versa */
    bool has_scale;      /* scale subresource (NodePool: .spec.replicas / .status.replicas) */
    bool has_log;        /* pods/log */
    /* DELETE answers with the removed object, not a Status: the registries that set
     * ReturnDeletedObject (pkg/registry/core/{pod,persistentvolumeclaim,service,namespace}/storage). */
    bool returns_deleted;
} sim_kind;

const sim_kind *sim_kind_get(sim_kind_id id);
/* Finds by group, version and plural ("" group for core). NULL when not served. */
const sim_kind *sim_kind_find(const char *group, const char *version, const char *plural);
/* "hostedclusters.hypershift.openshift.io" or "pods": the resource as error messages name it. */
void sim_kind_qualified(const sim_kind *k, char *out, size_t outlen);
/* "hypershift.openshift.io/v1beta1" or "v1". */
const char *sim_kind_api_version(const sim_kind *k);

#endif
