/* Permissions first (see permissions.h). */
#include "client/permissions.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apierror.h"
#include "client/client.h"
#include "client/task.h"
#include "common/buf.h"
#include "common/jsonutil.h"

#define SSAR_PATH "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

typedef struct perm_need {
    unsigned bit;
    const char *group, *resource, *subresource, *verb;
} perm_need;

static const perm_need needs[PERM_COUNT] = {
    {PERM_PATCH_HOSTEDCLUSTERS, "hypershift.openshift.io", "hostedclusters", NULL, "patch"},
    {PERM_PATCH_NODEPOOLS, "hypershift.openshift.io", "nodepools", NULL, "patch"},
    {PERM_UPDATE_NODEPOOLS_SCALE, "hypershift.openshift.io", "nodepools", "scale", "update"},
    {PERM_DELETE_PODS, "", "pods", NULL, "delete"},
    {PERM_DELETE_PVCS, "", "persistentvolumeclaims", NULL, "delete"},
    {PERM_GET_PODS_LOG, "", "pods", "log", "get"},
};

typedef struct perm_answer {
    perm_state state;
    char why[256];
    uint64_t job;
} perm_answer;

typedef struct permissions permissions;

typedef struct answer_ctx {
    permissions *p;
    int i;
} answer_ctx;

struct permissions {
    client *c;
    char *ns;
    perm_answer a[PERM_COUNT];
    answer_ctx ctx[PERM_COUNT]; /* each answer's callback argument */
    bool sent;
};

static int index_of(unsigned bit)
{
    for (int i = 0; i < PERM_COUNT; i++)
        if (needs[i].bit == bit)
            return i;
    return -1;
}

char *permissions_review_body(unsigned perm, const char *ns)
{
    int i = index_of(perm);
    if (i < 0)
        return NULL;
    const perm_need *n = &needs[i];
    cJSON *o = cJSON_CreateObject();
    json_set_str(o, "apiVersion", "authorization.k8s.io/v1");
    json_set_str(o, "kind", "SelfSubjectAccessReview");
    cJSON *ra = json_obj_child(json_obj_child(o, "spec"), "resourceAttributes");
    if (ns && ns[0])
        json_set_str(ra, "namespace", ns);
    json_set_str(ra, "verb", n->verb);
    json_set_str(ra, "group", n->group);
    json_set_str(ra, "resource", n->resource);
    if (n->subresource)
        json_set_str(ra, "subresource", n->subresource);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char *out = xstrdup(s ? s : "{}");
    cJSON_free(s);
    return out;
}

static void what(const perm_need *n, const char *ns, char *out, size_t outlen)
{
    snprintf(out, outlen, "cannot %s %s%s%s %s%s", n->verb, n->resource, n->subresource ? "/" : "",
             n->subresource ? n->subresource : "", ns && ns[0] ? "in namespace " : "in every namespace",
             ns && ns[0] ? ns : "");
}

static void on_answer(void *ud, const transport_response *r)
{
    answer_ctx *ac = ud;
    permissions *p = ac->p;
    perm_answer *a = &p->a[ac->i];
    a->job = 0;
    char *err = apierror_describe(r, NULL);
    if (err) {
        snprintf(a->why, sizeof a->why, "could not ask: %s", err);
        free(err);
        return;
    }
    cJSON *o = cJSON_Parse(r->body);
    cJSON *allowed = json_at(o, "status", "allowed", NULL);
    const char *reason = json_str_at(o, "status", "reason", NULL);
    if (cJSON_IsBool(allowed)) {
        a->state = cJSON_IsTrue(allowed) ? PERM_ALLOWED : PERM_DENIED;
        if (a->state == PERM_DENIED) {
            char w[200];
            what(&needs[ac->i], p->ns, w, sizeof w);
            snprintf(a->why, sizeof a->why, "%s%s%s", w, reason && reason[0] ? ": " : "",
                     reason && reason[0] ? reason : "");
        }
    } else {
        snprintf(a->why, sizeof a->why, "could not ask: the answer has no status.allowed");
    }
    cJSON_Delete(o);
}

static bool perm_step(void *self)
{
    permissions *p = self;
    if (p->sent)
        return true;
    p->sent = true;
    transport *t = client_transport(p->c);
    for (int i = 0; i < PERM_COUNT; i++) {
        char *body = permissions_review_body(needs[i].bit, p->ns);
        answer_ctx *ac = &p->ctx[i];
        ac->p = p;
        ac->i = i;
        transport_request req = {.method = "POST", .path = SSAR_PATH, .body = body, .body_len = strlen(body),
                                 .label = "selfsubjectaccessreviews create", .on_done = on_answer, .ud = ac};
        p->a[i].job = transport_submit(t, &req);
        free(body);
    }
    return true;
}

static void perm_free(void *self)
{
    permissions *p = self;
    transport *t = client_transport(p->c);
    for (int i = 0; i < PERM_COUNT; i++)
        if (p->a[i].job) /* no callback runs for it afterwards */
            transport_cancel(t, p->a[i].job);
    free(p->ns);
    free(p);
}

static const client_task_ops permissions_task = {.name = "permissions", .step = perm_step, .free = perm_free};

void client_permissions_start(client *c, const char *ns)
{
    if (client_task_find(c, &permissions_task))
        return;
    permissions *p = xcalloc(1, sizeof *p);
    p->c = c;
    p->ns = ns && ns[0] ? xstrdup(ns) : NULL;
    client_task_add(c, &permissions_task, p);
}

perm_state client_permission(client *c, unsigned perm, char *why, size_t whylen)
{
    permissions *p = client_task_find(c, &permissions_task);
    int i = index_of(perm);
    if (why && whylen)
        why[0] = '\0';
    if (!p || i < 0)
        return PERM_UNKNOWN;
    if (why && whylen)
        snprintf(why, whylen, "%s", p->a[i].why);
    return p->a[i].state;
}

unsigned client_permissions_denied(client *c, unsigned perms, char *why, size_t whylen)
{
    for (int i = 0; i < PERM_COUNT; i++)
        if ((perms & needs[i].bit) && client_permission(c, needs[i].bit, why, whylen) == PERM_DENIED)
            return needs[i].bit;
    return 0;
}

bool client_permissions_read_only(client *c)
{
    for (int i = 0; i < PERM_COUNT; i++) {
        if (needs[i].bit == PERM_GET_PODS_LOG) /* a read */
            continue;
        if (client_permission(c, needs[i].bit, NULL, 0) != PERM_DENIED)
            return false;
    }
    return true;
}
