/* Validation of HostedClusters and NodePools as the CRD schemas and CEL rules do it, limited to what a
 * console can trip over. Causes are worded like kube-apiserver's (see the hc-create-invalid example):
 * "Required value", "Unsupported value: \"X\": supported values: ...", and CEL failures as
 * "Invalid value: \"string\": <rule message>". */
#include "sim/validate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/store.h"

typedef struct checker {
    const sim_kind *k;
    const char *name;
    cJSON *status; /* NULL until the first cause */
} checker;

static void cause(checker *c, const char *field, const char *reason, const char *message)
{
    if (!c->status)
        c->status = sim_status_invalid(c->k, c->name, field, reason, message);
    else
        sim_status_add_cause(c->status, field, reason, message);
}

static void required(checker *c, const cJSON *parent, const char *key, const char *field)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!v || cJSON_IsNull(v))
        cause(c, field, "FieldValueRequired", "Required value");
}

static const char *json_type_name(const cJSON *v)
{
    return cJSON_IsNumber(v) ? "number" : cJSON_IsBool(v) ? "boolean" : cJSON_IsArray(v) ? "array"
                                        : cJSON_IsString(v) ? "string" : "object";
}

/* A field the schema types as an object: anything else present is a type error. */
static void expect_object(checker *c, const cJSON *parent, const char *key, const char *field)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!v || cJSON_IsNull(v) || cJSON_IsObject(v))
        return;
    char msg[300];
    snprintf(msg, sizeof msg, "Invalid value: \"%s\": %s in body must be of type object: \"%s\"", json_type_name(v),
             field, json_type_name(v));
    cause(c, field, "FieldValueTypeInvalid", msg);
}

/* An enum: the value must be a string in the list (absent is fine unless required() said so). */
static void one_of(checker *c, const cJSON *parent, const char *key, const char *field, const char *const *allowed)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!v || cJSON_IsNull(v))
        return;
    buf msg = BUF_INIT;
    if (cJSON_IsString(v)) {
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(v->valuestring, *a) == 0)
                return;
        buf_printf(&msg, "Unsupported value: \"%.200s\": supported values: ", v->valuestring);
        for (const char *const *a = allowed; *a; a++)
            buf_printf(&msg, "%s\"%s\"", a == allowed ? "" : ", ", *a);
        cause(c, field, "FieldValueNotSupported", buf_str(&msg));
    } else {
        buf_printf(&msg, "Invalid value: \"%s\": %s in body must be of type string: \"%s\"", json_type_name(v), field,
                   json_type_name(v));
        cause(c, field, "FieldValueTypeInvalid", buf_str(&msg));
    }
    buf_free(&msg);
}

/* A failed x-kubernetes-validations rule on a string (or on an object: type "object"). */
static void cel_failed(checker *c, const char *field, const char *type, const char *message)
{
    char msg[600];
    snprintf(msg, sizeof msg, "Invalid value: \"%s\": %s", type, message);
    cause(c, field, "FieldValueInvalid", msg);
}

/* self == oldSelf on update: changing (or, like CEL's transition rules, removing) the value fails. */
static void immutable(checker *c, const cJSON *obj, const cJSON *old, const char *path1, const char *path2,
                      const char *path3, const char *field, const char *message)
{
    if (!old)
        return;
    const cJSON *was = json_at(old, "spec", path1, path2, path3, NULL);
    const cJSON *now = json_at(obj, "spec", path1, path2, path3, NULL);
    if (was && now && !cJSON_Compare(was, now, true))
        cel_failed(c, field, cJSON_IsString(now) ? "string" : "object", message);
}

/* ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.*$ or one of true/false/True/False */
static bool paused_until_ok(const char *s)
{
    static const char *const words[] = {"true", "false", "True", "False"};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (!s[i])
            return false;
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    }
    return true;
}

static void check_paused_until(checker *c, const cJSON *spec, size_t min_len, size_t max_len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, "pausedUntil");
    if (!v || cJSON_IsNull(v))
        return;
    if (!cJSON_IsString(v)) {
        cause(c, "spec.pausedUntil", "FieldValueTypeInvalid",
              "Invalid value: \"non-string\": spec.pausedUntil in body must be of type string");
        return;
    }
    size_t n = strlen(v->valuestring);
    char msg[200];
    if (n < min_len) {
        snprintf(msg, sizeof msg, "Invalid value: \"%.40s\": spec.pausedUntil in body should be at least %zu chars long",
                 v->valuestring, min_len);
        cause(c, "spec.pausedUntil", "FieldValueInvalid", msg);
        return;
    }
    if (n > max_len) {
        snprintf(msg, sizeof msg, "Too long: may not be more than %zu bytes", max_len);
        cause(c, "spec.pausedUntil", "FieldValueTooLong", msg);
        return;
    }
    if (!paused_until_ok(v->valuestring))
        cel_failed(c, "spec.pausedUntil", "string",
                   "PausedUntil must be a date in RFC3339 format or 'True', 'true', 'False' or 'false'");
}

