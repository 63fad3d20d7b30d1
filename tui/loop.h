/* The console's one loop: one wait (client_poll with standard input as the extra descriptor and
 * the nearest timer as the timeout), then every key that is there, then due timers, then one paint.
 *
 * Keys are answered in the same turn they arrive; the owner decides what to paint (dirty flags) and
 * paints once per turn (wnoutrefresh per window, one doupdate). Nothing here writes to the terminal. */
#ifndef HCP_TUI_LOOP_H
#define HCP_TUI_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#define LOOP_MAX_TIMERS 8

/* A small set of one-shot timers by id (0 .. LOOP_MAX_TIMERS-1), in monotonic milliseconds. */
typedef struct loop_timers {
    int64_t due[LOOP_MAX_TIMERS]; /* 0: not armed */
} loop_timers;

void timers_set(loop_timers *t, int id, int64_t due_ms);   /* re-arms (replaces) */
void timers_arm_min(loop_timers *t, int id, int64_t due_ms); /* arms, or moves earlier only */
void timers_clear(loop_timers *t, int id);
bool timers_armed(const loop_timers *t, int id);
/* Milliseconds until the earliest timer (0 when one is due), -1 when none is armed. */
int64_t timers_wait_ms(const loop_timers *t, int64_t now_ms);
/* Pops one due timer: its id, or -1 when none is due. */
int timers_pop_due(loop_timers *t, int64_t now_ms);

typedef struct loop_hooks {
    void *arg;
    /* Waits up to timeout_ms (-1: forever) for stdin or the network; sets *stdin_ready. */
    int (*wait)(void *arg, int timeout_ms, bool *stdin_ready);
    int (*next_network_timeout)(void *arg); /* -1: none */
    bool (*read_key)(int *key);
    void (*on_key)(void *arg, int key);
    void (*on_timer)(void *arg, int id);
    void (*after_wait)(void *arg); /* network progress may have changed the store */
    void (*paint)(void *arg);      /* paint what is dirty; writes nothing when nothing is */
    bool (*done)(void *arg);
} loop_hooks;

/* Runs until hooks->done(); timers are the owner's (armed through t at any time). */
void loop_run(const loop_hooks *h, loop_timers *t);

#endif
