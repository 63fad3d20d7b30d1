/* Retry delays: exponential backoff with full jitter, as a pure and seedable schedule.
 *
 * The ceiling of attempt n is min(cap, base * factor^n); the delay is uniform in [0, ceiling]
 * ("full jitter": clients that failed together do not retry together). A Retry-After from the
 * server is a floor: never come back sooner than the server asked. */
#ifndef HCP_CLIENT_BACKOFF_H
#define HCP_CLIENT_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef struct backoff {
    int64_t base_ms;   /* ceiling of the first attempt */
    double factor;     /* growth per attempt (>= 1) */
    int64_t cap_ms;    /* ceiling never exceeds this */
    unsigned attempt;  /* failures so far since the last reset */
    uint64_t rng;      /* xorshift state; never 0 */
} backoff;

/* Nonsense values are clamped: base >= 1 ms, factor >= 1, cap >= base. seed 0 is allowed. */
void backoff_init(backoff *b, int64_t base_ms, double factor, int64_t cap_ms, uint64_t seed);
/* Success: the next failure starts from the base again. */
void backoff_reset(backoff *b);
/* The ceiling for attempt n (0-based), without jitter. Saturates at the cap, never overflows. */
int64_t backoff_ceiling_ms(const backoff *b, unsigned attempt);
/* The delay before the next try (uniform in [0, ceiling(attempt)]), then attempt++. */
int64_t backoff_next_ms(backoff *b);
/* Same, but at least retry_after_ms (pass -1 when the server gave none); the result may exceed the cap
 * when the server asked for more, but is bounded by max_ms (a hostile Retry-After cannot stall us). */
int64_t backoff_next_with_floor_ms(backoff *b, int64_t retry_after_ms, int64_t max_ms);

/* A uniform random number in [0, n] from the schedule's generator (for jittering watch timeouts). */
uint64_t backoff_rand_upto(backoff *b, uint64_t n);

/* Parses a Retry-After header value: delay-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2026 07:28:00 GMT", relative to now). Milliseconds out (>= 0). False on anything else. */
bool backoff_parse_retry_after(const char *value, time_t now, int64_t *ms_out);

#endif
