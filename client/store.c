/* The store: one open-addressing hash table per kind (namespace/name → record), plus sorted views and
 * lookup indexes rebuilt lazily, only when a lookup needs them after the kind changed. Inserting 20,000
 * node pools therefore costs 20,000 hash inserts and, later, one sort. */
#include "client/store.h"

#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "common/buf.h"

typedef struct slot {
    record *rec;   /* NULL: empty slot */
    uint32_t hash; /* of namespace/name, folded to 32 bits (16-byte slots: tables hold 20,000+) */
    uint32_t seen; /* relist epoch in which the record was last listed or applied */
} slot;

typedef struct cp_entry {
    const char *cp_ns; /* in kind_table.cp_names */
    record *hc;
} cp_entry;

typedef struct kind_table {
    slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t count;
    size_t arena_bytes;
    char *rv;
    uint64_t changes;
    uint32_t epoch;
    bool relisting;
    /* lazily rebuilt views; valid while *_valid */
    record **sorted; /* by (namespace, name) */
    bool sorted_valid;
    record **by_owner; /* node pools by (namespace, clusterName, name) */
    bool by_owner_valid;
    cp_entry *by_cp; /* HostedClusters by control-plane namespace */
    size_t n_by_cp;
    buf cp_names;
    bool by_cp_valid;
} kind_table;

struct store {
    kind_table kinds[RES_KIND_COUNT];
    uint64_t changes;
    record **scratch; /* the events slice */
    size_t scratch_cap;
    /* focus slot */
    char *focus_json;
    char *focus_ns;
    char *focus_name;
    res_kind focus_kind;
    uint64_t focus_changes;
};

static const char *s0(const char *s)
{
    return s ? s : "";
}

static bool kind_ok(res_kind kind)
{
    return (unsigned)kind < RES_KIND_COUNT;
}

static uint32_t key_hash(const char *ns, const char *name)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s0(ns); *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL; /* a separator (0xff is in no UTF-8 text): "a"+"bc" ≠ "ab"+"c" */
    for (const unsigned char *p = (const unsigned char *)s0(name); *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (uint32_t)(h ^ (h >> 32));
}

static bool same_key(const record *r, const char *ns, const char *name)
{
    return strcmp(s0(r->meta.namespace), s0(ns)) == 0 && strcmp(s0(r->meta.name), s0(name)) == 0;
}

/* Index of the slot holding ns/name, or of the empty slot where it would go. Needs cap > 0. */
static size_t find_slot(const kind_table *t, uint32_t h, const char *ns, const char *name)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)h & mask;
    while (t->slots[i].rec) {
        if (t->slots[i].hash == h && same_key(t->slots[i].rec, ns, name))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static void grow(kind_table *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 16;
    if (ncap < t->cap || ncap > SIZE_MAX / sizeof(slot))
        abort();
    slot *old = t->slots;
    size_t ocap = t->cap;
    t->slots = xcalloc(ncap, sizeof(slot));
    t->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].rec)
            continue;
        size_t j = (size_t)old[i].hash & (ncap - 1);
        while (t->slots[j].rec)
            j = (j + 1) & (ncap - 1);
        t->slots[j] = old[i];
    }
    free(old);
}

/* Linear probing with backward-shift deletion: no tombstones, lookups stay short. */
static void remove_slot(kind_table *t, size_t i)
{
    size_t mask = t->cap - 1;
    t->arena_bytes -= t->slots[i].rec->arena_bytes;
    record_free(t->slots[i].rec);
    t->slots[i].rec = NULL;
    t->count--;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!t->slots[j].rec)
            break;
        size_t home = (size_t)t->slots[j].hash & mask;
        /* Leave slot j alone when its home lies cyclically in (i, j]. */
        bool stays = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
        if (stays)
            continue;
        t->slots[i] = t->slots[j];
        t->slots[j].rec = NULL;
        i = j;
    }
}

/* Counts a change; the views are rebuilt on their next use. */
static void changed(store *s, res_kind kind)
{
    kind_table *t = &s->kinds[kind];
    t->changes++;
    s->changes++;
    t->sorted_valid = false;
    t->by_owner_valid = false;
    t->by_cp_valid = false;
}

static int cmp_ns_name(const void *a, const void *b);
static int cmp_owner(const void *a, const void *b);
static int cmp_cp(const void *a, const void *b);

