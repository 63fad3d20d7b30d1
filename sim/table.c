#include "sim/table.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/jsonpath.h"

/* ---------------------------------------------------------------------------------------------- */
/* Accept and includeObject                                                                        */

bool sim_accept_wants_table(const char *accept)
{
    if (!accept)
        return false;
    char *copy = xstrdup(accept);
    bool want = false;
    for (char *s1 = NULL, *mt = strtok_r(copy, ",", &s1); mt && !want; mt = strtok_r(NULL, ",", &s1)) {
        bool as_table = false, group = false, version = false;
        for (char *s2 = NULL, *param = strtok_r(mt, ";", &s2); param; param = strtok_r(NULL, ";", &s2)) {
            while (*param == ' ')
                param++;
            size_t l = strlen(param);
            while (l && param[l - 1] == ' ')
                param[--l] = '\0';
            as_table |= strcmp(param, "as=Table") == 0;
            group |= strcmp(param, "g=meta.k8s.io") == 0;
            version |= strcmp(param, "v=v1") == 0 || strcmp(param, "v=v1beta1") == 0;
        }
        want = as_table && group && version;
    }
    free(copy);
    return want;
}

bool sim_table_include_parse(const char *value, sim_table_include *out)
{
    if (!value || !*value || strcmp(value, "Metadata") == 0)
        *out = SIM_TABLE_METADATA;
    else if (strcmp(value, "Object") == 0)
        *out = SIM_TABLE_OBJECT;
    else if (strcmp(value, "None") == 0)
        *out = SIM_TABLE_NONE;
    else
        return false;
    return true;
}

/* ---------------------------------------------------------------------------------------------- */
/* Columns                                                                                         */

#define NAME_DESC                                                                                                     \
    "Name must be unique within a namespace. Is required when creating resources, although some resources may "   \
    "allow a client to request the generation of an appropriate name automatically. Name is primarily intended "    \
    "for creation idempotence and configuration definition. Cannot be updated. More info: "                         \
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
#define AGE_DESC                                                                                                      \
    "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "        \
    "guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It "  \
    "is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More "     \
    "info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

typedef cJSON *(*cell_fn)(const cJSON *obj, time_t now);

typedef struct column {
    const char *name;
    const char *type; /* string, integer, date */
    int priority;
    const char *description;
    const char *json_path; /* CRD columns: evaluated with sim_jsonpath_first */
    cell_fn cell;          /* built-in columns */
} column;

static cJSON *str_or_none(const char *s)
{
    return cJSON_CreateString(s && *s ? s : "<none>");
}

static cJSON *cell_name(const cJSON *o, time_t now)
{
    (void)now;
    return cJSON_CreateString(json_str_at(o, "metadata", "name", NULL) ? json_str_at(o, "metadata", "name", NULL) : "");
}

static int64_t age_of(const char *ts, time_t now)
{
    time_t t;
    return ts && rfc3339_parse(ts, &t) ? (int64_t)(now - t) : -1;
}

static cJSON *age_cell(const char *ts, time_t now)
{
    int64_t secs = age_of(ts, now);
    if (secs < 0)
        return cJSON_CreateString("<unknown>");
    char out[32];
    age_format(secs, out, sizeof out);
    return cJSON_CreateString(out);
}

static cJSON *cell_age(const cJSON *o, time_t now)
{
    return age_cell(json_str_at(o, "metadata", "creationTimestamp", NULL), now);
}

static cJSON *cell_phase(const cJSON *o, time_t now)
{
    (void)now;
    return cJSON_CreateString(json_str_at(o, "status", "phase", NULL) ? json_str_at(o, "status", "phase", NULL) : "");
}

static cJSON *cell_none(const cJSON *o, time_t now)
{
    (void)o;
    (void)now;
    return cJSON_CreateString("<none>");
}

/* pods ------------------------------------------------------------------------------------------ */

static cJSON *cell_pod_ready(const cJSON *o, time_t now)
{
    (void)now;
    int total = cJSON_GetArraySize(json_at(o, "spec", "containers", NULL)), ready = 0;
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(o, "status", "containerStatuses", NULL))
    ready += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cs, "ready"));
    char out[32];
    snprintf(out, sizeof out, "%d/%d", ready, total);
    return cJSON_CreateString(out);
}

