/* Fleets. A fleet creates, for each hosted cluster, what the hypershift-operator and the
 * control-plane-operator would have made by the time a user looks: the HostedCluster with an installed
 * version, its NodePools, the control-plane namespace with the HostedControlPlane, etcd (StatefulSet,
 * PVCs, pods) and the secrets (built by sim/ctl_objects.c). Conditions are left to the
 * controllers' first tick, so that a fleet and a user-created cluster are judged by the same code. */
#include "sim/fleet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/ctl_objects.h"
#include "sim/releases.h"

#define HOUR 3600
#define DAY (24 * HOUR)
/* The N fleet refuses sizes beyond this: a typo must not eat the machine. */
#define MAX_FLEET 100000

/* ---- deterministic randomness (splitmix64) ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static int rng_int(rng *r, int n)
{
    return n > 0 ? (int)(rng_next(r) % (uint64_t)n) : 0;
}

/* ---- HostedCluster and NodePool specs ---- */

typedef struct pool_plan {
    char name[128];
    int replicas;         /* -1: autoscaling */
    int min, max;         /* autoscaling bounds */
    sim_version version;  /* what the nodes run (status.version) */
    sim_version target;   /* spec.release.image; differs from version during a rollout */
    bool autorepair;
    const char *drain;    /* nodeDrainTimeout or NULL */
    const char *instance; /* AWS instance type */
    int ticks_per_node;   /* hcpsim pace annotation, 0: none */
} pool_plan;

typedef struct cluster_plan {
    const char *ns;
    char name[64];
    const char *platform; /* AWS, KubeVirt, Agent, None */
    bool ha;
    sim_version installed; /* first version in the history */
    sim_version version;   /* current completed version */
    sim_version requested; /* spec.release.image; differs from version for an upgrade */
    const char *channel;
    char paused[40];         /* spec.pausedUntil or "" */
    int upgrade_ticks;       /* hcpsim pace annotation, 0: none */
    bool not_upgradeable;    /* ClusterVersionUpgradeable=False (AdminAckRequired) */
    int corrupt_member;      /* -1: etcd healthy */
    const char *etcd_size;
    int age_days;
    int npools;
    pool_plan pools[8];
} cluster_plan;

static const char *base_domain = "hypershift.example.com";

static cJSON *service(const char *name, const char *type)
{
    cJSON *s = cJSON_CreateObject();
    json_set_str(s, "service", name);
    json_set_str(json_obj_child(s, "servicePublishingStrategy"), "type", type);
    return s;
}

static cJSON *hc_platform(const cluster_plan *p)
{
    cJSON *pl = cJSON_CreateObject();
    json_set_str(pl, "type", p->platform);
    if (strcmp(p->platform, "AWS") == 0) {
        cJSON *aws = json_obj_child(pl, "aws");
        json_set_str(aws, "region", "us-east-1");
        json_set_str(aws, "endpointAccess", "Public");
        cJSON *roles = json_obj_child(aws, "rolesRef");
        static const char *roles_names[] = {"controlPlaneOperatorARN", "imageRegistryARN", "ingressARN",
                                            "kubeCloudControllerARN", "networkARN", "nodePoolManagementARN",
                                            "storageARN"};
        static const char *roles_suffix[] = {"control-plane-operator", "openshift-image-registry",
                                             "openshift-ingress", "cloud-controller", "cloud-network-config",
                                             "node-pool", "aws-ebs-csi-driver-controller"};
        for (size_t i = 0; i < 7; i++) {
            char arn[256];
            snprintf(arn, sizeof arn, "arn:aws:iam::123456789012:role/%s-%s", p->name, roles_suffix[i]);
            json_set_str(roles, roles_names[i], arn);
        }
    } else if (strcmp(p->platform, "KubeVirt") == 0) {
        json_set_bool(json_obj_child(pl, "kubevirt"), "baseDomainPassthrough", true);
    } else if (strcmp(p->platform, "Agent") == 0) {
        char ans[128];
        snprintf(ans, sizeof ans, "%s-agents", p->ns);
        json_set_str(json_obj_child(pl, "agent"), "agentNamespace", ans);
    }
    return pl;
}

