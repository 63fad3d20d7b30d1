/* Keys that wait: a small FIFO for keys typed while the view they act on is still loading, so a
 * typed-ahead (or played-back) sequence acts on the data a slow typist would have seen. Pure. */
#ifndef HCP_TUI_KEYQ_H
#define HCP_TUI_KEYQ_H

#include <stdbool.h>
#include <stddef.h>

#define KEYQ_CAP 256

typedef struct keyq {
    int keys[KEYQ_CAP];
    size_t head, len;
} keyq;

/* False when full (the caller then handles the key at once). */
bool keyq_push(keyq *q, int key);
/* False when empty. */
bool keyq_pop(keyq *q, int *key);
size_t keyq_len(const keyq *q);
void keyq_clear(keyq *q);

#endif