/* kubectl's reason: a waiting or terminated container's reason wins over the phase. */
static cJSON *cell_pod_status(const cJSON *o, time_t now)
{
    (void)now;
    if (json_at(o, "metadata", "deletionTimestamp", NULL))
        return cJSON_CreateString("Terminating");
    const char *reason = json_str_at(o, "status", "reason", NULL);
    if (!reason)
        reason = json_str_at(o, "status", "phase", NULL);
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(o, "status", "containerStatuses", NULL))
    {
        const char *w = json_str_at(cs, "state", "waiting", "reason", NULL);
        const char *t = json_str_at(cs, "state", "terminated", "reason", NULL);
        if (w && *w)
            reason = w;
        else if (t && *t)
            reason = t;
    }
    return cJSON_CreateString(reason ? reason : "Unknown");
}

static cJSON *cell_pod_restarts(const cJSON *o, time_t now)
{
    int64_t restarts = 0, n;
    const char *last = NULL;
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(o, "status", "containerStatuses", NULL))
    {
        if (json_int_at(&n, cs, "restartCount", NULL) && n > 0 && n < 1000000000)
            restarts += n;
        const char *fin = json_str_at(cs, "lastState", "terminated", "finishedAt", NULL);
        if (fin && (!last || strcmp(fin, last) > 0))
            last = fin;
    }
    char out[64];
    int64_t ago = age_of(last, now);
    if (restarts > 0 && ago >= 0) {
        char age[32];
        age_format(ago, age, sizeof age);
        snprintf(out, sizeof out, "%lld (%s ago)", (long long)restarts, age);
    } else {
        snprintf(out, sizeof out, "%lld", (long long)restarts);
    }
    return cJSON_CreateString(out);
}

static cJSON *cell_pod_ip(const cJSON *o, time_t now)
{
    (void)now;
    return str_or_none(json_str_at(o, "status", "podIP", NULL));
}

static cJSON *cell_pod_node(const cJSON *o, time_t now)
{
    (void)now;
    return str_or_none(json_str_at(o, "spec", "nodeName", NULL));
}

/* pvcs ------------------------------------------------------------------------------------------- */

/* kubectl's printPersistentVolumeClaim (pkg/printers/internalversion/printers.go): a claim being
 * deleted shows Terminating, whatever its phase. */
static cJSON *cell_pvc_status(const cJSON *o, time_t now)
{
    if (json_at(o, "metadata", "deletionTimestamp", NULL))
        return cJSON_CreateString("Terminating");
    return cell_phase(o, now);
}

static cJSON *cell_pvc_volume(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "spec", "volumeName", NULL);
    return cJSON_CreateString(v ? v : "");
}

static cJSON *cell_pvc_capacity(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "status", "capacity", "storage", NULL);
    return cJSON_CreateString(v ? v : "");
}

static cJSON *cell_pvc_modes(const cJSON *o, time_t now)
{
    (void)now;
    buf b = BUF_INIT;
    const cJSON *m;
    cJSON_ArrayForEach(m, json_at(o, "status", "accessModes", NULL))
    {
        if (!cJSON_IsString(m))
            continue;
        const char *s = m->valuestring;
        const char *abbr = strcmp(s, "ReadWriteOnce") == 0      ? "RWO"
                           : strcmp(s, "ReadOnlyMany") == 0     ? "ROX"
                           : strcmp(s, "ReadWriteMany") == 0    ? "RWX"
                           : strcmp(s, "ReadWriteOncePod") == 0 ? "RWOP"
                                                                : s;
        buf_printf(&b, "%s%s", b.len ? "," : "", abbr);
    }
    cJSON *c = cJSON_CreateString(buf_str(&b));
    buf_free(&b);
    return c;
}

static cJSON *cell_pvc_class(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "spec", "storageClassName", NULL);
    return cJSON_CreateString(v ? v : "");
}

static cJSON *cell_unset(const cJSON *o, time_t now)
{
    (void)o;
    (void)now;
    return cJSON_CreateString("<unset>");
}

