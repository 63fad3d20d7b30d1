/* Compact typed records: what the panes, detail views and actions need from each watched object.
 *
 * A record is decoded once from a cJSON object (client/decode.h) and owns all its memory: every
 * string and array lives in the record's arena (or points at a static well-known constant), so
 * record_free() is the only way to release one and no pointer ever leads into a cJSON tree.
 *
 * "Unknown" is always representable: a NULL string, a has_ flag that is false, COND_UNKNOWN,
 * CTR_STATE_UNKNOWN, or a time of 0 (REC_TIME_UNKNOWN). Strings from the cluster are stored as data,
 * unsanitized (they may hold control characters): the UI sanitizes before drawing. */
#ifndef HCP_CLIENT_RECORDS_H
#define HCP_CLIENT_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "client/kinds.h" /* res_kind: the watched kinds */

/* Bounds that keep a hostile object from blowing memory; beyond them entries are dropped (counted in
 * rec_meta.truncated) and strings are cut (at a UTF-8 boundary) to REC_MAX_STRING bytes. */
#define REC_MAX_STRING 4096
#define REC_MAX_CONDITIONS 100
#define REC_MAX_HISTORY 100
#define REC_MAX_UPDATES 100
#define REC_MAX_RISKS 32
#define REC_MAX_CHANNELS 32
#define REC_MAX_KV 64 /* labels / annotations of interest */
#define REC_MAX_CONTAINERS 32
#define REC_MAX_NODE_VERSIONS 32
#define REC_MAX_VERSIONS 64 /* supported-versions entries */

/* A record's whole arena stops growing here: past it strings become unknown and arrays stop (a
 * hostile object nesting 100 updates of 100 conditions of 4 KB messages would otherwise take 100+ MB). */
#define REC_MAX_BYTES (256u * 1024u)

#define REC_TIME_UNKNOWN ((time_t)0)

typedef struct rec_arena_chunk rec_arena_chunk; /* private to records.c */

typedef struct rec_kv {
    const char *key;
    const char *value;
} rec_kv;

typedef enum cond_status { COND_UNKNOWN = 0, COND_TRUE, COND_FALSE } cond_status;

/* A NodePoolCondition's severity (Cluster API): none, Info, Warning, Error, or another word. */
typedef enum cond_severity {
    COND_SEVERITY_NONE = 0,
    COND_SEVERITY_INFO,
    COND_SEVERITY_WARNING,
    COND_SEVERITY_ERROR,
    COND_SEVERITY_OTHER
} cond_severity;

/* A metav1.Condition, or a NodePoolCondition (which adds severity and may have an empty reason).
 * Small types keep it at 40 bytes: a fleet holds hundreds of thousands of conditions. */
typedef struct rec_condition {
    const char *type;
    const char *reason;
    const char *message;
    time_t last_transition;
    int32_t observed_generation; /* a value beyond int32 counts as unknown */
    bool has_observed_generation;
    uint8_t status;   /* a cond_status */
    uint8_t severity; /* a cond_severity (NodePool conditions only) */
} rec_condition;

typedef struct rec_conditions {
    rec_condition *items;
    size_t n;
} rec_conditions;

typedef struct rec_strings {
    const char **items;
    size_t n;
} rec_strings;

/* Identity and metadata common to every kind. */
typedef struct rec_meta {
    const char *namespace;
    const char *name;
    const char *uid;
    const char *resource_version;
    int64_t generation;
    time_t created;
    time_t deleted; /* deletionTimestamp; REC_TIME_UNKNOWN when not being deleted */
    /* Labels of interest: "app", "hypershift.openshift.io/..." and "api.openshift.com/..." keys. */
    rec_kv *labels;
    /* Annotations of interest: keys containing "hypershift.openshift.io/" or starting with "hcptui". */
    rec_kv *annotations;
    uint32_t n_labels;
    uint32_t n_annotations;
    /* How many entries or strings the caps dropped while decoding (0 for any sane object). */
    uint32_t truncated;
    bool has_generation;
} rec_meta;