/* Image must start with a word character and contain no whitespace (^(\w+\S+)$), 1–253 chars. */
static void check_image(checker *c, const cJSON *parent, const char *field)
{
    const cJSON *img = cJSON_GetObjectItemCaseSensitive(parent, "image");
    if (!img || cJSON_IsNull(img)) {
        cause(c, field, "FieldValueRequired", "Required value");
        return;
    }
    if (!cJSON_IsString(img)) {
        char msg[300];
        snprintf(msg, sizeof msg, "Invalid value: \"non-string\": %s in body must be of type string", field);
        cause(c, field, "FieldValueTypeInvalid", msg);
        return;
    }
    const char *s = img->valuestring;
    size_t n = strlen(s);
    if (n == 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "Invalid value: \"\": %s in body should be at least 1 chars long", field);
        cause(c, field, "FieldValueInvalid", msg);
        return;
    }
    if (n > 253) {
        cause(c, field, "FieldValueTooLong", "Too long: may not be more than 253 bytes");
        return;
    }
    bool ok = n >= 2 && (isalnum((unsigned char)s[0]) || s[0] == '_');
    for (size_t i = 0; ok && i < n; i++)
        if (isspace((unsigned char)s[i]))
            ok = false;
    if (!ok)
        cel_failed(c, field, "string",
                   "Image must start with a word character (letters, digits, or underscores) and contain no white "
                   "spaces");
}

static const char *const platforms[] = {"AWS", "Azure", "IBMCloud", "KubeVirt", "Agent", "PowerVS", "None", NULL};

/* The spec fields that must be there, and those that must be objects when they are (NULL-ended). */
static void check_spec_fields(checker *c, const cJSON *spec, const char *const *req, const char *const *objects)
{
    char field[64];
    for (size_t i = 0; req[i]; i++) {
        snprintf(field, sizeof field, "spec.%s", req[i]);
        required(c, spec, req[i], field);
    }
    for (size_t i = 0; objects[i]; i++) {
        snprintf(field, sizeof field, "spec.%s", objects[i]);
        expect_object(c, spec, objects[i], field);
    }
}

/* spec.<key>.image of a release object (release, controlPlaneRelease), when the object is there. */
static void check_release(checker *c, const cJSON *spec, const char *key)
{
    const cJSON *release = cJSON_GetObjectItemCaseSensitive(spec, key);
    char field[64];
    snprintf(field, sizeof field, "spec.%s.image", key);
    if (cJSON_IsObject(release))
        check_image(c, release, field);
}

static void check_platform_type(checker *c, const cJSON *spec)
{
    const cJSON *platform = cJSON_GetObjectItemCaseSensitive(spec, "platform");
    if (cJSON_IsObject(platform)) {
        required(c, platform, "type", "spec.platform.type");
        one_of(c, platform, "type", "spec.platform.type", platforms);
    }
}

