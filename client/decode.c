/* Decoders from Kubernetes JSON objects to records. Every reader here tolerates a missing or mistyped
 * field (it stays "unknown") and every array is capped, so no object can crash or bloat the console. */
#include "client/decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "client/record_arena.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

/* ---- field readers ------------------------------------------------------------------------------ */

static const cJSON *child(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

static const char *str_of(record *r, const cJSON *obj, const char *key)
{
    const cJSON *v = child(obj, key);
    return cJSON_IsString(v) ? record_str(r, v->valuestring) : NULL;
}

static time_t time_of(const cJSON *obj, const char *key)
{
    const cJSON *v = child(obj, key);
    time_t t;
    if (cJSON_IsString(v) && rfc3339_parse(v->valuestring, &t))
        return t;
    return REC_TIME_UNKNOWN;
}

static bool int_of(const cJSON *obj, const char *key, int64_t *out)
{
    return json_int_at(out, obj, key, NULL);
}

/* An int32 field (the API's int32s, and generations as far as this console needs them). */
static bool int32_of(const cJSON *obj, const char *key, int32_t *out)
{
    int64_t v;
    if (!int_of(obj, key, &v) || v < INT32_MIN || v > INT32_MAX)
        return false;
    *out = (int32_t)v;
    return true;
}

static bool bool_of(const cJSON *obj, const char *key, bool *out)
{
    const cJSON *v = child(obj, key);
    if (!cJSON_IsBool(v))
        return false;
    *out = cJSON_IsTrue(v);
    return true;
}

/* IntOrString as text: 1 → "1", "10%" → "10%". */
static const char *int_or_string_of(record *r, const cJSON *obj, const char *key)
{
    const cJSON *v = child(obj, key);
    if (cJSON_IsString(v))
        return record_str(r, v->valuestring);
    int64_t n;
    if (int_of(obj, key, &n)) {
        char tmp[24];
        snprintf(tmp, sizeof tmp, "%" PRId64, n);
        return record_str(r, tmp);
    }
    return NULL;
}

static cond_status status_of(const cJSON *obj)
{
    const cJSON *v = child(obj, "status");
    if (!cJSON_IsString(v))
        return COND_UNKNOWN;
    if (strcmp(v->valuestring, "True") == 0)
        return COND_TRUE;
    if (strcmp(v->valuestring, "False") == 0)
        return COND_FALSE;
    return COND_UNKNOWN;
}

/* Number of array entries to keep (at most cap); the rest count as truncated. */
static size_t capped_size(record *r, const cJSON *arr, size_t cap)
{
    if (!cJSON_IsArray(arr))
        return 0;
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        n++;
    }
    if (n > cap) {
        record_truncated(r, n - cap);
        n = cap;
    }
    return n;
}

static rec_strings strings_of(record *r, const cJSON *arr, size_t cap)
{
    rec_strings out = {NULL, 0};
    size_t max = capped_size(r, arr, cap);
    if (max == 0)
        return out;
    out.items = record_alloc(r, max, sizeof(*out.items));
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (out.n == max)
            break;
        if (cJSON_IsString(it))
            out.items[out.n++] = record_str(r, it->valuestring);
    }
    return out;
}

static uint8_t severity_of(const cJSON *obj)
{
    const cJSON *v = child(obj, "severity");
    if (!cJSON_IsString(v) || !*v->valuestring)
        return COND_SEVERITY_NONE;
    if (strcmp(v->valuestring, "Info") == 0)
        return COND_SEVERITY_INFO;
    if (strcmp(v->valuestring, "Warning") == 0)
        return COND_SEVERITY_WARNING;
    if (strcmp(v->valuestring, "Error") == 0)
        return COND_SEVERITY_ERROR;
    return COND_SEVERITY_OTHER;
}

/* Decodes the object entries of a JSON array (at most cap; other entries skipped) into a fresh
 * array of elem_size items, one call of fill per entry. */
typedef void (*fill_fn)(record *r, const cJSON *obj, void *item);

static void *objects_of(record *r, const cJSON *arr, size_t cap, size_t elem_size, fill_fn fill, size_t *n_out)
{
    *n_out = 0;
    size_t max = capped_size(r, arr, cap);
    if (max == 0)
        return NULL;
    unsigned char *items = record_alloc(r, max, elem_size);
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (n == max)
            break;
        if (record_full(r)) {
            record_truncated(r, max - n);
            break;
        }
        if (!cJSON_IsObject(it))
            continue;
        fill(r, it, items + n * elem_size);
        n++;
    }
    *n_out = n;
    return items;
}

