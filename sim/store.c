/* The store: lifecycle, get, create, the write path (update, patch, mutate) and delete. The design
 * (tables, the event ring, copy on write) is described in sim/store_internal.h. */
#include "sim/store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "sim/jsonread.h"
#include "sim/patch.h"
#include "sim/store_internal.h"

#define DEFAULT_EVENT_WINDOW 1024

static void random_bytes(sim_store *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s->rnd_pos >= sizeof s->rnd) {
            ssize_t got = s->urandom >= 0 ? read(s->urandom, s->rnd, sizeof s->rnd) : -1;
            if (got != (ssize_t)sizeof s->rnd && getrandom(s->rnd, sizeof s->rnd, 0) != (ssize_t)sizeof s->rnd) {
                fprintf(stderr, "hcpsim: no randomness available\n");
                abort();
            }
            s->rnd_pos = 0;
        }
        out[i] = s->rnd[s->rnd_pos++];
    }
}

static void new_uid(sim_store *s, char out[37])
{
    unsigned char b[16];
    random_bytes(s, b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
             b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static time_t store_now(sim_store *s)
{
    return s->opts.now ? s->opts.now(s->opts.clock) : time(NULL);
}

static void now_rfc3339(sim_store *s, char out[21])
{
    rfc3339_format(store_now(s), out);
}

static bool has_generation(const sim_kind *k)
{
    return k->has_status || k->custom;
}

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

/* ---- scale ---------------------------------------------------------------------------------------- */

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

/* ---- create --------------------------------------------------------------------------------------- */

/* A DNS-1123 subdomain, the rule for most object names; it also keeps '/' out of store keys. */
static bool valid_name(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > 253)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    }
    return n[0] != '-' && n[0] != '.' && n[len - 1] != '-' && n[len - 1] != '.';
}

/* Adds key as the first member (cJSON_AddItemToObject appends; the list is relinked by hand). */
static void prepend_member(cJSON *obj, const char *key, cJSON *item)
{
    cJSON_AddItemToObject(obj, key, item);
    if (obj->child == item)
        return;
    cJSON_DetachItemViaPointer(obj, item);
    cJSON *head = obj->child;
    item->next = head;
    item->prev = head->prev;
    head->prev = item;
    obj->child = item;
}

/* Puts apiVersion and kind first, as every object the apiserver serves starts. */
static void set_type_meta(const sim_kind *k, cJSON *obj)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, "apiVersion");
    cJSON_DeleteItemFromObjectCaseSensitive(obj, "kind");
    prepend_member(obj, "kind", cJSON_CreateString(k->kind));
    prepend_member(obj, "apiVersion", cJSON_CreateString(sim_kind_api_version(k)));
}

static void generate_name(sim_store *s, const char *prefix, buf *out)
{
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789"; /* the apiserver's: no vowels, no 0/1/3 */
    unsigned char r[5];
    random_bytes(s, r, sizeof r);
    buf_reset(out);
    buf_puts(out, prefix);
    for (size_t i = 0; i < sizeof r; i++)
        buf_putc(out, alphabet[r[i] % (sizeof alphabet - 1)]);
}