/* In a sorted array of records, the slot holding a record equal to key under cmp, or NULL. */
static record **find_sorted(record **arr, size_t n, const record *key, int (*cmp)(const void *, const void *))
{
    return bsearch(&key, arr, n, sizeof(record *), cmp);
}

/* A MODIFIED event (the usual one by far) keeps the key, so the views keep their order: swap the
 * pointer in place instead of re-sorting tens of thousands of records on every status update. */
static void replaced_in_views(kind_table *t, const record *old, record *rec)
{
    if (t->sorted_valid) {
        record **hit = find_sorted(t->sorted, t->count, old, cmp_ns_name);
        if (hit)
            *hit = rec;
        else
            t->sorted_valid = false;
    }
    if (t->by_owner_valid) {
        record **hit = NULL;
        if (rec->kind == RES_NODEPOOL && cmp_owner(&old, &rec) == 0)
            hit = find_sorted(t->by_owner, t->count, old, cmp_owner);
        if (hit)
            *hit = rec;
        else
            t->by_owner_valid = false;
    }
    if (t->by_cp_valid) {
        bool done = false;
        char cp[CP_NAMESPACE_MAX];
        if (control_plane_namespace(rec->meta.namespace, rec->meta.name, cp, sizeof cp)) {
            cp_entry key = {cp, NULL};
            cp_entry *hit = bsearch(&key, t->by_cp, t->n_by_cp, sizeof(cp_entry), cmp_cp);
            if (hit && hit->hc == old) {
                hit->hc = rec;
                done = true;
            }
        }
        if (!done)
            t->by_cp_valid = false;
    }
}

static void set_rv(kind_table *t, const char *rv)
{
    if (!rv)
        return;
    free(t->rv);
    t->rv = xstrdup(rv);
}

/* Inserts or replaces; takes rec. True when the content changed. */
static bool upsert(store *s, res_kind kind, record *rec)
{
    kind_table *t = &s->kinds[kind];
    if ((t->count + 1) * 10 > t->cap * 7) /* linear probing stays short up to about 0.7 */
        grow(t);
    uint32_t h = key_hash(rec->meta.namespace, rec->meta.name);
    size_t i = find_slot(t, h, rec->meta.namespace, rec->meta.name);
    slot *sl = &t->slots[i];
    if (sl->rec) {
        const char *old_rv = sl->rec->meta.resource_version;
        const char *new_rv = rec->meta.resource_version;
        sl->seen = t->epoch;
        if (old_rv && new_rv && strcmp(old_rv, new_rv) == 0) {
            record_free(rec); /* the same version again: nothing changed */
            return false;
        }
        /* Same key: patch the views before the old record goes (the search reads it). */
        bool sorted = t->sorted_valid, owner = t->by_owner_valid, cp = t->by_cp_valid;
        replaced_in_views(t, sl->rec, rec);
        sorted = sorted && t->sorted_valid;
        owner = owner && t->by_owner_valid;
        cp = cp && t->by_cp_valid;
        t->arena_bytes -= sl->rec->arena_bytes;
        record_free(sl->rec);
        sl->rec = rec;
        t->arena_bytes += rec->arena_bytes;
        changed(s, kind);
        t->sorted_valid = sorted;
        t->by_owner_valid = owner;
        t->by_cp_valid = cp;
        return true;
    }
    t->count++;
    sl->hash = h;
    sl->rec = rec;
    sl->seen = t->epoch;
    t->arena_bytes += rec->arena_bytes;
    changed(s, kind);
    return true;
}

bool watch_event_type_parse(const char *s, watch_event_type *out)
{
    static const struct {
        const char *name;
        watch_event_type type;
    } names[] = {{"ADDED", WATCH_ADDED}, {"MODIFIED", WATCH_MODIFIED}, {"DELETED", WATCH_DELETED}, {"BOOKMARK", WATCH_BOOKMARK}};
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].type;
            return true;
        }
    }
    return false;
}

store *store_new(void)
{
    store *s = xcalloc(1, sizeof(store));
    return s;
}

static void table_free(kind_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        record_free(t->slots[i].rec);
    free(t->slots);
    free(t->rv);
    free(t->sorted);
    free(t->by_owner);
    free(t->by_cp);
    buf_free(&t->cp_names);
}

void store_free(store *s)
{
    if (!s)
        return;
    for (int k = 0; k < RES_KIND_COUNT; k++)
        table_free(&s->kinds[k]);
    free(s->scratch);
    free(s->focus_json);
    free(s->focus_ns);
    free(s->focus_name);
    free(s);
}

