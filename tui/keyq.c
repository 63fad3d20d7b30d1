/* The key FIFO (see keyq.h): a ring over a fixed array; and whether a key must let the models catch up. */
#include "tui/keyq.h"

bool keyq_push(keyq *q, int key)
{
    if (q->len >= KEYQ_CAP)
        return false;
    q->keys[(q->head + q->len) % KEYQ_CAP] = key;
    q->len++;
    return true;
}

bool keyq_pop(keyq *q, int *key)
{
    if (q->len == 0)
        return false;
    *key = q->keys[q->head];
    q->head = (q->head + 1) % KEYQ_CAP;
    q->len--;
    return true;
}

size_t keyq_len(const keyq *q)
{
    return q->len;
}

void keyq_clear(keyq *q)
{
    q->head = q->len = 0;
}

void keyq_sync_note(keyq_sync *s, bool loading, uint64_t changes, uint64_t focus_changes)
{
    s->valid = true;
    s->loading = loading;
    s->changes = changes;
    s->focus_changes = focus_changes;
}

bool keyq_sync_behind(const keyq_sync *s, uint64_t changes, uint64_t focus_changes)
{
    if (!s->valid)
        return true;
    return s->loading && (changes != s->changes || focus_changes != s->focus_changes);
}