static cJSON *cell_pvc_mode(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "spec", "volumeMode", NULL);
    return cJSON_CreateString(v ? v : "Filesystem");
}

/* configmaps, secrets ---------------------------------------------------------------------------- */

static cJSON *cell_data_count(const cJSON *o, time_t now)
{
    (void)now;
    return cJSON_CreateNumber(cJSON_GetArraySize(json_at(o, "data", NULL)) +
                              cJSON_GetArraySize(json_at(o, "binaryData", NULL)) +
                              cJSON_GetArraySize(json_at(o, "stringData", NULL)));
}

static cJSON *cell_secret_type(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "type", NULL);
    return cJSON_CreateString(v ? v : "Opaque");
}

/* services --------------------------------------------------------------------------------------- */

static cJSON *cell_svc_type(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "spec", "type", NULL);
    return cJSON_CreateString(v ? v : "ClusterIP");
}

static cJSON *cell_svc_ip(const cJSON *o, time_t now)
{
    (void)now;
    return str_or_none(json_str_at(o, "spec", "clusterIP", NULL));
}

static cJSON *cell_svc_ports(const cJSON *o, time_t now)
{
    (void)now;
    buf b = BUF_INIT;
    const cJSON *p;
    cJSON_ArrayForEach(p, json_at(o, "spec", "ports", NULL))
    {
        int64_t port = 0, node_port = 0;
        json_int_at(&port, p, "port", NULL);
        const char *proto = json_str_at(p, "protocol", NULL);
        buf_printf(&b, "%s%lld", b.len ? "," : "", (long long)port);
        if (json_int_at(&node_port, p, "nodePort", NULL) && node_port)
            buf_printf(&b, ":%lld", (long long)node_port);
        buf_printf(&b, "/%s", proto ? proto : "TCP");
    }
    cJSON *c = str_or_none(buf_str(&b));
    buf_free(&b);
    return c;
}

static cJSON *cell_selector_map(const cJSON *sel)
{
    buf b = BUF_INIT;
    const cJSON *kv;
    cJSON_ArrayForEach(kv, sel)
    {
        if (cJSON_IsString(kv))
            buf_printf(&b, "%s%s=%s", b.len ? "," : "", kv->string, kv->valuestring);
    }
    cJSON *c = str_or_none(buf_str(&b));
    buf_free(&b);
    return c;
}

static cJSON *cell_svc_selector(const cJSON *o, time_t now)
{
    (void)now;
    return cell_selector_map(json_at(o, "spec", "selector", NULL));
}

/* events ----------------------------------------------------------------------------------------- */

static const char *event_last_time(const cJSON *o)
{
    const char *t = json_str_at(o, "lastTimestamp", NULL);
    if (!t)
        t = json_str_at(o, "eventTime", NULL);
    if (!t)
        t = json_str_at(o, "metadata", "creationTimestamp", NULL);
    return t;
}

static cJSON *cell_event_last(const cJSON *o, time_t now)
{
    return age_cell(event_last_time(o), now);
}

static cJSON *cell_event_first(const cJSON *o, time_t now)
{
    const char *t = json_str_at(o, "firstTimestamp", NULL);
    return age_cell(t ? t : event_last_time(o), now);
}

static cJSON *cell_event_str(const cJSON *o, const char *key)
{
    const char *v = json_str_at(o, key, NULL);
    return cJSON_CreateString(v ? v : "");
}

static cJSON *cell_event_type(const cJSON *o, time_t now)
{
    (void)now;
    return cell_event_str(o, "type");
}

static cJSON *cell_event_reason(const cJSON *o, time_t now)
{
    (void)now;
    return cell_event_str(o, "reason");
}

static cJSON *cell_event_message(const cJSON *o, time_t now)
{
    (void)now;
    return cell_event_str(o, "message");
}

static cJSON *cell_event_object(const cJSON *o, time_t now)
{
    (void)now;
    const char *kind = json_str_at(o, "involvedObject", "kind", NULL);
    const char *name = json_str_at(o, "involvedObject", "name", NULL);
    char out[512];
    snprintf(out, sizeof out, "%s/%s", kind ? kind : "", name ? name : "");
    for (char *c = out; *c && *c != '/'; c++) /* kubectl lower-cases the kind */
        *c = (char)tolower((unsigned char)*c);
    return cJSON_CreateString(out);
}

