/* The store: lifecycle, get, and the write path (update, patch, mutate). The design (tables, the event
 * ring, copy on write) is described in sim/store_internal.h. */
#include "sim/store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/jsonread.h"
#include "sim/patch.h"
#include "sim/store_internal.h"

#define DEFAULT_EVENT_WINDOW 1024

/* A subresource the kind does not have: the apiserver's answer for an unknown path. */
static bool lacks_subresource(const sim_kind *k, sim_subresource sub)
{
    return (sub == SIM_SUB_SCALE && !k->has_scale) || (sub == SIM_SUB_STATUS && !k->has_status);
}

/* ---- lifecycle ------------------------------------------------------------------------------------ */

sim_store *sim_store_new(const sim_store_opts *opts)
{
    sim_store *s = xcalloc(1, sizeof *s);
    if (opts)
        s->opts = *opts;
    s->ring_cap = s->opts.event_window ? s->opts.event_window : DEFAULT_EVENT_WINDOW;
    s->ring = xcalloc(s->ring_cap, sizeof *s->ring);
    s->rv = 1; /* like etcd, which starts at revision 1: "0" means "any" to clients */
    s->oldest = s->rv + 1;
    s->urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    s->rnd_pos = sizeof s->rnd; /* empty: the first use reads */
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    return s;
}

void sim_store_free(sim_store *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < SIM_KIND_COUNT; k++) {
        for (size_t i = 0; i < s->t[k].n; i++) {
            free(s->t[k].v[i].key);
            cJSON_Delete(s->t[k].v[i].obj);
        }
        free(s->t[k].v);
    }
    for (size_t i = 0; i < s->ring_cap; i++)
        store_event_clear(&s->ring[i]);
    free(s->ring);
    if (s->urandom >= 0)
        close(s->urandom);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

uint64_t sim_store_rv(sim_store *s)
{
    lock(s);
    uint64_t rv = s->rv;
    unlock(s);
    return rv;
}

time_t sim_store_now(sim_store *s)
{
    return store_now(s);
}

size_t sim_store_count(sim_store *s, const sim_kind *k)
{
    lock(s);
    size_t n = s->t[k->id].n;
    unlock(s);
    return n;
}

void sim_store_foreach(sim_store *s, const sim_kind *k, const char *ns, sim_visit_fn fn, void *ctx)
{
    lock(s);
    table *t = &s->t[k->id];
    size_t b, e;
    store_table_range(t, k, ns, &b, &e);
    for (size_t i = b; i < e; i++)
        fn(t->v[i].obj, ctx);
    unlock(s);
}

/* ---- get ------------------------------------------------------------------------------------------ */

sim_reply sim_store_get(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_subresource sub)
{
    lock(s);
    entry *e = store_lookup(s, k, ns, name);
    sim_reply r;
    if (lacks_subresource(k, sub))
        r = store_no_such_resource();
    else if (!e)
        r = store_not_found(k, name ? name : "");
    else if (sub == SIM_SUB_SCALE)
        r = reply_obj(200, store_scale_of(k, e->obj));
    else
        r = reply_obj(200, cJSON_Duplicate(e->obj, true));
    unlock(s);
    return r;
}

/* ---- the write path shared by update, patch and mutate -------------------------------------------- */

/* True when a and b agree on every top-level member except metadata and status. */
static bool same_spec(const cJSON *a, const cJSON *b)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, a)
    {
        if (strcmp(m->string, "metadata") == 0 || strcmp(m->string, "status") == 0)
            continue;
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, m->string);
        if (!o || !cJSON_Compare(m, o, true))
            return false;
    }
    cJSON_ArrayForEach(m, b)
    {
        if (strcmp(m->string, "metadata") == 0 || strcmp(m->string, "status") == 0)
            continue;
        if (!cJSON_GetObjectItemCaseSensitive(a, m->string))
            return false;
    }
    return true;
}

