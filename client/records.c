/* Record memory (one arena per record), the well-known string table, and small record accessors. */
#include "client/records.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/record_arena.h"
#include "common/buf.h"

struct rec_arena_chunk {
    rec_arena_chunk *next; /* older chunk */
    size_t cap;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

/* Every allocation is rounded to 8 bytes: enough for the pointers and 64-bit integers records hold,
 * and it makes the bytes a record needs independent of where chunk boundaries fall, so a decoder's
 * second pass (see record_size_hint) fits exactly in one chunk. */
#define ARENA_GRAIN ((size_t)8)
_Static_assert(alignof(hc_record) <= ARENA_GRAIN && alignof(np_record) <= ARENA_GRAIN &&
                   alignof(pod_record) <= ARENA_GRAIN && alignof(event_record) <= ARENA_GRAIN &&
                   alignof(record) <= ARENA_GRAIN,
               "record parts need more alignment than the arena gives");
/* Without a hint, most records fit in the first chunk; later chunks double. */
#define ARENA_FIRST_CHUNK ((size_t)1024)

static _Thread_local size_t next_record_hint;
/* What the last record of each kind needed: objects of a kind are much alike, so a first chunk of
 * that size usually fits and spares the second decoding pass (measured: decoding 15 % faster at the
 * same memory; a margin on top cost memory and gained nothing). */
static _Thread_local size_t typical_size[RES_KIND_COUNT];

static size_t grain_up(size_t n)
{
    return (n + ARENA_GRAIN - 1) & ~(ARENA_GRAIN - 1);
}

static rec_arena_chunk *chunk_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(rec_arena_chunk))
        abort();
    rec_arena_chunk *c = xmalloc(sizeof(rec_arena_chunk) + cap);
    c->next = NULL;
    c->cap = cap;
    c->used = 0;
    return c;
}