static cJSON *cell_event_subobject(const cJSON *o, time_t now)
{
    (void)now;
    const char *v = json_str_at(o, "involvedObject", "fieldPath", NULL);
    return cJSON_CreateString(v ? v : "");
}

static cJSON *cell_event_source(const cJSON *o, time_t now)
{
    (void)now;
    const char *c = json_str_at(o, "source", "component", NULL);
    if (!c)
        c = json_str_at(o, "reportingComponent", NULL);
    return cJSON_CreateString(c ? c : "");
}

static cJSON *cell_event_count(const cJSON *o, time_t now)
{
    (void)now;
    int64_t n = 1;
    json_int_at(&n, o, "count", NULL);
    return cJSON_CreateNumber((double)n);
}

/* workloads -------------------------------------------------------------------------------------- */

static int64_t int_or_zero(const cJSON *o, const char *a, const char *b)
{
    int64_t v = 0;
    json_int_at(&v, o, a, b, NULL);
    return v;
}

static cJSON *cell_workload_ready(const cJSON *o, time_t now)
{
    (void)now;
    char out[48];
    int64_t want = 1;
    json_int_at(&want, o, "spec", "replicas", NULL);
    snprintf(out, sizeof out, "%lld/%lld", (long long)int_or_zero(o, "status", "readyReplicas"), (long long)want);
    return cJSON_CreateString(out);
}

static cJSON *cell_deploy_updated(const cJSON *o, time_t now)
{
    (void)now;
    return cJSON_CreateNumber((double)int_or_zero(o, "status", "updatedReplicas"));
}

static cJSON *cell_deploy_available(const cJSON *o, time_t now)
{
    (void)now;
    return cJSON_CreateNumber((double)int_or_zero(o, "status", "availableReplicas"));
}

static cJSON *join_containers(const cJSON *o, const char *key)
{
    buf b = BUF_INIT;
    const cJSON *c;
    cJSON_ArrayForEach(c, json_at(o, "spec", "template", "spec", "containers", NULL))
    {
        const char *v = json_str_at(c, key, NULL);
        if (v)
            buf_printf(&b, "%s%s", b.len ? "," : "", v);
    }
    cJSON *r = cJSON_CreateString(buf_str(&b));
    buf_free(&b);
    return r;
}

static cJSON *cell_containers(const cJSON *o, time_t now)
{
    (void)now;
    return join_containers(o, "name");
}

static cJSON *cell_images(const cJSON *o, time_t now)
{
    (void)now;
    return join_containers(o, "image");
}

static cJSON *cell_deploy_selector(const cJSON *o, time_t now)
{
    (void)now;
    return cell_selector_map(json_at(o, "spec", "selector", "matchLabels", NULL));
}

/* the column sets -------------------------------------------------------------------------------- */

#define NAME_COL {"Name", "string", 0, NAME_DESC, NULL, cell_name}
#define AGE_COL {"Age", "string", 0, AGE_DESC, NULL, cell_age}
#define END_COL {NULL, NULL, 0, NULL, NULL, NULL}

static const column hc_cols[] = {
    NAME_COL,
    {"Version", "string", 0, "Version", ".status.version.history[?(@.state==\"Completed\")].version", NULL},
    {"CP Version", "string", 0, "Control Plane Version",
     ".status.controlPlaneVersion.history[?(@.state==\"Completed\")].version", NULL},
    {"KubeConfig", "string", 0, "KubeConfig Secret", ".status.kubeconfig.name", NULL},
    {"Progress", "string", 0, "Progress", ".status.version.history[?(@.state!=\"\")].state", NULL},
    {"Available", "string", 0, "Available", ".status.conditions[?(@.type==\"Available\")].status", NULL},
    {"Progressing", "string", 0, "Progressing", ".status.conditions[?(@.type==\"Progressing\")].status", NULL},
    {"Message", "string", 0, "Message", ".status.conditions[?(@.type==\"Available\")].message", NULL},
    {"CP Progress", "string", 1, "Control Plane Progress", ".status.controlPlaneVersion.history[0].state", NULL},
    {"DP Progress", "string", 1, "Data Plane Progress", ".status.version.history[0].state", NULL},
    END_COL,
};

