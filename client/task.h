/* Client tasks: the jobs client_poll() runs (the informers, the credential renewal, the focus
 * fetch, and later an action executor or a must-gather), each behind the same small interface, so
 * the poll iterates a list instead of knowing each job. A task is stepped before and after every
 * wait; its descriptors join the wait and its next timeout bounds it. */
#ifndef HCP_CLIENT_TASK_H
#define HCP_CLIENT_TASK_H

#include <stdbool.h>
#include <stddef.h>

typedef struct client_task_ops {
    const char *name; /* "informers", "credentials": for messages and tests */
    /* Moves the task on (its descriptors may be readable, its timers due; it must never block).
     * false: the task is finished, and the list frees it. */
    bool (*step)(void *self);
    /* Milliseconds until the task needs a step by itself; -1: none. NULL: -1. */
    int (*next_timeout_ms)(const void *self);
    /* Writes up to max descriptors the wait should watch for input; returns how many. NULL: none. */
    size_t (*fds)(const void *self, int *out, size_t max);
    /* Releases self (also at client_close). NULL: nothing to release. */
    void (*free)(void *self);
} client_task_ops;

typedef struct task_entry {
    const client_task_ops *ops;
    void *self;
    bool gone; /* finished or removed during a step: freed once the steps are over */
} task_entry;

typedef struct task_list {
    task_entry *items;
    size_t n, cap;
    int stepping; /* > 0 while task_list_step runs: removals wait for its end */
} task_list;

#define TASK_LIST_INIT {NULL, 0, 0, 0}

/* Appends a task (it is stepped after those added before it). ops is borrowed for its lifetime. */
void task_list_add(task_list *l, const client_task_ops *ops, void *self);
/* Frees and forgets the task whose self this is; false when there is none. Safe from a step. */
bool task_list_remove(task_list *l, void *self);
/* The state of the first live task run by ops, or NULL (a job of which there is one). */
void *task_list_find(const task_list *l, const client_task_ops *ops);
/* Steps every task once, in order; a task added by a step is stepped from the next call on. */
void task_list_step(task_list *l);
/* The nearest timeout of any task, -1 when none has one. */
int task_list_next_timeout_ms(const task_list *l);
/* The descriptors of every task (up to max); returns how many. */
size_t task_list_fds(const task_list *l, int *out, size_t max);
size_t task_list_count(const task_list *l);
/* Frees every task and the list's memory. */
void task_list_free(task_list *l);

#endif
