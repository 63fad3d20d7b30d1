/* The simulator's world: a store filled with a fleet of hosted clusters, and the HyperShift-like
 * controllers that reconcile it one tick at a time. The HTTP server serves sim_world_store(); the
 * controllers write through the same store API, so their changes reach watches like a user's. */
#ifndef HCP_SIM_WORLD_H
#define HCP_SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/store.h"

typedef struct sim_world sim_world;

/* fleet: "demo", "none", or a number N; creates a store (sim_store_new with the world's clock and
 * validation hook) and fills it. NULL + err on a bad fleet. */
sim_world *sim_world_new(const char *fleet, uint64_t seed, int tick_ms, char *err, size_t errlen);
/* The store the server serves. */
sim_store *sim_world_store(sim_world *w);
/* Starts the controller thread: one tick every tick_ms (0: manual ticks only). */
void sim_world_start(sim_world *w);
/* n ticks now, synchronously (tests, /hcpsim/v1/tick). */
void sim_world_tick(sim_world *w, int n);
/* pods/log: the text of a container's log (previous = the last terminated instance); NULL when none.
 * The caller frees the result. */
char *sim_world_pod_log(sim_world *w, const char *ns, const char *pod, const char *container, bool previous);
/* The simulated clock is the wall clock plus an offset (0 at start); tests move it forward to expire a
 * pausedUntil time without waiting. */
void sim_world_advance_clock(sim_world *w, int64_t seconds);
/* Stops the thread, frees the store. */
void sim_world_free(sim_world *w);

#endif
