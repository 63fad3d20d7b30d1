/* The pvc-protection controller (pkg/controller/volume/pvcprotection): a claim being deleted keeps
 * its kubernetes.io/pvc-protection finalizer while a scheduled pod of its namespace names it in
 * spec.volumes[].persistentVolumeClaim.claimName (podUsesPVC: whatever the pod's phase), and loses
 * it, and so goes, once none does. The admission that adds the finalizer is in sim/store_admit.c. */
#include "sim/ctl_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"

typedef struct claim_ref {
    char *ns, *name;
} claim_ref;

typedef struct claim_list {
    claim_ref *v;
    size_t n, cap;
} claim_list;

static bool has_protection(const cJSON *pvc)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, json_at(pvc, "metadata", "finalizers", NULL))
    {
        if (cJSON_IsString(f) && strcmp(f->valuestring, SIM_PVC_PROTECTION_FINALIZER) == 0)
            return true;
    }
    return false;
}

static void collect_deleting(const cJSON *pvc, void *ctx)
{
    claim_list *l = ctx;
    if (!json_str_at(pvc, "metadata", "deletionTimestamp", NULL) || !has_protection(pvc))
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].ns = xstrdup(str_or(json_str_at(pvc, "metadata", "namespace", NULL), ""));
    l->v[l->n].name = xstrdup(str_or(json_str_at(pvc, "metadata", "name", NULL), ""));
    l->n++;
}

typedef struct use_check {
    const char *claim;
    bool used;
} use_check;

static void pod_uses(const cJSON *pod, void *ctx)
{
    use_check *u = ctx;
    const char *node = json_str_at(pod, "spec", "nodeName", NULL);
    if (u->used || !node || !*node)
        return; /* an unscheduled pod cannot start with a claim being deleted */
    const cJSON *v;
    cJSON_ArrayForEach(v, json_at(pod, "spec", "volumes", NULL))
    {
        const char *cn = json_str_at(v, "persistentVolumeClaim", "claimName", NULL);
        if (cn && strcmp(cn, u->claim) == 0)
            u->used = true;
    }
}

void ctl_volumes_step(sim_controllers *c)
{
    claim_list l = {0};
    if (sim_store_deleting(c->s, sim_kind_get(SIM_PVC)) == 0)
        return;
    sim_store_foreach(c->s, sim_kind_get(SIM_PVC), NULL, collect_deleting, &l);
    for (size_t i = 0; i < l.n; i++) {
        use_check u = {l.v[i].name, false};
        sim_store_foreach(c->s, sim_kind_get(SIM_POD), l.v[i].ns, pod_uses, &u);
        if (!u.used)
            sim_store_mutate(c->s, sim_kind_get(SIM_PVC), l.v[i].ns, l.v[i].name, ctl_remove_finalizer, (void *)SIM_PVC_PROTECTION_FINALIZER);
        free(l.v[i].ns);
        free(l.v[i].name);
    }
    free(l.v);
}
