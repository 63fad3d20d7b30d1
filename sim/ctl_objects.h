/* The objects the hypershift-operator and the control-plane-operator make for a hosted cluster
 * (control-plane namespace, HostedControlPlane, etcd StatefulSet/pods/PVCs, secrets), shared by the
 * fleets and the controllers, and the small object helpers they are built with. */
#ifndef HCP_SIM_CTL_OBJECTS_H
#define HCP_SIM_CTL_OBJECTS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The PVC annotation that marks an etcd member's data as corrupt: its pod crash-loops until the PVC
 * is deleted and recreated. */
#define SIM_CORRUPT_ANNOTATION "hcpsim.hypershift.openshift.io/corrupt"

/* An object with apiVersion, kind, metadata.name and (ns not NULL) metadata.namespace. */
cJSON *sim_object_new(const char *api_version, const char *kind, const char *ns, const char *name);
/* metadata.labels, created when missing. */
cJSON *sim_object_labels(cJSON *obj);
/* A Secret with one data key (value base64-encoded here). */
cJSON *sim_secret_new(const char *ns, const char *name, const char *type, const char *key, const char *value);
/* FNV-1a of a string: the stable seed of generated names, addresses and passwords. */
uint64_t sim_hash_str(const char *s);

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
/* kubelet's CrashLoopBackOff: the wait after the container's restarts-th crash, in seconds: 10 s,
 * doubling per crash, at most 5 minutes (10, 20, 40, 80, 160, 300, 300, ...). */
#define SIM_CRASH_BACKOFF_BASE_S 10
#define SIM_CRASH_BACKOFF_MAX_S 300
int sim_crash_backoff_s(int restarts);
/* Rewrites an etcd pod's status for a stage; restarts is the etcd container's restartCount. A
 * crashing container waits in CrashLoopBackOff ("back-off 40s restarting failed container=...") with
 * lastState.terminated finished now (the crash is the last restage). */
void sim_etcd_pod_set_stage(cJSON *pod, sim_pod_stage stage, int restarts, time_t now);
/* The HostedControlPlane for a HostedCluster (spec mirrored from it). */
cJSON *sim_build_hcp(const cJSON *hc, const char *cpns);
/* "<hc>-admin-kubeconfig" and "<hc>-kubeadmin-password" in the HC namespace. */
cJSON *sim_build_admin_kubeconfig(const char *ns, const char *name, const char *base_domain);
cJSON *sim_build_kubeadmin_password(const char *ns, const char *name);

#endif
