/* The world: a store, a fleet in it, the controllers, a clock and the thread that ticks them. */
#include "sim/world.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "sim/controllers.h"
#include "sim/ctl_podlog.h"
#include "sim/fleet.h"
#include "sim/validate.h"

/* How many store events a watch can resume from. */
#define EVENT_WINDOW 4096

struct sim_world {
    sim_store *store;
    sim_controllers *ctl;
    int tick_ms;
    _Atomic int64_t skew;
    pthread_mutex_t tick_lock; /* one tick at a time (thread, /hcpsim/v1/tick, tests) */
    pthread_mutex_t run_lock;
    pthread_cond_t run_cond;
    bool started, stop;
    pthread_t thread;
};

static time_t world_now(void *clock)
{
    sim_world *w = clock;
    return time(NULL) + (time_t)atomic_load(&w->skew);
}

static cJSON *world_validate(const sim_kind *k, const cJSON *obj, const cJSON *old, void *ctx)
{
    return sim_validate(k, obj, old, ctx);
}

sim_world *sim_world_new(const char *fleet, uint64_t seed, int tick_ms, char *err, size_t errlen)
{
    sim_world *w = xcalloc(1, sizeof *w);
    atomic_store(&w->skew, 0);
    w->tick_ms = tick_ms < 0 ? 0 : tick_ms;
    pthread_mutex_init(&w->tick_lock, NULL);
    pthread_mutex_init(&w->run_lock, NULL);
    pthread_cond_init(&w->run_cond, NULL);
    sim_store_opts opts = {0};
    opts.event_window = EVENT_WINDOW;
    opts.now = world_now;
    opts.clock = w;
    opts.validate = world_validate;
    w->store = sim_store_new(&opts);
    w->ctl = sim_controllers_new(w->store);
    if (!sim_fleet_populate(w->store, fleet, seed, err, errlen)) {
        sim_world_free(w);
        return NULL;
    }
    /* The first reconcile gives every fleet object its conditions and sets the demo in motion. */
    sim_world_tick(w, 1);
    return w;
}

sim_store *sim_world_store(sim_world *w)
{
    return w->store;
}

void sim_world_advance_clock(sim_world *w, int64_t seconds)
{
    atomic_fetch_add(&w->skew, seconds);
}

void sim_world_tick(sim_world *w, int n)
{
    pthread_mutex_lock(&w->tick_lock);
    for (int i = 0; i < n; i++)
        sim_controllers_tick(w->ctl);
    pthread_mutex_unlock(&w->tick_lock);
}

static void *ticker(void *arg)
{
    sim_world *w = arg;
    pthread_mutex_lock(&w->run_lock);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->tick_ms / 1000;
        until.tv_nsec += (long)(w->tick_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!w->stop && pthread_cond_timedwait(&w->run_cond, &w->run_lock, &until) == 0)
            ;
        if (w->stop)
            break;
        pthread_mutex_unlock(&w->run_lock);
        sim_world_tick(w, 1);
        pthread_mutex_lock(&w->run_lock);
    }
    pthread_mutex_unlock(&w->run_lock);
    return NULL;
}

void sim_world_start(sim_world *w)
{
    if (w->tick_ms <= 0 || w->started)
        return;
    if (pthread_create(&w->thread, NULL, ticker, w) == 0)
        w->started = true;
}

void sim_world_free(sim_world *w)
{
    if (!w)
        return;
    if (w->started) {
        pthread_mutex_lock(&w->run_lock);
        w->stop = true;
        pthread_cond_broadcast(&w->run_cond);
        pthread_mutex_unlock(&w->run_lock);
        pthread_join(w->thread, NULL);
    }
    sim_controllers_free(w->ctl);
    sim_store_free(w->store);
    pthread_mutex_destroy(&w->tick_lock);
    pthread_mutex_destroy(&w->run_lock);
    pthread_cond_destroy(&w->run_cond);
    free(w);
}

char *sim_world_pod_log(sim_world *w, const char *ns, const char *pod, const char *container, bool previous)
{
    return sim_pod_log(w->store, ns, pod, container, previous);
}
