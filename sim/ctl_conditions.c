/* Status conditions as the HyperShift controllers write them, and JSON setters that leave a value
 * alone when it is already there (so that a reconcile that changes nothing writes nothing). */
#include "sim/ctl_internal.h"

#include <string.h>

#include "common/jsonutil.h"

void ctl_set_str(cJSON *obj, const char *key, const char *value)
{
    const char *cur = json_str_at(obj, key, NULL);
    if (!cur || strcmp(cur, value) != 0)
        json_set_str(obj, key, value);
}

void ctl_set_num(cJSON *obj, const char *key, double value)
{
    cJSON *cur = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(cur) || cur->valuedouble != value)
        json_set_num(obj, key, value);
}

cJSON *ctl_array_child(cJSON *parent, const char *key)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(parent, key);
    if (!cJSON_IsArray(a)) {
        a = cJSON_CreateArray();
        json_set_item(parent, key, a);
    }
    return a;
}

cJSON *ctl_cond_find(const cJSON *conds, const char *type)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, conds)
    {
        const char *t = json_str_at(c, "type", NULL);
        if (t && strcmp(t, type) == 0)
            return (cJSON *)c;
    }
    return NULL;
}

const char *ctl_cond_status(const cJSON *conds, const char *type)
{
    return json_str_at(ctl_cond_find(conds, type), "status", NULL);
}

cJSON *ctl_status_conditions(cJSON *obj, int64_t *gen, cJSON **status)
{
    *gen = 1;
    json_int_at(gen, obj, "metadata", "generation", NULL);
    *status = json_obj_child(obj, "status");
    return ctl_array_child(*status, "conditions");
}

void ctl_cond_set(cJSON *conds, const char *type, const char *status, const char *reason, const char *message,
                  const char *severity, int64_t gen, const char *now)
{
    cJSON *c = ctl_cond_find(conds, type);
    if (!c) {
        c = cJSON_CreateObject();
        json_set_str(c, "type", type);
        json_set_str(c, "status", status);
        cJSON_AddItemToArray(conds, c);
        json_set_str(c, "lastTransitionTime", now);
    } else {
        const char *cur = json_str_at(c, "status", NULL);
        if (!cur || strcmp(cur, status) != 0) {
            json_set_str(c, "status", status);
            json_set_str(c, "lastTransitionTime", now);
        }
    }
    ctl_set_str(c, "reason", reason);
    if (message)
        ctl_set_str(c, "message", message);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(c, "message");
    if (severity)
        ctl_set_str(c, "severity", severity);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(c, "severity");
    ctl_set_num(c, "observedGeneration", (double)gen);
}