static cJSON *hc_spec(const cluster_plan *p)
{
    char image[200];
    cJSON *spec = cJSON_CreateObject();
    sim_release_image(p->requested, image, sizeof image);
    json_set_str(json_obj_child(spec, "release"), "image", image);
    if (p->channel)
        json_set_str(spec, "channel", p->channel);
    if (p->paused[0])
        json_set_str(spec, "pausedUntil", p->paused);
    char cid[40];
    uint64_t h = sim_hash_str(p->ns) * 1000003 ^ sim_hash_str(p->name);
    snprintf(cid, sizeof cid, "%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(h >> 32), (unsigned)(h >> 16) & 0xffff,
             (unsigned)(h >> 4) & 0xfff, (unsigned)(h >> 20) & 0xfff, (unsigned long long)(h & 0xffffffffffffULL));
    json_set_str(spec, "clusterID", cid);
    char infra[80];
    snprintf(infra, sizeof infra, "%s-%05llx", p->name, (unsigned long long)(h % 0xfffff));
    json_set_str(spec, "infraID", infra);
    json_set_str(spec, "controllerAvailabilityPolicy", p->ha ? "HighlyAvailable" : "SingleReplica");
    json_set_str(spec, "infrastructureAvailabilityPolicy", "SingleReplica");
    json_set_item(spec, "platform", hc_platform(p));
    json_set_str(json_obj_child(spec, "dns"), "baseDomain", base_domain);
    cJSON *net = json_obj_child(spec, "networking");
    json_set_str(net, "networkType", "OVNKubernetes");
    cJSON *cn = cJSON_CreateArray(), *sn = cJSON_CreateArray(), *mn = cJSON_CreateArray();
    cJSON *c = cJSON_CreateObject();
    json_set_str(c, "cidr", "10.132.0.0/14");
    json_set_num(c, "hostPrefix", 23);
    cJSON_AddItemToArray(cn, c);
    c = cJSON_CreateObject();
    json_set_str(c, "cidr", "172.31.0.0/16");
    cJSON_AddItemToArray(sn, c);
    c = cJSON_CreateObject();
    json_set_str(c, "cidr", "10.0.0.0/16");
    cJSON_AddItemToArray(mn, c);
    json_set_item(net, "clusterNetwork", cn);
    json_set_item(net, "serviceNetwork", sn);
    json_set_item(net, "machineNetwork", mn);
    cJSON *etcd = json_obj_child(spec, "etcd");
    json_set_str(etcd, "managementType", "Managed");
    cJSON *storage = json_obj_child(json_obj_child(etcd, "managed"), "storage");
    json_set_str(storage, "type", "PersistentVolume");
    json_set_str(json_obj_child(storage, "persistentVolume"), "size", p->etcd_size);
    cJSON *svcs = cJSON_CreateArray();
    bool aws = strcmp(p->platform, "AWS") == 0;
    cJSON_AddItemToArray(svcs, service("APIServer", aws ? "LoadBalancer" : "Route"));
    cJSON_AddItemToArray(svcs, service("OAuthServer", "Route"));
    cJSON_AddItemToArray(svcs, service("Konnectivity", "Route"));
    cJSON_AddItemToArray(svcs, service("Ignition", "Route"));
    json_set_item(spec, "services", svcs);
    char sname[128];
    snprintf(sname, sizeof sname, "%s-pull-secret", p->name);
    json_set_str(json_obj_child(spec, "pullSecret"), "name", sname);
    snprintf(sname, sizeof sname, "%s-ssh-key", p->name);
    json_set_str(json_obj_child(spec, "sshKey"), "name", sname);
    json_set_str(spec, "issuerURL", "https://kubernetes.default.svc");
    json_set_str(spec, "olmCatalogPlacement", "management");
    json_set_bool(spec, "fips", false);
    return spec;
}

static cJSON *history_entry(sim_version v, const char *state, time_t started, time_t completed, bool cv)
{
    char image[200], ver[32], t1[21], t2[21];
    sim_release_image(v, image, sizeof image);
    sim_version_format(v, ver, sizeof ver);
    rfc3339_format(started, t1);
    rfc3339_format(completed, t2);
    cJSON *h = cJSON_CreateObject();
    json_set_str(h, "state", state);
    json_set_str(h, "startedTime", t1);
    json_set_str(h, "completionTime", t2);
    json_set_str(h, "version", ver);
    json_set_str(h, "image", image);
    if (cv)
        json_set_bool(h, "verified", false);
    return h;
}

