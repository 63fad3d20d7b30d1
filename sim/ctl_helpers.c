/* The small object helpers every controller module uses: create an object the operators own, look
 * up an object's uid for an Event, the pace annotations, member indexes of etcd names, and dropping
 * the hypershift-operator's finalizer. They call nothing of the controllers, so calls go one way:
 * controllers.c -> ctl_<job>.c -> ctl_helpers.c (and ctl_map.c, ctl_conditions.c, ctl_events.c). */
#include "sim/ctl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"

void ctl_create_obj(sim_controllers *c, sim_kind_id kind, cJSON *obj)
{
    const char *ns = json_str_at(obj, "metadata", "namespace", NULL);
    sim_reply r = sim_store_create(c->s, sim_kind_get(kind), ns, obj, NULL);
    cJSON_Delete(r.body);
    cJSON_Delete(obj);
}

const char *ctl_uid_of(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, char *out, size_t outlen)
{
    sim_reply r = sim_store_get(c->s, sim_kind_get(kind), ns, name, SIM_SUB_NONE);
    snprintf(out, outlen, "%s", str_or(json_str_at(r.body, "metadata", "uid", NULL), ""));
    cJSON_Delete(r.body);
    return out;
}

int ctl_pace_of(const cJSON *obj, const char *annotation, int dflt)
{
    const char *v = json_str_at(obj, "metadata", "annotations", annotation, NULL);
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    return v && *v && !*end && n >= 1 && n <= 1000000 ? (int)n : dflt;
}

int ctl_member_index(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!name || strncmp(name, prefix, n) != 0 || name[n] < '0' || name[n] > '9' || name[n + 1])
        return -1;
    int i = name[n] - '0';
    return i < MAX_MEMBERS ? i : -1;
}

bool ctl_remove_finalizer(cJSON *obj, void *ctx)
{
    const char *finalizer = ctx;
    cJSON *fin = json_at(obj, "metadata", "finalizers", NULL);
    for (int i = cJSON_GetArraySize(fin) - 1; i >= 0; i--) {
        cJSON *it = cJSON_GetArrayItem(fin, i);
        if (cJSON_IsString(it) && strcmp(it->valuestring, finalizer) == 0)
            cJSON_DeleteItemFromArray(fin, i);
    }
    if (fin && cJSON_GetArraySize(fin) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(json_obj_child(obj, "metadata"), "finalizers");
    return true;
}
