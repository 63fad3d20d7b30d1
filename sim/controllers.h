/* HyperShift-like controllers over the simulator's store: HostedCluster (conditions, pause, upgrade
 * gating and progress, update graph), HostedControlPlane mirror, NodePool (scaling with drains,
 * version rollouts, version rules), etcd (StatefulSet, pods, PVCs, crash loops, recovery), Events.
 * A tick is one reconciliation step of every controller; they read a cache fed by the store's own
 * watches and write with sim_store_mutate/create/delete, so clients see every change through watches.
 * The jobs live in sim/ctl_*.c (see sim/ctl_internal.h). */
#ifndef HCP_SIM_CONTROLLERS_H
#define HCP_SIM_CONTROLLERS_H

#include <stdint.h>

#include "sim/store.h"

/* Ticks from the start of an upgrade to a Completed history entry (the control plane takes fewer). */
#define SIM_UPGRADE_TICKS 10
#define SIM_CP_UPGRADE_TICKS 4
/* Ticks a node drain takes without a nodeDrainTimeout ("0s" or unset: no limit, the drain finishes by
 * itself), and the cap with one (nodeDrainTimeout / 10s ticks, at least 1). */
#define SIM_DRAIN_TICKS 2
#define SIM_DRAIN_MAX_TICKS 5

typedef struct sim_controllers sim_controllers;

sim_controllers *sim_controllers_new(sim_store *s);
void sim_controllers_free(sim_controllers *c);
/* One reconciliation step of every controller. Not thread-safe: the world serialises ticks. */
void sim_controllers_tick(sim_controllers *c);

#endif