/* status.version / controlPlaneVersion of an installed cluster (history newest first). */
static cJSON *installed_version(const cluster_plan *p, time_t now, bool cv)
{
    cJSON *ver = cJSON_CreateObject();
    json_set_item(ver, "desired", sim_release_desired(p->version, NULL));
    cJSON *hist = cJSON_CreateArray();
    time_t installed = now - (time_t)p->age_days * DAY;
    if (sim_version_cmp(p->installed, p->version) != 0) {
        time_t upgraded = now - (time_t)(p->age_days / 3 + 1) * DAY;
        cJSON_AddItemToArray(hist, history_entry(p->version, "Completed", upgraded, upgraded + 47 * 60, cv));
        cJSON_AddItemToArray(hist, history_entry(p->installed, "Completed", installed, upgraded, cv));
    } else {
        cJSON_AddItemToArray(hist, history_entry(p->version, "Completed", installed, installed + 38 * 60, cv));
    }
    json_set_item(ver, "history", hist);
    json_set_num(ver, "observedGeneration", 1);
    if (cv)
        json_set_item(ver, "availableUpdates", cJSON_CreateNull());
    return ver;
}

static cJSON *hc_status(const cluster_plan *p, time_t now)
{
    cJSON *st = cJSON_CreateObject();
    json_set_item(st, "version", installed_version(p, now, true));
    json_set_item(st, "controlPlaneVersion", installed_version(p, now, false));
    char name[300], host[400];
    snprintf(name, sizeof name, "%s-admin-kubeconfig", p->name);
    json_set_str(json_obj_child(st, "kubeconfig"), "name", name);
    snprintf(name, sizeof name, "%s-kubeadmin-password", p->name);
    json_set_str(json_obj_child(st, "kubeadminPassword"), "name", name);
    cJSON *ep = json_obj_child(st, "controlPlaneEndpoint");
    snprintf(host, sizeof host, "api.%s.%s", p->name, base_domain);
    json_set_str(ep, "host", host);
    json_set_num(ep, "port", strcmp(p->platform, "AWS") == 0 ? 6443 : 443);
    snprintf(host, sizeof host, "ignition-server-%s-%s.apps.mgmt.%s", p->ns, p->name, base_domain);
    json_set_str(st, "ignitionEndpoint", host);
    snprintf(host, sizeof host, "https://oauth-%s-%s.apps.mgmt.%s:443/oauth2callback/[identity-provider-name]",
             p->ns, p->name, base_domain);
    json_set_str(st, "oauthCallbackURLTemplate", host);
    json_set_str(st, "payloadArch", "Multi");
    if (p->not_upgradeable) {
        /* The hosted CVO's admin-ack gate; the controllers keep whatever the CVO last reported. */
        char t[21], msg[300];
        rfc3339_format(now - 2 * HOUR, t);
        snprintf(msg, sizeof msg,
                 "Kubernetes 1.%d and therefore OpenShift 4.%d remove several APIs which require admin "
                 "consideration. Please see the knowledge article https://access.redhat.com/articles/7031404 "
                 "for details and instructions.",
                 p->version.minor + 14, p->version.minor + 1);
        cJSON *conds = cJSON_CreateArray();
        cJSON *c = cJSON_CreateObject();
        json_set_str(c, "type", "ClusterVersionUpgradeable");
        json_set_str(c, "status", "False");
        json_set_str(c, "reason", "AdminAckRequired");
        json_set_str(c, "message", msg);
        json_set_num(c, "observedGeneration", 1);
        json_set_str(c, "lastTransitionTime", t);
        cJSON_AddItemToArray(conds, c);
        json_set_item(st, "conditions", conds);
    }
    return st;
}