static const column np_cols[] = {
    NAME_COL,
    {"Cluster", "string", 0, "Cluster", ".spec.clusterName", NULL},
    {"Desired Nodes", "integer", 0, "Desired Nodes", ".spec.replicas", NULL},
    {"Current Nodes", "integer", 0, "Available Nodes", ".status.replicas", NULL},
    {"Autoscaling", "string", 0, "Autoscaling Enabled", ".status.conditions[?(@.type==\"AutoscalingEnabled\")].status",
     NULL},
    {"Autorepair", "string", 0, "Node Autorepair Enabled",
     ".status.conditions[?(@.type==\"AutorepairEnabled\")].status", NULL},
    {"Version", "string", 0, "Current version", ".status.version", NULL},
    {"UpdatingVersion", "string", 0, "UpdatingVersion in progress",
     ".status.conditions[?(@.type==\"UpdatingVersion\")].status", NULL},
    {"UpdatingConfig", "string", 0, "UpdatingConfig in progress",
     ".status.conditions[?(@.type==\"UpdatingConfig\")].status", NULL},
    {"Message", "string", 0, "Message", ".status.conditions[?(@.type==\"Ready\")].message", NULL},
    END_COL,
};

/* A CRD without printer columns gets Name and Age, the Age cell being the timestamp (type date). */
static const column hcp_cols[] = {
    NAME_COL,
    {"Age", "date", 0, AGE_DESC, ".metadata.creationTimestamp", NULL},
    END_COL,
};

static const column ns_cols[] = {
    NAME_COL,
    {"Status", "string", 0, "The status of the namespace", NULL, cell_phase},
    AGE_COL,
    END_COL,
};

static const column pod_cols[] = {
    NAME_COL,
    {"Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic.", NULL, cell_pod_ready},
    {"Status", "string", 0, "The aggregate status of the containers in this pod.", NULL, cell_pod_status},
    {"Restarts", "string", 0, "The number of times the containers in this pod have been restarted and when the last "
                              "container in this pod has restarted.", NULL, cell_pod_restarts},
    AGE_COL,
    {"IP", "string", 1, "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
                        "allocated.", NULL, cell_pod_ip},
    {"Node", "string", 1, "NodeName is a request to schedule this pod onto a specific node.", NULL, cell_pod_node},
    {"Nominated Node", "string", 1, "nominatedNodeName is set only when this pod preempts other pods on the node.",
     NULL, cell_none},
    {"Readiness Gates", "string", 1, "If specified, all readiness gates will be evaluated for pod readiness.", NULL,
     cell_none},
    END_COL,
};

static const column pvc_cols[] = {
    NAME_COL,
    {"Status", "string", 0, "Phase represents the current phase of PersistentVolumeClaim.", NULL, cell_pvc_status},
    {"Volume", "string", 0, "VolumeName is the binding reference to the PersistentVolume backing this claim.", NULL,
     cell_pvc_volume},
    {"Capacity", "string", 0, "Capacity represents the actual resources of the underlying volume.", NULL,
     cell_pvc_capacity},
    {"Access Modes", "string", 0, "AccessModes contains the actual access modes the volume backing the PVC has.",
     NULL, cell_pvc_modes},
    {"StorageClass", "string", 0, "StorageClassName is the name of the StorageClass required by the claim.", NULL,
     cell_pvc_class},
    {"VolumeAttributesClass", "string", 0, "The VolumeAttributesClass used by this claim.", NULL, cell_unset},
    AGE_COL,
    {"VolumeMode", "string", 1, "volumeMode defines what type of volume is required by the claim.", NULL,
     cell_pvc_mode},
    END_COL,
};

static const column cm_cols[] = {
    NAME_COL,
    {"Data", "string", 0, "Data contains the configuration data.", NULL, cell_data_count},
    AGE_COL,
    END_COL,
};