/* Bytes of a record of each kind: the header plus the union member the kind table names. */
#define RECORD_SIZE_(id, kname, apiv, plural, label, counter, scope, selector, decode, member) \
    [RES_##id] = offsetof(record, u) + sizeof(((record *)0)->u.member),
static const size_t record_sizes[RES_KIND_COUNT] = {RES_KIND_TABLE(RECORD_SIZE_)};
#undef RECORD_SIZE_

static size_t record_size(res_kind kind)
{
    return (unsigned)kind < RES_KIND_COUNT ? record_sizes[kind] : sizeof(record);
}

void record_size_hint(size_t bytes)
{
    next_record_hint = bytes;
}

void record_size_learn(res_kind kind, size_t used)
{
    if ((unsigned)kind < RES_KIND_COUNT)
        typical_size[kind] = used < REC_MAX_BYTES ? used : REC_MAX_BYTES;
}

size_t record_used_bytes(const record *r)
{
    size_t used = 0;
    for (const rec_arena_chunk *c = r ? r->arena : NULL; c; c = c->next)
        used += c->used;
    return used;
}

record *record_new(res_kind kind)
{
    size_t need = grain_up(record_size(kind));
    size_t cap = ARENA_FIRST_CHUNK;
    if (next_record_hint >= need)
        cap = next_record_hint;
    else if ((unsigned)kind < RES_KIND_COUNT && typical_size[kind] >= need)
        cap = typical_size[kind];
    next_record_hint = 0;
    if (cap < need)
        cap = need;
    rec_arena_chunk *c = chunk_new(cap);
    record *r = (record *)(void *)c->data;
    memset(r, 0, need);
    c->used = need;
    r->kind = kind;
    r->arena = c;
    r->arena_bytes = (uint32_t)(sizeof(rec_arena_chunk) + c->cap);
    return r;
}

void *record_alloc(record *r, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    size_t bytes = n * size;
    if (bytes == 0)
        bytes = 1;
    if (bytes > SIZE_MAX - ARENA_GRAIN)
        abort();
    bytes = grain_up(bytes);
    rec_arena_chunk *c = r->arena;
    if (c->cap - c->used < bytes) {
        size_t cap = c->cap * 2;
        if (cap < bytes)
            cap = bytes;
        rec_arena_chunk *nc = chunk_new(cap);
        nc->next = c;
        r->arena = nc;
        size_t total = (size_t)r->arena_bytes + sizeof(rec_arena_chunk) + cap;
        r->arena_bytes = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += bytes;
    memset(p, 0, bytes);
    return p;
}

/* Values that recur in nearly every object: kept as static constants instead of per-record copies
 * (thousands of node pools repeat the same condition types, reasons and messages). */
static const char *known_strings[] = {
    "",
    "True", "False", "Unknown", "true", "false", "0", "1", "2", "3", "25%", "10%",
    /* HostedCluster condition types */
    "Available", "Progressing", "Degraded", "ReconciliationActive", "ReconciliationSucceeded",
    "ValidConfiguration", "SupportedHostedCluster", "ValidReleaseImage", "ValidReleaseInfo",
    "ValidHostedControlPlaneConfiguration", "IgnitionEndpointAvailable", "InfrastructureReady",
    "KubeAPIServerAvailable", "EtcdAvailable", "PlatformCredentialsFound", "ClusterVersionSucceeding",
    "ClusterVersionAvailable", "ClusterVersionProgressing", "ClusterVersionReleaseAccepted",
    "ClusterVersionUpgradeable", "ClusterVersionRetrievedUpdates", "ConfigOperatorReconciliationSucceeded",
    "DataPlaneConnectionAvailable", "ControlPlaneConnectionAvailable", "ExternalDNSReachable",
    "ValidIDPConfiguration", "ValidProxyConfiguration", "UnmanagedEtcdAvailable", "EtcdRecoveryActive",
    "EtcdBackupSucceeded", "EtcdDataEncryptionUpToDate", "HostedClusterDestroyed", "CloudResourcesDestroyed",
    "ValidOIDCConfiguration", "ValidAWSIdentityProvider", "AWSDefaultSecurityGroupCreated",
    "AWSEndpointAvailable", "AWSEndpointServiceAvailable", "ValidAWSKMSConfig", "ValidAzureKMSConfig",
    "Recommended",
    /* NodePool condition types */
    "Ready", "AllMachinesReady", "AllNodesHealthy", "ValidGeneratedPayload", "ValidMachineConfig",
    "ValidTuningConfig", "ValidPlatformImage", "ValidPlatformConfig", "ValidMachineTemplate",
    "ValidArchPlatform", "SupportedVersionSkew", "ReachedIgnitionEndpoint", "UpdateManagementEnabled",
    "AWSSecurityGroupAvailable", "UpdatingVersion", "UpdatingConfig", "UpdatingPlatformMachineTemplate",
    "AutoscalingEnabled", "AutorepairEnabled", "ClusterNetworkCIDRConflict",
    /* pod condition types */
    "PodScheduled", "Initialized", "ContainersReady", "PodReadyToStartContainers",
    /* reasons */
    "AsExpected", "FromClusterVersion", "QuorumAvailable", "EtcdWaitingForQuorum", "Blocked",
    "ReconciliationPaused", "ReconciliatonSucceeded", "WaitingForAvailable", "StatusUnknown",
    "AdminAckRequired", "InvalidImage", "ValidationFailed", "UnsupportedSkew", "NotFound",
    "CrashLoopBackOff", "Error", "Completed", "ContainerCreating", "PodInitializing", "OOMKilled",
    "WaitingForAvailableMachines",
    /* messages */
    "All is well", "Reconciliation active on resource", "The hosted control plane is available",
    "HostedCluster is at expected version", "The hosted cluster is not degraded",
    "Kube APIServer deployment is available", "Release image is valid",
    "HostedCluster is deploying, upgrading, or reconfiguring", "Reconciliation paused until field removed",
    "Reconciliation completed successfully", "Configuration passes validation",
    "HostedCluster is supported by operator configuration", "Ignition server deployment is available",
    "Required platform credentials are found", "The hosted control plane is not found",
    "Invalid value provided for PausedUntil field", "ContainersNotInitialized", "Unschedulable",
    /* versions, phases, policies, platforms */
    "Partial", "Running", "Pending", "Succeeded", "Failed", "Bound", "Lost",
    "HighlyAvailable", "SingleReplica", "Managed", "Unmanaged", "PersistentVolume",
    "AWS", "Azure", "IBMCloud", "KubeVirt", "Agent", "PowerVS", "None", "OpenStack", "GCP",
    "amd64", "arm64", "ppc64le", "s390x", "Multi", "AMD64", "ARM64",
    "Replace", "InPlace", "RollingUpdate", "OnDelete", "ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany",
    "ReadWriteOncePod",
    /* label and annotation keys of interest */
    "app", "hypershift.openshift.io/hosted-control-plane", "hypershift.openshift.io/control-plane-component",
    "hypershift.openshift.io/HasBeenAvailable", "hypershift.openshift.io/force-upgrade-to",
    "hypershift.openshift.io/skip-release-image-validation", "hypershift.openshift.io/restart-date",
    "hypershift.openshift.io/previous-restart-date", "hypershift.openshift.io/nodePool",
    "hypershift.openshift.io/hosted-cluster-size", "hypershift.openshift.io/supported-versions",
    "hypershift.openshift.io/cluster", "hypershift.openshift.io/managed-by", "api.openshift.com/id",
    "etcd-0", "etcd-1", "etcd-2", "data-etcd-0", "data-etcd-1", "data-etcd-2", "ContainersNotReady",
    /* labels, containers, events */
    "etcd", "etcd-metrics", "healthz", "etcd-defrag", "ensure-dns", "reset-member", "etcd-init", "data",
    "Normal", "Warning", "HostedCluster", "NodePool", "Pod", "PersistentVolumeClaim", "ConfigMap",
    "clusters", "hypershift", "supported-versions", "8Gi",
};
#define KNOWN_COUNT (sizeof(known_strings) / sizeof(known_strings[0]))
static bool known_sorted;

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *known_lookup(const char *s)
{
    if (!known_sorted) {
        qsort(known_strings, KNOWN_COUNT, sizeof(known_strings[0]), cmp_str_ptr);
        known_sorted = true;
    }
    const char **hit = bsearch(&s, known_strings, KNOWN_COUNT, sizeof(known_strings[0]), cmp_str_ptr);
    return hit ? *hit : NULL;
}

/* Length of s cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool record_full(const record *r)
{
    /* Bytes used, not reserved: a second decoding pass reserves everything up front. */
    return record_used_bytes(r) >= REC_MAX_BYTES;
}

void record_truncated(record *r, size_t n)
{
    uint32_t room = UINT32_MAX - r->meta.truncated;
    r->meta.truncated += n < room ? (uint32_t)n : room;
}

const char *record_str(record *r, const char *s)
{
    if (!s)
        return NULL;
    if (record_full(r)) {
        record_truncated(r, 1);
        return NULL;
    }
    size_t len = strnlen(s, REC_MAX_STRING + 1);
    if (len <= 64) {
        const char *k = known_lookup(s);
        if (k)
            return k;
    }
    size_t keep = utf8_cut(s, len, REC_MAX_STRING);
    if (keep < len)
        record_truncated(r, 1);
    char *p = record_alloc(r, keep + 1, 1);
    memcpy(p, s, keep);
    p[keep] = '\0';
    return p;
}

void record_free(record *r)
{
    if (!r)
        return;
    /* The record lives in its oldest chunk: read the list head first, touch nothing after. */
    rec_arena_chunk *c = r->arena;
    while (c) {
        rec_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}

const char *cond_status_name(cond_status s)
{
    switch (s) {
    case COND_TRUE: return "True";
    case COND_FALSE: return "False";
    default: return "Unknown";
    }
}

const char *cond_severity_name(cond_severity s)
{
    switch (s) {
    case COND_SEVERITY_NONE: return "";
    case COND_SEVERITY_INFO: return "Info";
    case COND_SEVERITY_WARNING: return "Warning";
    case COND_SEVERITY_ERROR: return "Error";
    default: return "other";
    }
}

const rec_condition *rec_condition_find(const rec_conditions *conds, const char *type)
{
    if (!conds || !type)
        return NULL;
    for (size_t i = 0; i < conds->n; i++)
        if (conds->items[i].type && strcmp(conds->items[i].type, type) == 0)
            return &conds->items[i];
    return NULL;
}

static const char *kv_find(const rec_kv *kv, size_t n, const char *key)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (kv[i].key && strcmp(kv[i].key, key) == 0)
            return kv[i].value;
    return NULL;
}

const char *rec_label(const record *r, const char *key)
{
    return r ? kv_find(r->meta.labels, r->meta.n_labels, key) : NULL;
}

const char *rec_annotation(const record *r, const char *key)
{
    return r ? kv_find(r->meta.annotations, r->meta.n_annotations, key) : NULL;
}
