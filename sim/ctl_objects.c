/* The objects the hypershift-operator and the control-plane-operator make for a hosted cluster, built
 * the same way for a fleet and for a HostedCluster a user creates: the control-plane namespace, the
 * HostedControlPlane, etcd (StatefulSet, PVCs, pods in each life stage) and the secrets. */
#include "sim/ctl_objects.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/store.h"

uint64_t sim_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

cJSON *sim_object_labels(cJSON *obj)
{
    return json_obj_child(json_obj_child(obj, "metadata"), "labels");
}

cJSON *sim_object_new(const char *api_version, const char *kind, const char *ns, const char *name)
{
    cJSON *o = cJSON_CreateObject();
    json_set_str(o, "apiVersion", api_version);
    json_set_str(o, "kind", kind);
    cJSON *md = json_obj_child(o, "metadata");
    json_set_str(md, "name", name);
    if (ns)
        json_set_str(md, "namespace", ns);
    return o;
}

static char *base64(const char *text)
{
    size_t n = strlen(text);
    char *out = xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)text, (int)n);
    return out;
}

/* A management-cluster node name for a control-plane pod, stable for (cpns, member). */
static void node_name(const char *cpns, int member, char *out, size_t outlen)
{
    uint64_t h = sim_hash_str(cpns) + (uint64_t)member * 7919;
    snprintf(out, outlen, "ip-10-0-%d-%d.ec2.internal", (int)(h % 200) + 16, (int)((h >> 8) % 250) + 2);
}

void sim_cp_namespace(const char *ns, const char *name, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s-%s", ns, name);
    for (char *p = out + strlen(ns) + 1; *p; p++)
        if (*p == '.')
            *p = '-';
}

cJSON *sim_build_namespace(const char *name, bool control_plane)
{
    cJSON *o = sim_object_new("v1", "Namespace", NULL, name);
    cJSON *l = sim_object_labels(o);
    json_set_str(l, "kubernetes.io/metadata.name", name);
    if (control_plane) {
        json_set_str(l, "hypershift.openshift.io/hosted-control-plane", "true");
        json_set_str(l, "pod-security.kubernetes.io/enforce", "privileged");
        json_set_str(l, "pod-security.kubernetes.io/audit", "privileged");
        json_set_str(l, "pod-security.kubernetes.io/warn", "privileged");
    }
    return o;
}

static void etcd_labels(cJSON *l, const char *cpns)
{
    json_set_str(l, "app", "etcd");
    json_set_str(l, "hypershift.openshift.io/control-plane-component", "etcd");
    json_set_str(l, "hypershift.openshift.io/hosted-control-plane", cpns);
}

cJSON *sim_build_etcd_statefulset(const char *cpns, int replicas, const char *size)
{
    cJSON *o = sim_object_new("apps/v1", "StatefulSet", cpns, "etcd");
    cJSON *l = sim_object_labels(o);
    etcd_labels(l, cpns);
    json_set_str(l, "hypershift.openshift.io/managed-by", "control-plane-operator");
    cJSON *spec = json_obj_child(o, "spec");
    json_set_num(spec, "replicas", replicas);
    json_set_str(spec, "serviceName", "etcd-discovery");
    json_set_str(spec, "podManagementPolicy", "Parallel");
    json_set_str(json_obj_child(json_obj_child(spec, "selector"), "matchLabels"), "app", "etcd");
    cJSON *tmpl = json_obj_child(spec, "template");
    etcd_labels(json_obj_child(json_obj_child(tmpl, "metadata"), "labels"), cpns);
    cJSON *vct = cJSON_CreateArray();
    cJSON *claim = cJSON_CreateObject();
    json_set_str(json_obj_child(claim, "metadata"), "name", "data");
    cJSON *cs = json_obj_child(claim, "spec");
    cJSON *modes = cJSON_CreateArray();
    cJSON_AddItemToArray(modes, cJSON_CreateString("ReadWriteOnce"));
    json_set_item(cs, "accessModes", modes);
    json_set_str(json_obj_child(json_obj_child(cs, "resources"), "requests"), "storage", size);
    cJSON_AddItemToArray(vct, claim);
    json_set_item(spec, "volumeClaimTemplates", vct);
    cJSON *prp = json_obj_child(spec, "persistentVolumeClaimRetentionPolicy");
    json_set_str(prp, "whenDeleted", "Retain");
    json_set_str(prp, "whenScaled", "Retain");
    cJSON *st = json_obj_child(o, "status");
    json_set_num(st, "observedGeneration", 1);
    json_set_num(st, "replicas", replicas);
    json_set_num(st, "readyReplicas", replicas);
    json_set_num(st, "availableReplicas", replicas);
    json_set_num(st, "currentReplicas", replicas);
    json_set_num(st, "updatedReplicas", replicas);
    return o;
}