static cJSON *np_platform(const cluster_plan *p, const pool_plan *pp, int index)
{
    cJSON *pl = cJSON_CreateObject();
    json_set_str(pl, "type", p->platform);
    if (strcmp(p->platform, "AWS") == 0) {
        cJSON *aws = json_obj_child(pl, "aws");
        json_set_str(aws, "instanceType", pp->instance ? pp->instance : "m6i.xlarge");
        char subnet[64];
        snprintf(subnet, sizeof subnet, "subnet-0%016llx",
                 (unsigned long long)((sim_hash_str(p->name) + (uint64_t)index) & 0xffffffffffffffULL));
        json_set_str(json_obj_child(aws, "subnet"), "id", subnet);
        cJSON *rv = json_obj_child(aws, "rootVolume");
        json_set_num(rv, "size", 120);
        json_set_str(rv, "type", "gp3");
    } else if (strcmp(p->platform, "KubeVirt") == 0) {
        cJSON *kv = json_obj_child(pl, "kubevirt");
        cJSON *compute = json_obj_child(kv, "compute");
        json_set_num(compute, "cores", 4);
        json_set_str(compute, "memory", "16Gi");
        cJSON *root = json_obj_child(kv, "rootVolume");
        json_set_str(root, "type", "Persistent");
        json_set_str(json_obj_child(root, "persistent"), "size", "32Gi");
    } else if (strcmp(p->platform, "Agent") == 0) {
        cJSON *sel = json_obj_child(json_obj_child(json_obj_child(pl, "agent"), "agentLabelSelector"),
                                    "matchLabels");
        json_set_str(sel, "cluster-name", p->name);
    }
    return pl;
}

static cJSON *np_object(const cluster_plan *p, const pool_plan *pp, int index)
{
    cJSON *o = sim_object_new("hypershift.openshift.io/v1beta1", "NodePool", p->ns, pp->name);
    if (pp->ticks_per_node) {
        char n[16];
        snprintf(n, sizeof n, "%d", pp->ticks_per_node);
        json_set_str(json_obj_child(json_obj_child(o, "metadata"), "annotations"),
                     "hcpsim.hypershift.openshift.io/ticks-per-node", n);
    }
    cJSON *fin = cJSON_CreateArray();
    cJSON_AddItemToArray(fin, cJSON_CreateString("hypershift.openshift.io/finalizer"));
    json_set_item(json_obj_child(o, "metadata"), "finalizers", fin);
    cJSON *spec = json_obj_child(o, "spec");
    json_set_str(spec, "clusterName", p->name);
    if (pp->replicas >= 0) {
        json_set_num(spec, "replicas", pp->replicas);
    } else {
        cJSON *as = json_obj_child(spec, "autoScaling");
        json_set_num(as, "min", pp->min);
        json_set_num(as, "max", pp->max);
    }
    char image[200];
    sim_release_image(pp->target, image, sizeof image);
    json_set_str(json_obj_child(spec, "release"), "image", image);
    json_set_str(spec, "arch", "amd64");
    cJSON *mgmt = json_obj_child(spec, "management");
    json_set_str(mgmt, "upgradeType", "Replace");
    json_set_bool(mgmt, "autoRepair", pp->autorepair);
    cJSON *rep = json_obj_child(mgmt, "replace");
    json_set_str(rep, "strategy", "RollingUpdate");
    cJSON *ru = json_obj_child(rep, "rollingUpdate");
    json_set_num(ru, "maxSurge", 1);
    json_set_num(ru, "maxUnavailable", 0);
    if (pp->drain)
        json_set_str(spec, "nodeDrainTimeout", pp->drain);
    json_set_item(spec, "platform", np_platform(p, pp, index));
    return o;
}

static cJSON *np_status(const pool_plan *pp)
{
    cJSON *st = cJSON_CreateObject();
    int replicas = pp->replicas >= 0 ? pp->replicas : pp->min + (pp->max - pp->min) / 2;
    json_set_num(st, "replicas", replicas);
    char ver[32];
    sim_version_format(pp->version, ver, sizeof ver);
    json_set_str(st, "version", ver);
    return st;
}

/* ---- writing into the store ---- */

typedef struct populate {
    sim_store *s;
    time_t now;
    bool failed;
    char *err;
    size_t errlen;
} populate;