static void check_hostedcluster(checker *c, const cJSON *obj, const cJSON *old)
{
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(obj, "spec");
    if (!cJSON_IsObject(spec)) {
        cause(c, "spec", "FieldValueRequired", "Required value");
        return;
    }
    static const char *const req[] = {"release", "platform", "networking", "etcd", "services", "pullSecret", NULL};
    static const char *const objects[] = {"release", "platform",           "networking", "etcd", "pullSecret",
                                          "dns",     "controlPlaneRelease", NULL};
    check_spec_fields(c, spec, req, objects);
    check_release(c, spec, "release");
    check_release(c, spec, "controlPlaneRelease");
    check_platform_type(c, spec);
    const cJSON *platform = cJSON_GetObjectItemCaseSensitive(spec, "platform");
    static const char *const policies[] = {"HighlyAvailable", "SingleReplica", NULL};
    one_of(c, spec, "controllerAvailabilityPolicy", "spec.controllerAvailabilityPolicy", policies);
    one_of(c, spec, "infrastructureAvailabilityPolicy", "spec.infrastructureAvailabilityPolicy", policies);
    const cJSON *etcd = cJSON_GetObjectItemCaseSensitive(spec, "etcd");
    if (cJSON_IsObject(etcd)) {
        static const char *const types[] = {"Managed", "Unmanaged", NULL};
        required(c, etcd, "managementType", "spec.etcd.managementType");
        one_of(c, etcd, "managementType", "spec.etcd.managementType", types);
    }
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(spec, "networking");
    if (cJSON_IsObject(net)) {
        static const char *const types[] = {"OpenShiftSDN", "Calico", "OVNKubernetes", "Other", NULL};
        one_of(c, net, "networkType", "spec.networking.networkType", types);
    }
    const cJSON *services = cJSON_GetObjectItemCaseSensitive(spec, "services");
    if (cJSON_IsArray(services)) {
        const char *ptype = json_str_at(platform, "type", NULL);
        bool ibm = ptype && strcmp(ptype, "IBMCloud") == 0;
        if (cJSON_GetArraySize(services) < (ibm ? 3 : 4))
            cel_failed(c, "spec", "object", "spec.services in body should have at least 4 items or 3 for IBMCloud");
    }
    check_paused_until(c, spec, 4, 35);
    immutable(c, obj, old, "controllerAvailabilityPolicy", NULL, NULL, "spec.controllerAvailabilityPolicy",
              "ControllerAvailabilityPolicy is immutable");
    immutable(c, obj, old, "platform", "type", NULL, "spec.platform.type", "Type is immutable");
    immutable(c, obj, old, "etcd", "managementType", NULL, "spec.etcd.managementType", "managementType is immutable");
}

static void check_nodepool(checker *c, const cJSON *obj, const cJSON *old)
{
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(obj, "spec");
    if (!cJSON_IsObject(spec)) {
        cause(c, "spec", "FieldValueRequired", "Required value");
        return;
    }
    static const char *const req[] = {"clusterName", "release", "platform", "management", NULL};
    static const char *const objects[] = {"release", "platform", "management", "autoScaling", NULL};
    check_spec_fields(c, spec, req, objects);
    check_release(c, spec, "release");
    check_platform_type(c, spec);
    const cJSON *platform = cJSON_GetObjectItemCaseSensitive(spec, "platform");
    const cJSON *mgmt = cJSON_GetObjectItemCaseSensitive(spec, "management");
    if (cJSON_IsObject(mgmt)) {
        static const char *const types[] = {"Replace", "InPlace", NULL};
        required(c, mgmt, "upgradeType", "spec.management.upgradeType");
        one_of(c, mgmt, "upgradeType", "spec.management.upgradeType", types);
    }
    static const char *const arches[] = {"arm64", "amd64", "ppc64le", "s390x", NULL};
    one_of(c, spec, "arch", "spec.arch", arches);
    const cJSON *replicas = cJSON_GetObjectItemCaseSensitive(spec, "replicas");
    const cJSON *as = cJSON_GetObjectItemCaseSensitive(spec, "autoScaling");
    if (replicas && !cJSON_IsNull(replicas)) {
        if (!cJSON_IsNumber(replicas) || replicas->valuedouble != (double)(long long)replicas->valuedouble)
            cause(c, "spec.replicas", "FieldValueTypeInvalid",
                  "Invalid value: \"non-integer\": spec.replicas in body must be of type integer");
        else if (replicas->valuedouble < 0 || replicas->valuedouble > 2147483647.0)
            cause(c, "spec.replicas", "FieldValueInvalid",
                  "Invalid value: \"integer\": spec.replicas in body must be a 32-bit integer of at least 0");
    }
    if (replicas && !cJSON_IsNull(replicas) && cJSON_IsObject(as))
        cel_failed(c, "spec", "object", "Both replicas or autoScaling should not be set");
    if (cJSON_IsObject(as)) {
        int64_t mn = 0, mx = 0;
        bool has_min = json_int_at(&mn, as, "min", NULL), has_max = json_int_at(&mx, as, "max", NULL);
        if (!has_min)
            cause(c, "spec.autoScaling.min", "FieldValueRequired", "Required value");
        if (!has_max)
            cause(c, "spec.autoScaling.max", "FieldValueRequired", "Required value");
        char msg[160];
        if (has_max && mx < 1) {
            snprintf(msg, sizeof msg, "Invalid value: %lld: spec.autoScaling.max in body should be greater than or equal to 1",
                     (long long)mx);
            cause(c, "spec.autoScaling.max", "FieldValueInvalid", msg);
        }
        if (has_min && mn < 0) {
            snprintf(msg, sizeof msg, "Invalid value: %lld: spec.autoScaling.min in body should be greater than or equal to 0",
                     (long long)mn);
            cause(c, "spec.autoScaling.min", "FieldValueInvalid", msg);
        }
        if (has_min && has_max && mx < mn)
            cel_failed(c, "spec.autoScaling", "object", "max must be equal or greater than min");
        const char *ptype = json_str_at(platform, "type", NULL);
        if (has_min && mn == 0 && !(ptype && (strcmp(ptype, "AWS") == 0 || strcmp(ptype, "Azure") == 0)))
            cel_failed(c, "spec", "object",
                       "Scale-from-zero (autoScaling.min=0) is currently only supported for AWS and Azure platforms");
    }
    const char *cluster = json_str_at(spec, "clusterName", NULL);
    if (cluster) {
        bool ok = *cluster && strlen(cluster) <= 253;
        for (const char *p = cluster; ok && *p; p++)
            ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || (*p == '-' && p != cluster && p[1]);
        if (!ok)
            cel_failed(c, "spec.clusterName", "string",
                       "clusterName must consist of lowercase alphanumeric characters or '-', start and end with an "
                       "alphanumeric character, and be between 1 and 253 characters");
    }
    check_paused_until(c, spec, 1, 35);
    immutable(c, obj, old, "clusterName", NULL, NULL, "spec.clusterName", "ClusterName is immutable");
    immutable(c, obj, old, "platform", "type", NULL, "spec.platform.type", "Type is immutable");
    immutable(c, obj, old, "management", "upgradeType", NULL, "spec.management.upgradeType", "UpgradeType is immutable");
    immutable(c, obj, old, "arch", NULL, NULL, "spec.arch", "Arch is immutable");
}

