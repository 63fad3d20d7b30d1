/* What the HyperShift CRDs enforce on HostedClusters and NodePools that a console can trip over:
 * required fields, enums, the pausedUntil rule, replicas vs autoScaling, immutable fields and release
 * image syntax; and the core checks kube-apiserver makes on Pods (containers, each with a name and an
 * image) and StatefulSets (a non-empty selector). Plugged into the store as its validation hook; answers are 422 Status objects worded
 * like the apiserver's. */
#ifndef HCP_SIM_VALIDATE_H
#define HCP_SIM_VALIDATE_H

#include <cjson/cJSON.h>

#include "sim/kinds.h"

/* The store's validate hook: NULL when obj is valid, else a 422 Status (owned by the caller).
 * old is NULL on create. ctx is unused. */
cJSON *sim_validate(const sim_kind *k, const cJSON *obj, const cJSON *old, void *ctx);

#endif
