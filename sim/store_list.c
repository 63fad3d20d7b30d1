/* List with label and field selectors, limit and continue tokens. */
#include <stdlib.h>
#include <string.h>

#include "sim/store_internal.h"

bool store_filter_parse(const sim_kind *k, const sim_list_opts *o, store_filter *f, sim_reply *err)
{
    char why[512];
    f->ls = NULL;
    f->fs = NULL;
    if (o && o->label_selector && *o->label_selector) {
        f->ls = sim_label_selector_parse(o->label_selector, why, sizeof why);
        if (!f->ls) {
            *err = store_bad_request(why);
            return false;
        }
    }
    if (o && o->field_selector && *o->field_selector) {
        f->fs = sim_field_selector_parse(k, o->field_selector, why, sizeof why);
        if (!f->fs) {
            sim_label_selector_free(f->ls);
            f->ls = NULL;
            *err = store_bad_request(why);
            return false;
        }
    }
    return true;
}

static void filter_free(store_filter *f)
{
    sim_label_selector_free(f->ls);
    sim_field_selector_free(f->fs);
}

static bool filter_matches(const store_filter *f, const cJSON *obj)
{
    return sim_label_selector_matches(f->ls, obj) && sim_field_selector_matches(f->fs, obj);
}

/* base64url without padding, as Go's base64.RawURLEncoding (what the apiserver's tokens use). */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64url_encode(const unsigned char *in, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        buf_putc(out, b64[(v >> 18) & 63]);
        buf_putc(out, b64[(v >> 12) & 63]);
        if (i + 1 < n)
            buf_putc(out, b64[(v >> 6) & 63]);
        if (i + 2 < n)
            buf_putc(out, b64[v & 63]);
    }
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

/* Accepts both alphabets, with or without padding. False on anything else. */
static bool b64_decode(const char *in, buf *out)
{
    size_t n = strlen(in);
    while (n && in[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return false;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_putc(out, (char)((acc >> bits) & 0xff));
        }
    }
    return true;
}

/* {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}: the key is relative to the listed namespace. */
static void continue_encode(uint64_t rv, const char *start, buf *out)
{
    cJSON *str = cJSON_CreateString(start);
    char *quoted = store_print_or_die(str);
    cJSON_Delete(str);
    size_t ql = strlen(quoted);
    buf js = BUF_INIT;
    buf_printf(&js, "{\"v\":\"meta.k8s.io/v1\",\"rv\":%" PRIu64 ",\"start\":", rv);
    buf_append(&js, quoted, ql - 1); /* without the closing quote */
    buf_puts(&js, "\\u0000\"}");
    free(quoted);
    b64url_encode((const unsigned char *)js.data, js.len, out);
    buf_free(&js);
}

typedef struct cont {
    uint64_t rv;
    char *start;
    bool after; /* the key ended in NUL: list strictly after it */
} cont;

static bool continue_decode(const char *token, cont *c, char *why, size_t whylen)
{
    buf raw = BUF_INIT;
    bool ok = false;
    cJSON *js = NULL;
    if (!b64_decode(token, &raw) || raw.len == 0) {
        snprintf(why, whylen, "illegal base64 data");
        goto out;
    }
    js = json_parse_len(raw.data, raw.len);
    const char *v = json_str_at(js, "v", NULL);
    const char *start = json_str_at(js, "start", NULL);
    int64_t rv = 0;
    if (!js || !v || strcmp(v, "meta.k8s.io/v1") != 0) {
        snprintf(why, whylen, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        goto out;
    }
    if (!json_int_at(&rv, js, "rv", NULL) || rv <= 0 || !start) {
        snprintf(why, whylen, "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        goto out;
    }
    c->rv = (uint64_t)rv;
    c->start = xstrdup(start);
    c->after = strstr(raw.data, "\\u0000\"") != NULL;
    ok = true;
out:
    cJSON_Delete(js);
    buf_free(&raw);
    return ok;
}

/* Pages restart from the token's start key at the current state (etcd would serve the token's
 * snapshot): acceptable for a simulator, and no worse than what a client sees when writes race a list.
 * The reply's metadata.resourceVersion is the token's, as the apiserver answers. */
sim_reply sim_store_list(sim_store *s, const sim_kind *k, const sim_list_opts *o)
{
    sim_reply r;
    store_filter f;
    if (!store_filter_parse(k, o, &f, &r))
        return r;
    const char *ns = (k->namespaced && o && o->ns && *o->ns) ? o->ns : NULL;
    cont c = {0, NULL, false};
    if (o && o->continue_token && *o->continue_token) {
        char why[256];
        if (!continue_decode(o->continue_token, &c, why, sizeof why)) {
            buf m = BUF_INIT;
            if (strncmp(why, "continue key", 12) == 0)
                buf_puts(&m, why);
            else
                buf_printf(&m, "continue key is not valid: %s", why);
            r = store_bad_request(buf_str(&m));
            buf_free(&m);
            filter_free(&f);
            return r;
        }
    }
    lock(s);
    if (c.start && c.rv < store_history_floor(s)) {
        unlock(s);
        free(c.start);
        filter_free(&f);
        return store_expired("The provided continue parameter is too old to display a consistent list result. You can "
                       "start a new list without the continue parameter.");
    }
    table *t = &s->t[k->id];
    size_t b, e;
    store_table_range(t, k, ns, &b, &e);
    if (c.start) {
        buf key = BUF_INIT;
        if (ns)
            buf_printf(&key, "%s/%s", ns, c.start);
        else
            buf_puts(&key, c.start);
        size_t i = store_lower_bound(t, buf_str(&key));
        if (c.after && i < t->n && strcmp(t->v[i].key, buf_str(&key)) == 0)
            i++;
        if (i > b)
            b = i < e ? i : e;
        buf_free(&key);
    }
    uint64_t list_rv = c.start ? c.rv : s->rv;
    bool selective = f.ls || f.fs;
    cJSON *items = cJSON_CreateArray();
    long taken = 0;
    size_t i = b;
    const char *last = NULL;
    for (; i < e; i++) {
        if (o && o->limit > 0 && taken >= o->limit)
            break;
        if (selective && !filter_matches(&f, t->v[i].obj))
            continue;
        cJSON_AddItemToArray(items, cJSON_Duplicate(t->v[i].obj, true));
        last = t->v[i].key;
        taken++;
    }
    /* What is left after the page: counted exactly, so that no empty last page is ever promised. */
    size_t remaining = 0;
    if (i < e) {
        if (!selective)
            remaining = e - i;
        else
            for (size_t j = i; j < e; j++)
                remaining += filter_matches(&f, t->v[j].obj);
    }
    cJSON *list = cJSON_CreateObject();
    cJSON_AddStringToObject(list, "apiVersion", sim_kind_api_version(k));
    char *kind = xasprintf("%sList", k->kind);
    cJSON_AddStringToObject(list, "kind", kind);
    free(kind);
    cJSON *md = cJSON_AddObjectToObject(list, "metadata");
    store_set_rv(list, list_rv);
    if (remaining && last) {
        buf tok = BUF_INIT;
        const char *rel = ns ? last + strlen(ns) + 1 : last;
        continue_encode(list_rv, rel, &tok);
        cJSON_AddStringToObject(md, "continue", buf_str(&tok));
        buf_free(&tok);
        /* The apiserver cannot count matches of a selector without reading them all; it omits the count. */
        if (!selective)
            cJSON_AddNumberToObject(md, "remainingItemCount", (double)remaining);
    }
    cJSON_AddItemToObject(list, "items", items);
    unlock(s);
    free(c.start);
    filter_free(&f);
    return reply_obj(200, list);
}
