/* The loop and its timers (see loop.h). */
#include "tui/loop.h"

#include "common/timeutil.h"

void timers_set(loop_timers *t, int id, int64_t due_ms)
{
    if (id >= 0 && id < LOOP_MAX_TIMERS)
        t->due[id] = due_ms > 0 ? due_ms : 1;
}

void timers_arm_min(loop_timers *t, int id, int64_t due_ms)
{
    if (id < 0 || id >= LOOP_MAX_TIMERS)
        return;
    if (!t->due[id] || due_ms < t->due[id])
        timers_set(t, id, due_ms);
}

void timers_clear(loop_timers *t, int id)
{
    if (id >= 0 && id < LOOP_MAX_TIMERS)
        t->due[id] = 0;
}

bool timers_armed(const loop_timers *t, int id)
{
    return id >= 0 && id < LOOP_MAX_TIMERS && t->due[id] != 0;
}

int64_t timers_wait_ms(const loop_timers *t, int64_t now_ms)
{
    int64_t best = -1;
    for (int i = 0; i < LOOP_MAX_TIMERS; i++) {
        if (!t->due[i])
            continue;
        int64_t left = t->due[i] - now_ms;
        if (left < 0)
            left = 0;
        if (best < 0 || left < best)
            best = left;
    }
    return best;
}

int timers_pop_due(loop_timers *t, int64_t now_ms)
{
    int best = -1;
    for (int i = 0; i < LOOP_MAX_TIMERS; i++)
        if (t->due[i] && t->due[i] <= now_ms && (best < 0 || t->due[i] < t->due[best]))
            best = i;
    if (best >= 0)
        t->due[best] = 0;
    return best;
}

void loop_run(const loop_hooks *h, loop_timers *t)
{
    while (!h->done(h->arg)) {
        h->paint(h->arg);
        int64_t now = now_ms_monotonic();
        int64_t wait = timers_wait_ms(t, now);
        int net = h->next_network_timeout ? h->next_network_timeout(h->arg) : -1;
        if (net >= 0 && (wait < 0 || net < wait))
            wait = net;
        if (wait < 0 || wait > 60000)
            wait = 60000; /* waking with nothing to do costs no output */
        bool ready = false;
        h->wait(h->arg, (int)wait, &ready);
        h->after_wait(h->arg);
        /* Drain every key, even when poll did not flag stdin: curses may hold bytes it read earlier. */
        int key;
        while (!h->done(h->arg) && h->read_key(&key))
            h->on_key(h->arg, key);
        now = now_ms_monotonic();
        int id;
        while ((id = timers_pop_due(t, now)) >= 0)
            h->on_timer(h->arg, id);
    }
}
