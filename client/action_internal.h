/* What the action builders share (action_hc.c, action_np.c, action_etcd.c). Internal to them. */
#ifndef HCP_CLIENT_ACTION_INTERNAL_H
#define HCP_CLIENT_ACTION_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "client/action.h"
#include "client/derive.h"

/* {"metadata":{"resourceVersion":RV}} (none when rv is NULL): the start of a merge patch. */
cJSON *patch_new(const char *rv);
/* The patch as compact JSON (and the tree freed). */
char *patch_text(cJSON *root);
/* A merge patch call on the object (HostedCluster or NodePool) and its `oc patch` line, which
 * leaves out the resourceVersion (a runbook replays it later). Takes root. -1 when full. */
int merge_patch(action *a, const record *r, cJSON *root, bool rv_from_previous, const char *summary);
int too_many(char *err, size_t errlen);
/* Whether text names a release image rather than a version. */
bool is_image(const char *t);
/* The version in an image's tag ("quay.io/...:4.17.9-x86_64" -> 4.17.9), or false. */
bool version_of_image(const char *image, ocp_version *v);

#endif