/* Copies member key of from into to (or removes it from to when from lacks it). */
static void carry_member(cJSON *to, const cJSON *from, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    if (v)
        json_set_item(to, key, cJSON_Duplicate(v, true));
    else
        cJSON_DeleteItemFromObjectCaseSensitive(to, key);
}

bool store_finalizers_empty(const cJSON *obj)
{
    const cJSON *f = json_at(obj, "metadata", "finalizers", NULL);
    return !cJSON_IsArray(f) || cJSON_GetArraySize(f) == 0;
}

/* Removes the entry for good: bumps rv, emits DELETED with the last state. Returns that state. */
void store_replace(sim_store *s, const sim_kind *k, entry *e, cJSON *next)
{
    bool was = meta_str(e->obj, "deletionTimestamp") != NULL, is = meta_str(next, "deletionTimestamp") != NULL;
    if (was != is) {
        if (is)
            s->deleting[k->id]++;
        else
            s->deleting[k->id]--;
    }
    e->obj = next;
}

size_t sim_store_deleting(sim_store *s, const sim_kind *k)
{
    lock(s);
    size_t n = s->deleting[k->id];
    unlock(s);
    return n;
}

cJSON *store_remove_object(sim_store *s, const sim_kind *k, entry *e)
{
    if (meta_str(e->obj, "deletionTimestamp"))
        s->deleting[k->id]--;
    cJSON *obj = store_table_remove(&s->t[k->id], e);
    s->rv++;
    store_set_rv(obj, s->rv);
    store_emit(s, k, EV_DELETED, obj, NULL);
    return obj;
}


/* Replaces e's object by next (taken). validate: run the hook. Returns the reply with the stored result
 * (200), or an error. */
