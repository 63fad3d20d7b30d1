/* Delete: DeleteOptions preconditions, finalizers (a delete that waits), and namespaces that take their
 * contents with them. */
#include <stdlib.h>
#include <string.h>

#include "sim/store_internal.h"

/* 409 for a failed DeleteOptions precondition: the apiserver names the Kind here, not the resource. */
static sim_reply precondition_failed(const sim_kind *k, const char *name, const char *what, const char *want,
                                     const char *have, const char *tail)
{
    char *m = xasprintf("Operation cannot be fulfilled on %s%s%s \"%s\": the %s in the precondition (%s) does not "
                        "match the %s in record (%s). %s",
                        k->kind, *k->group ? "." : "", k->group, name, what, want, what, have ? have : "", tail);
    sim_reply r = sim_reply_status(409, "Conflict", m, k, name);
    json_set_str(cJSON_GetObjectItemCaseSensitive(r.body, "details"), "kind", k->kind);
    free(m);
    return r;
}

/* Deletes every namespaced object in ns, each with its own DELETED event. */
static void delete_namespace_contents(sim_store *s, const char *ns)
{
    for (size_t id = 0; id < SIM_KIND_COUNT; id++) {
        const sim_kind *k = sim_kind_get((sim_kind_id)id);
        if (!k->namespaced)
            continue;
        table *t = &s->t[id];
        size_t b, e;
        store_table_range(t, k, ns, &b, &e);
        for (size_t n = e - b; n > 0; n--)
            cJSON_Delete(store_remove_object(s, k, &t->v[b]));
    }
}

static sim_reply delete_success(const sim_kind *k, cJSON *gone)
{
    if (!k->custom)
        return reply_obj(200, gone);
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "kind", "Status");
    cJSON_AddStringToObject(st, "apiVersion", "v1");
    cJSON_AddItemToObject(st, "metadata", cJSON_CreateObject());
    cJSON_AddStringToObject(st, "status", "Success");
    cJSON *d = cJSON_AddObjectToObject(st, "details");
    cJSON_AddStringToObject(d, "name", meta_str(gone, "name") ? meta_str(gone, "name") : "");
    cJSON_AddStringToObject(d, "group", k->group);
    cJSON_AddStringToObject(d, "kind", k->plural);
    cJSON_AddStringToObject(d, "uid", meta_str(gone, "uid") ? meta_str(gone, "uid") : "");
    cJSON_Delete(gone);
    return reply_obj(200, st);
}

sim_reply sim_store_delete(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *options)
{
    lock(s);
    sim_reply r;
    entry *e = store_lookup(s, k, ns, name);
    const char *want_uid = json_str_at(options, "preconditions", "uid", NULL);
    const char *want_rv = json_str_at(options, "preconditions", "resourceVersion", NULL);
    if (!e) {
        r = store_not_found(k, name ? name : "");
    } else if (want_uid && strcmp(want_uid, meta_str(e->obj, "uid") ? meta_str(e->obj, "uid") : "") != 0) {
        r = precondition_failed(k, name, "UID", want_uid, meta_str(e->obj, "uid"),
                                "The object might have been deleted and then recreated");
    } else if (want_rv && !store_rv_matches(e->obj, want_rv)) {
        r = precondition_failed(k, name, "ResourceVersion", want_rv, meta_str(e->obj, "resourceVersion"),
                                "The object might have been modified");
    } else if (k->id == SIM_NAMESPACE) {
        char *nsname = xstrdup(name);
        delete_namespace_contents(s, nsname);
        e = store_lookup(s, k, NULL, nsname);
        cJSON *gone = store_remove_object(s, k, e);
        json_set_str(json_obj_child(gone, "status"), "phase", "Terminating");
        r = delete_success(k, gone);
        free(nsname);
    } else if (!store_finalizers_empty(e->obj)) {
        if (meta_str(e->obj, "deletionTimestamp")) {
            r = reply_obj(200, cJSON_Duplicate(e->obj, true)); /* already going: nothing new */
        } else {
            cJSON *next = cJSON_Duplicate(e->obj, true);
            cJSON *md = json_obj_child(next, "metadata");
            char ts[21];
            now_rfc3339(s, ts);
            json_set_str(md, "deletionTimestamp", ts);
            json_set_num(md, "deletionGracePeriodSeconds", 0);
            if (has_generation(k)) {
                int64_t g = 0;
                json_int_at(&g, next, "metadata", "generation", NULL);
                json_set_num(md, "generation", (double)(g + 1));
            }
            cJSON *old = e->obj;
            s->rv++;
            store_set_rv(next, s->rv);
            e->obj = next;
            store_emit(s, k, EV_MODIFIED, next, old);
            r = reply_obj(200, cJSON_Duplicate(next, true));
        }
    } else {
        r = delete_success(k, store_remove_object(s, k, e));
    }
    unlock(s);
    return r;
}