cJSON *sim_build_etcd_pvc(const char *cpns, int member, const char *size, bool bound, bool corrupt)
{
    char name[32];
    snprintf(name, sizeof name, "data-etcd-%d", member);
    cJSON *o = sim_object_new("v1", "PersistentVolumeClaim", cpns, name);
    etcd_labels(sim_object_labels(o), cpns);
    cJSON *md = json_obj_child(o, "metadata");
    cJSON *fin = cJSON_CreateArray();
    cJSON_AddItemToArray(fin, cJSON_CreateString(SIM_PVC_PROTECTION_FINALIZER));
    json_set_item(md, "finalizers", fin);
    if (corrupt)
        json_set_str(json_obj_child(md, "annotations"), SIM_CORRUPT_ANNOTATION, "true");
    cJSON *spec = json_obj_child(o, "spec");
    cJSON *modes = cJSON_CreateArray();
    cJSON_AddItemToArray(modes, cJSON_CreateString("ReadWriteOnce"));
    json_set_item(spec, "accessModes", modes);
    json_set_str(json_obj_child(json_obj_child(spec, "resources"), "requests"), "storage", size);
    json_set_str(spec, "storageClassName", "gp3-csi");
    json_set_str(spec, "volumeMode", "Filesystem");
    cJSON *st = json_obj_child(o, "status");
    if (bound) {
        char vol[64];
        snprintf(vol, sizeof vol, "pvc-%016llx", (unsigned long long)(sim_hash_str(cpns) + (uint64_t)member));
        json_set_str(spec, "volumeName", vol);
        json_set_str(st, "phase", "Bound");
        json_set_item(st, "accessModes", cJSON_Duplicate(modes, true));
        json_set_str(json_obj_child(st, "capacity"), "storage", size);
    } else {
        json_set_str(st, "phase", "Pending");
    }
    return o;
}

static const char *etcd_containers[] = {"etcd", "etcd-metrics", "healthz", "etcd-defrag"};

static int etcd_container_count(bool ha)
{
    return ha ? 4 : 3; /* etcd-defrag runs only with HighlyAvailable */
}

cJSON *sim_build_etcd_pod(const char *cpns, int member, bool ha, sim_pod_stage stage, int restarts, time_t now,
                          const char *owner_uid)
{
    char name[32], node[64];
    snprintf(name, sizeof name, "etcd-%d", member);
    cJSON *o = sim_object_new("v1", "Pod", cpns, name);
    cJSON *l = sim_object_labels(o);
    etcd_labels(l, cpns);
    json_set_str(l, "statefulset.kubernetes.io/pod-name", name);
    char idx[12];
    snprintf(idx, sizeof idx, "%d", member);
    json_set_str(l, "apps.kubernetes.io/pod-index", idx);
    if (owner_uid && *owner_uid) {
        cJSON *owners = cJSON_CreateArray();
        cJSON *owner = cJSON_CreateObject();
        json_set_str(owner, "apiVersion", "apps/v1");
        json_set_str(owner, "kind", "StatefulSet");
        json_set_str(owner, "name", "etcd");
        json_set_str(owner, "uid", owner_uid);
        json_set_bool(owner, "controller", true);
        json_set_bool(owner, "blockOwnerDeletion", true);
        cJSON_AddItemToArray(owners, owner);
        json_set_item(json_obj_child(o, "metadata"), "ownerReferences", owners);
    }

    cJSON *spec = json_obj_child(o, "spec");
    node_name(cpns, member, node, sizeof node);
    json_set_str(spec, "nodeName", node);
    json_set_str(spec, "hostname", name);
    json_set_str(spec, "subdomain", "etcd-discovery");
    json_set_str(spec, "serviceAccountName", ha ? "etcd-defrag-controller" : "etcd");
    json_set_str(spec, "priorityClassName", "hypershift-etcd");
    json_set_str(spec, "restartPolicy", "Always");
    cJSON *containers = cJSON_CreateArray();
    static const int ports[] = {2379, 2381, 9980, 0};
    for (int i = 0; i < etcd_container_count(ha); i++) {
        cJSON *c = cJSON_CreateObject();
        json_set_str(c, "name", etcd_containers[i]);
        json_set_str(c, "image",
                     i == 3 ? "quay.io/hypershift/control-plane-operator:latest"
                            : "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:etcd");
        if (ports[i]) {
            cJSON *ps = cJSON_CreateArray();
            cJSON *p = cJSON_CreateObject();
            json_set_str(p, "name", i == 0 ? "client" : i == 1 ? "metrics" : "healthz");
            json_set_num(p, "containerPort", ports[i]);
            json_set_str(p, "protocol", "TCP");
            cJSON_AddItemToArray(ps, p);
            json_set_item(c, "ports", ps);
        }
        if (i == 0) {
            cJSON *mounts = cJSON_CreateArray();
            cJSON *m = cJSON_CreateObject();
            json_set_str(m, "name", "data");
            json_set_str(m, "mountPath", "/var/lib");
            cJSON_AddItemToArray(mounts, m);
            json_set_item(c, "volumeMounts", mounts);
        }
        cJSON_AddItemToArray(containers, c);
    }
    json_set_item(spec, "containers", containers);
    cJSON *vols = cJSON_CreateArray();
    cJSON *v = cJSON_CreateObject();
    json_set_str(v, "name", "data");
    char claim[32];
    snprintf(claim, sizeof claim, "data-etcd-%d", member);
    json_set_str(json_obj_child(v, "persistentVolumeClaim"), "claimName", claim);
    cJSON_AddItemToArray(vols, v);
    json_set_item(spec, "volumes", vols);
    sim_etcd_pod_set_stage(o, stage, restarts, now);
    return o;
}