sim_reply store_commit_write(sim_store *s, const sim_kind *k, entry *e, cJSON *next, write_scope scope,
                             bool validate, bool dry)
{
    cJSON *old = e->obj;
    if (scope == SCOPE_STATUS) {
        /* /status changes the status and nothing else */
        cJSON *merged = cJSON_Duplicate(old, true);
        carry_member(merged, next, "status");
        cJSON_Delete(next);
        next = merged;
    } else if (k->has_status && scope == SCOPE_MAIN) {
        carry_member(next, old, "status");
    }
    store_set_type_meta(k, next);
    /* Identity and server-managed metadata are the server's: restore them whatever the client sent. */
    cJSON *md = json_obj_child(next, "metadata");
    const cJSON *omd = json_at(old, "metadata", NULL);
    static const char *const kept[] = {"name", "namespace", "uid", "creationTimestamp", "generation",
                                       "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        carry_member(md, omd, kept[i]);
    if (cJSON_Compare(next, old, true)) { /* nothing changed: no new resourceVersion, as the apiserver */
        cJSON_Delete(next);
        return reply_obj(200, cJSON_Duplicate(old, true));
    }
    if (has_generation(k) && !same_spec(next, old)) {
        int64_t g = 0;
        json_int_at(&g, old, "metadata", "generation", NULL);
        json_set_num(md, "generation", (double)(g + 1));
    }
    if (validate && s->opts.validate) {
        cJSON *st = s->opts.validate(k, next, old, s->opts.validate_ctx);
        if (st) {
            cJSON_Delete(next);
            return store_reply_from_status(st);
        }
    }
    if (dry) /* as the registry's dry-run update: the result, not stored, with the stored resourceVersion */
        return reply_obj(200, next);
    int64_t grace = -1;
    json_int_at(&grace, old, "metadata", "deletionGracePeriodSeconds", NULL);
    if (meta_str(next, "deletionTimestamp") && store_finalizers_empty(next) && grace == 0) {
        /* the last finalizer is gone: the pending delete completes (registry/store.go
         * ShouldDeleteDuringUpdate: no finalizers left, and the stored grace period is 0; a pod still in
         * its graceful period stays until its DELETE of grace 0) */
        store_replace(s, k, e, next);
        cJSON_Delete(old);
        cJSON *gone = store_remove_object(s, k, e);
        return reply_obj(200, gone);
    }
    s->rv++;
    store_set_rv(next, s->rv);
    store_replace(s, k, e, next);
    store_emit(s, k, EV_MODIFIED, next, old);
    return reply_obj(200, cJSON_Duplicate(next, true));
}

bool store_rv_matches(const cJSON *obj, const char *want)
{
    const char *have = meta_str(obj, "resourceVersion");
    return have && strcmp(have, want) == 0;
}

/* ---- update (PUT) --------------------------------------------------------------------------------- */

sim_reply sim_store_update(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *obj,
                           sim_subresource sub, const sim_write_opts *wo)
{
    const char *bad = store_shape_error(obj);
    if (bad)
        return store_bad_request(bad);
    if (lacks_subresource(k, sub))
        return store_no_such_resource();
    const char *body_name = meta_str(obj, "name");
    const char *body_ns = meta_str(obj, "namespace");
    char msg[600];
    if (body_name && *body_name && name && strcmp(body_name, name) != 0) {
        snprintf(msg, sizeof msg, "the name of the object (%.200s) does not match the name on the URL (%.200s)",
                 body_name, name);
        return store_bad_request(msg);
    }
    if (k->namespaced && body_ns && *body_ns && ns && *ns && strcmp(body_ns, ns) != 0)
        return store_bad_request("the namespace of the provided object does not match the namespace sent on the request");
    lock(s);
    sim_reply r;
    entry *e = store_lookup(s, k, ns, name);
    const char *want = meta_str(obj, "resourceVersion");
    if (!e) {
        r = store_not_found(k, name ? name : "");
    } else if ((!want || !*want) && k->custom && sub != SIM_SUB_SCALE) {
        /* custom resources do not allow unconditional updates */
        r = reply_obj(422, sim_status_invalid(k, name, "metadata.resourceVersion", "FieldValueInvalid",
                                              "Invalid value: 0x0: must be specified for an update"));
    } else if (want && *want && !store_rv_matches(e->obj, want)) {
        r = store_conflict_modified(k, name);
    } else if (sub == SIM_SUB_SCALE) {
        r = store_write_scale(s, k, e, obj, store_dry(wo));
    } else {
        cJSON *next = cJSON_Duplicate(obj, true);
        if (store_check_fields(k, next, wo, false, &r))
            r = store_commit_write(s, k, e, next, sub == SIM_SUB_STATUS ? SCOPE_STATUS : SCOPE_MAIN, true,
                                   store_dry(wo));
        else
            cJSON_Delete(next);
    }
    unlock(s);
    return r;
}

/* ---- patch ---------------------------------------------------------------------------------------- */

/* 422 as the apiserver's patch handler builds it (NewGenericServerResponse): fixed message, the
 * library's reason as the one cause. */
static sim_reply patch_failed(const char *why)
{
    cJSON *st = sim_status(422, "Invalid", "the server rejected our request due to an error in our request", NULL,
                           NULL);
    cJSON *d = cJSON_CreateObject();
    cJSON *causes = cJSON_AddArrayToObject(d, "causes");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "reason", "UnexpectedServerResponse");
    cJSON_AddStringToObject(c, "message", why);
    cJSON_AddItemToArray(causes, c);
    /* details goes before code */
    cJSON *code = cJSON_DetachItemFromObjectCaseSensitive(st, "code");
    cJSON_AddItemToObject(st, "details", d);
    cJSON_AddItemToObject(st, "code", code);
    return reply_obj(422, st);
}

