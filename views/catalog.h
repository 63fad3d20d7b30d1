/* Every view's ops table, for the registry (views/registry.c). Private to views/. */
#ifndef HCP_VIEWS_CATALOG_H
#define HCP_VIEWS_CATALOG_H

#include "views/view.h"

/* panes */
extern const view_ops view_clusters_ops;
extern const view_ops view_nodepools_ops;
extern const view_ops view_etcd_ops;
extern const view_ops view_updates_ops;
/* detail views */
extern const view_ops view_conditions_ops;
extern const view_ops view_yaml_ops;
extern const view_ops view_events_ops;
extern const view_ops view_history_ops;
extern const view_ops view_risks_ops;
extern const view_ops view_watch_ops;

#endif