static void condition_at(record *r, const cJSON *it, void *item)
{
    rec_condition *c = item;
    c->type = str_of(r, it, "type");
    c->status = status_of(it);
    c->reason = str_of(r, it, "reason");
    c->message = str_of(r, it, "message");
    c->severity = severity_of(it);
    c->last_transition = time_of(it, "lastTransitionTime");
    c->has_observed_generation = int32_of(it, "observedGeneration", &c->observed_generation);
}

static rec_conditions conditions_of(record *r, const cJSON *arr)
{
    rec_conditions out = {NULL, 0};
    out.items = objects_of(r, arr, REC_MAX_CONDITIONS, sizeof(rec_condition), condition_at, &out.n);
    return out;
}

/* Keys worth keeping: what panes, detail views and actions read. */
static bool label_of_interest(const char *key)
{
    return strcmp(key, "app") == 0 || strncmp(key, "hypershift.openshift.io/", 24) == 0 ||
           strncmp(key, "api.openshift.com/", 18) == 0;
}

static bool annotation_of_interest(const char *key)
{
    return strstr(key, "hypershift.openshift.io/") != NULL || strncmp(key, "hcptui", 6) == 0;
}

static rec_kv *kv_of(record *r, const cJSON *obj, bool (*want)(const char *), uint32_t *n_out)
{
    *n_out = 0;
    if (!cJSON_IsObject(obj))
        return NULL;
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        if (it->string && cJSON_IsString(it) && want(it->string))
            n++;
    }
    if (n > REC_MAX_KV) {
        record_truncated(r, n - REC_MAX_KV);
        n = REC_MAX_KV;
    }
    if (n == 0)
        return NULL;
    rec_kv *kv = record_alloc(r, n, sizeof(*kv));
    size_t i = 0;
    cJSON_ArrayForEach(it, obj) {
        if (i == n)
            break;
        if (it->string && cJSON_IsString(it) && want(it->string)) {
            kv[i].key = record_str(r, it->string);
            kv[i].value = record_str(r, it->valuestring);
            i++;
        }
    }
    *n_out = (uint32_t)i; /* at most REC_MAX_KV */
    return kv;
}

static void meta_of(record *r, const cJSON *obj)
{
    const cJSON *m = child(obj, "metadata");
    r->meta.namespace = str_of(r, m, "namespace");
    r->meta.name = str_of(r, m, "name");
    r->meta.uid = str_of(r, m, "uid");
    r->meta.resource_version = str_of(r, m, "resourceVersion");
    r->meta.has_generation = int_of(m, "generation", &r->meta.generation);
    r->meta.created = time_of(m, "creationTimestamp");
    r->meta.deleted = time_of(m, "deletionTimestamp");
    r->meta.labels = kv_of(r, child(m, "labels"), label_of_interest, &r->meta.n_labels);
    r->meta.annotations = kv_of(r, child(m, "annotations"), annotation_of_interest, &r->meta.n_annotations);
}

/* ---- HostedCluster ------------------------------------------------------------------------------ */

static rec_release release_of(record *r, const cJSON *obj)
{
    rec_release rel = {0};
    if (!cJSON_IsObject(obj))
        return rel;
    rel.version = str_of(r, obj, "version");
    rel.image = str_of(r, obj, "image");
    rel.url = str_of(r, obj, "url");
    rel.channels = strings_of(r, child(obj, "channels"), REC_MAX_CHANNELS);
    return rel;
}

static void release_at(record *r, const cJSON *it, void *item)
{
    *(rec_release *)item = release_of(r, it);
}

static void history_at(record *r, const cJSON *it, void *item)
{
    rec_history *e = item;
    e->state = str_of(r, it, "state");
    e->version = str_of(r, it, "version");
    e->image = str_of(r, it, "image");
    e->started = time_of(it, "startedTime");
    e->completed = time_of(it, "completionTime");
    e->has_verified = bool_of(it, "verified", &e->verified);
}

static void risk_at(record *r, const cJSON *it, void *item)
{
    rec_risk *k = item;
    k->name = str_of(r, it, "name");
    k->message = str_of(r, it, "message");
    k->url = str_of(r, it, "url");
}

static void conditional_update_at(record *r, const cJSON *it, void *item)
{
    rec_conditional_update *u = item;
    u->release = release_of(r, child(it, "release"));
    u->conditions = conditions_of(r, child(it, "conditions"));
    u->risks = objects_of(r, child(it, "risks"), REC_MAX_RISKS, sizeof(rec_risk), risk_at, &u->n_risks);
}

