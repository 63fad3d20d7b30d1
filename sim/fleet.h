/* Fleets: the objects a management cluster holds, grown deterministically from a seed ("demo",
 * "none", or N hosted clusters). The per-cluster objects come from sim/ctl_objects.h, which the
 * controllers use too when a user creates a HostedCluster of their own. */
#ifndef HCP_SIM_FLEET_H
#define HCP_SIM_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/store.h"

/* Fills an empty store. fleet: "demo", "none" or a decimal count. False + err on a bad fleet. */
bool sim_fleet_populate(sim_store *s, const char *fleet, uint64_t seed, char *err, size_t errlen);

#endif
