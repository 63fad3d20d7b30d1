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

/* Strategic merge patch, the subset core kinds need: merge-patch semantics, except that the lists
 * named containers, initContainers, ephemeralContainers, volumes, volumeMounts, env, ports
 * and imagePullSecrets merge their items by "name" and honour {"$patch":"delete"} in an item, and
 * "$setElementOrder/..." / "$retainKeys" directives are dropped. Not emulated: other merge keys
 * (containerPort, ip, ...), "$patch: replace", "$deleteFromPrimitiveList", set-merging of finalizers.
 * Consumes target; returns NULL with err set when the patch is malformed. */
cJSON *sim_strategic_merge_patch(cJSON *target, const cJSON *patch, char *err, size_t errlen);

#endif
