#include "sim/rbac.h"

#include <string.h>

typedef struct rule {
    const char *group;
    const char *const *resources; /* "pods" or "pods/log" */
} rule;

static const char *const core_view[] = {"pods",
                                        "pods/log",
                                        "pods/status",
                                        "services",
                                        "services/status",
                                        "endpoints",
                                        "persistentvolumeclaims",
                                        "persistentvolumeclaims/status",
                                        "configmaps",
                                        "events",
                                        "namespaces",
                                        "namespaces/status",
                                        NULL};
static const char *const apps_view[] = {"statefulsets",        "statefulsets/scale", "statefulsets/status",
                                        "deployments",         "deployments/scale",  "deployments/status",
                                        NULL};
static const char *const hypershift_view[] = {"hostedclusters",      "hostedclusters/status",
                                              "nodepools",           "nodepools/status",
                                              "hostedcontrolplanes", "hostedcontrolplanes/status",
                                              NULL};

static const rule view_rules[] = {
    {"", core_view},
    {"apps", apps_view},
    {"hypershift.openshift.io", hypershift_view},
};

/* The view role's verbs. A request for "*" matches only a rule that grants "*". */
static bool view_verb(const char *verb)
{
    return strcmp(verb, "get") == 0 || strcmp(verb, "list") == 0 || strcmp(verb, "watch") == 0;
}

static bool is_admin(sim_identity id)
{
    return id == SIM_ID_ADMIN || id == SIM_ID_ADMIN_TOKEN;
}

static bool resource_in(const char *const *list, const char *resource, const char *sub)
{
    size_t n = strlen(resource);
    for (; *list; list++) {
        const char *r = *list;
        if (strncmp(r, resource, n) != 0)
            continue;
        if (sub && *sub ? r[n] == '/' && strcmp(r + n + 1, sub) == 0 : r[n] == '\0')
            return true;
    }
    return false;
}

#define VIEW_REASON                                                                                       \
    "RBAC: allowed by ClusterRoleBinding \"hcpsim-readonly\" of ClusterRole \"view\" to User \"hcpsim-readonly\""
#define AUTHENTICATED(role)                                                                                    \
    "RBAC: allowed by ClusterRoleBinding \"" role "\" of ClusterRole \"" role "\" to Group \"system:authenticated\""

const char *sim_rbac_decide(sim_identity id, const char *verb, const char *group, const char *resource,
                            const char *subresource)
{
    if (is_admin(id))
        return ""; /* system:masters: kube-apiserver's privileged-group authorizer, which gives no reason */
    if (id != SIM_ID_READONLY || !verb || !resource)
        return NULL;
    if (strcmp(group ? group : "", "authorization.k8s.io") == 0 &&
        strcmp(resource, "selfsubjectaccessreviews") == 0 && strcmp(verb, "create") == 0 &&
        !(subresource && *subresource))
        return AUTHENTICATED("system:basic-user");
    if (!view_verb(verb))
        return NULL;
    for (size_t i = 0; i < sizeof view_rules / sizeof view_rules[0]; i++)
        if (strcmp(view_rules[i].group, group ? group : "") == 0 &&
            resource_in(view_rules[i].resources, resource, subresource))
            return VIEW_REASON;
    return NULL;
}

bool sim_rbac_allows(sim_identity id, const char *verb, const char *group, const char *resource,
                     const char *subresource)
{
    return sim_rbac_decide(id, verb, group, resource, subresource) != NULL;
}

const char *sim_rbac_decide_path(sim_identity id, const char *verb, const char *path)
{
    if (is_admin(id))
        return "";
    if (id != SIM_ID_READONLY || !verb || !path || strcmp(verb, "get") != 0)
        return NULL;
    /* system:discovery, then system:public-info-viewer: exact paths, and the prefixes of wildcard ones */
    static const char *const discovery[] = {"/api", "/apis", "/openapi", "/version", "/version/", NULL};
    static const char *const prefixes[] = {"/api/", "/apis/", "/openapi/", NULL};
    static const char *const info[] = {"/healthz", "/livez", "/readyz", NULL};
    for (const char *const *p = discovery; *p; p++)
        if (strcmp(path, *p) == 0)
            return AUTHENTICATED("system:discovery");
    for (const char *const *p = prefixes; *p; p++)
        if (strncmp(path, *p, strlen(*p)) == 0)
            return AUTHENTICATED("system:discovery");
    for (const char *const *p = info; *p; p++)
        if (strcmp(path, *p) == 0)
            return AUTHENTICATED("system:public-info-viewer");
    return NULL;
}
