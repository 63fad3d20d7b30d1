/* Times and durations as Kubernetes writes them. */
#ifndef HCP_COMMON_TIMEUTIL_H
#define HCP_COMMON_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Parses RFC 3339 ("2026-07-04T00:00:00Z", "...T01:02:03.123+02:00"). Returns false on anything else. */
bool rfc3339_parse(const char *s, time_t *out);
/* Formats as "2026-07-04T00:00:00Z" (UTC, seconds) into out[21]. */
void rfc3339_format(time_t t, char out[21]);

/* Parses a Go duration ("0s", "10m", "1h30m", "500ms", "2h"). Milliseconds out. False on bad input. */
bool duration_parse_ms(const char *s, int64_t *ms_out);
/* Formats seconds as a short age the way kubectl does: "45s", "12m", "3h12m", "5d", "2y". */
void age_format(int64_t seconds, char *out, size_t outlen);

/* Monotonic milliseconds, for timers and latencies. */
int64_t now_ms_monotonic(void);

#endif
