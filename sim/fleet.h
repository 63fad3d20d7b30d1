/* Fleets: the objects a management cluster holds, grown deterministically from a seed ("demo",
 * "none", or N hosted clusters), and the builders of the per-cluster objects (control-plane
 * namespace, HostedControlPlane, etcd StatefulSet/pods/PVCs, secrets) that the controllers reuse
 * when a user creates a HostedCluster of their own. */
#ifndef HCP_SIM_FLEET_H
#define HCP_SIM_FLEET_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/store.h"

/* The PVC annotation that marks an etcd member's data as corrupt: its pod crash-loops until the PVC
 * is deleted and recreated. */
#define SIM_CORRUPT_ANNOTATION "hcpsim.hypershift.openshift.io/corrupt"

/* Fills an empty store. fleet: "demo", "none" or a decimal count. False + err on a bad fleet. */
bool sim_fleet_populate(sim_store *s, const char *fleet, uint64_t seed, char *err, size_t errlen);

/* "<ns>-<name>" with '.' in the name replaced by '-'; into out. */
void sim_cp_namespace(const char *ns, const char *name, char *out, size_t outlen);

/* Life stages of an etcd member's pod. */
typedef enum {
    SIM_POD_PENDING,  /* waiting for its volume / being scheduled */
    SIM_POD_STARTING, /* running, readiness probe not passing yet */
    SIM_POD_READY,
    SIM_POD_CRASHING, /* etcd container in CrashLoopBackOff */
} sim_pod_stage;

cJSON *sim_build_namespace(const char *name, bool control_plane);
cJSON *sim_build_etcd_statefulset(const char *cpns, int replicas, const char *size);
cJSON *sim_build_etcd_pvc(const char *cpns, int member, const char *size, bool bound, bool corrupt);
/* owner_uid: the StatefulSet's uid for the ownerReference (NULL: no ownerReference). */
cJSON *sim_build_etcd_pod(const char *cpns, int member, bool ha, sim_pod_stage stage, int restarts, time_t now,
                          const char *owner_uid);
/* Rewrites an etcd pod's status for a stage; restarts is the etcd container's restartCount. */
void sim_etcd_pod_set_stage(cJSON *pod, sim_pod_stage stage, int restarts, time_t now);
/* The HostedControlPlane for a HostedCluster (spec mirrored from it). */
cJSON *sim_build_hcp(const cJSON *hc, const char *cpns);
/* "<hc>-admin-kubeconfig" and "<hc>-kubeadmin-password" in the HC namespace. */
cJSON *sim_build_admin_kubeconfig(const char *ns, const char *name, const char *base_domain);
cJSON *sim_build_kubeadmin_password(const char *ns, const char *name);

#endif
