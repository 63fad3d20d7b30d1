/* Keys that wait: a small FIFO for keys typed while the view they act on is still loading, so a
 * typed-ahead (or played-back) sequence acts on the data a slow typist would have seen. Pure.
 *
 * And when a key may act at all: the views are recomputed from the store at most once per repaint
 * slot, so a list that arrives just before a key can sit in the store while the front view's model
 * still shows "loading…" (empty). A key must not act on that model: Enter would answer "no object
 * selected" while the next paint shows the row it should have opened. Recomputing before every key
 * would cost a whole refresh per key under a steady stream of watch events, so the model catches up
 * first only when it was computed while its view was still loading and the store moved since. */
#ifndef HCP_TUI_KEYQ_H
#define HCP_TUI_KEYQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* What the front view's model was last computed from (zeroed: nothing yet). */
typedef struct keyq_sync {
    bool valid;
    bool loading;                    /* the view still waited for its data then */
    uint64_t changes, focus_changes; /* the store's counters then */
} keyq_sync;

/* Notes a refresh of the front view's model. */
void keyq_sync_note(keyq_sync *s, bool loading, uint64_t changes, uint64_t focus_changes);
/* True when the model must be refreshed before a key acts on it: no refresh was noted yet, or the
 * last one ran while the view was loading and the store has moved since (its data may be there). */
bool keyq_sync_behind(const keyq_sync *s, uint64_t changes, uint64_t focus_changes);

#endif