static cJSON *pod_condition(const char *type, bool ok, const char *since)
{
    cJSON *c = cJSON_CreateObject();
    json_set_str(c, "type", type);
    json_set_str(c, "status", ok ? "True" : "False");
    json_set_item(c, "lastProbeTime", cJSON_CreateNull());
    json_set_str(c, "lastTransitionTime", since);
    if (!ok && (strcmp(type, "Ready") == 0 || strcmp(type, "ContainersReady") == 0))
        json_set_str(c, "reason", "ContainersNotReady");
    return c;
}

static cJSON *terminated_state(int exit_code, const char *reason, const char *started, const char *finished)
{
    cJSON *t = cJSON_CreateObject();
    json_set_num(t, "exitCode", exit_code);
    json_set_str(t, "reason", reason);
    json_set_str(t, "startedAt", started);
    json_set_str(t, "finishedAt", finished);
    return t;
}

int sim_crash_backoff_s(int restarts)
{
    int s = SIM_CRASH_BACKOFF_BASE_S;
    for (int i = 1; i < restarts && s < SIM_CRASH_BACKOFF_MAX_S; i++)
        s *= 2;
    return s < SIM_CRASH_BACKOFF_MAX_S ? s : SIM_CRASH_BACKOFF_MAX_S;
}

/* Go's time.Duration text for whole seconds, as the kubelet prints its back-off: "40s", "2m40s", "5m0s". */
static void go_seconds(int secs, char *out, size_t outlen)
{
    if (secs >= 60)
        snprintf(out, outlen, "%dm%ds", secs / 60, secs % 60);
    else
        snprintf(out, outlen, "%ds", secs);
}