static const column secret_cols[] = {
    NAME_COL,
    {"Type", "string", 0, "Used to facilitate programmatic handling of secret data.", NULL, cell_secret_type},
    {"Data", "string", 0, "Data contains the secret data.", NULL, cell_data_count},
    AGE_COL,
    END_COL,
};

static const column svc_cols[] = {
    NAME_COL,
    {"Type", "string", 0, "type determines how the Service is exposed.", NULL, cell_svc_type},
    {"Cluster-IP", "string", 0, "clusterIP is the IP address of the service.", NULL, cell_svc_ip},
    {"External-IP", "string", 0, "externalIPs is a list of IP addresses for which nodes in the cluster will also "
                                 "accept traffic for this service.", NULL, cell_none},
    {"Port(s)", "string", 0, "The list of ports that are exposed by this service.", NULL, cell_svc_ports},
    AGE_COL,
    {"Selector", "string", 1, "Route service traffic to pods with label keys and values matching this selector.",
     NULL, cell_svc_selector},
    END_COL,
};

static const column event_cols[] = {
    {"Last Seen", "string", 0, "The time at which the most recent occurrence of this event was recorded.", NULL,
     cell_event_last},
    {"Type", "string", 0, "Type of this event (Normal, Warning).", NULL, cell_event_type},
    {"Reason", "string", 0, "This should be a short, machine understandable string.", NULL, cell_event_reason},
    {"Object", "string", 0, "The object that this event is about.", NULL, cell_event_object},
    {"Subobject", "string", 1, "The subobject that this event is about.", NULL, cell_event_subobject},
    {"Source", "string", 1, "The component reporting this event.", NULL, cell_event_source},
    {"Message", "string", 0, "A human-readable description of the status of this operation.", NULL,
     cell_event_message},
    {"First Seen", "string", 1, "The time at which the event was first recorded.", NULL, cell_event_first},
    {"Count", "string", 1, "The number of times this event has occurred.", NULL, cell_event_count},
    {"Name", "string", 1, NAME_DESC, NULL, cell_name},
    END_COL,
};

static const column sts_cols[] = {
    NAME_COL,
    {"Ready", "string", 0, "Number of the pod with ready state", NULL, cell_workload_ready},
    AGE_COL,
    {"Containers", "string", 1, "Names of each container in the template.", NULL, cell_containers},
    {"Images", "string", 1, "Images referenced by each container in the template.", NULL, cell_images},
    END_COL,
};

static const column deploy_cols[] = {
    NAME_COL,
    {"Ready", "string", 0, "Number of the pod with ready state", NULL, cell_workload_ready},
    {"Up-to-date", "string", 0, "Total number of non-terminated pods targeted by this deployment that have the "
                                "desired template spec.", NULL, cell_deploy_updated},
    {"Available", "string", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by "
                               "this deployment.", NULL, cell_deploy_available},
    AGE_COL,
    {"Containers", "string", 1, "Names of each container in the template.", NULL, cell_containers},
    {"Images", "string", 1, "Images referenced by each container in the template.", NULL, cell_images},
    {"Selector", "string", 1, "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be "
                              "the ones affected by this deployment.", NULL, cell_deploy_selector},
    END_COL,
};

static const column *columns_of(const sim_kind *k)
{
    switch (k->id) {
    case SIM_HOSTEDCLUSTER: return hc_cols;
    case SIM_NODEPOOL: return np_cols;
    case SIM_HOSTEDCONTROLPLANE: return hcp_cols;
    case SIM_NAMESPACE: return ns_cols;
    case SIM_POD: return pod_cols;
    case SIM_PVC: return pvc_cols;
    case SIM_CONFIGMAP: return cm_cols;
    case SIM_SECRET: return secret_cols;
    case SIM_SERVICE: return svc_cols;
    case SIM_EVENT: return event_cols;
    case SIM_STATEFULSET: return sts_cols;
    case SIM_DEPLOYMENT: return deploy_cols;
    default: return hcp_cols;
    }
}

