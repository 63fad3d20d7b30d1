/* What kube-apiserver adds to a new object before it stores it (and so what a dry-run create answers
 * with), for the kinds a console deletes:
 *  - PersistentVolumeClaim: the StorageObjectInUseProtection admission plugin
 *    (plugin/pkg/admission/storage/storageobjectinuseprotection) appends the kubernetes.io/pvc-protection
 *    finalizer; defaulting (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaim) makes the
 *    phase Pending and spec.volumeMode Filesystem.
 *  - Pod: SetDefaults_PodSpec and SetDefaults_Container of the same file (restartPolicy Always,
 *    terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst, schedulerName default-scheduler, an empty
 *    securityContext, the termination message path and policy, the image pull policy), and the
 *    strategy's PrepareForCreate (pkg/registry/core/pod/strategy.go) phase Pending when no status came.
 * A status sent on create is otherwise kept (see sim/store_internal.h). */
#include <string.h>

#include "sim/store_internal.h"

#define DEFAULT_TERMINATION_GRACE_S 30

static void default_str(cJSON *obj, const char *key, const char *value)
{
    if (!cJSON_GetObjectItemCaseSensitive(obj, key))
        json_set_str(obj, key, value);
}

static void add_finalizer(cJSON *obj, const char *finalizer)
{
    cJSON *md = json_obj_child(obj, "metadata");
    cJSON *fin = cJSON_GetObjectItemCaseSensitive(md, "finalizers");
    if (!cJSON_IsArray(fin)) {
        fin = cJSON_CreateArray();
        json_set_item(md, "finalizers", fin);
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, fin)
    {
        if (cJSON_IsString(f) && strcmp(f->valuestring, finalizer) == 0)
            return;
    }
    cJSON_AddItemToArray(fin, cJSON_CreateString(finalizer));
}

/* Always for an image without a tag or tagged :latest (and no digest), else IfNotPresent. */
static const char *pull_policy_of(const char *image)
{
    if (!image || strchr(image, '@'))
        return "IfNotPresent";
    const char *slash = strrchr(image, '/');
    const char *colon = strrchr(slash ? slash : image, ':');
    return !colon || strcmp(colon, ":latest") == 0 ? "Always" : "IfNotPresent";
}

static void default_containers(cJSON *list)
{
    cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        if (!cJSON_IsObject(c))
            continue;
        default_str(c, "terminationMessagePath", "/dev/termination-log");
        default_str(c, "terminationMessagePolicy", "File");
        default_str(c, "imagePullPolicy", pull_policy_of(json_str_at(c, "image", NULL)));
    }
}

static void default_pod(cJSON *pod)
{
    cJSON *spec = cJSON_GetObjectItemCaseSensitive(pod, "spec");
    if (cJSON_IsObject(spec)) {
        default_str(spec, "restartPolicy", "Always");
        if (!cJSON_GetObjectItemCaseSensitive(spec, "terminationGracePeriodSeconds"))
            json_set_num(spec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_S);
        default_str(spec, "dnsPolicy", "ClusterFirst");
        default_str(spec, "schedulerName", "default-scheduler");
        if (!cJSON_GetObjectItemCaseSensitive(spec, "securityContext"))
            json_set_item(spec, "securityContext", cJSON_CreateObject());
        default_containers(cJSON_GetObjectItemCaseSensitive(spec, "containers"));
        default_containers(cJSON_GetObjectItemCaseSensitive(spec, "initContainers"));
    }
    if (!json_str_at(pod, "status", "phase", NULL))
        json_set_str(json_obj_child(pod, "status"), "phase", "Pending");
}

static void default_pvc(cJSON *pvc)
{
    add_finalizer(pvc, SIM_PVC_PROTECTION_FINALIZER);
    cJSON *spec = cJSON_GetObjectItemCaseSensitive(pvc, "spec");
    if (cJSON_IsObject(spec))
        default_str(spec, "volumeMode", "Filesystem");
    if (!json_str_at(pvc, "status", "phase", NULL))
        json_set_str(json_obj_child(pvc, "status"), "phase", "Pending");
}

void store_admit_create(const sim_kind *k, cJSON *obj)
{
    if (k->id == SIM_PVC)
        default_pvc(obj);
    else if (k->id == SIM_POD)
        default_pod(obj);
}
