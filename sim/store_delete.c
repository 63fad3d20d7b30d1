/* Delete: DeleteOptions preconditions, dry runs, graceful pod deletion, finalizers (a delete that waits),
 * and namespaces that take their contents with them. */
#include <stdint.h>
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

/* registry/store.go finalizeDelete: the object for the registries that return it, else a Status
 * naming it (details.kind is the plural resource, as the registry writes it). */
static sim_reply delete_success(const sim_kind *k, cJSON *gone)
{
    if (k->returns_deleted)
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

/* What a DeleteOptions asks for. */
typedef struct delete_opts {
    bool dry;
    bool has_grace;
    int64_t grace;
    const char *want_uid, *want_rv;
} delete_opts;

static void delete_opts_of(const cJSON *options, delete_opts *o)
{
    memset(o, 0, sizeof *o);
    if (!options) { /* the registry's "nil means delete immediately" */
        o->has_grace = true;
        return;
    }
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(options, "dryRun"))
    {
        o->dry |= cJSON_IsString(d) && strcmp(d->valuestring, "All") == 0;
    }
    o->has_grace = json_int_at(&o->grace, options, "gracePeriodSeconds", NULL);
    if (o->has_grace && o->grace < 0)
        o->grace = 1; /* rest.BeforeDelete: a negative period is 1 s on the delete path */
    o->want_uid = json_str_at(options, "preconditions", "uid", NULL);
    o->want_rv = json_str_at(options, "preconditions", "resourceVersion", NULL);
}

static int64_t meta_int(const cJSON *obj, const char *field, int64_t dflt)
{
    int64_t v = dflt;
    json_int_at(&v, obj, "metadata", field, NULL);
    return v;
}

static void bump_generation(cJSON *obj)
{
    int64_t g = meta_int(obj, "generation", 0);
    if (g > 0)
        json_set_num(json_obj_child(obj, "metadata"), "generation", (double)(g + 1));
}

static void set_deletion(cJSON *obj, time_t at, int64_t grace)
{
    char ts[21];
    rfc3339_format(at, ts);
    cJSON *md = json_obj_child(obj, "metadata");
    json_set_str(md, "deletionTimestamp", ts);
    json_set_num(md, "deletionGracePeriodSeconds", (double)grace);
}

typedef enum { GRACE_NONE, GRACE_SET, GRACE_PENDING } grace_step;

/* The pod strategy's CheckGracefulDelete and rest.BeforeDelete, on next (a copy of the stored pod):
 * GRACE_SET when it now carries a (new or shorter) deletion grace period, GRACE_PENDING when a
 * graceful deletion already under way stays as it is, GRACE_NONE when the pod goes at once. *period
 * gets the grace period in force. */
static grace_step pod_grace(sim_store *s, cJSON *next, const delete_opts *o, int64_t *period)
{
    time_t now = store_now(s);
    const char *dts = meta_str(next, "deletionTimestamp");
    if (dts) {
        int64_t have = meta_int(next, "deletionGracePeriodSeconds", 0);
        *period = have;
        if (have == 0)
            return GRACE_NONE;
        if (!o->has_grace || o->grace >= have)
            return GRACE_PENDING; /* only a shorter grace period may be given */
        time_t was = 0;
        rfc3339_parse(dts, &was);
        time_t at = was - (time_t)have + (time_t)o->grace;
        int64_t p = o->grace;
        if (at < now) { /* never into the past: a graceful request keeps at least a second */
            at = now;
            if (p != 0)
                p = 1;
        }
        set_deletion(next, at, p);
        *period = p;
        return GRACE_SET;
    }
    int64_t p = 0;
    if (o->has_grace)
        p = o->grace;
    else
        json_int_at(&p, next, "spec", "terminationGracePeriodSeconds", NULL);
    const char *node = json_str_at(next, "spec", "nodeName", NULL);
    const char *phase = json_str_at(next, "status", "phase", NULL);
    if (!node || !*node)
        p = 0; /* not scheduled: no kubelet to wait for */
    if (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0))
        p = 0;
    set_deletion(next, now + (time_t)p, p);
    bump_generation(next);
    *period = p;
    return GRACE_SET;
}

/* Stores next in place of e's object (a MODIFIED event), unless dry. Returns next's copy. */
static cJSON *store_marked(sim_store *s, const sim_kind *k, entry *e, cJSON *next, bool dry)
{
    if (dry)
        return next;
    cJSON *old = e->obj;
    s->rv++;
    store_set_rv(next, s->rv);
    store_replace(s, k, e, next);
    store_emit(s, k, EV_MODIFIED, next, old);
    return cJSON_Duplicate(next, true);
}

sim_reply sim_store_delete(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *options)
{
    delete_opts o;
    delete_opts_of(options, &o);
    lock(s);
    sim_reply r;
    entry *e = store_lookup(s, k, ns, name);
    if (!e) {
        r = store_not_found(k, name ? name : "");
    } else if (o.want_uid && strcmp(o.want_uid, meta_str(e->obj, "uid") ? meta_str(e->obj, "uid") : "") != 0) {
        r = precondition_failed(k, name, "UID", o.want_uid, meta_str(e->obj, "uid"),
                                "The object might have been deleted and then recreated");
    } else if (o.want_rv && !store_rv_matches(e->obj, o.want_rv)) {
        r = precondition_failed(k, name, "ResourceVersion", o.want_rv, meta_str(e->obj, "resourceVersion"),
                                "The object might have been modified");
    } else if (k->id == SIM_NAMESPACE) {
        cJSON *gone;
        if (o.dry) {
            gone = cJSON_Duplicate(e->obj, true);
        } else {
            char *nsname = xstrdup(name);
            delete_namespace_contents(s, nsname);
            gone = store_remove_object(s, k, store_lookup(s, k, NULL, nsname));
            free(nsname);
        }
        json_set_str(json_obj_child(gone, "status"), "phase", "Terminating");
        r = delete_success(k, gone);
    } else {
        cJSON *next = cJSON_Duplicate(e->obj, true);
        int64_t period = 0;
        grace_step g = k->id == SIM_POD ? pod_grace(s, next, &o, &period) : GRACE_NONE;
        bool finalizers = !store_finalizers_empty(next);
        if (g == GRACE_PENDING) {
            cJSON_Delete(next);
            r = delete_success(k, cJSON_Duplicate(e->obj, true)); /* already going: nothing new */
        } else if (finalizers || (g == GRACE_SET && period > 0)) {
            if (g == GRACE_NONE) { /* registry/store.go markAsDeleting */
                if (!meta_str(next, "deletionTimestamp")) {
                    bump_generation(next);
                    set_deletion(next, store_now(s), 0);
                } else {
                    json_set_num(json_obj_child(next, "metadata"), "deletionGracePeriodSeconds", 0);
                }
            }
            if (cJSON_Compare(next, e->obj, true)) {
                cJSON_Delete(next);
                r = reply_obj(200, cJSON_Duplicate(e->obj, true));
            } else {
                r = reply_obj(200, store_marked(s, k, e, next, o.dry));
            }
        } else if (o.dry) {
            r = delete_success(k, next);
        } else {
            if (g == GRACE_SET && !meta_str(e->obj, "deletionTimestamp")) {
                cJSON *shown = store_marked(s, k, e, next, false); /* the update, then the delete */
                cJSON_Delete(shown);
            } else {
                cJSON_Delete(next);
            }
            r = delete_success(k, store_remove_object(s, k, e));
        }
    }
    unlock(s);
    return r;
}