/* Creates obj (and frees it); the new object's uid goes into uid when that is not NULL. */
static void put_uid(populate *pp, sim_kind_id kind, cJSON *obj, char *uid, size_t uidlen)
{
    if (pp->failed) {
        cJSON_Delete(obj);
        return;
    }
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    sim_reply r = sim_store_create(pp->s, sim_kind_get(kind), ns, obj, NULL);
    if (r.code != 201 && r.code != 200) {
        const char *msg = json_str_at(r.body, "message", NULL);
        snprintf(pp->err, pp->errlen, "building the fleet: %s", msg ? msg : "create failed");
        pp->failed = true;
    } else if (uid) {
        const char *u = json_str_at(r.body, "metadata", "uid", NULL);
        snprintf(uid, uidlen, "%s", u ? u : "");
    }
    cJSON_Delete(r.body);
    cJSON_Delete(obj);
}

static void put(populate *pp, sim_kind_id kind, cJSON *obj)
{
    put_uid(pp, kind, obj, NULL, 0);
}

static bool replace_status(cJSON *obj, void *ctx)
{
    json_set_item(obj, "status", cJSON_Duplicate((const cJSON *)ctx, true));
    return true;
}

/* Creates obj, then writes its status (a create through the API drops status for these kinds). */
static void put_with_status(populate *pp, sim_kind_id kind, cJSON *obj, cJSON *status)
{
    char ns[256], name[256];
    snprintf(ns, sizeof ns, "%s", json_str_at(obj, "metadata", "namespace", NULL));
    snprintf(name, sizeof name, "%s", json_str_at(obj, "metadata", "name", NULL));
    put(pp, kind, obj);
    if (!pp->failed)
        sim_store_mutate(pp->s, sim_kind_get(kind), ns, name, replace_status, status);
    cJSON_Delete(status);
}

static void put_hypershift_namespace(populate *pp)
{
    put(pp, SIM_NAMESPACE, sim_build_namespace("hypershift", false));
    cJSON *cm = sim_object_new("v1", "ConfigMap", "hypershift", "supported-versions");
    json_set_str(sim_object_labels(cm), "hypershift.openshift.io/supported-versions", "true");
    cJSON *data = json_obj_child(cm, "data");
    buf v = BUF_INIT;
    buf_puts(&v, "{\"versions\":[");
    for (int m = SIM_MAX_MINOR; m >= SIM_MIN_MINOR; m--)
        buf_printf(&v, "%s\"4.%d\"", m == SIM_MAX_MINOR ? "" : ",", m);
    buf_puts(&v, "]}");
    json_set_str(data, "supported-versions", buf_str(&v));
    json_set_str(data, "server-version", "3ee9615567acffaf3e3ee25c2ca2942d650565cf");
    buf_free(&v);
    put(pp, SIM_CONFIGMAP, cm);

    cJSON *dep = sim_object_new("apps/v1", "Deployment", "hypershift", "operator");
    json_set_str(sim_object_labels(dep), "app", "operator");
    json_set_str(sim_object_labels(dep), "hypershift.openshift.io/operator-component", "operator");
    cJSON *spec = json_obj_child(dep, "spec");
    json_set_num(spec, "replicas", 2);
    json_set_str(json_obj_child(json_obj_child(spec, "selector"), "matchLabels"), "name", "operator");
    cJSON *tmpl = json_obj_child(spec, "template");
    json_set_str(json_obj_child(json_obj_child(tmpl, "metadata"), "labels"), "name", "operator");
    cJSON *containers = cJSON_CreateArray();
    cJSON *c = cJSON_CreateObject();
    json_set_str(c, "name", "operator");
    json_set_str(c, "image", "quay.io/hypershift/hypershift-operator:4.17");
    cJSON *args = cJSON_CreateArray();
    cJSON_AddItemToArray(args, cJSON_CreateString("run"));
    cJSON_AddItemToArray(args, cJSON_CreateString("--namespace=$(MY_NAMESPACE)"));
    json_set_item(c, "args", args);
    cJSON_AddItemToArray(containers, c);
    json_set_item(json_obj_child(tmpl, "spec"), "containers", containers);
    cJSON *st = cJSON_CreateObject();
    json_set_num(st, "observedGeneration", 1);
    json_set_num(st, "replicas", 2);
    json_set_num(st, "readyReplicas", 2);
    json_set_num(st, "availableReplicas", 2);
    json_set_num(st, "updatedReplicas", 2);
    put_with_status(pp, SIM_DEPLOYMENT, dep, st);
}

