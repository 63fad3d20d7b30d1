/* The one table of the kinds the client watches: everything client/, views/ and tui/ know about a
 * kind (its Kubernetes Kind, API group/version, plural resource, where it is watched, its decoder, the
 * short label the header shows, the name of its request counters) is one row of RES_KIND_TABLE.
 * Adding a kind is a row here, a record type and a decoder (see docs/architecture.md). */
#ifndef HCP_CLIENT_KINDS_H
#define HCP_CLIENT_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#define KIND_API_HYPERSHIFT "hypershift.openshift.io/v1beta1"
#define KIND_API_CORE "v1"

/* X(ID, Kind, group/version, plural, label, counter, scope, selector, decoder, record member: the
 * member of record.u that holds the kind's fields, which sizes its records in records.c).
 * The order is stable: tables and bit masks (1u << res_kind) are indexed by it. */
#define RES_KIND_TABLE(X)                                                                                     \
    X(HOSTEDCLUSTER, "HostedCluster", KIND_API_HYPERSHIFT, "hostedclusters", "HC", "hostedclusters",         \
      KIND_SCOPE_CLIENT_NS, NULL, decode_hostedcluster, hc)                                                   \
    X(NODEPOOL, "NodePool", KIND_API_HYPERSHIFT, "nodepools", "NP", "nodepools", KIND_SCOPE_CLIENT_NS, NULL,  \
      decode_nodepool, np)                                                                                    \
    X(ETCD_POD, "Pod", KIND_API_CORE, "pods", "etcd", "etcd pods", KIND_SCOPE_ALL, "labelSelector=app%3Detcd", \
      decode_pod, pod)                                                                                        \
    X(ETCD_PVC, "PersistentVolumeClaim", KIND_API_CORE, "persistentvolumeclaims", "PVC", "etcd pvcs",         \
      KIND_SCOPE_ALL, "labelSelector=app%3Detcd", decode_pvc, pvc)                                            \
    /* the supported-versions ConfigMap in the operator namespace */                                          \
    X(SUPPORTED_VERSIONS, "ConfigMap", KIND_API_CORE, "configmaps", "versions", "supported-versions",         \
      KIND_SCOPE_OPERATOR_NS, "fieldSelector=metadata.name%3Dsupported-versions", decode_supported_versions,  \
      sv)                                                                                                     \
    X(EVENT, "Event", KIND_API_CORE, "events", "events", "events", KIND_SCOPE_FOCUS, NULL, decode_event, ev)

typedef enum res_kind {
#define KIND_ENUM_(id, ...) RES_##id,
    RES_KIND_TABLE(KIND_ENUM_)
#undef KIND_ENUM_
    RES_KIND_COUNT
} res_kind;

/* The bit of a kind in a mask of kinds (client_options.kinds, view_ops.depends). */
#define RES_KIND_BIT(kind) (1u << (kind))
#define RES_KIND_ALL ((1u << RES_KIND_COUNT) - 1u)

/* Where the informer of a kind watches. */
typedef enum kind_scope {
    KIND_SCOPE_CLIENT_NS,   /* the client's namespace (-n), every namespace without one */
    KIND_SCOPE_ALL,         /* every namespace: hosted control planes live in their own */
    KIND_SCOPE_OPERATOR_NS, /* the HyperShift operator's namespace */
    KIND_SCOPE_FOCUS,       /* never watched by itself: follows the object in focus (client_focus) */
} kind_scope;

struct record;
struct cJSON;

typedef struct kind_info {
    res_kind kind;
    const char *name;        /* the Kubernetes Kind: "HostedCluster" */
    const char *api_version; /* "hypershift.openshift.io/v1beta1", "v1" for the core group */
    const char *plural;      /* the resource of its API path: "hostedclusters" */
    const char *label;       /* short, for the header: "HC" */
    const char *counter;     /* its informer's name and request counters ("etcd pods list") */
    kind_scope scope;
    const char *selector;    /* the watch's query ("labelSelector=..."), NULL: none */
    struct record *(*decode)(const struct cJSON *obj);
} kind_info;

/* The row of a kind; NULL when out of range. */
const kind_info *kind_info_of(res_kind kind);
/* "HostedCluster", "NodePool", "Pod", "PersistentVolumeClaim", "ConfigMap", "Event"; "?" when out of range. */
const char *res_kind_name(res_kind kind);

#endif