bool store_apply(store *s, res_kind kind, watch_event_type type, record *rec)
{
    if (!s || !rec || !kind_ok(kind) || rec->kind != kind) {
        record_free(rec);
        return false;
    }
    kind_table *t = &s->kinds[kind];
    if (type == WATCH_BOOKMARK) {
        set_rv(t, rec->meta.resource_version);
        record_free(rec);
        return false;
    }
    if (!rec->meta.name || !*rec->meta.name) {
        record_free(rec); /* nothing to key it by */
        return false;
    }
    set_rv(t, rec->meta.resource_version);
    if (type == WATCH_DELETED) {
        bool found = false;
        if (t->cap) {
            size_t i = find_slot(t, key_hash(rec->meta.namespace, rec->meta.name), rec->meta.namespace, rec->meta.name);
            if (t->slots[i].rec) {
                remove_slot(t, i);
                changed(s, kind);
                found = true;
            }
        }
        record_free(rec);
        return found;
    }
    if (type != WATCH_ADDED && type != WATCH_MODIFIED) {
        record_free(rec);
        return false;
    }
    return upsert(s, kind, rec);
}

void store_relist_begin(store *s, res_kind kind)
{
    if (!s || !kind_ok(kind))
        return;
    kind_table *t = &s->kinds[kind];
    t->epoch++; /* everything held now is unseen in this epoch */
    t->relisting = true;
}

void store_relist_add(store *s, res_kind kind, record *rec)
{
    if (!s || !rec || !kind_ok(kind) || rec->kind != kind || !rec->meta.name || !*rec->meta.name) {
        record_free(rec);
        return;
    }
    upsert(s, kind, rec);
}

void store_relist_end(store *s, res_kind kind, const char *resource_version)
{
    if (!s || !kind_ok(kind))
        return;
    kind_table *t = &s->kinds[kind];
    if (t->relisting) {
        bool removed = false;
        /* Deleting shifts later entries backwards, so re-examine slot i after a removal. */
        for (size_t i = 0; i < t->cap;) {
            if (t->slots[i].rec && t->slots[i].seen != t->epoch) {
                remove_slot(t, i);
                removed = true;
                continue;
            }
            i++;
        }
        if (removed)
            changed(s, kind);
    }
    t->relisting = false;
    /* The first list makes a kind known even when it is empty: views that wait for it must redraw. */
    if (!t->rv && resource_version)
        changed(s, kind);
    set_rv(t, resource_version);
}

void store_relist_abort(store *s, res_kind kind)
{
    if (s && kind_ok(kind))
        s->kinds[kind].relisting = false;
}

void store_clear_kind(store *s, res_kind kind)
{
    if (!s || !kind_ok(kind))
        return;
    kind_table *t = &s->kinds[kind];
    bool any = t->count > 0;
    for (size_t i = 0; i < t->cap; i++) {
        record_free(t->slots[i].rec);
        t->slots[i].rec = NULL;
    }
    t->count = 0;
    t->arena_bytes = 0;
    free(t->rv);
    t->rv = NULL;
    if (any)
        changed(s, kind);
}

const char *store_resource_version(const store *s, res_kind kind)
{
    return s && kind_ok(kind) ? s->kinds[kind].rv : NULL;
}

uint64_t store_changes(const store *s)
{
    return s ? s->changes : 0;
}

uint64_t store_kind_changes(const store *s, res_kind kind)
{
    return s && kind_ok(kind) ? s->kinds[kind].changes : 0;
}

size_t store_count(const store *s, res_kind kind)
{
    return s && kind_ok(kind) ? s->kinds[kind].count : 0;
}

/* ---- sorted views ------------------------------------------------------------------------------- */

static int cmp_ns_name(const void *a, const void *b)
{
    const record *x = *(record *const *)a, *y = *(record *const *)b;
    int c = strcmp(s0(x->meta.namespace), s0(y->meta.namespace));
    return c ? c : strcmp(s0(x->meta.name), s0(y->meta.name));
}

static record **collect(const kind_table *t, record **arr)
{
    arr = xrealloc(arr, (t->count ? t->count : 1) * sizeof(record *));
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].rec)
            arr[n++] = t->slots[i].rec;
    return arr;
}