static void version_status_of(record *r, const cJSON *obj, rec_version_status *vs)
{
    vs->available_updates_null = true;
    if (!cJSON_IsObject(obj))
        return;
    vs->present = true;
    vs->desired = release_of(r, child(obj, "desired"));
    vs->history = objects_of(r, child(obj, "history"), REC_MAX_HISTORY, sizeof(rec_history), history_at, &vs->n_history);
    vs->has_observed_generation = int_of(obj, "observedGeneration", &vs->observed_generation);
    const cJSON *avail = child(obj, "availableUpdates");
    vs->available_updates_null = !cJSON_IsArray(avail);
    vs->available_updates = objects_of(r, avail, REC_MAX_UPDATES, sizeof(rec_release), release_at,
                                       &vs->n_available_updates);
    vs->conditional_updates = objects_of(r, child(obj, "conditionalUpdates"), REC_MAX_UPDATES,
                                         sizeof(rec_conditional_update), conditional_update_at,
                                         &vs->n_conditional_updates);
}

static record *hc_pass(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    record *r = record_new(RES_HOSTEDCLUSTER);
    hc_record *hc = &r->u.hc;
    meta_of(r, obj);
    const cJSON *spec = child(obj, "spec");
    hc->release_image = str_of(r, child(spec, "release"), "image");
    hc->cp_release_image = str_of(r, child(spec, "controlPlaneRelease"), "image");
    hc->channel = str_of(r, spec, "channel");
    hc->paused_until = str_of(r, spec, "pausedUntil");
    hc->controller_availability = str_of(r, spec, "controllerAvailabilityPolicy");
    hc->infrastructure_availability = str_of(r, spec, "infrastructureAvailabilityPolicy");
    hc->platform = str_of(r, child(spec, "platform"), "type");
    const cJSON *etcd = child(spec, "etcd");
    hc->etcd_management = str_of(r, etcd, "managementType");
    const cJSON *pv = json_at(etcd, "managed", "storage", "persistentVolume", NULL);
    hc->etcd_storage_size = str_of(r, pv, "size");
    hc->etcd_storage_class = str_of(r, pv, "storageClassName");

    const cJSON *st = child(obj, "status");
    version_status_of(r, child(st, "version"), &hc->version);
    version_status_of(r, child(st, "controlPlaneVersion"), &hc->cp_version);
    hc->conditions = conditions_of(r, child(st, "conditions"));
    hc->kubeconfig_secret = str_of(r, child(st, "kubeconfig"), "name");
    const cJSON *ep = child(st, "controlPlaneEndpoint");
    hc->endpoint_host = str_of(r, ep, "host");
    hc->has_endpoint_port = int_of(ep, "port", &hc->endpoint_port);
    hc->payload_arch = str_of(r, st, "payloadArch");
    return r;
}

/* ---- NodePool ----------------------------------------------------------------------------------- */

static void node_version_at(record *r, const cJSON *it, void *item)
{
    rec_node_version *v = item;
    v->ocp_version = str_of(r, it, "ocpVersion");
    v->kubelet_version = str_of(r, it, "kubeletVersion");
    if (!int_of(it, "readyNodeCount", &v->ready))
        v->ready = 0;
    if (!int_of(it, "unreadyNodeCount", &v->unready))
        v->unready = 0;
}

static record *np_pass(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    record *r = record_new(RES_NODEPOOL);
    np_record *np = &r->u.np;
    meta_of(r, obj);
    const cJSON *spec = child(obj, "spec");
    np->cluster_name = str_of(r, spec, "clusterName");
    np->has_replicas = int_of(spec, "replicas", &np->replicas);
    const cJSON *as = child(spec, "autoScaling");
    np->has_autoscaling = cJSON_IsObject(as);
    np->has_autoscaling_min = int_of(as, "min", &np->autoscaling_min);
    np->has_autoscaling_max = int_of(as, "max", &np->autoscaling_max);
    np->release_image = str_of(r, child(spec, "release"), "image");
    const cJSON *mgmt = child(spec, "management");
    np->upgrade_type = str_of(r, mgmt, "upgradeType");
    np->has_auto_repair = bool_of(mgmt, "autoRepair", &np->auto_repair);
    const cJSON *replace = child(mgmt, "replace");
    np->replace_strategy = str_of(r, replace, "strategy");
    const cJSON *rolling = child(replace, "rollingUpdate");
    np->max_surge = int_or_string_of(r, rolling, "maxSurge");
    np->max_unavailable = int_or_string_of(r, rolling, "maxUnavailable");
    if (!np->max_unavailable)
        np->max_unavailable = int_or_string_of(r, child(mgmt, "inPlace"), "maxUnavailable");
    np->node_drain_timeout = str_of(r, spec, "nodeDrainTimeout");
    np->node_volume_detach_timeout = str_of(r, spec, "nodeVolumeDetachTimeout");
    np->paused_until = str_of(r, spec, "pausedUntil");
    np->arch = str_of(r, spec, "arch");
    np->platform = str_of(r, child(spec, "platform"), "type");

    const cJSON *st = child(obj, "status");
    np->has_status_replicas = int_of(st, "replicas", &np->status_replicas);
    np->version = str_of(r, st, "version");
    np->node_versions = objects_of(r, json_at(st, "nodesInfo", "nodeVersions", NULL), REC_MAX_NODE_VERSIONS,
                                   sizeof(rec_node_version), node_version_at, &np->n_node_versions);
    np->conditions = conditions_of(r, child(st, "conditions"));
    return r;
}

