/* Which records a pane's scope can show, found through the store's lookups (a hash lookup, a
 * binary search of a sorted slice, the node-pools-by-cluster index) instead of a scan of every
 * record: a pane scoped to one cluster of a 20,000-pool fleet touches that cluster's rows only.
 * Private to views/. */
#ifndef HCP_VIEWS_SCOPE_H
#define HCP_VIEWS_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "client/records.h"
#include "client/store.h"
#include "views/view.h"

/* HostedClusters that pass fmt_scope_allows(scope, namespace, name), in (namespace, name) order.
 * A private copy (NULL when *n is 0): free() it. */
record **scope_clusters(store *st, const view_scope *scope, size_t *n);

/* NodePools that pass fmt_scope_allows(scope, namespace, spec.clusterName), in (namespace, name)
 * order. A private copy (NULL when *n is 0): free() it. */
record **scope_nodepools(store *st, const view_scope *scope, size_t *n);

/* True when the scope narrows anything (a namespace or a cluster). */
bool scope_is_narrow(const view_scope *scope);

#endif