/* ---- HostedCluster ---------------------------------------------------------------------------- */

typedef struct rec_release {
    const char *version;
    const char *image;
    const char *url;
    rec_strings channels;
} rec_release;

typedef struct rec_history {
    const char *state; /* "Completed" | "Partial" | other/NULL */
    const char *version;
    const char *image;
    time_t started;
    time_t completed; /* REC_TIME_UNKNOWN when null (still in progress) */
    bool verified;
    bool has_verified;
} rec_history;

typedef struct rec_risk {
    const char *name;
    const char *message;
    const char *url;
} rec_risk;

typedef struct rec_conditional_update {
    rec_release release;
    rec_risk *risks;
    size_t n_risks;
    rec_conditions conditions; /* normally one "Recommended" */
} rec_conditional_update;

/* status.version (ClusterVersion mirror) or status.controlPlaneVersion (no updates there). */
typedef struct rec_version_status {
    bool present;
    rec_release desired;
    rec_history *history; /* newest first, as the API keeps it */
    size_t n_history;
    rec_release *available_updates;
    size_t n_available_updates;
    bool available_updates_null; /* the API said null (or did not say): no update data at all */
    rec_conditional_update *conditional_updates;
    size_t n_conditional_updates;
    int64_t observed_generation;
    bool has_observed_generation;
} rec_version_status;

typedef struct hc_record {
    const char *release_image;    /* spec.release.image */
    const char *cp_release_image; /* spec.controlPlaneRelease.image */
    const char *channel;
    const char *paused_until; /* raw; interpret with derive_paused() */
    const char *controller_availability;     /* "HighlyAvailable" | "SingleReplica" | NULL */
    const char *infrastructure_availability; /* same values */
    const char *platform;                    /* spec.platform.type */
    const char *etcd_management;             /* "Managed" | "Unmanaged" */
    const char *etcd_storage_size;           /* "8Gi" */
    const char *etcd_storage_class;
    rec_version_status version;    /* status.version */
    rec_version_status cp_version; /* status.controlPlaneVersion */
    rec_conditions conditions;
    const char *kubeconfig_secret; /* status.kubeconfig.name */
    const char *endpoint_host;     /* status.controlPlaneEndpoint.host */
    int64_t endpoint_port;
    bool has_endpoint_port;
    const char *payload_arch;
} hc_record;

/* ---- NodePool --------------------------------------------------------------------------------- */

typedef struct rec_node_version {
    const char *ocp_version;
    const char *kubelet_version;
    int64_t ready;
    int64_t unready;
} rec_node_version;

typedef struct np_record {
    const char *cluster_name;
    int64_t replicas;
    int64_t autoscaling_min;
    int64_t autoscaling_max;
    bool has_replicas;
    bool has_autoscaling;
    bool has_autoscaling_min;
    bool has_autoscaling_max;
    bool auto_repair;
    bool has_auto_repair;
    bool has_status_replicas;
    const char *release_image;
    const char *upgrade_type;     /* "Replace" | "InPlace" */
    const char *replace_strategy; /* "RollingUpdate" | "OnDelete" */
    const char *max_surge;        /* IntOrString as text: "1", "10%" */
    const char *max_unavailable;  /* replace.rollingUpdate or inPlace */
    const char *node_drain_timeout;
    const char *node_volume_detach_timeout;
    const char *paused_until;
    const char *arch;
    const char *platform;
    int64_t status_replicas;
    const char *version; /* status.version */
    rec_node_version *node_versions;
    size_t n_node_versions;
    rec_conditions conditions;
} np_record;

/* ---- Pod (etcd member) ------------------------------------------------------------------------ */

typedef enum ctr_state_kind { CTR_STATE_UNKNOWN = 0, CTR_RUNNING, CTR_WAITING, CTR_TERMINATED } ctr_state_kind;