static void put_cluster(populate *pp, const cluster_plan *p)
{
    char cpns[300], sname[300];
    sim_cp_namespace(p->ns, p->name, cpns, sizeof cpns);

    snprintf(sname, sizeof sname, "%s-pull-secret", p->name);
    cJSON *ps = sim_secret_new(p->ns, sname, "kubernetes.io/dockerconfigjson", ".dockerconfigjson",
                               "{\"auths\":{\"quay.io\":{\"auth\":\"c2ltdWxhdGVkOnNlY3JldA==\"}}}");
    put(pp, SIM_SECRET, ps);
    snprintf(sname, sizeof sname, "%s-ssh-key", p->name);
    put(pp, SIM_SECRET,
        sim_secret_new(p->ns, sname, "Opaque", "id_rsa.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 hcpsim"));
    put(pp, SIM_SECRET, sim_build_admin_kubeconfig(p->ns, p->name, base_domain));
    put(pp, SIM_SECRET, sim_build_kubeadmin_password(p->ns, p->name));

    cJSON *hc = sim_object_new("hypershift.openshift.io/v1beta1", "HostedCluster", p->ns, p->name);
    cJSON *md = json_obj_child(hc, "metadata");
    cJSON *fin = cJSON_CreateArray();
    cJSON_AddItemToArray(fin, cJSON_CreateString("hypershift.openshift.io/finalizer"));
    json_set_item(md, "finalizers", fin);
    cJSON *ann = json_obj_child(md, "annotations");
    json_set_str(ann, "hypershift.openshift.io/HasBeenAvailable", "true");
    if (p->upgrade_ticks) {
        char n[16];
        snprintf(n, sizeof n, "%d", p->upgrade_ticks);
        json_set_str(ann, "hcpsim.hypershift.openshift.io/upgrade-ticks", n);
    }
    json_set_item(hc, "spec", hc_spec(p));
    cJSON *hcp = sim_build_hcp(hc, cpns);
    put_with_status(pp, SIM_HOSTEDCLUSTER, hc, hc_status(p, pp->now));
    for (int i = 0; i < p->npools; i++)
        put_with_status(pp, SIM_NODEPOOL, np_object(p, &p->pools[i], i), np_status(&p->pools[i]));

    put(pp, SIM_NAMESPACE, sim_build_namespace(cpns, true));
    put(pp, SIM_HOSTEDCONTROLPLANE, hcp);
    int members = p->ha ? 3 : 1;
    char sts_uid[64] = "";
    put_uid(pp, SIM_STATEFULSET, sim_build_etcd_statefulset(cpns, members, p->etcd_size), sts_uid, sizeof sts_uid);
    for (int m = 0; m < members; m++)
        put(pp, SIM_PVC, sim_build_etcd_pvc(cpns, m, p->etcd_size, true, m == p->corrupt_member));
    for (int m = 0; m < members; m++)
        put(pp, SIM_POD,
            sim_build_etcd_pod(cpns, m, p->ha, SIM_POD_READY, 0, pp->now - (time_t)p->age_days * DAY, sts_uid));
}

static sim_version ver(int minor, int patch)
{
    sim_version v = {4, minor, patch};
    return v;
}

static void pool(cluster_plan *p, const char *suffix, int replicas, sim_version v)
{
    pool_plan *pp = &p->pools[p->npools++];
    memset(pp, 0, sizeof *pp);
    snprintf(pp->name, sizeof pp->name, "%s-%s", p->name, suffix);
    pp->replicas = replicas;
    pp->version = v;
    pp->target = v;
    pp->autorepair = true;
}

static void plan_init(cluster_plan *p, const char *ns, const char *name, const char *platform, bool ha,
                      sim_version v)
{
    memset(p, 0, sizeof *p);
    p->ns = ns;
    snprintf(p->name, sizeof p->name, "%s", name);
    p->platform = platform;
    p->ha = ha;
    p->installed = p->version = p->requested = v;
    p->corrupt_member = -1;
    p->etcd_size = "8Gi";
    p->age_days = 40;
}