static kind_table *sorted_table(store *s, res_kind kind)
{
    kind_table *t = &s->kinds[kind];
    if (!t->sorted_valid) {
        t->sorted = collect(t, t->sorted);
        qsort(t->sorted, t->count, sizeof(record *), cmp_ns_name);
        t->sorted_valid = true;
    }
    return t;
}

record *const *store_sorted(store *s, res_kind kind, size_t *n)
{
    *n = 0;
    if (!s || !kind_ok(kind))
        return NULL;
    kind_table *t = sorted_table(s, kind);
    *n = t->count;
    return t->sorted;
}

record *store_get(store *s, res_kind kind, const char *ns, const char *name)
{
    if (!s || !kind_ok(kind) || !name)
        return NULL;
    const kind_table *t = &s->kinds[kind];
    if (!t->cap)
        return NULL;
    return t->slots[find_slot(t, key_hash(ns, name), ns, name)].rec;
}

/* The run of records in arr[0..n) (sorted by namespace first) whose namespace is ns. */
static record *const *namespace_run(record *const *arr, size_t n, const char *ns, size_t *out_n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s0(arr[mid]->meta.namespace), ns) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && strcmp(s0(arr[end]->meta.namespace), ns) == 0)
        end++;
    *out_n = end - lo;
    return *out_n ? arr + lo : NULL;
}

record *const *store_etcd_pods(store *s, const char *cp_ns, size_t *n)
{
    *n = 0;
    if (!s || !cp_ns)
        return NULL;
    kind_table *t = sorted_table(s, RES_ETCD_POD);
    return namespace_run(t->sorted, t->count, cp_ns, n);
}

record *const *store_etcd_pvcs(store *s, const char *cp_ns, size_t *n)
{
    *n = 0;
    if (!s || !cp_ns)
        return NULL;
    kind_table *t = sorted_table(s, RES_ETCD_PVC);
    return namespace_run(t->sorted, t->count, cp_ns, n);
}

/* ---- node pools by cluster ---------------------------------------------------------------------- */

static int cmp_owner(const void *a, const void *b)
{
    const record *x = *(record *const *)a, *y = *(record *const *)b;
    int c = strcmp(s0(x->meta.namespace), s0(y->meta.namespace));
    if (!c)
        c = strcmp(s0(x->u.np.cluster_name), s0(y->u.np.cluster_name));
    return c ? c : strcmp(s0(x->meta.name), s0(y->meta.name));
}

static int owner_key_cmp(const record *r, const char *ns, const char *cluster)
{
    int c = strcmp(s0(r->meta.namespace), ns);
    return c ? c : strcmp(s0(r->u.np.cluster_name), cluster);
}

record *const *store_nodepools_of(store *s, const char *ns, const char *cluster_name, size_t *n)
{
    *n = 0;
    if (!s || !cluster_name)
        return NULL;
    kind_table *t = &s->kinds[RES_NODEPOOL];
    if (!t->by_owner_valid) {
        t->by_owner = collect(t, t->by_owner);
        qsort(t->by_owner, t->count, sizeof(record *), cmp_owner);
        t->by_owner_valid = true;
    }
    ns = s0(ns);
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (owner_key_cmp(t->by_owner[mid], ns, cluster_name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < t->count && owner_key_cmp(t->by_owner[end], ns, cluster_name) == 0)
        end++;
    *n = end - lo;
    return *n ? t->by_owner + lo : NULL;
}

record *store_hc_of_nodepool(store *s, const record *np)
{
    if (!np || np->kind != RES_NODEPOOL || !np->u.np.cluster_name)
        return NULL;
    return store_get(s, RES_HOSTEDCLUSTER, np->meta.namespace, np->u.np.cluster_name);
}

/* ---- HostedCluster by control-plane namespace --------------------------------------------------- */

static int cmp_cp(const void *a, const void *b)
{
    return strcmp(((const cp_entry *)a)->cp_ns, ((const cp_entry *)b)->cp_ns);
}

static void build_by_cp(kind_table *t)
{
    free(t->by_cp);
    t->by_cp = xcalloc(t->count ? t->count : 1, sizeof(cp_entry));
    buf_reset(&t->cp_names);
    /* First append every name (the buffer may move), then point into it. */
    size_t *offsets = xcalloc(t->count ? t->count : 1, sizeof(size_t));
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++) {
        record *r = t->slots[i].rec;
        char cp[CP_NAMESPACE_MAX];
        if (!r || !control_plane_namespace(r->meta.namespace, r->meta.name, cp, sizeof cp))
            continue;
        offsets[n] = t->cp_names.len;
        buf_append(&t->cp_names, cp, strlen(cp) + 1);
        t->by_cp[n].hc = r;
        n++;
    }
    for (size_t i = 0; i < n; i++)
        t->by_cp[i].cp_ns = t->cp_names.data + offsets[i];
    free(offsets);
    qsort(t->by_cp, n, sizeof(cp_entry), cmp_cp);
    t->n_by_cp = n;
    t->by_cp_valid = true;
}