/* (Fields are ordered to avoid padding: tens of thousands of these are held.) */
typedef struct rec_ctr_state {
    const char *reason;  /* waiting / terminated */
    const char *message; /* waiting / terminated */
    time_t started_at;   /* running (and terminated) */
    time_t finished_at;  /* terminated */
    int32_t exit_code;   /* terminated (an int32 in the API) */
    uint8_t kind;        /* a ctr_state_kind */
    bool has_exit_code;
} rec_ctr_state;

typedef struct rec_container_status {
    const char *name;
    rec_ctr_state state;
    rec_ctr_state last_state; /* lastState: normally terminated or unknown */
    int32_t restart_count;    /* an int32 in the API; negative or absurd values read as 0 */
    bool ready;
} rec_container_status;

typedef struct pod_record {
    const char *app_label;           /* labels["app"] */
    const char *control_plane_label; /* labels["hypershift.openshift.io/hosted-control-plane"] */
    const char *phase;
    const char *node_name;
    const char *pod_ip;
    time_t start_time;
    const char *data_claim; /* the "data" volume's persistentVolumeClaim.claimName */
    rec_container_status *containers;
    size_t n_containers;
    rec_container_status *init_containers;
    size_t n_init_containers;
    cond_status ready; /* condition Ready */
    time_t ready_since;
} pod_record;

/* ---- PersistentVolumeClaim -------------------------------------------------------------------- */

typedef struct pvc_record {
    const char *phase;    /* "Bound" | "Pending" | "Lost" */
    const char *capacity; /* status.capacity.storage */
    const char *requested; /* spec.resources.requests.storage */
    const char *storage_class;
    const char *volume_name;
    rec_strings access_modes;
} pvc_record;

/* ---- supported-versions ConfigMap ------------------------------------------------------------- */

typedef struct sv_record {
    rec_strings versions;       /* "4.19", ... newest first as the operator writes them */
    bool versions_valid;        /* data["supported-versions"] was a JSON string holding {"versions":[...]} */
    const char *server_version; /* data["server-version"] (the operator build's commit) */
} sv_record;

/* ---- Event ------------------------------------------------------------------------------------ */

typedef struct event_record {
    const char *involved_kind;
    const char *involved_namespace;
    const char *involved_name;
    const char *involved_uid;
    const char *type; /* "Normal" | "Warning" */
    const char *reason;
    const char *message;
    int64_t count; /* count, else series.count, else 1 when the event exists */
    time_t first_timestamp;
    time_t last_timestamp; /* lastTimestamp, else series.lastObservedTime, else eventTime, else first */
    time_t event_time;
    const char *source_component; /* source.component, else reportingComponent */
} event_record;

/* ---- the record --------------------------------------------------------------------------------- */

/* A record is allocated only as large as its kind needs (the union ends at the member in use), so
 * never copy one by value: pass pointers, and read only u.<member of r->kind>. */
typedef struct record {
    rec_arena_chunk *arena; /* owns the record itself and every string and array in it */
    uint32_t arena_bytes;   /* bytes reserved by the arena (for memory accounting) */
    res_kind kind;
    rec_meta meta;
    union {
        hc_record hc;
        np_record np;
        pod_record pod;
        pvc_record pvc;
        sv_record sv;
        event_record ev;
    } u;
} record;

/* Frees the record and everything it owns. NULL is fine. */
void record_free(record *r);

/* The first condition of that type, or NULL. */
const rec_condition *rec_condition_find(const rec_conditions *conds, const char *type);
/* The value of a label/annotation of interest, or NULL. */
const char *rec_label(const record *r, const char *key);
const char *rec_annotation(const record *r, const char *key);
/* "True" / "False" / "Unknown". */
const char *cond_status_name(cond_status s);
/* "" / "Info" / "Warning" / "Error" / "other". */
const char *cond_severity_name(cond_severity s);

#endif