static cJSON *column_definitions(const column *cols)
{
    cJSON *defs = cJSON_CreateArray();
    for (const column *c = cols; c->name; c++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "name", c->name);
        cJSON_AddStringToObject(d, "type", c->type);
        cJSON_AddStringToObject(d, "format", c->cell == cell_name ? "name" : "");
        cJSON_AddStringToObject(d, "description", c->description);
        cJSON_AddNumberToObject(d, "priority", c->priority);
        cJSON_AddItemToArray(defs, d);
    }
    return defs;
}

/* A CRD cell: the first match, as the column type wants it; null when nothing matches. A date
 * becomes an age, as the apiextensions table converter writes it. */
static cJSON *crd_cell(const column *c, const cJSON *obj, time_t now)
{
    const cJSON *v = sim_jsonpath_first(obj, c->json_path);
    if (!v || cJSON_IsNull(v))
        return cJSON_CreateNull();
    if (strcmp(c->type, "date") == 0 && cJSON_IsString(v))
        return age_cell(v->valuestring, now);
    if (strcmp(c->type, "integer") == 0)
        return cJSON_IsNumber(v) ? cJSON_CreateNumber(v->valuedouble) : cJSON_CreateNull();
    if (cJSON_IsString(v))
        return cJSON_CreateString(v->valuestring);
    if (cJSON_IsBool(v))
        return cJSON_CreateString(cJSON_IsTrue(v) ? "true" : "false");
    char *text = cJSON_PrintUnformatted(v);
    cJSON *cell = cJSON_CreateString(text ? text : "");
    free(text);
    return cell;
}

static cJSON *row_object(const sim_kind *k, const cJSON *obj, sim_table_include inc)
{
    if (inc == SIM_TABLE_OBJECT)
        return cJSON_Duplicate(obj, true);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "kind", "PartialObjectMetadata");
    cJSON_AddStringToObject(p, "apiVersion", "meta.k8s.io/v1");
    const cJSON *meta = json_at(obj, "metadata", NULL);
    cJSON_AddItemToObject(p, "metadata", meta ? cJSON_Duplicate(meta, true) : cJSON_CreateObject());
    (void)k;
    return p;
}

static cJSON *row_of(const sim_kind *k, const column *cols, const cJSON *obj, sim_table_include inc, time_t now)
{
    cJSON *row = cJSON_CreateObject();
    cJSON *cells = cJSON_AddArrayToObject(row, "cells");
    for (const column *c = cols; c->name; c++)
        cJSON_AddItemToArray(cells, c->cell ? c->cell(obj, now) : crd_cell(c, obj, now));
    if (inc != SIM_TABLE_NONE)
        cJSON_AddItemToObject(row, "object", row_object(k, obj, inc));
    return row;
}

static cJSON *table_head(const column *cols, const char *rv, const char *cont)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "kind", "Table");
    cJSON_AddStringToObject(t, "apiVersion", "meta.k8s.io/v1");
    cJSON *meta = cJSON_AddObjectToObject(t, "metadata");
    if (rv)
        cJSON_AddStringToObject(meta, "resourceVersion", rv);
    if (cont && *cont)
        cJSON_AddStringToObject(meta, "continue", cont);
    cJSON_AddItemToObject(t, "columnDefinitions", column_definitions(cols));
    cJSON_AddArrayToObject(t, "rows");
    return t;
}

cJSON *sim_table_of_list(const sim_kind *k, const cJSON *list, sim_table_include inc, time_t now)
{
    const column *cols = columns_of(k);
    cJSON *t = table_head(cols, json_str_at(list, "metadata", "resourceVersion", NULL),
                          json_str_at(list, "metadata", "continue", NULL));
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(t, "rows");
    const cJSON *item;
    cJSON_ArrayForEach(item, json_at(list, "items", NULL))
    cJSON_AddItemToArray(rows, row_of(k, cols, item, inc, now));
    return t;
}

cJSON *sim_table_of_object(const sim_kind *k, const cJSON *obj, sim_table_include inc, time_t now)
{
    const column *cols = columns_of(k);
    cJSON *t = table_head(cols, json_str_at(obj, "metadata", "resourceVersion", NULL), NULL);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(t, "rows"), row_of(k, cols, obj, inc, now));
    return t;
}
