#include "sim/discovery.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <stdlib.h>

#include "sim/kinds.h"
#include "sim/pki.h"

#define AUTHZ_GROUP "authorization.k8s.io"

/* The served API groups, in the order kube-apiserver lists them (built-in groups, then CRDs). */
static const struct { const char *group, *version; } groups[] = {
    {"apps", "v1"},
    {AUTHZ_GROUP, "v1"},
    {"hypershift.openshift.io", "v1beta1"},
};
#define N_GROUPS (sizeof groups / sizeof groups[0])

static const char *const all_verbs[] = {"create", "delete", "deletecollection", "get", "list", "patch", "update",
                                        "watch", NULL};
static const char *const sub_verbs[] = {"get", "patch", "update", NULL};
static const char *const get_verb[] = {"get", NULL};
static const char *const create_verb[] = {"create", NULL};

static cJSON *string_array(const char *const *items, size_t max)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < max && items[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
    return a;
}

cJSON *sim_discovery_version(void)
{
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "major", SIM_K8S_MAJOR);
    cJSON_AddStringToObject(v, "minor", SIM_K8S_MINOR);
    cJSON_AddStringToObject(v, "gitVersion", SIM_K8S_GIT_VERSION);
    cJSON_AddStringToObject(v, "gitCommit", "0000000000000000000000000000000000000000");
    cJSON_AddStringToObject(v, "gitTreeState", "clean");
    cJSON_AddStringToObject(v, "buildDate", "2026-01-01T00:00:00Z");
    cJSON_AddStringToObject(v, "goVersion", "go1.23.4");
    cJSON_AddStringToObject(v, "compiler", "gc");
    cJSON_AddStringToObject(v, "platform", "linux/amd64");
    return v;
}

cJSON *sim_discovery_api_versions(const char *server_address)
{
    cJSON *v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "kind", "APIVersions");
    const char *versions[] = {"v1", NULL};
    cJSON_AddItemToObject(v, "versions", string_array(versions, 1));
    cJSON *cidrs = cJSON_AddArrayToObject(v, "serverAddressByClientCIDRs");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "clientCIDR", "0.0.0.0/0");
    cJSON_AddStringToObject(c, "serverAddress", server_address ? server_address : "");
    cJSON_AddItemToArray(cidrs, c);
    return v;
}

static cJSON *group_version(const char *group, const char *version)
{
    char gv[128];
    snprintf(gv, sizeof gv, "%s/%s", group, version);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "groupVersion", gv);
    cJSON_AddStringToObject(o, "version", version);
    return o;
}

static cJSON *group_doc(size_t i, bool with_kind)
{
    cJSON *g = cJSON_CreateObject();
    if (with_kind) {
        cJSON_AddStringToObject(g, "kind", "APIGroup");
        cJSON_AddStringToObject(g, "apiVersion", "v1");
    }
    cJSON_AddStringToObject(g, "name", groups[i].group);
    cJSON *versions = cJSON_AddArrayToObject(g, "versions");
    cJSON_AddItemToArray(versions, group_version(groups[i].group, groups[i].version));
    cJSON_AddItemToObject(g, "preferredVersion", group_version(groups[i].group, groups[i].version));
    return g;
}

cJSON *sim_discovery_group_list(void)
{
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "kind", "APIGroupList");
    cJSON_AddStringToObject(l, "apiVersion", "v1");
    cJSON *arr = cJSON_AddArrayToObject(l, "groups");
    for (size_t i = 0; i < N_GROUPS; i++)
        cJSON_AddItemToArray(arr, group_doc(i, false));
    return l;
}

cJSON *sim_discovery_group(const char *group)
{
    for (size_t i = 0; i < N_GROUPS; i++)
        if (strcmp(groups[i].group, group) == 0)
            return group_doc(i, true);
    return NULL;
}

