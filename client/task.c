/* The list of client tasks (see task.h). */
#include "client/task.h"

#include <stdlib.h>

#include "common/buf.h"

void task_list_add(task_list *l, const client_task_ops *ops, void *self)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = (task_entry){.ops = ops, .self = self};
}

static void entry_free(task_entry *e)
{
    if (e->ops->free)
        e->ops->free(e->self);
}

/* Drops the entries marked gone, keeping the order of the others. */
static void compact(task_list *l)
{
    size_t w = 0;
    for (size_t r = 0; r < l->n; r++) {
        if (l->items[r].gone)
            entry_free(&l->items[r]);
        else
            l->items[w++] = l->items[r];
    }
    l->n = w;
}

bool task_list_remove(task_list *l, void *self)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i].self != self || l->items[i].gone)
            continue;
        l->items[i].gone = true;
        if (!l->stepping)
            compact(l);
        return true;
    }
    return false;
}

void *task_list_find(const task_list *l, const client_task_ops *ops)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].ops == ops && !l->items[i].gone)
            return l->items[i].self;
    return NULL;
}

void task_list_step(task_list *l)
{
    l->stepping++;
    size_t n = l->n; /* tasks added meanwhile wait for the next round */
    for (size_t i = 0; i < n; i++) {
        /* by index: a step may add a task and move the array */
        if (!l->items[i].gone && !l->items[i].ops->step(l->items[i].self))
            l->items[i].gone = true;
    }
    if (--l->stepping == 0)
        compact(l);
}

int task_list_next_timeout_ms(const task_list *l)
{
    int best = -1;
    for (size_t i = 0; i < l->n; i++) {
        const task_entry *e = &l->items[i];
        if (e->gone || !e->ops->next_timeout_ms)
            continue;
        int d = e->ops->next_timeout_ms(e->self);
        if (d >= 0 && (best < 0 || d < best))
            best = d;
    }
    return best;
}

size_t task_list_fds(const task_list *l, int *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n && n < max; i++) {
        const task_entry *e = &l->items[i];
        if (!e->gone && e->ops->fds)
            n += e->ops->fds(e->self, out + n, max - n);
    }
    return n;
}

size_t task_list_count(const task_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += !l->items[i].gone;
    return n;
}

void task_list_free(task_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        entry_free(&l->items[i]);
    free(l->items);
    *l = (task_list)TASK_LIST_INIT;
}
