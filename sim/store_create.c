/* Create (POST): type and object metadata checked and set as the apiserver does, names generated,
 * uids drawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "sim/store_internal.h"

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
void store_set_type_meta(const sim_kind *k, cJSON *obj)
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

static sim_reply create_locked(sim_store *s, const sim_kind *k, const char *path_ns, cJSON *obj,
                               const sim_write_opts *wo)
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
    sim_reply refused;
    if (!store_check_fields(k, obj, wo, false, &refused)) {
        cJSON_Delete(obj);
        return refused;
    }
    store_set_type_meta(k, obj);
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
    store_admit_create(k, obj);
    if (s->opts.validate) {
        cJSON *st = s->opts.validate(k, obj, NULL, s->opts.validate_ctx);
        if (st) {
            r = store_reply_from_status(st);
            goto out;
        }
    }
    if (store_dry(wo)) { /* the registry's dry-run create copies the object out unstored: no resourceVersion */
        r = reply_obj(201, obj);
        obj = NULL;
        goto out;
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
const char *store_shape_error(const cJSON *obj)
{
    if (!cJSON_IsObject(obj))
        return "the body of the request must be a JSON object";
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    if (md && !cJSON_IsObject(md))
        return "metadata must be a JSON object";
    return NULL;
}

sim_reply sim_store_create(sim_store *s, const sim_kind *k, const char *ns, const cJSON *obj,
                           const sim_write_opts *wo)
{
    const char *bad = store_shape_error(obj);
    if (bad)
        return store_bad_request(bad);
    cJSON *copy = cJSON_Duplicate(obj, true);
    lock(s);
    sim_reply r = create_locked(s, k, ns, copy, wo);
    unlock(s);
    return r;
}
