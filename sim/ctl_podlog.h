/* Container logs of the simulated pods (pods/log). */
#ifndef HCP_SIM_CTL_PODLOG_H
#define HCP_SIM_CTL_PODLOG_H

#include <stdbool.h>

#include "sim/store.h"

/* The text of a container's log (container NULL or "": the first; previous: the last terminated
 * instance), as of the pod in s now; NULL when there is none. The caller frees the result. */
char *sim_pod_log(sim_store *s, const char *ns, const char *pod, const char *container, bool previous);

#endif