sim_reply sim_store_patch(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_patch_type type,
                          const char *body, size_t len, sim_subresource sub, const sim_write_opts *wo)
{
    if (type == SIM_PATCH_STRATEGIC && k->custom)
        return sim_reply_status(415, "UnsupportedMediaType",
                                "the body of the request was in an unknown format - accepted media types include: "
                                "application/json-patch+json, application/merge-patch+json, "
                                "application/apply-patch+yaml",
                                NULL, NULL);
    if (lacks_subresource(k, sub))
        return store_no_such_resource();
    sim_json_error jerr;
    cJSON *patch = sim_json_read(body, len, &jerr); /* as Go reads it: lone surrogates become U+FFFD */
    if (!patch)
        return store_bad_request(jerr == SIM_JSON_NUL ? "error decoding patch: " SIM_JSON_NUL_MESSAGE
                                               : "error decoding patch: the body is not valid JSON");
    if (type != SIM_PATCH_JSON && !cJSON_IsObject(patch)) {
        cJSON_Delete(patch);
        return store_bad_request("error decoding patch: a merge patch must be a JSON object");
    }
    if (type == SIM_PATCH_JSON && !cJSON_IsArray(patch)) {
        cJSON_Delete(patch);
        return store_bad_request("error decoding patch: a JSON patch must be an array of operations");
    }
    lock(s);
    sim_reply r;
    entry *e = store_lookup(s, k, ns, name);
    if (!e) {
        r = store_not_found(k, name ? name : "");
        goto out;
    }
    cJSON *doc = sub == SIM_SUB_SCALE ? store_scale_of(k, e->obj) : cJSON_Duplicate(e->obj, true);
    char why[512] = "";
    switch (type) {
    case SIM_PATCH_MERGE: doc = sim_merge_patch(doc, patch); break;
    case SIM_PATCH_STRATEGIC: doc = sim_strategic_merge_patch(doc, patch, why, sizeof why); break;
    case SIM_PATCH_JSON:
        if (!sim_json_patch(&doc, patch, why, sizeof why)) {
            cJSON_Delete(doc);
            doc = NULL;
        }
        break;
    }
    if (!doc) {
        r = patch_failed(why);
        goto out;
    }
    const char *want = meta_str(doc, "resourceVersion");
    const char *new_name = meta_str(doc, "name");
    const char *new_ns = meta_str(doc, "namespace");
    char msg[600];
    if (store_shape_error(doc)) {
        r = patch_failed(store_shape_error(doc));
    } else if (sub != SIM_SUB_SCALE && !store_check_fields(k, doc, wo, true, &r)) {
        /* Strict refused an unknown field of the patched object */
    } else if (want && *want && !store_rv_matches(e->obj, want)) {
        r = store_conflict_modified(k, name);
    } else if (new_name && strcmp(new_name, name) != 0) {
        /* a name or namespace the patch removed is simply restored; a changed one is refused */
        snprintf(msg, sizeof msg, "the name of the object (%.200s) does not match the name on the URL (%.200s)",
                 new_name, name);
        r = store_bad_request(msg);
    } else if (k->namespaced && new_ns && strcmp(new_ns, ns ? ns : "") != 0) {
        r = store_bad_request("the namespace of the provided object does not match the namespace sent on the request");
    } else if (sub == SIM_SUB_SCALE) {
        r = store_write_scale(s, k, e, doc, store_dry(wo));
    } else {
        r = store_commit_write(s, k, e, doc, sub == SIM_SUB_STATUS ? SCOPE_STATUS : SCOPE_MAIN, true, store_dry(wo));
        doc = NULL;
    }
    cJSON_Delete(doc);
out:
    unlock(s);
    cJSON_Delete(patch);
    return r;
}

/* ---- controllers ---------------------------------------------------------------------------------- */

bool sim_store_mutate(sim_store *s, const sim_kind *k, const char *ns, const char *name, sim_mutate_fn fn,
                      void *ctx)
{
    lock(s);
    bool changed = false;
    entry *e = store_lookup(s, k, ns, name);
    if (e) {
        cJSON *work = cJSON_Duplicate(e->obj, true);
        if (fn(work, ctx) && cJSON_IsObject(work)) {
            uint64_t before = s->rv;
            sim_reply r = store_commit_write(s, k, e, work, SCOPE_ALL, false, false);
            changed = s->rv != before;
            cJSON_Delete(r.body);
        } else {
            cJSON_Delete(work);
        }
    }
    unlock(s);
    return changed;
}