/* ---- Pod ---------------------------------------------------------------------------------------- */

static rec_ctr_state ctr_state_of(record *r, const cJSON *obj)
{
    rec_ctr_state s = {0};
    const cJSON *v;
    if (cJSON_IsObject(v = child(obj, "running"))) {
        s.kind = CTR_RUNNING;
        s.started_at = time_of(v, "startedAt");
    } else if (cJSON_IsObject(v = child(obj, "waiting"))) {
        s.kind = CTR_WAITING;
        s.reason = str_of(r, v, "reason");
        s.message = str_of(r, v, "message");
    } else if (cJSON_IsObject(v = child(obj, "terminated"))) {
        s.kind = CTR_TERMINATED;
        s.reason = str_of(r, v, "reason");
        s.message = str_of(r, v, "message");
        s.has_exit_code = int32_of(v, "exitCode", &s.exit_code);
        s.started_at = time_of(v, "startedAt");
        s.finished_at = time_of(v, "finishedAt");
    }
    return s;
}

static void container_at(record *r, const cJSON *it, void *item)
{
    rec_container_status *c = item;
    c->name = str_of(r, it, "name");
    if (!bool_of(it, "ready", &c->ready))
        c->ready = false;
    if (!int32_of(it, "restartCount", &c->restart_count) || c->restart_count < 0)
        c->restart_count = 0;
    c->state = ctr_state_of(r, child(it, "state"));
    c->last_state = ctr_state_of(r, child(it, "lastState"));
}

static record *pod_pass(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    record *r = record_new(RES_ETCD_POD);
    pod_record *p = &r->u.pod;
    meta_of(r, obj);
    /* Both labels are labels of interest: point at the copies meta_of() already made. */
    p->app_label = rec_label(r, "app");
    p->control_plane_label = rec_label(r, "hypershift.openshift.io/hosted-control-plane");
    const cJSON *spec = child(obj, "spec");
    p->node_name = str_of(r, spec, "nodeName");
    const cJSON *vols = child(spec, "volumes");
    const cJSON *it;
    if (cJSON_IsArray(vols)) {
        cJSON_ArrayForEach(it, vols) {
            const char *vname = json_str_at(it, "name", NULL);
            if (vname && strcmp(vname, "data") == 0) {
                p->data_claim = str_of(r, child(it, "persistentVolumeClaim"), "claimName");
                break;
            }
        }
    }
    const cJSON *st = child(obj, "status");
    p->phase = str_of(r, st, "phase");
    p->pod_ip = str_of(r, st, "podIP");
    p->start_time = time_of(st, "startTime");
    p->containers = objects_of(r, child(st, "containerStatuses"), REC_MAX_CONTAINERS, sizeof(rec_container_status),
                               container_at, &p->n_containers);
    p->init_containers = objects_of(r, child(st, "initContainerStatuses"), REC_MAX_CONTAINERS,
                                    sizeof(rec_container_status), container_at, &p->n_init_containers);
    p->ready = COND_UNKNOWN;
    const cJSON *conds = child(st, "conditions");
    if (cJSON_IsArray(conds)) {
        cJSON_ArrayForEach(it, conds) {
            const char *type = json_str_at(it, "type", NULL);
            if (type && strcmp(type, "Ready") == 0) {
                p->ready = status_of(it);
                p->ready_since = time_of(it, "lastTransitionTime");
                break;
            }
        }
    }
    return r;
}

/* ---- PersistentVolumeClaim ---------------------------------------------------------------------- */