static sim_reply create_locked(sim_store *s, const sim_kind *k, const char *path_ns, cJSON *obj)
{
    char msg[512];
    const char *kind = json_str_at(obj, "kind", NULL);
    if (kind && *kind && strcmp(kind, k->kind) != 0) {
        snprintf(msg, sizeof msg, "the kind in the object (%.100s) does not match the resource (%s)", kind, k->kind);
        cJSON_Delete(obj);
        return store_bad_request(msg);
    }
    const char *av = json_str_at(obj, "apiVersion", NULL);
    if (av && *av && strcmp(av, sim_kind_api_version(k)) != 0) {
        snprintf(msg, sizeof msg, "the API version in the data (%.100s) does not match the expected API version (%s)",
                 av, sim_kind_api_version(k));
        cJSON_Delete(obj);
        return store_bad_request(msg);
    }
    set_type_meta(k, obj);
    cJSON *md = json_obj_child(obj, "metadata");
    const char *body_rv = json_str_at(md, "resourceVersion", NULL);
    if (body_rv && *body_rv) {
        cJSON_Delete(obj);
        return store_bad_request("resourceVersion should not be set on objects to be created");
    }
    const char *body_ns = json_str_at(md, "namespace", NULL);
    char *ns = NULL;
    if (k->namespaced) {
        if (path_ns && *path_ns && body_ns && *body_ns && strcmp(path_ns, body_ns) != 0) {
            cJSON_Delete(obj);
            return store_bad_request("the namespace of the provided object does not match the namespace sent on the request");
        }
        ns = xstrdup(path_ns && *path_ns ? path_ns : (body_ns ? body_ns : ""));
        if (!*ns) {
            free(ns);
            cJSON_Delete(obj);
            return store_bad_request("an empty namespace may not be set during creation");
        }
        if (!store_table_find(&s->t[SIM_NAMESPACE], ns)) {
            snprintf(msg, sizeof msg, "namespaces \"%.200s\" not found", ns);
            sim_reply r = sim_reply_status(404, "NotFound", msg, sim_kind_get(SIM_NAMESPACE), ns);
            free(ns);
            cJSON_Delete(obj);
            return r;
        }
        json_set_str(md, "namespace", ns);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(md, "namespace");
    }
    sim_reply r = {0, NULL};
    buf key = BUF_INIT, name = BUF_INIT;
    const char *given = json_str_at(md, "name", NULL);
    const char *gen = json_str_at(md, "generateName", NULL);
    if (given && *given) {
        buf_puts(&name, given);
    } else if (gen && *gen) {
        for (int tries = 0; tries < 8; tries++) { /* a clash is retried, as the apiserver's client would */
            generate_name(s, gen, &name);
            store_make_key(k, ns, buf_str(&name), &key);
            if (!store_table_find(&s->t[k->id], buf_str(&key)))
                break;
        }
    } else {
        r = reply_obj(422, sim_status_invalid(k, "", "metadata.name", "FieldValueRequired",
                                              "Required value: name or generateName is required"));
        goto out;
    }
    if (!valid_name(buf_str(&name))) {
        snprintf(msg, sizeof msg,
                 "Invalid value: \"%.200s\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                 "characters, '-' or '.', and must start and end with an alphanumeric character",
                 buf_str(&name));
        r = reply_obj(422, sim_status_invalid(k, buf_str(&name), "metadata.name", "FieldValueInvalid", msg));
        goto out;
    }
    json_set_str(md, "name", buf_str(&name));
    store_make_key(k, ns, buf_str(&name), &key);
    if (store_table_find(&s->t[k->id], buf_str(&key))) {
        char q[160];
        sim_kind_qualified(k, q, sizeof q);
        snprintf(msg, sizeof msg, "%s \"%.200s\" already exists", q, buf_str(&name));
        r = sim_reply_status(409, "AlreadyExists", msg, k, buf_str(&name));
        goto out;
    }
    char uid[37], ts[21];
    new_uid(s, uid);
    now_rfc3339(s, ts);
    json_set_str(md, "uid", uid);
    json_set_str(md, "creationTimestamp", ts);
    cJSON_DeleteItemFromObjectCaseSensitive(md, "deletionTimestamp");
    cJSON_DeleteItemFromObjectCaseSensitive(md, "deletionGracePeriodSeconds");
    if (has_generation(k))
        json_set_num(md, "generation", 1);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(md, "generation");
    if (k->id == SIM_NAMESPACE)
        json_set_str(json_obj_child(obj, "status"), "phase", "Active");
    if (s->opts.validate) {
        cJSON *st = s->opts.validate(k, obj, NULL, s->opts.validate_ctx);
        if (st) {
            r = store_reply_from_status(st);
            goto out;
        }
    }
    s->rv++;
    store_set_rv(obj, s->rv);
    store_table_insert(&s->t[k->id], buf_steal(&key), obj);
    store_emit(s, k, EV_ADDED, obj, NULL);
    r = reply_obj(201, cJSON_Duplicate(obj, true));
    obj = NULL;
out:
    cJSON_Delete(obj);
    free(ns);
    buf_free(&key);
    buf_free(&name);
    return r;
}

/* The shape every body must have before it can be an object: a JSON object whose metadata, when
 * present, is an object too. NULL when fine, else the reason. */
static const char *shape_error(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return "the body of the request must be a JSON object";
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    if (md && !cJSON_IsObject(md))
        return "metadata must be a JSON object";
    return NULL;
}

sim_reply sim_store_create(sim_store *s, const sim_kind *k, const char *ns, const cJSON *obj)
{
    const char *bad = shape_error(obj);
    if (bad)
        return store_bad_request(bad);
    cJSON *copy = cJSON_Duplicate(obj, true);
    lock(s);
    sim_reply r = create_locked(s, k, ns, copy);
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

static bool finalizers_empty(const cJSON *obj)
{
    const cJSON *f = json_at(obj, "metadata", "finalizers", NULL);
    return !cJSON_IsArray(f) || cJSON_GetArraySize(f) == 0;
}

/* Removes the entry for good: bumps rv, emits DELETED with the last state. Returns that state. */
static cJSON *remove_object(sim_store *s, const sim_kind *k, entry *e)
{
    cJSON *obj = store_table_remove(&s->t[k->id], e);
    s->rv++;
    store_set_rv(obj, s->rv);
    store_emit(s, k, EV_DELETED, obj, NULL);
    return obj;
}


/* Replaces e's object by next (taken). validate: run the hook. Returns the reply with the stored result
 * (200), or an error. */
sim_reply store_commit_write(sim_store *s, const sim_kind *k, entry *e, cJSON *next, write_scope scope,
                              bool validate)
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
    set_type_meta(k, next);
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
    if (meta_str(next, "deletionTimestamp") && finalizers_empty(next)) {
        /* the last finalizer is gone: the pending delete completes */
        e->obj = next;
        cJSON_Delete(old);
        cJSON *gone = remove_object(s, k, e);
        return reply_obj(200, gone);
    }
    s->rv++;
    store_set_rv(next, s->rv);
    e->obj = next;
    store_emit(s, k, EV_MODIFIED, next, old);
    return reply_obj(200, cJSON_Duplicate(next, true));
}