record *store_hc_by_cp_namespace(store *s, const char *cp_ns)
{
    if (!s || !cp_ns)
        return NULL;
    kind_table *t = &s->kinds[RES_HOSTEDCLUSTER];
    if (!t->by_cp_valid)
        build_by_cp(t);
    cp_entry key = {cp_ns, NULL};
    cp_entry *hit = bsearch(&key, t->by_cp, t->n_by_cp, sizeof(cp_entry), cmp_cp);
    return hit ? hit->hc : NULL;
}

/* ---- events ------------------------------------------------------------------------------------- */

static int cmp_newest_first(const void *a, const void *b)
{
    const record *x = *(record *const *)a, *y = *(record *const *)b;
    if (x->u.ev.last_timestamp != y->u.ev.last_timestamp)
        return x->u.ev.last_timestamp > y->u.ev.last_timestamp ? -1 : 1;
    return cmp_ns_name(a, b);
}

record *const *store_events_of(store *s, const char *kind, const char *ns, const char *name, size_t *n)
{
    *n = 0;
    if (!s || !name)
        return NULL;
    kind_table *t = &s->kinds[RES_EVENT];
    if (s->scratch_cap < t->count) {
        s->scratch = xrealloc(s->scratch, t->count * sizeof(record *));
        s->scratch_cap = t->count;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++) {
        const record *r = t->slots[i].rec;
        if (!r || strcmp(s0(r->u.ev.involved_name), name) != 0 ||
            strcmp(s0(r->u.ev.involved_namespace), s0(ns)) != 0)
            continue;
        if (kind && strcmp(s0(r->u.ev.involved_kind), kind) != 0)
            continue;
        s->scratch[k++] = t->slots[i].rec;
    }
    qsort(s->scratch, k, sizeof(record *), cmp_newest_first);
    *n = k;
    return k ? s->scratch : NULL;
}

record *store_supported_versions(store *s)
{
    if (!s)
        return NULL;
    kind_table *t = &s->kinds[RES_SUPPORTED_VERSIONS];
    record *r = store_get(s, RES_SUPPORTED_VERSIONS, "hypershift", "supported-versions");
    if (r)
        return r;
    /* The operator may run in another namespace: any supported-versions ConfigMap will do. */
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].rec && strcmp(s0(t->slots[i].rec->meta.name), "supported-versions") == 0)
            return t->slots[i].rec;
    return NULL;
}

/* ---- focus -------------------------------------------------------------------------------------- */

void store_set_focus(store *s, res_kind kind, const char *ns, const char *name, const char *json, size_t len)
{
    if (!s)
        return;
    free(s->focus_json);
    free(s->focus_ns);
    free(s->focus_name);
    s->focus_json = json ? xstrndup(json, len) : NULL;
    s->focus_ns = json && ns ? xstrdup(ns) : NULL;
    s->focus_name = json && name ? xstrdup(name) : NULL;
    s->focus_kind = kind;
    s->focus_changes++;
}

const char *store_focus_json(const store *s, res_kind *kind, const char **ns, const char **name)
{
    if (!s)
        return NULL;
    if (kind)
        *kind = s->focus_kind;
    if (ns)
        *ns = s->focus_ns;
    if (name)
        *name = s->focus_name;
    return s->focus_json;
}

uint64_t store_focus_changes(const store *s)
{
    return s ? s->focus_changes : 0;
}

size_t store_memory_bytes(const store *s)
{
    if (!s)
        return 0;
    size_t total = sizeof(store) + s->scratch_cap * sizeof(record *);
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        const kind_table *t = &s->kinds[k];
        total += t->arena_bytes + t->cap * sizeof(slot);
        if (t->sorted)
            total += t->count * sizeof(record *);
        if (t->by_owner)
            total += t->count * sizeof(record *);
        if (t->by_cp)
            total += t->count * sizeof(cp_entry) + t->cp_names.cap;
    }
    return total;
}
