/* The store's per-kind tables: sorted arrays of (key, object) with binary search, keyed
 * "namespace/name" (cluster-scoped: "name"), the order etcd and so kube-apiserver list in. */
#include <stdlib.h>
#include <string.h>

#include "sim/store_internal.h"

void store_make_key(const sim_kind *k, const char *ns, const char *name, buf *out)
{
    buf_reset(out);
    if (k->namespaced)
        buf_printf(out, "%s/%s", ns ? ns : "", name);
    else
        buf_puts(out, name);
}

/* ---- tables ---------------------------------------------------------------------------------------- */

/* First index whose key is >= key. */
size_t store_lower_bound(const table *t, const char *key)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

entry *store_table_find(table *t, const char *key)
{
    size_t i = store_lower_bound(t, key);
    return i < t->n && strcmp(t->v[i].key, key) == 0 ? &t->v[i] : NULL;
}

void store_table_insert(table *t, char *key, cJSON *obj)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        if (cap < t->cap || cap > SIZE_MAX / sizeof *t->v) {
            fprintf(stderr, "hcpsim: store table overflow\n");
            abort();
        }
        t->v = xrealloc(t->v, cap * sizeof *t->v);
        t->cap = cap;
    }
    /* Fleets are mostly created in key order: appending is the common case. */
    size_t i = (t->n == 0 || strcmp(t->v[t->n - 1].key, key) < 0) ? t->n : store_lower_bound(t, key);
    memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof *t->v);
    t->v[i] = (entry){key, obj};
    t->n++;
}

/* Removes the entry and hands back its object. */
cJSON *store_table_remove(table *t, entry *e)
{
    size_t i = (size_t)(e - t->v);
    cJSON *obj = e->obj;
    free(e->key);
    memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof *t->v);
    t->n--;
    return obj;
}

/* [begin, end) of the keys in namespace ns ("ns/..."); the whole table when ns is empty. */
void store_table_range(const table *t, const sim_kind *k, const char *ns, size_t *begin, size_t *end)
{
    if (!k->namespaced || !ns || !*ns) {
        *begin = 0;
        *end = t->n;
        return;
    }
    buf lo = BUF_INIT, hi = BUF_INIT;
    buf_printf(&lo, "%s/", ns);
    buf_printf(&hi, "%s0", ns); /* '0' follows '/' in ASCII: the first key past the namespace */
    *begin = store_lower_bound(t, buf_str(&lo));
    *end = store_lower_bound(t, buf_str(&hi));
    buf_free(&lo);
    buf_free(&hi);
}

entry *store_lookup(sim_store *s, const sim_kind *k, const char *ns, const char *name)
{
    if (!name || !*name)
        return NULL;
    buf key = BUF_INIT;
    store_make_key(k, ns, name, &key);
    entry *e = store_table_find(&s->t[k->id], buf_str(&key));
    buf_free(&key);
    return e;
}
