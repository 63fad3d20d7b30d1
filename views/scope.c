/* Scoped record lookups for the panes (see scope.h). */
#include "views/scope.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "views/fmt.h"

static bool set(const char *s)
{
    return s && *s;
}

bool scope_is_narrow(const view_scope *scope)
{
    return scope && (set(scope->ns) || set(scope->cluster_name));
}

/* The run of a (namespace, name)-sorted slice whose namespace is ns (binary search). */
static record *const *namespace_run(record *const *arr, size_t n, const char *ns, size_t *out_n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = arr[mid]->meta.namespace ? arr[mid]->meta.namespace : "";
        if (strcmp(m, ns) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && strcmp(arr[end]->meta.namespace ? arr[end]->meta.namespace : "", ns) == 0)
        end++;
    *out_n = end - lo;
    return arr + lo;
}

/* The candidates are a superset of what the scope shows; the exact test keeps the rule in one place
 * (fmt_scope_allows). The cluster name of a HostedCluster is its own name. */
static record **keep_allowed(record *const *src, size_t m, const view_scope *scope, bool is_pool, size_t *n)
{
    *n = 0;
    if (m == 0)
        return NULL;
    record **out = xcalloc(m, sizeof *out);
    for (size_t i = 0; i < m; i++) {
        const record *r = src[i];
        const char *cluster = is_pool ? r->u.np.cluster_name : r->meta.name;
        if (fmt_scope_allows(scope, r->meta.namespace, cluster))
            out[(*n)++] = src[i];
    }
    if (*n == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The namespace a cluster scope's cluster lives in: its own, else the `:ns` one; NULL: unknown. */
static const char *cluster_namespace(const view_scope *scope)
{
    if (!scope || !set(scope->cluster_name))
        return NULL;
    return set(scope->cluster_ns) ? scope->cluster_ns : set(scope->ns) ? scope->ns : NULL;
}

/* Every record of the kind, or only the namespace's run when the scope names one. */
static record *const *sorted_in_namespace(store *st, res_kind kind, const view_scope *scope, size_t *m)
{
    record *const *src = store_sorted(st, kind, m);
    if (scope && set(scope->ns) && *m)
        src = namespace_run(src, *m, scope->ns, m);
    return src;
}

record **scope_clusters(store *st, const view_scope *scope, size_t *n)
{
    *n = 0;
    if (!st)
        return NULL;
    const char *cns = cluster_namespace(scope);
    if (cns) {
        record *one = store_get(st, RES_HOSTEDCLUSTER, cns, scope->cluster_name);
        return keep_allowed(&one, one ? 1 : 0, scope, false, n);
    }
    size_t m = 0;
    record *const *src = sorted_in_namespace(st, RES_HOSTEDCLUSTER, scope, &m);
    return keep_allowed(src, m, scope, false, n);
}

record **scope_nodepools(store *st, const view_scope *scope, size_t *n)
{
    *n = 0;
    if (!st)
        return NULL;
    size_t m = 0;
    const char *cns = cluster_namespace(scope);
    /* The index orders a cluster's pools by name, as the sorted slice does within the cluster. */
    record *const *src = cns ? store_nodepools_of(st, cns, scope->cluster_name, &m)
                             : sorted_in_namespace(st, RES_NODEPOOL, scope, &m);
    return keep_allowed(src, m, scope, true, n);
}