void sim_etcd_pod_set_stage(cJSON *pod, sim_pod_stage stage, int restarts, time_t now)
{
    const char *ns = json_str_at(pod, "metadata", "namespace", NULL);
    const char *name = json_str_at(pod, "metadata", "name", NULL);
    const char *uid = json_str_at(pod, "metadata", "uid", NULL);
    cJSON *containers = json_at(pod, "spec", "containers", NULL);
    int n = cJSON_GetArraySize(containers);
    char nowts[21], started[21], earlier[21];
    rfc3339_format(now, nowts);
    /* The start time survives restages: keep it when the pod already has one. */
    const char *prev_start = json_str_at(pod, "status", "startTime", NULL);
    snprintf(started, sizeof started, "%s", prev_start ? prev_start : nowts);
    rfc3339_format(now - (stage == SIM_POD_CRASHING ? 2 : 30), earlier); /* a corrupt etcd panics at once */
    uint64_t h = sim_hash_str(ns ? ns : "") ^ sim_hash_str(name ? name : "");

    cJSON *st = cJSON_CreateObject();
    bool running = stage != SIM_POD_PENDING;
    bool ready = stage == SIM_POD_READY;
    cJSON *conds = cJSON_CreateArray();
    cJSON_AddItemToArray(conds, pod_condition("PodReadyToStartContainers", running, started));
    cJSON_AddItemToArray(conds, pod_condition("Initialized", running, started));
    cJSON_AddItemToArray(conds, pod_condition("Ready", ready, nowts));
    cJSON_AddItemToArray(conds, pod_condition("ContainersReady", ready, nowts));
    cJSON_AddItemToArray(conds, pod_condition("PodScheduled", true, started));
    json_set_item(st, "conditions", conds);
    json_set_str(st, "phase", running ? "Running" : "Pending");
    char ip[32];
    snprintf(ip, sizeof ip, "10.0.%d.%d", (int)(h % 200) + 16, (int)((h >> 8) % 250) + 2);
    json_set_str(st, "hostIP", ip);
    if (running) {
        snprintf(ip, sizeof ip, "10.128.%d.%d", (int)((h >> 16) % 250), (int)((h >> 24) % 250) + 2);
        json_set_str(st, "podIP", ip);
    }
    json_set_str(st, "startTime", started);
    json_set_str(st, "qosClass", "Burstable");

    cJSON *statuses = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        const char *cname = json_str_at(cJSON_GetArrayItem(containers, i), "name", NULL);
        const char *image = json_str_at(cJSON_GetArrayItem(containers, i), "image", NULL);
        bool is_etcd = cname && strcmp(cname, "etcd") == 0;
        cJSON *cs = cJSON_CreateObject();
        json_set_str(cs, "name", cname ? cname : "");
        json_set_str(cs, "image", image ? image : "");
        json_set_str(cs, "imageID", image ? image : "");
        char cid[96];
        snprintf(cid, sizeof cid, "cri-o://%016llx%08x", (unsigned long long)h,
                 (unsigned)(i * 2654435761u) ^ (unsigned)(is_etcd ? restarts : 0));
        int rc = is_etcd ? restarts : 0;
        json_set_num(cs, "restartCount", rc);
        cJSON *state = json_obj_child(cs, "state");
        cJSON *last = json_obj_child(cs, "lastState");
        bool c_ready = false, c_started = false;
        if (stage == SIM_POD_PENDING) {
            cJSON *w = json_obj_child(state, "waiting");
            json_set_str(w, "reason", "ContainerCreating");
        } else if (stage == SIM_POD_CRASHING && is_etcd) {
            cJSON *w = json_obj_child(state, "waiting");
            char msg[256], wait[16];
            go_seconds(sim_crash_backoff_s(rc), wait, sizeof wait);
            snprintf(msg, sizeof msg, "back-off %s restarting failed container=etcd pod=%s_%s(%s)", wait,
                     name ? name : "", ns ? ns : "", uid ? uid : "");
            json_set_str(w, "reason", "CrashLoopBackOff");
            json_set_str(w, "message", msg);
            json_set_str(cs, "containerID", cid);
        } else {
            json_set_str(cs, "containerID", cid);
            json_set_str(json_obj_child(state, "running"), "startedAt", stage == SIM_POD_READY ? started : nowts);
            c_started = true;
            c_ready = stage == SIM_POD_READY || !is_etcd;
        }
        if (is_etcd && rc > 0) {
            cJSON *t = terminated_state(stage == SIM_POD_CRASHING ? 2 : 0,
                                        stage == SIM_POD_CRASHING ? "Error" : "Completed", earlier, nowts);
            json_set_str(t, "containerID", cid);
            json_set_item(last, "terminated", t);
        }
        json_set_bool(cs, "ready", c_ready);
        json_set_bool(cs, "started", c_started);
        cJSON_AddItemToArray(statuses, cs);
    }
    json_set_item(st, "containerStatuses", statuses);
    json_set_item(pod, "status", st);
}