static record *pvc_pass(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    record *r = record_new(RES_ETCD_PVC);
    pvc_record *p = &r->u.pvc;
    meta_of(r, obj);
    const cJSON *spec = child(obj, "spec");
    p->requested = str_of(r, json_at(spec, "resources", "requests", NULL), "storage");
    p->storage_class = str_of(r, spec, "storageClassName");
    p->volume_name = str_of(r, spec, "volumeName");
    p->access_modes = strings_of(r, child(spec, "accessModes"), 8);
    const cJSON *st = child(obj, "status");
    p->phase = str_of(r, st, "phase");
    p->capacity = str_of(r, child(st, "capacity"), "storage");
    return r;
}

/* ---- supported-versions ConfigMap --------------------------------------------------------------- */

static record *sv_pass(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    record *r = record_new(RES_SUPPORTED_VERSIONS);
    sv_record *sv = &r->u.sv;
    meta_of(r, obj);
    const cJSON *data = child(obj, "data");
    sv->server_version = str_of(r, data, "server-version");
    /* The value is JSON inside a string: {"versions":["4.19","4.18",...]}. */
    const cJSON *text = child(data, "supported-versions");
    if (cJSON_IsString(text)) {
        cJSON *inner = json_parse_len(text->valuestring, strlen(text->valuestring));
        const cJSON *versions = child(inner, "versions");
        if (cJSON_IsArray(versions)) {
            sv->versions = strings_of(r, versions, REC_MAX_VERSIONS);
            sv->versions_valid = true;
        }
        cJSON_Delete(inner);
    }
    return r;
}

/* ---- Event -------------------------------------------------------------------------------------- */

static record *event_pass(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    record *r = record_new(RES_EVENT);
    event_record *e = &r->u.ev;
    meta_of(r, obj);
    const cJSON *inv = child(obj, "involvedObject");
    if (!cJSON_IsObject(inv))
        inv = child(obj, "regarding"); /* events.k8s.io/v1 shape */
    e->involved_kind = str_of(r, inv, "kind");
    e->involved_namespace = str_of(r, inv, "namespace");
    e->involved_name = str_of(r, inv, "name");
    e->involved_uid = str_of(r, inv, "uid");
    e->type = str_of(r, obj, "type");
    e->reason = str_of(r, obj, "reason");
    e->message = str_of(r, obj, "message");
    if (!e->message)
        e->message = str_of(r, obj, "note");
    e->first_timestamp = time_of(obj, "firstTimestamp");
    e->event_time = time_of(obj, "eventTime");
    const cJSON *series = child(obj, "series");
    int64_t count = 0;
    if (!int_of(obj, "count", &count) || count <= 0)
        if (!int_of(series, "count", &count) || count <= 0)
            count = 1;
    e->count = count;
    e->last_timestamp = time_of(obj, "lastTimestamp");
    if (e->last_timestamp == REC_TIME_UNKNOWN)
        e->last_timestamp = time_of(series, "lastObservedTime");
    if (e->last_timestamp == REC_TIME_UNKNOWN)
        e->last_timestamp = e->event_time;
    if (e->last_timestamp == REC_TIME_UNKNOWN)
        e->last_timestamp = e->first_timestamp;
    if (e->first_timestamp == REC_TIME_UNKNOWN)
        e->first_timestamp = e->event_time;
    e->source_component = str_of(r, child(obj, "source"), "component");
    if (!e->source_component)
        e->source_component = str_of(r, obj, "reportingComponent");
    return r;
}

/* ---- dispatch ----------------------------------------------------------------------------------- */


/* Decodes twice when the first pass needed more than one chunk or left a lot unused: the second
 * pass, told the exact size, fits in a single allocation. The first pass starts with what the last
 * record of the kind needed, so in a fleet of look-alike objects the second pass is the exception. Memory is the budget that matters here
 * (tens of thousands of records), and decoding a record costs far less than parsing its JSON. */
static record *two_pass(record *(*pass)(const cJSON *), const cJSON *obj)
{
    record *r = pass(obj);
    if (!r)
        return NULL;
    size_t used = record_used_bytes(r);
    record_size_learn(r->kind, used);
    if (r->arena_bytes - used <= 64 + r->arena_bytes / 16)
        return r;
    record_free(r);
    record_size_hint(used);
    return pass(obj);
}

record *decode_hostedcluster(const cJSON *obj)
{
    return two_pass(hc_pass, obj);
}

record *decode_nodepool(const cJSON *obj)
{
    return two_pass(np_pass, obj);
}

record *decode_pod(const cJSON *obj)
{
    return two_pass(pod_pass, obj);
}

record *decode_pvc(const cJSON *obj)
{
    return two_pass(pvc_pass, obj);
}

record *decode_supported_versions(const cJSON *obj)
{
    return two_pass(sv_pass, obj);
}

record *decode_event(const cJSON *obj)
{
    return two_pass(event_pass, obj);
}