/* The demo: one cluster per state a user must recognise (see docs/simulator-world.md). */
static void populate_demo(populate *pp)
{
    static const char *namespaces[] = {"clusters", "prod", "team-a"};
    for (size_t i = 0; i < 3; i++)
        put(pp, SIM_NAMESPACE, sim_build_namespace(namespaces[i], false));
    cluster_plan p;

    /* clusters/dev-single: SingleReplica on KubeVirt with an autoscaling pool. */
    plan_init(&p, "clusters", "dev-single", "KubeVirt", false, ver(15, 21));
    p.installed = ver(15, 3);
    p.channel = "stable-4.15";
    pool(&p, "workers", -1, ver(15, 21));
    p.pools[0].min = 2;
    p.pools[0].max = 5;
    p.pools[0].autorepair = false;
    put_cluster(pp, &p);

    /* clusters/paused-until: paused until a time a few hours ahead (Agent). */
    plan_init(&p, "clusters", "paused-until", "Agent", true, ver(15, 30));
    char t[21];
    rfc3339_format(pp->now + 4 * HOUR, t);
    snprintf(p.paused, sizeof p.paused, "%s", t);
    p.channel = "stable-4.15";
    pool(&p, "workers", 2, ver(15, 30));
    put_cluster(pp, &p);

    /* clusters/upgrade-demo: a z-stream upgrade 4.16.3 -> 4.16.8 in progress, its pool rolling too. */
    plan_init(&p, "clusters", "upgrade-demo", "AWS", true, ver(16, 3));
    p.requested = ver(16, 8);
    p.channel = "fast-4.16";
    p.upgrade_ticks = 180; /* three minutes at the default one-second tick */
    pool(&p, "us-east-1a", 6, ver(16, 3));
    p.pools[0].target = ver(16, 8);
    p.pools[0].drain = "10m";
    p.pools[0].ticks_per_node = 30;
    pool(&p, "us-east-1b", 3, ver(16, 3));
    put_cluster(pp, &p);

    /* prod/prod-east: healthy HA on AWS, three pools, one of them scaled to zero. */
    plan_init(&p, "prod", "prod-east", "AWS", true, ver(17, 9));
    p.installed = ver(16, 20);
    p.channel = "fast-4.17";
    p.age_days = 120;
    p.etcd_size = "16Gi";
    pool(&p, "us-east-1a", 3, ver(17, 9));
    pool(&p, "us-east-1b", 3, ver(17, 9));
    pool(&p, "gpu", 0, ver(17, 9));
    p.pools[2].instance = "g5.2xlarge";
    put_cluster(pp, &p);

    /* prod/prod-west: on stable-4.17 where some updates carry known risks (conditional updates). */
    plan_init(&p, "prod", "prod-west", "AWS", true, ver(16, 8));
    p.installed = ver(15, 30);
    p.channel = "stable-4.17";
    p.age_days = 200;
    pool(&p, "us-west-2a", 4, ver(16, 8));
    pool(&p, "us-west-2b", 4, ver(16, 8));
    put_cluster(pp, &p);

    /* team-a/blocked-minor: 4.16 -> 4.17 requested while the CVO wants an admin ack. */
    plan_init(&p, "team-a", "blocked-minor", "KubeVirt", true, ver(16, 20));
    p.requested = ver(17, 9);
    p.not_upgradeable = true;
    p.channel = "stable-4.17";
    pool(&p, "workers", 2, ver(16, 20));
    put_cluster(pp, &p);

    /* team-a/etcd-degraded: etcd-1's data is corrupt: it crash-loops, quorum 2/3. */
    plan_init(&p, "team-a", "etcd-degraded", "AWS", true, ver(16, 20));
    p.corrupt_member = 1;
    p.channel = "stable-4.16";
    pool(&p, "workers", 3, ver(16, 20));
    put_cluster(pp, &p);

    /* team-a/legacy-paused: paused with "true" on the oldest supported minor, platform None. */
    plan_init(&p, "team-a", "legacy-paused", "None", true, ver(14, 38));
    p.installed = ver(14, 20);
    snprintf(p.paused, sizeof p.paused, "true");
    pool(&p, "workers", 2, ver(14, 38));
    put_cluster(pp, &p);
}

