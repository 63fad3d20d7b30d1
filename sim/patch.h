/* The three PATCH flavours kube-apiserver accepts, on cJSON documents. Pure functions, no store. */
#ifndef HCP_SIM_PATCH_H
#define HCP_SIM_PATCH_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* RFC 7386 JSON merge patch. Consumes target (which may be NULL) and returns the merged document;
 * patch is only read. A null member deletes, objects merge recursively, everything else replaces. */
cJSON *sim_merge_patch(cJSON *target, const cJSON *patch);

/* RFC 6902 JSON patch: ops is the array of operations. Applies them in order to *doc (the root may be
 * replaced). On failure returns false, writes a readable reason to err (as the json-patch library the
 * apiserver uses words it), and *doc is left in a valid but partly patched state: work on a copy. */
bool sim_json_patch(cJSON **doc, const cJSON *ops, char *err, size_t errlen);

/* Strategic merge patch, the subset core kinds need: merge-patch semantics, except that these lists
 * merge their items by their patchMergeKey and honour {"$patch":"delete"} in an item: containers,
 * initContainers, ephemeralContainers, volumes, env, imagePullSecrets (by name), volumeMounts (by
 * mountPath), ports (containerPort, or port for a Service), conditions (by type). "$patch":"replace"
 * on a map is honoured; "$setElementOrder/...", "$retainKeys" and other directives are dropped.
 * Not emulated: other lists' merge keys (they are replaced whole), "$deleteFromPrimitiveList",
 * set-merging of primitive lists such as finalizers, element order from $setElementOrder.
 * Consumes target; returns NULL with err set when the patch is malformed. */
cJSON *sim_strategic_merge_patch(cJSON *target, const cJSON *patch, char *err, size_t errlen);

#endif