/* One APIResource; sub_group/sub_version are set only where they differ (Scale is autoscaling/v1). */
static cJSON *resource(const char *name, const char *singular, bool namespaced, const char *sub_group,
                       const char *sub_version, const char *kind, const char *const *verbs)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "name", name);
    cJSON_AddStringToObject(r, "singularName", singular);
    cJSON_AddBoolToObject(r, "namespaced", namespaced);
    if (sub_group) {
        cJSON_AddStringToObject(r, "group", sub_group);
        cJSON_AddStringToObject(r, "version", sub_version);
    }
    cJSON_AddStringToObject(r, "kind", kind);
    cJSON_AddItemToObject(r, "verbs", string_array(verbs, 16));
    return r;
}

/* kube-apiserver's storageVersionHash: base64 of the first 8 bytes of SHA-256("group/version/Kind"). */
static void add_storage_version_hash(cJSON *r, const sim_kind *k)
{
    char gvk[160];
    int n = snprintf(gvk, sizeof gvk, "%s/%s/%s", k->group, k->version, k->kind);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (n < 0 || (size_t)n >= sizeof gvk || !EVP_Digest(gvk, (size_t)n, digest, &len, EVP_sha256(), NULL) || len < 8)
        return;
    char *hash = sim_base64(digest, 8);
    cJSON_AddStringToObject(r, "storageVersionHash", hash);
    free(hash);
}

static void add_kind(cJSON *arr, const sim_kind *k)
{
    cJSON *r = resource(k->plural, k->singular, k->namespaced, NULL, NULL, k->kind, all_verbs);
    if (k->short_names[0])
        cJSON_AddItemToObject(r, "shortNames", string_array(k->short_names, 3));
    if (k->categories[0])
        cJSON_AddItemToObject(r, "categories", string_array(k->categories, 3));
    add_storage_version_hash(r, k);
    cJSON_AddItemToArray(arr, r);
    char sub[96];
    if (k->has_log) {
        snprintf(sub, sizeof sub, "%s/log", k->plural);
        cJSON_AddItemToArray(arr, resource(sub, "", k->namespaced, NULL, NULL, k->kind, get_verb));
    }
    if (k->has_scale) {
        snprintf(sub, sizeof sub, "%s/scale", k->plural);
        cJSON_AddItemToArray(arr, resource(sub, "", k->namespaced, "autoscaling", "v1", "Scale", sub_verbs));
    }
    if (k->has_status) {
        snprintf(sub, sizeof sub, "%s/status", k->plural);
        cJSON_AddItemToArray(arr, resource(sub, "", k->namespaced, NULL, NULL, k->kind, sub_verbs));
    }
}

cJSON *sim_discovery_resources(const char *group, const char *version)
{
    bool core = group[0] == '\0';
    bool served = core ? strcmp(version, "v1") == 0 : false;
    for (size_t i = 0; !core && i < N_GROUPS; i++)
        served |= strcmp(groups[i].group, group) == 0 && strcmp(groups[i].version, version) == 0;
    if (!served)
        return NULL;
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "kind", "APIResourceList");
    if (core) {
        cJSON_AddStringToObject(l, "groupVersion", "v1");
    } else {
        cJSON_AddStringToObject(l, "apiVersion", "v1");
        char gv[128];
        snprintf(gv, sizeof gv, "%s/%s", group, version);
        cJSON_AddStringToObject(l, "groupVersion", gv);
    }
    cJSON *arr = cJSON_AddArrayToObject(l, "resources");
    if (strcmp(group, AUTHZ_GROUP) == 0)
        cJSON_AddItemToArray(arr, resource("selfsubjectaccessreviews", "selfsubjectaccessreview", false, NULL, NULL,
                                           "SelfSubjectAccessReview", create_verb));
    /* kube-apiserver sorts resources by name, so a kind is followed by its subresources. */
    const sim_kind *sorted[SIM_KIND_COUNT];
    size_t n = 0;
    for (int id = 0; id < SIM_KIND_COUNT; id++) {
        const sim_kind *k = sim_kind_get((sim_kind_id)id);
        if (strcmp(k->group, group) == 0 && strcmp(k->version, version) == 0)
            sorted[n++] = k;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(sorted[j - 1]->plural, sorted[j]->plural) > 0; j--) {
            const sim_kind *t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++)
        add_kind(arr, sorted[i]);
    return l;
}