cJSON *sim_build_hcp(const cJSON *hc, const char *cpns)
{
    const char *name = json_str_at(hc, "metadata", "name", NULL);
    const char *ns = json_str_at(hc, "metadata", "namespace", NULL);
    cJSON *o = sim_object_new("hypershift.openshift.io/v1beta1", "HostedControlPlane", cpns, name ? name : "");
    cJSON *md = json_obj_child(o, "metadata");
    char cluster[512];
    snprintf(cluster, sizeof cluster, "%s/%s", ns ? ns : "", name ? name : "");
    json_set_str(json_obj_child(md, "annotations"), "hypershift.openshift.io/cluster", cluster);
    cJSON *fin = cJSON_CreateArray();
    cJSON_AddItemToArray(fin, cJSON_CreateString("hypershift.openshift.io/finalizer"));
    json_set_item(md, "finalizers", fin);
    const cJSON *hspec = json_at(hc, "spec", NULL);
    cJSON *spec = json_obj_child(o, "spec");
    const char *image = json_str_at(hspec, "release", "image", NULL);
    json_set_str(spec, "releaseImage", image ? image : "");
    const char *cpimage = json_str_at(hspec, "controlPlaneRelease", "image", NULL);
    if (cpimage)
        json_set_str(spec, "controlPlaneReleaseImage", cpimage);
    const char *infra = json_str_at(hspec, "infraID", NULL);
    json_set_str(spec, "infraID", infra ? infra : (name ? name : ""));
    const char *issuer = json_str_at(hspec, "issuerURL", NULL);
    json_set_str(spec, "issuerURL", issuer ? issuer : "https://kubernetes.default.svc");
    const char *policy = json_str_at(hspec, "controllerAvailabilityPolicy", NULL);
    json_set_str(spec, "controllerAvailabilityPolicy", policy ? policy : "HighlyAvailable");
    static const char *copied[] = {"platform",   "etcd", "networking", "services",
                                   "pullSecret", "dns",  "channel",    "pausedUntil"};
    for (size_t i = 0; i < sizeof copied / sizeof *copied; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(hspec, copied[i]);
        if (v)
            json_set_item(spec, copied[i], cJSON_Duplicate(v, true));
    }
    if (!cJSON_GetObjectItemCaseSensitive(spec, "dns"))
        json_set_str(json_obj_child(spec, "dns"), "baseDomain", "");
    const char *ssh = json_str_at(hspec, "sshKey", "name", NULL);
    json_set_str(json_obj_child(spec, "sshKey"), "name", ssh ? ssh : "");
    cJSON *st = json_obj_child(o, "status");
    json_set_bool(st, "initialized", true);
    json_set_bool(st, "ready", true);
    return o;
}

cJSON *sim_secret_new(const char *ns, const char *name, const char *type, const char *key, const char *value)
{
    cJSON *o = sim_object_new("v1", "Secret", ns, name);
    json_set_str(o, "type", type);
    char *b64 = base64(value);
    json_set_str(json_obj_child(o, "data"), key, b64);
    free(b64);
    return o;
}

cJSON *sim_build_admin_kubeconfig(const char *ns, const char *name, const char *base_domain)
{
    char sname[300];
    snprintf(sname, sizeof sname, "%s-admin-kubeconfig", name);
    char *kc = xasprintf(
               "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://api.%s.%s:443\n"
               "  name: cluster\ncontexts:\n- context:\n    cluster: cluster\n    namespace: default\n"
               "    user: admin\n  name: admin\ncurrent-context: admin\nusers:\n- name: admin\n  user:\n"
               "    client-certificate-data: c2ltdWxhdGVk\n    client-key-data: c2ltdWxhdGVk\n",
               name, base_domain && *base_domain ? base_domain : "example.com");
    cJSON *o = sim_secret_new(ns, sname, "Opaque", "kubeconfig", kc);
    free(kc);
    json_set_str(sim_object_labels(o), "hypershift.openshift.io/safe-to-delete-with-cluster", "true");
    return o;
}

cJSON *sim_build_kubeadmin_password(const char *ns, const char *name)
{
    char sname[300], pw[32];
    snprintf(sname, sizeof sname, "%s-kubeadmin-password", name);
    /* kubeadmin passwords look like xxxxx-xxxxx-xxxxx-xxxxx. */
    uint64_t h = sim_hash_str(ns) * 31 + sim_hash_str(name);
    static const char alphabet[] = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    int k = 0;
    for (int i = 0; i < 23; i++) {
        if (i % 6 == 5) {
            pw[k++] = '-';
            continue;
        }
        pw[k++] = alphabet[h % (sizeof alphabet - 1)];
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    }
    pw[k] = '\0';
    cJSON *o = sim_secret_new(ns, sname, "Opaque", "password", pw);
    json_set_str(sim_object_labels(o), "hypershift.openshift.io/safe-to-delete-with-cluster", "true");
    return o;
}
