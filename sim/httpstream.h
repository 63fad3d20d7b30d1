/* libmicrohttpd response bodies beyond a plain buffer. A watch streams its events as they come (one
 * JSON line per chunk), adds BOOKMARKs every 10 s and about 2 s before timeoutSeconds, ends at the
 * timeout, when the store closes it or the server stops, and gives up on a client that has gone.
 * The body faults (truncate, malformed) and the watch faults (drop, stall) are applied here. */
#ifndef HCP_SIM_HTTPSTREAM_H
#define HCP_SIM_HTTPSTREAM_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdint.h>

#include "sim/faults.h"
#include "sim/httpapi.h"

/* Takes the watch (and a first event already in resp->body) out of resp. fd is the connection's
 * socket, polled to notice a client that left; stopping is the server's stop flag. NULL on failure. */
struct MHD_Response *sim_stream_watch(const sim_api *api, const atomic_bool *stopping, int fd,
                                      sim_http_response *resp, const sim_fault_plan *plan);
/* Sleeps ms milliseconds (latency faults, quiet stalled watches); signals do not cut it short. */
void sim_sleep_ms(int64_t ms);
/* A response for resp->body (taken), truncated or malformed when the plan says so. NULL on failure. */
struct MHD_Response *sim_stream_plain(sim_http_response *resp, const sim_fault_plan *plan);

#endif
