/* The scale subresource: the autoscaling/v1 Scale document of an object, and writes through it. */
#include <stdint.h>
#include <stdlib.h>

#include "sim/store_internal.h"

cJSON *store_scale_of(const sim_kind *k, const cJSON *obj)
{
    cJSON *sc = cJSON_CreateObject();
    cJSON_AddStringToObject(sc, "kind", "Scale");
    cJSON_AddStringToObject(sc, "apiVersion", "autoscaling/v1");
    cJSON *md = cJSON_AddObjectToObject(sc, "metadata");
    static const char *const fields[] = {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = meta_str(obj, fields[i]);
        if (v)
            cJSON_AddStringToObject(md, fields[i], v);
    }
    int64_t spec = 0, status = 0;
    json_int_at(&spec, obj, "spec", "replicas", NULL);
    json_int_at(&status, obj, "status", "replicas", NULL);
    /* autoscaling/v1 ScaleSpec.Replicas is `json:"replicas,omitempty"`: a Scale of zero has spec {} */
    cJSON *sspec = cJSON_AddObjectToObject(sc, "spec");
    if (spec != 0)
        cJSON_AddNumberToObject(sspec, "replicas", (double)spec);
    cJSON *st = cJSON_AddObjectToObject(sc, "status");
    cJSON_AddNumberToObject(st, "replicas", (double)status);
    /* Deployments and StatefulSets report their pod selector; NodePools have none. */
    const cJSON *ml = json_at(obj, "spec", "selector", "matchLabels", NULL);
    if (k->id != SIM_NODEPOOL && cJSON_IsObject(ml) && ml->child) {
        buf sel = BUF_INIT;
        const cJSON *l;
        cJSON_ArrayForEach(l, ml)
        {
            if (cJSON_IsString(l))
                buf_printf(&sel, "%s%s=%s", sel.len ? "," : "", l->string, l->valuestring);
        }
        cJSON_AddStringToObject(st, "selector", buf_str(&sel));
        buf_free(&sel);
    }
    return sc;
}

/* PUT or PATCH of a Scale: spec.replicas goes into the object (absent: 0, as Go decodes an omitted
 * int32), which is then validated whole, CRD rules included (apiextensions-apiserver's ScaleREST
 * updates the custom resource through its strategy); the answer is the new Scale. */
sim_reply store_write_scale(sim_store *s, const sim_kind *k, entry *e, const cJSON *scale, bool dry)
{
    int64_t replicas = 0;
    const cJSON *given = json_at(scale, "spec", "replicas", NULL);
    if ((given && !json_int_at(&replicas, scale, "spec", "replicas", NULL)) || replicas < 0 || replicas > INT32_MAX) {
        const cJSON *v = json_at(scale, "spec", "replicas", NULL);
        char *txt = v ? cJSON_PrintUnformatted(v) : NULL;
        char msg[256];
        snprintf(msg, sizeof msg, "Invalid value: %.100s: must be greater than or equal to 0", txt ? txt : "null");
        free(txt);
        /* the apiserver names the Scale kind here, not the scaled one */
        static const sim_kind scale_kind = {.group = "autoscaling", .version = "v1", .kind = "Scale"};
        cJSON *st = sim_status_invalid(&scale_kind, meta_str(e->obj, "name"), "spec.replicas", "FieldValueInvalid",
                                       msg);
        return reply_obj(422, st);
    }
    cJSON *next = cJSON_Duplicate(e->obj, true);
    json_set_num(json_obj_child(next, "spec"), "replicas", (double)replicas);
    sim_reply r = store_commit_write(s, k, e, next, SCOPE_MAIN, true, dry);
    if (r.code == 200) {
        cJSON *sc = store_scale_of(k, r.body);
        cJSON_Delete(r.body);
        r.body = sc;
    }
    return r;
}