static bool rv_matches(const cJSON *obj, const char *want)
{
    const char *have = meta_str(obj, "resourceVersion");
    return have && strcmp(have, want) == 0;
}

/* ---- update (PUT) --------------------------------------------------------------------------------- */

sim_reply sim_store_update(sim_store *s, const sim_kind *k, const char *ns, const char *name, const cJSON *obj,
                           sim_subresource sub)
{
    const char *bad = shape_error(obj);
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
    } else if (want && *want && !rv_matches(e->obj, want)) {
        r = store_conflict_modified(k, name);
    } else if (sub == SIM_SUB_SCALE) {
        r = store_write_scale(s, k, e, obj);
    } else {
        r = store_commit_write(s, k, e, cJSON_Duplicate(obj, true), sub == SIM_SUB_STATUS ? SCOPE_STATUS : SCOPE_MAIN, true);
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
                          const char *body, size_t len, sim_subresource sub)
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
    if (shape_error(doc)) {
        r = patch_failed(shape_error(doc));
    } else if (want && *want && !rv_matches(e->obj, want)) {
        r = store_conflict_modified(k, name);
    } else if (new_name && strcmp(new_name, name) != 0) {
        /* a name or namespace the patch removed is simply restored; a changed one is refused */
        snprintf(msg, sizeof msg, "the name of the object (%.200s) does not match the name on the URL (%.200s)",
                 new_name, name);
        r = store_bad_request(msg);
    } else if (k->namespaced && new_ns && strcmp(new_ns, ns ? ns : "") != 0) {
        r = store_bad_request("the namespace of the provided object does not match the namespace sent on the request");
    } else if (sub == SIM_SUB_SCALE) {
        r = store_write_scale(s, k, e, doc);
    } else {
        r = store_commit_write(s, k, e, doc, sub == SIM_SUB_STATUS ? SCOPE_STATUS : SCOPE_MAIN, true);
        doc = NULL;
    }
    cJSON_Delete(doc);
out:
    unlock(s);
    cJSON_Delete(patch);
    return r;
}

/* ---- delete --------------------------------------------------------------------------------------- */

/* 409 for a failed DeleteOptions precondition: the apiserver names the Kind here, not the resource. */
static sim_reply precondition_failed(const sim_kind *k, const char *name, const char *what, const char *want,
                                     const char *have, const char *tail)
{
    buf m = BUF_INIT;
    buf_printf(&m, "Operation cannot be fulfilled on %s%s%s \"%s\": the %s in the precondition (%s) does not match "
                   "the %s in record (%s). %s",
               k->kind, *k->group ? "." : "", k->group, name, what, want, what, have ? have : "", tail);
    sim_reply r = sim_reply_status(409, "Conflict", buf_str(&m), k, name);
    json_set_str(cJSON_GetObjectItemCaseSensitive(r.body, "details"), "kind", k->kind);
    buf_free(&m);
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
            cJSON_Delete(remove_object(s, k, &t->v[b]));
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
    } else if (want_rv && !rv_matches(e->obj, want_rv)) {
        r = precondition_failed(k, name, "ResourceVersion", want_rv, meta_str(e->obj, "resourceVersion"),
                                "The object might have been modified");
    } else if (k->id == SIM_NAMESPACE) {
        char *nsname = xstrdup(name);
        delete_namespace_contents(s, nsname);
        e = store_lookup(s, k, NULL, nsname);
        cJSON *gone = remove_object(s, k, e);
        json_set_str(json_obj_child(gone, "status"), "phase", "Terminating");
        r = delete_success(k, gone);
        free(nsname);
    } else if (!finalizers_empty(e->obj)) {
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
        r = delete_success(k, remove_object(s, k, e));
    }
    unlock(s);
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
            sim_reply r = store_commit_write(s, k, e, work, SCOPE_ALL, false);
            changed = s->rv != before;
            cJSON_Delete(r.body);
        } else {
            cJSON_Delete(work);
        }
    }
    unlock(s);
    return changed;
}
