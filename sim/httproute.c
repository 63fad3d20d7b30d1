#include "sim/httproute.h"

#include <string.h>

#define MAX_SEGMENTS 10

/* Splits "/a/b/c" into segments; false on an empty segment, a too-long one, or too many. */
static bool split(const char *path, char seg[][SIM_ROUTE_NAME_MAX + 1], int *n)
{
    *n = 0;
    if (path[0] != '/')
        return false;
    const char *p = path + 1;
    if (*p == '\0')
        return true;
    for (;;) {
        size_t len = strcspn(p, "/");
        if (len == 0) {
            /* kube-apiserver tolerates one trailing slash ("/apis/"), nothing else empty */
            return p[0] == '\0' && *n > 0;
        }
        if (len > SIM_ROUTE_NAME_MAX || *n == MAX_SEGMENTS)
            return false;
        memcpy(seg[*n], p, len);
        seg[*n][len] = '\0';
        (*n)++;
        if (p[len] == '\0')
            return true;
        p += len + 1;
        if (*p == '\0')
            return true;
    }
}

static bool copy_to(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

static bool sub_allowed(const sim_kind *k, const char *sub)
{
    return (strcmp(sub, "status") == 0 && k->has_status) || (strcmp(sub, "scale") == 0 && k->has_scale) ||
           (strcmp(sub, "log") == 0 && k->has_log);
}

/* The part after /api/v1 or /apis/G/V: seg[0..n). */
static void parse_resource_path(char seg[][SIM_ROUTE_NAME_MAX + 1], int n, sim_route *r)
{
    r->type = SIM_ROUTE_NOT_FOUND;
    int i = 0;
    /* namespaces/NS/PLURAL...: a namespaced path, unless PLURAL is not a kind (then it is the
     * Namespace object NS and a subresource of it, like namespaces/NS/status) */
    if (n >= 3 && strcmp(seg[0], "namespaces") == 0 && r->group[0] == '\0' && strcmp(r->version, "v1") == 0 &&
        !sim_kind_find(r->group, r->version, seg[2]))
        goto cluster_scoped;
    if (n >= 3 && strcmp(seg[0], "namespaces") == 0) {
        const sim_kind *k = sim_kind_find(r->group, r->version, seg[2]);
        if (!k || !k->namespaced)
            return;
        strcpy(r->ns, seg[1]);
        r->kind = k;
        i = 3;
    } else {
    cluster_scoped:;
        if (n < 1)
            return;
        const sim_kind *k = sim_kind_find(r->group, r->version, seg[0]);
        if (!k)
            return;
        r->kind = k;
        i = 1;
        /* a namespaced kind is listed cluster-wide, but its objects need a namespace */
        if (k->namespaced && n > 1)
            return;
    }
    if (i == n) {
        r->type = SIM_ROUTE_COLLECTION;
        return;
    }
    strcpy(r->name, seg[i]);
    if (i + 1 == n) {
        r->type = SIM_ROUTE_OBJECT;
        return;
    }
    if (i + 2 == n && sub_allowed(r->kind, seg[i + 1]) && copy_to(r->sub, sizeof r->sub, seg[i + 1]))
        r->type = SIM_ROUTE_OBJECT;
}

void sim_route_parse(const char *path, sim_route *r)
{
    memset(r, 0, sizeof *r);
    char seg[MAX_SEGMENTS][SIM_ROUTE_NAME_MAX + 1];
    int n;
    if (!path || !split(path, seg, &n) || n == 0)
        return;
    if (strcmp(seg[0], "version") == 0) {
        if (n == 1)
            r->type = SIM_ROUTE_VERSION;
        return;
    }
    if (strcmp(seg[0], "api") == 0) {
        if (n == 1) {
            r->type = SIM_ROUTE_API;
            return;
        }
        if (strcmp(seg[1], "v1") != 0)
            return;
        strcpy(r->version, "v1");
        if (n == 2)
            r->type = SIM_ROUTE_RESOURCES;
        else
            parse_resource_path(seg + 2, n - 2, r);
        return;
    }
    if (strcmp(seg[0], "apis") != 0)
        return;
    if (n == 1) {
        r->type = SIM_ROUTE_APIS;
        return;
    }
    if (!copy_to(r->group, sizeof r->group, seg[1]))
        return;
    if (n == 2) {
        r->type = SIM_ROUTE_GROUP;
        return;
    }
    if (!copy_to(r->version, sizeof r->version, seg[2]))
        return;
    if (n == 3) {
        r->type = SIM_ROUTE_RESOURCES;
        return;
    }
    if (strcmp(r->group, "authorization.k8s.io") == 0) {
        if (n == 4 && strcmp(r->version, "v1") == 0 && strcmp(seg[3], "selfsubjectaccessreviews") == 0)
            r->type = SIM_ROUTE_SSAR;
        return;
    }
    parse_resource_path(seg + 3, n - 3, r);
}