/* N clusters with a realistic mix of states, grown from the seed. */
static void populate_n(populate *pp, long n, uint64_t seed)
{
    static const char *namespaces[] = {"clusters", "prod", "staging", "team-a", "team-b"};
    const int nns = 5;
    for (int i = 0; i < nns; i++)
        put(pp, SIM_NAMESPACE, sim_build_namespace(namespaces[i], false));
    rng r = {seed ^ 0x6863707369756c61ULL};
    /* Namespace by namespace, names ascending: the store appends instead of inserting. */
    for (int nsi = 0; nsi < nns && !pp->failed; nsi++) {
        for (long i = nsi; i < n && !pp->failed; i += nns) {
            cluster_plan p;
            int roll = rng_int(&r, 100);
            const char *platform = roll < 55 ? "AWS" : roll < 75 ? "KubeVirt" : roll < 90 ? "Agent" : "None";
            bool ha = rng_int(&r, 100) < 80;
            int minor = SIM_MIN_MINOR + rng_int(&r, SIM_MAX_MINOR - SIM_MIN_MINOR + 1);
            size_t zi = (size_t)rng_int(&r, 5);
            sim_version v = sim_release_at((size_t)(minor - SIM_MIN_MINOR) * 5 + zi);
            char name[64];
            snprintf(name, sizeof name, "hc-%05ld", i);
            plan_init(&p, namespaces[nsi], name, platform, ha, v);
            p.age_days = 5 + rng_int(&r, 300);
            int ch = rng_int(&r, 10);
            static const char *stable[] = {"stable-4.14", "stable-4.15", "stable-4.16", "stable-4.17"};
            static const char *fast_next[] = {"fast-4.15", "fast-4.16", "fast-4.17", "fast-4.17"};
            p.channel = ch < 6 ? stable[minor - SIM_MIN_MINOR] : ch < 8 ? fast_next[minor - SIM_MIN_MINOR] : NULL;
            int scenario = rng_int(&r, 100);
            if (scenario < 4 && zi < 4) {
                p.requested = sim_release_at((size_t)(minor - SIM_MIN_MINOR) * 5 + zi + 1);
            } else if (scenario < 7) {
                if (scenario % 2)
                    snprintf(p.paused, sizeof p.paused, "true");
                else
                    rfc3339_format(pp->now + (time_t)(1 + rng_int(&r, 48)) * HOUR, p.paused);
            } else if (scenario < 10 && ha) {
                p.corrupt_member = rng_int(&r, 3);
            } else if (scenario < 12 && minor < SIM_MAX_MINOR && zi >= 2) {
                p.not_upgradeable = true;
                sim_release_latest_of_minor(minor + 1, &p.requested);
            }
            int npools = 1 + rng_int(&r, 7);
            for (int k = 0; k < npools; k++) {
                char suffix[24];
                snprintf(suffix, sizeof suffix, "pool-%d", k % 8);
                sim_version pv = v;
                /* Some pools lag one minor behind their control plane. */
                if (rng_int(&r, 10) == 0 && minor > SIM_MIN_MINOR)
                    sim_release_latest_of_minor(minor - 1, &pv);
                pool(&p, suffix, rng_int(&r, 7), pv);
                if (rng_int(&r, 100) < 15) {
                    p.pools[k].replicas = -1;
                    p.pools[k].min = 1 + rng_int(&r, 2);
                    p.pools[k].max = p.pools[k].min + 1 + rng_int(&r, 4);
                }
                p.pools[k].autorepair = rng_int(&r, 2) == 0;
            }
            put_cluster(pp, &p);
        }
    }
}

bool sim_fleet_populate(sim_store *s, const char *fleet, uint64_t seed, char *err, size_t errlen)
{
    populate pp = {s, sim_store_now(s), false, err, errlen};
    if (!fleet || !*fleet) {
        snprintf(err, errlen, "empty fleet: use demo, none or a number of clusters");
        return false;
    }
    long n = -1;
    if (strcmp(fleet, "demo") != 0 && strcmp(fleet, "none") != 0) {
        char *end;
        errno = 0;
        n = strtol(fleet, &end, 10);
        if (errno || *end || end == fleet || n < 0 || n > MAX_FLEET) {
            snprintf(err, errlen, "bad fleet \"%.64s\": use demo, none or a number of clusters from 0 to %d", fleet,
                     MAX_FLEET);
            return false;
        }
    }
    put_hypershift_namespace(&pp);
    if (strcmp(fleet, "demo") == 0)
        populate_demo(&pp);
    else if (n >= 0)
        populate_n(&pp, n, seed);
    return !pp.failed;
}

