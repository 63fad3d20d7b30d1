/* The controllers. Each tick:
 *   0. deletions: the kubelet confirms pods whose grace period passed, pvc-protection lets unused
 *      claims go (ctl_kubelet.c, ctl_volumes.c);
 *   1. gather: apply the store's watch events to the cache of HostedClusters, NodePools, etcd pods,
 *      PVCs and StatefulSets, and build small per-cluster records from it (ctl_cache.c);
 *   2. etcd: move each member's PVC and pod one step (create, bind, start, become ready, crash);
 *   3. HostedCluster: conditions, pause, upgrade gates and progress, update graph; then mirror into
 *      the HostedControlPlane;
 *   4. NodePool: one node per tick towards the wanted count, drains, version rollouts;
 *   5. Events for what happened.
 * A fleet of thousands must tick in milliseconds, and sim_store_mutate copies the object, so an
 * object is only reconciled when something it depends on changed (a fingerprint of its
 * resourceVersion and inputs) or it has work in progress. Each job lives in its own sim/ctl_*.c; see
 * sim/ctl_internal.h for the map. */
#include "sim/controllers.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/ctl_internal.h"

sim_controllers *sim_controllers_new(sim_store *s)
{
    sim_controllers *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->hc_index_gen = 1; /* hc_ref.gen 0: never looked up */
    return c;
}

void sim_controllers_free(sim_controllers *c)
{
    if (!c)
        return;
    ctl_cache_free(c);
    ctl_events_free(c);
    ctl_kubelet_free(c);
    free(c);
}

void sim_controllers_tick(sim_controllers *c)
{
    c->ticks++;
    c->now = sim_store_now(c->s);
    rfc3339_format(c->now, c->nowts);
    /* deletions first, so that this tick's records see what they removed */
    ctl_kubelet_step(c);
    ctl_volumes_step(c);
    for (int w = 0; w < WATCHED; w++)
        ctl_catch_up(c, w);
    ctl_build_records(c);

    for (size_t i = 0; i < c->nhc; i++) {
        hc_info *h = &c->hcs[i];
        if (!h->st->ensured && !h->deleting) {
            if (!h->installed)
                ctl_ensure_control_plane(c, h);
            h->st->ensured = true;
        }
        ctl_etcd_step(c, h);
        if (!h->managed || h->deleting)
            h->ready = 0;
        ctl_hc_step(c, h);
    }
    for (size_t i = 0; i < c->nnp; i++)
        ctl_np_step(c, &c->nps[i]);
    ctl_events_flush(c);
}