#define MAX_CONTAINER_CAUSES 32 /* a hostile list of empty containers stays a bounded answer */

/* core/v1 Pod, as ValidatePodSpec answers a client that forgot the essentials: no containers, or a
 * container without a name or an image. */
static void check_pod(checker *c, const cJSON *obj)
{
    const cJSON *containers = json_at(obj, "spec", "containers", NULL);
    if (!cJSON_IsArray(containers) || cJSON_GetArraySize(containers) == 0) {
        cause(c, "spec.containers", "FieldValueRequired", "Required value");
        return;
    }
    int i = 0;
    const cJSON *ct;
    cJSON_ArrayForEach(ct, containers)
    {
        static const char *const needed[] = {"name", "image"};
        for (size_t n = 0; n < sizeof needed / sizeof needed[0]; n++) {
            const char *v = json_str_at(ct, needed[n], NULL);
            if (v && *v)
                continue;
            char field[64];
            snprintf(field, sizeof field, "spec.containers[%d].%s", i, needed[n]);
            cause(c, field, "FieldValueRequired", "Required value");
        }
        if (++i >= MAX_CONTAINER_CAUSES)
            break;
    }
}

/* apps/v1 StatefulSet: a selector is required and may not be empty (ValidateStatefulSetSpec). */
static void check_statefulset(checker *c, const cJSON *obj)
{
    const cJSON *sel = json_at(obj, "spec", "selector", NULL);
    if (!sel || cJSON_IsNull(sel)) {
        cause(c, "spec.selector", "FieldValueRequired", "Required value");
        return;
    }
    const cJSON *labels = cJSON_GetObjectItemCaseSensitive(sel, "matchLabels");
    const cJSON *exprs = cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions");
    if (cJSON_GetArraySize(labels) == 0 && cJSON_GetArraySize(exprs) == 0)
        cause(c, "spec.selector", "FieldValueInvalid",
              "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
              "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset");
}

cJSON *sim_validate(const sim_kind *k, const cJSON *obj, const cJSON *old, void *ctx)
{
    (void)ctx;
    if (!k || !obj)
        return NULL;
    checker c = {k, json_str_at(obj, "metadata", "name", NULL), NULL};
    switch (k->id) {
    case SIM_HOSTEDCLUSTER: check_hostedcluster(&c, obj, old); break;
    case SIM_NODEPOOL: check_nodepool(&c, obj, old); break;
    case SIM_POD: check_pod(&c, obj); break;
    case SIM_STATEFULSET: check_statefulset(&c, obj); break;
    default: break;
    }
    return c.status;
}
